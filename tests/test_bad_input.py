"""Every documented bad input raises a clear ValueError or TypeError."""

import numpy as np
import pytest

import gmmlab
from gmmlab import MixtureParams

GOOD = MixtureParams([0.5, 0.5], [[0.0, 0.0], [3.0, 3.0]], [np.eye(2), np.eye(2)])
X = np.array([[0.0, 0.1], [0.2, -0.1], [3.0, 3.1], [2.9, 3.2]])
RESP = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.2, 0.8]])


def call_each_with_X(bad_X):
    """The public functions that take X, each called with bad_X."""
    return [
        lambda: gmmlab.e_step(bad_X, GOOD),
        lambda: gmmlab.log_likelihood(bad_X, GOOD),
        lambda: gmmlab.mixture_pdf(bad_X, GOOD),
        lambda: gmmlab.weighted_densities(bad_X, GOOD),
        lambda: gmmlab.log_gaussian_pdf(bad_X, [0.0, 0.0], np.eye(2)),
        lambda: gmmlab.m_step(bad_X, RESP),
        lambda: gmmlab.fit(bad_X, 2),
        lambda: gmmlab.initialize(bad_X, 2),
        lambda: gmmlab.bic(bad_X, GOOD),
    ]


@pytest.mark.parametrize(
    ("bad_X", "message"),
    [
        (
            np.array([[0.0, np.nan], [1.0, 1.0], [2, 2], [3, 3]]),
            r"X contains NaN or infinite.*\(0, 1\)",
        ),
        (np.array([[0.0, 1.0], [np.inf, 1.0], [2, 2], [3, 3]]), "X contains NaN or infinite"),
        (np.zeros((4, 2, 1)), r"X must be 1-D \(n_samples,\) or 2-D"),
        (np.zeros((0, 2)), "at least one sample"),
        ([[0.0, 1.0], [2.0]], "rectangular"),
    ],
)
def test_malformed_X_raises_value_error(bad_X, message):
    for call in call_each_with_X(bad_X):
        with pytest.raises(ValueError, match=message):
            call()


@pytest.mark.parametrize("bad_X", ["abc", np.array(["a", "b"]), [1 + 2j, 3j], object()])
def test_non_numeric_X_raises_type_error(bad_X):
    for call in call_each_with_X(bad_X):
        with pytest.raises(TypeError, match="X must be"):
            call()


def test_feature_count_mismatch_names_both():
    three_features = np.zeros((4, 3))
    for call in [
        lambda: gmmlab.e_step(three_features, GOOD),
        lambda: gmmlab.log_likelihood(three_features, GOOD),
        lambda: gmmlab.fit(three_features, 2, init=GOOD),
    ]:
        with pytest.raises(ValueError, match=r"X has 3 feature\(s\) but .* describes 2"):
            call()


def test_params_must_be_mixture_params():
    with pytest.raises(TypeError, match="params must be a gmmlab.MixtureParams, got dict"):
        gmmlab.e_step(X, {"weights": [1.0]})
    with pytest.raises(TypeError, match="init must be a method name"):
        gmmlab.fit(X, 2, init=3)


@pytest.mark.parametrize(
    ("n_components", "error", "message"),
    [
        (0, ValueError, "n_components must be at least 1, got 0"),
        (-2, ValueError, "n_components must be at least 1"),
        (5, ValueError, r"n_components must be at most the number of samples \(4\), got 5"),
        (2.0, TypeError, "n_components must be an integer"),
        (True, TypeError, "n_components must be an integer"),
    ],
)
def test_bad_n_components(n_components, error, message):
    with pytest.raises(error, match=message):
        gmmlab.fit(X, n_components)
    with pytest.raises(error, match=message):
        gmmlab.initialize(X, n_components)


def test_n_components_must_match_init():
    with pytest.raises(ValueError, match="init has 2 components but n_components is 3"):
        gmmlab.fit(X, 3, init=GOOD)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"weights": [0.5, 0.6]}, ValueError, "weights must sum to 1, they sum to 1.1"),
        ({"weights": [1.2, -0.2]}, ValueError, r"weights must be non-negative; weights\[1\]"),
        ({"weights": [[0.5, 0.5]]}, ValueError, "weights must be a 1-D array"),
        ({"weights": [0.5, np.nan]}, ValueError, "weights contains NaN"),
        ({"weights": ["a", "b"]}, TypeError, "weights must be an array of real numbers"),
        ({"means": [[0.0, 0.0]]}, ValueError, r"means must have shape \(K, D\) with K = 2"),
        ({"covariances": [np.eye(2)]}, ValueError, r"covariances must have shape \(K, D, D\)"),
        (
            {"covariances": [np.eye(2), [[1.0, 0.5], [0.4, 1.0]]]},
            ValueError,
            r"covariances\[1\] must be symmetric",
        ),
        (
            {"covariances": [np.eye(2), [[1.0, 2.0], [2.0, 1.0]]]},
            ValueError,
            r"covariances\[1\] must be positive definite, but its smallest eigenvalue is -1",
        ),
        (
            {"covariances": [np.zeros((2, 2)), np.eye(2)]},
            ValueError,
            r"covariances\[0\] must be positive definite",
        ),
        ({"covariance_type": "round"}, ValueError, "covariance_type must be one of"),
        (
            {"covariances": [[[1.0, 0.2], [0.2, 1.0]], np.eye(2)], "covariance_type": "diag"},
            ValueError,
            "needs diagonal covariances",
        ),
        (
            {"covariances": [np.diag([1.0, 2.0]), np.eye(2)], "covariance_type": "spherical"},
            ValueError,
            "multiple of the identity",
        ),
        (
            {"covariances": [np.eye(2), 2 * np.eye(2)], "covariance_type": "tied"},
            ValueError,
            "share",
        ),
    ],
)
def test_bad_mixture_params(kwargs, error, message):
    fields = {
        "weights": [0.5, 0.5],
        "means": [[0.0, 0.0], [3.0, 3.0]],
        "covariances": [np.eye(2), np.eye(2)],
    }
    fields.update(kwargs)
    with pytest.raises(error, match=message):
        MixtureParams(**fields)


def test_mixture_params_is_immutable():
    with pytest.raises(AttributeError):
        GOOD.weights = np.array([0.1, 0.9])
    with pytest.raises(ValueError, match="read-only"):
        GOOD.means[0, 0] = 5.0


@pytest.mark.parametrize(
    ("resp", "message"),
    [
        (RESP[:3], r"resp must have one row per sample of X \(4 rows\), got shape \(3, 2\)"),
        (RESP[:, 0], r"resp must be 2-D \(n_samples, n_components\)"),
        (RESP * -1, r"resp must be non-negative .*resp\[0, 0\] = -1"),
        (RESP * 2, "each row of resp must sum to 1 .* row 0 sums to 2 .*4 rows are off"),
        (np.where(RESP == 1.0, np.nan, RESP), "resp contains NaN"),
    ],
)
def test_bad_resp(resp, message):
    with pytest.raises(ValueError, match=message):
        gmmlab.m_step(X, resp)


def test_bad_resp_for_hard_assign():
    with pytest.raises(ValueError, match="row 1 sums to 0.5"):
        gmmlab.hard_assign([[1.0, 0.0], [0.25, 0.25]])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"reg_covar": -1e-3}, ValueError, "reg_covar must be at least 0"),
        ({"reg_covar": np.nan}, ValueError, "reg_covar must be finite"),
        ({"reg_covar": "small"}, TypeError, "reg_covar must be a real number"),
        ({"covariance_type": "FULL"}, ValueError, "covariance_type must be one of 'full'"),
    ],
)
def test_bad_m_step_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        gmmlab.m_step(X, RESP, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"max_iter": -1}, ValueError, "max_iter must be at least 0"),
        ({"max_iter": 2.5}, TypeError, "max_iter must be an integer"),
        ({"tol": -1.0}, ValueError, "tol must be at least 0"),
        ({"init": "kmeans+"}, ValueError, "init must be one of 'kmeans\\+\\+'"),
        ({"seed": -3}, ValueError, "seed must be at least 0"),
        ({"seed": "abc"}, TypeError, "seed must be an integer"),
    ],
)
def test_bad_fit_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        gmmlab.fit(X, 2, **kwargs)


@pytest.mark.parametrize(
    ("mean", "cov", "message"),
    [
        ([0.0], np.eye(2), r"mean must have one entry per feature of X \(2\)"),
        ([0.0, 0.0], np.eye(3), r"cov must have shape \(D, D\) = \(2, 2\)"),
        ([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], "cov must be positive definite"),
        ([0.0, np.inf], np.eye(2), "mean contains NaN or infinite"),
        ([0.0, 0.0], [[1.0, np.nan], [np.nan, 1.0]], "cov contains NaN or infinite"),
    ],
)
def test_bad_log_gaussian_pdf_arguments(mean, cov, message):
    with pytest.raises(ValueError, match=message):
        gmmlab.log_gaussian_pdf(X, mean, cov)


def test_bad_sample_and_marginal_arguments():
    with pytest.raises(ValueError, match="n must be at least 1"):
        GOOD.sample(0)
    with pytest.raises(ValueError, match="features must be at most 1"):
        GOOD.marginal([2])
    with pytest.raises(ValueError, match="order must be a permutation of 0..1"):
        GOOD.permute([0, 0])


def test_from_sklearn_rejects_other_objects_and_unfitted_models():
    from sklearn.mixture import GaussianMixture

    with pytest.raises(TypeError, match="gm must be a sklearn.mixture.GaussianMixture"):
        MixtureParams.from_sklearn(object())
    with pytest.raises(ValueError, match="gm is not fitted yet"):
        MixtureParams.from_sklearn(GaussianMixture(2))
