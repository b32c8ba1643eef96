"""Which colour each drawn component has, and which Iris species it sits on.

This file runs twice: inside a lesson's kernel (tests/lesson_runs.py sends its source
before the first cell and calls :func:`install`) and in the test process, where
tests/test_colours.py checks :func:`components_in` on figures it draws itself.

At every draw of a matplotlib figure (a figure shown inline, an explorer's frame or a
snapshot: all go through ``Figure.draw``), each axes is looked at:

1. *Does it show Iris data?* A scatter whose every point is an Iris flower in two of the
   four measurements (in cm, or mm: a factor 10), or a histogram whose bars are those of
   one measurement (same bin edges, same shares), says which columns the axes shows.
   Axes that show anything else (generated clusters, log-densities, traces) are skipped.
2. *Which components are drawn, in which colour?* An artist drawn in one colour of
   ``gmmlab.plotting.COLORS`` is a component of that colour; its centre, in the axes'
   data coordinates, is an ellipse's centre, a one-point line's point (a mean marker), a
   vertical line's x (1-D), a 1-D curve's peak, or the mean of the points of that colour
   in a scatter whose every point has a component colour (points coloured by species or by
   hard assignment; a scatter coloured by responsibilities, with blends, is left out: in a
   poor fit the points a component is sure of are not centred on its mean).
3. *Which species is it?* The species whose mean (in the columns shown, same unit) is
   nearest to the centre.

Each record is a dict: source (the start of the cell that was running), draw (one number
per axes drawn), colour (index into COLORS), species (the nearest, 0-2), kind, centre,
columns, scale, title.
"""

import itertools
import json

import numpy as np

RECORDS = []
STATE = {"draw": 0, "busy": False, "source": ""}
TOLERANCE = 1.5 / 255  # a responsibility of about 1 gives about the component's colour
SCALES = (1.0, 10.0)  # cm, or mm
_IRIS = {}


def _iris():
    if not _IRIS:
        from sklearn.datasets import load_iris

        data = load_iris()
        _IRIS["X"], _IRIS["y"] = np.asarray(data.data, float), np.asarray(data.target)
    return _IRIS["X"], _IRIS["y"]


def _palette():
    from matplotlib.colors import to_rgb

    from gmmlab.plotting import COLORS

    return np.array([to_rgb(c) for c in COLORS])


def _colour_index(rgba, palette):
    """Index of the palette colour ``rgba`` is (within TOLERANCE), or None."""
    rgba = np.asarray(rgba, float).ravel()
    if rgba.size < 3 or (rgba.size == 4 and rgba[3] == 0):
        return None
    distance = np.abs(palette - rgba[:3]).max(axis=1)
    k = int(np.argmin(distance))
    return k if distance[k] <= TOLERANCE else None


def _rows(points):
    return {tuple(row) for row in np.round(np.asarray(points, float), 6)}


def iris_view(ax):
    """(columns, scale) of the Iris data the axes shows, or None."""
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Rectangle

    X, _ = _iris()
    for collection in ax.collections:
        if not isinstance(collection, PathCollection):
            continue
        offsets = np.asarray(collection.get_offsets(), float)
        if offsets.ndim != 2 or offsets.shape[1] != 2 or len(offsets) < 10:
            continue
        points = np.round(offsets, 6)
        for columns in itertools.permutations(range(4), 2):
            for scale in SCALES:
                known = _rows(scale * X[:, columns])
                if all(tuple(p) in known for p in points):
                    return columns, scale
    bars = [p for p in ax.patches if type(p) is Rectangle and p.get_width() > 0]
    if len(bars) >= 3:
        bars.sort(key=lambda p: p.get_x())
        lefts = np.array([p.get_x() for p in bars])
        widths = np.array([p.get_width() for p in bars])
        heights = np.array([p.get_height() for p in bars])
        edges = np.append(lefts, lefts[-1] + widths[-1])
        if np.all(np.diff(edges) > 0) and np.allclose(lefts[1:], (lefts + widths)[:-1]):
            area = heights * widths
            if area.sum() > 0:
                shares = area / area.sum()
                for column in range(4):
                    for scale in SCALES:
                        counts, _ = np.histogram(scale * X[:, column], bins=edges)
                        if counts.sum() == len(X) and np.allclose(
                            counts / counts.sum(), shares, atol=1e-6
                        ):
                            return (column,), scale
    return None


def species_means(columns, scale):
    """The three species' means in the given columns, (3, len(columns))."""
    X, y = _iris()
    return np.array([scale * X[y == s][:, list(columns)].mean(axis=0) for s in range(3)])


def _centres(ax, dims, palette):
    """(colour, kind, centre) of every component-coloured artist of the axes."""
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Ellipse

    found = []
    for patch in ax.patches:
        if dims == 2 and isinstance(patch, Ellipse) and patch.get_visible():
            k = _colour_index(patch.get_edgecolor(), palette)
            k = _colour_index(patch.get_facecolor(), palette) if k is None else k
            if k is not None:
                found.append((k, "ellipse", np.asarray(patch.center, float)))
    for line in ax.lines:
        if not line.get_visible():
            continue
        k = _colour_index(to_rgba(line.get_color()), palette)
        if k is None:
            continue
        x = np.asarray(line.get_xdata(), float)
        y = np.asarray(line.get_ydata(), float)
        if x.size == 0 or x.shape != y.shape:
            continue
        if dims == 2 and x.size == 1:
            found.append((k, "mean marker", np.array([x[0], y[0]])))
        elif dims == 1 and x.size == 2 and x[0] == x[1]:
            found.append((k, "vertical line", np.array([x[0]])))
        elif dims == 1 and x.size >= 10 and np.all(np.diff(x) > 0) and np.ptp(y) > 0:
            found.append((k, "curve", np.array([x[int(np.argmax(y))]])))
    if dims == 2:
        for collection in ax.collections:
            if not isinstance(collection, PathCollection) or not collection.get_visible():
                continue
            offsets = np.asarray(collection.get_offsets(), float)
            colours = np.asarray(collection.get_facecolors(), float)
            if offsets.ndim != 2 or offsets.shape[1] != 2 or len(colours) == 0:
                continue
            if len(colours) == 1:
                colours = np.repeat(colours, len(offsets), axis=0)
            if len(colours) != len(offsets):
                continue
            index = [_colour_index(c, palette) for c in colours]
            if None in index:  # blends (responsibilities), or not component colours at all
                continue
            index = np.array(index)
            for k in sorted(set(index.tolist())):
                mine = offsets[index == k]
                kind = "mean marker" if len(offsets) <= 10 else "points"
                if kind == "points" and len(mine) < 3:
                    continue
                found.append((k, kind, mine.mean(axis=0)))
    return found


def components_in(figure):
    """Records of every component drawn over Iris data in ``figure`` (see the module)."""
    palette = _palette()
    records = []
    for ax in figure.get_axes():
        view = iris_view(ax)
        if view is None:
            continue
        STATE["draw"] += 1
        columns, scale = view
        means = species_means(columns, scale)
        for colour, kind, centre in _centres(ax, len(columns), palette):
            distances = np.linalg.norm(means - centre, axis=1)
            records.append(
                {
                    "draw": STATE["draw"],
                    "colour": colour,
                    "species": int(np.argmin(distances)),
                    "kind": kind,
                    "centre": [round(float(c), 4) for c in centre],
                    "columns": list(columns),
                    "scale": scale,
                    "title": ax.get_title(),
                    "source": STATE.get("source", ""),
                }
            )
    return records


def install():
    """Record at every figure draw, and which cell is running (inside the kernel)."""
    from matplotlib.figure import Figure

    original = Figure.draw

    def draw(self, renderer):
        result = original(self, renderer)
        if not STATE["busy"]:
            STATE["busy"] = True
            try:
                RECORDS.extend(components_in(self))
            except Exception as error:  # noqa: BLE001 - the probe must never break a lesson
                RECORDS.append({"source": STATE["source"], "probe_error": repr(error)})
            finally:
                STATE["busy"] = False
        return result

    Figure.draw = draw

    def count(info=None):
        STATE["source"] = getattr(info, "raw_cell", "")[:200]

    get_ipython().events.register("pre_run_cell", count)  # noqa: F821 - in the kernel


def dump():
    """The records, once each, as one line of JSON (inside the kernel)."""
    seen, unique = set(), []
    for record in RECORDS:
        key = json.dumps(record, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(record)
    return json.dumps(unique)
