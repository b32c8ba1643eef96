"""An accessibility audit of the course website: axe-core over every page, in Chromium.

axe-core (the copy bundled in the PyPI package ``axe-playwright-python``) runs on each page of
the site ``make site`` builds (the same build as test_site.py, served on 127.0.0.1), once
MathJax has typeset the formulas, with every rule axe enables by default (WCAG 2.0-2.2 A and
AA and best practices). A page fails on any violation axe rates **critical** or **serious**:
text contrast under 4.5:1, a control without a name, links told apart by colour alone...;
the message names each rule, how many elements break it and the first of them. Violations
rated moderate or minor are printed, not failed.

One browser page visits every page in turn (one test: the audit's cost is axe's own, a few
seconds a page). A deliberately broken page must fail the same audit.
"""

from __future__ import annotations

import time

import pytest

from . import lab
from .test_site import PAGES, StaticServer, build_once

pytestmark = pytest.mark.browser

#: The impacts that fail a page (axe rates each violation minor, moderate, serious or critical).
FAILING = ("critical", "serious")
#: How many offending elements the message shows per rule.
SHOWN = 3
MATHJAX_WAIT_MS = 30_000


def axe_script():
    """axe-core's source, from axe-playwright-python (skips the audit when it is missing)."""
    try:
        from axe_playwright_python.base import AXE_SCRIPT
    except ImportError:
        if lab.browser_required():
            pytest.fail("axe-playwright-python is not installed: run `make setup`", pytrace=False)
        pytest.skip("axe-playwright-python is not installed (the test extra has it)")
    return AXE_SCRIPT


def audit(page, script):
    """axe-core's violations on the page as it is now: a list of axe's result dicts."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(script)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def describe(violations, impacts=FAILING):
    """One line per violation of the given impacts: rule, impact, count, first targets."""
    lines = []
    for violation in violations:
        if violation["impact"] not in impacts:
            continue
        nodes = violation["nodes"]
        targets = "; ".join(" ".join(node["target"]) for node in nodes[:SHOWN])
        more = f" (and {len(nodes) - SHOWN} more)" if len(nodes) > SHOWN else ""
        lines.append(
            f"{violation['id']} ({violation['impact']}), {len(nodes)} element(s): "
            f"{violation['help']}. First: {targets}{more}"
        )
    return lines


def count(violations, impacts=FAILING):
    """How many elements break a rule of the given impacts."""
    return sum(len(v["nodes"]) for v in violations if v["impact"] in impacts)


def open_page(page, url):
    """Load a page of the site and wait for MathJax to typeset it."""
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
        timeout=MATHJAX_WAIT_MS,
    )
    page.evaluate("() => MathJax.startup.promise.then(() => true)")


@pytest.fixture(scope="module")
def site_page(chromium, tmp_path_factory):
    """One browser page and the served site."""
    built = build_once(tmp_path_factory)
    context = chromium.new_context(viewport=lab.VIEWPORT)
    context.set_default_timeout(60_000)
    try:
        with StaticServer(built) as server:
            yield context.new_page(), server
    finally:
        context.close()


def test_every_page_of_the_site_passes_axe(site_page):
    page, server = site_page
    script = axe_script()
    failures, summary = [], []
    start = time.perf_counter()
    for expected in PAGES:
        open_page(page, server.url(expected.filename))
        violations = audit(page, script)
        summary.append(
            f"{expected.filename}: {count(violations)} critical/serious, "
            f"{count(violations, ('moderate', 'minor'))} moderate/minor"
        )
        lines = describe(violations)
        if lines:
            failures.append(f"site/{expected.filename}:\n  - " + "\n  - ".join(lines))
        minor = describe(violations, ("moderate", "minor"))
        if minor:
            print(f"{expected.filename}, moderate/minor:\n  " + "\n  ".join(minor))
    print(f"axe-core over {len(PAGES)} pages in {time.perf_counter() - start:.1f} s")
    print("\n".join(summary))
    assert not failures, (
        "axe-core finds critical or serious accessibility violations:\n" + "\n".join(failures)
    )


def test_the_audit_catches_a_broken_page(site_page):
    """Text at 2.3:1 and a slider with no name, added to a page, fail the audit."""
    page, server = site_page
    open_page(page, server.url(PAGES[0].filename))
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        const faint = document.createElement('p');
        faint.style.color = '#aaaaaa';
        faint.textContent = 'grey text on white';
        main.prepend(faint);
        const slider = document.createElement('input');
        slider.type = 'range';
        main.prepend(slider);
    }"""
    )
    found = "\n".join(describe(audit(page, axe_script())))
    assert "color-contrast (serious), 1 element(s)" in found, found
    assert "label (critical), 1 element(s)" in found, found
