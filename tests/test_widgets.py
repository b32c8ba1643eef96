"""The explorers: every slider redraws, and what they draw is the right thing."""

import html
import io
import threading

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

import gmmlab
from gmmlab import widgets
from gmmlab.datasets import load_iris_features, make_ellipsoidal_clusters
from gmmlab.widgets.base import CSS_DPI, EXPLORER_MIME, PIXEL_RATIO
from tests.check_support import LazyAttr

multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")
KMeans = LazyAttr("sklearn.cluster", "KMeans")


@pytest.fixture(scope="module")
def iris2():
    return load_iris_features(("petal length", "petal width"))


@pytest.fixture(scope="module")
def run2(iris2):
    return gmmlab.fit(iris2.X, 3, init="random", seed=3, max_iter=30, tol=0)


def moved(explorer, **values):
    """Move controls; return (png before, png after, readout before, readout after)."""
    png, text = explorer.image.value, explorer.readout.value
    explorer.set(**values)
    return png, explorer.image.value, text, explorer.readout.value


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_sampling_explorer_changes_the_chosen_component():
    data = make_ellipsoidal_clusters(300, 3, seed=0)
    explorer = widgets.SamplingExplorer(data.params, n_samples=300, component=1)
    before, after, text_before, text_after = moved(explorer, weight=0.7)
    assert before != after and text_before != text_after
    params = explorer.current_params()
    assert params.weights[1] == pytest.approx(0.7) and params.weights.sum() == pytest.approx(1)
    explorer.set(orientation=30, spread=2.0)
    cov = explorer.current_params().covariances[1]
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    angle = np.degrees(np.arctan2(eigenvectors[1, 1], eigenvectors[0, 1])) % 180
    assert angle == pytest.approx(30, abs=1e-6)
    base = np.linalg.eigvalsh(data.params.covariances[1])
    np.testing.assert_allclose(eigenvalues, base * 4.0)
    assert explorer.ellipses[1].angle % 180 == pytest.approx(30, abs=1e-6)
    # other components untouched
    np.testing.assert_allclose(
        explorer.current_params().covariances[0], data.params.covariances[0]
    )


def test_membership_explorer_shows_hard_and_soft(iris2):
    result = gmmlab.fit(iris2.X, 3, seed=0)
    centres = result.params.means + 0.01
    explorer = widgets.MembershipExplorer(iris2.X, result.params, centres)
    explorer.set(x=4.9, y=1.6)
    resp = gmmlab.e_step([[4.9, 1.6]], result.params)[0]
    np.testing.assert_allclose([bar.get_height() for bar in explorer.soft_bars], resp)
    assert [label.get_text() for label in explorer.soft_labels] == [f"{g:.2f}" for g in resp]
    hard = [bar.get_height() for bar in explorer.hard_bars]
    nearest = np.argmin(((centres - [4.9, 1.6]) ** 2).sum(axis=1))
    assert hard == [1.0 if k == nearest else 0.0 for k in range(3)]
    before, after, text_before, text_after = moved(explorer, y=0.4)
    assert before != after and "probe at (4.90, 0.40)" in text_after
    assert explorer.probe_marker.get_xydata().tolist() == [[4.9, 0.4]]


def test_fit_explorer_1d_draws_the_recorded_mixture():
    x = load_iris_features(("petal width",)).X
    fits = {k: gmmlab.fit(x, k, seed=0, max_iter=50) for k in (1, 2, 3)}
    explorer = widgets.FitExplorer1D(x, fits, k=2)
    explorer.set(k=3, iteration=4)
    ordered = fits[3].permute(np.argsort(fits[3].params.means[:, 0]))
    grid = explorer.density.grid
    np.testing.assert_allclose(
        explorer.density.total.get_ydata(), gmmlab.mixture_pdf(grid, ordered.history[4])
    )
    np.testing.assert_allclose(
        explorer.density.components[0].get_ydata(),
        gmmlab.weighted_densities(grid, ordered.history[4])[:, 0],
    )
    assert "iteration t = 4" in explorer.readout.value
    # a new K jumps to the end of its run, and hides the extra curves
    before, after, _, text = moved(explorer, k=1)
    assert before != after
    assert explorer.controls["iteration"].value == fits[1].n_iter
    assert explorer.controls["iteration"].max == max(fits[1].n_iter, 1)
    assert [line.get_visible() for line in explorer.density.components] == [True, False, False]
    # back to K = 3: the iteration it was left at, and the same picture as before
    explorer.set(k=3)
    assert explorer.controls["iteration"].value == 4
    np.testing.assert_allclose(
        explorer.density.total.get_ydata(), gmmlab.mixture_pdf(grid, ordered.history[4])
    )



def test_fit_explorer_labels_its_state_and_shows_a_collapse():
    """Lesson 3's snapshot: measured bins, one legend per K, a needle's height written out."""
    x = load_iris_features(("petal width",)).X
    fits = {k: gmmlab.fit(x, k, seed=0, tol=1e-8, max_iter=2000) for k in (3, 4)}
    explorer = widgets.FitExplorer1D(x, fits, k=3)
    edges = explorer.density.bins
    np.testing.assert_allclose(edges, gmmlab.plotting.histogram_bins(x))
    assert np.abs(x - edges).min() >= 0.02  # no petal width near a bin edge
    explorer.set(k=3, iteration=0)
    assert [legend.get_visible() for legend in explorer.legends.values()] == [True, False]
    texts = [t.get_text() for t in explorer.legends[3].get_texts()]
    assert texts[0].startswith("component 0: $\\pi_0") and texts[-1] == "data (histogram)"
    assert explorer.caption(3, 0) == r"$K = 3$ components, EM iteration $t = 0$: $\theta^{(0)}$"
    assert not any(label.get_visible() for label in explorer.peak_labels)
    # K = 4 collapses one component onto the 7 flowers of width 1.0 cm: variance at the floor
    explorer.set(k=4)
    ordered = explorer.results[4].params
    needle = int(np.argmin(ordered.covariances[:, 0, 0]))
    peak = ordered.weights[needle] / np.sqrt(2 * np.pi * ordered.covariances[needle, 0, 0])
    shown = [label for label in explorer.peak_labels if label.get_visible()]
    assert len(shown) == 1 and f"component {needle}: peak {peak:.3g}" in shown[0].get_text()
    # the curve passes through the tied value itself, so the needle is drawn at full height
    curve = explorer.density.components[needle]
    assert curve.get_ydata().max() == pytest.approx(peak, rel=1e-6)


def test_fit_explorer_gives_the_species_colours_to_the_components_nearest_them():
    """With ``reference`` (lesson 3: the species' mean widths), the components nearest the
    centres take colours 0, 1, 2 for every K, the others follow from left to right. The
    reference assignment is found here by trying every choice of components (itertools)."""
    import itertools

    data = load_iris_features(("petal width",))
    x = data.X
    centres = np.array([x[data.labels == s, 0].mean() for s in range(3)])
    fits = {k: gmmlab.fit(x, k, seed=0, tol=1e-8, max_iter=2000) for k in (3, 4, 5)}
    explorer = widgets.FitExplorer1D(x, fits, k=3, reference=centres[:, np.newaxis])
    for k, fit in fits.items():
        means = fit.params.means[:, 0]
        best = min(
            itertools.permutations(range(k), 3),
            key=lambda pick: sum((means[j] - c) ** 2 for j, c in zip(pick, centres, strict=True)),
        )
        rest = sorted(set(range(k)) - set(best), key=lambda j: means[j])
        shown = explorer.results[k].params.means[:, 0]
        np.testing.assert_array_equal(shown, means[list(best) + rest])
    plain = widgets.FitExplorer1D(x, fits, k=3)  # without: left to right
    for k in fits:
        assert np.all(np.diff(plain.results[k].params.means[:, 0]) > 0)


def test_a_k_that_was_not_fitted_shows_the_nearest_fit():
    x = load_iris_features(("petal width",)).X
    fits = {k: gmmlab.fit(x, k, seed=0, max_iter=50) for k in (1, 3)}
    explorer = widgets.FitExplorer1D(x, fits)
    explorer.set(k=2)  # between the fits: the nearest, 1 (the smaller on a tie)
    assert "K = 1," in explorer.readout.value


def test_em_iteration_explorer_follows_the_history(iris2, run2):
    explorer = widgets.EMIterationExplorer(iris2.X, run2)
    assert explorer.controls["iteration"].value == run2.n_iter
    before, after, _, text = moved(explorer, iteration=2)
    assert before != after
    assert f"{run2.log_likelihoods[2]:.3f}" in text
    geometry = gmmlab.plotting.ellipse_geometry(
        run2.history[2].means[1], run2.history[2].covariances[1], 2.0
    )
    assert explorer.ellipses[1].center == pytest.approx(geometry[0])
    assert explorer.ellipses[1].width == pytest.approx(geometry[1])
    np.testing.assert_allclose(explorer.mean_markers.get_offsets(), run2.history[2].means)
    expected = gmmlab.plotting.responsibility_colors(gmmlab.e_step(iris2.X, run2.history[2]))
    np.testing.assert_allclose(explorer.points.get_facecolors()[:, :3], expected, atol=1e-6)
    before, after, _, _ = moved(explorer, n_std=3)
    assert before != after
    assert explorer.ellipses[1].width == pytest.approx(geometry[1] * 1.5)


def test_half_steps_alternate_e_and_m(iris2, run2):
    explorer = widgets.EMIterationExplorer(
        iris2.X, run2, half_steps=True, show_log_likelihood=True
    )
    states = []
    for step in range(5):
        explorer.set(step=step)
        states.append(explorer.state()[:2])
    # (params shown, responsibilities shown): start, E, M, E, M
    assert states == [(0, None), (0, 0), (1, 0), (1, 1), (2, 1)]
    assert "M-step 2" in explorer.readout.value and "θ⁽²⁾" in explorer.readout.value
    assert explorer.cursor.markers[0].get_ydata()[0] == pytest.approx(run2.log_likelihoods[2])
    assert explorer.caption_text.get_text().startswith(r"half-step 4, M-step 2: ellipses moved")


def test_likelihood_explorer_marks_the_log_likelihood():
    x = load_iris_features(("petal width",)).X
    params = gmmlab.fit(x, 2, seed=0).params
    explorer = widgets.LikelihoodExplorer(x, params, component=1)
    value = float(explorer.parameter_values[10])
    before, after, _, text = moved(explorer, mean=value)
    assert before != after
    moved_params = params.replace(means=np.where(np.arange(2)[:, None] == 1, value, params.means))
    expected = gmmlab.log_likelihood(x, moved_params)
    assert explorer.cursor.markers[0].get_ydata()[0] == pytest.approx(expected)
    assert explorer.curve[10] == pytest.approx(expected)
    assert f"{expected:.3f}" in text
    # the legends name every line: each component, the mixture, and where params puts mu_1
    density_ax, ll_ax = explorer.axes
    labels = [t.get_text() for t in density_ax.get_legend().get_texts()]
    assert labels[:2] == [
        rf"component {k}: $\pi_{k} \, \mathcal{{N}}(x \mid \mu_{k}, \sigma_{k}^2)$" for k in (0, 1)
    ]
    base = [t.get_text() for t in ll_ax.get_legend().get_texts()][1]
    assert base.endswith(f"in params: {params.means[1, 0]:.3f}")
    weights = widgets.LikelihoodExplorer(x, params, component=0, parameter="weight")
    weights.set(weight=float(weights.parameter_values[5]))
    assert weights.params_at(0.3).weights.tolist() == pytest.approx([0.3, 0.7])


def test_model_selection_explorer_matches_bic_and_aic(iris2):
    fits = {k: gmmlab.fit(iris2.X, k, seed=0) for k in range(1, 5)}
    explorer = widgets.ModelSelectionExplorer(iris2.X, fits)
    np.testing.assert_allclose(
        explorer.bic, [gmmlab.bic(iris2.X, fits[k].params) for k in range(1, 5)]
    )
    assert explorer.controls["k"].value == 1 + int(np.argmin(explorer.bic))
    before, after, _, text = moved(explorer, k=4)
    assert before != after and f"AIC = {explorer.aic[3]:.2f}" in text
    assert [e.get_visible() for e in explorer.ellipses] == [True] * 4
    explorer.set(k=2)
    assert [e.get_visible() for e in explorer.ellipses] == [True, True, False, False]
    assert explorer.cursor.markers[0].get_ydata()[0] == pytest.approx(explorer.bic[1])


# -- anomalies and the held-out log-likelihood (lesson 11) --------------------------------


@pytest.fixture(scope="module")
def moons():
    from sklearn.datasets import make_moons

    X, _ = make_moons(150, noise=0.1, random_state=0)
    return X[:100], X[100:]


def test_anomaly_explorer_flags_what_scikit_learn_flags(moons):
    """Géron's recipe with scikit-learn: score_samples below its training percentile."""
    from sklearn.mixture import GaussianMixture

    X_train, X_new = moons
    gm = GaussianMixture(6, random_state=0).fit(X_train)
    explorer = widgets.AnomalyExplorer(X_train, gmmlab.MixtureParams.from_sklearn(gm), X_new)
    assert explorer.controls["percent"].value == 2.0
    for percent in (1.0, 5.0, 12.5):
        before, after, _, text = moved(explorer, percent=percent)
        assert before != after
        tau = np.percentile(gm.score_samples(X_train), percent)
        flagged = np.vstack([X_train[gm.score_samples(X_train) < tau],
                             X_new[gm.score_samples(X_new) < tau]])  # fmt: skip
        np.testing.assert_allclose(explorer.rings.get_offsets(), flagged, atol=1e-12)
        assert explorer.line.get_xdata()[0] == pytest.approx(tau, abs=1e-9)
        assert f"threshold τ_q = {tau:.3f}" in text
        n_new = int((gm.score_samples(X_new) < tau).sum())
        assert f"flagged: {n_new} of {len(X_new)} new points" in text
    # the shaded region is where the grid's log-density is below tau
    shade = explorer.region.get_array()
    below = explorer.grid < explorer.threshold(12.5)
    assert (shade[..., 3] > 0).sum() == below.sum() and (shade[below, 3] > 0).all()


def test_anomaly_explorer_without_new_points(moons):
    params = gmmlab.fit(moons[0], 4, seed=0).params
    explorer = widgets.AnomalyExplorer(moons[0], params, percent=10)
    explorer.set(percent=10.0)
    assert "new points" not in explorer.readout.value
    assert "flagged: 10 of 100 training points (10.0%)" in explorer.readout.value


def test_held_out_explorer_follows_the_sweep(moons):
    X_train, X_new = moons
    sweep = gmmlab.sweep_components(X_train, range(1, 7), X_held_out=X_new)
    explorer = widgets.HeldOutExplorer(X_train, sweep, X_held_out=X_new)
    assert explorer.controls["k"].value == sweep.best("held-out")
    before, after, _, text = moved(explorer, k=6)
    assert before != after
    held_out = gmmlab.log_likelihood(X_new, sweep.fits[6].params) / len(X_new)
    assert f"{held_out:.3f} held out" in text and "lowest BIC at K = " in text
    assert [e.get_visible() for e in explorer.ellipses] == [True] * 6
    explorer.set(k=2)
    assert [e.get_visible() for e in explorer.ellipses] == [True, True] + [False] * 4
    markers = [m.get_ydata()[0] for m in explorer.cursor.markers]
    assert markers == pytest.approx([sweep.train[1], sweep.held_out[1]])
    assert explorer.ellipses[0].get_center() == pytest.approx(sweep.fits[2].params.means[0])


def test_held_out_explorer_crosses_a_k_that_was_not_fitted(moons):
    X_train, X_new = moons
    sweep = gmmlab.sweep_components(X_train, [1, 3, 5], X_held_out=X_new, max_iter=20)
    explorer = widgets.HeldOutExplorer(X_train, sweep, k=1)
    explorer.set(k=4)  # shows the nearest fit, K = 3 (the first of the two nearest)
    assert "K = 3 (ellipses" in explorer.readout.value
    assert sum(e.get_visible() for e in explorer.ellipses) == 3


# -- K-Means as the limit of EM ---------------------------------------------------------


@pytest.fixture(scope="module")
def kmeans(iris2):
    return KMeans(3, n_init=10, random_state=0).fit(iris2.X)


def test_kmeans_limit_responsibilities_are_bayes_rule_with_a_shared_sigma(iris2, kmeans):
    """gamma_ik from scipy's densities with Sigma = sigma^2 I, weights 0.2, 0.3, 0.5."""
    weights = np.array([0.2, 0.3, 0.5])
    explorer = widgets.KMeansLimitExplorer(iris2.X, kmeans.cluster_centers_, weights=weights)
    for sigma in (0.05, 0.3, 1.5):
        joint = np.column_stack(
            [
                weights[k] * multivariate_normal(mean, sigma**2 * np.eye(2)).pdf(iris2.X)
                for k, mean in enumerate(kmeans.cluster_centers_)
            ]
        )
        reference = joint / joint.sum(axis=1, keepdims=True)
        np.testing.assert_allclose(explorer.responsibilities(sigma), reference, atol=1e-10)
        explorer.set(sigma=sigma)
        colours = gmmlab.plotting.responsibility_colors(reference)
        np.testing.assert_allclose(explorer.points.get_facecolors()[:, :3], colours, atol=1e-6)


def test_kmeans_limit_turns_into_kmeans_labels_as_sigma_shrinks(iris2, kmeans):
    explorer = widgets.KMeansLimitExplorer(
        iris2.X, kmeans.cluster_centers_, weights=[0.6, 0.3, 0.1], sigma_range=(0.005, 5.0)
    )
    hard = explorer.responsibilities(0.005)
    np.testing.assert_allclose(hard, np.eye(3)[kmeans.labels_], atol=1e-12)
    np.testing.assert_array_equal(explorer.nearest, kmeans.labels_)
    # as sigma grows the labels soften, towards the weights themselves
    assert np.all(np.diff(explorer.mean_max_resp) <= 1e-12)
    np.testing.assert_allclose(explorer.responsibilities(1e4), [[0.6, 0.3, 0.1]] * 150, atol=1e-6)
    explorer.set(sigma=0.005)
    assert "(the K-Means label): 0" in explorer.readout.value
    assert "above γ = 0.99: 150 of 150" in explorer.readout.value
    assert explorer.circles[0].width == pytest.approx(4 * 0.005)  # a 2-sigma circle


@pytest.fixture(scope="module")
def chunked(iris2):
    run = gmmlab.fit(iris2.X, 3, seed=0, max_iter=12, tol=0)
    return widgets.ChunkedStatisticsExplorer(iris2.X, run, max_chunks=8, n_chunks=3)


def test_chunks_are_the_rows_fit_processes_at_a_time():
    from gmmlab._kernels import chunks as _chunks
    from gmmlab.widgets.chunks import chunk_rows

    for n_samples, m in ((150, 1), (150, 4), (150, 7), (150, 12), (1000, 30), (7, 2)):
        chunk_size, slices = chunk_rows(n_samples, m)
        assert slices == _chunks(n_samples, chunk_size, 2, 3)
        assert len(slices) == m and slices[-1].stop == n_samples


def test_chunk_statistics_are_the_sums_by_hand_and_add_up_to_all_rows(iris2, chunked):
    """N_kj, sum gamma x and sum gamma x x^T per chunk, by hand with numpy; their sums."""
    X, resp = iris2.X, chunked.resp
    np.testing.assert_allclose(resp, gmmlab.e_step(X, chunked.start), rtol=0, atol=0)
    for m, parts in chunked.chunk_statistics.items():
        edges = np.cumsum([0] + [int(np.ceil(150 / m))] * m).clip(max=150)
        for j, part in enumerate(parts):
            rows = slice(edges[j], edges[j + 1])
            g, x = resp[rows], X[rows]
            np.testing.assert_allclose(part.nk, g.sum(axis=0), rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(part.sum_x, g.T @ x, rtol=1e-12, atol=1e-12)
            by_hand = np.einsum("ik,id,ie->kde", g, x, x)
            np.testing.assert_allclose(part.sum_xxT, by_hand, rtol=1e-10, atol=1e-10)
        total = sum(parts)
        np.testing.assert_allclose(total.nk, resp.sum(axis=0), rtol=1e-13)
        np.testing.assert_allclose(total.sum_xxT, np.einsum("ik,id,ie->kde", resp, X, X))
        assert chunked.m_step_difference[m] < 1e-12 and chunked.fit_difference[m] < 1e-10
    assert chunked.m_step_difference[1] == 0.0 and chunked.fit_difference[1] == 0.0


def test_chunk_explorer_stacks_each_chunks_nk_and_hides_empty_chunks(iris2, chunked):
    before, after, text_before, text_after = moved(chunked, n_chunks=5)
    assert before != after and text_before != text_after
    parts = chunked.chunk_statistics[5]
    for k in range(3):
        tops = [chunked.segments[j][k].get_y() + chunked.segments[j][k].get_height()
                for j in range(5)]
        assert tops[-1] == pytest.approx(chunked.resp[:, k].sum())
        heights = [chunked.segments[j][k].get_height() for j in range(5)]
        np.testing.assert_allclose(heights, [p.nk[k] for p in parts], rtol=1e-12, atol=1e-12)
        for j in range(5):  # a chunk's own ellipse only where it holds a point's worth of k
            assert chunked.chunk_ellipses[j][k].get_visible() == (parts[j].nk[k] >= 1.0)
    assert not any(s.get_visible() for row in chunked.segments[5:] for s in row)
    rows = "m = 5 chunks of up to 30 rows (chunk_size=30); each chunk is reduced to K(1 + D + D²)"
    assert rows in chunked.readout.value and "= 21 numbers" in chunked.readout.value
    assert "12 iterations" in chunked.readout.value
    shown = chunked.chunk_ellipses[1][1]
    if shown.get_visible():  # the ellipse of the chunk's own mean and spread
        assert shown.get_center() == pytest.approx(tuple(parts[1].means[1]))


def test_chunk_explorer_refuses_more_chunks_than_ceil_rows_allow(iris2):
    run = gmmlab.fit(iris2.X[:20], 2, seed=0, max_iter=3)
    with pytest.raises(ValueError, match=r"max_chunks must be at most 5 for N = 20 points: 6"):
        widgets.ChunkedStatisticsExplorer(iris2.X[:20], run, max_chunks=6)


# -- the protocol: drawing, snapshots, what a notebook stores ---------------------------


class Pointer(widgets.Explorer):
    """The smallest explorer: one point moved by one slider (the protocol, in a test)."""

    figsize = (3, 2)
    frame_wait = 0  # a move returns at once, as when frames are slower than frame_wait

    def __init__(self, start=0.5):
        self.start = start
        super().__init__()

    def sliders(self):
        return {"x": widgets.Slider("position x", 0.0, 1.0, 0.01, self.start, symbol="$x$")}

    def draw(self, ax):
        ax.set_xlim(0, 1)
        (self.point,) = ax.plot([], [], "o")
        self.dynamic(self.point)
        self.drawn_values = []

    def update(self, x):
        self.point.set_data([x], [0.5])
        self.drawn_values.append(x)
        return [f"x = {x:.2f}"]


def test_a_new_explorer_needs_only_the_protocol():
    explorer = Pointer()
    assert explorer.drawn_values == [0.5]
    assert explorer.readout.value.endswith("x = 0.50</span></div>")
    image = explorer.snapshot(x=0.25)
    assert explorer.values == {"x": 0.25} and explorer.point.get_xdata()[0] == 0.25
    assert explorer.caption_text.get_text() == "$x$ = 0.25"
    assert image.alt == explorer.live_alt == (  # the docstring's first line, the state
        "The smallest explorer: one point moved by one slider (the protocol, in a test). "
        "Shown at position x = 0.25: x = 0.25."
    )
    assert image.width == 3 * CSS_DPI and pixels(image.data).shape == (
        2 * CSS_DPI * PIXEL_RATIO,
        3 * CSS_DPI * PIXEL_RATIO,
        3,
    )


def test_frames_are_rendered_at_twice_their_displayed_size(iris2, run2):
    explorer = widgets.EMIterationExplorer(iris2.X, run2)
    width, height = explorer.figure.get_size_inches()
    assert explorer.image.width == str(round(width * CSS_DPI))  # CSS size
    assert pixels(explorer.image.value).shape[:2] == (
        round(height * CSS_DPI * PIXEL_RATIO),
        round(width * CSS_DPI * PIXEL_RATIO),
    )
    assert PIXEL_RATIO >= 2


def test_frames_keep_their_colours_in_a_palette_of_256(iris2, run2):
    explorer = widgets.EMIterationExplorer(iris2.X, run2)
    rendered = np.array(explorer._render())[:, :, :3].astype(int)
    live, stored = explorer.image.value, explorer.png()  # a live frame, a stored snapshot
    for png in (live, stored):
        assert Image.open(io.BytesIO(png)).mode == "P"
        error = np.abs(pixels(png).astype(int) - rendered)
        assert error.mean() < 2 and error.max() <= 32
    assert len(stored) < len(live)  # compressed harder


def test_frames_asked_for_during_a_frame_are_dropped_but_the_last(monkeypatch):
    """Fifty moves while one frame is drawn: one more frame, at the last value."""
    explorer = Pointer()
    drawing, release = threading.Event(), threading.Event()
    plain_update = Pointer.update

    def slow_update(self, x):
        drawing.set()
        release.wait(10)
        return plain_update(self, x)

    monkeypatch.setattr(Pointer, "update", slow_update)
    explorer.controls["x"].value = 0.01  # as a move in the browser does: a frame in the background
    assert drawing.wait(10), "no frame was started"
    for step in range(2, 52):
        explorer.controls["x"].value = step / 100
    frames_before = explorer.frames_drawn
    release.set()
    assert explorer.wait(10)
    assert explorer.drawn_values == [0.5, 0.01, 0.51]
    assert explorer.frames_drawn == frames_before + 2
    assert explorer.point.get_xdata()[0] == 0.51 and "x = 0.51" in explorer.readout.value


@pytest.mark.parametrize("trial", range(5))
def test_the_last_value_is_always_drawn(trial):
    explorer = Pointer()
    rng = np.random.default_rng(trial)
    values = rng.integers(0, 101, size=40) / 100
    for value in values:
        explorer.controls["x"].value = float(value)
    assert explorer.wait(10)
    assert explorer.drawn_values[-1] == values[-1]
    assert len(explorer.drawn_values) <= 1 + len(values)


def test_a_move_waits_for_its_frame_up_to_frame_wait(monkeypatch):
    """So that the browser holds back (and merges) the values that follow a move."""
    explorer = Pointer()
    monkeypatch.setattr(explorer, "frame_wait", 5.0)
    explorer.controls["x"].value = 0.3  # returns once the frame is drawn
    assert explorer.drawn_values[-1] == 0.3 and explorer.wait(0)
    release = threading.Event()
    plain_update = Pointer.update

    def slow_update(self, x):
        release.wait(10)
        return plain_update(self, x)

    monkeypatch.setattr(Pointer, "update", slow_update)
    monkeypatch.setattr(explorer, "frame_wait", 0.05)
    explorer.controls["x"].value = 0.4  # a slow frame: the move returns after 0.05 s
    assert not explorer.wait(0)
    release.set()
    assert explorer.wait(10) and explorer.drawn_values[-1] == 0.4


def test_a_failing_frame_says_so_in_the_readout(monkeypatch, capsys):
    explorer = Pointer()

    def broken(self, x):
        raise RuntimeError("deliberately broken")

    monkeypatch.setattr(Pointer, "update", broken)
    explorer.controls["x"].value = 0.7
    assert explorer.wait(10)
    assert "could not draw the new state: RuntimeError: deliberately broken" in (
        explorer.readout.value
    )
    assert "deliberately broken" in capsys.readouterr().err


def test_the_stored_description_and_text_say_what_the_picture_shows(iris2, run2):
    explorer = widgets.EMIterationExplorer(iris2.X, run2)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    description = bundle[EXPLORER_MIME]
    assert description["kind"] == "EMIterationExplorer" and description["snapshot"] is None
    assert [s["name"] for s in description["sliders"]] == ["iteration", "n_std"]
    assert description["sliders"][0] == {
        "name": "iteration",
        "label": "EM iteration t",
        "min": 0,
        "max": run2.n_iter,
        "step": 1,
        "log": False,
        "value": run2.n_iter,
    }
    assert "now at EM iteration t = 30" in bundle["text/plain"]
    explorer.snapshot(iteration=3, n_std=1)
    explorer.set(iteration=5)  # moved after the snapshot: the text still describes the picture
    bundle = explorer._repr_mimebundle_()
    assert bundle[EXPLORER_MIME]["snapshot"] == {"iteration": 3, "n_std": 1}
    assert bundle["text/plain"].startswith(
        "EMIterationExplorer: the picture above shows it at EM iteration t = 3, "
        "ellipse: std. devs = 1. Run the notebook"
    )
    assert "starting state" not in bundle["text/plain"]


def test_captions_are_mathtext_never_raw_superscripts(iris2, run2):
    explorer = widgets.EMIterationExplorer(iris2.X, run2, half_steps=True)
    for step in (0, 1, 2, 7):
        caption = explorer.set(step=step).caption_text.get_text()
        assert "^(" not in caption and f"half-step {step}" in caption
        assert caption.count("$") % 2 == 0 and r"$\theta^{(" in caption
    explorer.png()  # mathtext that does not parse would raise here


@pytest.mark.parametrize(
    ("values", "error", "words"),
    [
        ({"speed": 3}, ValueError, r"unknown slider\(s\) \['speed'\]"),
        ({"iteration": 31}, ValueError, "iteration must be from 0 to 30, got 31"),
        ({"iteration": 2.5}, TypeError, "iteration must be an integer from 0 to 30"),
        ({"iteration": True}, TypeError, "iteration must be an integer"),
        ({"n_std": "2"}, TypeError, "n_std must be an integer from 1 to 3"),
    ],
)
def test_set_and_snapshot_refuse_values_a_slider_cannot_take(iris2, run2, values, error, words):
    explorer = widgets.EMIterationExplorer(iris2.X, run2)
    with pytest.raises(error, match=words):
        explorer.set(**values)
    with pytest.raises(error, match=words):
        explorer.snapshot(**values)
    explorer.set(iteration=np.int64(4), n_std=np.int32(1))  # numpy integers are integers
    assert explorer.values == {"iteration": 4, "n_std": 1}


def test_callbacks_never_refit(iris2, run2, monkeypatch):
    explorer = widgets.EMIterationExplorer(iris2.X, run2, half_steps=True)

    def forbidden(*args, **kwargs):
        raise AssertionError("a callback refitted")

    monkeypatch.setattr(gmmlab, "fit", forbidden)
    monkeypatch.setattr(gmmlab.em, "fit", forbidden)
    for step in range(0, 10):
        explorer.set(step=step)


def test_axes_are_fitted_to_the_data(iris2):
    """A poor start's wide ellipses do not leave most of the panel empty."""
    poor = gmmlab.fit(iris2.X, 3, init="random", seed=1, max_iter=40)
    explorer = widgets.EMIterationExplorer(iris2.X, poor)
    (ax,) = explorer.axes
    for (low, high), column in zip((ax.get_xlim(), ax.get_ylim()), iris2.X.T, strict=True):
        span = column.max() - column.min()
        assert low <= column.min() and high >= column.max()
        assert (high - low) <= 1.45 * span  # data, at most 15% beyond each side, 5% margin


def test_posterior_explorer_is_bayes_rule_at_the_point_and_on_the_data(iris2):
    """Prior, likelihood, evidence and posterior against scipy and the weight-rescaling rule."""
    X = iris2.X
    params = gmmlab.fit(X, 3, seed=0, max_iter=50).params
    point = X[77]
    explorer = widgets.PosteriorExplorer(X, params, point, component=1, point_label="flower 77")
    weight = 0.15
    before, after, _, text = moved(explorer, weight=weight)
    assert before != after
    text = html.unescape(text)
    # the other weights keep their proportions: pi_j (1 - w) / (1 - pi_1)
    prior = params.weights * (1 - weight) / (1 - params.weights[1])
    prior[1] = weight
    gaussians = [
        multivariate_normal(m, c) for m, c in zip(params.means, params.covariances, strict=True)
    ]
    likelihood = np.array([g.pdf(point) for g in gaussians])
    evidence = (prior * likelihood).sum()
    posterior = prior * likelihood / evidence
    numbers = explorer.bayes(weight)
    assert numbers["prior"] == pytest.approx(prior)
    assert numbers["likelihood"] == pytest.approx(likelihood, rel=1e-10)
    assert numbers["evidence"] == pytest.approx(evidence, rel=1e-10)
    assert numbers["posterior"] == pytest.approx(posterior, abs=1e-12)
    # the bars show those numbers, and the readout says them
    assert [b.get_height() for b in explorer.bars["posterior"]] == pytest.approx(posterior)
    assert [b.get_height() for b in explorer.bars["joint"]] == pytest.approx(prior * likelihood)
    assert explorer.evidence_bar.get_height() == pytest.approx(evidence)
    assert f"p(x) = Σ_k π_k N(x | μ_k, Σ_k) = {evidence:.4f}" in text
    assert f"γ_k = ({', '.join(f'{g:.3f}' for g in posterior)})" in text
    assert "most probable component " + str(int(np.argmax(posterior))) in text
    # the data's colours change with the prior: count the flowers whose hard label moved
    dens = np.column_stack([g.pdf(X) for g in gaussians])
    moved_labels = np.argmax(prior * dens, axis=1) != np.argmax(params.weights * dens, axis=1)
    assert f"differs from the one under the fit's weights: {moved_labels.sum()} of 150" in text
    assert explorer.caption_text.get_text().startswith(r"$\pi_1 = 0.15$, point $x$ = flower 77")
    # at the fit's own weights, the posterior is gmmlab's E-step at the point
    start = explorer.specs["weight"].value  # the slider starts at the fit's weight
    assert start == pytest.approx(round(params.weights[1], 2))
    near = explorer.bayes(params.weights[1])["posterior"]
    assert near == pytest.approx(gmmlab.e_step(point[np.newaxis], params)[0], abs=1e-12)


def test_posterior_explorer_survives_a_far_point_and_extreme_priors(iris2):
    """Lesson 5's millimetre flower: every likelihood underflows, the posterior is still finite."""
    params = gmmlab.fit(iris2.X, 3, seed=0, max_iter=50).params
    explorer = widgets.PosteriorExplorer(iris2.X, params, (45.0, 15.0), component=0)
    for weight in (0.01, 0.99):
        explorer.set(weight=weight)
        posterior = explorer.bayes(weight)["posterior"]
        assert np.isfinite(posterior).all() and posterior.sum() == pytest.approx(1.0)
        assert "nan" not in explorer.readout.value
    expected = gmmlab.e_step(np.array([[45.0, 15.0]]), params.with_weight(0, 0.99))[0]
    assert posterior == pytest.approx(expected, abs=1e-12)


# -- the lower bound along one mean (lesson 8) ------------------------------------------


@pytest.fixture(scope="module")
def width_run():
    x = load_iris_features(("petal width",)).X
    return x, gmmlab.fit(x, 3, seed=0, max_iter=12, tol=0)


def test_bound_along_mean_is_log_likelihood_and_lower_bound_one_mean_at_a_time(width_run):
    """Each point of both curves recomputed by gmmlab.log_likelihood and gmmlab.lower_bound
    on a mixture with the one mean replaced, and B by hand from scipy's densities."""
    from scipy.stats import norm

    from gmmlab.widgets.lower_bound import bound_along_mean

    x, run = width_run
    params = run.history[3]
    resp = gmmlab.e_step(x, params)
    grid = np.linspace(0.5, 2.5, 7)
    ell, bound = bound_along_mean(x, params, resp, 1, grid)
    for m, ell_m, bound_m in zip(grid, ell, bound, strict=True):
        means = params.means.copy()
        means[1, 0] = m
        moved_params = params.replace(means=means)
        assert ell_m == pytest.approx(gmmlab.log_likelihood(x, moved_params), abs=1e-9)
        assert bound_m == pytest.approx(gmmlab.lower_bound(x, moved_params, resp), abs=1e-9)
        sd = np.sqrt(moved_params.covariances[:, 0, 0])
        joint = moved_params.weights * norm.pdf(x, moved_params.means[:, 0], sd)  # (N, K)
        assert bound_m == pytest.approx(np.sum(resp * np.log(joint / resp)), abs=1e-9)
        assert bound_m <= ell_m + 1e-12  # Jensen
    # the curves touch at the current mean, and B peaks at the M-step's mean
    at = float(params.means[1, 0])
    ell_at, bound_at = bound_along_mean(x, params, resp, 1, [at])
    assert bound_at[0] == pytest.approx(ell_at[0], abs=1e-10)
    new_mean = float(gmmlab.m_step(x, resp).means[1, 0])
    near = new_mean + np.array([-1e-3, 0.0, 1e-3])
    assert np.argmax(bound_along_mean(x, params, resp, 1, near)[1]) == 1


def test_lower_bound_explorer_steps_follow_the_run(width_run):
    x, run = width_run
    explorer = widgets.LowerBoundExplorer(x, run, component=0, xlabel="petal width (cm)")
    assert len(explorer.steps) == run.n_iter
    for t, step in enumerate(explorer.steps):
        assert step.before == run.history[t].means[0, 0]
        assert step.after == run.history[t + 1].means[0, 0]
        assert step.touch == pytest.approx(run.log_likelihoods[t], abs=1e-9)
        assert np.all(step.bound <= step.ell + 1e-9)
        # the M-step's whole update: l(theta^(t+1)) >= B(theta^(t+1)|theta^(t)) >= l(theta^(t))
        assert run.log_likelihoods[t + 1] + 1e-9 >= step.bound_step >= step.touch - 1e-9
        assert step.bound_after >= step.touch - 1e-9  # the peak is above the touching point
        assert (
            step.xlim[0]
            < min(step.before, step.after)
            < max(step.before, step.after)
            < (step.xlim[1])
        )
    explorer.set(iteration=5)
    assert explorer.axes[0].get_xlim() == pytest.approx(explorer.steps[5].xlim)
    np.testing.assert_array_equal(explorer.peak_marker.get_xdata(), [run.history[6].means[0, 0]])
    assert "t = 5" in explorer.readout.value and "μ₀⁽⁶⁾" in explorer.readout.value
    before, after, *_ = moved(explorer, iteration=6)
    assert before != after  # the zoomed panel is drawn again, ticks and all


def test_lower_bound_explorer_needs_one_iteration():
    x = load_iris_features(("petal width",)).X
    with pytest.raises(ValueError, match="at least one EM iteration"):
        widgets.LowerBoundExplorer(x, gmmlab.fit(x, 2, seed=0, max_iter=0))


def test_m_step_explorer_shows_each_m_step_of_the_run(iris2, run2):
    """Responsibilities, N_k, the M-step's means and ℓ by hand (scipy), against the picture."""
    from matplotlib.colors import to_rgb
    from scipy.special import logsumexp

    X, history = iris2.X, run2.history[:8]
    explorer = widgets.MStepExplorer(X, history, feature_names=iris2.feature_names, n_std=2.5)
    (ax,) = explorer.axes
    drawn = explorer.drawn
    for t in range(len(history) - 1):
        old, new = history[t], history[t + 1]
        log_joint = np.column_stack(
            [
                np.log(old.weights[k])
                + multivariate_normal(old.means[k], old.covariances[k]).logpdf(X)
                for k in range(3)
            ]
        )
        gamma = np.exp(log_joint - logsumexp(log_joint, axis=1, keepdims=True))
        nk = gamma.sum(axis=0)
        np.testing.assert_allclose(gamma.T @ X / nk[:, None], new.means, atol=1e-9)  # an M-step
        ell = [
            logsumexp(
                [
                    np.log(p.weights[k])
                    + multivariate_normal(p.means[k], p.covariances[k]).logpdf(X)
                    for k in range(3)
                ],
                axis=0,
            ).sum()
            for p in (old, new)
        ]
        explorer.set(step=t)
        np.testing.assert_allclose(
            drawn["points"].get_facecolors()[:, :3],
            gmmlab.plotting.responsibility_colors(gamma),
            atol=1e-6,
        )
        np.testing.assert_allclose(drawn["starts"].get_offsets(), old.means)
        for k in range(3):
            for state, ellipse in ((old, drawn["before"][k]), (new, drawn["after"][k])):
                eigenvalues, eigenvectors = np.linalg.eigh(state.covariances[k])
                np.testing.assert_allclose(ellipse.center, state.means[k])
                width, height = 2 * 2.5 * np.sqrt(eigenvalues[::-1])
                assert (ellipse.width, ellipse.height) == pytest.approx((width, height))
                major = eigenvectors[:, 1]
                angle = np.radians(ellipse.angle)
                assert abs(np.cos(angle) * major[0] + np.sin(angle) * major[1]) == pytest.approx(1)
                assert to_rgb(ellipse.get_edgecolor()) == to_rgb(
                    gmmlab.plotting.component_color(k)
                )
            assert drawn["before"][k].get_linestyle() == ":"
            assert drawn["after"][k].get_linestyle() == "-"
            np.testing.assert_allclose(drawn["arrows"][k].xyann, old.means[k])
            np.testing.assert_allclose(drawn["arrows"][k].xy, new.means[k])
        readout = html.unescape(explorer.readout.value)
        assert f"M-step t = {t}" in readout
        assert "N_k (k = 0, 1, 2): " + ", ".join(f"{n:.2f}" for n in nk) in readout
        moved_by = np.linalg.norm(new.means - old.means, axis=1)
        assert (
            "how far each mean moved (k = 0, 1, 2): " + ", ".join(f"{d:.2f}" for d in moved_by)
            in readout
        )
        assert f"= {ell[0]:.2f} → ℓ" in readout and f"= {ell[1]:.2f} (change" in readout
        caption = explorer.caption_text.get_text()
        assert rf"\theta^{{({t})}} \to \theta^{{({t + 1})}}" in caption and "^(" not in caption
    texts = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "before" in texts[0] and "after" in texts[1] and "moved" in texts[2]
    assert ax.get_xlabel() == iris2.feature_names[0]
    for (low, high), column in zip((ax.get_xlim(), ax.get_ylim()), X.T, strict=True):
        assert low <= column.min() and high >= column.max()
        assert high - low <= 1.45 * (column.max() - column.min())
    before, after, *_ = moved(explorer, step=0)
    assert before != after
    explorer.png()  # the mathtext parses


def test_m_step_explorer_never_recomputes_in_a_callback(iris2, run2, monkeypatch):
    from gmmlab.widgets import m_step

    explorer = widgets.MStepExplorer(iris2.X, run2)

    def forbidden(*args, **kwargs):
        raise AssertionError("a callback recomputed")

    for name in ("e_step", "log_likelihood"):
        monkeypatch.setattr(m_step, name, forbidden)
    monkeypatch.setattr(gmmlab, "m_step", forbidden)
    monkeypatch.setattr(gmmlab, "fit", forbidden)
    for step in range(run2.n_iter):
        explorer.set(step=step)
def test_starts_explorer_shows_each_starts_fit_and_where_it_ends(iris2):
    """Each seed refitted on its own: its ellipses, hard labels, ARI, and its bar among all."""
    from sklearn.metrics import adjusted_rand_score

    from gmmlab.plotting import component_color, ellipse_geometry

    settings = {"init": "random", "tol": 1e-8, "max_iter": 2000}
    runs = [gmmlab.fit(iris2.X, 3, seed=s, **settings) for s in range(21)]
    explorer = widgets.StartsExplorer(iris2.X, runs, labels=iris2.labels, seed=5)
    assert explorer.values == {"seed": 5}
    assert explorer.controls["seed"].max == 20
    finals = np.array([run.log_likelihoods[-1] for run in runs])
    assert len(np.unique(finals.round(2))) >= 2  # the test must see more than one maximum
    for seed in (int(finals.argmin()), int(finals.argmax()), 20):
        reference = gmmlab.fit(iris2.X, 3, seed=seed, **settings)
        params = reference.params
        z = gmmlab.e_step(iris2.X, params).argmax(axis=1)
        ll = gmmlab.log_likelihood(iris2.X, params)
        before, after, _, text = moved(explorer, seed=seed)
        ari = adjusted_rand_score(iris2.labels, z)
        assert f"seed {seed}: final ℓ = {ll:.2f} after {reference.n_iter} iterations" in text
        assert f"adjusted Rand index of ẑ with the labels: {ari:.2f}" in text
        # points coloured by their hard label, up to a renumbering of the components
        colours = explorer.points.get_facecolors()[:, :3]
        palette = np.array([to_rgb(component_color(k)) for k in range(3)])
        shown = np.abs(colours[:, None, :] - palette[None]).sum(axis=2).argmin(axis=1)
        assert adjusted_rand_score(z, shown) == pytest.approx(1.0)
        # each ellipse is one component's 2-std-dev ellipse, in the colour of its points
        for k, ellipse in enumerate(explorer.ellipses):
            j = int(np.linalg.norm(params.means - np.array(ellipse.center), axis=1).argmin())
            centre, width, height, angle = ellipse_geometry(params.means[j], params.covariances[j])
            np.testing.assert_allclose(ellipse.center, centre, atol=1e-9)
            assert (ellipse.width, ellipse.height) == pytest.approx((width, height))
            assert ellipse.angle % 180 == pytest.approx(angle % 180, abs=1e-6)
            assert (shown[z == j] == k).all()
        # the marked bar is the one of this start's final ℓ, as tall as the starts ending there
        marked = [bar for bar in explorer.bars if to_rgb(bar.get_facecolor()) == to_rgb("#D55E00")]
        assert len(marked) == 1
        x = marked[0].get_x() + marked[0].get_width() / 2
        tick = {t.get_position()[0]: t.get_text() for t in explorer.axes[1].get_xticklabels()}
        assert tick[x] == f"{ll:.2f}"
        assert marked[0].get_height() == np.isclose(finals.round(2), round(ll, 2)).sum()


def test_the_slider_rows_script_is_sent_only_when_the_alt_text_changes(monkeypatch):
    explorer = Pointer()
    sent = []
    monkeypatch.setattr(
        explorer._row_html, "send_state", lambda key=None: sent.append(key), raising=False
    )
    explorer.redraw()  # same values: same alt text, nothing sent
    explorer.snapshot(x=0.5)
    assert sent == []
    explorer.set(x=0.25)
    assert len(sent) == 1 and "x = 0.25" in explorer._row_html.value
    assert explorer.live_alt in html.unescape(explorer._row_html.value)
