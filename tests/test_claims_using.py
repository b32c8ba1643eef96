"""What lesson 11 says about runs, repeated over many seeds, starts and draws.

Each test names the sentence it guards and checks it with margins, never on the last bits of
one EM trajectory. The fits that several tests share are computed once, on first use
(``functools.cache``), never at import.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import gmmlab
from gmmlab.datasets import load_iris_features, make_ellipsoidal_clusters

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

N_DRAWS = 20  # fresh draws of the moons for the false-alarm claims (the lesson shows 5)


def _lesson_moons():
    """The lesson's 300 moons and its split: 200 training points, 100 held out."""
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(300, noise=0.1, random_state=0)
    return train_test_split(X, y, test_size=100, random_state=0)


@functools.cache
def _k2_starts(n_seeds=40):
    X_train, _, _, _ = _lesson_moons()
    return tuple(gmmlab.fit(X_train, 2, seed=seed) for seed in range(n_seeds))


@functools.cache
def _draw_rates(tau_from):
    """Share of 100 new points flagged, per (K, q), over N_DRAWS fresh draws of 400 moons.

    tau_from="training": tau_q is the q-th percentile over the 200 training points (the
    lesson's rule); "held-out": over 100 further points the fit did not see.
    """
    from sklearn.datasets import make_moons

    rates = {}
    for draw in range(1, N_DRAWS + 1):
        points = make_moons(400, noise=0.1, random_state=draw)[0]
        train, new, validation = points[:200], points[200:300], points[300:]
        for k, n_init in ((16, 1), (8, 3)):
            params = gmmlab.fit(train, k, n_init=n_init, seed=draw, tol=1e-3).params
            for q in (2, 5):
                source = train if tau_from == "training" else validation
                tau = gmmlab.anomaly_threshold(source, params, q)
                rate = gmmlab.flag_anomalies(new, params, tau).mean()
                rates.setdefault((k, q), []).append(rate)
    return {key: np.array(value) for key, value in rates.items()}


def test_most_k2_starts_reach_the_best_maximum_which_does_not_keep_the_moons_apart():
    """Lesson 11, §1: "Of the ten K = 2 starts, 7 end at the highest ℓ ... (checks on 40 seeds
    that most starts reach it)", and §5: "the best likelihood found does not even keep the
    moons apart"."""
    from sklearn.metrics import adjusted_rand_score
    from sklearn.mixture import GaussianMixture

    X_train, _, y_train, _ = _lesson_moons()
    final = np.array([start.log_likelihoods[-1] for start in _k2_starts()])
    best = final.max()
    # scikit-learn, 20 starts of its own, finds no higher maximum
    reference = GaussianMixture(2, n_init=20, random_state=0).fit(X_train)
    assert reference.score(X_train) * len(X_train) < best + 0.05
    assert np.mean(final > best - 0.01) > 0.5, np.round(final, 2)
    # the lesson's ten starts (seeds 0-9) include one at the best maximum
    assert final[:10].max() > best - 0.01
    # that fit: one component holds the whole lower moon and a large part of the upper one
    top = _k2_starts()[int(np.argmax(final))]
    labels = gmmlab.hard_assign(gmmlab.e_step(X_train, top.params))
    lower = np.bincount(labels[y_train == 1], minlength=2).argmax()
    assert np.mean(labels[y_train == 1] == lower) > 0.95
    assert np.mean(labels[y_train == 0] == lower) > 0.3
    assert adjusted_rand_score(y_train, labels) < 0.3


def test_the_k2_density_is_high_between_the_arcs_and_the_k16_density_is_not():
    """Lesson 11, §1: at the moons' centre (0.5, 0.25) the best K = 2 fit has log p above
    ℓ/N; with 16 components log p there falls far below every training point."""
    from sklearn.datasets import make_moons

    X_train, _, _, _ = _lesson_moons()
    centre = np.array([[0.5, 0.25]])
    assert np.min(np.linalg.norm(make_moons(300, noise=0.1, random_state=0)[0] - centre,
                                 axis=1)) > 0.2  # no point near the centre
    final = [start.log_likelihoods[-1] for start in _k2_starts()]
    top = _k2_starts()[int(np.argmax(final))].params
    assert gmmlab.log_mixture_pdf(centre, top)[0] > gmmlab.mean_log_likelihood(X_train, top)
    for seed in range(4):
        params = gmmlab.fit(X_train, 16, seed=seed).params
        lowest = gmmlab.log_mixture_pdf(X_train, params).min()
        assert gmmlab.log_mixture_pdf(centre, params)[0] < lowest - 2


def test_k8_flags_fewer_new_points_than_k16_but_still_several_times_q():
    """Lesson 11, §3: "Averaged over the draws, K = 16 flags ... K = 8 ...: fewer, but still
    several times q, and one draw of 100 points gives anything from 5% to 13%"."""
    rates = _draw_rates("training")
    for q in (2, 5):
        assert rates[16, q].mean() > 1.5 * rates[8, q].mean(), (q, rates[16, q], rates[8, q])
        assert rates[8, q].mean() > 2 * q / 100, (q, rates[8, q])
    # a share counted on 100 points moves by several points from draw to draw
    assert np.ptp(rates[8, 2]) >= 0.05, rates[8, 2]


def test_a_threshold_set_on_unseen_points_flags_about_q_of_new_points():
    """Lesson 11, §3: "to flag a share q of new points, set τ_q on points the fit did not
    see" (the mean over draws comes close to q, unlike the training threshold's)."""
    rates = _draw_rates("held-out")
    for k in (8, 16):
        for q in (2, 5):
            assert q / 200 < rates[k, q].mean() < 2 * q / 100, (k, q, rates[k, q])


@pytest.mark.parametrize(("alpha", "starts", "used"),
                         [(0.001, range(6), 5), (1.0, range(6), 5), (100.0, range(3), 10)])
def test_variational_bayes_empties_components_even_with_a_flat_prior(alpha, starts, used):
    """Lesson 11, §4: "With α₀ = 1, a flat prior, five again do the work. Two more starts give
    five for both priors ... A large α₀ stops it", and the posterior-mean formula holds to a
    few millionths with N_k from predict_proba."""
    from sklearn.metrics import adjusted_rand_score
    from sklearn.mixture import BayesianGaussianMixture

    blobs = make_ellipsoidal_clusters(600, n_components=5, seed=1)
    for start in starts:
        bgm = BayesianGaussianMixture(
            n_components=10, weight_concentration_prior_type="dirichlet_distribution",
            weight_concentration_prior=alpha, max_iter=500, random_state=start).fit(blobs.X)
        nk = bgm.predict_proba(blobs.X).sum(axis=0)
        assert np.sum(nk >= 1) == used, (alpha, start, np.round(nk, 2))
        formula = (alpha + nk) / (10 * alpha + len(blobs.X))
        np.testing.assert_allclose(bgm.weights_, formula, atol=1e-4)
        if used == 5:
            assert adjusted_rand_score(blobs.labels, bgm.predict(blobs.X)) > 0.95


def test_the_cm_and_mm_full_fits_differ_by_where_em_stops_not_by_reg_covar():
    """Lesson 11, §5: the full-covariance log-likelihoods in cm and in mm agree "to about
    1e-4: both runs stop at tol"; run to a tight tol, they agree much more closely."""
    iris = load_iris_features(("petal length", "petal width"))
    iris_mm = iris.X * np.array([1.0, 10.0])
    n_log_10 = len(iris.X) * np.log(10)
    for tol, bound in ((1e-6, 1e-3), (1e-10, 1e-5)):
        cm = gmmlab.fit(iris.X, 3, seed=0, tol=tol, max_iter=2000).log_likelihoods[-1]
        mm = gmmlab.fit(iris_mm, 3, seed=0, tol=tol, max_iter=2000).log_likelihoods[-1]
        assert abs(mm + n_log_10 - cm) < bound, (tol, cm, mm + n_log_10)
