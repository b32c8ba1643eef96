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
        ({"n_init": 0}, ValueError, "n_init must be at least 1"),
        ({"n_init": 2.5}, TypeError, "n_init must be an integer"),
        ({"n_init": 3, "seed": -1}, ValueError, "seed must be at least 0"),
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


# -- the functions added with the sufficient statistics and the lower bound -------------


def call_each_new_function_with_X(bad_X):
    return [
        lambda: gmmlab.log_mixture_pdf(bad_X, GOOD),
        lambda: gmmlab.lower_bound(bad_X, GOOD, RESP),
        lambda: gmmlab.expected_statistics(bad_X, GOOD),
        lambda: gmmlab.sufficient_statistics(bad_X, RESP),
        lambda: gmmlab.mahalanobis(bad_X, [0.0, 0.0], np.eye(2)),
        lambda: gmmlab.aic(bad_X, GOOD),
        lambda: gmmlab.anomaly_threshold(bad_X, GOOD, 5.0),
        lambda: gmmlab.flag_anomalies(bad_X, GOOD, -3.0),
        lambda: gmmlab.mean_log_likelihood(bad_X, GOOD),
        lambda: gmmlab.sweep_components(bad_X, [1, 2]),
        lambda: gmmlab.cross_validate(bad_X, 1),
    ]


@pytest.mark.parametrize(
    ("bad_X", "error", "message"),
    [
        (np.array([[0.0, np.nan], [1.0, 1.0], [2, 2], [3, 3]]), ValueError, "X contains NaN"),
        (np.zeros((4, 2, 1)), ValueError, r"X must be 1-D \(n_samples,\) or 2-D"),
        (np.zeros((0, 2)), ValueError, "at least one sample"),
        ("abc", TypeError, "X must be"),
        ([[1 + 2j, 3j]] * 4, TypeError, "X must be real"),
    ],
)
def test_malformed_X_in_the_new_functions(bad_X, error, message):
    for call in call_each_new_function_with_X(bad_X):
        with pytest.raises(error, match=message):
            call()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: gmmlab.lower_bound(X, GOOD, RESP[:, :1]), ValueError,
         r"resp must have one column per component \(2\)"),
        (lambda: gmmlab.lower_bound(X, GOOD, RESP[:3]), ValueError,
         r"resp must have one row per sample of X \(4 rows\)"),
        (lambda: gmmlab.lower_bound(X, "params", RESP), TypeError,
         "params must be a gmmlab.MixtureParams"),
        (lambda: gmmlab.log_mixture_pdf(np.zeros((4, 3)), GOOD), ValueError,
         r"X has 3 feature\(s\) but params describes 2"),
        (lambda: gmmlab.expected_statistics(X, GOOD, chunk_size=0), ValueError,
         "chunk_size must be at least 1"),
        (lambda: gmmlab.expected_statistics(X, {"weights": 1}), TypeError,
         "params must be a gmmlab.MixtureParams"),
        (lambda: gmmlab.initialize(X, 2, method="kmeans+"), ValueError,
         "method must be one of 'kmeans\\+\\+'"),
        (lambda: gmmlab.anomaly_threshold(X, GOOD, 120), ValueError,
         "percent must be at most 100.0, got 120"),
        (lambda: gmmlab.anomaly_threshold(X, GOOD, -1), ValueError, "percent must be at least 0"),
        (lambda: gmmlab.anomaly_threshold(X, GOOD, "5%"), TypeError,
         "percent must be a real number"),
        (lambda: gmmlab.anomaly_threshold(X, GOOD.marginal(0), 5), ValueError,
         r"X has 2 feature\(s\) but params describes 1"),
        (lambda: gmmlab.flag_anomalies(X, GOOD, np.nan), ValueError, "threshold must be finite"),
        (lambda: gmmlab.flag_anomalies(X, GOOD, [1.0, 2.0]), TypeError,
         "threshold must be a real number"),
        (lambda: gmmlab.flag_anomalies(X, None, -1.0), TypeError,
         "params must be a gmmlab.MixtureParams"),
        (lambda: gmmlab.sweep_components(X, 3), TypeError,
         "n_components must be the K values to try"),
        (lambda: gmmlab.sweep_components(X, []), ValueError, "n_components must hold at least"),
        (lambda: gmmlab.sweep_components(X, [1, 2, 1]), ValueError, "repeats K = 1"),
        (lambda: gmmlab.sweep_components(X, [1, 5]), ValueError,
         r"n_components must be at most the number of samples \(4\)"),
        (lambda: gmmlab.sweep_components(X, [1.5]), TypeError, "n_components must be an int"),
        (lambda: gmmlab.sweep_components(X, [1], X_held_out=X, n_folds=2), ValueError,
         "give either X_held_out"),
        (lambda: gmmlab.sweep_components(X, [1], X_held_out=X[:, :1]), ValueError,
         r"X_held_out must have the features of X \(2\)"),
        (lambda: gmmlab.sweep_components(X, [1], X_held_out=[[np.nan, 0]]), ValueError,
         "X_held_out contains NaN"),
        (lambda: gmmlab.sweep_components(X, [1], n_folds=1), ValueError,
         "n_folds must be at least 2"),
        (lambda: gmmlab.sweep_components(X, [1], seed=-1), ValueError, "seed must be at least 0"),
        (lambda: gmmlab.sweep_components(X, [1], tol=-1), ValueError, "tol must be at least 0"),
        (lambda: gmmlab.sweep_components(X, [1], max_iters=5), TypeError,
         "unexpected keyword argument 'max_iters'"),
        (lambda: gmmlab.sweep_components(X, [1]).best("bic"), ValueError,
         "criterion must be one of 'held-out', 'BIC'"),
        (lambda: gmmlab.cross_validate(X, 1, n_folds=5), ValueError,
         r"n_folds must be at most the number of points \(4\), got 5"),
        (lambda: gmmlab.cross_validate(X, 1, n_folds=2.0), TypeError,
         "n_folds must be an integer"),
        (lambda: gmmlab.cross_validate(X, 1, n_folds=2, seed=np.random.default_rng(0)), TypeError,
         "seed must be an integer"),
        (lambda: gmmlab.cross_validate(X, 3, n_folds=2), ValueError,
         "a fold's training part holds 2 of the 4 points, fewer than K = 3"),
    ],
)
def test_bad_arguments_of_the_new_functions(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("chunk_size", "error", "message"),
    [
        (0, ValueError, "chunk_size must be at least 1, got 0"),
        (-5, ValueError, "chunk_size must be at least 1"),
        (2.5, TypeError, "chunk_size must be an integer"),
        ("100", TypeError, "chunk_size must be an integer"),
        (True, TypeError, "chunk_size must be an integer"),
    ],
)
def test_bad_chunk_size(chunk_size, error, message):
    with pytest.raises(error, match=message):
        gmmlab.fit(X, 2, chunk_size=chunk_size)


# -- NumPy's scalar types wherever Python numbers are accepted ---------------------------


@pytest.mark.parametrize("integer", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint64])
@pytest.mark.parametrize("real", [np.float16, np.float32, np.float64])
def test_numpy_scalars_are_accepted_wherever_python_numbers_are(integer, real):
    reference = gmmlab.fit(X, 2, max_iter=3, tol=1e-3, reg_covar=1e-3, seed=0, chunk_size=2)
    result = gmmlab.fit(
        X,
        integer(2),
        max_iter=integer(3),
        tol=real(1e-3),
        reg_covar=real(1e-3),
        seed=integer(0),
        chunk_size=integer(2),
    )
    np.testing.assert_allclose(result.params.means, reference.params.means, rtol=1e-3)
    for value in (integer(3), np.array(3, dtype=integer)):  # 0-d arrays too
        assert gmmlab.fit(X, 2, max_iter=value, tol=0, seed=0).n_iter == 3
    start = gmmlab.initialize(X, integer(2), seed=integer(1), reg_covar=real(0.5))
    assert start.n_components == 2
    gmmlab.m_step(X, RESP, reg_covar=real(0.25))
    assert GOOD.sample(integer(5), seed=integer(1))[0].shape == (5, 2)
    assert GOOD.marginal(integer(1)).n_features == 1
    assert GOOD.marginal(np.array([1, 0], dtype=integer)).means[1, 0] == 3.0
    assert GOOD.permute(np.array([1, 0], dtype=integer)).weights.shape == (2,)


@pytest.mark.parametrize(
    ("name", "value"),
    [("max_iter", np.bool_(True)), ("tol", np.bool_(False)), ("reg_covar", True)],
)
def test_booleans_are_not_numbers(name, value):
    with pytest.raises(TypeError, match=f"{name} must be"):
        gmmlab.fit(X, 2, **{name: value})


# -- MixtureParams' methods and EMResult ----------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: GOOD.permute([True, False]), TypeError, r"order must be .*\(integers\)"),
        (lambda: GOOD.permute([0.0, 1.0]), TypeError, "order must be a permutation"),
        (lambda: GOOD.permute([[0, 1]]), ValueError, r"order must be a permutation of 0..1"),
        (lambda: GOOD.permute([0, 1, 2]), ValueError, r"order must be a permutation of 0..1"),
        (lambda: GOOD.permute("01"), TypeError, "order must be a permutation of 0..1, got a str"),
        (lambda: GOOD.marginal([0, 0]), ValueError, "features must name each feature at most"),
        (lambda: GOOD.marginal([]), ValueError, "features must name at least one feature"),
        (lambda: GOOD.marginal(True), TypeError, "features must be an integer"),
        (lambda: GOOD.marginal([0.5]), TypeError, "features must be an integer"),
        (lambda: GOOD.marginal("0"), TypeError, "features must be an integer"),
        (lambda: GOOD.marginal([-1]), ValueError, "features must be at least 0"),
        (lambda: GOOD.aligned_to([[0.0, np.nan], [3.0, 3.0]]), ValueError,
         "reference contains NaN"),
        (lambda: GOOD.aligned_to("means"), TypeError, "reference must be an array of real"),
        (lambda: GOOD.replace(weight=[0.5, 0.5]), TypeError, "replace\\(\\) takes weights"),
        (lambda: GOOD.replace(cholesky=np.zeros((2, 2, 2))), TypeError,
         "the Cholesky factors follow the covariances"),
        (lambda: GOOD.sample(2.0), TypeError, "n must be an integer"),
        (lambda: GOOD.sample(3, seed=-1), ValueError, "seed must be at least 0"),
        (lambda: gmmlab.fit(X, 2, seed=0, max_iter=1).permute([1, 1]), ValueError,
         "order must be a permutation"),
    ],
)
def test_bad_arguments_of_mixture_params_methods(call, error, message):
    with pytest.raises(error, match=message):
        call()
