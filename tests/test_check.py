"""The exercise checkers teach: each typical mistake gets its hint, each case earns its place.

Each exercise's wrong and correct implementations live in tests/test_check_<exercise>.py
(CORRECT and WRONG); the tests here run over all of them, and test the framework itself.
The wrong implementations are written as learners write them (the bugs are the
ones seen in first attempts: a lesson's size hard-coded, a 1-D formula generalised
feature by feature, a direct ratio of densities, a "small number" guard, a forgotten
normalisation or weight...). The correct ones are written in other styles than
gmmlab's (loops, einsum, scipy, scikit-learn) and must pass.
"""

import contextlib
import inspect
import io
import math

import numpy as np
import pytest

import gmmlab
from gmmlab.check import (
    CHECKERS,
    Case,
    Checker,
    Feedback,
    Mistake,
    check_anomalies,
    check_e_step,
    check_log_likelihood,
    check_m_step,
    check_m_step_from_sums,
    use_if_correct,
)
from tests.check_support import LazyAttr, e_step_sklearn, exercise_modules
from tests.test_check_e_step import e_step_no_keepdims, e_step_scipy
from tests.test_check_m_step import m_step_loops
from tests.test_check_m_step_from_sums import sums_squares_broadcast

softmax = LazyAttr("scipy.special", "softmax")

#: Every exercise's correct implementations (other styles than gmmlab's), by checker name.
CORRECT = {
    name: functions for module in exercise_modules() for name, functions in module.CORRECT.items()
}
#: Every exercise's wrong implementations, as learners write them.
WRONG = [wrong for module in exercise_modules() for wrong in module.WRONG]


@pytest.mark.parametrize(
    ("checker", "function"),
    [(name, f) for name, functions in CORRECT.items() for f in functions],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_correct_implementations_in_other_styles_pass(checker, function):
    feedback = CHECKERS[checker](function)
    assert feedback.passed, repr(feedback)
    assert f"All {len(feedback.cases)} cases pass" in repr(feedback)


def test_references_pass_and_agree_with_scikit_learn():
    for checker in CHECKERS.values():
        assert checker(checker.reference).passed
    # the cases' expected answers come from gmmlab; scikit-learn agrees on them
    for case in check_e_step.cases:
        np.testing.assert_allclose(
            check_e_step.reference(*case.copies()), e_step_sklearn(*case.copies()), atol=1e-12
        )


@pytest.fixture(scope="module")
def verdicts():
    """Each wrong implementation's feedback, computed once."""
    return {str(wrong): CHECKERS[wrong.checker](wrong.function) for wrong in WRONG}


@pytest.mark.parametrize("wrong", WRONG, ids=str)
def test_each_typical_mistake_gets_its_hint(wrong, verdicts):
    feedback = verdicts[str(wrong)]
    assert not feedback.passed
    assert wrong.hint in repr(feedback), repr(feedback)


@pytest.mark.parametrize("checker", sorted(CHECKERS))
def test_each_case_catches_a_mistake_that_every_other_case_lets_through(checker, verdicts):
    names = [case.name for case in CHECKERS[checker].cases]
    caught = {
        str(wrong): [not result.passed for result in verdicts[str(wrong)].cases]
        for wrong in WRONG
        if wrong.checker == checker
    }
    for i, name in enumerate(names):
        only_here = [w for w, row in caught.items() if row[i] and sum(row) == 1]
        assert only_here, f"{checker}: case {name!r} catches nothing the other cases miss"


def test_an_exception_is_shown_once_with_the_learners_line(verdicts):
    text = repr(verdicts["e_step_no_keepdims"])
    line = (
        next(
            number
            for number, source in enumerate(inspect.getsourcelines(e_step_no_keepdims)[0])
            if "a.max(axis=1)" in source
        )
        + inspect.getsourcelines(e_step_no_keepdims)[1]
    )
    assert text.count("your function raised ValueError: operands could not be") == 1
    assert f"in e_step_no_keepdims, line {line}: a = a - a.max(axis=1)" in text
    assert text.count(f"raised the same ValueError as above (line {line})") == 3


def test_an_error_inside_gmmlab_points_at_the_learners_call():
    def my_e_step(X, weights, means, covariances):
        a = np.column_stack(
            [gmmlab.log_gaussian_pdf(X, means, covariances[k]) for k in range(len(weights))]
        )
        return softmax(a, axis=1)

    text = repr(check_e_step(my_e_step))
    assert "raised ValueError: mean must have one entry per feature" in text
    assert "in <listcomp>" in text or "in my_e_step" in text
    assert "gmmlab.log_gaussian_pdf(X, means, covariances[k])" in text


def test_values_that_round_alike_are_shown_with_their_difference(verdicts):
    text = repr(verdicts["m_step_reg_covar"])
    assert (
        "entry [0, 0], is 0.666668, expected 0.666667 (difference 1e-06): that is reg_covar"
        in text
    )
    text = repr(verdicts["e_step_rows_slightly_off"])
    assert "sums to 1, not 1" not in text and "sums to 1 + 5e-06, not 1" in text


def test_a_wrong_signature_is_reported_once():
    def my_e_step(X, params):
        return gmmlab.e_step(X, params)

    feedback = check_e_step(my_e_step)
    text = repr(feedback)
    assert "your function takes (X, params) but the exercise calls it as" in text
    assert text.count("my_e_step(X, weights, means, covariances)") == 1
    assert not any(case.passed for case in feedback.cases)


def test_unwritten_exercise_says_so_once():
    def my_m_step(X, resp):
        raise NotImplementedError("write my_m_step, then run the check below")

    feedback = check_m_step(my_m_step)
    assert [case.message for case in feedback.cases] == [
        "not written yet: replace `raise NotImplementedError(...)` with your code",
        "not written yet",
        "not written yet",
    ]
    assert "0 of 3 cases pass" in repr(feedback)


def test_means_are_never_reshaped_into_place():
    def flat_means(X, resp):
        weights, means, covariances = m_step_loops(X, resp)
        return weights, means.ravel(), covariances

    feedback = check_m_step(flat_means)
    assert not any(case.passed for case in feedback.cases)
    assert "means should have shape (3, 2) (K = 3, D = 2), got (6,)" in repr(feedback)


def test_checker_cases_cannot_be_spoiled_by_the_learner():
    def vandal(X, weights, means, covariances):
        weights[:] = 0
        X[:] = 0
        return e_step_scipy(X, np.full(len(weights), 1 / len(weights)), means, covariances)

    check_e_step(vandal)
    assert check_e_step(e_step_scipy).passed


def test_each_checker_knows_its_exercise():
    # every checker has its test file (tests/test_check_<exercise>.py) with CORRECT and WRONG
    assert set(CHECKERS) == set(CORRECT) == {wrong.checker for wrong in WRONG}
    assert set(CHECKERS) >= {
        "check_e_step",
        "check_m_step",
        "check_log_likelihood",
        "check_m_step_from_sums",
        "check_anomalies",
        "check_em_loop",
    }
    for name, checker in CHECKERS.items():
        assert isinstance(checker, Checker) and checker.name == checker.__name__ == name
        assert checker.exercise == "my_" + name.removeprefix("check_")
        assert "Parameters" in checker.__doc__ and "Feedback" in checker.__doc__
    assert str(check_m_step.signature) == "(X, resp)"
    assert str(check_e_step.signature) == "(X, weights, means, covariances)"
    assert str(check_log_likelihood.signature) == "(X, weights, means, covariances)"
    assert str(check_m_step_from_sums.signature) == "(nk, sum_x, sum_xxT)"


def test_an_exercise_error_hint_comes_before_the_shared_ones():
    text = repr(check_m_step_from_sums(sums_squares_broadcast))
    assert "this term is (K, D)" in text and "keepdims" not in text
    assert (
        str(check_anomalies.signature) == "(X_train, X_new, weights, means, covariances, percent)"
    )


def test_a_new_checker_takes_a_few_lines():
    """A newcomer's checker: the reference, cases, validate, compare and one mistake."""

    def reference(x):
        return float(np.mean(x))

    def validate(got, expected, case):
        return (float(got), None) if np.isscalar(got) else (None, "expected one number")

    def compare(got, expected, case):
        return None if math.isclose(got, expected) else gmmlab.check.Difference(f"got {got}")

    check_mean = Checker(
        "check_mean",
        exercise="my_mean",
        reference=reference,
        what="your mean",
        compared_with="numpy.mean",
        reference_label="numpy's mean",
        cases=lambda: [Case("three numbers", {"x": np.array([1.0, 2.0, 6.0])})],
        validate=validate,
        compare=compare,
        mistakes=[Mistake("divide by N, not N - 1", lambda x: float(np.sum(x) / (len(x) - 1)))],
    )
    assert check_mean(lambda x: sum(x) / len(x)).passed
    feedback = check_mean(lambda x: sum(x) / (len(x) - 1))
    assert repr(feedback).splitlines()[1] == "✘ three numbers: got 4.5: divide by N, not N - 1"
    assert isinstance(feedback, Feedback)


def run_quietly_capturing(function, checker):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        chosen = use_if_correct(function, checker)
    return chosen, out.getvalue().splitlines()


@pytest.mark.parametrize("checker", sorted(CHECKERS))
def test_fallback_returns_a_correct_function_as_is(checker):
    function = CORRECT[checker][0]
    chosen, lines = run_quietly_capturing(function, CHECKERS[checker])
    assert chosen is function
    n = len(CHECKERS[checker].cases)
    assert lines == [
        f"Your {function.__name__} passes all {n} cases of {checker}, so the cells below use it."
    ]


def stub(checker):
    """The lesson's stub for this checker's exercise, with its exact signature."""
    parameters = ", ".join(CHECKERS[checker].signature.parameters)
    exercise = CHECKERS[checker].exercise
    namespace = {}
    exec(
        f"def {exercise}({parameters}):\n"
        f"    raise NotImplementedError('write {exercise}, then run the check below')\n",
        namespace,
    )
    return namespace[exercise]


@pytest.mark.parametrize(
    ("checker", "kind"),
    [(name, kind) for name in sorted(CHECKERS) for kind in ("stub", "wrong", "raising", "noisy")],
)
def test_fallback_returns_the_reference_which_passes(checker, kind):
    wrong = next(w.function for w in WRONG if w.checker == checker)
    if kind == "stub":
        function = stub(checker)
    elif kind == "wrong":
        function = wrong
    elif kind == "raising":

        def function(*args):
            return 1 / 0

    else:

        def function(*args):
            print("debugging", args[0].shape)
            return wrong(*args)

    chosen, lines = run_quietly_capturing(function, CHECKERS[checker])
    reference = CHECKERS[checker].reference
    assert chosen is reference and CHECKERS[checker](reference).passed
    assert inspect.signature(reference) == inspect.signature(stub(checker))
    assert len(lines) == 1
    label = CHECKERS[checker].reference_label
    if kind == "stub":
        exercise = CHECKERS[checker].exercise
        assert lines[0] == f"Your {exercise} is not written yet, so the cells below use {label}."
    else:
        assert lines[0].startswith(f"Your {function.__name__} does not pass {checker} yet (")
        assert lines[0].endswith(f"cases pass), so the cells below use {label}.")


def test_fallback_reference_keeps_the_lessons_return_convention(iris_2d):
    resp = gmmlab.e_step(iris_2d, gmmlab.initialize(iris_2d, 3, seed=0))
    chosen, _ = run_quietly_capturing(stub("check_m_step"), check_m_step)
    weights, means, covariances = chosen(iris_2d, resp)  # unpacks like lesson 7's loop
    expected = gmmlab.m_step(iris_2d, resp, reg_covar=0.0)
    np.testing.assert_allclose(covariances, expected.covariances, rtol=1e-12)
    assert means.flags.writeable and weights.shape == (3,)


def test_fallback_on_something_that_is_not_a_function():
    chosen, lines = run_quietly_capturing(None, check_e_step)
    assert chosen is check_e_step.reference
    assert lines == [
        "my_e_step is not a function yet, so the cells below use gmmlab's reference E-step."
    ]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: check_e_step(None), TypeError, "function must be your function itself"),
        (
            lambda: check_m_step(np.zeros(3)),
            TypeError,
            "check_m_step(my_m_step) without parentheses",
        ),
        (
            lambda: use_if_correct(e_step_scipy, "check_e_step"),
            TypeError,
            "checker must be one of",
        ),
        (lambda: use_if_correct(e_step_scipy, None), TypeError, "got NoneType"),
    ],
)
def test_bad_input(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)

