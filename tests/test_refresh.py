"""tools.refresh keeps what an explorer stores for readers and tools, and drops its widget view;
the browser suite reads the kind and sliders back from that description."""

import nbformat

import gmmlab
from gmmlab.datasets import load_iris_features
from gmmlab.widgets import EXPLORER_MIME, EMIterationExplorer
from tests.browser.lab import expected_widgets
from tools.refresh import WIDGET_VIEW, changed_text, normalise


def test_an_explorer_keeps_its_description_and_text_and_loses_its_view(tmp_path):
    iris = load_iris_features(("petal length", "petal width"))
    explorer = EMIterationExplorer(iris.X, gmmlab.fit(iris.X, 3, seed=0, max_iter=10))
    snapshot = explorer.snapshot(iteration=4)
    bundle = explorer._repr_mimebundle_()
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    cells = [
        nbformat.v4.new_code_cell("explorer.snapshot(iteration=4)", execution_count=1),
        nbformat.v4.new_code_cell("explorer", execution_count=2),
        nbformat.v4.new_code_cell("ipywidgets.IntSlider()", execution_count=3),
    ]
    png = snapshot._repr_png_()
    data, metadata = (png[0], png[1]) if isinstance(png, tuple) else (png, {})
    cells[0].outputs = [
        nbformat.v4.new_output(
            "execute_result", {"image/png": data}, metadata=metadata, execution_count=1
        )
    ]
    cells[1].outputs = [nbformat.v4.new_output("execute_result", bundle, execution_count=2)]
    cells[2].outputs = [
        nbformat.v4.new_output(
            "execute_result",
            {"text/plain": "IntSlider(value=0)", WIDGET_VIEW: view},
            execution_count=3,
        )
    ]
    notebook = normalise(nbformat.v4.new_notebook(cells=cells))
    stored = notebook.cells[1].outputs[0].data
    assert set(stored) == {EXPLORER_MIME, "text/plain"}
    assert "the picture above shows it at EM iteration t = 4" in stored["text/plain"]
    assert set(notebook.cells[2].outputs[0].data) == {"text/plain"}

    path = tmp_path / "01_lesson.ipynb"
    nbformat.write(notebook, path)
    (found,) = expected_widgets(path)
    assert (found.cell, found.kind, found.sliders) == (
        1,
        "EMIterationExplorer",
        ("iteration", "n_std"),
    )
    assert found.labels == ("EM iteration t", "ellipse: std. devs")


def test_a_print_split_into_two_stream_outputs_is_stored_as_one():
    """A kernel may send one printed line as two stream messages; refresh stores one output,
    so that running it again (which may split it elsewhere) changes nothing."""
    cell = nbformat.v4.new_code_cell("print(...)", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="N = 60"),
        nbformat.v4.new_output("stream", name="stdout", text="0 points\n"),
        nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
        nbformat.v4.new_output("stream", name="stdout", text="done\n"),
        nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1),
    ]
    notebook = normalise(nbformat.v4.new_notebook(cells=[cell]))
    outputs = notebook.cells[0].outputs
    assert [(o.output_type, o.get("name"), o.get("text")) for o in outputs] == [
        ("stream", "stdout", "N = 600 points\n"),
        ("stream", "stderr", "a warning\n"),
        ("stream", "stdout", "done\n"),
        ("execute_result", None, None),
    ]
    again = normalise(nbformat.from_dict(notebook))
    assert again == notebook, "normalising twice changes nothing"


def test_refresh_shows_the_text_outputs_that_changed_cell_by_cell():
    def notebook(count, table):
        cells = [nbformat.v4.new_markdown_cell("text")]
        for source, text in (("print(n)", f"N = {count}\n"), ("table", table), ("plot", "")):
            cell = nbformat.v4.new_code_cell(source, execution_count=len(cells))
            cell.id = source.split("(")[0]
            cell.outputs = [nbformat.v4.new_output("stream", text=text)] if text else []
            cells.append(cell)
        return nbformat.v4.new_notebook(cells=cells)

    before, after = notebook(600, "a 1\nb 2\n"), notebook(800, "a 1\nb 2\n")
    shown = changed_text(before, after)
    assert "cell 2 ('print(n)'): text output changed" in shown
    assert "-N = 600" in shown and "+N = 800" in shown
    assert "table" not in shown, "unchanged cells are not shown"
    assert changed_text(before, before) == ""
