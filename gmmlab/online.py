r"""Online (stepwise) EM: fit a mixture to a stream of chunks, in one pass.

Batch EM (:func:`gmmlab.fit`) reads all the data in every iteration. Online EM (Cappé and
Moulines 2009; Liang and Klein 2009) reads each chunk of a stream once: after chunk
:math:`t`, the chunk's expected statistics (:func:`gmmlab.expected_statistics`, per point)
are blended into running statistics with a step size :math:`\rho_t`, and the M-step
(:func:`gmmlab.params_from_statistics`) turns them into the next parameters:

.. math::

    s^{(t)} = (1 - \rho_t)\, s^{(t-1)} + \rho_t\, \bar s_t(\theta^{(t-1)}), \qquad
    \theta^{(t)} = M\big(s^{(t)}\big), \qquad \rho_t = (t + t_0)^{-\alpha}

where :math:`\bar s_t(\theta)` holds the chunk's three sums :math:`N_k`,
:math:`\sum_i \gamma_{ik} x_i`, :math:`\sum_i \gamma_{ik} x_i x_i^\top` divided by its
number of points :math:`n_t`. The steps must shrink, but not too fast:
:math:`\sum_t \rho_t = \infty` (the stream can still move the estimate anywhere) and
:math:`\sum_t \rho_t^2 < \infty` (the chunks' noise averages out), which holds exactly for
:math:`0.5 < \alpha \le 1`.

* :func:`fit_online` -- one pass over any iterable of (n_t, D) arrays; returns an
  :class:`OnlineEMResult` (an :class:`~gmmlab.EMResult`).
* :class:`OnlineGaussianMixture` -- the same, one ``update(chunk)`` at a time, for a caller
  who receives the chunks one by one; :func:`fit_online` is a loop over it.
* :func:`row_chunks` -- the rows of one array (a memory-mapped file, say) as a stream.
* :func:`sample_stream` -- points drawn from a mixture, chunk by chunk, as a stream.

The running statistics are kept in gmmlab's centred form (:mod:`gmmlab.statistics`), and
blended with the same law of total covariance that adds two chunks' statistics.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import _kernels
from ._docstring import fill_doc
from ._validation import (
    as_float_array,
    ensure_choice,
    ensure_float,
    ensure_int,
    ensure_seed,
    ensure_X_to_fit,
    is_dask_array,
)
from .em import EMResult, fit
from .params import COVARIANCE_TYPES, MixtureParams, ensure_params, frozen_array
from .statistics import (
    ComponentCollapseError,
    SufficientStatistics,
    floor_advice,
    params_from_statistics,
)

#: The default step-size exponent alpha of rho_t = (t + t0)^-alpha.
STEP_EXPONENT = 0.6

#: The default offset t0 of rho_t = (t + t0)^-alpha: rho_1 = 3^-0.6 = 0.52.
STEP_OFFSET = 2.0

#: Chunks of at least this many rows run their E-step on two threads in fit_online.
PARALLEL_ROWS = 16_384

#: The warm-ups on the first chunk that :func:`fit_online` knows.
WARM_UPS = ("em", "kmeans++")

__all__ = [
    "STEP_EXPONENT",
    "STEP_OFFSET",
    "WARM_UPS",
    "OnlineEMResult",
    "OnlineGaussianMixture",
    "fit_online",
    "blend_statistics",
    "row_chunks",
    "sample_stream",
    "step_sizes",
]


def step_sizes(n_steps, step=STEP_EXPONENT, t0=STEP_OFFSET):
    r"""The step sizes :math:`\rho_t = (t + t_0)^{-\alpha}` for t = 1, ..., n_steps.

    Parameters
    ----------
    n_steps : int
        How many (>= 0).
    step : float, default 0.6
        :math:`\alpha`, in (0.5, 1].
    t0 : float, default 2.0
        :math:`t_0`, >= 0.

    Returns
    -------
    ndarray of shape (n_steps,)

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed or out of range.

    Examples
    --------
    >>> step_sizes(3, step=1.0, t0=0.0)
    array([1.        , 0.5       , 0.33333333])
    """
    n_steps = ensure_int(n_steps, "n_steps", minimum=0)
    step, t0 = _check_step(step, t0)
    return (np.arange(1, n_steps + 1) + t0) ** -step


def _check_step(step, t0):
    step = ensure_float(step, "step")
    if not 0.5 < step <= 1.0:
        raise ValueError(
            "step must be the step-size exponent alpha of rho_t = (t + t0)^-alpha, with "
            f"0.5 < alpha <= 1 (so that sum rho_t diverges and sum rho_t^2 converges), got {step}"
        )
    t0 = ensure_float(t0, "t0", minimum=0.0)
    return step, t0


def row_chunks(X, rows):
    """The rows of X as a stream of chunks of ``rows`` rows each (views, not copies).

    For an array that is in memory or memory-mapped (``numpy.load(..., mmap_mode="r")``):
    each chunk is read only when the stream reaches it.

    Parameters
    ----------
    X : ndarray of shape (N, D)
        Any array with ``shape`` and row slicing; not converted.
    rows : int
        Rows per chunk (>= 1); the last chunk may be shorter.

    Yields
    ------
    ndarray of shape (rows, D)

    Raises
    ------
    TypeError, ValueError
        If X has no two-dimensional shape or ``rows`` is not a positive integer.

    Examples
    --------
    >>> [chunk.shape for chunk in row_chunks(np.zeros((5, 2)), 2)]
    [(2, 2), (2, 2), (1, 2)]
    """
    rows = ensure_int(rows, "rows", minimum=1)
    shape = getattr(X, "shape", None)
    if shape is None or len(shape) != 2:
        raise TypeError(f"X must be a 2-D array (N, D), got {type(X).__name__}")
    return (X[start : start + rows] for start in range(0, shape[0], rows))


@fill_doc
def sample_stream(params, n_samples, rows, seed=None):
    """A stream of points drawn from a mixture, ``rows`` at a time, never all in memory.

    Each chunk is :meth:`MixtureParams.sample` of ``rows`` points (the last one of the
    rest), drawn from one random generator in turn: the same seed gives the same stream.

    Parameters
    ----------
    params : MixtureParams
        The mixture to draw from.
    n_samples : int
        N, the points in the whole stream (>= 1).
    rows : int
        Points per chunk (>= 1).
    seed : int >= 0, numpy.random.Generator or None

    Yields
    ------
    ndarray of shape (rows, D)

    %(Raises: malformed)s

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [0.0, 5.0], [1.0, 1.0])
    >>> [chunk.shape for chunk in sample_stream(params, 5, 2, seed=0)]
    [(2, 1), (2, 1), (1, 1)]
    """
    params = ensure_params(params)
    n_samples = ensure_int(n_samples, "n_samples", minimum=1)
    rows = ensure_int(rows, "rows", minimum=1)
    rng = ensure_seed(seed)

    def chunks():
        for start in range(0, n_samples, rows):
            yield params.sample(min(rows, n_samples - start), seed=rng)[0]

    return chunks()


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class OnlineEMResult(EMResult):
    """What one pass of online EM found: an :class:`~gmmlab.EMResult` with the stream's record.

    ``history[t]`` is :math:`\\theta^{(t)}`, the parameters after chunk t (``history[0]``
    after the warm-up on chunk 0); with ``average=True`` it holds their Polyak–Ruppert
    averages :math:`\\bar\\theta^{(t)} = \\frac{1}{t+1}\\sum_{s \\le t} \\theta^{(s)}`, and
    ``iterates`` the :math:`\\theta^{(t)}` the E-steps used. ``n_iter`` is the number of
    updates after the warm-up (chunks - 1); ``converged`` is always False: one pass has
    no convergence test.

    Attributes
    ----------
    log_likelihoods : ndarray of shape (T,)
        :math:`\\ell_t`: the log-likelihood of chunk t under the parameters its E-step
        used, :math:`\\theta^{(t-1)}` (chunk 0: the warm-up's) -- each chunk is scored before
        it moves the parameters.
    mean_log_likelihoods : ndarray of shape (T,)
        The running per-point log-likelihood, blended like the statistics:
        :math:`\\bar\\ell_t = (1 - \\rho_t)\\,\\bar\\ell_{t-1} + \\rho_t\\,\\ell_t / n_t`.
    chunk_sizes : ndarray of int, shape (T,)
        :math:`n_t`.
    steps : ndarray of shape (T,)
        :math:`\\rho_t` (1 for the warm-up chunk).
    iterates : tuple of MixtureParams
        :math:`\\theta^{(t)}`, the same objects as ``history`` without averaging.
    """

    iterates: tuple
    mean_log_likelihoods: np.ndarray
    chunk_sizes: np.ndarray
    steps: np.ndarray

    def __post_init__(self):
        super().__post_init__()
        n_entries = len(self.history)
        iterates = tuple(self.iterates)
        if len(iterates) != n_entries or not all(isinstance(p, MixtureParams) for p in iterates):
            raise ValueError(f"iterates must hold {n_entries} gmmlab.MixtureParams")
        object.__setattr__(self, "iterates", iterates)
        for name in ("mean_log_likelihoods", "chunk_sizes", "steps"):
            value = as_float_array(getattr(self, name), name)
            if value.shape != (n_entries,):
                raise ValueError(f"{name} must have shape ({n_entries},), got {value.shape}")
            if name == "chunk_sizes":
                value = value.astype(int)
            object.__setattr__(self, name, frozen_array(value))

    def __reduce__(self):
        names = [field.name for field in dataclasses.fields(self)]
        return (_rebuild_result, (type(self), {name: getattr(self, name) for name in names}))

    def permute(self, order):
        """:meth:`EMResult.permute`, renumbering the ``iterates`` too; an OnlineEMResult."""
        history = tuple(params.permute(order) for params in self.history)
        iterates = tuple(params.permute(order) for params in self.iterates)
        return dataclasses.replace(self, params=history[-1], history=history, iterates=iterates)

    def __repr__(self):
        return (
            f"OnlineEMResult(chunks={len(self.history)}, points={int(self.chunk_sizes.sum())}, "
            f"mean_log_likelihood={self.mean_log_likelihoods[-1]:.6g},\n"
            f"               params={self.params!r})"
        )


def _rebuild_result(cls, fields):
    return cls(**fields)


@fill_doc
class OnlineGaussianMixture:
    r"""Online EM one chunk at a time: running statistics, ``update(chunk)``, ``params``.

    .. math::

        s^{(t)} = (1 - \rho_t)\, s^{(t-1)} + \rho_t\, \bar s_t(\theta^{(t-1)}), \qquad
        \theta^{(t)} = M\big(s^{(t)}\big), \qquad \rho_t = (t + t_0)^{-\alpha}

    The first chunk (t = 0) is the warm-up: ``init="em"`` runs batch EM on it
    (:func:`gmmlab.fit`, k-means++ start), ``"kmeans++"`` takes k-means++'s hard labels,
    and given :class:`~gmmlab.MixtureParams` are used as they are; in each case the chunk's
    statistics under that start become :math:`s^{(0)}`. Every later chunk is one update.

    %(Parameters: n_components_online)s
    step : float, default 0.6
        :math:`\alpha`, the exponent of the step size; 0.5 < alpha <= 1. Near 0.5 the
        steps stay large: the parameters follow each chunk and are noisy; at 1 they shrink
        as 1/t: the running statistics are a plain average, which forgets a poor start slowly.
    t0 : float, default 2.0
        :math:`t_0` >= 0; larger values make the first steps smaller.
    init : {"em", "kmeans++"} or MixtureParams, default "em"
        The warm-up on the first chunk.
    average : bool, default False
        Keep the Polyak–Ruppert average of :math:`\theta^{(0)}, \dots, \theta^{(t)}` as
        ``params`` (the E-steps still use the last :math:`\theta^{(t)}`).
    reg_covar : float, default 1e-6
        Added to each covariance's diagonal in every M-step; >= 0.
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"
    seed : int >= 0, numpy.random.Generator or None
        Seed of the warm-up's start.
    warm_up_iter : int, default 100
        The most batch EM iterations of the ``"em"`` warm-up (>= 0).
    warm_up_starts : int, default 3
        The starts of the ``"em"`` warm-up (``fit``'s ``n_init``, >= 1): the best of several
        starts on the first chunk, as lesson 9 recommends. A pass only refines its warm-up,
        so one start that ends at a poor local maximum there would hold the whole pass back.

    Attributes
    ----------
    params : MixtureParams or None
        The current estimate (None before the first chunk).
    statistics : SufficientStatistics or None
        :math:`s^{(t)}`, per point: its ``nk`` sum to 1.
    n_chunks, n_points : int
        Chunks and points seen.
    mean_log_likelihood : float
        The running per-point log-likelihood :math:`\bar\ell_t` (see :class:`OnlineEMResult`).

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed; ``update`` names the chunk.
    ComponentCollapseError
        From ``update``, if a component empties or its covariance becomes singular.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> model = OnlineGaussianMixture(2, seed=0)
    >>> for t in range(20):
    ...     model = model.update(np.concatenate([rng.normal(0, 1, (50, 1)),
    ...                                          rng.normal(8, 1, (50, 1))]))
    >>> sorted(round(float(m)) for m in model.params.means[:, 0])
    [0, 8]
    """

    def __init__(
        self,
        n_components,
        *,
        step=STEP_EXPONENT,
        t0=STEP_OFFSET,
        init="em",
        average=False,
        reg_covar=1e-6,
        covariance_type="full",
        seed=None,
        warm_up_iter=100,
        warm_up_starts=3,
    ):
        self.n_components = ensure_int(n_components, "n_components", minimum=1)
        self.step, self.t0 = _check_step(step, t0)
        if isinstance(init, MixtureParams):
            self.init = ensure_params(init, n_components=self.n_components, name="init")
        elif isinstance(init, str):
            self.init = ensure_choice(init, "init", WARM_UPS)
        else:
            raise TypeError(
                "init must be 'em', 'kmeans++' or a gmmlab.MixtureParams, got "
                f"{type(init).__name__}"
            )
        if not isinstance(average, (bool, np.bool_)):
            raise TypeError(f"average must be True or False, got {average!r}")
        self.average = bool(average)
        self.reg_covar = ensure_float(reg_covar, "reg_covar", minimum=0.0)
        self.covariance_type = ensure_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
        self.rng = ensure_seed(seed)
        self.warm_up_iter = ensure_int(warm_up_iter, "warm_up_iter", minimum=0)
        self.warm_up_starts = ensure_int(warm_up_starts, "warm_up_starts", minimum=1)
        self.statistics = None
        self.params = self.iterate = None
        self.n_chunks = self.n_points = 0
        self.n_features = None
        self.mean_log_likelihood = math.nan
        self._record = {
            "history": [],
            "iterates": [],
            "log_likelihoods": [],
            "mean": [],
            "sizes": [],
            "steps": [],
        }

    def step_size(self, t):
        r""":math:`\rho_t = (t + t_0)^{-\alpha}`, the step of chunk t >= 1."""
        return (t + self.t0) ** -self.step

    def update(self, chunk):
        """Blend one chunk into the running statistics, then run the M-step.

        Parameters
        ----------
        chunk : array-like of shape (n_t, D), or (n_t,) when D = 1
            Finite, with as many features as the chunks before it.

        Returns
        -------
        OnlineGaussianMixture
            Itself, updated.

        Raises
        ------
        TypeError, ValueError
            If the chunk is malformed (the message names it by its index).
        ComponentCollapseError
            If the M-step collapses a component.
        """
        return self._update(chunk, f"chunk {self.n_chunks}")

    def _update(self, chunk, name, workers=None):
        if is_dask_array(chunk):
            raise TypeError(f"{name} is a dask array: pass in-memory chunks (numpy arrays)")
        chunk = ensure_X_to_fit(chunk, name)
        t = self.n_chunks
        if self.n_features is not None and chunk.shape[1] != self.n_features:
            raise ValueError(
                f"{name} has {chunk.shape[1]} features (columns), but the chunks before it "
                f"have {self.n_features}: every chunk must have the same D"
            )
        if t == 0:
            chunk_statistics, chunk_log_likelihood = self._warm_up(chunk, name)
            rho = 1.0
            self.n_features = chunk.shape[1]
        else:
            if chunk.shape[0] < PARALLEL_ROWS:
                workers = None  # waking a thread costs more than it saves
            chunk_statistics, chunk_log_likelihood = _kernels.expected_statistics(
                chunk, self.iterate, None, workers
            )
            rho = self.step_size(t)
        n_t = chunk.shape[0]
        self.statistics = SufficientStatistics(
            *_blend(self.statistics, chunk_statistics, n_t, rho)
        )
        iterate = _m_step(
            self.statistics,
            n_t,
            self.reg_covar,
            self.covariance_type,
            name,
            t,
            self._partial_result(),
        )
        per_point = chunk_log_likelihood / n_t
        if t == 0:
            self.mean_log_likelihood = per_point
            params = iterate
        else:
            self.mean_log_likelihood += rho * (per_point - self.mean_log_likelihood)
            params = _averaged(self.params, iterate, t) if self.average else iterate
        self.iterate, self.params = iterate, params
        self.n_chunks += 1
        self.n_points += n_t
        record = self._record
        record["history"].append(params)
        record["iterates"].append(iterate)
        record["log_likelihoods"].append(chunk_log_likelihood)
        record["mean"].append(self.mean_log_likelihood)
        record["sizes"].append(n_t)
        record["steps"].append(rho)
        return self

    def _warm_up(self, chunk, name):
        """The statistics of the first chunk under the start, and its log-likelihood."""
        n_components = self.n_components
        if isinstance(self.init, MixtureParams):
            start = ensure_params(self.init, n_features=chunk.shape[1], name="init")
            return _kernels.expected_statistics(chunk, start, None)
        if chunk.shape[0] < n_components:
            raise ValueError(
                f"{name}, the warm-up chunk, has {chunk.shape[0]} rows, fewer than "
                f"n_components={n_components}: the warm-up needs at least one point per "
                "component"
            )
        try:
            if self.init == "kmeans++":
                resp = _kernels.initial_resp(chunk, n_components, "kmeans++", self.rng)
                statistics = SufficientStatistics(*_kernels.statistics_of_rows(chunk, resp))
                start = params_from_statistics(statistics, self.reg_covar, self.covariance_type)
                _, log_likelihood = _kernels.expected_statistics(chunk, start, None)
                return (statistics.nk, statistics.means, statistics.covariances), log_likelihood
            warm = fit(
                chunk,
                n_components,
                seed=self.rng,
                reg_covar=self.reg_covar,
                covariance_type=self.covariance_type,
                max_iter=self.warm_up_iter,
                n_init=self.warm_up_starts,
            )
        except ComponentCollapseError as error:
            context = f"in the warm-up on {name} (init={self.init!r})"
            raise error.in_context(context, iteration=0) from None
        return _kernels.expected_statistics(chunk, warm.params, None)

    def _partial_result(self):
        """A callable giving the record so far, for a collapse error (None if empty)."""
        return lambda: self.result() if self.n_chunks else None

    def result(self):
        """The record of the stream so far, as an :class:`OnlineEMResult`.

        Returns
        -------
        OnlineEMResult

        Raises
        ------
        ValueError
            If no chunk has been seen yet.
        """
        if self.n_chunks == 0:
            raise ValueError("no chunk has been seen yet: call update(chunk) first")
        record = self._record
        history = tuple(record["history"])
        return OnlineEMResult(
            params=history[-1],
            history=history,
            log_likelihoods=np.array(record["log_likelihoods"]),
            n_iter=len(history) - 1,
            converged=False,
            iterates=tuple(record["iterates"]),
            mean_log_likelihoods=np.array(record["mean"]),
            chunk_sizes=np.array(record["sizes"]),
            steps=np.array(record["steps"]),
        )

    def __repr__(self):
        return (
            f"OnlineGaussianMixture(n_components={self.n_components}, step={self.step:g}, "
            f"t0={self.t0:g}, chunks={self.n_chunks}, points={self.n_points})"
        )


def _blend(running, chunk_statistics, n_t, rho):
    """(1 - rho) s + rho s_t / n_t, as (nk, means, covariances) in centred form.

    Scaling N_k scales all three sums of a set of statistics, so the blend of two is the
    law of total covariance (:func:`gmmlab._kernels.merge_statistics`) of the two with
    their N_k scaled. rho = 1 (or no running statistics yet) gives the chunk's alone.
    """
    nk, means, covariances = (
        chunk_statistics
        if not isinstance(chunk_statistics, SufficientStatistics)
        else (chunk_statistics.nk, chunk_statistics.means, chunk_statistics.covariances)
    )
    scaled_chunk = (nk * (rho / n_t), means, covariances)
    if running is None or rho == 1.0:
        return scaled_chunk
    scaled_running = (running.nk * (1.0 - rho), running.means, running.covariances)
    return _kernels.merge_statistics(scaled_running, scaled_chunk)


def blend_statistics(running, chunk, n_points, rho):
    r"""Blend one chunk's statistics into running per-point statistics.

    .. math::

        s^{(t)} = (1 - \rho_t)\, s^{(t-1)} + \rho_t\, \frac{1}{n_t}\, S_t

    where :math:`S_t` holds chunk t's sums :math:`N_k`, :math:`\sum_i \gamma_{ik} x_i`,
    :math:`\sum_i \gamma_{ik} x_i x_i^\top` (:func:`gmmlab.expected_statistics` of the
    chunk) and :math:`n_t` is its number of points. Computed in gmmlab's centred form, by the
    law of total covariance that adds two chunks' statistics.

    Parameters
    ----------
    running : SufficientStatistics or None
        :math:`s^{(t-1)}`, per point (None before the first chunk: then the result is
        :math:`S_t / n_t` whatever ``rho`` is).
    chunk : SufficientStatistics
        :math:`S_t`, of the same K and D.
    n_points : float
        :math:`n_t` > 0.
    rho : float
        :math:`\rho_t`, in [0, 1].

    Returns
    -------
    SufficientStatistics

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed, or K and D differ.

    Examples
    --------
    >>> from gmmlab import sufficient_statistics
    >>> a = sufficient_statistics([0.0, 2.0], [[1.0], [1.0]])
    >>> b = sufficient_statistics([10.0], [[1.0]])
    >>> blended = blend_statistics(blend_statistics(None, a, 2, 1.0), b, 1, 1 / 3)
    >>> float(blended.nk[0]), float(blended.means[0, 0])  # (0, 2, 10) averaged: rho = 1/3
    (1.0, 4.0)
    """
    for name, value in (("running", running), ("chunk", chunk)):
        if not isinstance(value, SufficientStatistics) and not (
            name == "running" and value is None
        ):
            raise TypeError(
                f"{name} must be a gmmlab.SufficientStatistics, got {type(value).__name__}"
            )
    if running is not None and (running.n_components, running.n_features) != (
        chunk.n_components,
        chunk.n_features,
    ):
        raise ValueError("running and chunk must be statistics of the same K and D")
    n_points = ensure_float(n_points, "n_points", minimum=0.0, strict=True)
    rho = ensure_float(rho, "rho", minimum=0.0, maximum=1.0)
    return SufficientStatistics(*_blend(running, chunk, n_points, rho))


def _m_step(statistics, n_points, reg_covar, covariance_type, name, t, partial):
    """The M-step of the running statistics, with the collapse check that fit uses.

    The running statistics are per point; scaled to the n_points of the current chunk,
    the collapse check is the one :func:`gmmlab.fit` applies to a chunk of that size.
    This is the one place that decides what a collapse is for online EM.
    """
    scaled = SufficientStatistics(
        statistics.nk * n_points, statistics.means, statistics.covariances
    )
    try:
        return params_from_statistics(scaled, reg_covar, covariance_type)
    except ComponentCollapseError as error:
        if error.empty:
            advice = (
                "Lower n_components, use larger chunks, or a larger step exponent (a "
                "smaller step lets one chunk empty a component less easily)."
            )
        else:
            advice = floor_advice(reg_covar)
        context = f"in the online update on {name}"
        raise error.in_context(context, advice, iteration=t, result=partial()) from None


def _averaged(average, iterate, t):
    """The Polyak–Ruppert average of t + 1 iterates: average + (iterate - average) / (t + 1)."""
    share = 1.0 / (t + 1)
    weights = average.weights + share * (iterate.weights - average.weights)
    means = average.means + share * (iterate.means - average.means)
    covariances = average.covariances + share * (iterate.covariances - average.covariances)
    return MixtureParams(
        weights / weights.sum(), means, covariances, covariance_type=iterate.covariance_type
    )


@fill_doc
def fit_online(
    chunks,
    n_components,
    *,
    step=STEP_EXPONENT,
    t0=STEP_OFFSET,
    init="em",
    average=False,
    reg_covar=1e-6,
    covariance_type="full",
    seed=None,
    warm_up_iter=100,
    warm_up_starts=3,
):
    r"""Fit a Gaussian mixture to a stream of chunks in one pass, with online EM.

    .. math::

        s^{(t)} = (1 - \rho_t)\, s^{(t-1)} + \rho_t\, \bar s_t(\theta^{(t-1)}), \qquad
        \theta^{(t)} = M\big(s^{(t)}\big), \qquad \rho_t = (t + t_0)^{-\alpha}

    :math:`\bar s_t(\theta)` are chunk t's sums :math:`N_k`, :math:`\sum_i \gamma_{ik} x_i`,
    :math:`\sum_i \gamma_{ik} x_i x_i^\top` under :math:`\theta`, divided by its
    :math:`n_t` points; :math:`M` is the M-step (:func:`gmmlab.params_from_statistics`).
    Chunk 0 is the warm-up (see :class:`OnlineGaussianMixture`). Each chunk is read once
    and dropped: the memory is set by the largest chunk, not by the stream.

    Parameters
    ----------
    chunks : iterable of array-like of shape (n_t, D)
        A list, a generator, ``row_chunks(X, rows)``... Not a single array: its rows
        would be taken for chunks (use :func:`row_chunks`).
    %(n_components_online)s
    step : float, default 0.6
        :math:`\alpha`, in (0.5, 1] (see :class:`OnlineGaussianMixture`).
    t0 : float, default 2.0
        :math:`t_0` >= 0.
    init : {"em", "kmeans++"} or MixtureParams, default "em"
        The warm-up on chunk 0.
    average : bool, default False
        Return Polyak–Ruppert averages of the parameters.
    reg_covar : float, default 1e-6
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"
    seed : int >= 0, numpy.random.Generator or None
    warm_up_iter : int, default 100
    warm_up_starts : int, default 3
        The starts of the ``"em"`` warm-up on the first chunk (``fit``'s ``n_init``).

    Returns
    -------
    OnlineEMResult
        An :class:`~gmmlab.EMResult` with one entry per chunk, and the running per-point
        log-likelihood ``mean_log_likelihoods``.

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed; a bad chunk is named ``chunks[t]``; an empty stream.
    ComponentCollapseError
        If a component collapses; the message names the chunk.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> stream = (rng.normal([0.0, 6.0], 1.0, (100, 2)).reshape(-1, 1) for _ in range(30))
    >>> result = fit_online(stream, 2, seed=0)
    >>> len(result.history), sorted(result.params.means[:, 0].round(0).tolist())
    (30, [0.0, 6.0])
    """
    if isinstance(chunks, np.ndarray) or is_dask_array(chunks):
        raise TypeError(
            "chunks must be an iterable of (n_t, D) arrays, not one array (its rows would be "
            "taken for chunks): stream the rows of X with gmmlab.online.row_chunks(X, rows)"
        )
    try:
        stream = iter(chunks)
    except TypeError:
        raise TypeError(
            f"chunks must be an iterable of (n_t, D) arrays, got {type(chunks).__name__}"
        ) from None
    model = OnlineGaussianMixture(
        n_components,
        step=step,
        t0=t0,
        init=init,
        average=average,
        reg_covar=reg_covar,
        covariance_type=covariance_type,
        seed=seed,
        warm_up_iter=warm_up_iter,
        warm_up_starts=warm_up_starts,
    )
    with _kernels.ChunkWorkers(2) as workers:
        for t, chunk in enumerate(stream):
            model._update(chunk, f"chunks[{t}]", workers)
            del chunk  # nothing of the chunk outlives its update
    if model.n_chunks == 0:
        raise ValueError("chunks is empty: the stream must yield at least one (n_t, D) array")
    return model.result()
