"""Argument checks for the modules around the EM core: plotting, tables, datasets.

The same contract as :mod:`gmmlab._validation`: each helper returns the clean
value or raises a ``ValueError``/``TypeError`` whose message names the
argument the caller passed and says what was expected. numpy scalars are
accepted wherever Python numbers are. matplotlib is imported inside the
helpers that need it, so that ``import gmmlab`` still loads numpy only.
"""

from __future__ import annotations

import numbers

import numpy as np


def check_bool(value, name):
    """``value`` as a ``bool``; numpy booleans are accepted, 0 and 1 are not."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_text(value, name, optional=False):
    """``value`` as a ``str`` (``None`` too when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        expected = "a string or None" if optional else "a string"
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")
    return str(value)


def check_texts(values, name, count=None):
    """A sequence of strings (not one string) as a tuple, ``count`` of them if given."""
    if isinstance(values, (str, bytes)) or not _is_sequence(values):
        raise TypeError(
            f"{name} must be a sequence of strings such as ('length', 'width'), "
            f"got {type(values).__name__} {values!r}"
        )
    values = tuple(values)
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise TypeError(f"{name}[{i}] must be a string, got {type(value).__name__}")
    if count is not None and len(values) != count:
        raise ValueError(f"{name} must hold {count} strings, got {len(values)}")
    return values


def check_positive_number(value, name):
    """``value`` as a finite float > 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number greater than 0, got {value}")
    return value


def check_ax(ax, name="ax"):
    """A matplotlib ``Axes`` to draw on."""
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(
            f"{name} must be a matplotlib Axes (for example from "
            f"fig, ax = plt.subplots()), got {type(ax).__name__}"
        )
    return ax


def check_colors(colors, name="colors"):
    """``None`` or a non-empty sequence of colours matplotlib knows, as a tuple."""
    if colors is None:
        return None
    from matplotlib.colors import is_color_like

    if isinstance(colors, str) or not _is_sequence(colors):
        raise TypeError(
            f"{name} must be a sequence of colours such as ['#0072B2', 'orange'], "
            f"got {type(colors).__name__} {colors!r}"
        )
    colors = tuple(colors)
    if not colors:
        raise ValueError(f"{name} must hold at least one colour, got an empty sequence")
    for i, color in enumerate(colors):
        if not is_color_like(color):
            raise ValueError(f"{name}[{i}] is not a colour matplotlib knows: {color!r}")
    return colors


def check_style(style, artist, function):
    """Style keywords for a matplotlib artist, checked on ``artist`` (a throwaway one).

    Raises ``TypeError`` naming a keyword the artist does not have and
    ``ValueError`` naming one whose value it refuses.
    """
    from matplotlib import cbook

    kind = type(artist).__name__
    try:
        style = cbook.normalize_kwargs(style, type(artist))
    except TypeError:  # an alias and its full name both given, e.g. lw and linewidth
        raise TypeError(
            f"{function} got the same style twice, once by a short name (such as lw) "
            f"and once by its full name (linewidth): {sorted(style)}"
        ) from None
    for key, value in style.items():
        setter = getattr(artist, f"set_{key}", None)
        if not callable(setter):
            raise TypeError(
                f"{function} got an unknown style keyword {key!r}: a matplotlib {kind} "
                "takes keywords such as color, linewidth, linestyle, alpha, label"
            )
        try:
            setter(value)
        except (TypeError, ValueError, AttributeError):
            raise ValueError(
                f"{function}: {key}={value!r} is not a value a matplotlib {kind} accepts"
            ) from None
    return style


def _is_sequence(value):
    """Ordered and sized: a list, tuple, range or array (not a set, dict or generator)."""
    if isinstance(value, np.ndarray):
        return value.ndim == 1
    return (
        hasattr(value, "__len__")
        and hasattr(value, "__getitem__")
        and not isinstance(value, (dict, set, frozenset))
    )
