"""Every explorer's constructor refuses bad arguments with a ValueError or TypeError that names
the argument and says what was expected; numpy scalars pass wherever Python numbers do."""

import numpy as np
import pytest

import gmmlab
from gmmlab import widgets
from gmmlab.datasets import load_iris_features

IRIS = load_iris_features(("petal length", "petal width")).X
WIDTH = load_iris_features(("petal width",)).X
RUN = gmmlab.fit(IRIS, 3, seed=0, max_iter=20)
FITS_2D = {k: gmmlab.fit(IRIS, k, seed=0, max_iter=20) for k in (1, 2, 3)}
FITS_1D = {k: gmmlab.fit(WIDTH, k, seed=0, max_iter=20) for k in (1, 2)}
CENTRES = RUN.params.means + 0.01
SWEEP = gmmlab.sweep_components(IRIS[::2], [1, 2], X_held_out=IRIS[1::2], max_iter=20)
SWEEP_1D = gmmlab.sweep_components(WIDTH[::2], [1, 2], X_held_out=WIDTH[1::2], max_iter=20)
NO_HELD_OUT = gmmlab.sweep_components(IRIS, [1, 2], max_iter=20)
NAN_X = np.where(np.arange(150)[:, None] == 7, np.nan, IRIS)

# (explorer, the good keyword arguments); each bad case below replaces one of them.
GOOD = {
    "SamplingExplorer": {"params": RUN.params},
    "MembershipExplorer": {"X": IRIS, "params": RUN.params, "centres": CENTRES},
    "FitExplorer1D": {"x": WIDTH, "results": FITS_1D},
    "EMIterationExplorer": {"X": IRIS, "result": RUN},
    "LikelihoodExplorer": {"x": WIDTH, "params": FITS_1D[2].params},
    "ModelSelectionExplorer": {"X": IRIS, "results": FITS_2D},
    "KMeansLimitExplorer": {"X": IRIS, "means": CENTRES},
    "AnomalyExplorer": {"X": IRIS, "params": RUN.params},
    "HeldOutExplorer": {"X": IRIS[::2], "sweep": SWEEP},
}

BAD = [
    # explorer, argument, bad value, error, words of the message
    ("SamplingExplorer", "params", RUN, TypeError, "params must be a gmmlab.MixtureParams"),
    ("SamplingExplorer", "params", FITS_1D[2].params, ValueError, "params must describe 2"),
    ("SamplingExplorer", "component", 3, ValueError, "component must be at most 2"),
    ("SamplingExplorer", "component", 1.0, TypeError, "component must be an integer"),
    ("SamplingExplorer", "n_samples", 0, ValueError, "n_samples must be at least 1"),
    ("SamplingExplorer", "seed", -1, ValueError, "seed must be at least 0"),
    ("SamplingExplorer", "seed", np.random.default_rng(0), TypeError, "seed must be an integer"),
    ("SamplingExplorer", "feature_names", "xy", TypeError, "feature_names must be a sequence"),
    ("SamplingExplorer", "feature_names", ("x",), ValueError, "feature_names must be 2 strings"),
    ("MembershipExplorer", "X", NAN_X, ValueError, "X contains NaN"),
    ("MembershipExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("MembershipExplorer", "params", None, TypeError, "params must be a gmmlab.MixtureParams"),
    (
        "MembershipExplorer",
        "centres",
        CENTRES[:2],
        ValueError,
        r"centres must have shape \(3, 2\)",
    ),
    ("MembershipExplorer", "centres", "abc", TypeError, "centres must be an array"),
    ("MembershipExplorer", "probe", (1.0, 2.0, 3.0), ValueError, "probe must be one point of 2"),
    ("MembershipExplorer", "probe", (np.inf, 1.0), ValueError, "probe contains NaN or infinite"),
    ("MembershipExplorer", "feature_names", ("a", 2), ValueError, "feature_names must be 2 str"),
    ("FitExplorer1D", "x", IRIS, ValueError, r"x must have 1 feature\(s\)"),
    ("FitExplorer1D", "results", [], TypeError, "results must be a non-empty dict"),
    ("FitExplorer1D", "results", {2: RUN}, ValueError, r"results\[2\] must be a fit with 2"),
    ("FitExplorer1D", "results", {1: RUN.params}, TypeError, r"results\[1\] must be a gmmlab.EM"),
    ("FitExplorer1D", "results", {"one": RUN}, TypeError, "the keys of results must be an int"),
    ("FitExplorer1D", "k", 7, ValueError, r"k must be one of \[1, 2\]"),
    ("FitExplorer1D", "k", 2.0, TypeError, r"k must be one of \[1, 2\]"),
    ("FitExplorer1D", "bins", 0, ValueError, "bins must be at least 1"),
    ("FitExplorer1D", "bins", [0.5, 0.2, 1.0], ValueError, "the bin edges must increase"),
    ("FitExplorer1D", "bins", "auto", TypeError, "bins must be an array"),
    ("FitExplorer1D", "xlabel", 3, TypeError, "xlabel must be a string"),
    ("EMIterationExplorer", "result", RUN.params, TypeError, "result must be a gmmlab.EMResult"),
    ("EMIterationExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("EMIterationExplorer", "half_steps", "yes", TypeError, "half_steps must be True or False"),
    ("EMIterationExplorer", "show_log_likelihood", 1, TypeError, "show_log_likelihood must be"),
    ("EMIterationExplorer", "n_std_slider", None, TypeError, "n_std_slider must be True or"),
    ("EMIterationExplorer", "iteration", -1, ValueError, "iteration must be at least 0"),
    ("EMIterationExplorer", "iteration", 10_000, ValueError, "iteration must be at most"),
    ("EMIterationExplorer", "feature_names", [1, 2], ValueError, "feature_names must be 2 str"),
    ("LikelihoodExplorer", "x", [[1.0, 2.0]], ValueError, r"x must have 1 feature\(s\)"),
    ("LikelihoodExplorer", "params", RUN.params, ValueError, r"params must describe 1 feature"),
    ("LikelihoodExplorer", "xlabel", ("cm",), TypeError, "xlabel must be a string"),
    ("LikelihoodExplorer", "component", 2, ValueError, "component must be at most 1"),
    ("LikelihoodExplorer", "parameter", "variance", ValueError, "parameter must be one of"),
    ("LikelihoodExplorer", "values", [0.5], ValueError, "values must be a 1-D array of at least"),
    ("LikelihoodExplorer", "values", [0.0, 0.1, 0.5], ValueError, "values must increase in eq"),
    ("LikelihoodExplorer", "values", [0.0, np.nan], ValueError, "values contains NaN"),
    ("LikelihoodExplorer", "bins", -3, ValueError, "bins must be at least 1"),
    ("ModelSelectionExplorer", "results", {1: FITS_1D[1]}, ValueError, r"1 feature\(s\)|and 2"),
    ("ModelSelectionExplorer", "k", 9, ValueError, r"k must be one of \[1, 2, 3\]"),
    ("ModelSelectionExplorer", "X", np.zeros((0, 2)), ValueError, "X must hold at least one"),
    ("ModelSelectionExplorer", "feature_names", 7, TypeError, "feature_names must be a sequence"),
    ("KMeansLimitExplorer", "X", "iris", TypeError, "X must be an array of real numbers"),
    ("KMeansLimitExplorer", "feature_names", ("a", "b", "c"), ValueError, "feature_names must"),
    ("KMeansLimitExplorer", "means", [1.0, 2.0, 3.0], ValueError, r"means must have 2 feature"),
    ("KMeansLimitExplorer", "means", [[np.nan, 1.0]], ValueError, "means contains NaN"),
    ("KMeansLimitExplorer", "weights", [0.5, 0.2, 0.2], ValueError, "weights must sum to 1"),
    ("KMeansLimitExplorer", "sigma_range", (1.0, 0.5), ValueError, r"sigma_range\[1\] must be"),
    ("KMeansLimitExplorer", "sigma_range", (0.0, 1.0), ValueError, r"sigma_range\[0\] must be g"),
    ("KMeansLimitExplorer", "sigma_range", 1.0, TypeError, "sigma_range must be a pair"),
    ("KMeansLimitExplorer", "sigma", 50.0, ValueError, "sigma must be within sigma_range"),
    ("KMeansLimitExplorer", "sigma", "small", TypeError, "sigma must be a real number"),
    ("AnomalyExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("AnomalyExplorer", "params", FITS_1D[2].params, ValueError, "params must describe 2"),
    ("AnomalyExplorer", "params", RUN, TypeError, "params must be a gmmlab.MixtureParams"),
    ("AnomalyExplorer", "X_new", NAN_X, ValueError, "X_new contains NaN"),
    ("AnomalyExplorer", "X_new", WIDTH, ValueError, r"X_new must have 2 feature\(s\)"),
    ("AnomalyExplorer", "percent", 30.0, ValueError, "percent must be from 0.5 to 20.0, got 30"),
    ("AnomalyExplorer", "percent", "2%", TypeError, "percent must be a number from 0.5 to 20"),
    ("AnomalyExplorer", "feature_names", ("x",), ValueError, "feature_names must be 2 strings"),
    ("HeldOutExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("HeldOutExplorer", "sweep", FITS_2D, TypeError, "sweep must be a gmmlab.ComponentSweep"),
    ("HeldOutExplorer", "sweep", NO_HELD_OUT, ValueError, "sweep has no held-out"),
    ("HeldOutExplorer", "sweep", SWEEP_1D, ValueError, "sweep must hold fits of 2 features"),
    ("HeldOutExplorer", "X_held_out", NAN_X, ValueError, "X_held_out contains NaN"),
    ("HeldOutExplorer", "feature_names", "ab", TypeError, "feature_names must be a sequence"),
    ("HeldOutExplorer", "k", 3, ValueError, r"k must be one of \[1, 2\]"),
    ("HeldOutExplorer", "k", 1.0, TypeError, r"k must be one of \[1, 2\]"),
]


@pytest.mark.parametrize(
    ("kind", "argument", "value", "error", "words"),
    BAD,
    ids=[f"{kind}-{argument}-{i}" for i, (kind, argument, *_) in enumerate(BAD)],
)
def test_a_bad_argument_is_named(kind, argument, value, error, words):
    arguments = {**GOOD[kind], argument: value}
    if kind == "LikelihoodExplorer" and argument == "values":
        arguments["parameter"] = "mean"
    with pytest.raises(error, match=words):
        getattr(widgets, kind)(**arguments)


def test_every_explorer_and_argument_has_a_case():
    import inspect

    for kind in widgets.__all__:
        explorer = getattr(widgets, kind)
        if not (inspect.isclass(explorer) and issubclass(explorer, widgets.Explorer)):
            continue
        if explorer is widgets.Explorer:
            continue
        arguments = set(inspect.signature(explorer).parameters)
        tested = {argument for k, argument, *_ in BAD if k == kind}
        assert kind in GOOD, f"{kind} is not in the bad-input table"
        untested = arguments - tested
        assert not untested, f"{kind}: no bad-input case for {sorted(untested)}"


def test_numpy_scalars_are_numbers_too():
    widgets.SamplingExplorer(
        RUN.params, n_samples=np.int32(50), component=np.int64(1), seed=np.uint8(3)
    )
    widgets.FitExplorer1D(
        WIDTH, {np.int64(k): r for k, r in FITS_1D.items()}, k=np.int64(2), bins=np.int16(12)
    )
    explorer = widgets.EMIterationExplorer(
        IRIS, RUN, half_steps=np.bool_(True), iteration=np.int64(3), n_std_slider=np.True_
    )
    assert explorer.values["step"] == 3
    widgets.KMeansLimitExplorer(
        IRIS, CENTRES, sigma_range=(np.float32(0.1), np.float64(1.0)), sigma=np.float32(0.5)
    )
    widgets.LikelihoodExplorer(WIDTH, FITS_1D[2].params, component=np.int8(1))
    widgets.ModelSelectionExplorer(IRIS, FITS_2D, k=np.int64(2))
    widgets.AnomalyExplorer(IRIS, RUN.params, percent=np.float32(5.0))
    widgets.HeldOutExplorer(IRIS[::2], SWEEP, k=np.int64(1))
