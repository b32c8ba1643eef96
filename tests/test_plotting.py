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
