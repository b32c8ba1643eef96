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

Adding a checker
----------------
Write the reference with the exercise's exact signature and return value, the
cases (a function returning a list of :class:`Case`), a ``validate`` and a
``compare`` function (or reuse those below), and the typical mistakes as
:class:`Mistake` objects, each computing what the mistaken code returns. Then
create the :class:`Checker` and add it to :data:`CHECKERS`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import io
import math
import os
import re
import sysconfig
import traceback
import warnings

import numpy as np

from ..anomaly import anomaly_threshold, flag_anomalies
from ..em import e_step, log_likelihood, log_mixture_pdf, m_step
from ..params import MixtureParams

#: How close an answer must be, relative to the expected one. Correct implementations
#: in any style (loops, einsum, scipy) agree with gmmlab to about 1e-12; the M-step's
#: tolerance is tight enough that a 1e-10 guard added to N_2 = 0.0015 shows.
RTOL = 1e-6
M_STEP_RTOL = 1e-8
LOG_LIKELIHOOD_RTOL = 1e-9
#: How a report marks a case that passed and one that failed (tools read stored reports by them).
PASSED, FAILED = "✔", "✘"


# -- what a check returns ------------------------------------------------------


@dataclasses.dataclass
class CaseResult:
    """One case of a check: its name, whether it passed, and what was found.

    Attributes
    ----------
    name : str
        What the case tries, e.g. "a point far from every component".
    passed : bool
    message : str
        "correct", or what is wrong and a hint; it may span several lines.
    """

    name: str
    passed: bool
    message: str

    def __post_init__(self):
        _check_strings(self, "name", "message")
        if not isinstance(self.passed, (bool, np.bool_)):
            raise TypeError(f"passed must be True or False, got {self.passed!r}")


@dataclasses.dataclass
class Feedback:
    """The outcome of a check: shows as a short report, true when every case passed.

    Attributes
    ----------
    title : str
        The first line of the report.
    cases : list of CaseResult
    """

    title: str
    cases: list

    def __post_init__(self):
        _check_strings(self, "title")
        for i, case in enumerate(self.cases):
            if not isinstance(case, CaseResult):
                raise TypeError(f"cases[{i}] must be a CaseResult, got {type(case).__name__}")

    @property
    def passed(self):
        """Whether every case passed."""
        return all(case.passed for case in self.cases)

    @property
    def n_passed(self):
        """How many cases passed."""
        return sum(case.passed for case in self.cases)

    def __bool__(self):
        return self.passed

    def __repr__(self):
        lines = [self.title]
        for case in self.cases:
            mark = PASSED if case.passed else FAILED
            first, *rest = case.message.split("\n")
            lines.append(f"{mark} {case.name}: {first}")
            lines.extend(f"    {line}" for line in rest)
        if self.passed:
            lines.append(f"All {len(self.cases)} cases pass: well done!")
        else:
            lines.append(
                f"{self.n_passed} of {len(self.cases)} cases pass: read the first {FAILED} above."
            )
        return "\n".join(lines)


# -- how a checker is described ------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class Case:
    """One set of arguments to try, and what it exists to catch.

    Attributes
    ----------
    name : str
        Shown in the report, e.g. "Iris petals, three components".
    arguments : dict
        The exercise's arguments by name, in the order of its signature. The
        learner's function gets fresh copies, so it cannot spoil them.
    note : str
        What this case tests, shown after a wrong answer that no typical
        :class:`Mistake` explains.
    """

    name: str
    arguments: dict
    note: str = ""

    def __post_init__(self):
        _check_strings(self, "name", "note")
        if not isinstance(self.arguments, dict) or not all(
            isinstance(key, str) for key in self.arguments
        ):
            raise TypeError(
                "arguments must be a dict from the exercise's parameter names to values, "
                f"got {type(self.arguments).__name__}"
            )
        for key, value in self.arguments.items():
            try:
                np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise TypeError(
                    f"arguments[{key!r}] must be numbers or an array of numbers, "
                    f"got {type(value).__name__}"
                ) from None

    def copies(self):
        """Fresh, writable copies of the arguments, in order."""
        return [np.array(value, dtype=float) for value in self.arguments.values()]

    @property
    def sizes(self):
        """N, D and K, as a phrase: 'N = 3 points, D = 1 feature, K = 2 components'."""
        parts = []
        X = self.arguments.get("X", self.arguments.get("X_train"))
        if X is not None:
            n, d = np.shape(X)
            parts += [f"N = {n} point{'s' * (n != 1)}", f"D = {d} feature{'s' * (d != 1)}"]
        elif "sum_x" in self.arguments:  # the M-step from the sums: no points, D features
            d = np.shape(self.arguments["sum_x"])[-1]
            parts.append(f"D = {d} feature{'s' * (d != 1)}")
        for name in ("weights", "resp", "nk"):
            if name in self.arguments:
                k = np.shape(self.arguments[name])[-1]
                parts.append(f"K = {k} component{'s' * (k != 1)}")
                break
        return ", ".join(parts)


@dataclasses.dataclass(frozen=True, eq=False)
class Mistake:
    """A typical wrong answer: what the mistaken code returns, and the hint for it.

    Attributes
    ----------
    hint : str
        Shown when the learner's answer equals what ``returns`` computes.
    returns : callable
        Takes the exercise's arguments and returns what the mistaken code
        would, e.g. the responsibilities without the weights.
    """

    hint: str
    returns: object

    def __post_init__(self):
        _check_strings(self, "hint")
        if not callable(self.returns):
            raise TypeError(f"returns must be callable, got {type(self.returns).__name__}")


def _check_strings(instance, *names):
    for name in names:
        value = getattr(instance, name)
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string, got {type(value).__name__}")


@dataclasses.dataclass(frozen=True)
class Difference:
    """Where an answer differs from the expected one.

    ``part`` numbers the parts of an answer made of several (0 for weights,
    1 for means...), so that a mistake can explain the first wrong part;
    ``hint`` is shown when no typical mistake explains the difference (the
    case's note is shown when it is empty).
    """

    text: str
    part: int = 0
    hint: str = ""


class Checker:
    """The checker of one exercise: call it with the learner's function.

    Parameters
    ----------
    name : str
        The checker's public name, e.g. ``"check_e_step"``.
    exercise : str
        The name of the learner's function, e.g. ``"my_e_step"``.
    reference : callable
        gmmlab's own solution, with the exercise's exact signature and return
        value; :func:`use_if_correct` hands it to the cells below an exercise
        that is not solved yet.
    what : str
        What the learner writes, for the report: "your E-step".
    compared_with : str
        The library function the cases are computed with: "gmmlab.e_step".
    reference_label : str
        How the fallback line names the reference: "gmmlab's reference E-step".
    cases : callable
        Returns the list of :class:`Case`; called once, on first use.
    validate : callable
        ``validate(got, expected, case)`` returns ``(answer, None)`` with the
        answer in a comparable form, or ``(None, problem)`` when it has the
        wrong type or shape or holds NaN.
    compare : callable
        ``compare(answer, expected, case)`` returns None when they agree,
        else a :class:`Difference` saying where and by how much.
    mistakes : sequence of Mistake
        Tried in order on a wrong answer; the first that explains it gives the hint.
    error_hints : sequence of (exception type, pattern, hint), optional
        Hints for errors the learner's code raises in this exercise, tried before the
        hints every checker shares: ``pattern`` is a regular expression searched for in
        the error's message.
    doc : str
        The checker's docstring (what the learner's function must do).

    Raises
    ------
    TypeError
        If an argument has the wrong type (the message names it).
    """

    def __init__(
        self,
        name,
        *,
        exercise,
        reference,
        what,
        compared_with,
        reference_label,
        cases,
        validate,
        compare,
        mistakes=(),
        error_hints=(),
        doc="",
    ):
        for label, value in (
            ("name", name),
            ("exercise", exercise),
            ("what", what),
            ("compared_with", compared_with),
            ("reference_label", reference_label),
            ("doc", doc),
        ):
            if not isinstance(value, str):
                raise TypeError(f"{label} must be a string, got {type(value).__name__}")
        for label, value in (
            ("reference", reference),
            ("cases", cases),
            ("validate", validate),
            ("compare", compare),
        ):
            if not callable(value):
                raise TypeError(f"{label} must be callable, got {type(value).__name__}")
        mistakes = tuple(mistakes)
        for i, mistake in enumerate(mistakes):
            if not isinstance(mistake, Mistake):
                raise TypeError(f"mistakes[{i}] must be a Mistake, got {type(mistake).__name__}")
        self.name = self.__name__ = name
        self.exercise = exercise
        self.reference = reference
        self.signature = inspect.signature(reference)
        self.what = what
        self.compared_with = compared_with
        self.reference_label = reference_label
        self.validate = validate
        self.compare = compare
        self.mistakes = mistakes
        self.error_hints = tuple(error_hints)
        for i, entry in enumerate(self.error_hints):
            if not (
                isinstance(entry, tuple)
                and len(entry) == 3
                and isinstance(entry[0], type)
                and issubclass(entry[0], BaseException)
                and all(isinstance(text, str) for text in entry[1:])
            ):
                raise TypeError(
                    f"error_hints[{i}] must be a tuple (exception type, pattern, hint), "
                    f"got {entry!r}"
                )
        self.__doc__ = doc
        self._make_cases = cases
        self._cases = None

    @property
    def cases(self):
        """The list of :class:`Case` this checker tries."""
        return [case for case, _ in self._prepared()]

    def _prepared(self):
        """Each case with the reference's answer to it, computed on first use."""
        if self._cases is None:
            cases = list(self._make_cases())
            for i, case in enumerate(cases):
                if not isinstance(case, Case):
                    raise TypeError(f"cases()[{i}] must be a Case, got {type(case).__name__}")
            self._cases = [(case, self.reference(*case.copies())) for case in cases]
        return self._cases

    def __repr__(self):
        return (
            f"{self.name}: checks {self.exercise}{self.signature} against "
            f"{self.compared_with}; call {self.name}({self.exercise})"
        )

    def __call__(self, function):
        """Run every case on ``function`` and return the :class:`Feedback`.

        Parameters
        ----------
        function : callable
            The learner's function, called as the exercise's signature says.

        Returns
        -------
        Feedback

        Raises
        ------
        TypeError
            If ``function`` is not callable (for example the result of calling it).
        """
        if not callable(function):
            raise TypeError(
                f"function must be your function itself, {self.name}({self.exercise}) "
                f"without parentheses after {self.exercise}; got {type(function).__name__}"
            )
        mismatch = _signature_problem(function, self)
        results, raised = [], {}
        for case, expected in self._prepared():
            if mismatch:
                message = mismatch if not results else "same as above"
            else:
                message = self._verdict(function, case, expected, raised)
            results.append(CaseResult(case.name, message is None, message or "correct"))
        return Feedback(f"Checking {self.what} against {self.compared_with}:", results)

    def _verdict(self, function, case, expected, raised):
        """None if ``function`` is right on ``case``, else what is wrong (and why)."""
        try:
            with _quiet_numerics():
                got = function(*case.copies())
        except Exception as error:  # the learner's bug, reported as feedback
            return _describe_error(error, case, raised, self.error_hints)
        answer, problem = self.validate(got, expected, case)
        if problem:
            return problem
        difference = self.compare(answer, expected, case)
        if difference is None:
            return None
        hint = self._hint(answer, case, difference) or difference.hint or case.note
        return f"{difference.text}: {hint}" if hint else difference.text

    def _hint(self, answer, case, difference):
        """The hint of the first typical mistake that explains ``answer``, if any."""
        for mistake in self.mistakes:
            try:
                with _quiet_numerics():
                    wrong = mistake.returns(*case.copies())
            except (ValueError, ArithmeticError, np.linalg.LinAlgError):
                continue  # this mistake cannot even be computed on this case
            other = self.compare(answer, wrong, case)
            if other is None or other.part > difference.part:
                return mistake.hint
        return None


@contextlib.contextmanager
def _quiet_numerics():
    """No warnings while a case runs: a NaN or an empty average is reported as feedback."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def use_if_correct(function, checker):
    """The learner's function if it passes its checker, else gmmlab's reference.

    The cells after an exercise call the function this returns, so that they
    run whether or not the exercise is solved. The check runs quietly (what the
    learner's function prints is not shown); then exactly one line says which
    function the cells below use, and why, for example::

        Your my_m_step does not pass check_m_step yet (1 of 3 cases pass), so the
        cells below use gmmlab's reference M-step.

    Parameters
    ----------
    function : object
        The learner's function. Anything else (``None``, the result of calling
        the function) is treated as not written: the reference is returned.
    checker : Checker
        The exercise's checker, e.g. ``check_m_step``.

    Returns
    -------
    callable
        ``function`` itself if every case of ``checker`` passes, otherwise
        ``checker.reference``, which has the exercise's signature and return value.

    Raises
    ------
    TypeError
        If ``checker`` is not a :class:`Checker`.

    Examples
    --------
    >>> m_step_used = use_if_correct(None, check_m_step)
    my_m_step is not a function yet, so the cells below use gmmlab's reference M-step.
    >>> m_step_used is check_m_step.reference
    True
    """
    if not isinstance(checker, Checker):
        known = ", ".join(CHECKERS)
        raise TypeError(
            f"checker must be one of gmmlab.check's checkers ({known}), "
            f"got {type(checker).__name__}"
        )
    name = getattr(function, "__name__", "")
    name = name if name.isidentifier() else checker.exercise
    if not callable(function):
        reason = f"{checker.exercise} is not a function yet"
    else:
        quiet = io.StringIO()
        with (
            contextlib.redirect_stdout(quiet),
            contextlib.redirect_stderr(quiet),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            feedback = checker(function)
        if feedback.passed:
            print(
                f"Your {name} passes all {len(feedback.cases)} cases of {checker.name}, "
                "so the cells below use it."
            )
            return function
        messages = [case.message for case in feedback.cases]
        if all(message.startswith(_NOT_WRITTEN) for message in messages):
            reason = f"Your {name} is not written yet"
        else:
            reason = (
                f"Your {name} does not pass {checker.name} yet "
                f"({feedback.n_passed} of {len(feedback.cases)} cases pass)"
            )
    print(f"{reason}, so the cells below use {checker.reference_label}.")
    return checker.reference


# -- the learner's errors --------------------------------------------------------

_NOT_WRITTEN = "not written yet"

#: Hints for errors the learner's code raises, in every exercise: (exception type, a regular
#: expression searched for in its message, hint).
_ERROR_HINTS = (
    (
        ValueError,
        "could not be broadcast",
        "a reduction such as a.max(axis=1) drops that axis: keep it with "
        "keepdims=True (or index the result with [:, np.newaxis]).",
    ),
    (
        Exception,
        "aweights",
        "np.cov treats each row as one variable: pass X.T (or rowvar=False).",
    ),
    (ValueError, "matmul", "check which axis is which: X is (N, D), resp is (N, K)."),
    (
        ValueError,
        "Quantiles must be in the range",
        "np.quantile takes a fraction from 0 to 1, but percent runs from 0 to 100: use "
        "np.percentile(values, percent) (or np.quantile(values, percent / 100)).",
    ),
    (IndexError, "", "does your code assume the lesson's sizes (for example range(3))?"),
)


def _describe_error(error, case, raised, error_hints=()):
    """What the learner's exception says, shown in full once and briefly after."""
    if isinstance(error, NotImplementedError):
        if NotImplementedError in raised:
            return _NOT_WRITTEN
        raised[NotImplementedError] = True
        return f"{_NOT_WRITTEN}: replace `raise NotImplementedError(...)` with your code"
    frame = _learner_frame(error.__traceback__)
    kind = type(error).__name__
    key = (kind, frame.filename, frame.lineno) if frame else (kind, str(error))
    where = f" (line {frame.lineno})" if frame else ""
    if key in raised:
        return f"your function raised the same {kind} as above{where}"
    raised[key] = True
    lines = [f"your function raised {kind}: {error}"]
    if frame is not None:
        lines.append(f"in {frame.name}, line {frame.lineno}: {(frame.line or '').strip()}")
    for error_type, pattern, hint in (*error_hints, *_ERROR_HINTS):
        if isinstance(error, error_type) and re.search(pattern, str(error)):
            lines.append(f"This case has {case.sizes}: {hint}")
            break
    else:
        lines.append(f"This case has {case.sizes}.")
    return "\n".join(lines)


def _library_folders():
    """Where Python's own, the installed packages' and gmmlab's files live."""
    paths = sysconfig.get_paths()
    folders = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    folders.add(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # gmmlab/
    return tuple(os.path.join(os.path.realpath(folder), "") for folder in folders)


_LIBRARY_FOLDERS = _library_folders()


def _learner_frame(tb):
    """The deepest frame of the traceback in the learner's own code (their cell), or None."""
    frames = traceback.extract_tb(tb)[1:]  # the first is the checker calling the function
    own = [
        frame
        for frame in frames
        if not frame.filename.startswith("<frozen")
        and not os.path.realpath(frame.filename).startswith(_LIBRARY_FOLDERS)
    ]
    return own[-1] if own else None


def _signature_problem(function, checker):
    """A message if ``function`` cannot be called as the exercise calls it, else None."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):  # some builtins have no signature: just try them
        return None
    try:
        signature.bind(*checker.signature.parameters)
    except TypeError:
        return (
            f"your function takes {signature} but the exercise calls it as "
            f"{checker.exercise}{checker.signature}: use these parameters, in this order"
        )
    return None


# -- formatting numbers so that different values look different -----------------------


def _pair(got, expected):
    """'is 3.1105110, expected 3.1105100 (difference 1.0e-06)': enough digits to differ."""
    got, expected = float(got), float(expected)
    for digits in range(6, 18):
        a, b = f"{got:.{digits}g}", f"{expected:.{digits}g}"
        if a != b:
            break
    difference = got - expected
    note = f" (difference {difference:.2g})" if np.isfinite(difference) else ""
    return f"is {a}, expected {b}{note}"


def _sum_text(total):
    """A row sum that is not 1, written so that it never looks like 1."""
    if abs(total - 1) < 1e-3:
        return f"1 {'+' if total > 1 else '-'} {abs(total - 1):.2g}"
    return f"{total:.6g}"


def _point(case, i):
    """Point i of a case, as '(40, 40)' (or '1.5' with one feature)."""
    x = case.arguments["X"][i]
    return f"{x[0]:g}" if len(x) == 1 else "(" + ", ".join(f"{v:g}" for v in x) + ")"


def _has_far_point(case):
    return any(tuple(x) == _FAR_POINT for x in case.arguments["X"])


def _as_float_array(value, name):
    """``value`` as a float array, or a problem message."""
    if value is None:
        return None, f"your function returned None: did you forget `return {name}`?"
    if isinstance(value, MixtureParams):
        return None, f"{name}: expected an array, got a gmmlab.MixtureParams"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, f"{name}: expected an array of numbers, got {type(value).__name__}"
    return array, None


# -- reference implementations, with the exercises' signatures -------------------------


def reference_log_likelihood(X, weights, means, covariances):
    r"""gmmlab's log-likelihood, called as the lesson 5 exercise is.

    .. math::

        \ell(\theta) = \sum_{i=1}^{N} \log \sum_{k=1}^{K}
                       \pi_k\,\mathcal{N}(x_i \mid \mu_k, \Sigma_k)

    Parameters
    ----------
    X : array-like of shape (N, D)
    weights : array-like of shape (K,)
    means : array-like of shape (K, D)
    covariances : array-like of shape (K, D, D)

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (the message names it), as for
        :class:`gmmlab.MixtureParams` and :func:`gmmlab.log_likelihood`.

    Examples
    --------
    >>> round(reference_log_likelihood([[0.0]], [1.0], [[0.0]], [[[1.0]]]), 4)
    -0.9189
    """
    return log_likelihood(X, MixtureParams(weights, means, covariances))


def reference_e_step(X, weights, means, covariances):
    r"""gmmlab's E-step, called as the lesson 6 exercise is.

    .. math::

        \gamma_{ik} = \frac{\pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}
                           {\sum_j \pi_j \, \mathcal{N}(x_i \mid \mu_j, \Sigma_j)}

    Parameters
    ----------
    X : array-like of shape (N, D)
    weights : array-like of shape (K,)
    means : array-like of shape (K, D)
    covariances : array-like of shape (K, D, D)

    Returns
    -------
    resp : ndarray of shape (N, K)

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (the message names it), as for
        :class:`gmmlab.MixtureParams` and :func:`gmmlab.e_step`.

    Examples
    --------
    >>> reference_e_step([[0.0]], [0.5, 0.5], [[-1.0], [1.0]], [[[1.0]], [[1.0]]])
    array([[0.5, 0.5]])
    """
    return e_step(X, MixtureParams(weights, means, covariances))


def reference_m_step(X, resp):
    r"""gmmlab's M-step without ``reg_covar``, called as the lesson 7 exercise is.

    .. math::

        N_k = \sum_i \gamma_{ik}, \quad \pi_k = \frac{N_k}{N}, \quad
        \mu_k = \frac{1}{N_k} \sum_i \gamma_{ik} x_i, \quad
        \Sigma_k = \frac{1}{N_k} \sum_i \gamma_{ik} (x_i - \mu_k)(x_i - \mu_k)^\top

    Parameters
    ----------
    X : array-like of shape (N, D)
    resp : array-like of shape (N, K)

    Returns
    -------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, D)
    covariances : ndarray of shape (K, D, D)

    Raises
    ------
    TypeError, ValueError
        If ``X`` or ``resp`` is malformed (the message names it), as for
        :func:`gmmlab.m_step`.
    ComponentCollapseError
        If a component has no points, or a singular covariance.

    Examples
    --------
    >>> X, resp = [[0.0], [2.0], [10.0], [12.0]], [[1, 0], [1, 0], [0, 1], [0, 1]]
    >>> weights, means, covariances = reference_m_step(X, resp)
    >>> means.ravel().tolist(), covariances.ravel().tolist()
    ([1.0, 11.0], [1.0, 1.0])
    """
    params = m_step(X, resp, reg_covar=0.0)
    return params.weights.copy(), params.means.copy(), params.covariances.copy()


# -- the cases -----------------------------------------------------------------


def _iris_2d():
    from ..datasets import load_iris_features

    return load_iris_features(("petal length", "petal width")).X


def _iris_params():
    """Three components near the fit of 2-D Iris that k-means++ starts reach, fixed here."""
    return MixtureParams(
        weights=[0.333, 0.3, 0.367],
        means=[[1.462, 0.246], [4.29, 1.35], [5.55, 2.03]],
        covariances=[
            [[0.030, 0.006], [0.006, 0.011]],
            [[0.200, 0.070], [0.070, 0.040]],
            [[0.300, 0.050], [0.050, 0.070]],
        ],
    )


def _mixture_case(name, X, params, note=""):
    arguments = {
        "X": np.asarray(X, dtype=float),
        "weights": params.weights,
        "means": params.means,
        "covariances": params.covariances,
    }
    return Case(name, arguments, note)


def _small_case():
    return _mixture_case(
        "one feature, two components, three points",
        [[-1.0], [1.0], [3.0]],
        MixtureParams([0.3, 0.7], [[0.0], [2.0]], [[[1.0]], [[4.0]]]),
        note="this case has K = 2 components and D = 1 feature, not the lesson's 3 and 2",
    )


def _iris_case():
    return _mixture_case(
        "Iris petals, three components",
        _iris_2d(),
        _iris_params(),
        note="the Iris components are tilted ellipses: Σ_k's off-diagonal entries matter",
    )


_FAR_POINT = (40.0, 40.0)

_FAR_WHY = (
    "the last point, (40, 40), is so far from every component that each "
    "π_k N(x|μ_k,Σ_k) underflows to 0.0 (components 1 and 2 share it: "
    "γ = 0.375 and 0.625)"
)

_FAR_NOTE = (
    f"{_FAR_WHY}. A small number added to avoid 0/0 or log(0) hides that but gives "
    "a wrong answer: work with logarithms and the log-sum-exp trick"
)

_LOG_SUM_EXP = (
    "Work with logarithms: a_ik = log π_k + log N(x_i|μ_k,Σ_k), take each row's own "
    "maximum m_i = max_k a_ik (a.max(axis=1, keepdims=True), not one maximum for the "
    "whole array) and exponentiate a_ik − m_i"
)


def _far_case():
    """Three round components; (3, 3) is as far from each, (40, 40) far from all."""
    return _mixture_case(
        "a point far from every component",
        [[0.0, 0.0], [6.0, 0.0], [0.0, 6.0], [3.0, 3.0], _FAR_POINT],
        MixtureParams([0.2, 0.3, 0.5], [[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]], [np.eye(2)] * 3),
        note=_FAR_NOTE,
    )


def _tiny_weight_case():
    """One feature; component 2 sits between the others with a weight of 1e-12."""
    return _mixture_case(
        "a component with a tiny weight (π_2 = 1e-12)",
        np.linspace(-1.0, 4.0, 11)[:, np.newaxis],
        MixtureParams(
            [0.5, 0.5 - 1e-12, 1e-12], [[0.0], [3.0], [1.5]], [[[1.0]], [[1.0]], [[0.25]]]
        ),
        note="component 2's weight is 1e-12, so its responsibilities are about 1e-12 "
        "and must still be right to 6 digits. A small number added to avoid log(0) "
        "or 0/0 (such as 1e-10) swamps them: leave such guards out; in log space "
        "none is needed",
    )


def _outlier_case():
    """One feature; only component 2, of weight 1e-12, explains the point x = 30."""
    return _mixture_case(
        "an outlier that only a component with a tiny weight explains (π_2 = 1e-12)",
        [[-1.0], [0.0], [1.0], [2.0], [3.0], [30.0]],
        MixtureParams(
            [0.3, 0.7 - 1e-12, 1e-12], [[0.0], [2.0], [30.0]], [[[1.0]], [[4.0]], [[1.0]]]
        ),
        note="log p(30) ≈ log π_2 + log N(30|μ_2,σ_2²) = log(1e-12) - 0.92: a small "
        "number added to the weights or densities to avoid log(0) (such as 1e-10) "
        "changes it completely; leave such guards out",
    )


def _e_step_cases():
    return [_small_case(), _iris_case(), _far_case(), _tiny_weight_case()]


def _log_likelihood_cases():
    return [_small_case(), _iris_case(), _far_case(), _outlier_case()]


def _m_step_cases():
    from ..datasets import load_iris_features

    iris = _iris_2d()
    soft = e_step(iris, _iris_params())
    width = load_iris_features(("petal width",)).X
    rng = np.random.default_rng(0)
    few = rng.dirichlet([1.0, 1.0], size=len(width)) * (1 - 1e-5)
    few = np.column_stack([few, np.full(len(width), 1e-5)])
    few /= few.sum(axis=1, keepdims=True)
    hard = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1]], dtype=float)
    return [
        Case(
            "one feature, hard responsibilities (0 or 1)",
            {"X": np.array([[0.0], [2.0], [10.0], [11.0], [12.0]]), "resp": hard},
            note="this case has K = 2 components and D = 1 feature, not the lesson's 3 and 2",
        ),
        Case(
            "Iris petals, soft responsibilities",
            {"X": iris, "resp": soft},
            note="every point counts for every component, weighted by γ_ik",
        ),
        Case(
            "a component with few points (N_2 ≈ 0.0015)",
            {"X": width, "resp": few},
            note="component 2 has N_2 ≈ 0.0015, so a small number added to N_k or to "
            "resp (a guard against dividing by 0, such as 1e-10) is not small next to "
            "it: leave such guards out",
        ),
    ]


# -- helpers for the mistakes: the terms a_ik = log pi_k + log N(x_i | mu_k, Sigma_k) -------


def _log_terms(X, weights, means, covariances, precision=None, half_log_det=0.5):
    """a_ik, optionally with a wrong precision matrix or log-determinant factor."""
    n_features = X.shape[1]
    terms = np.empty((len(X), len(weights)))
    for k, (mean, cov) in enumerate(zip(means, covariances, strict=True)):
        diff = X - mean
        inverse = np.linalg.inv(cov) if precision is None else precision(cov)
        mahalanobis_sq = np.einsum("ij,jk,ik->i", diff, inverse, diff)
        log_det = np.linalg.slogdet(cov)[1]
        terms[:, k] = (
            np.log(weights[k])
            - 0.5 * n_features * np.log(2 * np.pi)
            - half_log_det * log_det
            - 0.5 * mahalanobis_sq
        )
    return terms


def _logsumexp(a, axis=None):
    largest = np.max(a, axis=axis, keepdims=True)
    total = np.log(np.exp(a - largest).sum(axis=axis, keepdims=True)) + largest
    return total.squeeze() if axis is None else np.squeeze(total, axis=axis)


def _softmax_rows(a):
    return np.exp(a - _logsumexp(a, axis=1)[:, np.newaxis])


def _diagonal(covariances):
    return np.stack([np.diag(np.diag(c)) for c in covariances])


def _uniform(weights):
    return np.full(len(weights), 1.0 / len(weights))


# -- log-likelihood ------------------------------------------------------------


def _validate_number(got, expected, case):
    if got is None:
        return None, "your function returned None: did you forget `return`?"
    if isinstance(got, (str, bytes, MixtureParams)):
        return None, f"expected one number, got {type(got).__name__}"
    try:
        array = np.asarray(got)
        value = float(array.reshape(()))
    except (TypeError, ValueError):
        shape = np.shape(got) if isinstance(got, (np.ndarray, list, tuple)) else None
        if shape:
            n = case.arguments["X"].shape[0]
            extra = (
                f": one value per point; add them up (ℓ is the sum over the N = {n} points)"
                if shape in ((n,), (n, 1))
                else ""
            )
            return None, f"expected one number, got an array of shape {shape}{extra}"
        return None, f"expected one number, got {type(got).__name__}"
    if np.iscomplexobj(array):
        return None, "expected a real number, got a complex one"
    if not np.isfinite(value):
        message = f"got {value}, expected {expected:.6g}"
        if _has_far_point(case) and value == -np.inf:
            message += (
                f": {_FAR_WHY}, so log(0) = -inf. {_LOG_SUM_EXP}; then "
                "log p(x_i) = m_i + log Σ_k exp(a_ik − m_i)"
            )
        return None, message
    return value, None


def _compare_number(value, expected, case):
    if math.isclose(value, expected, rel_tol=LOG_LIKELIHOOD_RTOL, abs_tol=LOG_LIKELIHOOD_RTOL):
        return None
    return Difference(f"ℓ {_pair(value, expected)}")


def _ll_without_weights(X, weights, means, covariances):
    return _logsumexp(_log_terms(X, np.ones(len(weights)), means, covariances), axis=1).sum()


def _ll_terms(function):
    """A mistake computed from the terms a_ik."""
    return lambda X, weights, means, covariances: function(
        _log_terms(X, weights, means, covariances)
    )


def _ll_two_d_normaliser(X, weights, means, covariances):
    n, d = X.shape
    correct = _logsumexp(_log_terms(X, weights, means, covariances), axis=1).sum()
    return correct + n * (d / 2 - 1) * np.log(2 * np.pi)


def _ll_weighted_logs(X, weights, means, covariances):
    log_densities = _log_terms(X, np.ones(len(weights)), means, covariances)
    return (log_densities * weights).sum()


LOG_LIKELIHOOD_MISTAKES = (
    Mistake(
        "this is the value without the weights π_k: add log π_k to each "
        "log N(x_i|μ_k,Σ_k) (or multiply each density by π_k)",
        _ll_without_weights,
    ),
    Mistake(
        "this is the average over the points, ℓ/N (what scikit-learn's score() "
        "returns): ℓ(θ) is their sum",
        lambda *args: reference_log_likelihood(*args) / len(args[0]),
    ),
    Mistake(
        "you added up the logs of the K terms, Σ_k log(π_k N(x_i|μ_k,Σ_k)); ℓ takes the "
        "log of their sum, log Σ_k π_k N(x_i|μ_k,Σ_k): use log-sum-exp over k",
        _ll_terms(lambda a: a.sum()),
    ),
    Mistake(
        "you computed Σ_k π_k log N(x_i|μ_k,Σ_k), the weights outside the log; ℓ is "
        "log Σ_k π_k N(x_i|μ_k,Σ_k) (by Jensen's inequality the first is smaller)",
        _ll_weighted_logs,
    ),
    Mistake(
        "you subtracted each point's largest term m_i = max_k a_ik but did not add it "
        "back: log Σ_k exp(a_ik) = m_i + log Σ_k exp(a_ik − m_i)",
        _ll_terms(lambda a: np.log(np.exp(a - a.max(axis=1, keepdims=True)).sum(axis=1)).sum()),
    ),
    Mistake(
        "this is Σ_i max_k a_ik, each point's largest term only: add "
        "log Σ_k exp(a_ik − m_i) to each point's maximum m_i",
        _ll_terms(lambda a: a.max(axis=1).sum()),
    ),
    Mistake(
        "you took log-sum-exp over the points (axis=0) for each component; ℓ takes it "
        "over the components k (axis=1) for each point, then adds up the N results",
        _ll_terms(lambda a: _logsumexp(a, axis=0).sum()),
    ),
    Mistake(
        "one log-sum-exp over all points and components together gives log Σ_i p(x_i); "
        "take it over k for each point (axis=1), then add up the N results",
        _ll_terms(lambda a: _logsumexp(a)),
    ),
    Mistake(
        "check the sign: ℓ is a sum of logs of densities", lambda *a: -reference_log_likelihood(*a)
    ),
    Mistake(
        "this is log base 10: use the natural logarithm, np.log",
        lambda *args: reference_log_likelihood(*args) / np.log(10.0),
    ),
    Mistake(
        "this is the likelihood L = Π_i p(x_i) itself; ℓ is its logarithm, "
        "computed as a sum of logs (the product underflows)",
        lambda *args: np.exp(reference_log_likelihood(*args)),
    ),
    Mistake(
        "your Gaussian's normalising factor is 1/(2π √det Σ_k), right for D = 2 only: "
        "in D dimensions it is 1/((2π)^(D/2) √det Σ_k), and this case has D = 1",
        _ll_two_d_normaliser,
    ),
    Mistake(
        "this is the value for diagonal covariances: your density ignores the off-diagonal "
        "entries of Σ_k; use the full (x_i − μ_k)ᵀ Σ_k⁻¹ (x_i − μ_k), e.g. through "
        "gmmlab.log_gaussian_pdf",
        lambda X, w, m, c: reference_log_likelihood(X, w, m, _diagonal(c)),
    ),
)


check_log_likelihood = Checker(
    "check_log_likelihood",
    exercise="my_log_likelihood",
    reference=reference_log_likelihood,
    what="your log-likelihood",
    compared_with="gmmlab.log_likelihood",
    reference_label="gmmlab's reference log-likelihood",
    cases=_log_likelihood_cases,
    validate=_validate_number,
    compare=_compare_number,
    mistakes=LOG_LIKELIHOOD_MISTAKES,
    doc=r"""Check a learner's log-likelihood against :func:`gmmlab.log_likelihood`.

    .. math::

        \ell(\theta) = \sum_{i=1}^{N} \log \sum_{k=1}^{K}
                       \pi_k\,\mathcal{N}(x_i \mid \mu_k, \Sigma_k)

    Parameters
    ----------
    function : callable
        ``my_log_likelihood(X, weights, means, covariances)`` returning
        :math:`\ell(\theta)`, one number; X is (N, D), weights (K,), means
        (K, D), covariances (K, D, D).

    Returns
    -------
    Feedback
        Shows as a report; ``bool(feedback)`` is True when every case passes.

    Raises
    ------
    TypeError
        If ``function`` is not callable (e.g. the result of calling it).
    """,
)


# -- E-step --------------------------------------------------------------------


def _validate_resp(got, expected, case):
    resp, problem = _as_float_array(got, "resp")
    if problem:
        return None, problem
    n, k = expected.shape
    if resp.shape != expected.shape:
        hint = ""
        if resp.shape == (k, n):
            hint = ": it looks transposed; rows are points, columns components"
        elif resp.shape == (n,):
            hint = ": one number per point; return all K responsibilities of each point"
        return (
            None,
            f"expected an array of shape (N, K) = {expected.shape}, got {resp.shape}{hint}",
        )
    bad = ~np.isfinite(resp)
    if bad.any():
        i = int(np.argwhere(bad)[0][0])
        message = f"row {i} (point {_point(case, i)}) contains NaN or inf"
        if tuple(case.arguments["X"][i]) == _FAR_POINT:
            message += (
                f": {_FAR_WHY}, so a direct ratio is 0/0. {_LOG_SUM_EXP}, then divide "
                "each row by its sum"
            )
        return None, message
    if (resp < 0).any():
        i, j = (int(v) for v in np.argwhere(resp < 0)[0])
        return (
            None,
            f"γ[{i}, {j}] = {resp[i, j]:.3g} is negative; responsibilities are probabilities",
        )
    return resp, None


def _compare_resp(resp, expected, case):
    sums, expected_sums = resp.sum(axis=1), expected.sum(axis=1)
    off = np.abs(sums - expected_sums) > RTOL
    if off.any():
        i = int(np.flatnonzero(off)[0])
        target = "1" if abs(expected_sums[i] - 1) < RTOL else _sum_text(expected_sums[i])
        far = tuple(case.arguments["X"][i]) == _FAR_POINT
        return Difference(
            f"row {i} (point {_point(case, i)}) sums to {_sum_text(sums[i])}, not {target}",
            hint=""
            if far
            else "a row holds one point's memberships: divide each "
            "π_k N(x_i|μ_k,Σ_k) by the row's total Σ_j π_j N(x_i|μ_j,Σ_j)",
        )
    # each component's responsibilities count relative to its own largest one: a
    # component of weight 1e-12 has responsibilities near 1e-12 that must still be right
    scale = np.maximum(np.abs(expected).max(axis=0), 1e-300)
    error = np.abs(resp - expected) / (RTOL * np.abs(expected) + 1e-8 * scale)
    if (error <= 1).all():
        return None
    i, j = np.unravel_index(np.argmax(error), error.shape)
    return Difference(
        f"γ[{i}, {j}] (point {_point(case, i)}, component {j}) {_pair(resp[i, j], expected[i, j])}"
    )


def _e_terms(**options):
    return lambda X, weights, means, covariances: _softmax_rows(
        _log_terms(X, weights, means, covariances, **options)
    )


E_STEP_MISTAKES = (
    Mistake(
        "these are the responsibilities without the weights: multiply each "
        "N(x_i|μ_k,Σ_k) by π_k (in logs, add log π_k)",
        lambda X, w, m, c: reference_e_step(X, _uniform(w), m, c),
    ),
    Mistake(
        "each row's largest value is exactly 1: you subtracted the row's maximum and "
        "exponentiated, now divide each row by its sum",
        lambda X, w, m, c: np.exp(
            _log_terms(X, w, m, c) - _log_terms(X, w, m, c).max(axis=1, keepdims=True)
        ),
    ),
    Mistake(
        "these rows hold π_k N(x_i|μ_k,Σ_k) themselves: divide each row by its sum "
        "Σ_j π_j N(x_i|μ_j,Σ_j)",
        lambda X, w, m, c: np.exp(_log_terms(X, w, m, c)),
    ),
    Mistake(
        "each column sums to 1: you normalised over the points (axis=0); normalise each "
        "row instead, dividing by its sum over the components (axis=1, keepdims=True)",
        lambda X, w, m, c: np.exp(
            _log_terms(X, w, m, c) - _logsumexp(_log_terms(X, w, m, c), axis=0)
        ),
    ),
    Mistake(
        "these are the responsibilities for diagonal covariances: your density ignores "
        "the off-diagonal entries of Σ_k (how the features vary together); use the full "
        "(x_i − μ_k)ᵀ Σ_k⁻¹ (x_i − μ_k), e.g. through gmmlab.log_gaussian_pdf",
        lambda X, w, m, c: reference_e_step(X, w, m, _diagonal(c)),
    ),
    Mistake(
        "your distance uses Σ_k where it needs its inverse: (x_i − μ_k)ᵀ Σ_k⁻¹ (x_i − μ_k)",
        _e_terms(precision=lambda cov: cov),
    ),
    Mistake(
        "your normalising factor divides by det Σ_k where it needs its square root, √det Σ_k",
        _e_terms(half_log_det=1.0),
    ),
    Mistake(
        "the columns are in the wrong order: column k is component k",
        lambda *args: reference_e_step(*args)[:, ::-1],
    ),
)


check_e_step = Checker(
    "check_e_step",
    exercise="my_e_step",
    reference=reference_e_step,
    what="your E-step",
    compared_with="gmmlab.e_step",
    reference_label="gmmlab's reference E-step",
    cases=_e_step_cases,
    validate=_validate_resp,
    compare=_compare_resp,
    mistakes=E_STEP_MISTAKES,
    doc=r"""Check a learner's E-step against :func:`gmmlab.e_step`.

    .. math::

        \gamma_{ik} = \frac{\pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}
                           {\sum_{j=1}^{K} \pi_j \, \mathcal{N}(x_i \mid \mu_j, \Sigma_j)}

    Parameters
    ----------
    function : callable
        ``my_e_step(X, weights, means, covariances)`` returning the (N, K)
        responsibilities :math:`\gamma_{ik}`; X is (N, D), weights (K,),
        means (K, D), covariances (K, D, D).

    Returns
    -------
    Feedback
        Shows as a report; ``bool(feedback)`` is True when every case passes.

    Raises
    ------
    TypeError
        If ``function`` is not callable (e.g. the result of calling it).
    """,
)


# -- M-step --------------------------------------------------------------------

_PARTS = ("weights", "means", "covariances")


def _m_step_sizes(case):
    """D, K and the N_k of an M-step case: from X and resp, or from the sums."""
    arguments = case.arguments
    if "resp" in arguments:
        resp = arguments["resp"]
        return arguments["X"].shape[1], resp.shape[1], resp.sum(axis=0)
    nk = np.asarray(arguments["nk"], dtype=float)
    return np.shape(arguments["sum_x"])[1], len(nk), nk


def _validate_params(got, expected, case):
    """validate() of the M-step's tuple (weights, means, covariances), for both exercises."""
    d, k, nk = _m_step_sizes(case)
    from_sums = "resp" not in case.arguments
    if isinstance(got, MixtureParams):
        unpacked = (
            "the cells below unpack `weights, means, covariances = "
            "my_m_step_from_sums(nk, sum_x, sum_xxT)`"
            if from_sums
            else "the lesson's loop unpacks `weights, means, covariances = my_m_step(X, resp)`"
        )
        return None, (
            f"your function returned a gmmlab.MixtureParams, but {unpacked}: end with "
            "`return weights, means, covariances` (from a MixtureParams p: "
            "`return p.weights, p.means, p.covariances`)"
        )
    if got is None:
        return None, "your function returned None: end with `return weights, means, covariances`"
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        what = (
            f"a {type(got).__name__} of {len(got)}"
            if isinstance(got, (tuple, list))
            else f"{type(got).__name__}"
        )
        return None, (
            f"expected the tuple (weights, means, covariances), got {what}: end with "
            "`return weights, means, covariances`"
        )
    shapes = {"weights": (k,), "means": (k, d), "covariances": (k, d, d)}
    arrays = []
    for name, value in zip(_PARTS, got, strict=True):
        array, problem = _as_float_array(value, name)
        if problem:
            return None, problem.replace("your function returned None", f"{name} is None")
        arrays.append(array)
    got_shapes = [array.shape for array in arrays]
    if got_shapes != list(shapes.values()) and sorted(got_shapes) == sorted(shapes.values()):
        order = ", ".join(_PARTS[list(shapes.values()).index(s)] for s in got_shapes)
        return None, (
            f"the shapes say you returned ({order}): "
            "return them in the order weights, means, covariances"
        )
    for name, array in zip(_PARTS, arrays, strict=True):
        expected_shape = shapes[name]
        if array.shape == expected_shape:
            continue
        hint = ""
        if name == "weights" and array.shape in ((1, k), (k, 1)):
            hint = ": sum over the points without keepdims (or flatten with .ravel())"
        elif name == "means" and array.shape == (d, k):
            hint = (
                ": it looks transposed (one column per component); divide each row of sum_x "
                "by its N_k: sum_x / nk[:, np.newaxis]"
                if from_sums
                else ": it looks transposed (one column per component); use resp.T @ X"
            )
        elif name == "means" and from_sums and array.shape == (k, k):
            hint = (
                ": divide each row of sum_x by its own N_k, sum_x / nk[:, np.newaxis] "
                "(sum_x / nk divides column j by N_j)"
            )
        elif name == "covariances" and from_sums and array.ndim == 3:
            hint = (
                ": μ_k μ_kᵀ is one D x D outer product per component, shaped like "
                "Σ_i γ_ik x_i x_iᵀ: means[:, :, np.newaxis] * means[:, np.newaxis, :] "
                "(or np.outer(means[k], means[k]) for each k)"
            )
        elif name == "covariances" and d == 1 and array.shape == (k,):
            hint = (
                ": with one feature np.cov returns a single number; keep each covariance "
                "a D x D matrix (np.atleast_2d, or the outer-product formula)"
            )
        elif name == "covariances" and array.shape == (k, d):
            hint = ": one full D x D matrix per component, not only its diagonal"
        elif name == "covariances" and array.shape == (d, d):
            hint = ": one D x D matrix per component, stacked into shape (K, D, D)"
        return None, (
            f"{name} should have shape {expected_shape} (K = {k}, D = {d}), "
            f"got {array.shape}{hint}"
        )
    for name, array in zip(_PARTS, arrays, strict=True):
        bad = ~np.isfinite(array)
        if bad.any():
            j = int(np.argwhere(bad)[0][0])
            why = (
                "check each division: every N_k of this case is above 0"
                if from_sums
                else "Every point counts for every component, weighted by γ_ik; an "
                "average over the points whose largest γ is k can be empty"
            )
            return None, (
                f"{name}[{j}] contains NaN or inf (this case has N_{j} = {nk[j]:.2g}): "
                f"a 0/0? {why}"
            )
    return tuple(arrays), None


def _compare_params(got, expected, case):
    for part, (name, value, target) in enumerate(zip(_PARTS, got, expected, strict=True)):
        scale = max(np.abs(target).max(), 1e-300)
        error = np.abs(value - target) / (M_STEP_RTOL * np.abs(target) + 1e-12 * scale)
        if (error <= 1).all():
            continue
        where = np.unravel_index(np.argmax(error), error.shape)
        index = ", ".join(str(int(i)) for i in where)
        label = f"{name}[{where[0]}]" if len(where) == 1 else f"{name}[{index}]"
        if name == "means":
            label = f"mean of component {where[0]}, entry {where[1]},"
        elif name == "covariances":
            label = f"covariance of component {where[0]}, entry [{where[1]}, {where[2]}],"
        return Difference(f"{label} {_pair(value[where], target[where])}", part)
    return None


def _m_parts(weights=None, means=None, covariances=None):
    """A mistake that changes some parts of the reference M-step's answer."""

    def returns(X, resp):
        right = reference_m_step(X, resp)
        nk = resp.sum(axis=0)
        changed = {"weights": weights, "means": means, "covariances": covariances}
        return tuple(
            right[i] if changed[name] is None else changed[name](X, resp, nk, *right)
            for i, name in enumerate(_PARTS)
        )

    return returns


def _scatter(X, resp, means, power=1.0):
    """Σ_i γ_ik^power (x_i − μ_k)(x_i − μ_k)ᵀ for each k."""
    return np.stack(
        [
            (resp[:, k, None] ** power * (X - means[k])).T @ (X - means[k])
            for k in range(resp.shape[1])
        ]
    )


def _np_cov_default(X, resp, nk, weights, means, covariances):
    """np.cov(X.T, aweights=resp[:, k]): divides by N_k - sum(gamma^2) / N_k."""
    correction = nk / (nk - (resp**2).sum(axis=0) / nk)
    return covariances * correction[:, None, None]


def _hard_means(X, resp, nk, weights, means, covariances):
    labels = resp.argmax(axis=1)
    return np.stack([X[labels == k].mean(axis=0) for k in range(resp.shape[1])])


M_STEP_MISTAKES = (
    Mistake(
        "these are the N_k; divide them by N to get π_k = N_k / N",
        _m_parts(weights=lambda X, resp, nk, *right: nk),
    ),
    Mistake(
        "these are the shares of the points whose largest γ is k (hard counts): "
        "π_k = N_k / N with N_k = Σ_i γ_ik, the sum of the soft responsibilities",
        _m_parts(
            weights=lambda X, resp, nk, *right: (
                np.bincount(resp.argmax(axis=1), minlength=resp.shape[1]) / len(X)
            )
        ),
    ),
    Mistake(
        "divide the weighted sum Σ_i γ_ik x_i by N_k, not by N",
        _m_parts(means=lambda X, resp, nk, *right: resp.T @ X / len(X)),
    ),
    Mistake(
        "every mean equals the plain average of X: weight each x_i by γ_ik",
        _m_parts(means=lambda X, resp, nk, *right: np.tile(X.mean(axis=0), (len(nk), 1))),
    ),
    Mistake(
        "these are the averages of the points whose largest γ is k (hard groups): the "
        "M-step weights every point by γ_ik, including those another component wins",
        _m_parts(means=_hard_means),
    ),
    Mistake(
        "divide by N_k, not by N",
        _m_parts(covariances=lambda X, resp, nk, w, m, c: c * (nk / len(X))[:, None, None]),
    ),
    Mistake(
        "the diagonal is right but not the off-diagonal entries: use the outer product "
        "(x_i − μ_k)(x_i − μ_k)ᵀ, a D x D matrix, not only the variances of each feature",
        _m_parts(covariances=lambda X, resp, nk, w, m, c: _diagonal(c)),
    ),
    Mistake(
        "that is reg_covar = 1e-6 added to the diagonal (what gmmlab.m_step does by "
        "default): leave it out, the checker compares the plain formula; the lesson's "
        "loop adds reg_covar itself",
        _m_parts(covariances=lambda X, resp, nk, w, m, c: c + 1e-6 * np.eye(X.shape[1])),
    ),
    Mistake(
        "every component got the covariance of all the points, np.cov without weights: "
        "pass aweights=resp[:, k] and bias=True",
        _m_parts(
            covariances=lambda X, resp, nk, w, m, c: np.tile(
                np.atleast_2d(np.cov(X.T)), (len(nk), 1, 1)
            )
        ),
    ),
    Mistake(
        "np.cov divides by N_k − Σ_i γ_ik²/N_k by default (its ddof=1 correction), the "
        "M-step by N_k: pass bias=True",
        _m_parts(covariances=_np_cov_default),
    ),
    Mistake(
        "each offset is weighted by γ_ik twice (γ_ik² in the sum): multiply by γ_ik on "
        "one side of the outer product only",
        _m_parts(
            covariances=lambda X, resp, nk, w, m, c: _scatter(X, resp, m, 2.0) / nk[:, None, None]
        ),
    ),
    Mistake(
        "these are offsets from the plain average of X: use the component's new mean μ_k",
        _m_parts(
            covariances=lambda X, resp, nk, w, m, c: (
                _scatter(X, resp, np.tile(X.mean(axis=0), (len(nk), 1))) / nk[:, None, None]
            )
        ),
    ),
)


check_m_step = Checker(
    "check_m_step",
    exercise="my_m_step",
    reference=reference_m_step,
    what="your M-step",
    compared_with="gmmlab.m_step",
    reference_label="gmmlab's reference M-step",
    cases=_m_step_cases,
    validate=_validate_params,
    compare=_compare_params,
    mistakes=M_STEP_MISTAKES,
    doc=r"""Check a learner's M-step against :func:`gmmlab.m_step` with ``reg_covar=0``.

    .. math::

        N_k = \sum_{i=1}^{N} \gamma_{ik}, \quad \pi_k = \frac{N_k}{N}, \quad
        \mu_k = \frac{1}{N_k} \sum_{i=1}^{N} \gamma_{ik}\, x_i, \quad
        \Sigma_k = \frac{1}{N_k} \sum_{i=1}^{N} \gamma_{ik} (x_i - \mu_k)(x_i - \mu_k)^\top

    Parameters
    ----------
    function : callable
        ``my_m_step(X, resp)`` returning the tuple ``(weights, means,
        covariances)`` with shapes (K,), (K, D), (K, D, D); X is (N, D),
        resp (N, K).

    Returns
    -------
    Feedback
        Shows as a report; ``bool(feedback)`` is True when every case passes.

    Raises
    ------
    TypeError
        If ``function`` is not callable (e.g. the result of calling it).
    """,
)


# -- the M-step from the three sums ----------------------------------------------------


def reference_m_step_from_sums(nk, sum_x, sum_xxT):
    r"""gmmlab's M-step from the three sums, called as the lesson 12 exercise is.

    .. math::

        \pi_k = \frac{N_k}{N}, \quad N = \sum_k N_k, \qquad
        \mu_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i, \qquad
        \Sigma_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i x_i^\top - \mu_k \mu_k^\top

    without ``reg_covar``: :func:`gmmlab.params_from_statistics` with ``reg_covar=0``
    computes the same from statistics kept in centred form.

    Parameters
    ----------
    nk : array-like of shape (K,)
        :math:`N_k = \sum_i \gamma_{ik}`, each > 0.
    sum_x : array-like of shape (K, D)
        :math:`\sum_i \gamma_{ik} x_i`, one row per component.
    sum_xxT : array-like of shape (K, D, D)
        :math:`\sum_i \gamma_{ik} x_i x_i^\top`, one D x D matrix per component.

    Returns
    -------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, D)
    covariances : ndarray of shape (K, D, D)

    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    ValueError
        If the shapes disagree, a value is NaN or infinite, or an N_k is not > 0
        (the message names the argument).

    Examples
    --------
    >>> # the points 0 and 2 (component 0), 10, 11 and 12 (component 1)
    >>> weights, means, covariances = reference_m_step_from_sums(
    ...     [2.0, 3.0], [[2.0], [33.0]], [[[4.0]], [[365.0]]])
    >>> weights.tolist(), means.ravel().tolist(), covariances.ravel().round(4).tolist()
    ([0.4, 0.6], [1.0, 11.0], [1.0, 0.6667])
    """
    from .._validation import as_float_array, check_finite

    nk = as_float_array(nk, "nk")
    sum_x = as_float_array(sum_x, "sum_x")
    sum_xxT = as_float_array(sum_xxT, "sum_xxT")
    if nk.ndim != 1 or nk.size == 0:
        raise ValueError(f"nk must be a 1-D array of K >= 1 numbers, got shape {nk.shape}")
    k = nk.shape[0]
    if sum_x.ndim != 2 or sum_x.shape[0] != k or sum_x.shape[1] == 0:
        raise ValueError(f"sum_x must have shape (K, D) with K = {k}, got shape {sum_x.shape}")
    d = sum_x.shape[1]
    if sum_xxT.shape != (k, d, d):
        raise ValueError(
            f"sum_xxT must have shape (K, D, D) = {(k, d, d)}, got shape {sum_xxT.shape}"
        )
    for name, value in (("nk", nk), ("sum_x", sum_x), ("sum_xxT", sum_xxT)):
        check_finite(value, name)
    if (nk <= 0).any():
        j = int(np.flatnonzero(nk <= 0)[0])
        raise ValueError(
            f"nk must be > 0 for every component (a mean needs points); nk[{j}] = {nk[j]}"
        )
    means = sum_x / nk[:, np.newaxis]
    outer = means[:, :, np.newaxis] * means[:, np.newaxis, :]  # mu_k mu_k^T
    covariances = sum_xxT / nk[:, np.newaxis, np.newaxis] - outer
    return nk / nk.sum(), means, covariances


def _sums_case(name, X, resp, note):
    from ..statistics import sufficient_statistics

    statistics = sufficient_statistics(X, resp)
    arguments = {"nk": statistics.nk, "sum_x": statistics.sum_x, "sum_xxT": statistics.sum_xxT}
    return Case(name, arguments, note)


def _m_step_from_sums_cases():
    """The M-step exercise's cases, each reduced to its three sums."""
    hard, iris, few = _m_step_cases()
    return [
        _sums_case(
            "one feature, two components: the sums of five points",
            *hard.arguments.values(),
            note="this case has K = 2 components and D = 1 feature, not the lesson's 3 and 2",
        ),
        _sums_case(
            "Iris petals, soft responsibilities",
            *iris.arguments.values(),
            note="the Iris components are tilted ellipses: Σ_k's off-diagonal entries matter",
        ),
        _sums_case(
            "a component with few points (N_2 ≈ 0.0015)",
            *few.arguments.values(),
            note=few.note,
        ),
    ]


def _sums_parts(weights=None, means=None, covariances=None):
    """A mistake that changes some parts of the reference answer, from (nk, sum_x, sum_xxT)."""

    def returns(nk, sum_x, sum_xxT):
        right = reference_m_step_from_sums(nk, sum_x, sum_xxT)
        changed = {"weights": weights, "means": means, "covariances": covariances}
        return tuple(
            right[i] if changed[name] is None else changed[name](nk, sum_x, sum_xxT, *right)
            for i, name in enumerate(_PARTS)
        )

    return returns


def _outer(vectors):
    """v_k v_k^T for each row v_k, shape (K, D, D)."""
    return vectors[:, :, np.newaxis] * vectors[:, np.newaxis, :]


M_STEP_FROM_SUMS_MISTAKES = (
    Mistake(
        "these are the N_k; divide them by N = Σ_k N_k (nk.sum()) to get π_k = N_k / N",
        _sums_parts(weights=lambda nk, *rest: nk),
    ),
    Mistake(
        "len(nk) is K, the number of components; N, the number of points, is "
        "Σ_k N_k = nk.sum(): π_k = N_k / N",
        _sums_parts(weights=lambda nk, *rest: nk / len(nk)),
    ),
    Mistake(
        "divide Σ_i γ_ik x_i by N_k (nk[:, np.newaxis]), not by N",
        _sums_parts(means=lambda nk, sum_x, *rest: sum_x / nk.sum()),
    ),
    Mistake(
        "these are the sums Σ_i γ_ik x_i themselves: divide each row by its N_k to get μ_k",
        _sums_parts(means=lambda nk, sum_x, *rest: sum_x),
    ),
    Mistake(
        "this is (1/N_k) Σ_i γ_ik x_i x_iᵀ, the spread about the origin: subtract "
        "μ_k μ_kᵀ to get the spread about the mean μ_k",
        _sums_parts(covariances=lambda nk, sum_x, sum_xxT, *rest: sum_xxT / nk[:, None, None]),
    ),
    Mistake(
        "divide Σ_i γ_ik x_i x_iᵀ by N_k, not by N",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, w, m, c: sum_xxT / nk.sum() - _outer(m)
        ),
    ),
    Mistake(
        "subtract μ_k μ_kᵀ after dividing by N_k: Σ_k = (1/N_k) Σ_i γ_ik x_i x_iᵀ − μ_k μ_kᵀ "
        "(or subtract N_k μ_k μ_kᵀ before you divide)",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, w, m, c: (
                (sum_xxT - _outer(m)) / nk[:, None, None]
            )
        ),
    ),
    Mistake(
        "(Σ_i γ_ik x_i)(Σ_i γ_ik x_i)ᵀ is N_k² μ_k μ_kᵀ: divide it by N_k twice (or use "
        "μ_k μ_kᵀ)",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, *rest: (
                (sum_xxT - _outer(sum_x)) / nk[:, None, None]
            )
        ),
    ),
    Mistake(
        "the diagonal is right but not the off-diagonal entries: μ_k μ_kᵀ is an outer "
        "product, a D x D matrix (np.outer(μ_k, μ_k)), not only the squares μ_k² on the "
        "diagonal",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, w, m, c: (
                sum_xxT / nk[:, None, None] - _diagonal(_outer(m))
            )
        ),
    ),
    Mistake(
        "this divides by N_k − 1, as the unbiased sample covariance does; the M-step's "
        "maximum-likelihood covariance divides by N_k",
        _sums_parts(
            covariances=lambda nk, sum_x, sum_xxT, w, m, c: (
                (sum_xxT - nk[:, None, None] * _outer(m)) / (nk - 1)[:, None, None]
            )
        ),
    ),
    Mistake(
        "that is reg_covar = 1e-6 added to the diagonal (what gmmlab.params_from_statistics "
        "does by default): leave it out, the checker compares the plain formula",
        _sums_parts(covariances=lambda nk, sx, sxx, w, m, c: c + 1e-6 * np.eye(m.shape[1])),
    ),
    Mistake(
        "check the sign: Σ_k = (1/N_k) Σ_i γ_ik x_i x_iᵀ − μ_k μ_kᵀ, whose diagonal (the "
        "variances) is positive",
        _sums_parts(covariances=lambda nk, sum_x, sum_xxT, w, m, c: -c),
    ),
)


check_m_step_from_sums = Checker(
    "check_m_step_from_sums",
    exercise="my_m_step_from_sums",
    reference=reference_m_step_from_sums,
    what="your M-step from the three sums",
    compared_with="gmmlab.params_from_statistics",
    reference_label="gmmlab's reference M-step from the sums",
    cases=_m_step_from_sums_cases,
    validate=_validate_params,
    compare=_compare_params,
    mistakes=M_STEP_FROM_SUMS_MISTAKES,
    error_hints=(
        (
            ValueError,
            r"could not be broadcast together with shapes \(\d+,\d+,\d+\) \(\d+,\d+\)",
            "Σ_i γ_ik x_i x_iᵀ is (K, D, D) and this term is (K, D): μ_k μ_kᵀ is one D x D "
            "outer product per component, means[:, :, np.newaxis] * means[:, np.newaxis, :]",
        ),
        (
            ValueError,
            r"could not be broadcast together with shapes \(\d+,\d+\) \(\d+,\)",
            "sum_x is (K, D) and nk is (K,): divide each row of sum_x by its own N_k, "
            "sum_x / nk[:, np.newaxis]",
        ),
    ),
    doc=r"""Check a learner's M-step from the three sums against
    :func:`gmmlab.params_from_statistics` with ``reg_covar=0``.

    .. math::

        \pi_k = \frac{N_k}{N}, \quad \mu_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i, \quad
        \Sigma_k = \frac{1}{N_k} \sum_i \gamma_{ik}\, x_i x_i^\top - \mu_k \mu_k^\top

    Parameters
    ----------
    function : callable
        ``my_m_step_from_sums(nk, sum_x, sum_xxT)`` returning the tuple ``(weights,
        means, covariances)`` with shapes (K,), (K, D), (K, D, D); nk is (K,), sum_x
        (K, D), sum_xxT (K, D, D).

    Returns
    -------
    Feedback
        Shows as a report; ``bool(feedback)`` is True when every case passes.

    Raises
    ------
    TypeError
        If ``function`` is not callable (e.g. the result of calling it).
    """,
)


# -- anomalies -------------------------------------------------------------------


def reference_anomalies(X_train, X_new, weights, means, covariances, percent):
    r"""gmmlab's anomaly rule, called as the lesson 11 exercise is.

    .. math::

        \tau_q = \operatorname{percentile}_q \{\log p(x_i) : x_i \in X_{\text{train}}\},
        \qquad \text{flag } x \in X_{\text{new}} \iff \log p(x) < \tau_q

    with :math:`p(x) = \sum_k \pi_k \mathcal{N}(x \mid \mu_k, \Sigma_k)` and NumPy's default
    (linear) percentile.

    Parameters
    ----------
    X_train : array-like of shape (N, D)
        The points the mixture was fitted to: the threshold comes from them.
    X_new : array-like of shape (M, D)
        The points to judge.
    weights : array-like of shape (K,)
    means : array-like of shape (K, D)
    covariances : array-like of shape (K, D, D)
    percent : float
        :math:`q`, from 0 to 100.

    Returns
    -------
    flags : ndarray of bool, shape (M,)

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (the message names it), as for
        :class:`gmmlab.MixtureParams` and :func:`gmmlab.anomaly_threshold`.

    Examples
    --------
    >>> reference_anomalies([[0.0], [1.0], [2.0]], [[0.5], [4.0]], [1.0], [[0.0]], [[[1.0]]], 50)
    array([False,  True])
    """
    params = MixtureParams(weights, means, covariances)
    return flag_anomalies(X_new, params, anomaly_threshold(X_train, params, float(percent)))


def _anomaly_case(name, X_train, X_new, params, percent, note=""):
    X_train = np.asarray(X_train, dtype=float)
    arguments = {
        "X_train": X_train,
        "X_new": X_train if X_new is None else np.asarray(X_new, dtype=float),
        "weights": params.weights,
        "means": params.means,
        "covariances": params.covariances,
        "percent": float(percent),
    }
    return Case(name, arguments, note)


def _anomaly_cases():
    rng = np.random.default_rng(11)
    # two groups and, at 2.4, a point between them: both components explain it a little
    two = np.array([-2.3, -1.5, -1.0, -0.6, -0.2, 0.0, 0.3, 0.7, 1.1, 1.6, 2.4,
                    3.3, 3.9, 4.4, 4.8, 5.0, 5.3, 5.8, 6.4, 7.2])[:, np.newaxis]  # fmt: skip
    means = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    blobs = np.concatenate([rng.normal(mean, 1.0, (20, 2)) for mean in means])
    new = [[0.3, -0.2], [5.6, 0.4], [-0.5, 6.2], [1.0, 0.8], [6.4, -0.9],
           [3.0, 3.0], [10.0, 10.0], [-4.0, 2.0]]  # fmt: skip
    small = np.concatenate(
        [rng.normal(0.0, 1.0, 30), rng.normal(4.0, 1.0, 18), [7.9, 8.3]]
    )[:, np.newaxis]
    return [
        _anomaly_case(
            "one feature, two components (X_new = X_train)",
            two,
            None,
            MixtureParams([0.5, 0.5], [[0.0], [5.0]], [[[1.0]], [[0.81]]]),
            10,
            note="this case has K = 2 components and D = 1 feature, not the lesson's sizes; "
            "the point x = 2.4 lies between them, where p(x) adds up both components' terms",
        ),
        _anomaly_case(
            "new points unlike the training points (3 of 8 far from every component)",
            blobs,
            new,
            MixtureParams(np.full(3, 1 / 3), means, [np.eye(2)] * 3),
            5,
            note="X_new differs from X_train here: the threshold comes from X_train's "
            "log-densities, the flags are for X_new's points",
        ),
        _anomaly_case(
            "a component with a small weight (π_2 = 0.04, X_new = X_train)",
            small,
            None,
            MixtureParams([0.6, 0.36, 0.04], [[0.0], [4.0], [8.0]], [[[1.0]]] * 3),
            10,
            note="the two points near x = 8 belong to component 2, whose weight is only 0.04: "
            "log p(x) = log Σ_k π_k N(x|μ_k,Σ_k) includes the weights",
        ),
        _anomaly_case(
            "Iris petals, tilted components (X_new = X_train)",
            _iris_2d(),
            None,
            _iris_params(),
            5,
            note="the Iris components are tilted ellipses: Σ_k's off-diagonal entries matter",
        ),
    ]


def _log_p(X, weights, means, covariances, **options):
    """log p(x_i) from the terms a_ik (with a mistake's options), by log-sum-exp."""
    return _logsumexp(_log_terms(np.asarray(X, float), weights, means, covariances, **options), 1)


def _flags_with(log_p=None, threshold=None, compare=None):
    """A mistake: the anomaly rule with some of its parts replaced.

    ``log_p(X, weights, means, covariances)`` scores points, ``threshold(scores_train,
    scores_new, percent)`` sets the threshold, ``compare(scores, threshold)`` flags.
    """
    log_p = log_p or _log_p
    threshold = threshold or (lambda train, new, percent: np.percentile(train, percent))
    compare = compare or (lambda scores, tau: scores < tau)

    def returns(X_train, X_new, weights, means, covariances, percent):
        train = log_p(X_train, weights, means, covariances)
        new = log_p(X_new, weights, means, covariances)
        return compare(new, threshold(train, new, float(percent)))

    return returns


def _nearest_mean_score(X, weights, means, covariances):
    """Minus the Euclidean distance to the nearest mean (higher: more typical)."""
    X = np.asarray(X, float)
    return -np.sqrt(((X[:, None, :] - np.asarray(means)[None]) ** 2).sum(axis=2)).min(axis=1)


ANOMALY_MISTAKES = (
    Mistake(
        "your threshold comes from X_new's own log-densities, so it flags about percent% of "
        "X_new whatever X_new holds: take the percentile of log p over X_train (the data the "
        "mixture was fitted to), then judge X_new against it; new data may hold many "
        "anomalies, or none",
        _flags_with(threshold=lambda train, new, percent: np.percentile(new, percent)),
    ),
    Mistake(
        "you flagged the points above the threshold: anomalies are the points of low "
        "density, log p(x) < τ",
        _flags_with(compare=lambda scores, tau: scores > tau),
    ),
    Mistake(
        "your threshold is the (100 − percent)-th percentile, the high end: flag the "
        "lowest percent% of log-densities, np.percentile(log_p_train, percent)",
        _flags_with(threshold=lambda train, new, percent: np.percentile(train, 100 - percent)),
    ),
    Mistake(
        "np.percentile takes percent from 0 to 100 as it is (10 means 10%); dividing it by "
        "100 gives the 0.1th percentile, which flags almost nothing",
        _flags_with(threshold=lambda train, new, percent: np.percentile(train, percent / 100)),
    ),
    Mistake(
        "your threshold is a value of the sorted log-densities (index int(N · percent / 100)); "
        "np.percentile interpolates between the two values around position (N − 1) · "
        "percent / 100: use np.percentile(log_p_train, percent)",
        _flags_with(
            threshold=lambda train, new, percent: np.sort(train)[int(len(train) * percent / 100)]
        ),
    ),
    Mistake(
        "these are the flags without the weights π_k: log p(x) = log Σ_k π_k N(x|μ_k,Σ_k), "
        "so a point that only a component of small weight explains has a low density",
        lambda X_train, X_new, w, m, c, percent: _flags_with()(
            X_train, X_new, np.ones(len(w)), m, c, percent
        ),
    ),
    Mistake(
        "you ranked the points by their distance to the nearest mean: the density also "
        "depends on each component's covariance and weight; use log p(x) = "
        "log Σ_k π_k N(x|μ_k,Σ_k), e.g. gmmlab.log_mixture_pdf",
        _flags_with(log_p=_nearest_mean_score),
    ),
    Mistake(
        "you used only each point's largest term, max_k π_k N(x|μ_k,Σ_k); p(x) is the sum "
        "of all K terms, which matters where components overlap: use log-sum-exp over k",
        _flags_with(log_p=lambda X, w, m, c: _log_terms(np.asarray(X, float), w, m, c).max(1)),
    ),
    Mistake(
        "these are the flags for diagonal covariances: your density ignores the "
        "off-diagonal entries of Σ_k; use the full (x − μ_k)ᵀ Σ_k⁻¹ (x − μ_k), e.g. through "
        "gmmlab.log_mixture_pdf",
        lambda X_train, X_new, w, m, c, percent: _flags_with()(
            X_train, X_new, w, m, _diagonal(c), percent
        ),
    ),
    Mistake(
        "you compared log-densities with a percentile of densities (or the reverse): use "
        "log p on both sides, τ = np.percentile(log_p_train, percent)",
        _flags_with(
            threshold=lambda train, new, percent: np.percentile(np.exp(train), percent)
        ),
    ),
)


def _validate_flags(got, expected, case):
    n_new, n_train = len(case.arguments["X_new"]), len(case.arguments["X_train"])
    n_features = case.arguments["X_new"].shape[1]
    if got is None:
        return None, "your function returned None: did you forget `return flags`?"
    if isinstance(got, tuple):
        return None, (
            "you returned a tuple (np.where(...) returns one): return the boolean array "
            "itself, log_p_new < threshold, one True/False per point of X_new"
        )
    try:
        flags = np.asarray(got)
    except (TypeError, ValueError):
        return None, f"expected an array of True/False, got {type(got).__name__}"
    if flags.dtype == object or not (
        flags.dtype == bool or np.issubdtype(flags.dtype, np.number)
    ):
        return None, f"expected an array of True/False, got {type(got).__name__}"
    if flags.ndim == 2 and flags.shape[1] == n_features and flags.shape[0] < n_new:
        return None, (
            f"you returned {flags.shape[0]} points (X_new[flags]?): return the flags "
            f"themselves, an array of {n_new} True/False, one per point of X_new"
        )
    if flags.shape != (n_new,):
        hint = ""
        if flags.shape == (n_train,):
            hint = ": that is one per point of X_train; flag the points of X_new"
        elif flags.ndim == 1 and np.issubdtype(flags.dtype, np.integer):
            hint = (
                ": these look like indices (np.flatnonzero / np.where); return the boolean "
                "array, log_p_new < threshold"
            )
        return None, (
            f"expected one flag per point of X_new, shape ({n_new},), got {flags.shape}{hint}"
        )
    if flags.dtype != bool:
        if not np.isin(flags, (0, 1)).all():
            return None, (
                "expected True/False for each point, got other numbers (log-densities?): "
                "compare them with the threshold, log_p_new < threshold"
            )
        flags = flags.astype(bool)
    return flags, None


def _compare_flags(flags, expected, case):
    wrong = np.flatnonzero(flags != expected)
    if wrong.size == 0:
        return None
    arguments = case.arguments
    params = MixtureParams(arguments["weights"], arguments["means"], arguments["covariances"])
    tau = anomaly_threshold(arguments["X_train"], params, arguments["percent"])
    i = int(wrong[0])
    x = arguments["X_new"][i]
    point = f"{x[0]:g}" if len(x) == 1 else "(" + ", ".join(f"{v:g}" for v in x) + ")"
    log_p = float(log_mixture_pdf(x[np.newaxis], params)[0])
    side, should = ("below", "should be") if expected[i] else ("above", "should not be")
    more = f" ({wrong.size} of {len(flags)} flags differ)" if wrong.size > 1 else ""
    return Difference(
        f"X_new[{i}] = {point} has log p = {log_p:.4f}, {side} τ = {tau:.4f} (the "
        f"percentile of log p over X_train at percent = {arguments['percent']:g}), so it "
        f"{should} flagged{more}"
    )


check_anomalies = Checker(
    "check_anomalies",
    exercise="my_anomalies",
    reference=reference_anomalies,
    what="your anomaly rule",
    compared_with="gmmlab.anomaly_threshold and gmmlab.flag_anomalies",
    reference_label="gmmlab's reference anomaly rule",
    cases=_anomaly_cases,
    validate=_validate_flags,
    compare=_compare_flags,
    mistakes=ANOMALY_MISTAKES,
    doc=r"""Check a learner's anomaly rule against :func:`gmmlab.anomaly_threshold` and
    :func:`gmmlab.flag_anomalies`.

    .. math::

        \tau_q = \operatorname{percentile}_q \{\log p(x_i) : x_i \in X_{\text{train}}\},
        \qquad \text{flag } x \in X_{\text{new}} \iff \log p(x) < \tau_q

    Parameters
    ----------
    function : callable
        ``my_anomalies(X_train, X_new, weights, means, covariances, percent)`` returning
        one True/False per point of X_new (an array of shape (M,)); X_train is (N, D),
        X_new (M, D), weights (K,), means (K, D), covariances (K, D, D), percent a
        number from 0 to 100.

    Returns
    -------
    Feedback
        Shows as a report; ``bool(feedback)`` is True when every case passes.

    Raises
    ------
    TypeError
        If ``function`` is not callable (e.g. the result of calling it).
    """,
)


#: Every checker by its public name: how tools find the cells that call one.
CHECKERS = {
    checker.name: checker
    for checker in (check_log_likelihood, check_e_step, check_m_step, check_m_step_from_sums,
                    check_anomalies)
}
from .bic import check_bic  # noqa: E402, F401  (the lesson 10 exercise; adds itself to CHECKERS)
