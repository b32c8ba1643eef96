"""The lesson data: Iris, generated clusters, photo pixels."""

import numpy as np
import pytest
from sklearn.datasets import load_iris

import gmmlab
from gmmlab.datasets import load_image_pixels, load_iris_features, make_ellipsoidal_clusters


def test_iris_features_by_name_and_index():
    iris = load_iris()
    data = load_iris_features(("petal width", "Sepal Length (cm)"))
    np.testing.assert_array_equal(data.X, iris.data[:, [3, 0]])
    np.testing.assert_array_equal(data.labels, iris.target)
    assert data.feature_names == ("petal width (cm)", "sepal length (cm)")
    assert data.label_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(load_iris_features((2,)).X[:, 0], iris.data[:, 2])
    assert load_iris_features(None).X.shape == (150, 4)


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
