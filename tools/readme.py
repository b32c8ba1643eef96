"""Write the README's lesson list from the notebooks (or check that it is current).

    python -m tools.readme           # rewrite the list between the markers (make readme)
    python -m tools.readme --check   # exit 1 if the README's list is stale

Each lesson gets its title, what it teaches, its duration and a Binder link
that opens it in JupyterLab. The repository's address is kept in one place:
``[project.urls] Repository`` in pyproject.toml.
"""

from __future__ import annotations

import argparse
import re
import sys

from gmmlab.course import lessons
from tools.project import NOTEBOOKS, README, command, pyproject, unreadable

START, END = "<!-- lessons:start -->", "<!-- lessons:end -->"
BADGE = "https://mybinder.org/badge_logo.svg"


def repository():
    """'owner/name' of the GitHub repository, from pyproject.toml."""
    urls = pyproject()["project"]["urls"]
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)/?", urls["Repository"])
    if not match:
        raise SystemExit("pyproject.toml: [project.urls] Repository must be a GitHub URL")
    return match.group(1)


def binder_url(notebook_name, repo=None):
    """The Binder link that opens one notebook in JupyterLab."""
    repo = repo or repository()
    return f"https://mybinder.org/v2/gh/{repo}/HEAD?urlpath=lab/tree/notebooks/{notebook_name}"


def lesson_list(notebooks_dir=NOTEBOOKS):
    """The Markdown of the lesson list."""
    repo = repository()
    lines = [
        START,
        "| # | lesson | time | open |",
        "|---|---|---|---|",
        f"| 0 | [Course map](notebooks/00_index.ipynb): what each lesson teaches, in order | | "
        f"[![Binder]({BADGE})]({binder_url('00_index.ipynb', repo)}) |",
    ]
    for lesson in lessons(notebooks_dir):
        minutes = f"{lesson.minutes} min" if lesson.minutes else ""
        lines.append(
            f"| {lesson.number} | [{lesson.summary}](notebooks/{lesson.path.name}) | {minutes} | "
            f"[![Binder]({BADGE})]({binder_url(lesson.path.name, repo)}) |"
        )
    lines.append(END)
    return "\n".join(lines)


def updated_readme(text):
    if START not in text or END not in text:
        raise SystemExit(f"README.md needs the markers {START} and {END}")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return before + lesson_list() + after


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=command("readme"), description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="fail if the README is stale")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    try:
        new = updated_readme(text)
    except ValueError as error:  # a lesson that is not a notebook
        raise unreadable(error) from None
    if args.check:
        if new != text:
            print("README.md: the lesson list is stale; run `make readme`", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
