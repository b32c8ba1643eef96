"""gmmlab.fit on a dask array, on a LocalCluster with two worker processes.

Needs the optional extra ``scale`` (dask[array], distributed), which ``make test`` installs.
"""

import numpy as np
import pytest

import gmmlab
from gmmlab import MixtureParams

da = pytest.importorskip("dask.array", reason="needs the scale extra: pip install -e '.[scale]'")
distributed = pytest.importorskip("distributed", reason="needs the scale extra")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def data():
    truth = MixtureParams(
        [0.5, 0.3, 0.2],
        [[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]],
        [[[1.0, 0.4], [0.4, 0.8]], [[0.5, -0.2], [-0.2, 1.5]], [[2.0, 0.0], [0.0, 0.3]]],
    )
    X, _ = truth.sample(30_000, seed=0)
    start = MixtureParams(
        [0.4, 0.3, 0.3],
        [[1.0, 1.0], [3.0, 0.0], [0.0, 4.0]],
        [np.eye(2), np.eye(2), np.eye(2)],
    )
    return X, start


@pytest.fixture
def never_gathered(monkeypatch):
    """Any np.asarray of a dask array in this process fails the test."""

    def gathered(self, *args, **kwargs):
        raise AssertionError(f"a dask array of shape {self.shape} was gathered into memory")

    monkeypatch.setattr(da.Array, "__array__", gathered)


def assert_same_result(a, b, atol=1e-8):
    assert a.n_iter == b.n_iter and a.converged == b.converged
    np.testing.assert_allclose(a.log_likelihoods, b.log_likelihoods, rtol=1e-12)
    for before, after in zip(a.history, b.history, strict=True):
        for name in ("weights", "means", "covariances"):
            np.testing.assert_allclose(
                getattr(before, name), getattr(after, name), rtol=0, atol=atol, err_msg=name
            )


def test_fit_on_the_cluster_equals_the_fit_in_memory(client, data, never_gathered):
    X, start = data
    in_memory = gmmlab.fit(X, 3, init=start, max_iter=15, tol=0)
    on_cluster = gmmlab.fit(da.from_array(X, chunks=(4000, 2)), 3, init=start, max_iter=15, tol=0)
    assert isinstance(on_cluster, gmmlab.EMResult)
    assert_same_result(on_cluster, in_memory)


def test_each_iteration_is_one_small_reduction(client, data, monkeypatch, never_gathered):
    """One computation per E-step, and what comes back is K + KD + KD^2 numbers and l."""
    import dask

    X, start = data
    X_dask = da.from_array(X, chunks=(5000, 2)).persist()
    returned = []
    compute = dask.compute

    def counting_compute(*args, **kwargs):
        results = compute(*args, **kwargs)
        returned.append(results)
        return results

    import gmmlab.scale

    gmmlab.scale.check_dask_X(X_dask)  # the one-time check, before counting
    monkeypatch.setattr(dask, "compute", counting_compute)
    monkeypatch.setattr(gmmlab.scale, "check_dask_X", lambda X, name="X": X)
    result = gmmlab.fit(X_dask, 3, init=start, max_iter=6, tol=0)
    assert len(returned) == result.n_iter + 1  # theta^(0..6): one E-step each
    for (((nk, means, covariances), log_likelihood),) in returned:
        assert nk.shape == (3,) and means.shape == (3, 2) and covariances.shape == (3, 2, 2)
        assert isinstance(log_likelihood, float)


def test_the_same_seed_gives_the_same_fit_on_the_cluster(client, data, never_gathered):
    X, _ = data
    in_memory = gmmlab.fit(X, 3, seed=4, max_iter=10, tol=0)
    on_cluster = gmmlab.fit(da.from_array(X, chunks=(7000, 2)), 3, seed=4, max_iter=10, tol=0)
    assert_same_result(on_cluster, in_memory)


def test_expected_statistics_on_the_cluster(client, data):
    X, start = data
    statistics, value = gmmlab.expected_statistics(da.from_array(X, chunks=(3000, 2)), start)
    reference, reference_value = gmmlab.expected_statistics(X, start)
    np.testing.assert_allclose(statistics.covariances, reference.covariances, atol=1e-12)
    assert value == pytest.approx(reference_value, rel=1e-12)


@pytest.mark.parametrize(
    ("make", "kwargs", "error", "message"),
    [
        (lambda X: da.from_array(X[:, 0], chunks=1000), {}, ValueError, "X must be a 2-D dask"),
        (lambda X: da.from_array(X, chunks=(1000, 1)), {}, ValueError, "chunked along rows only"),
        (
            lambda X: da.from_array(np.where(X > 6, np.nan, X), chunks=(1000, 2)),
            {},
            ValueError,
            "X contains NaN or infinite values",
        ),
        (lambda X: da.from_array(X * 1e160, chunks=(1000, 2)), {}, ValueError, "magnitude"),
        (lambda X: da.from_array(X.astype(complex), chunks=(1000, 2)), {}, TypeError, "real"),
        (
            lambda X: da.from_array(X, chunks=(1000, 2)),
            {"chunk_size": 10},
            ValueError,
            "chunk_size applies to in-memory arrays",
        ),
    ],
)
def test_bad_dask_arrays(client, data, make, kwargs, error, message):
    X, start = data
    with pytest.raises(error, match=message):
        gmmlab.fit(make(X[:5000]), 3, init=start, max_iter=2, **kwargs)


# -- the functions that give one number per point or per component -----------------------------

SMALL = np.random.default_rng(1).normal(size=(600, 2))
SMALL_PARAMS = MixtureParams([0.5, 0.5], [[-1.0, 0.0], [1.0, 0.0]], [np.eye(2), np.eye(2)])
SMALL_RESP = gmmlab.e_step(SMALL, SMALL_PARAMS)


def _dask(array):
    return da.from_array(array, chunks=(200,) + array.shape[1:])


# (call, the argument that is a dask array)
NEEDS_MEMORY = [
    (lambda: gmmlab.e_step(_dask(SMALL), SMALL_PARAMS), "X"),
    (lambda: gmmlab.mixture_pdf(_dask(SMALL), SMALL_PARAMS), "X"),
    (lambda: gmmlab.log_mixture_pdf(_dask(SMALL), SMALL_PARAMS), "X"),
    (lambda: gmmlab.weighted_densities(_dask(SMALL), SMALL_PARAMS), "X"),
    (lambda: gmmlab.log_gaussian_pdf(_dask(SMALL), [0.0, 0.0], np.eye(2)), "X"),
    (lambda: gmmlab.mahalanobis(_dask(SMALL), [0.0, 0.0], np.eye(2)), "X"),
    (lambda: gmmlab.m_step(_dask(SMALL), SMALL_RESP), "X"),
    (lambda: gmmlab.m_step(SMALL, _dask(SMALL_RESP)), "resp"),
    (lambda: gmmlab.lower_bound(_dask(SMALL), SMALL_PARAMS, SMALL_RESP), "X"),
    (lambda: gmmlab.lower_bound(SMALL, SMALL_PARAMS, _dask(SMALL_RESP)), "resp"),
    (lambda: gmmlab.hard_assign(_dask(SMALL_RESP)), "resp"),
    (lambda: gmmlab.sufficient_statistics(_dask(SMALL), SMALL_RESP), "X"),
    (lambda: gmmlab.MixtureParams([0.5, 0.5], _dask(np.zeros((2, 2))), [np.eye(2)] * 2), "means"),
]


@pytest.mark.parametrize(("call", "name"), NEEDS_MEMORY, ids=[n for _, n in NEEDS_MEMORY])
def test_a_function_that_needs_the_values_refuses_a_dask_array(call, name, never_gathered):
    """A TypeError naming the argument and what works instead, before any block is gathered."""
    with pytest.raises(TypeError) as error:
        call()
    message = str(error.value)
    assert message.startswith(f"{name} is a dask array, but this function needs all of its")
    assert "gmmlab.fit" in message and "gmmlab.expected_statistics" in message
    assert f"{name}.map_blocks" in message and f"{name}.compute()" in message


def test_log_likelihood_bic_and_aic_reduce_a_dask_array_block_by_block(client, never_gathered):
    X_dask = da.from_array(SMALL, chunks=(170, 2))  # blocks of unequal size: 170, ..., 90
    expected = gmmlab.log_likelihood(SMALL, SMALL_PARAMS)
    assert gmmlab.log_likelihood(X_dask, SMALL_PARAMS) == pytest.approx(expected, rel=1e-13)
    # BIC and AIC from their definitions: d_theta = 2 - 1 + 2 * 2 + 2 * 3 = 11 parameters
    assert gmmlab.bic(X_dask, SMALL_PARAMS) == pytest.approx(-2 * expected + 11 * np.log(600))
    assert gmmlab.aic(X_dask, SMALL_PARAMS) == pytest.approx(-2 * expected + 2 * 11)


def test_log_likelihood_of_a_dask_array_names_a_point_beyond_range_by_its_row_in_X(client):
    far = SMALL.copy()
    far[437] = [1e200, 0.0]  # in the third block of 170 rows
    with pytest.raises(ValueError, match=r"^X\[437\] lies about 1e200 standard deviations"):
        gmmlab.log_likelihood(da.from_array(far, chunks=(170, 2)), SMALL_PARAMS)
    with pytest.raises(ValueError, match="X must be a 2-D dask array"):
        gmmlab.log_likelihood(da.from_array(SMALL[:, 0], chunks=100), SMALL_PARAMS)
    with pytest.raises(ValueError, match=r"X has 2 feature\(s\) but params describes 1"):
        gmmlab.log_likelihood(_dask(SMALL), MixtureParams([1.0], [0.0], [1.0]))


@pytest.mark.parametrize("case", ["tied values", "duplicated rows in 2-D"])
def test_a_collapse_on_the_cluster_is_the_collapse_in_memory(client, case, never_gathered):
    """Issue 21: the workers' blocks give other rounding residues than one in-memory pass;
    the collapse rule gives the same error (tests/collapse_cases.py builds it on purpose)."""
    from tests.collapse_cases import CASES

    X, start = CASES[case]()
    errors = []
    for data in (X, da.from_array(X, chunks=(9, -1))):
        with pytest.raises(gmmlab.ComponentCollapseError) as error:
            gmmlab.fit(data, start.n_components, init=start, reg_covar=0.0, max_iter=20)
        errors.append(error.value)
    in_memory, on_cluster = errors
    assert (on_cluster.component, on_cluster.iteration) == (in_memory.component, 1)
    assert on_cluster.reason.split(" (smallest")[0] == in_memory.reason.split(" (smallest")[0]
    assert "are all the same point" in on_cluster.reason
