"""Sufficient statistics: the three sums, how they add over chunks, and the M-step from them."""

import copy
import pickle

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture

import gmmlab
from gmmlab import SufficientStatistics, params_from_statistics, sufficient_statistics

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def soft_resp(n_samples, n_components, seed):
    rng = np.random.default_rng(seed)
    resp = rng.random((n_samples, n_components)) ** 3
    return resp / resp.sum(axis=1, keepdims=True)


def test_the_three_sums_by_hand():
    """N_k, sum gamma x and sum gamma x x^T, written out with Python loops."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    resp = soft_resp(20, 2, seed=1)
    stats = sufficient_statistics(X, resp)
    for k in range(2):
        nk = sum(resp[i, k] for i in range(20))
        sum_x = sum(resp[i, k] * X[i] for i in range(20))
        sum_xxT = sum(resp[i, k] * np.outer(X[i], X[i]) for i in range(20))
        assert stats.nk[k] == pytest.approx(nk, rel=1e-14)
        np.testing.assert_allclose(stats.sum_x[k], sum_x, rtol=1e-13)
        np.testing.assert_allclose(stats.sum_xxT[k], sum_xxT, rtol=1e-12)
        mean = sum_x / nk
        np.testing.assert_allclose(stats.means[k], mean, rtol=1e-13)
        np.testing.assert_allclose(
            stats.covariances[k], sum_xxT / nk - np.outer(mean, mean), atol=1e-12
        )


@pytest.mark.parametrize("n_chunks", [2, 3, 7])
def test_statistics_of_chunks_add_up_to_those_of_all_the_data(iris_2d, n_chunks):
    resp = soft_resp(len(iris_2d), 3, seed=2)
    whole = sufficient_statistics(iris_2d, resp)
    rng = np.random.default_rng(n_chunks)
    cuts = np.sort(rng.choice(np.arange(1, len(iris_2d)), size=n_chunks - 1, replace=False))
    chunks = [
        sufficient_statistics(X_part, resp_part)
        for X_part, resp_part in zip(np.split(iris_2d, cuts), np.split(resp, cuts), strict=True)
    ]
    total = sum(chunks)  # sum() starts from 0
    np.testing.assert_allclose(total.nk, whole.nk, rtol=1e-14)
    np.testing.assert_allclose(total.means, whole.means, rtol=1e-13)
    np.testing.assert_allclose(total.covariances, whole.covariances, rtol=1e-12, atol=1e-15)
    # the raw sums add exactly as the lesson says
    np.testing.assert_allclose(sum(c.sum_x for c in chunks), whole.sum_x, rtol=1e-13)
    np.testing.assert_allclose(sum(c.sum_xxT for c in chunks), whole.sum_xxT, rtol=1e-12)
    # the order of the chunks does not matter
    reversed_total = sum(reversed(chunks))
    np.testing.assert_allclose(reversed_total.covariances, total.covariances, rtol=1e-12)


def test_a_chunk_without_points_of_a_component_adds_nothing():
    X = np.array([[0.0], [1.0], [10.0], [12.0]])
    resp = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    first, second = sufficient_statistics(X[:2], resp[:2]), sufficient_statistics(X[2:], resp[2:])
    assert first.nk[1] == 0 and (first.covariances[1] == 0).all()
    total = first + second
    np.testing.assert_allclose(total.means[:, 0], [0.5, 11.0])
    np.testing.assert_allclose(total.covariances[:, 0, 0], [0.25, 1.0])


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_params_from_statistics_is_the_m_step(iris_2d, covariance_type):
    resp = soft_resp(len(iris_2d), 3, seed=3)
    params = params_from_statistics(
        sufficient_statistics(iris_2d, resp), reg_covar=1e-4, covariance_type=covariance_type
    )
    expected = gmmlab.m_step(iris_2d, resp, reg_covar=1e-4, covariance_type=covariance_type)
    np.testing.assert_allclose(params.weights, expected.weights, rtol=1e-14)
    np.testing.assert_allclose(params.covariances, expected.covariances, rtol=1e-12)
    assert params.covariance_type == covariance_type


def sklearn_one_iteration(X, start):
    gm = GaussianMixture(
        start.n_components,
        covariance_type=start.covariance_type,
        max_iter=1,
        tol=0,
        init_params="random_from_data",
        **start.to_sklearn_init(),
    ).fit(X)
    return gmmlab.MixtureParams.from_sklearn(gm)


def chunked_m_step(X, start, covariance_type):
    """One EM iteration from ``start``, through the statistics of four chunks."""
    resp = gmmlab.e_step(X, start)
    chunks = [sufficient_statistics(X[i : i + 40], resp[i : i + 40]) for i in range(0, 150, 40)]
    return params_from_statistics(sum(chunks), covariance_type=covariance_type)


def assert_params_close(ours, theirs, atol=1e-8):
    for name in ("weights", "means", "covariances"):
        np.testing.assert_allclose(
            getattr(ours, name), getattr(theirs, name), rtol=0, atol=atol, err_msg=name
        )


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_m_step_from_chunked_statistics_matches_sklearn(iris_features, covariance_type):
    """Iris, four features: one EM iteration through chunked statistics agrees to 1e-8."""
    start = gmmlab.initialize(
        iris_features, 3, method="kmeans++", seed=0, covariance_type=covariance_type
    )
    ours = chunked_m_step(iris_features, start, covariance_type)
    assert_params_close(ours, sklearn_one_iteration(iris_features, start))


def test_full_m_step_matches_sklearn_far_from_the_origin(iris_features):
    """Every flower shifted by 1e6: still 1e-8 (scikit-learn's full M-step is centred too)."""
    X = iris_features + 1e6
    start = gmmlab.initialize(X, 3, method="kmeans++", seed=0)
    assert_params_close(chunked_m_step(X, start, "full"), sklearn_one_iteration(X, start))


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_m_step_far_from_the_origin_is_the_shifted_m_step(iris_features, covariance_type):
    """Shifting the data and the start by 1e6 shifts the result and nothing else.

    The reference is scikit-learn on the unshifted flowers: for "diag", "spherical" and
    "tied", scikit-learn itself expands the squares (sum x^2 - 2 x mu + mu^2) and loses
    about 1e-3 of the covariances at this offset, so it cannot be the reference there.
    """
    start = gmmlab.initialize(
        iris_features, 3, method="kmeans++", seed=0, covariance_type=covariance_type
    )
    shifted_start = start.replace(means=start.means + 1e6)
    ours = chunked_m_step(iris_features + 1e6, shifted_start, covariance_type)
    theirs = sklearn_one_iteration(iris_features, start)
    assert_params_close(ours.replace(means=ours.means - 1e6), theirs)


def test_the_naive_formula_cancels_far_from_the_origin(iris_features):
    """Why the statistics are centred: sum gamma x x^T / N_k - mu mu^T loses the covariance."""
    X = iris_features + 1e6
    resp = soft_resp(len(X), 3, seed=4)
    stats = sufficient_statistics(X, resp)
    naive = stats.sum_xxT / stats.nk[:, None, None] - np.einsum(
        "ki,kj->kij", stats.means, stats.means
    )
    centred = sufficient_statistics(iris_features, resp).covariances  # translation-invariant
    assert np.abs(naive - centred).max() > 1e-5  # the naive way is wrong here...
    np.testing.assert_allclose(stats.covariances, centred, rtol=0, atol=1e-9)  # ...ours is not


def test_statistics_are_immutable_and_survive_copies_and_pickles(iris_2d):
    stats = sufficient_statistics(iris_2d, soft_resp(len(iris_2d), 2, seed=5))
    for clone in (
        stats,
        copy.copy(stats),
        copy.deepcopy(stats),
        pickle.loads(pickle.dumps(stats)),
    ):
        np.testing.assert_array_equal(clone.covariances, stats.covariances)
        for name in ("nk", "means", "covariances"):
            array = getattr(clone, name)
            with pytest.raises(ValueError):
                array[...] = 0.0
            with pytest.raises(ValueError):
                array.flags.writeable = True


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda s: s + 1.0, TypeError, "unsupported operand"),
        (
            lambda s: s + SufficientStatistics([1.0], [[0.0, 0.0]], [np.eye(2)]),
            ValueError,
            "only statistics of the same mixture add up",
        ),
        (lambda s: params_from_statistics({"nk": [1.0]}), TypeError, "statistics must be a"),
        (lambda s: params_from_statistics(s, reg_covar=-1.0), ValueError, "reg_covar must be"),
        (
            lambda s: params_from_statistics(s, covariance_type="round"),
            ValueError,
            "covariance_type must be one of",
        ),
        (
            lambda s: SufficientStatistics([-1.0, 1.0], s.means, s.covariances),
            ValueError,
            "nk must be non-negative",
        ),
        (
            lambda s: SufficientStatistics(s.nk, s.means[:1], s.covariances),
            ValueError,
            r"means must have shape \(K, D\)",
        ),
        (
            lambda s: SufficientStatistics(s.nk, s.means, s.covariances[:, :1]),
            ValueError,
            r"covariances must have shape \(K, D, D\)",
        ),
        (
            lambda s: sufficient_statistics([[0.0], [1.0]], [[1.0, 0.0]]),
            ValueError,
            "resp must have one row per sample of X",
        ),
        (
            lambda s: sufficient_statistics([[0.0], [1e200]], [[1.0], [1.0]]),
            ValueError,
            "X holds a value of magnitude 1e.200",
        ),
    ],
)
def test_bad_statistics_arguments(call, error, message):
    stats = SufficientStatistics([1.0, 2.0], [[0.0, 0.0], [1.0, 1.0]], [np.eye(2), np.eye(2)])
    with pytest.raises(error, match=message):
        call(stats)


def test_an_empty_component_collapses_with_its_statistics():
    stats = SufficientStatistics([3.0, 0.0], [[0.0], [0.0]], [[[1.0]], [[0.0]]])
    with pytest.raises(gmmlab.ComponentCollapseError, match="component 1 has collapsed") as info:
        params_from_statistics(stats)
    assert info.value.component == 1 and info.value.statistics is stats
