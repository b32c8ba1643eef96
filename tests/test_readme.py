"""The README lists every lesson, with a Binder link to a notebook that exists."""

import re

from gmmlab.course import LESSON_PATTERN, lessons, read_lesson
from tests.check_support import run_tool
from tools.project import NOTEBOOKS, ROOT
from tools.readme import repository

README = (ROOT / "README.md").read_text(encoding="utf-8")
BINDER = re.compile(
    r"https://mybinder\.org/v2/gh/(?P<repo>[^/]+/[^/]+)/HEAD\?urlpath=lab/tree/notebooks/"
    r"(?P<notebook>[^)\s]+)"
)


def test_every_lesson_has_a_binder_link_and_a_row():
    linked = {m.group("notebook") for m in BINDER.finditer(README)}
    on_disk = {p.name for p in NOTEBOOKS.glob("*.ipynb") if LESSON_PATTERN.match(p.name)}
    assert "00_index.ipynb" in on_disk
    assert on_disk <= linked, f"lessons without a Binder link: {sorted(on_disk - linked)}"
    for name in on_disk:
        assert f"(notebooks/{name})" in README, f"{name} is not in the README's lesson list"


def test_every_link_points_at_an_existing_notebook_of_the_repository():
    links = list(BINDER.finditer(README))
    assert links
    for link in links:
        assert (NOTEBOOKS / link.group("notebook")).exists(), link.group(0)
        assert link.group("repo") == repository()
    for target in re.findall(r"\]\((notebooks/[^)]+\.ipynb)\)", README):
        assert (ROOT / target).exists(), target


def test_readme_lesson_list_is_current():
    check = run_tool("readme", "--check")
    assert check.returncode == 0, check.stderr


def test_course_map_reads_titles_durations_and_objectives():
    lesson = read_lesson(NOTEBOOKS / "03_iris_1d.ipynb")
    assert lesson.number == 3 and lesson.name == "03_iris_1d"
    assert lesson.title.startswith("Lesson 3 · ")
    assert lesson.summary == lesson.title.split("· ", 1)[1]
    assert lesson.minutes == 35  # the timing rule's (rule duration checks every lesson)
    assert len(lesson.objectives) >= 3
    assert [entry.number for entry in lessons(NOTEBOOKS)] == sorted(
        entry.number for entry in lessons(NOTEBOOKS)
    )
