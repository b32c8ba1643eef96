"""The lesson data: Iris, generated clusters, photo pixels."""

import numpy as np
import pytest

import gmmlab
from gmmlab.datasets import (
    Dataset,
    load_image_pixels,
    load_iris_features,
    make_ellipsoidal_clusters,
)


def test_iris_features_by_name_and_index():
    from sklearn.datasets import load_iris

    iris = load_iris()
    data = load_iris_features(("petal width", "Sepal Length (cm)"))
    np.testing.assert_array_equal(data.X, iris.data[:, [3, 0]])
    np.testing.assert_array_equal(data.labels, iris.target)
    assert data.feature_names == ("petal width (cm)", "sepal length (cm)")
    assert data.label_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(load_iris_features((2,)).X[:, 0], iris.data[:, 2])
    assert load_iris_features(None).X.shape == (150, 4)


def test_iris_read_directly_matches_sklearn_load_iris():
    from sklearn.datasets import load_iris

    iris = load_iris()
    data = load_iris_features(None)
    np.testing.assert_array_equal(data.X, iris.data)
    assert data.X.dtype == iris.data.dtype == np.float64
    np.testing.assert_array_equal(data.labels, iris.target)
    assert data.labels.dtype == iris.target.dtype
    assert data.feature_names == tuple(iris.feature_names)
    assert data.label_names == tuple(iris.target_names)


def test_iris_loads_without_importing_sklearn():
    import subprocess
    import sys

    code = (
        "import sys; from gmmlab.datasets import load_iris_features; "
        "X = load_iris_features(None).X; print(X.shape, 'sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["(150,", "4)", "False"]


def test_iris_missing_file_says_which(monkeypatch, tmp_path):
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args):
        if name == "sklearn":
            return importlib.util.spec_from_file_location(
                "sklearn", tmp_path / "__init__.py", submodule_search_locations=[str(tmp_path)]
            )
        return real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(FileNotFoundError, match="needs scikit-learn's iris.csv, not found at"):
        load_iris_features("petal width")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: None)
    with pytest.raises(FileNotFoundError, match="iris.csv: install scikit-learn"):
        load_iris_features("petal width")


def test_iris_unknown_feature():
    with pytest.raises(ValueError, match="unknown Iris measurement 'petal colour'"):
        load_iris_features(("petal colour",))


def test_ellipsoidal_clusters_are_reproducible_and_varied():
    a = make_ellipsoidal_clusters(500, n_components=4, seed=0)
    b = make_ellipsoidal_clusters(500, n_components=4, seed=0)
    np.testing.assert_array_equal(a.X, b.X)
    assert a.X.shape == (500, 2) and set(a.labels) == {0, 1, 2, 3}
    eigenvalues = np.linalg.eigvalsh(a.params.covariances)
    ratios = eigenvalues[:, 1] / eigenvalues[:, 0]
    assert ratios.max() > 2 * ratios.min()  # different shapes
    assert a.params.weights.max() > 1.3 * a.params.weights.min()  # different densities
    centres = a.params.means
    gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2) + np.eye(4) * 99
    assert gaps.min() >= 3.5
    # the labels are the generating components: EM from the truth keeps them
    resp = gmmlab.e_step(a.X, a.params)
    assert (gmmlab.hard_assign(resp) == a.labels).mean() > 0.9


def test_image_pixels():
    pixels, shape = load_image_pixels("china.jpg", step=4)
    assert shape == (107, 160, 3)
    assert pixels.shape == (107 * 160, 3)
    assert 0.0 <= pixels.min() and pixels.max() <= 1.0


def test_many_components_in_one_feature_are_placed_apart():
    """30 centres in 1-D used to stop with a RuntimeError; the box now grows instead."""
    data = make_ellipsoidal_clusters(200, n_components=30, n_features=1, seed=0)
    centres = np.sort(data.params.means[:, 0])
    assert len(centres) == 30 and np.diff(centres).min() >= 3.5


def test_numpy_integers_are_accepted_where_ints_are():
    data = make_ellipsoidal_clusters(np.int64(50), np.int32(2), np.int64(3), seed=np.int64(1))
    assert data.X.shape == (50, 3)
    np.testing.assert_array_equal(
        load_iris_features((np.int64(3), "petal length")).X, load_iris_features(None).X[:, [3, 2]]
    )
    assert load_iris_features(np.int64(0)).feature_names == ("sepal length (cm)",)
    assert load_image_pixels("flower.jpg", step=np.int64(100))[1] == (5, 7, 3)


def dataset(**changes):
    fields = {
        "X": np.zeros((3, 2)),
        "labels": [0, 1, 1],
        "feature_names": ("a", "b"),
        "label_names": ("first", "second"),
    }
    fields.update(changes)
    return Dataset(**fields)


BAD_INPUT = [
    (lambda: load_iris_features(2.0), TypeError, "features must be a name, an index or a"),
    (lambda: load_iris_features(True), TypeError, "each entry must be a measurement's name"),
    (lambda: load_iris_features({"petal width"}), TypeError, "features must be a name, an index"),
    (lambda: load_iris_features(("petal width", 3)), ValueError, "names 'petal width' twice"),
    (lambda: load_iris_features(()), ValueError, "features must name at least one"),
    (lambda: load_iris_features(4), ValueError, "features must be at most 3, got 4"),
    (lambda: load_iris_features(-1), ValueError, "features must be at least 0"),
    (lambda: load_iris_features("petal colour"), ValueError, "unknown Iris measurement"),
    (lambda: load_iris_features([["petal width"]]), TypeError, "each entry must be"),
    (lambda: make_ellipsoidal_clusters(0), ValueError, "n_samples must be at least 1, got 0"),
    (lambda: make_ellipsoidal_clusters(10.0), TypeError, "n_samples must be an integer"),
    (lambda: make_ellipsoidal_clusters(n_components=0), ValueError, "n_components must be at"),
    (lambda: make_ellipsoidal_clusters(n_components=101), ValueError, "at most 100, got 101"),
    (lambda: make_ellipsoidal_clusters(n_features=0), ValueError, "n_features must be at least"),
    (lambda: make_ellipsoidal_clusters(n_features="2"), TypeError, "n_features must be an int"),
    (lambda: make_ellipsoidal_clusters(seed=-1), ValueError, "seed must be at least 0"),
    (lambda: make_ellipsoidal_clusters(seed="a"), TypeError, "seed must be an integer"),
    (lambda: load_image_pixels("cat.jpg"), ValueError, "name must be 'china.jpg' or"),
    (lambda: load_image_pixels(3), TypeError, "name must be a string"),
    (lambda: load_image_pixels(step=0), ValueError, "step must be at least 1, got 0"),
    (lambda: load_image_pixels(step=2.0), TypeError, "step must be an integer"),
    (lambda: load_image_pixels(step=500), ValueError, "step must be at most 400"),
    (lambda: dataset(labels=[0, 1]), ValueError, "labels must have one entry per row of X (3)"),
    (lambda: dataset(labels=[0.0, 1.0, 1.0]), TypeError, "labels must be integers"),
    (lambda: dataset(labels=[0, 1, 5]), ValueError, "labels must be group numbers 0..1"),
    (lambda: dataset(feature_names=("a",)), ValueError, "feature_names must hold 2 strings"),
    (lambda: dataset(feature_names="ab"), TypeError, "feature_names must be a sequence"),
    (lambda: dataset(label_names=("first", 2)), TypeError, "label_names[1] must be a string"),
    (lambda: dataset(X=np.zeros(3)), ValueError, "X must be 2-D (n_samples, n_features)"),
    (lambda: dataset(X=[[0, 1], [np.inf, 0], [0, 0]]), ValueError, "X contains NaN or infinite"),
    (
        lambda: dataset(params=gmmlab.MixtureParams([1.0], [0.0], [1.0])),
        ValueError,
        "X has 2 feature(s) but params describes 1",
    ),
    (lambda: dataset(params="truth"), TypeError, "params must be a gmmlab.MixtureParams"),
]


@pytest.mark.parametrize(("call", "error", "words"), BAD_INPUT)
def test_bad_input(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)
