"""The exercise on the M-step (lesson 7, `check_m_step`).

CORRECT: implementations in other styles than gmmlab's, which must pass. WRONG: the
mistakes learners make, each with the words of its hint. tests/test_check.py runs the shared
tests over every exercise's two lists; the tests below are this exercise's own.
"""

import numpy as np

import gmmlab
from tests.check_support import Wrong


def m_step_loops(X, resp):
    """np.average and np.cov with the weights, component by component."""
    n_components = resp.shape[1]
    weights = resp.sum(axis=0) / len(X)
    means = np.array([np.average(X, axis=0, weights=resp[:, k]) for k in range(n_components)])
    covariances = np.array(
        [
            np.atleast_2d(np.cov(X, rowvar=False, aweights=resp[:, k], bias=True))
            for k in range(n_components)
        ]
    )
    return weights, means, covariances


def m_step_einsum(X, resp):
    """scikit-learn's style, including its harmless 10 * eps guard on N_k."""
    nk = resp.sum(axis=0) + 10 * np.finfo(float).eps
    means = resp.T @ X / nk[:, None]
    diff = X[None] - means[:, None]  # (K, N, D)
    covariances = np.einsum("nk,kni,knj->kij", resp, diff, diff) / nk[:, None, None]
    return nk / len(X), means, covariances


def m_step_sums(X, resp):
    """Second moments first: E[x x^T] - mu mu^T, as a chunked M-step would."""
    nk = resp.sum(axis=0)
    means = resp.T @ X / nk[:, None]
    second = np.einsum("nk,ni,nj->kij", resp, X, X) / nk[:, None, None]
    return nk / nk.sum(), means, second - np.einsum("ki,kj->kij", means, means)


CORRECT = {"check_m_step": [m_step_loops, m_step_einsum, m_step_sums]}


def m_step_range_3(X, resp):
    nk = resp.sum(axis=0)
    means = np.array([resp[:, k] @ X / nk[k] for k in range(3)])  # the lesson's K = 3
    covariances = np.array(
        [(resp[:, k, None] * (X - means[k])).T @ (X - means[k]) / nk[k] for k in range(3)]
    )
    return nk / len(X), means, covariances


def m_step_variances_only(X, resp):
    nk = resp.sum(axis=0)
    means = resp.T @ X / nk[:, None]
    variances = [resp[:, k] @ (X - means[k]) ** 2 / nk[k] for k in range(len(nk))]
    return nk / len(X), means, np.array([np.diag(v) for v in variances])


def m_step_guarded_nk(X, resp):
    nk = resp.sum(axis=0) + 1e-10  # never divide by 0
    means = resp.T @ X / nk[:, None]
    covariances = np.array(
        [(resp[:, k, None] * (X - means[k])).T @ (X - means[k]) / nk[k] for k in range(len(nk))]
    )
    return nk / len(X), means, covariances


def m_step_weights_are_nk(X, resp):
    _, means, covariances = m_step_loops(X, resp)
    return resp.sum(axis=0), means, covariances


def m_step_means_over_n(X, resp):
    weights, _, covariances = m_step_loops(X, resp)
    return weights, resp.T @ X / len(X), covariances


def m_step_covariances_over_n(X, resp):
    weights, means, _ = m_step_loops(X, resp)
    covariances = np.array(
        [
            (resp[:, k, None] * (X - means[k])).T @ (X - means[k]) / len(X)
            for k in range(len(weights))
        ]
    )
    return weights, means, covariances


def m_step_transposed_means(X, resp):
    nk = resp.sum(axis=0)
    means = X.T @ resp / nk  # (D, K)
    covariances = np.array(
        [
            (resp[:, k, None] * (X - means[:, k])).T @ (X - means[:, k]) / nk[k]
            for k in range(len(nk))
        ]
    )
    return nk / len(X), means, covariances


def m_step_np_cov_unweighted(X, resp):
    weights, means, _ = m_step_loops(X, resp)
    return weights, means, np.array([np.cov(X.T) for _ in weights])


def m_step_np_cov_default(X, resp):
    weights, means, _ = m_step_loops(X, resp)
    return (
        weights,
        means,
        np.array([np.cov(X.T, aweights=resp[:, k]) for k in range(len(weights))]),
    )


def m_step_np_cov_rows(X, resp):
    weights, means, _ = m_step_loops(X, resp)
    covariances = [np.cov(X, aweights=resp[:, k], bias=True) for k in range(len(weights))]
    return weights, means, np.array(covariances)


def m_step_returns_params(X, resp):
    return gmmlab.m_step(X, resp, reg_covar=0.0)


def m_step_reg_covar(X, resp):
    weights, means, covariances = m_step_loops(X, resp)
    return weights, means, covariances + 1e-6 * np.eye(X.shape[1])


def m_step_gamma_twice(X, resp):
    nk = resp.sum(axis=0)
    means = resp.T @ X / nk[:, None]
    covariances = []
    for k in range(len(nk)):
        weighted = resp[:, k, None] * (X - means[k])
        covariances.append(weighted.T @ weighted / nk[k])
    return nk / len(X), means, np.array(covariances)


def m_step_hard_groups(X, resp):
    labels = resp.argmax(axis=1)
    K = resp.shape[1]
    weights = np.bincount(labels, minlength=K) / len(X)
    means = np.array([X[labels == k].mean(axis=0) for k in range(K)])
    covariances = np.array([np.atleast_2d(np.cov(X[labels == k].T, bias=True)) for k in range(K)])
    return weights, means, covariances


def m_step_wrong_order(X, resp):
    weights, means, covariances = m_step_loops(X, resp)
    return means, weights, covariances


def m_step_offsets_from_average(X, resp):
    weights, means, _ = m_step_loops(X, resp)
    diff = X - X.mean(axis=0)
    covariances = [
        (resp[:, k, None] * diff).T @ diff / resp[:, k].sum() for k in range(len(weights))
    ]
    return weights, means, np.array(covariances)


WRONG = [
    Wrong("check_m_step", m_step_range_3, "does your code assume the lesson's sizes"),
    Wrong("check_m_step", m_step_variances_only, "not only the variances of each feature"),
    Wrong("check_m_step", m_step_guarded_nk, "is not small next to it"),
    Wrong("check_m_step", m_step_weights_are_nk, "these are the N_k"),
    Wrong("check_m_step", m_step_means_over_n, "by N_k, not by N"),
    Wrong("check_m_step", m_step_covariances_over_n, "divide by N_k, not by N"),
    Wrong("check_m_step", m_step_transposed_means, "it looks transposed"),
    Wrong("check_m_step", m_step_np_cov_unweighted, "np.cov without weights"),
    Wrong("check_m_step", m_step_np_cov_default, "pass bias=True"),
    Wrong("check_m_step", m_step_np_cov_rows, "pass X.T (or rowvar=False)"),
    Wrong("check_m_step", m_step_returns_params, "returned a gmmlab.MixtureParams"),
    Wrong("check_m_step", m_step_reg_covar, "that is reg_covar"),
    Wrong("check_m_step", m_step_gamma_twice, "weighted by γ_ik twice"),
    Wrong("check_m_step", m_step_hard_groups, "(hard counts)"),
    Wrong("check_m_step", m_step_wrong_order, "in the order weights, means, covariances"),
    Wrong("check_m_step", m_step_offsets_from_average, "offsets from the plain average of X"),
]
