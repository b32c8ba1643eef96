"""What the checker tests share: wrong implementations' record, helpers, and discovery of
every exercise's CORRECT and WRONG lists (tests/test_check_<exercise>.py); the mixture
that tests/test_using.py and tests/test_selection_splits.py sample; scipy's
log-likelihood that tests/test_online.py and tests/test_online_widget.py compare with; and
a tool run as `make` runs it (tests/test_check_notebooks.py, tests/test_readme.py)."""

import dataclasses
import inspect
import linecache

import numpy as np


def log_terms(X, weights, means, covariances):
    """a_ik = log pi_k + log N(x_i | mu_k, Sigma_k), with scipy."""
    return np.column_stack(
        [
            np.log(w) + multivariate_normal(m, c).logpdf(X).reshape(len(X))
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
    )


def scipy_log_likelihood(X, params):
    """ℓ = Σ_i log Σ_k π_k N(x_i | μ_k, Σ_k), from scipy's densities (params: MixtureParams)."""
    density = sum(
        w * multivariate_normal(m, c).pdf(X)
        for w, m, c in zip(params.weights, params.means, params.covariances, strict=True)
    )
    return float(np.log(density).sum())


def run_tool(tool, *arguments, check=False):
    """``python -m tools.<tool> arguments...`` from the repository's root, as `make` runs it:
    the finished process, its output as text."""
    import subprocess
    import sys

    from tools.project import ROOT

    return subprocess.run(
        [sys.executable, "-m", f"tools.{tool}", *map(str, arguments)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
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
    """A wrong implementation of ``checker``'s exercise and the words of its specific hint.

    A learner-like function with a keyword-only ``mistake`` stands for several wrong answers:
    there ``hint`` starts with the mistake and a colon (``"radii: these are the half-lengths"``)
    and ``function`` becomes that mistake's copy (with_mistake).
    """

    checker: str
    function: object
    hint: str

    def __post_init__(self):
        if "mistake" in (getattr(self.function, "__kwdefaults__", None) or {}):
            mistake, _, self.hint = self.hint.partition(": ")
            self.function = with_mistake(self.function, mistake)

    def __str__(self):
        return self.function.__name__


def with_mistake(function, mistake):
    """``function``, a learner-like answer whose keyword-only ``mistake`` selects one of its
    mistakes, rewritten as the answer with ``mistake`` made, named ``<prefix>_<mistake>``.

    The copy is compiled from ``function``'s source with only its name and the default of
    ``mistake`` changed, and its source is kept for ``inspect`` and tracebacks (at the same
    line numbers): ``inspect.getsource`` gives it as a complete function that a learner could
    have written, with ``function``'s globals (numpy, math, gmmlab) and nothing else.
    """
    if mistake not in _constants(function.__code__):
        raise ValueError(f"mistake: {function.__name__} has no branch for {mistake!r}")
    name = f"{function.__name__.split('_')[0]}_{mistake}"
    lines, first = inspect.getsourcelines(function)
    default = f"mistake={function.__kwdefaults__['mistake']!r}".replace("'", '"')
    header = lines[0].replace(f"def {function.__name__}(", f"def {name}(", 1)
    if default not in header:
        raise ValueError(f"function: {function.__name__}'s def line must give {default}")
    lines = [header.replace(default, f'mistake="{mistake}"', 1), *lines[1:]]
    filename = f"{inspect.getsourcefile(function)}:{name}"
    padded = ["\n"] * (first - 1) + lines
    linecache.cache[filename] = (sum(map(len, padded)), None, padded, filename)
    namespace = {}
    exec(compile("".join(padded), filename, "exec"), function.__globals__, namespace)
    return namespace[name]


def _constants(code):
    """The constants of a function's code, inside tuples and frozensets too."""
    found = set()
    for constant in code.co_consts:
        found |= set(constant) if isinstance(constant, (tuple, frozenset)) else {constant}
    return found


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


multivariate_normal = LazyAttr("scipy.stats", "multivariate_normal")
