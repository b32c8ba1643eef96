"""Explorers of lessons 3, 5, 7 and 9: what this round added to them."""

import numpy as np
import pytest

import gmmlab
from gmmlab import widgets
from gmmlab.datasets import load_iris_features


@pytest.fixture(scope="module")
def petals():
    return load_iris_features(("petal length", "petal width"))


def built_runs(X, floor):
    """Two runs of 0 iterations, built so that only the first is flat at ``floor``."""
    means = X[[0, 60, 120]]
    flat = np.diag([0.03, floor])  # component 0: variance along the width exactly the floor
    wide = 0.1 * np.eye(2)
    degenerate = gmmlab.MixtureParams(np.full(3, 1 / 3), means, [flat, wide, wide])
    ordinary = gmmlab.MixtureParams(np.full(3, 1 / 3), means, [wide, wide, wide])
    return [gmmlab.fit(X, 3, init=start, max_iter=0) for start in (degenerate, ordinary)]


def test_starts_explorer_names_and_hatches_a_fit_at_the_floor(petals):
    runs = built_runs(petals.X, 1e-6)
    explorer = widgets.StartsExplorer(petals.X, runs, labels=petals.labels)
    np.testing.assert_allclose(explorer.smallest_eigenvalue, [1e-6, 0.1], rtol=1e-9)
    assert explorer.degenerate.tolist() == [True, False]
    explorer.set(seed=0)
    assert "smallest covariance eigenvalue: 1.0e-06 (at the floor reg_covar: degenerate)" in (
        explorer.readout.value)
    explorer.set(seed=1)
    assert "smallest covariance eigenvalue: 1.0e-01" in explorer.readout.value
    assert "degenerate" not in explorer.readout.value
    hatches = {float(value): patch.get_hatch()
               for value, patch in zip(explorer.maxima, explorer.bars, strict=True)}
    final = [run.log_likelihoods[-1] for run in runs]
    assert hatches[round(final[0], 2)] == "///" and hatches[round(final[1], 2)] is None


def test_starts_explorer_judges_the_floor_it_is_given(petals):
    """A fit flat at a floor of 1e-3 is degenerate for reg_covar=1e-3, not for 1e-6."""
    runs = built_runs(petals.X, 1e-3)
    assert widgets.StartsExplorer(petals.X, runs, reg_covar=1e-3).degenerate.tolist() == [
        True, False]
    assert not widgets.StartsExplorer(petals.X, runs).degenerate.any()


@pytest.mark.parametrize(("value", "error", "message"), [
    # the shared validator of gmmlab._validation (ensure_positive_number)
    (-1e-6, ValueError, r"reg_covar must be a finite number greater than 0, got -1e-06"),
    (0.0, ValueError, r"reg_covar must be a finite number greater than 0"),
    (np.inf, ValueError, r"reg_covar must be a finite number greater than 0"),
    ("1e-6", TypeError, r"reg_covar must be a positive number, got '1e-6'"),
    (True, TypeError, r"reg_covar must be a positive number"),
])
def test_starts_explorer_rejects_a_bad_floor(petals, value, error, message):
    runs = built_runs(petals.X, 1e-6)
    with pytest.raises(error, match=message):
        widgets.StartsExplorer(petals.X, runs, reg_covar=value)
