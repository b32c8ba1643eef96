r"""Lesson 8: why EM never lowers :math:`\ell`, one mean of a 1-D fit at a time.

The E-step under :math:`\theta^{(t)}` builds the lower bound
:math:`B(\theta' \mid \theta^{(t)}) \le \ell(\theta')` (Jensen's inequality), which
touches :math:`\ell` at :math:`\theta' = \theta^{(t)}`; the M-step jumps to its peak.
:class:`LowerBoundExplorer` draws both against one mean :math:`\mu_c`, iteration by
iteration; :func:`bound_along_mean` computes the two curves.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from matplotlib.ticker import ScalarFormatter

from .._validation import (
    as_float_array,
    ensure_data,
    ensure_finite,
    ensure_int,
    ensure_resp,
    ensure_text,
)
from ..em import EMResult, e_step, lower_bound
from ..params import ensure_params
from ..plotting import component_color, plot_log_likelihood
from .base import Explorer, Slider, subscript, superscript

_LOG_2PI = np.log(2.0 * np.pi)


def _decimals(step):
    """Decimals that show a step of this size (at least 3): enough for its first two digits."""
    if step == 0 or not np.isfinite(step):
        return 3
    return int(min(max(3, 1 - np.floor(np.log10(abs(step)))), 12))


def bound_along_mean(x, params, resp, component, means):
    r"""The log-likelihood and the bound :math:`B(\theta' \mid \theta)` as one mean moves (1-D).

    For each value :math:`m` of ``means``, :math:`\theta'` is ``params`` with the
    mean :math:`\mu_c` of component :math:`c` = ``component`` replaced by :math:`m`,
    everything else held:

    .. math::

        \ell(\theta') = \sum_{i=1}^{N} \log \Big( \sum_{k \ne c} \pi_k
            \mathcal{N}(x_i \mid \mu_k, \sigma_k^2) + \pi_c \mathcal{N}(x_i \mid m, \sigma_c^2)
            \Big),

        B(\theta' \mid \theta) = \sum_{i=1}^{N} \sum_{k=0}^{K-1} \gamma_{ik}
            \log \frac{\pi'_k \, \mathcal{N}(x_i \mid \mu'_k, \sigma_k^2)}{\gamma_{ik}}

    with the responsibilities :math:`\gamma_{ik}` = ``resp`` (computed under some
    :math:`\theta`, usually ``params`` itself: then the curves touch at
    :math:`m = \mu_c`). Only the terms of component :math:`c` depend on :math:`m`,
    so :math:`B` is a parabola in :math:`m` whose peak is the weighted mean
    :math:`\sum_i \gamma_{ic} x_i / N_c`, the M-step's :math:`\mu_c`. The same numbers
    as :func:`gmmlab.log_likelihood` and :func:`gmmlab.lower_bound`, one value of
    :math:`m` at a time, computed for all of them at once.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1)
        The points, finite.
    params : MixtureParams
        A 1-D mixture with K components.
    resp : array-like of shape (N, K)
        :math:`\gamma_{ik}`: non-negative, rows summing to 1.
    component : int
        :math:`c`, from 0 to K - 1.
    means : array-like of shape (M,)
        The values :math:`m` of :math:`\mu_c`, finite.

    Returns
    -------
    ell, bound : ndarray of shape (M,)
        :math:`\ell(\theta')` and :math:`B(\theta' \mid \theta)` for each :math:`m`.

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (the message names it).

    Examples
    --------
    >>> from gmmlab import MixtureParams, e_step, log_likelihood
    >>> params = MixtureParams([0.5, 0.5], [0.0, 3.0], [1.0, 1.0])
    >>> x = [-0.5, 0.2, 2.5, 3.4]
    >>> ell, bound = bound_along_mean(x, params, e_step(x, params), 1, [2.0, 3.0])
    >>> bool(abs(ell[1] - bound[1]) < 1e-12), bool(bound[0] < ell[0])   # touch at mu_1 = 3
    (True, True)
    """
    x = ensure_data(x, 1, "x")[:, 0]
    params = ensure_params(params, n_features=1)
    resp = ensure_resp(resp, n_samples=x.shape[0], n_components=params.n_components)
    c = ensure_int(component, "component", 0, params.n_components - 1)
    means = as_float_array(means, "means")
    if means.ndim != 1:
        raise ValueError(f"means must be a 1-D sequence of values, got shape {means.shape}")
    ensure_finite(means, "means")
    variances = params.covariances[:, 0, 0]
    with np.errstate(divide="ignore"):  # a weight of 0 has log -inf, as it should
        log_weights = np.log(params.weights)

    def log_weighted(mean, k):  # log pi_k + log N(x_i | mean, sigma_k^2), broadcast over mean
        return (
            log_weights[k]
            - 0.5 * (_LOG_2PI + np.log(variances[k]))
            - ((x - mean) ** 2 / (2.0 * variances[k]))
        )

    others = [k for k in range(params.n_components) if k != c]
    fixed = np.empty((x.shape[0], len(others)))  # the components that stay where they are
    for j, k in enumerate(others):
        fixed[:, j] = log_weighted(params.means[k, 0], k)
    moving = log_weighted(means[:, np.newaxis], c)  # (M, N)
    if others:
        top = fixed.max(axis=1)
        rest = top + np.log(np.exp(fixed - top[:, np.newaxis]).sum(axis=1))  # log-sum-exp
        ell = np.logaddexp(rest, moving).sum(axis=1)
    else:
        ell = moving.sum(axis=1)
    owned = resp > 0  # 0 log(pi N / 0) counts as 0, as in lower_bound
    entropy = -np.sum(resp[owned] * np.log(resp[owned]))
    held = sum(float(resp[owned[:, k], k] @ fixed[owned[:, k], j]) for j, k in enumerate(others))
    gamma_c = resp[:, c]
    bound = held + entropy + moving[:, owned[:, c]] @ gamma_c[owned[:, c]]
    return ell, bound


@dataclasses.dataclass(frozen=True)
class BoundStep:
    r"""What :class:`LowerBoundExplorer` shows for one EM iteration t (all precomputed).

    Attributes
    ----------
    t : int
    grid, ell, bound : ndarray
        Values of :math:`\mu_c` around the step, and :math:`\ell` and
        :math:`B(\cdot \mid \theta^{(t)})` there (other parameters at :math:`\theta^{(t)}`).
    before, after : float
        :math:`\mu_c^{(t)}` (where the curves touch) and :math:`\mu_c^{(t+1)}` (the M-step).
    touch : float
        :math:`\ell = B` at ``before``, that is :math:`\ell(\theta^{(t)})`.
    bound_after, ell_after : float
        :math:`B` and :math:`\ell` on the slice at ``after``.
    bound_step : float
        :math:`B(\theta^{(t+1)} \mid \theta^{(t)})`: the bound at the whole M-step.
    xlim, ylim : pair of float
        The left panel's limits: the step and the curves around it.
    """

    t: int
    grid: np.ndarray
    ell: np.ndarray
    bound: np.ndarray
    before: float
    after: float
    touch: float
    bound_after: float
    ell_after: float
    bound_step: float
    xlim: tuple
    ylim: tuple


class LowerBoundExplorer(Explorer):
    r"""EM's step as the peak of a bound under :math:`\ell`, along one mean of a 1-D fit.

    For the EM iteration :math:`t` of the slider, every parameter is held at
    :math:`\theta^{(t)}` except the mean :math:`\mu_c` of one component. The left panel
    draws, against :math:`\mu_c`, the log-likelihood :math:`\ell` and the lower bound
    :math:`B(\theta' \mid \theta^{(t)})` built by the E-step under :math:`\theta^{(t)}`
    (:func:`bound_along_mean`): :math:`B \le \ell` everywhere, the two touch at
    :math:`\mu_c^{(t)}`, and :math:`B` peaks at the M-step's new mean
    :math:`\mu_c^{(t+1)} = \sum_i \gamma_{ic} x_i / N_c`, so that

    .. math:: \ell \text{ at } \mu_c^{(t+1)} \;\ge\; B \text{ at } \mu_c^{(t+1)}
              \;\ge\; B \text{ at } \mu_c^{(t)} \;=\; \ell(\theta^{(t)}).

    The panel zooms on each step (steps shrink as EM converges; the axis says how
    far). The right panel is :math:`\ell(\theta^{(t)})` of the whole run, the step
    :math:`t \to t + 1` marked. Everything is computed from the recorded run when
    the explorer is built; nothing is refitted.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1)
    result : EMResult
        A :func:`gmmlab.fit` run on ``x`` with at least one iteration.
    component : int, default 0
        :math:`c`, the component whose mean the left panel moves.
    iteration : int, optional
        Where the slider starts (default 0), from 0 to ``result.n_iter - 1``.
    xlabel : str, optional
        The feature's name and unit ("petal width (cm)").

    Attributes
    ----------
    steps : list of BoundStep
        One per iteration t = 0, ..., ``result.n_iter - 1``.
    """

    figsize, panels, width_ratios = (10.5, 4.6), 2, (1.3, 1)
    #: Points of each curve.
    n_grid = 161

    def __init__(self, x, result, component=0, iteration=None, xlabel=None):
        self.x = ensure_data(x, 1, "x")
        if not isinstance(result, EMResult):
            raise TypeError(f"result must be a gmmlab.EMResult, got {type(result).__name__}")
        ensure_params(result.params, n_features=1, name="result.params")
        if result.n_iter < 1:
            raise ValueError(
                "result must have run at least one EM iteration (max_iter >= 1): the bound "
                "of iteration t needs theta^(t+1)"
            )
        self.result = result
        self.component = ensure_int(component, "component", 0, result.params.n_components - 1)
        self.start = (
            0 if iteration is None else ensure_int(iteration, "iteration", 0, result.n_iter - 1)
        )
        self.xlabel = ensure_text(xlabel, "xlabel", optional=True)
        # the panel zooms on each step; below this half-width, rounding would show
        self.min_half_width = 1e-5 * (float(np.ptp(self.x)) or 1.0)
        self.steps = [self._step(t) for t in range(result.n_iter)]
        super().__init__()

    def _step(self, t):
        c, history = self.component, self.result.history
        params = history[t]
        resp = e_step(self.x, params)
        before, after = float(params.means[c, 0]), float(history[t + 1].means[c, 0])
        middle, half = (before + after) / 2, max(0.65 * abs(after - before), self.min_half_width)
        grid = np.union1d(
            np.linspace(middle - 2 * half, middle + 2 * half, self.n_grid), [before, after]
        )
        ell, bound = bound_along_mean(self.x, params, resp, c, grid)
        at = {value: np.searchsorted(grid, value) for value in (before, after)}
        top, touch = float(ell.max()), float(ell[at[before]])
        low = min(float(ell.min()), float(bound[at[after]]) - 1.5 * (top - touch))
        pad = max(0.06 * (top - low), 1e-9 * abs(top))
        return BoundStep(
            t=t,
            grid=grid,
            ell=ell,
            bound=bound,
            before=before,
            after=after,
            touch=touch,
            bound_after=float(bound[at[after]]),
            ell_after=float(ell[at[after]]),
            bound_step=lower_bound(self.x, history[t + 1], resp),
            xlim=(float(grid[0]), float(grid[-1])),
            ylim=(low - pad, top + 2.5 * pad),
        )

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"{len(self.x)} values of {self.xlabel or 'x'}: left, the log-likelihood and the "
            f"lower bound B along the mean of component {self.component} at one EM iteration, "
            "the bound touching it at the current mean and peaking at the next; right, the "
            "log-likelihood over the whole run"
        )

    def sliders(self):
        return {
            "iteration": Slider(
                "EM iteration t", 0, max(self.result.n_iter - 1, 1), 1, self.start, symbol="$t$"
            )
        }

    def draw(self, ax, ll_ax):
        # fixed margins: the zoomed axis's tick labels change width from one step to the next
        self.figure.set_layout_engine("none")
        ax.set_position(
            [0.135, 0.12, 0.435, 0.75]
        )  # figure fractions: left, bottom, width, height
        ll_ax.set_position([0.655, 0.12, 0.33, 0.75])
        c = self.component
        colour = component_color(c)
        mu = rf"\mu_{{{c}}}"
        dot = {"linestyle": "none", "marker": "o"}
        styles = {  # attribute: (style, legend label); each starts empty, update fills it
            "ell_line": ({"color": "0.15", "linewidth": 2.2}, r"log-likelihood $\ell$"),
            "bound_line": (
                {"color": colour, "linewidth": 2.2, "linestyle": "--"},
                r"bound $B(\,\cdot \mid \theta^{(t)})$ from the E-step",
            ),
            "gap": (
                {"color": "0.45", "linewidth": 1.5, "linestyle": ":"},
                r"$\ell - B \geq 0$ at the new mean",
            ),
            "touch_marker": (
                {**dot, "markersize": 9, "color": "black"},
                rf"$B = \ell$ at ${mu}^{{(t)}}$",
            ),
            "peak_marker": (
                {**dot, "marker": "^", "markersize": 10, "color": colour, "markeredgecolor": "k"},
                rf"peak of $B$: ${mu}^{{(t+1)}}$, the M-step",
            ),
            "after_marker": (
                {
                    **dot,
                    "markersize": 8,
                    "markerfacecolor": "white",
                    "markeredgecolor": "0.15",
                    "markeredgewidth": 1.5,
                },
                rf"$\ell$ at ${mu}^{{(t+1)}}$",
            ),
        }
        for attribute, (style, label) in styles.items():
            (line,) = ax.plot([], [], label=label, **style)
            setattr(self, attribute, self.dynamic(line))
        name = f"mean ${mu}$ of component {c}"
        ax.set_xlabel(f"{name}: {self.xlabel}" if self.xlabel else name)
        ax.set_ylabel(r"$\ell$ and $B$, all else at $\theta^{(t)}$", labelpad=2)
        ax.ticklabel_format(axis="both", style="plain", useOffset=False)
        ax.legend(loc="best", fontsize=8, frameon=True, framealpha=0.9)
        lls = self.result.log_likelihoods
        plot_log_likelihood(ll_ax, lls, color="0.55", markersize=2.5)
        if len(lls) > 21:  # the first iterations, where most happens, on a linear scale
            ll_ax.set_xscale("symlog", linthresh=10, linscale=2)
            ll_ax.set_xlim(-0.5, len(lls) * 1.1)
            ll_ax.xaxis.set_major_formatter(ScalarFormatter())
        ll_ax.set_title(r"the whole run: $\ell(\theta^{(t)})$", fontsize=10)
        (self.step_line,) = ll_ax.plot(
            [],
            [],
            color=colour,
            linewidth=3,
            marker="o",
            markersize=6,
            label=r"the step $\theta^{(t)} \to \theta^{(t+1)}$",
        )
        self.dynamic(self.step_line)
        ll_ax.legend(loc="lower right", fontsize=8, frameon=False)

    def caption(self, iteration):
        step, c = self.steps[iteration], self.component
        t, digits = step.t, _decimals(step.after - step.before)
        return (
            rf"EM iteration $t = {t}$:  $B(\theta' \mid \theta^{{({t})}})$ touches $\ell$ at "
            rf"$\mu_{{{c}}}^{{({t})}} = {step.before:.{digits}f}$ and peaks at "
            rf"$\mu_{{{c}}}^{{({t + 1})}} = {step.after:.{digits}f}$"
        )

    def update(self, iteration):
        step = self.steps[iteration]
        ax = self.axes[0]
        ax.set_xlim(*step.xlim)
        ax.set_ylim(*step.ylim)
        self.static_changed()  # the panel zooms on this step: redraw its axes
        self.ell_line.set_data(step.grid, step.ell)
        self.bound_line.set_data(step.grid, step.bound)
        self.touch_marker.set_data([step.before], [step.touch])
        self.peak_marker.set_data([step.after], [step.bound_after])
        self.after_marker.set_data([step.after], [step.ell_after])
        self.gap.set_data([step.after, step.after], [step.bound_after, step.ell_after])
        lls, t = self.result.log_likelihoods, step.t
        self.step_line.set_data([t, t + 1], [lls[t], lls[t + 1]])
        c, now, new = subscript(self.component), superscript(f"({t})"), superscript(f"({t + 1})")
        digits = _decimals(step.after - step.before)
        gain = max(_decimals(step.bound_after - step.touch), 4)
        return [
            f"EM iteration t = {t}: the M-step moves μ{c} from μ{c}{now} = "
            f"{step.before:.{digits}f} to μ{c}{new} = Σ_i γ_i{c} x_i / N{c} = "
            f"{step.after:.{digits}f} (a step of {step.after - step.before:+.2e})",
            f"along the slice: B = ℓ = {step.touch:.{gain}f} at μ{c}{now};  at μ{c}{new}: "
            f"B = {step.bound_after:.{gain}f} ≤ ℓ = {step.ell_after:.{gain}f}",
            f"the whole M-step: ℓ(θ{new}) = {lls[t + 1]:.{gain}f} ≥ B(θ{new} | θ{now}) = "
            f"{step.bound_step:.{gain}f} ≥ B(θ{now} | θ{now}) = ℓ(θ{now}) = {lls[t]:.{gain}f}",
        ]
