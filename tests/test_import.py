"""`import gmmlab` stays light: NumPy only, no SciPy, scikit-learn, ipywidgets, pyplot or dask."""

import subprocess
import sys


def test_import_does_not_pull_heavy_modules():
    script = (
        "import sys, gmmlab\n"
        "heavy = [m for m in ('scipy', 'sklearn', 'ipywidgets', 'matplotlib.pyplot', 'matplotlib',"
        " 'dask', 'distributed', 'threadpoolctl') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert output.stdout.strip() == "[]", output.stderr


def test_submodules_load_on_first_use():
    script = "import gmmlab\nprint(gmmlab.plotting.component_color(0))\n"
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert output.stdout.strip() == "#0072B2", output.stderr


def test_fitting_in_memory_does_not_import_dask():
    """Only a dask array brings dask in: gmmlab.scale is loaded on demand."""
    script = (
        "import sys, numpy as np, gmmlab\n"
        "gmmlab.fit(np.arange(20.0), 2, seed=0)\n"
        "print([m for m in ('dask', 'distributed', 'gmmlab.scale') if m in sys.modules])\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert output.stdout.strip() == "[]", output.stderr
