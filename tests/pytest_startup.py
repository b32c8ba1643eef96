"""Loaded first by pytest (``-p tests.pytest_startup`` in pyproject's addopts): a faster start.

nbval's plugin imports nbformat, which imports jsonschema, which imports ``rfc3987_syntax``
when it is installed and builds its 38 Lark grammars there and then: about 2 s of CPU before
the first test is collected, for jsonschema's "iri" format check, which no test here uses.
tools/_startup.py's stand-in (the tools use it too) takes its place until jsonschema has
imported it: its ``is_valid_syntax`` imports the real module on first call. Every later
``import rfc3987_syntax`` gets the real module (the stand-in leaves ``sys.modules`` once
pytest is configured).

BLAS on one thread. `make test` runs four processes side by side (the other tests, the claims
tests, the notebook rules, the browser suite) and two kernels, on a 2-core machine: OpenBLAS's
own threads there only wait for a core, spinning. A Bernoulli fit of the digits (lesson 14)
took 7.4 s of CPU with OpenBLAS's default two threads on a loaded machine and 0.25 s with one
(the same 90 iterations, the same numbers to the tests' tolerances; the library now runs such
small products on one thread itself, gmmlab/_kernels.py's SMALL_PRODUCT). So, before NumPy is
loaded, the BLAS libraries get one thread (``OPENBLAS_NUM_THREADS=1`` and its OpenMP and MKL
cousins), unless the variable is already set: ``OPENBLAS_NUM_THREADS=2 make test`` runs the
suite with two. The kernels and the tools the tests start inherit the setting. The tests about
threads set their own (tests/test_em.py's collapse cases run with 1 and with 2);
tests/conftest.py gives the modules in its ``DEFAULT_BLAS_THREADS_MODULES`` BLAS's default
thread count back, since they compare a fit's threads with the default's.
"""

import os
import sys

from tools._startup import defer_rfc3987_syntax, restore_rfc3987_syntax

#: The variables read when NumPy loads its BLAS (OpenBLAS, an OpenMP build, MKL).
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
#: What the suite runs with where the variable was not set (see the module's docstring).
SUITE_BLAS_THREADS = "1"
BLAS_THREADS_SET_HERE = "numpy" not in sys.modules and not any(
    var in os.environ for var in BLAS_THREAD_VARIABLES
)
if BLAS_THREADS_SET_HERE:
    for _var in BLAS_THREAD_VARIABLES:
        os.environ[_var] = SUITE_BLAS_THREADS

defer_rfc3987_syntax()


def pytest_configure(config):
    """The plugins are imported by now: from here on ``import rfc3987_syntax`` is the real one."""
    restore_rfc3987_syntax()
