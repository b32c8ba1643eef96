r"""Lesson 7: one M-step at a time, the ellipses before and after and how far each mean moved."""

from __future__ import annotations

import numpy as np

from .._validation import ensure_data, ensure_feature_names, ensure_float, ensure_int
from ..em import EMResult, e_step, log_likelihood
from ..params import ensure_params
from ..plotting import plot_m_step, responsibility_colors, update_ellipse
from .base import Explorer, Slider, superscript
from .panels import fit_axes


class MStepExplorer(Explorer):
    r"""Step through the M-steps of a recorded 2-D run: θ⁽ᵗ⁾ → θ⁽ᵗ⁺¹⁾.

    For the chosen M-step t the points are coloured by :math:`\gamma_{ik}` under
    :math:`\theta^{(t)}`, the input of the M-step; each component's ellipse is drawn
    dotted for :math:`\theta^{(t)}` and solid for :math:`\theta^{(t+1)}`, with an
    arrow from the old mean to the new one,

    .. math:: N_k = \sum_{i=1}^{N} \gamma_{ik}, \qquad
              \mu_k^{(t+1)} = \frac{1}{N_k} \sum_{i=1}^{N} \gamma_{ik} \, x_i ,

    and the readout gives each :math:`N_k`, each :math:`\|\mu_k^{(t+1)} - \mu_k^{(t)}\|`
    and :math:`\ell` before and after. Nothing is refitted: the responsibilities and
    log-likelihoods of every step are computed once, here.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    history : EMResult or sequence of MixtureParams
        :math:`\theta^{(0)}, \theta^{(1)}, \dots`, each the M-step of the E-step of
        the one before (a :func:`gmmlab.fit` run, or a loop of
        :func:`gmmlab.e_step` and :func:`gmmlab.m_step`); at least three (two M-steps).
    feature_names : pair of str, optional
    step : int, optional
        The M-step t to start at (default 0, the first).
    n_std : float, default 2.0
        The ellipses' size in standard deviations.

    Attributes
    ----------
    history : list of MixtureParams
        :math:`\theta^{(0)}, \dots, \theta^{(T)}`; the slider's M-step t runs from 0 to T - 1.
    resp : list of ndarray of shape (N, K)
        :math:`\gamma_{ik}` under each :math:`\theta^{(t)}`, t < T.
    nk : ndarray of shape (T, K)
        :math:`N_k` of each M-step.
    moved : ndarray of shape (T, K)
        :math:`\|\mu_k^{(t+1)} - \mu_k^{(t)}\|`, how far each mean moved.
    log_likelihoods : ndarray of shape (T + 1,)
        :math:`\ell(\theta^{(t)})`.
    """

    figsize = (6.5, 5.0)

    def __init__(self, X, history, feature_names=None, step=None, n_std=2.0):
        self.X = ensure_data(X, 2)
        if isinstance(history, EMResult):
            history = history.history
        if isinstance(history, (str, bytes)) or not hasattr(history, "__len__"):
            raise TypeError(
                f"history must be a gmmlab.EMResult or a list of MixtureParams, "
                f"got {type(history).__name__}"
            )
        history = list(history)
        if len(history) < 3:
            raise ValueError(
                f"history must hold at least 3 parameter sets (two M-steps "
                f"to slide over), got {len(history)}"
            )
        self.history = [ensure_params(p, 2, name=f"history[{t}]") for t, p in enumerate(history)]
        K = self.history[0].n_components
        for t, theta in enumerate(self.history):
            if theta.n_components != K:
                raise ValueError(
                    f"history[{t}] has {theta.n_components} components, history[0] has {K}: "
                    "the parameters of one run keep their K"
                )
        self.feature_names = ensure_feature_names(feature_names, 2)
        self.start = 0 if step is None else ensure_int(step, "step", 0, len(history) - 2)
        self.n_std = ensure_float(n_std, "n_std", minimum=0, strict=True)
        self.resp = [e_step(self.X, theta) for theta in self.history[:-1]]
        self.nk = np.array([gamma.sum(axis=0) for gamma in self.resp])
        self.moved = np.linalg.norm(np.diff([p.means for p in self.history], axis=0), axis=2)
        self.log_likelihoods = np.array([log_likelihood(self.X, p) for p in self.history])
        super().__init__()

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"{self.points_phrase()} coloured by their responsibilities, each of the "
            f"{self.history[0].n_components} components' ellipse before (dotted) and after "
            "(solid) one "
            "M-step, an arrow from each old mean to the new one"
        )

    def sliders(self):
        last = len(self.history) - 2
        return {"step": Slider("M-step t", 0, last, 1, self.start, symbol="M-step $t$")}

    def draw(self, ax):
        before, after = r"$\theta^{(t)}$ (before)", r"$\theta^{(t+1)}$ (after)"
        self.drawn = plot_m_step(
            ax,
            self.X,
            *self.history[:2],
            self.resp[0],
            self.n_std,
            self.feature_names,
            (before, after),
            "lower right",
        )
        for name in ("points", "before", "after", "arrows", "starts"):
            artists = self.drawn[name]
            self.dynamic(*(artists if isinstance(artists, list) else [artists]))
        fit_axes(ax, self.X, self.history, self.n_std, self.feature_names)

    def caption(self, step):
        return (
            rf"M-step $t = {step}$: $\theta^{{({step})}} \to \theta^{{({step + 1})}}$, "
            rf"points coloured by $\gamma_{{ik}}$ under $\theta^{{({step})}}$"
        )

    def update(self, step):
        old, new = self.history[step], self.history[step + 1]
        self.drawn["points"].set_facecolors(responsibility_colors(self.resp[step]))
        self.drawn["starts"].set_offsets(old.means)
        for k in range(old.n_components):
            update_ellipse(self.drawn["before"][k], old.means[k], old.covariances[k], self.n_std)
            update_ellipse(self.drawn["after"][k], new.means[k], new.covariances[k], self.n_std)
            self.drawn["arrows"][k].xy = new.means[k]
            self.drawn["arrows"][k].set_position(old.means[k])
        t, t1 = superscript(f"({step})"), superscript(f"({step + 1})")
        ll = self.log_likelihoods
        ks = ", ".join(str(k) for k in range(old.n_components))
        return [
            f"M-step t = {step}: θ{t} → θ{t1}, from γ_ik under θ{t}",
            f"N_k (k = {ks}): "
            + ", ".join(f"{n:.2f}" for n in self.nk[step])
            + f"; sum {len(self.X)}",
            f"how far each mean moved (k = {ks}): "
            + ", ".join(f"{d:.2f}" for d in self.moved[step]),
            f"log-likelihood ℓ(θ{t}) = {ll[step]:.2f} → ℓ(θ{t1}) = {ll[step + 1]:.2f} "
            f"(change {ll[step + 1] - ll[step]:+.2f})",
        ]
