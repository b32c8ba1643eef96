"""The fit loop's unchecked constructors build exactly what the checked ones would.

``params_from_statistics`` builds its MixtureParams with ``MixtureParams._from_m_step`` and
the fit loop its statistics with ``SufficientStatistics._from_kernels``, skipping checks of
numbers the library has just computed. The reference here is the public, checked
constructor: it must accept every such object and rebuild it bit for bit.
"""

import numpy as np
import pytest

import gmmlab
from gmmlab import MixtureParams, SufficientStatistics, params_from_statistics

COVARIANCE_TYPES = ("full", "diag", "spherical", "tied")


def _soft_resp(n_samples, n_components, seed):
    rng = np.random.default_rng(seed)
    resp = rng.random((n_samples, n_components)) ** 3
    return resp / resp.sum(axis=1, keepdims=True)


def _assert_rebuilt_bit_for_bit(params):
    """The checked constructor accepts ``params`` and gives the same arrays and factors."""
    rebuilt = MixtureParams(
        params.weights, params.means, params.covariances, covariance_type=params.covariance_type
    )
    for name in ("weights", "means", "covariances", "cholesky"):
        assert np.array_equal(getattr(rebuilt, name), getattr(params, name)), name
    assert rebuilt.covariance_type == params.covariance_type


def _assert_frozen(obj, names):
    for name in names:
        array = getattr(obj, name)
        with pytest.raises(ValueError):
            array[...] = 0.0
        with pytest.raises(ValueError):
            array.flags.writeable = True


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("reg_covar", [0.0, 1e-6, 0.3])
def test_m_step_params_are_what_the_checked_constructor_builds(
    iris_features, covariance_type, reg_covar
):
    for n_components in (1, 3, 6):
        for seed in range(4):
            resp = _soft_resp(len(iris_features), n_components, seed)
            stats = gmmlab.sufficient_statistics(iris_features, resp)
            params = params_from_statistics(stats, reg_covar, covariance_type)
            assert type(params) is MixtureParams
            _assert_rebuilt_bit_for_bit(params)
            _assert_frozen(params, ("weights", "means", "covariances", "cholesky"))


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_every_fitted_history_passes_the_checks_it_skipped(iris_2d, covariance_type):
    for n_components in (2, 5):
        for seed in range(5):
            for chunk_size in (None, 40):
                result = gmmlab.fit(
                    iris_2d,
                    n_components,
                    covariance_type=covariance_type,
                    seed=seed,
                    chunk_size=chunk_size,
                    max_iter=30,
                )
                for params in result.history:
                    _assert_rebuilt_bit_for_bit(params)
                _assert_frozen(result.params, ("weights", "means", "covariances", "cholesky"))


def test_kernel_statistics_are_frozen_copies_equal_to_the_checked_ones(iris_2d):
    stats = gmmlab.sufficient_statistics(iris_2d, _soft_resp(150, 3, 1))
    nk, means, covariances = (np.array(a) for a in (stats.nk, stats.means, stats.covariances))
    fast = SufficientStatistics._from_kernels(nk, means, covariances)
    checked = SufficientStatistics(nk, means, covariances)
    for name in ("nk", "means", "covariances"):
        assert np.array_equal(getattr(fast, name), getattr(checked, name))
    nk[0] = 99.0  # a copy: the caller's array no longer matters
    assert fast.nk[0] == checked.nk[0] != 99.0
    _assert_frozen(fast, ("nk", "means", "covariances"))


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda nk, m, c: nk.__setitem__(1, np.nan), "nk contains NaN"),
        (lambda nk, m, c: nk.__setitem__(0, -1.0), "nk must be non-negative"),
        (lambda nk, m, c: m.__setitem__((2, 1), np.inf), "means contains NaN"),
        (lambda nk, m, c: c.__setitem__((0, 1, 1), -np.inf), "covariances contains NaN"),
        (lambda nk, m, c: c.__setitem__((1, 0, 0), 1e308), None),  # finite: sum overflows
    ],
)
def test_bad_kernel_statistics_get_the_checked_constructors_answer(iris_2d, spoil, message):
    stats = gmmlab.sufficient_statistics(iris_2d, _soft_resp(150, 3, 2))
    nk, means, covariances = (np.array(a) for a in (stats.nk, stats.means, stats.covariances))
    c2 = covariances.copy()
    c2[2] = 1e308
    covariances = c2 if message is None else covariances
    spoil(nk, means, covariances)
    if message is None:  # the one-sum guard fails, the constructor accepts: same object
        fast = SufficientStatistics._from_kernels(nk, means, covariances)
        assert np.array_equal(fast.covariances, covariances)
        return
    with pytest.raises(ValueError, match=message) as checked:
        SufficientStatistics(nk, means, covariances)
    with pytest.raises(ValueError, match=message) as fast:
        SufficientStatistics._from_kernels(nk, means, covariances)
    assert str(fast.value) == str(checked.value)


def test_statistics_whose_counts_overflow_get_the_checked_constructors_answer():
    """N_k near the largest float: sum N_k overflows, the weights come out 0, and the
    checked constructor refuses them as before."""
    stats = SufficientStatistics([1e308, 1e308], [[0.0], [5.0]], [[[1.0]], [[2.0]]])
    with np.errstate(over="ignore"), pytest.raises(ValueError, match="sum to 1") as fast:
        params_from_statistics(stats)
    with pytest.raises(ValueError, match="weights must sum to 1") as checked:
        MixtureParams([0.0, 0.0], [[0.0], [5.0]], [[[1.0 + 1e-6]], [[2.0 + 1e-6]]])
    assert str(fast.value) == str(checked.value)
