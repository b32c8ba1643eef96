"""Environment files: conda's follows pyproject.toml; Binder's is exactly what the tests run on.

- ``environment.yml`` (conda users) lists the packages of pyproject.toml (runtime and the
  learners' extras, "lab" and "scale", as Binder installs them) with the same lower bounds:
  it stays flexible.
- ``binder/`` is what repo2docker reads: ``requirements.txt`` (exact pins, written by
  ``make lock``), ``runtime.txt`` and ``postBuild``, and no file repo2docker would prefer.
- The pins cover every requirement of pyproject.toml that a learner needs and satisfy its
  ranges, and they are exactly the packages this environment (``.venv``, on Binder's Python)
  runs: the closure of ``gmmlab[lab]`` computed here from the installed packages' own
  metadata, independently of pip's resolver that ``make lock`` uses. When they drift (a
  package upgraded in ``.venv``, a pin edited by hand) this test names each difference.
  ``make binder-check`` (in CI) then installs the pins alone and runs the lessons.
"""

import importlib.metadata
import re

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from tools import binder
from tools.project import ROOT, pyproject

# conda-forge names that differ from PyPI's.
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib", "dask-core": "dask"}
NOT_PACKAGES = {"python", "pip"}
# Files that make repo2docker ignore binder/requirements.txt (its documented precedence).
PREFERRED_BY_REPO2DOCKER = {"environment.yml", "Dockerfile", "Pipfile", "Pipfile.lock",
                            "default.nix", "Project.toml", "install.R"}


def split_requirement(text):
    """'numpy>=1.24' or 'numpy >=1.24' -> ('numpy', '>=1.24')."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", text)
    return match.group(1).lower(), match.group(2).replace(" ", "")


def project():
    return pyproject()["project"]


def pyproject_requirements():
    """{name: lower bound} of the runtime dependencies and the learners' extras (no extras of
    their own: conda-forge's dask-core is dask[array] once numpy is installed)."""
    requirements = list(project()["dependencies"])
    for extra in binder.LEARNER_EXTRAS:
        requirements += project()["optional-dependencies"][extra]
    return {Requirement(r).name.lower(): str(Requirement(r).specifier) for r in requirements}


def learner_requirements():
    """What Binder must install: the runtime dependencies and the learners' extras."""
    extras = project()["optional-dependencies"]
    requirements = list(project()["dependencies"])
    for extra in binder.LEARNER_EXTRAS:
        requirements += extras.get(extra, [])
    return [Requirement(text) for text in requirements]


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


def test_conda_environment_matches_pyproject():
    assert conda_requirements(ROOT / "environment.yml") == pyproject_requirements()


def test_split_requirement_catches_a_disagreement(tmp_path):
    """The comparison itself: a changed bound or a missing package is seen."""
    changed = (ROOT / "environment.yml").read_text().replace("numpy>=1.24", "numpy>=1.20")
    (tmp_path / "environment.yml").write_text(changed)
    assert conda_requirements(tmp_path / "environment.yml") != pyproject_requirements()


# -- binder/ ---------------------------------------------------------------------


def test_binder_folder_is_what_repo2docker_reads():
    present = {path.name for path in (ROOT / "binder").iterdir()}
    assert {"requirements.txt", "runtime.txt", "postBuild"} <= present
    preferred = present & PREFERRED_BY_REPO2DOCKER
    assert not preferred, f"repo2docker would use {preferred} instead of requirements.txt"
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert post_build.startswith("#!/bin/bash") and "set -e" in post_build
    # gmmlab itself, and nothing else: its dependencies are all pinned
    assert "pip install --no-deps -e ." in post_build
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_binder_python_is_one_pyproject_allows():
    runtime = binder.pinned_runtime()
    assert re.fullmatch(r"python-3\.\d+", runtime), runtime
    requires = Requirement(f"python{project()['requires-python']}").specifier
    assert Version(runtime.removeprefix("python-")) in requires


def test_every_learner_requirement_is_pinned_within_its_range():
    pins = binder.read_pins()
    environment = {"python_version": binder.pinned_runtime().removeprefix("python-")}
    problems = []
    for requirement in learner_requirements():
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        name = binder.canonical(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} (pyproject.toml) is not pinned")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{name}=={pins[name]} is outside pyproject.toml's {requirement}")
    assert not problems, "binder/requirements.txt: " + "; ".join(problems) + ": run `make lock`"


def test_a_pin_must_be_exact(tmp_path):
    loose = tmp_path / "requirements.txt"
    loose.write_text("# comment\nscipy==1.17.1  # gmmlab: scipy>=1.10\n\nnumpy>=1.24\n")
    with pytest.raises(binder.BinderError, match=r"line 4: 'numpy>=1.24' is not an exact pin"):
        binder.read_pins(loose)
    loose.write_text("numpy==2.4.6\nNumPy==2.4.5\n")
    with pytest.raises(binder.BinderError, match="line 2: NumPy is pinned twice"):
        binder.read_pins(loose)


def installed_closure(root, extras):
    """``{canonical name: version}`` of everything ``root[extras]`` needs, from the installed
    packages' metadata (their Requires-Dist, markers evaluated here, extras followed)."""
    wanted = {binder.canonical(root): frozenset(extras)}
    queue = [binder.canonical(root)]
    versions, missing = {}, []
    while queue:
        name = queue.pop()
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
            continue
        versions[name] = distribution.version
        for text in distribution.requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker and not any(marker.evaluate({"extra": e}) for e in wanted[name] or {""}):
                continue
            child = binder.canonical(requirement.name)
            extras_needed = wanted.get(child, frozenset()) | set(requirement.extras)
            if child not in wanted or extras_needed != wanted[child]:
                wanted[child] = frozenset(extras_needed)
                queue.append(child)
    versions.pop(binder.canonical(root))
    return versions, missing


def test_binder_pins_are_exactly_what_the_tests_run_on():
    if binder.pinned_runtime() != binder.python_tag():
        pytest.skip(
            f"binder/ pins packages for {binder.pinned_runtime()}; this is "
            f"{binder.python_tag()}: make binder-check checks the pins on Binder's Python"
        )
    pins = binder.read_pins()
    extras = [e for e in binder.LEARNER_EXTRAS if e in project()["optional-dependencies"]]
    running, missing = installed_closure(binder.PROJECT, extras)
    assert not missing, f"installed packages need {missing}, which are not installed"
    problems = [f"{n}=={running[n]} is needed but not pinned" for n in sorted(running.keys()
                                                                                  - pins.keys())]
    problems += [f"{n}=={pins[n]} is pinned but gmmlab[{','.join(extras)}] does not need it"
                 for n in sorted(pins.keys() - running.keys())]
    problems += [f"{n}: pinned {pins[n]}, the tests run on {running[n]}"
                 for n in sorted(pins.keys() & running.keys()) if pins[n] != running[n]]
    assert not problems, (
        "binder/requirements.txt is not what this environment runs, so Binder would not be "
        "what the tests ran on:\n  " + "\n  ".join(problems) + "\nEither `make lock` (pin "
        "what .venv runs, once `make test` passes) or `make setup` (install the pins)."
    )


def test_the_closure_sees_a_transitive_dependency():
    """The reference the drift test compares with finds packages gmmlab never names."""
    running, _ = installed_closure(binder.PROJECT, ["lab"])
    assert {"numpy", "jupyterlab", "jupyter-server", "tornado", "pyzmq"} <= running.keys()
    assert "pytest" not in running and "playwright" not in running  # test tools stay out
    without_lab, _ = installed_closure(binder.PROJECT, [])
    assert "jupyterlab" not in without_lab and "scipy" in without_lab


def test_untested_packages_stop_the_lock():
    problems = binder.untested(
        {"numpy": "2.4.6", "dask": "2026.8.0", "scipy": "1.18.0"},
        {"numpy": "2.4.6", "scipy": "1.17.1"},
    )
    assert problems == [
        "dask 2026.8.0 is needed by the course but not installed here",
        "scipy: pip chose 1.18.0, but 1.17.1 is installed",
    ]


def test_setup_uses_the_pins_only_on_binders_python(monkeypatch, tmp_path, capsys):
    runtime = tmp_path / "runtime.txt"
    monkeypatch.setattr(binder, "RUNTIME", runtime)
    runtime.write_text(binder.python_tag() + "\n")
    assert binder.pip_args() == "-c binder/requirements.txt"
    runtime.write_text("python-3.99\n")
    assert binder.pip_args() == ""
    assert "pins packages for python-3.99" in capsys.readouterr().err
