"""Every explorer's constructor refuses bad arguments with a ValueError or TypeError that names
the argument and says what was expected; numpy scalars pass wherever Python numbers do."""

import numpy as np
import pytest

import gmmlab
from gmmlab import widgets
from gmmlab.datasets import load_iris_features


class Later:
    """A value made when a test first needs it, so that collection fits nothing: an
    attribute, item or sum of a Later is a Later too; :func:`now` makes them (once)."""

    def __init__(self, make):
        self._make = make

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Later(lambda: getattr(now(self), name))

    def __getitem__(self, key):
        return Later(lambda: now(self)[key])

    def __add__(self, other):
        return Later(lambda: now(self) + other)


def now(value):
    """``value`` with every Later in it (in lists, tuples, dicts) made."""
    if isinstance(value, Later):
        if "_value" not in vars(value):
            value._value = value._make()
        return value._value
    if isinstance(value, (list, tuple)):
        return type(value)(now(v) for v in value)
    if isinstance(value, dict):
        return {k: now(v) for k, v in value.items()}
    return value


IRIS = load_iris_features(("petal length", "petal width")).X
WIDTH = load_iris_features(("petal width",)).X
RUN = Later(lambda: gmmlab.fit(IRIS, 3, seed=0, max_iter=20))
FITS_2D = Later(lambda: {k: gmmlab.fit(IRIS, k, seed=0, max_iter=20) for k in (1, 2, 3)})
FITS_1D = Later(lambda: {k: gmmlab.fit(WIDTH, k, seed=0, max_iter=20) for k in (1, 2)})
NO_STEP = Later(lambda: gmmlab.fit(WIDTH, 2, seed=0, max_iter=0))
NO_STEP_2D = Later(lambda: gmmlab.fit(IRIS, 3, seed=0, max_iter=0))
CENTRES = RUN.params.means + 0.01
SWEEP = Later(
    lambda: gmmlab.sweep_components(IRIS[::2], [1, 2], X_held_out=IRIS[1::2], max_iter=20)
)
SWEEP_1D = Later(
    lambda: gmmlab.sweep_components(WIDTH[::2], [1, 2], X_held_out=WIDTH[1::2], max_iter=20)
)
NO_HELD_OUT = Later(lambda: gmmlab.sweep_components(IRIS, [1, 2], max_iter=20))
STARTS = Later(
    lambda: [gmmlab.fit(IRIS, 3, init="random", seed=s, max_iter=20) for s in range(3)]
)
SPECIES = load_iris_features(("petal length", "petal width")).labels
NAN_X = np.where(np.arange(150)[:, None] == 7, np.nan, IRIS)
BINARY = (np.random.default_rng(0).random((40, 64)) < 0.3).astype(float)  # lesson 14
BERNOULLI = gmmlab.bernoulli.fit(BINARY, 2, seed=0, max_iter=3, tol=0)

# (explorer, the good keyword arguments); each bad case below replaces one of them.
GOOD = {
    "SamplingExplorer": {"params": RUN.params},
    "MembershipExplorer": {"X": IRIS, "params": RUN.params, "centres": CENTRES},
    "FitExplorer1D": {"x": WIDTH, "results": FITS_1D},
    "EMIterationExplorer": {"X": IRIS, "result": RUN},
    "LikelihoodExplorer": {"x": WIDTH, "params": FITS_1D[2].params},
    "ModelSelectionExplorer": {"X": IRIS, "results": FITS_2D},
    "KMeansLimitExplorer": {"X": IRIS, "means": CENTRES},
    "ChunkedStatisticsExplorer": {"X": IRIS, "result": RUN, "max_chunks": 3},
    "AnomalyExplorer": {"X": IRIS, "params": RUN.params},
    "HeldOutExplorer": {"X": IRIS[::2], "sweep": SWEEP},
    "PosteriorExplorer": {"X": IRIS, "params": RUN.params, "point": IRIS[77]},
    "LowerBoundExplorer": {"x": WIDTH, "result": FITS_1D[2]},
    "MStepExplorer": {"X": IRIS, "history": RUN.history[:6]},
    "StartsExplorer": {"X": IRIS, "runs": STARTS, "labels": SPECIES},
    "BernoulliMeansExplorer": {"result": BERNOULLI},
    "ELBOExplorer": {"X": IRIS, "params": RUN.params, "q_start": np.full((150, 3), 1 / 3)},
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
    ("FitExplorer1D", "reference", IRIS, ValueError, r"reference must have 1 feature\(s\)"),
    ("FitExplorer1D", "results", [], TypeError, "results must be a non-empty dict"),
    ("FitExplorer1D", "results", {2: RUN}, ValueError, r"results\[2\] must be a fit with 2"),
    ("FitExplorer1D", "results", {1: RUN.params}, TypeError, r"results\[1\] must be a gmmlab.EM"),
    ("FitExplorer1D", "results", {"one": RUN}, TypeError, "the keys of results must be an int"),
    ("FitExplorer1D", "k", 7, ValueError, r"k must be one of \[1, 2\]"),
    ("FitExplorer1D", "k", 2.0, TypeError, r"k must be one of \[1, 2\]"),
    ("FitExplorer1D", "bins", 0, ValueError, "bins must be at least 1"),
    ("FitExplorer1D", "bins", [0.5, 0.2, 1.0], ValueError, "bins as edges must increase"),
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
    ("ChunkedStatisticsExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("ChunkedStatisticsExplorer", "result", RUN.params, TypeError, "result must be a gmmlab.EM"),
    ("ChunkedStatisticsExplorer", "result", FITS_1D[2], ValueError, "result must be a fit of 2"),
    ("ChunkedStatisticsExplorer", "max_chunks", 0, ValueError, "max_chunks must be at least 1"),
    ("ChunkedStatisticsExplorer", "max_chunks", 2.0, TypeError, "max_chunks must be an integer"),
    ("ChunkedStatisticsExplorer", "max_chunks", 16, ValueError, "max_chunks must be at most 15"),
    ("ChunkedStatisticsExplorer", "n_chunks", 4, ValueError, "n_chunks must be at most 3"),
    ("ChunkedStatisticsExplorer", "n_chunks", "2", TypeError, "n_chunks must be an integer"),
    ("ChunkedStatisticsExplorer", "reg_covar", -1.0, ValueError, "reg_covar must be at least 0"),
    ("ChunkedStatisticsExplorer", "reg_covar", None, TypeError, "reg_covar must be a real"),
    ("ChunkedStatisticsExplorer", "feature_names", ("a",), ValueError, "feature_names must be 2"),
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
    ("PosteriorExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("PosteriorExplorer", "params", FITS_2D[1].params, ValueError, "at least 2 components"),
    ("PosteriorExplorer", "params", RUN, TypeError, "params must be a gmmlab.MixtureParams"),
    ("PosteriorExplorer", "point", 77, ValueError, "point must be one point of 2 coordinates"),
    ("PosteriorExplorer", "point", (np.nan, 1.0), ValueError, "point contains NaN or infinite"),
    ("PosteriorExplorer", "point", (1e160, 1.0), ValueError, "point is so far from every comp"),
    ("PosteriorExplorer", "component", 3, ValueError, "component must be at most 2"),
    ("PosteriorExplorer", "values", [0.0, 0.5, 1.0], ValueError, "strictly between 0 and 1"),
    ("PosteriorExplorer", "values", [0.6, 0.9, 1.2], ValueError, r"values must lie within \[0"),
    ("PosteriorExplorer", "values", [0.5, 0.4], ValueError, "values must increase in equal"),
    ("PosteriorExplorer", "feature_names", "ab", TypeError, "feature_names must be a sequence"),
    ("PosteriorExplorer", "point_label", 77, TypeError, "point_label must be a string"),
    ("LowerBoundExplorer", "x", IRIS, ValueError, r"x must have 1 feature\(s\)"),
    ("LowerBoundExplorer", "x", NAN_X[:, :1], ValueError, "x contains NaN"),
    ("LowerBoundExplorer", "result", FITS_1D[2].params, TypeError, "result must be a gmmlab.EM"),
    ("LowerBoundExplorer", "result", RUN, ValueError, "result.params describes 2"),
    ("LowerBoundExplorer", "result", NO_STEP, ValueError, "at least one EM iteration"),
    ("LowerBoundExplorer", "component", 2, ValueError, "component must be at most 1"),
    ("LowerBoundExplorer", "component", 0.5, TypeError, "component must be an integer"),
    ("LowerBoundExplorer", "iteration", 20, ValueError, "iteration must be at most 19"),
    ("LowerBoundExplorer", "iteration", -1, ValueError, "iteration must be at least 0"),
    ("LowerBoundExplorer", "xlabel", 3, TypeError, "xlabel must be a string"),
    ("MStepExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("MStepExplorer", "X", NAN_X, ValueError, "X contains NaN"),
    ("MStepExplorer", "history", RUN.params, TypeError, "history must be a gmmlab.EMResult or"),
    ("MStepExplorer", "history", RUN.history[:2], ValueError, "at least 3 parameter sets"),
    ("MStepExplorer", "history", NO_STEP_2D, ValueError, "got 1"),
    ("MStepExplorer", "history", [RUN.params, "θ", RUN.params], TypeError, r"history\[1\] must"),
    (
        "MStepExplorer",
        "history",
        [RUN.params, RUN.params, FITS_1D[2].params],
        ValueError,
        r"history\[2\] describes 1",
    ),
    (
        "MStepExplorer",
        "history",
        [RUN.params, FITS_2D[2].params, RUN.params],
        ValueError,
        r"history\[1\] has 2 components, history\[0\] has 3",
    ),
    ("MStepExplorer", "feature_names", ("x",), ValueError, "feature_names must be 2 strings"),
    ("MStepExplorer", "step", 5, ValueError, "step must be at most 4"),
    ("MStepExplorer", "step", 1.0, TypeError, "step must be an integer"),
    ("MStepExplorer", "n_std", 0, ValueError, "n_std must be greater than 0"),
    ("MStepExplorer", "n_std", "2", TypeError, "n_std must be a real number"),
    ("StartsExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("StartsExplorer", "runs", STARTS[:1], TypeError, "runs must be a list of at least 2"),
    ("StartsExplorer", "runs", Later(lambda: dict(enumerate(now(STARTS)))), TypeError,
     "runs must be a list"),
    ("StartsExplorer", "runs", [RUN, RUN.params], TypeError, r"runs\[1\] must be a gmmlab"),
    ("StartsExplorer", "runs", [RUN, FITS_2D[2]], ValueError, r"runs\[1\] must be a fit of 2"),
    ("StartsExplorer", "runs", [FITS_1D[2], FITS_1D[2]], ValueError, r"runs\[0\] must be a fit"),
    ("StartsExplorer", "labels", SPECIES[:10], ValueError, r"labels must hold one class per"),
    ("StartsExplorer", "labels", SPECIES + 0.5, ValueError, "labels must be integer classes"),
    ("StartsExplorer", "labels", np.where(SPECIES == 1, np.nan, SPECIES), ValueError,
     "labels contains NaN"),
    ("StartsExplorer", "labels", "setosa", TypeError, "labels must be an array"),
    ("StartsExplorer", "seed", 3, ValueError, "seed must be at most 2"),
    ("StartsExplorer", "reg_covar", -1.0, ValueError, "reg_covar must be a finite number greater"),
    ("StartsExplorer", "reg_covar", "1e-6", TypeError, "reg_covar must be a positive number"),
    ("StartsExplorer", "seed", 1.0, TypeError, "seed must be an integer"),
    ("StartsExplorer", "feature_names", ("x",), ValueError, "feature_names must be 2 strings"),
    ("BernoulliMeansExplorer", "result", RUN, TypeError, "result must be a gmmlab.bernoulli"),
    ("BernoulliMeansExplorer", "image_shape", (8, 9), ValueError, "8 x 9 = 72 pixels"),
    ("BernoulliMeansExplorer", "image_shape", 64, TypeError, "image_shape must be a pair"),
    ("BernoulliMeansExplorer", "image_shape", (8, 8, 1), ValueError, "must be a pair"),
    ("BernoulliMeansExplorer", "n_columns", 0, ValueError, "n_columns must be at least 1"),
    ("BernoulliMeansExplorer", "iteration", 4, ValueError, "iteration must be at most 3"),
    ("BernoulliMeansExplorer", "iteration", 1.0, TypeError, "iteration must be an integer"),
    ("ELBOExplorer", "X", WIDTH, ValueError, r"X must have 2 feature\(s\)"),
    ("ELBOExplorer", "params", RUN, TypeError, "params must be a gmmlab.MixtureParams"),
    ("ELBOExplorer", "params", FITS_1D[2].params, ValueError, "X has 2 feature"),
    ("ELBOExplorer", "q_start", np.full((150, 2), 0.5), ValueError, "q_start must have one col"),
    ("ELBOExplorer", "q_start", np.full((150, 3), 0.5), ValueError, "each row of q_start must"),
    ("ELBOExplorer", "feature_names", ("a", "b", "c"), ValueError, "feature_names must"),
]


BOUND_ALONG_MEAN = [
    # argument, bad value, error, words of the message
    ("x", IRIS, ValueError, r"x must have 1 feature\(s\)"),
    ("params", RUN.params, ValueError, "params describes 2"),
    ("resp", np.ones((150, 3)) / 3, ValueError, r"resp must have one column per component \(2\)"),
    ("component", 2, ValueError, "component must be at most 1"),
    ("means", [[1.0, 2.0]], ValueError, "means must be a 1-D sequence"),
    ("means", [1.0, np.nan], ValueError, "means contains NaN"),
    ("means", "wide", TypeError, "means must be"),
]


@pytest.mark.parametrize(("argument", "value", "error", "words"), BOUND_ALONG_MEAN)
def test_bound_along_mean_names_a_bad_argument(argument, value, error, words):
    from gmmlab.widgets.lower_bound import bound_along_mean

    params, value = now(FITS_1D[2].params), now(value)
    arguments = {
        "x": WIDTH,
        "params": params,
        "resp": gmmlab.e_step(WIDTH, params),
        "component": 1,
        "means": [1.0, 1.5],
    }
    with pytest.raises(error, match=words):
        bound_along_mean(**{**arguments, argument: value})


@pytest.mark.parametrize(
    ("kind", "argument", "value", "error", "words"),
    BAD,
    ids=[f"{kind}-{argument}-{i}" for i, (kind, argument, *_) in enumerate(BAD)],
)
def test_a_bad_argument_is_named(kind, argument, value, error, words):
    arguments = {**now(GOOD[kind]), argument: now(value)}
    if kind == "LikelihoodExplorer" and argument == "values":
        arguments["parameter"] = "mean"
    with pytest.raises(error, match=words):
        getattr(widgets, kind)(**arguments)


def test_every_explorer_and_argument_has_a_case():
    import inspect

    # the online explorer's rows live beside its own tests (tests/test_online_widget.py)
    from tests.test_online_widget import ONLINE_BAD, ONLINE_GOOD

    good, bad = {**GOOD, **ONLINE_GOOD}, BAD + ONLINE_BAD

    for kind in widgets.__all__:
        explorer = getattr(widgets, kind)
        if not (inspect.isclass(explorer) and issubclass(explorer, widgets.Explorer)):
            continue
        if explorer is widgets.Explorer:
            continue
        arguments = set(inspect.signature(explorer).parameters)
        tested = {argument for k, argument, *_ in bad if k == kind}
        assert kind in good, f"{kind} is not in the bad-input table"
        untested = arguments - tested
        assert not untested, f"{kind}: no bad-input case for {sorted(untested)}"


def test_numpy_scalars_are_numbers_too():
    run, fits_1d, fits_2d, centres, sweep, starts = now(
        (RUN, FITS_1D, FITS_2D, CENTRES, SWEEP, STARTS)
    )
    widgets.SamplingExplorer(
        run.params, n_samples=np.int32(50), component=np.int64(1), seed=np.uint8(3)
    )
    widgets.FitExplorer1D(
        WIDTH, {np.int64(k): r for k, r in fits_1d.items()}, k=np.int64(2), bins=np.int16(12)
    )
    explorer = widgets.EMIterationExplorer(
        IRIS, run, half_steps=np.bool_(True), iteration=np.int64(3), n_std_slider=np.True_
    )
    assert explorer.values["step"] == 3
    widgets.KMeansLimitExplorer(
        IRIS, centres, sigma_range=(np.float32(0.1), np.float64(1.0)), sigma=np.float32(0.5)
    )
    widgets.LikelihoodExplorer(WIDTH, fits_1d[2].params, component=np.int8(1))
    widgets.ModelSelectionExplorer(IRIS, fits_2d, k=np.int64(2))
    explorer = widgets.ChunkedStatisticsExplorer(
        IRIS, run, max_chunks=np.int16(3), n_chunks=np.int64(2), reg_covar=np.float32(1e-6)
    )
    assert explorer.values == {"n_chunks": 2}
    widgets.AnomalyExplorer(IRIS, run.params, percent=np.float32(5.0))
    widgets.HeldOutExplorer(IRIS[::2], sweep, k=np.int64(1))
    widgets.PosteriorExplorer(IRIS, run.params, IRIS[77].astype(np.float32), component=np.int8(2))
    explorer = widgets.MStepExplorer(IRIS, run, step=np.int64(2), n_std=np.float32(1.5))
    assert explorer.values == {"step": 2} and explorer.n_std == 1.5
    explorer = widgets.StartsExplorer(
        IRIS, tuple(starts), labels=SPECIES.astype(np.int8), seed=np.int64(2)
    )
    assert explorer.values == {"seed": 2}

