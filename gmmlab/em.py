r"""Expectation-Maximization for Gaussian mixtures, step by step.

Every public function here is one formula of the course:

* :func:`log_gaussian_pdf` -- :math:`\log \mathcal{N}(x \mid \mu, \Sigma)`
* :func:`mixture_pdf` -- :math:`p(x) = \sum_k \pi_k \mathcal{N}(x \mid \mu_k, \Sigma_k)`
* :func:`log_likelihood` -- :math:`\ell(\theta) = \sum_i \log p(x_i)`
* :func:`e_step` -- the responsibilities :math:`\gamma_{ik}`
* :func:`m_step` -- the updates of :math:`N_k, \pi_k, \mu_k, \Sigma_k`
* :func:`fit` -- E-step, M-step, repeat, recording every iteration.

How the numbers are computed
----------------------------
Densities are handled as logarithms throughout: a point a few dozen standard
deviations from every component has a density that underflows to 0.0 in
floating point, while its logarithm is an ordinary number. Sums of densities
are then taken with the log-sum-exp trick. Covariances are used only through
their Cholesky factors :math:`\Sigma = L L^\top`: no covariance is ever
inverted and no determinant is computed directly.

Inside, points are stored as the columns of a (D, N) array, and the
responsibilities as a (K, N) array, so that each feature and each component is
one contiguous row of memory. This is what makes :func:`fit` several times
faster than scikit-learn on large data sets; the public functions take and
return the usual (N, D) and (N, K) arrays.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ._validation import (
    as_float_array,
    check_choice,
    check_finite,
    check_float,
    check_int,
    check_n_components,
    check_params,
    check_resp,
    check_seed,
    check_X,
)
from .params import COVARIANCE_TYPES, MixtureParams, NotPositiveDefiniteError

_LOG_2PI = np.log(2.0 * np.pi)

#: Components with fewer effective points than this are considered collapsed.
MIN_NK = 1e-10

#: The initialisation methods :func:`initialize` knows.
INIT_METHODS = ("kmeans++", "kmeans", "random")


class ComponentCollapseError(ValueError):
    """A component lost all its points, or its covariance became singular.

    Raised by :func:`m_step` and :func:`fit`. When raised by :func:`fit`, the
    attribute ``result`` holds the :class:`EMResult` of the iterations run
    before the collapse, so that they can still be plotted.
    """

    def __init__(self, message, result=None):
        super().__init__(message)
        self.result = result


# -- densities -------------------------------------------------------------


def log_gaussian_pdf(X, mean, cov):
    r"""Log-density of one Gaussian at each point.

    .. math::

        \log \mathcal{N}(x \mid \mu, \Sigma) = -\tfrac12 \left( D \log 2\pi
        + \log\det\Sigma + (x - \mu)^\top \Sigma^{-1} (x - \mu) \right)

    computed through the Cholesky factor :math:`\Sigma = L L^\top`: the
    squared Mahalanobis distance is :math:`\lVert L^{-1}(x - \mu) \rVert^2`
    and :math:`\log\det\Sigma = 2 \sum_d \log L_{dd}`.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
        The points.
    mean : array-like of shape (D,)
        :math:`\mu`.
    cov : array-like of shape (D, D), or a scalar variance when D = 1
        :math:`\Sigma`, symmetric positive definite.

    Returns
    -------
    ndarray of shape (N,)
        :math:`\log \mathcal{N}(x_i \mid \mu, \Sigma)` for each point.

    Raises
    ------
    ValueError
        If X holds NaN or inf, the shapes disagree, or ``cov`` is not
        symmetric positive definite.

    Examples
    --------
    >>> float(log_gaussian_pdf([0.0], mean=[0.0], cov=[[1.0]])[0])  # -log(2 pi)/2
    -0.9189385332046727
    """
    X, params = _check_single_gaussian(X, mean, cov)
    return _log_gaussian_density(_points_as_columns(X), params.means[0], params.cholesky[0])


def _check_single_gaussian(X, mean, cov):
    """Check X, mean and cov of one Gaussian; return X and a 1-component MixtureParams."""
    X = check_X(X)
    n_features = X.shape[1]
    mean = as_float_array(mean, "mean").reshape(-1)
    if mean.shape != (n_features,):
        raise ValueError(
            f"mean must have one entry per feature of X ({n_features}), got shape {mean.shape}"
        )
    cov = as_float_array(cov, "cov")
    if cov.ndim < 2 and cov.size == 1:
        cov = cov.reshape(1, 1)
    if cov.shape != (n_features, n_features):
        raise ValueError(
            f"cov must have shape (D, D) = ({n_features}, {n_features}), got shape {cov.shape}"
        )
    check_finite(mean, "mean")
    check_finite(cov, "cov")
    try:
        params = MixtureParams([1.0], mean[None, :], cov[None, :, :])
    except ValueError as error:
        raise ValueError(str(error).replace("covariances[0]", "cov")) from None
    return X, params


def mahalanobis(X, mean, cov):
    r"""Mahalanobis distance of each point from a Gaussian's mean.

    .. math::

        d(x) = \sqrt{(x - \mu)^\top \Sigma^{-1} (x - \mu)} = \lVert L^{-1}(x - \mu) \rVert,
        \qquad \Sigma = L L^\top

    the number of standard deviations between x and the mean, measured along
    the Gaussian's own axes. The ellipse drawn for "n standard deviations" is
    the set of points with :math:`d(x) = n`.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
    mean : array-like of shape (D,)
    cov : array-like of shape (D, D), or a scalar variance when D = 1

    Returns
    -------
    ndarray of shape (N,)

    Examples
    --------
    >>> mahalanobis([[2.0, 0.0]], mean=[0.0, 0.0], cov=[[4.0, 0.0], [0.0, 1.0]])
    array([1.])
    """
    X, params = _check_single_gaussian(X, mean, cov)
    z = np.linalg.solve(params.cholesky[0], (X - params.means[0]).T)
    return np.sqrt((z * z).sum(axis=0))


def mixture_pdf(X, params):
    r"""Density of the mixture at each point.

    .. math:: p(x) = \sum_{k=1}^{K} \pi_k \, \mathcal{N}(x \mid \mu_k, \Sigma_k)

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
    params : MixtureParams

    Returns
    -------
    ndarray of shape (N,)
        :math:`p(x_i)`. Far from every component this underflows to 0; use
        :func:`log_likelihood` (which works in logs) to score such points.

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    >>> mixture_pdf([0.0], params).round(4)
    array([0.242])
    """
    X, params = _check_data_and_params(X, params)
    _, log_px = _e_step(_points_as_columns(X), params)
    return np.exp(log_px)


def weighted_densities(X, params):
    r"""Each component's weighted density at each point: the terms of the mixture.

    .. math:: \pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)

    Summed over k they give :func:`mixture_pdf`; divided by that sum they give
    the responsibilities of :func:`e_step`. Far from a component its term
    underflows to 0.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
    params : MixtureParams

    Returns
    -------
    ndarray of shape (N, K)

    Examples
    --------
    >>> params = MixtureParams([0.25, 0.75], [0.0, 0.0], [1.0, 1.0])
    >>> weighted_densities([0.0], params).round(4)
    array([[0.0997, 0.2992]])
    """
    X, params = _check_data_and_params(X, params)
    return np.exp(_log_weighted_densities(_points_as_columns(X), params).T)


def log_likelihood(X, params):
    r"""Log-likelihood of the data under the mixture.

    .. math::

        \ell(\theta) = \log \prod_{i=1}^{N} p(x_i)
        = \sum_{i=1}^{N} \log \sum_{k=1}^{K} \pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)

    The inner sum is taken with log-sum-exp, so points far from every
    component (whose density underflows to 0) still give a finite answer.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
    params : MixtureParams

    Returns
    -------
    float
        :math:`\ell(\theta)`, the total over all N points (divide by N for
        scikit-learn's ``score``).

    Examples
    --------
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(log_likelihood([0.0, 0.0], params), 4)   # 2 * log N(0 | 0, 1)
    -1.8379
    """
    X, params = _check_data_and_params(X, params)
    _, log_px = _e_step(_points_as_columns(X), params)
    return float(log_px.sum())


# -- the two steps ---------------------------------------------------------


def e_step(X, params):
    r"""E-step: the responsibility of each component for each point.

    .. math::

        \gamma_{ik} = \frac{\pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}
                           {\sum_{j=1}^{K} \pi_j \, \mathcal{N}(x_i \mid \mu_j, \Sigma_j)}

    the share of point i's density that component k explains. It is computed
    in log space, so each row sums to 1 even for points so far away that
    every density underflows to 0.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
    params : MixtureParams

    Returns
    -------
    resp : ndarray of shape (N, K)
        :math:`\gamma_{ik}`, non-negative, each row summing to 1.

    Raises
    ------
    ValueError
        If X holds NaN/inf or its feature count differs from ``params``.

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [-1.0, 1.0], [1.0, 1.0])
    >>> e_step([0.0, 1.0], params).round(3)
    array([[0.5  , 0.5  ],
           [0.119, 0.881]])
    """
    X, params = _check_data_and_params(X, params)
    resp_t, _ = _e_step(_points_as_columns(X), params)
    return np.ascontiguousarray(resp_t.T)


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

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
    resp : array-like of shape (N, K)
        Responsibilities :math:`\gamma_{ik}`: non-negative, rows summing to 1.
    reg_covar : float, default 1e-6
        :math:`\varepsilon`, added to each covariance's diagonal; >= 0.
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"

    Returns
    -------
    MixtureParams
        The updated parameters, with covariances as full (K, D, D) matrices
        whatever ``covariance_type`` is.

    Raises
    ------
    ValueError
        If the arguments are malformed.
    ComponentCollapseError
        If a component has (almost) no points, :math:`N_k < 10^{-10}`, or its
        covariance is singular even after adding ``reg_covar``.

    Examples
    --------
    >>> m_step([0.0, 2.0, 10.0], [[1, 0], [1, 0], [0, 1]]).means
    array([[ 1.],
           [10.]])
    """
    X = check_X(X)
    resp = check_resp(resp, n_samples=X.shape[0])
    reg_covar = check_float(reg_covar, "reg_covar", minimum=0.0)
    covariance_type = check_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    return _m_step(_points_as_columns(X), np.ascontiguousarray(resp.T), reg_covar, covariance_type)


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

    Examples
    --------
    >>> hard_assign([[0.2, 0.8], [0.6, 0.4]])
    array([1, 0])
    """
    return np.argmax(check_resp(resp), axis=1)


# -- the whole algorithm ---------------------------------------------------


def initialize(
    X, n_components, method="kmeans++", seed=None, *, reg_covar=1e-6, covariance_type="full"
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

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
    n_components : int
        K, between 1 and N.
    method : {"kmeans++", "kmeans", "random"}, default "kmeans++"
    seed : int, numpy.random.Generator or None
        The same seed gives the same start.
    reg_covar : float, default 1e-6
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"

    Returns
    -------
    MixtureParams

    Examples
    --------
    >>> params = initialize([0.0, 0.1, 5.0, 5.2], 2, seed=0)
    >>> sorted(params.means[:, 0].round(2).tolist())
    [0.05, 5.1]
    """
    X = check_X(X)
    n_components = check_n_components(n_components, X.shape[0])
    method = check_choice(method, "method", INIT_METHODS)
    reg_covar = check_float(reg_covar, "reg_covar", minimum=0.0)
    covariance_type = check_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    rng = check_seed(seed)
    resp = _initial_resp(X, n_components, method, rng)
    return _m_step(_points_as_columns(X), np.ascontiguousarray(resp.T), reg_covar, covariance_type)


@dataclasses.dataclass(frozen=True, repr=False, eq=False)
class EMResult:
    """What a run of :func:`fit` found, and how it got there.

    Attributes
    ----------
    params : MixtureParams
        The final parameters (the last entry of ``history``).
    history : tuple of MixtureParams
        The parameters after each iteration, the initial ones first:
        ``history[t]`` is :math:`\\theta^{(t)}`.
    log_likelihoods : ndarray of shape (len(history),)
        :math:`\\ell(\\theta^{(t)})` for each entry of ``history``.
    n_iter : int
        Number of EM iterations run (``len(history) - 1``).
    converged : bool
        Whether the per-sample log-likelihood changed by less than ``tol``.
    """

    params: MixtureParams
    history: tuple
    log_likelihoods: np.ndarray
    n_iter: int
    converged: bool

    def permute(self, order):
        """The same run with its components renumbered in every iteration: new k = old order[k]."""
        history = tuple(params.permute(order) for params in self.history)
        return dataclasses.replace(self, params=history[-1], history=history)

    def aligned_to(self, reference):
        """The same run, renumbered so that its final means match ``reference``'s.

        See :meth:`MixtureParams.aligned_to`; the same renumbering is applied to
        every iteration, so that component k keeps its colour along the run.
        """
        return self.permute(self.params.matching_order(reference))

    def __repr__(self):
        return (
            f"EMResult(n_iter={self.n_iter}, converged={self.converged}, "
            f"log_likelihood={self.log_likelihoods[-1]:.6g},\n"
            f"         params={self.params!r})"
        )


def fit(
    X,
    n_components,
    *,
    init="kmeans++",
    max_iter=100,
    tol=1e-6,
    reg_covar=1e-6,
    covariance_type="full",
    seed=None,
):
    r"""Fit a Gaussian mixture with EM, recording every iteration.

    ::

        initialise theta
        repeat
            E-step: gamma_ik = responsibilities under theta
            M-step: theta = updates of N_k, pi_k, mu_k, Sigma_k from gamma
        until the log-likelihood per point changes by less than tol

    Each iteration never decreases :math:`\ell(\theta)`; EM stops at a local
    maximum, which depends on the start.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
    n_components : int
        K, between 1 and N, chosen in advance.
    init : {"kmeans++", "kmeans", "random"} or MixtureParams, default "kmeans++"
        How to start (see :func:`initialize`), or the parameters to start from.
    max_iter : int, default 100
        The most EM iterations to run (0 returns the start).
    tol : float, default 1e-6
        Stop when :math:`|\ell(\theta^{(t)}) - \ell(\theta^{(t-1)})| / N < tol`;
        ``tol=0`` runs exactly ``max_iter`` iterations.
    reg_covar : float, default 1e-6
        Added to each covariance's diagonal in every M-step (see :func:`m_step`).
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"
    seed : int, numpy.random.Generator or None
        Seed of the initialisation.

    Returns
    -------
    EMResult
        ``params``, ``history``, ``log_likelihoods``, ``n_iter``, ``converged``.

    Raises
    ------
    ComponentCollapseError
        If a component collapses during EM; its ``result`` attribute holds
        the iterations run until then. Lower ``n_components``, raise
        ``reg_covar`` or try another ``seed``.

    Examples
    --------
    >>> result = fit([0.0, 0.2, 0.1, 5.0, 5.3, 5.1], 2, seed=0)
    >>> result.converged, sorted(result.params.means[:, 0].round(2).tolist())
    (True, [0.1, 5.13])
    """
    X = check_X(X)
    n_samples, n_features = X.shape
    n_components = check_n_components(n_components, n_samples)
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    tol = check_float(tol, "tol", minimum=0.0)
    reg_covar = check_float(reg_covar, "reg_covar", minimum=0.0)
    covariance_type = check_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    if isinstance(init, MixtureParams):
        params = check_params(init, n_features, n_components, name="init")
    elif isinstance(init, str):
        params = initialize(
            X,
            n_components,
            method=init,
            seed=seed,
            reg_covar=reg_covar,
            covariance_type=covariance_type,
        )
    else:
        raise TypeError(
            "init must be a method name ('kmeans++', 'kmeans', 'random') or a "
            f"gmmlab.MixtureParams, got {type(init).__name__}"
        )

    Xt = _points_as_columns(X)
    resp_t, log_px = _e_step(Xt, params)
    history, log_likelihoods = [params], [float(log_px.sum())]
    converged = False
    for iteration in range(1, max_iter + 1):
        try:
            params = _m_step(Xt, resp_t, reg_covar, covariance_type)
        except ComponentCollapseError as error:
            partial = _result(history, log_likelihoods, converged=False)
            raise ComponentCollapseError(
                f"in EM iteration {iteration}: {error}", partial
            ) from None
        resp_t, log_px = _e_step(Xt, params)
        history.append(params)
        log_likelihoods.append(float(log_px.sum()))
        if abs(log_likelihoods[-1] - log_likelihoods[-2]) / n_samples < tol:
            converged = True
            break
    return _result(history, log_likelihoods, converged)


def _result(history, log_likelihoods, converged):
    log_likelihoods = np.array(log_likelihoods)
    log_likelihoods.flags.writeable = False
    return EMResult(
        params=history[-1],
        history=tuple(history),
        log_likelihoods=log_likelihoods,
        n_iter=len(history) - 1,
        converged=converged,
    )


# -- the numerical kernels (clean input assumed) ---------------------------


def _check_data_and_params(X, params):
    X = check_X(X)
    params = check_params(params, n_features=X.shape[1])
    return X, params


def _points_as_columns(X):
    """X (N, D) -> a C-contiguous (D, N) array: one row of memory per feature."""
    return np.ascontiguousarray(X.T)


def _log_gaussian_density(Xt, mean, cholesky):
    """log N(x_i | mu, L L^T) for the columns x_i of Xt (D, N)."""
    n_features = Xt.shape[0]
    # z_i = L^-1 (x_i - mu): L^-1 is a small D x D triangular matrix.
    whitening = np.linalg.solve(cholesky, np.eye(n_features))
    z = whitening @ (Xt - mean[:, np.newaxis])
    z *= z
    mahalanobis_sq = z.sum(axis=0)
    log_det = 2.0 * np.log(np.diagonal(cholesky)).sum()
    mahalanobis_sq += n_features * _LOG_2PI + log_det
    mahalanobis_sq *= -0.5
    return mahalanobis_sq


def _log_weighted_densities(Xt, params):
    """log pi_k + log N(x_i | mu_k, Sigma_k), as a (K, N) array."""
    log_weighted = np.empty((params.n_components, Xt.shape[1]))
    with np.errstate(divide="ignore"):  # a zero weight has log pi_k = -inf
        log_weights = np.log(params.weights)
    for k in range(params.n_components):
        log_weighted[k] = _log_gaussian_density(Xt, params.means[k], params.cholesky[k])
        log_weighted[k] += log_weights[k]
    return log_weighted


def _e_step(Xt, params):
    """Responsibilities (K, N) and log p(x_i) (N,), via log-sum-exp.

    log p(x_i) = m_i + log sum_k exp(a_ik - m_i) with a_ik = log pi_k +
    log N(x_i | mu_k, Sigma_k) and m_i = max_k a_ik: the largest term becomes
    exp(0) = 1, so the sum can neither underflow to 0 nor overflow.
    """
    log_weighted = _log_weighted_densities(Xt, params)
    largest = log_weighted.max(axis=0)
    log_weighted -= largest
    resp_t = np.exp(log_weighted, out=log_weighted)  # pi_k N_k / exp(m_i)
    total = resp_t.sum(axis=0)  # p(x_i) / exp(m_i), between 1 and K
    resp_t /= total
    log_px = np.log(total, out=total)
    log_px += largest
    return resp_t, log_px


def _m_step(Xt, resp_t, reg_covar, covariance_type):
    """The M-step on points Xt (D, N) and responsibilities resp_t (K, N)."""
    n_features = Xt.shape[0]
    n_components = resp_t.shape[0]
    nk = resp_t.sum(axis=1)
    for k in np.flatnonzero(nk < MIN_NK):
        raise ComponentCollapseError(
            f"component {k} has collapsed: it is responsible for N_k = {nk[k]:.3g} "
            "points. Lower n_components or start EM from another seed."
        )
    weights = nk / nk.sum()  # = N_k / N, since each point's memberships sum to 1
    means = (resp_t @ Xt.T) / nk[:, np.newaxis]
    scatter = np.empty((n_components, n_features, n_features))
    for k in range(n_components):
        diff = Xt - means[k][:, np.newaxis]
        scatter[k] = (diff * resp_t[k]) @ diff.T / nk[k]
    covariances = _restrict(scatter, weights, covariance_type)
    covariances = 0.5 * (covariances + covariances.transpose(0, 2, 1))
    covariances += reg_covar * np.eye(n_features)
    try:
        return MixtureParams(weights, means, covariances, covariance_type=covariance_type)
    except NotPositiveDefiniteError as error:
        raise ComponentCollapseError(
            f"component {error.component} has collapsed: its covariance "
            f"(covariances[{error.component}]) is singular, smallest eigenvalue "
            f"{error.smallest_eigenvalue:.3g}, even after adding "
            f"reg_covar={reg_covar:g} to its diagonal. Raise reg_covar or lower "
            "n_components."
        ) from None


def _restrict(scatter, weights, covariance_type):
    """Reduce the weighted scatter matrices to the requested structure."""
    n_components, n_features, _ = scatter.shape
    eye = np.eye(n_features)
    variances = np.diagonal(scatter, axis1=1, axis2=2)
    if covariance_type == "diag":
        return variances[:, :, np.newaxis] * eye
    if covariance_type == "spherical":
        return variances.mean(axis=1)[:, np.newaxis, np.newaxis] * eye
    if covariance_type == "tied":
        shared = np.tensordot(weights, scatter, axes=1)
        return np.repeat(shared[np.newaxis], n_components, axis=0)
    return scatter


def _initial_resp(X, n_components, method, rng):
    """Responsibilities (N, K) to start EM from."""
    n_samples = X.shape[0]
    if method == "random":
        resp = rng.random((n_samples, n_components))
        return resp / resp.sum(axis=1, keepdims=True)
    random_state = int(rng.integers(np.iinfo(np.int32).max))
    if method == "kmeans":
        from sklearn.cluster import KMeans

        kmeans = KMeans(n_components, n_init=1, random_state=random_state)
        labels = kmeans.fit(X).labels_
    else:
        from sklearn.cluster import kmeans_plusplus

        centres, _ = kmeans_plusplus(X, n_components, random_state=random_state)
        distances = ((X[:, np.newaxis, :] - centres[np.newaxis]) ** 2).sum(axis=2)
        labels = distances.argmin(axis=1)
    resp = np.zeros((n_samples, n_components))
    resp[np.arange(n_samples), labels] = 1.0
    return resp


__all__ = [
    "ComponentCollapseError",
    "EMResult",
    "e_step",
    "fit",
    "hard_assign",
    "initialize",
    "log_gaussian_pdf",
    "log_likelihood",
    "m_step",
    "mahalanobis",
    "mixture_pdf",
    "weighted_densities",
]
