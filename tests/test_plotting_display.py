"""gmmlab.plotting.show and explorer snapshots: a figure's alt text, stored where nbconvert and
the course's website read it, and read back from the display message an IPython shell sends."""

import base64
import io

import matplotlib
import nbformat
import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.pylabtools import print_figure
from IPython.utils.capture import capture_output
from PIL import Image

import gmmlab
from gmmlab.datasets import load_iris_features
from gmmlab.plotting import FigureImage, show
from gmmlab.widgets import EXPLORER_MIME, EMIterationExplorer, FitExplorer1D

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ALT = "A straight line rising from (0, 0) to (1, 2): the slope is 2."


@pytest.fixture(scope="module")
def shell():
    return InteractiveShell.instance()


def displayed(shell, function):
    """The display messages ``function()`` sends to the notebook: (data, metadata) pairs."""
    with capture_output() as captured:
        result = function()
    return result, [(output.data, output.metadata) for output in captured.outputs]


def line_figure():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [0, 2])
    ax.set_xlabel("x (cm)")
    return fig


def test_show_sends_one_png_with_its_alt_text_in_the_metadata_and_as_plain_text(shell):
    fig = line_figure()
    reference = print_figure(fig, "png")  # what Jupyter's inline backend stores for it
    result, messages = displayed(shell, lambda: show(fig, alt=ALT))
    assert result is None  # a cell ending with show(...) shows the figure once, not twice
    ((data, metadata),) = messages
    assert set(data) == {"image/png", "text/plain"}
    assert data["text/plain"] == ALT
    assert metadata == {"image/png": {"alt": ALT}}
    png = data["image/png"]
    png = base64.b64decode(png) if isinstance(png, str) else png
    shown = np.asarray(Image.open(io.BytesIO(png)))
    inline = np.asarray(Image.open(io.BytesIO(reference)))
    assert shown.shape == inline.shape and np.array_equal(shown, inline)
    assert not plt.fignum_exists(fig.number)  # closed: the inline backend will not show it again


def test_show_normalises_white_space_of_the_alt_text(shell):
    _, [(data, metadata)] = displayed(shell, lambda: show(line_figure(), alt="  two\n lines "))
    assert data["text/plain"] == metadata["image/png"]["alt"] == "two lines"


@pytest.mark.parametrize(
    ("alt", "error"),
    [("", ValueError), (" \n", ValueError), (None, TypeError), (3, TypeError), (["a"], TypeError)],
)
def test_show_refuses_a_figure_without_alt_text_and_names_alt(alt, error):
    fig = line_figure()
    with pytest.raises(error, match="alt must"):
        show(fig, alt=alt)
    assert plt.fignum_exists(fig.number)  # nothing shown, nothing closed
    plt.close(fig)


def test_show_refuses_what_is_not_a_figure():
    fig = line_figure()
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure, got Axes"):
        show(fig.axes[0], alt=ALT)
    plt.close(fig)


def test_figure_image_refuses_bytes_that_are_not_a_png():
    with pytest.raises(TypeError, match="data must be the bytes of a PNG"):
        FigureImage(b"GIF89a", alt=ALT)


def _exported(outputs, template):
    from nbconvert import HTMLExporter

    cell = nbformat.v4.new_code_cell("show(fig, alt=...)", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output("display_data", data, metadata=metadata)
        for data, metadata in outputs
    ]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    body, _ = HTMLExporter(template_name=template).from_notebook_node(notebook)
    return body


def test_nbconvert_puts_the_stored_alt_text_on_the_img(shell):
    """nbconvert's classic template reads metadata["image/png"]["alt"] (the lab template of
    nbconvert 7 reads none: the course's site template does, see tests/test_site.py)."""
    _, messages = displayed(shell, lambda: show(line_figure(), alt=ALT))
    body = _exported(messages, "classic")
    assert f'alt="{ALT}"' in body


@pytest.fixture(scope="module")
def iris_run():
    iris = load_iris_features(("petal length", "petal width"))
    return iris, gmmlab.fit(iris.X, 3, seed=0, max_iter=10)


def test_a_snapshot_carries_alt_text_with_the_slider_values_and_the_readout(shell, iris_run):
    iris, run = iris_run
    explorer = EMIterationExplorer(iris.X, run, feature_names=iris.feature_names)
    image = explorer.snapshot(iteration=4, n_std=1)
    data, metadata = shell.display_formatter.format(image)
    alt = metadata["image/png"]["alt"]
    assert data["text/plain"] == alt and metadata["image/png"]["width"] == 520
    # the numbers at t = 4, computed here independently of the explorer
    ll = gmmlab.log_likelihood(iris.X, run.history[4])
    uncertain = int((gmmlab.e_step(iris.X, run.history[4]).max(axis=1) < 0.9).sum())
    assert "150 points (petal length (cm) across, petal width (cm) up)" in alt
    assert "EM iteration t = 4" in alt and f"{ll:.3f}" in alt
    assert f"points with no component above γ = 0.9: {uncertain} of 150" in alt
    assert explorer.description()["alt"] == alt
    explorer.set(iteration=7)  # moved after the snapshot: the stored description keeps it
    assert explorer.description()["alt"] == alt
    assert f"{gmmlab.log_likelihood(iris.X, run.history[7]):.3f}" in explorer.live_alt
    assert explorer._repr_mimebundle_()[EXPLORER_MIME]["alt"] == alt


def test_two_snapshots_at_other_values_have_other_alt_texts(iris_run):
    iris, run = iris_run
    explorer = EMIterationExplorer(iris.X, run)
    first = explorer.snapshot(iteration=0).alt
    second = explorer.snapshot(iteration=run.n_iter).alt
    assert first != second and "EM iteration t = 0" in first
    assert explorer.alt_text({"iteration": 0, "n_std": 2}) == first
    assert explorer.values["iteration"] == run.n_iter  # alt_text at other values puts it back


def test_a_1d_snapshot_lists_each_components_numbers():
    width = load_iris_features(("petal width",))
    fits = {k: gmmlab.fit(width.X, k, seed=0, max_iter=50) for k in (2, 3)}
    explorer = FitExplorer1D(width.X, fits, xlabel="petal width (cm)", k=3)
    alt = explorer.snapshot(k=3, iteration=fits[3].n_iter).alt
    params = fits[3].history[fits[3].n_iter]
    for mean in sorted(params.means[:, 0]):
        assert f"μ = {mean:.3f}" in alt
    assert alt.startswith("A histogram of 150 values of petal width (cm)")


def test_every_explorer_of_the_course_says_what_its_figure_shows():
    import gmmlab.widgets as widgets
    from gmmlab.widgets.base import Explorer

    classes = [
        getattr(widgets, name) for name in widgets.__all__
        if isinstance(getattr(widgets, name), type)
        and issubclass(getattr(widgets, name), Explorer) and getattr(widgets, name) is not Explorer
    ]
    assert len(classes) >= 17
    missing = [c.__name__ for c in classes if c.subject is Explorer.subject]
    assert not missing, f"explorers without their own subject(): {missing}"


def test_sliders_and_the_readout_have_accessible_names(iris_run):
    iris, run = iris_run
    explorer = EMIterationExplorer(iris.X, run)
    for name, control in explorer.controls.items():
        assert control.description == control.tooltip == explorer.specs[name].label
    assert explorer.readout.value.startswith(
        "<div role='status' aria-label='EMIterationExplorer: the numbers of the figure above'>"
    )


def test_an_animation_carries_its_alt_text_and_names_its_frame_slider():
    from matplotlib.animation import FuncAnimation

    from gmmlab.plotting import animation_html

    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    (line,) = ax.plot([0, 1], [0, 1])
    animation = FuncAnimation(fig, lambda i: (line,), frames=2)
    html = animation_html(animation, alt='Two frames of a line, "unchanged".')
    plt.close(fig)
    assert html.count('<img alt="Two frames of a line, &quot;unchanged&quot;." id="_anim_img') == 1
    assert html.count('type="range" class="anim-slider" aria-label="animation frame"') == 1
    with pytest.raises(ValueError, match="alt must say what the figure shows"):
        animation_html(animation, alt=" ")
