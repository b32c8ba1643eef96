"""Run notebooks as a learner does, for the tests of the learner's path.

A *run* is Run All in a fresh kernel: every code cell once, top to bottom, errors
recorded rather than raised (so that a test can name every broken cell). After it,
:func:`execute` can *re-run the earlier cells*: each code cell again, last to first,
in the kernel as the run left it, which is what a learner does when they scroll back
and press Shift+Enter on a cell. Going backwards, each cell runs after the cells below
it have re-created what they made in the run, so it sees the names the whole lesson
left behind; a name that a later section rebinds shows as a changed output.

Runs are independent kernels, so :func:`execute_all` runs several at once (the tests
use both cores of the machine). Every cell has a time limit, and a run whose kernel
dies or stalls is retried once (see /work/shared/JUPYTER-NOTES.md: a client stalls now
and then).
"""

from __future__ import annotations

import configparser
import dataclasses
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from tools.project import ROOT

CELL_TIMEOUT = 120  # seconds, per cell
WORKERS = 2  # the machine's cores; each run is one kernel process
IGNORE_OUTPUT = "NBVAL_IGNORE_OUTPUT"
IGNORE_OUTPUT_TAG = "nbval-ignore-output"


def _sanitizers():
    """nbval's own sanitize file: memory addresses and ipykernel's cell file names."""
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


SANITIZERS = _sanitizers()


def sanitize(text):
    for regex, replacement in SANITIZERS:
        text = regex.sub(replacement, text)
    return text


def output_text(outputs):
    """The text a learner reads in a cell's outputs, as nbval compares it (figures aside).

    Consecutive stream outputs of one name are joined (a kernel may split one printed
    line in two), and memory addresses are masked as nbval masks them.
    """
    parts = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            text = output.get("text", "")
            if parts and parts[-1][0] == output.get("name"):
                parts[-1] = (parts[-1][0], parts[-1][1] + text)
            else:
                parts.append((output.get("name"), text))
        elif kind in ("execute_result", "display_data"):
            plain = output.get("data", {}).get("text/plain")
            if plain is not None:
                parts.append(("text/plain", plain))
        elif kind == "error":
            parts.append(("error", f"{output.get('ename')}: {output.get('evalue')}"))
    return sanitize("\n".join(f"[{name}]\n{text}" for name, text in parts))


def errors(notebook):
    """(cell position from 1, first line, 'ename: evalue') of every error output."""
    found = []
    for position, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.output_type == "error":
                first = next((line for line in cell.source.splitlines() if line.strip()), "")
                found.append((position, first[:60], f"{output.ename}: {output.evalue}"))
    return found


def output_is_ignored(cell):
    """Whether nbval ignores this cell's output (it still runs, and an error still fails)."""
    return IGNORE_OUTPUT in cell.source or IGNORE_OUTPUT_TAG in cell.metadata.get("tags", [])


@dataclasses.dataclass
class Run:
    """One notebook run as a learner runs it.

    Attributes
    ----------
    name : str
    notebook : nbformat.NotebookNode
        The notebook with the outputs of Run All.
    reruns : dict
        Cell index -> the outputs of that cell when it was run again after Run All
        (empty unless asked for).
    seconds : float
        Wall time of the run, kernel start included.
    """

    name: str
    notebook: object
    reruns: dict
    seconds: float

    def code_cells(self):
        """(index, cell) of every code cell that runs (nbclient skips empty ones)."""
        return [
            (index, cell)
            for index, cell in enumerate(self.notebook.cells)
            if cell.cell_type == "code" and cell.source.strip()
        ]


def execute(notebook, cwd, name="notebook", rerun=False):
    """Run All in a fresh kernel; optionally re-run every code cell, last to first.

    Parameters
    ----------
    notebook : nbformat.NotebookNode or Path
        Not modified: the run works on a copy.
    cwd : Path
        The folder the kernel starts in (where the notebook lives: ``import gmmlab`` and
        relative paths resolve from there, as in JupyterLab).
    name : str
    rerun : bool, default False

    Returns
    -------
    Run
    """
    if isinstance(notebook, (str, Path)):
        notebook = nbformat.read(notebook, as_version=4)
    for attempt in (1, 2):
        copy = nbformat.from_dict(notebook)
        start = time.perf_counter()
        try:
            reruns = _execute(copy, cwd, rerun)
            return Run(name, copy, reruns, time.perf_counter() - start)
        except (CellTimeoutError, DeadKernelError):
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _execute(notebook, cwd, rerun):
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    reruns = {}
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        if rerun:
            for index in reversed(range(len(notebook.cells))):
                cell = notebook.cells[index]
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                again = nbformat.from_dict(cell)
                client.execute_cell(again, index)  # which puts `again` in the notebook...
                notebook.cells[index] = cell  # ...where the run's own outputs stay
                reruns[index] = again.outputs
    return reruns


def execute_all(jobs, workers=WORKERS):
    """Run several notebooks at once, each in its own kernel.

    Parameters
    ----------
    jobs : list of dict
        Keyword arguments of :func:`execute`, one dict per notebook.

    Returns
    -------
    dict
        name -> Run, in the order of ``jobs``.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(execute, **job) for job in jobs]
        runs = [future.result() for future in futures]
    return {run.name: run for run in runs}
