"""Q, the ELBO, its KL gap, the entropy and MAP-EM, against scipy and hand computations."""

import doctest

import numpy as np
import pytest

import gmmlab
import gmmlab.objectives
from gmmlab.datasets import load_iris_features
from tests.check_support import LazyAttr

logsumexp = LazyAttr("scipy.special", "logsumexp")
rel_entr = LazyAttr("scipy.special", "rel_entr")
entropy = LazyAttr("scipy.stats", "entropy")
invwishart = LazyAttr("scipy.stats", "invwishart")
multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")


@pytest.fixture(scope="module")
def iris():
    X = load_iris_features(("petal length", "petal width")).X
    old = gmmlab.fit(X, 3, init="random", seed=3, max_iter=8, tol=0).params  # mid-run theta
    new = gmmlab.fit(X, 3, seed=0, tol=1e-8, max_iter=500).params  # another theta'
    return X, old, new


def scipy_log_joint(X, params):
    return np.column_stack([
        np.log(w) + multivariate_normal(m, c).logpdf(X)
        for w, m, c in zip(params.weights, params.means, params.covariances, strict=True)
    ])


def random_q(rng, n, k):
    return rng.dirichlet(np.ones(k), size=n)


def test_docstring_examples():
    assert doctest.testmod(gmmlab.objectives, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


def test_q_equals_a_hand_computation_with_scipy(iris):
    X, old, new = iris
    resp = gmmlab.e_step(X, old)
    by_hand = sum(resp[i, k] * scipy_log_joint(X, new)[i, k]
                  for i in range(len(X)) for k in range(3))
    assert gmmlab.expected_complete_log_likelihood(X, new, resp) == pytest.approx(by_hand,
                                                                                  rel=1e-10)


def test_q_with_one_hot_labels_is_the_complete_data_log_likelihood(iris):
    X, _, new = iris
    labels = load_iris_features(("petal length", "petal width")).labels
    one_hot = np.eye(3)[labels]
    expected = scipy_log_joint(X, new)[np.arange(len(X)), labels].sum()
    assert gmmlab.expected_complete_log_likelihood(X, new, one_hot) == pytest.approx(expected)


def nudge(params, rng, size):
    """theta' moved at random: weights, means and covariances all perturbed."""
    weights = params.weights * np.exp(size * rng.normal(size=params.n_components))
    k, d = params.n_components, params.n_features
    a = np.eye(d) + size * rng.normal(size=(k, d, d))
    covariances = np.einsum("kab,kbc,kdc->kad", a, params.covariances, a)
    means = params.means + size * rng.normal(size=params.means.shape)
    return gmmlab.MixtureParams(weights / weights.sum(), means, covariances)


@pytest.mark.parametrize("seed", range(4))
def test_the_m_step_beats_every_nudge_on_q(seed):
    X = load_iris_features(("petal length", "petal width")).X
    start = gmmlab.initialize(X, 3, method="random", seed=seed)
    resp = gmmlab.e_step(X, gmmlab.fit(X, 3, init=start, max_iter=seed * 3, tol=0).params)
    best_params = gmmlab.m_step(X, resp, reg_covar=0.0)
    best = gmmlab.expected_complete_log_likelihood(X, best_params, resp)
    rng = np.random.default_rng(seed)
    for size in (0.3, 0.03, 0.003):
        for _ in range(50):
            q = gmmlab.expected_complete_log_likelihood(X, nudge(best_params, rng, size), resp)
            assert q < best


def test_the_floored_m_step_is_not_exactly_the_maximiser_of_q():
    """Shrinking its covariances back by reg_covar raises Q: the floor costs a little."""
    X = load_iris_features(("petal length", "petal width")).X
    resp = gmmlab.e_step(X, gmmlab.initialize(X, 3, method="random", seed=0))
    floored = gmmlab.m_step(X, resp, reg_covar=1e-3)
    plain = gmmlab.m_step(X, resp, reg_covar=0.0)
    assert (gmmlab.expected_complete_log_likelihood(X, plain, resp)
            > gmmlab.expected_complete_log_likelihood(X, floored, resp))


def test_entropy_matches_scipy():
    q = random_q(np.random.default_rng(0), 40, 4)
    q[0] = [1, 0, 0, 0]
    assert gmmlab.responsibility_entropy(q) == pytest.approx(sum(entropy(row) for row in q))


@pytest.mark.parametrize("seed", range(5))
def test_log_likelihood_is_elbo_plus_kl_for_any_q(iris, seed):
    X, old, new = iris
    q = random_q(np.random.default_rng(seed), len(X), 3)
    log_joint = scipy_log_joint(X, new)
    posterior = np.exp(log_joint - logsumexp(log_joint, axis=1, keepdims=True))
    kl_scipy = rel_entr(q, posterior).sum()
    elbo = gmmlab.evidence_lower_bound(X, new, q)
    kl = gmmlab.posterior_kl(X, new, q)
    assert kl == pytest.approx(kl_scipy, rel=1e-9)
    assert kl > 0
    assert elbo + kl == pytest.approx(gmmlab.log_likelihood(X, new), rel=1e-12)


def test_the_bound_touches_at_the_posterior(iris):
    X, old, _ = iris
    gamma = gmmlab.e_step(X, old)
    assert abs(gmmlab.posterior_kl(X, old, gamma)) < 1e-9
    assert gmmlab.evidence_lower_bound(X, old, gamma) == pytest.approx(
        gmmlab.log_likelihood(X, old), abs=1e-9)


def test_lower_bound_is_elbo_and_q_plus_entropy(iris):
    X, old, new = iris
    gamma = gmmlab.e_step(X, old)
    b = gmmlab.lower_bound(X, new, gamma)
    assert gmmlab.evidence_lower_bound(X, new, gamma) == pytest.approx(b, rel=1e-12)
    q_plus_h = (gmmlab.expected_complete_log_likelihood(X, new, gamma)
                + gmmlab.responsibility_entropy(gamma))
    assert q_plus_h == pytest.approx(b, rel=1e-12)


@pytest.mark.parametrize("dof", [None, 1.5, 6.0])
def test_log_covariance_prior_matches_scipy(iris, dof):
    _, _, new = iris
    expected = sum(invwishart(df=2.0 if dof is None else dof, scale=0.3 * np.eye(2)).logpdf(c)
                   for c in new.covariances)
    assert gmmlab.log_covariance_prior(new, 0.3, dof) == pytest.approx(expected, rel=1e-10)


def test_map_m_step_matches_the_closed_form_by_hand():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 2))
    resp = random_q(rng, 30, 2)
    got = gmmlab.map_m_step(X, resp, prior_scale=0.5, prior_dof=3.0)
    for k in range(2):
        nk = resp[:, k].sum()
        mean = (resp[:, k, None] * X).sum(axis=0) / nk
        scatter = sum(resp[i, k] * np.outer(X[i] - mean, X[i] - mean) for i in range(30))
        np.testing.assert_allclose(got.covariances[k], (scatter + 0.5 * np.eye(2)) / (nk + 6.0))
        np.testing.assert_allclose(got.means[k], mean)
        assert got.weights[k] == pytest.approx(nk / 30)


@pytest.mark.parametrize("seed", range(3))
def test_map_m_step_beats_every_nudge_on_q_plus_log_prior(seed):
    X = load_iris_features(("petal length", "petal width")).X
    resp = gmmlab.e_step(X, gmmlab.initialize(X, 3, method="random", seed=seed))
    def objective(params):
        return (gmmlab.expected_complete_log_likelihood(X, params, resp)
                + gmmlab.log_covariance_prior(params, 0.05, 2.0))
    best_params = gmmlab.map_m_step(X, resp, 0.05, 2.0)
    best = objective(best_params)
    rng = np.random.default_rng(seed)
    for size in (0.1, 0.01):
        for _ in range(40):
            assert objective(nudge(best_params, rng, size)) < best


def map_em_objectives(X, start, n_iter, psi, dof):
    params, values = start, []
    for _ in range(n_iter):
        values.append(gmmlab.log_likelihood(X, params)
                      + gmmlab.log_covariance_prior(params, psi, dof))
        params = gmmlab.map_m_step(X, gmmlab.e_step(X, params), psi, dof)
    return np.array(values)


@pytest.mark.parametrize("psi", [1e-6, 1e-2])
def test_map_em_objective_never_decreases_over_many_runs(psi):
    X = load_iris_features(("petal length", "petal width")).X
    rng = np.random.default_rng(0)
    synthetic = np.concatenate([rng.normal(size=(60, 2)), rng.normal(3, 0.5, size=(40, 2))])
    for data in (X, synthetic):
        for seed in range(8):
            start = gmmlab.initialize(data, 3, method="random", seed=seed)
            values = map_em_objectives(data, start, 80, psi, 2.0)
            # rounding of sums of ~150 terms of size ~1: a few 1e-13; allow 1e-11 relative
            assert np.diff(values).min() >= -1e-11 * np.abs(values).max()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda X, p, q: gmmlab.expected_complete_log_likelihood(X, p, q[:, :2]), "resp"),
        (lambda X, p, q: gmmlab.evidence_lower_bound(X, p, q * 2), "q"),
        (lambda X, p, q: gmmlab.posterior_kl(X[:, :1], p, q), "X"),
        (lambda X, p, q: gmmlab.posterior_kl(X, "p", q), "params"),
        (lambda X, p, q: gmmlab.responsibility_entropy(-q), "q"),
        (lambda X, p, q: gmmlab.map_m_step(X, q, 0.0), "prior_scale"),
        (lambda X, p, q: gmmlab.map_m_step(X, q, 1.0, prior_dof=0.5), "prior_dof"),
        (lambda X, p, q: gmmlab.log_covariance_prior(p, -1.0), "prior_scale"),
        (lambda X, p, q: gmmlab.map_m_step(X, q[:-1], 1.0), "resp"),
    ],
)
def test_bad_input_names_the_argument(iris, call, name):
    X, old, _ = iris
    q = gmmlab.e_step(X, old)
    with pytest.raises((TypeError, ValueError), match=name):
        call(X, old, q)


def test_the_elbo_explorer_splits_the_log_likelihood_as_the_library_does(iris):
    from gmmlab.widgets import ELBOExplorer

    X, old, new = iris
    q0 = gmmlab.e_step(X, old)
    explorer = ELBOExplorer(X, new, q0)
    np.testing.assert_allclose(explorer.elbo + explorer.kl, gmmlab.log_likelihood(X, new),
                               rtol=1e-12)
    for s in (0.0, 0.3, 1.0):
        q = (1 - s) * q0 + s * gmmlab.e_step(X, new)
        elbo, kl = explorer.split(s)
        assert elbo == pytest.approx(gmmlab.evidence_lower_bound(X, new, q), rel=1e-12)
        assert kl == pytest.approx(gmmlab.posterior_kl(X, new, q), rel=1e-9, abs=1e-9)
    assert explorer.kl[-1] < 1e-9 < explorer.kl[0]
    assert np.all(np.diff(explorer.elbo) > 0)  # concave in s, maximal at the posterior
    lines = explorer.update(blend=0.5)
    assert "KL" in lines[0]
