"""The interactive explorers of the lessons: sliders over a figure.

Each explorer draws its figure once, then, whenever a slider moves, updates
the artists that change and redraws only those over a cached bitmap, at twice
the displayed resolution; nothing is ever refitted in a callback (explorers
over EM iterations index into the history recorded by :func:`gmmlab.fit`).
:mod:`gmmlab.widgets.base` documents the protocol an explorer follows, and
:mod:`gmmlab.widgets.panels` the pieces explorers share.

In a notebook, show a snapshot first (what GitHub and nbviewer display; it
names its slider values), then the live explorer::

    explorer = EMIterationExplorer(X, result)
    explorer.snapshot(iteration=3)   # a picture of iteration 3
    explorer                         # the sliders and the live figure, from there

==================================  =========================================================
:class:`SamplingExplorer`           a component's weight, spread and orientation
:class:`MembershipExplorer`         a probe point's K-Means label vs its memberships
:class:`FitExplorer1D`              1-D fits: K and the EM iteration
:class:`EMIterationExplorer`        2-D fits: the EM iteration (or half-step)
:class:`LikelihoodExplorer`         one parameter against the log-likelihood
:class:`PosteriorExplorer`          Bayes' rule for one point as a weight (the prior) moves
:class:`ModelSelectionExplorer`     K against BIC and AIC
:class:`KMeansLimitExplorer`        one shared σ shrinking: EM's E-step becomes K-Means'
:class:`ChunkedStatisticsExplorer`  the rows in m chunks: their statistics add up
:class:`AnomalyExplorer`            the threshold on log p(x) that flags anomalies
:class:`HeldOutExplorer`            K against the training and held-out log-likelihood
:class:`LowerBoundExplorer`         ℓ and the bound B(θ′ | θ⁽ᵗ⁾) along one mean, step by step
:class:`MStepExplorer`              one M-step θ⁽ᵗ⁾ → θ⁽ᵗ⁺¹⁾: ellipses before and after, N_k
:class:`StartsExplorer`             the starts (seeds) of EM: each one's fit and final ℓ
:class:`OnlineStepExplorer`         online EM's step exponent α: noisy against slow
:class:`BernoulliMeansExplorer`     a Bernoulli mixture's mean images, EM iteration by iteration
:class:`ELBOExplorer`               q from q₀ to the posterior: ℓ = L(q, θ) + KL(q ‖ p(z | x, θ))
==================================  =========================================================
"""

from .anomaly import AnomalyExplorer
from .base import CSS_DPI, EXPLORER_MIME, PIXEL_RATIO, Explorer, Slider
from .bernoulli import BernoulliMeansExplorer
from .chunks import ChunkedStatisticsExplorer
from .elbo import ELBOExplorer
from .em_iterations import EMIterationExplorer
from .fit_1d import FitExplorer1D
from .held_out import HeldOutExplorer
from .kmeans_limit import KMeansLimitExplorer
from .likelihood import LikelihoodExplorer
from .lower_bound import LowerBoundExplorer
from .m_step import MStepExplorer
from .membership import MembershipExplorer
from .model_selection import ModelSelectionExplorer
from .online import OnlineStepExplorer
from .posterior import PosteriorExplorer
from .sampling import SamplingExplorer
from .starts import StartsExplorer

__all__ = [
    "AnomalyExplorer",
    "BernoulliMeansExplorer",
    "CSS_DPI",
    "ChunkedStatisticsExplorer",
    "ELBOExplorer",
    "EMIterationExplorer",
    "EXPLORER_MIME",
    "Explorer",
    "FitExplorer1D",
    "HeldOutExplorer",
    "KMeansLimitExplorer",
    "LikelihoodExplorer",
    "LowerBoundExplorer",
    "MStepExplorer",
    "MembershipExplorer",
    "ModelSelectionExplorer",
    "OnlineStepExplorer",
    "PIXEL_RATIO",
    "PosteriorExplorer",
    "SamplingExplorer",
    "Slider",
    "StartsExplorer",
]
