"""Argument checks of the explorers' constructors (on top of gmmlab._validation's).

Each returns the clean value or raises a ``ValueError``/``TypeError`` that
names the argument and says what was expected; numpy scalars are accepted
wherever Python numbers are.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np

from .._validation import (
    as_float_array,
    check_finite,
    check_float,
    check_int,
    check_params,
    check_X,
)
from ..em import EMResult


def check_bool(value, name):
    """``value`` must be True or False (numpy's bool too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_text(value, name):
    """``value`` must be a string, or None."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string (or None), got {type(value).__name__}")
    return value


def check_feature_names(names, n_features, name="feature_names"):
    """None, or ``n_features`` strings (one axis label per feature)."""
    if names is None:
        return None
    if isinstance(names, str) or not hasattr(names, "__len__"):
        raise TypeError(f"{name} must be a sequence of {n_features} strings, got {names!r}")
    if len(names) != n_features or not all(isinstance(n, str) for n in names):
        raise ValueError(f"{name} must be {n_features} strings, one per feature; got {names!r}")
    return tuple(names)


def check_data(X, n_features, name="X"):
    """The data, finite, with ``n_features`` columns (one for a 1-D array)."""
    X = check_X(X, name)
    if X.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} feature(s) (columns), got shape {X.shape}"
        )
    return X


def check_mixture(params, n_features, name="params"):
    """A MixtureParams of ``n_features`` features (for an explorer that takes no data)."""
    params = check_params(params, name=name)
    if params.n_features != n_features:
        raise ValueError(
            f"{name} must describe {n_features} feature(s), got a mixture of {params.n_features}"
        )
    return params


def check_range(value, name):
    """A pair (low, high) of finite numbers with 0 < low < high (a log slider's range)."""
    if isinstance(value, str) or not hasattr(value, "__len__") or len(value) != 2:
        raise TypeError(f"{name} must be a pair (low, high) of positive numbers, got {value!r}")
    low = check_float(value[0], f"{name}[0]", minimum=0.0, strict=True)
    high = check_float(value[1], f"{name}[1]", minimum=low, strict=True)
    return low, high


def check_point(value, n_features, name):
    """A finite point of ``n_features`` coordinates, as a float array."""
    point = as_float_array(value, name)
    if point.shape != (n_features,):
        raise ValueError(
            f"{name} must be one point of {n_features} coordinates, got shape {point.shape}"
        )
    check_finite(point, name)
    return point


def check_results(results, n_features, name="results"):
    """A non-empty mapping of K to the ``gmmlab.fit`` result with K components."""
    if not isinstance(results, Mapping) or not results:
        raise TypeError(
            f"{name} must be a non-empty dict mapping K to a gmmlab.EMResult, "
            f"got {type(results).__name__}"
        )
    checked = {}
    for k, result in results.items():
        k = check_int(k, f"the keys of {name}", minimum=1)
        if not isinstance(result, EMResult):
            raise TypeError(f"{name}[{k}] must be a gmmlab.EMResult, got {type(result).__name__}")
        if result.params.n_components != k or result.params.n_features != n_features:
            raise ValueError(
                f"{name}[{k}] must be a fit with {k} components and {n_features} feature(s), "
                f"got {result.params.n_components} and {result.params.n_features}"
            )
        checked[k] = result
    return dict(sorted(checked.items()))


def check_key(value, choices, name):
    """``value`` must be one of ``choices`` (integers, e.g. the K of ``results``)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be one of {sorted(choices)}, got {value!r}")
    if int(value) not in choices:
        raise ValueError(f"{name} must be one of {sorted(choices)}, got {value}")
    return int(value)


def check_bins(bins, name="bins"):
    """A number of histogram bins (>= 1), or increasing finite bin edges (at least 2)."""
    if isinstance(bins, numbers.Integral) and not isinstance(bins, bool):
        return check_int(bins, name, minimum=1)
    edges = as_float_array(bins, name)
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(f"{name} must be a number of bins or at least 2 bin edges, got {bins!r}")
    check_finite(edges, name)
    if not (np.diff(edges) > 0).all():
        raise ValueError(f"{name}: the bin edges must increase, got {edges.tolist()}")
    return edges


def check_grid(values, name, low=None, high=None):
    """At least 2 finite values in equal increasing steps (a slider's stops), in [low, high]."""
    grid = as_float_array(values, name)
    if grid.ndim != 1 or grid.size < 2:
        raise ValueError(
            f"{name} must be a 1-D array of at least 2 values, got shape {grid.shape}"
        )
    check_finite(grid, name)
    steps = np.diff(grid)
    if not (steps > 0).all() or not np.allclose(steps, steps[0], rtol=1e-6, atol=0):
        raise ValueError(
            f"{name} must increase in equal steps (a slider's stops), e.g. np.linspace"
        )
    if (low is not None and grid[0] < low) or (high is not None and grid[-1] > high):
        raise ValueError(f"{name} must lie within [{low}, {high}], got [{grid[0]}, {grid[-1]}]")
    return grid
