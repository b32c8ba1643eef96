"""Check the lessons before they are committed, handed out or published.

    python -m tools.check_notebooks                  # every notebook in notebooks/
    python -m tools.check_notebooks 04_iris_2d notebooks/05_log_likelihood.ipynb
    python -m tools.check_notebooks --list-rules     # what each rule checks

Every problem is printed on one line that names the notebook and, where it
lies in one cell, the cell: its position counted from the top (markdown cells
included, as ruff counts them), its id and its first line, then the rule and
what to do about it::

    notebooks/03_iris_1d.ipynb: cell 14 (id cell-13, "labels = gmmlab.hard_...") \
[error-output] the cell stored an error (NameError: name 'x' is not defined) ...

The command exits with status 1 when it found a problem, 0 otherwise. The
rules are in :data:`RULES`; ``00_index.ipynb`` is the course map, not a
lesson, so it needs no objectives or recap.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import json
import re
import sys
from pathlib import Path

from tools._startup import deferred_rfc3987_syntax

with deferred_rfc3987_syntax():  # jsonschema's rfc3987_syntax on first use (tools/_startup.py)
    import nbformat
from IPython.core.inputtransformer2 import TransformerManager

from gmmlab.check import CHECKERS, FAILED, PASSED
from gmmlab.course import (
    CODE_LINES_PER_MINUTE,
    LESSON_PATTERN,
    MAX_LESSON_MINUTES,
    MINUTES_PER_EXERCISE,
    MINUTES_PER_EXPLORER,
    OBJECTIVES_HEADING,
    TIMING_RULE,
    WORDS_PER_MINUTE,
    course_map,
    lessons,
    parse_lesson,
    read_lesson,
    reading_time,
)
from tools.project import NOTEBOOKS, README, TEMPLATE, command, resolve_notebooks
from tools.prose_numbers import check_prose_numbers
from tools.readme import END, START, lesson_list

#: The size budget of one notebook, in bytes (1.5 MB; a figure is about 30-60 kB).
MAX_BYTES = 1_500_000

# -- the rule registry ---------------------------------------------------------------

#: Which notebooks a rule applies to.
SCOPES = {
    "notebook": "every notebook",
    "course": "the course map and the lessons (files named NN_name.ipynb)",
    "lesson": "the lessons (not the course map)",
    "map": "the course map, 00_index.ipynb",
}


@dataclasses.dataclass(frozen=True)
class Rule:
    """One rule of the notebook check: its name, what breaks it, where it applies.

    Attributes
    ----------
    name : str
        What each problem prints in brackets (``[error-output]``).
    description : str
        When a notebook fails the rule (``--list-rules`` and CONTRIBUTING.md show it).
    scope : str
        A key of :data:`SCOPES`.
    check : callable
        ``check(notebook) -> list of Problem``, given a :class:`Notebook`.
    """

    name: str
    description: str
    scope: str
    check: object


#: Every rule, in the order they run, by name. A rule is one function decorated with
#: :func:`rule`; the dispatcher (:func:`check_notebook`) loops over this registry.
RULES = {}


def rule(name, description, scope="notebook"):
    """Register the decorated function as the rule ``name``.

    Parameters
    ----------
    name : str
    description : str
        When a notebook fails the rule, in one sentence or two.
    scope : str, default "notebook"
        A key of :data:`SCOPES`.

    Raises
    ------
    ValueError
        If ``name`` is already registered or ``scope`` is not one of :data:`SCOPES`.
    """
    if name in RULES:
        raise ValueError(f"the rule {name!r} is registered twice")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")

    def register(function):
        RULES[name] = Rule(name, " ".join(description.split()), scope, function)
        return function

    return register


# -- patterns ------------------------------------------------------------------

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_MD_IMAGE_REF = re.compile(r"!\[([^\]]*)\]\[([^\]]*)\]")
_MD_REF_DEFINITION = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*[\"']?((?:https?:)?//[^\"')\s]+)", re.IGNORECASE)
_LINK_TARGET = re.compile(
    r"\]\(\s*<?([^)\s>]+)|\b(?:src|href)\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE
)
# A path of two or more segments from the root (/home/ana/data.csv), a Windows drive
# path, a file: URL or a home-relative path. The look-behind keeps URLs (https://a/b/c),
# fractions (1/2/3), words (and/or) and base64 text from matching.
_ABSOLUTE_PATH = re.compile(
    r"(?<![\w/+=:.~\\-])(?:/[\w.\-]+){2,}/?"
    r"|(?<![\w])[A-Za-z]:\\\\?[\w.\-]+"
    r"|\bfile:/{1,3}[^\s\"')>]+"
    r"|(?<![\w/~.])~/[\w.\-]+",
)
# Text that is not a path of the author's machine: data: URIs (base64 figures; in the
# JavaScript of an animation their lines end with a backslash), and the per-process cell
# files of ipykernel in warnings (nbval sanitises those too).
_NOT_A_PATH = re.compile(
    r"data:[\w/+.\-]+;base64,[A-Za-z0-9+/=\s\\]*|/tmp/ipykernel_\d+/\d+\.py", re.IGNORECASE
)
_URL = re.compile(r"\b(?:https?|ftp|wss?)://[^\s\"'<>)]+", re.IGNORECASE)
_SHELL_NETWORK = re.compile(
    r"(?<![\w-])(?:pip3?|conda|mamba|micromamba|wget|curl|apt(?:-get)?|npm|yarn|ssh|scp|rsync"
    r"|huggingface-cli|kaggle|git\s+(?:clone|pull|fetch|push|submodule))(?![\w-])"
)
# Modules whose import means the cell talks to the network.
_NETWORK_MODULES = {
    "requests", "urllib3", "httpx", "aiohttp", "socket", "ftplib", "smtplib", "http",
    "pooch", "wget", "webbrowser", "paramiko", "telnetlib", "huggingface_hub", "datasets",
    "urllib.request", "gdown", "kaggle",
}  # fmt: skip
# Functions that download: scikit-learn's fetch_* loaders, urllib, keras, the hubs.
_NETWORK_CALLS = re.compile(
    r"^(?:fetch_\w+|urlopen|urlretrieve|get_file|hf_hub_download|snapshot_download"
    r"|load_dataset|read_html)$"
)
_SHELL_MAGICS = {"system", "getoutput"}
_CELL_MAGICS_RUNNING_SHELL = {"bash", "sh", "script", "system", "sx", "cmd", "powershell"}
_INSTALL_MAGICS = {"pip", "conda", "mamba", "micromamba"}
#: The tag every cell that calls a checker carries: its stored output is a verdict, which the
#: tests of the learner's path read (tests/test_learner_path.py).
CHECK_TAG = "check"


@dataclasses.dataclass(frozen=True)
class Problem:
    """One broken rule: where it is, which rule, and what to do about it.

    Attributes
    ----------
    path : Path
        The notebook (or the README, for the README's own problems).
    rule : str
        A key of :data:`RULES` (any other name is an error: a rule must be registered).
    message : str
        What is wrong and how to fix it.
    cell : int or None
        The cell's position, counted from 1 at the top, markdown cells
        included; None when the problem is the notebook's as a whole.
    cell_id : str or None
        The cell's id (stable across edits, unlike its position).
    excerpt : str
        The cell's first non-blank line, shortened, to find it by eye.
    """

    path: Path
    rule: str
    message: str
    cell: int | None = None
    cell_id: str | None = None
    excerpt: str = ""

    def __post_init__(self):
        if self.rule not in RULES:
            raise ValueError(
                f"Problem: unknown rule {self.rule!r}; register it with @rule (known: "
                f"{', '.join(RULES)})"
            )

    def __str__(self):
        where = _display(self.path)
        if self.cell is not None:
            where += f": cell {self.cell}"
            details = []
            if self.cell_id:
                details.append(f"id {self.cell_id}")
            if self.excerpt:
                details.append(json.dumps(self.excerpt, ensure_ascii=False))
            if details:
                where += f" ({', '.join(details)})"
        return f"{where}: [{self.rule}] {self.message}"


def _display(path):
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _excerpt(source, width=40):
    line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return line if len(line) <= width else line[: width - 3] + "..."


class _Cell:
    """Builds the problems of one cell."""

    def __init__(self, path, position, cell):
        self.path, self.position, self.cell = path, position, cell

    def problem(self, rule, message):
        return Problem(
            self.path,
            rule,
            message,
            cell=self.position,
            cell_id=self.cell.get("id"),
            excerpt=_excerpt(self.cell.source),
        )


# -- the checks -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Notebook:
    """What every rule is given: one notebook file, read once.

    Attributes
    ----------
    path : Path
    content : nbformat.NotebookNode or None
        None when the file could not be read (rule ``unreadable``).
    error : Exception or None
        Why it could not be read.
    readme_text : str or None
        The README to look for the notebook's row in; None: the repository's.
    """

    path: Path
    content: object = None
    error: Exception | None = None
    readme_text: str | None = None

    @classmethod
    def read(cls, path, readme_text=None):
        path = Path(path)
        try:
            content = nbformat.read(path, as_version=4)
            nbformat.validate(content)
        except Exception as error:  # unreadable JSON, or not a notebook
            return cls(path, error=error, readme_text=readme_text)
        return cls(path, content, readme_text=readme_text)

    @property
    def cells(self):
        return self.content.cells

    @property
    def scope(self):
        """"lesson", "map" or None (a file not named NN_name.ipynb)."""
        match = LESSON_PATTERN.match(self.path.name)
        if not match:
            return None
        return "map" if match.group(1) == "00" else "lesson"

    def where(self, index):
        """The cell at ``index`` (from 0), to build its problems."""
        return _Cell(self.path, index + 1, self.cells[index])

    def cells_of_type(self, cell_type):
        """(where, cell) for each cell of one type, top to bottom."""
        for index, cell in enumerate(self.cells):
            if cell.cell_type == cell_type:
                yield self.where(index), cell


def _applies(scope, notebook_scope):
    if scope == "notebook":
        return True
    if scope == "course":
        return notebook_scope is not None
    return scope == notebook_scope


def check_notebook(path, readme_text=None):
    """Check one notebook against every rule of :data:`RULES` that applies to it.

    Parameters
    ----------
    path : str or Path
        The notebook. Lessons are the files named ``NN_name.ipynb`` with NN
        not 00; the other lessons of its folder make the expected README row.
    readme_text : str, optional
        The README to look for the notebook's row in; default: the
        repository's README.md.

    Returns
    -------
    list of Problem
        Empty when the notebook passes.
    """
    notebook = Notebook.read(path, readme_text)
    if notebook.error is not None:
        return RULES["unreadable"].check(notebook)
    problems = []
    for registered in RULES.values():
        if _applies(registered.scope, notebook.scope):
            problems += registered.check(notebook)
    return problems


_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


@rule(
    "unreadable",
    "the file is not a valid notebook: a merge conflict left in it (the message gives the line "
    "and how to resolve it with nbdime), broken JSON, not a notebook. The other notebooks are "
    "still checked: a broken file is a problem on one line, never a traceback",
)
def _check_readable(notebook):
    if notebook.error is None:
        return []
    message = unreadable_message(notebook.path, notebook.error)
    return [Problem(notebook.path, "unreadable", message)]


@rule("name", "the file is not named `NN_name.ipynb`, so the course map skips it")
def _check_name(notebook):
    if notebook.scope is not None:
        return []
    return [
        Problem(
            notebook.path,
            "name",
            "lesson files are named NN_name.ipynb (two digits, then lower-case words "
            "joined by _): the course map and the README's lesson list skip this one",
        )
    ]


def unreadable_message(path, error):
    """What is wrong with a file that nbformat cannot read, and what to do."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as reading:
        return f"the file cannot be read ({reading})"
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return (
            f"a merge conflict is left in the file (line {line}: {conflict.group(1)}): resolve "
            "it cell by cell with `git mergetool --tool=nbdime` (after `make diff-setup`), or "
            "take one side (`git checkout --ours/--theirs FILE`), then `make refresh "
            f"LESSON={Path(path).stem}`"
        )
    reason = " ".join(str(error).split())
    reason = reason if len(reason) <= 200 else reason[:197] + "..."
    return (
        f"not a valid notebook ({type(error).__name__}: {reason}); restore it from git "
        "(`git checkout FILE`) or repair it in a text editor"
    )


@rule("widget-state", "widget state is stored in the notebook's metadata")
def _check_widget_state(notebook):
    path, problems = notebook.path, []
    if "widgets" in notebook.content.metadata:
        problems.append(
            Problem(
                path,
                "widget-state",
                "the notebook stores widget state (metadata.widgets), which changes on every "
                "run and bloats diffs: run `make refresh LESSON=" + path.stem + "`, or in "
                "JupyterLab untick Settings → Save Widget State Automatically",
            )
        )
    return problems


@rule("kernelspec", "the notebook does not name the `python3` kernel")
def _check_kernelspec(notebook):
    path, problems = notebook.path, []
    kernel = notebook.content.metadata.get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(
            Problem(
                path,
                "kernelspec",
                f"the notebook's kernel is {kernel!r}, not 'python3': run "
                f"`make refresh LESSON={path.stem}`, which sets it",
            )
        )
    return problems


@rule(
    "size",
    f"the file is over {MAX_BYTES / 1e6:g} MB (the message names the cells with the largest "
    "outputs)",
)
def _check_size(notebook):
    path = notebook.path
    size = path.stat().st_size
    if size <= MAX_BYTES:
        return []
    heaviest = sorted(
        (
            (len(json.dumps(cell.get("outputs", []))), position)
            for position, cell in enumerate(notebook.cells, start=1)
        ),
        reverse=True,
    )[:3]
    where = ", ".join(f"cell {position} ({nbytes / 1e3:.0f} kB)" for nbytes, position in heaviest)
    return [
        Problem(
            path,
            "size",
            f"the file is {size / 1e6:.2f} MB, over the {MAX_BYTES / 1e6:g} MB budget; the "
            f"largest outputs are in {where}: make figures smaller, show fewer of them, or "
            "lower an animation's frame count",
        )
    ]


@rule(
    "execution-order",
    "it was not run once, top to bottom: execution counts are not 1, 2, ... n, or a code cell "
    "never ran (fix: `make refresh LESSON=...`)",
)
def _check_execution(notebook):
    path, problems = notebook.path, []
    refresh = f"run `make refresh LESSON={path.stem}`"
    code = [
        (position, cell)
        for position, cell in enumerate(notebook.cells, start=1)
        if cell.cell_type == "code" and cell.source.strip()  # nbclient skips empty cells
    ]
    never_run = [(p, c) for p, c in code if c.get("execution_count") is None]
    if code and len(never_run) == len(code):
        return [
            Problem(
                path,
                "execution-order",
                f"the notebook was never run: no code cell has an execution count; {refresh}",
            )
        ]
    for position, cell in never_run[:3]:
        problems.append(
            _Cell(path, position, cell).problem(
                "execution-order",
                f"this code cell was never run, so its output is missing; {refresh}",
            )
        )
    if len(never_run) > 3:
        others = ", ".join(str(p) for p, _ in never_run[3:])
        problems.append(
            Problem(path, "execution-order", f"cells {others} were never run either; {refresh}")
        )
    ran = [(p, c) for p, c in code if c.get("execution_count") is not None]
    for expected, (position, cell) in enumerate(ran, start=1):
        if cell.execution_count != expected:
            problems.append(
                _Cell(path, position, cell).problem(
                    "execution-order",
                    f"execution count {cell.execution_count} where {expected} was expected: "
                    "the notebook was not run once, top to bottom, in a fresh kernel (cells "
                    f"after this one were not checked for order); {refresh}",
                )
            )
            break
    return problems


def _remote_images(where, text, what):
    """A remote-image problem for each image in ``text`` loaded from the web."""
    return [
        where.problem(
            "remote-image",
            f"{what} ({target}): lessons must work offline and on Binder, so draw the "
            "figure from code instead",
        )
        for target in _image_targets(text)
        if _REMOTE.match(target)
    ]


def _image_targets(text):
    """The sources of the Markdown and HTML images in ``text``."""
    targets = _MD_IMAGE.findall(text) + _HTML_IMAGE.findall(text) + _CSS_URL.findall(text)
    definitions = {label.lower(): url for label, url in _MD_REF_DEFINITION.findall(text)}
    for alt, label in _MD_IMAGE_REF.findall(text):
        url = definitions.get((label or alt).lower())
        if url:
            targets.append(url)
    return targets


def _absolute_paths_in_text(text, links_too=False):
    text = _NOT_A_PATH.sub(" ", text)
    found = [m.group(0) for m in _ABSOLUTE_PATH.finditer(text)]
    if links_too:
        for groups in _LINK_TARGET.findall(text):
            target = next(g for g in groups if g)
            if target.startswith("/") and not target.startswith("//") and target not in found:
                found.append(target)
    return list(dict.fromkeys(found))


def _absolute_path_message(path):
    return (
        f"absolute path {path!r}: it exists only on one machine; use a path relative to the "
        "notebook (or load the data with gmmlab.datasets)"
    )


@rule(
    "network",
    "a code cell needs the network: a URL in code, `requests`, `urllib.request`, `socket`, "
    "scikit-learn's `fetch_*` loaders, `!pip`, `%pip`, `!wget`, `!curl`, `git clone`...",
)
def _check_network(notebook):
    problems = []
    for where, cell in notebook.cells_of_type("code"):
        source = cell.source
        python, strings = _python_of(source)
        reasons = []
        for text in strings:
            reasons += [f"the URL {url!r} in code" for url in _URL.findall(text)]
        if python is not None:
            reasons += _network_uses(python)
        else:  # not Python we can parse: look at the raw text (comments included)
            reasons += [f"the URL {url!r} in code" for url in _URL.findall(source)]
            for line in source.splitlines():
                stripped = line.strip()
                if stripped.startswith(("!", "%")) and _SHELL_NETWORK.search(stripped):
                    reasons.append(f"the shell command {stripped!r}")
        for reason in dict.fromkeys(reasons):
            problems.append(
                where.problem(
                    "network",
                    f"this cell needs the network ({reason}): lessons must run offline; use "
                    "gmmlab.datasets, and install packages through pyproject.toml, not from a "
                    "cell",
                )
            )
    return problems


def _python_of(source):
    """(the cell as a Python AST or None, the string constants in it)."""
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except Exception:  # a syntax error: fall back to the raw text
        return None, [source]
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    return tree, strings


def _network_uses(tree):
    reasons = []
    for node in ast.walk(tree):
        modules = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
            if "urllib" in modules:  # bare `import urllib` is there for urllib.request
                reasons.append("it imports urllib")
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for module in modules:
            if module in _NETWORK_MODULES or module.split(".")[0] in _NETWORK_MODULES:
                reasons.append(f"it imports {module}")
        name = None
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.Attribute):
            name = node.attr
        elif isinstance(node, ast.alias):
            name = node.name.rsplit(".", 1)[-1]
        if name and _NETWORK_CALLS.match(name):
            reasons.append(f"it uses {name}")
        if isinstance(node, ast.Call):
            reasons += _shell_network_use(node)
    return reasons


def _shell_network_use(call):
    """IPython's !command, %magic and %%magic calls that reach the network."""
    function = call.func
    if not isinstance(function, ast.Attribute):
        return []
    args = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if not args:
        return []
    if function.attr in _SHELL_MAGICS:
        command = args[0]
    elif function.attr == "run_line_magic":
        if args[0] in _INSTALL_MAGICS:
            return [f"the magic %{args[0]} {args[1] if len(args) > 1 else ''}".rstrip()]
        command = " ".join(args[1:]) if args[0] in {"sx", "system"} else ""
    elif function.attr == "run_cell_magic":
        command = args[-1] if args[0] in _CELL_MAGICS_RUNNING_SHELL else ""
    else:
        return []
    if _SHELL_NETWORK.search(command):
        return [f"the shell command {_excerpt(command, 60)!r}"]
    return []


def _output_texts(cell):
    """The text of each stored output of a code cell that is not an error."""
    texts = []
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            continue
        if output.output_type == "stream":
            texts.append(output.get("text", ""))
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith(("+json", "/json", "javascript")):
                texts.append(value if isinstance(value, str) else json.dumps(value))
    return texts


@rule("error-output", "a cell stored an error")
def _check_error_outputs(notebook):
    problems = []
    for where, cell in notebook.cells_of_type("code"):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(
                    where.problem(
                        "error-output",
                        f"the cell stored an error ({output.get('ename')}: "
                        f"{output.get('evalue')}); fix the cell, then run `make refresh LESSON="
                        f"{where.path.stem}` (a lesson must run top to bottom without errors)",
                    )
                )
    return problems


@rule(
    "remote-image",
    "a Markdown, HTML or output image is loaded from the web (`http://`, `https://`, `//`)",
)
def _check_remote_images(notebook):
    problems = []
    for where, cell in notebook.cells_of_type("markdown"):
        problems += _remote_images(where, cell.source, "image loaded from the web")
    for where, cell in notebook.cells_of_type("code"):
        for text in _output_texts(cell):
            problems += _remote_images(where, text, "an output loads an image from the web")
    return problems


#: The image types a notebook output can hold; each needs alt text in its metadata.
_IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
_HTML_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_ALT = re.compile(r"\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)


def image_alt(output, mime):
    """The alt text stored for one image of an output, as nbconvert reads it: the image's
    metadata ``{mime: {"alt": ...}}``, else the output's ``{"alt": ...}``; None if none."""
    metadata = output.get("metadata") or {}
    alt = (metadata.get(mime) or {}).get("alt") or metadata.get("alt")
    return alt if isinstance(alt, str) and alt.strip() else None


def _html_images_without_alt(text):
    """How many ``<img>`` tags of an HTML text have no alt text (or an empty one)."""
    missing = 0
    for tag in _HTML_IMG_TAG.findall(text):
        match = _HTML_ALT.search(tag)
        if match is None or not "".join(g or "" for g in match.groups()).strip():
            missing += 1
    return missing


@rule(
    "figure-alt",
    "an image output has no alt text (`metadata[\"image/png\"][\"alt\"]`, which "
    "`gmmlab.plotting.show(fig, alt=...)` and an explorer's `snapshot` store), an HTML output "
    "holds an `<img>` without `alt`, or two figures of the notebook share the same alt text "
    "([Figures](#figures-and-their-alt-text))",
)
def _check_figure_alt(notebook):
    problems, seen = [], {}
    for where, cell in notebook.cells_of_type("code"):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in _IMAGE_MIMES:
                if mime not in data:
                    continue
                alt = image_alt(output, mime)
                if alt is None:
                    problems.append(
                        where.problem(
                            "figure-alt",
                            f"an {mime} output has no alt text: show the figure with "
                            "`gmmlab.plotting.show(fig, alt=f\"...\")` (what it shows, the one "
                            "thing to see, with the key numbers), then `make refresh LESSON="
                            f"{where.path.stem}`",
                        )
                    )
                    continue
                key = " ".join(alt.split()).casefold()
                if key in seen:
                    problems.append(
                        where.problem(
                            "figure-alt",
                            f"this figure's alt text is the same as the figure's of cell "
                            f"{seen[key]} ({_excerpt(alt, 60)!r}): say what each one shows "
                            "that the other does not",
                        )
                    )
                else:
                    seen[key] = where.position
            html = data.get("text/html")
            if html is not None:
                html = "".join(html) if isinstance(html, list) else html
                missing = _html_images_without_alt(html)
                if missing:
                    problems.append(
                        where.problem(
                            "figure-alt",
                            f"an HTML output holds {missing} <img> without alt text: give "
                            "each `alt=\"...\"`",
                        )
                    )
    return problems


@rule(
    "absolute-path",
    "a source or an output holds an absolute path (`/home/...`, `C:\\...`, `~/...`, `file:`): "
    "it exists on one machine only",
)
def _check_absolute_paths(notebook):
    problems = []
    for position, cell in enumerate(notebook.cells):
        where = notebook.where(position)
        if cell.cell_type == "markdown":
            for path in _absolute_paths_in_text(cell.source, links_too=True):
                problems.append(where.problem("absolute-path", _absolute_path_message(path)))
        elif cell.cell_type == "code":
            for text in _python_of(cell.source)[1]:
                for path in _absolute_paths_in_text(text):
                    problems.append(where.problem("absolute-path", _absolute_path_message(path)))
            for text in _output_texts(cell):
                for path in _absolute_paths_in_text(text):
                    problems.append(
                        where.problem(
                            "absolute-path",
                            f"an output shows the absolute path {path!r}: it differs on every "
                            "machine (so strict nbval fails elsewhere); print a relative path, "
                            "or fix the warning that prints it",
                        )
                    )
    return problems


def _lesson_section_problems(notebook, rule_name):
    """The problems gmmlab.course's parser finds for one rule (title, duration, sections)."""
    problems = []
    for problem in parse_lesson(notebook.content, notebook.path).problems:
        if problem.rule != rule_name:
            continue
        if problem.cell_index is None:
            problems.append(Problem(notebook.path, problem.rule, problem.message))
        else:
            where = notebook.where(problem.cell_index)
            problems.append(where.problem(problem.rule, problem.message))
    return problems


@rule(
    "objectives",
    f'a lesson lacks "{OBJECTIVES_HEADING}" followed by bullets',
    scope="lesson",
)
def _check_objectives(notebook):
    return _lesson_section_problems(notebook, "objectives")


@rule("recap", "a lesson lacks a `## Recap` heading followed by bullets", scope="lesson")
def _check_recap(notebook):
    return _lesson_section_problems(notebook, "recap")


@rule(
    "course-map",
    "a lesson's title is not `# Lesson N · ...` with N from its file name, or it lacks "
    "`*About NN minutes.*`; or the course map stored in `00_index.ipynb` is out of date",
    scope="course",
)
def _check_course_map(notebook):
    if notebook.scope == "lesson":
        return _lesson_section_problems(notebook, "course-map")
    return _check_course_map_output(notebook)


@rule(
    "duration",
    f"a lesson's `*About NN minutes.*` is not what the course's timing rule gives ({TIMING_RULE}:"
    " `gmmlab.course.reading_time`), or the rule gives more than "
    f"{MAX_LESSON_MINUTES} minutes",
    scope="lesson",
)
def _check_duration(notebook):
    stated = parse_lesson(notebook.content, notebook.path).minutes
    if stated is None:  # rule course-map reports the missing line
        return []
    time = reading_time(notebook.content)
    how = (
        f"{time.words:,} words / {WORDS_PER_MINUTE} + {time.code_lines} code lines / "
        f"{CODE_LINES_PER_MINUTE} + {time.explorers} explorer(s) × {MINUTES_PER_EXPLORER} + "
        f"{time.exercises} exercise(s) × {MINUTES_PER_EXERCISE}, rounded up to 5"
    )
    problems = []
    if time.minutes > MAX_LESSON_MINUTES:
        problems.append(
            Problem(
                notebook.path,
                "duration",
                f"the lesson takes {time.minutes} minutes by the timing rule ({how}), over the "
                f"{MAX_LESSON_MINUTES}-minute limit: cut what is not its subject, or split it",
            )
        )
    if stated != time.minutes:
        problems.append(
            Problem(
                notebook.path,
                "duration",
                f"the lesson says *About {stated} minutes.* but the timing rule gives "
                f"{time.minutes} ({how}): write *About {time.minutes} minutes.*",
            )
        )
    return problems


def checker_calls(notebook):
    """The gmmlab.check checkers each code cell calls: {cell index: [checker names]}.

    A checker is a name of ``gmmlab.check.CHECKERS``, called under the name it
    was imported as (``from gmmlab.check import check_e_step as ce``, or
    ``*``) or qualified (``gmmlab.check.check_e_step``, ``check.check_e_step``
    after ``from gmmlab import check``, ``gc.check_e_step`` after ``import
    gmmlab.check as gc``). Imports anywhere in the notebook count.
    """
    trees = {
        index: _python_of(cell.source)[0]
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
    }
    functions, modules, packages = {}, set(), set()  # local name -> checker; gmmlab.check; gmmlab
    for tree in filter(None, trees.values()):
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "gmmlab.check":
                for alias in node.names:
                    if alias.name == "*":
                        functions.update({name: name for name in CHECKERS})
                    elif alias.name in CHECKERS:
                        functions[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom) and node.module == "gmmlab":
                modules.update(a.asname or a.name for a in node.names if a.name == "check")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "gmmlab.check" and alias.asname:
                        modules.add(alias.asname)
                    elif alias.name in ("gmmlab", "gmmlab.check"):
                        packages.add(alias.asname or "gmmlab")
    found = {}
    for index, tree in trees.items():
        for node in ast.walk(tree) if tree else ():
            if not isinstance(node, ast.Call):
                continue
            function, name = node.func, None
            if isinstance(function, ast.Name):
                name = functions.get(function.id)
            elif isinstance(function, ast.Attribute) and function.attr in CHECKERS:
                owner = function.value
                if isinstance(owner, ast.Name) and owner.id in modules:
                    name = function.attr
                elif (
                    isinstance(owner, ast.Attribute)
                    and owner.attr == "check"
                    and isinstance(owner.value, ast.Name)
                    and owner.value.id in packages
                ):
                    name = function.attr
            if name:
                found.setdefault(index, []).append(name)
    return found


@rule(
    "check-tag",
    "a code cell calls a `gmmlab.check` checker (any name in `gmmlab.check.CHECKERS`, imported "
    "under any name or called as `gmmlab.check.check_e_step`) but is not tagged `check` (tools "
    "find the verdicts by the tag)",
)
def _check_checker_tags(notebook):
    problems = []
    for index, names in checker_calls(notebook.content).items():
        cell = notebook.cells[index]
        if CHECK_TAG not in cell.metadata.get("tags", []):
            called = ", ".join(dict.fromkeys(names))
            problems.append(
                notebook.where(index).problem(
                    "check-tag",
                    f"this cell calls {called} (a gmmlab.check checker) but is not tagged "
                    f"`{CHECK_TAG}`: add the tag (JupyterLab: Property Inspector, Cell Tags); the "
                    "tests read the verdicts of the cells so tagged",
                )
            )
    return problems


# -- exercises ------------------------------------------------------------------

SOLUTION_TAG, EXERCISE_TAG = "solution", "exercise"
_DETAILS = re.compile(r"<details\b.*?</details>", re.DOTALL | re.IGNORECASE)
_FENCED_PYTHON = re.compile(
    r"^[ \t]*```[ \t]*(?:python3?|py|ipython3?)[ \t]*\n(.*?)^[ \t]*```", re.DOTALL | re.MULTILINE
)
_SOLUTION_WORD = re.compile(r"\bsolutions?\b", re.IGNORECASE)
_LAYOUT = "see CONTRIBUTING.md, \"The exercise pattern\""


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def solution_code(source):
    """The Python code of a reference solution: the ```python blocks inside its <details>."""
    blocks = [
        code for details in _DETAILS.findall(source) for code in _FENCED_PYTHON.findall(details)
    ]
    return "\n".join(blocks) if blocks else None


def mentions_solution(markdown):
    """Whether a Markdown text speaks of a solution ("expand the reference solution below")."""
    return bool(_SOLUTION_WORD.search(_HTML_COMMENT.sub(" ", markdown)))


def defined_functions(source):
    """The names of the functions a cell's code defines at its top level."""
    tree = _python_of(source)[0]
    if tree is None:
        return set()
    return {
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def exercises(notebook):
    """Each exercise of a notebook: (exercise cell index, check cell index or None, checker).

    The check is the first code cell below the exercise; the checker, the first
    gmmlab.check checker it calls (None if it calls none).
    """
    calls = checker_calls(notebook)
    found = []
    for index, cell in enumerate(notebook.cells):
        if EXERCISE_TAG not in _tags(cell):
            continue
        below = next(
            (
                i
                for i in range(index + 1, len(notebook.cells))
                if notebook.cells[i].cell_type == "code" and notebook.cells[i].source.strip()
            ),
            None,
        )
        names = calls.get(below, []) if below is not None else []
        found.append((index, below, CHECKERS[names[0]] if names else None))
    return found


def stored_text(cell):
    """The text of a code cell's stored outputs (streams and text/plain)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif "text/plain" in output.get("data", {}):
            parts.append(output["data"]["text/plain"])
    return "".join(parts)


@rule(
    "exercise",
    "an exercise breaks [the exercise pattern](#the-exercise-pattern): a `solution` cell that is "
    "a code cell (Run All would run it and replace the learner's function) or whose code is not "
    "a `python` block inside `<details>`; an `exercise` cell whose next code cell is not its "
    "check, or that does not define the function the checker checks; a check whose stored "
    "verdict is not the one on the unwritten stub; an exercise without a solution; a Markdown "
    "cell other than the solution that speaks of the solution",
)
def _check_exercises(notebook):
    path, notebook = notebook.path, notebook.content
    problems = []
    solutions = {}  # function name -> index of the solution cell that defines it
    has_solutions = False
    for index, cell in enumerate(notebook.cells):
        if SOLUTION_TAG not in _tags(cell):
            continue
        has_solutions = True
        where = _Cell(path, index + 1, cell)
        code = solution_code(cell.source) if cell.cell_type == "markdown" else None
        if cell.cell_type == "code":
            problems.append(
                where.problem(
                    "exercise",
                    "a reference solution in a code cell runs on Run All and replaces the "
                    "learner's own function: make it a Markdown cell that holds the code as a "
                    "```python block inside <details><summary>...</summary> ... </details>; "
                    + _LAYOUT,
                )
            )
        elif code is None:
            problems.append(
                where.problem(
                    "exercise",
                    "a solution cell holds the reference code as a ```python block inside "
                    "<details><summary>...</summary> ... </details> (collapsed until the learner "
                    "opens it); " + _LAYOUT,
                )
            )
        else:
            for name in defined_functions(code):
                solutions.setdefault(name, index)
    if has_solutions:
        for index, cell in enumerate(notebook.cells):
            if (
                cell.cell_type == "markdown"
                and SOLUTION_TAG not in _tags(cell)
                and mentions_solution(cell.source)
            ):
                problems.append(
                    _Cell(path, index + 1, cell).problem(
                        "exercise",
                        "this text speaks of the solution, which the students' copy removes "
                        "(it would point at nothing there): say it in the solution cell itself, "
                        "in its <summary> line or inside its <details>",
                    )
                )
    for index, below, checker in exercises(notebook):
        cell = notebook.cells[index]
        where = _Cell(path, index + 1, cell)
        if cell.cell_type != "code":
            problems.append(where.problem("exercise", "an exercise cell is a code cell: the stub"))
            continue
        if checker is None:
            problems.append(
                where.problem(
                    "exercise",
                    "the code cell right below an exercise is its check, for example "
                    "`check_e_step(my_e_step)`, tagged `check`; " + _LAYOUT,
                )
            )
            continue
        if checker.exercise not in defined_functions(cell.source):
            problems.append(
                where.problem(
                    "exercise",
                    f"the check below calls {checker.name}, which checks a function named "
                    f"{checker.exercise}, but this exercise cell does not define it",
                )
            )
        check_cell = notebook.cells[below]
        verdict = stored_text(check_cell)
        if check_cell.get("execution_count") is not None and (
            PASSED in verdict or FAILED not in verdict
        ):
            problems.append(
                _Cell(path, below + 1, check_cell).problem(
                    "exercise",
                    "the stored verdict of this check is not the one on the unwritten stub "
                    f"(every case {FAILED}, \"not written yet\"): the exercise cell must hold the "
                    "stub when the lesson is run; restore it, then `make refresh LESSON="
                    f"{path.stem}`",
                )
            )
        if checker.exercise not in solutions:
            problems.append(
                where.problem(
                    "exercise",
                    f"no reference solution defines {checker.exercise}: add a Markdown cell "
                    "tagged `solution` below the check, with the code as a ```python block "
                    "inside <details>; " + _LAYOUT,
                )
            )
    return problems


# -- the prose -------------------------------------------------------------------

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen" \
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
_LESSON_COUNT = re.compile(
    rf"\b(?:of|all)\s+(?:the\s+|its\s+|our\s+)?{_COUNT}\s+lessons\b"
    rf"|\b{_COUNT}\s+lessons\s+in\s+(?:all|total)\b"
    rf"|\b(?:course|it)\s+(?:has|holds|contains|is|of)\s+{_COUNT}\s+lessons\b",
    re.IGNORECASE,
)


@rule(
    "prose-number",
    "the text states a number that no output above it (nor the code cells right below it) shows "
    "and that its cell does not declare a constant; or a declaration that names a number the "
    "cell no longer states, or one an output already shows ([Numbers in the "
    "prose](#numbers-in-the-prose))",
)
def _check_prose_numbers(notebook):
    problems = []
    for unsupported in check_prose_numbers(notebook.content):
        where = notebook.where(unsupported.cell_index)
        problems.append(where.problem("prose-number", unsupported.message()))
    return problems


@rule(
    "lesson-count",
    'the text counts the lessons ("the first of eight lessons", "all 12 lessons"): the count '
    "goes stale when a lesson is added or split",
)
def _check_lesson_count(notebook):
    path, problems = notebook.path, []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        text = " ".join(_HTML_COMMENT.sub(" ", cell.source).split())
        for match in _LESSON_COUNT.finditer(text):
            problems.append(
                _Cell(path, index + 1, cell).problem(
                    "lesson-count",
                    f'"{match.group(0)}" counts the lessons, and the count goes stale when a '
                    "lesson is added or split: say it without the number (the course map "
                    "counts them)",
                )
            )
    return problems


# -- template leftovers and the link onward ------------------------------------------------

_TEMPLATE_COMMENT = re.compile(r"<!--\s*TEMPLATE\b|#\s*TEMPLATE\b")


@rule(
    "template",
    "something of `templates/lesson_template.ipynb` is left: a `TEMPLATE` comment, the "
    "template's title, its placeholder objectives or recap bullets",
    scope="lesson",
)
def _check_template_leftovers(notebook):
    path, notebook = notebook.path, notebook.content
    if TEMPLATE.exists() and path.resolve() == TEMPLATE.resolve():
        return []
    problems = []
    for index, cell in enumerate(notebook.cells):
        if _TEMPLATE_COMMENT.search(cell.source):
            problems.append(
                _Cell(path, index + 1, cell).problem(
                    "template",
                    "a TEMPLATE comment of the lesson template is left in this cell: do what "
                    "it says, then delete it",
                )
            )
    try:
        template = read_lesson(TEMPLATE)
    except (OSError, ValueError):
        return problems
    lesson = parse_lesson(notebook, path)
    if lesson.summary == template.summary:
        title_at = next(
            (i for i, c in enumerate(notebook.cells) if template.summary in c.source), None
        )
        message = f"the title is still the template's ({template.summary!r}): write the lesson's"
        if title_at is None:
            problems.append(Problem(path, "template", message))
        else:
            where = _Cell(path, title_at + 1, notebook.cells[title_at])
            problems.append(where.problem("template", message))
    placeholders = set(template.objectives) | set(template.recap)
    for bullet in dict.fromkeys(lesson.objectives + lesson.recap):
        if bullet in placeholders:
            problems.append(
                Problem(
                    path,
                    "template",
                    f"the template's placeholder bullet {bullet!r} is left among the objectives "
                    "or the recap: replace it with the lesson's own",
                )
            )
    return problems


@rule(
    "next-link",
    "a lesson does not end with a `**Next:**` link to the next lesson in course order (the last "
    "lesson: to `00_index.ipynb`), or the link's text names another lesson number; the course "
    "map's `**Start here:**` does not link to the first lesson",
    scope="course",
)
def _check_onward(notebook):
    """A lesson's **Next:** link goes to the next lesson; the map's Start here to the first."""
    path, notebook = notebook.path, notebook.content
    try:
        course = lessons(path.parent)
    except ValueError as error:
        return [Problem(path, "next-link", f"the lesson order cannot be read: {error}")]
    names = [lesson.path.name for lesson in course]
    lesson = parse_lesson(notebook, path)
    if path.name.startswith("00_"):
        if lesson.onward is None or not names:
            return []
        expected, label = names[0], f"the first lesson, {course[0].title}"
    elif path.name not in names:
        return []
    else:
        position = names.index(path.name)
        if position + 1 < len(names):
            expected, label = names[position + 1], f"the next lesson, {course[position + 1].title}"
        else:
            expected, label = "00_index.ipynb", "the course map (this is the last lesson)"
    if lesson.onward is None:
        return [
            Problem(
                path,
                "next-link",
                f"the lesson does not end with a **Next:** link: add one to {label} "
                f"({expected})",
            )
        ]
    text, target, index = lesson.onward
    where = _Cell(path, index + 1, notebook.cells[index])
    found = Path(target.split("#", 1)[0]).name
    if found != expected:
        return [
            where.problem(
                "next-link",
                f"the **Next:** link goes to {target}, but it should go to {label} ({expected})",
            )
        ]
    said = re.search(r"\bLesson (\d+)\b", text)
    number = int(expected[:2]) if expected[:2].isdigit() else None
    if said and number and int(said.group(1)) != number:
        return [
            where.problem(
                "next-link",
                f"the **Next:** link says {said.group(0)!r} but goes to lesson {number} "
                f"({expected}): make its text match",
            )
        ]
    return []


def _check_course_map_output(notebook):
    """The course map (00_index) shows the lessons that exist now."""
    path, notebook = notebook.path, notebook.content
    try:
        expected = course_map(path.parent)
    except ValueError:  # another lesson is unreadable: it reports that itself
        return []
    for position, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code" or "course_map(" not in cell.source:
            continue
        shown = [
            output.data["text/markdown"]
            for output in cell.get("outputs", [])
            if "text/markdown" in output.get("data", {})
        ]
        if shown and shown[0].strip() != expected.strip():
            return [
                _Cell(path, position, cell).problem(
                    "course-map",
                    "the stored course map is stale (a lesson was added, renamed or its "
                    f"title, objectives or duration changed): run `make refresh "
                    f"LESSON={path.stem}`",
                )
            ]
    return []


def _readme_section(text):
    if START not in text or END not in text:
        return None
    return text.split(START, 1)[1].split(END, 1)[0]


@rule(
    "readme",
    "the README's lesson list lacks the notebook, or its row is out of date (fix: `make readme`)",
    scope="course",
)
def _check_readme(notebook):
    path, readme_text = notebook.path, notebook.readme_text
    text = README.read_text(encoding="utf-8") if readme_text is None else readme_text
    section = _readme_section(text)
    if section is None:
        return [Problem(path, "readme", "the README has no lesson list (its markers are missing)")]
    link = f"(notebooks/{path.name})"
    rows = [line for line in section.splitlines() if link in line]
    fix = "run `make readme` and commit README.md"
    if not rows:
        return [Problem(path, "readme", f"missing from the README's lesson list: {fix}")]
    try:
        expected = [line for line in lesson_list(path.parent).splitlines() if link in line]
    except ValueError:  # another notebook of the folder is unreadable: it reports that itself
        return []
    if expected and expected[0] not in rows:
        return [
            Problem(
                path,
                "readme",
                "the README's row for this lesson is out of date (its title or duration "
                f"changed): {fix}",
            )
        ]
    return []


def check_readme_links(readme_text, notebooks_dir):
    """Rows of the README's lesson list that point at a notebook that does not exist.

    Parameters
    ----------
    readme_text : str
    notebooks_dir : Path

    Returns
    -------
    list of Problem
    """
    section = _readme_section(readme_text) or ""
    problems = []
    for name in dict.fromkeys(re.findall(r"\(notebooks/([^)\s]+\.ipynb)\)", section)):
        if not (Path(notebooks_dir) / name).exists():
            problems.append(
                Problem(
                    README,
                    "readme",
                    f"the lesson list links to notebooks/{name}, which does not exist: run "
                    "`make readme`",
                )
            )
    return problems


def check(paths=None, readme=README):
    """Check notebooks; with no paths, every notebook in notebooks/ and the README's links.

    Parameters
    ----------
    paths : list of str or Path, optional
    readme : str or Path, default README.md

    Returns
    -------
    list of Problem
    """
    readme_text = Path(readme).read_text(encoding="utf-8")
    problems = []
    if not paths:
        paths = sorted(NOTEBOOKS.glob("*.ipynb"))
        problems += check_readme_links(readme_text, NOTEBOOKS)
    for path in paths:
        problems += check_notebook(path, readme_text=readme_text)
    return problems


def main(argv=None):
    """Run the checks; print one line per problem; return the exit status."""
    parser = argparse.ArgumentParser(
        prog=command("check_notebooks"), description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        help="lessons (01_intro, 01_intro.ipynb or notebooks/01_intro.ipynb); default: all",
    )
    parser.add_argument("--readme", type=Path, default=README, help="the README to check against")
    parser.add_argument("--list-rules", action="store_true", help="describe the rules and exit")
    args = parser.parse_args(argv)
    if args.list_rules:
        for registered in RULES.values():
            print(f"{registered.name:16} {registered.description} ({SCOPES[registered.scope]})")
        return 0
    paths = resolve_notebooks(args.notebooks) if args.notebooks else None
    problems = check(paths, readme=args.readme)
    for problem in problems:
        print(problem)
    checked = len(paths) if paths else len(list(NOTEBOOKS.glob("*.ipynb")))
    if problems:
        notebooks = len({problem.path for problem in problems})
        print(
            f"{len(problems)} problem(s) in {notebooks} file(s); `.venv/bin/python -m "
            "tools.check_notebooks --list-rules` explains the rules",
            file=sys.stderr,
        )
        return 1
    print(f"{checked} notebook(s) checked: no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())
