r"""1-D densities and log-density maps: histograms on the measurement grid, a mixture's curves.

Lessons 3 and 5 (petal widths and their mixture), 11 (the log-density of a fit over
the plane, for anomalies).
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import (
    as_float_array,
    ensure_ax,
    ensure_bins,
    ensure_bool,
    ensure_colors,
    ensure_finite,
    ensure_int,
    ensure_positive_number,
    ensure_text,
    ensure_X,
)
from ..params import ensure_params
from .colors import color_of

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
    bins = ensure_bins(bins, "bins", rules=_BIN_RULES)
    if not isinstance(bins, (str, numbers.Integral)):
        return bins  # edges, given
    if isinstance(bins, str) and bins != "measured":
        return np.histogram_bin_edges(x, bins=bins)
    step = measurement_step(x) if step is None else ensure_positive_number(step, "step")
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
    from ..em import weighted_densities

    ensure_ax(ax)
    params = _one_feature(params, "plot_mixture_1d")
    x = _one_feature_data(x, "x")
    bins = ensure_bins(bins, "bins", rules=_BIN_RULES)
    grid = default_grid_1d(x, params) if grid is None else _one_feature_data(grid, "grid")
    show_components = ensure_bool(show_components, "show_components")
    show_total = ensure_bool(show_total, "show_total")
    colors = ensure_colors(colors)
    xlabel = ensure_text(xlabel, "xlabel", optional=True)
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
                color=color_of(colors, k),
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
    n_points = ensure_int(n_points, "n_points", minimum=2)
    sigmas = np.sqrt(params.covariances[:, 0, 0])
    low = np.min(params.means[:, 0] - 4 * sigmas)
    high = np.max(params.means[:, 0] + 4 * sigmas)
    if x is not None:
        low, high = min(low, np.min(x)), max(high, np.max(x))
    return np.linspace(low, high, n_points)


_BIN_RULES = ("measured", "auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")


def _one_feature(params, function):
    params = ensure_params(params)
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
    x = ensure_X(x, name)
    if x.shape[1] != 1:
        raise ValueError(f"{name} must hold one feature, shape (N,) or (N, 1), got {x.shape}")
    return x[:, 0]


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
    from ..em import log_mixture_pdf

    params = ensure_params(params)
    if params.n_features != 2:
        raise ValueError(f"log_density_grid needs a 2-feature mixture, got {params.n_features}")
    limits = _check_limits(limits)
    n_points = ensure_int(n_points, "n_points", minimum=2)
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
    ensure_ax(ax)
    depth = ensure_positive_number(depth, "depth")
    n_levels = ensure_int(n_levels, "n_levels", minimum=2)
    if levels is not None:
        levels = as_float_array(levels, "levels")
        if levels.ndim != 1 or levels.size < 2 or not (np.diff(levels) > 0).all():
            raise ValueError(f"levels must be at least 2 increasing numbers, got {levels!r}")
        ensure_finite(levels, "levels")
    x, y, log_p = log_density_grid(params, limits, n_points)
    if levels is None:
        top = float(log_p.max())
        levels = np.linspace(top - depth, top, n_levels)
    contours = ax.contourf(x, y, log_p, levels=levels, cmap=cmap, alpha=0.8, zorder=0)
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    return contours


def _check_limits(limits):
    """[[x_low, x_high], [y_low, y_high]] as a (2, 2) float array, each low < high."""
    limits = as_float_array(limits, "limits")
    if limits.shape != (2, 2):
        raise ValueError(
            f"limits must be [[x_low, x_high], [y_low, y_high]], got shape {limits.shape}"
        )
    ensure_finite(limits, "limits")
    if not (limits[:, 0] < limits[:, 1]).all():
        raise ValueError(f"limits: each low must be below its high, got {limits.tolist()}")
    return limits
