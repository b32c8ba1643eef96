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


# -- the import rules: no cycle, private names only from private modules ---------------

#: Imports that break the rules below, each in a file whose owner has yet to change it.
#: The test fails if one of them disappears (delete it here then) as well as on any new one.
#: Empty: a module that needs a class of a module importing it (``_validation`` and
#: ``tables`` need MixtureParams, ``check._framework`` its package's CHECKERS) looks the
#: loaded module up in ``sys.modules`` (``_validation.loaded_class``) instead.
KNOWN_CYCLE_EDGES = set()
KNOWN_PRIVATE_IMPORTS = set()


def _gmmlab_modules():
    """{dotted name: path} of every module of the gmmlab package."""
    import pathlib

    import gmmlab

    root = pathlib.Path(gmmlab.__file__).parent
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(modules):
    """(importer, imported module, name or None) for every gmmlab import in gmmlab.

    Imports at module level and inside functions both count: a function-level import
    is a cycle waiting for the first call.
    """
    import ast

    found = []
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found += [(module, a.name, None) for a in node.names if a.name in modules]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] != "gmmlab":
                    continue
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    if submodule in modules:  # from . import _kernels
                        found.append((module, submodule, None))
                    else:
                        found.append((module, target, alias.name))
    return found


def _cycles(edges):
    """The strongly connected components of more than one module (Tarjan)."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def _is_private(name):
    return name.startswith("_") and not name.startswith("__")


def test_the_import_walk_sees_a_cycle_and_a_private_import():
    """The checks below can fail: a made-up pair of modules breaking both rules."""
    assert _cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
    assert _cycles({("a", "b"), ("b", "c")}) == []
    modules = _gmmlab_modules()
    imports = _imports(modules)
    assert ("gmmlab.em", "gmmlab._kernels", None) in imports  # from . import _kernels
    assert ("gmmlab.scale", "gmmlab.statistics", "SufficientStatistics") in imports
    assert ("gmmlab.check.m_step", "gmmlab.em", "m_step") in imports  # from ..em import


def test_no_import_cycle_in_gmmlab():
    edges = {(a, b) for a, b, _ in _imports(_gmmlab_modules()) if a != b}
    gone = KNOWN_CYCLE_EDGES - edges
    assert not gone, f"gone, delete from KNOWN_CYCLE_EDGES: {gone}"
    assert _cycles(edges - KNOWN_CYCLE_EDGES) == []


def test_private_names_come_only_from_private_modules():
    """A name starting with _ is imported across modules only from a private module:
    gmmlab._kernels, gmmlab._validation, or a package's own private module such as
    gmmlab.check._framework (for the modules of that package)."""
    found = set()
    for importer, module, name in _imports(_gmmlab_modules()):
        if name is None or not _is_private(name) or module == importer:
            continue
        package, _, last = module.rpartition(".")
        if last in ("_kernels", "_validation") and package == "gmmlab":
            continue
        if _is_private(last) and importer.startswith(package + "."):
            continue
        found.add((importer, module, name))
    gone = KNOWN_PRIVATE_IMPORTS - found
    assert not gone, f"gone, delete from KNOWN_PRIVATE_IMPORTS: {gone}"
    assert found - KNOWN_PRIVATE_IMPORTS == set()


def test_a_class_looked_up_instead_of_imported_checks_as_isinstance_would():
    """tables tests isinstance against the loaded class (loaded_class), not an import of
    gmmlab.params, which imports tables; the class's own validators sit beside it (params,
    em): the answers and messages are isinstance's."""
    import numpy as np
    import pytest

    import gmmlab
    from gmmlab._validation import loaded_class
    from gmmlab.em import ensure_results
    from gmmlab.params import ensure_mixture
    from gmmlab.tables import params_table

    assert loaded_class("gmmlab.params", "MixtureParams") is gmmlab.MixtureParams
    assert loaded_class("gmmlab.em", "EMResult") is gmmlab.EMResult
    nothing = loaded_class("gmmlab.no_such_module", "MixtureParams")
    assert not any(isinstance(v, nothing) for v in (None, 0, object(), gmmlab.MixtureParams))
    params = gmmlab.MixtureParams([1.0], [[0.0, 0.0]], [np.eye(2)])
    assert ensure_mixture(params, n_features=2) is params
    with pytest.raises(TypeError, match="params must be a gmmlab.MixtureParams, got dict"):
        ensure_mixture({"weights": [1.0]}, n_features=2)
    with pytest.raises(ValueError, match="must describe 1 feature"):
        ensure_mixture(params, n_features=1)
    fit = gmmlab.fit(np.array([[0.0, 0.0], [1.0, 0.5], [4.0, 4.0], [5.0, 4.5]]), 1, seed=0)
    assert ensure_results({1: fit}, n_features=2) == {1: fit}
    wrong = r"results\[1\] must be a gmmlab.EMResult, got MixtureParams"
    with pytest.raises(TypeError, match=wrong):
        ensure_results({1: params}, n_features=2)
    assert params_table(params).headers[0] == "component k"
    with pytest.raises(TypeError, match="params must be a gmmlab.MixtureParams, got list"):
        params_table([1.0])
