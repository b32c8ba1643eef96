"""The exercise checkers teach: each typical mistake gets its hint, each case earns its place.

The wrong implementations below are written as learners write them (the bugs are the
ones seen in first attempts: a lesson's size hard-coded, a 1-D formula generalised
feature by feature, a direct ratio of densities, a "small number" guard, a forgotten
normalisation or weight...). The correct ones are written in other styles than
gmmlab's (loops, einsum, scipy, scikit-learn) and must pass.
"""

import contextlib
import dataclasses
import inspect
import io
import math

import numpy as np
import pytest
from scipy.special import logsumexp, softmax
from scipy.stats import multivariate_normal, norm

import gmmlab
from gmmlab.check import (
    CHECKERS,
    Case,
    Checker,
    Feedback,
    Mistake,
    check_anomalies,
    check_e_step,
    check_log_likelihood,
    check_m_step,
    check_m_step_from_sums,
    use_if_correct,
)

# -- correct implementations, in other styles than gmmlab's ------------------------------


def log_terms(X, weights, means, covariances):
    """a_ik = log pi_k + log N(x_i | mu_k, Sigma_k), with scipy."""
    return np.column_stack(
        [
            np.log(w) + multivariate_normal(m, c).logpdf(X).reshape(len(X))
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
    )


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


def sklearn_model(weights, means, covariances):
    from sklearn.mixture import GaussianMixture

    gm = GaussianMixture(len(weights))
    gm.weights_, gm.means_, gm.covariances_ = weights, means, covariances
    gm.precisions_cholesky_ = np.linalg.cholesky(np.linalg.inv(covariances))
    return gm


def e_step_sklearn(X, weights, means, covariances):
    return sklearn_model(weights, means, covariances).predict_proba(X)


def log_likelihood_scipy(X, weights, means, covariances):
    return logsumexp(log_terms(X, weights, means, covariances), axis=1).sum()


def log_likelihood_loops(X, weights, means, covariances):
    total = 0.0
    for x in X:
        logs = [
            math.log(w) + multivariate_normal(m, c).logpdf(x)
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
        m = max(logs)
        total += m + math.log(sum(math.exp(v - m) for v in logs))
    return total


def log_likelihood_sklearn(X, weights, means, covariances):
    return sklearn_model(weights, means, covariances).score_samples(X).sum()


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


def sums_loops(nk, sum_x, sum_xxT):
    """Component by component, with np.outer."""
    weights = nk / nk.sum()
    means, covariances = [], []
    for k in range(len(nk)):
        mean = sum_x[k] / nk[k]
        means.append(mean)
        covariances.append(sum_xxT[k] / nk[k] - np.outer(mean, mean))
    return weights, np.array(means), np.array(covariances)


def sums_einsum(nk, sum_x, sum_xxT):
    """N_k mu_k mu_k^T subtracted before dividing, with einsum."""
    means = sum_x / nk[:, None]
    scatter = sum_xxT - np.einsum("k,ki,kj->kij", nk, means, means)
    return nk / nk.sum(), means, scatter / nk[:, None, None]


def sums_through_gmmlab(nk, sum_x, sum_xxT):
    """The centred statistics built by hand, then gmmlab's own M-step."""
    means = sum_x / nk[:, None]
    spread = sum_xxT / nk[:, None, None] - np.einsum("ki,kj->kij", means, means)
    params = gmmlab.params_from_statistics(
        gmmlab.SufficientStatistics(nk, means, spread), reg_covar=0.0
    )
    return params.weights, params.means, params.covariances
def anomalies_scipy(X_train, X_new, weights, means, covariances, percent):
    """scipy's densities, np.quantile with a fraction."""
    log_p_train = logsumexp(log_terms(X_train, weights, means, covariances), axis=1)
    log_p_new = logsumexp(log_terms(X_new, weights, means, covariances), axis=1)
    return log_p_new < np.quantile(log_p_train, percent / 100)


def anomalies_sklearn(X_train, X_new, weights, means, covariances, percent):
    """Géron's recipe: score_samples and np.percentile."""
    model = sklearn_model(weights, means, covariances)
    threshold = np.percentile(model.score_samples(X_train), percent)
    return model.score_samples(X_new) < threshold


def anomalies_gmmlab(X_train, X_new, weights, means, covariances, percent):
    params = gmmlab.MixtureParams(weights, means, covariances)
    threshold = np.percentile(gmmlab.log_mixture_pdf(X_train, params), percent)
    return [bool(v < threshold) for v in gmmlab.log_mixture_pdf(X_new, params)]  # a list


def anomalies_densities(X_train, X_new, weights, means, covariances, percent):
    """Densities instead of log-densities, and 0/1 integers: the same flags."""
    params = gmmlab.MixtureParams(weights, means, covariances)
    threshold = np.percentile(gmmlab.mixture_pdf(X_train, params), percent)
    return (gmmlab.mixture_pdf(X_new, params) < threshold).astype(int)


CORRECT = {
    "check_anomalies": [
        anomalies_gmmlab,
        anomalies_scipy,
        anomalies_sklearn,
        anomalies_densities,
    ],
    "check_e_step": [e_step_scipy, e_step_loops, e_step_einsum, e_step_sklearn],
    "check_log_likelihood": [log_likelihood_scipy, log_likelihood_loops, log_likelihood_sklearn],
    "check_m_step": [m_step_loops, m_step_einsum, m_step_sums],
    "check_m_step_from_sums": [sums_loops, sums_einsum, sums_through_gmmlab],
}


@pytest.mark.parametrize(
    ("checker", "function"),
    [(name, f) for name, functions in CORRECT.items() for f in functions],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_correct_implementations_in_other_styles_pass(checker, function):
    feedback = CHECKERS[checker](function)
    assert feedback.passed, repr(feedback)
    assert f"All {len(feedback.cases)} cases pass" in repr(feedback)


def test_references_pass_and_agree_with_scikit_learn():
    for checker in CHECKERS.values():
        assert checker(checker.reference).passed
    # the cases' expected answers come from gmmlab; scikit-learn agrees on them
    for case in check_e_step.cases:
        np.testing.assert_allclose(
            check_e_step.reference(*case.copies()), e_step_sklearn(*case.copies()), atol=1e-12
        )


# -- wrong implementations, as learners write them ------------------------------------------


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


def by_hand_density(x, mean, cov, inverse=np.linalg.inv, det_power=0.5):
    """Lesson 5's by-hand 2-D density, with the two places learners get wrong."""
    diff = x - mean
    d2 = np.einsum("ij,jk,ik->i", diff, inverse(cov), diff)
    return np.exp(-d2 / 2) / (2 * np.pi * np.linalg.det(cov) ** det_power)


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


def ll_range_3(X, weights, means, covariances):
    a = np.column_stack(
        [
            np.log(weights[k]) + gmmlab.log_gaussian_pdf(X, means[k], covariances[k])
            for k in range(3)
        ]
    )
    return logsumexp(a, axis=1).sum()


def ll_feature_by_feature(X, weights, means, covariances):
    a = np.column_stack(
        [
            np.log(weights[k])
            + norm.logpdf(X, means[k], np.sqrt(np.diag(covariances[k]))).sum(axis=1)
            for k in range(len(weights))
        ]
    )
    return logsumexp(a, axis=1).sum()


def ll_direct(X, weights, means, covariances):
    p = sum(
        weights[k] * multivariate_normal(means[k], covariances[k]).pdf(X).reshape(len(X))
        for k in range(len(weights))
    )
    return np.log(p).sum()


def ll_log_guard(X, weights, means, covariances):
    a = np.column_stack(
        [
            np.log(weights[k] + 1e-10) + gmmlab.log_gaussian_pdf(X, means[k], covariances[k])
            for k in range(len(weights))
        ]
    )
    return logsumexp(a, axis=1).sum()


def ll_no_weights(X, weights, means, covariances):
    a = np.column_stack(
        [gmmlab.log_gaussian_pdf(X, means[k], covariances[k]) for k in range(len(weights))]
    )
    return logsumexp(a, axis=1).sum()


def ll_mean(X, weights, means, covariances):
    return logsumexp(log_terms(X, weights, means, covariances), axis=1).mean()


def ll_logs_inside(X, weights, means, covariances):
    total = 0.0
    for k in range(len(weights)):
        total += (np.log(weights[k]) + gmmlab.log_gaussian_pdf(X, means[k], covariances[k])).sum()
    return total


def ll_weights_outside_log(X, weights, means, covariances):
    return sum(
        weights[k] * gmmlab.log_gaussian_pdf(X, means[k], covariances[k]).sum()
        for k in range(len(weights))
    )


def ll_max_not_added_back(X, weights, means, covariances):
    a = log_terms(X, weights, means, covariances)
    m = a.max(axis=1, keepdims=True)
    return np.log(np.exp(a - m).sum(axis=1)).sum()


def ll_wrong_axis(X, weights, means, covariances):
    return logsumexp(log_terms(X, weights, means, covariances), axis=0).sum()


def ll_per_point(X, weights, means, covariances):
    return logsumexp(log_terms(X, weights, means, covariances), axis=1)


def ll_one_max(X, weights, means, covariances):
    a = log_terms(X, weights, means, covariances)
    m = a.max()
    return (m + np.log(np.exp(a - m).sum(axis=1))).sum()


def ll_log_of_guarded_sum(X, weights, means, covariances):
    p = np.exp(log_terms(X, weights, means, covariances)).sum(axis=1)
    return np.log(p + 1e-300).sum()  # never log(0)


def ll_two_d_normaliser(X, weights, means, covariances):
    p = sum(weights[k] * by_hand_density(X, means[k], covariances[k]) for k in range(len(weights)))
    return np.log(p).sum()


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


def sums_range_3(nk, sum_x, sum_xxT):
    means = np.array([sum_x[k] / nk[k] for k in range(3)])  # the lesson's K = 3
    covariances = np.array([sum_xxT[k] / nk[k] - np.outer(means[k], means[k]) for k in range(3)])
    return nk / nk.sum(), means, covariances


def sums_squares_on_the_diagonal(nk, sum_x, sum_xxT):
    means = sum_x / nk[:, None]
    squares = np.array([np.diag(m**2) for m in means])  # mu_k^2, feature by feature
    return nk / nk.sum(), means, sum_xxT / nk[:, None, None] - squares


def sums_guarded_nk(nk, sum_x, sum_xxT):
    nk = nk + 1e-10  # never divide by 0
    means = sum_x / nk[:, None]
    covariances = sum_xxT / nk[:, None, None] - np.einsum("ki,kj->kij", means, means)
    return nk / nk.sum(), means, covariances


def sums_weights_are_nk(nk, sum_x, sum_xxT):
    _, means, covariances = sums_loops(nk, sum_x, sum_xxT)
    return nk, means, covariances


def sums_weights_over_k(nk, sum_x, sum_xxT):
    _, means, covariances = sums_loops(nk, sum_x, sum_xxT)
    return nk / len(nk), means, covariances


def sums_means_over_n(nk, sum_x, sum_xxT):
    weights, _, covariances = sums_loops(nk, sum_x, sum_xxT)
    return weights, sum_x / nk.sum(), covariances


def sums_second_moment(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    return weights, means, sum_xxT / nk[:, None, None]


def sums_subtract_before_dividing(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    outer = np.einsum("ki,kj->kij", means, means)
    return weights, means, (sum_xxT - outer) / nk[:, None, None]


def sums_outer_of_the_sums(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    outer = np.einsum("ki,kj->kij", sum_x, sum_x)
    return weights, means, (sum_xxT - outer) / nk[:, None, None]


def sums_unbiased(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    scatter = sum_xxT - nk[:, None, None] * np.einsum("ki,kj->kij", means, means)
    return weights, means, scatter / (nk - 1)[:, None, None]


def sums_reg_covar(nk, sum_x, sum_xxT):
    weights, means, covariances = sums_loops(nk, sum_x, sum_xxT)
    return weights, means, covariances + 1e-6 * np.eye(means.shape[1])


def sums_wrong_sign(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    return weights, means, np.einsum("ki,kj->kij", means, means) - sum_xxT / nk[:, None, None]


def sums_squares_broadcast(nk, sum_x, sum_xxT):
    means = sum_x / nk[:, None]
    return nk / nk.sum(), means, sum_xxT / nk[:, None, None] - means**2


def sums_nk_without_newaxis(nk, sum_x, sum_xxT):
    means = sum_x / nk
    covariances = sum_xxT / nk[:, None, None] - np.einsum("ki,kj->kij", means, means)
    return nk / nk.sum(), means, covariances


def sums_returns_params(nk, sum_x, sum_xxT):
    return gmmlab.MixtureParams(*sums_loops(nk, sum_x, sum_xxT))
def anomalies_threshold_from_new(X_train, X_new, weights, means, covariances, percent):
    params = gmmlab.MixtureParams(weights, means, covariances)
    log_p_new = gmmlab.log_mixture_pdf(X_new, params)
    return log_p_new < np.percentile(log_p_new, percent)  # the new points' own percentile


def log_p_range_3(X, weights, means, covariances):
    a = np.column_stack(
        [  # the lesson's mixtures have three components
            np.log(weights[k]) + gmmlab.log_gaussian_pdf(X, means[k], covariances[k])
            for k in range(3)
        ]
    )
    return logsumexp(a, axis=1)


def anomalies_range_3(X_train, X_new, weights, means, covariances, percent):
    threshold = np.percentile(log_p_range_3(X_train, weights, means, covariances), percent)
    return log_p_range_3(X_new, weights, means, covariances) < threshold


def log_p_of(X, weights, means, covariances):
    return gmmlab.log_mixture_pdf(X, gmmlab.MixtureParams(weights, means, covariances))


def anomalies_of_training_points(X_train, X_new, weights, means, covariances, percent):
    log_p = log_p_of(X_train, weights, means, covariances)
    return log_p < np.percentile(log_p, percent)


def anomalies_above(X_train, X_new, weights, means, covariances, percent):
    threshold = np.percentile(log_p_of(X_train, weights, means, covariances), percent)
    return log_p_of(X_new, weights, means, covariances) > threshold


def anomalies_upper_percentile(X_train, X_new, weights, means, covariances, percent):
    threshold = np.percentile(log_p_of(X_train, weights, means, covariances), 100 - percent)
    return log_p_of(X_new, weights, means, covariances) < threshold


def anomalies_percent_as_fraction(X_train, X_new, weights, means, covariances, percent):
    threshold = np.percentile(log_p_of(X_train, weights, means, covariances), percent / 100)
    return log_p_of(X_new, weights, means, covariances) < threshold


def anomalies_quantile(X_train, X_new, weights, means, covariances, percent):
    threshold = np.quantile(log_p_of(X_train, weights, means, covariances), percent)
    return log_p_of(X_new, weights, means, covariances) < threshold


def anomalies_sorted_index(X_train, X_new, weights, means, covariances, percent):
    log_p = np.sort(log_p_of(X_train, weights, means, covariances))
    threshold = log_p[int(len(log_p) * percent / 100)]
    return log_p_of(X_new, weights, means, covariances) < threshold


def anomalies_no_weights(X_train, X_new, weights, means, covariances, percent):
    def log_p(X):
        terms = [gmmlab.log_gaussian_pdf(X, m, c) for m, c in zip(means, covariances, strict=True)]
        return logsumexp(terms, axis=0)

    return log_p(X_new) < np.percentile(log_p(X_train), percent)


def anomalies_nearest_mean(X_train, X_new, weights, means, covariances, percent):
    def distance(X):  # to the nearest centre, as K-Means would
        return np.min([np.linalg.norm(X - m, axis=1) for m in means], axis=0)

    return distance(X_new) > np.percentile(distance(X_train), 100 - percent)


def anomalies_largest_term(X_train, X_new, weights, means, covariances, percent):
    def log_p(X):
        return log_terms(X, weights, means, covariances).max(axis=1)

    return log_p(X_new) < np.percentile(log_p(X_train), percent)


def anomalies_feature_by_feature(X_train, X_new, weights, means, covariances, percent):
    def log_p(X):
        a = [
            np.log(w) + norm.logpdf(X, m, np.sqrt(np.diag(c))).sum(axis=1)
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
        return logsumexp(a, axis=0)

    return log_p(X_new) < np.percentile(log_p(X_train), percent)


def anomalies_density_threshold(X_train, X_new, weights, means, covariances, percent):
    params = gmmlab.MixtureParams(weights, means, covariances)
    threshold = np.percentile(gmmlab.mixture_pdf(X_train, params), percent)
    return gmmlab.log_mixture_pdf(X_new, params) < threshold


def anomalies_the_points(X_train, X_new, weights, means, covariances, percent):
    flags = anomalies_gmmlab(X_train, X_new, weights, means, covariances, percent)
    return X_new[np.array(flags)]  # the anomalies themselves, as in Géron's book


def anomalies_indices(X_train, X_new, weights, means, covariances, percent):
    return np.flatnonzero(anomalies_gmmlab(X_train, X_new, weights, means, covariances, percent))


def anomalies_np_where(X_train, X_new, weights, means, covariances, percent):
    threshold = np.percentile(log_p_of(X_train, weights, means, covariances), percent)
    return np.where(log_p_of(X_new, weights, means, covariances) < threshold)


def anomalies_log_p(X_train, X_new, weights, means, covariances, percent):
    return log_p_of(X_new, weights, means, covariances)  # the scores, not the flags


@dataclasses.dataclass
class Wrong:
    checker: str
    function: object
    hint: str  # the words of its specific hint

    def __str__(self):
        return self.function.__name__


WRONG = [
    Wrong("check_anomalies", anomalies_threshold_from_new, "comes from X_new's own"),
    Wrong("check_anomalies", anomalies_range_3, "does your code assume the lesson's sizes"),
    Wrong("check_anomalies", anomalies_of_training_points, "one per point of X_train"),
    Wrong("check_anomalies", anomalies_above, "you flagged the points above the threshold"),
    Wrong("check_anomalies", anomalies_upper_percentile, "the (100 − percent)-th percentile"),
    Wrong("check_anomalies", anomalies_percent_as_fraction, "dividing it by 100 gives"),
    Wrong("check_anomalies", anomalies_quantile, "np.quantile takes a fraction from 0 to 1"),
    Wrong("check_anomalies", anomalies_sorted_index, "np.percentile interpolates between"),
    Wrong("check_anomalies", anomalies_no_weights, "these are the flags without the weights"),
    Wrong("check_anomalies", anomalies_nearest_mean, "distance to the nearest mean"),
    Wrong("check_anomalies", anomalies_largest_term, "you used only each point's largest term"),
    Wrong("check_anomalies", anomalies_feature_by_feature, "flags for diagonal covariances"),
    Wrong("check_anomalies", anomalies_density_threshold, "a percentile of densities"),
    Wrong("check_anomalies", anomalies_the_points, "(X_new[flags]?): return the flags"),
    Wrong("check_anomalies", anomalies_indices, "these look like indices"),
    Wrong("check_anomalies", anomalies_np_where, "you returned a tuple (np.where"),
    Wrong("check_anomalies", anomalies_log_p, "got other numbers (log-densities?)"),
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
    Wrong("check_log_likelihood", ll_range_3, "does your code assume the lesson's sizes"),
    Wrong("check_log_likelihood", ll_feature_by_feature, "ignores the off-diagonal entries"),
    Wrong("check_log_likelihood", ll_direct, "so log(0) = -inf. Work with logarithms"),
    Wrong("check_log_likelihood", ll_log_guard, "changes it completely"),
    Wrong("check_log_likelihood", ll_no_weights, "without the weights π_k"),
    Wrong("check_log_likelihood", ll_mean, "the average over the points"),
    Wrong("check_log_likelihood", ll_logs_inside, "you added up the logs of the K terms"),
    Wrong("check_log_likelihood", ll_weights_outside_log, "the weights outside the log"),
    Wrong("check_log_likelihood", ll_max_not_added_back, "but did not add it back"),
    Wrong("check_log_likelihood", ll_wrong_axis, "over the points (axis=0)"),
    Wrong("check_log_likelihood", ll_per_point, "add them up"),
    Wrong("check_log_likelihood", ll_one_max, "not one maximum for the whole array"),
    Wrong("check_log_likelihood", ll_log_of_guarded_sum, "underflows to 0.0"),
    Wrong("check_log_likelihood", ll_two_d_normaliser, "right for D = 2 only"),
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
    Wrong("check_m_step_from_sums", sums_range_3, "does your code assume the lesson's sizes"),
    Wrong("check_m_step_from_sums", sums_squares_on_the_diagonal, "μ_k μ_kᵀ is an outer product"),
    Wrong("check_m_step_from_sums", sums_guarded_nk, "is not small next to it"),
    Wrong("check_m_step_from_sums", sums_weights_are_nk, "these are the N_k; divide them by N"),
    Wrong("check_m_step_from_sums", sums_weights_over_k, "len(nk) is K, the number of comp"),
    Wrong("check_m_step_from_sums", sums_means_over_n, "(nk[:, np.newaxis]), not by N"),
    Wrong("check_m_step_from_sums", sums_second_moment, "the spread about the origin"),
    Wrong("check_m_step_from_sums", sums_subtract_before_dividing, "after dividing by N_k"),
    Wrong("check_m_step_from_sums", sums_outer_of_the_sums, "divide it by N_k twice"),
    Wrong("check_m_step_from_sums", sums_unbiased, "divides by N_k − 1"),
    Wrong("check_m_step_from_sums", sums_reg_covar, "that is reg_covar"),
    Wrong("check_m_step_from_sums", sums_wrong_sign, "check the sign"),
    Wrong("check_m_step_from_sums", sums_squares_broadcast, "this term is (K, D): μ_k μ_kᵀ"),
    Wrong("check_m_step_from_sums", sums_nk_without_newaxis, "divide each row of sum_x by its"),
    Wrong("check_m_step_from_sums", sums_returns_params, "the cells below unpack"),
]


@pytest.fixture(scope="module")
def verdicts():
    """Each wrong implementation's feedback, computed once."""
    return {str(wrong): CHECKERS[wrong.checker](wrong.function) for wrong in WRONG}


@pytest.mark.parametrize("wrong", WRONG, ids=str)
def test_each_typical_mistake_gets_its_hint(wrong, verdicts):
    feedback = verdicts[str(wrong)]
    assert not feedback.passed
    assert wrong.hint in repr(feedback), repr(feedback)


@pytest.mark.parametrize("checker", sorted(CHECKERS))
def test_each_case_catches_a_mistake_that_every_other_case_lets_through(checker, verdicts):
    names = [case.name for case in CHECKERS[checker].cases]
    caught = {
        str(wrong): [not result.passed for result in verdicts[str(wrong)].cases]
        for wrong in WRONG
        if wrong.checker == checker
    }
    for i, name in enumerate(names):
        only_here = [w for w, row in caught.items() if row[i] and sum(row) == 1]
        assert only_here, f"{checker}: case {name!r} catches nothing the other cases miss"


def test_an_exception_is_shown_once_with_the_learners_line(verdicts):
    text = repr(verdicts["e_step_no_keepdims"])
    line = (
        next(
            number
            for number, source in enumerate(inspect.getsourcelines(e_step_no_keepdims)[0])
            if "a.max(axis=1)" in source
        )
        + inspect.getsourcelines(e_step_no_keepdims)[1]
    )
    assert text.count("your function raised ValueError: operands could not be") == 1
    assert f"in e_step_no_keepdims, line {line}: a = a - a.max(axis=1)" in text
    assert text.count(f"raised the same ValueError as above (line {line})") == 3


def test_an_error_inside_gmmlab_points_at_the_learners_call():
    def my_e_step(X, weights, means, covariances):
        a = np.column_stack(
            [gmmlab.log_gaussian_pdf(X, means, covariances[k]) for k in range(len(weights))]
        )
        return softmax(a, axis=1)

    text = repr(check_e_step(my_e_step))
    assert "raised ValueError: mean must have one entry per feature" in text
    assert "in <listcomp>" in text or "in my_e_step" in text
    assert "gmmlab.log_gaussian_pdf(X, means, covariances[k])" in text


def test_values_that_round_alike_are_shown_with_their_difference(verdicts):
    text = repr(verdicts["m_step_reg_covar"])
    assert (
        "entry [0, 0], is 0.666668, expected 0.666667 (difference 1e-06): that is reg_covar"
        in text
    )
    text = repr(verdicts["e_step_rows_slightly_off"])
    assert "sums to 1, not 1" not in text and "sums to 1 + 5e-06, not 1" in text


def test_a_wrong_signature_is_reported_once():
    def my_e_step(X, params):
        return gmmlab.e_step(X, params)

    feedback = check_e_step(my_e_step)
    text = repr(feedback)
    assert "your function takes (X, params) but the exercise calls it as" in text
    assert text.count("my_e_step(X, weights, means, covariances)") == 1
    assert not any(case.passed for case in feedback.cases)


def test_unwritten_exercise_says_so_once():
    def my_m_step(X, resp):
        raise NotImplementedError("write my_m_step, then run the check below")

    feedback = check_m_step(my_m_step)
    assert [case.message for case in feedback.cases] == [
        "not written yet: replace `raise NotImplementedError(...)` with your code",
        "not written yet",
        "not written yet",
    ]
    assert "0 of 3 cases pass" in repr(feedback)


def test_means_are_never_reshaped_into_place():
    def flat_means(X, resp):
        weights, means, covariances = m_step_loops(X, resp)
        return weights, means.ravel(), covariances

    feedback = check_m_step(flat_means)
    assert not any(case.passed for case in feedback.cases)
    assert "means should have shape (3, 2) (K = 3, D = 2), got (6,)" in repr(feedback)


def test_checker_cases_cannot_be_spoiled_by_the_learner():
    def vandal(X, weights, means, covariances):
        weights[:] = 0
        X[:] = 0
        return e_step_scipy(X, np.full(len(weights), 1 / len(weights)), means, covariances)

    check_e_step(vandal)
    assert check_e_step(e_step_scipy).passed


def test_each_checker_knows_its_exercise():
    assert set(CHECKERS) == {
        "check_e_step",
        "check_m_step",
        "check_log_likelihood",
        "check_m_step_from_sums",
        "check_anomalies",
        "check_em_loop",
    }
    for name, checker in CHECKERS.items():
        assert isinstance(checker, Checker) and checker.name == checker.__name__ == name
        assert checker.exercise == "my_" + name.removeprefix("check_")
        assert "Parameters" in checker.__doc__ and "Feedback" in checker.__doc__
    assert str(check_m_step.signature) == "(X, resp)"
    assert str(check_e_step.signature) == "(X, weights, means, covariances)"
    assert str(check_log_likelihood.signature) == "(X, weights, means, covariances)"
    assert str(check_m_step_from_sums.signature) == "(nk, sum_x, sum_xxT)"


def test_the_sums_cases_are_the_m_step_cases_reduced_to_their_sums():
    """Each sums case holds N_k, sum_i gamma_ik x_i and sum_i gamma_ik x_i x_i^T computed here
    by hand from the M-step case's X and resp, and its expected answer is the M-step's."""
    for sums, full in zip(check_m_step_from_sums.cases, check_m_step.cases, strict=True):
        X, resp = full.copies()
        np.testing.assert_allclose(sums.arguments["nk"], resp.sum(axis=0), rtol=1e-13)
        np.testing.assert_allclose(sums.arguments["sum_x"], resp.T @ X, rtol=1e-13)
        by_hand = np.einsum("ik,id,ie->kde", resp, X, X)
        np.testing.assert_allclose(sums.arguments["sum_xxT"], by_hand, rtol=1e-12)
        for got, expected in zip(
            check_m_step_from_sums.reference(*sums.copies()),
            check_m_step.reference(X, resp),
            strict=True,
        ):
            np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        (([1.0, 0.0], [[1.0], [2.0]], [[[1.0]], [[4.0]]]), ValueError, r"nk\[1\] = 0.0"),
        (([1.0], [1.0], [[[1.0]]]), ValueError, "sum_x must have shape"),
        (([1.0], [[1.0]], [[1.0]]), ValueError, "sum_xxT must have shape"),
        ((["a"], [[1.0]], [[[1.0]]]), TypeError, "nk must be an array of real numbers"),
        (([np.nan], [[1.0]], [[[1.0]]]), ValueError, "nk contains NaN"),
    ],
)
def test_the_sums_reference_names_a_bad_argument(arguments, error, words):
    with pytest.raises(error, match=words):
        check_m_step_from_sums.reference(*arguments)


def test_an_exercise_error_hint_comes_before_the_shared_ones():
    text = repr(check_m_step_from_sums(sums_squares_broadcast))
    assert "this term is (K, D)" in text and "keepdims" not in text
    with pytest.raises(TypeError, match=r"error_hints\[0\] must be a tuple \(exception type"):
        Checker(
            "check_x",
            exercise="my_x",
            reference=lambda x: x,
            what="x",
            compared_with="x",
            reference_label="x",
            cases=list,
            validate=lambda *a: a,
            compare=lambda *a: None,
            error_hints=[("ValueError", "words", "hint")],
        )
    assert (
        str(check_anomalies.signature)
        == "(X_train, X_new, weights, means, covariances, percent)"
    )


def test_a_new_checker_takes_a_few_lines():
    """A newcomer's checker: the reference, cases, validate, compare and one mistake."""

    def reference(x):
        return float(np.mean(x))

    def validate(got, expected, case):
        return (float(got), None) if np.isscalar(got) else (None, "expected one number")

    def compare(got, expected, case):
        return None if math.isclose(got, expected) else gmmlab.check.Difference(f"got {got}")

    check_mean = Checker(
        "check_mean",
        exercise="my_mean",
        reference=reference,
        what="your mean",
        compared_with="numpy.mean",
        reference_label="numpy's mean",
        cases=lambda: [Case("three numbers", {"x": np.array([1.0, 2.0, 6.0])})],
        validate=validate,
        compare=compare,
        mistakes=[Mistake("divide by N, not N - 1", lambda x: float(np.sum(x) / (len(x) - 1)))],
    )
    assert check_mean(lambda x: sum(x) / len(x)).passed
    feedback = check_mean(lambda x: sum(x) / (len(x) - 1))
    assert repr(feedback).splitlines()[1] == "✘ three numbers: got 4.5: divide by N, not N - 1"
    assert isinstance(feedback, Feedback)


# -- the fallback for the cells after an exercise ------------------------------------------


def run_quietly_capturing(function, checker):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        chosen = use_if_correct(function, checker)
    return chosen, out.getvalue().splitlines()


@pytest.mark.parametrize("checker", sorted(CHECKERS))
def test_fallback_returns_a_correct_function_as_is(checker):
    function = CORRECT[checker][0]
    chosen, lines = run_quietly_capturing(function, CHECKERS[checker])
    assert chosen is function
    n = len(CHECKERS[checker].cases)
    assert lines == [
        f"Your {function.__name__} passes all {n} cases of {checker}, so the cells below use it."
    ]


def stub(checker):
    """The lesson's stub for this checker's exercise, with its exact signature."""
    parameters = ", ".join(CHECKERS[checker].signature.parameters)
    exercise = CHECKERS[checker].exercise
    namespace = {}
    exec(
        f"def {exercise}({parameters}):\n"
        f"    raise NotImplementedError('write {exercise}, then run the check below')\n",
        namespace,
    )
    return namespace[exercise]


@pytest.mark.parametrize(
    ("checker", "kind"),
    [(name, kind) for name in sorted(CHECKERS) for kind in ("stub", "wrong", "raising", "noisy")],
)
def test_fallback_returns_the_reference_which_passes(checker, kind):
    wrong = next(w.function for w in WRONG if w.checker == checker)
    if kind == "stub":
        function = stub(checker)
    elif kind == "wrong":
        function = wrong
    elif kind == "raising":

        def function(*args):
            return 1 / 0

    else:

        def function(*args):
            print("debugging", args[0].shape)
            return wrong(*args)

    chosen, lines = run_quietly_capturing(function, CHECKERS[checker])
    reference = CHECKERS[checker].reference
    assert chosen is reference and CHECKERS[checker](reference).passed
    assert inspect.signature(reference) == inspect.signature(stub(checker))
    assert len(lines) == 1
    label = CHECKERS[checker].reference_label
    if kind == "stub":
        exercise = CHECKERS[checker].exercise
        assert lines[0] == f"Your {exercise} is not written yet, so the cells below use {label}."
    else:
        assert lines[0].startswith(f"Your {function.__name__} does not pass {checker} yet (")
        assert lines[0].endswith(f"cases pass), so the cells below use {label}.")


def test_fallback_reference_keeps_the_lessons_return_convention(iris_2d):
    resp = gmmlab.e_step(iris_2d, gmmlab.initialize(iris_2d, 3, seed=0))
    chosen, _ = run_quietly_capturing(stub("check_m_step"), check_m_step)
    weights, means, covariances = chosen(iris_2d, resp)  # unpacks like lesson 7's loop
    expected = gmmlab.m_step(iris_2d, resp, reg_covar=0.0)
    np.testing.assert_allclose(covariances, expected.covariances, rtol=1e-12)
    assert means.flags.writeable and weights.shape == (3,)


def test_fallback_on_something_that_is_not_a_function():
    chosen, lines = run_quietly_capturing(None, check_e_step)
    assert chosen is check_e_step.reference
    assert lines == [
        "my_e_step is not a function yet, so the cells below use gmmlab's reference E-step."
    ]


# -- bad input -----------------------------------------------------------------------------


def good_checker_arguments(**changes):
    arguments = {
        "exercise": "my_mean",
        "reference": np.mean,
        "what": "your mean",
        "compared_with": "numpy.mean",
        "reference_label": "numpy's mean",
        "cases": list,
        "validate": lambda got, expected, case: (got, None),
        "compare": lambda got, expected, case: None,
    }
    arguments.update(changes)
    return arguments


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: check_e_step(None), TypeError, "function must be your function itself"),
        (
            lambda: check_m_step(np.zeros(3)),
            TypeError,
            "check_m_step(my_m_step) without parentheses",
        ),
        (
            lambda: use_if_correct(e_step_scipy, "check_e_step"),
            TypeError,
            "checker must be one of",
        ),
        (lambda: use_if_correct(e_step_scipy, None), TypeError, "got NoneType"),
        (lambda: Checker(3, **good_checker_arguments()), TypeError, "name must be a string"),
        (
            lambda: Checker("c", **good_checker_arguments(reference=None)),
            TypeError,
            "reference must be callable",
        ),
        (
            lambda: Checker("c", **good_checker_arguments(what=None)),
            TypeError,
            "what must be a string",
        ),
        (
            lambda: Checker("c", **good_checker_arguments(mistakes=["divide by N"])),
            TypeError,
            "mistakes[0] must be a Mistake",
        ),
        (
            lambda: Checker("c", **good_checker_arguments(cases=lambda: ["x"])).cases,
            TypeError,
            "cases()[0] must be a Case",
        ),
        (lambda: Case("c", [1, 2]), TypeError, "arguments must be a dict from the exercise's"),
        (lambda: Case(None, {"x": 1}), TypeError, "name must be a string, got NoneType"),
        (lambda: Case("c", {"X": "abc"}), TypeError, "arguments['X'] must be numbers"),
        (lambda: Mistake("hint", returns=3), TypeError, "returns must be callable, got int"),
        (lambda: Mistake(None, returns=len), TypeError, "hint must be a string"),
        (lambda: Feedback("title", ["✔"]), TypeError, "cases[0] must be a CaseResult"),
        (lambda: gmmlab.check.CaseResult("c", 1, "ok"), TypeError, "passed must be True or"),
    ],
)
def test_bad_input(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)


# Checkers in modules of their own keep their wrong implementations in tests/test_check_<name>.py;
# they join WRONG here (added lines only), so that the per-checker tests above and
# tests/test_learner_path.py see them. The list object is the one the parametrize marks hold.
from tests.test_check_em_loop import WRONG as _EM_LOOP_WRONG  # noqa: E402
from tests.test_check_em_loop import em_learner_steps as _em_learner_steps  # noqa: E402

WRONG.extend(_EM_LOOP_WRONG)
CORRECT["check_em_loop"] = [_em_learner_steps]
