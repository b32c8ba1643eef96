r"""Lesson 6: the hidden label by Bayes' rule: prior × likelihood → posterior as a weight moves."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from .._validation import (
    ensure_data,
    ensure_feature_names,
    ensure_grid,
    ensure_int,
    ensure_point,
    ensure_text,
)
from ..em import log_gaussian_pdf
from ..params import ensure_mixture
from ..plotting import component_color, responsibility_colors
from .base import Explorer, Slider, axes_names, subscript
from .panels import component_ellipses, fitted_limits

#: Grid cells per side of the posterior map behind the points.
MAP_RESOLUTION = 160

#: How strongly the map's colours show (0: white, 1: the blended colours themselves).
MAP_STRENGTH = 0.35


class PosteriorExplorer(Explorer):
    r"""Move one weight :math:`\pi_k` (the prior) and watch Bayes' rule give the posterior.

    For the hidden label :math:`z` of a point :math:`x`,

    .. math::

        \underbrace{p(z = k \mid x)}_{\gamma_k,\ \text{posterior}}
        = \frac{\overbrace{\pi_k}^{\text{prior}}\;
                \overbrace{\mathcal{N}(x \mid \mu_k, \Sigma_k)}^{\text{likelihood}}}
               {\underbrace{\textstyle\sum_j \pi_j \, \mathcal{N}(x \mid \mu_j, \Sigma_j)}
                _{p(x),\ \text{evidence}}} .

    The slider sets :math:`\pi_k` of one component; the other weights keep their
    proportions and the weights still sum to 1 (:meth:`MixtureParams.with_weight`).
    The means and covariances do not move, so the likelihoods do not either (they are
    computed once): only the prior, the evidence and the posterior change. The right
    panel shows, for the chosen point, the four sets of bars of the formula (prior,
    likelihood, their product with its sum :math:`p(x)`, posterior); the left panel
    shows the data coloured by their posteriors over a map of the posterior at every
    position, with each component's 2-standard-deviation ellipse.

    Parameters
    ----------
    X : array-like of shape (N, 2)
        The data, drawn and coloured by their posteriors.
    params : MixtureParams
        A 2-D mixture of at least 2 components (e.g. a fit to X).
    point : pair of float
        The point whose prior, likelihood and posterior the bars show.
    component : int, default 1
        k, the component whose weight the slider moves.
    values : array-like, optional
        The slider's stops for :math:`\pi_k`, in equal increasing steps strictly
        between 0 and 1 (default 0.01, 0.02, ..., 0.99); the slider starts at the
        stop nearest the weight of ``params``.
    feature_names : pair of str, optional
    point_label : str, optional
        How the figure and the readout name the point ("flower 83"); default "x".

    Attributes
    ----------
    log_likelihoods : ndarray of shape (K,)
        :math:`\log \mathcal{N}(x \mid \mu_k, \Sigma_k)` at the point, computed once.
    parameter_values : ndarray
        The slider's stops, ``values``.
    base_labels : ndarray of shape (N,)
        Each data point's most probable component under ``params`` itself.
    """

    figsize, panels, width_ratios = (11, 4.6), 2, (1.2, 1)

    def __init__(
        self,
        X,
        params,
        point,
        component=1,
        values=None,
        feature_names=None,
        point_label=None,
    ):
        self.X = ensure_data(X, 2)
        self.base = ensure_mixture(params, n_features=2)
        if self.base.n_components < 2:
            raise ValueError(
                "params must have at least 2 components (with one, its posterior is always 1), "
                f"got {self.base.n_components}"
            )
        self.point = ensure_point(point, 2, "point")
        self.component = ensure_int(component, "component", 0, self.base.n_components - 1)
        self.parameter_values = ensure_grid(
            np.linspace(0.01, 0.99, 99) if values is None else values, "values", 0.0, 1.0
        )
        if self.parameter_values[0] == 0.0 or self.parameter_values[-1] == 1.0:
            raise ValueError(
                "values must lie strictly between 0 and 1 (a prior of 0 or 1 decides the "
                f"posterior alone), got [{self.parameter_values[0]}, {self.parameter_values[-1]}]"
            )
        self.feature_names = ensure_feature_names(feature_names, 2)
        self.point_label = ensure_text(point_label, "point_label", optional=True) or "x"
        self._label = self.point_label.replace("$", r"\$")  # as plain text in mathtext captions
        # The likelihoods N(x | mu_k, Sigma_k) do not depend on the weights: compute them once,
        # at the point, at the data and on the map's grid.
        self.log_likelihoods = self._log_densities(self.point[np.newaxis])[0]
        if not np.isfinite(self.log_likelihoods).any():
            raise ValueError(
                "point is so far from every component (beyond about 1e154 standard deviations) "
                f"that its likelihoods are below the floating-point range, got {self.point}"
            )
        self.limits = fitted_limits(self.X, self.base, n_std=2.0)
        (x_low, x_high), (y_low, y_high) = self.limits
        grid_x, grid_y = np.meshgrid(
            np.linspace(x_low, x_high, MAP_RESOLUTION), np.linspace(y_low, y_high, MAP_RESOLUTION)
        )
        grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
        self._grid_log_densities = self._log_densities(grid)
        self._data_log_densities = self._log_densities(self.X)
        base_posterior = self._posterior(self._data_log_densities, self.base.weights)
        self.base_labels = np.argmax(base_posterior, axis=1)
        super().__init__()

    # -- the numbers -----------------------------------------------------------------

    def _log_densities(self, points):
        """log N(x | mu_k, Sigma_k), shape (n, K)."""
        return np.column_stack(
            [
                log_gaussian_pdf(points, mean, cov)
                for mean, cov in zip(self.base.means, self.base.covariances, strict=True)
            ]
        )

    @staticmethod
    def _posterior(log_densities, weights):
        """gamma_k = pi_k N_k / sum_j pi_j N_j, row by row, in log space (lesson 5's trick)."""
        with np.errstate(divide="ignore"):  # a weight of 0 gives log 0 = -inf: a share of 0
            a = np.log(weights) + log_densities
        a -= a.max(axis=1, keepdims=True)
        shares = np.exp(a)
        return shares / shares.sum(axis=1, keepdims=True)

    def params_at(self, weight):
        r"""The mixture with :math:`\pi_k` = ``weight``, the other weights rescaled."""
        return self.base.with_weight(self.component, weight)

    def bayes(self, weight):
        r"""Prior, likelihood, their product, the evidence and the posterior at the point.

        Returns
        -------
        dict
            ``prior`` :math:`\pi_k`, ``likelihood`` :math:`\mathcal{N}(x \mid \mu_k,
            \Sigma_k)`, ``joint`` :math:`\pi_k \mathcal{N}(x \mid \mu_k, \Sigma_k)` (each
            of shape (K,)), ``evidence`` :math:`p(x)` (a float) and ``posterior``
            :math:`\gamma_k` (shape (K,)).
        """
        prior = self.params_at(weight).weights
        likelihood = np.exp(self.log_likelihoods)
        joint = prior * likelihood
        posterior = self._posterior(self.log_likelihoods[np.newaxis], prior)[0]
        return {
            "prior": prior,
            "likelihood": likelihood,
            "joint": joint,
            "evidence": float(joint.sum()),
            "posterior": posterior,
        }

    # -- the protocol ----------------------------------------------------------------

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        plane = axes_names(self.feature_names)
        return (
            f"Left: the plane ({plane}) coloured by the most probable component, {len(self.X)} "
            f"points and the point {self.point_label}; right: bars of the prior weights, the "
            f"likelihoods and the posterior at {self.point_label}, as the weight of component "
            f"{self.component} moves"
        )

    def sliders(self):
        k, grid = self.component, self.parameter_values
        start = grid[np.argmin(np.abs(grid - self.base.weights[k]))]
        return {
            "weight": Slider(
                f"weight π{subscript(k)}",
                float(grid[0]),
                float(grid[-1]),
                float(grid[1] - grid[0]),
                float(start),
                symbol=rf"$\pi_{k}$",
                fmt=".2f",
            )
        }

    def draw(self, map_ax, bars_ax):
        K = self.base.n_components
        (x_low, x_high), (y_low, y_high) = self.limits
        self.map = self.dynamic(
            map_ax.imshow(
                np.ones((MAP_RESOLUTION, MAP_RESOLUTION, 3)),
                origin="lower",
                extent=(x_low, x_high, y_low, y_high),
                aspect="auto",
                interpolation="bilinear",
                zorder=0,
            )
        )
        # everything over the map is redrawn with it, in every frame (the map is dynamic)
        self.points = self.dynamic(
            map_ax.scatter(
                self.X[:, 0], self.X[:, 1], s=16, edgecolors="white", linewidths=0.4, zorder=2
            )
        )
        self.dynamic(*component_ellipses(map_ax, self.base, 2.0, linewidth=1.8, zorder=3))
        self.dynamic(
            *map_ax.plot(
                *self.point,
                marker="*",
                markersize=18,
                color="white",
                markeredgecolor="black",
                linestyle="none",
                zorder=5,
            )
        )
        map_ax.set_xlim(x_low, x_high)
        map_ax.set_ylim(y_low, y_high)
        if self.feature_names:
            map_ax.set_xlabel(self.feature_names[0])
            map_ax.set_ylabel(self.feature_names[1])
        map_ax.set_title(
            r"points and background coloured by the posterior $\gamma_k$", fontsize=10
        )
        # The legend of both panels sits in the bars' panel, which is static behind the bars:
        # over the map it would have to be redrawn in every frame.
        self._draw_bars(bars_ax, K)

    def _draw_bars(self, ax, K):
        width = 0.8 / K
        offsets = (np.arange(K) - (K - 1) / 2) * width
        self.bars, self.bar_labels = {}, {}
        top = max(1.0, float(np.exp(self.log_likelihoods).max()))
        self.bars_top = 1.45 * top  # room for the legend above bars of height 1
        self.evidence_bar = self.dynamic(
            ax.bar(
                2,
                0.0,
                width=0.9,
                facecolor="0.92",
                edgecolor="black",
                linestyle="--",
                linewidth=1,
                label=r"their sum $p(x)$, the evidence",
            ).patches[0]
        )
        self.evidence_label = self.dynamic(
            ax.text(2, 0.0, "", ha="center", va="bottom", fontsize=8)
        )
        for group, name in enumerate(("prior", "likelihood", "joint", "posterior")):
            bars = ax.bar(
                group + offsets,
                np.zeros(K),
                width=width * 0.92,
                color=[component_color(k) for k in range(K)],
                edgecolor="black",
                linewidth=0.5,
                label=[f"component {k}" for k in range(K)] if group == 0 else None,
            )
            self.bars[name] = list(bars.patches)
            self.bar_labels[name] = [
                ax.text(group + offsets[k], 0.0, "", ha="center", va="bottom", fontsize=7)
                for k in range(K)
            ]
            if name != "likelihood":  # the likelihoods never change: drawn once, in update
                self.dynamic(*self.bars[name], *self.bar_labels[name])
        ax.set_xticks(
            range(4),
            [
                "prior\n" + r"$\pi_k$",
                "likelihood\n" + r"$\mathcal{N}(x \mid \mu_k, \Sigma_k)$",
                "prior × likelihood\n" + r"$\pi_k \, \mathcal{N}(x \mid \mu_k, \Sigma_k)$",
                "posterior\n" + r"$\gamma_k = p(z = k \mid x)$",
            ],
            fontsize=8,
        )
        ax.set_xlim(-0.55, 3.55)
        ax.set_ylim(0, self.bars_top)
        ax.set_ylabel("probability, or density (likelihood)")
        ax.set_title(
            r"Bayes' rule: $\gamma_k = \pi_k \, \mathcal{N}(x \mid \mu_k, \Sigma_k) \, / \, p(x)$",
            fontsize=10,
        )
        handles, labels = ax.get_legend_handles_labels()
        handles += [
            Line2D([], [], color="0.2", linewidth=1.8),
            Line2D(
                [],
                [],
                marker="*",
                markersize=12,
                color="white",
                markeredgecolor="black",
                linestyle="none",
            ),
        ]
        labels += ["left: 2-std. ellipses", f"left: {self._label}, the bars' point"]
        ax.legend(handles, labels, loc="upper left", fontsize=8, frameon=False, ncols=2)
        self._show_bars("likelihood", np.exp(self.log_likelihoods))

    def _show_bars(self, name, heights):
        for bar, label, height in zip(
            self.bars[name], self.bar_labels[name], heights, strict=True
        ):
            bar.set_height(height)
            label.set_y(height)
            label.set_text(_short(height))

    def caption(self, weight):
        # short: a caption is parsed as mathtext in every frame; the formula is in a title
        return rf"$\pi_{self.component} = {weight:.2f}$, point $x$ = {self._label}"

    def update(self, weight):
        k = self.component
        numbers = self.bayes(weight)
        prior, posterior = numbers["prior"], numbers["posterior"]
        self._show_bars("prior", prior)
        self._show_bars("joint", numbers["joint"])
        self._show_bars("posterior", posterior)
        self.evidence_bar.set_height(numbers["evidence"])
        self.evidence_label.set_y(numbers["evidence"] + 0.05 * self.bars_top)
        self.evidence_label.set_text(f"p(x) = {numbers['evidence']:.4f}")
        grid = responsibility_colors(self._posterior(self._grid_log_densities, prior))
        image = 1.0 - MAP_STRENGTH * (1.0 - grid)  # the blended colours, lightened
        self.map.set_data(image.reshape(MAP_RESOLUTION, MAP_RESOLUTION, 3))
        data_resp = self._posterior(self._data_log_densities, prior)
        self.points.set_facecolors(responsibility_colors(data_resp))
        changed = int((np.argmax(data_resp, axis=1) != self.base_labels).sum())
        # posterior odds of k against the most probable other component
        others = [j for j in np.argsort(-posterior) if j != k]
        j = int(others[0])
        likelihood = numbers["likelihood"]
        return [
            f"weight π{subscript(k)} = {weight:.2f} (the fit's: {self.base.weights[k]:.3f}); "
            f"every weight π_k: ({', '.join(f'{w:.3f}' for w in prior)})",
            f"{self.point_label} = ({self.point[0]:.3g}, {self.point[1]:.3g}): evidence "
            f"p(x) = Σ_k π_k N(x | μ_k, Σ_k) = {numbers['evidence']:.4f}",
            f"posterior γ_k = ({', '.join(f'{g:.3f}' for g in posterior)}): most probable "
            f"component {int(np.argmax(posterior))}",
            f"posterior odds γ{subscript(k)}/γ{subscript(j)} = prior odds "
            f"π{subscript(k)}/π{subscript(j)} × likelihood ratio N{subscript(k)}/N{subscript(j)}"
            f" = {prior[k] / prior[j]:.3g} × {_ratio(likelihood[k], likelihood[j])}"
            f" = {_ratio(posterior[k], posterior[j])}",
            f"data points whose most probable component differs from the one under the fit's "
            f"weights: {changed} of {len(self.X)}",
        ]


def _short(value):
    """A bar's value, short: 0.53, 2e-104, 0."""
    if value == 0:
        return "0"
    return f"{value:.2f}" if value >= 0.005 else f"{value:.0e}"


def _ratio(top, bottom):
    """top / bottom as text, 'inf' when bottom underflowed to 0."""
    return f"{top / bottom:.3g}" if bottom > 0 else "inf"
