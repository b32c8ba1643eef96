"""Binder, as Binder builds it: repo2docker's Dockerfile and the base environment under our pins.

repo2docker (the tool mybinder.org builds images with) runs here with ``--no-build``: it prints
the Dockerfile it would build, without a Docker engine. Binder installs ``binder/requirements.txt``
with pip *on top of* repo2docker's own base environment for the Python of ``runtime.txt``, whose
conda lock file ships inside the repo2docker package. A package of that base environment that our
pins do not replace keeps the base's version: the base's Notebook 7.4 requires JupyterLab < 4.5,
so the pins must carry a Notebook that goes with their JupyterLab.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.binder import pinned_runtime, read_pins, repo2docker_base
from tools.project import ROOT

#: The Jupyter packages the base environment and the course share: each must be pinned by
#: binder/requirements.txt, or the image holds the base's version beside our JupyterLab.
FRONT_END = (
    "jupyterlab", "notebook", "jupyter-server", "jupyterlab-server", "notebook-shim",
    "jupyterlab-widgets", "widgetsnbextension", "ipywidgets", "ipykernel", "jupyter-client",
    "jupyter-core", "traitlets",
)  # fmt: skip


def repo2docker():
    executable = Path(sys.executable).with_name("repo2docker")
    if not executable.exists():
        found = shutil.which("repo2docker")
        if found is None:
            pytest.fail("repo2docker is not installed: run `make setup` (the test extra has it)")
        executable = Path(found)
    return executable


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory):
    """The Dockerfile repo2docker would build for a clean copy of the repository's binder/."""
    copy = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "binder", copy / "binder")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    run = subprocess.run(
        [str(repo2docker()), "--no-build", "--no-run", "--debug", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout + run.stderr


def base_versions():
    """{package: version} of the base environment's Python packages, as tools.binder reads it."""
    return repo2docker_base()


def test_binder_installs_our_pins_then_runs_post_build(dockerfile):
    assert "binder/requirements.txt" in dockerfile
    install = re.search(
        r"RUN \$\{KERNEL_PYTHON_PREFIX\}/bin/pip install .*-r \"?binder/requirements.txt",
        dockerfile,
    )
    assert install, "repo2docker no longer pip-installs binder/requirements.txt as expected"
    assert "./binder/postBuild" in dockerfile
    # the Python it builds on is runtime.txt's, in repo2docker's conda base environment
    version = pinned_runtime().removeprefix("python-")
    assert (
        f"environment.py-{version}" in dockerfile
        or f"python={version}" in dockerfile
        or (version in dockerfile)
    )


def test_every_front_end_package_of_the_base_environment_is_pinned():
    base = base_versions()
    pins = read_pins()
    shared = [name for name in FRONT_END if name in base]
    assert "notebook" in shared and "jupyterlab" in shared, sorted(base)[:20]
    unpinned = [f"{name} (base: {base[name]})" for name in shared if name not in pins]
    assert not unpinned, (
        "binder/requirements.txt leaves these at repo2docker's base version, beside our "
        f"JupyterLab {pins.get('jupyterlab')}: {', '.join(unpinned)}; add them to the lab extra "
        "and run `make lock`"
    )
