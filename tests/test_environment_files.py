"""conda's environment.yml files list the same packages as pyproject.toml."""

import re

import pytest
import yaml

from tools.project import ROOT, pyproject

# conda-forge names that differ from PyPI's.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}
NOT_PACKAGES = {"python", "pip"}


def split_requirement(text):
    """'numpy>=1.24' or 'numpy >=1.24' -> ('numpy', '>=1.24')."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", text)
    return match.group(1).lower(), match.group(2).replace(" ", "")


def pyproject_requirements():
    project = pyproject()["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["lab"]
    return dict(split_requirement(r) for r in requirements)


def conda_requirements(path):
    environment = yaml.safe_load(path.read_text())
    assert environment["channels"] == ["conda-forge"]
    packages = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):  # the pip: section
            continue
        name, spec = split_requirement(entry)
        if name not in NOT_PACKAGES:
            packages[CONDA_TO_PYPI.get(name, name)] = spec
    return packages


@pytest.mark.parametrize("path", ["environment.yml", "binder/environment.yml"])
def test_conda_environment_matches_pyproject(path):
    assert conda_requirements(ROOT / path) == pyproject_requirements()


def test_binder_installs_gmmlab_and_python_versions_agree():
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install" in post_build and "-e ." in post_build
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    pinned = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())["dependencies"]
    python = next(d for d in pinned if isinstance(d, str) and d.startswith("python"))
    minimum = pyproject()["project"]["requires-python"]
    assert minimum == ">=3.10" and python == "python=3.11"


def test_split_requirement_catches_a_disagreement(tmp_path):
    """The comparison itself: a changed bound or a missing package is seen."""
    changed = (ROOT / "environment.yml").read_text().replace("numpy>=1.24", "numpy>=1.20")
    (tmp_path / "environment.yml").write_text(changed)
    assert conda_requirements(tmp_path / "environment.yml") != pyproject_requirements()
