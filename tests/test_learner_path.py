"""The learner's path: the edition students open, run as they run it.

The handout (``make student``, built in a temporary folder by tests/conftest.py) is the
lessons of notebooks/ without their reference solutions, the edition a learner gets. Each of
its notebooks is run as *Run All* runs it, in a fresh kernel, every exercise unwritten, and
then each earlier code cell is run again (last to first), as a learner does who scrolls back:

- no cell stores an error, and the handout prints what the lesson stores;
- no check reports success before the learner wrote a line, and every cell after an
  exercise runs on gmmlab's reference, saying so in one line;
- running an earlier cell again prints what it printed (a name rebound by a later section
  shows here as a changed output or an error);
- nothing refers to the removed solutions.

Then, in the same kernel, a typical wrong answer (a learner-style wrong implementation of
tests/test_check.py) is written into each exercise and the cells from the first exercise
down are run again, as a learner runs them after writing it: the check shows that answer's
verdict, the wrong answer is still the one checked at the end, and the cells after it run on
gmmlab's reference and say so. Finally, each reference solution, taken from its collapsed
``<details>`` block, passes its checker.

Lessons are found through gmmlab.course and exercises through their tags and checker calls,
never by name. Each notebook runs once per session (the ``course_runs`` fixture of
tests/conftest.py); the same run serves tests/test_nbval_coverage.py and tests/test_colours.py.
"""

from __future__ import annotations

import ast
import inspect

import nbformat
import pytest

from gmmlab.check import CHECKERS, FAILED, PASSED
from gmmlab.course import lessons
from tests import test_check
from tests.lesson_runs import Run, errors, output_is_ignored, output_text
from tools import student
from tools.check_notebooks import exercises, mentions_solution, solution_code
from tools.project import NOTEBOOKS, TEMPLATE

COURSE = [lesson.path.name for lesson in lessons(NOTEBOOKS, include_index=True)]
FALLBACK = "use_if_correct"


def _notebook(path):
    return nbformat.read(path, as_version=4)


WITH_EXERCISES = [name for name in COURSE if exercises(_notebook(NOTEBOOKS / name))]


def _code_trees(notebook):
    """(index, syntax tree) of every code cell that parses as Python."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            try:
                yield index, ast.parse(cell.source)
            except SyntaxError:
                continue


def _fallback_cells(notebook):
    """Indices of the code cells that call gmmlab.check's use_if_correct."""
    found = []
    for index, tree in _code_trees(notebook):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                function = node.func
                name = function.attr if isinstance(function, ast.Attribute) else None
                name = function.id if isinstance(function, ast.Name) else name
                if name == FALLBACK:
                    found.append(index)
                    break
    return found


# -- typical wrong answers ---------------------------------------------------------------


def _names(code):
    """Every global name a function's code uses, comprehensions included."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if inspect.iscode(constant):
            names |= _names(constant)
    return names


def typical_wrong(checker):
    """The first wrong implementation of this checker's WRONG (tests/test_check_<exercise>.py,
    gathered by tests/test_check.py) that a learner could have written in the lesson: it needs
    nothing of its own module but numpy, math and gmmlab."""
    for wrong in test_check.WRONG:
        if wrong.checker == checker.name:
            helpers = set(wrong.function.__globals__)
            if _names(wrong.function.__code__) & helpers <= {"np", "math", "gmmlab"}:
                return wrong.function
    pytest.fail(
        f"tests/test_check.py's WRONG has no self-contained wrong implementation for "
        f"{checker.name}: add one written as a learner would write {checker.exercise}"
    )


def as_written_by_a_learner(function, exercise):
    """The source of ``function``, as the learner's own ``exercise`` in the exercise cell."""
    source = inspect.getsource(function)
    source = source.replace(f"def {function.__name__}(", f"def {exercise}(", 1)
    return "import math\n\nimport numpy as np\n\nimport gmmlab\n\n\n" + source


# -- the runs ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def handout(course_runs):
    """The students' copy of the course, as `make student` writes it."""
    return course_runs.handout


def _wrong_answers(notebook):
    """The notebook with a typical wrong answer in each exercise, and the check at the end.

    Returns the new notebook and, per exercise, (exercise index, check index, checker, wrong
    function, index of the final check).
    """
    notebook = nbformat.from_dict(notebook)
    written = []
    for index, below, checker in exercises(notebook):
        wrong = typical_wrong(checker)
        notebook.cells[index].source = as_written_by_a_learner(wrong, checker.exercise)
        written.append((index, below, checker, wrong))
    final = []
    for index, below, checker, wrong in written:
        notebook.cells.append(
            nbformat.v4.new_code_cell(
                "import gmmlab.check\n\n"
                f"gmmlab.check.CHECKERS[{checker.name!r}]({checker.exercise})"
            )
        )
        final.append((index, below, checker, wrong, len(notebook.cells) - 1))
    return notebook, final


def wrong_answers_job(path):
    """For tests/lesson_runs.execute's ``then``: (the notebook with wrong answers, index of its
    first exercise), or None for a notebook without exercises."""
    notebook = _notebook(path)
    found = exercises(notebook)
    if not found:
        return None
    return _wrong_answers(notebook)[0], min(index for index, _, _ in found)


class _Runs:
    """name -> the handout's run; "wrong:name" -> the same run's wrong-answer part."""

    def __init__(self, course_runs):
        self.course_runs = course_runs

    def __getitem__(self, name):
        if name.startswith("wrong:"):
            run = self.course_runs[name.removeprefix("wrong:")]
            assert run.then is not None, f"{name}: no wrong answers were run"
            return Run(name, run.then, {}, run.seconds)
        return self.course_runs[name]


@pytest.fixture(scope="module")
def runs(course_runs, handout):
    """Every handout notebook's run (see tests/conftest.py), and per lesson with exercises
    the wrong answers written into it (as tests/lesson_runs.execute's ``then`` ran them)."""
    written = {name: _wrong_answers(_notebook(handout / name))[1] for name in WITH_EXERCISES}
    return _Runs(course_runs), written


def _verdict_marks(text):
    """The case marks of a stored verdict, in order: [True, False, ...]."""
    return [line.startswith(PASSED) for line in text.splitlines() if line[:1] in (PASSED, FAILED)]


@pytest.mark.parametrize("name", COURSE)
def test_run_all_has_no_error_in_the_handout(runs, name):
    run = runs[0][name]
    found = errors(run.notebook)
    assert not found, f"{name}, Run All in the students' copy:\n" + "\n".join(
        f"cell {position} ({first!r}): {error}" for position, first, error in found
    )


@pytest.mark.parametrize("name", COURSE)
def test_the_handout_prints_what_the_lesson_stores(runs, handout, name):
    """The stored outputs a learner reads are the ones Run All gives them."""
    run, stored = runs[0][name], _notebook(handout / name)
    for index, cell in run.code_cells():
        if output_is_ignored(cell):
            continue
        assert output_text(cell.outputs) == output_text(stored.cells[index].outputs), (
            f"{name}, cell {index + 1} ({cell.source.splitlines()[0]!r}) prints something "
            "else than it stores: run `make refresh`"
        )


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_no_check_passes_before_the_learner_writes(runs, name):
    run = runs[0][name]
    found = exercises(run.notebook)
    assert found
    for index, below, checker in found:
        assert checker is not None, f"{name}: cell {index + 1}'s exercise has no check below it"
        verdict = output_text(run.notebook.cells[below].outputs)
        marks = _verdict_marks(verdict)
        assert marks and not any(marks), (
            f"{name}: the check of {checker.exercise} (cell {below + 1}) reports a passing case "
            f"before the learner wrote anything:\n{verdict}"
        )
        assert "not written yet" in verdict


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_the_cells_after_an_unwritten_exercise_use_the_reference_and_say_so(runs, name):
    run = runs[0][name]
    labels = {checker.reference_label for checker in CHECKERS.values()}  # lesson 8 also reuses 5-7
    for index in _fallback_cells(run.notebook):
        line = output_text(run.notebook.cells[index].outputs)
        assert "is not written yet" in line and any(label in line for label in labels), (
            f"{name}, cell {index + 1}: {line}"
        )


@pytest.mark.parametrize("name", COURSE)
def test_running_an_earlier_cell_again_prints_what_it_printed(runs, name):
    """After Run All, each code cell run again (last to first) prints what it printed: no
    later section rebinds a name an earlier cell uses."""
    run = runs[0][name]
    changed = []
    for index, cell in run.code_cells():
        again = run.reruns[index]
        if any(output.output_type == "error" for output in again) or (
            not output_is_ignored(cell) and output_text(again) != output_text(cell.outputs)
        ):
            changed.append(
                f"cell {index + 1} ({cell.source.splitlines()[0]!r}) printed\n"
                f"{output_text(cell.outputs)}\nand, run again after the lesson, prints\n"
                f"{output_text(again)}"
            )
    assert not changed, (
        f"{name}: a later cell rebinds a name these cells use; give the later one its own "
        "name:\n\n" + "\n\n".join(changed)
    )


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_nothing_refers_to_a_removed_solution(handout, name):
    original, copy = _notebook(NOTEBOOKS / name), _notebook(handout / name)
    assert not [c for c in copy.cells if student.SOLUTION_TAG in c.metadata.get("tags", [])]
    mentions = [
        f"cell {position}: {cell.source.splitlines()[0]!r}"
        for position, cell in enumerate(copy.cells, start=1)
        if mentions_solution(cell.source + output_text(cell.get("outputs", [])))
    ]
    assert not mentions, f"{name}: the students' copy speaks of a solution it lacks: {mentions}"
    text = "\n".join(cell.source for cell in copy.cells)
    for cell in original.cells:
        is_solution = student.SOLUTION_TAG in cell.metadata.get("tags", [])
        code = solution_code(cell.source) if is_solution else None
        if code:
            body = [line for line in code.splitlines() if line.strip() and "def " not in line]
            assert not any(line in text for line in body[1:]), f"{name}: a solution survives"


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_a_wrong_answer_is_checked_and_stays_the_learners(runs, name):
    run, written = runs[0][f"wrong:{name}"], runs[1][name]
    found = errors(run.notebook)
    assert not found, f"{name} with wrong answers: {found}"
    for _, below, checker, wrong, final in written:
        verdict = output_text(run.notebook.cells[below].outputs)
        expected = [case.passed for case in checker(wrong).cases]
        assert not all(expected), f"{wrong.__name__} passes {checker.name}: not a wrong answer"
        assert _verdict_marks(verdict) == expected, (
            f"{name}: the check shows\n{verdict}\nnot the verdict on {wrong.__name__}"
        )
        assert output_text(run.notebook.cells[final].outputs) == verdict, (
            f"{name}: at the end of the lesson, {checker.exercise} is no longer the learner's "
            "wrong answer (a later cell replaced it)"
        )
    labels = {checker.reference_label: checker for _, _, checker, _, _ in written}
    for index in _fallback_cells(run.notebook):
        line = output_text(run.notebook.cells[index].outputs)
        if not any(label in line for label in labels):  # lesson 8 reuses lessons 5-7's functions
            continue
        assert any(
            f"does not pass {checker.name} yet" in line and label in line
            for label, checker in labels.items()
        ), f"{name}, cell {index + 1}: {line}"


@pytest.mark.parametrize("name", WITH_EXERCISES)
def test_the_cells_after_a_wrong_answer_run_on_the_reference(runs, handout, name):
    """Apart from the exercise, its check and the fallback line, the lesson prints exactly
    what it prints with the exercise unwritten: the cells after it used the reference."""
    run, stored = runs[0][f"wrong:{name}"], _notebook(handout / name)
    own = {i for exercise in exercises(stored) for i in exercise[:2]}
    own |= set(_fallback_cells(stored))
    for index, cell in enumerate(stored.cells):
        if cell.cell_type != "code" or index in own or output_is_ignored(cell):
            continue
        assert output_text(run.notebook.cells[index].outputs) == output_text(cell.outputs), (
            f"{name}, cell {index + 1} ({cell.source.splitlines()[0]!r}) prints something "
            "else with a wrong answer in the exercise"
        )


# -- the reference solutions ---------------------------------------------------------------


def _solutions():
    found = []
    for path in [NOTEBOOKS / name for name in WITH_EXERCISES] + [TEMPLATE]:
        notebook = _notebook(path)
        for index, _, checker in exercises(notebook):
            found.append(pytest.param(path, index, checker, id=f"{path.stem}-{checker.name}"))
    return found


def _imports(notebook):
    """The lesson's import statements, as one block of code (a solution may use them)."""
    return "\n".join(
        ast.unparse(node)
        for _, tree in _code_trees(notebook)
        for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
    )


@pytest.mark.parametrize(("path", "index", "checker"), _solutions())
def test_every_reference_solution_passes_its_checker(path, index, checker):
    """The code in each collapsed <details> solution, run with the lesson's imports only."""
    notebook = _notebook(path)
    codes = [
        solution_code(cell.source)
        for cell in notebook.cells[index + 1 :]
        if student.SOLUTION_TAG in cell.metadata.get("tags", []) and cell.cell_type == "markdown"
    ]
    code = next((c for c in codes if c and f"def {checker.exercise}(" in c), None)
    assert code, f"{path.name}: no <details> solution defines {checker.exercise}"
    # a solution may call the functions an earlier cell took with use_if_correct (lesson 8's
    # loop calls e_step_used...): there, until the learner's pass, gmmlab's references
    namespace = {f"{c.exercise.removeprefix('my_')}_used": c.reference for c in CHECKERS.values()}
    exec(compile(_imports(notebook), f"{path.name} imports", "exec"), namespace)
    exec(compile(code, f"{path.name} solution of {checker.exercise}", "exec"), namespace)
    feedback = checker(namespace[checker.exercise])
    assert feedback.passed, repr(feedback)
    assert checker is CHECKERS[checker.name]
