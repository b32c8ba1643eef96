"""BernoulliMeansExplorer (lesson 14): each iteration's mean images, weights and marks, by hand."""

import html

import numpy as np
import pytest

from gmmlab import bernoulli, widgets
from gmmlab.plotting import component_color
from tests.check_support import LazyAttr

load_digits = LazyAttr("sklearn.datasets", "load_digits")


@pytest.fixture(scope="module")
def digits():
    return (load_digits().data[:300] >= 8).astype(float)


@pytest.fixture(scope="module")
def runs(digits):
    plain = bernoulli.fit(digits, 4, seed=0, max_iter=12, tol=0)
    smooth = bernoulli.fit(digits, 4, a=2, b=2, seed=0, max_iter=12, tol=0)
    return plain, smooth


def test_each_iteration_shows_its_means_weights_and_exact_zeros_and_ones(runs):
    plain, _ = runs
    explorer = widgets.BernoulliMeansExplorer(plain, image_shape=(8, 8), n_columns=2)
    ax, curve_ax = explorer.axes
    for t in (0, 1, 6, 12):
        explorer.set(iteration=t)
        means = plain.history[t].means
        grid = np.asarray(explorer.picture.get_array())
        for k in range(4):
            row, column = divmod(k, 2)
            top, left = 2 + row * 11, column * 11  # 8 pixels and a gap of 3
            np.testing.assert_array_equal(grid[top : top + 8, left : left + 8],
                                          means[k].reshape(8, 8))  # fmt: skip
        assert np.isnan(grid).sum() == grid.size - means.size  # only gaps besides the images
        # the red marks sit on exactly the probabilities that are 0 or 1, counted by a loop
        marks = {tuple(p) for p in np.asarray(explorer.edges.get_offsets()).round().astype(int)}
        expected = set()
        for k in range(4):
            for d in range(64):
                if means[k, d] in (0.0, 1.0):
                    row, column = divmod(k, 2)
                    expected.add((column * 11 + d % 8, 2 + row * 11 + d // 8))
        assert marks == expected
        readout = html.unescape(explorer.readout.value)
        assert f"ℓ(θ⁽{''.join('⁰¹²³⁴⁵⁶⁷⁸⁹'[int(c)] for c in str(t))}⁾) = " in readout
        assert (
            f"{bernoulli.log_likelihood(load_digits().data[:300] >= 8, plain.history[t]):.2f}"
            in readout
        )
        assert ", ".join(f"{w:.3f}" for w in plain.history[t].weights) in readout
        zeros, ones = int((means == 0).sum()), int((means == 1).sum())
        assert f"exactly 0: {zeros}, exactly 1: {ones}" in readout
        assert [text.get_text() for text in explorer.weight_texts] == [
            f"π={w:.2f}" for w in plain.history[t].weights
        ]
        assert explorer.cursor.markers[0].get_data()[1][0] == pytest.approx(
            plain.log_likelihoods[t]
        )
    labels = [text for text in ax.texts if text.get_text() in {"0", "1", "2", "3"}]
    assert [text.get_color() for text in labels] == [component_color(k) for k in range(4)]
    np.testing.assert_allclose(curve_ax.lines[0].get_ydata(), plain.log_likelihoods)
    assert plain.history[12].means.min() == 0.0  # the run shows a probability at 0


def test_a_run_with_a_prior_shows_its_objective_and_no_mark(runs):
    _, smooth = runs
    explorer = widgets.BernoulliMeansExplorer(smooth)
    _, curve_ax = explorer.axes
    np.testing.assert_allclose(curve_ax.lines[0].get_ydata(), smooth.objectives)
    assert "log p" in curve_ax.get_ylabel()
    readout = html.unescape(explorer.readout.value)
    assert f"ℓ + log p(μ) = {smooth.objectives[-1]:.2f}" in readout
    assert "exactly 0: 0, exactly 1: 0" in readout
    assert len(explorer.edges.get_offsets()) == 0


def test_the_slider_redraws_and_the_snapshot_names_the_iteration(runs):
    plain, _ = runs
    explorer = widgets.BernoulliMeansExplorer(plain, iteration=2)
    assert explorer.values["iteration"] == 2
    before = explorer.image.value
    explorer.set(iteration=9)
    assert explorer.image.value != before
    explorer.snapshot(iteration=3)
    assert "EM iteration t = 3" in explorer.caption_text.get_text()
    explorer.png()


def test_the_explorer_never_refits_in_a_callback(runs, monkeypatch):
    plain, _ = runs
    explorer = widgets.BernoulliMeansExplorer(plain)

    def forbidden(*args, **kwargs):
        raise AssertionError("a callback recomputed")

    for name in ("fit", "e_step", "m_step", "log_likelihood", "_log_terms"):
        monkeypatch.setattr(bernoulli, name, forbidden)
    for t in range(plain.n_iter + 1):
        explorer.set(iteration=t)
