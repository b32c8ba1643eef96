"""What lessons 10 and 11 say about runs, repeated over many seeds and splits.

Lesson 10's sentences about its samples, starts and splits are guarded in
tests/test_claims_choosing.py (with the lesson's settings); here remains the AIC-BIC order;
lesson 11's claims are in tests/test_claims_using.py.

Each test names the sentence it guards. A claim about one run is stated as one run in the
lesson; a claim about what "usually" or "always" happens is checked here, with margins, never
on the last bits of one EM trajectory.
"""

from __future__ import annotations

import numpy as np
import pytest

import gmmlab

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def moons():
    from sklearn.datasets import make_moons

    X, _ = make_moons(300, noise=0.1, random_state=0)
    return X


def test_on_the_same_fits_aic_never_picks_fewer_components_than_bic(moons):
    """Lesson 10: "on the same fits, AIC never picks a smaller K than BIC" (for N >= 8). A
    consequence of the penalties (d_theta grows with K and ln N > 2), so it is checked on what
    EM can return: a real sweep, and 2,000 random log-likelihood curves (any values EM might
    reach, rising or not), with both criteria computed by hand from gmmlab.n_parameters_for."""
    train = moons[:200]
    sweep = gmmlab.sweep_components(train, range(1, 9), seed=0, tol=1e-3)
    assert sweep.best("AIC") >= sweep.best("BIC")
    ks = np.arange(1, 13)
    d = np.array([gmmlab.n_parameters_for(k, 2) for k in ks])
    rng = np.random.default_rng(0)
    for n in (8, 200, 10_000):
        for _ in range(2_000 // 3):
            ll = np.cumsum(rng.normal(5.0, 20.0, len(ks)))
            aic, bic = -2 * ll + 2 * d, -2 * ll + d * np.log(n)
            assert ks[np.argmin(aic)] >= ks[np.argmin(bic)]
