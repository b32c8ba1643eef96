"""The library's docstrings hold no control characters.

Their examples run as doctests: pytest collects gmmlab with ``--doctest-modules``
(pyproject.toml), every module, none listed by hand.
"""

import importlib
import pkgutil

import pytest

import gmmlab

#: Every module and package of the library, found rather than listed: a new one is checked too.
MODULES = sorted(
    m.name.removeprefix("gmmlab.")
    for m in pkgutil.walk_packages(gmmlab.__path__, prefix="gmmlab.")
)


def test_docstrings_hold_no_control_characters():
    """A backslash escape gone wrong (\\t in \\top) leaves a control character behind."""
    for name in MODULES:
        source = importlib.import_module(f"gmmlab.{name}").__file__
        text = open(source, encoding="utf-8").read()
        bad = [c for c in "\t\r\x0b\x0c\x07\x08" if c in text]
        assert not bad, f"gmmlab/{name}.py contains {bad!r}"


@pytest.mark.parametrize("name", MODULES)
def test_docstrings_as_python_reads_them_hold_no_control_characters(name):
    """In a docstring that is not raw, \\top written as \\top is a tab followed by "op"."""
    import inspect

    module = importlib.import_module(f"gmmlab.{name}")
    objects = [module]
    for _, member in inspect.getmembers(module):
        if getattr(member, "__module__", None) == module.__name__:
            objects.append(member)
            if inspect.isclass(member):
                objects += [value for value in vars(member).values() if callable(value)]
    for obj in objects:
        bad = [c for c in "\t\r\x0b\x0c\x07\x08" if c in (getattr(obj, "__doc__", "") or "")]
        assert not bad, f"{getattr(obj, '__qualname__', obj)}'s docstring holds {bad!r}"
