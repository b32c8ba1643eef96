"""The checks catch a broken explorer: a copy of a lesson whose slider callbacks raise.

The explorer says so under its figure (the readout), where the learner looks."""

import json

import pytest

from . import lab

pytestmark = pytest.mark.browser

BREAK = """\
# Appended by tests/browser: from here on, every explorer's slider callback raises.
import gc as _gc
from gmmlab.widgets import Explorer as _Explorer

def _broken_update(*args, **kwargs):
    raise RuntimeError("deliberately broken slider callback (tests/browser)")

_broken = [obj for obj in _gc.get_objects() if isinstance(obj, _Explorer)]
for _explorer in _broken:
    _explorer.update = _broken_update
print(f"broke {len(_broken)} explorer(s)")
"""


def test_a_broken_slider_callback_is_caught(lab_session, served):
    notebook = lab.first_interactive(lab.lesson_notebooks())
    if notebook is None:
        pytest.skip("no lesson displays an explorer yet")
    copy = served(notebook, f"broken_{notebook.name}")
    content = json.loads(copy.read_text(encoding="utf-8"))
    content["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": BREAK.splitlines(keepends=True),
        }
    )
    copy.write_text(json.dumps(content, indent=1), encoding="utf-8")
    expected = lab.expected_widgets(copy)
    n_explorers = sum(1 for w in expected if w.is_explorer)

    # Opened as a tab of the session's JupyterLab page, like the lessons. A move counts as
    # "no new figure" once the kernel has handled it and the figure is still the old one:
    # no timeout to sit out.
    lesson = lab_session.notebook(copy.name)
    try:
        report = lab.check_lesson(lesson, expected, drag=False)
    finally:
        lab.save_screenshots(lesson, f"broken-{notebook.stem}")

    # The lesson itself ran and rendered: only the sliders are broken ...
    assert not report.errors, report.failure()
    assert sum(1 for r in report.rendered if r["explorer"]) == n_explorers
    # ... and the checks say so, for every explorer, and show the kernel's traceback.
    failure = report.failure()
    assert failure, "the checks did not notice that the sliders no longer redraw"
    for e in range(n_explorers):
        caught = [
            problem
            for problem in report.problems
            if problem.startswith(f"explorer {e + 1}, slider") and "no new figure" in problem
        ]
        assert caught, f"explorer {e + 1}'s broken sliders went unnoticed:\n{failure}"
    # The learner sees why under the figure; the traceback goes to the kernel's log.
    shown = [move.text_after for move in report.moves]
    assert all("could not draw the new state" in text for text in shown), shown
    assert all("deliberately broken slider callback" in text for text in shown), shown
