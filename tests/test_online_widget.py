"""OnlineStepExplorer: online EM's step exponent alpha, against scipy's densities, and its
bad arguments (rows in the style of tests/test_widgets_bad_input.py: ONLINE_GOOD and
ONLINE_BAD, to be merged into its GOOD and BAD tables)."""

import functools
from types import SimpleNamespace

import numpy as np
import pytest

import gmmlab
from gmmlab import widgets
from gmmlab.online import fit_online, row_chunks
from tests.check_support import LazyAttr

multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")

TRUTH = gmmlab.MixtureParams(
    [0.5, 0.3, 0.2],
    [[0.0, 0.0], [3.0, 1.0], [1.0, 3.5]],
    [[[1.5, 0.7], [0.7, 1.0]], [[0.6, -0.3], [-0.3, 1.2]], [[1.0, 0.0], [0.0, 0.3]]],
)


@functools.cache
def fits():
    """The stream and its runs, made when a test first needs them (collection fits nothing)."""
    X, _ = TRUTH.sample(3000, seed=0)
    X = X[np.random.default_rng(0).permutation(len(X))]
    runs = {
        alpha: fit_online(row_chunks(X, 150), 3, step=alpha, init="kmeans++", seed=0)
        .aligned_to(TRUTH)
        for alpha in (0.6, 0.8, 1.0)
    }
    return SimpleNamespace(
        X=X,
        runs=runs,
        batch=gmmlab.fit(X, 3, seed=0).aligned_to(TRUTH),
        other_chunks={a: fit_online(row_chunks(X, 300), 3, step=a, seed=0) for a in (0.6, 1.0)},
        two_components={a: fit_online(row_chunks(X, 150), 2, step=a, seed=0) for a in (0.6, 1.0)},
    )


def scipy_per_point(X, params):
    density = sum(
        w * multivariate_normal(m, c).pdf(X)
        for w, m, c in zip(params.weights, params.means, params.covariances, strict=True)
    )
    return float(np.log(density).mean())


def test_the_curves_are_each_runs_per_point_log_likelihood_and_mean():
    f = fits()
    explorer = widgets.OnlineStepExplorer(f.X, f.runs, f.batch, component=1, feature=1)
    assert explorer.values == {"step": 0.6}
    png, text = explorer.image.value, explorer.readout.value
    explorer.set(step=1.0)
    assert explorer.image.value != png and explorer.readout.value != text
    run = f.runs[1.0]
    for t in (0, 7, len(run.history) - 1):
        assert explorer.ell_line.get_ydata()[t] == pytest.approx(
            scipy_per_point(f.X, run.history[t]), abs=1e-9
        )
        assert explorer.mean_line.get_ydata()[t] == run.history[t].means[1, 1]
    np.testing.assert_array_equal(explorer.ell_line.get_xdata(), np.arange(150, 3001, 150))
    batch_per_point = scipy_per_point(f.X, f.batch.params)
    final = scipy_per_point(f.X, run.params)
    assert f"{final:.4f}, {batch_per_point - final:.4f} below batch EM" in (
        explorer.readout.value
    )
    assert "α = 1.00" in explorer.readout.value


def test_a_step_between_two_runs_shows_the_nearest():
    f = fits()
    explorer = widgets.OnlineStepExplorer(f.X, f.runs, f.batch, step=0.85)
    assert "α = 0.80" in explorer.readout.value
    picture = explorer.snapshot(step=0.6)
    assert picture is not None and explorer.values == {"step": 0.6}


def with_nan(X):
    X = X.copy()
    X[5, 1] = np.nan
    return X


# (explorer, the good keyword arguments); each bad case below replaces one of them. A value
# is a function of fits(), called by the test, so that collection fits nothing.
ONLINE_GOOD = {
    "OnlineStepExplorer": {
        "X": lambda f: f.X, "runs": lambda f: f.runs, "batch": lambda f: f.batch
    }
}
ONLINE_BAD = [
    ("OnlineStepExplorer", "X", lambda f: with_nan(f.X), ValueError, "X contains NaN"),
    ("OnlineStepExplorer", "X", lambda f: f.X[:100], ValueError,
     r"runs\[0.6\] must have streamed"),
    ("OnlineStepExplorer", "runs", lambda f: [f.runs[0.6]], TypeError, "runs must be a dict"),
    ("OnlineStepExplorer", "runs", lambda f: {0.6: f.runs[0.6]}, TypeError, "at least two"),
    ("OnlineStepExplorer", "runs", lambda f: {0.6: f.batch, 1.0: f.runs[1.0]}, TypeError,
     "fit_online result"),
    ("OnlineStepExplorer", "runs", lambda f: {"a": f.runs[0.6], 1.0: f.runs[1.0]}, TypeError,
     "keys of runs"),
    ("OnlineStepExplorer", "runs", lambda f: f.other_chunks | {0.8: f.runs[0.8]}, ValueError,
     "same chunks"),
    ("OnlineStepExplorer", "runs", lambda f: f.two_components | {0.8: f.runs[0.8]}, ValueError,
     "same number"),
    ("OnlineStepExplorer", "batch", lambda f: f.runs[0.6].params, TypeError,
     "batch must be a gmmlab.fit"),
    ("OnlineStepExplorer", "batch", lambda f: f.two_components[0.6], ValueError,
     "batch must be a fit with 3"),
    ("OnlineStepExplorer", "component", 3, ValueError, "component must be at most 2"),
    ("OnlineStepExplorer", "component", 0.5, TypeError, "component must be an integer"),
    ("OnlineStepExplorer", "feature", 2, ValueError, "feature must be at most 1"),
    ("OnlineStepExplorer", "feature_names", ("x",), ValueError, "feature_names must be 2"),
    ("OnlineStepExplorer", "feature_names", "xy", ValueError, "feature_names must be 2"),
    ("OnlineStepExplorer", "step", 0.5, ValueError, "step must be at least 0.6"),
    ("OnlineStepExplorer", "step", "big", TypeError, "step must be a real number"),
]


def made(value):
    return value(fits()) if callable(value) else value


@pytest.mark.parametrize(
    ("kind", "argument", "value", "error", "words"),
    ONLINE_BAD,
    ids=[f"{kind}-{argument}-{i}" for i, (kind, argument, *_) in enumerate(ONLINE_BAD)],
)
def test_a_bad_argument_is_named(kind, argument, value, error, words):
    with pytest.raises(error, match=words):
        good = {name: made(v) for name, v in ONLINE_GOOD[kind].items()}
        getattr(widgets, kind)(**{**good, argument: made(value)})


def test_every_argument_has_a_case():
    import inspect

    arguments = set(inspect.signature(widgets.OnlineStepExplorer).parameters)
    assert arguments == {argument for _, argument, *_ in ONLINE_BAD}
