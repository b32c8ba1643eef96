"""What the tools share: the repository's layout, its pyproject.toml, and LESSON= names.

Every tool, test and benchmark that needs one of these imports it from here,
so that a lesson is named the same way in every ``make`` target and
``pyproject.toml`` is parsed in one place.
"""

from __future__ import annotations

import argparse
import sys
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library (the "test" extra installs it)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
TEMPLATE = ROOT / "templates" / "lesson_template.ipynb"
PYPROJECT = ROOT / "pyproject.toml"
#: The interpreter that `make setup` creates, as messages name it (relative to the root).
VENV_PYTHON = ".venv/bin/python"


def command(tool):
    """How a message names one of the tools: ``.venv/bin/python -m tools.refresh``."""
    return f"{VENV_PYTHON} -m tools.{tool}"


def unreadable(error):
    """The exit of a tool that met a lesson it cannot read (a merge conflict, perhaps)."""
    return SystemExit(f"{error}\n`make check-notebooks` says what is wrong and what to do")


def build_from_command_line(tool, description, build, out, argv=None):
    """Parse a builder's ``--out`` and ``--notebooks``, and build: what ``build`` returns.

    The command line of the tools that write a folder from the lessons (``make site``,
    ``make student``): ``build(out, notebooks)`` does the work.

    Parameters
    ----------
    tool : str
        The module under ``tools``, as the usage line names it (``"site"``).
    description : str
        The tool's one-line description (the first line of its docstring).
    build : callable
        ``build(out, notebooks)``; a ValueError from it is a lesson it cannot read.
    out : Path
        The default output folder.
    argv : list of str, optional
        The arguments; None: the command line's.

    Returns
    -------
    (object, argparse.Namespace)
        What ``build`` returned, and the parsed arguments.

    Raises
    ------
    SystemExit
        For a lesson ``build`` cannot read (see ``unreadable``), or bad arguments.
    """
    parser = argparse.ArgumentParser(prog=command(tool), description=description)
    shown = out.relative_to(ROOT) if out.is_relative_to(ROOT) else out
    parser.add_argument("--out", type=Path, default=out, help=f"output folder ({shown}/)")
    parser.add_argument(
        "--notebooks", type=Path, default=NOTEBOOKS, help="where the lessons are (notebooks/)"
    )
    args = parser.parse_args(argv)
    try:
        return build(args.out, args.notebooks), args
    except ValueError as error:  # a lesson that is not a notebook
        raise unreadable(error) from None


@cache
def pyproject():
    """The parsed ``pyproject.toml`` of the repository (a dict, read once)."""
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def resolve_notebooks(names, notebooks_dir=NOTEBOOKS):
    """The notebooks that ``LESSON=`` (or a tool's arguments) name, as paths.

    Every form names the same file: ``01_intro``, ``01_intro.ipynb`` and
    ``notebooks/01_intro.ipynb`` (any path to an existing notebook, such as
    ``templates/lesson_template.ipynb``, works too). No names: every notebook
    of ``notebooks_dir``, in file-name order.

    Parameters
    ----------
    names : iterable of str, or str
        The names; one string is split at spaces and commas (``LESSON="01_intro
        02_hard_vs_soft"`` as an environment variable).
    notebooks_dir : Path, default notebooks/

    Returns
    -------
    list of Path

    Raises
    ------
    SystemExit
        Naming each lesson that does not exist and the lessons that do.
    """
    if isinstance(names, str):  # as make passes LESSON= in an environment variable
        names = names.replace(",", " ").split()
    notebooks_dir = Path(notebooks_dir)
    if not names:
        return sorted(notebooks_dir.glob("*.ipynb"))
    paths, missing = [], []
    for name in names:
        as_path = Path(name)
        candidates = [as_path, ROOT / as_path] if as_path.suffix == ".ipynb" else []
        candidates.append(notebooks_dir / f"{as_path.name.removesuffix('.ipynb')}.ipynb")
        found = next((path for path in candidates if path.is_file()), None)
        if found is None:
            missing.append(name)
        elif found.resolve() not in {path.resolve() for path in paths}:
            paths.append(found)
    if missing:
        known = ", ".join(path.stem for path in sorted(notebooks_dir.glob("*.ipynb")))
        raise SystemExit(
            f"no such lesson: {', '.join(missing)}. Name a lesson as 01_intro, "
            f"01_intro.ipynb or notebooks/01_intro.ipynb; the lessons are: {known}"
        )
    return paths
