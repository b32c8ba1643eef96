r"""The lesson 5 exercise: the learner's log-likelihood, checked."""

from __future__ import annotations

import math

import numpy as np

from ..em import log_likelihood
from ..params import MixtureParams
from ._cases import (
    _FAR_WHY,
    _LOG_SUM_EXP,
    _diagonal,
    _has_far_point,
    _log_likelihood_cases,
    _log_terms,
)
from ._framework import LOG_LIKELIHOOD_RTOL, Checker, Difference, Mistake, _pair
from ._shared import CHECKER_RETURNS, shared_doc


def logsumexp(*args, **kwargs):
    """scipy.special.logsumexp, imported on first use (a grading kernel may need no SciPy)."""
    from scipy.special import logsumexp as scipy_logsumexp

    return scipy_logsumexp(*args, **kwargs)


@shared_doc(calls="gmmlab.log_likelihood")
def reference_log_likelihood(X, weights, means, covariances):
    r"""gmmlab's log-likelihood, called as the lesson 5 exercise is.

    .. math::

        \ell(\theta) = \sum_{i=1}^{N} \log \sum_{k=0}^{K-1}
                       \pi_k\,\mathcal{N}(x_i \mid \mu_k, \Sigma_k)

    Parameters
    ----------
    {X_AND_MIXTURE}

    Returns
    -------
    float

    Raises
    ------
    {MALFORMED}

    Examples
    --------
    >>> round(reference_log_likelihood([[0.0]], [1.0], [[0.0]], [[[1.0]]]), 4)
    -0.9189
    """
    return log_likelihood(X, MixtureParams(weights, means, covariances))


# -- log-likelihood ------------------------------------------------------------


def _validate_number(got, expected, case):
    if got is None:
        return None, "your function returned None: did you forget `return`?"
    if isinstance(got, (str, bytes, MixtureParams)):
        return None, f"expected one number, got {type(got).__name__}"
    try:
        array = np.asarray(got)
        value = float(array.reshape(()))
    except (TypeError, ValueError):
        shape = np.shape(got) if isinstance(got, (np.ndarray, list, tuple)) else None
        if shape:
            n = case.arguments["X"].shape[0]
            extra = (
                f": one value per point; add them up (ℓ is the sum over the N = {n} points)"
                if shape in ((n,), (n, 1))
                else ""
            )
            return None, f"expected one number, got an array of shape {shape}{extra}"
        return None, f"expected one number, got {type(got).__name__}"
    if np.iscomplexobj(array):
        return None, "expected a real number, got a complex one"
    if not np.isfinite(value):
        message = f"got {value}, expected {expected:.6g}"
        if _has_far_point(case) and value == -np.inf:
            message += (
                f": {_FAR_WHY}, so log(0) = -inf. {_LOG_SUM_EXP}; then "
                "log p(x_i) = m_i + log Σ_k exp(a_ik − m_i)"
            )
        return None, message
    return value, None


def _compare_number(value, expected, case):
    if math.isclose(value, expected, rel_tol=LOG_LIKELIHOOD_RTOL, abs_tol=LOG_LIKELIHOOD_RTOL):
        return None
    return Difference(f"ℓ {_pair(value, expected)}")


def _ll_without_weights(X, weights, means, covariances):
    return logsumexp(_log_terms(X, np.ones(len(weights)), means, covariances), axis=1).sum()


def _ll_terms(function):
    """A mistake computed from the terms a_ik."""
    return lambda X, weights, means, covariances: function(
        _log_terms(X, weights, means, covariances)
    )


def _ll_two_d_normaliser(X, weights, means, covariances):
    n, d = X.shape
    correct = logsumexp(_log_terms(X, weights, means, covariances), axis=1).sum()
    return correct + n * (d / 2 - 1) * np.log(2 * np.pi)


def _ll_weighted_logs(X, weights, means, covariances):
    log_densities = _log_terms(X, np.ones(len(weights)), means, covariances)
    return (log_densities * weights).sum()


LOG_LIKELIHOOD_MISTAKES = (
    Mistake(
        "this is the value without the weights π_k: add log π_k to each "
        "log N(x_i|μ_k,Σ_k) (or multiply each density by π_k)",
        _ll_without_weights,
    ),
    Mistake(
        "this is the average over the points, ℓ/N (what scikit-learn's score() "
        "returns): ℓ(θ) is their sum",
        lambda *args: reference_log_likelihood(*args) / len(args[0]),
    ),
    Mistake(
        "you added up the logs of the K terms, Σ_k log(π_k N(x_i|μ_k,Σ_k)); ℓ takes the "
        "log of their sum, log Σ_k π_k N(x_i|μ_k,Σ_k): use log-sum-exp over k",
        _ll_terms(lambda a: a.sum()),
    ),
    Mistake(
        "you computed Σ_k π_k log N(x_i|μ_k,Σ_k), the weights outside the log; ℓ is "
        "log Σ_k π_k N(x_i|μ_k,Σ_k) (by Jensen's inequality the first is smaller)",
        _ll_weighted_logs,
    ),
    Mistake(
        "you subtracted each point's largest term m_i = max_k a_ik but did not add it "
        "back: log Σ_k exp(a_ik) = m_i + log Σ_k exp(a_ik − m_i)",
        _ll_terms(lambda a: np.log(np.exp(a - a.max(axis=1, keepdims=True)).sum(axis=1)).sum()),
    ),
    Mistake(
        "this is Σ_i max_k a_ik, each point's largest term only: add "
        "log Σ_k exp(a_ik − m_i) to each point's maximum m_i",
        _ll_terms(lambda a: a.max(axis=1).sum()),
    ),
    Mistake(
        "you took log-sum-exp over the points (axis=0) for each component; ℓ takes it "
        "over the components k (axis=1) for each point, then adds up the N results",
        _ll_terms(lambda a: logsumexp(a, axis=0).sum()),
    ),
    Mistake(
        "one log-sum-exp over all points and components together gives log Σ_i p(x_i); "
        "take it over k for each point (axis=1), then add up the N results",
        _ll_terms(lambda a: logsumexp(a)),
    ),
    Mistake(
        "check the sign: ℓ is a sum of logs of densities", lambda *a: -reference_log_likelihood(*a)
    ),
    Mistake(
        "this is log base 10: use the natural logarithm, np.log",
        lambda *args: reference_log_likelihood(*args) / np.log(10.0),
    ),
    Mistake(
        "this is the likelihood L = Π_i p(x_i) itself; ℓ is its logarithm, "
        "computed as a sum of logs (the product underflows)",
        lambda *args: np.exp(reference_log_likelihood(*args)),
    ),
    Mistake(
        "your Gaussian's normalising factor is 1/(2π √det Σ_k), right for D = 2 only: "
        "in D dimensions it is 1/((2π)^(D/2) √det Σ_k), and this case has D = 1",
        _ll_two_d_normaliser,
    ),
    Mistake(
        "this is the value for diagonal covariances: your density ignores the off-diagonal "
        "entries of Σ_k; use the full (x_i − μ_k)ᵀ Σ_k⁻¹ (x_i − μ_k), e.g. through "
        "gmmlab.log_gaussian_pdf",
        lambda X, w, m, c: reference_log_likelihood(X, w, m, _diagonal(c)),
    ),
)


check_log_likelihood = Checker(
    "check_log_likelihood",
    exercise="my_log_likelihood",
    reference=reference_log_likelihood,
    what="your log-likelihood",
    compared_with="gmmlab.log_likelihood",
    reference_label="gmmlab's reference log-likelihood",
    cases=_log_likelihood_cases,
    validate=_validate_number,
    compare=_compare_number,
    mistakes=LOG_LIKELIHOOD_MISTAKES,
    doc=r"""Check a learner's log-likelihood against :func:`gmmlab.log_likelihood`.

    .. math::

        \ell(\theta) = \sum_{i=1}^{N} \log \sum_{k=0}^{K-1}
                       \pi_k\,\mathcal{N}(x_i \mid \mu_k, \Sigma_k)

    Parameters
    ----------
    function : callable
        ``my_log_likelihood(X, weights, means, covariances)`` returning
        :math:`\ell(\theta)`, one number; X is (N, D), weights (K,), means
        (K, D), covariances (K, D, D).
    """
    + CHECKER_RETURNS,
)
