"""`make nbgrader`: the course as nbgrader grades it, with nbgrader's own commands.

The course directory that tools/nbgrader_course.py writes is put through nbgrader's whole
cycle in a temporary folder, one command each, as an instructor runs them (INSTRUCTORS.md):
``nbgrader generate_assignment "*"``, then three submissions of every exercise (unwritten,
as released; a typical wrong answer from the exercise's WRONG list in
tests/test_check_<exercise>.py; the reference solution), ``nbgrader autograde "*"`` over all
of them in one call, and ``nbgrader generate_feedback "*"``. The scores are read from
nbgrader's gradebook and compared with what the checker says, in this process, about the
same functions: nbgrader must give 0 points to the unwritten exercise (and show an error
naming it), exactly the checker's share of passing cases to the wrong answer (strictly
between 0 and the maximum), full points to the reference, and its feedback HTML must show
the checker's hint for the wrong answer.
"""

from __future__ import annotations

import ast
import html
import inspect
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from gmmlab.check import CHECKERS, Feedback, check_bic, check_e_step
from gmmlab.check._framework import CaseResult
from tests import test_check
from tests.test_learner_path import _names, as_written_by_a_learner
from tools import nbgrader_course
from tools.check_notebooks import exercises
from tools.project import NOTEBOOKS, ROOT

pytestmark = pytest.mark.slow
STUDENTS = ("unwritten", "wrong", "reference")
LESSONS = sorted(
    path for path in NOTEBOOKS.glob("*.ipynb") if exercises(nbformat.read(path, as_version=4))
)


def _nbgrader_cell(cell):
    return cell.metadata.get("nbgrader", {})


def _solution_index(notebook):
    (index,) = [i for i, c in enumerate(notebook.cells) if _nbgrader_cell(c).get("solution")]
    return index


def learner_source(wrong, exercise):
    """The wrong answer as a learner would write it in the exercise cell, with the imports it
    needs (numpy, math, gmmlab and those of its test module, such as scipy's ``logsumexp``),
    or None if it uses a helper of the tests."""
    function = wrong.function
    needed = _names(function.__code__) & set(function.__globals__) - {"np", "math", "gmmlab"}
    imports = []
    for node in ast.parse(inspect.getsource(sys.modules[function.__module__])).body:
        node = _lazy_as_import(node)
        if isinstance(node, ast.ImportFrom) and not (node.module or "").startswith("tests"):
            names = [alias for alias in node.names if (alias.asname or alias.name) in needed]
            if names:
                imports.append(ast.unparse(ast.ImportFrom(node.module, names, node.level)))
                needed -= {alias.asname or alias.name for alias in names}
    if needed:
        return None
    return "\n".join([*imports, as_written_by_a_learner(function, exercise)])


def _lazy_as_import(node):
    """``name = LazyAttr("module", "attr")`` (tests.check_support) as the import a learner
    writes, ``from module import attr as name``; any other statement as it is."""
    if (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "LazyAttr"
    ):
        module, attr = (argument.value for argument in node.value.args)
        name = node.targets[0].id
        return ast.ImportFrom(module, [ast.alias(attr, None if name == attr else name)], 0)
    return node


def partial_wrong(checker):
    """The first wrong answer of ``checker``'s WRONG list that a learner could have written
    in the graded notebook (:func:`learner_source`) and that passes some cases but not all,
    with its source and the checker's feedback on it."""
    for wrong in test_check.WRONG:
        if wrong.checker != checker.name:
            continue
        source = learner_source(wrong, checker.exercise)
        if source is None:
            continue
        feedback = checker(wrong.function)
        if 0 < feedback.n_passed < len(feedback.cases):
            return wrong, source, feedback
    pytest.fail(
        f"the WRONG list of {checker.name} (tests/test_check_*.py) has no wrong answer "
        "written with numpy, scipy and gmmlab alone that passes some cases but not all: add "
        "one, to test partial credit"
    )


def _environment(workdir):
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")]:
        (workdir / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(workdir / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # nbgrader creates a new gradebook with the `alembic` command: it must be on PATH.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _nbgrader(course, env, timings, *args):
    """Run one nbgrader command in the course directory, as an instructor types it."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True,
        text=True, timeout=900,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    timings.append((f"nbgrader {' '.join(args)}", time.perf_counter() - start, cpu))
    log = done.stdout + done.stderr
    assert done.returncode == 0, log
    assert "[ERROR]" not in log and "| ERROR]" not in log, log
    return log


def grade_course(workdir):
    """Build the course in ``workdir``, then generate_assignment, three submissions per
    exercise, autograde and generate_feedback, one nbgrader command each.

    About 100 s of CPU on this project's 2-core machine, nearly all in autograde's 27 fresh
    kernels, so tests/conftest.py runs :func:`grade_prepared` in the background while the
    other tests run, after :func:`prepare_grading` in pytest's own thread.
    """
    return grade_prepared(prepare_grading(workdir))


def prepare_grading(workdir):
    """The course written, each exercise's reference and typical wrong answer found.

    Everything that parses Python source (``ast``, ``inspect``, the checkers) happens here:
    CPython 3.11's ``ast.parse`` is not safe in two threads at once ("AST constructor
    recursion depth mismatch", seen when this ran in the background while pytest rewrote
    asserts), so the background part (:func:`grade_prepared`) only runs nbgrader's commands
    and reads and writes notebooks.
    """
    course = Path(workdir) / "course"
    graded = nbgrader_course.build(course, LESSONS)
    answers, wrongs = {}, {}
    for item in graded:
        checker = CHECKERS[item.checker]
        source = nbformat.read(course / "source" / item.assignment / f"{item.exercise}.ipynb", 4)
        reference = "\n".join(
            line for line in source.cells[_solution_index(source)].source.splitlines()
            if line.strip() not in (nbgrader_course.BEGIN, nbgrader_course.END)
        )
        wrong, wrong_source, feedback = partial_wrong(checker)
        wrongs[item.exercise] = wrong, feedback
        answers[item.exercise] = {"unwritten": None, "wrong": wrong_source, "reference": reference}
    return {"course": course, "graded": graded, "answers": answers, "wrongs": wrongs,
            "env": _environment(Path(workdir))}  # fmt: skip


def grade_prepared(prepared):
    """generate_assignment, the three submissions per exercise, autograde and
    generate_feedback on a course from :func:`prepare_grading`; the gradebook's scores."""
    course, graded, env, timings = prepared["course"], prepared["graded"], prepared["env"], []
    _nbgrader(course, env, timings, "generate_assignment", "*")
    for item in graded:
        released = course / "release" / item.assignment / f"{item.exercise}.ipynb"
        for student, answer in prepared["answers"][item.exercise].items():
            notebook = nbformat.read(released, as_version=4)
            if answer is not None:
                notebook.cells[_solution_index(notebook)].source = answer
            folder = course / "submitted" / student / item.assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, folder / released.name)
    _nbgrader(course, env, timings, "autograde", "*")
    _nbgrader(course, env, timings, "generate_feedback", "*")
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", nbgrader_course.COURSE_ID) as book:
        for item in graded:
            for student in STUDENTS:
                grade = book.find_grade(
                    f"test_{item.exercise}", item.exercise, item.assignment, student
                )
                scores[item.exercise, student] = (grade.score, grade.max_score)
    timings = "\n".join(f"{name}: {wall:.1f} s, CPU {cpu:.1f} s" for name, wall, cpu in timings)
    return {
        "course": course, "graded": graded, "scores": scores, "wrongs": prepared["wrongs"],
        "timings": timings,
    }


# ``graded_course`` (tests/conftest.py): grade_course's result, computed in the background from
# the end of collection on.


def _items():
    return [
        pytest.param(item, id=item.exercise)
        for lesson in LESSONS
        for item in nbgrader_course.graded_notebooks(lesson)
    ]


ITEMS = _items()


# -- the course directory, as the tool writes it ----------------------------------------------


def test_every_exercise_of_the_course_is_graded():
    expected = {
        (path.stem, checker.exercise)
        for path in LESSONS
        for _, _, checker in exercises(nbformat.read(path, as_version=4))
    }
    assert {(item.assignment, item.exercise) for item in (p.values[0] for p in ITEMS)} == expected
    assert len(expected) == len(CHECKERS)


@pytest.mark.parametrize("item", ITEMS)
def test_graded_notebook_has_nbgraders_cells(item):
    cells = item.notebook.cells
    solutions = [c for c in cells if _nbgrader_cell(c).get("solution")]
    grades = [c for c in cells if _nbgrader_cell(c).get("grade")]
    assert len(solutions) == 1 and len(grades) == 1
    assert grades[0] is cells[-1] and solutions[0] is cells[-2]
    assert _nbgrader_cell(grades[0])["points"] == len(CHECKERS[item.checker].cases)
    assert f"{item.checker}.grade({item.exercise})" in grades[0].source
    source = solutions[0].source
    assert source.index(nbgrader_course.BEGIN) < source.index(nbgrader_course.END)
    assert source.startswith(f"def {item.exercise}(")
    # every other cell is read-only, except one the lesson asks the learner to write in
    for cell in cells[:-2]:
        metadata = _nbgrader_cell(cell)
        assert metadata.get("locked") or "raise NotImplementedError" in cell.source, cell.source
        if metadata:
            assert metadata["schema_version"] == nbgrader_course.SCHEMA_VERSION
    ids = [_nbgrader_cell(c)["grade_id"] for c in cells if _nbgrader_cell(c)]
    assert len(ids) == len(set(ids))


def test_setup_takes_only_the_imports_and_cells_the_exercise_needs():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import matplotlib.pyplot as plt\nimport numpy as np\n"
                "from gmmlab.check import check_bic, check_e_step, use_if_correct"
            ),
            nbformat.v4.new_code_cell("X = np.zeros(3)\nfig = plt.figure()"),
            nbformat.v4.new_code_cell("e_step_used = use_if_correct(None, check_e_step)"),
            nbformat.v4.new_code_cell("e_step_used = None  # later, but below the exercise"),
        ]
    )
    imports, cells, missing = nbgrader_course.setup_cells(
        notebook, 3, nbgrader_course.used_globals("def f(a):\n    return np.log(e_step_used(a))")
    )
    assert imports == [
        "import numpy as np",
        "from gmmlab.check import check_e_step, use_if_correct",
    ]
    assert cells == [2] and missing == set()
    *_, missing = nbgrader_course.setup_cells(notebook, 3, {"undefined_name"})
    assert missing == {"undefined_name"}


def test_an_exercise_unlike_its_reference_is_refused():
    stub = (
        'def f(x):\n    """Doc."""\n    # YOUR CODE HERE: a hint\n'
        "    raise NotImplementedError\n"
    )
    reference = 'def f(x):\n    """Doc."""\n    return 2 * x\n'
    region = nbgrader_course.solution_source(stub, reference, "f")
    assert region == (
        'def f(x):\n    """Doc."""\n    # a hint\n    ### BEGIN SOLUTION\n    return 2 * x\n'
        "    ### END SOLUTION"
    )
    with pytest.raises(nbgrader_course.ExerciseLayoutError, match="begin differently"):
        nbgrader_course.solution_source(stub, reference.replace("Doc.", "Other."), "f")
    with pytest.raises(nbgrader_course.ExerciseLayoutError, match="exactly one function"):
        nbgrader_course.solution_source(stub, reference + "\nhelper = 1\n", "f")


def test_the_tool_keeps_the_gradebook_and_refuses_a_foreign_folder(tmp_path):
    lesson = [path for path in LESSONS if path.stem == "10_choosing_a_model"]
    course = tmp_path / "course"
    nbgrader_course.build(course, lesson)
    (course / "gradebook.db").write_text("grades")
    (course / "submitted").mkdir()
    nbgrader_course.build(course, lesson)  # rebuilt mid-term
    assert (course / "gradebook.db").read_text() == "grades" and (course / "submitted").is_dir()
    assert (course / "source" / "10_choosing_a_model" / "my_bic.ipynb").is_file()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit, match="not written by"):
        nbgrader_course.build(foreign, lesson)


# -- the score API of the checkers -------------------------------------------------------------


def test_score_is_the_share_of_passing_cases():
    results = [CaseResult(str(i), passed, "") for i, passed in enumerate([True, False, True])]
    feedback = Feedback("t", results)
    assert feedback.score() == 2.0 and type(feedback.score()) is float
    assert feedback.score(6) == pytest.approx(6 * 2 / 3)
    for bad, error in [(0, ValueError), (-1, ValueError), (float("nan"), ValueError),
                       ("3", TypeError), (True, TypeError)]:
        with pytest.raises(error, match="points"):
            feedback.score(bad)


def test_grade_prints_the_report_and_returns_the_points(capsys):
    wrong, _, feedback = partial_wrong(check_e_step)
    assert check_e_step.grade(wrong.function) == feedback.n_passed
    assert check_e_step.grade(wrong.function, points=10) == 10 * feedback.n_passed / 4
    printed = capsys.readouterr().out
    assert wrong.hint in printed and printed.count("Checking your E-step") == 2


def test_grade_fails_loudly_on_an_unwritten_exercise(capsys):
    def my_bic(log_likelihood, n_components, n_features, n_samples):
        raise NotImplementedError("write my_bic, then run the check below")

    with pytest.raises(NotImplementedError, match="my_bic is not written yet: 0 of 3 points"):
        check_bic.grade(my_bic)
    assert "not written yet" in capsys.readouterr().out
    with pytest.raises(TypeError, match="function must be your function itself"):
        check_bic.grade(None)
    with pytest.raises(ValueError, match="points"):
        check_bic.grade(check_bic.reference, points=-2)


# -- nbgrader's own cycle ------------------------------------------------------------------


def test_generate_assignment_removes_the_reference(graded_course):
    for item in graded_course["graded"]:
        released = nbformat.read(
            graded_course["course"] / "release" / item.assignment / f"{item.exercise}.ipynb", 4
        )
        solution = released.cells[_solution_index(released)].source
        assert nbgrader_course.BEGIN not in solution and "return" not in solution
        assert solution.rstrip().endswith("raise NotImplementedError()")


@pytest.mark.parametrize("item", ITEMS)
def test_autograde_scores_the_three_submissions(graded_course, item):
    scores = graded_course["scores"]
    points = len(CHECKERS[item.checker].cases)
    wrong, feedback = graded_course["wrongs"][item.exercise]
    assert scores[item.exercise, "unwritten"] == (0.0, points)
    assert scores[item.exercise, "reference"] == (points, points)
    score = scores[item.exercise, "wrong"][0]
    assert 0 < score < points
    assert score == pytest.approx(feedback.score()), f"{wrong} passes {feedback.n_passed} cases"


@pytest.mark.parametrize("item", ITEMS)
def test_an_unwritten_exercise_fails_with_an_error_naming_it(graded_course, item):
    path = (
        graded_course["course"] / "autograded" / "unwritten" / item.assignment
        / f"{item.exercise}.ipynb"
    )
    test_cell = nbformat.read(path, as_version=4).cells[-1]
    errors = [output for output in test_cell.outputs if output.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "NotImplementedError"
    assert errors[0].evalue.startswith(f"{item.exercise} is not written yet: 0 of")


@pytest.mark.parametrize("item", ITEMS)
def test_feedback_shows_the_checkers_hint(graded_course, item):
    course = graded_course["course"]
    wrong, feedback = graded_course["wrongs"][item.exercise]
    page = course / "feedback" / "wrong" / item.assignment / f"{item.exercise}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert wrong.hint in text
    assert f"{feedback.n_passed} of {len(feedback.cases)} cases pass" in text
    reference = course / "feedback" / "reference" / item.assignment / f"{item.exercise}.html"
    assert "cases pass: well done!" in reference.read_text(encoding="utf-8")
