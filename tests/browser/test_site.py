"""The course website (`make site`) in Chromium: every page there, whole, and nothing broken.

The site is built from the current notebooks into a temporary folder and served on
127.0.0.1; every request to any other host is blocked and reported, so a page that needs
the web fails here. Each page must load; have no console error or failed request; show every
figure its notebook stores (all loaded) and a note for every explorer; have every internal
link (and #anchor) lead somewhere; typeset its formulas with no TeX error; link the
previous and next lesson in course order and open the same notebook on Binder as the
README's link; keep every reference solution and "Check yourself" answer collapsed. The
expected pages come from the README's lesson list and from ``gmmlab.course``, never from a
list kept here.

A deliberately broken copy of the site must fail each of these checks.
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from gmmlab.course import lessons
from tools import site

from . import lab

pytestmark = pytest.mark.browser

README = lab.REPO / "README.md"
PAGES = site.course_pages(lab.NOTEBOOKS)
MATHJAX_WAIT_MS = 30_000
README_BINDER = re.compile(
    r"\[!\[Binder\]\([^)]*\)\]\((?P<url>https://mybinder\.org/[^)\s]*/notebooks/"
    r"(?P<notebook>[^)\s/]+\.ipynb))\)"
)
# MathJax skipped a formula when its TeX is still on the page.
RAW_TEX = re.compile(r"\$[^$\s][^$]*\$")


# -- serving a folder ----------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class StaticServer:
    """A folder over HTTP on 127.0.0.1, in a thread (a context manager)."""

    def __init__(self, root):
        self.root = Path(root)
        self.httpd = None

    def __enter__(self):
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path=""):
        return f"http://127.0.0.1:{self.httpd.server_port}/{path}"


# -- what each page must show, from its notebook ---------------------------------------


@dataclasses.dataclass(frozen=True)
class Expected:
    """What one page must show, read from the notebook, the course and the README."""

    filename: str
    title: str
    figures: int
    explorers: int
    solutions: int
    has_math: bool
    previous: str | None
    next: str | None
    binder: str


def readme_binder_links():
    """``{notebook name: Binder URL}`` from the README's lesson list."""
    text = README.read_text(encoding="utf-8")
    return {m["notebook"]: m["url"] for m in README_BINDER.finditer(text)}


def course_order(notebooks_dir):
    """Page file names in course order, from gmmlab.course (the home page first)."""
    return ["index.html"] + [f"{lesson.path.stem}.html" for lesson in lessons(notebooks_dir)]


def expected_pages(notebooks_dir=lab.NOTEBOOKS):
    """One Expected per page of the course."""
    order = course_order(notebooks_dir)
    binder = readme_binder_links()
    found = []
    for position, filename in enumerate(order):
        notebook = Path(notebooks_dir) / (
            "00_index.ipynb" if filename == "index.html" else filename[: -len(".html")] + ".ipynb"
        )
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        figures = sum(
            1
            for cell in cells
            for output in cell.get("outputs", [])
            if {"image/png", "image/jpeg"} & output.get("data", {}).keys()
        )
        solutions = sum(
            1
            for cell in cells
            if "solution" in cell.get("metadata", {}).get("tags", [])
            and (cell["cell_type"] == "code" or "<details" not in "".join(cell["source"]))
        )
        markdown = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        title = re.search(r"^# (.+)$", markdown, flags=re.MULTILINE)
        found.append(
            Expected(
                filename=filename,
                title=title.group(1).strip() if title else notebook.stem,
                figures=figures,
                explorers=sum(w.is_explorer for w in lab.expected_widgets(notebook)),
                solutions=solutions,
                has_math="$" in markdown,
                previous=order[position - 1] if position else None,
                next=order[position + 1] if position + 1 < len(order) else None,
                binder=binder.get(notebook.name, f"(none for {notebook.name} in the README)"),
            )
        )
    return found


# -- checking one page -----------------------------------------------------------------

_JS_PAGE = """() => {
    const text = el => (el ? el.getAttribute('href') : null);
    const markdown = [...document.querySelectorAll('.jp-RenderedMarkdown')].map(el => {
        const copy = el.cloneNode(true);
        copy.querySelectorAll('mjx-container, code, pre').forEach(n => n.remove());
        return copy.textContent;
    });
    return {
        title: (document.querySelector('main h1') || {}).textContent || '',
        images: [...document.images].map(img => ({
            src: img.getAttribute('src') || '',
            loaded: img.complete && img.naturalWidth > 0})),
        links: [...document.querySelectorAll('a[href]')].map(a => a.href),
        previous: text(document.querySelector('.gmm-pager-bottom a[rel=prev]')),
        next: text(document.querySelector('.gmm-pager-bottom a[rel=next]')),
        binder: [...document.querySelectorAll('a.gmm-binder')].map(a => a.href),
        toc: [...document.querySelectorAll('.gmm-toc a')].map(a => a.getAttribute('href')),
        math: document.querySelectorAll('mjx-container').length,
        mathErrors: [...document.querySelectorAll('mjx-merror')].map(
            e => (e.getAttribute('data-mjx-error') || '') + ' in ' + e.textContent),
        markdown,
        solutions: document.querySelectorAll('details.gmm-solution').length,
        openDetails: document.querySelectorAll('details[open]').length,
        explorers: document.querySelectorAll('.gmm-explorer').length,
    };
}"""


class SiteChecker:
    """Opens pages of a served site and lists what is wrong with each."""

    def __init__(self, context, server):
        self.context = context
        self.server = server
        self.bodies = {}  # url -> (status, text), fetched once
        self.outside = []  # requests to any host but 127.0.0.1
        context.route("**/*", self._route)

    def _route(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def fetch(self, url):
        if url not in self.bodies:
            response = self.context.request.get(url)
            self.bodies[url] = (response.status, response.text() if response.ok else "")
        return self.bodies[url]

    def link_problems(self, links):
        problems = []
        for link in sorted(set(links)):
            if urlparse(link).hostname != "127.0.0.1":
                continue
            target, fragment = urldefrag(link)
            status, body = self.fetch(target)
            where = target.replace(self.server.url(), "")
            if status != 200:
                problems.append(f"broken link to {where} (HTTP {status})")
            elif fragment and not {f'id="{fragment}"', f'id="{unquote(fragment)}"'} & set(
                re.findall(r'id="[^"]*"', body)
            ):
                problems.append(f"broken link to {where}#{fragment}: no such anchor")
        return problems

    def check(self, expected):
        """Everything wrong with one page, as a list of sentences (empty when it is fine)."""
        page = self.context.new_page()
        problems = []
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "requestfailed",
            lambda r: problems.append(f"request failed: {r.url} ({r.failure})"),
        )
        page.on(
            "response",
            lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"),
        )
        before = len(self.outside)
        try:
            response = page.goto(self.server.url(expected.filename), wait_until="load")
            if response is None or response.status != 200:
                status = response.status if response else "no response"
                return [f"the page is missing (HTTP {status})"]
            problems += self._content_problems(page, expected)
        finally:
            page.close()
        problems += [f"fetched from the web: {url}" for url in self.outside[before:]]
        return problems

    def _content_problems(self, page, expected):
        problems = []
        try:
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                timeout=MATHJAX_WAIT_MS,
            )
            page.evaluate("() => MathJax.startup.promise.then(() => true)")
        except Exception as error:  # noqa: BLE001 - reported as the page's problem
            problems.append(f"MathJax did not start: {str(error).splitlines()[0]}")
        seen = page.evaluate(_JS_PAGE)
        if seen["title"].replace("¶", "").strip() != expected.title:
            problems.append(f"title {seen['title']!r}, expected {expected.title!r}")
        files = [img for img in seen["images"] if not img["src"].startswith("data:")]
        problems += [f"missing image {img['src']}" for img in seen["images"] if not img["loaded"]]
        if len(files) != expected.figures:
            problems.append(f"{len(files)} figures shown, the notebook stores {expected.figures}")
        if seen["explorers"] != expected.explorers:
            problems.append(
                f"{seen['explorers']} explorer notes, the notebook shows {expected.explorers} "
                "explorers"
            )
        problems += self.link_problems(seen["links"])
        if expected.has_math and not seen["math"]:
            problems.append("no formula was typeset")
        problems += [f"TeX error in a formula: {text}" for text in seen["mathErrors"]]
        for text in seen["markdown"]:
            problems += [f"formula left as raw TeX: {m}" for m in RAW_TEX.findall(text)[:3]]
        if seen["previous"] != expected.previous:
            problems.append(f"'previous' is {seen['previous']}, expected {expected.previous}")
        if seen["next"] != expected.next:
            problems.append(f"'next' is {seen['next']}, expected {expected.next}")
        if set(seen["binder"]) != {expected.binder}:
            problems.append(f"Binder links {seen['binder']}, the README's is {expected.binder}")
        if seen["toc"] != course_order(lab.NOTEBOOKS):
            problems.append(f"the lesson list is {seen['toc']}")
        if seen["solutions"] != expected.solutions:
            problems.append(
                f"{seen['solutions']} collapsible solutions, the notebook has {expected.solutions}"
            )
        if seen["openDetails"]:
            problems.append(
                f"{seen['openDetails']} solutions or answers shown open: all start collapsed"
            )
        return problems


# -- the tests ---------------------------------------------------------------------------


_BUILT = {}


def build_once(tmp_path_factory):
    """The site of the current notebooks, built once per test session (this module and
    test_accessibility.py open the same pages)."""
    if "out" not in _BUILT:
        out = tmp_path_factory.mktemp("site") / "site"
        print(site.build(out, lab.NOTEBOOKS))
        _BUILT["out"] = out
    return _BUILT["out"]


@pytest.fixture(scope="module")
def built_site(browser_ready, tmp_path_factory):
    return build_once(tmp_path_factory)


@pytest.fixture(scope="module")
def site_server(built_site):
    with StaticServer(built_site) as server:
        yield server


@pytest.fixture(scope="module")
def checker(chromium, site_server):
    """One browser context for every page (each page opens in a new tab of it, with its own
    listeners); a link's target is fetched once for all pages."""
    context = chromium.new_context(viewport=lab.VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        yield SiteChecker(context, site_server)
    finally:
        context.close()


def test_every_lesson_of_the_readme_has_a_page():
    listed = set(readme_binder_links())
    on_site = {page.notebook.name for page in PAGES}
    assert listed, "no Binder link found in README.md's lesson list"
    assert listed <= on_site, f"README lessons without a page: {sorted(listed - on_site)}"


@pytest.mark.parametrize("expected", expected_pages(), ids=lambda e: e.filename)
def test_site_page(expected, checker):
    problems = checker.check(expected)
    assert not problems, f"site/{expected.filename}:\n- " + "\n- ".join(problems)


def test_the_checks_catch_a_broken_site(chromium, built_site, tmp_path):
    """Break a copy of the site in seven ways; each must be reported, on the right page only."""
    broken = tmp_path / "site"
    shutil.copytree(built_site, broken)
    pages = expected_pages()
    home, first, second, last = pages[0], pages[1], pages[2], pages[-1]

    def edit(filename, old, new):
        path = broken / filename
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {filename}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    # 1. an internal link to a page that does not exist
    edit(home.filename, f'href="{first.filename}"', 'href="01_no_such_lesson.html"')
    # 2. a figure file gone
    figure = next((broken / f"{Path(first.filename).stem}_files").glob("*.png"))
    figure.unlink()
    # 3. a script error and 4. a resource from the web
    edit(
        second.filename,
        "</body>",
        '<img src="https://example.org/logo.png"><script>undefined_function()</script></body>',
    )
    # 5. a formula with a TeX error, and one MathJax cannot even find (unbalanced braces)
    markdown = 'data-mime-type="text/markdown">'
    edit(second.filename, markdown, markdown + "<p>$\\frac{1}$ and $x_{$</p>")
    # 6. an answer shown open
    edit(second.filename, "<details>", "<details open>")
    # 7. a lesson page gone
    (broken / last.filename).unlink()

    # the broken pages, the one before the missing one, and one left alone
    checked = [home, first, second, pages[3], pages[-2], last]
    context = chromium.new_context(viewport=lab.VIEWPORT)
    context.set_default_timeout(30_000)
    try:
        with StaticServer(broken) as server:
            checker = SiteChecker(context, server)
            found = {e.filename: "\n".join(checker.check(e)) for e in checked}
    finally:
        context.close()
    assert "broken link to 01_no_such_lesson.html" in found[home.filename], found[home.filename]
    assert f"missing image {first.filename[:-5]}_files/{figure.name}" in found[first.filename]
    assert "HTTP 404" in found[first.filename]
    assert "undefined_function" in found[second.filename], found[second.filename]
    assert "fetched from the web: https://example.org/logo.png" in found[second.filename]
    assert "TeX error in a formula: Missing argument for \\frac" in found[second.filename]
    assert "formula left as raw TeX: $x_{$" in found[second.filename], found[second.filename]
    assert "1 solutions or answers shown open" in found[second.filename], found[second.filename]
    assert found[last.filename].startswith("the page is missing"), found[last.filename]
    # ... every other page still links to it (the lesson list), and has nothing else wrong
    gone = f"broken link to {last.filename} (HTTP 404)"
    for e in (pages[3], pages[-2]):
        assert found[e.filename] == gone, f"{e.filename}:\n{found[e.filename]}"
