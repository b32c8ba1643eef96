"""EM speed and memory: gmmlab against scikit-learn, side by side, at every shape.

A report, not a test: it prints measured figures next to their targets and never fails
on a slow run. Three parts, each run in this one invocation so that the figures share the
machine's load:

1. **Speed.** Five shapes (issue 13's table). For each, gmmlab.fit and scikit-learn's
   GaussianMixture start from the same parameters and run the same number of iterations
   (tol=0). The time per iteration is the difference between a long and a one-iteration
   run, divided by the extra iterations, so that the fixed costs of either library
   (checks, initialisation, the final E-step) do not count. The two libraries alternate
   (ABAB) and the median of ``--repeats`` is kept, in wall and in CPU seconds; the table
   is measured once per BLAS thread setting (``--threads 1,default``), each in a fresh
   process, and ``--coretype Haswell`` (or SandyBridge, ...) makes OpenBLAS use another
   processor's kernels, to see how the ratio fares elsewhere. The largest difference
   between the two fitted parameter sets is printed: the two must compute the same
   thing. Beside gmmlab's time stands an estimated floor (:func:`floor_seconds`): the
   bytes an iteration must move and the flops it must do, at this machine's measured
   memory bandwidth and GEMM rate.
2. **Memory** at N = 10,000,000, D = 2, K = 3: the peak memory beyond the data while
   fitting, with and without chunks, each fit in a fresh child process. Two measures:
   NumPy's own allocations (``tracemalloc``: NumPy reports every array buffer to it) and
   the process's resident memory (its high-water mark, reset after the data are made,
   minus the resident size at that moment), which also counts BLAS buffers and Python.
3. **Dask**: the same 10,000,000 points on a ``dask.distributed.LocalCluster`` with two
   single-threaded worker processes, against the in-memory fit, per iteration.

    python benchmarks/bench_em.py                 # everything (a few minutes)
    python benchmarks/bench_em.py --rows 1,5 --skip-memory --skip-dask
    python benchmarks/bench_em.py --skip-memory --skip-dask --threads 1 --coretype SandyBridge
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np

TARGET_IMPORT_SECONDS = 0.3
TARGET_CHUNKED_PEAK_MB = 64
MEMORY_SHAPE = (10_000_000, 2, 3)  # N, D, K


@dataclasses.dataclass
class Row:
    label: str
    n_samples: int
    n_features: int
    n_components: int
    iterations: int  # of the long run; the short run has one
    target: float  # gmmlab's time per iteration / scikit-learn's, at most


ROWS = [
    Row("1,000,000 x 2, K = 3", 1_000_000, 2, 3, 8, 1 / 8),
    Row("200,000 x 10, K = 10", 200_000, 10, 10, 5, 1 / 4),
    Row("100,000 x 50, K = 5", 100_000, 50, 5, 4, 1 / 4),
    Row("20,000 x 2, K = 30", 20_000, 2, 30, 20, 1 / 4),
    Row("digits 1,797 x 41, K = 110", 1797, 41, 110, 8, 1 / 4),
]


# -- data and starts -----------------------------------------------------------


def random_mixture(n_features, n_components, seed):
    """A mixture with spread-out means and random, well-conditioned covariances."""
    import gmmlab

    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.full(n_components, 5.0))
    means = rng.normal(scale=4.0, size=(n_components, n_features))
    covariances = []
    for _ in range(n_components):
        A = rng.normal(size=(n_features, n_features))
        covariances.append((A @ A.T + n_features * np.eye(n_features)) / n_features)
    return gmmlab.MixtureParams(weights, means, np.array(covariances))


def digits_in_pca_space():
    """The Handbook's digits: 64 pixels -> whitened PCA keeping 99% of the variance."""
    from sklearn.datasets import load_digits
    from sklearn.decomposition import PCA

    return PCA(0.99, whiten=True, random_state=0).fit_transform(load_digits().data)


def make_data(row, seed=0):
    """The data of one row and the start both libraries begin from (k-means++)."""
    import gmmlab

    if row.label.startswith("digits"):
        X = digits_in_pca_space()
        assert X.shape == (row.n_samples, row.n_features), X.shape
    else:
        truth = random_mixture(row.n_features, row.n_components, seed)
        X, _ = truth.sample(row.n_samples, seed=seed)
    start = gmmlab.initialize(X, row.n_components, method="kmeans++", seed=seed)
    return X, start


# -- the two libraries ---------------------------------------------------------


def fit_gmmlab(X, start, iterations, **options):
    import gmmlab

    return gmmlab.fit(X, start.n_components, init=start, max_iter=iterations, tol=0, **options)


def fit_sklearn(X, start, iterations):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import GaussianMixture

    import gmmlab

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(
            start.n_components,
            max_iter=iterations,
            tol=0,
            init_params="random_from_data",  # overridden by the start; avoids a k-means run
            **start.to_sklearn_init(),
        ).fit(X)
    return gmmlab.MixtureParams.from_sklearn(gm)


def largest_difference(a, b):
    return max(
        np.abs(a.weights - b.weights).max(),
        np.abs(a.means - b.means).max(),
        np.abs(a.covariances - b.covariances).max(),
    )


def seconds(function, *args, **kwargs):
    begin = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - begin, result


def per_iteration(function, X, start, iterations, repeats):
    """Best-of-repeats seconds per EM iteration, from a long minus a one-iteration run."""
    short, long = [], []
    for _ in range(repeats):
        short.append(seconds(function, X, start, 1)[0])
        elapsed, result = seconds(function, X, start, iterations)
        long.append(elapsed)
    return (min(long) - min(short)) / (iterations - 1), result


def timed(function, *args):
    """(wall seconds, CPU seconds of this process's threads, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def interleaved(functions, X, start, iterations, repeats):
    """Per-iteration (wall, CPU) seconds of each function, measured ABAB.

    Each repeat runs every function once for one iteration and once for ``iterations``
    (a long minus a short run, divided by the extra iterations, leaves out the fixed
    costs), one library after the other, so that a change in the machine's load falls
    on both; the median over ``repeats`` is kept. CPU seconds (``time.process_time``,
    every thread of this process, BLAS's included) depend less on the other processes
    of a shared machine than wall seconds do.
    """
    samples = {name: [] for name in functions}
    results = {}
    for _ in range(repeats):
        for name, function in functions.items():
            short = timed(function, X, start, 1)
            long = timed(function, X, start, iterations)
            results[name] = long[2]
            samples[name].append([(long[i] - short[i]) / (iterations - 1) for i in (0, 1)])
    return {
        name: (
            statistics.median(sample[0] for sample in samples[name]),
            statistics.median(sample[1] for sample in samples[name]),
            results[name],
        )
        for name in functions
    }


@dataclasses.dataclass
class Rates:
    """This machine's rates on one core, and the cores gmmlab's chunk threads use."""

    bandwidth: float  # bytes per second, a large numpy copy
    gemm: float  # flops per second, a numpy matmul
    exp: float  # np.exp values per second
    cores: int


def machine_rates(repeats=3):
    """One core's rates: a large numpy copy, a numpy matmul and np.exp, best of ``repeats``.

    The copy of a 256 MB array reads and writes every byte (2 x 256 MB moved); the
    product of two 1500 x 1500 matrices does 2 n^3 flops; np.exp of 10^6 values in
    [-50, 0]. BLAS runs on one thread here: gmmlab runs its chunks on one thread per core,
    each with BLAS on one thread, so its floor is ``cores`` times one core's rates (an
    upper bound on what two cores sharing one memory bus reach).
    """
    from threadpoolctl import threadpool_limits

    source = np.ones(32 << 20)
    target = np.empty_like(source)
    a = np.random.default_rng(0).random((1500, 1500))
    values = np.random.default_rng(0).uniform(-50.0, 0.0, 1_000_000)
    with threadpool_limits(limits=1, user_api="blas"):
        copy = min(seconds(np.copyto, target, source)[0] for _ in range(repeats))
        product = min(seconds(np.matmul, a, a)[0] for _ in range(repeats))
        exp = min(seconds(np.exp, values)[0] for _ in range(repeats))
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    return Rates(2 * source.nbytes / copy, 2 * 1500**3 / product, values.size / exp, cores)


def floor_work(row):
    """(bytes, flops, exponentials) one EM iteration must at least move, do and take.

    Bytes: X read once, 8 N D (a chunk's responsibilities stay in the cache between its
    E- and M-step, so they need not travel to memory). Flops per point and component:
    the E-step's whitening L_k^-1 (x_i - mu_k), 2 D^2, and its squared norm, 2 D; the
    M-step's weighted mean, 2 D, and the symmetric half of the weighted scatter, D^2
    (+ D). Exponentials: one per point and component (the responsibilities), and one
    logarithm per point, counted as an exponential.
    """
    n, d, k = row.n_samples, row.n_features, row.n_components
    return 8.0 * n * d, n * k * (3.0 * d * d + 5.0 * d), n * (k + 1.0)


def floor_seconds(row, rates):
    """An estimated floor for one EM iteration, at this machine's best rates on its cores:
    max(bytes / bandwidth, flops / GEMM rate + exponentials / np.exp rate). D = 2
    products do not reach the GEMM rate, so the floor is a lower bound."""
    cores = min(rates.cores, len(chunk_slices(row)))
    moved, flops, exponentials = floor_work(row)
    compute = flops / rates.gemm + exponentials / rates.exp
    return max(moved / rates.bandwidth, compute) / cores


def chunk_slices(row):
    from gmmlab import _kernels

    return _kernels.chunks(row.n_samples, None, row.n_features, row.n_components)


def margin_target(row):
    """The ratio to hold on this machine, so that slower processors still meet the target:
    1/5 where the target is 1/4, 1/10 where it is 1/8 (issue 23, item 7)."""
    return {4: 1 / 5, 8: 1 / 10}.get(round(1 / row.target), row.target)


def _load():
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def speed(rows, repeats):
    """The speed table in this process, under its BLAS threads (see :func:`speed_settings`)."""
    from threadpoolctl import threadpool_info

    rates = machine_rates()
    blas = [
        f"{info.get('internal_api')} {info.get('version')} {info.get('architecture')} "
        f"x{info.get('num_threads')}"
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    ]
    setting = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    coretype = os.environ.get("OPENBLAS_CORETYPE", "auto")
    print(
        f"   OPENBLAS_NUM_THREADS={setting}, OPENBLAS_CORETYPE={coretype}: BLAS "
        f"{'; '.join(sorted(set(blas)))}; load {_load()}\n   floor: {rates.cores} cores x "
        f"({rates.bandwidth / 1e9:.1f} GB/s numpy copy, {rates.gemm / 1e9:.1f} GFLOP/s "
        f"numpy matmul, {rates.exp / 1e6:.0f} M np.exp/s), each measured on one core"
    )
    print(
        f"   {'N x D, K':28}{'gmmlab':>8}{'cpu':>8}{'floor':>8}{'sklearn':>9}{'cpu':>8}"
        f"{'ratio':>7}{'cpu':>7}{'target':>8}{'margin':>7}  {'max |diff|':>10}  load  "
        "floor from: MB, GFLOP, M exp"
    )
    for row in rows:
        X, start = make_data(row)
        fit_gmmlab(X[:2000], start, 2)  # warm up imports and caches
        fit_sklearn(X[:2000], start, 2)
        timings = interleaved(
            {"gmmlab": fit_gmmlab, "sklearn": fit_sklearn}, X, start, row.iterations, repeats
        )
        ours, theirs = timings["gmmlab"], timings["sklearn"]
        ours_params = ours[2].params if hasattr(ours[2], "params") else ours[2]
        ratio, cpu_ratio = ours[0] / theirs[0], ours[1] / theirs[1]
        margin = margin_target(row)
        verdict = "holds" if ratio <= margin else ("meets" if ratio <= row.target else "MISSES")
        difference = largest_difference(ours_params, theirs[2])
        floor, work = floor_seconds(row, rates), floor_work(row)
        print(
            f"   {row.label:28}{ours[0] * 1e3:8.1f}{ours[1] * 1e3:8.1f}{floor * 1e3:8.2f}"
            f"{theirs[0] * 1e3:9.1f}{theirs[1] * 1e3:8.1f}{ratio:7.3f}{cpu_ratio:7.3f}"
            f"{'1/' + str(round(1 / row.target)):>8}{'1/' + str(round(1 / margin)):>7}  "
            f"{difference:10.1e}  {_load().split('/')[0]:>4}  {verdict:6}  "
            f"{work[0] / 1e6:.0f}, {work[1] / 1e9:.2f}, {work[2] / 1e6:.1f}",
            flush=True,
        )


def speed_settings(rows, repeats, threads, coretype):
    """The speed table once per BLAS thread setting, each in a fresh child process.

    OpenBLAS reads OPENBLAS_NUM_THREADS and OPENBLAS_CORETYPE when it loads, so each
    setting needs its own process. ``threads``: "1", "default" or both.
    """
    print(
        "1. Speed: milliseconds per EM iteration (wall, and CPU of all threads), same start, "
        "same iterations (tol=0), the two libraries interleaved, median of "
        f"{repeats}; ratio = gmmlab / scikit-learn (wall; then CPU); the margin is the "
        "ratio to hold here so that other processors meet the target"
    )
    for setting in threads:
        env = dict(os.environ)
        env.pop("OPENBLAS_NUM_THREADS", None)
        if setting != "default":
            env["OPENBLAS_NUM_THREADS"] = setting
        if coretype:
            env["OPENBLAS_CORETYPE"] = coretype
        command = [sys.executable, __file__, "--speed-child", "--repeats", str(repeats)]
        command += ["--rows", ",".join(str(ROWS.index(row) + 1) for row in rows)]
        subprocess.run(command, env=env, check=True)


# -- memory, each case in its own process -----------------------------------------


def _resident_bytes(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_high_water_mark():
    """Reset VmHWM (Linux >= 4.0); False where the kernel does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def memory_child(case, iterations):
    """Run in a child process: fit once, print the peaks beyond the data as JSON."""
    import gc
    import tracemalloc

    n_samples, n_features, n_components = MEMORY_SHAPE
    X, _ = random_mixture(n_features, n_components, 0).sample(n_samples, seed=0)
    start = random_mixture(n_features, n_components, 1)
    fit_gmmlab(X[:1000], start, 1)  # imports, so that they do not count
    fit_sklearn(X[:1000], start, 1)
    gc.collect()
    can_reset = _reset_high_water_mark()
    baseline = _resident_bytes("VmRSS")
    tracemalloc.start()
    if case == "sklearn":
        fit_sklearn(X, start, iterations)
    elif case == "auto":
        fit_gmmlab(X, start, iterations)
    else:
        fit_gmmlab(X, start, iterations, chunk_size=int(case))
    _, numpy_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    resident_peak = _resident_bytes("VmHWM") - baseline if can_reset else None
    print(json.dumps({"numpy": numpy_peak, "resident": resident_peak, "data": X.nbytes}))


def memory(iterations):
    import gmmlab

    n_samples, n_features, n_components = MEMORY_SHAPE
    data_mb = n_samples * n_features * 8 / 2**20
    print(
        f"\n2. Memory beyond the data while fitting N = {n_samples:,}, D = {n_features}, "
        f"K = {n_components} ({iterations} iterations, data {data_mb:.0f} MB), each in a "
        "fresh process"
    )
    if "chunk_size" not in inspect.signature(gmmlab.fit).parameters:
        print("   (this gmmlab has no chunk_size: only the default fit is measured)")
        cases = [("gmmlab, all rows at once", "auto"), ("scikit-learn", "sklearn")]
    else:
        cases = [
            ("gmmlab, chunk_size=N (no chunks)", str(n_samples)),
            ("gmmlab, chunk_size=None (auto)", "auto"),
            ("gmmlab, chunk_size=100_000", "100000"),
            ("scikit-learn", "sklearn"),
        ]
    print(f"   {'':36}{'NumPy peak MB':>15}{'resident peak MB':>18}")
    for label, case in cases:
        output = subprocess.run(
            [sys.executable, __file__, "--memory-child", case, "--iterations", str(iterations)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(output.stdout.strip().splitlines()[-1])
        resident = figures["resident"]
        resident_text = "n/a" if resident is None else f"{resident / 2**20:.1f}"
        note = ""
        if case not in ("sklearn", str(n_samples)):  # a chunked fit: the target applies
            worst = max(figures["numpy"], resident or 0) / 2**20
            verdict = "meets" if worst < TARGET_CHUNKED_PEAK_MB else "MISSES"
            note = f"  ({verdict} the target < {TARGET_CHUNKED_PEAK_MB} MB)"
        numpy_mb = figures["numpy"] / 2**20
        print(f"   {label:36}{numpy_mb:15.1f}{resident_text:>18}{note}", flush=True)


# -- dask ---------------------------------------------------------------------------


def dask_row(iterations, repeats):
    import gmmlab

    n_samples, n_features, n_components = MEMORY_SHAPE
    print(
        f"\n3. Dask: N = {n_samples:,}, D = {n_features}, K = {n_components} on a LocalCluster "
        "(2 worker processes x 1 thread) against in memory (this process, 2 BLAS threads)"
    )
    if "chunk_size" not in inspect.signature(gmmlab.fit).parameters:
        print("   (this gmmlab cannot fit dask arrays)")
        return
    try:
        import dask.array as da
        from dask.distributed import Client, LocalCluster
    except ImportError:
        print("   skipped: dask[array] and distributed are not installed (the scale extra)")
        return

    X, _ = random_mixture(n_features, n_components, 0).sample(n_samples, seed=0)
    start = random_mixture(n_features, n_components, 1)
    in_memory, ours = per_iteration(fit_gmmlab, X, start, iterations, repeats)
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, Client(cluster), warnings.catch_warnings():
        # The in-memory data go to the workers once, inside the graph (dask warns about it).
        warnings.filterwarnings("ignore", message="Sending large graph")
        begin = time.perf_counter()
        X_dask = da.from_array(X, chunks=(1_000_000, n_features)).persist()
        scatter_seconds = time.perf_counter() - begin
        fit_gmmlab(X_dask, start, 1)  # warm up the workers
        on_dask, theirs = per_iteration(fit_gmmlab, X_dask, start, iterations, repeats)
    difference = largest_difference(ours.params, theirs.params)
    print(f"   {'':34}{'ms / iteration':>15}")
    print(f"   {'in memory (gmmlab.fit on numpy)':34}{in_memory * 1e3:15.1f}")
    print(f"   {'LocalCluster (gmmlab.fit on dask)':34}{on_dask * 1e3:15.1f}")
    print(
        f"   ratio dask / in memory: {on_dask / in_memory:.2f}; largest parameter difference "
        f"{difference:.1e}; sending the data to the workers once took {scatter_seconds:.1f} s"
    )


# -- import time ----------------------------------------------------------------------


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
    parser.add_argument("--rows", default="1,2,3,4,5", help="which rows of the speed table")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=4, help="for memory and dask")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument(
        "--threads", default="1,default", help="BLAS thread settings of the speed table"
    )
    parser.add_argument(
        "--coretype", default="", help="OPENBLAS_CORETYPE for the speed table (Haswell, ...)"
    )
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    parser.add_argument("--speed-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child, args.iterations)
        return
    rows = [ROWS[int(i) - 1] for i in args.rows.split(",") if i.strip()]
    if args.speed_child:
        speed(rows, args.repeats)
        return

    import sklearn

    import gmmlab

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"gmmlab {gmmlab.__version__} ({os.path.dirname(gmmlab.__file__)}), scikit-learn "
        f"{sklearn.__version__}, numpy {np.__version__}, {os.cpu_count()} CPUs, load average "
        f"{load} (on a shared machine, compare the ratios, measured in the same run)\n"
    )
    if rows:
        speed_settings(rows, args.repeats, args.threads.split(","), args.coretype)
    if not args.skip_memory:
        memory(args.iterations)
    if not args.skip_dask:
        dask_row(args.iterations, args.repeats)
    seconds_import = import_seconds()
    verdict = "meets" if seconds_import <= TARGET_IMPORT_SECONDS else "MISSES"
    print(
        f"\nimport gmmlab: {seconds_import:.3f} s, median of 5 fresh processes "
        f"({verdict} the target <= {TARGET_IMPORT_SECONDS} s)"
    )


if __name__ == "__main__":
    main()
