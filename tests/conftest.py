"""Shared fixtures: the Iris data in 1-D and 2-D, hypothesis settings, and the course's runs.

``course_runs``: each notebook of notebooks/ run once per session, as the students' copy
(``make student``) runs it: Run All in a fresh kernel with the colour probe, then each code
cell again (last to first), then, in a lesson with exercises, a typical wrong answer in each
and the cells from the first exercise down (tests/lesson_runs.py). That one run serves the
stored-output comparison (tests/test_nbval_coverage.py), the learner's path
(tests/test_learner_path.py) and the colours (tests/test_colours.py). The runs start in
the background as soon as collection ends, if a selected test needs them, two kernels at a
time, while the other tests run.
"""

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

import gmmlab
from gmmlab.datasets import load_iris_features

# Derandomized so that two runs of `make test` see the same examples.
settings.register_profile(
    "gmmlab",
    deadline=None,
    derandomize=True,
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "60")),
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("gmmlab")


@pytest.fixture(scope="session")
def iris_1d():
    """Petal width of the 150 flowers, (150, 1)."""
    return load_iris_features(("petal width",)).X


@pytest.fixture(scope="session")
def iris_2d():
    """Petal length and width, (150, 2)."""
    return load_iris_features(("petal length", "petal width")).X


@pytest.fixture(scope="session")
def iris_features():
    """All four measurements of the 150 flowers, (150, 4)."""
    return load_iris_features(None).X


@pytest.fixture
def two_blobs():
    """A small, well-separated 2-D data set and parameters near its truth."""
    truth = gmmlab.MixtureParams(
        weights=[0.4, 0.6],
        means=[[0.0, 0.0], [5.0, 3.0]],
        covariances=[[[1.0, 0.3], [0.3, 0.5]], [[0.6, -0.2], [-0.2, 1.2]]],
    )
    X, labels = truth.sample(200, seed=3)
    return X, labels, truth


def random_spd(rng, n_features, scale=1.0):
    """A random symmetric positive definite matrix, well conditioned."""
    A = rng.standard_normal((n_features, n_features))
    return scale * (A @ A.T + n_features * np.eye(n_features)) / n_features


# -- the course's runs --------------------------------------------------------------------

_COURSE = pytest.StashKey()


def _lessons_needed(items):
    """The notebooks (file names) that the selected tests using ``course_runs`` are about."""
    names = set()
    for item in items:
        if "course_runs" in getattr(item, "fixturenames", ()):
            name = getattr(item, "callspec", None) and item.callspec.params.get("name")
            if name:
                names.add(name)
    return names


class _Course:
    """The handout, and the runs of its notebooks (see tests/lesson_runs.CourseRuns)."""

    def __init__(self, names):
        from tests.lesson_runs import CourseRuns
        from tests.test_learner_path import wrong_answers_job
        from tools import student
        from tools.project import NOTEBOOKS

        self.folder = Path(tempfile.mkdtemp(prefix="gmmlab-course-"))
        self.handout = self.folder / "student"
        student.build(self.handout, NOTEBOOKS)
        jobs = []
        for name in names:
            path, cwd = self.handout / name, self.handout
            if not path.exists():  # not a lesson the students get: run it where it is
                path, cwd = NOTEBOOKS / name, NOTEBOOKS
            job = {"notebook": path, "cwd": cwd, "name": name, "rerun": True, "probe": True}
            job["then"] = wrong_answers_job(path)
            jobs.append(job)
        jobs.sort(key=lambda job: -Path(job["notebook"]).stat().st_size)  # heaviest first
        self.runs = CourseRuns(jobs)

    def __getitem__(self, name):
        return self.runs[name]

    def close(self):
        self.runs.close()
        shutil.rmtree(self.folder, ignore_errors=True)


#: Test modules about the tools and the notebooks rather than the library, and the
#: library's tests that start a cluster or fit many starts: `make test-fast` leaves them out,
#: and the claims tests (tests/test_claims_*.py: what the lessons say about many runs,
#: about 140 s of CPU in all), which check the prose rather than the library's code.
#: `make test` runs them all.
SLOW_MODULES = {
    "test_check_notebooks",
    "test_course",
    "test_dask",
    "test_environment_files",
    "test_prose_numbers",
    "test_readme",
    "test_refresh",
    "test_site",
    "test_student",
}
SLOW_PREFIX = "test_claims_"
SLOW_TESTS = {"test_n_init_returns_the_maximum_scikit_learns_n_init_returns"}


def pytest_collection_modifyitems(items):
    """Every test that needs the course's runs, a browser or a tool is slow (`make test-fast`)."""
    for item in items:
        module = getattr(getattr(item, "module", None), "__name__", "").rsplit(".", 1)[-1]
        if (
            "course_runs" in getattr(item, "fixturenames", ())
            or item.get_closest_marker("browser")
            or module in SLOW_MODULES
            or module.startswith(SLOW_PREFIX)
            or getattr(item, "originalname", item.name) in SLOW_TESTS
        ):
            item.add_marker(pytest.mark.slow)


#: Test modules that compare a fit's BLAS threads with the default's, or run the collapse cases
#: on the default threads as well as on the ones they set: they run with BLAS's default thread
#: count (the machine's cores), where tests/pytest_startup.py gave the rest of the suite one.
DEFAULT_BLAS_THREADS_MODULES = {"test_chunks", "test_em"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    from tests.pytest_startup import BLAS_THREADS_SET_HERE

    module = getattr(getattr(item, "module", None), "__name__", "").rsplit(".", 1)[-1]
    if not (BLAS_THREADS_SET_HERE and module in DEFAULT_BLAS_THREADS_MODULES):
        return (yield)
    from threadpoolctl import threadpool_limits

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with threadpool_limits(limits=cores, user_api="blas"):
        return (yield)


_GRADING = pytest.StashKey()


class _Grading:
    """nbgrader's whole cycle (tests/test_nbgrader.py's ``grade_course``), in a thread that
    starts when collection ends: nearly all of it is autograde's serial kernels, in child
    processes, which run while the other tests do instead of before the nbgrader tests."""

    def __init__(self):
        from concurrent.futures import ThreadPoolExecutor

        from tests.test_nbgrader import grade_prepared, prepare_grading

        self.folder = Path(tempfile.mkdtemp(prefix="gmmlab-nbgrader-"))
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nbgrader")
        try:  # here, in pytest's thread: it parses Python (see prepare_grading's docstring)
            prepared = prepare_grading(self.folder)
        except BaseException as error:  # noqa: BLE001 - reported by the tests that need it
            self.error, self.future = error, None
        else:
            self.error, self.future = None, self.pool.submit(grade_prepared, prepared)

    def result(self):
        if self.error is not None:
            raise self.error
        return self.future.result()

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    names = _lessons_needed(session.items)
    if names:
        session.config.stash[_COURSE] = _Course(sorted(names))
    if any("graded_course" in getattr(item, "fixturenames", ()) for item in session.items):
        session.config.stash[_GRADING] = _Grading()


def pytest_sessionfinish(session):
    for key in (_GRADING, _COURSE):
        started = session.config.stash.get(key, None)
        if started is not None:
            started.close()


@pytest.fixture(scope="session")
def graded_course(request):
    """The nbgrader course after generate_assignment, autograde and generate_feedback
    (tests/test_nbgrader.py's ``grade_course``), graded in the background."""
    grading = request.config.stash.get(_GRADING, None)
    if grading is None:
        pytest.fail("graded_course is used by a test that collection did not see")
    graded = grading.result()
    print(graded["timings"])  # nbgrader's commands, wall and CPU (shown with -s or -rP)
    return graded


@pytest.fixture(scope="session")
def course_runs(request):
    """name -> Run of each notebook of the course (tests/lesson_runs.py), one run each."""
    course = request.config.stash.get(_COURSE, None)
    if course is None:
        pytest.fail("course_runs is used by a test without a `name` parameter")
    return course
