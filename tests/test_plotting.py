"""The plotting helpers: geometry, artists returned, no global side effects."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

import gmmlab
from gmmlab import plotting


def new_axes():
    return Figure().add_subplot()


def rotated(angle_degrees, variances):
    theta = np.radians(angle_degrees)
    R = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    return R @ np.diag(variances) @ R.T


@pytest.mark.parametrize("angle", [0.0, 30.0, 60.0, 90.0, -45.0, -89.0])
@pytest.mark.parametrize("n_std", [1.0, 2.0, 3.0])
def test_ellipse_of_a_known_covariance(angle, n_std):
    cov = rotated(angle, [4.0, 1.0])  # axes 2 and 1 standard deviations long
    ellipse = plotting.covariance_ellipse([1.0, -2.0], cov, n_std=n_std)
    assert isinstance(ellipse, Ellipse)
    assert ellipse.center == pytest.approx((1.0, -2.0))
    assert ellipse.width == pytest.approx(2 * n_std * 2.0)
    assert ellipse.height == pytest.approx(2 * n_std * 1.0)
    assert 0.0 <= ellipse.angle < 180.0
    assert ellipse.angle == pytest.approx(angle % 180.0)


def test_ellipse_boundary_is_at_mahalanobis_distance_n_std():
    cov = np.array([[2.0, 0.8], [0.8, 1.0]])
    mean = np.array([0.5, 0.5])
    ellipse = plotting.covariance_ellipse(mean, cov, n_std=2.0)
    unit_circle = ellipse.get_path().vertices  # Bezier segments of the unit circle
    on_curve = np.isclose(np.linalg.norm(unit_circle, axis=1), 1.0)
    boundary = ellipse.get_patch_transform().transform(unit_circle[on_curve])
    diff = boundary - mean
    distances = np.einsum("ij,jk,ik->i", diff, np.linalg.inv(cov), diff)
    assert on_curve.sum() >= 8
    np.testing.assert_allclose(distances, 4.0, rtol=1e-9)


def test_covariance_ellipse_passes_style_and_is_unfilled():
    ellipse = plotting.covariance_ellipse([0, 0], np.eye(2), edgecolor="red", linewidth=3)
    assert ellipse.get_facecolor()[3] == 0.0
    assert ellipse.get_linewidth() == 3


def test_update_ellipse_moves_it():
    ellipse = plotting.covariance_ellipse([0, 0], np.eye(2))
    plotting.update_ellipse(ellipse, [2.0, 1.0], np.diag([1.0, 9.0]), n_std=1)
    assert ellipse.center == pytest.approx((2.0, 1.0))
    assert (ellipse.width, ellipse.height, ellipse.angle) == pytest.approx((6.0, 2.0, 90.0))


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_every_covariance_type_draws(iris_2d, covariance_type):
    result = gmmlab.fit(iris_2d, 3, seed=0, covariance_type=covariance_type, max_iter=20)
    ax = new_axes()
    drawn = plotting.plot_mixture_2d(
        ax, iris_2d, result.params, gmmlab.e_step(iris_2d, result.params)
    )
    ellipses = drawn["ellipses"]
    assert len(ellipses) == 9 and all(e in ax.patches for e in ellipses)
    widths = np.array([e.width for e in ellipses]).reshape(3, 3)
    heights = np.array([e.height for e in ellipses]).reshape(3, 3)
    np.testing.assert_allclose(widths[:, 1], 2 * widths[:, 0])  # 2 std vs 1 std
    if covariance_type == "spherical":
        np.testing.assert_allclose(widths, heights)
    if covariance_type == "diag":
        angles = np.array([e.angle for e in ellipses]) % 90
        np.testing.assert_allclose(angles, 0.0, atol=1e-9)
    if covariance_type == "tied":
        np.testing.assert_allclose(widths, np.broadcast_to(widths[0], (3, 3)))
    assert drawn["points"].get_offsets().shape == (150, 2)
    np.testing.assert_allclose(drawn["means"].get_offsets(), result.params.means)


def test_points_are_coloured_by_responsibility_or_label(iris_2d):
    params = gmmlab.fit(iris_2d, 2, seed=0, max_iter=10).params
    resp = gmmlab.e_step(iris_2d, params)
    drawn = plotting.plot_mixture_2d(new_axes(), iris_2d, params, resp=resp)
    expected = resp @ np.array([matplotlib.colors.to_rgb(c) for c in plotting.COLORS[:2]])
    np.testing.assert_allclose(drawn["points"].get_facecolors()[:, :3], expected, atol=1e-6)
    labels = gmmlab.hard_assign(resp)
    drawn = plotting.plot_mixture_2d(new_axes(), iris_2d, params, labels=labels, n_std=())
    assert drawn["ellipses"] == []
    first = matplotlib.colors.to_rgb(plotting.component_color(labels[0]))
    np.testing.assert_allclose(drawn["points"].get_facecolors()[0, :3], first)


def test_plot_mixture_1d_curves_are_the_weighted_components(iris_1d):
    params = gmmlab.fit(iris_1d, 3, seed=0).params
    ax = new_axes()
    drawn = plotting.plot_mixture_1d(ax, iris_1d, params, bins=20)
    grid = drawn["total"].get_xdata()
    np.testing.assert_allclose(drawn["total"].get_ydata(), gmmlab.mixture_pdf(grid, params))
    components = np.array([line.get_ydata() for line in drawn["components"]])
    np.testing.assert_allclose(components.sum(axis=0), drawn["total"].get_ydata())
    heights = np.array([bar.get_height() for bar in drawn["hist"]])
    bar_widths = np.array([bar.get_width() for bar in drawn["hist"]])
    assert (heights * bar_widths).sum() == pytest.approx(1.0)  # a density
    assert grid.min() <= iris_1d.min() and grid.max() >= iris_1d.max()


def test_plot_mixture_1d_rejects_2d_params(iris_2d):
    params = gmmlab.fit(iris_2d, 2, seed=0, max_iter=5).params
    with pytest.raises(ValueError, match="plot_mixture_1d needs a 1-feature mixture"):
        plotting.plot_mixture_1d(new_axes(), iris_2d[:, 0], params)
    with pytest.raises(ValueError, match="ellipses need two features"):
        plotting.plot_ellipses(new_axes(), params.marginal([0]))


def test_plot_log_likelihood(iris_2d):
    result = gmmlab.fit(iris_2d, 3, seed=0, max_iter=10, tol=0)
    ax = new_axes()
    line = plotting.plot_log_likelihood(ax, result.log_likelihoods, per_sample=150)
    np.testing.assert_allclose(line.get_ydata(), result.log_likelihoods / 150)
    np.testing.assert_array_equal(line.get_xdata(), np.arange(11))
    assert "iteration" in ax.get_xlabel()
    ax.figure.canvas.draw()
    ticks = ax.get_xticks()
    np.testing.assert_array_equal(ticks, np.round(ticks))  # whole iterations only


def test_helpers_leave_global_style_and_pyplot_alone():
    script = """
import matplotlib, sys, numpy as np
matplotlib.use("Agg")
before = dict(matplotlib.rcParams)
import gmmlab
from gmmlab import plotting
from matplotlib.figure import Figure
X = np.random.default_rng(0).normal(size=(50, 2))
params = gmmlab.fit(X, 2, seed=0, max_iter=3).params
ax = Figure().add_subplot()
plotting.plot_mixture_2d(ax, X, params)
plotting.plot_mixture_1d(Figure().add_subplot(), X[:, 0], params.marginal([0]))
plotting.plot_log_likelihood(ax, [1.0, 2.0])
changed = [k for k, v in matplotlib.rcParams.items() if before[k] != v]
assert not changed, changed
assert "matplotlib.pyplot" not in sys.modules
print("clean")
"""
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert output.stdout.strip() == "clean", output.stderr


def test_animate_em_frames_follow_the_history(iris_2d):
    result = gmmlab.fit(iris_2d, 3, init="random", seed=3, max_iter=40, tol=0)
    ax = new_axes()
    animation = plotting.animate_em(ax, iris_2d, result, max_frames=5)
    html = plotting.animation_html(animation)
    assert html.count("data:image/jpeg;base64") == 5  # frames 0, 10, 20, 30, 40
    assert matplotlib.rcParams["animation.frame_format"] == "png"  # left alone
    assert "http" not in html and 'class="fa ' not in html  # plays offline, buttons labelled
    assert "&#x25B6;" in html
    again = plotting.animation_html(plotting.animate_em(new_axes(), iris_2d, result, max_frames=5))
    assert again == html  # no random ids: a re-run notebook stays unchanged
    # after rendering, the artists show the last frame: the end of the run
    geometry = plotting.ellipse_geometry(
        result.history[40].means[0], result.history[40].covariances[0], 2.0
    )
    assert ax.patches[0].center == pytest.approx(geometry[0])
    assert ax.patches[0].width == pytest.approx(geometry[1])
    assert "EM iteration 40 of 40" in ax.get_title()


# -- bad input: each row is a call, the exception it must raise and words of its message ------

# -- histograms of measured data -----------------------------------------------


def test_measurement_step_finds_the_recording_grid(iris_features):
    for feature in range(4):  # every Iris measurement is in whole millimetres
        assert plotting.measurement_step(iris_features[:, feature]) == pytest.approx(0.1)
    assert plotting.measurement_step([3, 9, 15, 6]) == pytest.approx(3.0)
    assert plotting.measurement_step([0.25, 0.75, 2.0]) == pytest.approx(0.25)
    assert plotting.measurement_step(np.random.default_rng(0).normal(size=50)) is None
    assert plotting.measurement_step([1.0, 1.0]) is None  # one value: no step to see


def test_measured_bins_keep_every_petal_width_away_from_the_edges(iris_1d):
    """Lesson 3's histogram: one bin per 0.1 cm value, each value at its bin's centre."""
    edges = plotting.histogram_bins(iris_1d)
    distance = np.abs(iris_1d[:, 0][:, np.newaxis] - edges[np.newaxis, :]).min(axis=1)
    assert distance.min() >= 0.02 - 1e-12  # no petal width within 0.02 cm of an edge
    np.testing.assert_allclose(np.diff(edges), 0.1)
    # each bin counts exactly the flowers of one measured value (none spuriously empty)
    values, counts = np.unique(np.round(iris_1d[:, 0], 1), return_counts=True)
    heights, _ = np.histogram(iris_1d[:, 0], bins=edges)
    centres = (edges[:-1] + edges[1:]) / 2
    expected = {round(v, 1): c for v, c in zip(values, counts, strict=True)}
    assert heights.tolist() == [expected.get(round(c, 1), 0) for c in centres]


def test_bins_on_the_measurement_grid_empty_bins_that_hold_flowers(iris_1d):
    """Why lesson 3 changed: edges on the 0.1 cm grid leave rounding to pick the bin."""
    old_edges = np.linspace(0, 2.6, 27)  # lesson 3's bins before: edges at 0.0, 0.1, ...
    assert np.abs(iris_1d[:, 0][:, np.newaxis] - old_edges).min() < 1e-9
    old_heights, _ = np.histogram(iris_1d[:, 0], bins=old_edges)
    centres = (old_edges[:-1] + old_edges[1:]) / 2
    holds_flowers = np.array([np.any(np.abs(iris_1d[:, 0] - c) <= 0.05 + 1e-9) for c in centres])
    assert np.any((old_heights == 0) & holds_flowers)  # spuriously empty bins
    new_heights, _ = np.histogram(iris_1d[:, 0], bins=plotting.histogram_bins(iris_1d))
    assert new_heights.max() < old_heights.max()  # no bar doubled any more


@pytest.mark.parametrize("n_bins", [1, 4, 9, 12, 30])
def test_a_number_of_bins_on_measured_data_gives_whole_steps(iris_1d, n_bins):
    edges = plotting.histogram_bins(iris_1d, bins=n_bins)
    widths = np.diff(edges)
    np.testing.assert_allclose(widths / 0.1, np.round(widths / 0.1), atol=1e-9)
    np.testing.assert_allclose(widths, widths[0])
    assert edges[0] < iris_1d.min() and edges[-1] > iris_1d.max()
    assert abs(len(widths) - n_bins) <= max(1, n_bins // 3)
    distance = np.abs(iris_1d[:, 0][:, np.newaxis] - edges[np.newaxis, :]).min()
    assert distance >= 0.05 - 1e-9  # still halfway between two measured values


def test_many_measured_values_are_merged_into_at_most_the_maximum_of_bins():
    x = np.arange(0, 1000) * 0.01  # 1000 values on a 0.01 grid
    edges = plotting.histogram_bins(x)
    assert len(edges) - 1 <= plotting.MAX_MEASURED_BINS
    assert np.abs(x[:, np.newaxis] - edges[np.newaxis, :]).min() >= 0.005 - 1e-9


def test_bins_of_data_without_a_grid_are_numpys(iris_1d):
    x = np.random.default_rng(1).normal(size=200)
    np.testing.assert_allclose(plotting.histogram_bins(x), np.histogram_bin_edges(x, "auto"))
    np.testing.assert_allclose(plotting.histogram_bins(x, 7), np.histogram_bin_edges(x, 7))
    np.testing.assert_allclose(
        plotting.histogram_bins(iris_1d, "sturges"), np.histogram_bin_edges(iris_1d, "sturges")
    )
    assert plotting.histogram_bins(x, [0.0, 1.0, 2.5]).tolist() == [0.0, 1.0, 2.5]


def test_plot_mixture_1d_draws_the_measured_bins_by_default(iris_1d):
    params = gmmlab.fit(iris_1d, 3, seed=0).params
    drawn = plotting.plot_mixture_1d(new_axes(), iris_1d, params)
    lefts = np.array([bar.get_x() for bar in drawn["hist"]])
    np.testing.assert_allclose(lefts, plotting.histogram_bins(iris_1d)[:-1])


def test_components_numbered_beside_their_means(iris_2d):
    params = gmmlab.fit(iris_2d, 3, seed=0).params
    drawn = plotting.plot_mixture_2d(new_axes(), iris_2d, params, number_components=True)
    assert [label.get_text() for label in drawn["numbers"]] == ["0", "1", "2"]
    np.testing.assert_allclose([label.xy for label in drawn["numbers"]], params.means)
    for k, label in enumerate(drawn["numbers"]):
        expected = matplotlib.colors.to_rgb(plotting.component_color(k))
        assert matplotlib.colors.to_rgb(label.get_color()) == pytest.approx(expected)
    assert plotting.plot_mixture_2d(new_axes(), iris_2d, params)["numbers"] == []


P2 = gmmlab.MixtureParams([0.5, 0.5], [[0.0, 0.0], [3.0, 3.0]], [np.eye(2), np.eye(2)])
P1 = P2.marginal([0])
P3 = gmmlab.MixtureParams([1.0], [[0.0, 0.0, 0.0]], [np.eye(3)])
X2 = np.array([[0.0, 0.1], [0.2, -0.1], [3.0, 3.1], [2.9, 3.2]])
X3 = np.column_stack([X2, X2[:, 0]])
RESP = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.2, 0.8]])
EYE = np.eye(2)


def result_2d():
    return gmmlab.fit(X2, 2, seed=0, max_iter=2)


BAD_INPUT = [
    (
        lambda: plotting.ellipse_geometry([0, 0], EYE, n_std=np.inf),
        ValueError,
        "n_std must be a finite number greater than 0",
    ),
    (
        lambda: plotting.ellipse_geometry([0, 0], EYE, n_std=0),
        ValueError,
        "n_std must be a finite number greater than 0, got 0",
    ),
    (
        lambda: plotting.ellipse_geometry([0, 0], EYE, n_std="2"),
        TypeError,
        "n_std must be a positive number, got '2'",
    ),
    (
        lambda: plotting.ellipse_geometry([0, 0], EYE, n_std=True),
        TypeError,
        "n_std must be a positive number",
    ),
    (
        lambda: plotting.ellipse_geometry([[0, 0]], EYE),
        ValueError,
        "mean must have shape (2,), one entry per feature, got shape (1, 2)",
    ),
    (lambda: plotting.ellipse_geometry([[0], [0]], EYE), ValueError, "mean must have shape (2,)"),
    (
        lambda: plotting.ellipse_geometry([0, 0, 0], np.eye(3)),
        ValueError,
        "params.marginal((i, j))",
    ),
    (
        lambda: plotting.ellipse_geometry([0, 0], np.eye(3)),
        ValueError,
        "cov must have shape (2, 2), got shape (3, 3)",
    ),
    (
        lambda: plotting.ellipse_geometry([0, np.nan], EYE),
        ValueError,
        "mean contains NaN or infinite values",
    ),
    (
        lambda: plotting.ellipse_geometry(["a", "b"], EYE),
        TypeError,
        "mean must be an array of real numbers",
    ),
    (
        lambda: plotting.ellipse_geometry([0, 0], [[1, 2], [2, 1]]),
        ValueError,
        "cov must be positive definite, but its smallest eigenvalue is -1",
    ),
    (
        lambda: plotting.ellipse_geometry([0, 0], [[1, 0.5], [0.2, 1]]),
        ValueError,
        "cov must be symmetric",
    ),
    (
        lambda: plotting.covariance_ellipse([0, 0], EYE, colour="red"),
        TypeError,
        "unknown style keyword 'colour'",
    ),
    (
        lambda: plotting.covariance_ellipse([0, 0], EYE, linestyle="wavy"),
        ValueError,
        "linestyle='wavy' is not a value a matplotlib Ellipse accepts",
    ),
    (
        lambda: plotting.covariance_ellipse([0, 0], EYE, lw=1, linewidth=2),
        TypeError,
        "the same style twice",
    ),
    (
        lambda: plotting.update_ellipse("ellipse", [0, 0], EYE),
        TypeError,
        "ellipse must be a matplotlib.patches.Ellipse",
    ),
    (lambda: plotting.component_color(1.5), TypeError, "k must be an integer, got 1.5"),
    (lambda: plotting.component_color(-1), ValueError, "k must be at least 0, got -1"),
    (lambda: plotting.component_color(True), TypeError, "k must be an integer"),
    (
        lambda: plotting.responsibility_colors(RESP, colors=[]),
        ValueError,
        "colors must hold at least one colour",
    ),
    (
        lambda: plotting.responsibility_colors(RESP, colors="red"),
        TypeError,
        "colors must be a sequence of colours",
    ),
    (
        lambda: plotting.responsibility_colors(RESP, colors=["red", "blu"]),
        ValueError,
        "colors[1] is not a colour matplotlib knows: 'blu'",
    ),
    (lambda: plotting.responsibility_colors([0.5, 0.5]), ValueError, "resp must be 2-D"),
    (
        lambda: plotting.responsibility_colors([[0.5, 0.6]]),
        ValueError,
        "each row of resp must sum to 1",
    ),
    (lambda: plotting.plot_ellipses("ax", P2), TypeError, "ax must be a matplotlib Axes"),
    (
        lambda: plotting.plot_ellipses(new_axes(), P2, n_std="2"),
        TypeError,
        "n_std must be a number or a sequence of numbers",
    ),
    (
        lambda: plotting.plot_ellipses(new_axes(), P2, n_std=(1, np.inf)),
        ValueError,
        "n_std must be a finite number greater than 0, got inf",
    ),
    (
        lambda: plotting.plot_ellipses(new_axes(), P2, n_std=()),
        ValueError,
        "n_std must name at least one number",
    ),
    (
        lambda: plotting.plot_ellipses(new_axes(), P2, features=0),
        TypeError,
        "features must be a pair of column indices",
    ),
    (
        lambda: plotting.plot_ellipses(new_axes(), P3, features=(1, 1)),
        ValueError,
        "features must name two different columns",
    ),
    (
        lambda: plotting.plot_ellipses(new_axes(), P2, features=(0, 2)),
        ValueError,
        "features must be at most 1, got 2",
    ),
    (
        lambda: plotting.plot_ellipses(new_axes(), P2, features=(0, 1.0)),
        TypeError,
        "features must be an integer",
    ),
    (
        lambda: plotting.plot_ellipses(new_axes(), P2, colors=["nocolour"]),
        ValueError,
        "colors[0] is not a colour",
    ),
    (
        lambda: plotting.plot_ellipses(new_axes(), P2, hatch=3),
        ValueError,
        "hatch=3 is not a value",
    ),
    (lambda: plotting.plot_ellipses(new_axes(), P1), ValueError, "ellipses need two features"),
    (
        lambda: plotting.plot_ellipses(new_axes(), "params"),
        TypeError,
        "params must be a gmmlab.MixtureParams",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2[:, 0], P2),
        ValueError,
        "plot_mixture_1d needs a 1-feature mixture",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2, P1),
        ValueError,
        "x must hold one feature, shape (N,) or (N, 1), got (4, 2)",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2[:, 0], P1, bins=0),
        ValueError,
        "bins must be at least 1",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2[:, 0], P1, bins="many"),
        ValueError,
        "bins must be a number, bin edges or one of",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2[:, 0], P1, bins=[0, 2, 1]),
        ValueError,
        "bins as edges must increase",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2[:, 0], P1, bins=[[0, 1]]),
        ValueError,
        "bins as edges must be a 1-D sequence",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2[:, 0], P1, grid=X2),
        ValueError,
        "grid must hold one feature",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2[:, 0], P1, show_total="yes"),
        TypeError,
        "show_total must be True or False",
    ),
    (
        lambda: plotting.plot_mixture_1d(new_axes(), X2[:, 0], P1, xlabel=3),
        TypeError,
        "xlabel must be a string or None, got int",
    ),
    (
        lambda: plotting.plot_mixture_1d(None, X2[:, 0], P1),
        TypeError,
        "ax must be a matplotlib Axes",
    ),
    (
        lambda: plotting.default_grid_1d(None, P1, n_points=1),
        ValueError,
        "n_points must be at least 2",
    ),
    (
        lambda: plotting.default_grid_1d(None, P1, n_points=10.0),
        TypeError,
        "n_points must be an integer",
    ),
    (lambda: plotting.default_grid_1d([np.nan], P1), ValueError, "x contains NaN"),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, labels=np.zeros(4)),
        TypeError,
        "labels must be integers",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, labels=[0, 1]),
        ValueError,
        "labels must have one entry per point of X (4), got shape (2,)",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, labels=[-1, 0, 1, 0]),
        ValueError,
        "labels must be >= 0, got -1",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, resp=RESP, labels=[0, 0, 1, 1]),
        ValueError,
        "give resp or labels, not both",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, resp=RESP[:3]),
        ValueError,
        "resp must have one row per sample of X (4 rows)",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, feature_names="xy"),
        TypeError,
        "feature_names must be a sequence of strings",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, feature_names=("x",)),
        ValueError,
        "feature_names must hold 2 strings, got 1",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, point_size=-1),
        ValueError,
        "point_size must be a finite number greater than 0",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, show_means=1),
        TypeError,
        "show_means must be True or False, got 1",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2[:, :1], P1),
        ValueError,
        "plot_mixture_2d needs two features, X has 1",
    ),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X3, P2),
        ValueError,
        "X has 3 feature(s) but params describes 2",
    ),
    (
        lambda: plotting.plot_log_likelihood(new_axes(), [1.0, 2.0], per_sample=1.5),
        TypeError,
        "per_sample must be an integer, got 1.5",
    ),
    (
        lambda: plotting.plot_log_likelihood(new_axes(), [1.0, 2.0], per_sample=0),
        ValueError,
        "per_sample must be at least 1",
    ),
    (
        lambda: plotting.plot_log_likelihood(new_axes(), []),
        ValueError,
        "log_likelihoods must be a non-empty 1-D sequence",
    ),
    (
        lambda: plotting.plot_log_likelihood(new_axes(), [1.0, np.nan]),
        ValueError,
        "log_likelihoods contains NaN",
    ),
    (
        lambda: plotting.plot_log_likelihood(new_axes(), [1.0], colour="red"),
        TypeError,
        "unknown style keyword 'colour'",
    ),
    (
        lambda: plotting.plot_log_likelihood(new_axes(), [1.0], marker="?!"),
        ValueError,
        "marker='?!' is not a value a matplotlib Line2D accepts",
    ),
    (
        lambda: plotting.animate_em(new_axes(), X2, "result"),
        TypeError,
        "result must be a gmmlab.EMResult, got str",
    ),
    (
        lambda: plotting.animate_em(new_axes(), X3, gmmlab.fit(X3, 1, max_iter=1)),
        ValueError,
        "animate_em draws two features",
    ),
    (
        lambda: plotting.animate_em(new_axes(), X2, result_2d(), n_std=(1, 2)),
        TypeError,
        "n_std must be a positive number",
    ),
    (
        lambda: plotting.animate_em(new_axes(), X2, result_2d(), max_frames=1),
        ValueError,
        "max_frames must be at least 2",
    ),
    (
        lambda: plotting.animate_em(new_axes(), X2, result_2d(), max_frames=2.5),
        TypeError,
        "max_frames must be an integer",
    ),
    (
        lambda: plotting.animate_em(new_axes(), X2, result_2d(), interval=0),
        ValueError,
        "interval must be a finite number greater than 0",
    ),
    (
        lambda: plotting.animation_html("animation"),
        TypeError,
        "animation must be a matplotlib animation",
    ),
    (
        lambda: plotting.animation_html(None, "gif"),
        ValueError,
        "frame_format must be 'jpeg' or 'png', got 'gif'",
    ),
    (lambda: plotting.animation_html(None, 1), TypeError, "frame_format must be a string"),
    (
        lambda: plotting.histogram_bins(X2[:, 0], step=0),
        ValueError,
        "step must be a finite number greater than 0",
    ),
    (lambda: plotting.histogram_bins(X2[:, 0], step="a"), TypeError, "step must be a positive"),
    (lambda: plotting.histogram_bins(X2[:, 0], bins="many"), ValueError, "bins must be a number"),
    (lambda: plotting.histogram_bins(None), TypeError, "x must be an array of values"),
    (lambda: plotting.measurement_step(X2), ValueError, "x must hold one feature"),
    (lambda: plotting.measurement_step("abc"), TypeError, "x must be an array of real numbers"),
    (
        lambda: plotting.plot_mixture_2d(new_axes(), X2, P2, number_components="yes"),
        TypeError,
        "number_components must be True or False",
    ),
    (lambda: plotting.plot_m_step(new_axes(), X3, P2, P2, RESP), ValueError, "draws two features"),
    (
        lambda: plotting.plot_m_step(new_axes(), X2, P2, P3, RESP),
        ValueError,
        "after",
    ),
    (
        lambda: plotting.plot_m_step(new_axes(), X2, P2, P2, RESP, labels=("only one",)),
        ValueError,
        "labels",
    ),
    (lambda: plotting.plot_m_step(new_axes(), X2, P2, "P2", RESP), TypeError, "after"),
    (
        lambda: plotting.plot_m_step(new_axes(), X2, P2, P2, RESP, legend_loc=3),
        TypeError,
        "legend_loc must be a string",
    ),
]


@pytest.mark.parametrize(("call", "error", "words"), BAD_INPUT)
def test_bad_input(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)


def test_numpy_scalars_are_accepted_where_numbers_are():
    assert plotting.component_color(np.int64(8)) == plotting.component_color(1)
    geometry = plotting.ellipse_geometry(np.array([0.0, 0.0]), EYE, n_std=np.float32(2.0))
    assert geometry[1] == pytest.approx(4.0)
    drawn = plotting.plot_mixture_2d(
        new_axes(),
        X2,
        P2,
        labels=np.array([0, 0, 1, 1], dtype=np.int32),
        n_std=np.arange(1, 3),
        point_size=np.int64(5),
        show_means=np.bool_(True),
    )
    assert len(drawn["ellipses"]) == 4 and drawn["points"].get_sizes()[0] == 5
    line = plotting.plot_log_likelihood(new_axes(), [1.0, 3.0], per_sample=np.int64(2))
    np.testing.assert_allclose(line.get_ydata(), [0.5, 1.5])
    assert plotting.default_grid_1d(None, P1, n_points=np.int32(5)).shape == (5,)
    assert plotting.plot_ellipses(new_axes(), P3, n_std=np.float64(1.0), features=np.array([0, 2]))


def test_plot_m_step_draws_both_states_and_how_far_each_mean_moved(iris_2d):
    """Ellipses from ellipse_geometry of each state, one arrow per mean from old to new."""
    before = gmmlab.initialize(iris_2d, 3, method="random", seed=0)
    resp = gmmlab.e_step(iris_2d, before)
    after = gmmlab.m_step(iris_2d, resp)
    drawn = plotting.plot_m_step(new_axes(), iris_2d, before, after, resp, n_std=2)
    for state, ellipses in ((before, drawn["before"]), (after, drawn["after"])):
        for k, ellipse in enumerate(ellipses):
            centre, width, height, angle = plotting.ellipse_geometry(
                state.means[k], state.covariances[k], n_std=2
            )
            np.testing.assert_allclose(ellipse.center, centre)
            assert (ellipse.width, ellipse.height) == pytest.approx((width, height))
    assert [e.get_linestyle() for e in drawn["before"]] == [":"] * 3
    assert [e.get_linestyle() for e in drawn["after"]] == ["-"] * 3
    for k, arrow in enumerate(drawn["arrows"]):
        np.testing.assert_allclose(arrow.xy, after.means[k])
        np.testing.assert_allclose(arrow.xyann, before.means[k])
    np.testing.assert_allclose(drawn["starts"].get_offsets(), before.means)
    np.testing.assert_allclose(
        drawn["points"].get_facecolors()[:, :3], plotting.responsibility_colors(resp), atol=1e-6
    )
    texts = [t.get_text() for t in drawn["legend"].get_texts()]
    assert len(texts) == 4 and "before" in texts[0] and "after" in texts[1]
    quiet = plotting.plot_m_step(new_axes(), iris_2d, before, after, resp, legend_loc=None)
    assert quiet["legend"] is None and quiet["legend"] is quiet["points"].axes.get_legend()
