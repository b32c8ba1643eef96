r"""Sufficient statistics: everything the M-step needs to know about the data.

The M-step's updates use the data only through three sums per component:

.. math::

    N_k = \sum_i \gamma_{ik}, \qquad
    \sum_i \gamma_{ik}\, x_i, \qquad
    \sum_i \gamma_{ik}\, x_i x_i^\top

from which :math:`\pi_k = N_k / N`, :math:`\mu_k = \frac{1}{N_k}\sum_i \gamma_{ik} x_i` and
:math:`\Sigma_k = \frac{1}{N_k}\sum_i \gamma_{ik} x_i x_i^\top - \mu_k \mu_k^\top`. Sums
add up over any split of the data into chunks: compute them chunk by chunk (or on many
machines), add them, and the M-step is the same as on all the data at once. This is how
:func:`gmmlab.fit` runs in bounded memory (``chunk_size``), how it runs on a Dask cluster,
and what Spark MLlib's ``GaussianMixture`` distributes.

* :func:`sufficient_statistics` -- the statistics of some points and their
  responsibilities (a chunk, or all the data).
* :class:`SufficientStatistics` -- they add with ``+`` (and with ``sum``).
* :func:`params_from_statistics` -- the M-step: statistics to parameters, for every
  covariance type.

Why they are not stored as the raw sums
---------------------------------------
In floating point, :math:`\frac{1}{N_k}\sum_i \gamma_{ik} x_i x_i^\top - \mu_k\mu_k^\top`
subtracts two nearly equal numbers when the data lie far from the origin: for points
around :math:`10^6` with a spread of 1, both terms are about :math:`10^{12}`, and the
difference (about 1) keeps only about 4 of the 16 significant digits. So each chunk's
statistics are kept in an equivalent *centred* form: :math:`N_k`, the chunk's own
weighted mean :math:`\bar x_k` and its weighted covariance about that mean
:math:`S_k = \frac{1}{N_k}\sum_i \gamma_{ik}(x_i - \bar x_k)(x_i - \bar x_k)^\top`. No
large numbers are subtracted. Adding two chunks' statistics is then the law of total
covariance (Chan, Golub and LeVeque's pairwise update):

.. math::

    N = N_a + N_b, \quad
    \bar x = \tfrac{N_a}{N}\bar x_a + \tfrac{N_b}{N}\bar x_b, \quad
    S = \tfrac{N_a}{N} S_a + \tfrac{N_b}{N} S_b
        + \tfrac{N_a}{N}\tfrac{N_b}{N}(\bar x_b - \bar x_a)(\bar x_b - \bar x_a)^\top

-- the covariance within the chunks plus the covariance between their means. Every term
is a weighted average of the data's own spread, so the sum stays as exact as the chunks
and cannot overflow for data within gmmlab's range. The raw sums of the lesson are
available as the properties ``sum_x`` and ``sum_xxT``.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import _kernels
from ._docstring import fill_doc
from ._validation import (
    SUM_TOLERANCE,
    as_float_array,
    ensure_choice,
    ensure_finite,
    ensure_float,
    ensure_resp,
    ensure_X_to_fit,
)
from .params import COVARIANCE_TYPES, MixtureParams, frozen_array, shape_of_means

#: Components with fewer effective points than this are considered collapsed.
MIN_NK = 1e-10

#: r of the collapse rule (:func:`check_collapse`): 10**4 times float64's machine
#: epsilon, about 2.2e-12. A variance closer to 0 than r times the scale of the numbers
#: it is computed from is rounding error, not a property of the data.
COLLAPSE_RTOL = 1e4 * float(np.finfo(float).eps)


class ComponentCollapseError(ValueError):
    """A component lost all its points, or its covariance became singular.

    Singular means within rounding error of singular, by one rule on every processor
    and thread count: see :func:`check_collapse`.

    Raised by :func:`params_from_statistics` and everything that runs an M-step
    (:func:`gmmlab.m_step`, :func:`gmmlab.initialize`, :func:`gmmlab.fit`). The message
    says what collapsed, what in the data caused it when that is known, and what can
    help in that situation. The attributes carry what was computed:

    Parameters
    ----------
    message : str
    result : EMResult, optional
    reason, empty, statistics, component, iteration
        Keyword-only; see the attributes.

    Attributes
    ----------
    reason : str
        What collapsed, without the advice (the start of the message).
    empty : bool
        True if the component has (almost) no points, False if its covariance is
        singular.
    result : EMResult or None
        When raised by :func:`gmmlab.fit` during EM, the iterations run before the
        collapse (they can still be plotted); None for a collapse at initialisation.
    statistics : SufficientStatistics or None
        The statistics whose M-step failed: ``nk`` shows an empty component, ``means``
        and ``covariances`` (without ``reg_covar``) a singular one.
    component : int or None
        The component k that collapsed.
    iteration : int or None
        The EM iteration whose M-step failed; 0 at initialisation.
    """

    def __init__(
        self,
        message,
        result=None,
        *,
        reason=None,
        empty=False,
        statistics=None,
        component=None,
        iteration=None,
    ):
        super().__init__(message)
        self.reason = message if reason is None else reason
        self.empty = empty
        self.result = result
        self.statistics = statistics
        self.component = component
        self.iteration = iteration

    def in_context(self, context, advice=None, *, iteration=None, result=None):
        """The same collapse, raised again with where it happened in front of its message.

        Parameters
        ----------
        context : str
            Where, e.g. "in EM iteration 3".
        advice : str, optional
            What can help there; it replaces the advice of the message (which is then
            ``context: reason. advice``). Without it the whole message follows ``context``.
        iteration, result : optional
            The iteration and the EMResult so far; by default those of this error.

        Returns
        -------
        ComponentCollapseError
        """
        message = f"{context}: {self.reason}. {advice}" if advice else f"{context}: {self}"
        return ComponentCollapseError(
            message,
            self.result if result is None else result,
            reason=self.reason,
            empty=self.empty,
            statistics=self.statistics,
            component=self.component,
            iteration=self.iteration if iteration is None else iteration,
        )

    def __reduce__(self):
        names = ("reason", "empty", "statistics", "component", "iteration")
        details = {name: getattr(self, name) for name in names}
        return (_rebuild_collapse_error, (str(self), self.result, details))


def _rebuild_collapse_error(message, result, details):
    return ComponentCollapseError(message, result, **details)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
@fill_doc
class SufficientStatistics:
    r"""The statistics of some points that the M-step needs, per component.

    Mathematically these are the three sums :math:`N_k = \sum_i \gamma_{ik}`,
    :math:`\sum_i \gamma_{ik} x_i` and :math:`\sum_i \gamma_{ik} x_i x_i^\top`; they are
    stored in the equivalent centred form below (see the module's notes), which loses no
    precision far from the origin. Build them with :func:`sufficient_statistics`; add
    the statistics of two chunks with ``a + b`` (or many with ``sum``); turn them into
    parameters with :func:`params_from_statistics`. Immutable, like
    :class:`~gmmlab.MixtureParams`.

    Parameters
    ----------
    nk : array-like of shape (K,)
        :math:`N_k = \sum_i \gamma_{ik}`, the effective number of points of each
        component; non-negative.
    means : array-like of shape (K, D)
        :math:`\bar x_k = \frac{1}{N_k}\sum_i \gamma_{ik} x_i` (0 where :math:`N_k = 0`).
    covariances : array-like of shape (K, D, D)
        :math:`S_k = \frac{1}{N_k}\sum_i \gamma_{ik}(x_i - \bar x_k)(x_i - \bar x_k)^\top`
        (0 where :math:`N_k = 0`): symmetric, positive semi-definite.

    Attributes
    ----------
    n_components, n_features : int
    sum_x : ndarray of shape (K, D)
        :math:`\sum_i \gamma_{ik} x_i = N_k \bar x_k`.
    sum_xxT : ndarray of shape (K, D, D)
        :math:`\sum_i \gamma_{ik} x_i x_i^\top = N_k (S_k + \bar x_k \bar x_k^\top)`.
        Fine for learning with; far from the origin it carries the cancellation the
        centred form avoids.

    %(Raises: not_real)s
    ValueError
        If the shapes disagree, a value is NaN or infinite, or a count is negative.

    Examples
    --------
    >>> X = [[0.0], [2.0], [10.0], [12.0]]
    >>> resp = [[1, 0], [1, 0], [0, 1], [0, 1]]
    >>> a = sufficient_statistics(X[:3], resp[:3])   # two chunks...
    >>> b = sufficient_statistics(X[3:], resp[3:])
    >>> (a + b).means                                # ...add up to all the data
    array([[ 1.],
           [11.]])
    >>> (a + b).sum_x, a.sum_x + b.sum_x
    (array([[ 2.],
           [22.]]), array([[ 2.],
           [22.]]))
    """

    nk: np.ndarray
    means: np.ndarray
    covariances: np.ndarray

    def __post_init__(self):
        nk = as_float_array(self.nk, "nk")
        if nk.ndim != 1 or nk.shape[0] == 0:
            raise ValueError(f"nk must be a 1-D array of K >= 1 counts, got shape {nk.shape}")
        ensure_finite(nk, "nk")
        if (nk < 0).any():
            raise ValueError(f"nk must be non-negative; nk = {nk}")
        means = as_float_array(self.means, "means")
        if means.ndim != 2 or means.shape[0] != nk.shape[0] or means.shape[1] == 0:
            raise ValueError(
                f"means must have shape (K, D) with K = {nk.shape[0]}, got shape {means.shape}"
            )
        n_features = means.shape[1]
        covariances = as_float_array(self.covariances, "covariances")
        expected = (nk.shape[0], n_features, n_features)
        if covariances.shape != expected:
            raise ValueError(
                f"covariances must have shape (K, D, D) = {expected}, got shape "
                f"{covariances.shape}"
            )
        ensure_finite(means, "means")
        ensure_finite(covariances, "covariances")
        self._store(nk, means, covariances)

    def _store(self, nk, means, covariances):
        for name, value in (("nk", nk), ("means", means), ("covariances", covariances)):
            object.__setattr__(self, name, frozen_array(value))

    def __reduce__(self):  # copies and pickles go through the checks and stay read-only
        return (type(self), (self.nk, self.means, self.covariances))

    @classmethod
    def _from_kernels(cls, nk, means, covariances):
        """Statistics the library's kernels just computed, as (K,), (K, D), (K, D, D) floats.

        Their shapes are right by construction; finiteness and N_k >= 0 are checked at
        once (one sum), and anything that fails goes through the constructor, which
        raises exactly its usual error. The arrays are frozen read-only copies.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            total = nk.sum() + means.sum() + covariances.sum()
        if not (math.isfinite(total) and nk.min() >= 0):
            return cls(nk, means, covariances)  # the checks, and their messages
        self = object.__new__(cls)
        self._store(nk, means, covariances)
        return self

    n_components = shape_of_means(0, "K, the number of components.")
    n_features = shape_of_means(1, "D, the number of features.")

    @property
    def sum_x(self):
        r""":math:`\sum_i \gamma_{ik} x_i`, shape (K, D)."""
        return self.nk[:, np.newaxis] * self.means

    @property
    def sum_xxT(self):
        r""":math:`\sum_i \gamma_{ik} x_i x_i^\top`, shape (K, D, D)."""
        outer = self.means[:, :, np.newaxis] * self.means[:, np.newaxis, :]
        return self.nk[:, np.newaxis, np.newaxis] * (self.covariances + outer)

    def __add__(self, other):
        """The statistics of both sets of points together (the law of total covariance).

        Parameters
        ----------
        other : SufficientStatistics
            Of the same K components and D features (``0`` is accepted on the left,
            so that ``sum`` works).

        Returns
        -------
        SufficientStatistics

        Raises
        ------
        TypeError
            If ``other`` is not SufficientStatistics (Python's own message).
        ValueError
            If K or D differ.
        """
        if not isinstance(other, SufficientStatistics):
            return NotImplemented
        if (other.n_components, other.n_features) != (self.n_components, self.n_features):
            raise ValueError(
                "only statistics of the same mixture add up: these have K = "
                f"{self.n_components}, D = {self.n_features} and K = {other.n_components}, "
                f"D = {other.n_features}"
            )
        return SufficientStatistics(*_kernels.merge_statistics(self, other))

    def __radd__(self, other):
        if isinstance(other, (int, float)) and other == 0:  # so that sum(...) works
            return self
        return NotImplemented

    def __repr__(self):
        return (
            f"SufficientStatistics(n_components={self.n_components}, "
            f"n_features={self.n_features}, nk={np.array2string(self.nk, precision=4)})"
        )


@fill_doc
def sufficient_statistics(X, resp):
    r"""The sufficient statistics of points and their responsibilities.

    .. math::

        N_k = \sum_i \gamma_{ik}, \qquad
        \bar x_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i, \qquad
        S_k = \frac{1}{N_k} \sum_i \gamma_{ik} (x_i - \bar x_k)(x_i - \bar x_k)^\top

    -- the three sums :math:`\sum_i \gamma_{ik}`, :math:`\sum_i \gamma_{ik} x_i`,
    :math:`\sum_i \gamma_{ik} x_i x_i^\top` in centred form (computed in two passes:
    the mean first, then the spread about it). For a chunk of the data, ``resp`` holds
    the chunk's rows of :math:`\gamma`; the statistics of the chunks add up with ``+``
    to those of all the data.

    %(Parameters: X_to_fit)s
    resp : array-like of shape (N, K)
        Their responsibilities :math:`\gamma_{ik}`: non-negative, rows summing to 1.

    Returns
    -------
    SufficientStatistics

    Raises
    ------
    ValueError
        If X or resp is malformed, their row counts differ, or X is out of range.

    Examples
    --------
    >>> stats = sufficient_statistics([0.0, 2.0, 10.0], [[1, 0], [1, 0], [0, 1]])
    >>> stats.nk, stats.means[:, 0], stats.covariances[:, 0, 0]
    (array([2., 1.]), array([ 1., 10.]), array([1., 0.]))
    """
    X = ensure_X_to_fit(X)
    resp = ensure_resp(resp, n_samples=X.shape[0])
    # N_k, then each mean, then each weighted scatter about it, one feature per row of memory
    Xt, resp_t = _kernels.points_as_columns(X), _kernels.points_as_columns(resp)
    return SufficientStatistics(*_kernels.statistics_of_columns(Xt, resp_t))


@fill_doc
def params_from_statistics(statistics, reg_covar=1e-6, covariance_type="full"):
    r"""The M-step: parameters from sufficient statistics.

    .. math::

        \pi_k = \frac{N_k}{N}, \qquad
        \mu_k = \bar x_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i, \qquad
        \Sigma_k = S_k + \varepsilon I
                 = \frac{1}{N_k} \sum_i \gamma_{ik} x_i x_i^\top - \mu_k \mu_k^\top
                   + \varepsilon I

    with :math:`N = \sum_k N_k` and :math:`\varepsilon` = ``reg_covar``. A restricted
    ``covariance_type`` reduces :math:`S_k` before :math:`\varepsilon I` is added:
    "diag" keeps its diagonal, "spherical" the mean of that diagonal times :math:`I`,
    and "tied" shares :math:`\sum_k \pi_k S_k` among all components.

    Parameters
    ----------
    statistics : SufficientStatistics
        From :func:`sufficient_statistics`, or the sum of several chunks'.
    %(reg_covar)s
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"

    Returns
    -------
    MixtureParams
        With full (K, D, D) covariances whatever ``covariance_type`` is.

    Raises
    ------
    TypeError
        If ``statistics`` is not a :class:`SufficientStatistics`.
    ValueError
        If ``reg_covar`` or ``covariance_type`` is invalid.
    ComponentCollapseError
        If a component has :math:`N_k < 10^{-10}` points, or its covariance (after adding
        ``reg_covar``) has a variance within rounding error of 0 at the component's own
        scale (the rule of :func:`check_collapse`). The error's ``statistics`` and
        ``component`` attributes say which.

    Examples
    --------
    >>> stats = sufficient_statistics([0.0, 2.0, 10.0], [[1, 0], [1, 0], [0, 1]])
    >>> params_from_statistics(stats, reg_covar=0.5).covariances[:, 0, 0]
    array([1.5, 0.5])
    """
    if not isinstance(statistics, SufficientStatistics):
        raise TypeError(
            "statistics must be a gmmlab.SufficientStatistics (from "
            f"gmmlab.sufficient_statistics), got {type(statistics).__name__}"
        )
    reg_covar = ensure_float(reg_covar, "reg_covar", minimum=0.0)
    covariance_type = ensure_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    return _params_from_statistics(statistics, reg_covar, covariance_type)


def _params_from_statistics(statistics, reg_covar, covariance_type):
    """params_from_statistics for clean arguments; :func:`check_collapse` decides collapse."""
    nk = statistics.nk
    if not (nk >= MIN_NK).all():  # N_k first: no division by 0
        check_collapse(nk, reg_covar=reg_covar, statistics=statistics)
    weights = nk / nk.sum()
    covariances = _restrict(statistics.covariances, weights, covariance_type)
    covariances = 0.5 * (covariances + covariances.transpose(0, 2, 1))
    covariances += reg_covar * np.eye(statistics.n_features)
    check_collapse(
        nk, statistics.means, covariances, reg_covar=reg_covar, statistics=statistics
    )
    if not (math.isfinite(covariances.sum()) and abs(weights.sum() - 1.0) <= SUM_TOLERANCE):
        # Beyond the range of floats (a sum of N_k that overflows, say): the
        # constructor's checks name what went wrong.
        return MixtureParams(weights, statistics.means, covariances, covariance_type)
    # Built here from checked statistics: finite, exactly symmetric, of covariance_type's
    # structure, weights >= 0 summing to 1; only the Cholesky factors are left to compute.
    return MixtureParams._from_m_step(weights, statistics.means, covariances, covariance_type)


def _spread(scatter, floor):
    """How the points of a component spread, from the eigenvalues of their scatter S_k
    against the collapse floor F_k (:func:`collapse_floor`)."""
    eigenvalues = np.linalg.eigvalsh(scatter)
    level = float(np.linalg.eigvalsh(floor).max())
    n_features = len(eigenvalues)
    rank = int((eigenvalues > level).sum())
    if rank == 0:
        return "are all the same point"
    if rank < n_features:
        return (
            f"span only {rank} of the {n_features} dimensions (they lie on a "
            "line, a plane or another lower-dimensional subspace)"
        )
    return "are spread so unevenly that their covariance is numerically singular"


def floor_advice(reg_covar):
    """What to do about a covariance that stays singular with this reg_covar."""
    if reg_covar == 0:
        return (
            "Set reg_covar > 0 (scikit-learn's default is 1e-6): it keeps every covariance "
            "at least reg_covar * I, so that a component on one point or on tied values "
            "stays a proper Gaussian; or lower n_components."
        )
    return (
        f"Raise reg_covar above {reg_covar:g} (relative to the data's variance), or lower "
        "n_components."
    )


def collapse_floor(means, covariances):
    r"""The matrices :math:`F_k` below which a covariance counts as collapsed.

    .. math::

        F_k = r \operatorname{tr}(\Sigma_k)\, I
              + r^2 \operatorname{diag}(\mu_{k1}^2, \dots, \mu_{kD}^2),
        \qquad r = 10^4 \varepsilon_{\text{mach}} \approx 2.2 \times 10^{-12}

    (``COLLAPSE_RTOL``); :func:`check_collapse` says why. Computed from the component's
    own numbers only, so every path (in memory, chunked, Dask, online) applies the same
    floor to the same component.

    Parameters
    ----------
    means : array-like of shape (K, D)
        :math:`\mu_k`.
    covariances : array-like of shape (K, D, D)
        :math:`\Sigma_k`, as they will be used (with ``reg_covar`` added).

    Returns
    -------
    ndarray of shape (K, D, D)
        :math:`F_k`, symmetric, positive semi-definite.

    Examples
    --------
    >>> print(f"{collapse_floor([[1.8]], [[[0.0]]])[0, 0, 0]:.3g}")  # (r * 1.8)**2
    1.6e-23
    """
    means = np.asarray(means, dtype=float)
    covariances = np.asarray(covariances, dtype=float)
    r = COLLAPSE_RTOL
    n_features = means.shape[1]
    floors = (r * np.trace(covariances, axis1=1, axis2=2))[:, np.newaxis, np.newaxis] * np.eye(
        n_features
    )
    diagonal = np.arange(n_features)
    floors[:, diagonal, diagonal] += (r * means) ** 2
    return floors


@fill_doc
def collapsed_components(nk, means=None, covariances=None):
    r"""Which components have collapsed: the rule of :func:`check_collapse`, as booleans.

    .. math::

        N_k < 10^{-10} \quad\text{or}\quad \Sigma_k - F_k \not\succ 0

    Parameters
    ----------
    nk : array-like of shape (K,)
        :math:`N_k`, the effective number of points of each component.
    %(means_optional)s
    covariances : array-like of shape (K, D, D), optional
        :math:`\Sigma_k` as they will be used (with ``reg_covar`` added); None checks
        :math:`N_k` only (a mixture without covariances, e.g. of Bernoulli
        distributions).

    Returns
    -------
    ndarray of bool, shape (K,)
        True for each collapsed component.

    Examples
    --------
    >>> collapsed_components([5.0, 12.0], [[0.5], [1.8]], [[[0.04]], [[4.9e-32]]])
    array([False,  True])
    """
    nk = np.asarray(nk, dtype=float)
    collapsed = ~(nk >= MIN_NK)
    if covariances is not None:
        covariances = np.asarray(covariances, dtype=float)
        margins = covariances - collapse_floor(means, covariances)
        try:
            np.linalg.cholesky(margins)
        except np.linalg.LinAlgError:
            for k, margin in enumerate(margins):
                try:
                    np.linalg.cholesky(margin)
                except np.linalg.LinAlgError:
                    collapsed[k] = True
    return collapsed


@fill_doc
def check_collapse(nk, means=None, covariances=None, *, reg_covar=0.0, statistics=None):
    r"""Raise :class:`ComponentCollapseError` if a component has collapsed.

    The one rule every path of gmmlab applies after an M-step (:func:`m_step`,
    :func:`params_from_statistics`, :func:`gmmlab.initialize`, :func:`gmmlab.fit` with
    ``n_init``, in chunks or on Dask). Component k has collapsed when

    * :math:`N_k < 10^{-10}` (``MIN_NK``): it has no points to be estimated from; or
    * its covariance has a direction u in which its variance is within the floor
      :math:`F_k` of :func:`collapse_floor`:

      .. math::

          u^\top \Sigma_k u \le r \operatorname{tr}(\Sigma_k)
              + r^2 \sum_d u_d^2 \mu_{kd}^2
          \quad\text{for some unit } u,
          \qquad r = 10^4 \varepsilon_{\text{mach}} \approx 2.2 \times 10^{-12},

      i.e. :math:`\Sigma_k - F_k` is not positive definite (its Cholesky
      factorisation fails).

    Why this floor. A variance of 0 makes the density at the component's points
    infinite, and the log-likelihood unbounded; in floating point the variance of tied
    values does not come out as 0 but as the rounding left in
    :math:`\sum_i \gamma_{ik}(x_i - \mu_k)^2`: the mean of values v is computed to
    within a few units in the last place, :math:`\varepsilon_{\text{mach}} |v|`, so
    their variance comes out anywhere from 0 to about
    :math:`(\varepsilon_{\text{mach}} v)^2` (4.9e-32 for 12 petal widths of 1.8 cm),
    depending on the processor's summation order and the number of BLAS threads. The
    second term of :math:`F_k` puts the floor :math:`10^4` times above that, a margin for
    means summed over up to about :math:`10^8` points: a standard deviation below
    :math:`2.2 \times 10^{-12} |\mu_k|` (ten thousand units in the last place of the
    mean) is below what the data's numbers can resolve. The first term does the same for
    the matrix as a whole: a covariance whose condition number exceeds about
    :math:`1/r \approx 4.5 \times 10^{11}` (points on a line or a plane) is singular to
    within the rounding of its products and of its Cholesky factor, which succeeds or
    fails there by chance. The floor is set by the component's own numbers, not by the
    spread of all the data: a tight cluster next to a far outlier is a proper
    component. Both terms scale with the data, so the rule holds at every scale, and
    they sit orders of magnitude away from where rounding decides, so every processor
    and thread count reaches the same verdict.

    With ``reg_covar`` > 0, :math:`\Sigma_k = S_k + \varepsilon I` is checked: a floor
    above :math:`F_k` never collapses; one below it is as good as none at this data's
    scale.

    Parameters
    ----------
    nk : array-like of shape (K,)
        :math:`N_k`.
    %(means_optional)s
    covariances : array-like of shape (K, D, D), optional
        :math:`\Sigma_k` as they will be used (``reg_covar`` added); None checks
        :math:`N_k` only (a mixture without covariances, e.g. of Bernoulli
        distributions).
    reg_covar : float, default 0.0
        The floor that was added, for the message's advice.
    statistics : SufficientStatistics, optional
        The statistics the parameters came from: attached to the error, and used to say
        how the collapsed component's points spread.

    Returns
    -------
    None

    Raises
    ------
    ComponentCollapseError
        For the first collapsed component, with ``reason``, ``empty``, ``component`` and
        ``statistics`` set (the message as :func:`params_from_statistics` gives it).

    Examples
    --------
    >>> try:
    ...     check_collapse([5.0, 12.0], [[0.5], [1.8]], [[[0.04]], [[4.9e-32]]])
    ... except ComponentCollapseError as error:
    ...     print(error.component, error.reason)
    1 component 1 has collapsed: its covariance, covariances[1], is singular (smallest
    eigenvalue 4.9e-32, below 1.6e-23, the rounding error of a variance at this component's
    scale) even after adding reg_covar=0 to its diagonal: its points (N_k = 12) are all the
    same point
    """
    nk = np.asarray(nk, dtype=float)
    collapsed = collapsed_components(nk, means, covariances)
    if not collapsed.any():
        return
    k = int(np.flatnonzero(collapsed)[0])
    if not nk[k] >= MIN_NK:
        reason = (
            f"component {k} has collapsed: it is responsible for N_k = {nk[k]:.3g} points "
            f"(fewer than {MIN_NK:g}), so its mean and covariance are undefined"
        )
        raise ComponentCollapseError(
            f"{reason}. Lower n_components, or start from responsibilities that give every "
            "component some points.",
            reason=reason,
            empty=True,
            statistics=statistics,
            component=k,
        )
    means = np.asarray(means, dtype=float)
    covariance = np.asarray(covariances[k], dtype=float)
    floor = collapse_floor(means[k : k + 1], covariance[np.newaxis])[0]
    eigenvalues, directions = np.linalg.eigh(covariance)
    smallest, direction = float(eigenvalues[0]), directions[:, 0]
    if smallest > 0:
        below = float(direction @ floor @ direction)
        size = (
            f"{smallest:.3g}, below {below:.2g}, the rounding error of a variance at this "
            "component's scale"
        )
    else:
        size = f"{smallest:.3g}"
    scatter = covariance - reg_covar * np.eye(len(covariance))
    if statistics is not None:
        scatter = statistics.covariances[k]
    reason = (
        f"component {k} has collapsed: its covariance, covariances[{k}], is singular "
        f"(smallest eigenvalue {size}) even after adding reg_covar={reg_covar:g} to its "
        f"diagonal: its points (N_k = {nk[k]:.3g}) {_spread(scatter, floor)}"
    )
    raise ComponentCollapseError(
        f"{reason}. {floor_advice(reg_covar)}",
        reason=reason,
        statistics=statistics,
        component=k,
    )


def _restrict(covariances, weights, covariance_type):
    """Reduce the weighted covariances S_k to the requested structure."""
    n_components, n_features, _ = covariances.shape
    eye = np.eye(n_features)
    variances = np.diagonal(covariances, axis1=1, axis2=2)
    if covariance_type == "diag":
        return variances[:, :, np.newaxis] * eye
    if covariance_type == "spherical":
        return variances.mean(axis=1)[:, np.newaxis, np.newaxis] * eye
    if covariance_type == "tied":
        shared = np.tensordot(weights, covariances, axes=1)
        return np.repeat(shared[np.newaxis], n_components, axis=0)
    return covariances.copy()


__all__ = [
    "COLLAPSE_RTOL",
    "MIN_NK",
    "ComponentCollapseError",
    "SufficientStatistics",
    "check_collapse",
    "collapse_floor",
    "collapsed_components",
    "params_from_statistics",
    "sufficient_statistics",
]
