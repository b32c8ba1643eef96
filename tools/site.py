"""Write the course website: the course map and every lesson as a page, with stored outputs.

    python -m tools.site              # writes site/ (make site)
    python -m tools.site --out DIR    # somewhere else

The site shows the edition learners open (``notebooks/`` itself), as it was last run:

- the home page ``index.html`` is the course map (``00_index.ipynb``); each lesson is
  ``NN_name.html``, found through ``gmmlab.course`` (never a fixed list);
- every page has the lesson list, previous/next links in course order, and a link that opens
  the same notebook on Binder (the README's link, made from pyproject.toml's
  ``[project.urls] Repository``);
- figures and explorer snapshots are PNG files next to the page; an explorer's text stand-in
  becomes a short note that says how to get the live sliders;
- reference solutions (cells tagged ``solution``) are collapsed;
- formulas are typeset by MathJax 3, served from the site itself: nothing is fetched from
  the web, so the site works offline and from any static host.

Built with nbconvert's JupyterLab template (``tools/site_assets/page.html.j2`` adds the
navigation and removes its CDN scripts). The output folder is replaced as a whole, and only
if it is empty or was written by this tool.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import re
import shutil
import sys
import time
from pathlib import Path

from tools._startup import deferred_rfc3987_syntax

with deferred_rfc3987_syntax():  # jsonschema's rfc3987_syntax on first use (tools/_startup.py)
    import nbformat

from gmmlab.course import lessons, read_lesson
from tools.outdir import replace_output_dir
from tools.project import ROOT, build_from_command_line
from tools.readme import binder_url, repository

NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "site"
ASSETS = Path(__file__).resolve().parent / "site_assets"
INDEX_NOTEBOOK = "00_index.ipynb"
STATIC = "_static"
#: A file in the output folder that says this tool wrote it (and may replace it).
MARKER = ".gmmlab-site"
SOLUTION_TAG = "solution"
#: How an explorer describes itself in a stored output (gmmlab.widgets.EXPLORER_MIME): its
#: kind, its sliders (name, label, range, value) and the slider values of its snapshot.
EXPLORER_MIME = "application/vnd.gmmlab.explorer+json"
#: A link to a notebook: href="NN_name.ipynb" or href="NN_name.ipynb#section".
NOTEBOOK_HREF = re.compile(r'href="(?P<target>[^"#:?]+\.ipynb)(?P<fragment>#[^"]*)?"')
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\balt=)")
#: A slider in an HTML output with no accessible name: matplotlib's animation player
#: (``to_jshtml``, through gmmlab.plotting.animation_html) writes ``<input type="range">``
#: with neither a label nor an aria-label, which a screen reader announces as "slider".
_RANGE_WITHOUT_NAME = re.compile(
    r'<input(?![^>]*\baria-label(?:ledby)?=)(?=[^>]*\btype="range")', flags=re.IGNORECASE
)
#: The accessible name it gets on the site.
ANIMATION_SLIDER_NAME = "frame of the animation"
#: What MathJax's combined TeX + CommonHTML component needs: the script and its fonts.
MATHJAX_FILES = ("tex-chtml-full.js", "output/chtml/fonts/woff-v2")


@dataclasses.dataclass(frozen=True)
class Page:
    """One page of the site: the notebook it shows and where it goes."""

    notebook: Path
    filename: str
    number: int
    title: str
    label: str  # in the lesson list: "Course map", "1 · Mixtures of Gaussians ..."


def course_pages(notebooks_dir=NOTEBOOKS):
    """The home page (the course map) then every lesson, in course order."""
    notebooks_dir = Path(notebooks_dir)
    index = notebooks_dir / INDEX_NOTEBOOK
    if not index.exists():
        raise SystemExit(f"{index} does not exist: the site's home page is the course map")
    home = read_lesson(index)
    pages = [Page(index, "index.html", 0, home.title, "Course map")]
    for lesson in lessons(notebooks_dir):
        pages.append(
            Page(lesson.path, f"{lesson.path.stem}.html", lesson.number, lesson.title,
                 f"{lesson.number} · {lesson.summary}")
        )
    return pages


def explorer_note(description, binder):
    """The HTML that stands in for an explorer's live view.

    Parameters
    ----------
    description : dict
        What the explorer stored under :data:`EXPLORER_MIME`: ``kind`` and ``sliders``
        (each with its ``label``), and ``snapshot``, the slider values of the picture above.
    binder : str
        The lesson's Binder address.
    """
    sliders = ", ".join(
        f"<em>{html.escape(str(slider.get('label') or slider['name']))}</em>"
        for slider in description["sliders"]
    )
    return (
        f'<div class="gmm-explorer">Interactive explorer <code>'
        f'{html.escape(description["kind"])}</code>, with sliders {sliders}. The picture above '
        "is a snapshot of it; to move the sliders, "
        f'<a href="{html.escape(binder)}">open this lesson on Binder</a> or run it in '
        "JupyterLab.</div>"
    )


def prepare(notebook, page, binder, alt):
    """A copy of the notebook ready for the template: its title set, explorers as notes,
    images in HTML outputs described by ``alt``, sliders in HTML outputs named."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata["title"] = page.title
    notebook.metadata.pop("widgets", None)  # a stored widget state would load a CDN manager
    explorers = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if EXPLORER_MIME in data:
                output["data"] = {"text/html": explorer_note(data[EXPLORER_MIME], binder)}
                explorers += 1
            elif "text/html" in data:  # e.g. an animation: say what its image and slider are
                html_text = data["text/html"]
                html_text = "".join(html_text) if isinstance(html_text, list) else html_text
                html_text = _IMG_WITHOUT_ALT.sub(f'<img alt="{alt}"', html_text)
                data["text/html"] = _RANGE_WITHOUT_NAME.sub(
                    f'<input aria-label="{ANIMATION_SLIDER_NAME}"', html_text
                )
    return notebook, explorers


def relink(text, filenames):
    """Links between notebooks become links between pages (``00_index.ipynb`` -> index.html).

    A link to a notebook that is not part of the course is left alone (the browser test
    reports it as broken).
    """

    def replace(match):
        target = filenames.get(Path(match["target"]).name)
        if target is None or "/" in match["target"].replace("./", "", 1):
            return match.group(0)
        return f'href="{target}{match["fragment"] or ""}"'

    return NOTEBOOK_HREF.sub(replace, text)


def _exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.ExtractOutputPreprocessor.enabled = True  # figures as files, not base64 in the page
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        extra_template_paths=[str(ASSETS)],
        template_file="page.html.j2",
    )
    exporter.exclude_anchor_links = False
    return exporter


def _lab_stylesheets(exporter):
    """nbconvert's JupyterLab stylesheets (cells, outputs, the light theme), as one text."""
    parts = []
    for name in ("index.css", "theme-light.css"):
        for directory in exporter.template_paths:
            path = Path(directory) / "static" / name
            if path.exists():
                parts.append(path.read_text(encoding="utf-8"))
                break
        else:
            raise SystemExit(f"nbconvert's lab template has no static/{name}: is nbconvert >= 7?")
    return "\n".join(parts)


def _mathjax_dir():
    """The MathJax 3 distribution of the django-static-mathjax package (``es5/``)."""
    try:
        import mathjax
    except ImportError:
        raise SystemExit(
            "MathJax is not installed: run `make setup` (or `.venv/bin/python -m pip install -e "
            "'.[site]'`)"
        ) from None
    es5 = Path(mathjax.__file__).resolve().parent / "static" / "mathjax" / "es5"
    if not (es5 / MATHJAX_FILES[0]).exists():
        raise SystemExit(f"{es5} has no {MATHJAX_FILES[0]}: an unexpected MathJax package")
    return es5


def _prepare(out):
    """Empty the output folder, refusing to touch one this tool did not write."""
    replace_output_dir(out, MARKER, "tools/site.py")


def write_static(out, exporter):
    """The stylesheets and MathJax, shared by every page."""
    static = out / STATIC
    static.mkdir()
    (static / "lab.css").write_text(_lab_stylesheets(exporter), encoding="utf-8")
    shutil.copy(ASSETS / "site.css", static / "site.css")
    es5 = _mathjax_dir()
    for name in MATHJAX_FILES:
        source, target = es5 / name, static / "mathjax" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)


@dataclasses.dataclass
class Report:
    """What was written, for the terminal."""

    out: Path
    pages: list
    images: int = 0
    explorers: int = 0
    seconds: float = 0.0

    def size_mb(self):
        return sum(p.stat().st_size for p in self.out.rglob("*") if p.is_file()) / 1e6

    def __str__(self):
        return (
            f"{self.out}: {len(self.pages)} pages, {self.images} figures, {self.explorers} "
            f"explorer notes, {self.size_mb():.1f} MB, in {self.seconds:.1f} s; "
            f"open {self.out / 'index.html'}"
        )


def build(out=OUT, notebooks_dir=NOTEBOOKS):
    """Write the website of the notebooks of ``notebooks_dir`` into ``out``.

    Parameters
    ----------
    out : str or Path, default site/
        Replaced as a whole (only if empty or written by this tool).
    notebooks_dir : str or Path, default notebooks/

    Returns
    -------
    Report
    """
    start = time.perf_counter()
    out = Path(out)
    pages = course_pages(notebooks_dir)
    _prepare(out)
    exporter = _exporter()
    write_static(out, exporter)
    repo = repository()
    repository_url = f"https://github.com/{repo}"
    filenames = {page.notebook.name: page.filename for page in pages}
    report = Report(out, pages)
    for position, page in enumerate(pages):
        binder = binder_url(page.notebook.name, repo)
        alt = f"a figure drawn by the code above ({page.label})"
        notebook, explorers = prepare(
            nbformat.read(page.notebook, as_version=4), page, binder, alt
        )
        report.explorers += explorers
        stem = Path(page.filename).stem
        resources = {
            "metadata": {"name": stem, "path": str(page.notebook.parent)},
            "output_files_dir": f"{stem}_files",
            "site": {
                "course": pages[0].title.split("·")[0].strip() or "gmmlab",
                "filename": page.filename,
                "number": page.number,
                "is_home": position == 0,
                "notebook": page.notebook.name,
                "pages": pages,
                "previous": pages[position - 1] if position else None,
                "next": pages[position + 1] if position + 1 < len(pages) else None,
                "binder_url": binder,
                "source_url": f"{repository_url}/blob/HEAD/notebooks/{page.notebook.name}",
                "repository": repo,
                "repository_url": repository_url,
                "static": STATIC,
                "solution_tag": SOLUTION_TAG,
                "figure_alt": alt,
            },
        }
        body, resources = exporter.from_notebook_node(notebook, resources=resources)
        (out / page.filename).write_text(relink(body, filenames), encoding="utf-8")
        for name, data in resources.get("outputs", {}).items():
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            report.images += 1
    report.seconds = time.perf_counter() - start
    return report


def main(argv=None):
    """Build the site; print what was written."""
    report, _ = build_from_command_line("site", __doc__.splitlines()[0], build, OUT, argv)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
