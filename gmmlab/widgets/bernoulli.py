"""Lesson 14: a recorded EM run of a Bernoulli mixture, its mean images iteration by iteration."""

from __future__ import annotations

import numpy as np

from .._validation import ensure_int
from ..bernoulli import BernoulliResult
from ..plotting import component_color, plot_log_likelihood
from .base import Explorer, Slider, superscript
from .panels import Cursor

#: Pixels between two images of the grid (room for each image's label).
_GAP = 3

#: The colour of the marks on probabilities that are exactly 0 or 1 (no component's colour).
EDGE_COLOR = "red"


class BernoulliMeansExplorer(Explorer):
    r"""Step through a recorded EM run of a Bernoulli mixture: each component's mean image.

    Iteration t shows :math:`\mu_k^{(t)}`, the probability that each pixel is on in
    component k's images, as a grey image (white 0, black 1) labelled with k (in the
    component's colour) and :math:`\pi_k^{(t)}`; a red dot marks every :math:`\mu_{kd}` that
    is exactly 0 or 1, where :math:`\log \mu_{kd}` or :math:`\log(1 - \mu_{kd})` is
    :math:`-\infty`. The right panel shows what EM never decreases, :math:`\ell(\theta^{(t)})`
    (plus :math:`\log p(\mu^{(t)})` for a run with a prior), and the current iteration.
    Nothing is refitted: the slider indexes ``result.history``.

    Parameters
    ----------
    result : gmmlab.bernoulli.BernoulliResult
        A :func:`gmmlab.bernoulli.fit` run.
    image_shape : pair of int, default (8, 8)
        (H, W) of the images, with H * W = D.
    n_columns : int, default 5
        Images per row of the grid.
    iteration : int, optional
        Where the slider starts (default: the end of the run).
    """

    def __init__(self, result, image_shape=(8, 8), n_columns=5, iteration=None):
        if not isinstance(result, BernoulliResult):
            raise TypeError(
                "result must be a gmmlab.bernoulli.BernoulliResult (from gmmlab.bernoulli.fit), "
                f"got {type(result).__name__}"
            )
        self.result = result
        if isinstance(image_shape, (str, bytes)) or not hasattr(image_shape, "__len__"):
            raise TypeError(f"image_shape must be a pair (H, W), got {image_shape!r}")
        if len(image_shape) != 2:
            raise ValueError(f"image_shape must be a pair (H, W), got {image_shape!r}")
        self.height, self.width = (ensure_int(n, "image_shape", minimum=1) for n in image_shape)
        n_features = result.params.n_features
        if self.height * self.width != n_features:
            raise ValueError(
                f"image_shape {self.height} x {self.width} = {self.height * self.width} pixels, "
                f"but the result's images have D = {n_features}"
            )
        self.n_components = result.params.n_components
        self.n_columns = ensure_int(n_columns, "n_columns", minimum=1)
        self.start = (
            result.n_iter
            if iteration is None
            else ensure_int(iteration, "iteration", 0, max(result.n_iter, 1))
        )
        self.with_prior = not (result.a == 1.0 and result.b == 1.0)
        self.curve = result.objectives if self.with_prior else result.log_likelihoods
        self.at_edges = [_edge_positions(p.means) for p in result.history]
        super().__init__(figsize=(10, 4.2), panels=2, width_ratios=(1.5, 1))

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: the mean image of each of the {self.n_components} components of a Bernoulli "
            "mixture "
            f"({self.height} by {self.width} pixels, dark for a probability near 1) with its "
            "weight, "
            "pixels exactly 0 or 1 marked; right: "
            + ("the log-posterior" if self.with_prior else "the log-likelihood")
            + " along the EM iterations, the iteration shown marked"
        )

    def sliders(self):
        last = max(self.result.n_iter, 1)
        return {
            "iteration": Slider("EM iteration t", 0, last, 1, self.start, symbol="EM iteration t")
        }

    def mosaic(self, means):
        """The K mean images as one array, ``_GAP`` pixels apart (NaN between them)."""
        n_rows = -(-self.n_components // self.n_columns)
        grid = np.full(
            (
                n_rows * (self.height + _GAP) - _GAP + 2,
                self.n_columns * (self.width + _GAP) - _GAP,
            ),
            np.nan,
        )
        for k, image in enumerate(means):
            top, left = self.corner(k)
            grid[top : top + self.height, left : left + self.width] = image.reshape(
                self.height, self.width
            )
        return grid

    def corner(self, k):
        """Row and column of the top-left pixel of component k's image in the mosaic."""
        row, column = divmod(k, self.n_columns)
        return 2 + row * (self.height + _GAP), column * (self.width + _GAP)

    def draw(self, ax, curve_ax):
        first = self.result.history[self.start].means
        self.picture = self.dynamic(
            ax.imshow(self.mosaic(first), cmap="binary", vmin=0.0, vmax=1.0,
                      interpolation="nearest")
        )  # fmt: skip
        ax.set_axis_off()
        self.figure.colorbar(
            self.picture, ax=ax, shrink=0.7, label=r"$\mu_{kd}$: probability that pixel d is on"
        )
        self.weight_texts = []
        for k in range(self.n_components):
            top, left = self.corner(k)
            ax.text(left, top - 0.7, f"{k}", color=component_color(k), fontsize=10,
                    fontweight="bold", ha="left", va="bottom")  # fmt: skip
            self.weight_texts.append(
                self.dynamic(
                    ax.text(
                        left + self.width - 0.5,
                        top - 0.7,
                        "",
                        fontsize=8,
                        ha="right",
                        va="bottom",
                        color="0.2",
                    )  # fmt: skip
                )
            )
        self.edges = self.dynamic(
            ax.scatter(
                [],
                [],
                s=6,
                color=EDGE_COLOR,
                marker="o",
                linewidths=0,
                label=r"$\mu_{kd}$ exactly 0 or 1",
            )  # fmt: skip
        )
        ax.legend(handles=[self.edges], loc="upper center", bbox_to_anchor=(0.5, 0.0),
                  fontsize=8, frameon=False)  # fmt: skip
        label = (
            r"$\ell(\theta^{(t)}) + \log p(\mu^{(t)})$" if self.with_prior
            else r"$\ell(\theta^{(t)})$"
        )  # fmt: skip
        plot_log_likelihood(curve_ax, self.curve, color="0.3", markersize=2, label=label)
        if self.with_prior:
            curve_ax.set_ylabel(r"$\ell(\theta^{(t)}) + \log p(\mu^{(t)})$")
        self.cursor = Cursor(self, curve_ax, range(len(self.curve)), [self.curve])
        curve_ax.legend(loc="lower right", fontsize=8, frameon=False)

    def update(self, iteration):
        t = min(iteration, self.result.n_iter)
        params = self.result.history[t]
        self.picture.set_data(self.mosaic(params.means))
        for k, text in enumerate(self.weight_texts):
            text.set_text(f"π={params.weights[k]:.2f}")
        components, pixels = self.at_edges[t]
        rows, columns = np.divmod(pixels, self.width)
        corners = np.array([self.corner(k) for k in components]).reshape(-1, 2)
        self.edges.set_offsets(
            np.column_stack([corners[:, 1] + columns, corners[:, 0] + rows]).reshape(-1, 2)
        )
        self.cursor.move(t)
        zeros = int((params.means == 0.0).sum())
        ones = int((params.means == 1.0).sum())
        theta = f"θ{superscript(f'({t})')}"
        lines = [f"EM iteration t = {t} of {self.result.n_iter}: ℓ({theta}) = "
                 f"{self.result.log_likelihoods[t]:.2f}"]  # fmt: skip
        if self.with_prior:
            lines[0] += f", ℓ + log p(μ) = {self.result.objectives[t]:.2f}"
        lines += [
            "weights π_k (k = 0, 1, ...): " + ", ".join(f"{w:.3f}" for w in params.weights),
            f"probabilities μ_kd exactly 0: {zeros}, exactly 1: {ones} "
            f"(of K × D = {params.means.size}; red dots)",
        ]
        return lines


def _edge_positions(means):
    """(components, pixels) of the probabilities that are exactly 0 or 1."""
    components, pixels = np.nonzero((means == 0.0) | (means == 1.0))
    return components, pixels
