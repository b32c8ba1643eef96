r"""The lesson 11 exercise: flagging anomalies by low density, checked."""

from __future__ import annotations

import numpy as np

from ..anomaly import anomaly_threshold, flag_anomalies
from ..em import log_mixture_pdf
from ..params import MixtureParams
from ._cases import _diagonal, _iris_2d, _iris_params, _log_terms
from ._framework import Case, Checker, Difference, Mistake
from ._shared import CHECKER_RETURNS, shared_doc


def logsumexp(*args, **kwargs):
    """scipy.special.logsumexp, imported on first use (a grading kernel may need no SciPy)."""
    from scipy.special import logsumexp as scipy_logsumexp

    return scipy_logsumexp(*args, **kwargs)

# -- anomalies -------------------------------------------------------------------


@shared_doc(calls="gmmlab.anomaly_threshold")
def reference_anomalies(X_train, X_new, weights, means, covariances, percent):
    r"""gmmlab's anomaly rule, called as the lesson 11 exercise is.

    .. math::

        \tau_q = \operatorname{percentile}_q \{\log p(x_i) : x_i \in X_{\text{train}}\},
        \qquad \text{flag } x \in X_{\text{new}} \iff \log p(x) < \tau_q

    with :math:`p(x) = \sum_k \pi_k \mathcal{N}(x \mid \mu_k, \Sigma_k)` and NumPy's default
    (linear) percentile.

    Parameters
    ----------
    X_train : array-like of shape (N, D)
        The points the mixture was fitted to: the threshold comes from them.
    X_new : array-like of shape (M, D)
        The points to judge.
    {MIXTURE_ARGUMENTS}
    percent : float
        :math:`q`, from 0 to 100.

    Returns
    -------
    flags : ndarray of bool, shape (M,)

    Raises
    ------
    {MALFORMED}

    Examples
    --------
    >>> reference_anomalies([[0.0], [1.0], [2.0]], [[0.5], [4.0]], [1.0], [[0.0]], [[[1.0]]], 50)
    array([False,  True])
    """
    params = MixtureParams(weights, means, covariances)
    return flag_anomalies(X_new, params, anomaly_threshold(X_train, params, float(percent)))


def _anomaly_case(name, X_train, X_new, params, percent, note=""):
    X_train = np.asarray(X_train, dtype=float)
    arguments = {
        "X_train": X_train,
        "X_new": X_train if X_new is None else np.asarray(X_new, dtype=float),
        "weights": params.weights,
        "means": params.means,
        "covariances": params.covariances,
        "percent": float(percent),
    }
    return Case(name, arguments, note)


def _anomaly_cases():
    rng = np.random.default_rng(11)
    # two groups and, at 2.4, a point between them: both components explain it a little
    two = np.array([-2.3, -1.5, -1.0, -0.6, -0.2, 0.0, 0.3, 0.7, 1.1, 1.6, 2.4,
                    3.3, 3.9, 4.4, 4.8, 5.0, 5.3, 5.8, 6.4, 7.2])[:, np.newaxis]  # fmt: skip
    means = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    blobs = np.concatenate([rng.normal(mean, 1.0, (20, 2)) for mean in means])
    new = [[0.3, -0.2], [5.6, 0.4], [-0.5, 6.2], [1.0, 0.8], [6.4, -0.9],
           [3.0, 3.0], [10.0, 10.0], [-4.0, 2.0]]  # fmt: skip
    small = np.concatenate(
        [rng.normal(0.0, 1.0, 30), rng.normal(4.0, 1.0, 18), [7.9, 8.3]]
    )[:, np.newaxis]
    return [
        _anomaly_case(
            "one feature, two components (X_new = X_train)",
            two,
            None,
            MixtureParams([0.5, 0.5], [[0.0], [5.0]], [[[1.0]], [[0.81]]]),
            10,
            note="this case has K = 2 components and D = 1 feature, not the lesson's sizes; "
            "the point x = 2.4 lies between them, where p(x) adds up both components' terms",
        ),
        _anomaly_case(
            "new points unlike the training points (3 of 8 far from every component)",
            blobs,
            new,
            MixtureParams(np.full(3, 1 / 3), means, [np.eye(2)] * 3),
            5,
            note="X_new differs from X_train here: the threshold comes from X_train's "
            "log-densities, the flags are for X_new's points",
        ),
        _anomaly_case(
            "a component with a small weight (π_2 = 0.04, X_new = X_train)",
            small,
            None,
            MixtureParams([0.6, 0.36, 0.04], [[0.0], [4.0], [8.0]], [[[1.0]]] * 3),
            10,
            note="the two points near x = 8 belong to component 2, whose weight is only 0.04: "
            "log p(x) = log Σ_k π_k N(x|μ_k,Σ_k) includes the weights",
        ),
        _anomaly_case(
            "Iris petals, tilted components (X_new = X_train)",
            _iris_2d(),
            None,
            _iris_params(),
            5,
            note="the Iris components are tilted ellipses: Σ_k's off-diagonal entries matter",
        ),
    ]


def _log_p(X, weights, means, covariances, **options):
    """log p(x_i) from the terms a_ik (with a mistake's options), by log-sum-exp."""
    return logsumexp(_log_terms(np.asarray(X, float), weights, means, covariances, **options), 1)


def _flags_with(log_p=None, threshold=None, compare=None):
    """A mistake: the anomaly rule with some of its parts replaced.

    ``log_p(X, weights, means, covariances)`` scores points, ``threshold(scores_train,
    scores_new, percent)`` sets the threshold, ``compare(scores, threshold)`` flags.
    """
    log_p = log_p or _log_p
    threshold = threshold or (lambda train, new, percent: np.percentile(train, percent))
    compare = compare or (lambda scores, tau: scores < tau)

    def returns(X_train, X_new, weights, means, covariances, percent):
        train = log_p(X_train, weights, means, covariances)
        new = log_p(X_new, weights, means, covariances)
        return compare(new, threshold(train, new, float(percent)))

    return returns


def _nearest_mean_score(X, weights, means, covariances):
    """Minus the Euclidean distance to the nearest mean (higher: more typical)."""
    X = np.asarray(X, float)
    return -np.sqrt(((X[:, None, :] - np.asarray(means)[None]) ** 2).sum(axis=2)).min(axis=1)


ANOMALY_MISTAKES = (
    Mistake(
        "your threshold comes from X_new's own log-densities, so it flags about percent% of "
        "X_new whatever X_new holds: take the percentile of log p over X_train (the data the "
        "mixture was fitted to), then judge X_new against it; new data may hold many "
        "anomalies, or none",
        _flags_with(threshold=lambda train, new, percent: np.percentile(new, percent)),
    ),
    Mistake(
        "you flagged the points above the threshold: anomalies are the points of low "
        "density, log p(x) < τ",
        _flags_with(compare=lambda scores, tau: scores > tau),
    ),
    Mistake(
        "your threshold is the (100 − percent)-th percentile, the high end: flag the "
        "lowest percent% of log-densities, np.percentile(log_p_train, percent)",
        _flags_with(threshold=lambda train, new, percent: np.percentile(train, 100 - percent)),
    ),
    Mistake(
        "np.percentile takes percent from 0 to 100 as it is (10 means 10%); dividing it by "
        "100 gives the 0.1th percentile, which flags almost nothing",
        _flags_with(threshold=lambda train, new, percent: np.percentile(train, percent / 100)),
    ),
    Mistake(
        "your threshold is a value of the sorted log-densities (index int(N · percent / 100)); "
        "np.percentile interpolates between the two values around position (N − 1) · "
        "percent / 100: use np.percentile(log_p_train, percent)",
        _flags_with(
            threshold=lambda train, new, percent: np.sort(train)[int(len(train) * percent / 100)]
        ),
    ),
    Mistake(
        "these are the flags without the weights π_k: log p(x) = log Σ_k π_k N(x|μ_k,Σ_k), "
        "so a point that only a component of small weight explains has a low density",
        lambda X_train, X_new, w, m, c, percent: _flags_with()(
            X_train, X_new, np.ones(len(w)), m, c, percent
        ),
    ),
    Mistake(
        "you ranked the points by their distance to the nearest mean: the density also "
        "depends on each component's covariance and weight; use log p(x) = "
        "log Σ_k π_k N(x|μ_k,Σ_k), e.g. gmmlab.log_mixture_pdf",
        _flags_with(log_p=_nearest_mean_score),
    ),
    Mistake(
        "you used only each point's largest term, max_k π_k N(x|μ_k,Σ_k); p(x) is the sum "
        "of all K terms, which matters where components overlap: use log-sum-exp over k",
        _flags_with(log_p=lambda X, w, m, c: _log_terms(np.asarray(X, float), w, m, c).max(1)),
    ),
    Mistake(
        "these are the flags for diagonal covariances: your density ignores the "
        "off-diagonal entries of Σ_k; use the full (x − μ_k)ᵀ Σ_k⁻¹ (x − μ_k), e.g. through "
        "gmmlab.log_mixture_pdf",
        lambda X_train, X_new, w, m, c, percent: _flags_with()(
            X_train, X_new, w, m, _diagonal(c), percent
        ),
    ),
    Mistake(
        "you compared log-densities with a percentile of densities (or the reverse): use "
        "log p on both sides, τ = np.percentile(log_p_train, percent)",
        _flags_with(
            threshold=lambda train, new, percent: np.percentile(np.exp(train), percent)
        ),
    ),
)


def _validate_flags(got, expected, case):
    n_new, n_train = len(case.arguments["X_new"]), len(case.arguments["X_train"])
    n_features = case.arguments["X_new"].shape[1]
    if got is None:
        return None, "your function returned None: did you forget `return flags`?"
    if isinstance(got, tuple):
        return None, (
            "you returned a tuple (np.where(...) returns one): return the boolean array "
            "itself, log_p_new < threshold, one True/False per point of X_new"
        )
    try:
        flags = np.asarray(got)
    except (TypeError, ValueError):
        return None, f"expected an array of True/False, got {type(got).__name__}"
    if flags.dtype == object or not (
        flags.dtype == bool or np.issubdtype(flags.dtype, np.number)
    ):
        return None, f"expected an array of True/False, got {type(got).__name__}"
    if flags.ndim == 2 and flags.shape[1] == n_features and flags.shape[0] < n_new:
        return None, (
            f"you returned {flags.shape[0]} points (X_new[flags]?): return the flags "
            f"themselves, an array of {n_new} True/False, one per point of X_new"
        )
    if flags.shape != (n_new,):
        hint = ""
        if flags.shape == (n_train,):
            hint = ": that is one per point of X_train; flag the points of X_new"
        elif flags.ndim == 1 and np.issubdtype(flags.dtype, np.integer):
            hint = (
                ": these look like indices (np.flatnonzero / np.where); return the boolean "
                "array, log_p_new < threshold"
            )
        return None, (
            f"expected one flag per point of X_new, shape ({n_new},), got {flags.shape}{hint}"
        )
    if flags.dtype != bool:
        if not np.isin(flags, (0, 1)).all():
            return None, (
                "expected True/False for each point, got other numbers (log-densities?): "
                "compare them with the threshold, log_p_new < threshold"
            )
        flags = flags.astype(bool)
    return flags, None


def _compare_flags(flags, expected, case):
    wrong = np.flatnonzero(flags != expected)
    if wrong.size == 0:
        return None
    arguments = case.arguments
    params = MixtureParams(arguments["weights"], arguments["means"], arguments["covariances"])
    tau = anomaly_threshold(arguments["X_train"], params, arguments["percent"])
    i = int(wrong[0])
    x = arguments["X_new"][i]
    point = f"{x[0]:g}" if len(x) == 1 else "(" + ", ".join(f"{v:g}" for v in x) + ")"
    log_p = float(log_mixture_pdf(x[np.newaxis], params)[0])
    side, should = ("below", "should be") if expected[i] else ("above", "should not be")
    more = f" ({wrong.size} of {len(flags)} flags differ)" if wrong.size > 1 else ""
    return Difference(
        f"X_new[{i}] = {point} has log p = {log_p:.4f}, {side} τ = {tau:.4f} (the "
        f"percentile of log p over X_train at percent = {arguments['percent']:g}), so it "
        f"{should} flagged{more}"
    )


check_anomalies = Checker(
    "check_anomalies",
    exercise="my_anomalies",
    reference=reference_anomalies,
    what="your anomaly rule",
    compared_with="gmmlab.anomaly_threshold and gmmlab.flag_anomalies",
    reference_label="gmmlab's reference anomaly rule",
    cases=_anomaly_cases,
    validate=_validate_flags,
    compare=_compare_flags,
    mistakes=ANOMALY_MISTAKES,
    doc=r"""Check a learner's anomaly rule against :func:`gmmlab.anomaly_threshold` and
    :func:`gmmlab.flag_anomalies`.

    .. math::

        \tau_q = \operatorname{percentile}_q \{\log p(x_i) : x_i \in X_{\text{train}}\},
        \qquad \text{flag } x \in X_{\text{new}} \iff \log p(x) < \tau_q

    Parameters
    ----------
    function : callable
        ``my_anomalies(X_train, X_new, weights, means, covariances, percent)`` returning
        one True/False per point of X_new (an array of shape (M,)); X_train is (N, D),
        X_new (M, D), weights (K,), means (K, D), covariances (K, D, D), percent a
        number from 0 to 100.
    """
    + CHECKER_RETURNS,
)


#: Every checker by its public name: how tools find the cells that call one.
