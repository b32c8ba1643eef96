r"""ℓ(θ) split into the evidence lower bound L(q, θ) and the gap KL(q ‖ p(z | x, θ))."""

from __future__ import annotations

import numpy as np

from .._kernels import log_joint as _log_joint
from .._validation import ensure_data, ensure_feature_names, ensure_resp
from ..em import log_mixture_pdf
from ..params import ensure_params
from ..plotting import responsibility_colors
from .base import Explorer, Slider
from .panels import Cursor, EllipseSet, data_points, fit_axes

_STOPS = 51


class ELBOExplorer(Explorer):
    r"""Move q from one responsibility matrix to the posterior: ℓ = L(q, θ) + KL stays put.

    The parameters :math:`\theta` stay fixed, so :math:`\ell(\theta)` does; the slider
    **q: from q₀ to the posterior** blends

    .. math:: q_s = (1 - s)\, q_0 + s\, \gamma(\theta), \qquad
              \ell(\theta) = \mathcal{L}(q_s, \theta) + \mathrm{KL}\big(q_s \,\|\,
              p(z \mid x, \theta)\big),

    from a start :math:`q_0` (say the responsibilities of the previous iteration, or
    uniform ones) at :math:`s = 0` to the posterior :math:`\gamma_{ik}(\theta)` at
    :math:`s = 1`, where the KL is 0 and the bound touches :math:`\ell`: that move is
    the E-step. The left panel colours the points by :math:`q_s`; the right one draws
    :math:`\mathcal{L}(q_s, \theta)` under the flat :math:`\ell(\theta)`, the gap
    between them shaded: the KL.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    params : MixtureParams
        :math:`\theta`, 2 features.
    q_start : array-like of shape (N, K)
        :math:`q_0`: non-negative, rows summing to 1.
    feature_names : pair of str, optional

    Attributes
    ----------
    blend : ndarray of shape (51,)
        The slider's stops :math:`s`.
    log_likelihood : float
        :math:`\ell(\theta)`.
    elbo, kl : ndarray of shape (51,)
        :math:`\mathcal{L}(q_s, \theta)` and :math:`\mathrm{KL}(q_s \,\|\, p(z \mid x, \theta))`
        at each stop.
    """

    figsize, panels, width_ratios = (10, 4.2), 2, (1.3, 1)

    def __init__(self, X, params, q_start, feature_names=None):
        self.X = ensure_data(X, 2)
        self.params = ensure_params(params, n_features=2)
        self.q_start = ensure_resp(
            q_start, n_samples=len(self.X), n_components=self.params.n_components, name="q_start"
        )
        self.feature_names = ensure_feature_names(feature_names, 2)
        self._log_joint = _log_joint(self.X, self.params)  # log pi_k N(x_i | mu_k, Sigma_k)
        log_px = log_mixture_pdf(self.X, self.params)
        self._log_posterior = self._log_joint - log_px[:, None]
        self.posterior = np.exp(self._log_posterior)
        self.log_likelihood = float(log_px.sum())
        self.blend = np.linspace(0.0, 1.0, _STOPS)
        split = np.array([self.split(s) for s in self.blend])
        self.elbo, self.kl = split[:, 0], split[:, 1]
        super().__init__()

    def split(self, blend):
        """(L(q_s, theta), KL(q_s || p(z | x, theta))) at ``blend`` (0 log 0 = 0)."""
        q = self.q_at(blend)
        used = q > 0
        log_q = np.log(q[used])
        elbo = float(np.sum(q[used] * (self._log_joint[used] - log_q)))
        kl = float(np.sum(q[used] * (log_q - self._log_posterior[used])))
        return elbo, max(kl, 0.0)

    def q_at(self, blend):
        r""":math:`q_s = (1 - s)\, q_0 + s\, \gamma(\theta)`, shape (N, K)."""
        return (1.0 - blend) * self.q_start + blend * self.posterior

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: {self.points_phrase()} coloured by q, a blend of a starting "
            "responsibility "
            "matrix and the posterior; right: the log-likelihood ℓ split into the lower bound "
            "L(q, θ) "
            "and the gap KL, along the blend s"
        )

    def sliders(self):
        return {
            "blend": Slider(
                "q: from q₀ to the posterior", 0.0, 1.0, 0.02, 0.0, symbol="$s$", fmt=".2f"
            )
        }

    def draw(self, data_ax, split_ax):
        self.points = data_points(self, data_ax, self.X)
        ellipses = EllipseSet(self, data_ax, self.params.n_components, 1.5)
        ellipses.show(self.params, n_std=2.0)
        fit_axes(data_ax, self.X, self.params, feature_names=self.feature_names)
        data_ax.set_title(r"points coloured by $q_s$; ellipses: $\theta$ (fixed)", fontsize=9)
        split_ax.axhline(self.log_likelihood, color="black", linewidth=1.5,
                         label=r"$\ell(\theta)$ (fixed)")
        split_ax.plot(self.blend, self.elbo, color="0.3", linestyle="--",
                      label=r"$\mathcal{L}(q_s, \theta)$, the ELBO")
        split_ax.fill_between(self.blend, self.elbo, self.log_likelihood, color="0.85",
                              label=r"gap: $\mathrm{KL}(q_s \,\|\, p(z \mid x, \theta))$")
        split_ax.set_xlabel(r"$s$: $q_s = (1 - s)\,q_0 + s\,\gamma(\theta)$")
        split_ax.set_ylabel("log-likelihood scale")
        low = self.elbo.min()
        span = self.log_likelihood - low or 1.0
        split_ax.set_ylim(low - 0.08 * span, self.log_likelihood + 0.12 * span)
        split_ax.set_xlim(0, 1)
        split_ax.legend(loc="lower right", fontsize=8, frameon=False)
        self.cursor = Cursor(self, split_ax, self.blend, [self.elbo], line=True)

    def caption(self, blend):
        return rf"$s = {blend:.2f}$:  $\ell(\theta) = \mathcal{{L}}(q_s, \theta) + \mathrm{{KL}}$"

    def update(self, blend):
        q = self.q_at(blend)
        self.points.set_facecolors(responsibility_colors(q))
        elbo, kl = self.split(blend)
        self.cursor.move(blend, [elbo])
        return [
            f"s = {blend:.2f}: ℓ(θ) = {self.log_likelihood:.3f} = L(q, θ) {elbo:.3f} "
            f"+ KL {kl:.3f}",
            "s = 1 is the E-step: q becomes the posterior γ(θ), the KL is 0 and L touches ℓ",
        ]
