"""Lessons 4, 6, 8: a recorded 2-D EM run, iteration by iteration (or half-step by half-step)."""

from __future__ import annotations

from .._validation import ensure_bool, ensure_data, ensure_feature_names, ensure_int
from ..em import EMResult, e_step
from ..params import ensure_params
from ..plotting import plot_log_likelihood, responsibility_colors
from .base import Explorer, Slider, superscript
from .panels import Cursor, EllipseSet, data_points, fit_axes, mean_markers


class EMIterationExplorer(Explorer):
    r"""Step through a recorded 2-D EM run: ellipses, responsibilities, :math:`\ell`.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    result : EMResult
        A :func:`gmmlab.fit` run on ``X``; nothing is refitted.
    feature_names : pair of str, optional
    half_steps : bool, default False
        Step through E-steps and M-steps separately: step 2t shows
        :math:`\theta^{(t)}` with the colours of the previous E-step, step
        2t + 1 the E-step that recolours the points under :math:`\theta^{(t)}`.
    show_log_likelihood : bool, default False
        Add a panel with :math:`\ell(\theta^{(t)})` and the current iteration.
    n_std_slider : bool, default True
        Add a slider for the ellipse's size (1, 2 or 3 standard deviations).
    iteration : int, optional
        Where to start (default: the end of the run, or step 0 with half steps).
    """

    def __init__(
        self,
        X,
        result,
        feature_names=None,
        half_steps=False,
        show_log_likelihood=False,
        n_std_slider=True,
        iteration=None,
    ):
        self.X = ensure_data(X, 2)
        if not isinstance(result, EMResult):
            raise TypeError(f"result must be a gmmlab.EMResult, got {type(result).__name__}")
        ensure_params(result.params, n_features=self.X.shape[1], name="result.params")
        self.result = result
        self.feature_names = ensure_feature_names(feature_names, 2)
        self.half_steps = ensure_bool(half_steps, "half_steps")
        self.show_log_likelihood = ensure_bool(show_log_likelihood, "show_log_likelihood")
        self.n_std_slider = ensure_bool(n_std_slider, "n_std_slider")
        self.last_step = 2 * result.n_iter + 1 if self.half_steps else result.n_iter
        default = 0 if self.half_steps else result.n_iter
        self.start = (
            default
            if iteration is None
            else ensure_int(iteration, "iteration", 0, max(self.last_step, 1))
        )
        self.resp_by_iteration = [e_step(self.X, params) for params in result.history]
        super().__init__(
            figsize=(10, 4.5) if self.show_log_likelihood else (6.5, 5.0),
            panels=2 if self.show_log_likelihood else 1,
            width_ratios=(1.3, 1),
        )

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"{self.points_phrase()} coloured by their responsibilities, with the "
            f"{self.result.params.n_components} components' ellipses and means at one iteration "
            f"of a recorded EM run of {self.result.n_iter} iterations"
            + ("; right: its log-likelihood by iteration" if self.show_log_likelihood else "")
        )

    def sliders(self):
        name, label = ("step", "half-step") if self.half_steps else ("iteration", "EM iteration t")
        sliders = {name: Slider(label, 0, max(self.last_step, 1), 1, self.start, symbol=label)}
        if self.n_std_slider:
            sliders["n_std"] = Slider("ellipse: std. devs", 1, 3, 1, 2, symbol="ellipses")
        return sliders

    def draw(self, ax, ll_ax=None):
        K = self.result.params.n_components
        self.points = data_points(self, ax, self.X)
        self.ellipses = EllipseSet(self, ax, K, 2.2)
        self.mean_markers = mean_markers(ax, self.result.params.means, self)
        fit_axes(
            ax, self.X, self.result.history, 3.0 if self.n_std_slider else 2.0, self.feature_names
        )
        self.cursor = None
        if ll_ax is not None:
            lls = self.result.log_likelihoods
            plot_log_likelihood(
                ll_ax, lls, color="0.3", label=r"$\ell(\theta^{(t)})$ after each M-step"
            )
            self.cursor = Cursor(self, ll_ax, range(len(lls)), [lls])
            self.cursor.markers[0].set_label(r"$\theta^{(t)}$ drawn on the left")
            ll_ax.legend(loc="lower right", fontsize=8, frameon=False)

    def state(self, step=None):
        """(t, colours_from, label): the parameters shown, whose E-step colours the points.

        ``colours_from`` is the index into ``result.history`` of the parameters
        whose responsibilities colour the points, or None for grey points;
        ``label`` says so in plain text (the caption says it in mathtext).
        """
        t, colours_from, template = self._describe(step)
        return t, colours_from, template.format(theta=f"θ{superscript(f'({t})')}")

    def _describe(self, step=None):
        n_iter = self.result.n_iter
        if step is None:
            step = self.values["step" if self.half_steps else "iteration"]
        if not self.half_steps:
            t = min(step, n_iter)
            return t, t, f"iteration t = {t}: {{theta}} and its responsibilities"
        step = min(step, 2 * n_iter + 1)
        t = min(step // 2, n_iter)
        if step == 0:
            return 0, None, "start: {theta}, no responsibilities yet"
        if step % 2 == 1:
            return t, t, f"E-step {t + 1}: points recoloured by responsibilities under {{theta}}"
        return t, t - 1, f"M-step {t}: ellipses moved to {{theta}}, colours from the last E-step"

    def caption(self, n_std=2, **step):
        (value,) = step.values()
        t, _, template = self._describe(value)
        where = f"half-step {value}, " if self.half_steps else "EM "
        size = f"{n_std} std. dev{'s' if n_std > 1 else ''}"
        return where + template.format(theta=rf"$\theta^{{({t})}}$") + f";  ellipses: {size}"

    def update(self, n_std=2, **step):
        (value,) = step.values()
        t, colours_from, label = self.state(value)
        params = self.result.history[t]
        self.ellipses.show(params, n_std)
        self.mean_markers.set_offsets(params.means)
        if colours_from is None:
            self.points.set_facecolors("0.6")
        else:
            self.points.set_facecolors(responsibility_colors(self.resp_by_iteration[colours_from]))
        if self.cursor is not None:
            self.cursor.move(t)
        lines = [
            label,
            f"log-likelihood ℓ(θ{superscript(f'({t})')}) = {self.result.log_likelihoods[t]:.3f}",
        ]
        if colours_from is not None:
            resp = self.resp_by_iteration[colours_from]
            uncertain = int((resp.max(axis=1) < 0.9).sum())
            lines.append(f"points with no component above γ = 0.9: {uncertain} of {len(resp)}")
        lines.append(f"ellipses enclose {n_std} standard deviation{'s' if n_std > 1 else ''}")
        return lines
