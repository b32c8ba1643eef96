"""How fast the course is: each lesson's Run All as a learner on Binder gets it, nbval over
every lesson, and each slider's callback.

1. Runs each lesson as Run All in a fresh kernel on one core (``taskset -c 0``) with one
   BLAS thread (``OPENBLAS_NUM_THREADS=1`` and its OpenMP/MKL cousins), kernel start
   included: ``jupyter nbconvert --to notebook --execute``, as Binder's single core runs it
   (target: at most 10 s per lesson). Prints wall and CPU time (the CPU time of nbconvert
   and its kernel: what a quiet core would take; the wall time grows with the load, which
   is printed too).
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


# Runs nbconvert in a Python that, at exit, writes its own CPU time (the client: nbconvert's
# start, its imports, the notebook's reading and writing) and its children's (the kernel, reaped
# by then), so that what a learner's kernel spends is told apart from what only a command-line
# client costs (a Binder learner's server is already running).
_NBCONVERT_WITH_CPU = r"""
import atexit, json, resource, sys
_out = sys.argv.pop(1)
def _report():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kernel = resource.getrusage(resource.RUSAGE_CHILDREN)  # the kernel, reaped by then
    with open(_out, "w") as f:
        json.dump({"client": own.ru_utime + own.ru_stime,
                   "kernel": kernel.ru_utime + kernel.ru_stime}, f)
atexit.register(_report)
sys.argv[0] = "jupyter-nbconvert"
from nbconvert.nbconvertapp import main
main()
"""


def run_all_time(notebook):
    """(wall seconds, CPU seconds, kernel CPU seconds, error or None) of one Run All in a fresh
    kernel, on core 0 with one BLAS thread, kernel start included. The CPU time is nbconvert's
    and its kernel's; the kernel's alone is what a learner's core spends (None if unknown)."""
    with tempfile.TemporaryDirectory() as tmp:
        split = Path(tmp) / "cpu.json"
        command = [
            sys.executable,
            "-c",
            _NBCONVERT_WITH_CPU,
            str(split),
            "--to",
            "notebook",
            "--execute",
            "--stdout",
            "--ExecutePreprocessor.timeout=600",
            str(notebook),
        ]
        if shutil.which("taskset"):
            command = ["taskset", "-c", "0", *command]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run = subprocess.run(
            command,
            cwd=notebook.parent,
            env={**os.environ, **ONE_THREAD},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        kernel = json.loads(split.read_text())["kernel"] if split.exists() else None
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    error = None if run.returncode == 0 else run.stderr.strip().splitlines()[-1:]
    return wall, cpu, kernel, error


def print_run_all_times(notebooks):
    pinned = "core 0 (taskset)" if shutil.which("taskset") else "any core (no taskset here)"
    print(
        f"Run All in a fresh kernel, {pinned}, one BLAS thread, kernel start included "
        f"(target <= {RUN_ALL_TARGET_SECONDS:.0f} s); load average at start: "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    print(f"  {'lesson':28}{'wall s':>8}{'CPU s':>8}{'kernel CPU s':>14}")
    import nbformat

    with tempfile.TemporaryDirectory() as tmp:  # what starting nbconvert and a kernel costs
        empty = Path(tmp) / "one_cell.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), empty)
        wall, cpu, kernel, _ = run_all_time(empty)
        print(f"  {'(a one-cell notebook)':28}{wall:8.1f}{cpu:8.1f}{_seconds(kernel):>14}")
    slow = []
    for path in notebooks:
        wall, cpu, kernel, error = run_all_time(path)
        flag = "" if wall <= RUN_ALL_TARGET_SECONDS else "  MISSES"
        if error:
            flag += f"  FAILED: {error}"
        if wall > RUN_ALL_TARGET_SECONDS:
            slow.append(path.stem)
        print(f"  {path.name:28}{wall:8.1f}{cpu:8.1f}{_seconds(kernel):>14}{flag}")
    verdict = f"{len(slow)} miss the target: {', '.join(slow)}" if slow else "all meet the target"
    print(f"  {verdict} (wall time; on a loaded machine compare the CPU time)")
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
