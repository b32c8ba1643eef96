"""Argument checks shared by every public function.

Validation happens once, at the public boundary: each helper below turns an
argument into a clean NumPy value or raises a ``ValueError``/``TypeError``
whose message names the argument and says what was expected. The math in the
other modules assumes clean input.

NumPy's scalar types are accepted wherever Python numbers are: ``np.int64(3)``
is an integer and ``np.float32(0.5)`` a real number, like ``3`` and ``0.5``.
"""

from __future__ import annotations

import numbers
import sys

import numpy as np

#: How far a row of responsibilities (or the weights) may sum away from 1.
SUM_TOLERANCE = 1e-6

#: The largest magnitude of data that EM fits. Covariances are squares of the data and
#: their sums over D features; beyond about 1e154 the squares exceed the largest float
#: (1.8e308). 1e150 leaves room for D and for the spread between points.
MAX_MAGNITUDE = 1e150


def as_float_array(value, name):
    """Convert ``value`` to a float array, or raise ``TypeError`` naming it.

    A dask array is refused (:func:`refuse_dask_array`): converting it would gather all
    of its blocks into this process, silently.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of real numbers, got a string")
    if is_dask_array(value):
        refuse_dask_array(name)
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular array of numbers; NumPy could not "
            f"build one from it ({error})"
        ) from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(
            f"{name} must be an array of real numbers, got an array of dtype {array.dtype}"
        )
    if np.iscomplexobj(array):
        raise TypeError(f"{name} must be real, got complex numbers")
    return array.astype(float, copy=False)


def check_finite(array, name):
    """Raise ``ValueError`` naming the first NaN or infinite entry of ``array``.

    The smallest and largest entries are finite exactly when all are (NaN propagates
    through both): two passes that allocate nothing, however large the array.
    """
    if array.size and not (np.isfinite(array.min()) and np.isfinite(array.max())):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        position = where[0] if len(where) == 1 else where
        raise ValueError(
            f"{name} contains NaN or infinite values (first at index {position}: "
            f"{array[where]}); remove or impute them before fitting"
        )


def check_X(X, name="X"):
    """Return the data as a finite float array of shape (n_samples, n_features).

    A 1-D array of N numbers is one feature: it becomes an N x 1 array.
    """
    X = as_float_array(X, name)
    if X.ndim == 1:
        X = X[:, np.newaxis]
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D (n_samples,) or 2-D (n_samples, n_features), "
            f"got an array of shape {X.shape}"
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"{name} must hold at least one sample and one feature, got shape {X.shape}"
        )
    check_finite(X, name)
    return X


def check_magnitude(largest, name="X", where=None):
    """Refuse data to fit whose largest magnitude ``largest`` exceeds ``MAX_MAGNITUDE``.

    ``where`` optionally names the entry (an index tuple) that holds it.
    """
    if largest > MAX_MAGNITUDE:
        at = "" if where is None else f" (at index {where})"
        raise ValueError(
            f"{name} holds a value of magnitude {largest:.3g}{at}, out of the range EM can "
            f"fit: covariances are squares of the data, and beyond about 1e154 they exceed the "
            f"largest float (1.8e308). Keep |{name}| <= {MAX_MAGNITUDE:.0e}: divide {name} by a "
            "constant (for example its largest magnitude) before fitting"
        )


def check_X_to_fit(X, name="X"):
    """:func:`check_X`, and the magnitudes within the range EM fits (``MAX_MAGNITUDE``)."""
    X = check_X(X, name)
    largest = max(-float(X.min()), float(X.max()))  # no |X| array: X may be huge
    if largest > MAX_MAGNITUDE:
        where = tuple(int(i) for i in np.unravel_index(np.abs(X).argmax(), X.shape))
        check_magnitude(largest, name, where)
    return X


def _as_scalar(value):
    """A 0-d NumPy array becomes its scalar; anything else is returned as it is."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def check_int(value, name, minimum=None, maximum=None):
    """Return ``value`` as an ``int`` within [minimum, maximum] (NumPy integers accepted)."""
    value = _as_scalar(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value}")
    return value


def check_n_components(n_components, n_samples):
    """``n_components`` must be an integer with 1 <= K <= n_samples."""
    n_components = check_int(n_components, "n_components", minimum=1)
    if n_components > n_samples:
        raise ValueError(
            f"n_components must be at most the number of samples ({n_samples}), "
            f"got {n_components}: each component needs points to describe"
        )
    return n_components


def check_float(value, name, minimum=None, strict=False, maximum=None):
    """Return ``value`` as a finite float >= minimum (> minimum if ``strict``), <= maximum.

    Python and NumPy integers and reals are accepted; booleans are not.
    """
    value = _as_scalar(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        bound = "greater than" if strict else "at least"
        raise ValueError(f"{name} must be {bound} {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}, got {value}")
    return value


def check_choice(value, name, choices):
    """``value`` must be one of ``choices`` (strings)."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return str(value)


def check_seed(seed, name="seed"):
    """Return a ``numpy.random.Generator`` from None, an int >= 0 or a Generator."""
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    seed = check_int(seed, name, minimum=0)
    return np.random.default_rng(seed)


def check_chunk_size(chunk_size, name="chunk_size"):
    """``None`` (let gmmlab choose) or a number of rows >= 1."""
    if chunk_size is None:
        return None
    return check_int(chunk_size, name, minimum=1)


def check_resp(resp, n_samples=None, n_components=None, name="resp"):
    """Responsibilities: (N, K), finite, non-negative, rows summing to 1."""
    resp = as_float_array(resp, name)
    if resp.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_components), got an array of shape {resp.shape}"
        )
    if n_samples is not None and resp.shape[0] != n_samples:
        raise ValueError(
            f"{name} must have one row per sample of X ({n_samples} rows), got shape {resp.shape}"
        )
    if n_components is not None and resp.shape[1] != n_components:
        raise ValueError(
            f"{name} must have one column per component ({n_components}), got shape {resp.shape}"
        )
    if resp.shape[0] == 0 or resp.shape[1] == 0:
        raise ValueError(f"{name} must not be empty, got shape {resp.shape}")
    check_finite(resp, name)
    if (resp < 0).any():
        i, k = (int(j) for j in np.argwhere(resp < 0)[0])
        raise ValueError(
            f"{name} must be non-negative (probabilities); {name}[{i}, {k}] = {resp[i, k]:.6g}"
        )
    row_sums = resp.sum(axis=1)
    off = np.abs(row_sums - 1.0) > SUM_TOLERANCE
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise ValueError(
            f"each row of {name} must sum to 1 (a point's memberships are "
            f"probabilities); row {i} sums to {row_sums[i]:.6g} "
            f"({int(off.sum())} rows are off)"
        )
    return resp


def check_params(params, n_features=None, n_components=None, name="params"):
    """``params`` must be a MixtureParams that fits the data's feature count."""
    from .params import MixtureParams

    if not isinstance(params, MixtureParams):
        raise TypeError(f"{name} must be a gmmlab.MixtureParams, got {type(params).__name__}")
    if n_features is not None and params.n_features != n_features:
        raise ValueError(
            f"X has {n_features} feature(s) but {name} describes "
            f"{params.n_features}: use the same columns for both"
        )
    if n_components is not None and params.n_components != n_components:
        raise ValueError(
            f"{name} has {params.n_components} components but n_components is {n_components}"
        )
    return params


#: The public functions that take a dask array and work on it block by block.
DASK_AWARE = (
    "gmmlab.fit",
    "gmmlab.initialize",
    "gmmlab.expected_statistics",
    "gmmlab.log_likelihood",
    "gmmlab.bic",
    "gmmlab.aic",
)


def refuse_dask_array(name):
    """Raise the ``TypeError`` for a dask array given where the values are needed in memory.

    Every function that is not in :data:`DASK_AWARE` needs all of its argument's values
    at once (an E-step returns one row per point, a density one value per point), and
    ``numpy.asarray`` of a dask array would compute and gather every block into this
    process without a word. The message names the argument and says what works instead.
    """
    aware = ", ".join(DASK_AWARE)
    raise TypeError(
        f"{name} is a dask array, but this function needs all of its values in memory and "
        f"would gather every block of it into this process. These take a dask array and "
        f"work block by block, where the blocks live: {aware} (an EM iteration is "
        f"gmmlab.expected_statistics, then gmmlab.params_from_statistics). For values per "
        f"point, apply the function to each block ({name}.map_blocks(...)); or pass "
        f"{name}.compute() if it fits in memory"
    )


def is_dask_array(value):
    """Whether ``value`` is a ``dask.array.Array``, without importing dask.

    A dask array can only exist once ``dask.array`` has been imported, so looking it up
    in ``sys.modules`` is enough and keeps ``import gmmlab`` free of dask.
    """
    dask_array = sys.modules.get("dask.array")
    return dask_array is not None and isinstance(value, dask_array.Array)
