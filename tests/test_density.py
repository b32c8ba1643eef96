"""Densities and the log-likelihood against scipy and hand computations."""

import numpy as np
import pytest

import gmmlab
from tests.check_support import LazyAttr

from .conftest import random_spd

logsumexp = LazyAttr("scipy.special", "logsumexp")
multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")
norm = LazyAttr("scipy.stats", "norm")


@pytest.mark.parametrize("n_features", [1, 2, 3, 5])
def test_log_gaussian_pdf_matches_scipy(n_features):
    rng = np.random.default_rng(n_features)
    mean = rng.normal(size=n_features)
    cov = random_spd(rng, n_features, scale=rng.uniform(0.1, 10))
    X = rng.normal(size=(50, n_features)) * 3
    expected = multivariate_normal(mean, cov).logpdf(X)
    np.testing.assert_allclose(gmmlab.log_gaussian_pdf(X, mean, cov), expected, rtol=1e-12)


def test_log_gaussian_pdf_accepts_1d_data_and_scalar_variance():
    x = np.array([-1.0, 0.0, 2.5])
    expected = norm(loc=0.5, scale=np.sqrt(2.0)).logpdf(x)
    np.testing.assert_allclose(gmmlab.log_gaussian_pdf(x, [0.5], 2.0), expected, rtol=1e-12)


def test_log_gaussian_pdf_is_finite_where_the_density_underflows():
    far = np.array([[1e8, -1e8]])
    value = gmmlab.log_gaussian_pdf(far, [0.0, 0.0], np.eye(2))
    assert np.isfinite(value).all()
    assert value[0] == pytest.approx(-0.5 * (2 * np.log(2 * np.pi) + 2e16), rel=1e-12)
    assert multivariate_normal([0, 0], np.eye(2)).pdf(far) == 0.0  # the naive way fails


def test_mixture_pdf_and_weighted_densities_match_scipy(two_blobs):
    X, _, params = two_blobs
    terms = np.column_stack(
        [
            w * multivariate_normal(m, c).pdf(X)
            for w, m, c in zip(params.weights, params.means, params.covariances, strict=True)
        ]
    )
    np.testing.assert_allclose(gmmlab.weighted_densities(X, params), terms, rtol=1e-12)
    np.testing.assert_allclose(gmmlab.mixture_pdf(X, params), terms.sum(axis=1), rtol=1e-12)


def test_log_likelihood_by_hand():
    """Two points, one component N(0, 1): l = 2 log N(0|0,1) at x = 0, then x = 1 added."""
    params = gmmlab.MixtureParams([1.0], [0.0], [1.0])
    assert gmmlab.log_likelihood([0.0, 1.0], params) == pytest.approx(
        -np.log(2 * np.pi) - 0.5, rel=1e-14
    )


def test_log_likelihood_matches_scipy_logsumexp(two_blobs):
    X, _, params = two_blobs
    log_terms = np.column_stack(
        [
            np.log(w) + multivariate_normal(m, c).logpdf(X)
            for w, m, c in zip(params.weights, params.means, params.covariances, strict=True)
        ]
    )
    expected = logsumexp(log_terms, axis=1).sum()
    assert gmmlab.log_likelihood(X, params) == pytest.approx(expected, rel=1e-12)


def test_log_likelihood_is_finite_for_points_far_from_every_component(two_blobs):
    X, _, params = two_blobs
    far = np.vstack([X, [[1e8, 1e8]], [[-3e8, 2e8]]])
    assert gmmlab.mixture_pdf(far, params)[-1] == 0.0
    value = gmmlab.log_likelihood(far, params)
    assert np.isfinite(value)
    assert value < gmmlab.log_likelihood(X, params) - 1e15


def test_zero_weight_component_contributes_nothing():
    with_zero = gmmlab.MixtureParams([1.0, 0.0], [0.0, 3.0], [1.0, 1.0])
    alone = gmmlab.MixtureParams([1.0], [0.0], [1.0])
    x = np.linspace(-3, 6, 7)
    assert gmmlab.log_likelihood(x, with_zero) == pytest.approx(gmmlab.log_likelihood(x, alone))
    np.testing.assert_array_equal(gmmlab.e_step(x, with_zero)[:, 1], 0.0)


def test_mahalanobis_matches_scipy_and_the_ellipse():
    from scipy.spatial.distance import mahalanobis as scipy_mahalanobis

    rng = np.random.default_rng(5)
    cov = random_spd(rng, 3, 2.0)
    mean = rng.normal(size=3)
    X = rng.normal(size=(20, 3))
    expected = [scipy_mahalanobis(x, mean, np.linalg.inv(cov)) for x in X]
    np.testing.assert_allclose(gmmlab.mahalanobis(X, mean, cov), expected, rtol=1e-12)
    # log N = -(D log 2 pi + log det Sigma + d^2) / 2
    d = gmmlab.mahalanobis(X, mean, cov)
    logdet = np.linalg.slogdet(cov)[1]
    np.testing.assert_allclose(
        gmmlab.log_gaussian_pdf(X, mean, cov), -0.5 * (3 * np.log(2 * np.pi) + logdet + d**2)
    )
