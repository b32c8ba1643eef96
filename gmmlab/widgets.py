"""The interactive explorers of the lessons: sliders over a figure.

Each explorer draws its figure once, then, whenever a slider moves, updates
the data of the artists that change and redraws only those (the axes, ticks
and labels are kept as a bitmap, "blitting"), so that a move costs a few
milliseconds of drawing. Nothing is ever refitted in a callback: explorers
over EM iterations index into the history recorded by :func:`gmmlab.fit`.

In a notebook, show the static picture of the default state first (it is
what GitHub and nbviewer display), then the live explorer::

    explorer = EMIterationExplorer(X, result)
    explorer.snapshot()      # a PNG of the default state
    explorer                 # the sliders and the live figure

One explorer per kind of interaction:

=============================  ===============================================
:class:`SamplingExplorer`      a component's weight, spread and orientation
:class:`MembershipExplorer`    a probe point's K-Means label vs its memberships
:class:`FitExplorer1D`         1-D fits: K and the EM iteration
:class:`EMIterationExplorer`   2-D fits: the EM iteration (or half-step)
:class:`LikelihoodExplorer`    one parameter against the log-likelihood
:class:`ModelSelectionExplorer`  K against BIC and AIC
=============================  ===============================================
"""

from __future__ import annotations

import contextlib
import html
import io
from collections.abc import Mapping

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.image import imsave

from ._validation import check_int, check_params, check_X
from .em import EMResult, e_step, log_likelihood, mixture_pdf, weighted_densities
from .params import MixtureParams
from .plotting import (
    component_color,
    covariance_ellipse,
    default_grid_1d,
    plot_log_likelihood,
    responsibility_colors,
    update_ellipse,
)
from .selection import aic, bic

#: Resolution of the explorers' figures (pixels per inch).
DPI = 80


class Explorer:
    """A figure and the sliders that change it; the base of every explorer.

    Subclasses create their artists in ``__init__``, register the ones that
    change with :meth:`_dynamic`, put their sliders in ``self.controls``,
    implement :meth:`update`, and call :meth:`_finish`.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The figure (not managed by pyplot: it never shows up on its own).
    controls : dict of str to ipywidgets.Widget
        The sliders, by name; setting ``controls[name].value`` redraws.
    readout : ipywidgets.HTML
        The numbers the current state shows, under the figure.
    image : ipywidgets.Image
        The rendered figure.
    widget : ipywidgets.VBox
        Everything together, what a notebook displays.
    """

    def __init__(self, figsize, n_axes=1, width_ratios=None):
        self.figure = Figure(figsize=figsize, dpi=DPI, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.axes = list(
            self.figure.subplots(1, n_axes, width_ratios=width_ratios, squeeze=False)[0]
        )
        self.controls = {}
        self._dynamic_artists = []
        self._background = None
        self._holding = False

    # -- for subclasses ----------------------------------------------------

    def _dynamic(self, *artists):
        """Mark artists as changing: they are redrawn on every update."""
        for artist in artists:
            artist.set_animated(True)
            self._dynamic_artists.append(artist)
        return artists[0] if len(artists) == 1 else artists

    def _dynamic_ellipses(self, ax, params, linewidth):
        """One dynamic 2-std ellipse per component of ``params``, in the component's colour.

        ``linewidth`` is one width for all, or one per component.
        """
        widths = np.broadcast_to(linewidth, (params.n_components,))
        return [
            self._dynamic(
                ax.add_patch(
                    covariance_ellipse(
                        params.means[k],
                        params.covariances[k],
                        2.0,
                        edgecolor=component_color(k),
                        linewidth=float(widths[k]),
                    )
                )
            )
            for k in range(params.n_components)
        ]

    def update(self):
        """Bring the dynamic artists and the readout in line with the controls."""
        raise NotImplementedError

    def _finish(self):
        # shown at its own size (a VBox would stretch it to the sliders' width and blur it)
        self.image = ipywidgets.Image(
            format="png", layout=ipywidgets.Layout(align_self="flex-start", max_width="100%")
        )
        self.readout = ipywidgets.HTML()
        for control in self.controls.values():
            control.style.description_width = "initial"
            control.observe(self._on_change, names="value")
        self.widget = ipywidgets.VBox(
            [ipywidgets.HBox(list(self.controls.values())), self.image, self.readout]
        )
        self._refresh()

    @contextlib.contextmanager
    def _hold(self):
        """Change several controls at once with a single redraw at the end."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def _set_readout(self, lines):
        self.readout.value = "<br>".join(
            f"<span style='font-family: monospace'>{html.escape(line)}</span>" for line in lines
        )

    # -- drawing -----------------------------------------------------------

    def _on_change(self, change):
        if not self._holding:
            self._refresh()

    def _refresh(self):
        self.update()
        self.image.value = self.png(compress_level=1)

    def _draw(self):
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

    def png(self, compress_level=6):
        """The current figure as PNG bytes."""
        buffer = io.BytesIO()
        imsave(buffer, self._draw(), format="png", pil_kwargs={"compress_level": compress_level})
        return buffer.getvalue()

    def snapshot(self):
        """A static picture of the current state, to display above the live explorer."""
        from IPython.display import Image

        return Image(data=self.png())

    def set(self, **values):
        """Set several controls (by name) and redraw once."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(
                f"unknown control(s) {sorted(unknown)}; this explorer has {sorted(self.controls)}"
            )
        with self._hold():
            for name, value in values.items():
                self.controls[name].value = value
        self._refresh()
        return self

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        names = ", ".join(self.controls)
        bundle["text/plain"] = (
            f"{type(self).__name__} with sliders: {names} "
            "(run the notebook to use them; the picture above shows the starting state)"
        )
        return bundle


# -- lesson 1: a mixture as a generative model -----------------------------


class SamplingExplorer(Explorer):
    """Change one component's weight, spread and orientation; see a new sample.

    The sample is redrawn with the same seed, so that the points move with
    the parameters instead of jumping around.

    Parameters
    ----------
    params : MixtureParams
        A 2-D mixture; the sliders start at its values.
    n_samples : int, default 500
    component : int, default 0
        The component the sliders change.
    seed : int, default 0
    feature_names : pair of str, optional
    """

    def __init__(self, params, n_samples=500, component=0, seed=0, feature_names=None):
        super().__init__(figsize=(6.5, 5.2))
        self.base = check_params(params, n_features=2)
        self.component = check_int(component, "component", 0, self.base.n_components - 1)
        self.n_samples = check_int(n_samples, "n_samples", minimum=1)
        self.seed = seed
        eigenvalues, eigenvectors = np.linalg.eigh(self.base.covariances[self.component])
        self._axis_variances = eigenvalues[::-1]  # major first
        major = eigenvectors[:, 1]
        start_angle = int(round(np.degrees(np.arctan2(major[1], major[0])))) % 180

        (ax,) = self.axes
        X, _ = self.base.sample(self.n_samples, seed=seed)
        margin = 0.25 * np.ptp(X, axis=0)
        ax.set_xlim(X[:, 0].min() - margin[0], X[:, 0].max() + margin[0])
        ax.set_ylim(X[:, 1].min() - margin[1], X[:, 1].max() + margin[1])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel(feature_names[0] if feature_names else "$x_1$")
        ax.set_ylabel(feature_names[1] if feature_names else "$x_2$")
        ax.set_title(f"sliders change component {self.component}", fontsize=10)
        self.points = self._dynamic(ax.scatter(X[:, 0], X[:, 1], s=14, linewidths=0))
        widths = [3.0 if k == self.component else 1.5 for k in range(self.base.n_components)]
        self.ellipses = self._dynamic_ellipses(ax, self.base, widths)
        self.controls = {
            "weight": ipywidgets.FloatSlider(
                value=float(self.base.weights[self.component]),
                min=0.05,
                max=0.9,
                step=0.01,
                description=f"weight π_{self.component}",
            ),
            "spread": ipywidgets.FloatSlider(
                value=1.0,
                min=0.3,
                max=2.5,
                step=0.05,
                description="spread ×",
            ),
            "orientation": ipywidgets.IntSlider(
                value=start_angle,
                min=0,
                max=179,
                step=1,
                description="orientation (°)",
            ),
        }
        self._finish()

    def current_params(self):
        """The mixture the sliders describe."""
        c = self.component
        weight = self.controls["weight"].value
        weights = self.base.weights * (1.0 - weight) / (1.0 - self.base.weights[c])
        weights[c] = weight
        angle = np.radians(self.controls["orientation"].value)
        rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        spread = self.controls["spread"].value
        covariances = self.base.covariances.copy()
        covariances[c] = (rotation * (self._axis_variances * spread**2)) @ rotation.T
        return MixtureParams(weights, self.base.means, covariances)

    def update(self):
        params = self.current_params()
        X, labels = params.sample(self.n_samples, seed=self.seed)
        self.points.set_offsets(X)
        self.points.set_facecolors([to_rgba(component_color(k)) for k in labels])
        for k, ellipse in enumerate(self.ellipses):
            update_ellipse(ellipse, params.means[k], params.covariances[k], 2.0)
        counts = np.bincount(labels, minlength=params.n_components)
        sds = np.sqrt(self._axis_variances) * self.controls["spread"].value
        self._set_readout(
            [
                "weights π = (" + ", ".join(f"{w:.2f}" for w in params.weights) + ")",
                "points drawn per component: " + ", ".join(str(n) for n in counts),
                f"component {self.component}: standard deviations along its axes "
                f"{sds[0]:.2f} and {sds[1]:.2f}, major axis at "
                f"{self.controls['orientation'].value}°",
            ]
        )


# -- lesson 2: hard versus soft --------------------------------------------


class MembershipExplorer(Explorer):
    """Move a probe point: K-Means gives it one label, the GMM a probability each.

    Parameters
    ----------
    X : array-like of shape (N, 2)
        The data, drawn in grey.
    params : MixtureParams
        A fitted 2-D mixture (its ellipses are drawn).
    centres : array-like of shape (K, 2)
        K-Means centres, numbered like the components of ``params``.
    probe : pair of float, optional
        Where the probe starts (default: the middle of the data).
    feature_names : pair of str, optional
    """

    def __init__(self, X, params, centres, probe=None, feature_names=None):
        super().__init__(figsize=(10, 4.2), n_axes=2, width_ratios=(1.5, 1))
        self.X = check_X(X)
        self.params = check_params(params, n_features=2)
        self.centres = np.asarray(centres, dtype=float)
        K = self.params.n_components
        if self.centres.shape != (K, 2):
            raise ValueError(f"centres must have shape ({K}, 2), got {self.centres.shape}")
        low, high = self.X.min(axis=0), self.X.max(axis=0)
        if probe is None:
            probe = (low + high) / 2
        scatter_ax, bars_ax = self.axes

        scatter_ax.scatter(self.X[:, 0], self.X[:, 1], s=12, c="0.7", linewidths=0)
        for k in range(K):
            color = component_color(k)
            scatter_ax.add_patch(
                covariance_ellipse(
                    self.params.means[k],
                    self.params.covariances[k],
                    2.0,
                    edgecolor=color,
                    linewidth=2,
                )
            )
            scatter_ax.plot(
                *self.centres[k], marker="P", markersize=11, color=color, markeredgecolor="black"
            )
        scatter_ax.set_xlim(low[0] - 0.1 * (high - low)[0], high[0] + 0.1 * (high - low)[0])
        scatter_ax.set_ylim(low[1] - 0.1 * (high - low)[1], high[1] + 0.1 * (high - low)[1])
        if feature_names:
            scatter_ax.set_xlabel(feature_names[0])
            scatter_ax.set_ylabel(feature_names[1])
        scatter_ax.set_title("probe ★, K-Means centres ✚, GMM 2-std ellipses", fontsize=10)
        (self.link,) = scatter_ax.plot([], [], color="black", linewidth=1, linestyle=":")
        (self.star,) = scatter_ax.plot(
            [], [], marker="*", markersize=18, color="white", markeredgecolor="black", zorder=5
        )
        self._dynamic(self.link, self.star)

        positions = np.arange(K)
        self.hard_bars = bars_ax.bar(
            positions - 0.2,
            np.zeros(K),
            width=0.38,
            color=[component_color(k) for k in range(K)],
            alpha=0.35,
            hatch="//",
            edgecolor="black",
            label="K-Means (hard)",
        )
        self.soft_bars = bars_ax.bar(
            positions + 0.2,
            np.zeros(K),
            width=0.38,
            color=[component_color(k) for k in range(K)],
            edgecolor="black",
            label=r"GMM $\gamma_k$ (soft)",
        )
        self.values = [
            bars_ax.text(k + 0.2, 0, "", ha="center", va="bottom", fontsize=9) for k in range(K)
        ]
        self._dynamic(*self.hard_bars.patches, *self.soft_bars.patches, *self.values)
        bars_ax.set_ylim(0, 1.15)
        bars_ax.set_xticks(positions, [f"k = {k}" for k in range(K)])
        bars_ax.set_ylabel("membership of the probe")
        bars_ax.legend(loc="upper left", fontsize=8, frameon=False)

        self.controls = {
            name: ipywidgets.FloatSlider(
                value=round(float(probe[d]), 2),
                min=round(float(low[d]), 1),
                max=round(float(high[d]), 1),
                step=0.05,
                description=label,
            )
            for d, (name, label) in enumerate((("x", "probe x"), ("y", "probe y")))
        }
        self._finish()

    def probe(self):
        """The probe point, from the sliders."""
        return np.array([self.controls["x"].value, self.controls["y"].value])

    def update(self):
        probe = self.probe()
        nearest = int(np.argmin(((self.centres - probe) ** 2).sum(axis=1)))
        resp = e_step(probe[np.newaxis], self.params)[0]
        self.star.set_data([probe[0]], [probe[1]])
        self.link.set_data(
            [probe[0], self.centres[nearest, 0]], [probe[1], self.centres[nearest, 1]]
        )
        for k, (hard, soft, text) in enumerate(
            zip(self.hard_bars.patches, self.soft_bars.patches, self.values, strict=True)
        ):
            hard.set_height(1.0 if k == nearest else 0.0)
            soft.set_height(resp[k])
            text.set_y(resp[k] + 0.01)
            text.set_text(f"{resp[k]:.2f}")
        self._set_readout(
            [
                f"probe at ({probe[0]:.2f}, {probe[1]:.2f})",
                f"K-Means: cluster {nearest} (nearest centre), nothing else",
                "GMM responsibilities γ_k: "
                + ", ".join(f"k={k}: {g:.3f}" for k, g in enumerate(resp)),
            ]
        )


# -- lesson 3: 1-D fits over K and iterations ------------------------------


class FitExplorer1D(Explorer):
    """1-D mixtures over a histogram: choose K and step through EM's iterations.

    Components are numbered (and coloured) from left to right by their final
    means, as in :func:`gmmlab.plotting.plot_mixture_1d` after sorting.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1)
        The data.
    results : mapping of int to EMResult
        One :func:`gmmlab.fit` run per number of components K.
    xlabel : str, optional
    bins : int, default 20
    k : int, optional
        The K shown first (default: the smallest key).
    """

    def __init__(self, x, results, xlabel=None, bins=20, k=None):
        super().__init__(figsize=(8, 4.2))
        self.x = check_X(x, "x")
        # components numbered from left to right, so that colours follow position
        self.results = {
            k: result.permute(np.argsort(result.params.means[:, 0]))
            for k, result in _check_results(results, n_features=1).items()
        }
        first_k = min(self.results) if k is None else k
        if first_k not in self.results:
            raise ValueError(f"k must be one of {sorted(self.results)}, got {k}")
        (ax,) = self.axes
        low, high = self.x.min(), self.x.max()
        self.grid = np.linspace(low - 0.15 * (high - low), high + 0.15 * (high - low), 400)
        heights, _, _ = ax.hist(
            self.x[:, 0], bins=bins, density=True, color="0.82", edgecolor="white"
        )
        k_max = max(self.results)
        self.lines = [
            self._dynamic(ax.plot([], [], color=component_color(k), linewidth=2)[0])
            for k in range(k_max)
        ]
        (self.total,) = ax.plot(
            [], [], color="black", linewidth=2.5, linestyle="--", label="mixture $p(x)$"
        )
        self._dynamic(self.total)
        ax.set_xlim(self.grid[0], self.grid[-1])
        ax.set_ylim(0, 1.3 * heights.max())
        ax.set_ylabel("density")
        if xlabel:
            ax.set_xlabel(xlabel)
        ax.legend(loc="upper right", frameon=False)
        self.controls = {
            "k": ipywidgets.IntSlider(
                value=first_k, min=min(self.results), max=k_max, description="components K"
            ),
            "iteration": ipywidgets.IntSlider(
                value=self.results[first_k].n_iter,
                min=0,
                max=self.results[first_k].n_iter,
                description="EM iteration t",
            ),
        }
        self.controls["k"].observe(self._on_k, names="value")
        self._finish()

    def _on_k(self, change):
        """A new K: its iterations, starting at the converged fit."""
        result = self.results[change["new"]]
        with self._hold():
            iteration = self.controls["iteration"]
            iteration.max = max(result.n_iter, 1)
            iteration.value = result.n_iter

    def update(self):
        k = self.controls["k"].value
        result = self.results[k]
        t = min(self.controls["iteration"].value, result.n_iter)
        params = result.history[t]
        terms = weighted_densities(self.grid, params)
        for j, line in enumerate(self.lines):
            line.set_visible(j < k)
            if j < k:
                line.set_data(self.grid, terms[:, j])
        self.total.set_data(self.grid, terms.sum(axis=1))
        lines = [
            f"K = {k}, iteration t = {t} of {result.n_iter}: "
            f"log-likelihood ℓ = {result.log_likelihoods[t]:.2f}"
        ]
        lines += [
            f"  component {j}: π = {params.weights[j]:.3f}, μ = {params.means[j, 0]:.3f}, "
            f"σ² = {params.covariances[j, 0, 0]:.4f}"
            for j in range(k)
        ]
        self._set_readout(lines)


# -- lessons 4, 6, 7: a 2-D fit, iteration by iteration --------------------


class EMIterationExplorer(Explorer):
    """Step through a recorded 2-D EM run: ellipses, responsibilities, ℓ.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    result : EMResult
        A :func:`gmmlab.fit` run on ``X``; nothing is refitted.
    feature_names : pair of str, optional
    half_steps : bool, default False
        Step through E-steps and M-steps separately: step 2t shows
        :math:`\\theta^{(t)}` with the colours of the previous E-step, step
        2t + 1 the E-step that recolours the points under :math:`\\theta^{(t)}`.
    show_log_likelihood : bool, default False
        Add a panel with :math:`\\ell(\\theta^{(t)})` and the current iteration.
    n_std_slider : bool, default True
        Add a slider for the ellipse's size (1, 2 or 3 standard deviations).
    iteration : int, optional
        Where to start (default: the end of the run, or step 0 with half steps).
    """

    def __init__(
        self,
        X,
        result,
        feature_names=None,
        half_steps=False,
        show_log_likelihood=False,
        n_std_slider=True,
        iteration=None,
    ):
        n_axes = 2 if show_log_likelihood else 1
        super().__init__(
            figsize=(10, 4.3) if show_log_likelihood else (6.5, 4.8),
            n_axes=n_axes,
            width_ratios=(1.3, 1) if show_log_likelihood else None,
        )
        self.X = check_X(X)
        if not isinstance(result, EMResult):
            raise TypeError(f"result must be a gmmlab.EMResult, got {type(result).__name__}")
        self.result = result
        check_params(result.params, n_features=2)
        self.half_steps = half_steps
        self.resp = [e_step(self.X, params) for params in result.history]
        ax = self.axes[0]
        self.points = self._dynamic(
            ax.scatter(self.X[:, 0], self.X[:, 1], s=18, edgecolors="white", linewidths=0.4)
        )
        self.ellipses = self._dynamic_ellipses(ax, result.params, 2.2)
        self.means = self._dynamic(
            ax.scatter(
                result.params.means[:, 0],
                result.params.means[:, 1],
                marker="X",
                s=110,
                c="black",
                edgecolors="white",
                zorder=4,
            )
        )
        _fix_limits_2d(ax, self.X, result.history, n_std=3.0 if n_std_slider else 2.0)
        if feature_names:
            ax.set_xlabel(feature_names[0])
            ax.set_ylabel(feature_names[1])
        self.title = self._dynamic(ax.set_title("", fontsize=10))
        if show_log_likelihood:
            ll_ax = self.axes[1]
            plot_log_likelihood(ll_ax, result.log_likelihoods, color="0.3")
            (self.marker,) = ll_ax.plot(
                [], [], marker="o", markersize=11, color="#D55E00", linestyle="none"
            )
            self._dynamic(self.marker)
        else:
            self.marker = None
        n_steps = 2 * result.n_iter + 1 if half_steps else result.n_iter
        if iteration is None:
            iteration = 0 if half_steps else result.n_iter
        self.controls = {
            "step" if half_steps else "iteration": ipywidgets.IntSlider(
                value=iteration,
                min=0,
                max=max(n_steps, 1),
                description="half-step" if half_steps else "EM iteration t",
            ),
        }
        if n_std_slider:
            self.controls["n_std"] = ipywidgets.IntSlider(
                value=2, min=1, max=3, description="ellipse: std. devs"
            )
        self._finish()

    def state(self):
        """(t, colours_from, label): the parameters shown and whose E-step colours the points.

        ``colours_from`` is the index into ``result.history`` of the parameters
        whose responsibilities colour the points, or None for grey points.
        """
        if not self.half_steps:
            t = min(self.controls["iteration"].value, self.result.n_iter)
            return t, t, f"iteration t = {t}: θ^({t}) and its responsibilities"
        step = min(self.controls["step"].value, 2 * self.result.n_iter + 1)
        t = min(step // 2, self.result.n_iter)
        if step == 0:
            return 0, None, "start: θ^(0), no responsibilities yet"
        if step % 2 == 1:
            return (
                t,
                t,
                f"E-step {t + 1}: points recoloured by responsibilities under θ^({t})",
            )
        return t, t - 1, f"M-step {t}: ellipses moved to θ^({t}), colours from the last E-step"

    def update(self):
        t, colours_from, label = self.state()
        params = self.result.history[t]
        n_std = self.controls["n_std"].value if "n_std" in self.controls else 2
        for k, ellipse in enumerate(self.ellipses):
            update_ellipse(ellipse, params.means[k], params.covariances[k], n_std)
        self.means.set_offsets(params.means)
        if colours_from is None:
            self.points.set_facecolors("0.6")
        else:
            self.points.set_facecolors(responsibility_colors(self.resp[colours_from]))
        self.title.set_text(label)
        if self.marker is not None:
            self.marker.set_data([t], [self.result.log_likelihoods[t]])
        lines = [label, f"log-likelihood ℓ(θ^({t})) = {self.result.log_likelihoods[t]:.3f}"]
        if colours_from is not None:
            resp = self.resp[colours_from]
            uncertain = int((resp.max(axis=1) < 0.9).sum())
            lines.append(f"points with no component above γ = 0.9: {uncertain} of {len(resp)}")
        lines.append(f"ellipses enclose {n_std} standard deviation{'s' if n_std > 1 else ''}")
        self._set_readout(lines)


# -- lesson 5: a parameter against the log-likelihood ----------------------


class LikelihoodExplorer(Explorer):
    """Move one mean (or weight) of a 1-D mixture and watch ℓ(θ) respond.

    Parameters
    ----------
    x : array-like of shape (N,) or (N, 1)
    params : MixtureParams
        A 1-D mixture; the slider changes one of its parameters.
    component : int, default 0
    parameter : {"mean", "weight"}, default "mean"
        Which parameter the slider (named after it) moves. For "weight",
        the other weights are rescaled to keep the sum at 1.
    values : array-like, optional
        The slider's range, evenly spaced (default: means across the data's
        range, weights from 0.02 to 0.98).
    xlabel : str, optional
    bins : int, default 20
    """

    def __init__(
        self, x, params, component=0, parameter="mean", values=None, xlabel=None, bins=20
    ):
        super().__init__(figsize=(10, 4), n_axes=2)
        self.x = check_X(x, "x")
        self.base = check_params(params, n_features=1)
        self.component = check_int(component, "component", 0, self.base.n_components - 1)
        if parameter not in ("mean", "weight"):
            raise ValueError(f"parameter must be 'mean' or 'weight', got {parameter!r}")
        self.parameter = parameter
        if values is None:
            values = (
                np.linspace(self.x.min(), self.x.max(), 61)
                if parameter == "mean"
                else np.linspace(0.02, 0.98, 49)
            )
        self.values = np.asarray(values, dtype=float)
        self.curve = np.array([log_likelihood(self.x, self.params_at(v)) for v in self.values])
        density_ax, ll_ax = self.axes
        self.grid = default_grid_1d(self.x[:, 0], self.base)
        heights, _, _ = density_ax.hist(
            self.x[:, 0], bins=bins, density=True, color="0.82", edgecolor="white"
        )
        self.lines = [
            self._dynamic(density_ax.plot([], [], color=component_color(k), linewidth=2)[0])
            for k in range(self.base.n_components)
        ]
        (self.total,) = density_ax.plot([], [], color="black", linewidth=2.5, linestyle="--")
        self._dynamic(self.total)
        density_ax.set_xlim(self.grid[0], self.grid[-1])
        density_ax.set_ylim(0, 1.3 * heights.max())
        density_ax.set_ylabel("density")
        if xlabel:
            density_ax.set_xlabel(xlabel)
        symbol = f"μ_{self.component}" if parameter == "mean" else f"π_{self.component}"
        tex = rf"$\mu_{self.component}$" if parameter == "mean" else rf"$\pi_{self.component}$"
        ll_ax.plot(self.values, self.curve, color="0.3")
        (self.marker,) = ll_ax.plot([], [], marker="o", markersize=11, color="#D55E00")
        self._dynamic(self.marker)
        ll_ax.set_xlabel(tex)
        ll_ax.set_ylabel(r"log-likelihood $\ell(\theta)$")
        ll_ax.margins(y=0.08)
        self.symbol = symbol
        start = (
            self.base.means[self.component, 0]
            if parameter == "mean"
            else self.base.weights[self.component]
        )
        step = float(self.values[1] - self.values[0])
        self.controls = {
            parameter: ipywidgets.FloatSlider(
                value=float(self.values[np.argmin(np.abs(self.values - start))]),
                min=float(self.values[0]),
                max=float(self.values[-1]),
                step=step,
                readout_format=".3f",
                description=symbol,
            )
        }
        self._finish()

    def params_at(self, value):
        """The mixture with the chosen parameter set to ``value``."""
        c = self.component
        if self.parameter == "mean":
            means = self.base.means.copy()
            means[c, 0] = value
            return self.base.replace(means=means)
        weights = self.base.weights * (1.0 - value) / (1.0 - self.base.weights[c])
        weights[c] = value
        return self.base.replace(weights=weights)

    def update(self):
        value = self.controls[self.parameter].value
        params = self.params_at(value)
        terms = weighted_densities(self.grid, params)
        for k, line in enumerate(self.lines):
            line.set_data(self.grid, terms[:, k])
        self.total.set_data(self.grid, terms.sum(axis=1))
        ll = log_likelihood(self.x, params)
        self.marker.set_data([value], [ll])
        with np.errstate(under="ignore"):
            product = float(np.prod(mixture_pdf(self.x, params)))
        self._set_readout(
            [
                f"{self.symbol} = {value:.3f}",
                f"likelihood  ∏ p(x_i) = {product:.4g}",
                f"log-likelihood ℓ(θ) = Σ log p(x_i) = {ll:.3f}",
            ]
        )


# -- lesson 8: choosing K ---------------------------------------------------


class ModelSelectionExplorer(Explorer):
    """Slide over K: the fitted mixture beside its BIC and AIC.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    results : mapping of int to EMResult
        One :func:`gmmlab.fit` run per K.
    feature_names : pair of str, optional
    k : int, optional
        The K shown first (default: the one BIC prefers).
    """

    def __init__(self, X, results, feature_names=None, k=None):
        super().__init__(figsize=(10, 4.2), n_axes=2, width_ratios=(1.2, 1))
        self.X = check_X(X)
        self.results = _check_results(results, n_features=2)
        self.ks = np.array(sorted(self.results))
        self.bic = np.array([bic(self.X, self.results[k].params) for k in self.ks])
        self.aic = np.array([aic(self.X, self.results[k].params) for k in self.ks])
        data_ax, score_ax = self.axes
        k_max = int(self.ks.max())
        self.points = self._dynamic(
            data_ax.scatter(self.X[:, 0], self.X[:, 1], s=16, edgecolors="white", linewidths=0.4)
        )
        # as many ellipses as the largest K has components; update() hides the extra ones
        self.ellipses = self._dynamic_ellipses(data_ax, self.results[k_max].params, 2.0)
        _fix_limits_2d(data_ax, self.X, [r.params for r in self.results.values()])
        if feature_names:
            data_ax.set_xlabel(feature_names[0])
            data_ax.set_ylabel(feature_names[1])
        score_ax.plot(self.ks, self.bic, marker="o", color="#0072B2", label="BIC")
        score_ax.plot(self.ks, self.aic, marker="s", color="#E69F00", label="AIC")
        score_ax.set_xlabel("number of components K")
        score_ax.set_ylabel("criterion (lower is better)")
        score_ax.set_xticks(self.ks)
        score_ax.legend(frameon=False)
        (self.cursor,) = score_ax.plot([], [], color="black", linewidth=1, linestyle=":")
        self._dynamic(self.cursor)
        self._score_limits = score_ax.get_ylim()
        first = int(self.ks[np.argmin(self.bic)]) if k is None else k
        self.controls = {
            "k": ipywidgets.IntSlider(
                value=first, min=int(self.ks.min()), max=k_max, description="components K"
            ),
        }
        self._finish()

    def update(self):
        k = self.controls["k"].value
        if k not in self.results:
            k = int(self.ks[np.argmin(np.abs(self.ks - k))])
        params = self.results[k].params
        for j, ellipse in enumerate(self.ellipses):
            ellipse.set_visible(j < k)
            if j < k:
                update_ellipse(ellipse, params.means[j], params.covariances[j], 2.0)
        self.points.set_facecolors(responsibility_colors(e_step(self.X, params)))
        self.cursor.set_data([k, k], self._score_limits)
        i = int(np.flatnonzero(self.ks == k)[0])
        self._set_readout(
            [
                f"K = {k}: log-likelihood ℓ = {self.results[k].log_likelihoods[-1]:.2f}, "
                f"BIC = {self.bic[i]:.2f}, AIC = {self.aic[i]:.2f}",
                f"lowest BIC at K = {self.ks[np.argmin(self.bic)]}, "
                f"lowest AIC at K = {self.ks[np.argmin(self.aic)]}",
            ]
        )


# -- helpers ---------------------------------------------------------------


def _check_results(results, n_features):
    if not isinstance(results, Mapping) or not results:
        raise TypeError("results must be a non-empty dict mapping K to a gmmlab.EMResult")
    for k, result in results.items():
        if not isinstance(result, EMResult):
            raise TypeError(f"results[{k}] must be a gmmlab.EMResult, got {type(result).__name__}")
        if result.params.n_components != k or result.params.n_features != n_features:
            raise ValueError(
                f"results[{k}] must be a fit with {k} components and {n_features} feature(s), "
                f"got {result.params.n_components} and {result.params.n_features}"
            )
    return dict(results)


def _fix_limits_2d(ax, X, history, n_std=2.0):
    """Axis limits that hold the data and every n_std ellipse of the history."""
    low, high = X.min(axis=0), X.max(axis=0)
    for params in history:
        spread = n_std * np.sqrt(np.diagonal(params.covariances, axis1=1, axis2=2))
        low = np.minimum(low, (params.means - spread).min(axis=0))
        high = np.maximum(high, (params.means + spread).max(axis=0))
    data_low, data_high = X.min(axis=0), X.max(axis=0)
    pad = 0.5 * (data_high - data_low)  # never zoom out more than half the data's span
    low = np.maximum(low, data_low - pad)
    high = np.minimum(high, data_high + pad)
    margin = 0.04 * (high - low)
    ax.set_xlim(low[0] - margin[0], high[0] + margin[0])
    ax.set_ylim(low[1] - margin[1], high[1] + margin[1])


__all__ = [
    "EMIterationExplorer",
    "Explorer",
    "FitExplorer1D",
    "LikelihoodExplorer",
    "MembershipExplorer",
    "ModelSelectionExplorer",
    "SamplingExplorer",
]
