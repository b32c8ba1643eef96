r"""The kernels behind gmmlab's formulas: chunks, threads, BLAS, buffers.

The public functions of :mod:`gmmlab.em` and :mod:`gmmlab.statistics` state a formula
of the course, check their arguments, and call this module for the numbers. Every path
runs the same kernels: in memory (:func:`gmmlab.e_step`, :func:`gmmlab.fit`), in chunks
(``chunk_size``), on a Dask cluster (:func:`block_statistics` on each block, in
:mod:`gmmlab.scale`) and online (:mod:`gmmlab.online`). Arguments here are clean: the
public functions have checked them.

How the work is organised. The data are processed in chunks of rows
(:func:`chunks`). Inside a chunk, points are stored as the columns of a (D, n) array
(:func:`points_as_columns`) and the responsibilities as a (K, n) array, so that each
feature and each component is one contiguous row of memory, and a chunk's working
arrays (about ``CHUNK_BYTES``) stay in the processor's cache. An E-step is reduced at
once to the chunk's sufficient statistics (:func:`statistics_of_columns`), which add up
over chunks (:func:`merge_statistics`): :func:`expected_statistics` never holds the
(N, K) responsibilities of all points. :class:`ChunkWorkers` runs two chunks at once on
two cores, with BLAS on one thread each.

This module imports only NumPy and gmmlab's :mod:`~gmmlab._validation` and
:mod:`~gmmlab.params`; :mod:`gmmlab.em`, :mod:`gmmlab.statistics`, :mod:`gmmlab.scale`,
:mod:`gmmlab.anomaly` and :mod:`gmmlab.online` import it, and it imports none of them.
"""

from __future__ import annotations

import functools
import os

import numpy as np

from ._validation import as_float_array, ensure_finite, ensure_X
from .params import MixtureParams, cholesky_factors, ensure_covariances, ensure_params

_LOG_2PI = np.log(2.0 * np.pi)

#: With ``chunk_size=None``, chunks are sized so that their working arrays take about
#: this many bytes: few enough chunks that NumPy's per-call cost is paid rarely, small
#: enough that the arrays stay in the processor's cache, and the memory bounded.
CHUNK_BYTES = 4 << 20

#: The fewest rows of a default chunk.
MIN_CHUNK_ROWS = 256

#: A fit whose data are one chunk of fewer rows runs its matrix products on one BLAS
#: thread: waking BLAS's other threads for such small products costs more than they save
#: (on the shared 2-core development machine, a sweep of 15 fits to 200 points took 12 times
#: longer with them).
SMALL_DATA_ROWS = 2 * MIN_CHUNK_ROWS

#: A Bernoulli fit whose products (N x D by D x K) have at most this many multiply-adds runs
#: BLAS on one thread: such a product takes a few milliseconds on one core, and waking
#: BLAS's other threads for it costs more than it saves. Measured on the shared 2-core
#: machine at load 6, the digits (1797 x 64, K = 10, 90 iterations): 0.55 s wall and 0.21 s
#: CPU on one thread, 17.8 s wall and 5.2 s CPU with OpenBLAS's two (its threads spin while
#: they wait for a core).
SMALL_PRODUCT = 1 << 24

#: Up to this many features, the covariances are a plain matrix product of the weighted and
#: the plain differences, which skips a square root per point; above, BLAS's symmetric
#: product (syrk) of the differences times sqrt(gamma_ik / N_k). Measured again (numpy
#: 2.4.6, OpenBLAS 0.3.31, one thread, OPENBLAS_CORETYPE Haswell and SandyBridge, 4 MB
#: chunks): the two products are within 8% of each other for D <= 5, syrk is 4-17% ahead
#: at D = 6 and 8, and at D = 10 (10 components of 11,915 points) it takes 1.3 against
#: 2.7 ms with the Haswell kernels, 2.3 against 3.0 ms with SandyBridge's.
SMALL_D = 4

#: Rows per chunk on a Dask worker keep each working array under this many bytes. A
#: dask.distributed worker runs with MALLOC_TRIM_THRESHOLD_ set, which freezes glibc's
#: threshold above which every allocation is a fresh mmap, at 128 KiB: larger temporary
#: arrays would then pay their page faults at every chunk (measured: twice as slow).
WORKER_ARRAY_BYTES = 1 << 16


# -- the shared checks of the public functions ------------------------------------------


def ensure_data_and_params(X, params):
    """X (N, D), finite, and a MixtureParams with D features."""
    X = ensure_X(X)
    params = ensure_params(params, n_features=X.shape[1])
    return X, params


def ensure_single_gaussian(X, mean, cov):
    """Check X, mean and cov of one Gaussian; return X and a 1-component MixtureParams."""
    X = ensure_X(X)
    n_features = X.shape[1]
    mean = as_float_array(mean, "mean").reshape(-1)
    if mean.shape != (n_features,):
        raise ValueError(
            f"mean must have one entry per feature of X ({n_features}), got shape {mean.shape}"
        )
    ensure_finite(mean, "mean")
    cov = as_float_array(cov, "cov")
    if cov.ndim < 2 and cov.size == 1:
        cov = cov.reshape(1, 1)
    if cov.shape != (n_features, n_features):
        raise ValueError(
            f"cov must have shape (D, D) = ({n_features}, {n_features}), got shape {cov.shape}"
        )
    ensure_covariances(cov[np.newaxis], n_features, 1, name="cov", single=True)
    cholesky_factors(cov[np.newaxis], name="cov", single=True)
    return X, MixtureParams([1.0], mean[np.newaxis, :], cov[np.newaxis, :, :])


def points_as_columns(X):
    """X (n, D) -> a C-contiguous (D, n) array: one row of memory per feature."""
    return np.ascontiguousarray(X.T)


def chunks(n_samples, chunk_size, n_features, n_components):
    """Slices of rows covering 0..n_samples-1, chunk_size at a time.

    The default size gives working arrays of about CHUNK_BYTES per chunk (the points,
    their differences from a mean, and the K log-densities of each point), and at least
    two chunks for two cores once there are 2 * MIN_CHUNK_ROWS rows. It depends only
    on the shape, so that a fit is the same on every machine.
    """
    if chunk_size is None:
        bytes_per_row = 8 * (3 * n_features + n_components + 4)
        chunk_size = max(MIN_CHUNK_ROWS, min(CHUNK_BYTES // bytes_per_row, -(-n_samples // 2)))
    starts = range(0, n_samples, chunk_size)
    return [slice(start, min(start + chunk_size, n_samples)) for start in starts]


class ChunkWorkers:
    """Maps a function over chunks of rows, on one thread per core.

    NumPy and BLAS release Python's GIL while they compute, so two threads keep two
    cores busy with two chunks at once. Meanwhile every BLAS call runs on one thread
    (threadpoolctl, which scikit-learn installs), so that the threads do not compete
    for the cores. Results come back in chunk order: the sums, and the fit, do not
    depend on the timing of the threads.
    """

    def __init__(self, n_chunks, small=False):
        if hasattr(os, "sched_getaffinity"):  # the cores this process may use
            cores = len(os.sched_getaffinity(0))
        else:
            cores = os.cpu_count() or 1
        self.n_threads = min(n_chunks, cores)
        self.small = small  # one small chunk: BLAS on one thread too (SMALL_DATA_ROWS)
        self._pool = self._blas_limits = None

    def __enter__(self):
        if self.n_threads > 1:
            from concurrent.futures import ThreadPoolExecutor

            from threadpoolctl import threadpool_limits

            self._blas_limits = threadpool_limits(limits=1, user_api="blas")
            self._pool = ThreadPoolExecutor(self.n_threads, thread_name_prefix="gmmlab")
        elif self.small:
            self._blas_limits = one_blas_thread()
        return self

    def map(self, function, chunks):
        if self._pool is None:
            return [function(rows) for rows in chunks]
        return list(self._pool.map(function, chunks))

    def __exit__(self, *exc_info):
        if self._pool is not None:
            self._pool.shutdown()
        if self._blas_limits is not None:
            self._blas_limits.restore_original_limits()


def one_blas_thread():
    """BLAS on one thread until the returned limiter's ``restore_original_limits()`` (or the
    end of its ``with`` block): threadpoolctl's limit, on the libraries found once."""
    return blas_controller().limit(limits=1, user_api="blas")


@functools.cache
def blas_controller():
    """threadpoolctl's view of the BLAS libraries, found once (finding them takes ~3 ms,
    limiting them through it ~0.01 ms: a sweep of many small fits pays the search once).
    SciPy's linear algebra is imported first, so that its BLAS is found too."""
    import scipy.linalg  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class Gaussians:
    """The per-component numbers every E-step needs, computed once per parameters.

    whitening[k] = L_k^-1, so that z = L_k^-1 (x - mu_k) is a matrix product, and
    log_norm[k] = log pi_k - (D log 2 pi + log det Sigma_k) / 2.
    """

    def __init__(self, params):
        self.params = params
        n_features = params.n_features
        # One batched LAPACK call for the K inverses: scipy's solve_triangular, one call per
        # component, costs about 0.3 ms each in call overhead, most of a small fit's time.
        with np.errstate(over="ignore", invalid="ignore"):
            self.whitening = np.linalg.inv(params.cholesky)
        log_det = 2.0 * np.log(np.diagonal(params.cholesky, axis1=1, axis2=2)).sum(axis=1)
        with np.errstate(divide="ignore"):  # a zero weight has log pi_k = -inf
            log_weights = np.log(params.weights)
        self.log_norm = log_weights - 0.5 * (n_features * _LOG_2PI + log_det)

    def log_weighted_densities(self, Xt):
        """a_ik = log pi_k + log N(x_i | mu_k, Sigma_k), as a (K, n) array.

        A squared distance beyond the floating-point range gives -inf (its nearest
        float), or NaN when inf - inf met inside the product; :meth:`e_step` handles both.
        """
        params = self.params
        log_weighted = np.empty((params.n_components, Xt.shape[1]))
        diff, z = np.empty_like(Xt), np.empty_like(Xt)  # reused by every component
        with np.errstate(over="ignore", invalid="ignore"):
            for k, row in enumerate(log_weighted):
                np.subtract(Xt, params.means[k][:, np.newaxis], out=diff)  # x_i - mu_k
                np.matmul(self.whitening[k], diff, out=z)  # z_i = L_k^-1 (x_i - mu_k)
                # (x_i - mu_k)^T Sigma_k^-1 (x_i - mu_k) = ||z_i||^2, each column's squared norm
                np.einsum("di,di->i", z, z, out=row)
                row *= -0.5
                row += self.log_norm[k]  # log pi_k - (D log 2pi + log det Sigma_k + ||z_i||^2) / 2
        return log_weighted

    def e_step(self, Xt):
        """Responsibilities (K, n) and log p(x_i) (n,) of the columns of Xt, via log-sum-exp.

        log p(x_i) = m_i + log sum_k exp(a_ik - m_i) with m_i = max_k a_ik: the largest
        term becomes exp(0) = 1, so the sum can neither underflow to 0 nor overflow.
        """
        log_weighted = self.log_weighted_densities(Xt)
        largest = log_weighted.max(axis=0)
        if not np.isfinite(largest).all():  # rare: points beyond the floating-point range
            return self._e_step_beyond_range(Xt, log_weighted)
        log_weighted -= largest
        resp_t = np.exp(log_weighted, out=log_weighted)  # pi_k N_k / exp(m_i)
        total = resp_t.sum(axis=0)  # p(x_i) / exp(m_i), between 1 and K
        resp_t /= total
        log_px = np.log(total, out=total)
        log_px += largest
        return resp_t, log_px

    def _e_step_beyond_range(self, Xt, log_weighted):
        """:meth:`e_step` when some a_ik overflowed (-inf, or NaN where inf - inf met).

        An overflowed a_ik is -inf: a point with some finite a_ik is handled as usual;
        a point with none gets the limit of its responsibilities
        (:meth:`_resp_beyond_range`) and log p(x_i) = -inf, its nearest float.
        """
        log_weighted[np.isnan(log_weighted)] = -np.inf
        beyond = np.isneginf(log_weighted.max(axis=0))
        resp_t = np.empty_like(log_weighted)
        log_px = np.full(Xt.shape[1], -np.inf)
        if not beyond.all():
            resp_t[:, ~beyond], log_px[~beyond] = self._normalise(log_weighted[:, ~beyond])
        if beyond.any():
            resp_t[:, beyond] = self._resp_beyond_range(Xt[:, beyond])
        return resp_t, log_px

    @staticmethod
    def _normalise(log_weighted):
        """Log-sum-exp of columns with at least one finite a_ik."""
        largest = log_weighted.max(axis=0)
        resp_t = np.exp(log_weighted - largest)
        total = resp_t.sum(axis=0)
        return resp_t / total, np.log(total) + largest

    def _resp_beyond_range(self, Xt):
        """The limit of gamma_ik for points whose every log-density is beyond the range.

        a_ik = c_k - d_ik^2 / 2, and the d_ik^2 differ by more than any float: all of
        the point goes to the component with the smallest Mahalanobis distance d_ik
        (compared through log d_ik, which is always representable). Exact ties share it
        in proportion to exp(c_k) = pi_k / sqrt(det 2 pi Sigma_k).
        """
        params = self.params
        log_distance = np.empty((params.n_components, Xt.shape[1]))
        for k in range(params.n_components):
            norm, exponent = scaled_mahalanobis(Xt.T, params.means[k], params.cholesky[k])
            with np.errstate(divide="ignore"):
                log_distance[k] = np.log(norm) + exponent * np.log(2.0)
        log_distance[params.weights == 0] = np.inf  # a weightless component takes nothing
        nearest = log_distance == log_distance.min(axis=0)
        logits = np.where(nearest, self.log_norm[:, np.newaxis], -np.inf)
        logits -= logits.max(axis=0)
        resp_t = np.exp(logits)
        return resp_t / resp_t.sum(axis=0)


def scaled_mahalanobis(X, mean, cholesky):
    """||L^-1 (x_i - mu)|| as norm_i * 2**exponent_i, for rows x_i of X, without overflow.

    Each point and the mean are divided by a power of two near their magnitude (exact in
    floating point), so the triangular solve and the squares stay in range; the norm
    is then taken by scaling by its largest entry.
    """
    from scipy.linalg import solve_triangular

    magnitude = np.maximum(np.abs(X).max(axis=1), np.abs(mean).max())
    _, exponent = np.frexp(magnitude)  # magnitude < 2**exponent
    scaled = np.ldexp(X, -exponent[:, np.newaxis]) - np.ldexp(mean, -exponent[:, np.newaxis])
    z = solve_triangular(cholesky, scaled.T, lower=True, check_finite=False)
    largest = np.abs(z).max(axis=0)
    safe = np.where(largest > 0, largest, 1.0)
    norm = largest * np.sqrt(((z / safe) ** 2).sum(axis=0))
    return norm, exponent


def log_mixture_pdf(X, params):
    """log p(x_i) for the rows of a clean X, chunk by chunk."""
    log_px = np.empty(X.shape[0])
    gaussians = Gaussians(params)
    for rows in chunks(X.shape[0], None, X.shape[1], params.n_components):
        _, log_px[rows] = gaussians.e_step(points_as_columns(X[rows]))
    return log_px


def statistics_of_rows(X, resp):
    """(nk, means, covariances) of clean X (N, D) and resp (N, K), chunk by chunk."""
    total = None
    for rows in chunks(X.shape[0], None, X.shape[1], resp.shape[1]):
        resp_t = np.ascontiguousarray(resp[rows].T)
        chunk = statistics_of_columns(points_as_columns(X[rows]), resp_t)
        total = chunk if total is None else merge_statistics(total, chunk)
    return total


def expected_statistics(X, params, chunk_size, workers=None):
    """(nk, means, covariances) and l(theta) of one E-step over clean X, chunk by chunk.

    ``workers`` (a ChunkWorkers) runs the chunks on several cores; by default they run
    one after the other.
    """
    gaussians = Gaussians(params)

    def one_chunk(rows):
        Xt = points_as_columns(X[rows])
        resp_t, log_px = gaussians.e_step(Xt)  # freed as soon as it is reduced:
        return statistics_of_columns(Xt, resp_t), float(log_px.sum())

    slices = chunks(X.shape[0], chunk_size, X.shape[1], params.n_components)
    parts = workers.map(one_chunk, slices) if workers is not None else map(one_chunk, slices)
    total, log_likelihood_value = None, 0.0
    for statistics, chunk_log_likelihood in parts:
        total = statistics if total is None else merge_statistics(total, statistics)
        log_likelihood_value += chunk_log_likelihood
    return total, log_likelihood_value


def refuse_beyond_range(X, params, log_px, what, offset=0):
    """Raise the ValueError naming X for a value below the floating-point range.

    ``X`` may be a block of the caller's X that starts at row ``offset``.
    """
    i = int(np.flatnonzero(~np.isfinite(log_px))[0])
    log10_distance = min(
        float(np.log10(norm[0]) + exponent[0] * np.log10(2.0))
        for norm, exponent in (
            scaled_mahalanobis(X[i : i + 1], params.means[k], params.cholesky[k])
            for k in range(params.n_components)
        )
    )
    raise ValueError(
        f"X[{i + offset}] lies about 1e{log10_distance:.0f} standard deviations from every "
        f"component, so its log-density (about -1e{2 * log10_distance:.0f}) is below the "
        f"floating-point range (-1.8e308) and {what} cannot be represented. Remove or "
        "rescale that point, "
        "or use parameters with a component that reaches it."
    )


def initial_resp(X, n_components, method, rng):
    """Responsibilities (N, K) to start EM from."""
    n_samples = X.shape[0]
    if method == "random":
        resp = rng.random((n_samples, n_components))
        return resp / resp.sum(axis=1, keepdims=True)
    random_state = int(rng.integers(np.iinfo(np.int32).max))
    if method == "kmeans":
        from sklearn.cluster import KMeans

        kmeans = KMeans(n_components, n_init=1, random_state=random_state)
        labels = kmeans.fit(X).labels_
    else:
        from sklearn.cluster import kmeans_plusplus

        centres, _ = kmeans_plusplus(X, n_components, random_state=random_state)
        labels = np.empty(n_samples, dtype=int)
        for rows in chunks(n_samples, None, X.shape[1], n_components):
            distances = ((X[rows, np.newaxis, :] - centres[np.newaxis]) ** 2).sum(axis=2)
            labels[rows] = distances.argmin(axis=1)
    resp = np.zeros((n_samples, n_components))
    resp[np.arange(n_samples), labels] = 1.0
    return resp


def statistics_of_columns(Xt, resp_t):
    """:func:`gmmlab.sufficient_statistics` of points stored as columns, for clean input.

    Xt is (D, n) and resp_t (K, n): one row of memory per feature and per component,
    the layout of every kernel here. Returns the arrays
    (nk, means, covariances), unchecked.
    """
    n_components, n_features = resp_t.shape[0], Xt.shape[0]
    nk = resp_t.sum(axis=1)
    safe_nk = np.where(nk > 0, nk, 1.0)  # an empty component gets mean 0, covariance 0
    means = (resp_t @ Xt.T) / safe_nk[:, np.newaxis]
    covariances = np.empty((n_components, n_features, n_features))
    diff, weighted = np.empty_like(Xt), np.empty_like(Xt)  # reused by every component
    shares = np.empty(Xt.shape[1])
    for k in range(n_components):
        np.subtract(Xt, means[k][:, np.newaxis], out=diff)  # the columns x_i - xbar_k
        np.divide(resp_t[k], safe_nk[k], out=shares)  # gamma_ik / N_k
        if n_features <= SMALL_D:
            np.multiply(diff, shares, out=weighted)
            covariances[k] = weighted @ diff.T  # sum_i shares_i diff_i diff_i^T
        else:
            # The same sum as W W^T with W = diff * sqrt(shares): a matrix times its own
            # transpose, which BLAS computes as a symmetric product (syrk), half the work.
            np.multiply(diff, np.sqrt(shares, out=shares), out=weighted)
            covariances[k] = weighted @ weighted.T
    return nk, means, covariances


def merge_statistics(a, b):
    """The statistics of two sets of points together, as (nk, means, covariances) arrays.

    The law of total covariance, with every term a fraction of the total N_a + N_b so
    that nothing can overflow. ``a`` and ``b`` are SufficientStatistics or tuples of
    their three arrays (the EM kernels use tuples to skip the checks).
    """
    nk_a, means_a, covariances_a = _arrays(a)
    nk_b, means_b, covariances_b = _arrays(b)
    nk = nk_a + nk_b
    safe_nk = np.where(nk > 0, nk, 1.0)
    share_a = (nk_a / safe_nk)[:, np.newaxis]  # N_a / N, 0 for an empty component
    share_b = (nk_b / safe_nk)[:, np.newaxis]
    means = share_a * means_a + share_b * means_b
    between = means_b - means_a  # xbar_b - xbar_a
    outer = between[:, :, np.newaxis] * between[:, np.newaxis, :]
    share_a, share_b = share_a[:, :, np.newaxis], share_b[:, :, np.newaxis]
    covariances = share_a * covariances_a + share_b * covariances_b + share_a * share_b * outer
    return nk, means, covariances


def _arrays(statistics):
    """(nk, means, covariances) of a SufficientStatistics or of such a tuple."""
    if isinstance(statistics, tuple):
        return statistics
    return statistics.nk, statistics.means, statistics.covariances


# -- whole arrays, chunk by chunk -------------------------------------------------------


def e_step(X, params):
    """Responsibilities (N, K) of the rows of a clean X, chunk by chunk."""
    resp = np.empty((X.shape[0], params.n_components))
    gaussians = Gaussians(params)
    for rows in chunks(X.shape[0], None, X.shape[1], params.n_components):
        resp_t, _ = gaussians.e_step(points_as_columns(X[rows]))
        resp[rows] = resp_t.T
    return resp


def weighted_densities(X, params):
    """pi_k N(x_i | mu_k, Sigma_k), shape (N, K), of the rows of a clean X, chunk by chunk."""
    densities = np.empty((X.shape[0], params.n_components))
    gaussians = Gaussians(params)
    for rows in chunks(X.shape[0], None, X.shape[1], params.n_components):
        log_weighted = gaussians.log_weighted_densities(points_as_columns(X[rows]))
        densities[rows] = np.exp(log_weighted).T
    return densities


def lower_bound(X, params, resp):
    """sum_ik gamma_ik (a_ik - log gamma_ik) of clean arguments, chunk by chunk (0 log 0 = 0)."""
    gaussians = Gaussians(params)
    total = 0.0
    for rows in chunks(X.shape[0], None, X.shape[1], params.n_components):
        log_weighted = gaussians.log_weighted_densities(points_as_columns(X[rows]))
        resp_t = resp[rows].T
        belongs = resp_t > 0  # 0 log(pi N / 0) counts as 0
        terms = np.zeros_like(log_weighted)
        terms[belongs] = resp_t[belongs] * (log_weighted[belongs] - np.log(resp_t[belongs]))
        total += float(terms.sum())
    return total


# -- on a Dask worker: one block ----------------------------------------------------------


def block_statistics(block, params):
    """One block's E-step, reduced to (statistics arrays, log-likelihood)."""
    widest = max(params.n_features, params.n_components)
    chunk_size = max(1024, WORKER_ARRAY_BYTES // (8 * widest))
    return expected_statistics(np.asarray(block, dtype=float), params, chunk_size)


def block_log_likelihood(block, params):
    """The sum of log p(x_i) over one block's points (-inf beyond the range)."""
    return float(log_mixture_pdf(np.asarray(block, dtype=float), params).sum())


def add_blocks(a, b):
    """The statistics and log-likelihood of two parts of the data together."""
    return merge_statistics(a[0], b[0]), a[1] + b[1]


# -- the terms of the lower bound ----------------------------------------------------------


def log_joint(X, params):
    """log p(x_i, z_i = k) = log pi_k + log N(x_i | mu_k, Sigma_k), shape (N, K), of clean
    arguments: each column as gmmlab.log_gaussian_pdf computes it, one component at a time."""
    with np.errstate(divide="ignore"):
        log_weights = np.log(params.weights)
    return np.column_stack(
        [
            log_weights[k]
            + log_mixture_pdf(*ensure_single_gaussian(X, params.means[k], params.covariances[k]))
            for k in range(params.n_components)
        ]
    )
