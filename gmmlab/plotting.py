r"""Pictures of Gaussian mixtures: ellipses, 1-D densities, EM progress.

Every helper draws on the matplotlib ``Axes`` it is given and returns the
artists it drew, so that a widget can update them in place. None of them
calls ``plt.show()``, fits a model or changes matplotlib's global style.

Component k has the colour ``component_color(k)`` in every figure of the
course: the Okabe-Ito palette, which colour-blind readers can tell apart.
"""

from __future__ import annotations

import numbers

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Ellipse
from matplotlib.ticker import MaxNLocator

from ._validation import (
    as_float_array,
    check_finite,
    check_float,
    check_int,
    check_params,
    check_resp,
    check_X,
)
from ._validation_extra import (
    check_ax,
    check_bool,
    check_colors,
    check_positive_number,
    check_style,
    check_text,
    check_texts,
)

#: Okabe-Ito colours, one per component (black is kept for the means).
COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")

#: Line style of the ellipse enclosing 1, 2, 3 standard deviations.
_N_STD_LINESTYLES = {1: "-", 2: "--", 3: ":"}


def component_color(k):
    """The colour of component ``k`` (the palette repeats after 7).

    Parameters
    ----------
    k : int
        The component's number, >= 0 (numpy integers too).

    Returns
    -------
    str
        A hex colour of the Okabe-Ito palette.

    Raises
    ------
    TypeError
        If ``k`` is not an integer.
    ValueError
        If ``k`` is negative.

    Examples
    --------
    >>> component_color(0), component_color(7)
    ('#0072B2', '#0072B2')
    """
    return COLORS[check_int(k, "k", minimum=0) % len(COLORS)]


# -- ellipses --------------------------------------------------------------


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
    check_finite(mean, "mean")
    check_finite(cov, "cov")
    n_std = check_positive_number(n_std, "n_std")
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
    return check_style(kwargs, Ellipse((0.0, 0.0), 1.0, 1.0), function)


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
    check_ax(ax)
    params = _two_features(params, features)
    levels = _as_levels(n_std)
    colors = check_colors(colors)
    kwargs = _ellipse_style(kwargs, "plot_ellipses")
    ellipses = []
    for k in range(params.n_components):
        color = _color(colors, k)
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


# -- histograms of measured data -------------------------------------------

#: The most decimals :func:`measurement_step` tries when it looks for the recording grid.
MAX_DECIMALS = 6

#: The most bins the "measured" rule of :func:`histogram_bins` draws before it merges
#: neighbouring measurement values into one bin.
MAX_MEASURED_BINS = 50


def measurement_step(x):
    r"""The step of the grid the values were recorded on (0.1 for Iris), or None.

    Measurements are rounded when they are recorded: the Iris flowers to the
    nearest millimetre, so every petal width is a whole multiple of 0.1 cm.
    The step is :math:`r = g \cdot 10^{-d}`, where :math:`d` is the fewest
    decimals (at most ``MAX_DECIMALS``) that write every value exactly and
    :math:`g` the greatest common divisor of the differences between the
    values, counted in units of :math:`10^{-d}`. Every value is then
    :math:`\min(x) + j r` for a whole number :math:`j`.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1)
        The values, finite.

    Returns
    -------
    float or None
        The step, or None when the values are not on such a grid (no
        ``MAX_DECIMALS`` decimals write them all, or they take fewer than
        two distinct values).

    Raises
    ------
    TypeError, ValueError
        If ``x`` is not numeric, not one feature, or not finite.

    Examples
    --------
    >>> measurement_step([0.2, 0.4, 1.3, 0.2])
    0.1
    >>> measurement_step([0.5, 1.5, 3.0]), measurement_step([0.123456789, 1.0])
    (0.5, None)
    """
    x = _one_feature_data(x, "x")
    if x is None:
        raise TypeError("x must be an array of values, got None")
    values = np.unique(x)
    if values.size < 2:
        return None
    for decimals in range(MAX_DECIMALS + 1):
        scaled = values * 10.0**decimals
        units = np.round(scaled)
        if np.abs(units).max() > 2.0**53:  # beyond exact integers: no grid to find
            return None
        if np.all(np.abs(scaled - units) <= 1e-6 * np.maximum(1.0, np.abs(scaled))):
            steps = np.gcd.reduce((units - units[0]).astype(np.int64))
            return round(float(steps) * 10.0**-decimals, decimals)
    return None


def histogram_bins(x, bins="measured", step=None):
    r"""Bin edges for a histogram of ``x``, halfway between measurement values.

    Data recorded to a step :math:`r` (Iris: 0.1 cm) take only the values
    :math:`\min(x) + j r`. A bin edge on one of those values leaves it to
    floating-point rounding which bin the value falls in: some bins get two
    values and their neighbours none, and the histogram shows gaps that are
    not in the data. So on such data every edge is put halfway between two
    measurement values, :math:`\min(x) + (j - \tfrac12) r`, and every bin is a
    whole number :math:`m` of steps wide, centred on its values.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1)
        The values, finite.
    bins : "measured", int, one of numpy's rules, or array-like, default "measured"
        - ``"measured"``: on data with a step, one bin per measurement value,
          or per :math:`m` neighbouring values when one each would make more
          than ``MAX_MEASURED_BINS`` bins; on data without a step, numpy's
          ``"auto"`` rule.
        - an int :math:`n \ge 1`: about :math:`n` bins; on data with a step,
          :math:`m = \max(1, \mathrm{round}(w / r))` steps each, where
          :math:`w` is the span plus one step, divided by :math:`n`; on data
          without one, :math:`n` equal bins from the smallest value to the largest.
        - one of numpy's rules ("auto", "fd", "doane", "scott", "stone",
          "rice", "sturges", "sqrt"): numpy's edges, as given.
        - increasing finite edges: returned as they are.
    step : float, optional
        The recording step :math:`r`, > 0; found by :func:`measurement_step`
        when not given.

    Returns
    -------
    ndarray of shape (B + 1,)
        Increasing bin edges.

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.

    Examples
    --------
    >>> histogram_bins([0.2, 0.4, 0.3, 0.2]).round(2)
    array([0.15, 0.25, 0.35, 0.45])
    >>> histogram_bins([0.2, 0.4, 0.3, 0.2, 0.6, 0.7], bins=3).round(2)
    array([0.15, 0.35, 0.55, 0.75])
    """
    x = _one_feature_data(x, "x")
    if x is None:
        raise TypeError("x must be an array of values, got None")
    bins = _check_bins(bins)
    if not isinstance(bins, (str, numbers.Integral)):
        return bins  # edges, given
    if isinstance(bins, str) and bins != "measured":
        return np.histogram_bin_edges(x, bins=bins)
    step = measurement_step(x) if step is None else check_positive_number(step, "step")
    if step is None:
        return np.histogram_bin_edges(x, bins="auto" if bins == "measured" else bins)
    low, high = float(x.min()), float(x.max())
    n_values = int(round((high - low) / step)) + 1
    if bins == "measured":
        per_bin = -(-n_values // MAX_MEASURED_BINS)  # ceil: at most MAX_MEASURED_BINS bins
    else:
        per_bin = max(1, int(round(n_values / bins)))
    n_bins = -(-n_values // per_bin)
    return low - step / 2 + step * per_bin * np.arange(n_bins + 1)


# -- whole pictures --------------------------------------------------------


def plot_mixture_1d(
    ax,
    x,
    params,
    bins="measured",
    grid=None,
    show_components=True,
    show_total=True,
    colors=None,
    xlabel=None,
):
    r"""A 1-D mixture over the data: histogram, weighted components, total.

    Draws the histogram of ``x`` scaled as a density, each weighted component
    :math:`\pi_k \mathcal{N}(x \mid \mu_k, \sigma_k^2)` and their sum
    :math:`p(x)`, so that the curves and the bars share one scale.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x : array-like of shape (N,) or (N, 1), or None
        The data, finite; ``None`` draws the curves only.
    params : MixtureParams
        With one feature.
    bins : "measured", int, str or sequence, default "measured"
        As :func:`histogram_bins` takes them: by default one bin per
        measurement value, its edges halfway between two values, on data
        recorded to a step (Iris: 0.1 cm), and numpy's "auto" rule on other
        data; a number of bins >= 1 (about that many, whole steps wide, on
        measured data), increasing bin edges, or one of numpy's rules
        ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt").
    grid : array-like of shape (G,), optional
        Where to evaluate the curves; by default 400 points spanning the data
        and every component's mean +/- 4 standard deviations.
    show_components, show_total : bool, default True
    colors : sequence of colours, optional
    xlabel : str, optional

    Returns
    -------
    dict
        ``"hist"`` (a ``BarContainer``, or None), ``"components"`` (a list of
        K ``Line2D``) and ``"total"`` (a ``Line2D``, or None).

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    from .em import weighted_densities

    check_ax(ax)
    params = _one_feature(params, "plot_mixture_1d")
    x = _one_feature_data(x, "x")
    bins = _check_bins(bins)
    grid = default_grid_1d(x, params) if grid is None else _one_feature_data(grid, "grid")
    show_components = check_bool(show_components, "show_components")
    show_total = check_bool(show_total, "show_total")
    colors = check_colors(colors)
    xlabel = check_text(xlabel, "xlabel", optional=True)
    artists = {"hist": None, "components": [], "total": None}
    if x is not None:
        _, _, artists["hist"] = ax.hist(
            x,
            bins=histogram_bins(x, bins),
            density=True,
            color="0.82",
            edgecolor="white",
            label="data",
        )
    terms = weighted_densities(grid, params)
    if show_components:
        for k in range(params.n_components):
            (line,) = ax.plot(
                grid,
                terms[:, k],
                color=_color(colors, k),
                linewidth=2,
                label=rf"$\pi_{k}\,\mathcal{{N}}(x \mid \mu_{k}, \sigma_{k}^2)$",
            )
            artists["components"].append(line)
    if show_total:
        (artists["total"],) = ax.plot(
            grid,
            terms.sum(axis=1),
            color="black",
            linewidth=2.5,
            linestyle="--",
            label="mixture $p(x)$",
        )
    ax.set_ylabel("density")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    return artists


def default_grid_1d(x, params, n_points=400):
    """Points spanning the data and each component's mean +/- 4 std. devs.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1), or None
        The data, or None for the components alone.
    params : MixtureParams
        With one feature.
    n_points : int, default 400
        At least 2.

    Returns
    -------
    ndarray of shape (n_points,)
        Evenly spaced, increasing.

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> default_grid_1d(None, MixtureParams([1.0], [0.0], [1.0]), n_points=3)
    array([-4.,  0.,  4.])
    """
    params = _one_feature(params, "default_grid_1d")
    x = _one_feature_data(x, "x")
    n_points = check_int(n_points, "n_points", minimum=2)
    sigmas = np.sqrt(params.covariances[:, 0, 0])
    low = np.min(params.means[:, 0] - 4 * sigmas)
    high = np.max(params.means[:, 0] + 4 * sigmas)
    if x is not None:
        low, high = min(low, np.min(x)), max(high, np.max(x))
    return np.linspace(low, high, n_points)


def responsibility_colors(resp, colors=None):
    """RGB colour per point: the component colours blended by responsibility.

    A point that belongs wholly to component k gets its colour; a point
    shared half-and-half gets the colour halfway between the two.

    Parameters
    ----------
    resp : array-like of shape (N, K)
        Responsibilities: non-negative, rows summing to 1.
    colors : sequence of colours, optional
        One per component (repeated if shorter); the course palette by default.

    Returns
    -------
    ndarray of shape (N, 3)
        RGB in [0, 1].

    Raises
    ------
    TypeError, ValueError
        If ``resp`` is not valid responsibilities or ``colors`` holds
        something that is not a colour.

    Examples
    --------
    >>> responsibility_colors([[1.0, 0.0]], colors=["red", "blue"])
    array([[1., 0., 0.]])
    """
    resp = check_resp(resp)
    colors = check_colors(colors)
    palette = np.array([to_rgb(_color(colors, k)) for k in range(resp.shape[1])])
    return np.clip(resp @ palette, 0.0, 1.0)


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
    check_ax(ax)
    X = check_X(X)
    if X.shape[1] < 2:
        raise ValueError(
            f"plot_mixture_2d needs two features, X has {X.shape[1]}: use plot_mixture_1d"
        )
    features = _check_features(features, X.shape[1])
    params = check_params(params, n_features=X.shape[1])
    colors = check_colors(colors)
    if feature_names is not None:
        feature_names = check_texts(feature_names, "feature_names", count=2)
    show_means = check_bool(show_means, "show_means")
    point_size = check_positive_number(point_size, "point_size")
    number_components = check_bool(number_components, "number_components")
    levels = _as_levels(n_std, allow_empty=True)
    if resp is not None and labels is not None:
        raise ValueError("give resp or labels, not both")
    if resp is not None:
        point_colors = responsibility_colors(
            check_resp(resp, X.shape[0], params.n_components), colors
        )
    elif labels is not None:
        point_colors = [_color(colors, label) for label in _check_labels(labels, X.shape[0])]
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
                    color=_color(colors, k),
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


def plot_log_likelihood(ax, log_likelihoods, per_sample=None, **kwargs):
    r"""The log-likelihood :math:`\ell(\theta^{(t)})` after each EM iteration.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    log_likelihoods : array-like of shape (T,)
        Finite, T >= 1, e.g. ``fit(...).log_likelihoods``; entry 0 is the start.
    per_sample : int, optional
        Divide by this N (>= 1) to plot the mean per point instead.
    **kwargs
        Passed to ``ax.plot`` (``Line2D`` style keywords).

    Returns
    -------
    matplotlib.lines.Line2D

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    from matplotlib.lines import Line2D

    check_ax(ax)
    values = as_float_array(log_likelihoods, "log_likelihoods")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"log_likelihoods must be a non-empty 1-D sequence, got shape {values.shape}"
        )
    check_finite(values, "log_likelihoods")
    ylabel = r"log-likelihood $\ell(\theta^{(t)})$"
    if per_sample is not None:
        values = values / check_int(per_sample, "per_sample", minimum=1)
        ylabel = r"$\ell(\theta^{(t)}) / N$"
    style = {"marker": "o", "markersize": 4, "color": "black"}
    style.update(check_style(kwargs, Line2D([], []), "plot_log_likelihood"))
    (line,) = ax.plot(np.arange(values.size), values, **style)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # iterations are whole numbers
    ax.set_xlabel("EM iteration $t$")
    ax.set_ylabel(ylabel)
    return line


def animate_em(ax, X, result, n_std=2.0, max_frames=25, interval=400, feature_names=None):
    r"""An animation of a recorded EM run: ellipses and colours, iteration by iteration.

    Frame t shows :math:`\theta^{(t)}` of ``result.history`` as ellipses and
    means, and the points coloured by their responsibilities under it. Long
    runs are thinned to ``max_frames`` frames (the first and last always
    shown). Nothing is refitted.

    In a notebook, ``IPython.display.HTML(animation.to_jshtml())`` embeds the
    frames as a player that works without a kernel.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    X : array-like of shape (N, 2)
    result : gmmlab.EMResult
        Of a mixture with two features, fitted to data like ``X``.
    n_std : float, default 2.0
        One ellipse per component, at this many standard deviations (> 0).
    max_frames : int, default 25
        At least 2.
    interval : float, default 400
        Milliseconds between frames, > 0.
    feature_names : pair of str, optional

    Returns
    -------
    matplotlib.animation.FuncAnimation

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    from matplotlib.animation import FuncAnimation

    from .em import EMResult, e_step

    check_ax(ax)
    if not isinstance(result, EMResult):
        raise TypeError(f"result must be a gmmlab.EMResult, got {type(result).__name__}")
    X = check_X(X)
    if X.shape[1] != 2 or result.params.n_features != 2:
        raise ValueError(
            "animate_em draws two features: X must have 2 columns and result a 2-feature "
            f"mixture, got X with {X.shape[1]} and result with {result.params.n_features}"
        )
    n_std = check_positive_number(n_std, "n_std")
    max_frames = check_int(max_frames, "max_frames", minimum=2)
    interval = check_positive_number(interval, "interval")
    first = result.history[0]
    drawn = plot_mixture_2d(
        ax, X, first, resp=e_step(X, first), n_std=n_std, feature_names=feature_names
    )
    low, high = X.min(axis=0), X.max(axis=0)
    pad = 0.15 * (high - low)
    ax.set_xlim(low[0] - pad[0], high[0] + pad[0])
    ax.set_ylim(low[1] - pad[1], high[1] + pad[1])
    title = ax.set_title("")
    frames = np.unique(np.linspace(0, result.n_iter, min(max_frames, result.n_iter + 1)).round())

    def draw_frame(t):
        params = result.history[int(t)]
        for k, ellipse in enumerate(drawn["ellipses"]):
            update_ellipse(ellipse, params.means[k], params.covariances[k], n_std)
        drawn["means"].set_offsets(params.means)
        drawn["points"].set_facecolors(responsibility_colors(e_step(X, params)))
        title.set_text(
            f"EM iteration {int(t)} of {result.n_iter}: "
            f"log-likelihood {result.log_likelihoods[int(t)]:.2f}"
        )
        return [*drawn["ellipses"], drawn["means"], drawn["points"], title]

    return FuncAnimation(
        ax.figure, draw_frame, frames=frames.astype(int), interval=interval, blit=False
    )


def animation_html(animation, frame_format="jpeg"):
    """The animation as a self-contained HTML player, frames embedded.

    JPEG frames keep a notebook small (about half the size of PNG ones).
    The choice of format is made in a local ``rc_context``: matplotlib's
    global settings are left alone.

    Parameters
    ----------
    animation : matplotlib.animation.Animation
        E.g. from :func:`animate_em`.
    frame_format : {"jpeg", "png"}, default "jpeg"

    Returns
    -------
    str
        HTML; show it with ``IPython.display.HTML``.

    Raises
    ------
    TypeError
        If ``animation`` is not a matplotlib animation or ``frame_format`` not a string.
    ValueError
        If ``frame_format`` is another string.
    """
    import hashlib
    import re

    import matplotlib
    from matplotlib.animation import Animation

    if check_text(frame_format, "frame_format") not in ("jpeg", "png"):
        raise ValueError(f"frame_format must be 'jpeg' or 'png', got {frame_format!r}")
    if not isinstance(animation, Animation):
        raise TypeError(
            "animation must be a matplotlib animation (e.g. from animate_em), "
            f"got {type(animation).__name__}"
        )
    with matplotlib.rc_context({"animation.frame_format": frame_format}):
        html = animation.to_jshtml()
    # matplotlib's player takes its button icons from a web font on a CDN; offline the
    # buttons would be blank, so they get plain text symbols instead.
    html = re.sub(r"<link[^>]*font-awesome[^>]*>", "", html)
    for icon, symbol in _PLAYER_SYMBOLS.items():
        html = re.sub(rf'<i class="fa fa-{icon}"></i>', symbol, html)
    # matplotlib names the player with a random id; one derived from the content keeps a
    # re-run notebook unchanged in git when the frames are (and stays unique per animation)
    random_id = re.search(r'id="_anim_img([0-9a-f]{32})"', html).group(1)
    stable_id = hashlib.sha1(html.replace(random_id, "").encode()).hexdigest()[:32]
    return html.replace(random_id, stable_id)


#: Text symbols for the animation player's buttons (matplotlib names them after icons).
_PLAYER_SYMBOLS = {
    "minus": "&minus;",
    "fast-backward": "&#x23EE;",
    "step-backward": "&#x23F4;&#x23F4;",
    "play fa-flip-horizontal": "&#x25C0;",
    "pause": "&#x23F8;",
    "play": "&#x25B6;",
    "step-forward": "&#x23F5;&#x23F5;",
    "fast-forward": "&#x23ED;",
    "plus": "+",
}


# -- small helpers ---------------------------------------------------------


def _color(colors, k):
    """Component k's colour from a checked ``colors`` (None: the palette)."""
    return component_color(int(k)) if colors is None else colors[int(k) % len(colors)]


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
    return tuple(check_positive_number(n, "n_std") for n in levels)


_BIN_RULES = ("measured", "auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")


def _check_bins(bins):
    """A number of bins, increasing bin edges, "measured" or one of numpy's rules."""
    if isinstance(bins, str):
        if bins not in _BIN_RULES:
            raise ValueError(
                f"bins must be a number, bin edges or one of {_BIN_RULES}; got {bins!r}"
            )
        return bins
    if isinstance(bins, numbers.Integral) and not isinstance(bins, (bool, np.bool_)):
        return check_int(bins, "bins", minimum=1)
    edges = as_float_array(bins, "bins")
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError(
            f"bins as edges must be a 1-D sequence of at least 2, got shape {edges.shape}"
        )
    check_finite(edges, "bins")
    if not (np.diff(edges) > 0).all():
        raise ValueError("bins as edges must increase from one to the next")
    return edges


def _check_features(features, n_features):
    """Two different column indices in 0..n_features-1, as a tuple of int."""
    if isinstance(features, (str, bytes)) or not hasattr(features, "__iter__"):
        raise TypeError(
            f"features must be a pair of column indices such as (0, 1), got {features!r}"
        )
    features = tuple(features)
    if len(features) != 2:
        raise ValueError(f"features must name two columns, got {features!r}")
    columns = tuple(check_int(f, "features", minimum=0, maximum=n_features - 1) for f in features)
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


def _one_feature(params, function):
    params = check_params(params)
    if params.n_features != 1:
        raise ValueError(
            f"{function} needs a 1-feature mixture, got {params.n_features} "
            "features: use params.marginal(j) or plot_mixture_2d"
        )
    return params


def _one_feature_data(x, name):
    """None, or one feature's values (N,) or (N, 1) as a 1-D array."""
    if x is None:
        return None
    x = check_X(x, name)
    if x.shape[1] != 1:
        raise ValueError(f"{name} must hold one feature, shape (N,) or (N, 1), got {x.shape}")
    return x[:, 0]


def _two_features(params, features):
    params = check_params(params)
    if params.n_features < 2:
        raise ValueError("ellipses need two features; this mixture has one: use plot_mixture_1d")
    features = _check_features(features, params.n_features)
    return params if features == (0, 1) and params.n_features == 2 else params.marginal(features)


# -- using a fitted mixture (lesson 11) --------------------------------------


def log_density_grid(params, limits, n_points=200):
    r"""The log-density :math:`\log p(x)` of a 2-D mixture on a regular grid.

    .. math:: \log p(x) = \log \sum_k \pi_k \, \mathcal{N}(x \mid \mu_k, \Sigma_k)

    at the :math:`n \times n` points of a rectangle, with log-sum-exp
    (:func:`gmmlab.log_mixture_pdf`): for contours, images and anomaly regions.

    Parameters
    ----------
    params : MixtureParams
        With 2 features.
    limits : array-like of shape (2, 2)
        ``[[x_low, x_high], [y_low, y_high]]``, each low < high (e.g. from
        ``gmmlab.widgets.panels.fitted_limits``).
    n_points : int, default 200
        n, the grid points along each axis (at least 2).

    Returns
    -------
    x : ndarray of shape (n,)
    y : ndarray of shape (n,)
    log_p : ndarray of shape (n, n)
        ``log_p[j, i]`` is :math:`\log p` at ``(x[i], y[j])``: rows follow y, as
        ``ax.contourf(x, y, log_p)`` and ``ax.imshow(log_p, origin="lower")`` expect.

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params = MixtureParams([1.0], [[0.0, 0.0]], [[[1.0, 0.0], [0.0, 1.0]]])
    >>> x, y, log_p = log_density_grid(params, [[-1, 1], [-1, 1]], n_points=3)
    >>> round(float(log_p[1, 1]), 4)   # at the mean: -log(2 pi)
    -1.8379
    """
    from .em import log_mixture_pdf

    params = check_params(params)
    if params.n_features != 2:
        raise ValueError(f"log_density_grid needs a 2-feature mixture, got {params.n_features}")
    limits = _check_limits(limits)
    n_points = check_int(n_points, "n_points", minimum=2)
    x = np.linspace(*limits[0], n_points)
    y = np.linspace(*limits[1], n_points)
    xx, yy = np.meshgrid(x, y)
    log_p = log_mixture_pdf(np.column_stack([xx.ravel(), yy.ravel()]), params)
    return x, y, log_p.reshape(n_points, n_points)


def plot_log_density(
    ax, params, limits, n_points=200, depth=10.0, n_levels=11, levels=None, cmap="Greys"
):
    r"""Filled contours of the log-density :math:`\log p(x)` of a 2-D mixture.

    The levels run from the grid's highest log-density down ``depth`` nats (a density
    :math:`e^{-\text{depth}}` times the peak's), or are given as ``levels`` (the same
    for several panels, so that one colour bar fits them all); lower regions stay
    unfilled. Equal steps in :math:`\log p` are equal ratios of density, so the tails
    stay visible.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    params : MixtureParams
        With 2 features.
    limits : array-like of shape (2, 2)
        ``[[x_low, x_high], [y_low, y_high]]``, each low < high; also set as the axes'
        limits.
    n_points : int, default 200
        Grid points along each axis (see :func:`log_density_grid`).
    depth : float, default 10.0
        How far below the peak the levels reach, in nats (> 0).
    n_levels : int, default 11
        Number of level boundaries (at least 2).
    levels : array-like of float, optional
        The level boundaries themselves, increasing (at least 2); then ``depth`` and
        ``n_levels`` are not used.
    cmap : str or matplotlib colormap, default "Greys"

    Returns
    -------
    matplotlib.contour.QuadContourSet
        For a colour bar: ``fig.colorbar(contours, ax=ax, label=...)``.

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    check_ax(ax)
    depth = check_positive_number(depth, "depth")
    n_levels = check_int(n_levels, "n_levels", minimum=2)
    if levels is not None:
        levels = as_float_array(levels, "levels")
        if levels.ndim != 1 or levels.size < 2 or not (np.diff(levels) > 0).all():
            raise ValueError(f"levels must be at least 2 increasing numbers, got {levels!r}")
        check_finite(levels, "levels")
    x, y, log_p = log_density_grid(params, limits, n_points)
    if levels is None:
        top = float(log_p.max())
        levels = np.linspace(top - depth, top, n_levels)
    contours = ax.contourf(x, y, log_p, levels=levels, cmap=cmap, alpha=0.8, zorder=0)
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    return contours


def plot_image_grid(ax, images, image_shape, n_columns=10, vmin=None, vmax=None, cmap="binary"):
    """Small images (such as 8 x 8 digits) tiled in rows on one axes, as one picture.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    images : array-like of shape (M, H * W)
        One flattened image per row, finite (e.g. ``load_digits().data``).
    image_shape : pair of int
        (H, W), with H * W the length of each row.
    n_columns : int, default 10
        Images per row of the grid (at least 1).
    vmin, vmax : float, optional
        The values shown as the lightest and darkest (default: the images' range); give
        the same to two grids to compare them.
    cmap : str or matplotlib colormap, default "binary"

    Returns
    -------
    matplotlib.image.AxesImage

    Raises
    ------
    TypeError, ValueError
        If an argument breaks its contract above; the message names it.
    """
    check_ax(ax)
    images = as_float_array(images, "images")
    if images.ndim != 2 or images.shape[0] == 0:
        raise ValueError(
            f"images must be 2-D (M images, H * W pixels each), got shape {images.shape}"
        )
    check_finite(images, "images")
    if isinstance(image_shape, (str, bytes)) or not hasattr(image_shape, "__len__"):
        raise TypeError(f"image_shape must be a pair (H, W), got {image_shape!r}")
    if len(image_shape) != 2:
        raise ValueError(f"image_shape must be a pair (H, W), got {image_shape!r}")
    height, width = (check_int(n, "image_shape", minimum=1) for n in image_shape)
    if height * width != images.shape[1]:
        raise ValueError(
            f"image_shape {height} x {width} = {height * width} pixels, but each image has "
            f"{images.shape[1]}"
        )
    n_columns = check_int(n_columns, "n_columns", minimum=1)
    low = float(images.min()) if vmin is None else check_float(vmin, "vmin")
    high = float(images.max()) if vmax is None else check_float(vmax, "vmax")
    if not low < high:
        raise ValueError(f"vmin must be below vmax, got {low} and {high}")
    n_rows = -(-images.shape[0] // n_columns)
    gap = 1
    mosaic = np.full((n_rows * (height + gap) - gap, n_columns * (width + gap) - gap), np.nan)
    for i, image in enumerate(images):
        row, column = divmod(i, n_columns)
        top, left = row * (height + gap), column * (width + gap)
        mosaic[top : top + height, left : left + width] = image.reshape(height, width)
    ax.set_axis_off()
    return ax.imshow(mosaic, cmap=cmap, vmin=low, vmax=high, interpolation="nearest")


def _check_limits(limits):
    """[[x_low, x_high], [y_low, y_high]] as a (2, 2) float array, each low < high."""
    limits = as_float_array(limits, "limits")
    if limits.shape != (2, 2):
        raise ValueError(
            f"limits must be [[x_low, x_high], [y_low, y_high]], got shape {limits.shape}"
        )
    check_finite(limits, "limits")
    if not (limits[:, 0] < limits[:, 1]).all():
        raise ValueError(f"limits: each low must be below its high, got {limits.tolist()}")
    return limits


# -- one M-step (appended for lesson 7) --------------------------------------


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

    check_ax(ax)
    X = check_X(X)
    if X.shape[1] != 2:
        raise ValueError(f"plot_m_step draws two features, X has {X.shape[1]}")
    before = check_params(before, n_features=2, name="before")
    after = check_params(after, n_features=2, n_components=before.n_components, name="after")
    resp = check_resp(resp, X.shape[0], before.n_components)
    n_std = check_positive_number(n_std, "n_std")
    labels = check_texts(labels, "labels", count=2)
    if legend_loc is not None:
        legend_loc = check_text(legend_loc, "legend_loc")
    if feature_names is not None:
        feature_names = check_texts(feature_names, "feature_names", count=2)
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
