"""Sufficient statistics: the three sums, how they add over chunks, and the M-step from them."""

import copy
import pickle

import numpy as np
import pytest

import gmmlab
from gmmlab import SufficientStatistics, params_from_statistics, sufficient_statistics
from tests.check_support import LazyAttr

GaussianMixture = LazyAttr("sklearn.mixture", "GaussianMixture")

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


# -- the collapse rule (issue 21) -------------------------------------------------------

R = 1e4 * np.finfo(float).eps  # the rule's r, written out


def statistics_of(means, covariances, nk=None):
    means = np.asarray(means, dtype=float)
    nk = np.full(len(means), 10.0) if nk is None else nk
    return gmmlab.SufficientStatistics(nk, means, covariances)


def test_the_collapse_floor_written_out():
    """F_k = r tr(Sigma_k) I + r^2 diag(mu_k^2), entry by entry."""
    means = np.array([[1.8, -3.0], [0.0, 2e5]])
    covariances = np.array([[[2.0, 0.5], [0.5, 1.0]], [[1e-3, 0.0], [0.0, 4.0]]])
    expected = np.array(
        [
            R * 3.0 * np.eye(2) + np.diag((R * means[0]) ** 2),
            R * 4.001 * np.eye(2) + np.diag((R * means[1]) ** 2),
        ]
    )
    np.testing.assert_allclose(
        gmmlab.statistics.collapse_floor(means, covariances), expected, rtol=1e-14
    )


@pytest.mark.parametrize("scale", [1e-100, 1e-3, 1.0, 1e3, 1e100])
@pytest.mark.parametrize("factor", [0.5, 2.0])
def test_a_variance_collapses_below_the_rounding_of_its_mean_at_every_scale(scale, factor):
    """1-D: sigma^2 <= (r mu)^2 (the trace term, r sigma^2, is negligible) is a collapse,
    twice that is not; the same verdict for the data times 1e-100 ... 1e100."""
    mean = 1.8 * scale
    variance = factor * (R * mean) ** 2 / (1 - R)
    statistics = statistics_of([[0.5 * scale], [mean]], [[[0.04 * scale**2]], [[variance]]])
    collapsed = gmmlab.statistics.collapsed_components(
        statistics.nk, statistics.means, statistics.covariances
    )
    np.testing.assert_array_equal(collapsed, [False, factor < 1])
    if factor < 1:
        with pytest.raises(gmmlab.ComponentCollapseError, match="component 1 has collapsed"):
            gmmlab.params_from_statistics(statistics, reg_covar=0.0)
    else:
        params = gmmlab.params_from_statistics(statistics, reg_covar=0.0)
        assert params.covariances[1, 0, 0] == variance


def test_the_rounding_residue_of_tied_values_is_a_collapse_and_says_so():
    """Issue 21's spike: 12 flowers of width 1.8, variance 4.93e-32 where another
    processor computes exactly 0. Both are the same collapse, with the same message but
    for the eigenvalue."""
    messages = []
    for residue in (0.0, 4.930380657631323e-32):
        statistics = statistics_of([[0.5], [1.8]], [[[0.04]], [[residue]]], nk=[138.0, 12.0])
        with pytest.raises(gmmlab.ComponentCollapseError) as error:
            gmmlab.params_from_statistics(statistics, reg_covar=0.0)
        assert error.value.component == 1 and not error.value.empty
        assert error.value.statistics is statistics
        messages.append(str(error.value))
    assert "(smallest eigenvalue 0) even after adding reg_covar=0" in messages[0]
    assert "(smallest eigenvalue 4.93e-32, below 1.6e-23," in messages[1]
    for message in messages:
        assert "its points (N_k = 12) are all the same point. Set reg_covar > 0" in message


def test_a_tight_cluster_beside_a_far_outlier_is_not_a_collapse():
    """The floor follows the component's own numbers, not the spread of all the data."""
    statistics = statistics_of([[0.0], [1e148]], [[[1e-20]], [[1e298]]], nk=[100.0, 2.0])
    params = gmmlab.params_from_statistics(statistics, reg_covar=0.0)  # data spread ~1e297
    np.testing.assert_array_equal(params.covariances[:, 0, 0], [1e-20, 1e298])
    with pytest.raises(gmmlab.ComponentCollapseError) as error:
        gmmlab.params_from_statistics(statistics_of([[0.0], [1e10]], [[[1.0]], [[1e-6]]]))
    assert error.value.component == 1  # 1e-6 at 1e10 is below the rounding, 2.2e-2 sd


@pytest.mark.parametrize(
    ("smallest", "collapsed"), [(0.5 * R * 2.0, True), (2.0 * R * 2.0, False)]
)
def test_a_covariance_near_a_line_collapses_below_r_times_its_trace(smallest, collapsed):
    """2-D, centred at 0 (no rounding term): eigenvalues 2 and `smallest` along a tilted
    axis. The floor is r tr(Sigma) ~ 2r in every direction."""
    rotation = np.array([[0.6, -0.8], [0.8, 0.6]])
    covariance = rotation @ np.diag([2.0, smallest]) @ rotation.T
    statistics = statistics_of([[0.0, 0.0]], [covariance])
    result = gmmlab.statistics.collapsed_components(
        statistics.nk, statistics.means, statistics.covariances
    )
    assert result.tolist() == [collapsed]
    if collapsed:
        with pytest.raises(gmmlab.ComponentCollapseError, match="span only 1 of the 2"):
            gmmlab.params_from_statistics(statistics, reg_covar=0.0)


def test_check_collapse_without_covariances_checks_only_nk():
    """For mixtures without covariances (Bernoulli): N_k < MIN_NK is the only rule."""
    gmmlab.statistics.check_collapse([3.0, 1e-9])
    with pytest.raises(gmmlab.ComponentCollapseError, match="component 1 has collapsed") as error:
        gmmlab.statistics.check_collapse([3.0, 1e-11])
    assert error.value.empty and error.value.component == 1
