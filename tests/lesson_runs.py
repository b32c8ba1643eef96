"""Run notebooks as a learner does, for the tests of the learner's path.

A *run* is Run All in a fresh kernel: every code cell once, top to bottom, errors
recorded rather than raised (so that a test can name every broken cell). After it,
:func:`execute` can *re-run the earlier cells*: each code cell again, last to first,
in the kernel as the run left it, which is what a learner does when they scroll back
and press Shift+Enter on a cell. Going backwards, each cell runs after the cells below
it have re-created what they made in the run, so it sees the names the whole lesson
left behind; a name that a later section rebinds shows as a changed output.

Runs are independent kernels, so :class:`CourseRuns` (or :func:`execute_all`) runs
several at once, in the background (the tests use both cores of the machine). Every cell
has a time limit, and a run whose kernel dies or stalls is retried once (see
/work/shared/JUPYTER-NOTES.md: a client stalls now and then).

A run can also carry tests/colour_probe.py (``probe=True``): sent to the kernel before the
first cell, silently (no output, no execution count), it records the colour of every
component drawn over Iris data; :attr:`Run.colours` holds the records after Run All.

:func:`compare_outputs` is nbval's strict comparison of a cell's outputs with the stored
ones, so that one run serves it, the learner's path and the colours (tests/conftest.py's
``course_runs``).
"""

from __future__ import annotations

import configparser
import dataclasses
import json
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
    then : nbformat.NotebookNode or None
        With ``then=`` (see :func:`execute`), that notebook with the outputs it printed.
    seconds : float
        Wall time of the run, kernel start included.
    """

    name: str
    notebook: object
    reruns: dict
    seconds: float
    colours: list = dataclasses.field(default_factory=list)
    then: object = None

    def code_cells(self):
        """(index, cell) of every code cell that runs (nbclient skips empty ones)."""
        return [
            (index, cell)
            for index, cell in enumerate(self.notebook.cells)
            if cell.cell_type == "code" and cell.source.strip()
        ]


def execute(notebook, cwd, name="notebook", rerun=False, probe=False, then=None):
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
    probe : bool, default False
        Record the colours of the components drawn (tests/colour_probe.py).
    then : (nbformat.NotebookNode, int), optional
        After all that, in the same kernel: a changed copy of the notebook (cells may be
        changed from ``start`` on, and cells appended) and ``start``; its cells from
        ``start`` to the end are run in order, as a learner who edits cell ``start`` and
        runs it and all below (the tests write a wrong answer into an exercise this way).

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
            reruns, colours, after = _execute(copy, cwd, rerun, probe, then)
            return Run(name, copy, reruns, time.perf_counter() - start, colours, after)
        except (CellTimeoutError, DeadKernelError):
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


PROBE_SOURCE = (ROOT / "tests" / "colour_probe.py").read_text(encoding="utf-8")
PROBE_INSTALL = f"""
import sys as _s, types as _t
_m = _t.ModuleType("gmmlab_colour_probe")
_m.get_ipython = get_ipython
exec({PROBE_SOURCE!r}, _m.__dict__)
_s.modules[_m.__name__] = _m
_m.install()
del _s, _t, _m
"""
PROBE_DUMP = "import sys as _s; print(_s.modules['gmmlab_colour_probe'].dump()); del _s"


def _silently(client, code):
    """Run ``code`` in the client's kernel outside the notebook; return what it printed."""
    cell = nbformat.v4.new_code_cell(code)
    kept = client.nb.cells[0]
    client.execute_cell(cell, 0, store_history=False)  # nbclient puts it into the notebook...
    client.nb.cells[0] = kept  # ...which keeps its own
    errors = [o for o in cell.outputs if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"{errors[0].ename}: {errors[0].evalue}")
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def _execute(notebook, cwd, rerun, probe=False, then=None):
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=True,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    reruns, colours = {}, []
    with client.setup_kernel():
        if probe:
            _silently(client, PROBE_INSTALL)
        for index, cell in enumerate(notebook.cells):
            client.execute_cell(cell, index)
        if probe:
            colours = json.loads(_silently(client, PROBE_DUMP))
            for record in colours:  # the cell that was running, by its source
                record["index"] = next(
                    (
                        i
                        for i, c in enumerate(notebook.cells)
                        if c.cell_type == "code" and c.source[:200] == record["source"]
                    ),
                    None,
                )
        if rerun:
            for index in reversed(range(len(notebook.cells))):
                cell = notebook.cells[index]
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                again = nbformat.from_dict(cell)
                client.execute_cell(again, index)  # which puts `again` in the notebook...
                notebook.cells[index] = cell  # ...where the run's own outputs stay
                reruns[index] = again.outputs
        after = None
        if then is not None:
            after, start = nbformat.from_dict(then[0]), then[1]
            for index, cell in enumerate(after.cells[:start]):
                if cell.cell_type == "code":
                    cell.outputs = notebook.cells[index].outputs
            own = len(notebook.cells)
            for index in range(start, len(after.cells)):
                cell = after.cells[index]
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                if index >= len(notebook.cells):
                    notebook.cells.append(cell)
                kept = notebook.cells[index]
                client.execute_cell(cell, index)  # nbclient puts it into the notebook...
                notebook.cells[index] = kept  # ...which keeps its own
            del notebook.cells[own:]
    return reruns, colours, after


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


# -- nbval's strict comparison ----------------------------------------------------------------

#: What nbval leaves out of the comparison (nbval.plugin.IPyNbFile.skip_compare, without
#: --nbdime): output keys, and MIME types of display data.
SKIP_COMPARE = (
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
)
_CARRIAGE_RETURN = re.compile(r"^.*\r(?=[^\n])", re.MULTILINE)


def _coalesced(outputs):
    """nbval's coalesce_streams: one output per stream name, carriage returns applied.

    (nbval 0.11 means to apply backspaces too, but its loop never runs: neither does this.)
    """
    merged, streams = [], {}
    for output in outputs:
        output = dict(output)
        if output.get("output_type") == "stream":
            if output.get("name") in streams:
                streams[output["name"]]["text"] += output.get("text", "")
                continue
            output["text"] = output.get("text", "")
            streams[output.get("name")] = output
        merged.append(output)
    for output in streams.values():
        output["text"] = _CARRIAGE_RETURN.sub("", output["text"])
    return merged


def _flattened(outputs):
    """nbval's view of a cell's outputs: {key or MIME type: [sanitized values, in order]}."""
    flat = {}
    for output in _coalesced(outputs):
        if output.get("output_type") == "stream":  # nbval keys a stream by its name
            output = {"output_type": "stream", output.get("name"): output.get("text", "")}
        for key, value in output.items():
            if key in SKIP_COMPARE:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in SKIP_COMPARE:
                        flat.setdefault(mime, []).append(_sanitized(data))
            else:
                flat.setdefault(key, []).append(_sanitized(value))
    return flat


def _sanitized(value):
    return sanitize(value) if isinstance(value, str) else value


def compare_outputs(test, ref):
    """How a cell's new outputs differ from its stored ones, as nbval's strict mode sees it.

    The same rules as ``nbval.plugin.IPyNbCell.compare_outputs`` (nbval 0.11): streams of
    one name joined, carriage returns applied; every output key and MIME type compared except
    metadata, tracebacks, execution counts, widget views and PNG/JPEG images; strings
    sanitized with tests/nbval_sanitize.cfg; the outputs of one key compared in order.

    Parameters
    ----------
    test, ref : list of dict
        The outputs of the run and the stored ones.

    Returns
    -------
    str or None
        None when nbval would accept them, else what differs.
    """
    new, stored = _flattened(test), _flattened(ref)
    if set(stored) - set(new):
        return f"missing output fields from running code: {sorted(set(stored) - set(new))}"
    if set(new) - set(stored):
        return f"unexpected output fields from running code: {sorted(set(new) - set(stored))}"
    for key, values in stored.items():
        if len(new[key]) != len(values):
            return (
                f'dissimilar number of outputs for "{key}": '
                f"{len(values)} stored, {len(new[key])} now"
            )
        for old, now in zip(values, new[key], strict=True):
            if old != now:
                return f'"{key}" differs:\nstored:\n{str(old)[:1500]}\nnow:\n{str(now)[:1500]}'
    return None


def nbval_options(cell):
    """nbval's per-cell options from its comment markers and tags: check, skip, raises."""
    options = {"check": True, "skip": False, "raises": False}
    comments = [
        line.strip().lstrip("#").strip()
        for line in cell.source.splitlines()
        if line.strip().startswith("#")
    ]
    tags = cell.metadata.get("tags", [])
    if {"NBVAL_IGNORE_OUTPUT", "PYTEST_VALIDATE_IGNORE_OUTPUT"} & set(comments) or (
        "nbval-ignore-output" in tags
    ):
        options["check"] = False
    if "NBVAL_SKIP" in comments or "nbval-skip" in tags:
        options["skip"] = True
    if "NBVAL_RAISES_EXCEPTION" in comments or {
        "nbval-raises-exception",
        "raises-exception",
    } & set(tags):
        options["raises"] = True
    return options


def stored_output_problems(run, stored):
    """Every code cell whose run fails nbval's strict check against ``stored``.

    Parameters
    ----------
    run : Run
        A run of ``stored`` or of a copy with only non-code cells removed (the handout).
    stored : nbformat.NotebookNode
        The notebook with its stored outputs.

    Returns
    -------
    list of str
        One message per failing cell (cell numbers are the stored notebook's, from 1).
    """
    ran = [cell for cell in run.notebook.cells if cell.cell_type == "code"]
    reference = [(i, cell) for i, cell in enumerate(stored.cells) if cell.cell_type == "code"]
    if [c.source for c in ran] != [c.source for _, c in reference]:
        return ["the run's code cells are not the stored notebook's"]
    problems = []
    for cell, (index, stored_cell) in zip(ran, reference, strict=True):
        if not stored_cell.source.strip():
            continue
        options = nbval_options(stored_cell)
        if options["skip"]:
            continue
        where = f"cell {index + 1} ({stored_cell.source.splitlines()[0][:60]!r})"
        error = [o for o in cell.outputs if o.get("output_type") == "error"]
        if error and not options["raises"]:
            problems.append(f"{where} raised {error[0]['ename']}: {error[0]['evalue']}")
            continue
        if stored_cell.get("execution_count") is None:
            if stored_cell.outputs:
                problems.append(f"{where}: unrun reference cell has outputs")
            continue
        if options["check"]:
            difference = compare_outputs(cell.outputs, stored_cell.outputs)
            if difference:
                problems.append(f"{where}: cell outputs differ: {difference}")
    return problems


# -- the course's runs, shared by the tests of a session ------------------------------------


class CourseRuns:
    """Runs of notebooks, started at once in the background, awaited by the tests.

    ``CourseRuns(jobs)`` submits every job (keyword arguments of :func:`execute`) to a pool
    of :data:`WORKERS` threads, each driving one kernel, and returns at once: the tests that
    need no run go on meanwhile. ``runs[name]`` waits for that run.
    """

    def __init__(self, jobs, workers=WORKERS):
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lesson-run")
        self.futures = {job["name"]: self.pool.submit(execute, **job) for job in jobs}

    def __contains__(self, name):
        return name in self.futures

    def __getitem__(self, name):
        return self.futures[name].result()

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)
