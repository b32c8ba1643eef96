"""What lessons 10 and 11 say about runs, repeated over many seeds and splits.

Lesson 10's sentences about its samples, starts and splits are guarded in
tests/test_claims_choosing.py (with the lesson's settings); here remain the AIC-BIC order and
lesson 11's claims.

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

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def moons():
    X, _ = make_moons(300, noise=0.1, random_state=0)
    return X


def test_on_the_same_fits_aic_never_picks_fewer_components_than_bic(moons):
    """Lesson 10: "on the same fits, AIC never picks a smaller K than BIC" (for N >= 8). A
    consequence of the penalties, checked here on many sweeps whatever EM found."""
    for s, (train, _) in enumerate(ShuffleSplit(6, test_size=100, random_state=1).split(moons)):
        sweep = gmmlab.sweep_components(moons[train], range(1, 13), seed=s, tol=1e-3)
        assert sweep.best("AIC") >= sweep.best("BIC")


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
