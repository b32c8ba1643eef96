"""Online (stepwise) EM, gmmlab.fit_online, against independent references."""

import tracemalloc
import warnings

import numpy as np
import pytest

import gmmlab
from gmmlab import MixtureParams
from gmmlab.online import OnlineEMResult, OnlineGaussianMixture, fit_online, row_chunks, step_sizes
from tests.check_support import LazyAttr, scipy_log_likelihood

multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")
GaussianMixture = LazyAttr("sklearn.mixture", "GaussianMixture")

TRUTH = MixtureParams(
    [0.5, 0.3, 0.2],
    [[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]],
    [[[1.0, 0.3], [0.3, 0.6]], [[0.5, -0.2], [-0.2, 1.2]], [[2.0, 0.0], [0.0, 0.4]]],
)
START = MixtureParams(
    [0.4, 0.3, 0.3],
    [[0.5, 0.5], [3.0, 0.0], [0.0, 4.0]],
    [np.eye(2), np.eye(2), np.eye(2)],
)


def sample(n, seed):
    return TRUTH.sample(n, seed=seed)[0]


def assert_params_close(a, b, atol):
    for name in ("weights", "means", "covariances"):
        np.testing.assert_allclose(
            getattr(a, name), getattr(b, name), rtol=0, atol=atol, err_msg=name
        )


# -- rho = 1 is one batch EM step ---------------------------------------------------------


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_one_chunk_from_given_parameters_is_one_batch_em_step(covariance_type):
    X = sample(500, seed=1)
    start = (
        START.with_covariance_type(covariance_type)
        if hasattr(START, "with_covariance_type")
        else START
    )
    result = fit_online([X], 3, init=start, covariance_type=covariance_type)
    expected = gmmlab.m_step(X, gmmlab.e_step(X, start), covariance_type=covariance_type)
    assert_params_close(result.params, expected, atol=1e-12)
    assert result.log_likelihoods[0] == pytest.approx(gmmlab.log_likelihood(X, start), rel=1e-12)


@pytest.mark.parametrize("covariance_type", ["full", "diag"])
def test_one_chunk_is_scikit_learns_one_em_iteration(covariance_type):
    X = sample(500, seed=2)
    start = gmmlab.initialize(X, 3, seed=0, covariance_type=covariance_type)
    result = fit_online([X], 3, init=start, covariance_type=covariance_type)
    gm = GaussianMixture(
        3, covariance_type=covariance_type, max_iter=1, tol=0, **start.to_sklearn_init()
    )
    with warnings.catch_warnings():
        from sklearn.exceptions import ConvergenceWarning

        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(X)
    assert_params_close(result.params, MixtureParams.from_sklearn(gm), atol=1e-10)


def test_step_one_forgets_everything_before_the_chunk():
    """rho_1 = (1 + 0)^-1 = 1: the update on chunk 1 is one batch EM step on chunk 1."""
    first, second = sample(400, seed=3), sample(300, seed=4)
    result = fit_online([first, second], 3, init=START, step=1.0, t0=0.0)
    assert result.steps[1] == 1.0
    expected = gmmlab.m_step(second, gmmlab.e_step(second, result.history[0]))
    assert_params_close(result.params, expected, atol=1e-12)


# -- the fixed point of batch EM -----------------------------------------------------------


@pytest.mark.parametrize(("step", "n_chunks"), [(0.6, 600)])
def test_identical_chunks_converge_to_batch_ems_fixed_point(step, n_chunks):
    """(With step = 1 the running statistics are the plain average of every chunk's, the
    first ones taken far from the fixed point: it gets there too, but only as 1/t.)"""
    X = sample(300, seed=5)
    batch = gmmlab.fit(X, 3, init=START, tol=0, max_iter=2000)
    online = fit_online((X for _ in range(n_chunks)), 3, init=START, step=step)
    assert_params_close(online.params, batch.params, atol=1e-4)
    one_more = gmmlab.m_step(X, gmmlab.e_step(X, online.params))  # a fixed point of EM
    assert_params_close(one_more, online.params, atol=1e-4)


# -- the running statistics, by hand --------------------------------------------------------


def hand_stream(chunks, start, alpha, t0, reg_covar):
    """The blended per-point sums and the M-step, with scipy's densities and plain numpy."""

    def sums(X, weights, means, covariances):
        dens = np.column_stack(
            [
                w * multivariate_normal(m, c).pdf(X)
                for w, m, c in zip(weights, means, covariances, strict=True)
            ]
        )
        resp = dens / dens.sum(axis=1, keepdims=True)
        n = len(X)
        return (resp.sum(axis=0) / n, resp.T @ X / n, np.einsum("ik,id,ie->kde", resp, X, X) / n)

    def m_step(s0, s1, s2):
        means = s1 / s0[:, None]
        covariances = s2 / s0[:, None, None] - np.einsum("kd,ke->kde", means, means)
        return s0 / s0.sum(), means, covariances + reg_covar * np.eye(means.shape[1])

    theta = (start.weights, start.means, start.covariances)
    running = sums(chunks[0], *theta)
    theta = m_step(*running)
    for t, X in enumerate(chunks[1:], start=1):
        rho = (t + t0) ** -alpha
        new = sums(X, *theta)
        running = tuple(
            (1 - rho) * old + rho * fresh for old, fresh in zip(running, new, strict=True)
        )
        theta = m_step(*running)
    return running, theta


@pytest.mark.parametrize(("alpha", "t0"), [(0.6, 2.0), (1.0, 0.0), (0.8, 5.0)])
def test_running_statistics_are_the_blended_sums_by_hand(alpha, t0):
    sizes = [200, 37, 500, 1, 120, 64]
    chunks = [sample(n, seed=10 + j) for j, n in enumerate(sizes)]
    model = OnlineGaussianMixture(3, init=START, step=alpha, t0=t0)
    for chunk in chunks:
        model.update(chunk)
    (s0, s1, s2), (weights, means, covariances) = hand_stream(chunks, START, alpha, t0, 1e-6)
    np.testing.assert_allclose(model.statistics.nk, s0, rtol=1e-10)
    np.testing.assert_allclose(model.statistics.sum_x, s1, rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.statistics.sum_xxT, s2, rtol=0, atol=1e-10)
    assert model.statistics.nk.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(model.params.weights, weights, rtol=0, atol=1e-10)
    np.testing.assert_allclose(model.params.means, means, rtol=0, atol=1e-9)
    np.testing.assert_allclose(model.params.covariances, covariances, rtol=0, atol=1e-9)
    result = model.result()
    np.testing.assert_allclose(result.steps[1:], step_sizes(len(sizes) - 1, alpha, t0))
    np.testing.assert_array_equal(result.chunk_sizes, sizes)


def test_running_log_likelihood_is_blended_like_the_statistics():
    chunks = [sample(n, seed=30 + n) for n in (100, 50, 80, 120)]
    result = fit_online(chunks, 3, init=START)
    for t, chunk in enumerate(chunks):
        before = START if t == 0 else result.iterates[t - 1]
        expected = scipy_log_likelihood(chunk, before)
        assert result.log_likelihoods[t] == pytest.approx(expected, rel=1e-10)
    running = result.log_likelihoods[0] / 100
    for t in range(1, 4):
        rho = result.steps[t]
        running = (1 - rho) * running + rho * result.log_likelihoods[t] / len(chunks[t])
        assert result.mean_log_likelihoods[t] == pytest.approx(running, rel=1e-12)


def test_averaging_returns_the_mean_of_the_iterates():
    chunks = [sample(200, seed=40 + j) for j in range(6)]
    plain = fit_online(chunks, 3, init=START)
    averaged = fit_online(chunks, 3, init=START, average=True)
    assert_params_close(averaged.iterates[-1], plain.params, atol=1e-12)
    for name in ("weights", "means", "covariances"):
        expected = np.mean([getattr(p, name) for p in plain.history], axis=0)
        np.testing.assert_allclose(getattr(averaged.params, name), expected, rtol=0, atol=1e-12)


# -- streams of every kind --------------------------------------------------------------------


def test_update_one_chunk_at_a_time_is_fit_online():
    chunks = [sample(300, seed=50 + j) for j in range(5)]
    model = OnlineGaussianMixture(3, seed=0)
    for chunk in chunks:
        model.update(chunk)
    result = fit_online(iter(chunks), 3, seed=0)
    assert isinstance(result, OnlineEMResult) and isinstance(result, gmmlab.EMResult)
    assert len(result.history) == 5 and result.n_iter == 4
    assert_params_close(model.params, result.params, atol=1e-12)


def test_a_memory_mapped_array_split_by_rows(tmp_path):
    X = sample(5000, seed=60)
    np.save(tmp_path / "X.npy", X)
    mapped = np.load(tmp_path / "X.npy", mmap_mode="r")
    from_file = fit_online(row_chunks(mapped, 700), 3, seed=1)
    in_memory = fit_online([X[i : i + 700] for i in range(0, 5000, 700)], 3, seed=1)
    assert_params_close(from_file.params, in_memory.params, atol=1e-12)
    assert from_file.chunk_sizes.tolist() == [700] * 7 + [100]


def peak_bytes(n_chunks, rows):
    rng = np.random.default_rng(0)
    stream = (
        TRUTH.means[rng.integers(3, size=rows)] + rng.normal(size=(rows, 2))
        for _ in range(n_chunks)
    )
    tracemalloc.start()
    fit_online(stream, 3, init="kmeans++", seed=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_a_generator_is_consumed_without_materialising_it():
    rows = 20_000  # a chunk of 320 kB; 80 of them are 25.6 MB
    peak_bytes(2, rows)  # imports and caches first
    short, long = peak_bytes(10, rows), peak_bytes(80, rows)
    chunk_bytes = rows * 2 * 8
    assert long < 20 * chunk_bytes  # bounded by the chunk...
    assert long < 1.3 * short + 200_000  # ...and not growing with the stream


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_every_covariance_type_keeps_its_structure(covariance_type):
    chunks = [sample(400, seed=70 + j) for j in range(8)]
    result = fit_online(chunks, 3, seed=0, covariance_type=covariance_type)
    covariances = result.params.covariances
    assert result.params.covariance_type == covariance_type
    off_diagonal = covariances[:, 0, 1]
    if covariance_type in ("diag", "spherical"):
        np.testing.assert_array_equal(off_diagonal, 0.0)
    if covariance_type == "spherical":
        np.testing.assert_allclose(covariances[:, 0, 0], covariances[:, 1, 1], rtol=1e-12)
    if covariance_type == "tied":
        np.testing.assert_allclose(covariances, covariances[[0, 0, 0]], rtol=1e-12)


def test_the_covariance_floor_holds_on_tied_values():
    """Chunks whose component 1 sits on one repeated value: its variance is reg_covar."""
    rng = np.random.default_rng(80)
    chunks = [np.concatenate([rng.normal(size=(100, 1)), np.full((20, 1), 9.0)]) for _ in range(5)]
    result = fit_online(chunks, 2, seed=0, reg_covar=1e-3)
    tied = int(np.argmax(result.params.means[:, 0]))
    assert result.params.covariances[tied, 0, 0] == pytest.approx(1e-3, rel=1e-6)


def test_a_component_emptied_by_a_chunk_collapses_with_the_chunks_name():
    near, far = sample(300, seed=90), sample(300, seed=91)
    far = far + [0.0, 1e4]
    start = MixtureParams([0.5, 0.5], [[1.0, 1.0], [1.0, 1e4 + 1]], [np.eye(2), np.eye(2)])
    with pytest.raises(gmmlab.ComponentCollapseError, match=r"chunks\[1\]") as caught:
        fit_online([np.concatenate([near, far]), near], 2, init=start, step=1.0, t0=0.0)
    assert caught.value.component == 1 and caught.value.empty
    assert len(caught.value.result.history) == 1  # the record before the collapse


# -- bad input -----------------------------------------------------------------------------------


def stream_with(bad, at=2):
    chunks = [sample(100, seed=100 + j) for j in range(4)]
    chunks[at] = bad
    return chunks


@pytest.mark.parametrize(
    ("chunks", "kwargs", "error", "pattern"),
    [
        (stream_with(np.ones((50, 3))), {}, ValueError, r"chunks\[2\] has 3 features"),
        ([], {}, ValueError, "chunks is empty"),
        (iter([]), {}, ValueError, "chunks is empty"),
        (stream_with(np.full((5, 2), np.nan)), {}, ValueError, r"chunks\[2\] contains NaN"),
        (stream_with("abc", at=1), {}, TypeError, r"chunks\[1\] must be an array"),
        (stream_with([["a", "b"]], at=3), {}, TypeError, r"chunks\[3\] must be an array"),
        (stream_with(np.ones((0, 2))), {}, ValueError, r"chunks\[2\] must hold at least one"),
        (stream_with(np.ones((2, 2)), at=0), {}, ValueError, r"chunks\[0\], the warm-up chunk"),
        (5, {}, TypeError, "chunks must be an iterable"),
        (np.ones((100, 2)), {}, TypeError, "row_chunks"),
        (stream_with(np.ones((5, 2))), {"step": 0.5}, ValueError, "step must be .* 0.5 < alpha"),
        (stream_with(np.ones((5, 2))), {"step": 1.2}, ValueError, "step must be"),
        (stream_with(np.ones((5, 2))), {"step": 0.3}, ValueError, "step must be"),
        (stream_with(np.ones((5, 2))), {"step": "fast"}, TypeError, "step must be a real"),
        (stream_with(np.ones((5, 2))), {"t0": -1}, ValueError, "t0 must be at least 0"),
        (stream_with(np.ones((5, 2))), {"init": "kmeans"}, ValueError, "init must be one of"),
        (stream_with(np.ones((5, 2))), {"init": 3}, TypeError, "init must be"),
        (stream_with(np.ones((5, 2))), {"average": 1}, TypeError, "average must be True"),
        (stream_with(np.ones((5, 2))), {"warm_up_iter": -1}, ValueError, "warm_up_iter"),
        (stream_with(np.ones((5, 2))), {"reg_covar": -1.0}, ValueError, "reg_covar"),
        (stream_with(np.ones((5, 2))), {"covariance_type": "x"}, ValueError, "covariance_type"),
    ],
)
def test_bad_input_names_the_argument_and_the_chunk(chunks, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        fit_online(chunks, 3, seed=0, **kwargs)


def test_a_chunk_of_changing_width_is_named_by_update_too():
    model = OnlineGaussianMixture(2, seed=0).update(sample(100, seed=1))
    with pytest.raises(ValueError, match="chunk 1 has 1 features"):
        model.update(np.ones((10, 1)))
    with pytest.raises(ValueError, match="chunk 1 contains NaN"):
        model.update(np.full((10, 2), np.inf))
    with pytest.raises(ValueError, match="no chunk has been seen"):
        OnlineGaussianMixture(2).result()


def test_init_parameters_of_another_shape_are_named():
    with pytest.raises(ValueError, match="init"):
        fit_online([sample(100, seed=1)], 2, init=START)
    with pytest.raises(ValueError, match="init"):
        fit_online([np.ones((100, 3))], 3, init=START)


def test_the_result_is_immutable_and_survives_pickling_and_alignment():
    import pickle

    result = fit_online([sample(300, seed=j) for j in range(4)], 3, seed=0)
    again = pickle.loads(pickle.dumps(result))
    assert isinstance(again, OnlineEMResult)
    np.testing.assert_array_equal(again.mean_log_likelihoods, result.mean_log_likelihoods)
    with pytest.raises(ValueError):
        result.steps[0] = 2.0
    aligned = result.aligned_to(TRUTH.means)
    np.testing.assert_allclose(aligned.params.means, TRUTH.means, atol=0.3)
    assert_params_close(aligned.iterates[-1], aligned.params, atol=0)


def test_the_docstring_examples_run():
    import doctest

    import gmmlab.online

    assert doctest.testmod(gmmlab.online, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0
