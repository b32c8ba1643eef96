"""Write the README's lesson list and CONTRIBUTING's rule table (or check that they are current).

    python -m tools.readme           # rewrite both between their markers (make readme)
    python -m tools.readme --check   # exit 1 if either is stale

The rule table of CONTRIBUTING.md ("The notebook check") is written from the
registry of :mod:`tools.check_notebooks`, so a rule is described in one place.

Each lesson gets its title, what it teaches, its duration and a Binder link
that opens it in JupyterLab. The repository's address is kept in one place:
``[project.urls] Repository`` in pyproject.toml.
"""

from __future__ import annotations

import argparse
import re
import sys

from gmmlab.course import lessons
from tools.project import NOTEBOOKS, README, ROOT, command, pyproject, unreadable

START, END = "<!-- lessons:start -->", "<!-- lessons:end -->"
RULES_START, RULES_END = "<!-- rules:start -->", "<!-- rules:end -->"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
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


def rules_table():
    """The Markdown table of the notebook check's rules, from its registry."""
    from tools.check_notebooks import RULES, SCOPES  # it imports this module

    lines = [
        RULES_START,
        "| rule | applies to | a notebook fails it when |",
        "|---|---|---|",
    ]
    for registered in RULES.values():
        lines.append(
            f"| `{registered.name}` | {SCOPES[registered.scope]} | {registered.description} |"
        )
    lines.append(RULES_END)
    return "\n".join(lines)


def _between(text, start, end, new, where):
    if start not in text or end not in text:
        raise SystemExit(f"{where} needs the markers {start} and {end}")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return before + new + after


def updated_contributing(text):
    return _between(text, RULES_START, RULES_END, rules_table(), "CONTRIBUTING.md")


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
    contributing = CONTRIBUTING.read_text(encoding="utf-8")
    new_contributing = updated_contributing(contributing)
    if args.check:
        stale = []
        if new != text:
            stale.append("README.md: the lesson list is stale")
        if new_contributing != contributing:
            stale.append("CONTRIBUTING.md: the rule table is stale")
        for line in stale:
            print(f"{line}; run `make readme`", file=sys.stderr)
        return 1 if stale else 0
    README.write_text(new, encoding="utf-8")
    CONTRIBUTING.write_text(new_contributing, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
