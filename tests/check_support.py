"""What the checker tests share: wrong implementations' record, helpers, and discovery of
every exercise's CORRECT and WRONG lists (tests/test_check_<exercise>.py); and the mixture
that tests/test_using.py and tests/test_selection_splits.py sample."""

import dataclasses

import numpy as np
from scipy.stats import multivariate_normal


def log_terms(X, weights, means, covariances):
    """a_ik = log pi_k + log N(x_i | mu_k, Sigma_k), with scipy."""
    return np.column_stack(
        [
            np.log(w) + multivariate_normal(m, c).logpdf(X).reshape(len(X))
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
    )


def three_tilted_clusters():
    """Three well-separated tilted clusters in 2-D, weights 0.3, 0.3 and 0.4."""
    import gmmlab

    return gmmlab.MixtureParams(
        [0.3, 0.3, 0.4],
        [[0.0, 0.0], [8.0, 1.0], [3.0, 9.0]],
        [[[1.0, 0.6], [0.6, 1.0]], [[1.5, -0.4], [-0.4, 0.5]], [[0.6, 0.0], [0.0, 2.0]]],
    )


def sklearn_model(weights, means, covariances):
    from sklearn.mixture import GaussianMixture

    gm = GaussianMixture(len(weights))
    gm.weights_, gm.means_, gm.covariances_ = weights, means, covariances
    gm.precisions_cholesky_ = np.linalg.cholesky(np.linalg.inv(covariances))
    return gm


def e_step_sklearn(X, weights, means, covariances):
    return sklearn_model(weights, means, covariances).predict_proba(X)


@dataclasses.dataclass
class Wrong:
    checker: str
    function: object
    hint: str  # the words of its specific hint

    def __str__(self):
        return self.function.__name__


def by_hand_density(x, mean, cov, inverse=np.linalg.inv, det_power=0.5):
    """Lesson 5's by-hand 2-D density, with the two places learners get wrong."""
    diff = x - mean
    d2 = np.einsum("ij,jk,ik->i", diff, inverse(cov), diff)
    return np.exp(-d2 / 2) / (2 * np.pi * np.linalg.det(cov) ** det_power)


def exercise_modules():
    """Each tests/test_check_<exercise>.py module, imported."""
    import importlib
    from pathlib import Path

    return [
        importlib.import_module(f"tests.{path.stem}")
        for path in sorted(Path(__file__).parent.glob("test_check_*.py"))
        if path.stem != "test_check_notebooks"  # about the notebook check, not an exercise
    ]


class LazyAttr:
    """A reference function or object (``scipy.stats.norm``, scikit-learn's GaussianMixture)
    imported on its first call or attribute, not when the test module is collected.

    ``norm = LazyAttr("scipy.stats", "norm")`` then ``norm.logpdf(x)`` or ``norm(0, 1)``:
    scipy.stats costs about 1 s of CPU and scikit-learn's mixture about 1 s in a fresh
    process, which every ``pytest`` run paid at collection, also for tests that never use
    them. Not for ``isinstance``, ``except`` or warning filters: import those in the test.
    """

    def __init__(self, module, name):
        self._module, self._name, self._target = module, name, None

    def _get(self):
        if self._target is None:
            import importlib

            self._target = getattr(importlib.import_module(self._module), self._name)
        return self._target

    def __call__(self, *args, **kwargs):
        return self._get()(*args, **kwargs)

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self._get(), attr)

    def __repr__(self):
        return f"<{self._module}.{self._name}, imported on first use>"


multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")  # noqa: F811 (line 8 to go)
