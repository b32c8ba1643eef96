r"""Showing a figure in a notebook together with its alt text.

A figure stored in a notebook is a PNG; a screen reader, nbconvert's HTML and
the course's website need words for it. :func:`show` displays a matplotlib
figure as a PNG whose output metadata carries the alt text, where nbconvert's
templates look for it (``metadata["image/png"]["alt"]``), and as the output's
``text/plain``, which nbval compares and every notebook viewer can show.
:class:`FigureImage` is that output; explorer snapshots are one too.

Matplotlib's pyplot is imported only when a figure is shown.
"""

from __future__ import annotations

import base64
import io

from .._validation import ensure_alt_text


class FigureImage:
    r"""A PNG and the alt text that says what it shows, as a notebook displays them.

    Displayed (the last expression of a cell, or ``IPython.display.display``),
    it is one output: ``image/png`` with ``{"alt": alt}`` (and ``width``,
    ``height`` when given) in the PNG's metadata, and ``text/plain`` = ``alt``.

    Parameters
    ----------
    data : bytes
        The PNG.
    alt : str
        What the picture shows, in a sentence or two (not empty).
    width, height : int, optional
        The displayed size in CSS pixels (for a picture rendered at a higher resolution).

    Raises
    ------
    TypeError, ValueError
        If ``alt`` is not a non-empty string, or ``data`` is not PNG bytes.

    Examples
    --------
    >>> image = FigureImage(b"\x89PNG\r\n\x1a\n", alt="A blank test picture.")
    >>> data, metadata = image._repr_mimebundle_()
    >>> data["text/plain"], metadata["image/png"]["alt"]
    ('A blank test picture.', 'A blank test picture.')
    """

    def __init__(self, data, alt, width=None, height=None):
        if not isinstance(data, bytes) or not data.startswith(b"\x89PNG"):
            raise TypeError(f"data must be the bytes of a PNG, got {type(data).__name__}")
        self.data = data
        self.alt = ensure_alt_text(alt)
        self.width = width
        self.height = height

    def metadata(self):
        """The PNG's output metadata: its alt text, and its displayed size when set."""
        metadata = {"alt": self.alt}
        if self.width:
            metadata["width"] = self.width
        if self.height:
            metadata["height"] = self.height
        return metadata

    def _repr_png_(self):
        return base64.b64encode(self.data).decode("ascii"), self.metadata()

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"image/png": base64.b64encode(self.data).decode("ascii"), "text/plain": self.alt}
        return data, {"image/png": self.metadata()}

    def __repr__(self):
        return self.alt


def figure_png(fig):
    """The figure as PNG bytes, as Jupyter's inline backend renders it.

    At the figure's own dpi, cropped to what is drawn (``bbox_inches="tight"``),
    on the figure's face colour.
    """
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=fig.dpi,
        bbox_inches="tight",
        facecolor=fig.get_facecolor(),
        edgecolor=fig.get_edgecolor(),
    )
    return buffer.getvalue()


def show(fig, alt):
    r"""Show a figure in the notebook with its alt text, then close it.

    The figure is displayed as one PNG output whose metadata holds
    ``{"image/png": {"alt": alt}}`` (what nbconvert's HTML templates and the
    course's website put in the ``<img>``'s ``alt``) and whose ``text/plain``
    is ``alt``. The figure is then closed, so that the inline backend does
    not show it a second time. Write ``alt`` for the figure: its subject and
    the one thing the reader should see, with the key numbers, taken from the
    values the cell computed (an f-string), so that no number goes stale.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to show (``fig, ax = plt.subplots(...)``).
    alt : str
        What the figure shows, in a sentence or two (not empty).

    Returns
    -------
    None
        Nothing, so that a cell ending with ``show(...)`` displays the figure once.

    Raises
    ------
    TypeError
        If ``fig`` is not a matplotlib Figure or ``alt`` is not a string.
    ValueError
        If ``alt`` is empty or only white space.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> show(fig, alt="A straight line from (0, 0) to (1, 1).")  # outside a notebook: the text
    A straight line from (0, 0) to (1, 1).
    >>> plt.fignum_exists(fig.number)
    False
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    alt = ensure_alt_text(alt)
    import matplotlib.pyplot as plt
    from IPython.display import display

    image = FigureImage(figure_png(fig), alt)
    plt.close(fig)
    display(image)
