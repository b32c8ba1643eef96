"""Every notebook prints what it stores, cell by cell, as nbval's strict mode checks it.

`make test` no longer runs nbval itself: each notebook of notebooks/ is run once per session
(the ``course_runs`` fixture of tests/conftest.py, picked up by file name: a new lesson is
included without a line here) and that run's outputs are compared with the stored ones by
tests/lesson_runs.compare_outputs, nbval's rules re-implemented (and checked against nbval's
own code below). nbval itself stays configured for one notebook at a time:
``.venv/bin/python -m pytest notebooks/04_iris_2d.ipynb``.
"""

import re
import subprocess
import sys
import types
from collections import OrderedDict

import nbformat
import pytest

from tests.lesson_runs import (
    SANITIZERS,
    SKIP_COMPARE,
    Run,
    compare_outputs,
    stored_output_problems,
)
from tools.project import NOTEBOOKS, ROOT

NOTEBOOK_NAMES = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_the_notebook_prints_what_it_stores(course_runs, name):
    """nbval's strict check of every code cell, on the session's one run of the notebook."""
    problems = stored_output_problems(course_runs[name], nbformat.read(NOTEBOOKS / name, 4))
    assert not problems, f"{name} (run `make refresh LESSON={name}`):\n" + "\n".join(problems)


# -- the comparison is nbval's ---------------------------------------------------------------


def _nbval_verdict(test, ref):
    """nbval 0.11's own IPyNbCell.compare_outputs on these outputs: True when it accepts."""
    from nbval.plugin import IPyNbCell, IPyNbFile

    parent = types.SimpleNamespace(
        skip_compare=SKIP_COMPARE,  # nbval's own list (test_nbval_skips_what_the_comparison_skips)
        sanitize_patterns=OrderedDict((regex.pattern, repl) for regex, repl in SANITIZERS),
    )
    cell = types.SimpleNamespace(
        parent=parent, colors=types.SimpleNamespace(FAIL="", ENDC="", OKBLUE="", OKGREEN="")
    )
    cell.sanitize = types.MethodType(IPyNbCell.sanitize, cell)
    cell.format_output_compare = lambda *args: None
    test = [nbformat.from_dict(o) for o in test]
    ref = [nbformat.from_dict(o) for o in ref]
    assert IPyNbFile  # the class whose skip_compare the parent above copies
    from nbval.plugin import coalesce_streams

    return IPyNbCell.compare_outputs(cell, coalesce_streams(test), coalesce_streams(ref)) is True


def _stream(text, name="stdout"):
    return {"output_type": "stream", "name": name, "text": text}


def _result(data, kind="execute_result"):
    out = {"output_type": kind, "data": data, "metadata": {}}
    if kind == "execute_result":
        out["execution_count"] = 3
    return out


CASES = {
    "same print": ([_stream("a 1\n")], [_stream("a 1\n")]),
    "other print": ([_stream("a 1\n")], [_stream("a 2\n")]),
    "print split in two": ([_stream("a "), _stream("1\n")], [_stream("a 1\n")]),
    "stderr for stdout": ([_stream("a\n", "stderr")], [_stream("a\n")]),
    "carriage return": ([_stream("10%\r100%\n")], [_stream("100%\n")]),
    "backspace": ([_stream("ab\bc\n")], [_stream("ac\n")]),
    "address sanitized": (
        [_result({"text/plain": "<object at 0x7f00aa>"})],
        [_result({"text/plain": "<object at 0x55bb11>"})],
    ),
    "cell file sanitized": (
        [_stream("/tmp/ipykernel_123/456.py:3: UserWarning\n", "stderr")],
        [_stream("/tmp/ipykernel_9/77.py:3: UserWarning\n", "stderr")],
    ),
    "other png, same text": (
        [_result({"image/png": "AAAA", "text/plain": "<Figure>"}, "display_data")],
        [_result({"image/png": "BBBB", "text/plain": "<Figure>"}, "display_data")],
    ),
    "other html": (
        [_result({"text/html": "<b>1</b>", "text/plain": "T"})],
        [_result({"text/html": "<b>2</b>", "text/plain": "T"})],
    ),
    "an explorer description": (
        [_result({"application/vnd.gmmlab.explorer+json": {"kind": "A"}, "text/plain": "x"})],
        [_result({"application/vnd.gmmlab.explorer+json": {"kind": "B"}, "text/plain": "x"})],
    ),
    "widget view ids": (
        [_result({"application/vnd.jupyter.widget-view+json": {"model_id": "1"}})],
        [_result({"application/vnd.jupyter.widget-view+json": {"model_id": "2"}})],
    ),
    "missing output": ([], [_stream("a\n")]),
    "extra output": ([_stream("a\n"), _result({"text/plain": "1"})], [_stream("a\n")]),
    "one figure more": (
        [_result({"text/plain": "<Figure>"}, "display_data")] * 2,
        [_result({"text/plain": "<Figure>"}, "display_data")],
    ),
    "figure and print reordered": (
        [_stream("a\n"), _result({"text/plain": "<Figure>"}, "display_data")],
        [_result({"text/plain": "<Figure>"}, "display_data"), _stream("a\n")],
    ),
    "other error": (
        [{"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": ["1"]}],
        [{"output_type": "error", "ename": "ValueError", "evalue": "y", "traceback": ["1"]}],
    ),
    "same error, other traceback": (
        [{"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": ["1"]}],
        [{"output_type": "error", "ename": "ValueError", "evalue": "x", "traceback": ["2"]}],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_comparison_gives_nbvals_verdict(case):
    test, ref = CASES[case]
    assert (compare_outputs(test, ref) is None) == _nbval_verdict(test, ref), case


def test_nbval_skips_what_the_comparison_skips():
    """The keys nbval leaves out (its IPyNbFile.__init__, without --nbdime) are SKIP_COMPARE."""
    import inspect

    from nbval.plugin import IPyNbFile

    source = inspect.getsource(IPyNbFile.__init__)
    skipped = re.findall(r"^\s*'([^']+)',?\s*(?:#.*)?$", source, re.MULTILINE)
    skipped += re.findall(r"\('(image/png)', '(image/jpeg)'\)", source)[0]
    assert sorted(skipped) == sorted(SKIP_COMPARE)


def test_the_cases_include_both_verdicts():
    verdicts = {compare_outputs(*CASES[case]) is None for case in CASES}
    assert verdicts == {True, False}


def _lesson_with_exercises():
    from tools.check_notebooks import exercises

    for name in NOTEBOOK_NAMES:
        notebook = nbformat.read(NOTEBOOKS / name, 4)
        if exercises(notebook):
            return notebook
    pytest.skip("no lesson has an exercise")


def test_every_code_cell_of_a_notebook_is_compared():
    """A stored notebook 'run' against itself passes; changing any one checked cell's stored
    text fails with that cell named, and an error anywhere fails even where output is
    ignored."""
    stored = _lesson_with_exercises()
    run = Run("copy", nbformat.from_dict(stored), {}, 0.0)
    assert stored_output_problems(run, stored) == []
    code = [i for i, c in enumerate(stored.cells) if c.cell_type == "code" and c.source.strip()]
    assert code
    for index in code:
        changed = nbformat.from_dict(stored)
        cell = changed.cells[index]
        ignored = (
            "NBVAL_IGNORE_OUTPUT" in cell.source
            or "nbval-ignore-output" in cell.metadata.get("tags", [])
        )
        cell.outputs = list(cell.outputs) + [nbformat.v4.new_output("stream", text="new\n")]
        problems = stored_output_problems(Run("changed", changed, {}, 0.0), stored)
        if ignored:
            assert problems == []
        else:
            assert len(problems) == 1 and problems[0].startswith(f"cell {index + 1} "), problems
        cell.outputs = [
            nbformat.v4.new_output("error", ename="ValueError", evalue="v", traceback=[])
        ]
        problems = stored_output_problems(Run("broken", changed, {}, 0.0), stored)
        assert len(problems) == 1 and "raised ValueError: v" in problems[0], problems


def test_a_run_of_other_code_is_refused():
    stored = _lesson_with_exercises()
    changed = nbformat.from_dict(stored)
    index = next(i for i, c in enumerate(changed.cells) if c.cell_type == "code")
    changed.cells[index].source += "\nx = 1"
    assert stored_output_problems(Run("other", changed, {}, 0.0), stored) == [
        "the run's code cells are not the stored notebook's"
    ]


# -- what `make test` runs ---------------------------------------------------------------------


def test_make_test_compares_every_notebook():
    """pytest's default paths include this module, whose notebooks are every file of
    notebooks/ (by glob), and nbval's sanitizing is the shared one."""
    config = (ROOT / "pyproject.toml").read_text()
    testpaths = re.search(r"^testpaths = \[(.*)\]", config, re.MULTILINE).group(1)
    assert '"tests"' in testpaths
    assert NOTEBOOK_NAMES == sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert len(NOTEBOOK_NAMES) >= 13
    assert [regex.pattern for regex, _ in SANITIZERS] == [
        r"0x[0-9a-fA-F]+",
        r"/tmp/ipykernel_\d+/\d+\.py",
    ]


@pytest.mark.slow
def test_nbval_stays_strict_for_one_notebook():
    """`pytest notebooks/NN.ipynb` (CONTRIBUTING) is nbval in strict mode, cell by cell."""
    config = (ROOT / "pyproject.toml").read_text()
    assert "--nbval " in config or "--nbval\n" in config
    assert "--nbval-lax" not in config
    assert "--nbval-sanitize-with tests/nbval_sanitize.cfg" in config
    path = NOTEBOOKS / NOTEBOOK_NAMES[0]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            str(path.relative_to(ROOT)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    collected = [
        line for line in run.stdout.splitlines() if line.startswith(f"notebooks/{path.name}::")
    ]
    notebook = nbformat.read(path, 4)
    assert len(collected) == len(
        [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]
    )
