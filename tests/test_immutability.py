"""MixtureParams and EMResult stay read-only through copies, pickles and flag flips."""

import copy
import dataclasses
import pickle

import numpy as np
import pytest

import gmmlab
from gmmlab import MixtureParams

PARAMS = MixtureParams([0.4, 0.6], [[0.0, 1.0], [3.0, 2.0]], [np.eye(2), [[2.0, 0.5], [0.5, 1.0]]])
ARRAYS = ("weights", "means", "covariances", "cholesky")

COPIES = {
    "original": lambda obj: obj,
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "pickle": lambda obj: pickle.loads(pickle.dumps(obj)),
    "replace": lambda obj: (
        obj.replace() if isinstance(obj, MixtureParams) else obj.permute([0, 1])
    ),
}


def assert_read_only(array):
    with pytest.raises(ValueError, match="read-only"):
        array[(0,) * array.ndim] = 42.0
    with pytest.raises(ValueError):  # and no flag flip makes it writable again
        array.flags.writeable = True
    base = array.base
    while isinstance(base, np.ndarray):
        with pytest.raises(ValueError):
            base.flags.writeable = True
        base = base.base


@pytest.mark.parametrize("how", COPIES)
def test_mixture_params_copies_are_read_only_and_equal(how):
    clone = COPIES[how](PARAMS)
    assert isinstance(clone, MixtureParams)
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(clone, name), getattr(PARAMS, name))
        assert_read_only(getattr(clone, name))
    with pytest.raises(dataclasses.FrozenInstanceError):
        clone.weights = np.array([0.5, 0.5])


@pytest.mark.parametrize("how", COPIES)
def test_em_result_copies_are_read_only(how, iris_2d):
    result = gmmlab.fit(iris_2d, 2, seed=0, max_iter=3, tol=0)
    clone = COPIES[how](result)
    assert isinstance(clone, gmmlab.EMResult) and clone.n_iter == 3
    assert clone.params is clone.history[-1]
    np.testing.assert_array_equal(clone.log_likelihoods, result.log_likelihoods)
    assert_read_only(clone.log_likelihoods)
    for params in clone.history:
        for name in ARRAYS:
            assert_read_only(getattr(params, name))
    with pytest.raises(dataclasses.FrozenInstanceError):
        clone.n_iter = 7


def test_the_cholesky_factors_always_match_the_covariances():
    """Issue 11: re-enabling writeable used to let covariances change under stale factors."""
    for clone in (PARAMS, copy.deepcopy(PARAMS), pickle.loads(pickle.dumps(PARAMS))):
        with pytest.raises(ValueError):
            clone.covariances.flags.writeable = True
        L = clone.cholesky
        np.testing.assert_allclose(L @ L.transpose(0, 2, 1), clone.covariances, rtol=1e-14)


def test_a_corrupted_pickle_is_checked_again():
    """Unpickling goes through the constructor: a tampered pickle cannot bring weights [2, -1]."""
    payload = pickle.dumps(PARAMS).replace(
        np.array([0.4, 0.6]).tobytes(), np.array([2.0, -1.0]).tobytes()
    )
    with pytest.raises(ValueError, match="weights must be non-negative"):
        pickle.loads(payload)


def test_em_result_is_checked_on_construction():
    history = (PARAMS, PARAMS)
    with pytest.raises(ValueError, match="params must be the last entry of history"):
        gmmlab.EMResult(PARAMS.replace(), history, [0.0, 1.0], 1, False)
    with pytest.raises(ValueError, match="one value per entry of history"):
        gmmlab.EMResult(PARAMS, history, [0.0], 1, False)
    with pytest.raises(ValueError, match=r"n_iter must be len\(history\) - 1 = 1"):
        gmmlab.EMResult(PARAMS, history, [0.0, 1.0], 3, False)
    with pytest.raises(TypeError, match="history must be a non-empty sequence"):
        gmmlab.EMResult(PARAMS, ("not params", PARAMS), [0.0, 1.0], 1, False)
