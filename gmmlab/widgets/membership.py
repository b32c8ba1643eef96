"""Lesson 2: hard versus soft. A probe point's K-Means label against its responsibilities."""

from __future__ import annotations

import numpy as np

from .._validation import ensure_data, ensure_feature_names, ensure_point, ensure_X
from ..em import e_step
from ..params import ensure_params
from ..plotting import component_color, covariance_ellipse
from .base import Explorer, Slider
from .panels import fit_axes


class MembershipExplorer(Explorer):
    r"""Move a probe point: K-Means gives it one label, the GMM a probability per component.

    Parameters
    ----------
    X : array-like of shape (N, 2)
        The data, drawn in grey.
    params : MixtureParams
        A fitted 2-D mixture (its ellipses are drawn).
    centres : array-like of shape (K, 2)
        K-Means centres, numbered like the components of ``params``.
    probe : pair of float, optional
        Where the probe starts (default: the middle of the data).
    feature_names : pair of str, optional
    """

    figsize, panels, width_ratios = (10, 4.4), 2, (1.5, 1)

    def __init__(self, X, params, centres, probe=None, feature_names=None):
        self.X = ensure_data(X, 2)
        self.params = ensure_params(params, n_features=2)
        K = self.params.n_components
        self.centres = ensure_X(centres, "centres")
        if self.centres.shape != (K, 2):
            raise ValueError(f"centres must have shape ({K}, 2), got {self.centres.shape}")
        self.low, self.high = self.X.min(axis=0), self.X.max(axis=0)
        middle = (self.low + self.high) / 2
        self.start = middle if probe is None else ensure_point(probe, 2, "probe")
        self.feature_names = ensure_feature_names(feature_names, 2)
        super().__init__()

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: {self.points_phrase()}, the K-Means centres, the GMM's ellipses and a "
            "probe point; right: bars of the probe's K-Means label (one cluster) beside its GMM "
            "responsibilities (a probability per component)"
        )

    def sliders(self):
        return {
            name: Slider(
                f"probe {name}",
                round(float(self.low[d]), 1),
                round(float(self.high[d]), 1),
                0.05,
                round(float(np.clip(self.start[d], self.low[d], self.high[d])), 2),
                symbol=f"probe ${name}$",
                fmt=".2f",
            )
            for d, name in enumerate("xy")
        }

    def draw(self, scatter_ax, bars_ax):
        K = self.params.n_components
        scatter_ax.scatter(self.X[:, 0], self.X[:, 1], s=12, c="0.7", linewidths=0)
        for k in range(K):
            color = component_color(k)
            scatter_ax.add_patch(
                covariance_ellipse(
                    self.params.means[k],
                    self.params.covariances[k],
                    2.0,
                    edgecolor=color,
                    linewidth=2,
                )
            )
            scatter_ax.plot(
                *self.centres[k], marker="P", markersize=11, color=color, markeredgecolor="black"
            )
        fit_axes(scatter_ax, self.X, feature_names=self.feature_names, margin=0.1)
        scatter_ax.set_title("probe ★, K-Means centres ✚, GMM 2-std ellipses", fontsize=10)
        (self.nearest_link,) = scatter_ax.plot([], [], color="black", linewidth=1, linestyle=":")
        (self.probe_marker,) = scatter_ax.plot(
            [], [], marker="*", markersize=18, color="white", markeredgecolor="black", zorder=5
        )
        self.dynamic(self.nearest_link, self.probe_marker)

        positions, colors = np.arange(K), [component_color(k) for k in range(K)]
        self.hard_bars = bars_ax.bar(
            positions - 0.2,
            np.zeros(K),
            width=0.38,
            color=colors,
            alpha=0.35,
            hatch="//",
            edgecolor="black",
            label="K-Means (hard)",
        )
        self.soft_bars = bars_ax.bar(
            positions + 0.2,
            np.zeros(K),
            width=0.38,
            color=colors,
            edgecolor="black",
            label=r"GMM $\gamma_k$ (soft)",
        )
        self.soft_labels = [
            bars_ax.text(k + 0.2, 0, "", ha="center", va="bottom", fontsize=9) for k in range(K)
        ]
        self.dynamic(*self.hard_bars.patches, *self.soft_bars.patches, *self.soft_labels)
        bars_ax.set_ylim(0, 1.15)
        bars_ax.set_xticks(positions, [f"k = {k}" for k in range(K)])
        bars_ax.set_ylabel("responsibility for the probe")
        bars_ax.legend(loc="upper left", fontsize=8, frameon=False)

    def probe(self):
        """The probe point, from the sliders."""
        return np.array([self.values["x"], self.values["y"]])

    def update(self, x, y):
        probe = np.array([x, y])
        nearest = int(np.argmin(((self.centres - probe) ** 2).sum(axis=1)))
        resp = e_step(probe[np.newaxis], self.params)[0]
        self.probe_marker.set_data([x], [y])
        self.nearest_link.set_data([x, self.centres[nearest, 0]], [y, self.centres[nearest, 1]])
        for k, (hard, soft, label) in enumerate(
            zip(self.hard_bars.patches, self.soft_bars.patches, self.soft_labels, strict=True)
        ):
            hard.set_height(1.0 if k == nearest else 0.0)
            soft.set_height(resp[k])
            label.set_y(resp[k] + 0.01)
            label.set_text(f"{resp[k]:.2f}")
        return [
            f"probe at ({x:.2f}, {y:.2f})",
            f"K-Means: cluster {nearest} (nearest centre), nothing else",
            "GMM responsibilities γ_k: "
            + ", ".join(f"k={k}: {g:.3f}" for k, g in enumerate(resp)),
        ]
