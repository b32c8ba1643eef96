"""Lesson 5: one parameter of a 1-D mixture against the log-likelihood."""

from __future__ import annotations

import numpy as np

from .._validation import (
    ensure_bins,
    ensure_choice,
    ensure_data,
    ensure_grid,
    ensure_int,
    ensure_text,
)
from ..em import log_likelihood, mixture_pdf
from ..params import ensure_mixture
from .base import Explorer, Slider, subscript
from .panels import CURSOR_COLOR, Cursor, DensityPanel


class LikelihoodExplorer(Explorer):
    r"""Move one mean (or weight) of a 1-D mixture and watch :math:`\ell(\theta)` respond.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1)
    params : MixtureParams
        A 1-D mixture; the slider changes one of its parameters.
    component : int, default 0
    parameter : {"mean", "weight"}, default "mean"
        Which parameter the slider (named after it) moves. For "weight",
        the other weights are rescaled to keep the sum at 1
        (:meth:`MixtureParams.with_weight`).
    values : array-like, optional
        The values the slider steps through, evenly spaced (default: means
        across the data's range, weights from 0.02 to 0.98).
    xlabel : str, optional
    bins : int or sequence of float, default 20

    Attributes
    ----------
    parameter_values : ndarray
        The slider's stops, ``values``.
    curve : ndarray
        :math:`\ell` at each of them.
    """

    figsize, panels = (10, 4.2), 2

    def __init__(
        self, x, params, component=0, parameter="mean", values=None, xlabel=None, bins=20
    ):
        self.x = ensure_data(x, 1, "x")
        self.base = ensure_mixture(params, n_features=1)
        self.component = ensure_int(component, "component", 0, self.base.n_components - 1)
        self.parameter = ensure_choice(parameter, "parameter", ("mean", "weight"))
        if values is None:
            values = (
                np.linspace(self.x.min(), self.x.max(), 61)
                if parameter == "mean"
                else np.linspace(0.02, 0.98, 49)
            )
        bounds = (None, None) if parameter == "mean" else (0.0, 1.0)
        self.parameter_values = ensure_grid(values, "values", *bounds)
        self.curve = np.array(
            [log_likelihood(self.x, self.params_at(v)) for v in self.parameter_values]
        )
        self.xlabel = ensure_text(xlabel, "xlabel", optional=True)
        self.bins = ensure_bins(bins)
        super().__init__()

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: a histogram of {len(self.x)} values of {self.xlabel or 'x'} with the "
            f"mixture's densities as the {self.parameter} of component {self.component} moves; "
            f"right: the log-likelihood against that {self.parameter}, the value shown marked"
        )

    def sliders(self):
        k, grid = self.component, self.parameter_values
        start = self.base_value
        symbol = ("μ" if self.parameter == "mean" else "π") + subscript(k)
        tex = rf"$\mu_{k}$" if self.parameter == "mean" else rf"$\pi_{k}$"
        return {
            self.parameter: Slider(
                symbol,
                float(grid[0]),
                float(grid[-1]),
                float(grid[1] - grid[0]),
                float(grid[np.argmin(np.abs(grid - start))]),
                symbol=tex,
                fmt=".3f",
            )
        }

    def draw(self, density_ax, ll_ax):
        self.density = DensityPanel(
            self,
            density_ax,
            self.x,
            self.base.n_components,
            self.base,
            bins=self.bins,
            xlabel=self.xlabel,
        )
        for k, line in enumerate(self.density.components):
            line.set_label(
                rf"component {k}: $\pi_{k} \, \mathcal{{N}}(x \mid \mu_{k}, \sigma_{k}^2)$"
            )
        self.density.total.set_label(r"mixture $p(x)$, their sum")
        density_ax.legend(loc="upper right", fontsize=8, frameon=False)
        symbol = self.specs[self.parameter].symbol
        ll_ax.plot(self.parameter_values, self.curve, color="0.3", label=r"$\ell(\theta)$")
        ll_ax.axvline(
            self.base_value,
            color="0.3",
            linestyle="--",
            linewidth=1,
            label=f"{symbol} in params: {self.base_value:.3f}",
        )
        ll_ax.plot(
            [], [], marker="o", color=CURSOR_COLOR, linestyle="none", label="at the slider's value"
        )
        ll_ax.set_xlabel(symbol)
        ll_ax.set_ylabel(r"log-likelihood $\ell(\theta)$")
        ll_ax.margins(y=0.08)
        ll_ax.legend(loc="lower center", fontsize=8, frameon=False)
        self.cursor = Cursor(self, ll_ax, self.parameter_values, [self.curve])

    @property
    def base_value(self):
        """The parameter's value in ``params``, the mixture given (e.g. EM's fit)."""
        k = self.component
        return float(self.base.means[k, 0] if self.parameter == "mean" else self.base.weights[k])

    def params_at(self, value):
        """The mixture with the chosen parameter set to ``value``."""
        if self.parameter == "weight":
            return self.base.with_weight(self.component, value)
        means = self.base.means.copy()
        means[self.component, 0] = value
        return self.base.replace(means=means)

    def caption(self, **values):
        (value,) = values.values()
        spec = self.specs[self.parameter]
        ll = log_likelihood(self.x, self.params_at(value))
        return f"{spec.caption(value)}:  " + rf"$\ell(\theta) = {ll:.2f}$"

    def update(self, **values):
        (value,) = values.values()
        params = self.params_at(value)
        self.density.show(params)
        ll = log_likelihood(self.x, params)
        self.cursor.move(value, [ll])
        with np.errstate(under="ignore"):
            product = float(np.prod(mixture_pdf(self.x, params)))
        return [
            f"{self.specs[self.parameter].label} = {value:.3f}",
            f"likelihood  ∏ p(x_i) = {product:.4g}",
            f"log-likelihood ℓ(θ) = Σ log p(x_i) = {ll:.3f}",
        ]
