"""Data from 1e-150 to 1e150, and outliers anywhere in that range: correct, or refused, never NaN.

The references are independent of gmmlab's code paths: a Gaussian mixture is equivariant
under scaling (x -> s x, mu -> s mu, Sigma -> s^2 Sigma changes every log-density by
-D log s and nothing else), so the same problem at scale 1 is the reference; and scipy's
``multivariate_normal`` computes the densities of the unscaled problem.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gmmlab
from gmmlab import MixtureParams
from tests.check_support import LazyAttr

from .test_properties import mixtures_and_data

logsumexp = LazyAttr("scipy.special", "logsumexp")
multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")

scales = st.floats(-150.0, 150.0).map(lambda exponent: 10.0**exponent)


def scaled(params, scale):
    return MixtureParams(
        params.weights,
        params.means * scale,
        params.covariances * scale**2,
        covariance_type=params.covariance_type,
    )


def reference_log_densities(X, params):
    """log pi_k + log N(x_i | mu_k, Sigma_k) from scipy, (N, K); -inf beyond the range."""
    with np.errstate(over="ignore"):
        return np.column_stack(
            [
                np.log(w) + multivariate_normal(m, c).logpdf(X).reshape(len(X))
                for w, m, c in zip(params.weights, params.means, params.covariances, strict=True)
            ]
        )


@given(mixtures_and_data(n_samples=(1, 40)), scales)
def test_the_e_step_and_densities_at_any_scale(case, scale):
    params, X = case
    n_samples, n_features = X.shape
    resp = gmmlab.e_step(X * scale, scaled(params, scale))
    np.testing.assert_allclose(resp, gmmlab.e_step(X, params), rtol=0, atol=1e-9)
    expected = logsumexp(reference_log_densities(X, params), axis=1)
    shift = n_features * math.log(
        scale
    )  # log N(s x | s mu, s^2 Sigma) = log N(x|mu,Sigma) - D log s
    log_px = gmmlab.log_mixture_pdf(X * scale, scaled(params, scale))
    np.testing.assert_allclose(log_px, expected - shift, rtol=1e-9, atol=1e-9 * (1 + abs(shift)))
    total = gmmlab.log_likelihood(X * scale, scaled(params, scale))
    assert total == pytest.approx(expected.sum() - n_samples * shift, rel=1e-9, abs=1e-8)
    p = gmmlab.n_parameters(params)
    bic = gmmlab.bic(X * scale, scaled(params, scale))
    assert bic == pytest.approx(
        -2 * (expected.sum() - n_samples * shift) + p * math.log(n_samples), rel=1e-9, abs=1e-7
    )
    distances = gmmlab.mahalanobis(
        X * scale, params.means[0] * scale, params.covariances[0] * scale**2
    )
    np.testing.assert_allclose(
        distances, gmmlab.mahalanobis(X, params.means[0], params.covariances[0]), rtol=1e-9
    )


@given(mixtures_and_data(n_samples=(1, 30)), scales, scales, st.integers(0, 2**32 - 1))
def test_an_outlier_at_any_scale_is_computed_or_refused_never_nan(case, scale, outlier, seed):
    """Data at one scale, one point at another: up to 1e300 standard deviations away."""
    params, X = case
    direction = np.random.default_rng(seed).normal(size=params.n_features)
    direction /= np.linalg.norm(direction)
    X_scaled = np.vstack([X * scale, outlier * direction])
    params_scaled = scaled(params, scale)
    resp = gmmlab.e_step(X_scaled, params_scaled)
    assert np.isfinite(resp).all()
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    log_px = gmmlab.log_mixture_pdf(X_scaled, params_scaled)
    assert not np.isnan(log_px).any()
    assert np.isfinite(log_px[:-1]).all()
    # the outlier at scale 1: x' = (outlier / scale) u, at most 1e300 from the origin
    unscaled = (outlier / scale) * direction
    expected = logsumexp(reference_log_densities(unscaled[np.newaxis], params), axis=1)[0]
    shift = params.n_features * math.log(scale)
    if np.isfinite(expected):
        assert log_px[-1] == pytest.approx(expected - shift, rel=1e-9)
        assert np.isfinite(gmmlab.log_likelihood(X_scaled, params_scaled))
        assert np.isfinite(gmmlab.aic(X_scaled, params_scaled))
    else:  # the true log-density is below -1.8e308: -inf, and l cannot be represented
        assert log_px[-1] == -np.inf
        for criterion in (gmmlab.log_likelihood, gmmlab.bic, gmmlab.aic):
            with pytest.raises(ValueError, match=r"X\[\d+\] lies about 1e\d+ standard deviations"):
                criterion(X_scaled, params_scaled)


@given(mixtures_and_data(n_samples=(1, 20)), scales, st.integers(0, 2**32 - 1))
def test_mahalanobis_is_finite_wherever_the_distance_is(case, distance_scale, seed):
    """A diagonal covariance gives d = sqrt(sum_d ((x_d - mu_d) / sigma_d)^2): math.hypot."""
    params, _ = case
    rng = np.random.default_rng(seed)
    n_features = params.n_features
    sigma = 10.0 ** rng.uniform(-150, 0, size=n_features)  # standard deviations down to 1e-150
    offsets = rng.normal(size=n_features) * distance_scale
    x = np.array([offsets])
    expected = math.hypot(*(offsets / sigma))  # up to 1e300: representable, its square is not
    result = gmmlab.mahalanobis(x, np.zeros(n_features), np.diag(sigma**2))
    assert result[0] == pytest.approx(expected, rel=1e-12)


def near_collapse(result, n_samples):
    """True when some iterate had a component on fewer than D + 1 points' worth of
    responsibility, or a covariance with a condition number above 1e8. There EM with
    reg_covar=0 amplifies rounding (which differs with the data's scale, and even with the
    memory alignment of numpy's summations) by many orders of magnitude in 8 iterations,
    so two mathematically equal runs need not agree: equivariance is a property of
    well-conditioned runs only."""
    for params in result.history:
        if (params.weights * n_samples).min() < params.n_features + 1:
            return True
        if np.linalg.cond(params.covariances).max() > 1e8:
            return True
    return False


@given(mixtures_and_data(n_samples=(20, 60)), st.floats(-150.0, 148.0), st.integers(0, 1000))
def test_fit_at_any_scale_is_the_scaled_fit(case, exponent, seed):
    """EM with reg_covar=0 is scale-equivariant: fit(s X) = s fit(X) (|s X| <= 1e150).

    Runs that come near a collapse are ill-conditioned (see ``near_collapse``): for them
    the scaled run must end near a collapse too (or collapse), not match digit for digit.
    """
    params, X = case
    scale = 10.0**exponent / max(1.0, np.abs(X).max())
    start = gmmlab.initialize(X, params.n_components, method="random", seed=seed)
    kwargs = {"max_iter": 8, "tol": 0, "reg_covar": 0.0}

    def scaled_fit():
        return gmmlab.fit(X * scale, params.n_components, init=scaled(start, scale), **kwargs)

    try:
        reference = gmmlab.fit(X, params.n_components, init=start, **kwargs)
    except gmmlab.ComponentCollapseError:
        reference = None  # a collapse: the scaled run must collapse or come near one
    if reference is None or near_collapse(reference, len(X)):
        try:
            result = scaled_fit()
        except gmmlab.ComponentCollapseError:
            return
        assert near_collapse(result, len(X))
        return
    result = scaled_fit()
    shift = X.size * math.log(scale)
    np.testing.assert_allclose(
        result.log_likelihoods, reference.log_likelihoods - shift, rtol=1e-7, atol=1e-7
    )
    np.testing.assert_allclose(result.params.weights, reference.params.weights, atol=1e-7)
    np.testing.assert_allclose(result.params.means / scale, reference.params.means, atol=1e-6)


@pytest.mark.parametrize("value", [1e151, -3e160, 1e300])
def test_fitting_data_beyond_1e150_is_refused_naming_X(value):
    X = np.array([[0.0, 1.0], [1.0, 0.0], [value, 2.0], [3.0, 3.0]])
    for call in (
        lambda: gmmlab.fit(X, 2),
        lambda: gmmlab.initialize(X, 2),
        lambda: gmmlab.m_step(X, np.full((4, 2), 0.5)),
        lambda: gmmlab.sufficient_statistics(X, np.full((4, 2), 0.5)),
        lambda: gmmlab.expected_statistics(
            X, gmmlab.MixtureParams([1.0], [[0.0, 0.0]], [np.eye(2)])
        ),
    ):
        with pytest.raises(
            ValueError, match=r"X holds a value of magnitude .* \(at index \(2, 0\)\)"
        ):
            call()


def test_a_far_outlier_and_a_given_start_fit_without_naming_other_arguments():
    """Issue 11: an outlier far from a given start used to fail naming covariances."""
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(size=40), rng.normal(size=40) + 5, [1e150]])
    start = MixtureParams([0.5, 0.5], [0.0, 5.0], [1e-10, 1e-10])  # 1e155 sd from the outlier
    result = gmmlab.fit(X, 2, init=start, max_iter=5, tol=0)
    assert result.log_likelihoods[0] == -np.inf  # l(theta^(0)) is below the float range...
    assert np.isfinite(result.log_likelihoods[1:]).all()  # ...EM then moves a component to it
    assert (np.diff(result.log_likelihoods[1:]) >= 0).all()


def test_an_outlier_that_makes_a_covariance_numerically_singular_names_reg_covar():
    """In 2-D, a point 1e150 away stretches a covariance to a condition number of ~1e298."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(40, 2)), rng.normal(size=(40, 2)) + 5, [[1e150, -1e150]]])
    start = MixtureParams([0.5, 0.5], [[0.0, 0.0], [5.0, 5.0]], [np.eye(2), np.eye(2)])
    with pytest.raises(gmmlab.ComponentCollapseError, match="Raise reg_covar") as error:
        gmmlab.fit(X, 2, init=start, max_iter=5)
    assert error.value.iteration == 1 and error.value.result.n_iter == 0
