"""What several plot helpers check of an array argument, in one place."""

from __future__ import annotations

from .._validation import as_float_array, ensure_finite


def finite_array(value, name, ndim, described):
    """``value`` as a finite float array of ``ndim`` dimensions, not empty along the first.

    Raises
    ------
    TypeError
        If ``value`` is not numeric.
    ValueError
        If its shape is not such (the message: ``{name} must be {described}, got shape ...``)
        or a value is not finite.
    """
    array = as_float_array(value, name)
    if array.ndim != ndim or array.shape[0] == 0:
        raise ValueError(f"{name} must be {described}, got shape {array.shape}")
    ensure_finite(array, name)
    return array
