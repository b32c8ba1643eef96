"""Argument checks shared by every public function, explorer and plot helper.

Validation happens once, at the public boundary: each helper below turns an
argument into a clean NumPy value or raises a ``ValueError``/``TypeError``
whose message names the argument and says what was expected. The math in the
other modules assumes clean input. One helper per kind of argument: numbers and
choices, data and responsibilities, text and colours, a matplotlib ``Axes`` and
style keywords, and the explorers' arguments (feature names, slider ranges, a
dictionary of fits). ``ensure_params`` lives next to ``MixtureParams``
(:mod:`gmmlab.params`).

NumPy's scalar types are accepted wherever Python numbers are: ``np.int64(3)``
is an integer and ``np.float32(0.5)`` a real number, like ``3`` and ``0.5``.
matplotlib is imported inside the helpers that need it, so that ``import gmmlab``
loads numpy only. The validators of gmmlab's own classes live beside them
(``ensure_params`` and ``ensure_mixture`` in :mod:`gmmlab.params`, ``ensure_results`` in
:mod:`gmmlab.em`); :func:`loaded_class` serves a module that the class's own module imports
(:func:`gmmlab.tables.params_table`, which ``MixtureParams.table`` calls).
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


def ensure_finite(array, name):
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


def ensure_X(X, name="X"):
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
    ensure_finite(X, name)
    return X


def ensure_magnitude(largest, name="X", where=None):
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


def ensure_X_to_fit(X, name="X"):
    """:func:`ensure_X`, and the magnitudes within the range EM fits (``MAX_MAGNITUDE``)."""
    X = ensure_X(X, name)
    largest = max(-float(X.min()), float(X.max()))  # no |X| array: X may be huge
    if largest > MAX_MAGNITUDE:
        where = tuple(int(i) for i in np.unravel_index(np.abs(X).argmax(), X.shape))
        ensure_magnitude(largest, name, where)
    return X


def _as_scalar(value):
    """A 0-d NumPy array becomes its scalar; anything else is returned as it is."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def ensure_int(value, name, minimum=None, maximum=None):
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


def ensure_n_components(n_components, n_samples):
    """``n_components`` must be an integer with 1 <= K <= n_samples."""
    n_components = ensure_int(n_components, "n_components", minimum=1)
    if n_components > n_samples:
        raise ValueError(
            f"n_components must be at most the number of samples ({n_samples}), "
            f"got {n_components}: each component needs points to describe"
        )
    return n_components


def ensure_float(value, name, minimum=None, strict=False, maximum=None):
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


def ensure_choice(value, name, choices):
    """``value`` must be one of ``choices`` (strings)."""
    if not isinstance(value, str) or value not in choices:
        options = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return str(value)


def ensure_seed(seed, name="seed"):
    """Return a ``numpy.random.Generator`` from None, an int >= 0 or a Generator."""
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    seed = ensure_int(seed, name, minimum=0)
    return np.random.default_rng(seed)


def ensure_chunk_size(chunk_size, name="chunk_size"):
    """``None`` (let gmmlab choose) or a number of rows >= 1."""
    if chunk_size is None:
        return None
    return ensure_int(chunk_size, name, minimum=1)


def ensure_resp(resp, n_samples=None, n_components=None, name="resp"):
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
    ensure_finite(resp, name)
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


def loaded_class(module, name):
    """The class ``module.name`` if its module is loaded, else a class nothing is an instance of.

    An object of a class can only exist once the class's module has been imported, so
    ``isinstance(value, loaded_class("gmmlab.params", "MixtureParams"))`` answers as
    ``isinstance(value, MixtureParams)`` would, without this module importing one that
    imports it (gmmlab.params and gmmlab.em check their arguments with this module).
    """
    loaded = sys.modules.get(module)
    return getattr(loaded, name) if loaded is not None else _NotLoaded


class _NotLoaded:
    """No object is an instance of this class: :func:`loaded_class`'s answer for a module
    that is not loaded yet."""


def is_dask_array(value):
    """Whether ``value`` is a ``dask.array.Array``, without importing dask.

    A dask array can only exist once ``dask.array`` has been imported, so looking it up
    in ``sys.modules`` is enough and keeps ``import gmmlab`` free of dask.
    """
    dask_array = sys.modules.get("dask.array")
    return dask_array is not None and isinstance(value, dask_array.Array)


# -- text, colours, matplotlib (plot helpers, tables, datasets) ----------------------




def ensure_bool(value, name):
    """``value`` as a ``bool``; numpy booleans are accepted, 0 and 1 are not."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def ensure_text(value, name, optional=False):
    """``value`` as a ``str`` (``None`` too when ``optional``)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        expected = "a string or None" if optional else "a string"
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")
    return str(value)


def ensure_texts(values, name, count=None):
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


def ensure_alt_text(value, name="alt"):
    """``value`` as alt text: a string with at least one visible character, stripped."""
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string saying what the figure shows, got {type(value).__name__}"
        )
    if not value.strip():
        raise ValueError(
            f"{name} must say what the figure shows (its subject and the one thing to see, "
            f"with the key numbers), got {value!r}"
        )
    return " ".join(value.split())


def ensure_positive_number(value, name):
    """``value`` as a finite float > 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number greater than 0, got {value}")
    return value


def ensure_ax(ax, name="ax"):
    """A matplotlib ``Axes`` to draw on."""
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise TypeError(
            f"{name} must be a matplotlib Axes (for example from "
            f"fig, ax = plt.subplots()), got {type(ax).__name__}"
        )
    return ax


def ensure_colors(colors, name="colors"):
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


def ensure_style(style, artist, function):
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


# -- the explorers' arguments -----------------------------------------------------------





def ensure_feature_names(names, n_features, name="feature_names"):
    """None, or ``n_features`` strings (one axis label per feature)."""
    if names is None:
        return None
    if isinstance(names, str) or not hasattr(names, "__len__"):
        raise TypeError(f"{name} must be a sequence of {n_features} strings, got {names!r}")
    if len(names) != n_features or not all(isinstance(n, str) for n in names):
        raise ValueError(f"{name} must be {n_features} strings, one per feature; got {names!r}")
    return tuple(names)


def ensure_data(X, n_features, name="X"):
    """The data, finite, with ``n_features`` columns (one for a 1-D array)."""
    X = ensure_X(X, name)
    if X.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} feature(s) (columns), got shape {X.shape}"
        )
    return X


def ensure_range(value, name):
    """A pair (low, high) of finite numbers with 0 < low < high (a log slider's range)."""
    if isinstance(value, str) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high) of positive numbers, got {value!r}")
    low = ensure_float(value[0], f"{name}[0]", minimum=0.0, strict=True)
    high = ensure_float(value[1], f"{name}[1]", minimum=low, strict=True)
    return low, high


def ensure_point(value, n_features, name):
    """A finite point of ``n_features`` coordinates, as a float array."""
    point = as_float_array(value, name)
    if point.shape != (n_features,):
        raise ValueError(
            f"{name} must be one point of {n_features} coordinates, got shape {point.shape}"
        )
    ensure_finite(point, name)
    return point


def ensure_key(value, choices, name):
    """``value`` must be one of ``choices`` (integers, e.g. the K of ``results``)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    if int(value) not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value}")
    return int(value)


def ensure_bins(bins, name="bins", rules=()):
    """A number of histogram bins (>= 1), increasing finite bin edges (at least 2), or a rule.

    ``rules`` are the names of binning rules accepted as strings (plotting's "measured"
    and numpy's "auto", "fd", ...); none by default.
    """
    if isinstance(bins, str) and rules:
        if bins not in rules:
            raise ValueError(f"{name} must be a number, bin edges or one of {rules}; got {bins!r}")
        return bins
    if isinstance(bins, numbers.Integral) and not isinstance(bins, (bool, np.bool_)):
        return ensure_int(bins, name, minimum=1)
    edges = as_float_array(bins, name)
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(
            f"{name} as edges must be a 1-D sequence of at least 2, got shape {edges.shape}"
        )
    ensure_finite(edges, name)
    if not (np.diff(edges) > 0).all():
        raise ValueError(
            f"{name} as edges must increase from one to the next, got {edges.tolist()}"
        )
    return edges


def ensure_grid(values, name, low=None, high=None):
    """At least 2 finite values in equal increasing steps (a slider's stops), in [low, high]."""
    grid = as_float_array(values, name)
    if grid.ndim != 1 or grid.size < 2:
        raise ValueError(
            f"{name} must be a 1-D array of at least 2 values, got shape {grid.shape}"
        )
    ensure_finite(grid, name)
    steps = np.diff(grid)
    if not (steps > 0).all() or not np.allclose(steps, steps[0], rtol=1e-6, atol=0):
        raise ValueError(
            f"{name} must increase in equal steps (a slider's stops), e.g. np.linspace"
        )
    if (low is not None and grid[0] < low) or (high is not None and grid[-1] > high):
        raise ValueError(f"{name} must lie within [{low}, {high}], got [{grid[0]}, {grid[-1]}]")
    return grid
