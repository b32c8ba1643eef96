"""The exercise on the E-step (lesson 6, `check_e_step`).

CORRECT: implementations in other styles than gmmlab's, which must pass. WRONG: the
mistakes learners make, each with the words of its hint. tests/test_check.py runs the shared
tests over every exercise's two lists; the tests below are this exercise's own.
"""

import math

import numpy as np

import gmmlab
from tests.check_support import LazyAttr, Wrong, by_hand_density, e_step_sklearn, log_terms

logsumexp = LazyAttr("scipy.special", "logsumexp")
softmax = LazyAttr("scipy.special", "softmax")
multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")
norm = LazyAttr("scipy.stats", "norm")


def e_step_scipy(X, weights, means, covariances):
    return softmax(log_terms(X, weights, means, covariances), axis=1)


def e_step_loops(X, weights, means, covariances):
    """Point by point, component by component, with math and an explicit inverse."""
    n, d = X.shape
    resp = np.zeros((n, len(weights)))
    for i in range(n):
        logs = []
        for k in range(len(weights)):
            diff = X[i] - means[k]
            d2 = diff @ np.linalg.inv(covariances[k]) @ diff
            sign, log_det = np.linalg.slogdet(covariances[k])
            logs.append(math.log(weights[k]) - 0.5 * (d * math.log(2 * math.pi) + log_det + d2))
        largest = max(logs)
        total = sum(math.exp(v - largest) for v in logs)
        resp[i] = [math.exp(v - largest) / total for v in logs]
    return resp


def e_step_einsum(X, weights, means, covariances):
    """Cholesky factors and einsum."""
    L = np.linalg.cholesky(covariances)
    diff = X[:, None, :] - means[None]  # (N, K, D)
    z = np.linalg.solve(L[None], diff[..., None])[..., 0]
    log_det = 2 * np.log(np.diagonal(L, axis1=1, axis2=2)).sum(axis=1)
    a = np.log(weights) - 0.5 * (np.einsum("nkd,nkd->nk", z, z) + log_det)
    return np.exp(a - logsumexp(a, axis=1, keepdims=True))


def e_step_range_3(X, weights, means, covariances):
    a = np.zeros((len(X), 3))
    for k in range(3):  # the lesson has three components
        a[:, k] = np.log(weights[k]) + gmmlab.log_gaussian_pdf(X, means[k], covariances[k])
    a = a - a.max(axis=1, keepdims=True)
    return np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)


def e_step_feature_by_feature(X, weights, means, covariances):
    a = np.column_stack(
        [
            np.log(weights[k])
            + norm.logpdf(X, means[k], np.sqrt(np.diag(covariances[k]))).sum(axis=1)
            for k in range(len(weights))
        ]
    )
    a -= a.max(axis=1, keepdims=True)
    return np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)


def e_step_direct(X, weights, means, covariances):
    terms = np.column_stack(
        [
            weights[k] * multivariate_normal(means[k], covariances[k]).pdf(X).reshape(len(X))
            for k in range(len(weights))
        ]
    )
    return terms / terms.sum(axis=1, keepdims=True)


def e_step_log_guard(X, weights, means, covariances):
    a = np.column_stack(
        [
            np.log(weights[k] + 1e-10) + gmmlab.log_gaussian_pdf(X, means[k], covariances[k])
            for k in range(len(weights))
        ]
    )  # + 1e-10: never take log(0)
    a -= a.max(axis=1, keepdims=True)
    return np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)


def e_step_not_normalised(X, weights, means, covariances):
    a = log_terms(X, weights, means, covariances)
    return np.exp(a - a.max(axis=1, keepdims=True))


def e_step_no_weights(X, weights, means, covariances):
    a = np.column_stack(
        [gmmlab.log_gaussian_pdf(X, means[k], covariances[k]) for k in range(len(weights))]
    )
    a -= a.max(axis=1, keepdims=True)
    return np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)


def e_step_one_max(X, weights, means, covariances):
    a = log_terms(X, weights, means, covariances)
    a = a - a.max()
    return np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)


def e_step_guarded_ratio(X, weights, means, covariances):
    terms = np.exp(log_terms(X, weights, means, covariances))
    return terms / (terms.sum(axis=1, keepdims=True) + 1e-12)  # no division by 0


def e_step_columns(X, weights, means, covariances):
    a = log_terms(X, weights, means, covariances)
    return np.exp(a - logsumexp(a, axis=0))


def e_step_transposed(X, weights, means, covariances):
    return e_step_scipy(X, weights, means, covariances).T


def e_step_no_keepdims(X, weights, means, covariances):
    a = log_terms(X, weights, means, covariances)
    a = a - a.max(axis=1)
    return np.exp(a) / np.exp(a).sum(axis=1)


def e_step_sigma_not_inverse(X, weights, means, covariances):
    terms = np.column_stack(
        [
            weights[k] * by_hand_density(X, means[k], covariances[k], inverse=lambda c: c)
            for k in range(len(weights))
        ]
    )
    return terms / terms.sum(axis=1, keepdims=True)


def e_step_det_not_sqrt(X, weights, means, covariances):
    terms = np.column_stack(
        [
            weights[k] * by_hand_density(X, means[k], covariances[k], det_power=1.0)
            for k in range(len(weights))
        ]
    )
    return terms / terms.sum(axis=1, keepdims=True)


def e_step_rows_slightly_off(X, weights, means, covariances):
    return e_step_scipy(X, weights, means, covariances) * (1 + 5e-6)


CORRECT = {"check_e_step": [e_step_scipy, e_step_loops, e_step_einsum, e_step_sklearn]}

WRONG = [
    Wrong("check_e_step", e_step_range_3, "does your code assume the lesson's sizes"),
    Wrong("check_e_step", e_step_feature_by_feature, "ignores the off-diagonal entries of Σ_k"),
    Wrong("check_e_step", e_step_direct, "so a direct ratio is 0/0"),
    Wrong("check_e_step", e_step_log_guard, "(such as 1e-10) swamps them"),
    Wrong("check_e_step", e_step_not_normalised, "each row's largest value is exactly 1"),
    Wrong("check_e_step", e_step_no_weights, "without the weights"),
    Wrong("check_e_step", e_step_one_max, "not one maximum for the whole array"),
    Wrong("check_e_step", e_step_guarded_ratio, "sums to 0, not 1: the last point, (40, 40)"),
    Wrong("check_e_step", e_step_columns, "you normalised over the points (axis=0)"),
    Wrong("check_e_step", e_step_transposed, "it looks transposed"),
    Wrong("check_e_step", e_step_no_keepdims, "keep it with keepdims=True"),
    Wrong("check_e_step", e_step_sigma_not_inverse, "uses Σ_k where it needs its inverse"),
    Wrong("check_e_step", e_step_det_not_sqrt, "where it needs its square root"),
    Wrong("check_e_step", e_step_rows_slightly_off, "sums to 1 + 5e-06, not 1"),
]
