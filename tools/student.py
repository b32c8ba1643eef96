"""Write the students' copy of the course: the lessons without their solutions.

    python -m tools.student                  # writes dist/student/ (make student)
    python -m tools.student --out some/dir   # somewhere else

The copy is the edition learners open (``notebooks/``, the one the README's links, Binder
and ``make lab`` show) minus its reference solutions: the cells tagged ``solution``
(collapsed Markdown ``<details>`` blocks that never run; nbconvert's
``TagRemovePreprocessor`` removes them) are removed, and nothing else changes. The
exercise cells keep the unwritten stub, and each check cell keeps its stored verdict,
which is the verdict on that stub in both editions (``make check-notebooks`` makes sure of
it: rule ``exercise``). Execution counts are renumbered 1, 2, ... in case a removed
solution was an old-style code cell.

Next to the notebooks go what the copy needs to run on its own: the
``gmmlab`` package (the lessons import it; with the notebooks in the same
folder, ``import gmmlab`` finds it), ``requirements.txt`` (the packages of
``pyproject.toml``: the library's and the "lab" extra) and a README that says
how to start. The output folder is replaced as a whole, and only if it is
empty or was written by this tool.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

from tools._startup import deferred_rfc3987_syntax

with deferred_rfc3987_syntax():  # jsonschema's rfc3987_syntax on first use (tools/_startup.py)
    import nbformat
    from nbconvert.preprocessors import TagRemovePreprocessor

from gmmlab.course import LESSON_PATTERN, lessons
from tools.outdir import replace_output_dir
from tools.project import NOTEBOOKS, ROOT, build_from_command_line, pyproject

OUT = ROOT / "dist" / "student"
SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
#: A file in the output folder that says this tool wrote it (and may replace it).
MARKER = ".gmmlab-student"


@dataclasses.dataclass
class Report:
    """What was done to one notebook."""

    name: str
    solutions_removed: int = 0
    exercises: int = 0

    def __str__(self):
        if not (self.solutions_removed or self.exercises):
            return f"{self.name}: copied (no exercises)"
        return (
            f"{self.name}: {self.exercises} exercise(s), "
            f"{self.solutions_removed} solution cell(s) removed"
        )


def _tags(cell):
    return set(cell.metadata.get("tags", []))


def student_notebook(notebook, name="notebook"):
    """The students' version of one notebook (a new object; the input is unchanged).

    Parameters
    ----------
    notebook : nbformat.NotebookNode
    name : str
        For the report.

    Returns
    -------
    (nbformat.NotebookNode, Report)
    """
    notebook = nbformat.from_dict(notebook)  # a deep copy
    report = Report(name)
    for cell in notebook.cells:
        tags = _tags(cell)
        report.solutions_removed += SOLUTION_TAG in tags
        report.exercises += EXERCISE_TAG in tags
    remover = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG})
    notebook, _ = remover.preprocess(notebook, {})
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.execution_count is not None:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if "execution_count" in output:
                    output.execution_count = count
    nbformat.validate(notebook)
    return notebook, report


def requirements():
    """The packages a student installs: the library's and the "lab" extra's."""
    project = pyproject()["project"]
    return project["dependencies"] + project["optional-dependencies"]["lab"]


def _readme(out):
    rows = "\n".join(
        f"{lesson.number}. [{lesson.summary}]({lesson.path.name})"
        + (f" ({lesson.minutes} min)" if lesson.minutes else "")
        for lesson in lessons(out)
    )
    return f"""# gmmlab: Gaussian mixture models and EM, the course

Start with the course map, `00_index.ipynb`, then take the lessons in order:

{rows}

## Running the course on your computer

You need Python 3.10 or newer. In this folder:

```bash
python -m venv .venv
.venv/bin/python -m pip install -r requirements.txt    # on Windows: .venv\\Scripts\\python
.venv/bin/jupyter lab 00_index.ipynb
```

Run each lesson top to bottom (*Run → Run All Cells*). In the exercises, write your code
where it says `# YOUR CODE HERE`, then run the check cell under it: it tells you which case
fails and why. Until your function passes, the cells after an exercise use gmmlab's own
version and say so in one line, so the rest of the lesson always runs; once it passes,
run them again and they use yours. The folder `gmmlab/` is the library the lessons use;
read it when you are curious how something is computed.
"""


def _prepare(out):
    """Empty the output folder, refusing to touch one this tool did not write."""
    replace_output_dir(out, MARKER, "make student")


def build(out=OUT, notebooks_dir=NOTEBOOKS):
    """Write the students' copy of every notebook of ``notebooks_dir`` into ``out``.

    Parameters
    ----------
    out : str or Path, default dist/student
        Replaced as a whole (only if empty or written by this tool).
    notebooks_dir : str or Path, default notebooks/

    Returns
    -------
    list of Report
        One per notebook, in course order.

    Raises
    ------
    SystemExit
        If ``out`` holds files this tool did not write.
    """
    out, notebooks_dir = Path(out), Path(notebooks_dir)
    _prepare(out)
    reports = []
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        if not LESSON_PATTERN.match(path.name):
            print(f"skipped {path.name}: not named NN_name.ipynb, so not part of the course")
            continue
        notebook, report = student_notebook(nbformat.read(path, as_version=4), path.name)
        nbformat.write(notebook, out / path.name)
        reports.append(report)
    shutil.copytree(
        ROOT / "gmmlab", out / "gmmlab", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    (out / "requirements.txt").write_text("\n".join(requirements()) + "\n", encoding="utf-8")
    (out / "README.md").write_text(_readme(out), encoding="utf-8")
    return reports


def main(argv=None):
    """Build the students' copy; print what was done to each notebook."""
    reports, args = build_from_command_line("student", __doc__.splitlines()[0], build, OUT, argv)
    for report in reports:
        print(report)
    print(f"students' copy written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
