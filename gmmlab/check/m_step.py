r"""The lesson 7 exercise: the learner's M-step, checked."""

from __future__ import annotations

import numpy as np

from ..em import m_step
from ._cases import _diagonal, _m_step_cases
from ._framework import Checker, Mistake
from ._shared import CHECKER_RETURNS, M_STEP_PARTS, compare_m_step, shared_doc, validate_m_step


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

def _m_parts(weights=None, means=None, covariances=None):
    """A mistake that changes some parts of the reference M-step's answer."""

    def returns(X, resp):
        right = reference_m_step(X, resp)
        nk = resp.sum(axis=0)
        changed = {"weights": weights, "means": means, "covariances": covariances}
        return tuple(
            right[i] if changed[name] is None else changed[name](X, resp, nk, *right)
            for i, name in enumerate(M_STEP_PARTS)
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
    validate=validate_m_step,
    compare=compare_m_step,
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
