"""An accessibility audit of the course website: axe-core over every page, in Chromium.

axe-core (the copy bundled in the PyPI package ``axe-playwright-python``) runs on each page of
the site ``make site`` builds (the same build as test_site.py, served on 127.0.0.1), once
MathJax has typeset the formulas, with every rule axe enables by default (WCAG 2.0-2.2 A and
AA and best practices). A page fails on any violation axe rates **critical** or **serious**:
text contrast under 4.5:1, a control without a name, links told apart by colour alone...;
the message names each rule, how many elements break it and the first of them. Violations
rated moderate or minor are printed, not failed.

One browser page visits every page in turn (one test), and runs axe once on each, with every
rule. axe's colour-contrast rule is most of the audit's cost, and most of its elements are
code and text outputs: when this was written a lesson page held 900 to 2,700 ``<span>``
elements of syntax-highlighted code (23,410 on the 15 pages) in 8 colours, the same on every
page. So the rule is limited to what differs: in the code blocks and text outputs
(``BLOCKS``) it checks one element of each *look* not audited before, on this page or an
earlier one, and every other element of the page as usual; every other rule checks every
element. A look is what the rule's verdict on an element depends on: its computed colour,
font size, weight and style, text shadow and opacity, and the background colour, image and
opacity of each element it sits in. Two elements of one look get the same contrast ratio
against the same background, so they pass or fail together; an element whose look differs in
any of these (a new colour, a darker cell background) is audited on its own. The test prints
how many looks there were.

A deliberately broken page must fail the same audit: faint prose, a nameless slider, and a
faint code token on a page whose other tokens' looks were all audited already.
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


#: The audit of the module docstring, in the page; ``seen`` lists the looks of code and output
#: text audited on earlier pages, and the answer adds those of this page.
_AUDIT = r"""async ([seen, blocks]) => {
    const known = new Set(seen);
    const looks = [];
    const around = (el) => {
        const chain = [];
        for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
            const s = getComputedStyle(n);
            chain.push([s.backgroundColor, s.backgroundImage, s.opacity].join(' '));
        }
        return chain.join(' / ');
    };
    let audited = 0;
    for (const block of document.querySelectorAll(blocks)) {
        for (const el of [block, ...block.querySelectorAll('*')]) {
            const s = getComputedStyle(el);
            const look = [el.tagName, s.color, s.fontSize, s.fontWeight, s.fontStyle,
                s.textShadow, s.opacity, around(el.parentElement)].join(' | ');
            if (known.has(look)) {
                el.setAttribute('data-gmm-look-audited', '');
            } else {
                known.add(look);
                looks.push(look);
                audited += 1;
            }
        }
    }
    axe.configure({rules: [{id: 'color-contrast', selector: ':not([data-gmm-look-audited])'}]});
    const run = await axe.run(document, {resultTypes: ['violations']});
    return {violations: run.violations, looks, audited};
}"""
#: The code blocks and text outputs whose elements are audited for contrast once per look.
BLOCKS = ".highlight pre, .jp-OutputArea-output pre"
#: The code tokens.
TOKENS = ".highlight pre span"


def audit(page, script, seen=None):
    """axe-core's violations on the page as it is now: a list of axe's result dicts.

    ``seen`` (a set, updated) holds the looks of the elements of code blocks and text
    outputs audited on earlier pages (module docstring); without it every look on the page
    is audited. The page keeps the marks of the elements it left out: load it again to
    audit it afresh.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(script)
    seen = set() if seen is None else seen
    results = page.evaluate(_AUDIT, [sorted(seen), BLOCKS])
    seen.update(results["looks"])
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
    failures, summary, seen = [], [], set()
    start = time.perf_counter()
    for expected in PAGES:
        open_page(page, server.url(expected.filename))
        violations = audit(page, script, seen)
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
    print(
        f"axe-core over {len(PAGES)} pages in {time.perf_counter() - start:.1f} s; "
        f"{len(seen)} looks of code tokens"
    )
    print("\n".join(summary))
    assert not failures, (
        "axe-core finds critical or serious accessibility violations:\n" + "\n".join(failures)
    )


def test_the_audit_catches_a_broken_page(site_page):
    """Text at 2.3:1 and a slider with no name, added to a page, fail the audit; so does a
    code token at 2.3:1 on a page whose other tokens' looks were all audited before."""
    page, server = site_page
    script = axe_script()
    lesson = next(p for p in PAGES if p.filename != "index.html")
    seen = set()
    open_page(page, server.url(lesson.filename))
    assert not describe(audit(page, script, seen)), f"{lesson.filename} fails the audit"
    assert seen, f"{lesson.filename} has no code token"
    open_page(page, server.url(lesson.filename))
    page.evaluate(
        """(token) => {
        const main = document.querySelector('main');
        const faint = document.createElement('p');
        faint.style.color = '#aaaaaa';
        faint.textContent = 'grey text on white';
        main.prepend(faint);
        const slider = document.createElement('input');
        slider.type = 'range';
        main.prepend(slider);
        const tokens = [...document.querySelectorAll(token)].filter(s => s.textContent.trim());
        tokens[tokens.length - 1].style.color = '#aaaaaa';
    }""",
        TOKENS,
    )
    found = "\n".join(describe(audit(page, script, seen)))
    # the prose and the token
    assert "color-contrast (serious), 2 element(s)" in found, found
    assert "First: main > p; " in found and "pre > " in found, found
    assert "label (critical), 1 element(s)" in found, found
