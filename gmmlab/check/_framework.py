r"""The checkers' framework: a :class:`Checker` runs cases and explains mistakes.

See the package docstring (:mod:`gmmlab.check`) for how a checker is built."""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import io
import os
import re
import sys
import sysconfig
import traceback
import warnings

import numpy as np

from .._validation import ensure_positive_number
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

    @property
    def passed(self):
        """Whether every case passed."""
        return all(case.passed for case in self.cases)

    @property
    def n_passed(self):
        """How many cases passed."""
        return sum(case.passed for case in self.cases)

    @property
    def written(self):
        """Whether the learner wrote anything: False when every case met the stub's
        ``NotImplementedError``."""
        return not all(case.message.startswith(_NOT_WRITTEN) for case in self.cases)

    def score(self, points=None):
        """The points this answer earns: an equal share of ``points`` per case that passes.

        score = points * (cases passed) / (cases)

        Parameters
        ----------
        points : positive number, optional
            What the whole exercise is worth; by default one point per case.

        Returns
        -------
        float
            From 0 (no case passes) to ``points`` (every case passes), a plain Python
            float, so that an autograder reading a cell's output sees one number.

        Raises
        ------
        TypeError, ValueError
            If ``points`` is not a finite number greater than 0.

        Examples
        --------
        >>> feedback = Feedback("Checking:", [CaseResult("a", True, "correct"),
        ...                                   CaseResult("b", False, "is 2, expected 1")])
        >>> feedback.score(), feedback.score(10)
        (1.0, 5.0)
        """
        total = len(self.cases)
        points = float(total) if points is None else ensure_positive_number(points, "points")
        return points * self.n_passed / total if total else 0.0

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

    Only authors build checkers (one per exercise, in this package), so the
    arguments are not type-checked: a wrong one fails the checker's own tests.
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
        self.name = self.__name__ = name
        self.exercise = exercise
        self.reference = reference
        self.signature = inspect.signature(reference)
        self.what = what
        self.compared_with = compared_with
        self.reference_label = reference_label
        self.validate = validate
        self.compare = compare
        self.mistakes = tuple(mistakes)
        self.error_hints = tuple(error_hints)
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

    def grade(self, function, points=None):
        """Check ``function`` for an autograder: print the report, return the points earned.

        The points are the share of the checker's cases that pass,
        score = points * (cases passed) / (cases), as :meth:`Feedback.score` computes them.
        nbgrader (0.9) reads a grade cell whose last output is one number as partial credit,
        so a grade cell that calls this earns what the report shows. An exercise that is not
        written (every case met the stub's ``NotImplementedError``) raises instead: the
        autograder gives the cell 0 points, and the error names the exercise.

        Parameters
        ----------
        function : callable
            The learner's function, called as the exercise's signature says.
        points : positive number, optional
            What the exercise is worth; by default one point per case.

        Returns
        -------
        float
            The points earned, from 0 to ``points``.

        Raises
        ------
        NotImplementedError
            If the exercise is not written yet (after the report is printed).
        TypeError
            If ``function`` is not callable, or ``points`` is not a number.
        ValueError
            If ``points`` is not finite and greater than 0.

        Examples
        --------
        >>> from gmmlab.check import check_bic
        >>> check_bic.grade(check_bic.reference)  # doctest: +ELLIPSIS
        Checking your BIC against gmmlab.bic...
        ...
        All 3 cases pass: well done!
        3.0
        """
        if points is not None:
            points = ensure_positive_number(points, "points")
        feedback = self(function)
        print(repr(feedback))
        total = float(len(feedback.cases)) if points is None else points
        if not feedback.written:
            raise NotImplementedError(
                f"{self.exercise} is not written yet: 0 of {total:g} points. Replace "
                f"`raise NotImplementedError(...)` in {self.exercise} with your code."
            )
        return feedback.score(total)

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
    >>> from gmmlab.check import check_m_step
    >>> m_step_used = use_if_correct(None, check_m_step)
    my_m_step is not a function yet, so the cells below use gmmlab's reference M-step.
    >>> m_step_used is check_m_step.reference
    True
    """
    if not isinstance(checker, Checker):
        # the package (gmmlab.check) lists the checkers; it is loaded, since importing
        # this module imported it first, and it imports this module: look it up, not import
        known = ", ".join(sys.modules[__package__].CHECKERS)
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


