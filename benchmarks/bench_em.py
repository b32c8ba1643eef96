"""EM speed and memory: gmmlab.fit against scikit-learn, side by side.

Both fit the same N x 2 data (K = 3) from the same initial parameters for
the same number of iterations (tol=0), in this one process. Prints seconds
per iteration, their ratio, peak memory, whether the results agree, and the
time of `import gmmlab`. A report, not a test: it never fails on a slow run.

    python benchmarks/bench_em.py [--n-samples 1000000] [--iterations 20]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings

import numpy as np

TARGET_RATIO = 1 / 3  # gmmlab's time per iteration / scikit-learn's
TARGET_IMPORT_SECONDS = 0.3


def make_data(n_samples, seed=0):
    import gmmlab

    truth = gmmlab.MixtureParams(
        weights=[0.5, 0.3, 0.2],
        means=[[0.0, 0.0], [4.0, 1.0], [1.0, 5.0]],
        covariances=[
            [[1.0, 0.4], [0.4, 0.8]],
            [[0.5, -0.2], [-0.2, 1.5]],
            [[2.0, 0.0], [0.0, 0.3]],
        ],
    )
    X, _ = truth.sample(n_samples, seed=seed)
    start = gmmlab.initialize(X[:10_000], 3, method="random", seed=seed)
    return X, start


def run_gmmlab(X, start, iterations):
    import gmmlab

    return gmmlab.fit(X, 3, init=start, max_iter=iterations, tol=0).params


def run_sklearn(X, start, iterations):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture

    import gmmlab

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(3, max_iter=iterations, tol=0, **start.to_sklearn_init()).fit(X)
    return gmmlab.MixtureParams.from_sklearn(gm)


def timed(function, *args):
    begin = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - begin, result


def peak_memory(function, *args):
    """Peak bytes that NumPy allocated while ``function`` ran (tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    function(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def import_seconds(repeats=5):
    code = "import time; t = time.perf_counter(); import gmmlab; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=1_000_000)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    X, start = make_data(args.n_samples)
    run_gmmlab(X[:1000], start, 2)  # warm up imports and caches
    run_sklearn(X[:1000], start, 2)
    seconds = {"gmmlab": [], "scikit-learn": []}
    results = {}
    for _ in range(args.repeats):  # interleaved, so that load affects both alike
        for name, runner in (("gmmlab", run_gmmlab), ("scikit-learn", run_sklearn)):
            elapsed, results[name] = timed(runner, X, start, args.iterations)
            seconds[name].append(elapsed)
    memory = {
        "gmmlab": peak_memory(run_gmmlab, X, start, args.iterations),
        "scikit-learn": peak_memory(run_sklearn, X, start, args.iterations),
    }

    per_iteration = {name: min(runs) / args.iterations for name, runs in seconds.items()}
    ratio = per_iteration["gmmlab"] / per_iteration["scikit-learn"]
    ours, theirs = results["gmmlab"], results["scikit-learn"]
    difference = max(
        np.abs(ours.weights - theirs.weights).max(),
        np.abs(ours.means - theirs.means).max(),
        np.abs(ours.covariances - theirs.covariances).max(),
    )
    data_mb = X.nbytes / 2**20

    print(
        f"EM on N = {args.n_samples:,} points, D = 2, K = 3, {args.iterations} iterations "
        f"from the same start (best of {args.repeats})"
    )
    print(f"{'':14}{'s / iteration':>15}{'total s':>10}{'peak MB':>10}{'peak / data':>13}")
    for name in ("gmmlab", "scikit-learn"):
        peak_mb = memory[name] / 2**20
        print(
            f"{name:14}{per_iteration[name]:15.4f}{min(seconds[name]):10.2f}"
            f"{peak_mb:10.1f}{peak_mb / data_mb:12.1f}x"
        )
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(
        f"time ratio gmmlab / scikit-learn: {ratio:.3f} ({verdict} the target <= "
        f"{TARGET_RATIO:.3f}; scikit-learn is {1 / ratio:.1f}x slower)"
    )
    print(
        f"largest difference in the fitted parameters: {difference:.2e} "
        f"({'equal' if difference < 1e-8 else 'DIFFERENT'} to 1e-8)"
    )
    seconds_import = import_seconds()
    verdict = "meets" if seconds_import <= TARGET_IMPORT_SECONDS else "MISSES"
    print(
        f"import gmmlab: {seconds_import:.3f} s, median of 5 fresh processes "
        f"({verdict} the target <= {TARGET_IMPORT_SECONDS} s)"
    )


if __name__ == "__main__":
    main()
