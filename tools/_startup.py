"""A faster start for processes that import nbformat: the tools and pytest.

nbformat imports jsonschema, which imports ``rfc3987_syntax`` when it is installed
(jupyter-events brings it) and builds its 38 Lark grammars there and then: about 2 s of CPU
in every fresh process, for jsonschema's "iri" format check, which nothing here uses.
:func:`defer_rfc3987_syntax` puts a stand-in in its place while jsonschema is imported:
the stand-in's ``is_valid_syntax`` imports the real module on its first call and hands the
call on, so the check works as before, only paid for when used. :func:`restore_rfc3987_syntax`
takes the stand-in out of ``sys.modules`` again, so that any later ``import rfc3987_syntax``
gets the real module.

In a tool::

    from tools._startup import deferred_rfc3987_syntax

    with deferred_rfc3987_syntax():
        import nbformat

pytest uses the two functions (tests/pytest_startup.py): the stand-in before the plugins
are imported (nbval imports nbformat), out again in ``pytest_configure``.
"""

import contextlib
import importlib
import importlib.util
import sys
import types

_NAME = "rfc3987_syntax"
_stand_in = None


def defer_rfc3987_syntax():
    """Put the stand-in for ``rfc3987_syntax`` in ``sys.modules``, if jsonschema is still to come.

    Nothing happens when jsonschema (or the real module) is imported already, or when
    ``rfc3987_syntax`` is not installed. Returns the stand-in, or None.
    """
    global _stand_in
    if "jsonschema" in sys.modules or _NAME in sys.modules:
        return None
    if importlib.util.find_spec(_NAME) is None:
        return None
    stand_in = types.ModuleType(_NAME, "Stand-in until first use (tools/_startup.py)")

    def is_valid_syntax(*args, **kwargs):
        if sys.modules.get(_NAME) is stand_in:
            del sys.modules[_NAME]
        return importlib.import_module(_NAME).is_valid_syntax(*args, **kwargs)

    stand_in.is_valid_syntax = is_valid_syntax
    sys.modules[_NAME] = _stand_in = stand_in
    return stand_in


def restore_rfc3987_syntax():
    """Take the stand-in out of ``sys.modules``: a later import gets the real module."""
    if _stand_in is not None and sys.modules.get(_NAME) is _stand_in:
        del sys.modules[_NAME]


@contextlib.contextmanager
def deferred_rfc3987_syntax():
    """The stand-in while the block runs (the block imports nbformat), then the real module."""
    defer_rfc3987_syntax()
    try:
        yield
    finally:
        restore_rfc3987_syntax()
