"""tools.refresh keeps what an explorer stores for readers and tools, and drops its widget view;
the browser suite reads the kind and sliders back from that description."""

import nbformat

import gmmlab
from gmmlab.datasets import load_iris_features
from gmmlab.widgets import EXPLORER_MIME, EMIterationExplorer
from tests.browser.lab import expected_widgets
from tools.refresh import WIDGET_VIEW, normalise


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
