"""Every lesson, in JupyterLab: it runs without an error, its explorers render, their sliders work.

The expected widgets come from each notebook's stored outputs (an explorer stores its
kind and sliders under application/vnd.gmmlab.explorer+json), not from a list kept here.
JupyterLab runs each lesson's cells down to the last one that displays a widget (none in
a lesson without widgets): every cell of every lesson is run once per session already, in
a fresh kernel, its outputs compared with the stored ones and its errors reported
(tests/conftest.py's ``course_runs``), so the cells below the widgets are not run again
here; their stored outputs show, and an error among them fails the test as well.

The lessons open one after another as tabs of one JupyterLab page (``lab.LabSession``), as a
learner opens them from the file browser: each in a fresh kernel, the tab and kernel of the
lesson before closed first.
"""

import pytest

from . import lab

pytestmark = pytest.mark.browser

LESSONS = lab.lesson_notebooks()


@pytest.mark.parametrize("notebook", LESSONS, ids=[path.stem for path in LESSONS])
def test_lesson_in_jupyterlab(notebook, lab_session, served, record_lesson):
    copy = served(notebook)
    expected = lab.expected_widgets(copy)
    lesson = lab_session.notebook(copy.name)
    report = None
    try:
        report = lab.check_lesson(lesson, expected, run="widgets")
    finally:
        lab.save_screenshots(lesson, notebook.stem)
    record_lesson(report)
    failure = report.failure()
    assert not failure, f"{notebook.name} in JupyterLab:\n{failure}"
