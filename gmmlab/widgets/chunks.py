r"""Lesson 12: the data in m chunks. Each chunk's statistics differ; their sum does not.

The M-step needs only three sums per component, :math:`N_k = \sum_i \gamma_{ik}`,
:math:`\sum_i \gamma_{ik} x_i` and :math:`\sum_i \gamma_{ik} x_i x_i^\top`, and sums add
up over any split of the rows. The explorer splits the rows into m chunks as
``gmmlab.fit(..., chunk_size=...)`` does, shows each chunk's own statistics, and how they
add up to those of all the rows, to the same M-step and to the same fit.
"""

from __future__ import annotations

import functools

import numpy as np

from .._validation import ensure_data, ensure_feature_names, ensure_float, ensure_int
from ..em import EMResult, e_step, fit, m_step
from ..plotting import (
    component_color,
    responsibility_colors,
    update_ellipse,
)
from ..statistics import params_from_statistics, sufficient_statistics
from .base import Explorer, Slider
from .panels import EllipseSet, component_ellipses, fit_axes

#: A chunk's own ellipse of component k is drawn when the chunk holds at least this much of
#: it (N_k of the chunk, in points): below, its mean and covariance describe almost nothing.
MIN_CHUNK_NK = 1.0


def chunk_rows(n_samples, n_chunks):
    r"""The slices of rows that ``gmmlab.fit(..., chunk_size=ceil(N / m))`` processes.

    Parameters
    ----------
    n_samples : int
        N, the number of rows.
    n_chunks : int
        m, at least 1.

    Returns
    -------
    chunk_size : int
        :math:`\lceil N / m \rceil`, the rows per chunk (the last chunk may hold fewer).
    slices : list of slice
        The chunks' rows, in order; there are m of them when :math:`m(m - 1) < N`, and
        fewer otherwise (rounding the rows per chunk up leaves nothing for the last).
    """
    chunk_size = -(-n_samples // n_chunks)
    starts = range(0, n_samples, chunk_size)
    return chunk_size, [slice(start, min(start + chunk_size, n_samples)) for start in starts]


class ChunkedStatisticsExplorer(Explorer):
    r"""Slide the number of chunks m: per-chunk statistics change, their sum never does.

    The E-step under the start :math:`\theta^{(0)}` of ``result`` gives the
    responsibilities :math:`\gamma_{ik}`. The rows of X are split into m chunks of
    :math:`\lceil N/m \rceil` rows, as ``gmmlab.fit(..., chunk_size=...)`` splits them,
    and each chunk j is reduced to its sufficient statistics: :math:`N_{kj}`, its own
    weighted mean :math:`\bar x_{kj}` and spread :math:`S_{kj}`. Left: the points
    (coloured by :math:`\gamma_{ik}`), each chunk's own ellipse of each component
    (dashed, where the chunk holds at least one point's worth of it) and the ellipses of
    the M-step from the chunks' statistics added up (solid). Right: each component's
    :math:`N_k`, stacked from the chunks' :math:`N_{kj}`, against :math:`N_k` of all
    the rows at once. The readout compares the M-step from the summed statistics with
    :func:`gmmlab.m_step` on all rows, and the whole EM run with ``chunk_size`` with
    the run without chunks (every iteration, precomputed here).

    Parameters
    ----------
    X : array-like of shape (N, 2)
        The points ``result`` was fitted to.
    result : EMResult
        A :func:`gmmlab.fit` run on X with 2 features; its start and its number of
        iterations are used.
    max_chunks : int, default 10
        The slider's largest m, from 1 to N; every m up to it must give m chunks of
        :math:`\lceil N/m \rceil` rows (so :math:`m(m-1) < N` for the largest m).
    n_chunks : int, optional
        The m shown first, from 1 to ``max_chunks`` (default: ``min(4, max_chunks)``).
    reg_covar : float, default 1e-6
        The ``reg_covar`` of the M-steps and fits (the one ``result`` was fitted with); >= 0.
    feature_names : pair of str, optional

    Attributes
    ----------
    start : MixtureParams
        :math:`\theta^{(0)}`, ``result.history[0]``.
    resp : ndarray of shape (N, K)
        :math:`\gamma_{ik}` under :math:`\theta^{(0)}`.
    chunk_statistics : dict of int to list of SufficientStatistics
        For each m, the statistics of its m chunks, in row order.
    m_step_difference : dict of int to float
        For each m, the largest absolute difference between the parameters of the
        M-step from the chunks' summed statistics and :func:`gmmlab.m_step` on all rows.
    fit_difference : dict of int to float
        For each m, the largest absolute difference between any :math:`\theta^{(t)}` of
        the run with ``chunk_size`` :math:`\lceil N/m \rceil` and of the run without chunks.
    log_likelihoods : dict of int to float
        For each m, the final :math:`\ell` of its run. These two are filled as they
        are read (``fit_difference[m]`` fits the run for m the first time): a lesson
        shows one or two m.
    """

    figsize, panels, width_ratios = (10, 4.4), 2, (1.35, 1)

    def __init__(
        self, X, result, max_chunks=10, n_chunks=None, reg_covar=1e-6, feature_names=None
    ):
        self.X = ensure_data(X, 2)
        if not isinstance(result, EMResult):
            raise TypeError(
                f"result must be a gmmlab.EMResult (from gmmlab.fit), got {type(result).__name__}"
            )
        if result.params.n_features != 2:
            raise ValueError(
                f"result must be a fit of 2 features, got one of {result.params.n_features}"
            )
        n_samples = len(self.X)
        self.max_chunks = ensure_int(max_chunks, "max_chunks", minimum=1, maximum=n_samples)
        for m in range(1, self.max_chunks + 1):
            if len(chunk_rows(n_samples, m)[1]) != m:
                raise ValueError(
                    f"max_chunks must be at most {m - 1} for N = {n_samples} points: "
                    f"{m} chunks of ceil(N / {m}) = {chunk_rows(n_samples, m)[0]} rows "
                    f"would be only {len(chunk_rows(n_samples, m)[1])}"
                )
        default = min(4, self.max_chunks)
        self.first = ensure_int(
            default if n_chunks is None else n_chunks,
            "n_chunks",
            minimum=1,
            maximum=self.max_chunks,
        )
        self.reg_covar = ensure_float(reg_covar, "reg_covar", minimum=0.0)
        self.feature_names = ensure_feature_names(feature_names, 2)
        self.start = result.history[0]
        self.n_components = self.start.n_components
        self.resp = e_step(self.X, self.start)
        self.whole = m_step(self.X, self.resp, self.reg_covar, self.start.covariance_type)
        self.total_nk = self.resp.sum(axis=0)
        self._precompute(result.n_iter)
        super().__init__()

    def _precompute(self, n_iter):
        n_samples = len(self.X)
        options = {
            "init": self.start,
            "max_iter": n_iter,
            "tol": 0.0,
            "reg_covar": self.reg_covar,
            "covariance_type": self.start.covariance_type,
        }
        reference = fit(self.X, self.n_components, chunk_size=n_samples, **options)
        self.n_iter = reference.n_iter
        self.chunk_statistics, self.m_step_difference, self.chunk_size = {}, {}, {}
        for m in range(1, self.max_chunks + 1):
            self.chunk_size[m], slices = chunk_rows(n_samples, m)
            parts = [sufficient_statistics(self.X[rows], self.resp[rows]) for rows in slices]
            self.chunk_statistics[m] = parts
            merged = params_from_statistics(sum(parts), self.reg_covar, self.start.covariance_type)
            self.m_step_difference[m] = _largest_difference(merged, self.whole)

        # The chunked run for m is fitted the first time m is shown (a lesson shows one or
        # two m, a learner may move through them all): one fit each, kept.
        def chunked_run(m):
            chunked = fit(self.X, self.n_components, chunk_size=self.chunk_size[m], **options)
            difference = max(
                _largest_difference(a, b)
                for a, b in zip(chunked.history, reference.history, strict=True)
            )
            return difference, float(chunked.log_likelihoods[-1])

        run = functools.lru_cache(maxsize=None)(chunked_run)
        self.fit_difference = _OnFirstUse(self.chunk_size, lambda m: run(m)[0])
        self.log_likelihoods = _OnFirstUse(self.chunk_size, lambda m: run(m)[1])

    def subject(self):
        """What the figure shows, in one plain sentence (the start of its alt text)."""
        return (
            f"Left: {self.points_phrase()} coloured by their responsibilities under the "
            f"start's {self.n_components} components, each chunk's own 2-sigma ellipses dashed "
            "and those of the chunks added up solid; right: each component's N_k as bars stacked "
            "chunk by chunk, against N_k of all rows at once (dashed)"
        )

    def sliders(self):
        return {
            "n_chunks": Slider(
                "number of chunks m", 1, self.max_chunks, 1, self.first, symbol="$m$"
            )
        }

    def draw(self, data_ax, count_ax):
        K = self.n_components
        data_ax.scatter(
            self.X[:, 0],
            self.X[:, 1],
            s=16,
            c=responsibility_colors(self.resp),
            edgecolors="white",
            linewidths=0.4,
        )
        component_ellipses(data_ax, self.whole, 2.0, linewidth=2.5)
        self.chunk_ellipses = []
        for _ in range(self.max_chunks):
            ellipses = EllipseSet(self, data_ax, K, linewidth=1.1)
            for ellipse in ellipses:
                ellipse.set_linestyle((0, (3, 2)))
            self.chunk_ellipses.append(ellipses)
        # legend entries in grey: the line styles mean the same for every component's colour
        data_ax.plot([], [], color="0.3", linewidth=2.5, label=r"the chunks added up: $2\sigma$")
        data_ax.plot(
            [],
            [],
            color="0.3",
            linewidth=1.1,
            linestyle=(0, (3, 2)),
            label=r"one chunk's own statistics: $2\sigma$",
        )
        fit_axes(data_ax, self.X, self.whole, feature_names=self.feature_names)
        data_ax.legend(loc="upper left", fontsize=8, frameon=False)

        self.segments = [
            [
                self.dynamic(
                    count_ax.bar(k, 0.0, width=0.6, color=component_color(k), edgecolor="white")[0]
                )
                for k in range(K)
            ]
            for _ in range(self.max_chunks)
        ]
        self.labels = [
            [
                self.dynamic(
                    count_ax.text(k, 0.0, "", ha="center", va="center", fontsize=8, color="white")
                )
                for k in range(K)
            ]
            for _ in range(self.max_chunks)
        ]
        count_ax.hlines(
            self.total_nk,
            np.arange(K) - 0.4,
            np.arange(K) + 0.4,
            colors="black",
            linestyles="--",
            linewidth=1.2,
            label="$N_k$ of all rows at once",
        )
        for k, total in enumerate(self.total_nk):
            count_ax.text(k, total, f"{total:.2f}", ha="center", va="bottom", fontsize=8)
        count_ax.set_xticks(range(K), [f"component {k}" for k in range(K)], fontsize=8)
        count_ax.set_xlim(-0.6, K - 0.4)
        count_ax.set_ylim(0, 1.18 * self.total_nk.max())
        count_ax.set_ylabel(r"$N_k$, stacked from the chunks' $N_{kj}$ (chunk $j$ inside)")
        count_ax.legend(loc="upper left", fontsize=8, frameon=False)

    def caption(self, n_chunks):
        rows = self.chunk_size[n_chunks]
        return (
            f"$m = {n_chunks}$ chunks of up to {rows} rows: dashed, each chunk's own "
            "statistics; solid, their sum"
        )

    def update(self, n_chunks):
        parts = self.chunk_statistics[n_chunks]
        top = self.total_nk.max()
        bottoms = np.zeros(self.n_components)
        for j in range(self.max_chunks):
            for k in range(self.n_components):
                segment, label = self.segments[j][k], self.labels[j][k]
                shown = j < n_chunks
                segment.set_visible(shown)
                label.set_visible(shown)
                ellipse = self.chunk_ellipses[j][k]
                ellipse.set_visible(shown and parts[j].nk[k] >= MIN_CHUNK_NK)
                if not shown:
                    continue
                height = parts[j].nk[k]
                segment.set_y(bottoms[k])
                segment.set_height(height)
                segment.set_alpha(1.0 if j % 2 == 0 else 0.6)
                label.set_position((k, bottoms[k] + height / 2))
                label.set_text(str(j) if height > 0.05 * top else "")
                bottoms[k] += height
                if ellipse.get_visible():
                    cov = parts[j].covariances[k] + max(self.reg_covar, 1e-9) * np.eye(2)
                    update_ellipse(ellipse, parts[j].means[k], cov, 2.0)
        rows = self.chunk_size[n_chunks]
        d = self.X.shape[1]
        numbers = self.n_components * (1 + d + d * d)
        summed = np.round(sum(parts).nk, 2).tolist()
        return [
            f"m = {n_chunks} chunks of up to {rows} rows (chunk_size={rows}); each chunk is "
            f"reduced to K(1 + D + D²) = {numbers} numbers",
            f"N_k summed over the chunks: {summed}; of all {len(self.X)} rows at once: "
            f"{np.round(self.total_nk, 2).tolist()}",
            f"M-step from the summed statistics vs gmmlab.m_step on all rows: largest "
            f"difference {self.m_step_difference[n_chunks]:.1e}",
            f"gmmlab.fit with chunk_size={rows} vs without chunks, {self.n_iter} iterations: "
            f"largest difference in any θ⁽ᵗ⁾ {self.fit_difference[n_chunks]:.1e}, final "
            f"ℓ = {self.log_likelihoods[n_chunks]:.2f}",
        ]


def _largest_difference(a, b):
    """The largest absolute difference between two MixtureParams' weights, means, covariances."""
    return max(
        float(np.abs(getattr(a, name) - getattr(b, name)).max())
        for name in ("weights", "means", "covariances")
    )


__all__ = ["MIN_CHUNK_NK", "ChunkedStatisticsExplorer", "chunk_rows"]


class _OnFirstUse(dict):
    """``{m: value}`` for each m of ``keys``, ``compute(m)`` the first time m is read."""

    def __init__(self, keys, compute):
        super().__init__()
        self.keys_allowed, self.compute = tuple(keys), compute

    def __missing__(self, m):
        if m not in self.keys_allowed:
            raise KeyError(m)
        value = self[m] = self.compute(m)
        return value
