r"""Expectation-Maximization for Gaussian mixtures, step by step.

Every public function here is one formula of the course:

* :func:`log_gaussian_pdf` -- :math:`\log \mathcal{N}(x \mid \mu, \Sigma)`
* :func:`mixture_pdf` -- :math:`p(x) = \sum_k \pi_k \mathcal{N}(x \mid \mu_k, \Sigma_k)`
* :func:`log_mixture_pdf` -- :math:`\log p(x_i)`, one value per point
* :func:`log_likelihood` -- :math:`\ell(\theta) = \sum_i \log p(x_i)`
* :func:`e_step` -- the responsibilities :math:`\gamma_{ik}`
* :func:`m_step` -- the updates of :math:`N_k, \pi_k, \mu_k, \Sigma_k`
* :func:`lower_bound` -- :math:`B(\theta' \mid \theta)`, the bound the M-step maximises
* :func:`expected_statistics` -- an E-step reduced to the sums the M-step needs
* :func:`fit` -- E-step, M-step, repeat, recording every iteration.

How the numbers are computed
----------------------------
Densities are handled as logarithms throughout: a point a few dozen standard
deviations from every component has a density that underflows to 0.0 in
floating point, while its logarithm is an ordinary number. Sums of densities
are then taken with the log-sum-exp trick. Covariances are used only through
their Cholesky factors :math:`\Sigma = L L^\top`: no covariance is ever
inverted and no determinant is computed directly. A point so far away that
even the logarithm of its density is beyond the floating-point range (more
than about :math:`10^{154}` standard deviations) still gets responsibilities:
all of it goes to the component it is fewest standard deviations from.

How the work is organised
-------------------------
Each function here checks its arguments, then computes its formula with the kernels of
:mod:`gmmlab._kernels`, which every path shares (in memory, in chunks, on Dask, online):
the data are processed in chunks of rows of about 4 MB of working memory, and
:func:`fit` never holds the (N, K) responsibilities of all points: each chunk's E-step
is reduced at once to the chunk's sufficient statistics (:mod:`gmmlab.statistics`),
which add up over chunks. This bounds the memory (``chunk_size``), lets two chunks run
at once on two cores, and the same reduction runs EM on a Dask cluster
(:mod:`gmmlab.scale`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Mapping

import numpy as np

from . import _kernels
from ._docstring import fill_doc
from ._kernels import ensure_data_and_params, ensure_single_gaussian
from ._validation import (
    as_float_array,
    ensure_choice,
    ensure_chunk_size,
    ensure_float,
    ensure_int,
    ensure_n_components,
    ensure_resp,
    ensure_seed,
    ensure_X_to_fit,
    is_dask_array,
)
from .params import COVARIANCE_TYPES, MixtureParams, ensure_params, frozen_array
from .statistics import (
    MIN_NK,
    ComponentCollapseError,
    SufficientStatistics,
    floor_advice,
    params_from_statistics,
)

#: The initialisation methods :func:`initialize` knows.
INIT_METHODS = ("kmeans++", "kmeans", "random")

#: A start is computed from at most this many rows: all of them when N is smaller,
#: else a uniform random sample (as scikit-learn's MiniBatchKMeans does with init_size).
INIT_SAMPLE_SIZE = 1_000_000

__all__ = [
    "INIT_METHODS",
    "INIT_SAMPLE_SIZE",
    "MIN_NK",
    "ComponentCollapseError",
    "EMResult",
    "e_step",
    "expected_statistics",
    "fit",
    "hard_assign",
    "initialize",
    "log_gaussian_pdf",
    "log_likelihood",
    "log_mixture_pdf",
    "lower_bound",
    "m_step",
    "mahalanobis",
    "mixture_pdf",
    "weighted_densities",
]


# -- densities -------------------------------------------------------------


@fill_doc
def log_gaussian_pdf(X, mean, cov):
    r"""Log-density of one Gaussian at each point.

    .. math::

        \log \mathcal{N}(x \mid \mu, \Sigma) = -\tfrac12 \left( D \log 2\pi
        + \log\det\Sigma + (x - \mu)^\top \Sigma^{-1} (x - \mu) \right)

    computed through the Cholesky factor :math:`\Sigma = L L^\top`: the
    squared Mahalanobis distance is :math:`\lVert L^{-1}(x - \mu) \rVert^2`
    and :math:`\log\det\Sigma = 2 \sum_d \log L_{dd}`.

    %(Parameters: X)s
    mean : array-like of shape (D,)
        :math:`\mu`, finite.
    cov : array-like of shape (D, D), or a scalar variance when D = 1
        :math:`\Sigma`, symmetric positive definite.

    Returns
    -------
    ndarray of shape (N,)
        :math:`\log \mathcal{N}(x_i \mid \mu, \Sigma)` for each point; ``-inf`` for a
        point more than about :math:`10^{154}` standard deviations away, whose
        log-density is below the floating-point range (-inf is its nearest float).

    %(Raises: not_real)s
    ValueError
        If X, mean or cov holds NaN or inf, the shapes disagree, or ``cov`` is not
        symmetric positive definite.

    Examples
    --------
    >>> float(log_gaussian_pdf([0.0], mean=[0.0], cov=[[1.0]])[0])  # -log(2 pi)/2
    -0.9189385332046727
    """
    X, params = ensure_single_gaussian(X, mean, cov)  # a mixture of one: p(x) = N(x | mu, Sigma)
    return _kernels.log_mixture_pdf(X, params)


@fill_doc
def mahalanobis(X, mean, cov):
    r"""Mahalanobis distance of each point from a Gaussian's mean.

    .. math::

        d(x) = \sqrt{(x - \mu)^\top \Sigma^{-1} (x - \mu)} = \lVert L^{-1}(x - \mu) \rVert,
        \qquad \Sigma = L L^\top

    the number of standard deviations between x and the mean, measured along
    the Gaussian's own axes. The ellipse drawn for "n standard deviations" is
    the set of points with :math:`d(x) = n`.

    %(Parameters: X)s
    mean : array-like of shape (D,)
    cov : array-like of shape (D, D), or a scalar variance when D = 1
        Symmetric positive definite.

    Returns
    -------
    ndarray of shape (N,)
        Finite wherever the distance is (up to about 1.8e308), even when its square
        is not: the points are scaled by a power of two before the triangular solve.

    Raises
    ------
    TypeError, ValueError
        As :func:`log_gaussian_pdf`.

    Examples
    --------
    >>> mahalanobis([[2.0, 0.0]], mean=[0.0, 0.0], cov=[[4.0, 0.0], [0.0, 1.0]])
    array([1.])
    """
    X, params = ensure_single_gaussian(X, mean, cov)
    norm, exponent = _kernels.scaled_mahalanobis(X, params.means[0], params.cholesky[0])
    with np.errstate(over="ignore"):  # a distance beyond 1.8e308 is inf, its nearest float
        return np.ldexp(norm, exponent)


@fill_doc
def mixture_pdf(X, params):
    r"""Density of the mixture at each point.

    .. math:: p(x) = \sum_{k=0}^{K-1} \pi_k \, \mathcal{N}(x \mid \mu_k, \Sigma_k)

    %(Parameters: X, params)s

    Returns
    -------
    ndarray of shape (N,)
        :math:`p(x_i)`. Far from every component this underflows to 0; use
        :func:`log_mixture_pdf` (which works in logs) to score such points.

    %(Raises: malformed_X_params)s

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    >>> mixture_pdf([0.0], params).round(4)
    array([0.242])
    """
    X, params = ensure_data_and_params(X, params)
    return np.exp(_kernels.log_mixture_pdf(X, params))


@fill_doc
def log_mixture_pdf(X, params):
    r"""Log-density of the mixture at each point, computed with log-sum-exp.

    .. math::

        \log p(x_i) = \log \sum_{k=0}^{K-1} \pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)
        = m_i + \log \sum_k \exp(a_{ik} - m_i)

    with :math:`a_{ik} = \log \pi_k + \log \mathcal{N}(x_i \mid \mu_k, \Sigma_k)` and
    :math:`m_i = \max_k a_{ik}`: the largest term becomes :math:`e^0 = 1`, so the sum can
    neither underflow to 0 nor overflow. This is scikit-learn's ``score_samples``; its
    sum over the points is :func:`log_likelihood`, and its mean is ``score``.

    %(Parameters: X, params)s

    Returns
    -------
    ndarray of shape (N,)
        :math:`\log p(x_i)`: finite, except ``-inf`` for a point more than about
        :math:`10^{154}` standard deviations from every component, whose log-density is
        below the floating-point range.

    %(Raises: malformed_X_params)s

    Examples
    --------
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> log_mixture_pdf([0.0, 1e10], params)     # a density of 0.0, but a log-density
    array([-9.18938533e-01, -5.00000000e+19])
    """
    X, params = ensure_data_and_params(X, params)
    return _kernels.log_mixture_pdf(X, params)


@fill_doc
def weighted_densities(X, params):
    r"""Each component's weighted density at each point: the terms of the mixture.

    .. math:: \pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)

    Summed over k they give :func:`mixture_pdf`; divided by that sum they give
    the responsibilities of :func:`e_step`. Far from a component its term
    underflows to 0.

    %(Parameters: X, params)s

    Returns
    -------
    ndarray of shape (N, K)

    %(Raises: malformed_X_params)s

    Examples
    --------
    >>> params = MixtureParams([0.25, 0.75], [0.0, 0.0], [1.0, 1.0])
    >>> weighted_densities([0.0], params).round(4)
    array([[0.0997, 0.2992]])
    """
    X, params = ensure_data_and_params(X, params)
    return _kernels.weighted_densities(X, params)


@fill_doc
def log_likelihood(X, params):
    r"""Log-likelihood of the data under the mixture.

    .. math::

        \ell(\theta) = \log \prod_{i=1}^{N} p(x_i)
        = \sum_{i=1}^{N} \log \sum_{k=0}^{K-1} \pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)

    The inner sum is taken with log-sum-exp (see :func:`log_mixture_pdf`), so points
    far from every component (whose density underflows to 0) still give a finite answer.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1; or a 2-D dask array
        The points, finite. A dask array chunked along rows is reduced block by block
        where its blocks live, each block to one number (see :mod:`gmmlab.scale`).
    %(params)s

    Returns
    -------
    float
        :math:`\ell(\theta)`, the total over all N points (divide by N for
        scikit-learn's ``score``).

    Raises
    ------
    TypeError, ValueError
        If X is malformed or ``params`` is not a MixtureParams with D features; and a
        ValueError naming X if a point is so far from every component (about
        :math:`10^{154}` standard deviations) that :math:`\ell` is below the
        floating-point range.

    Examples
    --------
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(log_likelihood([0.0, 0.0], params), 4)   # 2 * log N(0 | 0, 1)
    -1.8379
    """
    if is_dask_array(X):
        from .scale import check_dask_X, dask_log_likelihood

        params = ensure_params(params)
        X = check_dask_X(X, to_fit=False)
        return dask_log_likelihood(X, ensure_params(params, n_features=X.shape[1]))
    X, params = ensure_data_and_params(X, params)
    log_px = _kernels.log_mixture_pdf(X, params)  # log p(x_i), with log-sum-exp
    total = float(log_px.sum())
    if not math.isfinite(total):
        _kernels.refuse_beyond_range(X, params, log_px, "the log-likelihood")
    return total


# -- the two steps ---------------------------------------------------------


@fill_doc
def e_step(X, params):
    r"""E-step: the responsibility of each component for each point.

    .. math::

        \gamma_{ik} = \frac{\pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}
                           {\sum_{j=0}^{K-1} \pi_j \, \mathcal{N}(x_i \mid \mu_j, \Sigma_j)}

    the share of point i's density that component k explains. It is computed
    in log space, so each row sums to 1 even for points so far away that
    every density underflows to 0. For a point more than about
    :math:`10^{154}` standard deviations from every component, whose
    log-densities are beyond the floating-point range too, the ratio is its
    limit: 1 for the component it is fewest standard deviations from.

    %(Parameters: X, params)s

    %(Returns: resp_returned)s

    Raises
    ------
    TypeError, ValueError
        If X holds NaN/inf or its feature count differs from ``params``.

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    >>> e_step([0.0, 1.0], params).round(3)
    array([[0.5  , 0.5  ],
           [0.119, 0.881]])
    """
    X, params = ensure_data_and_params(X, params)
    # gamma_ik = exp(a_ik - log p(x_i)) with a_ik = log pi_k + log N(x_i | mu_k, Sigma_k)
    # and log p(x_i) = log sum_k exp(a_ik), taken with log-sum-exp, chunk by chunk
    return _kernels.e_step(X, params)


@fill_doc
def m_step(X, resp, reg_covar=1e-6, covariance_type="full"):
    r"""M-step: new parameters from the points, weighted by responsibility.

    .. math::

        N_k = \sum_{i=1}^{N} \gamma_{ik}, \qquad
        \pi_k = \frac{N_k}{N}, \qquad
        \mu_k = \frac{1}{N_k} \sum_{i=1}^{N} \gamma_{ik}\, x_i,

        \Sigma_k = \frac{1}{N_k} \sum_{i=1}^{N} \gamma_{ik}
                   (x_i - \mu_k)(x_i - \mu_k)^\top + \varepsilon I

    where :math:`\varepsilon` is ``reg_covar``, a small floor (as in
    scikit-learn) that keeps a covariance from collapsing onto a single point.
    With a restricted ``covariance_type`` the weighted scatter matrix above is
    reduced before :math:`\varepsilon I` is added: "diag" keeps its diagonal,
    "spherical" the mean of that diagonal times :math:`I`, and "tied" shares
    :math:`\sum_k \frac{N_k}{N}\Sigma_k` among all components.

    This is :func:`~gmmlab.params_from_statistics` of
    :func:`~gmmlab.sufficient_statistics`: the data enter only through the three
    sums per component.

    %(Parameters: X_to_fit)s
    resp : array-like of shape (N, K)
        Responsibilities :math:`\gamma_{ik}`: non-negative, rows summing to 1.
    %(reg_covar)s
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"

    Returns
    -------
    MixtureParams
        The updated parameters, with covariances as full (K, D, D) matrices
        whatever ``covariance_type`` is.

    Raises
    ------
    TypeError, ValueError
        If the arguments are malformed, or X is beyond 1e150 in magnitude.
    ComponentCollapseError
        If a component has (almost) no points, :math:`N_k < 10^{-10}`, or its
        covariance is singular, to within rounding at its own scale, even after adding
        ``reg_covar`` (the rule of :func:`gmmlab.statistics.check_collapse`).

    Examples
    --------
    >>> m_step([0.0, 2.0, 10.0], [[1, 0], [1, 0], [0, 1]]).means
    array([[ 1.],
           [10.]])
    """
    X = ensure_X_to_fit(X)
    resp = ensure_resp(resp, n_samples=X.shape[0])
    reg_covar = ensure_float(reg_covar, "reg_covar", minimum=0.0)
    covariance_type = ensure_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    # N_k, mean and scatter of the points weighted by gamma_ik (the sufficient statistics)
    statistics = SufficientStatistics(*_kernels.statistics_of_rows(X, resp))
    # pi_k = N_k / N, mu_k = their mean, Sigma_k = their scatter + eps I
    return params_from_statistics(statistics, reg_covar, covariance_type)


@fill_doc
def lower_bound(X, params, resp):
    r"""The lower bound on the log-likelihood that the M-step maximises.

    .. math::

        B(\theta' \mid \theta) = \sum_{i=1}^{N} \sum_{k=0}^{K-1} \gamma_{ik}
            \log \frac{\pi'_k \, \mathcal{N}(x_i \mid \mu'_k, \Sigma'_k)}{\gamma_{ik}}
            \;\le\; \ell(\theta')

    for parameters :math:`\theta'` (``params``) and responsibilities
    :math:`\gamma_{ik}` computed under some :math:`\theta` (``resp``). Jensen's
    inequality gives :math:`B \le \ell(\theta')` for any :math:`\theta'`, with equality
    at :math:`\theta' = \theta` when ``resp = e_step(X, θ)``; the M-step (with
    ``reg_covar=0``) is the :math:`\theta'` that maximises :math:`B`. Together: EM never
    decreases :math:`\ell`. Terms with :math:`\gamma_{ik} = 0` count as 0
    (:math:`0 \log 0 = 0`).

    %(Parameters: X, params_new, resp)s

    Returns
    -------
    float
        :math:`B(\theta' \mid \theta)`; ``-inf`` when a point has
        :math:`\gamma_{ik} > 0` for a component with :math:`\pi'_k = 0`.

    Raises
    ------
    TypeError, ValueError
        If the arguments are malformed or their shapes disagree; and a ValueError
        naming X if a point is so far from a component it belongs to (about
        :math:`10^{154}` standard deviations) that :math:`B` is below the
        floating-point range.

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    >>> X = [-1.5, 0.0, 2.0]
    >>> bound = lower_bound(X, params, e_step(X, params))
    >>> round(bound, 10) == round(log_likelihood(X, params), 10)
    True
    """
    X, params = ensure_data_and_params(X, params)
    resp = ensure_resp(resp, n_samples=X.shape[0], n_components=params.n_components)
    # sum_ik gamma_ik (log pi'_k N(x_i | mu'_k, Sigma'_k) - log gamma_ik), chunk by chunk
    total = _kernels.lower_bound(X, params, resp)
    if not math.isfinite(total):
        impossible = (resp > 0) & (params.weights == 0)
        if impossible.any():  # log(pi'_k) = log 0: the bound really is -inf
            return -math.inf
        log_px = _kernels.log_mixture_pdf(X, params)
        _kernels.refuse_beyond_range(X, params, log_px, "the lower bound")
    return total


def hard_assign(resp):
    r"""Turn soft memberships into hard labels: :math:`z_i = \arg\max_k \gamma_{ik}`.

    Parameters
    ----------
    resp : array-like of shape (N, K)
        Responsibilities: non-negative, rows summing to 1.

    Returns
    -------
    ndarray of shape (N,)
        The most responsible component of each point (ties go to the lower k).

    Raises
    ------
    TypeError, ValueError
        If ``resp`` is not such an array.

    Examples
    --------
    >>> hard_assign([[0.2, 0.8], [0.6, 0.4]])
    array([1, 0])
    """
    return np.argmax(ensure_resp(resp), axis=1)


def expected_statistics(X, params, chunk_size=None):
    r"""One E-step, reduced to the sufficient statistics the next M-step needs.

    For each chunk of rows of X: the responsibilities under :math:`\theta`
    (:func:`e_step`), at once reduced to the chunk's :math:`N_k`,
    :math:`\sum_i \gamma_{ik} x_i` and :math:`\sum_i \gamma_{ik} x_i x_i^\top`
    (:func:`~gmmlab.sufficient_statistics`); the chunks' statistics are added. The
    (N, K) responsibilities of all points are never held at once. The same pass
    gives :math:`\ell(\theta)`. One EM iteration is then::

        statistics, log_likelihood = expected_statistics(X, params)
        params = params_from_statistics(statistics)

    Parameters
    ----------
    X : array-like of shape (N, D), or a 2-D dask array chunked along rows
        The points, finite, with magnitudes up to 1e150. A dask array is processed
        block by block on its scheduler (see :mod:`gmmlab.scale`).
    params : MixtureParams
        :math:`\theta`, with D features.
    chunk_size : int or None, default None
        Rows per chunk of an in-memory X; None picks a size whose working arrays take
        about 4 MB. Must be None for a dask array, whose blocks are the chunks.

    Returns
    -------
    statistics : SufficientStatistics
        Equal, up to rounding, for every chunk size.
    log_likelihood : float
        :math:`\ell(\theta)`; ``-inf`` if a point lies beyond the floating-point range
        of every component (see :func:`e_step`).

    Raises
    ------
    TypeError, ValueError
        If the arguments are malformed.

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [0.0, 5.0], [1.0, 1.0])
    >>> X = [0.1, -0.3, 5.2, 4.9, 5.1]
    >>> statistics, _ = expected_statistics(X, params, chunk_size=2)
    >>> statistics.nk.round(3)
    array([2., 3.])
    """
    on_dask = is_dask_array(X)
    chunk_size = ensure_chunk_size(chunk_size)
    if on_dask and chunk_size is not None:
        raise ValueError(_DASK_CHUNK_SIZE_MESSAGE)
    X = _check_X_to_fit(X)
    params = ensure_params(params, n_features=X.shape[1])
    if on_dask:
        from .scale import dask_expected_statistics

        return dask_expected_statistics(X, params)
    arrays, log_likelihood_value = _kernels.expected_statistics(X, params, chunk_size)
    return SufficientStatistics(*arrays), log_likelihood_value


_DASK_CHUNK_SIZE_MESSAGE = (
    "chunk_size applies to in-memory arrays; a dask array is processed block by block: "
    "leave chunk_size=None and choose the blocks with X.rechunk({0: rows})"
)


# -- the whole algorithm ---------------------------------------------------


@fill_doc
def initialize(
    X,
    n_components,
    method="kmeans++",
    seed=None,
    *,
    reg_covar=1e-6,
    covariance_type="full",
):
    """Starting parameters for EM.

    Every method first chooses responsibilities, then runs one
    :func:`m_step` on them:

    * ``"kmeans++"``: k-means++ seeding picks K spread-out data points as
      centres; each point belongs wholly to its nearest centre.
    * ``"kmeans"``: the same, with the centres refined by a full k-means run
      (scikit-learn's default start).
    * ``"random"``: each point's responsibilities are drawn uniformly at
      random, then normalised to sum to 1.

    On more than ``INIT_SAMPLE_SIZE`` (1,000,000) rows, the start is computed from a
    uniform random sample of that many rows, drawn with ``seed``: a start needs no
    more, and its cost and memory stay bounded (scikit-learn's MiniBatchKMeans does the
    same with ``init_size``). A dask array is sampled the same way, so the same seed
    gives the same start in memory and on a cluster.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1; or a 2-D dask array
        The points, finite, with magnitudes up to 1e150.
    %(n_components)s
    method : {"kmeans++", "kmeans", "random"}, default "kmeans++"
    seed : int >= 0, numpy.random.Generator or None
        The same seed gives the same start.
    reg_covar : float, default 1e-6
        >= 0; see :func:`m_step`.
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"

    Returns
    -------
    MixtureParams

    %(Raises: malformed)s
    ComponentCollapseError
        If the start already has an empty or singular component; the message says
        what in the data caused it (for example fewer distinct points than
        components).

    Examples
    --------
    >>> params = initialize([0.0, 0.1, 5.0, 5.2], 2, seed=0)
    >>> sorted(params.means[:, 0].round(2).tolist())
    [0.05, 5.1]
    """
    method = ensure_choice(method, "method", INIT_METHODS)
    X = _check_X_to_fit(X)
    n_components = ensure_n_components(n_components, X.shape[0])
    reg_covar = ensure_float(reg_covar, "reg_covar", minimum=0.0)
    covariance_type = ensure_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    rng = ensure_seed(seed)
    return _initialize(X, n_components, method, rng, reg_covar, covariance_type)


def _initialize(X, n_components, method, rng, reg_covar, covariance_type, method_name="method"):
    """initialize for clean arguments; ``method_name`` is the caller's name for ``method``."""
    sample = _start_sample(X, rng)
    resp = _kernels.initial_resp(sample, n_components, method, rng)
    try:
        arrays = _kernels.statistics_of_rows(sample, resp)
        statistics = SufficientStatistics._from_kernels(*arrays)
        return params_from_statistics(statistics, reg_covar, covariance_type)
    except ComponentCollapseError as error:
        cause = _data_diagnosis(sample, n_components)
        if cause:
            advice = f"The cause is in the data: {cause}"
        elif error.empty:
            advice = f"Try another seed, or {method_name}='random'."
        else:
            advice = floor_advice(reg_covar)
        context = f"at initialisation ({method_name}={method!r})"
        raise error.in_context(context, advice, iteration=0) from None


def _start_sample(X, rng):
    """The rows a start is computed from: all of X up to INIT_SAMPLE_SIZE rows, else a
    uniform random sample of that many (in their order), drawn with ``rng``."""
    n_samples = X.shape[0]
    if n_samples <= INIT_SAMPLE_SIZE:
        rows = slice(None)
    else:
        rows = np.sort(rng.choice(n_samples, size=INIT_SAMPLE_SIZE, replace=False))
    if is_dask_array(X):
        from .scale import gather_rows

        return gather_rows(X, rows)
    return X[rows]


def _check_X_to_fit(X):
    """X to fit: a checked in-memory array, or a checked and persisted dask array."""
    if is_dask_array(X):
        from .scale import check_dask_X

        return check_dask_X(X)
    return ensure_X_to_fit(X)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class EMResult:
    """What a run of :func:`fit` found, and how it got there.

    Immutable like :class:`MixtureParams`: copies, deep copies and pickles are rebuilt
    through the constructor and stay read-only.

    Attributes
    ----------
    params : MixtureParams
        The final parameters (the last entry of ``history``).
    history : tuple of MixtureParams
        The parameters after each iteration, the initial ones first:
        ``history[t]`` is :math:`\\theta^{(t)}`.
    log_likelihoods : ndarray of shape (len(history),)
        :math:`\\ell(\\theta^{(t)})` for each entry of ``history``; ``-inf`` for a
        start under which a point lies beyond the floating-point range of every
        component (EM then moves a component to it).
    n_iter : int
        Number of EM iterations run (``len(history) - 1``).
    converged : bool
        Whether the per-sample log-likelihood changed by less than ``tol``.

    Raises
    ------
    TypeError, ValueError
        If built by hand from fields that disagree: ``params`` must be the last of
        ``history`` (MixtureParams), with one log-likelihood (no NaN) per entry and
        ``n_iter = len(history) - 1``.
    """

    params: MixtureParams
    history: tuple
    log_likelihoods: np.ndarray
    n_iter: int
    converged: bool

    def __post_init__(self):
        history = tuple(self.history)
        if not history or not all(isinstance(p, MixtureParams) for p in history):
            raise TypeError("history must be a non-empty sequence of gmmlab.MixtureParams")
        if self.params is not history[-1]:
            raise ValueError("params must be the last entry of history")
        log_likelihoods = as_float_array(self.log_likelihoods, "log_likelihoods")
        if log_likelihoods.shape != (len(history),):
            raise ValueError(
                f"log_likelihoods must have one value per entry of history ({len(history)}), "
                f"got shape {log_likelihoods.shape}"
            )
        if np.isnan(log_likelihoods).any():
            raise ValueError("log_likelihoods must not hold NaN")
        n_iter = ensure_int(self.n_iter, "n_iter", minimum=0)
        if n_iter != len(history) - 1:
            raise ValueError(f"n_iter must be len(history) - 1 = {len(history) - 1}, got {n_iter}")
        object.__setattr__(self, "history", history)
        object.__setattr__(self, "log_likelihoods", frozen_array(log_likelihoods))
        object.__setattr__(self, "n_iter", n_iter)
        object.__setattr__(self, "converged", bool(self.converged))

    def __reduce__(self):  # copies and pickles go through the checks: read-only again
        fields = (self.params, self.history, self.log_likelihoods, self.n_iter, self.converged)
        return (type(self), fields)

    def permute(self, order):
        """The same run with its components renumbered in every iteration: new k = old order[k].

        ``order`` and its errors are those of :meth:`MixtureParams.permute`, applied to
        each entry of ``history``; returns an EMResult.
        """
        history = tuple(params.permute(order) for params in self.history)
        return dataclasses.replace(self, params=history[-1], history=history)

    def aligned_to(self, reference):
        """The same run, renumbered so that its final means match ``reference``'s.

        See :meth:`MixtureParams.aligned_to`; the same renumbering is applied to
        every iteration, so that component k keeps its colour along the run.

        Parameters
        ----------
        reference : MixtureParams, EMResult or array-like of shape (K, D)

        Returns
        -------
        EMResult

        Raises
        ------
        TypeError, ValueError
            As :meth:`MixtureParams.matching_order`.
        """
        return self.permute(self.params.matching_order(reference))

    def __repr__(self):
        return (
            f"EMResult(n_iter={self.n_iter}, converged={self.converged}, "
            f"log_likelihood={self.log_likelihoods[-1]:.6g},\n"
            f"         params={self.params!r})"
        )


def ensure_results(results, n_features, name="results"):
    """A non-empty mapping of K to the ``gmmlab.fit`` result with K components."""
    if not isinstance(results, Mapping) or not results:
        raise TypeError(
            f"{name} must be a non-empty dict mapping K to a gmmlab.EMResult, "
            f"got {type(results).__name__}"
        )
    checked = {}
    for k, result in results.items():
        k = ensure_int(k, f"the keys of {name}", minimum=1)
        if not isinstance(result, EMResult):
            raise TypeError(f"{name}[{k}] must be a gmmlab.EMResult, got {type(result).__name__}")
        if result.params.n_components != k or result.params.n_features != n_features:
            raise ValueError(
                f"{name}[{k}] must be a fit with {k} components and {n_features} feature(s), "
                f"got {result.params.n_components} and {result.params.n_features}"
            )
        checked[k] = result
    return dict(sorted(checked.items()))


def fit(
    X,
    n_components,
    *,
    init="kmeans++",
    n_init=1,
    max_iter=100,
    tol=1e-6,
    reg_covar=1e-6,
    covariance_type="full",
    seed=None,
    chunk_size=None,
):
    r"""Fit a Gaussian mixture with EM, recording every iteration.

    ::

        initialise theta
        repeat
            E-step: gamma_ik = responsibilities under theta
            M-step: theta = updates of N_k, pi_k, mu_k, Sigma_k from gamma
        until the log-likelihood per point changes by less than tol

    With ``reg_covar=0`` no iteration decreases :math:`\ell(\theta)`; with the floor the
    M-step is not exactly the maximiser of the bound, and :math:`\ell` can fall by tiny
    amounts near convergence (lesson 8). EM stops where :math:`\ell` stops changing: a
    stationary point, usually a local maximum, which depends on the start. With
    ``n_init`` > 1 EM runs from that many starts and the run that ends with the highest
    :math:`\ell` is returned, as scikit-learn's ``GaussianMixture(n_init=...)`` does.
    Each E-step is reduced chunk by chunk to the sums the M-step needs
    (:func:`expected_statistics`), so the memory beyond the data stays bounded and the
    result does not depend on the chunks (up to rounding, about 1e-13).

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1; or a 2-D dask array
        The points, finite, with magnitudes up to 1e150. A dask array chunked along
        rows is fitted on its scheduler (for example a ``dask.distributed`` cluster):
        each iteration is one reduction of per-block statistics, and only the
        parameters travel (see :mod:`gmmlab.scale`).
    n_components : int
        K, between 1 and N, chosen in advance.
    init : {"kmeans++", "kmeans", "random"} or MixtureParams, default "kmeans++"
        How to start (see :func:`initialize`), or the parameters to start from.
    n_init : int, default 1
        How many starts to run (>= 1); the run whose final :math:`\ell` is highest is
        returned (the first of them on a tie). With an integer ``seed`` the starts are
        those of ``seed``, ``seed + 1``, ..., ``seed + n_init - 1``, so that start j
        is ``fit(..., seed=seed + j)`` with ``n_init=1``; with a Generator (or None)
        the starts draw from it (from fresh randomness) one after the other, as
        scikit-learn's ``random_state`` does. Needs a method name as ``init``: given
        parameters would start every run at the same place. scikit-learn ranks its
        runs by the :math:`\ell` of its last E-step (one M-step before the end); both
        keep the run that climbed highest. The highest :math:`\ell` can belong to a
        degenerate fit, a component shrunk onto one point or onto tied values (its
        smallest variance equals ``reg_covar``): check the result.
    max_iter : int, default 100
        The most EM iterations to run (0 returns the start); >= 0.
    tol : float, default 1e-6
        Stop when :math:`|\ell(\theta^{(t)}) - \ell(\theta^{(t-1)})| / N < tol`;
        ``tol=0`` runs exactly ``max_iter`` iterations; >= 0.
    reg_covar : float, default 1e-6
        Added to each covariance's diagonal in every M-step (see :func:`m_step`); >= 0.
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"
    seed : int >= 0, numpy.random.Generator or None
        Seed of the initialisation.
    chunk_size : int or None, default None
        Rows of X processed at a time (>= 1). None picks chunks of about 4 MB of
        working memory, which is also the fastest; ``chunk_size=len(X)`` processes all
        rows at once. Must be None for a dask array, whose blocks are the chunks. With
        several chunks, two (one per core) are processed at a time, each with BLAS on
        one thread (threadpoolctl); BLAS's setting is restored when ``fit`` returns.

    Returns
    -------
    EMResult
        ``params``, ``history``, ``log_likelihoods``, ``n_iter``, ``converged``; with
        ``n_init`` > 1, those of the run kept.

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (the message names it), or X is out of range.
    ComponentCollapseError
        If a component collapses (in any of the ``n_init`` runs: the message then
        names the run's seed): it has no points, or a variance within rounding error of
        0 at its own scale (:func:`gmmlab.statistics.check_collapse`, one rule on every
        processor, thread count and path, in memory, in chunks or on Dask). At
        initialisation, the message says what in the data caused it; during EM, its
        ``result`` attribute holds the iterations run until then, and the message says
        what can help (lower ``n_components``, raise ``reg_covar``, another ``seed``).

    Examples
    --------
    >>> result = fit([0.0, 0.2, 0.1, 5.0, 5.3, 5.1], 2, seed=0)
    >>> result.converged, sorted(result.params.means[:, 0].round(2).tolist())
    (True, [0.1, 5.13])

    Three random starts end at different local maxima; ``n_init=3`` keeps the best:

    >>> X = [0.0, 0.3, 0.1, 4.0, 4.4, 5.0, 5.3, 9.0, 9.4, 9.7]
    >>> [round(float(fit(X, 3, init="random", seed=s).log_likelihoods[-1]), 2) for s in (0, 1, 2)]
    [-26.98, -22.3, -12.37]
    >>> round(float(fit(X, 3, init="random", n_init=3, seed=0).log_likelihoods[-1]), 2)
    -12.37
    """
    on_dask = is_dask_array(X)
    chunk_size = ensure_chunk_size(chunk_size)
    if on_dask and chunk_size is not None:
        raise ValueError(_DASK_CHUNK_SIZE_MESSAGE)
    X = _check_X_to_fit(X)  # a dask array is persisted and checked in one pass
    n_samples, n_features = X.shape
    n_components = ensure_n_components(n_components, n_samples)
    max_iter = ensure_int(max_iter, "max_iter", minimum=0)
    tol = ensure_float(tol, "tol", minimum=0.0)
    reg_covar = ensure_float(reg_covar, "reg_covar", minimum=0.0)
    covariance_type = ensure_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    n_init = ensure_int(n_init, "n_init", minimum=1)
    if isinstance(init, MixtureParams):
        start = ensure_params(init, n_features, n_components, name="init")
        if n_init > 1:
            raise ValueError(
                f"n_init={n_init} needs a method name as init ('kmeans++', 'kmeans', "
                "'random'): from the given parameters every run would start at the same "
                "place and end at the same fit. Use n_init=1, or init='random' for random starts."
            )
    elif isinstance(init, str):
        start = ensure_choice(init, "init", INIT_METHODS)
    else:
        raise TypeError(
            "init must be a method name ('kmeans++', 'kmeans', 'random') or a "
            f"gmmlab.MixtureParams, got {type(init).__name__}"
        )
    starts = _start_generators(seed, n_init)

    if on_dask:
        from .scale import dask_expected_statistics

        def expected(params):  # on the blocks, wherever they live
            return dask_expected_statistics(X, params)

        workers = contextlib.nullcontext()  # the cluster's workers do the work
    else:
        n_chunks = len(_kernels.chunks(n_samples, chunk_size, n_features, n_components))
        small = n_chunks == 1 and n_samples < _kernels.SMALL_DATA_ROWS
        workers = _kernels.ChunkWorkers(n_chunks, small=small)

        def expected(params):
            arrays, log_likelihood_value = _kernels.expected_statistics(
                X, params, chunk_size, workers
            )
            return SufficientStatistics._from_kernels(*arrays), log_likelihood_value

    def run(rng):
        if isinstance(start, MixtureParams):
            params = start
        else:
            params = _initialize(
                X, n_components, start, rng, reg_covar, covariance_type, method_name="init"
            )
        return _em(
            X, params, expected, max_iter, tol, reg_covar, covariance_type, diagnose=not on_dask
        )

    with workers:
        return _best_run(run, starts)


def _start_generators(seed, n_init):
    """One (random generator, name) per start.

    An int seed gives the generators of seed, seed + 1, ..., named "seed=...", so that
    each run can be repeated on its own; a Generator (or None: fresh randomness) is
    shared, each start drawing from it in turn, named "start j".
    """
    if seed is None or isinstance(seed, np.random.Generator):
        rng = ensure_seed(seed)
        return [(rng, f"start {j}") for j in range(n_init)]
    seed = ensure_int(seed, "seed", minimum=0)
    return [(np.random.default_rng(seed + j), f"seed={seed + j}") for j in range(n_init)]


def _best_run(run, starts):
    """The EMResult of ``run(rng)``, over the (rng, name) ``starts``, whose final l is
    highest (the first of them on a tie). A collapse in one of several runs is raised
    again with that run's name in front of its message."""
    best = None
    for j, (rng, name) in enumerate(starts):
        try:
            result = run(rng)
        except ComponentCollapseError as error:
            if len(starts) == 1:
                raise
            raise error.in_context(f"run {j + 1} of n_init={len(starts)} ({name})") from None
        if best is None or result.log_likelihoods[-1] > best.log_likelihoods[-1]:
            best = result
    return best


def _em(X, params, expected, max_iter, tol, reg_covar, covariance_type, diagnose):
    """The EM loop of :func:`fit`; ``expected(params)`` is one E-step's statistics and l."""
    n_samples, n_components = X.shape[0], params.n_components
    statistics, log_likelihood_value = expected(params)
    history, log_likelihoods = [params], [log_likelihood_value]
    converged = False
    for iteration in range(1, max_iter + 1):
        try:
            params = params_from_statistics(statistics, reg_covar, covariance_type)
        except ComponentCollapseError as error:
            cause = _data_diagnosis(X, n_components) if diagnose else ""
            if cause:
                advice = f"The cause is in the data: {cause}"
            elif error.empty:
                advice = (
                    "Lower n_components, or try another seed or init: another start may keep "
                    "every component populated."
                )
            else:
                advice = floor_advice(reg_covar)
            partial = _result(history, log_likelihoods, converged=False)
            context = f"in EM iteration {iteration}"
            raise error.in_context(context, advice, iteration=iteration, result=partial) from None
        statistics, log_likelihood_value = expected(params)
        history.append(params)
        log_likelihoods.append(log_likelihood_value)
        change = abs(log_likelihoods[-1] - log_likelihoods[-2])
        if math.isfinite(change) and change / n_samples < tol:
            converged = True
            break
    return _result(history, log_likelihoods, converged)


def _result(history, log_likelihoods, converged):
    return EMResult(
        params=history[-1],
        history=tuple(history),
        log_likelihoods=np.array(log_likelihoods),
        n_iter=len(history) - 1,
        converged=converged,
    )


def _data_diagnosis(X, n_components):
    """What in the data makes a collapse unavoidable, or '' when nothing does."""
    n_samples, n_features = X.shape
    spread = float(np.ptp(X, axis=0).max())
    if 0 < spread < 1e-150:
        return (
            f"X's values differ by at most {spread:.2g}; below about 1e-150 the squares of "
            "such differences underflow to 0 in floating point, so the points look identical "
            f"to EM. Multiply X by a constant (for example {1 / spread:.0e}) first."
        )
    distinct = len(np.unique(X, axis=0))
    if distinct == 1:
        if n_components > 1:
            return (
                f"X's {n_samples} rows are all the same point: n_components={n_components} "
                "components cannot each have points of their own, and a covariance of them is "
                "0, so no seed or init can help. Use n_components=1 and reg_covar > 0 (its "
                "covariance is then reg_covar * I), or data that vary."
            )
        return (
            f"X's {n_samples} rows are all the same point, so their covariance is 0 and no "
            "seed or init can help. Set reg_covar > 0 (the covariance is then reg_covar * I), "
            "or use data that vary."
        )
    if distinct < n_components:
        return (
            f"X's {n_samples} rows hold only {distinct} distinct points, fewer than "
            f"n_components={n_components}, and each component needs points of its own, so "
            f"no seed or init can help. Use n_components <= {distinct}."
        )
    return ""
