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


# -- the shared entries of gmmlab/_docstring.py ---------------------------------------------


def _all_docstrings():
    """(qualified name, __doc__) of every module, and every function, class and method in it."""
    import inspect

    for name in MODULES:
        module = importlib.import_module(f"gmmlab.{name}")
        yield f"gmmlab.{name}", module.__doc__ or ""
        for member_name, member in vars(module).items():
            if getattr(member, "__module__", None) != module.__name__:
                continue
            yield f"gmmlab.{name}.{member_name}", getattr(member, "__doc__", "") or ""
            if inspect.isclass(member):
                for attr, value in vars(member).items():
                    if isinstance(value, (property, staticmethod, classmethod)) or callable(value):
                        doc = getattr(getattr(value, "__func__", value), "__doc__", "") or ""
                        yield f"gmmlab.{name}.{member_name}.{attr}", doc


def test_no_docstring_keeps_a_placeholder():
    """Every ``%(...)s`` line is filled: a function that names shared entries has @fill_doc."""
    import re

    placeholder = re.compile(r"(?m)^\s*%\([^)]*\)s\s*$")
    left = [
        where
        for where, doc in _all_docstrings()
        if where != "gmmlab._docstring" and placeholder.search(doc)  # its own example
    ]
    assert left == []


def test_every_shared_entry_is_used_and_filled_as_written():
    """Each part of PARTS is named by some docstring, and help() shows it indented as numpydoc."""
    import pathlib
    import re

    from gmmlab import _docstring

    source = "\n".join(
        path.read_text() for path in pathlib.Path(gmmlab.__file__).parent.rglob("*.py")
    )
    used = set()
    for names in re.findall(r"(?m)^\s*%\((?:[A-Z][a-z]+: )?([\w, ]+)\)s\s*$", source):
        used.update(names.split(", "))
    assert set(_docstring.PARTS) - used == set()
    assert used - set(_docstring.PARTS) == set()
    filled = _docstring.fill_text("    Parameters\n    ----------\n    %(X, params)s\n")
    assert filled == (
        "    Parameters\n    ----------\n    %(X, params)s\n".replace(
            "    %(X, params)s\n",
            "    X : array-like of shape (N, D), or (N,) when D = 1\n"
            "        The points, finite.\n"
            "    params : MixtureParams\n"
            "        With D features.\n",
        )
    )
    assert _docstring.fill_text("%(Raises: not_real)s") == (
        "Raises\n------\nTypeError\n    If an argument is not an array of real numbers."
    )
    with pytest.raises(KeyError):
        _docstring.fill_text("    %(no_such_part)s")
