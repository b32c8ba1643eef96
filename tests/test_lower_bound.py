"""log p(x_i) against scikit-learn, and the lower bound B(theta' | theta) against its theory."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gmmlab
from gmmlab import MixtureParams
from tests.check_support import LazyAttr

from .test_properties import mixtures, mixtures_and_data

minimize = LazyAttr("scipy.optimize", "minimize")
multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")
GaussianMixture = LazyAttr("sklearn.mixture", "GaussianMixture")


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_log_mixture_pdf_is_sklearns_score_samples(iris_features, covariance_type):
    gm = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(iris_features)
    params = MixtureParams.from_sklearn(gm)
    np.testing.assert_allclose(
        gmmlab.log_mixture_pdf(iris_features, params),
        gm.score_samples(iris_features),
        rtol=0,
        atol=1e-10,
    )
    assert gmmlab.log_mixture_pdf(iris_features, params).mean() == pytest.approx(
        gm.score(iris_features), abs=1e-10
    )


def bound_by_hand(X, params, resp):
    """sum_i sum_k gamma_ik log(pi_k N(x_i | mu_k, Sigma_k) / gamma_ik), 0 log 0 = 0."""
    total = 0.0
    for i, x in enumerate(X):
        for k in range(params.n_components):
            if resp[i, k] > 0:
                density = multivariate_normal(params.means[k], params.covariances[k]).pdf(x)
                total += resp[i, k] * math.log(params.weights[k] * density / resp[i, k])
    return total


def test_lower_bound_by_hand(iris_2d):
    params = gmmlab.initialize(iris_2d, 3, seed=0)
    other = gmmlab.initialize(iris_2d, 3, method="random", seed=1)
    resp = gmmlab.e_step(iris_2d, other)
    resp[:10] = np.eye(3)[np.arange(10) % 3]  # hard rows: 0 log 0 counts as 0
    assert gmmlab.lower_bound(iris_2d, params, resp) == pytest.approx(
        bound_by_hand(iris_2d, params, resp), rel=1e-12
    )


@given(mixtures_and_data(n_samples=(1, 50)))
def test_the_bound_touches_the_log_likelihood_at_theta(case):
    """B(theta | theta) = l(theta) when the responsibilities are the E-step's under theta."""
    params, X = case
    bound = gmmlab.lower_bound(X, params, gmmlab.e_step(X, params))
    assert bound == pytest.approx(gmmlab.log_likelihood(X, params), rel=1e-10, abs=1e-10)


@given(mixtures_and_data(n_samples=(1, 50)), st.data())
def test_the_bound_never_exceeds_the_log_likelihood(case, data):
    """Jensen: B(theta' | theta) <= l(theta') for any theta' and any theta."""
    params, X = case
    other = data.draw(mixtures())
    if other.n_features != params.n_features:
        other = params.permute(list(reversed(range(params.n_components))))
    for resp_params, bound_params in ((params, other), (other, params)):
        if resp_params.n_components != bound_params.n_components:
            continue
        resp = gmmlab.e_step(X, resp_params)
        bound = gmmlab.lower_bound(X, bound_params, resp)
        value = gmmlab.log_likelihood(X, bound_params)
        assert bound <= value + 1e-9 * max(1.0, abs(value))


def perturbations(params, rng, size):
    """``params`` with random changes to its weights, means and covariances."""
    weights = params.weights * np.exp(rng.normal(scale=size, size=params.n_components))
    means = params.means + rng.normal(scale=size, size=params.means.shape)
    factors = params.cholesky * np.exp(rng.normal(scale=size, size=params.cholesky.shape))
    return MixtureParams(weights / weights.sum(), means, factors @ factors.transpose(0, 2, 1))


@pytest.mark.parametrize("seed", range(3))
def test_the_m_step_maximises_the_bound_against_perturbations(iris_2d, seed):
    start = gmmlab.initialize(iris_2d, 3, method="random", seed=seed)
    resp = gmmlab.e_step(iris_2d, start)
    best = gmmlab.m_step(iris_2d, resp, reg_covar=0.0)
    best_bound = gmmlab.lower_bound(iris_2d, best, resp)
    rng = np.random.default_rng(seed)
    for size in (1e-4, 1e-2, 0.3):
        for _ in range(20):
            assert gmmlab.lower_bound(iris_2d, perturbations(best, rng, size), resp) < best_bound


def unpack(vector, n_components, n_features):
    """theta from an unconstrained vector: softmax weights, means, Cholesky with log diagonal."""
    logits = np.concatenate([[0.0], vector[: n_components - 1]])
    weights = np.exp(logits - logits.max())
    position = n_components - 1
    means = vector[position : position + n_components * n_features].reshape(
        n_components, n_features
    )
    position += n_components * n_features
    rows, columns = np.tril_indices(n_features)
    factors = np.zeros((n_components, n_features, n_features))
    for k in range(n_components):
        entries = vector[position : position + len(rows)]
        position += len(rows)
        factors[k][rows, columns] = entries
        factors[k][np.diag_indices(n_features)] = np.exp(np.diagonal(factors[k]))
    return MixtureParams(weights / weights.sum(), means, factors @ factors.transpose(0, 2, 1))


def test_scipy_optimize_finds_no_better_theta_than_the_m_step(iris_2d):
    """Maximising B numerically (BFGS) lands on the M-step's closed form."""
    n_components, n_features = 2, 2
    start = gmmlab.initialize(iris_2d, n_components, method="random", seed=3)
    resp = gmmlab.e_step(iris_2d, start)
    m_step = gmmlab.m_step(iris_2d, resp, reg_covar=0.0)

    def negative_bound(vector):
        return -gmmlab.lower_bound(iris_2d, unpack(vector, n_components, n_features), resp)

    size = (n_components - 1) + n_components * n_features + n_components * 3
    found = minimize(negative_bound, np.zeros(size), method="BFGS", options={"gtol": 1e-8})
    optimum = unpack(found.x, n_components, n_features)
    assert -found.fun <= gmmlab.lower_bound(iris_2d, m_step, resp) + 1e-9
    assert -found.fun == pytest.approx(gmmlab.lower_bound(iris_2d, m_step, resp), abs=1e-6)
    order = optimum.matching_order(m_step)
    optimum = optimum.permute(order)
    np.testing.assert_allclose(optimum.means, m_step.means, atol=1e-4)
    np.testing.assert_allclose(optimum.covariances, m_step.covariances, atol=1e-4)
    np.testing.assert_allclose(optimum.weights, m_step.weights, atol=1e-4)


def test_a_component_without_weight_that_owns_points_makes_the_bound_minus_infinity():
    params = MixtureParams([1.0, 0.0], [0.0, 3.0], [1.0, 1.0])
    resp = np.array([[0.5, 0.5], [1.0, 0.0]])
    assert gmmlab.lower_bound([0.0, 1.0], params, resp) == -np.inf
    assert np.isfinite(gmmlab.lower_bound([0.0, 1.0], params, np.array([[1.0, 0.0]] * 2)))
