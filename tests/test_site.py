"""tools/site.py (`make site`): what it writes, without a browser (tests/browser/test_site.py
opens every page in Chromium)."""

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from gmmlab.course import lessons
from tools import site
from tools.readme import binder_url

NOTEBOOKS = site.NOTEBOOKS
# Tags whose src or href the browser fetches (a link to Binder or GitHub is only followed).
FETCHED = ("script", "img", "link", "iframe", "source", "video", "audio", "embed")


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    return out, site.build(out, NOTEBOOKS)


def test_every_lesson_has_a_page_and_the_course_map_is_home(built):
    out, report = built
    expected = ["index.html"] + [f"{lesson.path.stem}.html" for lesson in lessons(NOTEBOOKS)]
    assert [page.filename for page in report.pages] == expected
    assert sorted(p.name for p in out.glob("*.html")) == sorted(expected)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "The course map" in home
    for lesson in lessons(NOTEBOOKS):  # the course map's table links every lesson's page
        assert f'href="{lesson.path.stem}.html">{lesson.summary}</a>' in home


def test_pages_need_nothing_from_the_web(built):
    out, _ = built
    for page in out.glob("*.html"):
        html = soup(page)
        fetched = [tag.get("src") or tag.get("href") or "" for tag in html.find_all(FETCHED)]
        remote = [url for url in fetched if re.match(r"(https?:)?//", url)]
        assert not remote, f"{page.name} fetches from the web: {remote[:3]}"
        local = [a["href"] for a in html.find_all("a", href=True) if ":" not in a["href"]]
        notebooks = [href for href in local if ".ipynb" in href]
        assert not notebooks, f"{page.name} links notebooks instead of pages: {notebooks}"
    assert (out / site.STATIC / "mathjax" / "tex-chtml-full.js").stat().st_size > 100_000
    assert list((out / site.STATIC / "mathjax").rglob("*.woff")), "MathJax's fonts are missing"


def test_every_page_opens_its_notebook_on_binder_and_shows_its_figures(built):
    out, report = built
    for page in report.pages:
        html = soup(out / page.filename)
        assert [a["href"] for a in html.select("a.gmm-binder")] == [binder_url(page.notebook.name)]
        stored = [  # each figure's alt text, as the notebook stores it with the output
            output.get("metadata", {}).get("image/png", {}).get("alt")
            for cell in json.loads(page.notebook.read_text(encoding="utf-8"))["cells"]
            for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {})
        ]
        figures = [img for img in html.find_all("img") if img.get("src", "").endswith(".png")]
        assert len(figures) == len(stored), f"{page.filename}: {len(figures)} figures of {stored}"
        assert all((out / img["src"]).is_file() for img in figures)
        generic = "a figure drawn by the code above"
        for alt, img in zip(stored, figures, strict=True):  # the stored alt, else a generic one
            assert img["alt"] == alt if alt else img["alt"].startswith(generic)


def test_solutions_are_collapsed_and_explorers_explained(built):
    out, report = built
    assert report.explorers >= 1
    for page in report.pages:
        cells = json.loads(page.notebook.read_text(encoding="utf-8"))["cells"]
        tagged = [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])]
        # a solution that is already a collapsed Markdown <details> block is left as it is;
        # any other is wrapped in one by the site
        wrapped = sum(c["cell_type"] == "code" or "<details" not in "".join(c["source"])
                      for c in tagged)
        text = (out / page.filename).read_text(encoding="utf-8")
        assert text.count('<details class="gmm-solution">') == wrapped, page.filename
        assert text.count("<details") >= len(tagged), page.filename
        assert "<details open" not in text
        assert "Run the notebook to move" not in text, f"{page.filename} shows an explorer's text"


def test_explorer_note():
    description = {
        "kind": "SamplingExplorer",
        "sliders": [{"name": "weight", "label": "weight π_0"}, {"name": "spread", "label": ""}],
        "snapshot": {"weight": 0.5, "spread": 1.0},
    }
    note = site.explorer_note(description, "https://binder.example/x")
    assert "<code>SamplingExplorer</code>" in note
    assert "<em>weight π_0</em>, <em>spread</em>" in note  # the label, else the name
    assert 'href="https://binder.example/x"' in note


def test_relink():
    filenames = {"00_index.ipynb": "index.html", "02_hard_vs_soft.ipynb": "02_hard_vs_soft.html"}
    text = (
        '<a href="02_hard_vs_soft.ipynb">2</a> <a href="00_index.ipynb#Notation">map</a> '
        '<a href="./02_hard_vs_soft.ipynb">3</a> <a href="99_missing.ipynb">?</a> '
        '<a href="https://example.org/02_hard_vs_soft.ipynb">web</a> '
        '<a href="../other/02_hard_vs_soft.ipynb">elsewhere</a>'
    )
    assert site.relink(text, filenames) == (
        '<a href="02_hard_vs_soft.html">2</a> <a href="index.html#Notation">map</a> '
        '<a href="02_hard_vs_soft.html">3</a> <a href="99_missing.ipynb">?</a> '
        '<a href="https://example.org/02_hard_vs_soft.ipynb">web</a> '
        '<a href="../other/02_hard_vs_soft.ipynb">elsewhere</a>'
    )


def test_a_new_lesson_gets_a_page_and_joins_the_navigation(tmp_path):
    """Lessons are discovered through gmmlab.course: a lesson 09 needs no change to the tool."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    last = lessons(NOTEBOOKS)[-1]
    for path in (NOTEBOOKS / site.INDEX_NOTEBOOK, last.path):  # a short course builds faster
        shutil.copy(path, notebooks)
    last = lessons(notebooks)[-1]
    number = last.number + 1
    extra = json.loads(last.path.read_text(encoding="utf-8"))
    extra["cells"][0]["source"] = [f"# Lesson {number} · A lesson added later\n"]
    (notebooks / f"{number:02d}_added_later.ipynb").write_text(json.dumps(extra))
    report = site.build(tmp_path / "site", notebooks)
    assert report.pages[-1].filename == f"{number:02d}_added_later.html"
    following = soup(tmp_path / "site" / f"{last.path.stem}.html").select(".gmm-pager a.gmm-next")
    assert {a["href"] for a in following} == {f"{number:02d}_added_later.html"}
    assert following[0].get_text().startswith(f"Lesson {number} · A lesson added later")


def test_the_site_is_never_written_over_a_foreign_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit, match="was not written by tools/site.py"):
        site.build(tmp_path, NOTEBOOKS)
    assert (tmp_path / "notes.txt").read_text() == "mine"
