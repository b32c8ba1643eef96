r"""Anomalies as points of low density: slide the share of training points flagged."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba

from .._validation import ensure_data, ensure_feature_names
from ..em import log_mixture_pdf
from ..params import ensure_mixture
from ..plotting import log_density_grid, plot_log_density
from .base import Explorer, Slider
from .panels import CURSOR_COLOR, fitted_limits


class AnomalyExplorer(Explorer):
    r"""Move the threshold :math:`\tau_q` and see which points a mixture flags as anomalies.

    A point is flagged when its log-density under the fitted mixture is below the
    :math:`q`-th percentile of the training points' log-densities
    (:func:`gmmlab.anomaly_threshold`):

    .. math::

        \tau_q = \operatorname{percentile}_q \{\log p(x_i) : x_i \text{ training}\},
        \qquad \text{flag } x \iff \log p(x) < \tau_q .

    The left panel shows :math:`\log p(x)` as grey contours, the region below
    :math:`\tau_q` shaded, and the flagged points ringed; the right panel the histogram
    of the training points' :math:`\log p(x_i)` with :math:`\tau_q` as a line.

    Parameters
    ----------
    X : array-like of shape (N, 2)
        The training points (the threshold comes from them).
    params : MixtureParams
        The mixture fitted to X, with 2 features.
    X_new : array-like of shape (M, 2), optional
        New points, judged by the same threshold (shown as squares).
    percent : float, default 2.0
        The slider's start, :math:`q` in percent, from 0.5 to 20 in steps of 0.5.
    feature_names : pair of str, optional
    """

    figsize, panels, width_ratios = (10, 4.4), 2, (1.35, 1)

    def __init__(self, X, params, X_new=None, percent=2.0, feature_names=None):
        self.X = ensure_data(X, 2)
        self.params = ensure_mixture(params, 2)
        self.X_new = None if X_new is None else ensure_data(X_new, 2, "X_new")
        self.feature_names = ensure_feature_names(feature_names, 2)
        self.start = self.slider_spec().checked(percent, "percent")
        self.log_p = log_mixture_pdf(self.X, self.params)
        self.log_p_new = None if self.X_new is None else log_mixture_pdf(self.X_new, self.params)
        shown = self.X if self.X_new is None else np.vstack([self.X, self.X_new])
        self.limits = fitted_limits(shown, margin=0.08)
        self.grid_x, self.grid_y, self.grid = log_density_grid(self.params, self.limits, 160)
        super().__init__()

    def slider_spec(self, value=None):
        return Slider("flagged q (%)", 0.5, 20.0, 0.5, value, "$q$", ".1f", "%")

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: {self.points_phrase('training points')} over the "
            f"{self.params.n_components}-component mixture's log-density, the region below "
            "the threshold shaded and the flagged points ringed"
            + ("" if self.X_new is None else f", with {len(self.X_new)} new points")
            + "; right: the histogram of log p(x) of the training points with the threshold as a "
              "vertical line"
        )

    def sliders(self):
        return {"percent": self.slider_spec(self.start)}

    def threshold(self, percent):
        r""":math:`\tau_q`, the ``percent``-th percentile of the training log-densities."""
        return float(np.percentile(self.log_p, percent))

    def draw(self, data_ax, hist_ax):
        plot_log_density(data_ax, self.params, self.limits, n_points=160)
        extent = (*self.limits[0], *self.limits[1])
        self.region = self.dynamic(
            data_ax.imshow(np.zeros((*self.grid.shape, 4)), extent=extent, origin="lower",
                           aspect="auto", zorder=1)
        )
        data_ax.scatter(*self.X.T, s=12, c="0.25", zorder=2, label="training points")
        if self.X_new is not None:
            data_ax.scatter(*self.X_new.T, s=22, marker="s", facecolors="white",
                            edgecolors="black", linewidths=0.8, zorder=2, label="new points")
        self.rings = self.dynamic(
            data_ax.scatter([], [], s=90, facecolors="none", edgecolors=CURSOR_COLOR,
                            linewidths=1.8, zorder=3, label=r"flagged: $\log p(x) < \tau_q$")
        )
        data_ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
        if self.feature_names:
            data_ax.set_xlabel(self.feature_names[0])
            data_ax.set_ylabel(self.feature_names[1])
        every = self.log_p if self.log_p_new is None else np.hstack([self.log_p, self.log_p_new])
        bins = np.histogram_bin_edges(every, bins=30)  # the same bins for both sets
        hist_ax.hist(self.log_p, bins=bins, color="0.7", label="training points")
        if self.log_p_new is not None:
            hist_ax.hist(self.log_p_new, bins=bins, histtype="step", color="black",
                         label="new points")
        self.line = self.dynamic(hist_ax.axvline(0.0, color=CURSOR_COLOR, linewidth=2,
                                                 label=r"threshold $\tau_q$"))
        hist_ax.set_xlabel(r"log-density $\log p(x)$")
        hist_ax.set_ylabel("number of points")
        hist_ax.legend(loc="upper left", fontsize=8, frameon=False)

    def caption(self, percent):
        tau = self.threshold(percent)
        return rf"$q = {percent:.1f}\%$:  flag $\log p(x) < \tau_q = {tau:.2f}$"

    def update(self, percent):
        tau = self.threshold(percent)
        shade = np.zeros((*self.grid.shape, 4))
        shade[self.grid < tau] = to_rgba(CURSOR_COLOR, 0.25)
        self.region.set_data(shade)
        flagged = self.X[self.log_p < tau]
        lines = [f"q = {percent:.1f}%: threshold τ_q = {tau:.3f} (a log-density)",
                 f"flagged: {len(flagged)} of {len(self.X)} training points "
                 f"({len(flagged) / len(self.X):.1%})"]
        if self.X_new is not None:
            new = self.X_new[self.log_p_new < tau]
            flagged = np.vstack([flagged, new])
            lines.append(f"flagged: {len(new)} of {len(self.X_new)} new points "
                         f"({len(new) / len(self.X_new):.1%})")
        self.rings.set_offsets(flagged.reshape(-1, 2))
        self.line.set_xdata([tau, tau])
        return lines
