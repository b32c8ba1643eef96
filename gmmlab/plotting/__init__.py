r"""Pictures of Gaussian mixtures: ellipses, 1-D densities, EM progress.

Every helper draws on the matplotlib ``Axes`` it is given and returns the
artists it drew, so that a widget can update them in place. None of them
calls ``plt.show()``, fits a model or changes matplotlib's global style;
:func:`show` displays a finished figure with its alt text.

The helpers are grouped by idea: :mod:`.colors` (the palette),
:mod:`.ellipses` (ellipses and 2-D mixtures), :mod:`.densities` (1-D densities and
log-density maps), :mod:`.progress` (EM along its iterations), :mod:`.images`
and :mod:`.display` (a figure in a notebook, with its alt text); all are
importable from ``gmmlab.plotting`` itself.

Component k has the colour ``component_color(k)`` in every figure of the
course: the Okabe-Ito palette, which colour-blind readers can tell apart.
"""

from __future__ import annotations

from .colors import COLORS, component_color, responsibility_colors
from .densities import (
    MAX_DECIMALS,
    MAX_MEASURED_BINS,
    default_grid_1d,
    histogram_bins,
    log_density_grid,
    measurement_step,
    plot_log_density,
    plot_mixture_1d,
)
from .display import FigureImage, figure_png, show
from .ellipses import (
    covariance_ellipse,
    ellipse_geometry,
    plot_ellipses,
    plot_m_step,
    plot_mixture_2d,
    update_ellipse,
)
from .images import plot_image_grid
from .progress import animate_em, animation_html, plot_log_likelihood

__all__ = [
    "COLORS",
    "component_color",
    "responsibility_colors",
    "ellipse_geometry",
    "covariance_ellipse",
    "update_ellipse",
    "plot_ellipses",
    "plot_mixture_2d",
    "plot_m_step",
    "MAX_DECIMALS",
    "MAX_MEASURED_BINS",
    "measurement_step",
    "histogram_bins",
    "plot_mixture_1d",
    "default_grid_1d",
    "log_density_grid",
    "plot_log_density",
    "plot_log_likelihood",
    "animate_em",
    "animation_html",
    "plot_image_grid",
    "FigureImage",
    "figure_png",
    "show",
]
