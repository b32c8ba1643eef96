"""Loaded first by pytest (``-p tests.pytest_startup`` in pyproject's addopts): a faster start.

nbval's plugin imports nbformat, which imports jsonschema, which imports ``rfc3987_syntax``
when it is installed (jupyter-events brings it) and builds its 38 Lark grammars there and
then: about 2 s of CPU before the first test is collected, for jsonschema's "iri" format
check, which no test here uses. Until jsonschema has imported it, ``rfc3987_syntax`` is a
stand-in whose ``is_valid_syntax`` imports the real module on its first call and hands the
call on, so the check works as before, only paid for when used. Every later
``import rfc3987_syntax`` gets the real module (the stand-in leaves ``sys.modules`` once
pytest is configured).
"""

import importlib
import importlib.util
import sys
import types

_NAME = "rfc3987_syntax"
_stand_in = None


def _install_stand_in():
    global _stand_in
    if _NAME in sys.modules or importlib.util.find_spec(_NAME) is None:
        return
    _stand_in = types.ModuleType(_NAME, "Stand-in until first use (tests/pytest_startup.py)")

    def is_valid_syntax(*args, **kwargs):
        if sys.modules.get(_NAME) is _stand_in:
            del sys.modules[_NAME]
        return importlib.import_module(_NAME).is_valid_syntax(*args, **kwargs)

    _stand_in.is_valid_syntax = is_valid_syntax
    sys.modules[_NAME] = _stand_in


_install_stand_in()


def pytest_configure(config):
    """The plugins are imported by now: from here on ``import rfc3987_syntax`` is the real one."""
    if _stand_in is not None and sys.modules.get(_NAME) is _stand_in:
        del sys.modules[_NAME]
