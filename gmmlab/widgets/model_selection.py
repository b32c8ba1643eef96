"""Lesson 10: choosing K. The fitted mixture for each K beside its BIC and AIC."""

from __future__ import annotations

import numpy as np

from .._validation import ensure_data, ensure_feature_names, ensure_key
from ..em import e_step, ensure_results
from ..plotting import responsibility_colors
from ..selection import aic, bic
from .base import Explorer, Slider
from .panels import Cursor, EllipseSet, data_points, fit_axes


class ModelSelectionExplorer(Explorer):
    """Slide over K: the fitted mixture beside its BIC and AIC.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    results : mapping of int to EMResult
        One :func:`gmmlab.fit` run per K.
    feature_names : pair of str, optional
    k : int, optional
        The K shown first (default: the one BIC prefers).
    """

    figsize, panels, width_ratios = (10, 4.4), 2, (1.2, 1)

    def __init__(self, X, results, feature_names=None, k=None):
        self.X = ensure_data(X, 2)
        self.results = ensure_results(results, n_features=2)
        self.feature_names = ensure_feature_names(feature_names, 2)
        self.ks = np.array(list(self.results))
        self.bic = np.array([bic(self.X, self.results[k].params) for k in self.ks])
        self.aic = np.array([aic(self.X, self.results[k].params) for k in self.ks])
        self.resp_by_k = {k: e_step(self.X, result.params) for k, result in self.results.items()}
        self.first_k = ensure_key(k, self.results, "k") or int(self.ks[np.argmin(self.bic)])
        super().__init__()

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: {self.points_phrase()} with the fit for one K; right: BIC and AIC "
            f"against K from {self.ks.min()} to {self.ks.max()}"
        )

    def sliders(self):
        return {
            "k": Slider(
                "components K",
                int(self.ks.min()),
                int(self.ks.max()),
                1,
                self.first_k,
                symbol="$K$",
            )
        }

    def draw(self, data_ax, score_ax):
        self.points = data_points(self, data_ax, self.X)
        self.ellipses = EllipseSet(self, data_ax, int(self.ks.max()))
        fit_axes(
            data_ax,
            self.X,
            [r.params for r in self.results.values()],
            feature_names=self.feature_names,
        )
        score_ax.plot(self.ks, self.bic, marker="o", color="#0072B2", label="BIC")
        score_ax.plot(self.ks, self.aic, marker="s", color="#E69F00", label="AIC")
        score_ax.set_xlabel("number of components $K$")
        score_ax.set_ylabel("criterion (lower is better)")
        score_ax.set_xticks(self.ks)
        score_ax.legend(frameon=False)
        self.cursor = Cursor(self, score_ax, self.ks, [self.bic, self.aic], line=True)

    def nearest_k(self, k):
        """The fitted K nearest to ``k`` (the slider may cross a K not fitted)."""
        return int(self.ks[np.argmin(np.abs(self.ks - k))])

    def caption(self, k):
        k = self.nearest_k(k)
        i = int(np.flatnonzero(self.ks == k)[0])
        return rf"$K = {k}$:  BIC $= {self.bic[i]:.1f}$,  AIC $= {self.aic[i]:.1f}$"

    def update(self, k):
        k = self.nearest_k(k)
        self.ellipses.show(self.results[k].params)
        self.points.set_facecolors(responsibility_colors(self.resp_by_k[k]))
        self.cursor.move(k)
        i = int(np.flatnonzero(self.ks == k)[0])
        return [
            f"K = {k}: log-likelihood ℓ = {self.results[k].log_likelihoods[-1]:.2f}, "
            f"BIC = {self.bic[i]:.2f}, AIC = {self.aic[i]:.2f}",
            f"lowest BIC at K = {self.ks[np.argmin(self.bic)]}, "
            f"lowest AIC at K = {self.ks[np.argmin(self.aic)]}",
        ]
