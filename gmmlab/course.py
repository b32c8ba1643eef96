"""The course's own map: which lessons exist, what each teaches, how long it takes.

Everything is read from the notebooks themselves, by one parser
(:func:`parse_lesson`), so that the course map (``00_index.ipynb``), the
README's lesson list, the students' copy and the notebook checks can never
disagree about a lesson. In a lesson's Markdown cells:

- the title is the first ``# `` heading, ``# Lesson N · What it is about``;
- the duration is the first ``*About NN minutes.*``, and it must be what
  :func:`reading_time` computes from the lesson's content (the course's one
  timing rule, :data:`TIMING_RULE`);
- the objectives are the bullets right under "After this lesson you will be
  able to", in the same cell;
- the recap is the first list under the ``## Recap`` heading (a lead-in
  line such as "This lesson:" may come first);
- the link onward is the first link after the last ``**Next:**`` (in a lesson: to
  the next lesson, or from the last lesson back to the course map) or, in the course
  map, after ``**Start here:**`` (to the first lesson).

A bullet starts with ``- ``, ``* `` or ``+ `` (Markdown's three list markers);
a line indented under a bullet continues it. What the parser cannot find, or
finds in the wrong form, it reports as a :class:`LessonProblem`, which
``make check-notebooks`` prints.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

#: Lesson notebooks are named NN_name.ipynb; 00 is the course map.
LESSON_PATTERN = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
OBJECTIVES_HEADING = "After this lesson you will be able to"
RECAP_HEADING = re.compile(r"^##\s+Recap\b.*$", re.MULTILINE)
TITLE = re.compile(r"^# (.+)$", re.MULTILINE)
LESSON_TITLE = re.compile(r"^Lesson (\d+) · (\S.*)$")
DURATION = re.compile(r"\*About (\d+) minutes\.\*")
BULLET = re.compile(r"^ {0,3}[-*+] +(\S.*)$")
#: "**Next:** [Lesson 2 · ...](02_hard_vs_soft.ipynb)", or the course map's "**Start here:** ...".
ONWARD = re.compile(r"\*\*(?:Next|Start here):?\*\*:?\s*[^\[]*?\[([^\]]*)\]\(\s*<?([^)\s>]+)")
_TEMPLATE_HINT = "see templates/lesson_template.ipynb for the expected layout"

#: The course's one timing rule, shown on the course map. Reading technical prose with
#: formulas runs at about 130 words a minute; a code cell is read, run and its output
#: looked at in about 6 s a line; playing with an explorer takes about 2 minutes; a
#: checked exercise (write, check, read the hint, fix) about 6.
WORDS_PER_MINUTE = 130
CODE_LINES_PER_MINUTE = 10
MINUTES_PER_EXPLORER = 2
MINUTES_PER_EXERCISE = 6
#: No lesson may be longer than this by the rule.
MAX_LESSON_MINUTES = 40
TIMING_RULE = (
    f"Markdown words / {WORDS_PER_MINUTE} + code lines / {CODE_LINES_PER_MINUTE} "
    f"+ {MINUTES_PER_EXPLORER} per explorer + {MINUTES_PER_EXERCISE} per exercise, "
    "rounded up to a multiple of 5 minutes"
)
EXPLORER_MIME = "application/vnd.gmmlab.explorer+json"
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*")


@dataclasses.dataclass(frozen=True)
class ReadingTime:
    """How long a lesson takes by the course's timing rule (:data:`TIMING_RULE`).

    Attributes
    ----------
    words : int
        Words of Markdown a learner reads: HTML comments and cells tagged
        ``solution`` (the collapsed reference solutions) are left out, and a
        formula counts as one word.
    code_lines : int
        Non-blank lines of code that are not comments.
    explorers : int
        Code cells whose output is a live explorer.
    exercises : int
        Code cells tagged ``exercise``.
    minutes : int
        words / 130 + code_lines / 10 + 2 per explorer + 6 per exercise,
        rounded up to a multiple of 5.
    """

    words: int
    code_lines: int
    explorers: int
    exercises: int
    minutes: int


def reading_time(notebook):
    """The time a lesson takes by the course's one timing rule.

    minutes = ⌈(words / 130 + code lines / 10 + 2 · explorers + 6 · exercises) / 5⌉ · 5

    Parameters
    ----------
    notebook : dict or nbformat.NotebookNode
        The notebook's content (its ``cells``).

    Returns
    -------
    ReadingTime

    Examples
    --------
    >>> cell = {"cell_type": "markdown", "source": "word " * 260, "metadata": {}}
    >>> reading_time({"cells": [cell]}).minutes
    5
    """
    words = code_lines = explorers = exercises = 0
    for cell in notebook.get("cells", []):
        source = _source(cell)
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.get("cell_type") == "markdown":
            if "solution" in tags:
                continue
            text = _MATH.sub(" formula ", re.sub(r"<!--.*?-->", "", source, flags=re.DOTALL))
            words += len(_WORD.findall(text))
        elif cell.get("cell_type") == "code":
            lines = [line.strip() for line in source.splitlines()]
            code_lines += sum(1 for line in lines if line and not line.startswith("#"))
            exercises += "exercise" in tags
            explorers += any(
                EXPLORER_MIME in output.get("data", {}) for output in cell.get("outputs", [])
            )
    raw = (
        words / WORDS_PER_MINUTE
        + code_lines / CODE_LINES_PER_MINUTE
        + MINUTES_PER_EXPLORER * explorers
        + MINUTES_PER_EXERCISE * exercises
    )
    minutes = 5 * max(1, -(-int(round(raw * 1000)) // 5000))
    return ReadingTime(words, code_lines, explorers, exercises, minutes)


@dataclasses.dataclass(frozen=True)
class LessonProblem:
    """Something the parser expected in a lesson and did not find.

    Attributes
    ----------
    rule : str
        ``"course-map"`` (title or duration), ``"objectives"`` or ``"recap"``.
    message : str
        What is wrong and how to fix it.
    cell_index : int or None
        Index of the cell at fault among all the notebook's cells (from 0),
        or None when the problem is the lesson's as a whole.
    """

    rule: str
    message: str
    cell_index: int | None = None


@dataclasses.dataclass(frozen=True)
class Lesson:
    """One lesson notebook, as the course map describes it.

    Attributes
    ----------
    number : int
        From the file name (``03_iris_1d.ipynb`` is lesson 3; 0 is the course map).
    path : Path
    title : str
        The first ``# `` heading, without the ``#``; the file's stem if there is none.
    summary : str
        The title after ``Lesson N · ``.
    minutes : int or None
    objectives : tuple of str
    recap : tuple of str
    onward : tuple of (str, str, int) or None
        The "**Next:**" link (the course map's "**Start here:**"): its text, its
        target as written, and the index of its cell; None without one.
    problems : tuple of LessonProblem
        Empty for a well-formed lesson (and always for the course map).
    """

    number: int
    path: Path
    title: str
    summary: str
    minutes: int | None
    objectives: tuple
    recap: tuple = ()
    onward: tuple | None = None
    problems: tuple = ()

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

    Raises
    ------
    ValueError
        If a lesson file is not a readable notebook (naming it).
    """
    found = []
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        match = LESSON_PATTERN.match(path.name)
        if not match or (match.group(1) == "00" and not include_index):
            continue
        found.append(read_lesson(path))
    return found


def read_lesson(path):
    """Read one notebook file and parse it with :func:`parse_lesson`.

    Raises
    ------
    ValueError
        If the file is not a notebook's JSON (often a merge conflict left in it).
    """
    path = Path(path)
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path.name} is not a valid notebook (line {error.lineno}: {error.msg}); "
            "a merge conflict left in it, perhaps"
        ) from None
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not a valid notebook (not UTF-8 text)") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells", []), list):
        raise ValueError(f"{path.name} is not a valid notebook (no list of cells)")
    return parse_lesson(notebook, path)


def parse_lesson(notebook, path):
    """Title, summary, duration, objectives, recap and problems of one notebook.

    Parameters
    ----------
    notebook : dict or nbformat.NotebookNode
        The notebook's content (its ``cells``).
    path : str or Path
        Its file; the number comes from the name (``NN_name.ipynb``).

    Returns
    -------
    Lesson
    """
    path = Path(path)
    markdown = [
        (index, _source(cell))
        for index, cell in enumerate(notebook.get("cells", []))
        if cell.get("cell_type") == "markdown"
    ]
    number = int(path.name[:2]) if path.name[:2].isdigit() else 0
    problems = []

    title_at = next(((i, m) for i, text in markdown if (m := TITLE.search(text))), None)
    title = title_at[1].group(1).strip() if title_at else path.stem
    summary = title.split("·", 1)[1].strip() if "·" in title else title
    lesson_title = LESSON_TITLE.match(title) if title_at else None
    if title_at is None:
        problems.append(
            LessonProblem(
                "course-map",
                f"the first heading must be '# Lesson {number} · <title>' (found no '# ' "
                f"heading); the course map and the README read the title from it; "
                f"{_TEMPLATE_HINT}",
            )
        )
    elif lesson_title is None:
        problems.append(
            LessonProblem(
                "course-map",
                f"the first heading must be '# Lesson {number} · <title>' (found "
                f"{title_at[1].group(0)!r}); the course map and the README read the title "
                f"from it; {_TEMPLATE_HINT}",
                title_at[0],
            )
        )
    elif int(lesson_title.group(1)) != number:
        problems.append(
            LessonProblem(
                "course-map",
                f"the title {title_at[1].group(0)!r} does not match the file name "
                f"{path.name}: it should say 'Lesson {number}'",
                title_at[0],
            )
        )

    duration = next((m for _, text in markdown if (m := DURATION.search(text))), None)
    if duration is None:
        problems.append(
            LessonProblem(
                "course-map",
                "no '*About NN minutes.*' line: the course map and the README show how long "
                f"each lesson takes; {_TEMPLATE_HINT}",
            )
        )

    objectives = ()
    holder = next(((i, text) for i, text in markdown if OBJECTIVES_HEADING in text), None)
    if holder is None:
        problems.append(
            LessonProblem(
                "objectives",
                f'no objectives section: near the top, write "**{OBJECTIVES_HEADING}**" '
                f"followed by bullets ('- ...'); {_TEMPLATE_HINT}",
            )
        )
    else:
        index, text = holder
        after_heading = text[text.index(OBJECTIVES_HEADING) :].split("\n", 1)[1:]
        objectives = _bullets("".join(after_heading))
        if not objectives:
            problems.append(
                LessonProblem(
                    "objectives",
                    f'"{OBJECTIVES_HEADING}" is not followed by bullets: list the objectives '
                    "as '- ...' lines right under it, in the same cell",
                    index,
                )
            )

    recap = ()
    recap_at = next(((i, m) for i, text in markdown if (m := RECAP_HEADING.search(text))), None)
    if recap_at is None:
        problems.append(
            LessonProblem(
                "recap",
                "no '## Recap' section: end the lesson with a '## Recap' heading and bullets, "
                f"then the link to the next lesson; {_TEMPLATE_HINT}",
            )
        )
    else:
        index, match = recap_at
        text = dict(markdown)[index][match.end() :]
        later = [t for i, t in markdown if i > index]
        recap = _bullets(text, lead_in=True) or next(
            (b for t in later if (b := _bullets(t, lead_in=True))), ()
        )
        if not recap:
            problems.append(
                LessonProblem(
                    "recap", "the '## Recap' heading is not followed by bullets ('- ...')", index
                )
            )

    onward = None
    for index, text in markdown:
        for match in ONWARD.finditer(re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)):
            onward = (" ".join(match.group(1).split()), match.group(2), index)

    return Lesson(
        number=number,
        path=path,
        title=title,
        summary=summary,
        minutes=int(duration.group(1)) if duration else None,
        objectives=objectives,
        recap=recap,
        onward=onward,
        problems=tuple(problems) if number != 0 else (),
    )


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _bullets(text, lead_in=False):
    """The bullets of the first list in ``text``.

    Blank lines and HTML comments (``<!-- ... -->``) are skipped. With
    ``lead_in``, paragraphs before the list are skipped too ("This lesson:"),
    up to the next heading.
    """
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    bullets = []
    for line in text.splitlines():
        match = BULLET.match(line)
        if match:
            bullets.append(match.group(1).strip())
        elif not line.strip():
            continue
        elif line.startswith("  ") and bullets:  # an indented line continues its bullet
            bullets[-1] += " " + line.strip()
        elif lead_in and not bullets and not line.startswith("#"):
            continue
        else:  # the list ended, or there is none here
            break
    return tuple(bullets)


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
