r"""Cases and helpers shared by the log-likelihood, E-step and M-step checkers."""

from __future__ import annotations

import numpy as np

from ..em import e_step
from ..params import MixtureParams
from ._framework import Case

# -- the cases -----------------------------------------------------------------


def _iris_2d():
    from ..datasets import load_iris_features

    return load_iris_features(("petal length", "petal width")).X


def _iris_params():
    """Three components near the fit of 2-D Iris that k-means++ starts reach, fixed here."""
    return MixtureParams(
        weights=[0.333, 0.3, 0.367],
        means=[[1.462, 0.246], [4.29, 1.35], [5.55, 2.03]],
        covariances=[
            [[0.030, 0.006], [0.006, 0.011]],
            [[0.200, 0.070], [0.070, 0.040]],
            [[0.300, 0.050], [0.050, 0.070]],
        ],
    )


def _mixture_case(name, X, params, note=""):
    arguments = {
        "X": np.asarray(X, dtype=float),
        "weights": params.weights,
        "means": params.means,
        "covariances": params.covariances,
    }
    return Case(name, arguments, note)


def _small_case():
    return _mixture_case(
        "one feature, two components, three points",
        [[-1.0], [1.0], [3.0]],
        MixtureParams([0.3, 0.7], [[0.0], [2.0]], [[[1.0]], [[4.0]]]),
        note="this case has K = 2 components and D = 1 feature, not the lesson's 3 and 2",
    )


def _iris_case():
    return _mixture_case(
        "Iris petals, three components",
        _iris_2d(),
        _iris_params(),
        note="the Iris components are tilted ellipses: Σ_k's off-diagonal entries matter",
    )


_FAR_POINT = (40.0, 40.0)

_FAR_WHY = (
    "the last point, (40, 40), is so far from every component that each "
    "π_k N(x|μ_k,Σ_k) underflows to 0.0 (components 1 and 2 share it: "
    "γ = 0.375 and 0.625)"
)

_FAR_NOTE = (
    f"{_FAR_WHY}. A small number added to avoid 0/0 or log(0) hides that but gives "
    "a wrong answer: work with logarithms and the log-sum-exp trick"
)

_LOG_SUM_EXP = (
    "Work with logarithms: a_ik = log π_k + log N(x_i|μ_k,Σ_k), take each row's own "
    "maximum m_i = max_k a_ik (a.max(axis=1, keepdims=True), not one maximum for the "
    "whole array) and exponentiate a_ik − m_i"
)


def _has_far_point(case):
    return any(tuple(x) == _FAR_POINT for x in case.arguments["X"])


def _far_case():
    """Three round components of one size; (3, 3) is as far from each, (40, 40) far from all."""
    return _mixture_case(
        "a point far from every component",
        [[0.0, 0.0], [6.0, 0.0], [0.0, 6.0], [3.0, 3.0], _FAR_POINT],
        MixtureParams([0.2, 0.3, 0.5], [[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]], [np.eye(2)] * 3),
        note=_FAR_NOTE,
    )


def _tiny_weight_case():
    """One feature; component 2 sits between the others with a weight of 1e-12."""
    return _mixture_case(
        "a component with a tiny weight (π_2 = 1e-12)",
        np.linspace(-1.0, 4.0, 11)[:, np.newaxis],
        MixtureParams(
            [0.5, 0.5 - 1e-12, 1e-12], [[0.0], [3.0], [1.5]], [[[1.0]], [[1.0]], [[0.25]]]
        ),
        note="component 2's weight is 1e-12, so its responsibilities are about 1e-12 "
        "and must still be right to 6 digits. A small number added to avoid log(0) "
        "or 0/0 (such as 1e-10) swamps them: leave such guards out; in log space "
        "none is needed",
    )


def _outlier_case():
    """One feature; only component 2, of weight 1e-12, explains the point x = 30."""
    return _mixture_case(
        "an outlier that only a component with a tiny weight explains (π_2 = 1e-12)",
        [[-1.0], [0.0], [1.0], [2.0], [3.0], [30.0]],
        MixtureParams(
            [0.3, 0.7 - 1e-12, 1e-12], [[0.0], [2.0], [30.0]], [[[1.0]], [[4.0]], [[1.0]]]
        ),
        note="log p(30) ≈ log π_2 + log N(30|μ_2,σ_2²) = log(1e-12) - 0.92: a small "
        "number added to the weights or densities to avoid log(0) (such as 1e-10) "
        "changes it completely; leave such guards out",
    )


def _e_step_cases():
    return [_small_case(), _iris_case(), _far_case(), _tiny_weight_case()]


def _log_likelihood_cases():
    return [_small_case(), _iris_case(), _far_case(), _outlier_case()]


def _m_step_cases():
    from ..datasets import load_iris_features

    iris = _iris_2d()
    soft = e_step(iris, _iris_params())
    width = load_iris_features(("petal width",)).X
    rng = np.random.default_rng(0)
    few = rng.dirichlet([1.0, 1.0], size=len(width)) * (1 - 1e-5)
    few = np.column_stack([few, np.full(len(width), 1e-5)])
    few /= few.sum(axis=1, keepdims=True)
    hard = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1]], dtype=float)
    return [
        Case(
            "one feature, hard responsibilities (0 or 1)",
            {"X": np.array([[0.0], [2.0], [10.0], [11.0], [12.0]]), "resp": hard},
            note="this case has K = 2 components and D = 1 feature, not the lesson's 3 and 2",
        ),
        Case(
            "Iris petals, soft responsibilities",
            {"X": iris, "resp": soft},
            note="every point counts for every component, weighted by γ_ik",
        ),
        Case(
            "a component with few points (N_2 ≈ 0.0015)",
            {"X": width, "resp": few},
            note="component 2 has N_2 ≈ 0.0015, so a small number added to N_k or to "
            "resp (a guard against dividing by 0, such as 1e-10) is not small next to "
            "it: leave such guards out",
        ),
    ]


# -- helpers for the mistakes: the terms a_ik = log pi_k + log N(x_i | mu_k, Sigma_k) -------


def _log_terms(X, weights, means, covariances, precision=None, half_log_det=0.5):
    """a_ik, optionally with a wrong precision matrix or log-determinant factor."""
    n_features = X.shape[1]
    terms = np.empty((len(X), len(weights)))
    for k, (mean, cov) in enumerate(zip(means, covariances, strict=True)):
        diff = X - mean
        inverse = np.linalg.inv(cov) if precision is None else precision(cov)
        mahalanobis_sq = np.einsum("ij,jk,ik->i", diff, inverse, diff)
        log_det = np.linalg.slogdet(cov)[1]
        terms[:, k] = (
            np.log(weights[k])
            - 0.5 * n_features * np.log(2 * np.pi)
            - half_log_det * log_det
            - 0.5 * mahalanobis_sq
        )
    return terms


def _diagonal(covariances):
    return np.stack([np.diag(np.diag(c)) for c in covariances])


def _uniform(weights):
    return np.full(len(weights), 1.0 / len(weights))
