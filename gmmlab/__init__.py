"""gmmlab: Gaussian mixture models and EM, one readable step at a time.

The EM steps (``e_step``, ``m_step``, ``log_likelihood``, ``fit``...) and the
parameter container ``MixtureParams`` are available straight from ``gmmlab``.
The submodules ``gmmlab.plotting``, ``gmmlab.datasets``, ``gmmlab.widgets``
and ``gmmlab.check`` load on first use, so that ``import gmmlab`` stays fast
and does not import matplotlib's pyplot, scikit-learn or ipywidgets.
"""

import importlib

from .em import (
    ComponentCollapseError,
    EMResult,
    e_step,
    fit,
    hard_assign,
    initialize,
    log_gaussian_pdf,
    log_likelihood,
    m_step,
    mahalanobis,
    mixture_pdf,
    weighted_densities,
)
from .params import COVARIANCE_TYPES, MixtureParams
from .selection import aic, bic, n_parameters

__version__ = "0.1.0"

_SUBMODULES = ("check", "datasets", "plotting", "tables", "widgets")

__all__ = [
    "COVARIANCE_TYPES",
    "ComponentCollapseError",
    "EMResult",
    "MixtureParams",
    "aic",
    "bic",
    "e_step",
    "fit",
    "hard_assign",
    "initialize",
    "log_gaussian_pdf",
    "log_likelihood",
    "m_step",
    "mahalanobis",
    "mixture_pdf",
    "n_parameters",
    "weighted_densities",
    *_SUBMODULES,
]


def __getattr__(name):
    """Load ``gmmlab.plotting`` and the other submodules when first used."""
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'gmmlab' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_SUBMODULES))
