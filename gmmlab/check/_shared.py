r"""Docstring text and comparisons that several exercise modules share.

A reference's docstring writes its own formula and names what it returns; the parts that
are the same in several (the four arguments of a mixture, the three arrays an M-step returns,
the errors of a malformed argument) are written once here and filled in by
:func:`shared_doc`, so ``help()`` and the doctests show the whole text.
"""

from __future__ import annotations

import numpy as np

from ..params import MixtureParams
from ._framework import M_STEP_RTOL, Difference, _as_float_array, _pair

#: The Returns and Raises of every checker's docstring (a checker returns a Feedback).
CHECKER_RETURNS = """
    Returns
    -------
    Feedback
        Shows as a report; ``bool(feedback)`` is True when every case passes.

    Raises
    ------
    TypeError
        If ``function`` is not callable (e.g. the result of calling it).
    """

_MIXTURE = """weights : array-like of shape (K,)
    means : array-like of shape (K, D)
    covariances : array-like of shape (K, D, D)"""

_PARTS = {
    # the points and a mixture's arguments, as the lessons' exercises take them
    "{X_AND_MIXTURE}": "X : array-like of shape (N, D)\n    " + _MIXTURE,
    # a mixture's arguments alone
    "{MIXTURE_ARGUMENTS}": _MIXTURE,
    # what an M-step returns
    "{FITTED_ARRAYS}": """weights : ndarray of shape (K,)
    means : ndarray of shape (K, D)
    covariances : ndarray of shape (K, D, D)""",
}

_MALFORMED = """TypeError, ValueError
        If an argument is malformed (the message names it), as for
        :class:`gmmlab.MixtureParams` and :func:`{}`."""


def shared_doc(calls=None):
    """Fill a reference's docstring with the shared parts it names in braces.

    ``{X_AND_MIXTURE}`` (X, weights, means, covariances), ``{MIXTURE_ARGUMENTS}``
    (weights, means, covariances), ``{FITTED_ARRAYS}`` (weights, means, covariances
    returned) and ``{MALFORMED}`` (the TypeError and ValueError of a malformed
    argument, as for :class:`gmmlab.MixtureParams` and the function ``calls``).
    """

    def fill(function):
        doc = function.__doc__
        for placeholder, text in _PARTS.items():
            doc = doc.replace(placeholder, text)
        if calls is not None:
            doc = doc.replace("{MALFORMED}", _MALFORMED.format(calls))
        function.__doc__ = doc
        return function

    return fill


def worst_entry(value, target, rtol):
    """The index of ``value``'s entry farthest from ``target`` past ``rtol``, or None.

    Each entry counts relative to itself, and to the largest of ``target`` times 1e-12
    (an entry near 0 need not match to ``rtol`` of itself).
    """
    scale = max(np.abs(target).max(), 1e-300)
    error = np.abs(value - target) / (rtol * np.abs(target) + 1e-12 * scale)
    if (error <= 1).all():
        return None
    return np.unravel_index(np.argmax(error), error.shape)


def as_arrays(got, names):
    """``got``, the tuple of ``names`` an exercise returns, as float arrays; or a problem.

    Returns ``(arrays, None)``, or ``(None, message)`` saying what is wrong.
    """
    ending = f"end with `return {', '.join(names)}`"
    if got is None:
        return None, f"your function returned None: {ending}"
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        what = type(got).__name__
        if isinstance(got, (tuple, list)):
            what = f"a {what} of {len(got)}"
        kind = "pair" if len(names) == 2 else "tuple"
        return None, f"expected the {kind} ({', '.join(names)}), got {what}: {ending}"
    arrays = []
    for name, value in zip(names, got, strict=True):
        array, problem = _as_float_array(value, name)
        if problem:
            return None, problem.replace("your function returned None", f"{name} is None")
        arrays.append(array)
    return arrays, None


# -- the M-step's tuple, for lessons 7 and 12 -----------------------------------------

#: The three arrays an M-step returns, in order (lessons 7 and 12).
M_STEP_PARTS = ("weights", "means", "covariances")


def _m_step_sizes(case):
    """D, K and the N_k of an M-step case: from X and resp, or from the sums."""
    arguments = case.arguments
    if "resp" in arguments:
        resp = arguments["resp"]
        return arguments["X"].shape[1], resp.shape[1], resp.sum(axis=0)
    nk = np.asarray(arguments["nk"], dtype=float)
    return np.shape(arguments["sum_x"])[1], len(nk), nk


def validate_m_step(got, expected, case):
    """validate() of the M-step's tuple (weights, means, covariances), for both exercises."""
    d, k, nk = _m_step_sizes(case)
    from_sums = "resp" not in case.arguments
    if isinstance(got, MixtureParams):
        unpacked = (
            "the cells below unpack `weights, means, covariances = "
            "my_m_step_from_sums(nk, sum_x, sum_xxT)`"
            if from_sums
            else "the lesson's loop unpacks `weights, means, covariances = my_m_step(X, resp)`"
        )
        return None, (
            f"your function returned a gmmlab.MixtureParams, but {unpacked}: end with "
            "`return weights, means, covariances` (from a MixtureParams p: "
            "`return p.weights, p.means, p.covariances`)"
        )
    arrays, problem = as_arrays(got, M_STEP_PARTS)
    if problem:
        return None, problem
    shapes = {"weights": (k,), "means": (k, d), "covariances": (k, d, d)}
    got_shapes = [array.shape for array in arrays]
    if got_shapes != list(shapes.values()) and sorted(got_shapes) == sorted(shapes.values()):
        order = ", ".join(M_STEP_PARTS[list(shapes.values()).index(s)] for s in got_shapes)
        return None, (
            f"the shapes say you returned ({order}): "
            "return them in the order weights, means, covariances"
        )
    for name, array in zip(M_STEP_PARTS, arrays, strict=True):
        expected_shape = shapes[name]
        if array.shape == expected_shape:
            continue
        hint = ""
        if name == "weights" and array.shape in ((1, k), (k, 1)):
            hint = ": sum over the points without keepdims (or flatten with .ravel())"
        elif name == "means" and array.shape == (d, k):
            hint = (
                ": it looks transposed (one column per component); divide each row of sum_x "
                "by its N_k: sum_x / nk[:, np.newaxis]"
                if from_sums
                else ": it looks transposed (one column per component); use resp.T @ X"
            )
        elif name == "means" and from_sums and array.shape == (k, k):
            hint = (
                ": divide each row of sum_x by its own N_k, sum_x / nk[:, np.newaxis] "
                "(sum_x / nk divides column j by N_j)"
            )
        elif name == "covariances" and from_sums and array.ndim == 3:
            hint = (
                ": μ_k μ_kᵀ is one D x D outer product per component, shaped like "
                "Σ_i γ_ik x_i x_iᵀ: means[:, :, np.newaxis] * means[:, np.newaxis, :] "
                "(or np.outer(means[k], means[k]) for each k)"
            )
        elif name == "covariances" and d == 1 and array.shape == (k,):
            hint = (
                ": with one feature np.cov returns a single number; keep each covariance "
                "a D x D matrix (np.atleast_2d, or the outer-product formula)"
            )
        elif name == "covariances" and array.shape == (k, d):
            hint = ": one full D x D matrix per component, not only its diagonal"
        elif name == "covariances" and array.shape == (d, d):
            hint = ": one D x D matrix per component, stacked into shape (K, D, D)"
        return None, (
            f"{name} should have shape {expected_shape} (K = {k}, D = {d}), "
            f"got {array.shape}{hint}"
        )
    for name, array in zip(M_STEP_PARTS, arrays, strict=True):
        bad = ~np.isfinite(array)
        if bad.any():
            j = int(np.argwhere(bad)[0][0])
            why = (
                "check each division: every N_k of this case is above 0"
                if from_sums
                else "Every point counts for every component, weighted by γ_ik; an "
                "average over the points whose largest γ is k can be empty"
            )
            return None, (
                f"{name}[{j}] contains NaN or inf (this case has N_{j} = {nk[j]:.2g}): "
                f"a 0/0? {why}"
            )
    return tuple(arrays), None


def compare_m_step(got, expected, case):
    """compare() of the M-step's tuple: the first entry past M_STEP_RTOL, or None."""
    for part, (name, value, target) in enumerate(zip(M_STEP_PARTS, got, expected, strict=True)):
        where = worst_entry(value, target, M_STEP_RTOL)
        if where is None:
            continue
        index = ", ".join(str(int(i)) for i in where)
        label = f"{name}[{where[0]}]" if len(where) == 1 else f"{name}[{index}]"
        if name == "means":
            label = f"mean of component {where[0]}, entry {where[1]},"
        elif name == "covariances":
            label = f"covariance of component {where[0]}, entry [{where[1]}, {where[2]}],"
        return Difference(f"{label} {_pair(value[where], target[where])}", part)
    return None
