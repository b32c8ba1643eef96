"""tools.student: no solution survives, and everything else is the lessons' own.

tests/test_learner_path.py runs the copy as learners run it (Run All, wrong answers...).
"""

import shutil

import nbformat
import pytest

from tools import student
from tools.check_notebooks import checker_calls, solution_code
from tools.project import NOTEBOOKS, TEMPLATE, pyproject


def _tagged(notebook, tag):
    return [cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The lessons of notebooks/ plus a copy of the template, as the instructor has them."""
    notebooks = tmp_path_factory.mktemp("notebooks")
    for path in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(path, notebooks / path.name)
    shutil.copy(TEMPLATE, notebooks / "99_template.ipynb")
    return notebooks


@pytest.fixture(scope="module")
def copy(course, tmp_path_factory):
    """The students' copy of ``course``."""
    out = tmp_path_factory.mktemp("dist") / "student"
    reports = student.build(out, course)
    return out, reports


def with_solutions(course):
    return [
        path
        for path in sorted(course.glob("*.ipynb"))
        if _tagged(nbformat.read(path, as_version=4), student.SOLUTION_TAG)
    ]


def _all_text(notebook):
    """Every source, text output and metadata of a notebook, as one string."""
    parts = [str(notebook.metadata)]
    for cell in notebook.cells:
        parts += [cell.source, str(cell.metadata)]
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [v for v in output.get("data", {}).values() if isinstance(v, str)]
    return "\n".join(parts)


def _body(solution):
    """A solution's code without its def line, docstring and comments (the stub has those)."""
    code = solution_code(solution.source) or solution.source
    lines = [
        line.strip()
        for line in code.splitlines()
        if line.strip() and not line.lstrip().startswith(("def ", '"""', "#"))
    ]
    return "\n".join(lines)


def test_no_solution_survives(course, copy):
    out, _ = copy
    lessons = with_solutions(course)
    assert lessons, "the template, at least, has a solution cell"
    for path in lessons:
        original = nbformat.read(path, as_version=4)
        handed_out = nbformat.read(out / path.name, as_version=4)
        assert not _tagged(handed_out, student.SOLUTION_TAG), path.name
        everything = "\n".join(
            line.strip() for line in _all_text(handed_out).splitlines() if line.strip()
        )
        for solution in _tagged(original, student.SOLUTION_TAG):
            assert _body(solution) not in everything, f"{path.name}: a solution survives"


def test_only_the_solutions_go_and_the_stored_verdicts_stay(course, copy):
    """The stored verdict of each check is the one on the unwritten stub: it stays."""
    out, _ = copy
    for path in with_solutions(course):
        original = nbformat.read(path, as_version=4)
        handed_out = nbformat.read(out / path.name, as_version=4)
        exercises = _tagged(handed_out, student.EXERCISE_TAG)
        assert exercises, f"{path.name} has solutions but no exercise cell"
        calls = checker_calls(handed_out)
        assert calls, f"{path.name} has an exercise but no checker call"
        for index in calls:
            assert "not written yet" in str(handed_out.cells[index].outputs), path.name
        kept = [
            cell
            for cell in original.cells
            if student.SOLUTION_TAG not in cell.metadata.get("tags", [])
        ]
        assert [cell.source for cell in handed_out.cells] == [cell.source for cell in kept]
        assert [cell.get("outputs") for cell in handed_out.cells] == [
            cell.get("outputs") for cell in kept
        ]
        counts = [c.execution_count for c in handed_out.cells if c.get("execution_count")]
        assert counts == list(range(1, len(counts) + 1)), "execution counts renumbered"


def test_tags_decide_whatever_the_cell_holds():
    """A solution goes, code or Markdown; the exercise and its check keep what they store."""
    exercise = nbformat.v4.new_code_cell("def f():\n    raise NotImplementedError", outputs=[])
    exercise.execution_count = 1
    check = nbformat.v4.new_code_cell("verdict(f)  # a checker under any name", execution_count=2)
    check.outputs = [nbformat.v4.new_output("stream", text="0 of 3 cases pass")]
    old_style = nbformat.v4.new_code_cell("def f():\n    return 1", execution_count=3)
    plain = nbformat.v4.new_code_cell("print(1)", execution_count=4)
    plain.outputs = [nbformat.v4.new_output("stream", text="1\n")]
    details = nbformat.v4.new_markdown_cell("<details><summary>Solution</summary>x</details>")
    exercise.metadata["tags"], check.metadata["tags"] = ["exercise"], ["check"]
    details.metadata["tags"] = old_style.metadata["tags"] = ["solution"]
    notebook = nbformat.v4.new_notebook(cells=[exercise, check, details, old_style, plain])
    handed_out, report = student.student_notebook(notebook)
    kept = [cell.source for cell in handed_out.cells]
    assert kept == [exercise.source, check.source, "print(1)"]
    assert handed_out.cells[1].outputs[0].text == "0 of 3 cases pass"
    assert [c.execution_count for c in handed_out.cells] == [1, 2, 3]
    assert (report.solutions_removed, report.exercises) == (2, 1)
    assert len(notebook.cells) == 5, "the input notebook is unchanged"


def test_the_original_notebooks_are_not_changed(course, copy):
    for path in with_solutions(course):
        assert _tagged(nbformat.read(path, as_version=4), student.SOLUTION_TAG)


def test_the_copy_has_what_it_needs_to_run(course, copy):
    out, reports = copy
    lessons = sorted(p.name for p in course.glob("*.ipynb"))
    assert sorted(p.name for p in out.glob("*.ipynb")) == lessons
    assert [report.name for report in reports] == lessons
    assert (out / "gmmlab" / "__init__.py").exists()
    assert (out / "gmmlab" / "check" / "__init__.py").exists()
    assert not list(out.rglob("__pycache__"))
    project = pyproject()["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["lab"]
    assert (out / "requirements.txt").read_text().split() == wanted
    readme = (out / "README.md").read_text()
    assert "00_index.ipynb" in readme and "requirements.txt" in readme


def test_it_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work")
    with pytest.raises(SystemExit, match="refusing to replace"):
        student.build(precious, NOTEBOOKS)
    assert (precious / "chapter1.tex").read_text() == "years of work"


def test_it_replaces_its_own_output(tmp_path):
    out = tmp_path / "student"
    student.build(out, NOTEBOOKS)
    (out / "stale.ipynb").write_text("{}")
    student.build(out, NOTEBOOKS)
    assert not (out / "stale.ipynb").exists()
