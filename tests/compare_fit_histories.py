"""Run many fits and save every history's parameters and log-likelihoods (or the error).

Usage, from outside the repo, with OPENBLAS_NUM_THREADS=1 and PYTHONPATH the tree to test:
    python tests/compare_fit_histories.py OUT.pkl
then  python tests/compare_fit_histories.py --compare A.pkl B.pkl
(e.g. A from ``git archive integ gmmlab`` unpacked in a directory, B from this branch).
Not collected by pytest: it compares two trees of code, not code with a reference.
"""
import pickle
import sys

import numpy as np


def configs():
    from gmmlab.datasets import load_iris_features

    iris2 = load_iris_features(("petal length", "petal width")).X
    iris4 = load_iris_features().X
    rng = np.random.default_rng(7)
    blobs = np.concatenate([rng.normal(c, 0.5, size=(60, 3)) for c in (0, 3, 6)])
    tied = np.repeat(np.array([[0.0, 1.0], [2.0, 2.0], [5.0, 1.0], [1.0, 4.0]]), 8, axis=0)
    tied = np.concatenate([tied, rng.normal(2, 1, size=(6, 2))])
    datasets = {"iris2": iris2, "iris4": iris4, "blobs": blobs, "tied": tied}
    for name, X in datasets.items():
        for cov in ("full", "diag", "spherical", "tied"):
            for K in (1, 2, 3, 5, 8):
                for seed in range(6):
                    yield name, X, dict(n_components=K, covariance_type=cov, seed=seed,
                                        max_iter=150)
                    if seed < 3:
                        yield name, X, dict(n_components=K, covariance_type=cov, seed=seed,
                                            reg_covar=0.0, max_iter=150)
                    if seed < 2:
                        yield name, X, dict(n_components=K, covariance_type=cov, seed=seed,
                                            chunk_size=37, max_iter=100)
                    if seed < 1:
                        yield name, X, dict(n_components=K, covariance_type=cov, seed=seed,
                                            n_init=3, max_iter=100)
                        yield name, X, dict(n_components=K, covariance_type=cov, seed=seed,
                                            n_init=2, reg_covar=0.0, chunk_size=50,
                                            init="random", max_iter=100)


def arrays(result):
    if result is None:
        return None
    return ([(p.weights.copy(), p.means.copy(), p.covariances.copy(), p.cholesky.copy(),
              p.covariance_type) for p in result.history],
            np.array(result.log_likelihoods), result.n_iter, result.converged)


def run(out):
    import gmmlab

    records = []
    for name, X, kwargs in configs():
        try:
            record = ("ok", arrays(gmmlab.fit(X, **kwargs)))
        except Exception as error:  # noqa: BLE001
            record = ("error", type(error).__name__, str(error),
                      getattr(error, "iteration", None), arrays(getattr(error, "result", None)))
        records.append(((name, sorted(kwargs.items())), record))
    with open(out, "wb") as f:
        pickle.dump(records, f)
    print(len(records), "fits,", sum(r[1][0] == "error" for r in records), "errors")


def same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)
                and a.shape == b.shape and np.array_equal(a, b, equal_nan=True))
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    return a == b


def compare(path_a, path_b):
    a = pickle.load(open(path_a, "rb"))
    b = pickle.load(open(path_b, "rb"))
    assert [k for k, _ in a] == [k for k, _ in b]
    n_params = n_ll = n_err = 0
    bad = []
    for (key, ra), (_, rb) in zip(a, b, strict=True):
        if not same(ra, rb):
            bad.append(key)
        result = ra[1] if ra[0] == "ok" else ra[4]
        n_err += ra[0] == "error"
        if result is not None:
            n_params += len(result[0])
            n_ll += len(result[1])
    print(f"{len(a)} fits ({n_err} raised, same type/message/iteration compared), "
          f"{n_params} parameter sets (weights, means, covariances, cholesky), "
          f"{n_ll} log-likelihoods compared; {len(bad)} differ")
    for key in bad[:10]:
        print("DIFFERS:", key)
    return not bad


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(0 if compare(sys.argv[2], sys.argv[3]) else 1)
    run(sys.argv[1])
