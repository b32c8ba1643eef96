"""Re-execute lessons in place, in a fresh kernel, and normalise them for git.

    python -m tools.refresh                      # every notebook in notebooks/ (make refresh)
    python -m tools.refresh 04_iris_2d 06_e_step # some (LESSON= forms: 04_iris_2d,
                                                 # 04_iris_2d.ipynb, notebooks/04_iris_2d.ipynb)
    python -m tools.refresh templates/lesson_template.ipynb   # make refresh-template

Each notebook runs top to bottom in its own kernel (in a child process with
a time limit, retried if a kernel stalls), then is normalised so that
re-running an unchanged lesson changes nothing in git: execution counts in
order, a fixed kernelspec and language metadata, no widget state or widget
views (an explorer keeps its text/plain and its application/vnd.gmmlab.explorer+json
description, see gmmlab.widgets), no timing or other transient metadata, and
one stream output where the kernel split one print into several. A lesson that
raises an error is left as it was and the command fails, naming the cell.

For each lesson it then prints the text outputs that changed, cell by cell, as a
diff (figures are not compared): the numbers the prose may quote. An unchanged
lesson prints "no text output changed".
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from pathlib import Path

from tools._startup import deferred_rfc3987_syntax

with deferred_rfc3987_syntax():  # jsonschema's rfc3987_syntax on first use (tools/_startup.py)
    import nbformat
    from nbclient import NotebookClient

from gmmlab.widgets import EXPLORER_MIME  # what an explorer shows beside its widget view
from tools.project import ROOT, command, resolve_notebooks

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Cell metadata worth keeping: tags (nbval, solution...) and JupyterLab's collapsing.
KEPT_CELL_METADATA = ("tags", "jupyter")
CELL_TIMEOUT = 120  # seconds, per cell
NOTEBOOK_TIMEOUT = 600  # seconds, per attempt
ATTEMPTS = 3


def merge_streams(outputs):
    """The outputs with each run of consecutive stream outputs of one name joined into one.

    A kernel may send one printed line as two messages (stdout is flushed in pieces), which
    nbclient stores as two outputs: joined, the stored notebook no longer depends on it.
    """
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] = previous.get("text", "") + output.get("text", "")
        else:
            merged.append(output)
    return merged


def normalise(notebook):
    """Strip what makes diffs noisy; return the notebook."""
    notebook.metadata = nbformat.from_dict(
        {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    )
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    for cell in notebook.cells:
        cell.metadata = nbformat.from_dict(
            {key: cell.metadata[key] for key in KEPT_CELL_METADATA if key in cell.metadata}
        )
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
            for output in cell.outputs:
                output.pop("transient", None)
                if "metadata" in output:
                    output.metadata.pop("transient", None)
                # A stored widget view is useless without the live kernel (JupyterLab shows
                # "model not found") and its model id changes on every run. An explorer keeps
                # its description (EXPLORER_MIME, which the browser suite reads) and its
                # text/plain (what the snapshot above shows; run the notebook to move it);
                # another widget keeps its text/plain.
                data = output.get("data", {})
                if WIDGET_VIEW in data and (EXPLORER_MIME in data or "text/plain" in data):
                    del data[WIDGET_VIEW]
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return notebook


def execute_in_place(path):
    """Run one notebook in a fresh kernel and write it back, normalised."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    nbformat.validate(normalise(notebook))
    nbformat.write(notebook, path)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=command("refresh"), description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "lessons", nargs="*", help="lessons (01_intro, 01_intro.ipynb, ...); default: all"
    )
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.one:
        execute_in_place(args.one)
        return 0
    failed = []
    for path in resolve_notebooks(args.lessons):
        before = _readable(path)
        if before is None:
            from tools.check_notebooks import unreadable_message

            try:
                nbformat.read(path, as_version=4)
            except Exception as error:
                print(f"not refreshing {path.name}: {unreadable_message(path, error)}")
            failed.append(path.name)
            continue
        for attempt in range(1, ATTEMPTS + 1):
            print(f"refreshing {path.name} ...", end=" ", flush=True)
            try:
                run = subprocess.run(
                    [sys.executable, "-m", "tools.refresh", "--one", str(path.resolve())],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=NOTEBOOK_TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                print(f"stalled after {NOTEBOOK_TIMEOUT} s (attempt {attempt} of {ATTEMPTS})")
                continue
            if run.returncode == 0:
                print("ok")
                print(changed_text(before, _readable(path)) or "  no text output changed")
                break
            print("FAILED")
            print(_error_summary(run.stderr), file=sys.stderr)
            failed.append(path.name)
            break
        else:
            failed.append(path.name)
    if failed:
        print(f"not refreshed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _readable(path):
    """The notebook, or None if it cannot be read (the refresh then says why)."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception:
        return None


def text_outputs(cell):
    """What a code cell shows as text: its streams and text/plain, streams joined."""
    parts = []
    for output in merge_streams(nbformat.from_dict(cell.get("outputs", []))):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}\n")
        elif "text/plain" in output.get("data", {}):
            parts.append(output["data"]["text/plain"] + "\n")
    return "".join(parts)


def _output_ignored(cell):
    """Cells whose output differs on every run (timings): nbval ignores it, so does the diff."""
    return "NBVAL_IGNORE_OUTPUT" in cell.source or "nbval-ignore-output" in cell.metadata.get(
        "tags", []
    )


def changed_text(before, after):
    """A readable diff of the text outputs that differ, cell by cell ('' if none).

    Cells are paired by their id (by position for cells without one); a new cell shows its
    whole output. Cells marked NBVAL_IGNORE_OUTPUT (timings) are left out.
    """
    if before is None or after is None:
        return ""
    old = {
        cell.get("id", position): cell
        for position, cell in enumerate(before.cells)
        if cell.cell_type == "code"
    }
    blocks = []
    for position, cell in enumerate(after.cells, start=1):
        if cell.cell_type != "code" or _output_ignored(cell):
            continue
        previous = old.get(cell.get("id", position - 1))
        was = text_outputs(previous) if previous is not None else ""
        now = text_outputs(cell)
        if was == now:
            continue
        first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
        header = f"  cell {position} ({first[:50]!r}): text output changed"
        diff = difflib.unified_diff(
            was.splitlines(), now.splitlines(), "before", "after", lineterm="", n=1
        )
        blocks.append(header + "\n" + "\n".join(f"    {line}" for line in list(diff)[2:]))
    return "\n".join(blocks)


def _error_summary(stderr):
    """The part of nbclient's error that names the cell and the exception."""
    marker = "An error occurred while executing the following cell:"
    return stderr[stderr.find(marker) :] if marker in stderr else stderr[-3000:]


if __name__ == "__main__":
    sys.exit(main())
