"""The course's own map: which lessons exist, what each teaches, how long it takes.

Everything is read from the notebooks themselves, so the course map
(``00_index.ipynb``), the README's lesson list and the notebook checks can
never disagree with the lessons:

- the title is the first ``# `` heading, ``Lesson N · What it is about``;
- the duration is the first ``*About NN minutes.*`` line;
- the objectives are the bullets after "After this lesson you will be able to".
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

#: Lesson notebooks are named NN_name.ipynb; 00 is the course map.
LESSON_PATTERN = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
OBJECTIVES_HEADING = "After this lesson you will be able to"
_DURATION = re.compile(r"\*About (\d+) minutes\.\*")


@dataclasses.dataclass(frozen=True)
class Lesson:
    """One lesson notebook, as the course map describes it."""

    number: int
    path: Path
    title: str
    summary: str
    minutes: int | None
    objectives: tuple

    @property
    def name(self):
        """The file name without ``.ipynb``, e.g. ``03_iris_1d``."""
        return self.path.stem


def lessons(notebooks_dir, include_index=False):
    """The lessons in ``notebooks_dir``, in course order.

    Parameters
    ----------
    notebooks_dir : str or Path
    include_index : bool, default False
        Whether to include ``00_index.ipynb`` itself.

    Returns
    -------
    list of Lesson
    """
    found = []
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        match = LESSON_PATTERN.match(path.name)
        if not match or (match.group(1) == "00" and not include_index):
            continue
        found.append(read_lesson(path))
    return found


def read_lesson(path):
    """Title, summary, duration and objectives of one notebook."""
    path = Path(path)
    notebook = json.loads(path.read_text(encoding="utf-8"))
    markdown = "\n".join(
        _source(cell) for cell in notebook.get("cells", []) if cell.get("cell_type") == "markdown"
    )
    title_match = re.search(r"^# (.+)$", markdown, flags=re.MULTILINE)
    title = title_match.group(1).strip() if title_match else path.stem
    summary = title.split("·", 1)[1].strip() if "·" in title else title
    duration = _DURATION.search(markdown)
    return Lesson(
        number=int(path.name[:2]),
        path=path,
        title=title,
        summary=summary,
        minutes=int(duration.group(1)) if duration else None,
        objectives=tuple(_objectives(markdown)),
    )


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _objectives(markdown):
    start = markdown.find(OBJECTIVES_HEADING)
    if start < 0:
        return []
    bullets = []
    for line in markdown[start:].splitlines()[1:]:
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif line.startswith("  ") and bullets:
            bullets[-1] += " " + line.strip()
        elif bullets or line.strip():  # the list ended, or the heading has none
            break
    return bullets


def course_map(notebooks_dir):
    """A Markdown table of the lessons: number, link, what it teaches, minutes."""
    rows = ["| # | lesson | you will be able to | time |", "|---|---|---|---|"]
    for lesson in lessons(notebooks_dir):
        goals = "; ".join(goal.rstrip(";.") for goal in lesson.objectives)
        minutes = f"{lesson.minutes} min" if lesson.minutes else ""
        rows.append(
            f"| {lesson.number} | [{lesson.summary}]({lesson.path.name}) | {goals} | {minutes} |"
        )
    return "\n".join(rows)
