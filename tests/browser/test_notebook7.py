"""One lesson in the Notebook 7 interface: /tree lists it, /notebooks/ runs it, its sliders work.

Notebook 7 handles shortcuts in the capture phase (JupyterLab lets widgets
see keys first: ``bubblingKeydown``), so there ArrowLeft/ArrowRight on a
focused slider run the notebook's "move to the heading above/below"
commands instead of moving the slider. The sliders are therefore moved
with the mouse here, and the arrow keys are an expected failure.
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


@pytest.mark.xfail(
    reason="Notebook 7 runs its ArrowLeft/ArrowRight notebook shortcuts before a focused "
    "slider sees the key (capture-phase shortcuts; JupyterLab uses bubblingKeydown)",
    strict=False,
)
def test_arrow_keys_in_notebook7(notebook7):
    lesson, _ = notebook7
    assert lesson.explorer_count(), "no explorer rendered"
    key = lesson.direction(0, 0)
    move = lesson.press(0, 0, key)
    assert move.value_after != move.value_before and move.redrawn, move.describe()
