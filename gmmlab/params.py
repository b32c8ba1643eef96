"""The parameters of a Gaussian mixture: theta = {pi_k, mu_k, Sigma_k}."""

from __future__ import annotations

import dataclasses

import numpy as np

from ._validation import (
    SUM_TOLERANCE,
    as_float_array,
    ensure_choice,
    ensure_finite,
    ensure_int,
    ensure_seed,
)

#: The fields a MixtureParams is built from (``cholesky`` is derived from them).
_FIELDS = ("weights", "means", "covariances", "covariance_type")

#: The covariance structures EM can estimate (scikit-learn's names).
COVARIANCE_TYPES = ("full", "diag", "spherical", "tied")

# How far from symmetric (relative to the largest entry) a covariance may be.
_SYMMETRY_TOLERANCE = 1e-8


def shape_of_means(axis, doc):
    """A read-only property, ``self.means.shape[axis]``: K (axis 0) or D (axis 1).

    MixtureParams, BernoulliParams and SufficientStatistics hold their means as a
    (K, D) array, checked against their weights or counts when built.

    Examples
    --------
    >>> MixtureParams([0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], [np.eye(2)] * 2).n_features
    2
    """
    return property(lambda self: self.means.shape[axis], doc=doc)


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class MixtureParams:
    r"""The parameters of a mixture of K Gaussians, checked and immutable.

    A Gaussian mixture model says that each point was drawn by first picking
    a component k with probability :math:`\pi_k`, then drawing from the
    Gaussian :math:`\mathcal{N}(\mu_k, \Sigma_k)`, so that

    .. math:: p(x) = \sum_{k=0}^{K-1} \pi_k \, \mathcal{N}(x \mid \mu_k, \Sigma_k),
              \qquad \pi_k \ge 0, \quad \sum_k \pi_k = 1.

    Parameters
    ----------
    weights : array-like of shape (K,)
        The mixing weights :math:`\pi_k`: non-negative, summing to 1.
    means : array-like of shape (K, D), or (K,) when D = 1
        The centres :math:`\mu_k`.
    covariances : array-like of shape (K, D, D), or (K,) variances when D = 1
        The covariance matrices :math:`\Sigma_k`, each symmetric positive
        definite.
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"
        The structure the covariances have: any matrix ("full"), diagonal
        ("diag"), a multiple of the identity ("spherical") or one matrix
        shared by all components ("tied"). The matrices are always stored in
        full (K, D, D) form; this records (and checks) their structure, which
        counts the free parameters for BIC.

    Attributes
    ----------
    n_components : int
        K, the number of components.
    n_features : int
        D, the number of features.
    cholesky : ndarray of shape (K, D, D)
        The lower-triangular Cholesky factors :math:`L_k` with
        :math:`\Sigma_k = L_k L_k^\top`, computed once when checking that each
        covariance is positive definite.

    Raises
    ------
    TypeError
        If an array holds something other than real numbers, or ``covariance_type``
        is not a string.
    ValueError
        If the shapes disagree, a value is NaN or infinite, a weight is negative, the
        weights do not sum to 1, or a covariance is not symmetric positive definite or
        lacks the structure of ``covariance_type`` (the message names the component).

    Notes
    -----
    The parameters are immutable: the fields cannot be reassigned, and the arrays are
    read-only copies held in memory that no ``flags.writeable`` change can make writable
    again, so the stored Cholesky factors always match the covariances. Copies
    (``copy.copy``, ``copy.deepcopy``) and pickles are rebuilt through the constructor:
    checked again, and just as read-only. To change a parameter, make a new object with
    :meth:`replace`.

    Examples
    --------
    >>> params = MixtureParams(weights=[0.3, 0.7], means=[0.0, 3.0],
    ...                        covariances=[1.0, 0.5])
    >>> params.n_components, params.n_features
    (2, 1)
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    covariance_type: str = "full"
    cholesky: np.ndarray = dataclasses.field(init=False)

    def __post_init__(self):
        weights = _check_weights(self.weights)
        n_components = weights.shape[0]
        means = _check_means(self.means, n_components)
        covariances = ensure_covariances(self.covariances, means.shape[1], n_components)
        covariance_type = ensure_choice(self.covariance_type, "covariance_type", COVARIANCE_TYPES)
        _check_structure(covariances, covariance_type)
        self._store(weights, means, covariances, covariance_type)

    def _store(self, weights, means, covariances, covariance_type):
        """Set the fields as frozen read-only arrays, with the Cholesky factors of the
        frozen covariances themselves, so that the two always agree."""
        covariances = frozen_array(covariances)
        object.__setattr__(self, "covariance_type", covariance_type)
        for name, value in (
            ("weights", weights),
            ("means", means),
            ("covariances", covariances),
            ("cholesky", cholesky_factors(covariances)),
        ):
            object.__setattr__(self, name, frozen_array(value))

    def __reduce__(self):
        # copy, deepcopy and pickle rebuild through the constructor: checked, read-only.
        return (type(self), tuple(getattr(self, name) for name in _FIELDS))

    @classmethod
    def _from_m_step(cls, weights, means, covariances, covariance_type):
        """Parameters the library's own M-step just computed, without re-checking them.

        The M-step's output has the checked shapes, is finite, has non-negative weights
        summing to 1 (N_k / sum N_k, each N_k >= MIN_NK after the collapse check),
        exactly symmetric covariances of the requested structure, and a valid
        ``covariance_type``; only the Cholesky factors are computed, of the frozen
        covariances, as the constructor does (a failure names the component the same
        way). The arrays are frozen read-only copies, as the constructor's.
        """
        self = object.__new__(cls)
        self._store(weights, means, covariances, covariance_type)
        return self

    n_components = shape_of_means(0, "K, the number of components.")
    n_features = shape_of_means(1, "D, the number of features of each point.")

    def replace(self, **changes):
        """Return a copy with some fields replaced (and checked again).

        Parameters
        ----------
        **changes
            New values for any of ``weights``, ``means``, ``covariances`` and
            ``covariance_type``; the others are kept.

        Raises
        ------
        TypeError
            If a keyword is not one of those fields.
        ValueError
            If the new parameters fail the constructor's checks.

        Examples
        --------
        >>> params = MixtureParams([0.5, 0.5], [0.0, 3.0], [1.0, 1.0])
        >>> params.replace(weights=[0.9, 0.1]).weights
        array([0.9, 0.1])
        """
        unknown = sorted(set(changes) - set(_FIELDS))
        if unknown:
            note = " (the Cholesky factors follow the covariances)" * ("cholesky" in unknown)
            raise TypeError(
                f"replace() takes {', '.join(_FIELDS)}; got {', '.join(unknown)}{note}"
            )
        fields = {name: getattr(self, name) for name in _FIELDS}
        fields.update(changes)
        return type(self)(**fields)

    # -- converting ----------------------------------------------------------

    @classmethod
    def from_sklearn(cls, gm):
        """The parameters of a fitted ``sklearn.mixture.GaussianMixture``.

        Every covariance type is converted to full (K, D, D) matrices.

        Parameters
        ----------
        gm : sklearn.mixture.GaussianMixture or BayesianGaussianMixture
            A fitted estimator.

        Returns
        -------
        MixtureParams
            With ``gm``'s covariance type.

        Raises
        ------
        TypeError
            If ``gm`` is not a Gaussian mixture estimator.
        ValueError
            If ``gm`` has not been fitted yet.
        """
        needed = ("covariance_type", "n_components")
        if not all(hasattr(gm, name) for name in needed):
            raise TypeError(
                f"gm must be a sklearn.mixture.GaussianMixture, got {type(gm).__name__}"
            )
        if not hasattr(gm, "covariances_"):
            raise ValueError("gm is not fitted yet: call gm.fit(X) first")
        means = np.asarray(gm.means_, dtype=float)
        n_components, n_features = means.shape
        covariances = np.asarray(gm.covariances_, dtype=float)
        if gm.covariance_type == "tied":
            covariances = np.broadcast_to(covariances, (n_components, n_features, n_features))
        elif gm.covariance_type == "diag":
            covariances = np.stack([np.diag(variances) for variances in covariances])
        elif gm.covariance_type == "spherical":
            covariances = covariances[:, None, None] * np.eye(n_features)
        return cls(gm.weights_, means, covariances, covariance_type=gm.covariance_type)

    def to_sklearn_init(self):
        """Keyword arguments that start a ``GaussianMixture`` from these parameters.

        Returns a dict with ``weights_init``, ``means_init`` and
        ``precisions_init`` in the format scikit-learn expects for
        ``covariance_type=self.covariance_type``, so that
        ``GaussianMixture(K, covariance_type=p.covariance_type,
        **p.to_sklearn_init())`` starts where ``gmmlab.fit(X, K, init=p)`` does.
        The precisions :math:`\\Sigma_k^{-1} = L_k^{-\\top} L_k^{-1}` come from the
        triangular Cholesky factors, never from inverting :math:`\\Sigma_k`.

        Returns
        -------
        dict
            ``weights_init`` (K,), ``means_init`` (K, D) and ``precisions_init``:
            (K, D, D) for "full", (D, D) for "tied", (K, D) for "diag", (K,) for
            "spherical". Writable copies.
        """
        from scipy.linalg import solve_triangular

        # Sigma^-1 = L^-T L^-1 = W^T W with W = L^-1, from the triangular factor.
        eye = np.eye(self.n_features)
        whitening = [solve_triangular(c, eye, lower=True) for c in self.cholesky]
        precisions = np.stack([w.T @ w for w in whitening])
        if self.covariance_type == "tied":
            precisions = precisions[0]
        elif self.covariance_type == "diag":
            precisions = 1.0 / np.diagonal(self.covariances, axis1=1, axis2=2)
        elif self.covariance_type == "spherical":
            precisions = 1.0 / self.covariances[:, 0, 0]
        return {
            "weights_init": self.weights.copy(),
            "means_init": self.means.copy(),
            "precisions_init": precisions,
        }

    # -- using ---------------------------------------------------------------

    def sample(self, n, seed=None):
        """Draw ``n`` points from the mixture, as the generative model says.

        For each point, pick a component :math:`z_i = k` with probability
        :math:`\\pi_k`, then draw :math:`x_i = \\mu_k + L_k \\epsilon_i` with
        :math:`\\epsilon_i \\sim \\mathcal{N}(0, I)`.

        Parameters
        ----------
        n : int
            How many points (at least 1).
        seed : int, numpy.random.Generator or None
            Seed of the random numbers; the same seed gives the same sample.

        Returns
        -------
        X : ndarray of shape (n, D)
            The points, in random order.
        labels : ndarray of shape (n,)
            The component :math:`z_i` each point was drawn from.

        Raises
        ------
        TypeError
            If ``n`` is not an integer, or ``seed`` not an integer or Generator.
        ValueError
            If ``n`` < 1 or ``seed`` < 0.
        """
        n = ensure_int(n, "n", minimum=1)
        rng = ensure_seed(seed)
        labels = rng.choice(self.n_components, size=n, p=self.weights / self.weights.sum())
        noise = rng.standard_normal((n, self.n_features))
        X = np.empty((n, self.n_features))
        for k in range(self.n_components):
            drawn = labels == k
            X[drawn] = self.means[k] + noise[drawn] @ self.cholesky[k].T
        return X, labels

    def marginal(self, features):
        """The mixture of the chosen features only (e.g. two of four, to plot).

        The marginal of a Gaussian keeps the chosen entries of the mean and
        the chosen rows and columns of the covariance; the weights stay.

        Parameters
        ----------
        features : int or sequence of int
            Indices of the features to keep (0 to D - 1, each at most once), in the
            order wanted.

        Returns
        -------
        MixtureParams

        Raises
        ------
        TypeError
            If ``features`` is not an integer or a sequence of integers.
        ValueError
            If it is empty, out of range or repeats a feature.
        """
        if isinstance(features, (str, bytes)) or not np.iterable(features):
            features = [features]
        indices = [ensure_int(f, "features", 0, self.n_features - 1) for f in features]
        if not indices:
            raise ValueError("features must name at least one feature")
        if len(set(indices)) != len(indices):
            raise ValueError(
                f"features must name each feature at most once, got {indices}: a repeated "
                "feature would give a singular covariance"
            )
        grid = np.ix_(range(self.n_components), indices, indices)
        return MixtureParams(
            self.weights,
            self.means[:, indices],
            self.covariances[grid],
            covariance_type=self.covariance_type,
        )

    def rescaled(self, factors):
        r"""The same mixture in other units: feature j multiplied by ``factors[j]``.

        If x follows this mixture, then :math:`y = A x` with :math:`A =
        \operatorname{diag}(c_1, \dots, c_D)` follows the mixture with the same weights and

        .. math:: \mu'_k = A \mu_k, \qquad \Sigma'_k = A \Sigma_k A ,

        whose density is :math:`p_Y(y) = p_X(x) / |\det A|`, so that
        :math:`\log p_Y(y) = \log p_X(x) - \sum_j \log |c_j|` at every point (a change of
        variables). Centimetres to millimetres is a factor 10. A diagonal rescaling keeps a
        full, diagonal or tied structure; a spherical mixture stays spherical only when every
        factor has the same size, and becomes diagonal otherwise.

        Parameters
        ----------
        factors : float or array-like of shape (D,)
            :math:`c_j`, each finite and non-zero (one number: the same for every feature).

        Returns
        -------
        MixtureParams

        Raises
        ------
        TypeError, ValueError
            If ``factors`` is not a number or D numbers, or one is 0 or not finite.

        Examples
        --------
        >>> params = MixtureParams([1.0], [[1.5, 0.2]], [[[0.03, 0.006], [0.006, 0.01]]])
        >>> params.rescaled([1, 10]).covariances   # width in mm, length in cm
        array([[[0.03, 0.06],
                [0.06, 1.  ]]])
        """
        factors = as_float_array(factors, "factors")
        if factors.ndim == 0:
            factors = np.full(self.n_features, float(factors))
        if factors.shape != (self.n_features,):
            raise ValueError(
                f"factors must be one number or one per feature ({self.n_features}), "
                f"got shape {factors.shape}"
            )
        ensure_finite(factors, "factors")
        if (factors == 0).any():
            raise ValueError(
                f"factors must be non-zero (a unit change), got {factors.tolist()}: a factor "
                "of 0 would squash a feature to a point"
            )
        covariances = self.covariances * np.multiply.outer(factors, factors)
        covariance_type = self.covariance_type
        if covariance_type == "spherical" and not np.allclose(
            np.abs(factors), abs(factors[0]), rtol=1e-12, atol=0
        ):
            covariance_type = "diag"
        return MixtureParams(
            self.weights, self.means * factors, covariances, covariance_type=covariance_type
        )

    def permute(self, order):
        """The same mixture with its components renumbered: new k = old order[k].

        Parameters
        ----------
        order : sequence of int
            A permutation of 0, ..., K - 1.

        Returns
        -------
        MixtureParams

        Raises
        ------
        TypeError
            If ``order`` holds anything but integers (booleans included).
        ValueError
            If it is not a permutation of 0, ..., K - 1.
        """
        order = check_order(order, self.n_components)
        return MixtureParams(
            self.weights[order],
            self.means[order],
            self.covariances[order],
            covariance_type=self.covariance_type,
        )

    def aligned_to(self, reference):
        """Renumber the components to match a reference, mean by mean.

        EM numbers its components arbitrarily ("label switching"): two runs
        can find the same mixture in another order. This returns the
        permutation of ``self`` whose means are closest to the reference's
        (see :meth:`matching_order`).

        Parameters
        ----------
        reference : MixtureParams, EMResult or array-like of shape (K, D)
            Parameters (or a fit's final ones), or just centres (such as
            K-Means'), to match.

        Returns
        -------
        MixtureParams

        Raises
        ------
        TypeError, ValueError
            As :meth:`matching_order`.
        """
        return self.permute(self.matching_order(reference))

    def matching_order(self, reference):
        """The order of components whose means best match the reference's.

        Component ``order[j]`` of ``self`` is matched with component j of the
        reference, minimising the total squared distance between matched
        means (``scipy.optimize.linear_sum_assignment``).

        Parameters
        ----------
        reference : MixtureParams, EMResult or array-like of shape (K, D)
            Parameters (or a fit's final ones), or just K finite centres.

        Returns
        -------
        list of int

        Raises
        ------
        TypeError
            If ``reference`` is not parameters, a fit result or an array of numbers.
        ValueError
            If it does not hold K finite centres of D features.
        """
        if isinstance(getattr(reference, "params", None), MixtureParams):  # an EMResult
            reference = reference.params
        centres = reference.means if isinstance(reference, MixtureParams) else reference
        centres = as_float_array(centres, "reference")
        if centres.ndim == 1 and self.n_features == 1:
            centres = centres[:, np.newaxis]
        if centres.shape != self.means.shape:
            raise ValueError(
                f"reference must have {self.n_components} centres of {self.n_features} "
                f"feature(s), shape {self.means.shape}; got shape {centres.shape}"
            )
        ensure_finite(centres, "reference")
        return match_components(self.means, centres)

    def table(self, feature_names=None, digits=3):
        """The parameters as a table, one row per component (HTML in a notebook).

        Parameters
        ----------
        feature_names : sequence of D str, or None
            Column headings for the features (default x0, x1, ...).
        digits : int, default 3
            Significant digits shown.

        Returns
        -------
        gmmlab.tables.Table

        Raises
        ------
        TypeError, ValueError
            As :func:`gmmlab.tables.params_table`, which checks both arguments.
        """
        from .tables import params_table

        return params_table(self, feature_names=feature_names, digits=digits)

    def _repr_html_(self):
        return self.table()._repr_html_()

    def __repr__(self):
        lines = [
            f"MixtureParams(n_components={self.n_components}, "
            f"n_features={self.n_features}, covariance_type={self.covariance_type!r})"
        ]
        for k in range(self.n_components):
            mean = _format_array(self.means[k])
            cov = _format_array(self.covariances[k])
            lines.append(f"  k={k}: weight={self.weights[k]:.4g}  mean={mean}  covariance={cov}")
        return "\n".join(lines)

    def with_weight(self, component, weight):
        r"""The mixture with :math:`\pi_k` set to ``weight``, the other weights rescaled.

        The other components keep their proportions to one another and the
        weights still sum to 1:

        .. math:: \pi'_k = w, \qquad
                  \pi'_j = \pi_j \, \frac{1 - w}{1 - \pi_k} \quad (j \ne k).

        (If :math:`\pi_k = 1`, the others share :math:`1 - w` equally.)

        Parameters
        ----------
        component : int
            k, from 0 to K - 1.
        weight : float
            w, from 0 to 1 (exactly 1 when K = 1).

        Returns
        -------
        MixtureParams

        Raises
        ------
        ValueError, TypeError
            Naming ``component`` or ``weight``.

        Examples
        --------
        >>> params = MixtureParams([0.5, 0.3, 0.2], [0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
        >>> params.with_weight(0, 0.8).weights
        array([0.8 , 0.12, 0.08])
        """
        from ._validation import ensure_float

        k = ensure_int(component, "component", 0, self.n_components - 1)
        weight = ensure_float(weight, "weight", minimum=0.0)
        if weight > 1.0 or (self.n_components == 1 and weight != 1.0):
            expected = "exactly 1 (K = 1)" if self.n_components == 1 else "at most 1"
            raise ValueError(f"weight must be {expected}, got {weight}")
        others = np.arange(self.n_components) != k
        rest = 1.0 - self.weights[k]
        weights = np.empty(self.n_components)
        if rest > 0:
            weights[others] = self.weights[others] * (1.0 - weight) / rest
        else:
            weights[others] = (1.0 - weight) / others.sum()
        weights[k] = weight
        return self.replace(weights=weights)


def _format_array(array):
    return np.array2string(array, precision=4, separator=", ", suppress_small=True).replace(
        "\n", ""
    )


def frozen_array(array):
    """A read-only float copy of ``array`` that no flag change can make writable.

    NumPy lets anyone set ``flags.writeable = True`` again on an array that owns its
    memory. This one's memory is an immutable ``bytes`` object, so NumPy refuses.
    """
    array = np.asarray(array, dtype=float)
    if _is_frozen(array):
        return array
    return np.frombuffer(np.ascontiguousarray(array).tobytes(), dtype=float).reshape(array.shape)


def _is_frozen(array):
    base = array
    while isinstance(base, np.ndarray):
        if base.flags.writeable:
            return False
        base = base.base
    return isinstance(base, bytes)


def check_order(order, n_components, name="order"):
    """A permutation of 0..K-1 as an integer array, or a TypeError/ValueError naming it."""
    expected = f"a permutation of 0..{n_components - 1}"
    if isinstance(order, (str, bytes)):
        raise TypeError(f"{name} must be {expected}, got a string")
    try:
        array = np.asarray(order)
    except ValueError:  # ragged
        raise ValueError(f"{name} must be {expected}, got {order!r}") from None
    if array.size and (array.dtype == bool or not np.issubdtype(array.dtype, np.integer)):
        raise TypeError(
            f"{name} must be {expected} (integers), got {array.tolist()!r} of dtype {array.dtype}"
        )
    if array.shape != (n_components,) or sorted(array.tolist()) != list(range(n_components)):
        raise ValueError(f"{name} must be {expected}, got {array.tolist()}")
    return array


def _check_weights(weights):
    weights = as_float_array(weights, "weights")
    if weights.ndim != 1 or weights.shape[0] == 0:
        raise ValueError(
            f"weights must be a 1-D array of K >= 1 mixing weights, got shape {weights.shape}"
        )
    ensure_finite(weights, "weights")
    if (weights < 0).any():
        k = int(np.flatnonzero(weights < 0)[0])
        raise ValueError(f"weights must be non-negative; weights[{k}] = {weights[k]:.6g}")
    total = weights.sum()
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise ValueError(f"weights must sum to 1, they sum to {total:.6g}")
    return weights


def _check_means(means, n_components):
    means = as_float_array(means, "means")
    if means.ndim == 1:  # K scalar means: one feature
        means = means[:, np.newaxis]
    if means.ndim != 2 or means.shape[0] != n_components:
        raise ValueError(
            f"means must have shape (K, D) with K = {n_components} (the number "
            f"of weights), got shape {means.shape}"
        )
    if means.shape[1] == 0:
        raise ValueError("means must have at least one feature, got shape (K, 0)")
    ensure_finite(means, "means")
    return means


def ensure_covariances(covariances, n_features, n_components, name="covariances", single=False):
    """Shape, finiteness and symmetry; ``name`` is the caller's argument.

    ``single``: the caller passed one matrix (e.g. ``cov``), named without an index.
    """
    covariances = as_float_array(covariances, name)
    if covariances.ndim == 1 and n_features == 1:  # K variances of one feature
        covariances = covariances[:, np.newaxis, np.newaxis]
    expected = (n_components, n_features, n_features)
    if covariances.shape != expected:
        raise ValueError(
            f"{name} must have shape (K, D, D) = {expected} to match the "
            f"weights and means, got shape {covariances.shape}"
        )
    ensure_finite(covariances, name)
    scale = np.abs(covariances).max(axis=(1, 2))
    asymmetry = np.abs(covariances - covariances.transpose(0, 2, 1)).max(axis=(1, 2))
    for k in np.flatnonzero(asymmetry > _SYMMETRY_TOLERANCE * np.maximum(scale, 1e-300)):
        label = name if single else f"{name}[{k}]"
        raise ValueError(
            f"{label} must be symmetric; it differs from its transpose by up to {asymmetry[k]:.3g}"
        )
    return covariances


def _check_structure(covariances, covariance_type):
    """Check that the matrices have the structure their covariance type says.

    The tolerance is relative to each component's own scale, so that a mixture of a
    tiny and a huge component is checked as strictly as any other.
    """
    n_features = covariances.shape[1]
    diagonals = np.diagonal(covariances, axis1=1, axis2=2)
    tolerance = 1e-12 * np.abs(covariances).max(axis=(1, 2))
    if covariance_type in ("diag", "spherical"):
        off_diagonal = covariances - diagonals[:, :, None] * np.eye(n_features)
        if (np.abs(off_diagonal).max(axis=(1, 2)) > tolerance).any():
            raise ValueError(
                f"covariance_type={covariance_type!r} needs diagonal covariances, "
                "but some have non-zero off-diagonal entries"
            )
    if covariance_type == "spherical" and (np.ptp(diagonals, axis=1) > tolerance).any():
        raise ValueError(
            "covariance_type='spherical' needs each covariance to be a multiple "
            "of the identity (equal variances)"
        )
    if covariance_type == "tied":
        differences = np.abs(covariances - covariances[0]).max(axis=(1, 2))
        if (differences > 1e-12 * np.abs(covariances).max()).any():
            raise ValueError(
                "covariance_type='tied' needs every component to share one covariance"
            )


class NotPositiveDefiniteError(ValueError):
    """A covariance (``name``, e.g. "covariances[1]") is not positive definite."""

    def __init__(self, component, smallest_eigenvalue, name=None):
        name = f"covariances[{component}]" if name is None else name
        super().__init__(
            f"{name} must be positive definite, but its smallest "
            f"eigenvalue is {smallest_eigenvalue:.3g}"
        )
        self.component = component
        self.smallest_eigenvalue = smallest_eigenvalue


def cholesky_factors(covariances, name="covariances", single=False):
    """Lower Cholesky factors L_k of each Sigma_k, naming any that fails.

    ``name`` is the caller's argument: "covariances[k] must be positive definite", or
    with ``single`` (the caller passed one matrix, e.g. ``cov``) "cov must be...".
    """
    try:
        return np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        pass
    for k, covariance in enumerate(covariances):
        try:
            np.linalg.cholesky(covariance)
        except np.linalg.LinAlgError:
            label = name if single else f"{name}[{k}]"
            raise NotPositiveDefiniteError(k, np.linalg.eigvalsh(covariance)[0], label) from None
    raise AssertionError("unreachable: a stacked Cholesky failed but none alone did")


def match_components(means, centres):
    r"""The component matched with each centre, minimising the total squared distance.

    .. math:: \min_{\sigma} \sum_{j=0}^{C-1} \lVert c_j - \mu_{\sigma(j)} \rVert^2

    over the one-to-one maps :math:`\sigma` from the C centres to distinct components
    (``scipy.optimize.linear_sum_assignment``). With C = K it is an order of all the
    components (:meth:`MixtureParams.matching_order`); with fewer centres, the K - C
    components left over are matched with none.

    Parameters
    ----------
    means : ndarray of shape (K, D)
        The components' means, finite.
    centres : ndarray of shape (C, D)
        Finite.

    Returns
    -------
    list of int
        min(C, K) distinct components, in the order of the centres they are matched
        with: with C <= K, ``order[j]`` is matched with centre j.

    Examples
    --------
    >>> match_components(np.array([[0.0], [5.0], [9.0]]), np.array([[8.0], [1.0]]))
    [2, 0]
    """
    from scipy.optimize import linear_sum_assignment

    distances = ((centres[:, np.newaxis, :] - means[np.newaxis]) ** 2).sum(axis=2)
    _, order = linear_sum_assignment(distances)
    return [int(k) for k in order]


def ensure_params(params, n_features=None, n_components=None, name="params"):
    """``params`` must be a MixtureParams that fits the data's feature count."""
    if not isinstance(params, MixtureParams):
        raise TypeError(f"{name} must be a gmmlab.MixtureParams, got {type(params).__name__}")
    if n_features is not None and params.n_features != n_features:
        raise ValueError(
            f"X has {n_features} feature(s) but {name} describes "
            f"{params.n_features}: use the same columns for both"
        )
    if n_components is not None and params.n_components != n_components:
        raise ValueError(
            f"{name} has {params.n_components} components but n_components is {n_components}"
        )
    return params


def ensure_mixture(params, n_features, name="params"):
    """A MixtureParams of ``n_features`` features (for an explorer that takes no data)."""
    ensure_params(params, name=name)
    if params.n_features != n_features:
        raise ValueError(
            f"{name} must describe {n_features} feature(s), got a mixture of {params.n_features}"
        )
    return params
