"""Pieces the explorers share: axis limits fitted to the data, ellipses, density panels, cursors.

Each piece draws on an ``Axes`` of an explorer and registers the artists that
change with the explorer (:meth:`Explorer.dynamic`), so that a new explorer
is mostly a choice of pieces:

==========================  =====================================================
:func:`fitted_limits`       one rule for every explorer's axis limits
:func:`fit_axes`            apply it to a 2-D panel
:func:`data_points`         the data, to be coloured by responsibilities
:func:`mean_markers`        a cross on each component's mean
:class:`EllipseSet`         one ellipse per component, up to K of them
:class:`DensityPanel`       a histogram, each weighted component and their sum (1-D)
:class:`Cursor`             markers that follow a slider along precomputed curves
==========================  =====================================================
"""

from __future__ import annotations

import numpy as np

from ..em import weighted_densities
from ..plotting import component_color, covariance_ellipse, histogram_bins, update_ellipse

#: The colour of the markers that follow a slider (Okabe-Ito vermilion).
CURSOR_COLOR = "#D55E00"


def fitted_limits(data, params=(), n_std=2.0, margin=0.05, reach=0.15):
    r"""Axis limits per feature: the data, and the components near it, with a margin.

    The limits hold every point, and each component's
    :math:`\mu_k \pm n\,\sigma_k` interval (per feature) as long as it stays
    within ``reach`` times the data's span of the data, so that one wild
    component of a poor start does not shrink the data to a corner. A
    ``margin`` (a fraction of the span) is added on both sides.

    Parameters
    ----------
    data : array of shape (N, D)
    params : MixtureParams or iterable of MixtureParams, optional
        E.g. a fit's ``history``.
    n_std : float, default 2.0
    margin, reach : float, default 0.05 and 0.15

    Returns
    -------
    ndarray of shape (D, 2)
        ``[low, high]`` per feature.
    """
    data = np.asarray(data, dtype=float).reshape(len(data), -1)
    data_low, data_high = data.min(axis=0), data.max(axis=0)
    span = np.where(data_high > data_low, data_high - data_low, 1.0)
    low, high = data_low.copy(), data_high.copy()
    for theta in [params] if hasattr(params, "means") else params:
        spread = n_std * np.sqrt(np.diagonal(theta.covariances, axis1=1, axis2=2))
        low = np.minimum(low, (theta.means - spread).min(axis=0))
        high = np.maximum(high, (theta.means + spread).max(axis=0))
    low = np.maximum(low, data_low - reach * span)
    high = np.minimum(high, data_high + reach * span)
    return np.column_stack([low - margin * span, high + margin * span])


def fit_axes(ax, data, params=(), n_std=2.0, feature_names=None, margin=0.05):
    """Set a 2-D panel's limits with :func:`fitted_limits`, and its axis labels."""
    (x_low, x_high), (y_low, y_high) = fitted_limits(data, params, n_std, margin)
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    if feature_names:
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])


def data_points(explorer, ax, X):
    """The points of X, dynamic: an explorer colours them (``set_facecolors``) in ``update``."""
    return explorer.dynamic(ax.scatter(X[:, 0], X[:, 1], s=18, edgecolors="white", linewidths=0.4))


def mean_markers(ax, means, explorer=None):
    """A black cross on each mean; dynamic (moved by ``set_offsets``) with an ``explorer``."""
    markers = ax.scatter(
        means[:, 0], means[:, 1], marker="X", s=110, c="black", edgecolors="white", zorder=4
    )
    return explorer.dynamic(markers) if explorer is not None else markers


def component_ellipses(ax, params, n_std=2.0, **style):
    """Add each component's ``n_std``-standard-deviation ellipse, in its colour; the patches.

    ``style`` goes to every ellipse (``linewidth``, ``zorder``...).
    """
    return [
        ax.add_patch(
            covariance_ellipse(
                params.means[k],
                params.covariances[k],
                n_std,
                edgecolor=component_color(k),
                **style,
            )
        )
        for k in range(params.n_components)
    ]


class EllipseSet:
    """One ellipse per component, in the component's colour; :meth:`show` moves them.

    Parameters
    ----------
    explorer : Explorer
    ax : matplotlib.axes.Axes
    n_components : int
        How many ellipses there are; a mixture with fewer components hides the rest.
    linewidth : float or sequence of float, default 2.0
        One width for all, or one per component.
    """

    def __init__(self, explorer, ax, n_components, linewidth=2.0):
        widths = np.broadcast_to(linewidth, (n_components,))
        self.ellipses = [
            explorer.dynamic(
                ax.add_patch(
                    covariance_ellipse(
                        (0.0, 0.0), np.eye(2), 1.0, edgecolor=component_color(k), linewidth=w
                    )
                )
            )
            for k, w in enumerate(widths)
        ]

    def show(self, params, n_std=2.0):
        """Draw the n_std-standard-deviation ellipse of each component of ``params``."""
        for k, ellipse in enumerate(self.ellipses):
            ellipse.set_visible(k < params.n_components)
            if k < params.n_components:
                update_ellipse(ellipse, params.means[k], params.covariances[k], n_std)

    def __getitem__(self, k):
        return self.ellipses[k]

    def __len__(self):
        return len(self.ellipses)


class DensityPanel:
    r"""A histogram of 1-D data with each weighted component :math:`\pi_k N(x|\mu_k, \sigma_k^2)`
    and the mixture :math:`p(x)` over it.

    Parameters
    ----------
    explorer : Explorer
    ax : matplotlib.axes.Axes
    x : array of shape (N, 1)
    n_components : int
        The most components a mixture shown will have.
    params : MixtureParams or iterable of them, optional
        What will be shown, for :func:`fitted_limits`.
    bins : "measured", int or sequence of float, default "measured"
        As :func:`gmmlab.plotting.histogram_bins` takes them: on data recorded
        to a step (Iris: 0.1 cm), the edges lie halfway between measurement
        values, whatever the number of bins asked for.
    xlabel : str, optional
    legend : bool, default False
        Label the mixture's curve in a legend.

    Attributes
    ----------
    grid : ndarray of shape (G, 1)
        Where the curves are evaluated: 400 points across the panel, and every
        distinct data value in it, so that a component shrunk onto one
        repeated value (a collapse) shows as the spike it is.
    bins : ndarray
        The histogram's edges.
    components : list of Line2D
        One curve per component.
    total : Line2D
        The mixture's density.
    """

    def __init__(
        self,
        explorer,
        ax,
        x,
        n_components,
        params=(),
        bins="measured",
        xlabel=None,
        legend=False,
    ):
        ((low, high),) = fitted_limits(x, params, n_std=2.5, margin=0.02)
        values = np.unique(x[:, 0])
        inside = values[(values >= low) & (values <= high)]
        self.grid = np.union1d(np.linspace(low, high, 400), inside)[:, np.newaxis]
        self.bins = histogram_bins(x, bins)
        heights, _, self.hist = ax.hist(
            x[:, 0], bins=self.bins, density=True, color="0.82", edgecolor="white"
        )
        self.components = [
            explorer.dynamic(ax.plot([], [], color=component_color(k), linewidth=2)[0])
            for k in range(n_components)
        ]
        label = "mixture $p(x)$" if legend else None
        (self.total,) = ax.plot([], [], color="black", linewidth=2.5, linestyle="--", label=label)
        explorer.dynamic(self.total)
        ax.set_xlim(low, high)
        ax.set_ylim(0, 1.3 * heights.max())
        ax.set_ylabel("density")
        if xlabel:
            ax.set_xlabel(xlabel)
        if legend:
            ax.legend(loc="upper right", frameon=False)

    def show(self, params):
        """Draw the components of ``params`` (hiding unused curves) and their sum."""
        terms = weighted_densities(self.grid, params)
        for k, line in enumerate(self.components):
            line.set_visible(k < params.n_components)
            if k < params.n_components:
                line.set_data(self.grid[:, 0], terms[:, k])
        self.total.set_data(self.grid[:, 0], terms.sum(axis=1))
        return terms


class Cursor:
    """Markers that follow a slider along curves drawn once, and a dotted vertical line.

    Parameters
    ----------
    explorer : Explorer
    ax : matplotlib.axes.Axes
    x : array of shape (M,)
        The slider's values, where the curves are known.
    curves : sequence of arrays of shape (M,)
        One marker per curve (an empty sequence: just the vertical line).
    line : bool, default False
        Also draw a dotted vertical line at the slider's value.
    """

    def __init__(self, explorer, ax, x, curves=(), line=False):
        self.ax = ax
        self.x = np.asarray(x, dtype=float)
        self.curves = [np.asarray(curve, dtype=float) for curve in curves]
        self.markers = [
            explorer.dynamic(
                ax.plot([], [], marker="o", markersize=10, color=CURSOR_COLOR, zorder=5)[0]
            )
            for _ in self.curves
        ]
        self.line = None
        if line:
            self.line = explorer.dynamic(
                ax.axvline(self.x[0], color="black", linewidth=1, linestyle=":")
            )

    def move(self, value, heights=None):
        """Put the markers (and the line) at the slider value ``value``.

        The markers sit on the curves (interpolated between the slider's
        stops), or at ``heights``, one per curve, when given.
        """
        if heights is None:
            heights = [np.interp(value, self.x, curve) for curve in self.curves]
        for marker, height in zip(self.markers, heights, strict=True):
            marker.set_data([value], [height])
        if self.line is not None:
            self.line.set_xdata([value, value])
