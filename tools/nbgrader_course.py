"""Write an nbgrader course from the lessons' exercises, for instructors who grade.

    python -m tools.nbgrader_course                # writes dist/nbgrader/ (make nbgrader)
    python -m tools.nbgrader_course --out course/  # somewhere else
    python -m tools.nbgrader_course 06_e_step      # some lessons (make nbgrader LESSON=...)

The folder is an nbgrader course directory (INSTRUCTORS.md says how to use it):

    nbgrader_config.py
    source/<lesson>/<exercise>.ipynb     one assignment per lesson with exercises,
                                         one compact notebook per exercise

A graded notebook is not the whole lesson (its figures, fits and explorers take a minute
and grade nothing) but what the exercise needs, so that autograding runs in a fresh kernel
in seconds:

1. the lesson's title and what the notebook grades (locked);
2. the set-up: the imports and the earlier cells that define the names the reference
   solution uses, found by following names back through the lesson (locked);
3. the exercise's own section, from its ``Exercise`` heading down to the exercise (locked);
4. the exercise cell, an nbgrader *solution* cell: the stub's signature, docstring and hint,
   then the reference solution (from the collapsed ``<details>`` cell tagged ``solution``)
   between ``### BEGIN SOLUTION`` and ``### END SOLUTION``, which ``nbgrader
   generate_assignment`` replaces by ``raise NotImplementedError()``;
5. the test, an autograded *grade* cell worth one point per case of the exercise's checker:
   ``check_e_step.grade(my_e_step)`` prints the checker's report (nbgrader's feedback shows
   it, hints included) and returns the points of the cases that pass, which nbgrader reads
   as partial credit; an unwritten exercise raises an error naming it (0 points).

The cells carry nbgrader's metadata (``nbgrader``: ``grade``, ``solution``, ``locked``,
``points``, ``grade_id``, ``schema_version``), as nbgrader's "Create Assignment" toolbar
writes it. Each ``source/<lesson>/`` folder this tool writes is replaced; the rest of the
course directory (the gradebook, ``release/``, ``submitted/``, ``autograded/``,
``feedback/``) is never touched, so the course can be rebuilt mid-term.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import dataclasses
import re
import shutil
import symtable
import sys
from pathlib import Path

from tools._startup import deferred_rfc3987_syntax

with deferred_rfc3987_syntax():  # jsonschema's rfc3987_syntax on first use (tools/_startup.py)
    import nbformat

from gmmlab.course import LESSON_PATTERN, read_lesson
from tools.check_notebooks import SOLUTION_TAG, exercises, solution_code
from tools.project import ROOT, command, resolve_notebooks, unreadable

OUT = ROOT / "dist" / "nbgrader"
COURSE_ID = "gmmlab"
#: A file in the course directory that says this tool wrote (part of) it.
MARKER = ".gmmlab-nbgrader"
#: nbgrader's cell metadata format (nbgrader/nbgraderformat/v3.py).
SCHEMA_VERSION = 3
#: How long one cell may run when nbgrader executes a notebook, in seconds.
CELL_TIMEOUT = 60
_EXERCISE_HEADING = re.compile(r"^#{1,6}[ \t]+Exercise\b.*$", re.MULTILINE)
_NOTEBOOK_LINK = re.compile(r"\[([^\]]+)\]\((?![a-z]+:)[^)\s]*\.ipynb(?:#[^)\s]*)?\)")
_STUB = re.compile(r"^\s*raise NotImplementedError\b", re.MULTILINE)
_STUB_HINT = re.compile(r"#\s*YOUR CODE HERE:?\s*")
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"

CONFIG = f'''\
# nbgrader's configuration for the gmmlab course. Written by `make nbgrader`
# (tools/nbgrader_course.py) and replaced each time it runs: put settings of your own
# (the exchange, JupyterHub) in ~/.jupyter/nbgrader_config.py, as INSTRUCTORS.md shows.
c = get_config()  # noqa: F821 (nbgrader defines it)

c.CourseDirectory.course_id = "{COURSE_ID}"
# Each graded notebook runs in a fresh kernel; no cell of a correct answer needs more than a
# few seconds, so a minute means a learner's loop that never ends.
c.Execute.timeout = {CELL_TIMEOUT}
'''


class ExerciseLayoutError(ValueError):
    """A lesson's exercise that this tool cannot turn into a graded notebook."""


@dataclasses.dataclass
class Graded:
    """One graded notebook: which exercise of which lesson, and what it is worth."""

    lesson: str
    exercise: str
    checker: str
    points: int
    notebook: nbformat.NotebookNode

    @property
    def assignment(self):
        """The nbgrader assignment: the lesson's file name without ``.ipynb``."""
        return self.lesson

    def __str__(self):
        return (
            f"{self.assignment}/{self.exercise}.ipynb: {self.checker}, "
            f"{self.points} points (one per case)"
        )


# -- names: which cells define what the exercise uses ---------------------------------------

_BUILTINS = set(dir(builtins))


def used_globals(source):
    """The global names a piece of code reads and does not define itself (builtins left out).

    Names read inside its functions and comprehensions count; their parameters and local
    variables do not.
    """
    table = symtable.symtable(source, "<cell>", "exec")
    names = set()

    def walk(scope):
        if scope.get_type() != "module":
            names.update(
                symbol.get_name()
                for symbol in scope.get_symbols()
                if symbol.is_global() and symbol.is_referenced()
            )
        for child in scope.get_children():
            walk(child)

    walk(table)
    for symbol in table.get_symbols():
        if symbol.is_referenced() and not (symbol.is_assigned() or symbol.is_imported()):
            names.add(symbol.get_name())
    return names - _BUILTINS - bound_names(source)


def bound_names(source):
    """The names a piece of code binds at its top level (assignments, defs, imports)."""
    table = symtable.symtable(source, "<cell>", "exec")
    return {
        symbol.get_name()
        for symbol in table.get_symbols()
        if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()
    }


def _import_binding(node, name):
    """``node`` (an import) cut down to the alias that binds ``name``, or None."""
    for alias in node.names:
        bound = alias.asname or alias.name.split(".")[0]
        if bound == name and alias.name != "*":
            if isinstance(node, ast.Import):
                return ast.Import(names=[alias])
            return ast.ImportFrom(module=node.module, names=[alias], level=node.level)
    return None


def setup_cells(notebook, before, needed):
    """The imports and cells of ``notebook`` above cell ``before`` that define ``needed``.

    Follows names back, as Run All would bind them: the latest cell above that binds a
    needed name is taken, and the names it uses in turn are needed too. Imports are taken
    one name at a time (``from gmmlab.check import check_e_step``, not the lesson's whole
    import cell, whose plotting and widget modules the exercise does not need); any other
    cell is taken whole.

    Returns
    -------
    (list of str, list of int, set of str)
        The import statements (in the lesson's order), the indices of the cells taken whole
        (in order), and the names no cell above defines.
    """
    needed = set(needed)
    imports, cells = {}, []
    for index in range(before - 1, -1, -1):
        cell = notebook.cells[index]
        if cell.cell_type != "code" or not needed:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        statements = [
            node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
        ]
        rest = [node for node in tree.body if node not in statements]
        rest_binds = bound_names("\n".join(ast.unparse(node) for node in rest)) if rest else set()
        if rest and needed & rest_binds:
            cells.append(index)
            needed -= bound_names(cell.source)
            needed |= used_globals(cell.source)
            continue
        for order, node in enumerate(statements):
            for name in sorted(needed):
                binding = _import_binding(node, name)
                if binding is not None:
                    imports[(index, order, name)] = ast.unparse(binding)
                    needed.discard(name)
    return _merged([imports[key] for key in sorted(imports)]), sorted(cells), needed


def _merged(statements):
    """Import statements, one per module: ``from m import a`` and ``from m import b`` as one."""
    merged = {}
    for statement in dict.fromkeys(statements):
        node = ast.parse(statement).body[0]
        key = (node.module, node.level) if isinstance(node, ast.ImportFrom) else statement
        if key in merged:
            merged[key].names += node.names
        else:
            merged[key] = node
    return [ast.unparse(node) for node in merged.values()]


# -- the exercise cell: the stub's head, the reference between BEGIN and END -----------------


def _function(source, name, what):
    tree = ast.parse(source)
    found = [
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name
    ]
    if len(found) != 1 or len(tree.body) != 1:
        raise ExerciseLayoutError(
            f"the {what} must be exactly one function, def {name}(...): found "
            f"{len(tree.body)} top-level statement(s)"
        )
    return found[0]


def _head_end(function):
    """The line (1-based) where a function's head ends: its docstring, else its signature."""
    first = function.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first.end_lineno
    return first.lineno - 1


def solution_source(stub, reference, name):
    """The exercise cell of the graded notebook: the stub's head and hints, then the reference
    body as nbgrader's solution region.

    Parameters
    ----------
    stub : str
        The lesson's exercise cell: ``def name(...)``, a docstring, ``# YOUR CODE HERE``
        hints and ``raise NotImplementedError(...)``.
    reference : str
        The reference solution's code: the same ``def`` and docstring, then its body.
    name : str
        The exercise's function name.

    Raises
    ------
    ExerciseLayoutError
        If either is not one function named ``name``, or their heads differ.
    """
    stub_function = _function(stub, name, "exercise cell")
    reference_function = _function(reference, name, "reference solution")
    stub_lines, reference_lines = stub.splitlines(), reference.splitlines()
    head = stub_lines[: _head_end(stub_function)]
    if [line.rstrip() for line in head] != [
        line.rstrip() for line in reference_lines[: _head_end(reference_function)]
    ]:
        raise ExerciseLayoutError(
            f"the exercise cell and the reference solution begin differently: their def {name} "
            "line and docstring must be the same"
        )
    hints = [
        _STUB_HINT.sub("# ", line, count=1)
        for line in stub_lines[len(head) : stub_function.body[-1].lineno - 1]
        if line.strip()
    ]
    body = reference_lines[_head_end(reference_function) : reference_function.end_lineno]
    indent = re.match(r"\s*", body[0]).group(0) if body else "    "
    return "\n".join([*head, *hints, indent + BEGIN, *body, indent + END])


# -- the graded notebook --------------------------------------------------------------------


def _nbgrader(grade_id, *, grade=False, solution=False, locked=False, points=None):
    """nbgrader's metadata for one cell (nbgrader/nbgraderformat/v3.py)."""
    metadata = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        metadata["points"] = points
    return {"nbgrader": metadata}


def _without_notebook_links(markdown):
    """Links to other lessons as plain text: the graded notebook travels without them."""
    return _NOTEBOOK_LINK.sub(r"\1", markdown)


def _section(notebook, index):
    """(index of the cell holding the exercise's heading, the heading's offset in it)."""
    for above in range(index - 1, -1, -1):
        cell = notebook.cells[above]
        if cell.cell_type != "markdown":
            continue
        headings = list(_EXERCISE_HEADING.finditer(cell.source))
        if headings:
            return above, headings[-1].start()
    raise ExerciseLayoutError("no `## Exercise...` heading above the exercise cell")


def _solution_cell(notebook, index, name):
    for cell in notebook.cells[index + 1 :]:
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            code = solution_code(cell.source)
            if code and f"def {name}(" in code:
                return code
    raise ExerciseLayoutError(f"no reference solution (a cell tagged `solution`) defines {name}")


def graded_notebooks(path):
    """The graded notebooks of one lesson, one per exercise (none for a lesson without).

    Parameters
    ----------
    path : str or Path
        A lesson, ``notebooks/NN_name.ipynb``.

    Returns
    -------
    list of Graded

    Raises
    ------
    ExerciseLayoutError
        If an exercise does not follow the course's exercise pattern in a way this tool
        needs (CONTRIBUTING.md, "The exercise pattern"); the message names the lesson.
    """
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    lesson = read_lesson(path)
    graded = []
    for index, check_index, checker in exercises(notebook):
        try:
            graded.append(_graded(path, lesson, notebook, index, check_index, checker))
        except (ExerciseLayoutError, SyntaxError) as error:
            raise ExerciseLayoutError(f"{path.name}, cell {index}: {error}") from None
    return graded


def _graded(path, lesson, notebook, index, check_index, checker):
    if checker is None:
        raise ExerciseLayoutError("the cell below the exercise calls no gmmlab.check checker")
    name = checker.exercise
    reference = _solution_cell(notebook, index, name)
    exercise_source = solution_source(notebook.cells[index].source, reference, name)
    heading_cell, offset = _section(notebook, index)
    needed = (used_globals(reference) | used_globals(notebook.cells[index].source)) - {name}
    imports, whole, missing = setup_cells(notebook, index, needed)
    if missing:
        raise ExerciseLayoutError(
            f"the reference solution uses {', '.join(sorted(missing))}, which no cell above "
            "defines"
        )
    points = len(checker.cases)
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {lesson.title}\n\n"
            f"**Graded exercise: `{name}`.** Write it in the cell that says "
            "`# YOUR CODE HERE`, then run every cell "
            "(*Run → Run All Cells*). The last cell is the check that grades it: "
            f"`{checker.name}` tries {points} cases and gives one point for each case "
            "your function gets right. Add any import your code needs in your own cell; "
            "the other cells are read-only.",
            metadata=_nbgrader("title", locked=True),
        )
    ]
    setup = [*imports]
    setup_sources = [notebook.cells[i].source for i in whole if i < heading_cell]
    source = "\n".join(setup) + ("\n\n" + "\n\n".join(setup_sources) if setup_sources else "")
    cells.append(nbformat.v4.new_code_cell(source, metadata=_nbgrader("setup", locked=True)))
    for i in range(heading_cell, index):
        cell = notebook.cells[i]
        if cell.cell_type == "markdown":
            text = cell.source[offset:] if i == heading_cell else cell.source
            cells.append(
                nbformat.v4.new_markdown_cell(
                    _without_notebook_links(text), metadata=_nbgrader(f"text_{i}", locked=True)
                )
            )
        elif i in whole and _STUB.search(cell.source):
            # A cell the lesson asks the learner to write in (lesson 8 pastes lessons 5-7 over
            # its stubs): editable, and kept as written. The cells after it use the learner's
            # functions only where they pass their checkers (use_if_correct).
            cells.append(nbformat.v4.new_code_cell(cell.source))
        elif i in whole:
            cells.append(
                nbformat.v4.new_code_cell(
                    cell.source, metadata=_nbgrader(f"cell_{i}", locked=True)
                )
            )
    cells.append(
        nbformat.v4.new_code_cell(exercise_source, metadata=_nbgrader(name, solution=True))
    )
    cells.append(
        nbformat.v4.new_code_cell(
            f"# Graded: one point per case of {checker.name} that passes; an unwritten "
            "exercise scores 0.\n"
            f"from gmmlab.check import {checker.name}\n\n"
            f"{checker.name}.grade({name})",
            metadata=_nbgrader(f"test_{name}", grade=True, locked=True, points=points),
        )
    )
    graded_notebook = nbformat.v4.new_notebook(cells=cells)
    for key in ("kernelspec", "language_info"):
        if key in notebook.metadata:
            graded_notebook.metadata[key] = notebook.metadata[key]
    nbformat.validate(graded_notebook)
    return Graded(path.stem, name, checker.name, points, graded_notebook)


# -- the course directory -------------------------------------------------------------------


def _prepare(out):
    """Create the course directory, refusing one that this tool did not start."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(
            f"{out} exists and was not written by {command('nbgrader_course')} (no {MARKER} "
            "file): refusing to write into it; choose another --out"
        )
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(
        "Written by tools/nbgrader_course.py (make nbgrader): it replaces nbgrader_config.py "
        "and source/<lesson>/ of each lesson with exercises, nothing else.\n"
    )


def build(out=OUT, paths=None):
    """Write the nbgrader course directory: its config and one assignment per lesson.

    Parameters
    ----------
    out : str or Path, default dist/nbgrader
    paths : list of Path, optional
        The lessons to include; by default every lesson of ``notebooks/``.

    Returns
    -------
    list of Graded
        One per exercise, in course order.

    Raises
    ------
    ExerciseLayoutError
        If an exercise does not follow the exercise pattern (see :func:`graded_notebooks`).
    SystemExit
        If ``out`` holds files and was not written by this tool.
    """
    out = Path(out)
    paths = resolve_notebooks([]) if paths is None else [Path(path) for path in paths]
    graded = []
    for path in paths:
        if LESSON_PATTERN.match(path.name):
            graded += graded_notebooks(path)
    _prepare(out)
    (out / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    for assignment in dict.fromkeys(item.assignment for item in graded):
        folder = out / "source" / assignment
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    for item in graded:
        nbformat.write(item.notebook, out / "source" / item.assignment / f"{item.exercise}.ipynb")
    return graded


def main(argv=None):
    """Build the nbgrader course; print each graded notebook."""
    parser = argparse.ArgumentParser(
        prog=command("nbgrader_course"), description=__doc__.splitlines()[0]
    )
    parser.add_argument("lessons", nargs="*", help="lessons to include (default: all)")
    parser.add_argument("--out", type=Path, default=OUT, help="course directory (dist/nbgrader)")
    args = parser.parse_args(argv)
    try:
        graded = build(args.out, resolve_notebooks(args.lessons))
    except ExerciseLayoutError as error:
        raise SystemExit(f"make nbgrader: {error}") from None
    except ValueError as error:  # a lesson that is not a notebook
        raise unreadable(error) from None
    for item in graded:
        print(item)
    assignments = len({item.assignment for item in graded})
    print(
        f"nbgrader course written to {args.out}: graded notebooks {len(graded)}, assignments "
        f"{assignments}; next, with .venv activated: cd {args.out} && nbgrader "
        'generate_assignment "*" (INSTRUCTORS.md)'
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
