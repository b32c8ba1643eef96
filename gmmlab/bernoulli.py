r"""EM beyond Gaussians: a mixture of Bernoulli distributions on binary data.

The same two steps as for a Gaussian mixture, for points :math:`x_i \in \{0, 1\}^D`
(binarised images, one pixel per feature; Bishop, *Pattern Recognition and Machine
Learning*, §9.3.3):

* :func:`log_bernoulli_pmf` -- :math:`\log p(x_i \mid \mu_k) = \sum_d x_{id} \log \mu_{kd}
  + (1 - x_{id}) \log (1 - \mu_{kd})`
* :func:`log_mixture_pmf` -- :math:`\log p(x_i) = \log \sum_k \pi_k \, p(x_i \mid \mu_k)`
* :func:`log_likelihood` -- :math:`\ell(\theta) = \sum_i \log p(x_i)`
* :func:`log_prior` -- :math:`\log p(\mu)` under independent Beta(a, b) priors
* :func:`e_step` -- the responsibilities :math:`\gamma_{ik} = p(z_i = k \mid x_i, \theta)`
* :func:`m_step` -- :math:`\pi_k = N_k / N`, :math:`\mu_{kd} = (\sum_i \gamma_{ik} x_{id}
  + a - 1) / (N_k + a + b - 2)`
* :func:`initialize`, :func:`fit` -- a seeded start, and EM recording every iteration.
* :func:`load_binary_digits` -- scikit-learn's 8 x 8 digits, thresholded to black and white.

Everything is computed in log space with log-sum-exp, as in :mod:`gmmlab.em`. A
probability :math:`\mu_{kd}` may be exactly 0 or 1 (maximum likelihood puts it there for a
pixel that is never, or always, on among a component's points): its logarithm is then
:math:`-\infty`, and so is :math:`\log p(x)` of every image that has that pixel the other
way. The functions return that :math:`-\infty` rather than hide it; the Beta prior
(``a = b = 2``) keeps every :math:`\mu_{kd}` strictly inside (0, 1).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math

import numpy as np

from . import _kernels
from ._docstring import fill_doc
from ._validation import (
    SUM_TOLERANCE,
    as_float_array,
    ensure_finite,
    ensure_float,
    ensure_int,
    ensure_n_components,
    ensure_resp,
    ensure_seed,
    ensure_X,
)
from .params import frozen_array, shape_of_means
from .statistics import MIN_NK, ComponentCollapseError

__all__ = [
    "BernoulliParams",
    "BernoulliResult",
    "e_step",
    "fit",
    "initialize",
    "load_binary_digits",
    "log_bernoulli_pmf",
    "log_likelihood",
    "log_mixture_pmf",
    "log_prior",
    "m_step",
]


# -- the parameters ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class BernoulliParams:
    r"""The parameters of a mixture of Bernoulli distributions: weights and pixel probabilities.

    .. math::

        p(x \mid \theta) = \sum_k \pi_k \prod_d \mu_{kd}^{x_d} (1 - \mu_{kd})^{1 - x_d}

    Immutable: the arrays are read-only copies.

    Parameters
    ----------
    weights : array-like of shape (K,)
        :math:`\pi_k`, non-negative, summing to 1.
    means : array-like of shape (K, D)
        :math:`\mu_{kd} = p(x_d = 1 \mid z = k)`, each in [0, 1]: component k's mean image.

    Attributes
    ----------
    n_components, n_features : int
        K and D.

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed; the message names it.

    Examples
    --------
    >>> params = BernoulliParams([0.5, 0.5], [[0.9, 0.1], [0.2, 0.8]])
    >>> params.n_components, params.n_features
    (2, 2)
    """

    weights: np.ndarray
    means: np.ndarray

    def __post_init__(self):
        weights = _check_weights(self.weights, "weights")
        means = _check_probabilities(self.means, "means")
        if means.shape[0] != weights.shape[0]:
            raise ValueError(
                f"means must have one row per weight ({weights.shape[0]} rows), "
                f"got shape {means.shape}"
            )
        object.__setattr__(self, "weights", frozen_array(weights))
        object.__setattr__(self, "means", frozen_array(means))

    n_components = shape_of_means(0, "K, the number of components.")
    n_features = shape_of_means(1, "D, the number of features (pixels) of each point.")

    def __reduce__(self):
        return (type(self), (self.weights, self.means))

    def __repr__(self):
        return (
            f"BernoulliParams(K={self.n_components}, D={self.n_features}, "
            f"weights={np.array2string(self.weights, precision=3)})"
        )


@dataclasses.dataclass(frozen=True, eq=False)
class BernoulliResult:
    r"""What a run of :func:`fit` found, and how it got there (like :class:`gmmlab.EMResult`).

    Attributes
    ----------
    params : BernoulliParams
        The final parameters (the last entry of ``history``).
    history : tuple of BernoulliParams
        ``history[t]`` is :math:`\theta^{(t)}`, the start first.
    log_likelihoods : ndarray of shape (len(history),)
        :math:`\ell(\theta^{(t)})` for each entry of ``history``.
    objectives : ndarray of shape (len(history),)
        :math:`\ell(\theta^{(t)}) + \log p(\mu^{(t)})`, what EM with the Beta(a, b)
        prior never decreases; equal to ``log_likelihoods`` when a = b = 1.
    n_iter : int
        EM iterations run (``len(history) - 1``).
    converged : bool
        Whether the objective per point changed by less than ``tol``.
    a, b : float
        The prior's parameters the run used.
    """

    params: BernoulliParams
    history: tuple
    log_likelihoods: np.ndarray
    objectives: np.ndarray
    n_iter: int
    converged: bool
    a: float = 1.0
    b: float = 1.0

    def __post_init__(self):
        history = tuple(self.history)
        if not history or not all(isinstance(p, BernoulliParams) for p in history):
            raise TypeError(
                "history must be a non-empty sequence of gmmlab.bernoulli.BernoulliParams"
            )
        if self.params is not history[-1]:
            raise ValueError("params must be the last entry of history")
        for name in ("log_likelihoods", "objectives"):
            values = as_float_array(getattr(self, name), name)
            if values.shape != (len(history),):
                raise ValueError(
                    f"{name} must have one value per entry of history ({len(history)}), "
                    f"got shape {values.shape}"
                )
            object.__setattr__(self, name, frozen_array(values))
        n_iter = ensure_int(self.n_iter, "n_iter", minimum=0)
        if n_iter != len(history) - 1:
            raise ValueError(f"n_iter must be len(history) - 1 = {len(history) - 1}, got {n_iter}")
        object.__setattr__(self, "history", history)
        object.__setattr__(self, "n_iter", n_iter)
        object.__setattr__(self, "converged", bool(self.converged))


# -- densities -----------------------------------------------------------------------------


def log_bernoulli_pmf(X, means):
    r"""Log-probability of each binary point under each component's Bernoulli distribution.

    .. math::

        \log p(x_i \mid \mu_k) = \sum_{d} x_{id} \log \mu_{kd} + (1 - x_{id}) \log(1 - \mu_{kd})

    A term is :math:`-\infty` exactly when the point has a pixel on where
    :math:`\mu_{kd} = 0` (or off where :math:`\mu_{kd} = 1`); a pixel that agrees with such
    a probability adds 0 (no ``0 * log 0 = nan``).

    Parameters
    ----------
    X : array-like of shape (N, D)
        Binary points: every value 0 or 1 (booleans accepted).
    means : array-like of shape (K, D)
        :math:`\mu_{kd}`, each in [0, 1].

    Returns
    -------
    ndarray of shape (N, K)
        :math:`\log p(x_i \mid \mu_k)`, at most 0, possibly :math:`-\infty`.

    Raises
    ------
    TypeError, ValueError
        If X is not binary, ``means`` not probabilities, or their D differ.

    Examples
    --------
    >>> log_bernoulli_pmf([[1, 0]], [[0.5, 0.5], [1.0, 0.0]]).round(4)
    array([[-1.3863,  0.    ]])
    >>> log_bernoulli_pmf([[0, 0]], [[1.0, 0.0]])
    array([[-inf]])
    """
    X = _check_binary_X(X)
    means = _check_probabilities(means, "means")
    _check_features(X, means.shape[1], "means")
    return _log_bernoulli_pmf(X, means)


@fill_doc
def log_mixture_pmf(X, params):
    r"""Log-probability of each binary point under the whole mixture.

    .. math::

        \log p(x_i) = \log \sum_k \pi_k \, p(x_i \mid \mu_k)

    computed with log-sum-exp; :math:`-\infty` for a point that no component can produce.

    %(Parameters: X_binary, params_binary)s

    Returns
    -------
    ndarray of shape (N,)

    %(Raises: malformed_binary)s

    Examples
    --------
    >>> params = BernoulliParams([0.5, 0.5], [[0.5, 0.5], [1.0, 0.0]])
    >>> log_mixture_pmf([[1, 0], [0, 1]], params).round(4)
    array([-0.47  , -2.0794])
    """
    X, params = _check_data_and_params(X, params)
    return _logsumexp_rows(_log_terms(X, params))


@fill_doc
def log_likelihood(X, params):
    r"""Log-likelihood of binary data under a mixture of Bernoulli distributions.

    .. math::

        \ell(\theta) = \sum_i \log \sum_k \pi_k
        \prod_d \mu_{kd}^{x_{id}} (1 - \mu_{kd})^{1 - x_{id}}

    %(Parameters: X_binary, params_binary)s

    Returns
    -------
    float
        :math:`\ell(\theta)`; :math:`-\infty` when some point has probability 0 under
        every component (a pixel where every :math:`\mu_{kd}` is 0 or 1 the other way).

    %(Raises: malformed_binary)s

    Examples
    --------
    >>> params = BernoulliParams([1.0], [[0.5, 0.5]])
    >>> round(log_likelihood([[1, 0], [0, 0]], params), 4)   # 2 * 2 * log 0.5
    -2.7726
    """
    X, params = _check_data_and_params(X, params)
    return float(_logsumexp_rows(_log_terms(X, params)).sum())


@fill_doc
def log_prior(params, a=1.0, b=1.0):
    r"""Log-density of the means under independent Beta(a, b) priors, one per :math:`\mu_{kd}`.

    .. math::

        \log p(\mu) = \sum_k \sum_d \left[(a - 1) \log \mu_{kd} + (b - 1) \log(1 - \mu_{kd})
        - \log \mathrm{B}(a, b)\right]

    MAP-EM (:func:`m_step` with a, b) never decreases :math:`\ell(\theta) + \log p(\mu)`.
    With a = b = 1 (the uniform prior) it is 0, and MAP is maximum likelihood.

    Parameters
    ----------
    params : BernoulliParams
    %(beta_prior)s

    Returns
    -------
    float
        :math:`-\infty` when some :math:`\mu_{kd}` is 0 (with a > 1) or 1 (with b > 1).

    Raises
    ------
    TypeError, ValueError
        If ``params`` is not a BernoulliParams or a, b are not numbers >= 1.

    Examples
    --------
    >>> params = BernoulliParams([1.0], [[0.5]])
    >>> round(log_prior(params, 2.0, 2.0), 4)   # log(6 * 0.5 * 0.5)
    0.4055
    """
    params = _check_params(params)
    a, b = _check_prior(a, b)
    return _log_prior(params.means, a, b)


# -- the two steps -------------------------------------------------------------------------


@fill_doc
def e_step(X, params):
    r"""E-step: the posterior probability of each component for each binary point.

    .. math::

        \gamma_{ik} = p(z_i = k \mid x_i, \theta)
        = \frac{\pi_k \, p(x_i \mid \mu_k)}{\sum_j \pi_j \, p(x_i \mid \mu_j)}

    computed in log space (log-sum-exp), so each row sums to 1 even when every
    :math:`p(x_i \mid \mu_j)` underflows to 0.0 (64 pixels make products like
    :math:`10^{-30}`).

    %(Parameters: X_binary, params_binary)s

    %(Returns: resp_returned)s

    Raises
    ------
    TypeError, ValueError
        If X is not binary, ``params`` is not a BernoulliParams with D features, or a
        point has probability 0 under every component (then :math:`\gamma_{ik}` is 0/0:
        the message names the point; a prior a, b > 1 in :func:`fit` prevents it).

    Examples
    --------
    >>> params = BernoulliParams([0.5, 0.5], [[0.8, 0.8], [0.2, 0.2]])
    >>> e_step([[1, 1], [1, 0]], params).round(3)
    array([[0.941, 0.059],
           [0.5  , 0.5  ]])
    """
    X, params = _check_data_and_params(X, params)
    log_terms = _log_terms(X, params)
    log_px = _logsumexp_rows(log_terms)
    impossible = np.isneginf(log_px)
    if impossible.any():
        i = int(np.flatnonzero(impossible)[0])
        raise ValueError(
            f"X[{i}] has probability 0 under every component (a pixel on where every "
            f"mu_kd = 0, or off where every mu_kd = 1), so its responsibilities are 0/0; "
            f"{int(impossible.sum())} point(s) are impossible. Fit with a Beta prior "
            "(a = b = 2) so that no mu_kd is exactly 0 or 1"
        )
    return np.exp(log_terms - log_px[:, np.newaxis])


@fill_doc
def m_step(X, resp, a=1.0, b=1.0):
    r"""M-step: new weights and pixel probabilities from the responsibility-weighted points.

    .. math::

        N_k = \sum_i \gamma_{ik}, \qquad \pi_k = \frac{N_k}{N}, \qquad
        \mu_{kd} = \frac{\sum_i \gamma_{ik} x_{id} + a - 1}{N_k + a + b - 2}

    With a = b = 1 (the default) this is maximum likelihood,
    :math:`\mu_k = \frac{1}{N_k}\sum_i \gamma_{ik} x_i`: the responsibility-weighted
    mean image. With a Beta(a, b) prior it is the MAP update: a − 1 pixels "on" and
    b − 1 pixels "off" are added to each component's counts, so a = b = 2 keeps every
    :math:`\mu_{kd}` within [1 / (N_k + 2), (N_k + 1) / (N_k + 2)].

    %(Parameters: X_binary)s
    resp : array-like of shape (N, K)
        :math:`\gamma_{ik}`, rows summing to 1.
    %(beta_prior)s

    Returns
    -------
    BernoulliParams

    %(Raises: malformed_named)s
    ComponentCollapseError
        If a component has :math:`N_k < 10^{-10}`: no points to describe.

    Examples
    --------
    >>> X = [[1, 0], [1, 1], [0, 0]]
    >>> resp = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    >>> params = m_step(X, resp)
    >>> params.weights.round(3), params.means
    (array([0.667, 0.333]), array([[1. , 0.5],
           [0. , 0. ]]))
    >>> m_step(X, resp, a=2, b=2).means.round(3)
    array([[0.75 , 0.5  ],
           [0.333, 0.333]])
    """
    X = _check_binary_X(X)
    resp = ensure_resp(resp, n_samples=X.shape[0])
    a, b = _check_prior(a, b)
    return _m_step(X, resp, a, b)


# -- EM ------------------------------------------------------------------------------------


@fill_doc
def initialize(X, n_components, seed=None):
    r"""A seeded start: equal weights, and each mean a softened copy of a random image.

    .. math::

        \pi_k = 1 / K, \qquad \mu_{kd} = 0.2 + 0.5\, x_{j_k d} + u_{kd}, \quad
        u_{kd} \sim \mathrm{Uniform}(0, 0.1)

    with :math:`j_0, \dots, j_{K-1}` K distinct images drawn at random: each component
    starts near a different image (like the first step of K-Means), with every probability
    in [0.2, 0.8], never 0 or 1, and the noise :math:`u` keeps two identical images from
    giving two identical components (they would stay identical forever). (Bishop, §9.3.3,
    draws every :math:`\mu_{kd}` uniformly from [0.25, 0.75] instead.)

    %(Parameters: X_binary, n_components)s
    seed : int >= 0, numpy.random.Generator or None

    Returns
    -------
    BernoulliParams

    %(Raises: malformed_named)s

    Examples
    --------
    >>> start = initialize([[0, 1], [1, 1], [1, 0]], 2, seed=0)
    >>> start.weights, bool(((start.means >= 0.2) & (start.means <= 0.8)).all())
    (array([0.5, 0.5]), True)
    """
    X = _check_binary_X(X)
    n_components = ensure_n_components(n_components, X.shape[0])
    rng = ensure_seed(seed)
    return _initialize(X, n_components, rng)


@fill_doc
def fit(X, n_components, *, a=1.0, b=1.0, init=None, max_iter=100, tol=1e-6, seed=None):
    r"""Fit a mixture of Bernoulli distributions with EM, recording every iteration.

    ::

        initialise theta                                  (initialize, or init)
        repeat
            E-step: gamma_ik = p(z_i = k | x_i, theta)     (e_step)
            M-step: pi_k = N_k / N,
                    mu_kd = (sum_i gamma_ik x_id + a - 1) / (N_k + a + b - 2)   (m_step)
        until the objective per point changes by less than tol

    The objective is :math:`\ell(\theta) + \log p(\mu)` (:func:`log_prior`), which each
    iteration never decreases; with a = b = 1 it is :math:`\ell(\theta)`. EM stops at a
    stationary point that depends on the start (``seed``).

    %(Parameters: X_binary, n_components)s
    a, b : float, default 1.0
        The Beta(a, b) prior of every :math:`\mu_{kd}`, each >= 1; a = b = 1 is maximum
        likelihood, a = b = 2 adds one "on" and one "off" pseudo-pixel per component.
    init : BernoulliParams, optional
        Where to start (default: :func:`initialize` with ``seed``).
    max_iter : int, default 100
        The most iterations (0 returns the start); >= 0.
    tol : float, default 1e-6
        Stop when the objective changes by less than ``tol`` per point; >= 0.
    seed : int >= 0, numpy.random.Generator or None
        Seed of the start (ignored with ``init``).

    Returns
    -------
    BernoulliResult
        ``params``, ``history``, ``log_likelihoods``, ``objectives``, ``n_iter``,
        ``converged``, ``a``, ``b``.

    %(Raises: malformed_named)s
    ComponentCollapseError
        If a component's :math:`N_k` falls below :math:`10^{-10}`; its ``result`` holds the
        iterations run until then.

    Examples
    --------
    >>> X = [[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1]]
    >>> result = fit(X, 2, a=2, b=2, seed=0)
    >>> result.converged, bool(np.all(np.diff(result.objectives) >= -1e-12))
    (True, True)
    """
    X = _check_binary_X(X)
    n_samples = X.shape[0]
    n_components = ensure_n_components(n_components, n_samples)
    a, b = _check_prior(a, b)
    max_iter = ensure_int(max_iter, "max_iter", minimum=0)
    tol = ensure_float(tol, "tol", minimum=0.0)
    if init is None:
        params = _initialize(X, n_components, ensure_seed(seed))
    else:
        params = _check_params(init, n_features=X.shape[1], name="init")
        if params.n_components != n_components:
            raise ValueError(
                f"init has {params.n_components} components but n_components is {n_components}"
            )
    history, log_likelihoods, objectives = [params], [], []

    def record(params):  # l and the objective; returns log pi_k + log p(x_i | mu_k)
        log_terms = _log_terms(X, params)
        value = float(_logsumexp_rows(log_terms).sum())
        log_likelihoods.append(value)
        objectives.append(value + _log_prior(params.means, a, b))
        return log_terms

    def result(converged):
        return BernoulliResult(
            history[-1], tuple(history), np.array(log_likelihoods), np.array(objectives),
            len(history) - 1, converged, a, b,
        )  # fmt: skip

    small = n_samples * X.shape[1] * n_components <= _kernels.SMALL_PRODUCT
    with _kernels.one_blas_thread() if small else contextlib.nullcontext():
        log_terms = record(params)
        converged = False
        for iteration in range(1, max_iter + 1):
            resp = np.exp(log_terms - _logsumexp_rows(log_terms)[:, np.newaxis])  # E-step
            try:
                params = _m_step(X, resp, a, b)
            except ComponentCollapseError as error:
                raise _collapse(error.nk, error.component, iteration, result(False)) from None
            history.append(params)
            log_terms = record(params)
            change = abs(objectives[-1] - objectives[-2])
            if math.isfinite(change) and change / n_samples < tol:
                converged = True
                break
    return result(converged)


# -- data ----------------------------------------------------------------------------------


def load_binary_digits(threshold=8):
    r"""scikit-learn's 1797 handwritten digits (8 x 8 pixels), each pixel on or off.

    .. math::

        x_{id} = 1 \text{ if grey level}_{id} \ge \text{threshold, else } 0

    The grey levels run from 0 to 16. The values are those of
    ``sklearn.datasets.load_digits()`` (``data`` and ``target``), read from the file that
    scikit-learn ships, without importing scikit-learn (which takes over a second).

    Parameters
    ----------
    threshold : int, default 8
        The grey level from which a pixel is on, from 1 to 16.

    Returns
    -------
    gmmlab.datasets.Dataset
        ``X`` of shape (1797, 64) with values 0.0 and 1.0 (pixel d = 8 r + c is row r,
        column c), ``labels`` the digits 0 to 9, ``feature_names`` "pixel (r, c)",
        ``label_names`` "0" to "9".

    Raises
    ------
    TypeError, ValueError
        If ``threshold`` is not an integer from 1 to 16.
    FileNotFoundError
        If scikit-learn is not installed.

    Examples
    --------
    >>> digits = load_binary_digits()
    >>> digits.X.shape, sorted(set(digits.X.ravel().tolist())), digits.labels[:5].tolist()
    ((1797, 64), [0.0, 1.0], [0, 1, 2, 3, 4])
    """
    import gzip
    import importlib.util
    import os

    from .datasets import Dataset

    threshold = ensure_int(threshold, "threshold", minimum=1, maximum=16)
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "load_binary_digits needs scikit-learn's digits file: install scikit-learn"
        )
    path = os.path.join(spec.submodule_search_locations[0], "datasets", "data", "digits.csv.gz")
    with gzip.open(path, "rt") as file:
        table = np.loadtxt(file, delimiter=",")
    X = (table[:, :-1] >= threshold).astype(float)
    return Dataset(
        X,
        table[:, -1].astype(int),
        tuple(f"pixel ({d // 8}, {d % 8})" for d in range(64)),
        tuple(str(digit) for digit in range(10)),
    )


# -- the math, on clean input ----------------------------------------------------------------


def _safe_log(p):
    """log p with log 0 = -inf and no warning."""
    with np.errstate(divide="ignore"):
        return np.log(p)


def _log_bernoulli_pmf(X, means):
    """(N, K) log p(x_i | mu_k) for clean X and means; exact -inf where a pixel is impossible."""
    log_on, log_off = _safe_log(means), _safe_log(1.0 - means)
    # log p = sum_d x_d (log mu_d - log(1 - mu_d)) + sum_d log(1 - mu_d): one product
    zero, one = np.isneginf(log_on), np.isneginf(log_off)
    if not (zero.any() or one.any()):
        return X @ (log_on - log_off).T + log_off.sum(axis=1)
    finite_on, finite_off = np.where(zero, 0.0, log_on), np.where(one, 0.0, log_off)
    result = X @ (finite_on - finite_off).T + finite_off.sum(axis=1)
    impossible = (X @ zero.T.astype(float) + (1.0 - X) @ one.T.astype(float)) > 0
    result[impossible] = -np.inf
    return result


def _log_terms(X, params):
    """(N, K) log pi_k + log p(x_i | mu_k)."""
    return _safe_log(params.weights) + _log_bernoulli_pmf(X, params.means)


def _logsumexp_rows(a):
    largest = a.max(axis=1)
    shift = np.where(np.isfinite(largest), largest, 0.0)
    with np.errstate(divide="ignore"):
        return shift + np.log(np.exp(a - shift[:, np.newaxis]).sum(axis=1))


def _m_step(X, resp, a, b):
    nk = resp.sum(axis=0)
    _check_collapse(nk)
    # N_k mu_kd split into the weight on the points with the pixel on and the weight on those
    # with it off: mu_kd = on / (on + off) is exactly 0 or 1 when, and only when, one of the
    # two is exactly 0 (every weight there is 0), whatever order BLAS adds in. Dividing by
    # nk instead left 1 - 1e-16 or 1 depending on the processor and its thread count.
    on = resp.T @ X
    off = resp.T @ (1.0 - X)
    means = (on + (a - 1.0)) / (on + off + (a + b - 2.0))
    return BernoulliParams(nk / X.shape[0], np.clip(means, 0.0, 1.0))


def _log_prior(means, a, b):
    total = -means.size * (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    if a != 1.0:
        total += (a - 1.0) * float(_safe_log(means).sum())
    if b != 1.0:
        total += (b - 1.0) * float(_safe_log(1.0 - means).sum())
    return total


def _initialize(X, n_components, rng):
    chosen = rng.choice(X.shape[0], size=n_components, replace=False)
    means = 0.2 + 0.5 * X[chosen] + rng.uniform(0.0, 0.1, size=(n_components, X.shape[1]))
    return BernoulliParams(np.full(n_components, 1.0 / n_components), means)


def _check_collapse(nk, iteration=None, result=None):
    """Raise ComponentCollapseError for the first component with N_k < MIN_NK (the one rule)."""
    empty = np.flatnonzero(nk < MIN_NK)
    if empty.size:
        raise _collapse(nk, int(empty[0]), iteration, result)


def _collapse(nk, component, iteration=None, result=None):
    reason = (
        f"component {component} of the Bernoulli mixture has N_{component} = "
        f"{nk[component]:.3g} points (below {MIN_NK:g}): it describes no image"
    )
    where = "" if iteration is None else f"in EM iteration {iteration}: "
    error = ComponentCollapseError(
        f"{where}{reason}. Lower n_components, or try another seed.",
        result,
        reason=reason,
        empty=True,
        component=component,
        iteration=iteration,
    )
    error.nk = np.array(nk, dtype=float)
    return error


# -- validation at the boundary ----------------------------------------------------------------


def _check_binary_X(X, name="X"):
    """X as a float array of shape (N, D) whose every value is 0 or 1."""
    X = ensure_X(X, name)
    bad = (X != 0.0) & (X != 1.0)
    if bad.any():
        i, d = (int(j) for j in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must be binary (every value 0 or 1, e.g. images thresholded with "
            f"X > t); {name}[{i}, {d}] = {X[i, d]:.6g} ({int(bad.sum())} values are not 0 or 1)"
        )
    return X


def _check_probabilities(means, name):
    """(K, D) probabilities, each in [0, 1]."""
    means = as_float_array(means, name)
    if means.ndim != 2 or 0 in means.shape:
        raise ValueError(
            f"{name} must be 2-D (n_components, n_features), non-empty, got shape {means.shape}"
        )
    ensure_finite(means, name)
    bad = (means < 0.0) | (means > 1.0)
    if bad.any():
        k, d = (int(j) for j in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must be probabilities, each in [0, 1]; {name}[{k}, {d}] = {means[k, d]:.6g}"
        )
    return means


def _check_weights(weights, name):
    weights = as_float_array(weights, name)
    if weights.ndim != 1 or weights.size == 0:
        raise ValueError(
            f"{name} must be 1-D (n_components,), non-empty, got shape {weights.shape}"
        )
    ensure_finite(weights, name)
    if (weights < 0).any():
        raise ValueError(f"{name} must be non-negative, got {weights}")
    if abs(weights.sum() - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"{name} must sum to 1, got a sum of {weights.sum():.6g}")
    return weights


def _check_params(params, n_features=None, name="params"):
    if not isinstance(params, BernoulliParams):
        raise TypeError(
            f"{name} must be a gmmlab.bernoulli.BernoulliParams, got {type(params).__name__}"
        )
    if n_features is not None and params.n_features != n_features:
        raise ValueError(
            f"X has {n_features} feature(s) but {name} describes {params.n_features}: "
            "use the same pixels for both"
        )
    return params


def _check_features(X, n_features, name):
    if X.shape[1] != n_features:
        raise ValueError(
            f"X has {X.shape[1]} feature(s) but {name} has {n_features}: use the same pixels"
        )


def _check_prior(a, b):
    a = ensure_float(a, "a", minimum=1.0)
    b = ensure_float(b, "b", minimum=1.0)
    return a, b


def _check_data_and_params(X, params):
    X = _check_binary_X(X)
    params = _check_params(params, n_features=X.shape[1])
    return X, params
