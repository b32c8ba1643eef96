"""The claims lessons 6 and 8 make about runs, repeated over many starts, feature sets and data.

No assertion depends on the last bits of one trajectory: falls of ℓ are compared with
thresholds far above rounding (1e-11 on ℓ of order 100, where one EM step's rounding is
about 1e-13), and counts over many starts with margins.
"""

import numpy as np
import pytest

import gmmlab
from gmmlab.datasets import load_iris_features

PETALS = ("petal length", "petal width")
ROUNDING = 1e-11


@pytest.fixture(scope="module")
def petals():
    return load_iris_features(PETALS).X


def falls(log_likelihoods):
    return -np.diff(log_likelihoods)


@pytest.fixture(scope="module")
def random_starts(petals):
    """Seeds 0-15: (start, run with the default floor, run with reg_covar=0), 200 iterations
    each, tol=0; shared by the tests below (a shorter run is the start of a longer one)."""
    runs = []
    for seed in range(16):
        start = gmmlab.initialize(petals, 3, method="random", seed=seed)
        floored = gmmlab.fit(petals, 3, init=start, max_iter=200, tol=0, reg_covar=1e-6)
        plain = gmmlab.fit(petals, 3, init=start, max_iter=200, tol=0, reg_covar=0)
        runs.append((start, floored, plain))
    return runs


def test_plain_em_never_lowers_the_log_likelihood_from_many_starts(petals, random_starts):
    """Lesson 8: 'without a covariance floor, the log-likelihood never goes down' (the run of
    the lesson is one of these starts): seeds 0-15 over 200 iterations, 16-24 over 40."""
    for seed, (_, _, plain) in enumerate(random_starts):
        assert falls(plain.log_likelihoods).max() < ROUNDING, seed
    for seed in range(len(random_starts), 25):
        start = gmmlab.initialize(petals, 3, method="random", seed=seed)
        run = gmmlab.fit(petals, 3, init=start, reg_covar=0, max_iter=40, tol=0)
        assert falls(run.log_likelihoods).max() < ROUNDING, seed


def test_the_default_floor_lets_the_log_likelihood_fall_in_most_runs_and_none_without(
    random_starts,
):
    """Lesson 8: with reg_covar = 1e-6, ℓ falls by far more than rounding near convergence in
    most random-start runs (the lesson shows one); with reg_covar = 0 in none."""
    with_floor = without = 0
    for _, floored, plain in random_starts:
        with_floor += falls(floored.log_likelihoods).max() > 100 * ROUNDING
        without += falls(plain.log_likelihoods).max() > ROUNDING
    assert with_floor > len(random_starts) // 2  # "most runs"
    assert without == 0


def test_the_lessons_floored_run_falls(random_starts):
    """Lesson 8's own start (seed 0): ℓ falls by more than 1e-10 within 120 iterations (the
    first 120 of the 200-iteration run, the same numbers)."""
    _, floored, _ = random_starts[0]
    assert falls(floored.log_likelihoods[: 120 + 1]).max() > 1e-10


def test_map_em_never_lowers_the_penalised_log_likelihood_where_the_floor_falls(petals):
    """Lesson 8: MAP-EM (psi = 1e-3, nu = 2, as in the lesson) never lowers ℓ + log p, from
    the same starts on which the floored EM lowers ℓ."""
    for seed in range(6):
        theta = gmmlab.initialize(petals, 3, method="random", seed=seed)
        values = []
        for _ in range(160):
            values.append(gmmlab.log_likelihood(petals, theta)
                          + gmmlab.log_covariance_prior(theta, 1e-3, 2.0))
            theta = gmmlab.map_m_step(petals, gmmlab.e_step(petals, theta), 1e-3, 2.0)
        assert falls(values).max() < ROUNDING, seed


@pytest.mark.parametrize(
    "features",
    [PETALS, ("sepal length", "sepal width"), ("sepal length", "petal length"),
     ("sepal width", "petal width", "petal length")],
)
def test_a_mixture_fitted_with_the_labels_is_qda_and_with_a_pooled_covariance_lda(features):
    """Lesson 6: the species mixture's posteriors are QDA's; with the pooled covariance
    sum_k (N_k / N) Sigma_k, LDA's (solver="lsqr") -- on every feature set, not only petals."""
    from sklearn.discriminant_analysis import (
        LinearDiscriminantAnalysis,
        QuadraticDiscriminantAnalysis,
    )

    iris = load_iris_features(features)
    X, z = iris.X, iris.labels
    counts = np.bincount(z)
    means = [X[z == k].mean(axis=0) for k in range(3)]
    covariances = [np.cov(X[z == k].T, bias=True) for k in range(3)]
    labelled = gmmlab.MixtureParams(counts / len(X), means, covariances)
    qda = QuadraticDiscriminantAnalysis().fit(X, z)
    np.testing.assert_allclose(gmmlab.e_step(X, labelled), qda.predict_proba(X), atol=1e-10)
    pooled = sum(labelled.weights[k] * labelled.covariances[k] for k in range(3))
    lda = LinearDiscriminantAnalysis(solver="lsqr").fit(X, z)
    tied = labelled.replace(covariances=[pooled] * 3)
    np.testing.assert_allclose(gmmlab.e_step(X, tied), lda.predict_proba(X), atol=1e-10)


def test_equal_covariances_give_a_straight_boundary_and_unequal_ones_a_curved_one():
    """Lesson 6: the gamma = 0.5 boundary between two components is a line when their
    covariances are equal (the log-odds is affine: its second differences vanish) and not
    otherwise."""
    rng = np.random.default_rng(0)
    for _ in range(20):
        a = rng.normal(size=(2, 2))
        cov = a @ a.T + 0.1 * np.eye(2)
        b = rng.normal(size=(2, 2))
        other = b @ b.T + 0.1 * np.eye(2)
        means = rng.normal(size=(2, 2))
        x = rng.normal(size=(50, 2))
        h = rng.normal(size=2)
        for covs, straight in (([cov, cov], True), ([cov, other], False)):
            params = gmmlab.MixtureParams([0.4, 0.6], means, covs)

            def log_odds(points, params=params):
                r = gmmlab.e_step(points, params)
                return np.log(r[:, 0]) - np.log(r[:, 1])

            second = log_odds(x + h) - 2 * log_odds(x) + log_odds(x - h)
            assert (np.abs(second).max() < 1e-8) == straight


def test_the_lessons_kmeans_limit_holds_for_other_kmeans_seeds(petals):
    """Lesson 8: at sigma = 0.01 the E-step gives K-Means' one-hot labels, whatever K-Means'
    seed (and the M-step of those labels gives its centres)."""
    from sklearn.cluster import KMeans

    for seed in range(5):
        kmeans = KMeans(3, n_init=3, random_state=seed).fit(petals)
        params = gmmlab.MixtureParams([1 / 3] * 3, kmeans.cluster_centers_,
                                      [0.01**2 * np.eye(2)] * 3)
        one_hot = np.eye(3)[kmeans.labels_]
        np.testing.assert_allclose(gmmlab.e_step(petals, params), one_hot, atol=1e-12)
        np.testing.assert_allclose(gmmlab.m_step(petals, one_hot).means, kmeans.cluster_centers_)
