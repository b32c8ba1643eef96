r"""K-Means as the limit of EM: one shared spherical variance :math:`\sigma^2` going to 0."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .._validation import ensure_data, ensure_feature_names, ensure_float, ensure_range
from ..em import e_step
from ..params import MixtureParams
from ..plotting import responsibility_colors
from .base import Explorer, Slider
from .panels import Cursor, EllipseSet, data_points, fit_axes, mean_markers


class KMeansLimitExplorer(Explorer):
    r"""Shrink one shared standard deviation :math:`\sigma`: soft responsibilities turn hard.

    Every component gets the covariance :math:`\Sigma_k = \sigma^2 I`, so that

    .. math:: \gamma_{ik} = \frac{\pi_k \exp(-\lVert x_i - \mu_k \rVert^2 / 2\sigma^2)}
              {\sum_j \pi_j \exp(-\lVert x_i - \mu_j \rVert^2 / 2\sigma^2)}
              \;\longrightarrow\; [\,k = \arg\min_j \lVert x_i - \mu_j \rVert\,]
              \quad (\sigma \to 0):

    the E-step becomes K-Means' assignment step (each point to its nearest
    mean), and the M-step's means become K-Means' update, the average of each
    cluster. Points are coloured by their responsibilities, and ringed while no
    component has :math:`\gamma_{ik} > 0.99` (still soft); circles show
    :math:`2\sigma`; the right panel follows how hard the labels are.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    means : array-like of shape (K, 2)
        The components' means :math:`\mu_k`, e.g. K-Means' centres.
    weights : array-like of shape (K,), optional
        :math:`\pi_k`; default 1/K each.
    sigma_range : pair of float, optional
        The slider's range of :math:`\sigma` (a log scale); default from 1%
        to 200% of the data's standard deviation (the mean over features).
    sigma : float, optional
        Where the slider starts (default: the geometric middle of the range).
    feature_names : pair of str, optional

    Attributes
    ----------
    nearest : ndarray of shape (N,)
        Each point's nearest mean: K-Means' label.
    sigmas, mean_max_resp, share_hard : ndarray
        :math:`\sigma` at the slider's stops, the mean over points of
        :math:`\max_k \gamma_{ik}` there, and the share of points with a
        component above :math:`\gamma = 0.99`.
    """

    figsize, panels, width_ratios = (10, 4.4), 2, (1.7, 1)

    def __init__(self, X, means, weights=None, sigma_range=None, sigma=None, feature_names=None):
        self.X = ensure_data(X, 2)
        means = ensure_data(means, 2, "means")
        K = len(means)
        weights = np.full(K, 1.0 / K) if weights is None else weights
        self.base = MixtureParams(weights, means, np.broadcast_to(np.eye(2), (K, 2, 2)))
        self.feature_names = ensure_feature_names(feature_names, 2)
        scale = float(np.sqrt(self.X.var(axis=0).mean())) or 1.0
        default = (0.01 * scale, 2.0 * scale)
        self.low, self.high = ensure_range(
            default if sigma_range is None else sigma_range, "sigma_range"
        )
        self.start = (
            np.sqrt(self.low * self.high) if sigma is None else ensure_float(sigma, "sigma")
        )
        if not self.low <= self.start <= self.high:
            raise ValueError(
                f"sigma must be within sigma_range [{self.low}, {self.high}], got {self.start}"
            )
        self.nearest = np.argmin(((self.X[:, None, :] - self.base.means) ** 2).sum(-1), axis=1)
        self.sigmas = np.geomspace(self.low, self.high, 41)
        resp = [self.responsibilities(s) for s in self.sigmas]
        self.mean_max_resp = np.array([r.max(axis=1).mean() for r in resp])
        self.share_hard = np.array([(r.max(axis=1) > 0.99).mean() for r in resp])
        super().__init__()

    def params_at(self, sigma):
        r"""The mixture with :math:`\Sigma_k = \sigma^2 I` for every k."""
        return self.base.replace(covariances=self.base.covariances * sigma**2)

    def responsibilities(self, sigma):
        r""":math:`\gamma_{ik}` under the shared :math:`\sigma`, shape (N, K)."""
        return e_step(self.X, self.params_at(sigma))

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: {self.points_phrase()} coloured by their responsibilities under "
            f"{self.base.n_components} components sharing one spherical standard deviation "
            "sigma, drawn as "
            "circles; right: the mean largest responsibility and the share of hard points "
            "against sigma"
        )

    def sliders(self):
        step = np.log10(self.high / self.low) / 40
        return {
            "sigma": Slider(
                "shared std. dev. σ",
                self.low,
                self.high,
                step,
                self.start,
                symbol=r"shared $\sigma$",
                log=True,
            )
        }

    def draw(self, data_ax, curve_ax):
        self.points = data_points(self, data_ax, self.X)
        self.soft_rings = self.dynamic(
            data_ax.scatter(
                self.X[:, 0],
                self.X[:, 1],
                s=75,
                facecolors="none",
                edgecolors="black",
                linewidths=0.8,
                label=r"still soft: no $\gamma_{ik} > 0.99$",
            )
        )
        self.circles = EllipseSet(self, data_ax, self.base.n_components, 1.5)
        means = mean_markers(data_ax, self.base.means)
        means.set_label(r"means $\mu_k$ (K-Means' centres)")
        fit_axes(data_ax, self.X, feature_names=self.feature_names)
        data_ax.set_aspect("equal", adjustable="box")
        circle = Line2D(
            [], [], color="0.3", linewidth=1.5, label=r"$2\sigma$ circle of each component"
        )
        data_ax.legend(
            handles=[means, circle, self.soft_rings], loc="upper left", fontsize=8, framealpha=0.9
        )
        curve_ax.plot(
            self.sigmas, self.mean_max_resp, color="0.3", label=r"mean of $\max_k \gamma_{ik}$"
        )
        curve_ax.plot(
            self.sigmas,
            self.share_hard,
            color="0.3",
            linestyle="--",
            label=r"share of points with $\max_k \gamma_{ik} > 0.99$",
        )
        curve_ax.set_xscale("log")
        curve_ax.set_xlabel(r"shared standard deviation $\sigma$")
        curve_ax.set_ylabel("how hard the responsibilities are")
        curve_ax.set_ylim(0, 1.05)
        curve_ax.legend(loc="lower left", fontsize=8, frameon=False)
        self.cursor = Cursor(self, curve_ax, self.sigmas, [self.mean_max_resp, self.share_hard])

    def caption(self, sigma):
        return rf"shared $\sigma = {sigma:.3g}$:  $\Sigma_k = \sigma^2 I$ for every component"

    def update(self, sigma):
        resp = self.responsibilities(sigma)
        largest = resp.max(axis=1)
        self.points.set_facecolors(responsibility_colors(resp))
        self.soft_rings.set_offsets(self.X[largest <= 0.99])
        self.circles.show(self.params_at(sigma), n_std=2.0)
        self.cursor.move(sigma, [largest.mean(), (largest > 0.99).mean()])
        differ = int((resp.argmax(axis=1) != self.nearest).sum())
        return [
            f"σ = {sigma:.3g}: Σ_k = σ² I for every component (circles: 2σ)",
            f"mean of the largest responsibility: {largest.mean():.3f}; "
            f"points with a component above γ = 0.99: {(largest > 0.99).sum()} of {len(resp)}",
            f"points whose most responsible component is not their nearest mean "
            f"(the K-Means label): {differ}",
        ]
