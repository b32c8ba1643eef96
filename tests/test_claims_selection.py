"""What lessons 10 and 11 say about runs, repeated over many seeds and splits.

Each test names the sentence it guards. A claim about one run is stated as one run in the
lesson; a claim about what "usually" or "always" happens is checked here, with margins, never
on the last bits of one EM trajectory.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_moons
from sklearn.model_selection import ShuffleSplit

import gmmlab
from gmmlab.datasets import load_iris_features, make_ellipsoidal_clusters

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def moons():
    X, _ = make_moons(300, noise=0.1, random_state=0)
    return X


def test_bic_usually_finds_the_five_clusters_and_aic_picks_five_to_seven():
    """Lesson 10: "On ten other samples from the same five clusters BIC picked K = 5 nine times
    and K = 4 once, AIC between 5 and 7"."""
    bic_picks, aic_picks = [], []
    for seed in range(10):
        X = make_ellipsoidal_clusters(600, n_components=5, seed=seed).X
        sweep = gmmlab.sweep_components(X, range(1, 8), n_init=5)
        bic_picks.append(sweep.best("BIC"))
        aic_picks.append(sweep.best("AIC"))
    assert sum(k == 5 for k in bic_picks) >= 8, bic_picks
    assert set(bic_picks) <= {4, 5, 6}, bic_picks
    assert all(5 <= k <= 7 for k in aic_picks), aic_picks


def test_on_the_same_fits_aic_never_picks_fewer_components_than_bic(moons):
    """Lesson 10: "on the same fits, AIC never picks a smaller K than BIC" (for N >= 8). A
    consequence of the penalties, checked here on many sweeps whatever EM found."""
    for s, (train, _) in enumerate(ShuffleSplit(6, test_size=100, random_state=1).split(moons)):
        sweep = gmmlab.sweep_components(moons[train], range(1, 13), seed=s, tol=1e-3)
        assert sweep.best("AIC") >= sweep.best("BIC")


def test_the_ruler_floor_picks_three_species_and_the_default_floor_depends_on_the_seed():
    """Lesson 10: with the default floor some seeds find the spike (BIC picks 5) and others
    do not (BIC picks 3); with the ruler floor BIC picks 3 on every seed tried."""
    iris = load_iris_features(("petal length", "petal width"))
    picks = {1e-6: [], 0.1**2 / 12: []}
    for seed in range(8):
        for floor, found in picks.items():
            bics = [
                gmmlab.bic(iris.X, gmmlab.fit(iris.X, k, init="random", n_init=5, seed=seed,
                                              reg_covar=floor).params)
                for k in range(1, 6)
            ]
            found.append(int(np.argmin(bics)) + 1)
    assert picks[0.1**2 / 12] == [3] * 8, picks
    assert 3 in picks[1e-6] and 5 in picks[1e-6], picks


def test_the_moons_picks_across_splits_stay_in_the_ranges_the_lesson_reports(moons):
    """Lesson 10: over other splits and more starts the ranges "shift by a component or two,
    and AIC reaches into the low teens"; the held-out and BIC picks stay near 6 to 8."""
    picks = gmmlab.picks_across_splits(moons, range(1, 16), n_splits=10, test_size=100,
                                       n_init=5, tol=1e-4)
    held_out, bic, aic = (picks.picks[name] for name in ("held-out", "BIC", "AIC"))
    assert 5 <= held_out.min() and held_out.max() <= 11, held_out
    assert 5 <= bic.min() and bic.max() <= 8, bic
    assert np.all(aic >= bic) and aic.max() >= 11, aic


def test_the_overfitted_moons_raise_more_false_alarms_on_new_points(moons):
    """Lesson 11: "the 16-component fit flags clearly more new points than the 8-component
    one", over ten splits, at q = 5%."""
    rates, splits = [], ShuffleSplit(10, test_size=100, random_state=2)
    for s, (train, held) in enumerate(splits.split(moons)):
        row = []
        for k, n_init in ((16, 1), (8, 3)):
            params = gmmlab.fit(moons[train], k, n_init=n_init, seed=s).params
            tau = gmmlab.anomaly_threshold(moons[train], params, 5)
            row.append(gmmlab.flag_anomalies(moons[held], params, tau).mean())
        rates.append(row)
    rates = np.array(rates)
    assert np.sum(rates[:, 0] > rates[:, 1]) >= 8, rates
    assert rates[:, 0].mean() >= 1.5 * rates[:, 1].mean(), rates
