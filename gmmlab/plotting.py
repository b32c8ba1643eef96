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


# -- whole pictures --------------------------------------------------------


def plot_mixture_1d(
    ax,
    x,
    params,
    bins="auto",
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
    bins : int, sequence or str, default "auto"
        Passed to ``ax.hist``: a number of bins >= 1, increasing bin edges,
        or one of numpy's rules ("auto", "fd", "doane", "scott", "stone",
        "rice", "sturges", "sqrt").
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
            x, bins=bins, density=True, color="0.82", edgecolor="white", label="data"
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

    Returns
    -------
    dict
        ``"points"`` (a ``PathCollection``), ``"ellipses"`` (list of
        ``Ellipse``) and ``"means"`` (a ``PathCollection``, or None).

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
    if feature_names is not None:
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])
    return {"points": points, "ellipses": ellipses, "means": means}


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


_BIN_RULES = ("auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt")


def _check_bins(bins):
    """A number of bins, increasing bin edges, or one of numpy's rules."""
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
        component) and ``"legend"`` (None without one).

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
    ax.scatter(*before.means.T, marker="o", s=22, c="black", zorder=5)
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
    return {"points": points, "before": old, "after": new, "arrows": arrows, "legend": legend}
