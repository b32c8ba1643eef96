"""Properties that hold for any data and parameters (hypothesis)."""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import gmmlab
from gmmlab import ComponentCollapseError, MixtureParams

from .conftest import random_spd


@st.composite
def mixtures(draw, max_components=4, max_features=3):
    """A random mixture, described by a seed so that shrinking stays cheap."""
    seed = draw(st.integers(0, 2**32 - 1))
    n_components = draw(st.integers(1, max_components))
    n_features = draw(st.integers(1, max_features))
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(n_components))
    weights = np.maximum(weights, 1e-3)
    weights /= weights.sum()
    means = rng.normal(scale=4.0, size=(n_components, n_features))
    scales = rng.uniform(0.05, 5.0, size=n_components)
    covariances = np.stack([random_spd(rng, n_features, s) for s in scales])
    return MixtureParams(weights, means, covariances)


@st.composite
def mixtures_and_data(draw, n_samples=(1, 60)):
    params = draw(mixtures())
    X, _ = params.sample(draw(st.integers(*n_samples)), seed=draw(st.integers(0, 1000)))
    return params, X


@given(mixtures_and_data())
def test_responsibilities_are_probabilities(case):
    params, X = case
    resp = gmmlab.e_step(X, params)
    assert resp.shape == (len(X), params.n_components)
    assert (resp >= 0).all()
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-12)


@given(mixtures_and_data(), st.floats(1e3, 1e8), st.integers(0, 10**6))
def test_far_points_give_finite_results(case, distance, seed):
    params, X = case
    direction = np.random.default_rng(seed).normal(size=params.n_features)
    far = distance * direction / np.linalg.norm(direction)
    X = np.vstack([X, far])
    resp = gmmlab.e_step(X, params)
    assert np.isfinite(resp).all()
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.isfinite(gmmlab.log_likelihood(X, params))
    assert np.isfinite(gmmlab.log_gaussian_pdf(X, params.means[0], params.covariances[0])).all()


@given(mixtures_and_data(), st.randoms(use_true_random=False))
def test_permuting_components_permutes_the_results(case, random):
    params, X = case
    order = list(range(params.n_components))
    random.shuffle(order)
    permuted = params.permute(order)
    resp = gmmlab.e_step(X, params)
    np.testing.assert_allclose(gmmlab.e_step(X, permuted), resp[:, order], atol=1e-12)
    assert gmmlab.log_likelihood(X, permuted) == pytest.approx(
        gmmlab.log_likelihood(X, params), rel=1e-12, abs=1e-12
    )
    assume((resp.sum(axis=0) > 1e-6).all())
    updated = gmmlab.m_step(X, resp)
    updated_permuted = gmmlab.m_step(X, resp[:, order])
    np.testing.assert_allclose(updated_permuted.weights, updated.weights[order], atol=1e-12)
    np.testing.assert_allclose(updated_permuted.means, updated.means[order], atol=1e-9)
    np.testing.assert_allclose(updated_permuted.covariances, updated.covariances[order], atol=1e-9)


@given(
    mixtures_and_data(n_samples=(30, 120)),
    st.integers(1, 4),
    st.sampled_from(gmmlab.COVARIANCE_TYPES),
    st.integers(0, 1000),
)
def test_log_likelihood_never_decreases(case, n_components, covariance_type, seed):
    """EM's guarantee, for exact EM (no covariance floor)."""
    _, X = case
    try:
        result = gmmlab.fit(
            X,
            n_components,
            init="random",
            seed=seed,
            max_iter=25,
            tol=0,
            reg_covar=0.0,
            covariance_type=covariance_type,
        )
    except ComponentCollapseError as error:
        history = error.result.log_likelihoods
        assume(len(history) > 1)  # check what ran before the collapse
        result = error.result
    steps = np.diff(result.log_likelihoods)
    slack = 1e-9 * np.abs(result.log_likelihoods[1:]).clip(min=1.0)
    assert (steps >= -slack).all(), steps


@given(mixtures_and_data(n_samples=(2, 40)))
def test_m_step_weights_sum_to_one_and_means_are_inside_the_data(case):
    params, X = case
    resp = gmmlab.e_step(X, params)
    assume((resp.sum(axis=0) > 1e-6).all())
    updated = gmmlab.m_step(X, resp)
    assert updated.weights.sum() == pytest.approx(1.0, abs=1e-12)
    # a weighted mean lies within the data's range, feature by feature
    assert (updated.means >= X.min(axis=0) - 1e-9).all()
    assert (updated.means <= X.max(axis=0) + 1e-9).all()
