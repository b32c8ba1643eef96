"""The numbers a lesson's text states must be numbers its outputs show.

A lesson quotes its results in prose ("EM ran 23 iterations", "component 5 packs 49.38
points into each unit of area"). When the code changes, the outputs change with it
(``make refresh``), but the prose does not: this module finds the prose numbers that no
output supports any more, for ``make check-notebooks`` (the rule ``prose-number``).

Which numbers count
-------------------
In each Markdown cell, a number counts if it has a decimal point (``0.39``, ``1.0``), two
or more digits (``23``, ``3,000``), or an exponent (``1e-12``); a percentage (``61%``) counts
as well. These do not count:

- single digits (``K = 3``, "2 standard deviations"): too common to tie to one output;
- code (`` `tol=1e-8` ``, fenced blocks), link targets, HTML tags and comments, headings,
  the ``*About NN minutes.*`` line, and lesson references ("lesson 8", "lessons 3 and 4");
- in formulas (``$...$``, ``$$...$$``) only numbers with a decimal point count
  (``$N_2 = 68.18$``): formulas are full of small integers (exponents, indices, ``2\\pi``).

Where a number may come from
----------------------------
From a text output (printed text, a table, a value's repr; not a figure) of a code cell
above the Markdown cell, or of the code cells right below it (the cells the text
introduces, up to the next Markdown cell). A number matches an output at the precision it
is written with: ``0.18`` matches ``0.1787``, ``32`` matches ``31.62``, ``61%`` matches
``0.60556``, ``1.7`` matches the mantissa of ``1.7188e-59``; signs are ignored
("fell by 3.45"). A round number of a thousand or more matches at its two leading digits
(``34,000`` matches ``33918.47``).

Constants
---------
A number that no cell prints and that is not a result (the 2006 of a book's year, the
``0.25`` of a made-up question, a property of the data set that the lesson never prints)
is declared in the Markdown cell that states it, in an HTML comment (shown while the cell is
edited, never in the rendered lesson)::

    <!-- constants: 0.25, 0.04 (the covariance of the question) -->

The numbers come first; a reason may follow in parentheses. A declaration covers that cell
only. It must name numbers the cell states, and no number
an output above it shows (then the output is the source, and the declaration would hide a
stale number later).
"""

from __future__ import annotations

import dataclasses
import re

from gmmlab.course import DURATION

#: ``<!-- constants: 150, 0.25 (why, in words) -->``: the numbers, then a reason in parentheses.
CONSTANTS = re.compile(r"<!--\s*constants?\s*:([^(]*?)(?:\(.*?)?-->", re.IGNORECASE | re.DOTALL)
_MATH_DECIMAL = re.compile(r"\d+\.\d+(?:\s*\\?%)?")
_REFERENCE = re.compile(
    r"\b(?:lessons?|sections?|§)\s+\d+(?:\s*(?:,|and|or|to|–|—|-|&)\s*\d+)*", re.IGNORECASE
)
# A number as a reader writes it: 3,000 or 3000, a decimal part, an exponent, a percent sign.
# Not part of a word or identifier (x_1, 3D, 10th, v2), not a version (1.2.3).
_NUMBER = re.compile(
    r"(?<![\w.])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?:[eE](?P<exp>[-+]?\d+))?"
    r"(?P<percent>\s?%)?(?![\w]|\.\d)"
)
# In outputs anything goes: numpy's "1.e-06", table cells, reprs.
_OUTPUT_NUMBER = re.compile(
    r"(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)?(?P<frac>\.\d*)?(?:[eE](?P<exp>[-+]?\d+))?(?P<percent>%)?"
)


@dataclasses.dataclass(frozen=True)
class ProseNumber:
    """A number as the prose writes it.

    Attributes
    ----------
    text : str
        As written, e.g. ``"3,000"``, ``"49.38"``, ``"61%"``.
    value : float
        Its absolute value (61 for ``"61%"``).
    decimals : int
        Digits after the decimal point (0 for integers).
    exponent : int or None
        For ``1e-12``: -12.
    percent : bool
    context : str
        The words around it, to find it in the cell.
    """

    text: str
    value: float
    decimals: int
    exponent: int | None
    percent: bool
    context: str = ""

    @property
    def counts(self):
        """Whether the rule applies: a decimal point, an exponent or two digits or more."""
        if self.value == 0:  # 0.0 is the float zero, a concept rather than a result
            return False
        return self.decimals > 0 or self.exponent is not None or self.value >= 10

    def tolerance(self, scale=1.0):
        """Half a unit in the last digit written (two leading digits for 3,400 or 34,000)."""
        if self.exponent is not None:
            return 0.5 * 10.0 ** (self.exponent - self.decimals)
        if self.decimals == 0 and self.value >= 1000 and self.value % 10 == 0:
            digits = len(str(int(self.value)))
            significant = max(2, len(str(int(self.value)).rstrip("0")))
            return 0.5 * 10.0 ** (digits - significant) * scale
        return 0.5 * 10.0 ** (-self.decimals) * scale

    def matches(self, value):
        """Whether ``value`` (an output's number) rounds to this number as written."""
        value = abs(value)
        targets = [(self.value, self.tolerance())]
        if self.percent:  # 61% is 0.61 of something: outputs print shares as fractions too
            targets.append((self.value / 100, self.tolerance(0.01)))
        return any(
            abs(value - target) <= tolerance * (1 + 1e-9) + 1e-12 * target
            for target, tolerance in targets
        )


def _parse(match, text=""):
    integer = match.group("int").replace(",", "")
    fraction = match.group("frac") or ""
    exponent = match.group("exp")
    value = float(integer + fraction) * (10.0 ** int(exponent) if exponent else 1.0)
    start, end = match.span()
    context = " ".join(text[max(0, start - 30) : end + 30].split())
    return ProseNumber(
        text=match.group(0).strip(),
        value=abs(value),
        decimals=max(0, len(fraction) - 1),
        exponent=int(exponent) if exponent else None,
        percent=bool(match.group("percent")),
        context=context,
    )


def _math_decimals(match):
    inner = next(group for group in match.groups() if group is not None)
    return " " + " ".join(m.replace("\\%", "%") for m in _MATH_DECIMAL.findall(inner)) + " "


#: What is not prose, in the order prose_text takes it out: (pattern, what replaces it).
_NOT_PROSE = (
    (re.compile(r"<!--.*?-->", re.DOTALL), " "),  # comments
    (re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.DOTALL | re.MULTILINE), " "),  # fences
    (re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL), " "),  # code spans
    # display math, then inline math: only their decimals count
    (re.compile(r"\$\$(.+?)\$\$|\\\[(.+?)\\\]", re.DOTALL), _math_decimals),
    (re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\$])\$|\\\((.+?)\\\)", re.DOTALL), _math_decimals),
    (re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.MULTILINE), " "),  # reference definitions
    (re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]"), "]"),  # link targets
    (re.compile(r"<?\b(?:https?|ftp)://[^\s>)]+>?", re.IGNORECASE), " "),  # URLs
    (re.compile(r"</?[A-Za-z][^>]*>"), " "),  # HTML tags
    (re.compile(r"^\s{0,3}#{1,6}\s.*$", re.MULTILINE), " "),  # headings
    (DURATION, " "),  # the lesson's stated duration
    (_REFERENCE, " "),  # "lesson 3", "sections 2 and 4"
)


def prose_text(markdown):
    """The prose of a Markdown cell whose numbers count (see the module's docstring)."""
    text = markdown
    for pattern, replacement in _NOT_PROSE:
        text = pattern.sub(replacement, text)
    return text


def prose_numbers(markdown):
    """Every number that counts in a Markdown cell, in order (duplicates kept once)."""
    text = prose_text(markdown)
    found = {}
    for match in _NUMBER.finditer(text):
        number = _parse(match, text)
        if number.counts:
            at = markdown.find(number.text)  # the words around it as the writer sees them
            if at >= 0:
                context = " ".join(markdown[max(0, at - 30) : at + len(number.text) + 30].split())
                number = dataclasses.replace(number, context=context)
            found.setdefault((number.value, number.percent), number)
    return list(found.values())


def declared_constants(markdown):
    """The numbers a cell declares in ``<!-- constants: ... -->``."""
    declared = []
    for body in CONSTANTS.findall(markdown):
        declared += [_parse(m, body) for m in _NUMBER.finditer(body)]
    return declared


def output_values(outputs):
    """Every number in a code cell's text outputs (and each exponent's mantissa), absolute."""
    values = []
    for text in _output_texts(outputs):
        for match in _OUTPUT_NUMBER.finditer(text):
            if not (match.group("int") or (match.group("frac") or "").strip(".")):
                continue
            integer = (match.group("int") or "0").replace(",", "")
            mantissa = float(integer + (match.group("frac") or "").rstrip(".") or "0")
            exponent = match.group("exp")
            try:
                value = mantissa * 10.0 ** int(exponent) if exponent else mantissa
            except OverflowError:  # 1e+400 is no number a lesson quotes
                continue
            values.append(value)
            if exponent:
                values.append(mantissa)
            if match.group("percent"):
                values.append(value / 100)
    return values


def _output_texts(outputs):
    for output in outputs:
        if output.get("output_type") == "stream":
            yield output.get("text", "")
        for mime, value in output.get("data", {}).items():
            if mime in ("text/plain", "text/markdown", "text/html", "text/latex"):
                yield value if isinstance(value, str) else "".join(value)


@dataclasses.dataclass(frozen=True)
class Unsupported:
    """A problem of one Markdown cell: a number no output shows, or a bad declaration."""

    cell_index: int
    number: ProseNumber
    kind: str  # "unsupported", "unused-constant" or "printed-constant"

    def message(self):
        n = self.number
        if self.kind == "unsupported":
            return (
                f'the text states {n.text} ("...{n.context}..."), which no output above it (nor '
                "in the code cells right below it) shows: update the text from the outputs or "
                "print the number; a constant that no cell prints is declared in the cell, "
                f"<!-- constants: {n.text} -->"
            )
        if self.kind == "unused-constant":
            return (
                f"<!-- constants: ... --> declares {n.text}, which this cell no longer states: "
                "remove it from the declaration"
            )
        return (
            f"<!-- constants: ... --> declares {n.text}, which an output above already shows: "
            "remove it from the declaration, so that the check follows the output"
        )


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def check_prose_numbers(notebook):
    """The prose numbers of a notebook that no output supports.

    Parameters
    ----------
    notebook : dict or nbformat.NotebookNode

    Returns
    -------
    list of Unsupported
        In cell order.
    """
    cells = notebook.get("cells", [])
    above = []  # numbers of every text output above the current cell
    found = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            above += output_values(cell.get("outputs", []))
            continue
        if cell.get("cell_type") != "markdown":
            continue
        below = []
        for following in cells[index + 1 :]:
            if following.get("cell_type") != "code":
                break
            below += output_values(following.get("outputs", []))
        source = _source(cell)
        stated = prose_numbers(source)
        declared = declared_constants(source)
        for number in stated:
            supported = any(number.matches(value) for value in above + below)
            if not supported and not any(c.value == number.value for c in declared):
                found.append(Unsupported(index, number, "unsupported"))
        for constant in declared:
            if not any(n.value == constant.value for n in stated):
                found.append(Unsupported(index, constant, "unused-constant"))
            elif any(value == constant.value for value in above):
                found.append(Unsupported(index, constant, "printed-constant"))
    return found
