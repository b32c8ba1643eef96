r"""EM progress: the log-likelihood along the iterations, and the animation of a run.

Lessons 4, 8 and 9.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .._validation import (
    ensure_alt_text,
    ensure_ax,
    ensure_int,
    ensure_positive_number,
    ensure_style,
    ensure_text,
    ensure_X,
)
from ._arrays import finite_array
from .colors import responsibility_colors
from .ellipses import plot_mixture_2d, update_ellipse


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

    ensure_ax(ax)
    values = finite_array(log_likelihoods, "log_likelihoods", 1, "a non-empty 1-D sequence")
    ylabel = r"log-likelihood $\ell(\theta^{(t)})$"
    if per_sample is not None:
        values = values / ensure_int(per_sample, "per_sample", minimum=1)
        ylabel = r"$\ell(\theta^{(t)}) / N$"
    style = {"marker": "o", "markersize": 4, "color": "black"}
    style.update(ensure_style(kwargs, Line2D([], []), "plot_log_likelihood"))
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

    from ..em import EMResult, e_step

    ensure_ax(ax)
    if not isinstance(result, EMResult):
        raise TypeError(f"result must be a gmmlab.EMResult, got {type(result).__name__}")
    X = ensure_X(X)
    if X.shape[1] != 2 or result.params.n_features != 2:
        raise ValueError(
            "animate_em draws two features: X must have 2 columns and result a 2-feature "
            f"mixture, got X with {X.shape[1]} and result with {result.params.n_features}"
        )
    n_std = ensure_positive_number(n_std, "n_std")
    max_frames = ensure_int(max_frames, "max_frames", minimum=2)
    interval = ensure_positive_number(interval, "interval")
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


def animation_html(animation, frame_format="jpeg", alt=None):
    """The animation as a self-contained HTML player, frames embedded.

    JPEG frames keep a notebook small (about half the size of PNG ones).
    The choice of format is made in a local ``rc_context``: matplotlib's
    global settings are left alone.

    Parameters
    ----------
    animation : matplotlib.animation.Animation
        E.g. from :func:`animate_em`.
    frame_format : {"jpeg", "png"}, default "jpeg"
    alt : str, optional
        What the animation shows (a sentence or two, with the key numbers): the
        frame's ``alt`` text. The frame slider is named "animation frame" for
        screen readers either way (matplotlib's player leaves it unnamed).

    Returns
    -------
    str
        HTML; show it with ``IPython.display.HTML``.

    Raises
    ------
    TypeError
        If ``animation`` is not a matplotlib animation, ``frame_format`` or ``alt`` not
        a string.
    ValueError
        If ``frame_format`` is another string, or ``alt`` is empty.
    """
    import hashlib
    import re
    from html import escape

    import matplotlib
    from matplotlib.animation import Animation

    if ensure_text(frame_format, "frame_format") not in ("jpeg", "png"):
        raise ValueError(f"frame_format must be 'jpeg' or 'png', got {frame_format!r}")
    if not isinstance(animation, Animation):
        raise TypeError(
            "animation must be a matplotlib animation (e.g. from animate_em), "
            f"got {type(animation).__name__}"
        )
    alt = None if alt is None else ensure_alt_text(alt)
    with matplotlib.rc_context({"animation.frame_format": frame_format}):
        html = animation.to_jshtml()
    # matplotlib's player takes its button icons from a web font on a CDN; offline the
    # buttons would be blank, so they get plain text symbols instead.
    html = re.sub(r"<link[^>]*font-awesome[^>]*>", "", html)
    for icon, symbol in _PLAYER_SYMBOLS.items():
        html = re.sub(rf'<i class="fa fa-{icon}"></i>', symbol, html)
    # its frame slider has no label: a screen reader would announce a bare "slider"
    html = re.sub(r'<input(?=[^>]*type="range")(?![^>]*aria-label)', '<input aria-label="frame"',
                  html)
    # matplotlib names the player with a random id; one derived from the content keeps a
    # re-run notebook unchanged in git when the frames are (and stays unique per animation)
    html = html.replace(
        'type="range" class="anim-slider"',
        'type="range" class="anim-slider" aria-label="animation frame"',
        1,
    )
    if alt is not None:
        html = html.replace(
            '<img id="_anim_img', f'<img alt="{escape(alt, quote=True)}" id="_anim_img', 1
        )
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
