"""Online EM on a stream of 10,000,000 points: one pass against batch EM, same machine, same run.

A report, not a test: it prints measured figures next to their targets and never fails on a
slow run. The stream: N points in 2-D from K = 3 overlapping ellipsoids (lesson 13's
mixture), drawn chunk by chunk by a generator (``gmmlab.online.sample_stream``), never all
in memory during the online fit. In order, in this one invocation:

1. **The stream alone**: the time to draw it, so that the fit's share can be told apart.
2. **Online EM**: ``gmmlab.fit_online`` over the generator, one pass; its time (drawing
   included) and the peak memory NumPy allocates meanwhile (``tracemalloc``, a second pass).
3. **Batch EM in memory**: the same points drawn again into one array. ``gmmlab.fit`` with its
   default chunks to convergence (``tol=1e-6``): the reference per-point log-likelihood, the
   number of passes it took, and how many passes it needed to reach the online pass's
   per-point log-likelihood. Then the time per pass of ``gmmlab.fit`` with one chunk of all
   the rows (``chunk_size=N``), and of scikit-learn's ``GaussianMixture`` (batch: it has no
   online mixture), both from the same start, a few iterations each.

    python benchmarks/bench_online.py              # N = 10,000,000 (a few minutes)
    python benchmarks/bench_online.py --n 1000000  # a quick run
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
import warnings

import numpy as np

TARGET_GAP_PERCENT = 0.1

TRUTH_ARGS = (
    [0.5, 0.3, 0.2],
    [[0.0, 0.0], [3.0, 1.0], [1.0, 3.5]],
    [[[1.5, 0.7], [0.7, 1.0]], [[0.6, -0.3], [-0.3, 1.2]], [[1.0, 0.0], [0.0, 0.3]]],
)


def seconds(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="points in the stream")
    parser.add_argument("--rows", type=int, default=100_000, help="points per chunk")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--iterations", type=int, default=3, help="timed batch iterations")
    args = parser.parse_args(argv)

    import gmmlab
    from gmmlab.online import fit_online, sample_stream

    truth = gmmlab.MixtureParams(*TRUTH_ARGS)
    n, rows = args.n, args.rows

    def stream():
        return sample_stream(truth, n, rows, seed=args.seed)

    print(f"online EM benchmark: N = {n:,} x 2, K = 3, chunks of {rows:,} rows")
    print(f"load average at the start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")

    fit_online(sample_stream(truth, 4000, 1000, seed=1), 3, seed=0)  # imports, caches
    draw_seconds, _ = seconds(lambda: sum(len(chunk) for chunk in stream()))
    online_seconds, online = seconds(lambda: fit_online(stream(), 3, seed=0))
    tracemalloc.start()
    fit_online(stream(), 3, seed=0)
    online_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    chunk_mb = rows * 2 * 8 / 1e6
    print(f"1. drawing the stream alone: {draw_seconds:.2f} s")
    print(
        f"2. online EM, one pass from the generator: {online_seconds:.2f} s "
        f"({online_seconds - draw_seconds:.2f} s beyond drawing); peak NumPy memory "
        f"{online_peak / 1e6:.1f} MB = {online_peak / 1e6 / chunk_mb:.1f} chunks of "
        f"{chunk_mb:.1f} MB (the data: {n * 16 / 1e6:.0f} MB)"
    )

    X = np.concatenate(list(stream()))
    online_per_point = gmmlab.log_likelihood(X, online.params) / n
    batch_seconds, batch = seconds(lambda: gmmlab.fit(X, 3, seed=0))
    batch_per_point = batch.log_likelihoods[-1] / n
    gap = 100 * (batch_per_point - online_per_point) / abs(batch_per_point)
    passes = batch.n_iter + 1
    per_pass = batch_seconds / passes
    reached = np.flatnonzero(batch.log_likelihoods / n >= online_per_point)
    reach = f"{reached[0] + 1} passes" if reached.size else f"not within its {passes} passes"
    print(
        f"3. per-point ℓ: online {online_per_point:.6f} (running estimate "
        f"{online.mean_log_likelihoods[-1]:.6f}), batch EM {batch_per_point:.6f}: online is "
        f"{gap:.4f} % lower (target: within {TARGET_GAP_PERCENT} %): "
        f"{'met' if abs(gap) < TARGET_GAP_PERCENT else 'MISSED'}"
    )
    print(
        f"   gmmlab.fit, default chunks, to convergence: {batch_seconds:.2f} s in {passes} "
        f"passes ({per_pass:.3f} s per pass, initialisation included); it reached online's "
        f"per-point ℓ after {reach}"
    )

    start = batch.history[0]
    iterations = args.iterations
    one_chunk_seconds, _ = seconds(
        lambda: gmmlab.fit(X, 3, init=start, max_iter=iterations, tol=0, chunk_size=n)
    )
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture

    gm = GaussianMixture(3, max_iter=iterations, tol=0, **start.to_sklearn_init())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sklearn_seconds, _ = seconds(lambda: gm.fit(X))
    one_chunk_pass = one_chunk_seconds / (iterations + 1)
    sklearn_pass = sklearn_seconds / (iterations + 1)  # its iterations plus a final E-step
    online_fit = online_seconds - draw_seconds
    print(
        f"   per pass: gmmlab.fit chunked {per_pass:.3f} s, one chunk {one_chunk_pass:.3f} s, "
        f"scikit-learn {sklearn_pass:.3f} s ({iterations} iterations each from the same start)"
    )
    print("ratios (time of the other / time of online EM's pass, drawing excluded):")
    print(f"   gmmlab.fit chunked, to convergence:  {batch_seconds / online_fit:.1f}x")
    if reached.size:
        to_reach = per_pass * (reached[0] + 1)
        print(f"   gmmlab.fit chunked, to online's ℓ:   {to_reach / online_fit:.1f}x")
    print(f"   gmmlab.fit one chunk, per pass:      {one_chunk_pass / online_fit:.2f}x")
    print(f"   scikit-learn, per pass:              {sklearn_pass / online_fit:.2f}x")
    print(
        f"   scikit-learn, {passes} passes (batch EM's count): "
        f"{sklearn_pass * passes / online_fit:.1f}x"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
