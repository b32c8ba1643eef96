r"""Feedback on the learner's own log-likelihood, E-step, M-step and M-step from three sums.

Each exercise of the course has a *checker*: a :class:`Checker` that knows the
exercise (its name and signature), gmmlab's reference implementation, the
cases to try and the typical mistakes with their hints. Called with the
learner's function, it runs every case and returns a :class:`Feedback` that
says, case by case, what is right, what is wrong, by how much, and why::

    def my_e_step(X, weights, means, covariances):
        ...
        return resp

    check_e_step(my_e_step)        # the verdict, shown as a short report

The cells after an exercise must run whether or not it is solved.
:func:`use_if_correct` gives them a function to call: the learner's own when it
passes its checker, otherwise gmmlab's reference with the same signature, and
it says in one line which one is used::

    m_step_used = use_if_correct(my_m_step, check_m_step)

Every case exists for a bug: a small case with other sizes than the lesson's
(code that assumes K = 3 fails it), the Iris case (a density that ignores the
correlation between features fails it), a point so far from every component
that its densities underflow to 0.0 (a direct ratio or log of them fails it),
and a component with a tiny weight or few points (a "small number" added to
avoid a division by zero fails it). ``tests/test_check.py`` proves that each
case catches a wrong implementation that the others let through.

The package
-----------
``_framework`` holds what every checker shares (:class:`Checker`, :class:`Case`,
:class:`Mistake`, :class:`Feedback`, :func:`use_if_correct`); ``_cases`` the
cases and helpers shared by the log-likelihood, E-step and M-step checkers;
``_shared`` the docstring parts several references and every checker share (filled in,
so ``help()`` shows the whole text) and the M-steps' tuple check and comparison; each
exercise has one module of its own (``log_likelihood``, ``e_step``, ``m_step``,
``m_step_from_sums``, ``anomalies``, ...): its reference implementation, cases,
typical mistakes and checker, imported when its checker or reference is first used.

Adding a checker
----------------
Write one new module ``gmmlab/check/<exercise>.py``: the reference with the
exercise's exact signature and return value, the cases (a function returning a
list of :class:`Case`), a ``validate`` and a ``compare`` function (or reuse
another module's), and the typical mistakes as :class:`Mistake` objects, each
computing what the mistaken code returns; then the :class:`Checker`. Add its
checker and reference to ``_MODULES`` below (a checker is imported on first use, and
:data:`CHECKERS` and ``__all__`` list every ``check_*`` name there); its tests go in
``tests/test_check_<exercise>.py``. CONTRIBUTING.md shows it step by step.
"""


from __future__ import annotations

# The framework, for the exercise modules and the tests (not in a star import).
from ._framework import (
    FAILED,  # noqa: F401
    PASSED,  # noqa: F401
    Case,  # noqa: F401
    CaseResult,  # noqa: F401
    Checker,  # noqa: F401
    Difference,  # noqa: F401
    Feedback,  # noqa: F401
    Mistake,  # noqa: F401
    use_if_correct,  # noqa: F401
)

#: Where each checker and reference lives. A checker's module is imported when the name is
#: first used (PEP 562): ``from gmmlab.check import check_bic`` imports the BIC checker alone,
#: not SciPy (the log-likelihood, E-step and anomaly checkers use it) or the other checkers,
#: which is what an nbgrader kernel that grades one exercise pays for.
_MODULES = {
    "check_log_likelihood": "log_likelihood",
    "reference_log_likelihood": "log_likelihood",
    "check_e_step": "e_step",
    "reference_e_step": "e_step",
    "check_m_step": "m_step",
    "reference_m_step": "m_step",
    "check_m_step_from_sums": "m_step_from_sums",
    "reference_m_step_from_sums": "m_step_from_sums",
    "check_anomalies": "anomalies",
    "reference_anomalies": "anomalies",
    "check_ellipse_axes": "ellipse_axes",
    "reference_ellipse_axes": "ellipse_axes",
    "check_em_loop": "em_loop",
    "reference_em": "em_loop",
    "check_bernoulli_m_step": "bernoulli_m_step",
    "reference_bernoulli_m_step": "bernoulli_m_step",
    "check_bic": "bic",
    "reference_bic": "bic",
}
_CHECKER_NAMES = [name for name in _MODULES if name.startswith("check_")]


def __getattr__(name):
    """A checker, a reference or :data:`CHECKERS`, imported on first use."""
    import importlib

    if name == "CHECKERS":
        #: Every exercise's checker, by name. A star import (``from gmmlab.check import *``)
        #: gives a learner's notebook these checkers and :func:`use_if_correct`, nothing else.
        checkers = {checker: __getattr__(checker) for checker in _CHECKER_NAMES}
        globals()["CHECKERS"] = checkers
        return checkers
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{_MODULES[name]}", __name__)
    for other, where in _MODULES.items():  # the module's checker and reference
        if where == _MODULES[name]:
            globals()[other] = getattr(module, other)
    return globals()[name]


def __dir__():
    return sorted({*globals(), *_MODULES, "CHECKERS"})


__all__ = [*_CHECKER_NAMES, "use_if_correct"]
