"""MixtureParams: construction, conversion, sampling, sub-mixtures."""

import numpy as np
import pytest

import gmmlab
from gmmlab import MixtureParams
from tests.check_support import LazyAttr

GaussianMixture = LazyAttr("sklearn.mixture", "GaussianMixture")


def test_one_feature_shorthand_equals_full_shapes():
    short = MixtureParams([0.3, 0.7], [0.0, 3.0], [1.0, 0.5])
    full = MixtureParams([0.3, 0.7], [[0.0], [3.0]], [[[1.0]], [[0.5]]])
    assert (short.n_components, short.n_features) == (2, 1)
    np.testing.assert_array_equal(short.means, full.means)
    np.testing.assert_array_equal(short.covariances, full.covariances)


def test_cholesky_factors_rebuild_the_covariances(two_blobs):
    _, _, params = two_blobs
    L = params.cholesky
    np.testing.assert_allclose(L @ L.transpose(0, 2, 1), params.covariances, atol=1e-14)
    np.testing.assert_array_equal(np.triu(L[0], 1), 0.0)


def test_inputs_are_copied(two_blobs):
    weights = np.array([0.5, 0.5])
    params = MixtureParams(weights, [0.0, 1.0], [1.0, 1.0])
    weights[0] = 0.9
    assert params.weights[0] == 0.5


def test_replace_checks_again():
    params = MixtureParams([0.5, 0.5], [0.0, 1.0], [1.0, 1.0])
    assert params.replace(means=[2.0, 3.0]).means[1, 0] == 3.0
    with pytest.raises(ValueError, match="weights must sum to 1"):
        params.replace(weights=[0.5, 0.1])


def test_sample_follows_the_mixture(two_blobs):
    _, _, truth = two_blobs
    X, labels = truth.sample(40_000, seed=0)
    assert X.shape == (40_000, 2) and labels.shape == (40_000,)
    for k in range(2):
        drawn = X[labels == k]
        assert len(drawn) / len(X) == pytest.approx(truth.weights[k], abs=0.01)
        np.testing.assert_allclose(drawn.mean(axis=0), truth.means[k], atol=0.03)
        np.testing.assert_allclose(np.cov(drawn.T), truth.covariances[k], atol=0.05)


def test_sample_is_reproducible_and_seed_dependent(two_blobs):
    _, _, truth = two_blobs
    a, _ = truth.sample(5, seed=1)
    b, _ = truth.sample(5, seed=1)
    c, _ = truth.sample(5, seed=2)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_from_sklearn_gives_full_matrices(iris_2d, covariance_type):
    gm = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(iris_2d)
    params = MixtureParams.from_sklearn(gm)
    assert params.covariances.shape == (3, 2, 2)
    np.testing.assert_allclose(params.means, gm.means_)
    # the densities agree, whatever sklearn's storage format
    np.testing.assert_allclose(
        np.log(gmmlab.mixture_pdf(iris_2d, params)), gm.score_samples(iris_2d), atol=1e-10
    )


def test_marginal_keeps_chosen_rows_and_columns():
    cov = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 3.0]])
    params = MixtureParams([1.0], [[1.0, 2.0, 3.0]], [cov])
    sub = params.marginal([2, 0])
    np.testing.assert_array_equal(sub.means, [[3.0, 1.0]])
    np.testing.assert_array_equal(sub.covariances[0], [[3.0, 0.1], [0.1, 2.0]])


def test_permute_renumbers_components():
    params = MixtureParams([0.2, 0.3, 0.5], [0.0, 1.0, 2.0], [1.0, 2.0, 3.0])
    permuted = params.permute([2, 0, 1])
    np.testing.assert_array_equal(permuted.weights, [0.5, 0.2, 0.3])
    np.testing.assert_array_equal(permuted.covariances[:, 0, 0], [3.0, 1.0, 2.0])


def test_repr_lists_every_component():
    params = MixtureParams([0.25, 0.75], [0.5, 3.0], [1.0, 0.125])
    text = repr(params)
    assert text.splitlines()[0] == (
        "MixtureParams(n_components=2, n_features=1, covariance_type='full')"
    )
    assert "k=1: weight=0.75  mean=[3.]  covariance=[[0.125]]" in text


def test_aligned_to_undoes_a_permutation():
    params = MixtureParams([0.2, 0.3, 0.5], [0.0, 5.0, 10.0], [1.0, 2.0, 3.0])
    shuffled = params.permute([2, 0, 1])
    aligned = shuffled.aligned_to(params)
    np.testing.assert_array_equal(aligned.means, params.means)
    np.testing.assert_array_equal(aligned.weights, params.weights)
    # centres alone work too, and a near match is enough
    aligned = shuffled.aligned_to([[9.0], [1.0], [4.0]])
    np.testing.assert_array_equal(aligned.means[:, 0], [10.0, 0.0, 5.0])
    with pytest.raises(ValueError, match="reference must have 3 centres"):
        params.aligned_to([[0.0], [1.0]])


def test_aligned_to_accepts_a_fit_result(iris_2d):
    import gmmlab

    a = gmmlab.fit(iris_2d, 3, seed=0, max_iter=20)
    b = a.permute([1, 2, 0])
    np.testing.assert_array_equal(b.aligned_to(a).params.means, a.params.means)
    np.testing.assert_array_equal(b.params.aligned_to(a).means, a.params.means)


def test_with_weight_rescales_the_others_in_proportion():
    params = gmmlab.MixtureParams([0.5, 0.3, 0.2], [0.0, 1.0, 2.0], [1.0, 2.0, 3.0])
    # by hand: the other two share 1 - 0.8 = 0.2 in the ratio 3 : 2
    np.testing.assert_allclose(params.with_weight(0, 0.8).weights, [0.8, 0.12, 0.08])
    np.testing.assert_allclose(
        params.with_weight(np.int64(2), np.float32(0.0)).weights, [0.625, 0.375, 0]
    )
    moved = params.with_weight(1, 0.5)
    np.testing.assert_array_equal(moved.means, params.means)
    np.testing.assert_array_equal(moved.covariances, params.covariances)
    # a component that held all the weight: the others share what it gives up equally
    alone = gmmlab.MixtureParams([1.0, 0.0, 0.0], [0.0, 1.0, 2.0], [1.0, 1.0, 1.0])
    np.testing.assert_allclose(alone.with_weight(0, 0.4).weights, [0.4, 0.3, 0.3])


@pytest.mark.parametrize(
    ("component", "weight", "error", "words"),
    [
        (3, 0.5, ValueError, "component must be at most 2"),
        (0.0, 0.5, TypeError, "component must be an integer"),
        (0, 1.5, ValueError, "weight must be at most 1"),
        (0, -0.1, ValueError, "weight must be at least 0"),
        (0, "half", TypeError, "weight must be a real number"),
        (0, float("nan"), ValueError, "weight must be finite"),
    ],
)
def test_with_weight_refuses_what_is_not_a_weight(component, weight, error, words):
    params = gmmlab.MixtureParams([0.5, 0.3, 0.2], [0.0, 1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(error, match=words):
        params.with_weight(component, weight)
    with pytest.raises(ValueError, match=r"weight must be exactly 1 \(K = 1\)"):
        gmmlab.MixtureParams([1.0], [0.0], [1.0]).with_weight(0, 0.5)
