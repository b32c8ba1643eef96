"""gmmlab.bernoulli: a mixture of Bernoulli distributions, against scipy and hand computations."""

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gmmlab
from gmmlab import ComponentCollapseError
from gmmlab.bernoulli import (
    BernoulliParams,
    BernoulliResult,
    e_step,
    fit,
    initialize,
    log_bernoulli_pmf,
    log_likelihood,
    log_mixture_pmf,
    log_prior,
    m_step,
)
from tests.check_support import LazyAttr

logsumexp = LazyAttr("scipy.special", "logsumexp")
bernoulli = LazyAttr("scipy.stats", "bernoulli")
beta = LazyAttr("scipy.stats", "beta")

# -- an independent implementation: scipy's logpmf, a loop over components and points ----


def scipy_log_pmf(X, means):
    X, means = np.asarray(X), np.asarray(means)
    out = np.empty((len(X), len(means)))
    for i, x in enumerate(X):
        for k, mu in enumerate(means):
            out[i, k] = sum(bernoulli.logpmf(x[d], mu[d]) for d in range(len(x)))
    return out


def scipy_log_terms(X, params):
    with np.errstate(divide="ignore"):
        return np.log(params.weights) + scipy_log_pmf(X, params.means)


def random_case(seed, n=12, d=5, k=3):
    rng = np.random.default_rng(seed)
    X = (rng.random((n, d)) < 0.4).astype(float)
    params = BernoulliParams(rng.dirichlet(np.ones(k)), rng.uniform(0.02, 0.98, (k, d)))
    return X, params


@pytest.mark.parametrize("seed", range(5))
def test_log_pmf_equals_scipy(seed):
    X, params = random_case(seed)
    np.testing.assert_allclose(log_bernoulli_pmf(X, params.means), scipy_log_pmf(X, params.means),
                               rtol=1e-12)  # fmt: skip


def test_log_pmf_at_probabilities_0_and_1_equals_scipy():
    X = np.array([[1, 0, 1], [0, 0, 1], [1, 1, 0]], dtype=float)
    means = np.array([[1.0, 0.0, 0.5], [0.0, 0.3, 1.0], [0.6, 1.0, 0.0]])
    expected = scipy_log_pmf(X, means)
    got = log_bernoulli_pmf(X, means)
    assert np.isneginf(expected).any() and np.isfinite(expected).any()
    np.testing.assert_array_equal(np.isneginf(got), np.isneginf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_mixture_functions_equal_scipy(seed):
    X, params = random_case(seed)
    terms = scipy_log_terms(X, params)
    log_px = logsumexp(terms, axis=1)
    np.testing.assert_allclose(log_mixture_pmf(X, params), log_px, rtol=1e-12)
    assert log_likelihood(X, params) == pytest.approx(log_px.sum(), rel=1e-12)
    np.testing.assert_allclose(e_step(X, params), np.exp(terms - log_px[:, None]), rtol=1e-10)


def test_log_prior_equals_scipys_beta():
    _, params = random_case(0)
    for a, b in [(1.0, 1.0), (2.0, 2.0), (3.0, 1.5)]:
        expected = beta(a, b).logpdf(params.means).sum()
        assert log_prior(params, a, b) == pytest.approx(expected, rel=1e-12)


# -- hand computations on a tiny case --------------------------------------------------------

TINY_X = np.array([[1, 0], [1, 1], [0, 0]], dtype=float)
TINY = BernoulliParams([0.6, 0.4], [[0.8, 0.3], [0.1, 0.5]])


def test_e_step_by_hand():
    # p(x | mu_0) for x = (1, 0): 0.8 * 0.7 = 0.56; p(x | mu_1): 0.1 * 0.5 = 0.05
    rows = [(0.6 * 0.8 * 0.7, 0.4 * 0.1 * 0.5), (0.6 * 0.8 * 0.3, 0.4 * 0.1 * 0.5),
            (0.6 * 0.2 * 0.7, 0.4 * 0.9 * 0.5)]  # fmt: skip
    expected = np.array([[a / (a + b), b / (a + b)] for a, b in rows])
    np.testing.assert_allclose(e_step(TINY_X, TINY), expected, rtol=1e-12)
    ell = sum(math.log(a + b) for a, b in rows)
    assert log_likelihood(TINY_X, TINY) == pytest.approx(ell, rel=1e-12)


def test_m_step_by_hand():
    resp = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])
    nk = [0.9 + 0.5 + 0.2, 0.1 + 0.5 + 0.8]  # 1.6, 1.4
    on = [[0.9 + 0.5, 0.5], [0.1 + 0.5, 0.5]]  # sum_i gamma_ik x_id
    params = m_step(TINY_X, resp)
    np.testing.assert_allclose(params.weights, [1.6 / 3, 1.4 / 3], rtol=1e-12)
    np.testing.assert_allclose(params.means, [[1.4 / 1.6, 0.5 / 1.6], [0.6 / 1.4, 0.5 / 1.4]],
                               rtol=1e-12)  # fmt: skip
    smoothed = m_step(TINY_X, resp, a=2.0, b=3.0)  # add a - 1 = 1 on, divide by N_k + 3
    np.testing.assert_allclose(
        smoothed.means,
        [[(on[k][d] + 1) / (nk[k] + 3) for d in range(2)] for k in range(2)],
        rtol=1e-12,
    )
    np.testing.assert_allclose(smoothed.weights, params.weights, rtol=0)


def test_maximum_likelihood_puts_a_probability_at_0_and_the_prior_does_not():
    resp = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    ml = m_step(TINY_X, resp)
    assert ml.means[0, 0] == 1.0 and ml.means[1, 0] == 0.0  # always on / never on
    assert np.isneginf(log_bernoulli_pmf([[1, 0]], ml.means)[0, 1])
    smooth = m_step(TINY_X, resp, a=2, b=2)
    assert (smooth.means > 0).all() and (smooth.means < 1).all()
    np.testing.assert_allclose(smooth.means[0, 0], 3 / 4)  # (2 + 1) / (2 + 2)


def test_an_impossible_point_is_named_by_the_e_step():
    params = BernoulliParams([0.5, 0.5], [[0.0, 0.5], [0.0, 0.2]])
    assert np.isneginf(log_mixture_pmf([[1, 0]], params)[0])
    assert np.isneginf(log_likelihood([[0, 0], [1, 0]], params))
    with pytest.raises(ValueError, match=r"X\[1\] has probability 0 under every component"):
        e_step([[0, 0], [1, 0]], params)


# -- EM ---------------------------------------------------------------------------------------


def test_fit_is_the_e_and_m_steps_repeated():
    X, _ = random_case(3, n=40, d=6)
    result = fit(X, 3, a=2, b=2, seed=1, max_iter=5, tol=0)
    assert result.n_iter == 5 and len(result.history) == 6
    for t in range(5):
        step = m_step(X, e_step(X, result.history[t]), a=2, b=2)
        np.testing.assert_allclose(result.history[t + 1].means, step.means, rtol=1e-12)
        np.testing.assert_allclose(result.history[t + 1].weights, step.weights, rtol=1e-12)
    lls = [log_likelihood(X, p) for p in result.history]
    np.testing.assert_allclose(result.log_likelihoods, lls, rtol=1e-12)
    priors = [log_prior(p, 2, 2) for p in result.history]
    np.testing.assert_allclose(result.objectives, np.add(lls, priors), rtol=1e-12)


def test_fit_is_seeded_and_starts_where_initialize_does():
    X, _ = random_case(4, n=30)
    one, two = fit(X, 3, seed=7), fit(X, 3, seed=7)
    np.testing.assert_array_equal(one.params.means, two.params.means)
    start = initialize(X, 3, seed=7)
    np.testing.assert_array_equal(one.history[0].means, start.means)
    assert ((start.means >= 0.2) & (start.means <= 0.8)).all()
    from_init = fit(X, 3, init=start, max_iter=3, tol=0)
    np.testing.assert_allclose(from_init.history[3].means, one.history[3].means, rtol=1e-12)


def test_fit_stops_on_the_change_of_the_objective():
    X, _ = random_case(5, n=60, d=8)
    result = fit(X, 2, tol=1e-3, seed=0)
    assert result.converged
    changes = np.abs(np.diff(result.objectives)) / len(X)
    assert changes[-1] < 1e-3 and (changes[:-1] >= 1e-3).all()


def test_a_component_that_loses_every_point_is_reported():
    X = np.array([[1, 1], [1, 1], [1, 1]], dtype=float)
    resp = np.array([[1.0, 0.0]] * 3)
    with pytest.raises(ComponentCollapseError, match="component 1 .* N_1 = 0"):
        m_step(X, resp)
    # a start whose component 1 explains no point: its N_1 underflows to 0 in the first E-step
    start = BernoulliParams([0.5, 0.5], [[1.0, 1.0], [0.0, 0.0]])
    with pytest.raises(ComponentCollapseError) as caught:
        fit(X, 2, init=start)
    error = caught.value
    assert error.component == 1 and error.iteration == 1 and error.empty
    assert isinstance(error.result, BernoulliResult) and error.result.n_iter == 0


def test_params_and_results_are_immutable_and_pickle():
    params = TINY
    with pytest.raises(ValueError):
        params.means[0, 0] = 0.5
    again = pickle.loads(pickle.dumps(params))
    np.testing.assert_array_equal(again.means, params.means)
    result = fit(TINY_X, 2, seed=0, max_iter=2)
    with pytest.raises(ValueError):
        result.log_likelihoods[0] = 0.0


# -- properties (hypothesis), as for the Gaussian code ---------------------------------------


@st.composite
def binary_data(draw, max_n=40, max_d=8):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n, d = draw(st.integers(2, max_n)), draw(st.integers(1, max_d))
    k = draw(st.integers(1, min(4, n)))
    X = (rng.random((n, d)) < rng.uniform(0.05, 0.95, d)).astype(float)
    params = BernoulliParams(rng.dirichlet(np.ones(k)), rng.uniform(0.0, 1.0, (k, d)))
    return X, params, seed


@given(binary_data())
def test_responsibilities_are_probabilities(case):
    X, params, _ = case
    resp = e_step(X, params)
    assert resp.shape == (len(X), params.n_components) and (resp >= 0).all()
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=0, atol=1e-12)


@settings(deadline=None)
@given(binary_data(), st.sampled_from([(1.0, 1.0), (2.0, 2.0), (1.5, 3.0)]))
def test_em_never_decreases_its_objective(case, prior):
    X, _, seed = case
    a, b = prior
    k = min(3, len(X))
    try:
        result = fit(X, k, a=a, b=b, seed=seed % 1000, max_iter=30, tol=0)
    except ComponentCollapseError as error:
        result = error.result
    objectives = result.objectives
    assert np.isfinite(objectives).all()
    slack = 1e-9 * np.abs(objectives[:-1]) + 1e-9
    assert (np.diff(objectives) >= -slack).all(), np.diff(objectives).min()
    if a == b == 1.0:  # maximum likelihood: the objective is l itself
        np.testing.assert_array_equal(objectives, result.log_likelihoods)


@given(binary_data(), st.randoms(use_true_random=False))
def test_permuting_components_permutes_responsibilities(case, random):
    X, params, _ = case
    order = list(range(params.n_components))
    random.shuffle(order)
    permuted = BernoulliParams(params.weights[order], params.means[order])
    np.testing.assert_allclose(e_step(X, permuted), e_step(X, params)[:, order], atol=1e-12)


# -- bad input, named ----------------------------------------------------------------------------

BAD = [
    (
        lambda: log_bernoulli_pmf([[0, 2]], [[0.5, 0.5]]),
        ValueError,
        r"X must be binary.*X\[0, 1\] = 2",
    ),
    (lambda: log_bernoulli_pmf([[0, 0.5]], [[0.5, 0.5]]), ValueError, "X must be binary"),
    (lambda: log_bernoulli_pmf([[0, np.nan]], [[0.5, 0.5]]), ValueError, "X contains NaN"),
    (lambda: log_bernoulli_pmf("01", [[0.5]]), TypeError, "X must be an array of real numbers"),
    (
        lambda: log_bernoulli_pmf([[0, 1]], [[0.5, 1.5]]),
        ValueError,
        r"means must be probabilities.*means\[0, 1\]",
    ),
    (lambda: log_bernoulli_pmf([[0, 1]], [0.5, 0.5]), ValueError, "means must be 2-D"),
    (lambda: log_bernoulli_pmf([[0, 1]], [[0.5, 0.5, 0.5]]), ValueError, "X has 2 feature"),
    (lambda: BernoulliParams([0.5, 0.6], [[0.5], [0.5]]), ValueError, "weights must sum to 1"),
    (
        lambda: BernoulliParams([1.2, -0.2], [[0.5], [0.5]]),
        ValueError,
        "weights must be non-negative",
    ),
    (
        lambda: BernoulliParams([1.0], [[0.5], [0.5]]),
        ValueError,
        "means must have one row per weight",
    ),
    (lambda: BernoulliParams([1.0], [[-0.1]]), ValueError, "means must be probabilities"),
    (lambda: e_step([[0, 1, 1]], TINY), ValueError, "params describes 2"),
    (
        lambda: e_step([[0, 1]], gmmlab.MixtureParams([1.0], [0.0], [1.0])),
        TypeError,
        "params must be a gmmlab.bernoulli.BernoulliParams",
    ),
    (lambda: log_likelihood([[0, 3]], TINY), ValueError, "X must be binary"),
    (lambda: m_step(TINY_X, [[0.5, 0.6]] * 3), ValueError, "each row of resp must sum to 1"),
    (lambda: m_step(TINY_X, [[0.5, 0.5]] * 2), ValueError, "resp must have one row per sample"),
    (lambda: m_step(TINY_X, [[0.5, 0.5]] * 3, a=0.5), ValueError, "a must be at least 1"),
    (lambda: m_step(TINY_X, [[0.5, 0.5]] * 3, b="2"), TypeError, "b must be a real number"),
    (lambda: log_prior(TINY, 2, 0), ValueError, "b must be at least 1"),
    (lambda: log_prior("params"), TypeError, "params must be a gmmlab.bernoulli.BernoulliParams"),
    (lambda: initialize(TINY_X, 4), ValueError, "n_components must be at most"),
    (lambda: initialize(TINY_X, 2, seed=-1), ValueError, "seed must be at least 0"),
    (lambda: fit(TINY_X, 0), ValueError, "n_components must be at least 1"),
    (lambda: fit(TINY_X, 2, max_iter=-1), ValueError, "max_iter must be at least 0"),
    (lambda: fit(TINY_X, 2, tol=-1.0), ValueError, "tol must be at least 0"),
    (lambda: fit(TINY_X, 2, a=np.nan), ValueError, "a must be finite"),
    (lambda: fit(TINY_X, 3, init=TINY), ValueError, "init has 2 components but n_components is 3"),
    (
        lambda: fit(TINY_X, 2, init=gmmlab.MixtureParams([1.0], [0.0], [1.0])),
        TypeError,
        "init must be a gmmlab.bernoulli",
    ),
    (lambda: fit(TINY_X[:, :1], 2, init=TINY), ValueError, "init describes 2"),
]


@pytest.mark.parametrize(("call", "error", "words"), BAD)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_booleans_are_binary_data():
    X = np.array([[True, False], [False, False]])
    np.testing.assert_allclose(
        log_bernoulli_pmf(X, TINY.means), log_bernoulli_pmf(X * 1.0, TINY.means)
    )


def test_the_module_loads_lazily_and_only_numpy():
    import subprocess
    import sys

    code = (
        "import sys, gmmlab; assert 'gmmlab.bernoulli' not in sys.modules; "
        "gmmlab.bernoulli.fit; assert 'scipy' not in sys.modules and 'sklearn' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name", ["gmmlab.bernoulli", "gmmlab.check.bernoulli_m_step"])
def test_docstring_examples(name):
    import doctest
    import importlib

    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0 and result.failed == 0


def test_a_small_fit_runs_blas_on_one_thread(monkeypatch):
    """Digits-sized products (N D K <= SMALL_PRODUCT) run on one BLAS thread, whatever the
    caller's limit: a second thread spins while it waits for a busy core (SMALL_PRODUCT)."""
    from threadpoolctl import threadpool_limits

    from gmmlab import _kernels

    module = gmmlab.bernoulli
    threads = []
    m_step = module._m_step

    def blas_threads():
        info = _kernels.blas_controller().select(user_api="blas").info()
        return max(library["num_threads"] for library in info)

    def spy(*args):
        threads.append(blas_threads())
        return m_step(*args)

    monkeypatch.setattr(module, "_m_step", spy)
    X = (np.random.default_rng(0).random((300, 16)) < 0.3).astype(float)
    with threadpool_limits(limits=2, user_api="blas"):
        module.fit(X, 3, seed=0, max_iter=3)
        after = blas_threads()
    assert threads and set(threads) == {1}
    assert after == 2  # the caller's limit is back after the fit
