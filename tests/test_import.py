"""`import gmmlab` stays light: no scikit-learn, ipywidgets or pyplot."""

import subprocess
import sys


def test_import_does_not_pull_heavy_modules():
    script = (
        "import sys, gmmlab\n"
        "heavy = [m for m in ('sklearn', 'ipywidgets', 'matplotlib.pyplot', 'matplotlib')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert output.stdout.strip() == "[]", output.stderr


def test_submodules_load_on_first_use():
    script = "import gmmlab\nprint(gmmlab.plotting.component_color(0))\n"
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert output.stdout.strip() == "#0072B2", output.stderr
