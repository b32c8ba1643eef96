r"""Lesson 9: the same data fitted from many random starts; slide through the starts."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._validation import (
    as_float_array,
    ensure_data,
    ensure_feature_names,
    ensure_finite,
    ensure_int,
    ensure_positive_number,
)
from ..em import EMResult, e_step, hard_assign
from ..plotting import component_color
from .base import Explorer, Slider
from .panels import CURSOR_COLOR, EllipseSet, data_points, fit_axes, mean_markers


class StartsExplorer(Explorer):
    r"""Slide through the starts (seeds) of EM on the same data: where each one ended.

    EM climbs to a local maximum of :math:`\ell(\theta) = \sum_i \log \sum_k \pi_k
    \mathcal{N}(x_i \mid \mu_k, \Sigma_k)` that depends on its start. The left panel
    shows the final mixture of start ``s``: its 2-standard-deviation ellipses and means,
    and the points coloured by their most responsible component
    :math:`\hat z_i = \arg\max_k \gamma_{ik}`; the right panel counts the starts that
    ended at each final :math:`\ell` (rounded to 0.01), with start ``s``'s bar marked.
    Components are renumbered to match the highest start's (or, with ``labels`` of K
    classes, the classes' means), so that a component keeps its colour across starts.
    With ``labels``, the readout gives the adjusted Rand index of :math:`\hat z` and
    the labels (``sklearn.metrics.adjusted_rand_score``: 1 for the same grouping up to
    renumbering, about 0 for a random one). A fit with a covariance eigenvalue at the
    floor ``reg_covar`` (within 1%) is *degenerate*, a component squeezed onto one point or
    onto tied values: its bar is hatched and the readout says so.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    runs : sequence of EMResult
        ``runs[s]``: the :func:`gmmlab.fit` of ``X`` from seed ``s``, all with the same K
        (at least 2 runs); nothing is refitted.
    labels : array-like of shape (N,), optional
        Known classes of the points (integers), never seen by the fits.
    seed : int, optional
        The slider's start (default 0).
    feature_names : pair of str, optional
    reg_covar : float, optional
        The floor the runs were fitted with (default 1e-6, gmmlab's); > 0.

    Attributes
    ----------
    final : ndarray of shape (S,)
        Each start's final :math:`\ell`.
    params : list of MixtureParams
        Each start's final parameters, renumbered as shown.
    z_hat : list of ndarray of shape (N,)
        Each start's hard labels :math:`\hat z_i` (in the shown numbering).
    ari : list of float or None
        Each start's adjusted Rand index with ``labels`` (None without labels).
    smallest_eigenvalue : ndarray of shape (S,)
        Each start's smallest eigenvalue over its covariances.
    degenerate : ndarray of bool, shape (S,)
        Whether that eigenvalue is at the floor, ``< 1.01 * reg_covar``.
    """

    figsize, panels, width_ratios = (10, 4.4), 2, (1.3, 1)

    def __init__(self, X, runs, labels=None, seed=0, feature_names=None, reg_covar=1e-6):
        from sklearn.metrics import adjusted_rand_score

        self.X = ensure_data(X, 2)
        self.runs = check_runs(runs)
        self.labels = None if labels is None else check_labels(labels, len(self.X))
        self.start = ensure_int(seed, "seed", 0, len(self.runs) - 1)
        self.feature_names = ensure_feature_names(feature_names, 2)
        self.final = np.array([run.log_likelihoods[-1] for run in self.runs])
        floor = ensure_positive_number(reg_covar, "reg_covar")
        self.smallest_eigenvalue = np.array(
            [np.linalg.eigvalsh(run.params.covariances).min() for run in self.runs])
        self.degenerate = self.smallest_eigenvalue < 1.01 * floor
        K = self.runs[0].params.n_components
        reference = self.runs[int(self.final.argmax())].params
        if self.labels is not None and len(np.unique(self.labels)) == K:
            classes = np.unique(self.labels)
            reference = np.array([self.X[self.labels == c].mean(axis=0) for c in classes])
        self.params = [run.params.aligned_to(reference) for run in self.runs]
        self.z_hat = [hard_assign(e_step(self.X, params)) for params in self.params]
        self.ari = None if self.labels is None else [
            adjusted_rand_score(self.labels, z) for z in self.z_hat]
        self.maxima, self.bar_of = np.unique(self.final.round(2), return_inverse=True)
        super().__init__()

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: {self.points_phrase()} with the final ellipses and hard labels of "
            "the EM "
            f"run from one of {len(self.runs)} random starts; right: how many starts ended at "
            "each "
            "final log-likelihood, the shown start's bar marked"
        )

    def sliders(self):
        return {"seed": Slider("seed s", 0, len(self.runs) - 1, 1, self.start, "seed")}

    def draw(self, ax, bar_ax):
        self.points = data_points(self, ax, self.X)
        self.ellipses = EllipseSet(self, ax, self.runs[0].params.n_components, 2.2)
        self.means = mean_markers(ax, self.params[0].means, self)
        fit_axes(ax, self.X, self.params, feature_names=self.feature_names)
        handles = [Line2D([], [], color=component_color(k), marker="o", label=f"component {k}")
                   for k in range(len(self.ellipses))]
        handles.append(Line2D([], [], color="black", marker="X", linestyle="", label="means"))
        ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.9)
        counts = np.bincount(self.bar_of)
        self.bars = bar_ax.bar(range(len(counts)), counts, color="0.75")
        self.dynamic(*self.bars)
        for j, patch in enumerate(self.bars):  # a maximum reached by a degenerate fit: hatched
            patch.set_hatch("///" if self.degenerate[self.bar_of == j].any() else None)
        bar_ax.bar_label(self.bars, fontsize=8)
        bar_ax.set_yscale("log")
        bar_ax.yaxis.set_major_formatter("{x:g}")
        bar_ax.set_xticks(range(len(counts)), [f"{v:.2f}" for v in self.maxima],
                          rotation=45 if len(counts) > 4 else 0, fontsize=8)
        bar_ax.set_ylim(0.5, 2 * counts.max())
        bar_ax.set_xlabel(r"final log-likelihood $\ell$ (each value reached)")
        bar_ax.set_ylabel(f"number of starts (of {len(self.runs)}; log scale)")
        bar_ax.legend(handles=[Patch(color="0.75", label="starts that end there"),
                               Patch(color=CURSOR_COLOR, label="where start $s$ ends"),
                               Patch(facecolor="white", edgecolor="0.3", hatch="///",
                                     label="degenerate (eigenvalue at reg_covar)")],
                      loc="upper left", fontsize=8)

    def caption(self, seed):
        return rf"start (seed) $s = {seed}$: final $\ell = {self.final[seed]:.2f}$"

    def update(self, seed):
        run, params = self.runs[seed], self.params[seed]
        self.points.set_facecolors([component_color(k) for k in self.z_hat[seed]])
        self.ellipses.show(params)
        self.means.set_offsets(params.means)
        for j, patch in enumerate(self.bars):
            patch.set_facecolor(CURSOR_COLOR if j == self.bar_of[seed] else "0.75")
        bar = self.bar_of[seed]
        same = int((self.bar_of == bar).sum())
        lines = [f"seed {seed}: final ℓ = {self.final[seed]:.2f} after {run.n_iter} iterations "
                 f"({'converged' if run.converged else 'not converged'})",
                 f"{same} of {len(self.runs)} starts end at ℓ = {self.maxima[bar]:.2f}",
                 f"smallest covariance eigenvalue: {self.smallest_eigenvalue[seed]:.1e}"
                 + (" (at the floor reg_covar: degenerate)" if self.degenerate[seed] else "")]
        if self.ari is not None:
            lines.append(f"adjusted Rand index of ẑ with the labels: {self.ari[seed]:.2f}")
        return lines


def check_runs(runs, name="runs"):
    """A list of at least 2 gmmlab.fit results with the same K, of 2 features."""
    if isinstance(runs, (str, dict)) or not hasattr(runs, "__len__") or len(runs) < 2:
        raise TypeError(f"{name} must be a list of at least 2 gmmlab.EMResult (runs[s]: seed s), "
                        f"got {type(runs).__name__}")
    for s, run in enumerate(runs):
        if not isinstance(run, EMResult):
            raise TypeError(f"{name}[{s}] must be a gmmlab.EMResult, got {type(run).__name__}")
        shape = (run.params.n_components, run.params.n_features)
        if shape != (runs[0].params.n_components, 2):
            raise ValueError(f"{name}[{s}] must be a fit of 2 features with the K of {name}[0] "
                             f"({runs[0].params.n_components}), got K, D = {shape}")
    return list(runs)



def check_labels(labels, n_samples, name="labels"):
    """One integer class per point."""
    array = as_float_array(labels, name)
    if array.shape != (n_samples,):
        raise ValueError(f"{name} must hold one class per point ({n_samples}), "
                         f"got shape {array.shape}")
    ensure_finite(array, name)
    if not (array == np.round(array)).all():
        wrong = array[array != np.round(array)][0]
        raise ValueError(f"{name} must be integer classes, got {wrong}")
    return array.astype(int)
