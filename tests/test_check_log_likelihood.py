"""The exercise on the log-likelihood (lesson 5, `check_log_likelihood`).

CORRECT: implementations in other styles than gmmlab's, which must pass. WRONG: the
mistakes learners make, each with the words of its hint. tests/test_check.py runs the shared
tests over every exercise's two lists; the tests below are this exercise's own.
"""

import math

import numpy as np

import gmmlab
from tests.check_support import LazyAttr, Wrong, by_hand_density, log_terms, sklearn_model

logsumexp = LazyAttr("scipy.special", "logsumexp")
multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")
norm = LazyAttr("scipy.stats", "norm")


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


CORRECT = {
    "check_log_likelihood": [log_likelihood_scipy, log_likelihood_loops, log_likelihood_sklearn]
}

WRONG = [
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
]
