r"""The lesson 12 exercise: the M-step from the three sums, checked."""

from __future__ import annotations

import numpy as np

from ._cases import _diagonal, _m_step_cases
from ._framework import Case, Checker, Mistake
from ._shared import CHECKER_RETURNS, M_STEP_PARTS, compare_m_step, shared_doc, validate_m_step

# -- the M-step from the three sums ----------------------------------------------------


@shared_doc()
def reference_m_step_from_sums(nk, sum_x, sum_xxT):
    r"""gmmlab's M-step from the three sums, called as the lesson 12 exercise is.

    .. math::

        \pi_k = \frac{N_k}{N}, \quad N = \sum_k N_k, \qquad
        \mu_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i, \qquad
        \Sigma_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i x_i^\top - \mu_k \mu_k^\top

    without ``reg_covar``: :func:`gmmlab.params_from_statistics` with ``reg_covar=0``
    computes the same from statistics kept in centred form.

    Parameters
    ----------
    nk : array-like of shape (K,)
        :math:`N_k = \sum_i \gamma_{ik}`, each > 0.
    sum_x : array-like of shape (K, D)
        :math:`\sum_i \gamma_{ik} x_i`, one row per component.
    sum_xxT : array-like of shape (K, D, D)
        :math:`\sum_i \gamma_{ik} x_i x_i^\top`, one D x D matrix per component.

    Returns
    -------
    {FITTED_ARRAYS}

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If the shapes disagree, a value is NaN or infinite, or an N_k is not > 0
        (the message names the argument).

    Examples
    --------
    >>> # the points 0 and 2 (component 0), 10, 11 and 12 (component 1)
    >>> weights, means, covariances = reference_m_step_from_sums(
    ...     [2.0, 3.0], [[2.0], [33.0]], [[[4.0]], [[365.0]]])
    >>> weights.tolist(), means.ravel().tolist(), covariances.ravel().round(4).tolist()
    ([0.4, 0.6], [1.0, 11.0], [1.0, 0.6667])
    """
    from .._validation import as_float_array, ensure_finite

    nk = as_float_array(nk, "nk")
    sum_x = as_float_array(sum_x, "sum_x")
    sum_xxT = as_float_array(sum_xxT, "sum_xxT")
    if nk.ndim != 1 or nk.size == 0:
        raise ValueError(f"nk must be a 1-D array of K >= 1 numbers, got shape {nk.shape}")
    k = nk.shape[0]
    if sum_x.ndim != 2 or sum_x.shape[0] != k or sum_x.shape[1] == 0:
        raise ValueError(f"sum_x must have shape (K, D) with K = {k}, got shape {sum_x.shape}")
    d = sum_x.shape[1]
    if sum_xxT.shape != (k, d, d):
        raise ValueError(
            f"sum_xxT must have shape (K, D, D) = {(k, d, d)}, got shape {sum_xxT.shape}"
        )
    for name, value in (("nk", nk), ("sum_x", sum_x), ("sum_xxT", sum_xxT)):
        ensure_finite(value, name)
    if (nk <= 0).any():
        j = int(np.flatnonzero(nk <= 0)[0])
        raise ValueError(
            f"nk must be > 0 for every component (a mean needs points); nk[{j}] = {nk[j]}"
        )
    means = sum_x / nk[:, np.newaxis]
    outer = means[:, :, np.newaxis] * means[:, np.newaxis, :]  # mu_k mu_k^T
    covariances = sum_xxT / nk[:, np.newaxis, np.newaxis] - outer
    return nk / nk.sum(), means, covariances


def _sums_case(name, X, resp, note):
    from ..statistics import sufficient_statistics

    statistics = sufficient_statistics(X, resp)
    arguments = {"nk": statistics.nk, "sum_x": statistics.sum_x, "sum_xxT": statistics.sum_xxT}
    return Case(name, arguments, note)


def _m_step_from_sums_cases():
    """The M-step exercise's cases, each reduced to its three sums."""
    hard, iris, few = _m_step_cases()
    return [
        _sums_case(
            "one feature, two components: the sums of five points",
            *hard.arguments.values(),
            note="this case has K = 2 components and D = 1 feature, not the lesson's 3 and 2",
        ),
        _sums_case(
            "Iris petals, soft responsibilities",
            *iris.arguments.values(),
            note="the Iris components are tilted ellipses: Σ_k's off-diagonal entries matter",
        ),
        _sums_case(
            "a component with few points (N_2 ≈ 0.0015)",
            *few.arguments.values(),
            note=few.note,
        ),
    ]


def _sums_parts(weights=None, means=None, covariances=None):
    """A mistake that changes some parts of the reference answer, from (nk, sum_x, sum_xxT)."""

    def returns(nk, sum_x, sum_xxT):
        right = reference_m_step_from_sums(nk, sum_x, sum_xxT)
        changed = {"weights": weights, "means": means, "covariances": covariances}
        return tuple(
            right[i] if changed[name] is None else changed[name](nk, sum_x, sum_xxT, *right)
            for i, name in enumerate(M_STEP_PARTS)
        )

    return returns


def _outer(vectors):
    """v_k v_k^T for each row v_k, shape (K, D, D)."""
    return vectors[:, :, np.newaxis] * vectors[:, np.newaxis, :]


M_STEP_FROM_SUMS_MISTAKES = (
    Mistake(
        "these are the N_k; divide them by N = Σ_k N_k (nk.sum()) to get π_k = N_k / N",
        _sums_parts(weights=lambda nk, *rest: nk),
    ),
    Mistake(
        "len(nk) is K, the number of components; N, the number of points, is "
        "Σ_k N_k = nk.sum(): π_k = N_k / N",
        _sums_parts(weights=lambda nk, *rest: nk / len(nk)),
    ),
    Mistake(
        "divide Σ_i γ_ik x_i by N_k (nk[:, np.newaxis]), not by N",
        _sums_parts(means=lambda nk, sum_x, *rest: sum_x / nk.sum()),
    ),
    Mistake(
        "these are the sums Σ_i γ_ik x_i themselves: divide each row by its N_k to get μ_k",
        _sums_parts(means=lambda nk, sum_x, *rest: sum_x),
    ),
    Mistake(
        "this is (1/N_k) Σ_i γ_ik x_i x_iᵀ, the spread about the origin: subtract "
        "μ_k μ_kᵀ to get the spread about the mean μ_k",
        _sums_parts(covariances=lambda nk, sum_x, sum_xxT, *rest: sum_xxT / nk[:, None, None]),
    ),
    Mistake(
        "divide Σ_i γ_ik x_i x_iᵀ by N_k, not by N",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, w, m, c: sum_xxT / nk.sum() - _outer(m)
        ),
    ),
    Mistake(
        "subtract μ_k μ_kᵀ after dividing by N_k: Σ_k = (1/N_k) Σ_i γ_ik x_i x_iᵀ − μ_k μ_kᵀ "
        "(or subtract N_k μ_k μ_kᵀ before you divide)",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, w, m, c: (
                (sum_xxT - _outer(m)) / nk[:, None, None]
            )
        ),
    ),
    Mistake(
        "(Σ_i γ_ik x_i)(Σ_i γ_ik x_i)ᵀ is N_k² μ_k μ_kᵀ: divide it by N_k twice (or use "
        "μ_k μ_kᵀ)",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, *rest: (
                (sum_xxT - _outer(sum_x)) / nk[:, None, None]
            )
        ),
    ),
    Mistake(
        "the diagonal is right but not the off-diagonal entries: μ_k μ_kᵀ is an outer "
        "product, a D x D matrix (np.outer(μ_k, μ_k)), not only the squares μ_k² on the "
        "diagonal",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, w, m, c: (
                sum_xxT / nk[:, None, None] - _diagonal(_outer(m))
            )
        ),
    ),
    Mistake(
        "this divides by N_k − 1, as the unbiased sample covariance does; the M-step's "
        "maximum-likelihood covariance divides by N_k",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, w, m, c: (
                (sum_xxT - nk[:, None, None] * _outer(m)) / (nk - 1)[:, None, None]
            )
        ),
    ),
    Mistake(
        "that is reg_covar = 1e-6 added to the diagonal (what gmmlab.params_from_statistics "
        "does by default): leave it out, the checker compares the plain formula",
        _sums_parts(covariances=lambda nk, sx, sxx, w, m, c: c + 1e-6 * np.eye(m.shape[1])),
    ),
    Mistake(
        "check the sign: Σ_k = (1/N_k) Σ_i γ_ik x_i x_iᵀ − μ_k μ_kᵀ, whose diagonal (the "
        "variances) is positive",
        _sums_parts(covariances=lambda nk, sum_x, sum_xxT, w, m, c: -c),
    ),
)


check_m_step_from_sums = Checker(
    "check_m_step_from_sums",
    exercise="my_m_step_from_sums",
    reference=reference_m_step_from_sums,
    what="your M-step from the three sums",
    compared_with="gmmlab.params_from_statistics",
    reference_label="gmmlab's reference M-step from the sums",
    cases=_m_step_from_sums_cases,
    validate=validate_m_step,
    compare=compare_m_step,
    mistakes=M_STEP_FROM_SUMS_MISTAKES,
    error_hints=(
        (
            ValueError,
            r"could not be broadcast together with shapes \(\d+,\d+,\d+\) \(\d+,\d+\)",
            "Σ_i γ_ik x_i x_iᵀ is (K, D, D) and this term is (K, D): μ_k μ_kᵀ is one D x D "
            "outer product per component, means[:, :, np.newaxis] * means[:, np.newaxis, :]",
        ),
        (
            ValueError,
            r"could not be broadcast together with shapes \(\d+,\d+\) \(\d+,\)",
            "sum_x is (K, D) and nk is (K,): divide each row of sum_x by its own N_k, "
            "sum_x / nk[:, np.newaxis]",
        ),
    ),
    doc=r"""Check a learner's M-step from the three sums against
    :func:`gmmlab.params_from_statistics` with ``reg_covar=0``.

    .. math::

        \pi_k = \frac{N_k}{N}, \quad \mu_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i, \quad
        \Sigma_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i x_i^\top - \mu_k \mu_k^\top

    Parameters
    ----------
    function : callable
        ``my_m_step_from_sums(nk, sum_x, sum_xxT)`` returning the tuple ``(weights,
        means, covariances)`` with shapes (K,), (K, D), (K, D, D); nk is (K,), sum_x
        (K, D), sum_xxT (K, D, D).
    """
    + CHECKER_RETURNS,
)
