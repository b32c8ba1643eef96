r"""Ellipses and 2-D mixtures: a covariance as an ellipse, a fit over its scatter, one M-step.

Lessons 1, 2 and 4 (the ellipses and their geometry), 6 and 7 (responsibilities
and the M-step made visible), 9 and 10 (fits compared).
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.patches import Ellipse

from .._validation import (
    as_float_array,
    ensure_ax,
    ensure_bool,
    ensure_colors,
    ensure_finite,
    ensure_int,
    ensure_positive_number,
    ensure_resp,
    ensure_style,
    ensure_text,
    ensure_texts,
    ensure_X,
)
from ..params import ensure_params
from .colors import color_of, responsibility_colors

#: Line style of the ellipse enclosing 1, 2, 3 standard deviations.
_N_STD_LINESTYLES = {1: "-", 2: "--", 3: ":"}


def ellipse_geometry(mean, cov, n_std=2.0):
    r"""Centre, width, height and angle of the n-standard-deviation ellipse.

    The points at Mahalanobis distance ``n_std`` from the mean,
    :math:`(x - \mu)^\top \Sigma^{-1} (x - \mu) = n^2`, form an ellipse whose
    axes point along the eigenvectors :math:`v_j` of :math:`\Sigma` (its
    columns, from ``numpy.linalg.eigh``) with half-lengths
    :math:`n \sqrt{\lambda_j}`. In 2-D it encloses a fraction
    :math:`1 - e^{-n^2/2}` of the component's points (39%, 86%, 99% for
    n = 1, 2, 3).

    Parameters
    ----------
    mean : array-like of shape (2,)
        :math:`\mu`, finite.
    cov : array-like of shape (2, 2)
        :math:`\Sigma`, symmetric positive definite.
    n_std : float, default 2.0
        n, a finite number > 0.

    Returns
    -------
    center : tuple of float
    width : float
        Full length of the major axis, :math:`2 n \sqrt{\lambda_{max}}`.
    height : float
        Full length of the minor axis, :math:`2 n \sqrt{\lambda_{min}}`.
    angle : float
        Counter-clockwise angle of the major axis from the x-axis, in degrees,
        in [0, 180).

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If a shape is wrong, a value is not finite, ``cov`` is not symmetric
        positive definite, or ``n_std`` is not > 0.

    Examples
    --------
    >>> ellipse_geometry([0.0, 0.0], [[4.0, 0.0], [0.0, 1.0]], n_std=1)
    ((0.0, 0.0), 4.0, 2.0, 0.0)
    """
    mean = as_float_array(mean, "mean")
    cov = as_float_array(cov, "cov")
    if mean.shape != (2,):
        raise ValueError(
            f"mean must have shape (2,), one entry per feature, got shape {mean.shape}; "
            "for more features pick two with params.marginal((i, j))"
        )
    if cov.shape != (2, 2):
        raise ValueError(
            f"cov must have shape (2, 2), got shape {cov.shape}; for more features "
            "pick two with params.marginal((i, j))"
        )
    ensure_finite(mean, "mean")
    ensure_finite(cov, "cov")
    n_std = ensure_positive_number(n_std, "n_std")
    if abs(cov[0, 1] - cov[1, 0]) > 1e-8 * np.abs(cov).max():
        raise ValueError(f"cov must be symmetric, got {cov.tolist()}")
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    if eigenvalues[0] <= 0:
        raise ValueError(
            f"cov must be positive definite, but its smallest eigenvalue is "
            f"{eigenvalues[0]:.3g}: {cov.tolist()}"
        )
    major = eigenvectors[:, 1]
    angle = np.degrees(np.arctan2(major[1], major[0])) % 180.0
    if np.isclose(angle, 180.0):  # 179.999... is the same axis as 0
        angle = 0.0
    width, height = 2.0 * n_std * np.sqrt(eigenvalues[::-1])
    return (float(mean[0]), float(mean[1])), float(width), float(height), float(angle)


def covariance_ellipse(mean, cov, n_std=2.0, **kwargs):
    """A matplotlib ``Ellipse`` enclosing ``n_std`` standard deviations of a 2-D Gaussian.

    See :func:`ellipse_geometry` for the geometry. The ellipse is not added
    to any axes: pass it to ``ax.add_patch``.

    Parameters
    ----------
    mean : array-like of shape (2,)
    cov : array-like of shape (2, 2)
        Symmetric positive definite.
    n_std : float, default 2.0
        A finite number > 0.
    **kwargs
        ``matplotlib.patches.Ellipse`` style keywords (``edgecolor``,
        ``linewidth``, ``alpha``...). The ellipse is unfilled unless a
        ``facecolor`` or ``color`` is given.

    Returns
    -------
    matplotlib.patches.Ellipse

    Raises
    ------
    TypeError, ValueError
        As :func:`ellipse_geometry`; also for a style keyword an ``Ellipse``
        does not know, or a value it refuses.
    """
    center, width, height, angle = ellipse_geometry(mean, cov, n_std)
    style = _ellipse_style(kwargs, "covariance_ellipse")
    if "color" not in style:
        style.setdefault("facecolor", "none")
    return Ellipse(center, width, height, angle=angle, **style)


def _ellipse_style(kwargs, function):
    return ensure_style(kwargs, Ellipse((0.0, 0.0), 1.0, 1.0), function)


def update_ellipse(ellipse, mean, cov, n_std=2.0):
    """Move and reshape an existing ellipse in place (for widgets).

    Parameters
    ----------
    ellipse : matplotlib.patches.Ellipse
    mean, cov, n_std
        As :func:`ellipse_geometry`.

    Returns
    -------
    matplotlib.patches.Ellipse
        ``ellipse`` itself.

    Raises
    ------
    TypeError
        If ``ellipse`` is not a matplotlib ``Ellipse``; otherwise as
        :func:`ellipse_geometry`.
    """
    if not isinstance(ellipse, Ellipse):
        raise TypeError(
            f"ellipse must be a matplotlib.patches.Ellipse (e.g. from covariance_ellipse), "
            f"got {type(ellipse).__name__}"
        )
    center, width, height, angle = ellipse_geometry(mean, cov, n_std)
    ellipse.set_center(center)
    ellipse.set_width(width)
    ellipse.set_height(height)
    ellipse.set_angle(angle)
    return ellipse


def plot_ellipses(ax, params, n_std=(1, 2, 3), features=(0, 1), colors=None, **kwargs):
    """Draw each component's 1-, 2- and 3-standard-deviation ellipses.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    params : MixtureParams
        With two features, or more and ``features`` choosing two.
    n_std : float or sequence of float, default (1, 2, 3)
        Which ellipses to draw, each a finite number > 0; 1, 2, 3 get solid,
        dashed, dotted lines, and component 0's carry legend labels such as
        "2 std. dev.".
    features : pair of int, default (0, 1)
        Two different feature indices (numpy integers too), the two to show
        when ``params`` has more than two.
    colors : sequence of colours, optional
        Colours matplotlib knows, one per component (repeated if shorter);
        the course palette by default.
    **kwargs
        ``Ellipse`` style keywords (``linestyle``, ``linewidth``, ``alpha``...),
        passed to every ellipse.

    Returns
    -------
    list of matplotlib.patches.Ellipse
        Component-major: all of component 0's ellipses, then component 1's...

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    ensure_ax(ax)
    params = _two_features(params, features)
    levels = _as_levels(n_std)
    colors = ensure_colors(colors)
    kwargs = _ellipse_style(kwargs, "plot_ellipses")
    ellipses = []
    for k in range(params.n_components):
        color = color_of(colors, k)
        for n in levels:
            style = {
                "edgecolor": color,
                "linewidth": 2.0,
                "linestyle": _N_STD_LINESTYLES.get(n, "-."),
                "label": f"{n:g} std. dev." if k == 0 else None,
            }
            style.update(kwargs)
            ellipse = covariance_ellipse(params.means[k], params.covariances[k], n, **style)
            ax.add_patch(ellipse)
            ellipses.append(ellipse)
    ax.autoscale_view()
    return ellipses


def plot_mixture_2d(
    ax,
    X,
    params,
    resp=None,
    labels=None,
    n_std=(1, 2, 3),
    features=(0, 1),
    colors=None,
    feature_names=None,
    show_means=True,
    point_size=18,
    number_components=False,
):
    """Points, each component's ellipses, and its mean, on one axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    X : array-like of shape (N, D), D >= 2
    params : MixtureParams
        With D features.
    resp : array-like of shape (N, K), optional
        Colour each point by its responsibilities (blended colours).
    labels : array-like of int, shape (N,), optional
        Colour each point by a hard label >= 0 instead (not with ``resp``).
        With neither, points are grey.
    n_std : float or sequence of float, default (1, 2, 3)
        Ellipses to draw, each a finite number > 0; an empty tuple draws none.
    features : pair of int, default (0, 1)
        The two different columns of ``X`` (and features of ``params``) to show.
    colors : sequence of colours, optional
        As in :func:`plot_ellipses`.
    feature_names : pair of str, optional
        Axis labels.
    show_means : bool, default True
    point_size : float, default 18
        A finite number > 0.
    number_components : bool, default False
        Write each component's number k, in its colour, beside its mean, so
        that a reader can tell components apart without naming colours.

    Returns
    -------
    dict
        ``"points"`` (a ``PathCollection``), ``"ellipses"`` (list of
        ``Ellipse``), ``"means"`` (a ``PathCollection``, or None) and
        ``"numbers"`` (a list of K ``Annotation``, empty unless
        ``number_components``).

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    ensure_ax(ax)
    X = ensure_X(X)
    if X.shape[1] < 2:
        raise ValueError(
            f"plot_mixture_2d needs two features, X has {X.shape[1]}: use plot_mixture_1d"
        )
    features = _check_features(features, X.shape[1])
    params = ensure_params(params, n_features=X.shape[1])
    colors = ensure_colors(colors)
    if feature_names is not None:
        feature_names = ensure_texts(feature_names, "feature_names", count=2)
    show_means = ensure_bool(show_means, "show_means")
    point_size = ensure_positive_number(point_size, "point_size")
    number_components = ensure_bool(number_components, "number_components")
    levels = _as_levels(n_std, allow_empty=True)
    if resp is not None and labels is not None:
        raise ValueError("give resp or labels, not both")
    if resp is not None:
        point_colors = responsibility_colors(
            ensure_resp(resp, X.shape[0], params.n_components), colors
        )
    elif labels is not None:
        point_colors = [color_of(colors, label) for label in _check_labels(labels, X.shape[0])]
    else:
        point_colors = "0.55"
    points = ax.scatter(
        X[:, features[0]],
        X[:, features[1]],
        c=point_colors,
        s=point_size,
        edgecolors="white",
        linewidths=0.4,
        zorder=2,
    )
    ellipses = plot_ellipses(ax, params, levels, features, colors) if levels else []
    means = None
    if show_means:
        shown = params.marginal(features)
        means = ax.scatter(
            shown.means[:, 0],
            shown.means[:, 1],
            marker="X",
            s=120,
            c="black",
            edgecolors="white",
            linewidths=1.2,
            zorder=4,
            label=r"means $\mu_k$",
        )
    numbers = []
    if number_components:
        shown = params.marginal(features)
        for k in range(params.n_components):
            numbers.append(
                ax.annotate(
                    str(k),
                    shown.means[k],
                    xytext=(8, 8),
                    textcoords="offset points",
                    color=color_of(colors, k),
                    fontsize=12,
                    fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.8,
                          "edgecolor": "none"},
                    zorder=5,
                )
            )
    if feature_names is not None:
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])
    return {"points": points, "ellipses": ellipses, "means": means, "numbers": numbers}


def _as_levels(n_std, allow_empty=False):
    """``n_std`` as a tuple of finite numbers > 0 (one number or a sequence of them)."""
    if isinstance(n_std, (numbers.Real, np.bool_)):
        levels = (n_std,)
    elif isinstance(n_std, (str, bytes)) or not hasattr(n_std, "__iter__"):
        raise TypeError(
            f"n_std must be a number or a sequence of numbers such as (1, 2, 3), got {n_std!r}"
        )
    else:
        levels = tuple(n_std)
    if not levels and not allow_empty:
        raise ValueError("n_std must name at least one number of standard deviations")
    return tuple(ensure_positive_number(n, "n_std") for n in levels)


def _check_features(features, n_features):
    """Two different column indices in 0..n_features-1, as a tuple of int."""
    if isinstance(features, (str, bytes)) or not hasattr(features, "__iter__"):
        raise TypeError(
            f"features must be a pair of column indices such as (0, 1), got {features!r}"
        )
    features = tuple(features)
    if len(features) != 2:
        raise ValueError(f"features must name two columns, got {features!r}")
    columns = tuple(ensure_int(f, "features", minimum=0, maximum=n_features - 1) for f in features)
    if columns[0] == columns[1]:
        raise ValueError(f"features must name two different columns, got {features!r}")
    return columns


def _check_labels(labels, n_samples):
    """Hard labels: N integers >= 0."""
    labels = np.asarray(labels)
    if labels.dtype == bool or not np.issubdtype(labels.dtype, np.integer):
        raise TypeError(f"labels must be integers (component numbers), got dtype {labels.dtype}")
    if labels.shape != (n_samples,):
        raise ValueError(
            f"labels must have one entry per point of X ({n_samples}), got shape {labels.shape}"
        )
    if (labels < 0).any():
        raise ValueError(f"labels must be >= 0, got {int(labels.min())}")
    return labels


def _two_features(params, features):
    params = ensure_params(params)
    if params.n_features < 2:
        raise ValueError("ellipses need two features; this mixture has one: use plot_mixture_1d")
    features = _check_features(features, params.n_features)
    return params if features == (0, 1) and params.n_features == 2 else params.marginal(features)


def plot_m_step(
    ax,
    X,
    before,
    after,
    resp,
    n_std=2.0,
    feature_names=None,
    labels=("before", "after"),
    legend_loc="lower right",
):
    r"""One M-step in a picture: each ellipse before and after, and how far each mean moved.

    The points are coloured by the responsibilities the M-step used, computed under
    ``before``; each component's ``n_std`` ellipse is drawn dotted for ``before`` and
    solid for ``after``, with an arrow from the old mean to the new one,

    .. math:: \mu_k^{\text{after}} = \frac{1}{N_k} \sum_{i=1}^{N} \gamma_{ik} \, x_i ,

    and a legend explains each line style.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    X : array-like of shape (N, 2)
    before, after : MixtureParams
        The parameters before and after the M-step, with 2 features and the same K.
    resp : array-like of shape (N, K)
        :math:`\gamma_{ik}` under ``before``, the input of the M-step.
    n_std : float, default 2.0
        The ellipses' size in standard deviations, a finite number > 0.
    feature_names : pair of str, optional
        Axis labels.
    labels : pair of str, default ("before", "after")
        How the legend names the two states (mathtext welcome: ``r"$\theta^{(0)}$"``).
    legend_loc : str or None, default "lower right"
        Where the legend goes (a matplotlib ``loc``; the lower right is empty for data
        that rise from left to right, as Iris' petals do); None for no legend, e.g. on
        all panels of a figure but one.

    Returns
    -------
    dict
        ``"points"`` (a ``PathCollection``), ``"before"`` and ``"after"`` (lists of
        ``Ellipse``, one per component), ``"arrows"`` (list of ``Annotation``, one per
        component), ``"starts"`` (a ``PathCollection``: the dots on the old means) and
        ``"legend"`` (None without one).

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    from matplotlib.lines import Line2D

    ensure_ax(ax)
    X = ensure_X(X)
    if X.shape[1] != 2:
        raise ValueError(f"plot_m_step draws two features, X has {X.shape[1]}")
    before = ensure_params(before, n_features=2, name="before")
    after = ensure_params(after, n_features=2, n_components=before.n_components, name="after")
    resp = ensure_resp(resp, X.shape[0], before.n_components)
    n_std = ensure_positive_number(n_std, "n_std")
    labels = ensure_texts(labels, "labels", count=2)
    if legend_loc is not None:
        legend_loc = ensure_text(legend_loc, "legend_loc")
    if feature_names is not None:
        feature_names = ensure_texts(feature_names, "feature_names", count=2)
    points = ax.scatter(
        X[:, 0],
        X[:, 1],
        c=responsibility_colors(resp),
        s=18,
        edgecolors="white",
        linewidths=0.4,
        zorder=2,
    )
    old = plot_ellipses(ax, before, n_std, linestyle=":", linewidth=1.6)
    new = plot_ellipses(ax, after, n_std, linestyle="-", linewidth=2.0)
    arrows = [
        ax.annotate(
            "",
            xy=after.means[k],
            xytext=before.means[k],
            zorder=5,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "black",
                "linewidth": 1.5,
                "shrinkA": 0,
                "shrinkB": 0,
                "mutation_scale": 14,
            },
        )
        for k in range(before.n_components)
    ]
    starts = ax.scatter(*before.means.T, marker="o", s=22, c="black", zorder=5)
    handles = [
        Line2D(
            [],
            [],
            color="0.3",
            linestyle=":",
            linewidth=1.6,
            label=f"{labels[0]}: {n_std:g} std. dev. ellipse",
        ),
        Line2D(
            [],
            [],
            color="0.3",
            linestyle="-",
            linewidth=2.0,
            label=f"{labels[1]}: {n_std:g} std. dev. ellipse",
        ),
        Line2D(
            [],
            [],
            color="black",
            marker=r"$\rightarrow$",
            markersize=14,
            linestyle="none",
            label=r"mean $\mu_k$ moved: dot $\to$ arrowhead",
        ),
        Line2D(
            [],
            [],
            color="0.55",
            marker="o",
            markersize=5,
            linestyle="none",
            label=rf"points coloured by $\gamma_{{ik}}$ under {labels[0]}",
        ),
    ]
    legend = None
    if legend_loc is not None:
        legend = ax.legend(handles=handles, loc=legend_loc, fontsize=8, framealpha=0.9)
    if feature_names is not None:
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])
    return {
        "points": points,
        "before": old,
        "after": new,
        "arrows": arrows,
        "starts": starts,
        "legend": legend,
    }
