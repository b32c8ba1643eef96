r"""The course's colours: component k is ``component_color(k)`` in every figure.

The Okabe-Ito palette, which colour-blind readers can tell apart. Used by every
lesson; where Iris species exist, fits are aligned to them (``aligned_to``) so that
setosa, versicolor and virginica are colours 0, 1 and 2 everywhere.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb

from .._validation import (
    ensure_colors,
    ensure_int,
    ensure_resp,
)

#: Okabe-Ito colours, one per component (black is kept for the means).
COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")


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
    return COLORS[ensure_int(k, "k", minimum=0) % len(COLORS)]


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
    resp = ensure_resp(resp)
    colors = ensure_colors(colors)
    palette = np.array([to_rgb(color_of(colors, k)) for k in range(resp.shape[1])])
    return np.clip(resp @ palette, 0.0, 1.0)


def color_of(colors, k):
    """Component k's colour from a checked ``colors`` (None: the palette)."""
    return component_color(int(k)) if colors is None else colors[int(k) % len(colors)]
