r"""The lesson 6 exercise: the learner's E-step, checked."""

from __future__ import annotations

import numpy as np

from ..em import e_step
from ..params import MixtureParams
from ._cases import (
    _FAR_POINT,
    _FAR_WHY,
    _LOG_SUM_EXP,
    _diagonal,
    _e_step_cases,
    _log_terms,
    _uniform,
)
from ._framework import (
    RTOL,
    Checker,
    Difference,
    Mistake,
    _as_float_array,
    _pair,
    _point,
    _sum_text,
)
from ._shared import CHECKER_RETURNS, shared_doc


def logsumexp(*args, **kwargs):
    """scipy.special.logsumexp, imported on first use (a grading kernel may need no SciPy)."""
    from scipy.special import logsumexp as scipy_logsumexp

    return scipy_logsumexp(*args, **kwargs)

def softmax(*args, **kwargs):
    """scipy.special.softmax, imported on first use (a grading kernel may need no SciPy)."""
    from scipy.special import softmax as scipy_softmax

    return scipy_softmax(*args, **kwargs)


def _e_terms(**options):
    """A mistake computed from the terms a_ik (with wrong options), normalised per row."""
    return lambda X, weights, means, covariances: softmax(
        _log_terms(X, weights, means, covariances, **options), axis=1
    )


@shared_doc(calls="gmmlab.e_step")
def reference_e_step(X, weights, means, covariances):
    r"""gmmlab's E-step, called as the lesson 6 exercise is.

    .. math::

        \gamma_{ik} = \frac{\pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}
                           {\sum_j \pi_j \, \mathcal{N}(x_i \mid \mu_j, \Sigma_j)}

    Parameters
    ----------
    {X_AND_MIXTURE}

    Returns
    -------
    resp : ndarray of shape (N, K)

    Raises
    ------
    {MALFORMED}

    Examples
    --------
    >>> reference_e_step([[0.0]], [0.5, 0.5], [[-1.0], [1.0]], [[[1.0]], [[1.0]]])
    array([[0.5, 0.5]])
    """
    return e_step(X, MixtureParams(weights, means, covariances))


# -- E-step --------------------------------------------------------------------


def _validate_resp(got, expected, case):
    resp, problem = _as_float_array(got, "resp")
    if problem:
        return None, problem
    n, k = expected.shape
    if resp.shape != expected.shape:
        hint = ""
        if resp.shape == (k, n):
            hint = ": it looks transposed; rows are points, columns components"
        elif resp.shape == (n,):
            hint = ": one number per point; return all K responsibilities of each point"
        return (
            None,
            f"expected an array of shape (N, K) = {expected.shape}, got {resp.shape}{hint}",
        )
    bad = ~np.isfinite(resp)
    if bad.any():
        i = int(np.argwhere(bad)[0][0])
        message = f"row {i} (point {_point(case, i)}) contains NaN or inf"
        if tuple(case.arguments["X"][i]) == _FAR_POINT:
            message += (
                f": {_FAR_WHY}, so a direct ratio is 0/0. {_LOG_SUM_EXP}, then divide "
                "each row by its sum"
            )
        return None, message
    if (resp < 0).any():
        i, j = (int(v) for v in np.argwhere(resp < 0)[0])
        return (
            None,
            f"γ[{i}, {j}] = {resp[i, j]:.3g} is negative; responsibilities are probabilities",
        )
    return resp, None


def _compare_resp(resp, expected, case):
    sums, expected_sums = resp.sum(axis=1), expected.sum(axis=1)
    off = np.abs(sums - expected_sums) > RTOL
    if off.any():
        i = int(np.flatnonzero(off)[0])
        target = "1" if abs(expected_sums[i] - 1) < RTOL else _sum_text(expected_sums[i])
        far = tuple(case.arguments["X"][i]) == _FAR_POINT
        return Difference(
            f"row {i} (point {_point(case, i)}) sums to {_sum_text(sums[i])}, not {target}",
            hint=""
            if far
            else "a row holds one point's memberships: divide each "
            "π_k N(x_i|μ_k,Σ_k) by the row's total Σ_j π_j N(x_i|μ_j,Σ_j)",
        )
    # each component's responsibilities count relative to its own largest one: a
    # component of weight 1e-12 has responsibilities near 1e-12 that must still be right
    scale = np.maximum(np.abs(expected).max(axis=0), 1e-300)
    error = np.abs(resp - expected) / (RTOL * np.abs(expected) + 1e-8 * scale)
    if (error <= 1).all():
        return None
    i, j = np.unravel_index(np.argmax(error), error.shape)
    return Difference(
        f"γ[{i}, {j}] (point {_point(case, i)}, component {j}) {_pair(resp[i, j], expected[i, j])}"
    )


E_STEP_MISTAKES = (
    Mistake(
        "these are the responsibilities without the weights: multiply each "
        "N(x_i|μ_k,Σ_k) by π_k (in logs, add log π_k)",
        lambda X, w, m, c: reference_e_step(X, _uniform(w), m, c),
    ),
    Mistake(
        "each row's largest value is exactly 1: you subtracted the row's maximum and "
        "exponentiated, now divide each row by its sum",
        lambda X, w, m, c: np.exp(
            _log_terms(X, w, m, c) - _log_terms(X, w, m, c).max(axis=1, keepdims=True)
        ),
    ),
    Mistake(
        "these rows hold π_k N(x_i|μ_k,Σ_k) themselves: divide each row by its sum "
        "Σ_j π_j N(x_i|μ_j,Σ_j)",
        lambda X, w, m, c: np.exp(_log_terms(X, w, m, c)),
    ),
    Mistake(
        "each column sums to 1: you normalised over the points (axis=0); normalise each "
        "row instead, dividing by its sum over the components (axis=1, keepdims=True)",
        lambda X, w, m, c: np.exp(
            _log_terms(X, w, m, c) - logsumexp(_log_terms(X, w, m, c), axis=0)
        ),
    ),
    Mistake(
        "these are the responsibilities for diagonal covariances: your density ignores "
        "the off-diagonal entries of Σ_k (how the features vary together); use the full "
        "(x_i − μ_k)ᵀ Σ_k⁻¹ (x_i − μ_k), e.g. through gmmlab.log_gaussian_pdf",
        lambda X, w, m, c: reference_e_step(X, w, m, _diagonal(c)),
    ),
    Mistake(
        "your distance uses Σ_k where it needs its inverse: (x_i − μ_k)ᵀ Σ_k⁻¹ (x_i − μ_k)",
        _e_terms(precision=lambda cov: cov),
    ),
    Mistake(
        "your normalising factor divides by det Σ_k where it needs its square root, √det Σ_k",
        _e_terms(half_log_det=1.0),
    ),
    Mistake(
        "the columns are in the wrong order: column k is component k",
        lambda *args: reference_e_step(*args)[:, ::-1],
    ),
)


check_e_step = Checker(
    "check_e_step",
    exercise="my_e_step",
    reference=reference_e_step,
    what="your E-step",
    compared_with="gmmlab.e_step",
    reference_label="gmmlab's reference E-step",
    cases=_e_step_cases,
    validate=_validate_resp,
    compare=_compare_resp,
    mistakes=E_STEP_MISTAKES,
    doc=r"""Check a learner's E-step, the responsibilities, against :func:`gmmlab.e_step`.

    .. math::

        \gamma_{ik} = \frac{\pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}
                           {\sum_{j=0}^{K-1} \pi_j \, \mathcal{N}(x_i \mid \mu_j, \Sigma_j)}

    Parameters
    ----------
    function : callable
        ``my_e_step(X, weights, means, covariances)`` returning the (N, K)
        responsibilities :math:`\gamma_{ik}`; X is (N, D), weights (K,),
        means (K, D), covariances (K, D, D).
    """
    + CHECKER_RETURNS,
)
