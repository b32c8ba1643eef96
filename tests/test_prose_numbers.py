"""tools.prose_numbers: which numbers of the prose count, what matches them, and the
600 -> 800 edit of lesson 1 that used to leave three Markdown cells stating wrong numbers."""

import shutil

import nbformat
import pytest

from tools import check_notebooks, refresh
from tools.project import NOTEBOOKS
from tools.prose_numbers import (
    ProseNumber,
    check_prose_numbers,
    declared_constants,
    output_values,
    prose_numbers,
)


@pytest.mark.parametrize(
    ("markdown", "counted"),
    [
        ("EM ran 23 iterations on 3,000 points; 2 clusters, K = 3.", ["23", "3,000"]),
        ("Weights 0.16 and 0.4; 61% of it; 1e-12 is tiny.", ["0.16", "0.4", "61%", "1e-12"]),
        ("In $N_2 = 68.18$ and $10^{-104}$ and $$\\frac{D(D+1)}{2} = 0.5$$", ["68.18", "0.5"]),
        ("`tol=1e-8`, `n_init=10` and\n```python\nx = 300\n```", []),
        ("See [lesson 10](10_choosing_a_model.ipynb) and https://example.org/a/12.", []),
        ("Lessons 10 to 12 and lesson 11, sections 2 and 12.", []),
        ("# Lesson 12 · Scale\n\n*About 25 minutes.*", []),
        ("<img width=\"300\"> <!-- 500 --> a 2-D plot, the 10th pixel, x_12, v1.2.3", []),
        ("It underflows to 0.0 and 0.000.", []),
        ("From -2627.1 to −2238.5.", ["2627.1", "2238.5"]),
    ],
)
def test_which_numbers_count(markdown, counted):
    assert [number.text for number in prose_numbers(markdown)] == counted


def _number(text):
    (number,) = prose_numbers(text)
    return number


#: A number as the prose writes it: the outputs it matches, and those it does not.
PRECISION = {
    "0.18": ([0.1787], [0.1851]),
    "32": ([31.62], [32.6]),
    "600": ([600.0], [604.0]),
    "61%": ([0.60556, 61.2], [0.62]),
    "34,000": ([33918.47], [33400.0]),
    "3,400": ([3432.9], []),
    "-135.31": ([135.3109], []),
    "1e-12": ([1e-12], [2e-12]),
}


@pytest.mark.parametrize(
    ("prose", "output", "matches"),
    [
        (prose, output, output in matching)
        for prose, (matching, other) in PRECISION.items()
        for output in matching + other
    ],
)
def test_a_number_matches_an_output_at_the_precision_it_is_written_with(prose, output, matches):
    assert _number(f"It is {prose} here.").matches(output) is matches


def test_output_values_read_tables_reprs_and_exponents():
    outputs = [
        nbformat.v4.new_output("stream", text="N = 3000 points, 10,000 drawn, 85.2%\n"),
        nbformat.v4.new_output(
            "execute_result", {"text/plain": "[1.5577e-104 1.7870e-001] [[1.e-06 0.]]"}
        ),
        nbformat.v4.new_output("display_data", {"image/png": "iVBOR0123456789"}),
    ]
    values = output_values(outputs)
    for expected in (3000, 10000, 85.2, 0.852, 1.5577e-104, 1.5577, 0.1787, 1e-6):
        assert any(abs(v - expected) <= 1e-9 * expected for v in values), expected
    assert not any(abs(v - 123456789) < 1 for v in values), "figures are not text"


def test_constants_are_the_numbers_before_the_reason():
    declared = declared_constants("x <!-- constants: 77, 4.5 (the flower lesson 5 chose) -->")
    assert [c.text for c in declared] == ["77", "4.5"]
    assert isinstance(declared[0], ProseNumber)


def _notebook(*cells):
    built = []
    for kind, content in cells:
        if kind == "md":
            built.append(nbformat.v4.new_markdown_cell(content))
        else:
            cell = nbformat.v4.new_code_cell("print(...)")
            cell.outputs = [nbformat.v4.new_output("stream", text=content)]
            built.append(cell)
    return nbformat.v4.new_notebook(cells=built)


def test_a_number_comes_from_above_or_from_the_code_right_below():
    notebook = _notebook(
        ("code", "EM ran 23 iterations\n"),
        ("md", "It ran 23 iterations; below, 41 of them; further down, 77."),
        ("code", "41 shared\n"),
        ("md", "More text."),
        ("code", "77 flowers\n"),
    )
    found = check_prose_numbers(notebook)
    assert [(u.cell_index, u.number.text, u.kind) for u in found] == [(1, "77", "unsupported")]


# -- the 600 -> 800 edit ------------------------------------------------------------------


def test_the_600_to_800_edit_of_lesson_1_is_caught(tmp_path, capsys):
    """Lesson 1 draws 600 points. Drawing 800 and refreshing changes the outputs; the prose
    that quoted them ("our 600 points", "a fresh sample of 600 points") is named, and
    `make refresh` printed what changed."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(path, notebooks / path.name)
    lesson = notebooks / "01_intro.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    assert not check_prose_numbers(notebook), "the lesson passes before the edit"
    stale = {"600": "on our 600 points"}
    markdown = [i for i, c in enumerate(notebook.cells) if c.cell_type == "markdown"]
    quoted = {}
    for number, words in stale.items():
        (quoted[number],) = [i for i in markdown if words in notebook.cells[i].source]
    drawing = "make_ellipsoidal_clusters(600,"
    (data,) = [c for c in notebook.cells if drawing in c.source]
    data.source = data.source.replace(drawing, drawing.replace("600", "800"))
    nbformat.write(notebook, lesson)

    assert refresh.main([str(lesson)]) == 0
    printed = capsys.readouterr().out
    assert "-N = 600 points" in printed and "+N = 800 points" in printed, printed

    problems = check_notebooks.check_notebook(lesson, readme_text=None)
    named = {
        (problem.cell - 1, problem.message.split("the text states ")[1].split(" ")[0])
        for problem in problems
        if problem.rule == "prose-number"
    }
    for number, cell in quoted.items():
        assert (cell, number) in named, f"{number} ({stale[number]!r}) is not named: {named}"
