"""The explorers: every slider redraws, and what they draw is the right thing."""

import numpy as np
import pytest

import gmmlab
from gmmlab import widgets
from gmmlab.datasets import load_iris_features, make_ellipsoidal_clusters


@pytest.fixture(scope="module")
def iris2():
    return load_iris_features(("petal length", "petal width"))


@pytest.fixture(scope="module")
def run2(iris2):
    return gmmlab.fit(iris2.X, 3, init="random", seed=3, max_iter=30, tol=0)


def moved(explorer, name, value):
    """Move one control; return (png before, png after, readout before, readout after)."""
    png, text = explorer.image.value, explorer.readout.value
    explorer.controls[name].value = value
    return png, explorer.image.value, text, explorer.readout.value


def test_sampling_explorer_changes_the_chosen_component():
    data = make_ellipsoidal_clusters(300, 3, seed=0)
    explorer = widgets.SamplingExplorer(data.params, n_samples=300, component=1)
    before, after, text_before, text_after = moved(explorer, "weight", 0.7)
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
    hard = [bar.get_height() for bar in explorer.hard_bars]
    nearest = np.argmin(((centres - [4.9, 1.6]) ** 2).sum(axis=1))
    assert hard == [1.0 if k == nearest else 0.0 for k in range(3)]
    before, after, text_before, text_after = moved(explorer, "y", 0.4)
    assert before != after and "probe at (4.90, 0.40)" in text_after


def test_fit_explorer_1d_draws_the_recorded_mixture():
    x = load_iris_features(("petal width",)).X
    fits = {k: gmmlab.fit(x, k, seed=0, max_iter=50) for k in (1, 2, 3)}
    explorer = widgets.FitExplorer1D(x, fits, k=2)
    explorer.set(k=3, iteration=4)
    ordered = fits[3].permute(np.argsort(fits[3].params.means[:, 0]))
    np.testing.assert_allclose(
        explorer.total.get_ydata(), gmmlab.mixture_pdf(explorer.grid, ordered.history[4])
    )
    np.testing.assert_allclose(
        explorer.lines[0].get_ydata(),
        gmmlab.weighted_densities(explorer.grid, ordered.history[4])[:, 0],
    )
    assert "iteration t = 4" in explorer.readout.value
    # a new K jumps to the end of its run, and hides the extra curves
    before, after, _, text = moved(explorer, "k", 1)
    assert before != after
    assert explorer.controls["iteration"].value == fits[1].n_iter
    assert [line.get_visible() for line in explorer.lines] == [True, False, False]


def test_em_iteration_explorer_follows_the_history(iris2, run2):
    explorer = widgets.EMIterationExplorer(iris2.X, run2)
    assert explorer.controls["iteration"].value == run2.n_iter
    before, after, _, text = moved(explorer, "iteration", 2)
    assert before != after
    assert f"{run2.log_likelihoods[2]:.3f}" in text
    geometry = gmmlab.plotting.ellipse_geometry(
        run2.history[2].means[1], run2.history[2].covariances[1], 2.0
    )
    assert explorer.ellipses[1].center == pytest.approx(geometry[0])
    assert explorer.ellipses[1].width == pytest.approx(geometry[1])
    expected = gmmlab.plotting.responsibility_colors(gmmlab.e_step(iris2.X, run2.history[2]))
    np.testing.assert_allclose(explorer.points.get_facecolors()[:, :3], expected, atol=1e-6)
    before, after, _, _ = moved(explorer, "n_std", 3)
    assert before != after
    assert explorer.ellipses[1].width == pytest.approx(geometry[1] * 1.5)


def test_half_steps_alternate_e_and_m(iris2, run2):
    explorer = widgets.EMIterationExplorer(
        iris2.X, run2, half_steps=True, show_log_likelihood=True
    )
    states = []
    for step in range(5):
        explorer.controls["step"].value = step
        states.append(explorer.state()[:2])
    # (params shown, responsibilities shown): start, E, M, E, M
    assert states == [(0, None), (0, 0), (1, 0), (1, 1), (2, 1)]
    assert "M-step 2" in explorer.readout.value
    assert explorer.marker.get_ydata()[0] == pytest.approx(run2.log_likelihoods[2])


def test_likelihood_explorer_marks_the_log_likelihood():
    x = load_iris_features(("petal width",)).X
    params = gmmlab.fit(x, 2, seed=0).params
    explorer = widgets.LikelihoodExplorer(x, params, component=1)
    value = float(explorer.values[10])
    before, after, _, text = moved(explorer, "mean", value)
    assert before != after
    moved_params = params.replace(means=np.where(np.arange(2)[:, None] == 1, value, params.means))
    expected = gmmlab.log_likelihood(x, moved_params)
    assert explorer.marker.get_ydata()[0] == pytest.approx(expected)
    assert f"{expected:.3f}" in text
    weights = widgets.LikelihoodExplorer(x, params, component=0, parameter="weight")
    weights.controls["weight"].value = float(weights.values[5])
    assert weights.params_at(0.3).weights.tolist() == pytest.approx([0.3, 0.7])


def test_model_selection_explorer_matches_bic_and_aic(iris2):
    fits = {k: gmmlab.fit(iris2.X, k, seed=0) for k in range(1, 5)}
    explorer = widgets.ModelSelectionExplorer(iris2.X, fits)
    np.testing.assert_allclose(
        explorer.bic, [gmmlab.bic(iris2.X, fits[k].params) for k in range(1, 5)]
    )
    assert explorer.controls["k"].value == 1 + int(np.argmin(explorer.bic))
    before, after, _, text = moved(explorer, "k", 4)
    assert before != after and f"AIC = {explorer.aic[3]:.2f}" in text
    assert [e.get_visible() for e in explorer.ellipses] == [True] * 4
    explorer.controls["k"].value = 2
    assert [e.get_visible() for e in explorer.ellipses] == [True, True, False, False]


def test_explorer_display_and_errors(iris2, run2):
    explorer = widgets.EMIterationExplorer(iris2.X, run2)
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("EMIterationExplorer with sliders: iteration, n_std")
    assert explorer.snapshot().data[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="unknown control"):
        explorer.set(speed=3)
    with pytest.raises(TypeError, match="result must be a gmmlab.EMResult"):
        widgets.EMIterationExplorer(iris2.X, run2.params)
    with pytest.raises(ValueError, match=r"results\[2\] must be a fit with 2 components"):
        widgets.ModelSelectionExplorer(iris2.X, {2: run2})


def test_callbacks_never_refit(iris2, run2, monkeypatch):
    explorer = widgets.EMIterationExplorer(iris2.X, run2, half_steps=True)

    def forbidden(*args, **kwargs):
        raise AssertionError("a callback refitted")

    monkeypatch.setattr(gmmlab, "fit", forbidden)
    monkeypatch.setattr(gmmlab.em, "fit", forbidden)
    for step in range(0, 10):
        explorer.controls["step"].value = step
