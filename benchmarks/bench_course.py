"""How fast the course is: each lesson's Run All as a learner on Binder gets it, nbval over
every lesson, and each slider's callback.

1. Runs each lesson as Run All in a fresh kernel on one core (``taskset -c 0``) with one
   BLAS thread (``OPENBLAS_NUM_THREADS=1`` and its OpenMP/MKL cousins), kernel start
   included, with nbclient as Binder's single core runs it (target: at most 10 s per
   lesson). Prints the Run All's wall time, the kernel's CPU time (what a quiet core would
   take) and the client's (its imports apart: a learner's server has them loaded).
2. Runs nbval over notebooks/ (``pytest notebooks/``, nbval in strict mode), and prints the
   wall time of the whole course and of each lesson (target: the course
   under 60 s on 2 cores).
3. Executes each lesson in a fresh kernel, then moves every slider of every
   explorer it created through at least 10 values, timing the callback
   including the matplotlib render and PNG encoding (target: median under
   100 ms per callback).

A report, not a test: it never fails because a run was slow.

    python -m benchmarks.bench_course [--moves 12] [--skip-run-all] [--skip-nbval]
        [--skip-callbacks] [--notebooks DIR] [LESSON ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
COURSE_TARGET_SECONDS = 60.0
RUN_ALL_TARGET_SECONDS = 10.0
ONE_THREAD = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}
CALLBACK_TARGET_MS = 100.0

# Run in the lesson's kernel after all its cells: time every slider of every explorer.
PROBE = r"""
import json as _json, time as _time
import numpy as _np
from gmmlab.widgets import Explorer as _Explorer

def _slider_values(control, moves):
    low, high = control.min, control.max  # a FloatLogSlider's are exponents of its base
    step = getattr(control, "step", 1) or 1
    values = _np.linspace(low, high, moves)
    values = _np.round((values - low) / step) * step + low
    if hasattr(control, "base"):
        values = control.base ** values
    if isinstance(control.value, int):
        values = values.round().astype(int)
    values = [v.item() for v in values]
    # zig-zag so that every move changes the value
    return [v for pair in zip(values, values[::-1]) for v in pair][:moves]

_report = []
for _name, _explorer in list(globals().items()):
    if not isinstance(_explorer, _Explorer) or _name.startswith("_"):
        continue
    for _control_name, _control in _explorer.controls.items():
        _times = []
        for _value in _slider_values(_control, MOVES):
            if _value == _control.value:
                continue
            _start = _time.perf_counter()
            _control.value = _value  # as in the browser: the frame is drawn in the background
            _explorer.wait()
            _times.append(_time.perf_counter() - _start)
        _report.append({"explorer": _name, "kind": type(_explorer).__name__,
                        "control": _control_name, "times": _times})
print("PROBE" + _json.dumps(_report))
"""


# Runs one notebook with nbclient, as a learner's Run All runs it: the client is imported
# first (a learner's Jupyter server has it loaded long before they press Run All; importing
# nbformat and nbclient alone costs about 3.5 s of CPU here, 1.8 s of it jsonschema's
# rfc3987_syntax grammars), then the timer runs from the kernel's start to the last cell's
# end. Prints its own CPU time and the kernel's (reaped when the client shuts it down), so
# that what a learner's core spends is told apart from what only the client costs.
_RUN_ALL = r"""
import json, os, resource, sys, time
out, path = sys.argv[1], sys.argv[2]
import nbformat
from nbclient import NotebookClient

def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime

notebook = nbformat.read(path, as_version=4)
folder = {"metadata": {"path": os.path.dirname(path)}}
client = NotebookClient(notebook, timeout=600, resources=folder)
started, own = time.perf_counter(), cpu(resource.RUSAGE_SELF)
client.execute()
run_all = time.perf_counter() - started
with open(out, "w") as file:
    json.dump({"run_all": run_all, "client": cpu(resource.RUSAGE_SELF) - own,
               "client_start": own, "kernel": cpu(resource.RUSAGE_CHILDREN)}, file)
"""


def run_all_time(notebook):
    """(Run All seconds, kernel CPU seconds, client CPU seconds, process CPU seconds, error or
    None) of one Run All in a fresh kernel, client and kernel on core 0 with one BLAS thread.
    Run All is the wall time from the kernel's start to the last cell's end; the kernel's CPU
    is what a learner's core spends; the process CPU adds the client's imports."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "run.json"
        command = [sys.executable, "-c", _RUN_ALL, str(report), str(notebook)]
        if shutil.which("taskset"):
            command = ["taskset", "-c", "0", *command]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run(
            command,
            cwd=notebook.parent,
            env={**os.environ, **ONE_THREAD},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times = json.loads(report.read_text()) if report.exists() else {}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    error = None if run.returncode == 0 else run.stderr.strip().splitlines()[-1:]
    return times.get("run_all"), times.get("kernel"), times.get("client"), cpu, error


def print_run_all_times(notebooks):
    pinned = "core 0 (taskset)" if shutil.which("taskset") else "any core (no taskset here)"
    print(
        f"Run All in a fresh kernel (nbclient), {pinned}, one BLAS thread, kernel start "
        f"included (target <= {RUN_ALL_TARGET_SECONDS:.0f} s); load average at start: "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    header = ("Run All s", "kernel CPU s", "client CPU s", "process CPU s")
    print(f"  {'lesson':28}" + "".join(f"{name:>15}" for name in header))
    import nbformat

    def row(name, times):
        return f"  {name:28}" + "".join(f"{_seconds(value):>15}" for value in times[:4])

    with tempfile.TemporaryDirectory() as tmp:  # what starting a kernel costs
        empty = Path(tmp) / "one_cell.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), empty)
        print(row("(a one-cell notebook)", run_all_time(empty)))
    slow = []
    for path in notebooks:
        times = run_all_time(path)
        run_all, error = times[0], times[4]
        flag = "" if run_all is not None and run_all <= RUN_ALL_TARGET_SECONDS else "  MISSES"
        if error:
            flag += f"  FAILED: {error}"
        if flag:
            slow.append(path.stem)
        print(row(path.name, times) + flag)
    verdict = f"{len(slow)} miss the target: {', '.join(slow)}" if slow else "all meet the target"
    print(f"  {verdict} (Run All's wall time; on a loaded machine compare the kernel's CPU)")
    print()


def _seconds(value):
    return "?" if value is None else f"{value:.1f}"


def nbval_times(notebooks):
    """Wall time of nbval over the given notebooks, and seconds per notebook."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "nbval.xml"
        start = time.perf_counter()
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report}",
                *map(str, notebooks),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        total = time.perf_counter() - start
        per_file = defaultdict(float)
        for case in ElementTree.parse(report).getroot().iter("testcase"):
            match = re.search(r"[^./]+\.ipynb$", case.get("classname", ""))
            if match:  # classname is "notebooks.03_iris_1d.ipynb"
                per_file[match.group(0)] += float(case.get("time", 0))
    return total, dict(per_file), run.returncode


def callback_times(notebook, moves):
    """Execute one lesson, then time each slider of each of its explorers."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    probe = nbformat.v4.new_code_cell(f"MOVES = {moves}\n" + PROBE)
    nb.cells.append(probe)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    client.execute()
    for output in probe.outputs:
        text = output.get("text", "")
        if text.startswith("PROBE"):
            return json.loads(text[len("PROBE") :])
    raise RuntimeError(f"{notebook.name}: the timing probe printed nothing")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson names (default: all)")
    parser.add_argument("--moves", type=int, default=12, help="slider moves per slider (>= 10)")
    parser.add_argument("--skip-run-all", action="store_true")
    parser.add_argument("--skip-nbval", action="store_true")
    parser.add_argument("--skip-callbacks", action="store_true")
    parser.add_argument(
        "--notebooks",
        type=Path,
        default=NOTEBOOKS,
        help="the lessons' folder (another checkout's, run with its Python, for a before/after)",
    )
    args = parser.parse_args(argv)
    notebooks = sorted(args.notebooks.glob("*.ipynb"))
    if args.lessons:
        wanted = {name.removesuffix(".ipynb") for name in args.lessons}
        notebooks = [path for path in notebooks if path.stem in wanted]

    if not args.skip_run_all:
        print_run_all_times(notebooks)

    if not args.skip_nbval:
        total, per_file, code = nbval_times(notebooks)
        status = "passed" if code == 0 else f"FAILED (exit {code})"
        verdict = "meets" if total <= COURSE_TARGET_SECONDS else "MISSES"
        print(
            f"nbval over {len(notebooks)} notebooks: {total:.1f} s wall time, {status} "
            f"({verdict} the target <= {COURSE_TARGET_SECONDS:.0f} s)"
        )
        for path in notebooks:
            print(f"  {path.name:28}{per_file.get(path.name, 0.0):6.1f} s in its cells")
        print()

    if args.skip_callbacks:
        return
    print(
        f"slider callbacks, update + render + PNG (median of >= {args.moves - 2} moves each; "
        f"target < {CALLBACK_TARGET_MS:.0f} ms)"
    )
    print(f"  {'lesson':22}{'explorer':24}{'slider':12}{'median ms':>10}{'max ms':>9}")
    worst = 0.0
    for path in notebooks:
        for entry in callback_times(path, args.moves):
            times_ms = [1000 * t for t in entry["times"]]
            median = statistics.median(times_ms)
            worst = max(worst, median)
            flag = "" if median < CALLBACK_TARGET_MS else "  MISSES"
            print(
                f"  {path.stem:22}{entry['kind']:24}{entry['control']:12}"
                f"{median:10.1f}{max(times_ms):9.1f}{flag}"
            )
    verdict = "meets" if worst < CALLBACK_TARGET_MS else "MISSES"
    print(f"slowest median callback: {worst:.1f} ms ({verdict} the target)")


if __name__ == "__main__":
    main()
