"""One lesson in the Notebook 7 interface: /tree lists it, /notebooks/ runs it, its sliders work.

Notebook 7 handles shortcuts in the capture phase (JupyterLab lets widgets see keys first:
``bubblingKeydown``), so there ArrowLeft/ArrowRight on a focused slider would run the
notebook's "move to the heading above/below" commands before the slider sees the key.
Lumino's ``CommandRegistry`` skips every key binding whose event target lies inside an element
with the attribute ``data-lm-suppress-shortcuts`` (its ``targetDistance``; in the Notebook
7.6.5 and JupyterLab 4.6.6 bundles alike); gmmlab's explorers set it on their row of sliders
(``gmmlab.widgets.base._SUPPRESS_SHORTCUTS``), so the arrow keys reach the slider. The
lesson check moves the sliders with the mouse; ``test_arrow_keys_in_notebook7`` presses the
keys.
"""

import pytest

from . import lab

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def notebook7(chromium, lab_server):
    """The first interactive lesson, opened from /tree in Notebook 7 and run."""
    notebook = lab.first_interactive(lab.lesson_notebooks())
    if notebook is None:
        pytest.skip("no lesson displays an explorer yet")
    copy = lab_server.root / notebook.name
    copy.write_bytes(notebook.read_bytes())
    context = chromium.new_context(viewport=lab.VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        tree = context.new_page()
        tree.goto(lab_server.url("/tree"), wait_until="domcontentloaded")
        item = tree.locator(".jp-DirListing-content").get_by_text(copy.name, exact=True)
        item.wait_for(timeout=lab.KERNEL_START_MS)
        # Notebook 7 opens a notebook from /tree in a new browser tab, at /notebooks/NAME.
        with context.expect_page(timeout=lab.KERNEL_START_MS) as opened:
            item.dblclick()
        page = opened.value
        page.wait_for_url(f"**/notebooks/{copy.name}*", timeout=lab.KERNEL_START_MS)
        lesson = lab.NotebookPage(page, lab_server, copy.name, ui="notebook")
        lesson.wait_kernel_idle()
        yield lesson, notebook
    finally:
        context.close()
        try:
            lab_server.shutdown_kernels()
        except Exception:  # noqa: BLE001
            pass


def test_lesson_in_notebook7(notebook7, record_lesson):
    lesson, notebook = notebook7
    lesson.open = lambda: lesson  # already open, from /tree
    report = None
    try:
        report = lab.check_lesson(
            lesson, lab.expected_widgets(notebook), keyboard=False, drag="all"
        )
    finally:
        lab.save_screenshots(lesson, f"notebook7-{notebook.stem}")
    report.name = f"{notebook.name} (Notebook 7)"
    record_lesson(report)
    assert report.moves, "no slider was moved"
    failure = report.failure()
    assert not failure, f"{notebook.name} in Notebook 7:\n{failure}"


def test_arrow_keys_in_notebook7(notebook7):
    """A focused slider moves one step with the arrow key, and its explorer redraws."""
    lesson, _ = notebook7
    assert lesson.explorer_count(), "no explorer rendered"
    key = lesson.direction(0, 0)
    move = lesson.press(0, 0, key)
    assert move.value_after != move.value_before and move.redrawn, move.describe()
