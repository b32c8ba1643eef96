"""The exercise on anomalies by low density (lesson 11, `check_anomalies`).

CORRECT: implementations in other styles than gmmlab's, which must pass. WRONG: the
mistakes learners make, each with the words of its hint. tests/test_check.py runs the shared
tests over every exercise's two lists; the tests below are this exercise's own.
"""

import numpy as np

import gmmlab
from tests.check_support import LazyAttr, Wrong, log_terms, sklearn_model

logsumexp = LazyAttr("scipy.special", "logsumexp")
norm = LazyAttr("scipy.stats", "norm")


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


CORRECT = {
    "check_anomalies": [anomalies_gmmlab, anomalies_scipy, anomalies_sklearn, anomalies_densities]
}

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
]
