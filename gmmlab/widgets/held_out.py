r"""Choosing K honestly: the training log-likelihood against the held-out one."""

from __future__ import annotations

import numpy as np

from .._validation import ensure_data, ensure_feature_names, ensure_key
from ..selection import ComponentSweep
from .base import Explorer, Slider
from .panels import Cursor, EllipseSet, fit_axes


class HeldOutExplorer(Explorer):
    r"""Slide over K: each fit beside its log-likelihood per point on training and held-out data.

    .. math::

        \bar\ell_{\text{train}}(K) = \frac{1}{N} \sum_{i \in \text{train}} \log p(x_i \mid
        \hat\theta_K), \qquad
        \bar\ell_{\text{held-out}}(K) = \frac{1}{M} \sum_{i \in \text{held out}}
        \log p(x_i \mid \hat\theta_K)

    with :math:`\hat\theta_K` fitted to the training points only. The first rises with K
    (more components fit the same points better); the second rises while components
    describe the data's shape, then falls once they describe the training points'
    accidents. Nothing is fitted here: pass a :func:`gmmlab.sweep_components` result.

    Parameters
    ----------
    X : array-like of shape (N, 2)
        The training points the sweep was fitted to.
    sweep : ComponentSweep
        From ``sweep_components(X, ks, X_held_out=...)`` (or ``n_folds=...``), with 2
        features.
    X_held_out : array-like of shape (M, 2), optional
        The held-out points, drawn as hollow circles.
    feature_names : pair of str, optional
    k : int, optional
        The K shown first (default: the best held-out K).
    """

    figsize, panels, width_ratios = (10, 4.4), 2, (1.2, 1)

    def __init__(self, X, sweep, X_held_out=None, feature_names=None, k=None):
        self.X = ensure_data(X, 2)
        if not isinstance(sweep, ComponentSweep):
            raise TypeError(
                f"sweep must be a gmmlab.ComponentSweep (from gmmlab.sweep_components), "
                f"got {type(sweep).__name__}"
            )
        if sweep.held_out is None:
            raise ValueError(
                "sweep has no held-out log-likelihood: make it with "
                "sweep_components(X, ks, X_held_out=...) or n_folds=..."
            )
        if sweep.fits[int(sweep.n_components[0])].params.n_features != 2:
            raise ValueError("sweep must hold fits of 2 features, the two axes of the picture")
        self.sweep = sweep
        self.X_held_out = None if X_held_out is None else ensure_data(X_held_out, 2, "X_held_out")
        self.feature_names = ensure_feature_names(feature_names, 2)
        self.ks = sweep.n_components
        self.first_k = ensure_key(k, [int(v) for v in self.ks], "k") or sweep.best("held-out")
        super().__init__()

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: {self.points_phrase('training points')} with the ellipses of the fit for one "
            "K; "
            "right: the log-likelihood per point on the training and on the held-out points "
            "against K"
        )

    def sliders(self):
        low, high = int(self.ks[0]), int(self.ks[-1])
        return {"k": Slider("components K", low, high, 1, self.first_k, symbol="$K$")}

    def draw(self, data_ax, curve_ax):
        data_ax.scatter(*self.X.T, s=12, c="0.3", zorder=2, label="training points")
        shown = self.X
        if self.X_held_out is not None:
            data_ax.scatter(*self.X_held_out.T, s=16, facecolors="white", edgecolors="0.3",
                            linewidths=0.8, zorder=2, label="held-out points")
            shown = np.vstack([self.X, self.X_held_out])
        self.ellipses = EllipseSet(self, data_ax, int(self.ks[-1]), linewidth=1.5)
        fit_axes(data_ax, shown, feature_names=self.feature_names)
        data_ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
        curve_ax.plot(self.ks, self.sweep.train, marker="o", color="black",
                      label="training points")
        curve_ax.plot(self.ks, self.sweep.held_out, marker="s", linestyle="--", color="#0072B2",
                      label=self.sweep.held_out_method)
        curve_ax.axvline(self.sweep.best("held-out"), color="#0072B2", linewidth=1,
                         linestyle=":", label="best held-out K")
        curve_ax.set_xlabel("number of components $K$")
        curve_ax.set_ylabel(r"log-likelihood per point $\ell / N$")
        curve_ax.legend(loc="lower right", fontsize=8, frameon=False)
        self.cursor = Cursor(self, curve_ax, self.ks, [self.sweep.train, self.sweep.held_out])

    def scores(self, k):
        """(training, held-out) log-likelihood per point of the fit nearest to K = ``k``."""
        i = int(np.argmin(np.abs(self.ks - k)))  # the slider may cross a K not fitted
        return float(self.sweep.train[i]), float(self.sweep.held_out[i])

    def caption(self, k):
        train, held_out = self.scores(k)
        k = int(self.ks[np.argmin(np.abs(self.ks - k))])
        return rf"$K = {k}$:  $\ell/N$ = {train:.2f} (training), {held_out:.2f} (held out)"

    def update(self, k):
        k = int(self.ks[np.argmin(np.abs(self.ks - k))])
        self.ellipses.show(self.sweep.fits[k].params, n_std=2.0)
        self.cursor.move(k)
        train, held_out = self.scores(k)
        choices = self.sweep.choices
        return [
            f"K = {k} (ellipses: 2 std. devs): ℓ/N = {train:.3f} on the training points, "
            f"{held_out:.3f} held out ({self.sweep.held_out_method}); gap {train - held_out:.3f}",
            f"best held-out ℓ/N at K = {choices['held-out']}; lowest BIC at K = "
            f"{choices['BIC']}, lowest AIC at K = {choices['AIC']}",
        ]
