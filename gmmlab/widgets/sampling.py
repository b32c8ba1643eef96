"""Lesson 1: a mixture as a generative model. Change one component, see a new sample."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgba

from .._validation import ensure_feature_names, ensure_int
from ..params import ensure_mixture
from ..plotting import component_color
from .base import Explorer, Slider, axes_names, subscript
from .panels import EllipseSet, fit_axes


class SamplingExplorer(Explorer):
    r"""Change one component's weight, spread and orientation; see a new sample.

    Each component's number is written on its mean, in its colour. The
    sample is redrawn with the same seed, so that the points move with the
    parameters instead of jumping around. Changing :math:`\pi_k` rescales
    the other weights in proportion (:meth:`MixtureParams.with_weight`).

    Parameters
    ----------
    params : MixtureParams
        A 2-D mixture; the sliders start at its values.
    n_samples : int, default 500
    component : int, default 0
        The component the sliders change.
    seed : int, default 0
    feature_names : pair of str, optional
    """

    def __init__(self, params, n_samples=500, component=0, seed=0, feature_names=None):
        self.base = ensure_mixture(params, n_features=2)
        self.component = ensure_int(component, "component", 0, self.base.n_components - 1)
        self.n_samples = ensure_int(n_samples, "n_samples", minimum=1)
        self.seed = ensure_int(seed, "seed", minimum=0)
        self.feature_names = ensure_feature_names(feature_names, 2)
        eigenvalues, eigenvectors = np.linalg.eigh(self.base.covariances[self.component])
        self.axis_variances = eigenvalues[::-1]  # along the major axis first
        major = eigenvectors[:, 1]
        self.start_angle = int(round(np.degrees(np.arctan2(major[1], major[0])))) % 180
        super().__init__(figsize=(6.5, 5.4))

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        plane = axes_names(self.feature_names)
        return (
            f"{self.n_samples} points drawn from a mixture of {self.base.n_components} Gaussians "
            f"({plane}), coloured by the component that drew them, with each component's "
            f"ellipse; component {self.component}'s weight, spread and orientation set by the "
            "sliders"
        )

    def sliders(self):
        k, weight = self.component, float(self.base.weights[self.component])
        return {
            "weight": Slider(
                f"weight π{subscript(k)}",
                0.05,
                0.9,
                0.01,
                round(min(max(weight, 0.05), 0.9), 2),
                symbol=rf"weight $\pi_{k}$",
                fmt=".2f",
            ),
            "spread": Slider(
                "spread ×", 0.3, 2.5, 0.05, 1.0, symbol="spread", fmt=".2f", unit="×"
            ),
            "orientation": Slider(
                "orientation (°)", 0, 179, 1, self.start_angle, symbol="orientation", unit="°"
            ),
        }

    def draw(self, ax):
        X, _ = self.base.sample(self.n_samples, seed=self.seed)
        fit_axes(
            ax, X, self.base, feature_names=self.feature_names or ("$x_1$", "$x_2$"), margin=0.1
        )
        ax.set_aspect("equal", adjustable="box")
        ax.set_title(f"sliders change component {self.component}", fontsize=10)
        self.points = self.dynamic(ax.scatter(X[:, 0], X[:, 1], s=14, linewidths=0))
        widths = [3.0 if k == self.component else 1.5 for k in range(self.base.n_components)]
        self.ellipses = EllipseSet(self, ax, self.base.n_components, widths)
        for k, mean in enumerate(self.base.means):  # numbers, so that no colour must be named
            number = ax.annotate(
                str(k),
                mean,
                ha="center",
                va="center",
                color=component_color(k),
                fontsize=11,
                fontweight="bold",
                bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "none"},
                zorder=5,
            )
            self.dynamic(number)  # drawn over the points, which are redrawn in every frame

    def current_params(self, weight=None, spread=None, orientation=None):
        """The mixture the sliders describe (or these values, where given)."""
        values = self.values
        weight = values["weight"] if weight is None else weight
        spread = values["spread"] if spread is None else spread
        angle = np.radians(values["orientation"] if orientation is None else orientation)
        rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        covariances = self.base.covariances.copy()
        covariances[self.component] = (rotation * (self.axis_variances * spread**2)) @ rotation.T
        return self.base.with_weight(self.component, weight).replace(covariances=covariances)

    def update(self, weight, spread, orientation):
        params = self.current_params(weight, spread, orientation)
        X, labels = params.sample(self.n_samples, seed=self.seed)
        self.points.set_offsets(X)
        self.points.set_facecolors([to_rgba(component_color(k)) for k in labels])
        self.ellipses.show(params)
        counts = np.bincount(labels, minlength=params.n_components)
        sds = np.sqrt(self.axis_variances) * spread
        return [
            "weights π = (" + ", ".join(f"{w:.2f}" for w in params.weights) + ")",
            "points drawn per component: " + ", ".join(str(n) for n in counts),
            f"component {self.component}: standard deviations along its axes "
            f"{sds[0]:.2f} and {sds[1]:.2f}, major axis at {orientation}°",
        ]
