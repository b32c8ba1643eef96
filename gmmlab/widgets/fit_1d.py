"""Lesson 3: 1-D fits over a histogram, for each K and each EM iteration."""

from __future__ import annotations

import numpy as np
from matplotlib.legend import Legend

from .._validation import ensure_bins, ensure_data, ensure_key, ensure_text
from ..em import ensure_results
from ..plotting import component_color
from .base import Explorer, Slider
from .panels import DensityPanel


class FitExplorer1D(Explorer):
    r"""1-D mixtures over a histogram: choose K and step through EM's iterations.

    Components are numbered (and coloured) from left to right by their final
    means, as in :func:`gmmlab.plotting.plot_mixture_1d` after sorting. A K
    shown for the first time starts at the end of its run; a K shown before
    returns to the iteration it was left at, so that moving K away and back
    restores the picture. A legend names each component's curve
    :math:`\pi_k \mathcal{N}(x \mid \mu_k, \sigma_k^2)`, the mixture and the
    histogram, for the K shown.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1)
        The data.
    results : mapping of int to EMResult
        One :func:`gmmlab.fit` run per number of components K.
    xlabel : str, optional
    bins : int or sequence of float, optional
        The histogram's bins: a number, or the edges. By default (None), one
        bin per measurement value on data recorded to a step (Iris: 0.1 cm),
        its edges halfway between two values (see
        :func:`gmmlab.plotting.histogram_bins`).
    k : int, optional
        The K shown first (default: the smallest key).
    reference : array-like of shape (R,) or (R, 1), optional
        Centres that name the colours, e.g. the Iris species' mean widths: for every K the
        components nearest them (``scipy.optimize.linear_sum_assignment`` on the squared
        distances) become components 0 to R - 1, in the reference's order, and the others
        follow from left to right. By default components are numbered from left to right.
    """

    figsize = (8, 4.4)

    def __init__(self, x, results, xlabel=None, bins=None, k=None, reference=None):
        self.x = ensure_data(x, 1, "x")
        results = ensure_results(results, n_features=1)
        centres = None if reference is None else ensure_data(reference, 1, "reference")[:, 0]
        self.results = {
            k: result.permute(_colour_order(result.params.means[:, 0], centres))
            for k, result in results.items()
        }
        self.first_k = ensure_key(k, self.results, "k") or min(self.results)
        self.xlabel = ensure_text(xlabel, "xlabel", optional=True)
        self.bins = "measured" if bins is None else ensure_bins(bins)
        self._shown_k = self.first_k  # the fitted K on screen, and where each K was left
        self._iteration_of = {}
        super().__init__()

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"A histogram of {len(self.x)} values of {self.xlabel or 'x'} with a fitted mixture's "
            "weighted component densities and their sum drawn over it, for one K and one EM "
            "iteration"
        )

    def sliders(self):
        n_iter = self.results[self.first_k].n_iter
        return {
            "k": Slider(
                "components K", min(self.results), max(self.results), 1, self.first_k, symbol="$K$"
            ),
            "iteration": Slider("EM iteration t", 0, max(n_iter, 1), 1, n_iter, symbol="$t$"),
        }

    def draw(self, ax):
        history = [params for result in self.results.values() for params in result.history]
        self.density = DensityPanel(
            self,
            ax,
            self.x,
            max(self.results),
            history,
            bins=self.bins,
            xlabel=self.xlabel,
        )
        # one legend per K, drawn once; update() shows the one of the K on screen
        self.legends = {}
        for k in self.results:
            handles = [*self.density.components[:k], self.density.total, self.density.hist[0]]
            labels = [
                *(rf"component {j}: $\pi_{j}\,\mathcal{{N}}(x \mid \mu_{j}, \sigma_{j}^2)$"
                  for j in range(k)),
                "mixture $p(x)$",
                "data (histogram)",
            ]
            legend = Legend(ax, handles, labels, loc="upper right", fontsize=8, frameon=False)
            self.legends[k] = self.dynamic(legend)
        # a component narrower than the panel is tall (a collapse) says how tall it is
        self.peak_labels = [
            self.dynamic(
                ax.text(0, 0, "", color=component_color(j), fontsize=8, ha="right", va="top")
            )
            for j in range(max(self.results))
        ]

    def fit_for(self, k):
        """The run for the fitted K nearest to ``k`` (the slider may cross a K not fitted)."""
        return self.results[min(self.results, key=lambda fitted: (abs(fitted - k), fitted))]

    def constrain(self, name):
        if name != "k":
            return
        result = self.fit_for(self.values["k"])
        k = result.params.n_components
        if k == self._shown_k:  # the slider crossed a K that was not fitted: same run
            return
        # another K: its own iterations, where it was left (first time: the converged fit)
        iteration = self.controls["iteration"]
        self._iteration_of[self._shown_k] = iteration.value
        self._shown_k = k
        iteration.max = max(result.n_iter, 1)
        iteration.value = min(self._iteration_of.get(k, result.n_iter), result.n_iter)

    def caption(self, k, iteration):
        result = self.fit_for(k)
        k, t = result.params.n_components, min(iteration, result.n_iter)
        return rf"$K = {k}$ components, EM iteration $t = {t}$: $\theta^{{({t})}}$"

    def update(self, k, iteration):
        result = self.fit_for(k)
        k, t = result.params.n_components, min(iteration, result.n_iter)
        params = result.history[t]
        self.density.show(params)
        for fitted, legend in self.legends.items():
            legend.set_visible(fitted == k)
        top = self.density.hist[0].axes.get_ylim()[1]
        peaks = params.weights / np.sqrt(2 * np.pi * params.covariances[:, 0, 0])
        for j, label in enumerate(self.peak_labels):
            label.set_visible(j < k and peaks[j] > top)
            if j < k:
                label.set_position((params.means[j, 0], 0.98 * top))
                label.set_text(f"component {j}: peak {peaks[j]:.3g}, off the scale ")
        return [
            f"K = {k}, iteration t = {t} of {result.n_iter}: "
            f"log-likelihood ℓ = {result.log_likelihoods[t]:.2f}"
        ] + [
            f"  component {j}: π = {params.weights[j]:.3f}, μ = {params.means[j, 0]:.3f}, "
            f"σ² = {params.covariances[j, 0, 0]:.4f}"
            for j in range(k)
        ]


def _colour_order(means, centres):
    """Component order: those nearest ``centres`` first (in the centres' order), then the
    others from left to right; all from left to right without centres."""
    if centres is None:
        return list(np.argsort(means))
    from ..params import match_components

    matched = match_components(means[:, np.newaxis], centres[:, np.newaxis])
    rest = [int(j) for j in np.argsort(means) if j not in matched]
    return matched + rest
