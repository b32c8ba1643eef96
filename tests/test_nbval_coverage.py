"""`make test` runs every notebook under nbval, in strict mode, cell by cell."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def collected_cells():
    """What the project's own pytest configuration collects, as {notebook: [cell ids]}."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    cells = {}
    for line in run.stdout.splitlines():
        match = re.match(r"^notebooks/([^:]+\.ipynb)::(.+)$", line.strip())
        if match:
            cells.setdefault(match.group(1), []).append(match.group(2))
    return cells


def test_every_notebook_is_collected_with_every_code_cell():
    cells = collected_cells()
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        code_cells = [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]
        assert path.name in cells, f"{path.name} is not run by nbval"
        assert len(cells[path.name]) == len(code_cells), (
            f"{path.name}: nbval runs {len(cells[path.name])} cells of {len(code_cells)}"
        )


def test_nbval_runs_in_strict_mode():
    config = (ROOT / "pyproject.toml").read_text()
    assert "--nbval " in config or "--nbval\n" in config
    assert "--nbval-lax" not in config
    assert "--nbval-sanitize-with tests/nbval_sanitize.cfg" in config
