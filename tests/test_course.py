"""gmmlab.course is the one lesson parser: the course map, the README, the students' copy and
check-notebooks read a lesson the same way, whichever Markdown list marker it uses."""

import shutil

import nbformat
import pytest

from gmmlab.course import course_map, parse_lesson, read_lesson
from tools import check_notebooks, student
from tools.project import NOTEBOOKS
from tools.readme import lesson_list

OBJECTIVES = [
    "read a mixture's density off its weights, means and covariances;",
    "say why EM alternates between two steps.",
]


def _plant(notebooks, objectives):
    """A copy of lesson 3 whose objectives are the lines ``objectives``; its path."""
    path = notebooks / "03_iris_1d.ipynb"
    shutil.copy(NOTEBOOKS / "03_iris_1d.ipynb", path)
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "After this lesson you will be able to" in c.source)
    lines = cell.source.splitlines()
    start = lines.index("**After this lesson you will be able to**") + 2
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith(("- ", "  ")))
    cell.source = "\n".join(lines[:start] + objectives.splitlines() + lines[end:])
    nbformat.write(notebook, path)
    return path


def _consumers(path, tmp_path):
    """What each consumer makes of the lesson at ``path``."""
    notebooks = path.parent
    readme = tmp_path / "README.md"
    readme.write_text(f"# course\n\n{lesson_list(notebooks)}\n", encoding="utf-8")
    row = next(line for line in course_map(notebooks).splitlines() if path.name in line)
    copy = tmp_path / "student"
    student.build(copy, notebooks)
    problems = check_notebooks.check_notebook(path, readme.read_text(encoding="utf-8"))
    return {
        "parser": read_lesson(path),
        "course map row": row,
        "readme row": next(line for line in readme.read_text().splitlines() if path.name in line),
        "student readme": (copy / "README.md").read_text(encoding="utf-8"),
        "check-notebooks": [p for p in problems if p.rule in ("objectives", "course-map")],
    }


@pytest.mark.parametrize("marker", ["-", "*", "+"])
def test_every_list_marker_reaches_every_consumer(tmp_path, marker):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    bullets = "\n".join(f"{marker} {goal}" for goal in OBJECTIVES)
    path = _plant(notebooks, bullets)
    seen = _consumers(path, tmp_path)
    lesson = seen["parser"]
    assert lesson.objectives == tuple(OBJECTIVES)
    goals = "read a mixture's density off its weights, means and covariances; say why EM"
    assert goals in seen["course map row"]
    readme_row = f"[{lesson.summary}](notebooks/{path.name}) | {lesson.minutes} min"
    assert readme_row in seen["readme row"]
    assert f"[{lesson.summary}]({path.name}) ({lesson.minutes} min)" in seen["student readme"]
    assert seen["check-notebooks"] == []


def test_a_list_the_parser_cannot_read_is_a_problem_for_every_consumer(tmp_path):
    """Numbered objectives are not bullets: the map shows none and check-notebooks says so."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    numbered = "\n".join(f"{i}. {goal}" for i, goal in enumerate(OBJECTIVES, start=1))
    path = _plant(notebooks, numbered)
    seen = _consumers(path, tmp_path)
    assert seen["parser"].objectives == ()
    assert [p.rule for p in seen["parser"].problems] == ["objectives"]
    minutes = seen["parser"].minutes
    assert seen["course map row"].endswith(f"|  | {minutes} min |")  # no objectives shown
    # the planted lesson's stated time is not the timing rule's: rule duration says so too
    (problem,) = [p for p in seen["check-notebooks"] if p.rule != "duration"]
    assert problem.rule == "objectives" and "not followed by bullets" in problem.message


def test_the_parser_reads_what_a_lesson_holds():
    import json

    from gmmlab.course import reading_time

    path = NOTEBOOKS / "09_em_in_practice.ipynb"
    lesson = read_lesson(path)
    expected = reading_time(json.loads(path.read_text(encoding="utf-8"))).minutes
    assert lesson.number == 9 and lesson.minutes == expected and not lesson.problems
    assert len(lesson.objectives) >= 3 and len(lesson.recap) >= 3
    assert lesson.recap[0].startswith("EM climbs to a stationary point")
    assert "  " not in lesson.recap[0], "continuation lines are joined"


@pytest.mark.parametrize(
    ("markdown", "rule", "words"),
    [
        ("# Lesson 3 · A title\n\n*About 20 minutes.*", "objectives", "no objectives section"),
        ("# Iris\n\n*About 20 minutes.*", "course-map", "'# Lesson 3 · <title>'"),
        ("# Lesson 4 · Wrong\n\n*About 20 minutes.*", "course-map", "should say 'Lesson 3'"),
        ("# Lesson 3 · A title\n\nAbout 20 minutes.", "course-map", "*About NN minutes.*"),
    ],
)
def test_each_missing_part_is_one_problem(markdown, rule, words):
    recap = "## Recap\n\n- one point\n"
    objectives = "**After this lesson you will be able to**\n\n- do one thing\n"
    if rule == "objectives":
        objectives = ""
    cells = [nbformat.v4.new_markdown_cell(text) for text in (markdown, objectives, recap)]
    lesson = parse_lesson(nbformat.v4.new_notebook(cells=cells), "03_iris_1d.ipynb")
    assert [problem.rule for problem in lesson.problems] == [rule]
    assert words in lesson.problems[0].message


def test_an_unreadable_notebook_is_named(tmp_path):
    broken = tmp_path / "05_broken.ipynb"
    broken.write_text('{"cells": [\n<<<<<<< HEAD\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"05_broken.ipynb is not a valid notebook \(line 2"):
        read_lesson(broken)


@pytest.mark.parametrize(
    ("markdown", "onward"),
    [
        ("**Next:** [Lesson 2 · Hard and soft](02_hard_vs_soft.ipynb), where ...",
         ("Lesson 2 · Hard and soft", "02_hard_vs_soft.ipynb")),
        ("**Next:** back to the [course map](00_index.ipynb), to revisit any lesson.",
         ("course map", "00_index.ipynb")),
        ("**Start here:** [Lesson 1 · Mixtures](01_intro.ipynb).", ("Lesson 1 · Mixtures",
                                                                    "01_intro.ipynb")),
        ("<!-- **Next:** [draft](99_x.ipynb) -->\nNo link onward.", None),
    ],
)
def test_the_link_onward_is_read(markdown, onward):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(markdown)])
    found = parse_lesson(notebook, "05_x.ipynb").onward
    assert (found[:2] if found else None) == onward


def test_a_file_that_is_not_a_notebook_is_a_value_error(tmp_path):
    for name, content in (("a.ipynb", "[1, 2]"), ("b.ipynb", b"\xff\xfe"), ("c.ipynb", "{")):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        with pytest.raises(ValueError, match="is not a valid notebook"):
            read_lesson(path)
