"""The E-step, the M-step and fit, checked by hand and by their invariants."""

import numpy as np
import pytest

import gmmlab
from gmmlab import ComponentCollapseError, MixtureParams
from tests import collapse_cases
from tests.collapse_cases import CASES, tied_values


def test_e_step_by_hand():
    """gamma_ik = pi_k N(x|mu_k) / sum_j pi_j N(x|mu_j), written out for one point."""
    params = MixtureParams([0.3, 0.7], [0.0, 2.0], [1.0, 4.0])
    x = 1.0
    n0 = np.exp(-0.5 * x**2) / np.sqrt(2 * np.pi)
    n1 = np.exp(-0.5 * (x - 2.0) ** 2 / 4.0) / np.sqrt(2 * np.pi * 4.0)
    numerators = np.array([0.3 * n0, 0.7 * n1])
    np.testing.assert_allclose(gmmlab.e_step([x], params)[0], numerators / numerators.sum())


def test_e_step_far_point_goes_to_the_widest_component():
    """Far from everything, the component with the largest variance dominates."""
    params = MixtureParams([0.5, 0.5], [0.0, 1.0], [1.0, 2.0])
    resp = gmmlab.e_step([1e6], params)
    np.testing.assert_allclose(resp, [[0.0, 1.0]])


def test_m_step_by_hand():
    """Hard responsibilities: each component is the mean and variance of its points."""
    X = np.array([0.0, 2.0, 10.0, 11.0, 12.0])
    resp = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1]], dtype=float)
    params = gmmlab.m_step(X, resp, reg_covar=0.0)
    np.testing.assert_allclose(params.weights, [0.4, 0.6])
    np.testing.assert_allclose(params.means[:, 0], [1.0, 11.0])
    np.testing.assert_allclose(params.covariances[:, 0, 0], [1.0, 2.0 / 3.0])


def test_m_step_soft_by_hand():
    """Soft responsibilities: weighted means and weighted covariances."""
    X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 4.0], [3.0, 3.0]])
    g = np.array([0.5, 0.25, 1.0, 0.1])
    resp = np.column_stack([g, 1 - g])
    params = gmmlab.m_step(X, resp, reg_covar=0.0)
    nk = g.sum()
    mu = (g[:, None] * X).sum(axis=0) / nk
    diff = X - mu
    sigma = sum(gi * np.outer(d, d) for gi, d in zip(g, diff, strict=True)) / nk
    assert params.weights[0] == pytest.approx(nk / 4)
    np.testing.assert_allclose(params.means[0], mu)
    np.testing.assert_allclose(params.covariances[0], sigma)


def test_m_step_adds_reg_covar_to_the_diagonal(iris_2d):
    resp = gmmlab.e_step(iris_2d, gmmlab.initialize(iris_2d, 2, seed=0))
    plain = gmmlab.m_step(iris_2d, resp, reg_covar=0.0)
    floored = gmmlab.m_step(iris_2d, resp, reg_covar=0.25)
    np.testing.assert_allclose(floored.covariances - plain.covariances, [0.25 * np.eye(2)] * 2)


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_m_step_covariance_types_have_their_structure(iris_2d, covariance_type):
    resp = gmmlab.e_step(iris_2d, gmmlab.initialize(iris_2d, 3, seed=0))
    full = gmmlab.m_step(iris_2d, resp, reg_covar=0.0)
    params = gmmlab.m_step(iris_2d, resp, reg_covar=0.0, covariance_type=covariance_type)
    assert params.covariance_type == covariance_type
    assert params.covariances.shape == (3, 2, 2)
    variances = np.diagonal(full.covariances, axis1=1, axis2=2)
    if covariance_type == "full":
        np.testing.assert_allclose(params.covariances, full.covariances)
    elif covariance_type == "diag":
        np.testing.assert_allclose(params.covariances, [np.diag(v) for v in variances])
    elif covariance_type == "spherical":
        np.testing.assert_allclose(params.covariances, [v.mean() * np.eye(2) for v in variances])
    else:
        pooled = np.einsum("k,kij->ij", full.weights, full.covariances)
        np.testing.assert_allclose(params.covariances, [pooled] * 3)


def test_hard_assign_picks_the_largest_responsibility():
    resp = np.array([[0.1, 0.9, 0.0], [0.5, 0.25, 0.25], [0.2, 0.3, 0.5]])
    np.testing.assert_array_equal(gmmlab.hard_assign(resp), [1, 0, 2])


def test_fit_records_history_and_log_likelihoods(iris_2d):
    result = gmmlab.fit(iris_2d, 3, seed=0, max_iter=7, tol=0)
    assert result.n_iter == 7 and not result.converged
    assert len(result.history) == len(result.log_likelihoods) == 8
    assert result.params is result.history[-1]
    for params, value in zip(result.history, result.log_likelihoods, strict=True):
        assert value == pytest.approx(gmmlab.log_likelihood(iris_2d, params), rel=1e-12)
    # each entry is one E-step + M-step away from the previous one
    step = gmmlab.m_step(iris_2d, gmmlab.e_step(iris_2d, result.history[3]))
    np.testing.assert_allclose(step.means, result.history[4].means, atol=1e-12)


def test_fit_starts_from_given_params_and_max_iter_zero_returns_them(iris_2d):
    start = gmmlab.initialize(iris_2d, 2, method="random", seed=4)
    result = gmmlab.fit(iris_2d, 2, init=start, max_iter=0)
    assert result.n_iter == 0 and result.history == (start,)
    assert result.log_likelihoods[0] == pytest.approx(gmmlab.log_likelihood(iris_2d, start))


def test_fit_stops_when_the_change_per_point_is_below_tol(iris_1d):
    result = gmmlab.fit(iris_1d, 3, seed=0, tol=1e-4, max_iter=1000)
    assert result.converged and result.n_iter < 1000
    changes = np.diff(result.log_likelihoods) / len(iris_1d)
    assert abs(changes[-1]) < 1e-4
    assert (np.abs(changes[:-1]) >= 1e-4).all()


def test_fit_is_reproducible_with_a_seed(iris_2d):
    for method in gmmlab.em.INIT_METHODS:
        a = gmmlab.fit(iris_2d, 3, init=method, seed=11, max_iter=5)
        b = gmmlab.fit(iris_2d, 3, init=method, seed=11, max_iter=5)
        np.testing.assert_array_equal(a.params.means, b.params.means)


def test_initialize_kmeanspp_finds_separated_clusters(two_blobs):
    X, labels, truth = two_blobs
    start = gmmlab.initialize(X, 2, seed=0)
    order = np.argsort(start.means[:, 0])
    np.testing.assert_allclose(start.means[order], truth.means, atol=0.4)


def test_collapse_raises_with_advice_and_partial_history():
    """A component on one isolated point: without a floor its variance reaches 0."""
    X = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 50.0])
    start = MixtureParams([0.5, 0.5], [1.0, 50.0], [1.0, 1.0])
    with pytest.raises(ComponentCollapseError, match="reg_covar") as error:
        gmmlab.fit(X, 2, init=start, reg_covar=0.0, max_iter=10)
    assert "iteration 1" in str(error.value) and "covariances[1]" in str(error.value)
    assert error.value.result.history == (start,)
    floored = gmmlab.fit(X, 2, init=start, reg_covar=1e-3, max_iter=10)
    assert floored.params.covariances[1, 0, 0] == pytest.approx(1e-3)


def test_empty_component_raises_collapse_error():
    resp = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    with pytest.raises(ComponentCollapseError, match="component 1 has collapsed"):
        gmmlab.m_step([0.0, 1.0, 2.0], resp)


def test_em_result_repr_is_short(iris_2d):
    text = repr(gmmlab.fit(iris_2d, 2, seed=0, max_iter=3, tol=0))
    assert text.startswith("EMResult(n_iter=3, converged=False")
    assert text.count("MixtureParams") == 1


@pytest.mark.parametrize(
    ("X", "kwargs", "cause", "advice"),
    [
        (
            np.ones((40, 2)),
            {"n_components": 2},
            "rows are all the same point",
            "Use n_components=1 and reg_covar > 0",
        ),
        (
            np.ones((40, 2)),
            {"n_components": 2, "init": "random", "reg_covar": 0.0},
            "rows are all the same point",
            "Use n_components=1",
        ),
        (
            np.ones((40, 2)),
            {"n_components": 1, "reg_covar": 0.0},
            "rows are all the same point, so their covariance is 0",
            "Set reg_covar > 0",
        ),
        (
            np.repeat([[0.0], [1.0]], 20, axis=0),
            {"n_components": 3},
            "only 2 distinct points, fewer than n_components=3",
            "Use n_components <= 2",
        ),
        (
            np.random.default_rng(0).normal(size=(40, 2)) * 1e-200,
            {"n_components": 2},
            "differ by at most",
            "Multiply X by a constant",
        ),
    ],
)
def test_a_collapse_at_initialisation_says_what_in_the_data_caused_it(X, kwargs, cause, advice):
    """Issue 11: advice that can work ("another seed" cannot help identical points)."""
    with pytest.raises(ComponentCollapseError) as error:
        gmmlab.fit(X, seed=0, **kwargs)
    message = str(error.value)
    assert message.startswith("at initialisation (init=")
    assert "The cause is in the data" in message and cause in message and advice in message
    assert "another seed" not in message
    assert error.value.iteration == 0 and error.value.result is None
    statistics = error.value.statistics  # what was computed: the start's statistics
    assert isinstance(statistics, gmmlab.SufficientStatistics)
    assert statistics.nk.sum() == pytest.approx(len(X))


def test_a_singular_start_on_a_line_names_reg_covar_and_the_shape_of_the_points():
    line = np.column_stack([np.arange(40.0), 2 * np.arange(40.0)])
    with pytest.raises(ComponentCollapseError, match="span only 1 of the 2 dimensions") as error:
        gmmlab.fit(line, 2, seed=0, reg_covar=0.0)
    assert "Set reg_covar > 0" in str(error.value)
    assert error.value.component in (0, 1) and not error.value.empty


def test_a_component_emptied_during_em_suggests_another_start():
    X = np.array([[0.0], [0.1], [0.2], [10.0], [10.1], [10.2]])
    start = MixtureParams([0.5, 0.49, 0.01], [[0.1], [10.1], [1e6]], [[[1.0]], [[1.0]], [[1.0]]])
    with pytest.raises(ComponentCollapseError, match="in EM iteration 1: component 2") as error:
        gmmlab.fit(X, 3, init=start)
    assert error.value.empty and "another seed or init" in str(error.value)
    assert error.value.result.history == (start,)
    assert error.value.statistics.nk[2] < 1e-10


# -- several starts: n_init ---------------------------------------------------------------


def _same_run(a, b):
    assert a.n_iter == b.n_iter and a.log_likelihoods[-1] == b.log_likelihoods[-1]
    np.testing.assert_array_equal(a.params.means, b.params.means)
    np.testing.assert_array_equal(a.params.covariances, b.params.covariances)


def test_n_init_one_is_a_plain_fit(iris_2d):
    for init in gmmlab.em.INIT_METHODS:
        _same_run(
            gmmlab.fit(iris_2d, 3, init=init, n_init=1, seed=4),
            gmmlab.fit(iris_2d, 3, init=init, seed=4),
        )


def designed_starts(monkeypatch, labels_of_seed):
    """Make init's start of seed s the hard responsibilities of labels_of_seed[s], or
    labels_of_seed[s] itself if it is an (N, K) array: a start built on purpose, while
    fit's handling of seeds and runs is left as it is."""
    seed_of_state = {
        str(np.random.default_rng(seed).bit_generator.state): seed for seed in labels_of_seed
    }

    def designed_start(sample, n_components, method, rng):
        labels = labels_of_seed[seed_of_state[str(rng.bit_generator.state)]]
        return labels if labels.ndim == 2 else np.eye(n_components)[labels]

    monkeypatch.setattr(gmmlab._kernels, "initial_resp", designed_start)


def test_n_init_with_an_int_seed_keeps_the_best_of_seed_seed_plus_one_and_so_on(
    iris_2d, monkeypatch
):
    """Seed 11's start is built poor (one component on the 100 shortest petals), seeds 12
    to 15 start near the species; after three iterations the poor run is far below."""
    from gmmlab.datasets import load_iris_features

    species = load_iris_features(("petal length", "petal width")).labels
    poor = np.repeat([0, 1, 2], [100, 25, 25])[np.argsort(np.argsort(iris_2d[:, 0]))]
    labels_of_seed = {11: poor}
    for seed in range(12, 16):  # the species, with five flowers moved to another class
        labels = species.copy()
        moved = slice(10 * seed - 100, 10 * seed - 95)
        labels[moved] = (labels[moved] + 1) % 3
        labels_of_seed[seed] = labels
    designed_starts(monkeypatch, labels_of_seed)
    settings = {"init": "random", "max_iter": 3, "tol": 0}
    runs = [gmmlab.fit(iris_2d, 3, seed=s, **settings) for s in range(11, 16)]
    finals = [run.log_likelihoods[-1] for run in runs]
    assert finals[0] < min(finals[1:]) - 50  # the first start is a poor one
    best = gmmlab.fit(iris_2d, 3, n_init=5, seed=11, **settings)
    _same_run(best, runs[int(np.argmax(finals))])  # argmax: the first of equal values


def test_n_init_with_a_generator_draws_the_starts_from_it_in_turn(iris_2d):
    shared = np.random.default_rng(7)
    runs = [gmmlab.fit(iris_2d, 3, init="random", seed=shared) for _ in range(4)]
    best = gmmlab.fit(iris_2d, 3, init="random", n_init=4, seed=np.random.default_rng(7))
    _same_run(best, max(runs, key=lambda run: run.log_likelihoods[-1]))


def test_n_init_names_the_seed_of_a_run_that_collapsed(monkeypatch):
    """Issue 21: the collapse is built on purpose, not found by a seed's trajectory.

    The starts of seeds 2 and 3 are proper; seed 4's puts component 1 on the 12 tied values
    of tests/collapse_cases.py, so that EM iteration 1 collapses it on every processor.
    """
    X, _ = tied_values()
    proper = (X[:, 0] >= 1.5).astype(int)
    tied = np.flatnonzero(X[:, 0] == 1.8)
    on_tied = np.zeros((len(X), 2))
    on_tied[tied, 1] = 1.0  # component 1: the tied values, and a thousandth of a neighbour
    on_tied[tied.min() - 1, 1] = 1e-3
    on_tied[:, 0] = 1.0 - on_tied[:, 1]
    designed_starts(monkeypatch, {2: proper, 3: proper, 4: on_tied})
    assert gmmlab.fit(X, 2, seed=2, reg_covar=0.0).converged  # the proper starts fit
    with pytest.raises(ComponentCollapseError) as plain:
        gmmlab.fit(X, 2, seed=4, reg_covar=0.0, max_iter=300)
    with pytest.raises(ComponentCollapseError) as error:
        gmmlab.fit(X, 2, n_init=3, seed=2, reg_covar=0.0, max_iter=300)
    message = str(error.value)
    assert message.startswith("run 3 of n_init=3 (seed=4): ") and str(plain.value) in message
    assert error.value.component == plain.value.component == 1
    assert error.value.result.n_iter == plain.value.result.n_iter
    assert "are all the same point" in message


# -- collapse is a property of the numbers, not of their last bit (issue 21) --------------


def collapse_outcome(X, start, **kwargs):
    """(component, iteration, message) of fit(X, init=start, reg_covar=0)'s collapse."""
    with pytest.raises(ComponentCollapseError) as error:
        gmmlab.fit(X, start.n_components, init=start, reg_covar=0.0, max_iter=20, **kwargs)
    return error.value.component, error.value.iteration, error.value.reason


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("chunk_size", [None, 7])
def test_a_collapse_built_on_purpose_is_reported_with_any_threads_and_chunks(
    case, threads, chunk_size
):
    """Component 1 of each case is left with only the rounding residue of its mean (0 or
    about (eps x)^2, depending on the processor): the same error everywhere."""
    from threadpoolctl import threadpool_limits

    X, start = CASES[case]()
    with threadpool_limits(limits=threads, user_api="blas"):
        component, iteration, reason = collapse_outcome(X, start, chunk_size=chunk_size)
    assert (component, iteration) == (1, 1)
    assert "covariances[1], is singular" in reason
    spread = "are all the same point"
    assert spread in reason


def test_the_collapse_outcomes_are_the_same_on_other_blas_kernels():
    """The cases again in a child process on OpenBLAS's Sandybridge kernels and one thread
    (another summation order: the residues differ), against this process."""
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, OPENBLAS_CORETYPE="Sandybridge", OPENBLAS_NUM_THREADS="1")
    child = subprocess.run(
        [sys.executable, "-m", "tests.collapse_cases"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    expected = {name: [[1, 1], [1, 1]] for name in CASES}
    assert json.loads(child.stdout) == expected
    assert collapse_cases.outcomes() == expected


@pytest.mark.parametrize("case", list(CASES)[:3])
def test_every_path_reports_the_collapse_of_hard_responsibilities(case):
    """m_step, and params_from_statistics of two chunks' statistics, on the same points."""
    X, start = CASES[case]()
    labels = gmmlab.hard_assign(gmmlab.e_step(X, start))
    resp = np.eye(start.n_components)[labels]  # component 1: exactly its tied points
    assert len(np.unique(X[labels == 1], axis=0)) == 1
    for call in (
        lambda: gmmlab.m_step(X, resp, reg_covar=0.0),
        lambda: gmmlab.params_from_statistics(
            gmmlab.sufficient_statistics(X[:5], resp[:5])
            + gmmlab.sufficient_statistics(X[5:], resp[5:]),
            reg_covar=0.0,
        ),
    ):
        with pytest.raises(ComponentCollapseError, match="component 1 has collapsed") as error:
            call()
        assert error.value.component == 1 and not error.value.empty
    floored = gmmlab.m_step(X, resp)  # the default reg_covar: a proper Gaussian
    np.testing.assert_allclose(np.linalg.eigvalsh(floored.covariances[1]), 1e-6, rtol=1e-6)


@pytest.mark.parametrize("seed", range(10))
def test_no_fit_to_tied_values_is_returned_with_a_collapsed_component(iris_1d, seed):
    """Issue 21: Iris petal widths (rounded to 0.1 cm), K = 4, no floor. Whichever way a
    seed's run goes, it either raises or returns components whose variances are far above
    the rounding of their means; never a "converged" spike with variance 4.9e-32 and
    l > 0, as seeds 4, 5 and 7 returned on some processors."""
    try:
        result = gmmlab.fit(iris_1d, 4, seed=seed, reg_covar=0.0, max_iter=300)
    except ComponentCollapseError as error:
        assert error.result is not None and not error.empty
        return
    variances = result.params.covariances[:, 0, 0]
    floors = (1e4 * np.finfo(float).eps * result.params.means[:, 0]) ** 2
    assert (variances > 1e6 * floors).all(), variances
    assert result.log_likelihoods[-1] < 0  # no spike: 150 points of density below 1


def test_n_init_refuses_given_parameters(iris_2d):
    start = gmmlab.initialize(iris_2d, 3, seed=0)
    assert gmmlab.fit(iris_2d, 3, init=start, n_init=1, max_iter=2).n_iter == 2
    with pytest.raises(ValueError, match="n_init=2 needs a method name as init"):
        gmmlab.fit(iris_2d, 3, init=start, n_init=2)


@pytest.mark.parametrize("case", list(CASES)[:3])
@pytest.mark.parametrize("scale", [1e-100, 1e-5, 1e5, 1e100])
def test_a_collapse_built_on_purpose_is_reported_at_every_scale(case, scale):
    """The rule's floor scales with the component's own numbers: the data times 1e-100 ...
    1e100 (and the start with them) collapse the same way."""
    X, start = CASES[case]()
    scaled_start = MixtureParams(start.weights, start.means * scale, start.covariances * scale**2)
    component, iteration, reason = collapse_outcome(X * scale, scaled_start)
    assert (component, iteration) == (1, 1) and "are all the same point" in reason
