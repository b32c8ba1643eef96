"""EM over chunks of rows: the same fit, whatever the chunks."""

import numpy as np
import pytest

import gmmlab
from gmmlab import MixtureParams


@pytest.fixture(scope="module")
def blobs():
    """3,000 points from three clusters in 3-D, and a start."""
    truth = MixtureParams(
        [0.5, 0.3, 0.2],
        [[0.0, 0.0, 0.0], [4.0, 1.0, -2.0], [1.0, 5.0, 3.0]],
        [np.eye(3), 0.5 * np.eye(3) + 0.2, np.diag([2.0, 0.3, 1.0])],
    )
    X, _ = truth.sample(3000, seed=7)
    return X, gmmlab.initialize(X, 3, method="kmeans++", seed=1)


def assert_results_equal(a, b, atol):
    assert a.n_iter == b.n_iter and a.converged == b.converged
    np.testing.assert_allclose(a.log_likelihoods, b.log_likelihoods, rtol=1e-12)
    for name in ("weights", "means", "covariances"):
        np.testing.assert_allclose(
            getattr(a.params, name), getattr(b.params, name), rtol=0, atol=atol, err_msg=name
        )


@pytest.mark.parametrize("chunk_size", [1, 7, 256, 1000, 2999])
def test_chunked_fit_equals_the_unchunked_fit(blobs, chunk_size):
    X, start = blobs
    if chunk_size < 10:  # one point at a time: fewer points, or the test takes long
        X = X[:400]
    unchunked = gmmlab.fit(X, 3, init=start, max_iter=30, tol=0, chunk_size=len(X))
    chunked = gmmlab.fit(X, 3, init=start, max_iter=30, tol=0, chunk_size=chunk_size)
    assert_results_equal(chunked, unchunked, atol=1e-10)


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_chunked_fit_equals_the_unchunked_fit_for_every_covariance_type(blobs, covariance_type):
    X, _ = blobs
    kwargs = {"init": "random", "seed": 3, "covariance_type": covariance_type, "tol": 1e-8}
    unchunked = gmmlab.fit(X, 3, chunk_size=len(X), **kwargs)
    default = gmmlab.fit(X, 3, **kwargs)
    chunked = gmmlab.fit(X, 3, chunk_size=333, **kwargs)
    assert_results_equal(default, unchunked, atol=1e-10)
    assert_results_equal(chunked, unchunked, atol=1e-10)


def test_each_iteration_is_an_e_step_and_an_m_step(blobs):
    """fit's history, chunked, against the public steps run on all the data at once."""
    X, start = blobs
    result = gmmlab.fit(X, 3, init=start, max_iter=5, tol=0, chunk_size=100)
    for before, after in zip(result.history, result.history[1:], strict=False):
        expected = gmmlab.m_step(X, gmmlab.e_step(X, before))
        np.testing.assert_allclose(after.means, expected.means, rtol=0, atol=1e-11)
        np.testing.assert_allclose(after.covariances, expected.covariances, rtol=0, atol=1e-11)
    for params, value in zip(result.history, result.log_likelihoods, strict=True):
        assert value == pytest.approx(gmmlab.log_likelihood(X, params), rel=1e-13)


@pytest.mark.parametrize("chunk_size", [None, 1, 500])
def test_expected_statistics_are_the_statistics_of_the_e_step(blobs, chunk_size):
    X, start = blobs
    statistics, value = gmmlab.expected_statistics(X, start, chunk_size=chunk_size)
    reference = gmmlab.sufficient_statistics(X, gmmlab.e_step(X, start))
    np.testing.assert_allclose(statistics.nk, reference.nk, rtol=1e-12)
    np.testing.assert_allclose(statistics.means, reference.means, rtol=0, atol=1e-12)
    np.testing.assert_allclose(statistics.covariances, reference.covariances, rtol=0, atol=1e-12)
    assert value == pytest.approx(gmmlab.log_likelihood(X, start), rel=1e-13)


def test_the_same_seed_gives_the_same_start_whatever_the_chunks(blobs):
    X, _ = blobs
    for method in gmmlab.em.INIT_METHODS:
        a = gmmlab.fit(X, 3, init=method, seed=5, max_iter=0, chunk_size=10)
        b = gmmlab.fit(X, 3, init=method, seed=5, max_iter=0)
        np.testing.assert_allclose(a.params.covariances, b.params.covariances, atol=1e-12)


def test_a_start_from_more_rows_than_the_sample_size_uses_a_sample(monkeypatch, blobs):
    """Above INIT_SAMPLE_SIZE rows the start comes from a seeded sample of that many rows."""
    X, _ = blobs
    monkeypatch.setattr(gmmlab.em, "INIT_SAMPLE_SIZE", 1000)
    start = gmmlab.initialize(X, 3, method="random", seed=2)
    rng = np.random.default_rng(2)
    rows = np.sort(rng.choice(len(X), size=1000, replace=False))
    resp = rng.random((1000, 3))
    expected = gmmlab.m_step(X[rows], resp / resp.sum(axis=1, keepdims=True))
    np.testing.assert_allclose(start.means, expected.means, rtol=1e-13)
    np.testing.assert_allclose(start.covariances, expected.covariances, rtol=1e-12)


def _blas_threads():
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_a_small_fit_runs_blas_on_one_thread_and_gives_the_threads_back(monkeypatch, blobs):
    """A one-chunk fit of fewer than SMALL_DATA_ROWS rows limits BLAS to one thread while it
    runs (the limit is seen from inside its E-step) and restores the limits afterwards."""
    from gmmlab import _kernels

    X, start = blobs
    seen = []
    e_step = _kernels.expected_statistics

    def spying(*args, **kwargs):
        seen.append(_blas_threads())
        return e_step(*args, **kwargs)

    monkeypatch.setattr(_kernels, "expected_statistics", spying)
    before = _blas_threads()
    small = X[: _kernels.SMALL_DATA_ROWS - 1]
    gmmlab.fit(small, 3, init=start, max_iter=3, tol=0)
    assert seen and all(threads == [1] * len(before) for threads in seen)
    assert _blas_threads() == before
    seen.clear()
    large = X[: _kernels.SMALL_DATA_ROWS]  # one chunk, but not small: BLAS keeps its threads
    gmmlab.fit(large, 3, init=start, max_iter=3, tol=0, chunk_size=len(large))
    assert seen and all(threads == before for threads in seen)
