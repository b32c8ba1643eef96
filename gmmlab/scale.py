r"""EM at scale: a mixture fitted to a dask array, one reduction per iteration.

``gmmlab.fit``, ``gmmlab.initialize`` and ``gmmlab.expected_statistics`` accept a 2-D
``dask.array.Array`` chunked along rows, wherever its blocks live: in this process, or
on the workers of a ``dask.distributed`` cluster; so do ``gmmlab.log_likelihood``,
``gmmlab.bic`` and ``gmmlab.aic``, whose answer is one number. This module is what they
call; it needs the optional extra ``scale`` (``pip install "gmmlab[scale]"``, which
installs ``dask[array]`` and ``distributed``) and is only imported when a dask array is
passed, so ``import gmmlab`` never imports dask.

Every other function needs its arrays' values in memory (an E-step returns a row per
point), and refuses a dask array with a ``TypeError`` that names the argument and says
what works instead, rather than gathering all of its blocks into this process.

How one EM iteration runs
-------------------------
The M-step needs only :math:`N_k`, :math:`\sum_i \gamma_{ik} x_i` and
:math:`\sum_i \gamma_{ik} x_i x_i^\top` (:mod:`gmmlab.statistics`), and these add up over
blocks. So each iteration is a single map-reduce:

1. *map*: every block, where it lives, runs its E-step under the current parameters and
   reduces it at once to its sufficient statistics (:math:`K + KD + KD^2` numbers) and
   its log-likelihood. Its (K, n) responsibilities never leave the worker, and are
   freed as soon as they are reduced;
2. *reduce*: the blocks' statistics are added pairwise, in a tree (the law of total
   covariance, see :class:`~gmmlab.SufficientStatistics`);
3. the M-step turns the total into the next parameters, here, in a few microseconds.

Only the parameters travel to the workers and only the statistics come back. X is
persisted once (``X.persist()``: its blocks stay in the workers' memory) and checked
in one pass (finite, within gmmlab's range). This is also what Spark MLlib's
``GaussianMixture`` distributes.

The start
---------
A string ``init`` ("kmeans++", "kmeans", "random") is computed on rows gathered once:
all of X when it has at most ``gmmlab.em.INIT_SAMPLE_SIZE`` (1,000,000) rows, else a
uniform random sample of that many, drawn with ``seed``. An in-memory X is treated the
same way, so the same seed gives the same start, and the same fit, in memory and on a
cluster.
"""

from __future__ import annotations

import math

import numpy as np

from . import _kernels
from ._validation import MAX_MAGNITUDE, ensure_magnitude
from .statistics import SufficientStatistics


def check_dask_X(X, name="X", to_fit=True):
    """Check a dask array to fit (or score) and persist it; return the persisted array.

    Parameters
    ----------
    X : dask.array.Array
        2-D (n_samples, n_features), real, chunked along rows only (one block of
        columns), with known chunk sizes, non-empty, finite, and, to fit, within
        gmmlab's range (|X| <= 1e150). One pass over the persisted blocks checks the
        last two.
    name : str, default "X"
        How the caller calls it, for the messages.
    to_fit : bool, default True
        Check the range EM fits (as :func:`gmmlab.fit` does); False for a function that
        only evaluates the mixture at the points (as :func:`gmmlab.log_likelihood`).

    Returns
    -------
    dask.array.Array
        ``X.persist()``: its blocks stay in memory (on the workers) for every iteration.

    Raises
    ------
    TypeError
        If X does not hold real numbers.
    ValueError
        If X breaks any other of the conditions above (the message says which).
    """
    import dask
    import dask.array as da

    if X.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D dask array (n_samples, n_features), got {X.ndim} dimensions"
        )
    if not (np.issubdtype(X.dtype, np.number) or X.dtype == bool) or np.issubdtype(
        X.dtype, np.complexfloating
    ):
        raise TypeError(f"{name} must hold real numbers, got a dask array of dtype {X.dtype}")
    if any(np.isnan(size) for sizes in X.chunks for size in sizes):
        raise ValueError(
            f"{name} has unknown chunk sizes; call {name}.compute_chunk_sizes() first"
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(
            f"{name} must hold at least one sample and one feature, got shape {X.shape}"
        )
    if X.numblocks[1] != 1:
        raise ValueError(
            f"{name} must be chunked along rows only, but its {X.shape[1]} columns are split "
            f"into {X.numblocks[1]} blocks: use {name}.rechunk({{1: -1}})"
        )
    X = X.persist()
    all_finite, largest = dask.compute(da.isfinite(X).all(), abs(X).max() if to_fit else 0.0)
    if not all_finite:
        row = int(da.argmax((~da.isfinite(X)).any(axis=1)).compute())  # the first bad row
        column = int(np.flatnonzero(~np.isfinite(X[row].compute()))[0])
        where = (row, column)
        raise ValueError(
            f"{name} contains NaN or infinite values (first at index {where}); remove or "
            "impute them before fitting"
        )
    if to_fit and largest > MAX_MAGNITUDE:
        ensure_magnitude(float(largest), name)
    return X


def gather_rows(X, rows):
    """The chosen rows of X (a slice or sorted indices) as an in-memory float array."""
    return np.asarray(X[rows].compute(), dtype=float)


def dask_expected_statistics(X, params):
    """One E-step over the blocks of a checked dask X, reduced to its statistics.

    Returns (SufficientStatistics, log-likelihood), as
    :func:`gmmlab.expected_statistics` does for an in-memory X.
    """
    import dask
    from dask import delayed

    statistics, add = delayed(_kernels.block_statistics), delayed(_kernels.add_blocks)
    parts = [statistics(block, params) for block in X.to_delayed().ravel()]
    while len(parts) > 1:  # add pairwise: a tree of depth log2(number of blocks)
        pairs = [add(parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
        parts = pairs + parts[2 * len(pairs) :]
    ((arrays, log_likelihood),) = dask.compute(parts[0])
    return SufficientStatistics(*arrays), log_likelihood


def dask_log_likelihood(X, params):
    r""":math:`\ell(\theta) = \sum_i \log p(x_i)` of a checked dask X, block by block.

    Each block, where it lives, reduces its points to one number, the sum of its
    :math:`\log p(x_i)`; only these numbers come back, and they are added here in block
    order (the same total whatever the scheduler's timing). A point beyond the
    floating-point range of every component is named as :func:`gmmlab.log_likelihood`
    names it, with its row in all of X (only its block is gathered, to find it).
    """
    import dask
    from dask import delayed

    blocks = X.to_delayed().ravel()
    block_sum = delayed(_kernels.block_log_likelihood)
    sums = dask.compute(*[block_sum(block, params) for block in blocks])
    total = math.fsum(sums) if all(math.isfinite(s) for s in sums) else -math.inf
    if math.isfinite(total):
        return total
    first = next(i for i, s in enumerate(sums) if not math.isfinite(s))
    offset = int(sum(X.chunks[0][:first]))
    block = np.asarray(blocks[first].compute(), dtype=float)
    log_px = _kernels.log_mixture_pdf(block, params)
    _kernels.refuse_beyond_range(block, params, log_px, "the log-likelihood", offset)
