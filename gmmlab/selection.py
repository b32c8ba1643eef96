r"""Choosing the number of components K: information criteria.

More components always fit the training data at least as well, so the
log-likelihood alone always prefers a larger K. An information criterion
adds a penalty per free parameter; :math:`d_\theta` is their number (written
p in some texts; the course keeps p for densities):

.. math::

    \mathrm{BIC} = -2\,\ell(\hat\theta) + d_\theta \log N, \qquad
    \mathrm{AIC} = -2\,\ell(\hat\theta) + 2 d_\theta

and the K with the lowest value is preferred. The other honest answer asks how well
each fit predicts points it never saw: the **held-out** log-likelihood per point
(:func:`mean_log_likelihood` on a validation set, or :func:`cross_validate`), which
rises while extra components describe the data and falls once they describe the
training points' accidents. :func:`sweep_components` fits every K and scores it all
three ways. One split is one draw: :meth:`ComponentSweep.fold_picks` and
:func:`picks_across_splits` show how the K each criterion picks moves from split to split.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from ._docstring import fill_doc
from ._validation import ensure_choice, ensure_int, ensure_n_components, ensure_X, is_dask_array
from .em import fit, log_likelihood
from .params import ensure_params
from .statistics import ComponentCollapseError


def n_parameters(params):
    r"""The number of free parameters :math:`d_\theta` of a mixture.

    .. math::

        d_\theta = \underbrace{(K - 1)}_{\pi} + \underbrace{K D}_{\mu}
            + \underbrace{c}_{\Sigma}, \quad
        c = \begin{cases}
            K\,D(D+1)/2 & \text{full} \\
            K\,D & \text{diag} \\
            K & \text{spherical} \\
            D(D+1)/2 & \text{tied}
        \end{cases}

    The weights have K - 1 free values because they must sum to 1.

    Parameters
    ----------
    params : MixtureParams
        Its ``covariance_type`` says how many covariance values are free.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``params`` is not a MixtureParams.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> n_parameters(MixtureParams([0.5, 0.5], [0.0, 1.0], [1.0, 1.0]))
    5
    """
    params = ensure_params(params)
    return _count(params.n_components, params.n_features, params.covariance_type)


def n_parameters_for(n_components, n_features, covariance_type="full"):
    r"""The number of free parameters :math:`d_\theta` of a mixture of K components in D
    dimensions, without a fitted mixture: the count :func:`n_parameters` makes.

    .. math::

        d_\theta = (K - 1) + K D + c, \quad
        c = K\,D(D+1)/2,\ K D,\ K \text{ or } D(D+1)/2
        \text{ (full, diag, spherical, tied)}

    Parameters
    ----------
    n_components : int >= 1
        K.
    n_features : int >= 1
        D.
    covariance_type : {"full", "diag", "spherical", "tied"}, default "full"

    Returns
    -------
    int

    Raises
    ------
    TypeError, ValueError
        If a count is not an integer of at least 1, or the covariance type is unknown.

    Examples
    --------
    >>> n_parameters_for(3, 4), n_parameters_for(3, 4, "diag")
    (44, 26)
    """
    from .params import COVARIANCE_TYPES

    n_components = ensure_int(n_components, "n_components", minimum=1)
    n_features = ensure_int(n_features, "n_features", minimum=1)
    covariance_type = ensure_choice(covariance_type, "covariance_type", COVARIANCE_TYPES)
    return _count(n_components, n_features, covariance_type)


def _count(k, d, covariance_type):
    covariance_values = {
        "full": k * d * (d + 1) // 2,
        "diag": k * d,
        "spherical": k,
        "tied": d * (d + 1) // 2,
    }[covariance_type]
    return (k - 1) + k * d + covariance_values


@fill_doc
def bic(X, params):
    r"""Bayesian information criterion, :math:`-2\ell(\theta) + d_\theta \log N`: lower is better.

    %(Parameters: X_or_dask, params_counted)s

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As :func:`~gmmlab.log_likelihood`: malformed arguments, or a ValueError naming X
        when a point is so far from every component that :math:`\ell` is below the
        floating-point range.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(bic([0.0, 0.0], params), 4)   # -2 l + 2 log 2
    5.062
    """
    if not is_dask_array(X):
        X = ensure_X(X)
    return -2.0 * log_likelihood(X, params) + n_parameters(params) * math.log(X.shape[0])


@fill_doc
def aic(X, params):
    r"""Akaike information criterion, :math:`-2\ell(\theta) + 2 d_\theta`: lower is better.

    %(Parameters: X_or_dask, params_counted)s

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As :func:`bic`.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(aic([0.0, 0.0], params), 4)   # -2 l + 2 * 2
    7.6758
    """
    return -2.0 * log_likelihood(X, params) + 2 * n_parameters(params)


# -- held-out log-likelihood ------------------------------------------------------------


@fill_doc
def mean_log_likelihood(X, params):
    r"""The average log-density of the points, :math:`\ell(\theta) / N`: scikit-learn's ``score``.

    .. math::

        \bar\ell(\theta; X) = \frac{1}{N} \sum_{i=1}^{N} \log p(x_i \mid \theta)

    On the points the mixture was fitted to, this is the training log-likelihood per point;
    on points it never saw (a validation set), the **held-out log-likelihood**: how well the
    fitted density predicts new data. Dividing by N makes the two comparable although the
    sets differ in size.

    %(Parameters: X, params)s

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As :func:`~gmmlab.log_likelihood`.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(mean_log_likelihood([0.0, 0.0], params), 4)   # log N(0 | 0, 1)
    -0.9189
    """
    X = ensure_X(X)
    return log_likelihood(X, params) / X.shape[0]


@fill_doc
def cross_validate(X, n_components, *, n_folds=5, seed=0, **fit_options):
    r"""Held-out log-likelihood per point of each of F folds (K-fold cross-validation).

    The points are shuffled and split into F folds :math:`V_1, \dots, V_F` of (nearly)
    equal size by scikit-learn's ``KFold(n_folds, shuffle=True, random_state=seed)``. For
    each fold f, a mixture :math:`\hat\theta_{-f}` is fitted to the other folds and scored on
    the fold it never saw:

    .. math::

        \bar\ell_f = \frac{1}{|V_f|} \sum_{i \in V_f} \log p(x_i \mid \hat\theta_{-f}),
        \qquad
        \bar\ell_{\mathrm{CV}} = \frac{1}{F} \sum_{f=1}^{F} \bar\ell_f .

    Every point is held out exactly once, so the average :math:`\bar\ell_{\mathrm{CV}}` uses
    all the data for scoring and is less noisy than one validation split.

    %(Parameters: X)s
    n_components : int
        K, the same in every fold.
    n_folds : int, default 5
        F, from 2 to N.
    seed : int >= 0, default 0
        Seeds both the shuffle of the folds and each fit's start.
    **fit_options
        Passed to :func:`gmmlab.fit` (``max_iter``, ``tol``, ``reg_covar``,
        ``covariance_type``, ``init``...).

    Returns
    -------
    ndarray of shape (F,)
        :math:`\bar\ell_f` for each fold; their mean is :math:`\bar\ell_{\mathrm{CV}}`.

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (the message names it), as :func:`gmmlab.fit` for the
        fit options.
    ComponentCollapseError
        If a fit collapses; a note names the fold.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.concatenate([np.linspace(-1, 1, 20), np.linspace(9, 11, 20)])
    >>> cross_validate(X, 2, n_folds=4).shape
    (4,)
    """
    X = ensure_X(X)
    n_folds = _check_n_folds(n_folds, X.shape[0])
    seed = ensure_int(seed, "seed", minimum=0)
    n_components = ensure_n_components(n_components, X.shape[0])
    smallest = X.shape[0] - -(-X.shape[0] // n_folds)  # the training part of the largest fold
    if n_components > smallest:
        raise ValueError(
            f"n_components must be at most the points each fit sees: with n_folds={n_folds}, "
            f"a fold's training part holds {smallest} of the {X.shape[0]} points, fewer than "
            f"K = {n_components}; lower n_components or n_folds"
        )
    return _fold_runs(X, n_components, n_folds, seed, fit_options)[0]


def _fold_runs(X, n_components, n_folds, seed, fit_options):
    """Each fold's held-out score, and its fit's log-likelihood and size on the other folds."""
    from sklearn.model_selection import KFold

    scores, train_ll, train_n = np.empty(n_folds), np.empty(n_folds), np.empty(n_folds)
    folds = KFold(n_folds, shuffle=True, random_state=seed).split(X)
    for f, (train, held_out) in enumerate(folds):
        try:
            result = fit(X[train], n_components, seed=seed, **fit_options)
        except ComponentCollapseError as error:
            error.add_note(f"(while fitting fold {f} of {n_folds}, K = {n_components})")
            raise
        scores[f] = mean_log_likelihood(X[held_out], result.params)
        train_ll[f], train_n[f] = result.log_likelihoods[-1], len(train)
    return scores, train_ll, train_n


# -- a sweep over K ----------------------------------------------------------------------

#: The criteria :meth:`ComponentSweep.best` knows, and whether a higher value is better.
CRITERIA = {"held-out": True, "BIC": False, "AIC": False, "train": True}


@dataclasses.dataclass(frozen=True, eq=False)
class ComponentSweep:
    r"""One fit per K, scored on the training points, on held-out points, and by BIC and AIC.

    Made by :func:`sweep_components`. The arrays hold one value per K, in the order of
    ``n_components``; they are read-only.

    Attributes
    ----------
    n_components : ndarray of int
        The K values, increasing.
    fits : mapping of int to EMResult
        The fit to the training points X for each K (read-only).
    train : ndarray
        :math:`\bar\ell` on the training points, :math:`\ell(\hat\theta_K) / N`.
    held_out : ndarray or None
        :math:`\bar\ell` on the held-out points, or the cross-validated
        :math:`\bar\ell_{\mathrm{CV}}`; None when the sweep had neither.
    held_out_folds : ndarray of shape (len(n_components), F) or None
        With cross-validation, each fold's :math:`\bar\ell_f`.
    n_parameters : ndarray of int
        :math:`d_\theta` for each K (:func:`n_parameters`).
    bic, aic : ndarray
        :math:`-2\ell(\hat\theta_K) + d_\theta \log N` and :math:`-2\ell(\hat\theta_K) +
        2 d_\theta`, on the training points.
    held_out_method : str or None
        How ``held_out`` was computed: "held-out points", "5-fold cross-validation", or None.
    fold_bic, fold_aic : ndarray of shape (len(n_components), F) or None
        With cross-validation, BIC and AIC of each fold's fit on the points it was fitted to.
    """

    n_components: np.ndarray
    fits: Mapping
    train: np.ndarray
    held_out: np.ndarray | None
    held_out_folds: np.ndarray | None
    n_parameters: np.ndarray
    bic: np.ndarray
    aic: np.ndarray
    held_out_method: str | None
    fold_bic: np.ndarray | None = None
    fold_aic: np.ndarray | None = None

    def fold_picks(self):
        r"""The K each criterion picks on each cross-validation fold: F splits for free.

        Fold f's fit :math:`\hat\theta_{-f}` saw the other folds; the held-out score picks
        the K with the highest :math:`\bar\ell_f`, BIC and AIC the K with the lowest value on
        the points that fit saw.

        Returns
        -------
        SplitPicks

        Raises
        ------
        ValueError
            If the sweep did not cross-validate (``n_folds`` was not given).
        """
        if self.held_out_folds is None:
            raise ValueError("this sweep has no folds: pass n_folds to sweep_components")
        ks = self.n_components
        picks = {
            "held-out": ks[np.argmax(self.held_out_folds, axis=0)],
            "BIC": ks[np.argmin(self.fold_bic, axis=0)],
            "AIC": ks[np.argmin(self.fold_aic, axis=0)],
        }
        return SplitPicks(
            n_components=ks,
            picks=MappingProxyType({name: _read_only(v) for name, v in picks.items()}),
            held_out=_read_only(self.held_out_folds.T),
            n_splits=self.held_out_folds.shape[1],
        )

    def best(self, criterion):
        """The K that ``criterion`` prefers: the highest held-out or training
        :math:`\\bar\\ell`, the lowest BIC or AIC.

        Parameters
        ----------
        criterion : {"held-out", "BIC", "AIC", "train"}

        Returns
        -------
        int

        Raises
        ------
        ValueError
            For another criterion, or "held-out" when the sweep had no held-out points.
        """
        criterion = ensure_choice(criterion, "criterion", tuple(CRITERIA))
        values = {
            "held-out": self.held_out,
            "BIC": self.bic,
            "AIC": self.aic,
            "train": self.train,
        }[criterion]
        if values is None:
            raise ValueError(
                "this sweep has no held-out log-likelihood: pass X_held_out or n_folds to "
                "sweep_components"
            )
        index = np.argmax(values) if CRITERIA[criterion] else np.argmin(values)
        return int(self.n_components[index])

    @property
    def choices(self):
        """``{criterion: K}`` for held-out (when computed), BIC and AIC."""
        names = ("held-out", "BIC", "AIC") if self.held_out is not None else ("BIC", "AIC")
        return {name: self.best(name) for name in names}

    def table(self, digits=3):
        r"""The sweep as a table: K, :math:`d_\theta`, :math:`\bar\ell` on the training and
        held-out points, BIC and AIC.

        Parameters
        ----------
        digits : int, default 3

        Returns
        -------
        gmmlab.tables.Table
        """
        from .tables import Table

        headers = ["K", "d_θ", "ℓ/N, training"]
        columns = [self.n_components, self.n_parameters, self.train]
        if self.held_out is not None:
            headers.append(f"ℓ/N, {self.held_out_method}")
            columns.append(self.held_out)
        headers += ["BIC", "AIC"]
        columns += [self.bic, self.aic]
        rows = [
            [int(v) if i < 2 else float(v) for i, v in enumerate(row)]
            for row in zip(*columns, strict=True)
        ]
        return Table(headers, rows, digits=digits)


@fill_doc
def sweep_components(
    X, n_components, *, X_held_out=None, n_folds=None, n_init=1, seed=0, **fit_options
):
    r"""Fit a mixture for each K and score every fit: the tool for choosing K honestly.

    For each K, :func:`gmmlab.fit` runs on the training points X; the fit is scored by

    * its training log-likelihood per point, :math:`\ell(\hat\theta_K) / N`, which (up to
      EM's local maxima) only rises with K: more components can always fit the same points
      at least as well;
    * BIC and AIC, which subtract a penalty per free parameter :math:`d_\theta`;
    * and, given ``X_held_out`` or ``n_folds``, its **held-out** log-likelihood per point
      (:func:`mean_log_likelihood` on points the fit never saw, or :func:`cross_validate`),
      which rises while extra components describe the data's real shape and falls once they
      describe the training points' accidents.

    %(Parameters: X_training)s
    n_components : iterable of int
        The K values to try, each from 1 to N, no repeats (e.g. ``range(1, 16)``).
    X_held_out : array-like of shape (M, D), optional
        Validation points, never used for fitting.
    n_folds : int, optional
        Instead of ``X_held_out``: score each K by F-fold cross-validation on X (F more
        fits per K).
    n_init : int >= 1, default 1
        Starts per fit (lesson 9's rule: keep the best of several); every fit, the
        cross-validation folds' included, keeps the best of ``n_init`` starts.
    seed : int >= 0, default 0
        The start of every fit (and the folds' shuffle).
    **fit_options
        Passed to :func:`gmmlab.fit` (``max_iter``, ``tol``, ``reg_covar``,
        ``covariance_type``...).

    Returns
    -------
    ComponentSweep
        The fits and their scores; ``.best("held-out")``, ``.choices`` and ``.table()``.

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (the message names it), if both ``X_held_out`` and
        ``n_folds`` are given, or ``X_held_out`` has other features than X.
    ComponentCollapseError
        If a fit collapses; a note names the K.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, 100), rng.normal(8, 1, 100)])
    >>> sweep = sweep_components(X[::2], [1, 2, 3], X_held_out=X[1::2])
    >>> sweep.choices
    {'held-out': 2, 'BIC': 2, 'AIC': 2}
    """
    X = ensure_X(X)
    ks = _check_ks(n_components, X.shape[0])
    seed = ensure_int(seed, "seed", minimum=0)
    fit_options["n_init"] = ensure_int(n_init, "n_init", minimum=1)
    if X_held_out is not None and n_folds is not None:
        raise ValueError(
            "give either X_held_out (a validation set) or n_folds (cross-validation), not both"
        )
    if X_held_out is not None:
        X_held_out = ensure_X(X_held_out, "X_held_out")
        if X_held_out.shape[1] != X.shape[1]:
            raise ValueError(
                f"X_held_out must have the features of X ({X.shape[1]}), "
                f"got shape {X_held_out.shape}"
            )
    if n_folds is not None:
        n_folds = _check_n_folds(n_folds, X.shape[0])
    fits, folds = {}, []
    for k in ks:
        try:
            fits[k] = fit(X, k, seed=seed, **fit_options)
        except ComponentCollapseError as error:
            error.add_note(f"(while fitting K = {k})")
            raise
        if n_folds is not None:
            folds.append(_fold_runs(X, k, n_folds, seed, fit_options))
    params = [fits[k].params for k in ks]
    log_likelihoods = np.array([fits[k].log_likelihoods[-1] for k in ks])
    d_theta = np.array([n_parameters(p) for p in params])
    held_out, held_out_folds, method = None, None, None
    if X_held_out is not None:
        held_out = np.array([mean_log_likelihood(X_held_out, p) for p in params])
        method = "held-out points"
    fold_bic = fold_aic = None
    if n_folds is not None:
        scores, train_ll, train_n = (np.array([run[i] for run in folds]) for i in range(3))
        held_out_folds = _read_only(scores)
        held_out = held_out_folds.mean(axis=1)
        method = f"{n_folds}-fold cross-validation"
        fold_bic = _read_only(-2.0 * train_ll + d_theta[:, None] * np.log(train_n))
        fold_aic = _read_only(-2.0 * train_ll + 2 * d_theta[:, None])
    return ComponentSweep(
        n_components=_read_only(np.array(ks)),
        fits=MappingProxyType(fits),
        train=_read_only(log_likelihoods / X.shape[0]),
        held_out=None if held_out is None else _read_only(held_out),
        held_out_folds=held_out_folds,
        n_parameters=_read_only(d_theta),
        bic=_read_only(-2.0 * log_likelihoods + d_theta * math.log(X.shape[0])),
        aic=_read_only(-2.0 * log_likelihoods + 2 * d_theta),
        held_out_method=method,
        fold_bic=fold_bic,
        fold_aic=fold_aic,
    )


def _check_ks(n_components, n_samples):
    """The K values of a sweep: distinct integers from 1 to N, increasing."""
    if isinstance(n_components, (str, bytes)) or not hasattr(n_components, "__iter__"):
        raise TypeError(
            "n_components must be the K values to try, e.g. range(1, 11); "
            f"got {type(n_components).__name__}"
        )
    ks = [ensure_n_components(k, n_samples) for k in n_components]
    if not ks:
        raise ValueError("n_components must hold at least one K")
    repeated = sorted({k for k in ks if ks.count(k) > 1})
    if repeated:
        raise ValueError(f"n_components repeats K = {repeated[0]}; try each K once")
    return sorted(ks)


def _check_n_folds(n_folds, n_samples):
    """F, from 2 to N: each fold holds out at least one point."""
    n_folds = ensure_int(n_folds, "n_folds", minimum=2)
    if n_folds > n_samples:
        raise ValueError(
            f"n_folds must be at most the number of points ({n_samples}), got {n_folds}: "
            "each fold holds out at least one point"
        )
    return n_folds


def _read_only(array):
    array = np.asarray(array)
    array.flags.writeable = False
    return array


# -- the same choice across splits ---------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class SplitPicks:
    r"""The K each criterion picks on each of several train/held-out splits.

    Made by :func:`picks_across_splits`. One split is one draw: the held-out points, and
    the training points BIC and AIC see, change from split to split, and so does the K
    each criterion picks. These picks, side by side, show how much.

    Attributes
    ----------
    n_components : ndarray of int
        The K values tried on every split.
    picks : mapping of str to ndarray of int
        For "held-out", "BIC" and "AIC", the K picked on each split (read-only).
    held_out : ndarray of shape (n_splits, len(n_components))
        :math:`\bar\ell` of each K's fit on each split's held-out points.
    n_splits : int
    """

    n_components: np.ndarray
    picks: Mapping
    held_out: np.ndarray
    n_splits: int

    def counts(self, criterion):
        """How many splits each K was picked on, in the order of ``n_components``.

        Parameters
        ----------
        criterion : {"held-out", "BIC", "AIC"}

        Returns
        -------
        ndarray of int
        """
        criterion = ensure_choice(criterion, "criterion", tuple(self.picks))
        return np.array([int(np.sum(self.picks[criterion] == k)) for k in self.n_components])

    def table(self):
        """The picks as a table: one row per criterion, one column per K (how many splits
        picked it), then the range of the picks.

        Returns
        -------
        gmmlab.tables.Table
        """
        from .tables import Table

        ks = [int(k) for k in self.n_components]
        rows = []
        for name, picked in self.picks.items():
            counts = self.counts(name)
            rows.append([name, *[int(c) if c else "·" for c in counts],
                         f"{int(picked.min())}–{int(picked.max())}"])
        return Table(["criterion", *[f"K={k}" for k in ks], "range"], rows)


@fill_doc
def picks_across_splits(
    X, n_components, *, n_splits=10, test_size=0.25, n_init=1, seed=0, **fit_options
):
    r"""Choose K on each of several random train/held-out splits, by held-out
    :math:`\bar\ell`, BIC and AIC, and collect the picks.

    Split s (scikit-learn's ``ShuffleSplit(n_splits, test_size=test_size,
    random_state=seed)``) divides X into training points :math:`T_s` and held-out points
    :math:`V_s`; :func:`sweep_components` fits every K to :math:`T_s` and each criterion
    picks its K:

    .. math::

        \hat K_{\text{held-out}} = \arg\max_K \frac{1}{|V_s|} \sum_{i \in V_s}
            \log p(x_i \mid \hat\theta_K), \qquad
        \hat K_{\text{BIC}} = \arg\min_K \mathrm{BIC}(K), \qquad
        \hat K_{\text{AIC}} = \arg\min_K \mathrm{AIC}(K)

    with BIC and AIC computed on :math:`T_s`. How the picks spread over the splits shows
    how much one split can be trusted.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
        The points to split, finite (keep a test set out of them if you want one).
    n_components : iterable of int
        The K values to try on every split.
    n_splits : int >= 1, default 10
    test_size : float in (0, 1) or int, default 0.25
        The held-out share (or number) of points in each split, as ``ShuffleSplit`` takes it.
    n_init : int >= 1, default 1
        Starts per fit; the best is kept.
    seed : int >= 0, default 0
        Seeds the splits; split s seeds its fits with ``seed + s``.
    **fit_options
        Passed to :func:`gmmlab.fit` (``tol``, ``max_iter``, ``reg_covar``,
        ``covariance_type``...).

    Returns
    -------
    SplitPicks

    %(Raises: malformed_named)s

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(0, 1, 100), rng.normal(8, 1, 100)])
    >>> picks = picks_across_splits(X, [1, 2, 3], n_splits=3)
    >>> picks.picks["BIC"].tolist()
    [2, 2, 2]
    """
    from sklearn.model_selection import ShuffleSplit

    X = ensure_X(X)
    ks = _check_ks(n_components, X.shape[0])
    n_splits = ensure_int(n_splits, "n_splits", minimum=1)
    seed = ensure_int(seed, "seed", minimum=0)
    n_init = ensure_int(n_init, "n_init", minimum=1)
    if isinstance(test_size, bool) or not isinstance(test_size, (int, float, np.integer,
                                                                  np.floating)):
        raise TypeError(
            f"test_size must be a share in (0, 1) or a number of points, got "
            f"{type(test_size).__name__}"
        )
    if isinstance(test_size, (float, np.floating)):
        if not 0 < test_size < 1:
            raise ValueError(f"test_size must be a share in (0, 1), got {test_size}")
        n_test = math.ceil(test_size * X.shape[0])
    else:
        n_test = int(test_size)
    if not 1 <= n_test <= X.shape[0] - max(ks):
        raise ValueError(
            f"test_size must leave at least one held-out point and K = {max(ks)} training "
            f"points of the {X.shape[0]}, got {test_size}"
        )
    splitter = ShuffleSplit(n_splits, test_size=test_size, random_state=seed)
    picks = {name: [] for name in ("held-out", "BIC", "AIC")}
    held_out = []
    for s, (train, test) in enumerate(splitter.split(X)):
        sweep = sweep_components(X[train], ks, X_held_out=X[test], n_init=n_init,
                                 seed=seed + s, **fit_options)
        for name in picks:
            picks[name].append(sweep.best(name))
        held_out.append(sweep.held_out)
    return SplitPicks(
        n_components=_read_only(np.array(ks)),
        picks=MappingProxyType({name: _read_only(np.array(v)) for name, v in picks.items()}),
        held_out=_read_only(np.array(held_out)),
        n_splits=n_splits,
    )
