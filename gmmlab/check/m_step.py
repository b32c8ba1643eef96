r"""The lesson 7 exercise: the learner's M-step, checked."""

from __future__ import annotations

import numpy as np

from ..em import m_step
from ..params import MixtureParams
from ._cases import _diagonal, _m_step_cases
from ._framework import M_STEP_RTOL, Checker, Difference, Mistake, _pair
from ._shared import CHECKER_RETURNS, as_arrays, shared_doc, worst_entry


@shared_doc()
def reference_m_step(X, resp):
    r"""gmmlab's M-step without ``reg_covar``, called as the lesson 7 exercise is.

    .. math::

        N_k = \sum_i \gamma_{ik}, \quad \pi_k = \frac{N_k}{N}, \quad
        \mu_k = \frac{1}{N_k} \sum_i \gamma_{ik} x_i, \quad
        \Sigma_k = \frac{1}{N_k} \sum_i \gamma_{ik} (x_i - \mu_k)(x_i - \mu_k)^\top

    Parameters
    ----------
    X : array-like of shape (N, D)
    resp : array-like of shape (N, K)

    Returns
    -------
    {FITTED_ARRAYS}

    Raises
    ------
    TypeError, ValueError
        If ``X`` or ``resp`` is malformed (the message names it), as for
        :func:`gmmlab.m_step`.
    ComponentCollapseError
        If a component has no points, or a singular covariance.

    Examples
    --------
    >>> X, resp = [[0.0], [2.0], [10.0], [12.0]], [[1, 0], [1, 0], [0, 1], [0, 1]]
    >>> weights, means, covariances = reference_m_step(X, resp)
    >>> means.ravel().tolist(), covariances.ravel().tolist()
    ([1.0, 11.0], [1.0, 1.0])
    """
    params = m_step(X, resp, reg_covar=0.0)
    return params.weights.copy(), params.means.copy(), params.covariances.copy()


# -- M-step --------------------------------------------------------------------

_PARTS = ("weights", "means", "covariances")


def _m_step_sizes(case):
    """D, K and the N_k of an M-step case: from X and resp, or from the sums."""
    arguments = case.arguments
    if "resp" in arguments:
        resp = arguments["resp"]
        return arguments["X"].shape[1], resp.shape[1], resp.sum(axis=0)
    nk = np.asarray(arguments["nk"], dtype=float)
    return np.shape(arguments["sum_x"])[1], len(nk), nk


def _validate_params(got, expected, case):
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
    arrays, problem = as_arrays(got, _PARTS)
    if problem:
        return None, problem
    shapes = {"weights": (k,), "means": (k, d), "covariances": (k, d, d)}
    got_shapes = [array.shape for array in arrays]
    if got_shapes != list(shapes.values()) and sorted(got_shapes) == sorted(shapes.values()):
        order = ", ".join(_PARTS[list(shapes.values()).index(s)] for s in got_shapes)
        return None, (
            f"the shapes say you returned ({order}): "
            "return them in the order weights, means, covariances"
        )
    for name, array in zip(_PARTS, arrays, strict=True):
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
    for name, array in zip(_PARTS, arrays, strict=True):
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


def _compare_params(got, expected, case):
    for part, (name, value, target) in enumerate(zip(_PARTS, got, expected, strict=True)):
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


def _m_parts(weights=None, means=None, covariances=None):
    """A mistake that changes some parts of the reference M-step's answer."""

    def returns(X, resp):
        right = reference_m_step(X, resp)
        nk = resp.sum(axis=0)
        changed = {"weights": weights, "means": means, "covariances": covariances}
        return tuple(
            right[i] if changed[name] is None else changed[name](X, resp, nk, *right)
            for i, name in enumerate(_PARTS)
        )

    return returns


def _scatter(X, resp, means, power=1.0):
    """Σ_i γ_ik^power (x_i − μ_k)(x_i − μ_k)ᵀ for each k."""
    return np.stack(
        [
            (resp[:, k, None] ** power * (X - means[k])).T @ (X - means[k])
            for k in range(resp.shape[1])
        ]
    )


def _np_cov_default(X, resp, nk, weights, means, covariances):
    """np.cov(X.T, aweights=resp[:, k]): divides by N_k - sum(gamma^2) / N_k."""
    correction = nk / (nk - (resp**2).sum(axis=0) / nk)
    return covariances * correction[:, None, None]


def _hard_means(X, resp, nk, weights, means, covariances):
    labels = resp.argmax(axis=1)
    return np.stack([X[labels == k].mean(axis=0) for k in range(resp.shape[1])])


M_STEP_MISTAKES = (
    Mistake(
        "these are the N_k; divide them by N to get π_k = N_k / N",
        _m_parts(weights=lambda X, resp, nk, *right: nk),
    ),
    Mistake(
        "these are the shares of the points whose largest γ is k (hard counts): "
        "π_k = N_k / N with N_k = Σ_i γ_ik, the sum of the soft responsibilities",
        _m_parts(
            weights=lambda X, resp, nk, *right: (
                np.bincount(resp.argmax(axis=1), minlength=resp.shape[1]) / len(X)
            )
        ),
    ),
    Mistake(
        "divide the weighted sum Σ_i γ_ik x_i by N_k, not by N",
        _m_parts(means=lambda X, resp, nk, *right: resp.T @ X / len(X)),
    ),
    Mistake(
        "every mean equals the plain average of X: weight each x_i by γ_ik",
        _m_parts(means=lambda X, resp, nk, *right: np.tile(X.mean(axis=0), (len(nk), 1))),
    ),
    Mistake(
        "these are the averages of the points whose largest γ is k (hard groups): the "
        "M-step weights every point by γ_ik, including those another component wins",
        _m_parts(means=_hard_means),
    ),
    Mistake(
        "divide by N_k, not by N",
        _m_parts(covariances=lambda X, resp, nk, w, m, c: c * (nk / len(X))[:, None, None]),
    ),
    Mistake(
        "the diagonal is right but not the off-diagonal entries: use the outer product "
        "(x_i − μ_k)(x_i − μ_k)ᵀ, a D x D matrix, not only the variances of each feature",
        _m_parts(covariances=lambda X, resp, nk, w, m, c: _diagonal(c)),
    ),
    Mistake(
        "that is reg_covar = 1e-6 added to the diagonal (what gmmlab.m_step does by "
        "default): leave it out, the checker compares the plain formula; the lesson's "
        "loop adds reg_covar itself",
        _m_parts(covariances=lambda X, resp, nk, w, m, c: c + 1e-6 * np.eye(X.shape[1])),
    ),
    Mistake(
        "every component got the covariance of all the points, np.cov without weights: "
        "pass aweights=resp[:, k] and bias=True",
        _m_parts(
            covariances=lambda X, resp, nk, w, m, c: np.tile(
                np.atleast_2d(np.cov(X.T)), (len(nk), 1, 1)
            )
        ),
    ),
    Mistake(
        "np.cov divides by N_k − Σ_i γ_ik²/N_k by default (its ddof=1 correction), the "
        "M-step by N_k: pass bias=True",
        _m_parts(covariances=_np_cov_default),
    ),
    Mistake(
        "each offset is weighted by γ_ik twice (γ_ik² in the sum): multiply by γ_ik on "
        "one side of the outer product only",
        _m_parts(
            covariances=lambda X, resp, nk, w, m, c: _scatter(X, resp, m, 2.0) / nk[:, None, None]
        ),
    ),
    Mistake(
        "these are offsets from the plain average of X: use the component's new mean μ_k",
        _m_parts(
            covariances=lambda X, resp, nk, w, m, c: (
                _scatter(X, resp, np.tile(X.mean(axis=0), (len(nk), 1))) / nk[:, None, None]
            )
        ),
    ),
)


check_m_step = Checker(
    "check_m_step",
    exercise="my_m_step",
    reference=reference_m_step,
    what="your M-step",
    compared_with="gmmlab.m_step",
    reference_label="gmmlab's reference M-step",
    cases=_m_step_cases,
    validate=_validate_params,
    compare=_compare_params,
    mistakes=M_STEP_MISTAKES,
    doc=r"""Check a learner's M-step against :func:`gmmlab.m_step` with ``reg_covar=0``.

    .. math::

        N_k = \sum_{i=1}^{N} \gamma_{ik}, \quad \pi_k = \frac{N_k}{N}, \quad
        \mu_k = \frac{1}{N_k} \sum_{i=1}^{N} \gamma_{ik}\, x_i, \quad
        \Sigma_k = \frac{1}{N_k} \sum_{i=1}^{N} \gamma_{ik} (x_i - \mu_k)(x_i - \mu_k)^\top

    Parameters
    ----------
    function : callable
        ``my_m_step(X, resp)`` returning the tuple ``(weights, means,
        covariances)`` with shapes (K,), (K, D), (K, D, D); X is (N, D),
        resp (N, K).
    """
    + CHECKER_RETURNS,
)
