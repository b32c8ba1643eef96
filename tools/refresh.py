"""Re-execute lessons in place, in a fresh kernel, and normalise them for git.

    python tools/refresh.py                      # every notebook in notebooks/
    python tools/refresh.py 04_iris_2d 06_e_step # some (names with or without .ipynb)

Each notebook runs top to bottom in its own kernel (in a child process with
a time limit, retried if a kernel stalls), then is normalised so that
re-running an unchanged lesson changes nothing in git: execution counts in
order, a fixed kernelspec and language metadata, no widget state or widget
views (their text/plain stays), no timing or other transient metadata. A
lesson that raises an error is left as it was and the command fails, naming
the cell.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

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
            for output in cell.outputs:
                output.pop("transient", None)
                if "metadata" in output:
                    output.metadata.pop("transient", None)
                # A stored widget view is useless without the live kernel (JupyterLab shows
                # "model not found") and its model id changes on every run: keep the
                # widget's text/plain, which tells the reader to run the notebook.
                if "data" in output and WIDGET_VIEW in output.data and len(output.data) > 1:
                    del output.data[WIDGET_VIEW]
        else:
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    return notebook


def execute_in_place(path):
    """Run one notebook in a fresh kernel and write it back, normalised."""
    from nbclient import NotebookClient

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


def resolve(names):
    if not names:
        paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    else:
        paths = [
            NOTEBOOKS / (name if name.endswith(".ipynb") else f"{name}.ipynb") for name in names
        ]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        sys.exit(f"no such lesson: {', '.join(missing)} (see notebooks/)")
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson names; all when none are given")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.one:
        execute_in_place(args.one)
        return 0
    failed = []
    for path in resolve(args.lessons):
        for attempt in range(1, ATTEMPTS + 1):
            print(f"refreshing {path.name} ...", end=" ", flush=True)
            try:
                run = subprocess.run(
                    [sys.executable, __file__, "--one", str(path)],
                    capture_output=True,
                    text=True,
                    timeout=NOTEBOOK_TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                print(f"stalled after {NOTEBOOK_TIMEOUT} s (attempt {attempt} of {ATTEMPTS})")
                continue
            if run.returncode == 0:
                print("ok")
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


def _error_summary(stderr):
    """The part of nbclient's error that names the cell and the exception."""
    marker = "An error occurred while executing the following cell:"
    return stderr[stderr.find(marker) :] if marker in stderr else stderr[-3000:]


if __name__ == "__main__":
    sys.exit(main())
