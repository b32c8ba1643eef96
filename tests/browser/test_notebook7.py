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


#: Violations (critical or serious) of Notebook 7's own interface, by axe-core rule id, found
#: on a lesson open with its explorer live: they are the interface's, not the course's, and
#: the audit leaves them out. Everything inside the cells' outputs and rendered Markdown (the
#: course's text, figures and explorers) is audited in full.
INTERFACE_VIOLATIONS = {
    "aria-allowed-attr": "the debugger's toolbar button (.jp-DebuggerBugButton) carries an "
    "ARIA attribute its role does not allow",
    "aria-input-field-name": "every code cell's CodeMirror editor (.cm-content, role textbox) "
    "has no accessible name",
    "aria-required-children": "the windowed notebook's viewport (.jp-WindowedPanel-viewport) "
    "has a role whose required children it does not hold while cells are virtualised",
    "button-name": "the collapse-heading button in a Markdown cell's prompt has no text",
    "link-name": "Notebook 7's logo link (#jp-NotebookLogo) has no text",
    "tabindex": "the skip link has a tabindex above 0",
}
#: Violations in the course's content that the course cannot fix, each limited to where it
#: occurs. A stored figure carries its alt text in its output's metadata (metadata["image/png"]
#: ["alt"], written by gmmlab.plotting.show and by an explorer's snapshot), where nbconvert and
#: the site read it, but JupyterLab 4.6's image renderer (.jp-RenderedImage, shared by Notebook
#: 7) reads only width, height, needs_background and unconfined from that metadata, so its
#: <img> has no alt. Explorer images, drawn by the course, must have theirs.
RENDERER_LIMITS = {
    "image-alt": ".jp-RenderedImage",
}
#: What the course writes on the page: rendered Markdown and outputs (explorers among them).
COURSE_CONTENT = ".jp-RenderedMarkdown, .jp-OutputArea-output"


def test_accessibility_in_notebook7(notebook7):
    """axe-core over the open lesson: no critical or serious violation in what the course
    writes (text, outputs, the explorer's sliders and readout); the interface's own listed."""
    from .test_accessibility import FAILING, axe_script, describe

    lesson, notebook = notebook7
    if not lesson.explorer_count():  # run on its own (-k): the lesson check did not run it
        lesson.run_all()
        lesson.rendered(lab.expected_widgets(notebook))
    assert lesson.explorer_count(), "no explorer rendered"
    page = lesson.page
    page.evaluate(axe_script())
    violations = page.evaluate(
        """([content, limits]) => axe.run(document, {resultTypes: ['violations']}).then(r =>
            r.violations.map(v => {
                const inside = (n) => {
                    const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
                    return !!(el && el.closest(content));
                };
                const renderer = (n) => {
                    const el = n.target.length === 1 ? document.querySelector(n.target[0]) : null;
                    const where = limits[v.id];
                    return !!(el && where && el.closest(where));
                };
                return {...v, course: v.nodes.filter(n => inside(n) && !renderer(n)),
                        renderer: v.nodes.filter(n => inside(n) && renderer(n)),
                        interface: v.nodes.filter(n => !inside(n))};
            }))""",
        [COURSE_CONTENT, RENDERER_LIMITS],
    )
    course = [{**v, "nodes": v["course"]} for v in violations if v["course"]]
    interface = [{**v, "nodes": v["interface"]} for v in violations if v["interface"]]
    print("Notebook 7's interface:\n  " + "\n  ".join(describe(interface)))
    limited = [{**v, "nodes": v["renderer"]} for v in violations if v["renderer"]]
    if limited:
        print("JupyterLab's renderer (RENDERER_LIMITS):\n  " + "\n  ".join(describe(limited)))
    problems = describe(course)
    problems += [
        f"not a known interface violation: {line}"
        for v, line in zip(
            [v for v in interface if v["impact"] in FAILING], describe(interface), strict=True
        )
        if v["id"] not in INTERFACE_VIOLATIONS
    ]
    assert not problems, "axe-core in Notebook 7:\n- " + "\n- ".join(problems)
