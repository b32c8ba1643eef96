r"""Online EM's step size: the exponent alpha against noise and speed along one stream."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validation import ensure_data, ensure_float, ensure_int
from ..em import EMResult, log_mixture_pdf
from ..online import OnlineEMResult
from ..plotting import component_color
from .base import Explorer, Slider


class OnlineStepExplorer(Explorer):
    r"""Slide over the step-size exponent :math:`\alpha`: one stream, one run per :math:`\alpha`.

    .. math::

        s^{(t)} = (1 - \rho_t)\, s^{(t-1)} + \rho_t\, \bar s_t(\theta^{(t-1)}), \qquad
        \rho_t = (t + t_0)^{-\alpha}

    Left: :math:`\ell(\theta^{(t)}) / N`, the log-likelihood per point of all N points of
    the stream under the parameters after chunk t, against the points seen; right: one
    coordinate of one mean :math:`\mu_k` along the stream. Dashed: batch EM's values on
    the same points. Near :math:`\alpha = 0.5` the steps stay large and the curves are
    noisy; at :math:`\alpha = 1` they are smooth, and slow to forget a poor start. The
    per-point log-likelihoods are computed here, once; nothing is fitted.

    Parameters
    ----------
    X : array-like of shape (N, D)
        All the points of the stream, in its order.
    runs : dict of float to OnlineEMResult
        :math:`\alpha` -> ``fit_online(stream, K, step=alpha, ...)`` on those points, at
        least two, all with the same chunks and K.
    batch : EMResult
        Batch EM on X (``gmmlab.fit``), with the same K, aligned to the runs' components.
    component : int, default 0
        The k of the mean shown.
    feature : int, default 0
        The coordinate of :math:`\mu_k` shown.
    feature_names : sequence of D str, optional
    step : float, optional
        The :math:`\alpha` shown first (default: the smallest).
    """

    figsize, panels, width_ratios = (10, 4.2), 2, (1, 1)

    def __init__(self, X, runs, batch, component=0, feature=0, feature_names=None, step=None):
        self.X = ensure_data(X, np.shape(X)[1] if np.ndim(X) == 2 else 1)
        n_samples, n_features = self.X.shape
        if not isinstance(runs, Mapping) or len(runs) < 2:
            raise TypeError(
                "runs must be a dict of at least two step exponents alpha to the "
                f"gmmlab.fit_online result with that step, got {type(runs).__name__}"
                + ("" if not isinstance(runs, Mapping) else f" of {len(runs)}")
            )
        checked = {}
        for alpha, run in runs.items():
            alpha = ensure_float(alpha, "the keys of runs")
            if not isinstance(run, OnlineEMResult):
                raise TypeError(
                    f"runs[{alpha}] must be a gmmlab.fit_online result, got {type(run).__name__}"
                )
            checked[alpha] = run
        self.alphas = np.array(sorted(checked))
        self.runs = [checked[a] for a in self.alphas]
        first = self.runs[0]
        for alpha, run in zip(self.alphas, self.runs, strict=True):
            if run.params.n_features != n_features:
                raise ValueError(
                    f"runs[{alpha}] has {run.params.n_features} features, X {n_features}"
                )
            if run.chunk_sizes.sum() != n_samples or not np.array_equal(
                run.chunk_sizes, first.chunk_sizes
            ):
                raise ValueError(
                    f"runs[{alpha}] must have streamed the N = {n_samples} points of X in the "
                    "same chunks as the other runs"
                )
            if run.params.n_components != first.params.n_components:
                raise ValueError("every run in runs must have the same number of components")
        n_components = first.params.n_components
        if not isinstance(batch, EMResult):
            raise TypeError(
                f"batch must be a gmmlab.fit result (EMResult), got {type(batch).__name__}"
            )
        if batch.params.n_components != n_components or batch.params.n_features != n_features:
            raise ValueError(
                f"batch must be a fit with {n_components} components and {n_features} features"
            )
        self.batch = batch
        self.component = ensure_int(component, "component", minimum=0, maximum=n_components - 1)
        self.feature = ensure_int(feature, "feature", minimum=0, maximum=n_features - 1)
        if feature_names is not None:
            if isinstance(feature_names, str) or len(feature_names) != n_features:
                raise ValueError(f"feature_names must be {n_features} strings, one per feature")
        self.feature_names = feature_names
        self.first_step = (
            self.alphas[0]
            if step is None
            else self.nearest(
                ensure_float(
                    step, "step", minimum=float(self.alphas[0]), maximum=float(self.alphas[-1])
                )
            )
        )
        self.seen = np.cumsum(first.chunk_sizes)
        # the precomputation: l(theta^(t)) / N on all the points, for every run and chunk
        self.per_point = np.array(
            [
                [log_mixture_pdf(self.X, params).mean() for params in run.history]
                for run in self.runs
            ]
        )
        self.mean_paths = np.array(
            [[p.means[self.component, self.feature] for p in run.history] for run in self.runs]
        )
        self.batch_per_point = float(log_mixture_pdf(self.X, batch.params).mean())
        self.batch_mean = float(batch.params.means[self.component, self.feature])
        super().__init__()

    def nearest(self, alpha):
        """The alpha of ``runs`` nearest to ``alpha``."""
        return float(self.alphas[int(np.argmin(np.abs(self.alphas - alpha)))])

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"One stream of {len(self.X)} points fitted by online EM for one step-size exponent "
            "alpha: "
            "left, the log-likelihood per point along the stream against batch EM's; right, one "
            "mean "
            "along the stream against batch EM's value"
        )

    def sliders(self):
        low, high = float(self.alphas[0]), float(self.alphas[-1])
        step = float(np.min(np.diff(self.alphas)))
        return {
            "step": Slider(
                "step-size exponent α",
                low,
                high,
                step,
                float(self.first_step),
                symbol=r"$\alpha$",
                fmt=".2f",
            )
        }

    def draw(self, ell_ax, mean_ax):
        colour = component_color(self.component)
        for row, path in zip(self.per_point, self.mean_paths, strict=True):
            ell_ax.plot(self.seen, row, color="0.85", linewidth=0.8, zorder=1)
            mean_ax.plot(self.seen, path, color="0.85", linewidth=0.8, zorder=1)
        ell_ax.axhline(
            self.batch_per_point, color="black", linestyle="--", linewidth=1, label="batch EM"
        )
        mean_ax.axhline(
            self.batch_mean, color="black", linestyle="--", linewidth=1, label="batch EM"
        )
        self.ell_line = self.dynamic(
            ell_ax.plot([], [], color="#0072B2", linewidth=1.5, label=r"online, this $\alpha$")[0]
        )
        self.mean_line = self.dynamic(
            mean_ax.plot([], [], color=colour, linewidth=1.5, label=r"online, this $\alpha$")[0]
        )
        low = min(self.per_point[:, 1:].min(), self.batch_per_point)
        span = self.batch_per_point - low
        ell_ax.set_ylim(low - 0.05 * span, self.batch_per_point + 0.3 * span + 1e-9)
        ell_ax.set_xlabel("points seen")
        ell_ax.set_ylabel(r"$\ell(\theta^{(t)})\,/\,N$ on all the points")
        ell_ax.legend(loc="lower right", fontsize=8, frameon=False)
        name = (
            self.feature_names[self.feature] if self.feature_names else f"feature {self.feature}"
        )
        mean_ax.set_xlabel("points seen")
        mean_ax.set_ylabel(rf"$\mu_{self.component}$: {name}")
        mean_ax.legend(loc="best", fontsize=8, framealpha=0.9)

    def summary(self, step):
        """(final l/N, its gap to batch EM's, the spread of the mean over the last half)."""
        i = int(np.argmin(np.abs(self.alphas - step)))
        final = float(self.per_point[i, -1])
        half = self.mean_paths[i, len(self.seen) // 2 :]
        return final, self.batch_per_point - final, float(half.std())

    def caption(self, step):
        alpha = self.nearest(step)
        final, gap, _ = self.summary(alpha)
        return (
            rf"$\alpha = {alpha:.2f}$:  $\ell/N$ after the pass {final:.4f} "
            rf"(batch EM: {self.batch_per_point:.4f})"
        )

    def update(self, step):
        alpha = self.nearest(step)
        i = int(np.argmin(np.abs(self.alphas - alpha)))
        self.ell_line.set_data(self.seen, self.per_point[i])
        self.mean_line.set_data(self.seen, self.mean_paths[i])
        final, gap, spread = self.summary(alpha)
        rho_last = float(self.runs[i].steps[-1])
        return [
            f"α = {alpha:.2f}: last step ρ = {rho_last:.4f}; after the pass ℓ/N = {final:.4f}, "
            f"{gap:.4f} below batch EM's {self.batch_per_point:.4f} "
            f"({100 * gap / abs(self.batch_per_point):.3f} %)",
            f"μ_{self.component} (coordinate {self.feature}) over the second half of the stream: "
            f"std. dev. {spread:.4f}; batch EM's value {self.batch_mean:.4f}",
        ]
