r"""The base of every explorer: a figure, the sliders that move it, and how it is drawn.

The protocol
------------
An explorer is a subclass of :class:`Explorer` that writes four things:

``__init__(self, ...)``
    Check the arguments (a ``ValueError``/``TypeError`` naming the one at
    fault), store the data, precompute everything a slider can reach (never
    fit in a callback), then call ``super().__init__()`` **last**: it builds
    the figure, calls :meth:`~Explorer.sliders` and :meth:`~Explorer.draw`,
    and draws the first frame.
``sliders(self)``
    Return ``{name: Slider(...)}``: each slider's label (as the prose names
    it), range, step and start. The names are the keyword arguments of
    ``update``, ``set`` and ``snapshot``.
``draw(self, *axes)``
    Draw, once, what never changes (data, labels, limits), and create the
    artists that do, marking them with :meth:`~Explorer.dynamic`. The axes
    are the figure's panels, left to right (``panels`` of them).
``update(self, **values)``
    For the slider values given, change the data of the dynamic artists and
    return the readout: a list of lines of plain text shown under the figure.

and may write:

``caption(self, **values)``
    The line above the figure, in matplotlib mathtext (``$\theta^{(t)}$``);
    by default each slider's symbol and value, so that every picture, and
    every snapshot, says which state it shows.
``constrain(self, name)``
    Called when slider ``name`` moved, before the frame is drawn: change the
    range or value of another slider that depends on it.
``subject(self)``
    One plain sentence for a screen reader: what the figure shows (the data,
    the panels, what the sliders change). Every explorer of the course writes
    its own; by default the first line of the class's docstring. The figure's
    alt text (:meth:`~Explorer.alt_text`) is this sentence, the slider values
    and the readout's numbers at those values.

The class attributes ``figsize`` (inches; shown at 80 CSS pixels per inch),
``panels`` and ``width_ratios`` set the layout; ``super().__init__`` takes
them as arguments too, for explorers whose layout depends on an option.

How it is drawn
---------------
The static part is drawn once and kept as a bitmap; a frame restores it and
draws only the dynamic artists over it ("blitting"); an
explorer whose panel zooms with a slider calls
:meth:`Explorer.static_changed` in ``update``, and that frame draws
everything. Frames are rendered at
:data:`PIXEL_RATIO` times the displayed size, so that they stay sharp on
high-density screens, in 256 colours (as few bytes as a full-colour frame
of the displayed size). A slider moved in the browser asks for a frame,
which a background thread draws from the *latest* slider values: values
that arrive while a frame is being drawn are not queued, only the last one
is drawn next. The move waits for its frame up to
:attr:`Explorer.frame_wait`, so that meanwhile the browser itself holds
back and merges the values that follow. :meth:`Explorer.set`,
:meth:`Explorer.snapshot` and the constructor draw at once, in the
caller's thread.

Why frames are rendered here and not by ipympl
----------------------------------------------
ipympl (``%matplotlib widget``) would draw the same figures interactively, and
was considered: it is not among the course's dependencies, its front-end
extension must match the JupyterLab version (one more pin to keep in step with
Binder's base environment), and its widget stores nothing viewable without a
kernel, so the site, GitHub and a notebook opened cold would show no figure,
while an explorer's snapshot is an ordinary PNG output. Its frames also cost
more: for lesson 4's ``EMIterationExplorer`` (800 × 1040 pixels at
:data:`PIXEL_RATIO` 2), measured on the course's 2-core machine, a blitted
frame takes 50 ms of CPU and 35 KiB as a 256-colour PNG, against 56 ms for a
full redraw (what a figure without blitting does on every move) and 121 ms
and 77 KiB for a full-colour PNG from ``savefig``.

What a notebook stores
----------------------
Besides the live widget, an explorer displays a description of itself under
the MIME type :data:`EXPLORER_MIME` (its kind, each slider's name, label,
range and value, and the values and alt text of the last snapshot) and a
plain text that says what the snapshot above shows. A snapshot is a PNG
whose output metadata carries its alt text (``{"image/png": {"alt": ...}}``,
where nbconvert looks for it), as :func:`gmmlab.plotting.show` stores a figure's.
In the live widget, the figure's ``alt`` is the same text for the current
values (``Explorer.live_alt``; ipywidgets' ``Image`` has no ``alt``, so the slider
row's script sets it), and the readout is a labelled status region, read out
when it changes.
``make refresh`` keeps the description and the text (a stored widget view is
useless without a kernel); the browser suite reads the description.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import io
import math
import numbers
import re
import sys
import threading
import traceback

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: The MIME type of an explorer's description in a notebook's outputs.
EXPLORER_MIME = "application/vnd.gmmlab.explorer+json"

#: CSS pixels per inch of figure: an explorer is shown ``figsize * CSS_DPI`` pixels wide.
CSS_DPI = 80

#: Pixels rendered per CSS pixel: 2 keeps the figures sharp on high-density screens.
PIXEL_RATIO = 2

#: The CSS class of an explorer's row of sliders.
SLIDERS_CLASS = "gmmlab-sliders"


#: Notebook 7 runs its keyboard shortcuts in the capture phase, before a focused slider sees
#: the key: ArrowLeft/ArrowRight would move to the heading above/below instead of moving the
#: slider. Lumino's CommandRegistry skips a key binding when, walking up from the key's target,
#: it meets an element with the attribute ``data-lm-suppress-shortcuts`` before one that
#: matches the binding's selector; the notebook's selectors end in ``:focus``, which the
#: focused slider handle itself matches, so the attribute must be on the handle. ipywidgets
#: sets classes, never attributes, so a hidden HTML widget in the row of sliders does it: its
#: image has no source, and the image's error handler makes the row mark every element that
#: gets focus in it (noUiSlider may rebuild a handle). It also names each slider's handle
#: (role "slider", unnamed by ipywidgets) with the slider's label, for screen readers. The
#: browser suite presses the arrow keys in JupyterLab and in Notebook 7 and audits the names.
#: The same script gives the explorer's figure its alt text, carried by the hidden image
#: (``data-alt``) and sent again when that text changes: ipywidgets' Image has no alt, and
#: setting its ``tooltip`` breaks its view in ipywidgets 8.1.9 (ImageView.updateTooltip reads a
#: description the Image does not have: "Cannot read properties of undefined").
def _row_script(alt):
    """The hidden HTML of an explorer's slider row (see the comment above), carrying ``alt``."""
    return (
        f'<img src="" alt="" hidden data-alt="{html.escape(alt, quote=True)}" '
        'onerror="(function mark(img, tries) {'
        f"var row = img.closest('.{SLIDERS_CLASS}');"
        "if (!row) { if (tries < 200) { setTimeout(function () { mark(img, tries + 1); }, 50); }"
        " return; }"
        # the explorer's figure, the image after the row, is named by the current alt text
        "var figure = row.parentElement && row.parentElement.querySelector("
        "':scope > img.widget-image');"
        "if (figure) { figure.setAttribute('alt', img.getAttribute('data-alt')); }"
        "if (row.hasAttribute('data-lm-suppress-shortcuts')) { return; }"
        "row.setAttribute('data-lm-suppress-shortcuts', 'true');"
        # each slider's handle (role slider) is named by the slider's label
        "row.querySelectorAll('.widget-slider').forEach(function (slider) {"
        " var label = slider.querySelector('.widget-label');"
        " var handle = slider.querySelector('.noUi-handle');"
        " if (label && handle && !handle.hasAttribute('aria-label')) {"
        " handle.setAttribute('aria-label', label.textContent); } });"
        "row.addEventListener('focusin', function (event) {"
        " event.target.setAttribute('data-lm-suppress-shortcuts', 'true'); });"
        '})(this, 0)">'
    )


_SUPPRESS_SHORTCUTS = _row_script("")


@dataclasses.dataclass(frozen=True)
class Slider:
    r"""One slider of an explorer: its label, its range and where it starts.

    Parameters
    ----------
    label : str
        Shown beside the slider; name it as the lesson's prose does
        ("EM iteration t").
    min, max : int or float
        The range. All of ``min``, ``max``, ``step`` and ``value`` integers
        make an integer slider.
    step : int or float, default 1
        For a ``log`` slider, the step of :math:`\log_{10}` of the value.
    value : int or float, optional
        The start (default: ``min``).
    symbol : str, optional
        How the figure's caption names the value, in mathtext (``r"$\sigma$"``);
        default: the label.
    fmt : str, optional
        Format spec of the value in the caption ("d", ".2f", ...); default
        "d" for an integer slider, ".3g" otherwise.
    unit : str, default ""
        Appended to the value in the caption ("°", " cm").
    log : bool, default False
        Move along a logarithmic scale (``min`` > 0).
    """

    label: str
    min: float
    max: float
    step: float = 1
    value: float | None = None
    symbol: str | None = None
    fmt: str | None = None
    unit: str = ""
    log: bool = False

    def __post_init__(self):
        for field in ("min", "max", "step"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"Slider {field} must be a number, got {value!r}")
            object.__setattr__(self, field, _python_number(value))
        value = self.min if self.value is None else _python_number(self.value)
        object.__setattr__(self, "value", value)
        if not self.min < self.max or self.step <= 0 or (self.log and self.min <= 0):
            raise ValueError(
                f"Slider {self.label!r}: needs min < max, step > 0 (and min > 0 on a log "
                f"scale), got min={self.min}, max={self.max}, step={self.step}"
            )
        if not self.min <= value <= self.max:
            raise ValueError(
                f"Slider {self.label!r}: value {value} is outside [{self.min}, {self.max}]"
            )

    @property
    def integer(self):
        """Whether the slider moves through whole numbers."""
        return not self.log and all(
            isinstance(v, int) for v in (self.min, self.max, self.step, self.value)
        )

    def widget(self):
        """A new ipywidgets slider for this specification."""
        common = {"description": self.label, "continuous_update": True}
        if self.integer:
            return ipywidgets.IntSlider(
                value=self.value, min=self.min, max=self.max, step=self.step, **common
            )
        if self.log:
            return ipywidgets.FloatLogSlider(
                value=self.value,
                base=10,
                min=math.log10(self.min),
                max=math.log10(self.max),
                step=self.step,
                readout_format=".3g",
                **common,
            )
        return ipywidgets.FloatSlider(
            value=self.value,
            min=self.min,
            max=self.max,
            step=self.step,
            readout_format=self.fmt or ".3g",
            **common,
        )

    def format(self, value):
        """The value as the caption writes it, with its unit."""
        return f"{value:{self.fmt or ('d' if self.integer else '.3g')}}{self.unit}"

    def caption(self, value):
        """``symbol = value`` for the figure's caption (mathtext)."""
        return f"{self.symbol or self.label} = {self.format(value)}"

    def checked(self, value, name):
        """``value`` as this slider holds it, or a ValueError/TypeError naming ``name``."""
        kind = "an integer" if self.integer else "a number"
        wanted = numbers.Integral if self.integer else numbers.Real
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise TypeError(f"{name} must be {kind} from {self.min} to {self.max}, got {value!r}")
        value = _python_number(value)
        if not (math.isfinite(value) and self.min <= value <= self.max):
            raise ValueError(f"{name} must be from {self.min} to {self.max}, got {value}")
        return value


class Explorer:
    """A figure and the sliders that change it; the base of every explorer.

    See the module's documentation for the protocol a subclass follows.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The figure (not managed by pyplot: it never shows up on its own).
    axes : list of matplotlib.axes.Axes
        Its panels, left to right.
    controls : dict of str to ipywidgets slider
        The sliders, by name; setting ``controls[name].value`` asks for a
        new frame (drawn in the background: see :meth:`wait`).
    readout : ipywidgets.HTML
        The numbers the current state shows, under the figure.
    image : ipywidgets.Image
        The rendered figure.
    widget : ipywidgets.VBox
        Everything together, what a notebook displays.
    frames_drawn : int
        How many frames were drawn so far.
    """

    figsize = (6.5, 4.8)
    panels = 1
    width_ratios = None
    #: Seconds a slider's move waits for its frame before the kernel takes the next message.
    #: Meanwhile the browser holds back the values that follow, keeping only the latest (as
    #: ipywidgets does while the kernel is busy); a slower frame lets them in, and the kernel
    #: then draws only the latest of them. 0: never wait.
    frame_wait = 0.25

    def __init__(self, figsize=None, panels=None, width_ratios=None):
        figsize = tuple(figsize or self.figsize)
        panels = panels or self.panels
        width_ratios = (width_ratios or self.width_ratios) if panels > 1 else None
        self.figure = Figure(figsize=figsize, dpi=CSS_DPI * PIXEL_RATIO, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.axes = list(
            self.figure.subplots(1, panels, width_ratios=width_ratios, squeeze=False)[0]
        )
        self.specs = dict(self.sliders())
        self.controls = {name: spec.widget() for name, spec in self.specs.items()}
        self._dynamic_artists = []
        self._background = None
        self._holding = False
        self._constraining = False
        self._render_lock = threading.RLock()
        self._frames = _FrameScheduler(self._draw_frame_in_background)
        self._snapshot_values = None
        self._snapshot_alt = None
        self._lines = []
        self.frames_drawn = 0
        #: The live figure's alt text (:meth:`alt_text` at the current values).
        self.live_alt = None
        self.draw(*self.axes)
        self.caption_text = self.dynamic(self.figure.suptitle("", fontsize=10))
        self.image = ipywidgets.Image(
            format="png",
            width=str(round(figsize[0] * CSS_DPI)),
            # at its own CSS size: a VBox would stretch it to the sliders' width and blur it
            layout=ipywidgets.Layout(align_self="flex-start", max_width="100%", height="auto"),
        )
        self.readout = ipywidgets.HTML()
        for name, control in self.controls.items():
            control.style.description_width = "initial"
            control.tooltip = self.specs[name].label
            control.observe(functools.partial(self._on_change, name), names="value")
        self._row_html = ipywidgets.HTML(
            _SUPPRESS_SHORTCUTS, layout=ipywidgets.Layout(display="none")
        )
        row = ipywidgets.HBox(
            [*self.controls.values(), self._row_html], _dom_classes=(SLIDERS_CLASS,)
        )
        self.widget = ipywidgets.VBox([row, self.image, self.readout])
        self.redraw()

    # -- the protocol ------------------------------------------------------------------

    def sliders(self):
        """``{name: Slider}``: the sliders, in display order."""
        raise NotImplementedError(f"{type(self).__name__} must define sliders()")

    def draw(self, *axes):
        """Draw what never changes; create the changing artists with :meth:`dynamic`."""
        raise NotImplementedError(f"{type(self).__name__} must define draw(*axes)")

    def update(self, **values):
        """Update the dynamic artists for these slider values; return the readout's lines."""
        raise NotImplementedError(f"{type(self).__name__} must define update(**values)")

    def caption(self, **values):
        """The line above the figure (mathtext): by default every slider and its value."""
        return "   ".join(spec.caption(values[name]) for name, spec in self.specs.items())

    def constrain(self, name):
        """Slider ``name`` moved: adjust the sliders that depend on it (by default none)."""

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text).

        By default the first line of the class's docstring, without its markup.
        """
        first = (type(self).__doc__ or type(self).__name__).strip().splitlines()[0]
        return _plain(first)

    def alt_text(self, values=None):
        """The figure's alt text at these slider values (default: the current ones).

        :meth:`subject`, then each slider's label and value, then the readout's lines
        (the numbers the state shows). Computed from the last frame drawn for the
        current values; other values are drawn first, then the explorer is put back.
        """
        current = self.values
        if values is not None and dict(values) != current:
            self.set(**values)
            try:
                return self.alt_text()
            finally:
                self.set(**current)
        readout = "; ".join(line.strip() for line in self._lines if line.strip())
        text = f"{self.subject().rstrip('.')}. Shown at {self._plain_state(current)}"
        return f"{text}: {readout.rstrip('.')}." if readout else f"{text}."

    # -- for subclasses ----------------------------------------------------------------

    def points_phrase(self, word="points"):
        """The data in words, for :meth:`subject`: ``150 points (length (cm) across, ...)``.

        For an explorer of a plane that keeps ``X`` and ``feature_names``.
        """
        return f"{len(self.X)} {word} ({axes_names(self.feature_names)})"

    def dynamic(self, *artists):
        """Mark artists as changing: they are redrawn in every frame. Returns them."""
        for artist in artists:
            artist.set_animated(True)
            self._dynamic_artists.append(artist)
        return artists[0] if len(artists) == 1 else artists

    def static_changed(self):
        """Call from :meth:`update` after changing what :meth:`draw` drew once (an axis's
        limits, for a panel that zooms with a slider): the next frame draws the whole
        figure again, not only the dynamic artists, and keeps it as the new static part.
        Such a frame is slower; use it for sliders that change a view, not for drags."""
        self._background = None

    # -- using an explorer -------------------------------------------------------------

    @property
    def values(self):
        """The sliders' current values, ``{name: value}``."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Move several sliders (by name) and draw the new state at once; returns self.

        Raises
        ------
        ValueError, TypeError
            For an unknown slider, or a value of the wrong type or out of range.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(
                f"unknown slider(s) {sorted(unknown)}; this explorer has {list(self.controls)}"
            )
        self._holding = True
        try:
            for name, value in values.items():
                # checked against the range in force now: an earlier slider may have changed it
                low, high = self.slider_range(name)
                spec = dataclasses.replace(self.specs[name], min=low, max=high, value=None)
                self.controls[name].value = spec.checked(value, name)
        finally:
            self._holding = False
        self.redraw()
        return self

    def snapshot(self, **values):
        """A picture of the explorer at these slider values, for the static copy of a lesson.

        Moves the sliders first (as :meth:`set`), so that the live explorer
        shown below starts where the picture is; the picture's caption and
        the explorer's text say which values it shows.

        Returns
        -------
        gmmlab.plotting.FigureImage
            A PNG rendered at :data:`PIXEL_RATIO` times its displayed size, with its
            alt text (:meth:`alt_text` at these values) in its metadata and as its
            plain text.
        """
        from ..plotting.display import FigureImage

        # The live frame is encoded as every live frame is (so that moving a slider away and
        # back shows the same bytes again); the stored PNG is the smaller encoding.
        self.set(**values)
        stored = self.png()
        self._snapshot_values = self.values
        self._snapshot_alt = self.live_alt
        width, height = (round(size * CSS_DPI) for size in self.figure.get_size_inches())
        return FigureImage(stored, self._snapshot_alt, width=width, height=height)

    def png(self, small=True):
        """The current figure as PNG bytes (``small=False``: faster, bigger, for live frames)."""
        with self._render_lock:
            return _png(self._render(), small)

    def redraw(self):
        """Draw a frame for the current slider values, now, in this thread."""
        with self._render_lock:
            values = self.values
            lines = self.update(**values)
            self.caption_text.set_text(self.caption(**values))
            frame = _png(self._render())
            self._lines = list(lines)
            self.readout.value = (
                f"<div role='status' aria-label='{html.escape(self._readout_name(), quote=True)}'>"
                + "<br>".join(
                    f"<span style='font-family: monospace'>{html.escape(line)}</span>"
                    for line in lines
                )
                + "</div>"
            )
            alt = self.alt_text()
            if alt != self.live_alt:  # the row's script (with the alt text) is sent only then
                self.live_alt = alt
                self._row_html.value = _row_script(alt)
            self.image.value = frame
            self.frames_drawn += 1

    def slider_range(self, name):
        """(min, max) of slider ``name`` now (a ``constrain`` may have changed it)."""
        control = self.controls[name]
        if self.specs[name].log:  # ipywidgets keeps the exponents
            return _python_number(10**control.min), _python_number(10**control.max)
        return _python_number(control.min), _python_number(control.max)

    def wait(self, timeout=10.0):
        """Wait until the frames asked for by slider moves are drawn; whether they were."""
        return self._frames.wait(timeout)

    def description(self):
        """The explorer's kind and sliders, as stored under :data:`EXPLORER_MIME`."""
        sliders = []
        for name, control in self.controls.items():
            spec = self.specs[name]
            low, high = self.slider_range(name)
            sliders.append(
                {
                    "name": name,
                    "label": spec.label,
                    "min": low,
                    "max": high,
                    "step": spec.step,
                    "log": spec.log,
                    "value": _python_number(control.value),
                }
            )
        return {
            "kind": type(self).__name__,
            "sliders": sliders,
            "snapshot": self._snapshot_values,
            "alt": self._snapshot_alt,
        }

    def text(self):
        """What a reader without a kernel is told: what the picture above shows."""
        names = ", ".join(spec.label for spec in self.specs.values())
        if self._snapshot_values is None:
            state = self._plain_state(self.values)
            return (
                f"{type(self).__name__} with sliders ({names}), now at {state}. "
                "Run the notebook to move them and redraw the figure live."
            )
        return (
            f"{type(self).__name__}: the picture above shows it at "
            f"{self._plain_state(self._snapshot_values)}. Run the notebook to move its "
            f"sliders ({names}) and redraw it live."
        )

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle[EXPLORER_MIME] = self.description()
        bundle["text/plain"] = self.text()
        return bundle

    # -- drawing -----------------------------------------------------------------------

    def _readout_name(self):
        return f"{type(self).__name__}: the numbers of the figure above"

    def _plain_state(self, values):
        return ", ".join(
            f"{spec.label} = {spec.format(values[name])}" for name, spec in self.specs.items()
        )

    def _on_change(self, name, change):
        if self._constraining:  # a slider that ``constrain`` moved: part of the same move
            return
        self._constraining = True
        try:
            self.constrain(name)
        finally:
            self._constraining = False
        if not self._holding:
            self._frames.request()
            if self.frame_wait:
                self._frames.wait(self.frame_wait)

    def _draw_frame_in_background(self):
        try:
            self.redraw()
        except Exception as error:  # shown where the learner looks, and in the kernel's log
            self.readout.value = (
                "<span style='color: #b00'>This explorer could not draw the new state: "
                f"{html.escape(type(error).__name__)}: {html.escape(str(error))}</span>"
            )
            traceback.print_exc(file=sys.stderr)

    def _render(self):
        """The figure's pixels, (H, W, 4): the static bitmap and the dynamic artists over it."""
        canvas = self.figure.canvas
        if self._background is None:  # first time: everything but the dynamic artists
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self.figure.set_layout_engine("none")  # freeze the layout for blitting
        canvas.restore_region(self._background)
        for artist in sorted(self._dynamic_artists, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                (artist.axes or self.figure).draw_artist(artist)
        return np.asarray(canvas.buffer_rgba())


class _FrameScheduler:
    """The frames one explorer has asked for: at most one waiting, whatever the requests.

    ``request()`` returns at once; :data:`_WORKER` draws the frame later, from
    the sliders' values at that time, so that requests made while a frame is
    drawn become a single frame.
    """

    def __init__(self, draw_frame):
        self.draw_frame = draw_frame
        self.idle = threading.Event()
        self.idle.set()

    def request(self):
        _WORKER.request(self)

    def wait(self, timeout=None):
        return self.idle.wait(timeout)


class _FrameWorker:
    """One background thread that draws the frames every explorer asked for, in turn.

    One long-lived thread, not one per frame: matplotlib keeps its fonts per
    thread, and loading them again for every frame would cost more than the frame.
    """

    def __init__(self):
        self._condition = threading.Condition()
        self._waiting = {}  # an ordered set of _FrameScheduler
        self._thread = None

    def request(self, frames):
        with self._condition:
            frames.idle.clear()
            self._waiting[frames] = None
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="gmmlab-explorer-frames", daemon=True
                )
                self._thread.start()
            self._condition.notify()

    def _run(self):
        while True:
            with self._condition:
                while not self._waiting:
                    self._condition.wait()
                frames = next(iter(self._waiting))
                del self._waiting[frames]
            frames.draw_frame()
            with self._condition:
                if frames not in self._waiting:
                    frames.idle.set()


_WORKER = _FrameWorker()


def axes_names(feature_names):
    """The plane's axes in words, for alt text: ``length (cm) across, width (cm) up``."""
    if not feature_names:
        return "two features"
    across, up = (_plain(name).replace("$", "") for name in feature_names[:2])
    return f"{across} across, {up} up"


def subscript(k):
    """``k`` in subscript digits (``π₀``), for a slider's plain-text label."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def superscript(text):
    """Digits, signs and parentheses of ``text`` in superscript (``θ⁽¹²⁾``), for plain text."""
    return str(text).translate(str.maketrans("0123456789()+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻"))


def _plain(text):
    """Docstring text without reStructuredText markup (``:math:`\\ell```, ````code````)."""
    text = re.sub(r":\w+:`([^`]*)`", r"\1", text)
    return text.replace("``", "").replace("\\", "")


def _python_number(value):
    """A numpy scalar as the Python int or float it holds (JSON and traitlets want those)."""
    if isinstance(value, numbers.Integral):
        return int(value)
    return float(value)


def _png(rgba, small=False):
    """PNG bytes of an (H, W, 4) opaque image, in 256 colours.

    Rendered at twice its displayed size, a frame has four times the pixels.
    Reduced to a palette of 256 colours (Pillow's fast octree quantizer, no
    dithering: colours off by about one level of 255 on average, on
    anti-aliased edges), it encodes faster than in full colour, in about a
    third of the bytes: what a move costs on a remote server stays what a
    full-colour frame at the displayed size cost. A live frame takes its
    palette from every 4th pixel of every 4th row (the quantizer's cost, for
    the same colours) and is compressed for speed; a stored snapshot
    (``small``) takes it from every pixel and is compressed for size.
    """
    from PIL import Image

    def palette_of(rgb):
        return Image.fromarray(np.ascontiguousarray(rgb)).quantize(
            256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )

    rgb = rgba[:, :, :3]
    if small:
        colours = palette_of(rgb)
    else:
        colours = Image.fromarray(np.ascontiguousarray(rgb)).quantize(
            palette=palette_of(rgb[::4, ::4]), dither=Image.Dither.NONE
        )
    buffer = io.BytesIO()
    colours.save(buffer, format="png", **({"optimize": True} if small else {"compress_level": 1}))
    return buffer.getvalue()
