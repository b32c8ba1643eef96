"""gmmlab: Gaussian mixture models and EM, one readable step at a time.

The EM steps (``e_step``, ``m_step``, ``log_likelihood``, ``fit``...), the
sufficient statistics (``sufficient_statistics``, ``params_from_statistics``...), the
parameter container ``MixtureParams``, choosing K (``bic``, ``aic``,
``sweep_components``, ``cross_validate``...) and anomalies (``anomaly_threshold``,
``flag_anomalies``) are available straight from ``gmmlab``.
The submodules ``gmmlab.plotting``, ``gmmlab.datasets``, ``gmmlab.widgets``,
``gmmlab.check``, ``gmmlab.scale`` and ``gmmlab.bernoulli`` (a mixture of Bernoulli
distributions) load on first use, so that ``import gmmlab``
stays fast and imports only NumPy: not matplotlib, scikit-learn, SciPy, ipywidgets
or dask.
"""

import importlib

from .anomaly import anomaly_threshold, flag_anomalies
from .em import (
    EMResult,
    e_step,
    expected_statistics,
    fit,
    hard_assign,
    initialize,
    log_gaussian_pdf,
    log_likelihood,
    log_mixture_pdf,
    lower_bound,
    m_step,
    mahalanobis,
    mixture_pdf,
    weighted_densities,
)
from .objectives import (
    evidence_lower_bound,
    expected_complete_log_likelihood,
    log_covariance_prior,
    map_m_step,
    posterior_kl,
    responsibility_entropy,
)
from .online import OnlineEMResult, OnlineGaussianMixture, fit_online
from .params import COVARIANCE_TYPES, MixtureParams
from .selection import (
    ComponentSweep,
    SplitPicks,
    aic,
    bic,
    cross_validate,
    mean_log_likelihood,
    n_parameters,
    n_parameters_for,
    picks_across_splits,
    sweep_components,
)
from .statistics import (
    ComponentCollapseError,
    SufficientStatistics,
    params_from_statistics,
    sufficient_statistics,
)

__version__ = "0.1.0"

_SUBMODULES = ("bernoulli", "check", "datasets", "plotting", "scale", "tables", "widgets")

#: What ``from gmmlab import *`` gives, by topic.
__all__ = [
    # the parameters and the densities
    "MixtureParams", "COVARIANCE_TYPES",
    "log_gaussian_pdf", "mahalanobis", "mixture_pdf", "log_mixture_pdf", "weighted_densities",
    "log_likelihood",
    # the EM steps and the fit
    "e_step", "m_step", "hard_assign", "initialize", "fit", "EMResult", "ComponentCollapseError",
    # the lower bound, its parts and the MAP M-step (lesson 8)
    "lower_bound", "evidence_lower_bound", "expected_complete_log_likelihood",
    "responsibility_entropy", "posterior_kl", "log_covariance_prior", "map_m_step",
    # choosing K (lesson 10)
    "n_parameters", "n_parameters_for", "aic", "bic", "mean_log_likelihood",
    "sweep_components", "ComponentSweep", "cross_validate", "picks_across_splits", "SplitPicks",
    # anomalies (lesson 11)
    "anomaly_threshold", "flag_anomalies",
    # sufficient statistics and online EM (lessons 12 and 13)
    "expected_statistics", "sufficient_statistics", "SufficientStatistics",
    "params_from_statistics", "fit_online", "OnlineGaussianMixture", "OnlineEMResult",
    # the submodules, loaded on first use
    *_SUBMODULES,
]


def __getattr__(name):
    """Load ``gmmlab.plotting`` and the other submodules when first used."""
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'gmmlab' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES))
