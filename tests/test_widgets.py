"""The explorers: every slider redraws, and what they draw is the right thing."""

import io
import threading

import numpy as np
import pytest
from PIL import Image
from scipy.stats import multivariate_normal
from sklearn.cluster import KMeans

import gmmlab
from gmmlab import widgets
from gmmlab.datasets import load_iris_features, make_ellipsoidal_clusters
from gmmlab.widgets.base import CSS_DPI, EXPLORER_MIME, PIXEL_RATIO


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
    assert explorer.drawn_values == [0.5] and explorer.readout.value.endswith("x = 0.50</span>")
    image = explorer.snapshot(x=0.25)
    assert explorer.values == {"x": 0.25} and explorer.point.get_xdata()[0] == 0.25
    assert explorer.caption_text.get_text() == "$x$ = 0.25"
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
