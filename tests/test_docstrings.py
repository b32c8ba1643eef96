"""The examples in the library's docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import gmmlab.widgets

WIDGETS = [f"widgets.{m.name}" for m in pkgutil.iter_modules(gmmlab.widgets.__path__)]
MODULES = ["em", "params", "selection", "datasets", "plotting", "tables", "check", "course"]


@pytest.mark.parametrize("name", MODULES + WIDGETS)
def test_docstring_examples(name):
    module = importlib.import_module(f"gmmlab.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_docstrings_hold_no_control_characters():
    """A backslash escape gone wrong (\\t in \\top) leaves a control character behind."""
    for name in MODULES + ["widgets"] + WIDGETS:
        source = importlib.import_module(f"gmmlab.{name}").__file__
        text = open(source, encoding="utf-8").read()
        bad = [c for c in "\t\r\x0b\x0c\x07\x08" if c in text]
        assert not bad, f"gmmlab/{name}.py contains {bad!r}"
