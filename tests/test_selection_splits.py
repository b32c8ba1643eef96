"""picks_across_splits and sweep_components(n_init=): the splits are scikit-learn's ShuffleSplit,
each split's scores are scikit-learn's score and bic on the same fits, and n_init keeps the best
of several starts.
"""

from __future__ import annotations

import numpy as np
import pytest

import gmmlab
from tests.check_support import LazyAttr, three_tilted_clusters

GaussianMixture = LazyAttr("sklearn.mixture", "GaussianMixture")
ShuffleSplit = LazyAttr("sklearn.model_selection", "ShuffleSplit")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def three_clusters():
    truth = three_tilted_clusters()
    X, _ = truth.sample(240, seed=7)
    return X


def _sklearn_model(params):
    """A GaussianMixture holding gmmlab's parameters, to score with scikit-learn's own code."""
    gm = GaussianMixture(params.n_components)
    gm.weights_, gm.means_, gm.covariances_ = params.weights, params.means, params.covariances
    gm.precisions_cholesky_ = np.linalg.cholesky(np.linalg.inv(params.covariances))
    gm.covariance_type = "full"
    return gm


def test_each_split_is_shufflesplits_and_its_picks_follow_sklearns_scores(three_clusters):
    X, ks = three_clusters, [1, 2, 3, 4]
    picks = gmmlab.picks_across_splits(X, ks, n_splits=4, test_size=60, seed=3)
    splits = ShuffleSplit(4, test_size=60, random_state=3).split(X)
    for s, (train, test) in enumerate(splits):
        sweep = gmmlab.sweep_components(X[train], ks, X_held_out=X[test], seed=3 + s)
        models = [_sklearn_model(sweep.fits[k].params) for k in ks]
        held_out = [m.score(X[test]) for m in models]
        bic = [m.bic(X[train]) for m in models]
        aic = [m.aic(X[train]) for m in models]
        np.testing.assert_allclose(picks.held_out[s], held_out, rtol=1e-10)
        assert picks.picks["held-out"][s] == ks[int(np.argmax(held_out))]
        assert picks.picks["BIC"][s] == ks[int(np.argmin(bic))]
        assert picks.picks["AIC"][s] == ks[int(np.argmin(aic))]


def test_three_separated_clusters_give_three_on_every_split(three_clusters):
    picks = gmmlab.picks_across_splits(three_clusters, range(1, 6), n_splits=5, n_init=2)
    assert picks.picks["BIC"].tolist() == [3] * 5
    counts = picks.counts("BIC")
    assert counts.tolist() == [0, 0, 5, 0, 0] and counts.sum() == picks.n_splits
    text = repr(picks.table())
    assert "K=3" in text and "3–3" in text


def test_n_init_keeps_the_best_of_several_starts(three_clusters):
    """sweep_components(n_init=5): each fit's ℓ is the highest of the five single-start runs
    gmmlab.fit(n_init=5) makes, hence at least that of the first start alone."""
    single = gmmlab.sweep_components(three_clusters, [4, 6], seed=0)
    several = gmmlab.sweep_components(three_clusters, [4, 6], seed=0, n_init=5)
    for k in (4, 6):
        best = gmmlab.fit(three_clusters, k, n_init=5, seed=0).log_likelihoods[-1]
        assert several.train[[4, 6].index(k)] * len(three_clusters) == pytest.approx(best)
    assert np.all(several.train >= single.train - 1e-9)


def test_cross_validation_in_a_sweep_uses_n_init_too(three_clusters, monkeypatch):
    seen = []
    original = gmmlab.selection.fit

    def recording(*args, **kwargs):
        seen.append(kwargs.get("n_init"))
        return original(*args, **kwargs)

    monkeypatch.setattr(gmmlab.selection, "fit", recording)
    gmmlab.sweep_components(three_clusters, [2, 3], n_folds=3, n_init=2)
    assert seen == [2] * 8  # per K: one fit to all points, then one per fold


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"n_splits": 0}, ValueError, "n_splits must be"),
        ({"test_size": 1.5}, ValueError, "test_size must be a share in"),
        ({"test_size": "a quarter"}, TypeError, "test_size must be a share"),
        ({"test_size": 239}, ValueError, "test_size must leave"),
        ({"n_init": 0}, ValueError, "n_init must be"),
    ],
)
def test_bad_arguments_are_named(three_clusters, options, error, message):
    with pytest.raises(error, match=message):
        gmmlab.picks_across_splits(three_clusters, [1, 2], **options)


def test_counts_refuse_an_unknown_criterion(three_clusters):
    picks = gmmlab.picks_across_splits(three_clusters, [1, 2], n_splits=2)
    with pytest.raises(ValueError, match="criterion must be"):
        picks.counts("train")


def test_fold_picks_follow_kfold_and_sklearns_scores_on_each_fold(three_clusters):
    """sweep.fold_picks(): fold f's fit is gmmlab.fit on KFold's training part (same seed); its
    held-out score is scikit-learn's score on the fold, its BIC and AIC scikit-learn's on the
    points it saw."""
    from sklearn.model_selection import KFold

    X, ks = three_clusters, [1, 2, 3, 4]
    sweep = gmmlab.sweep_components(X, ks, n_folds=4, seed=2, n_init=2)
    picks = sweep.fold_picks()
    assert picks.n_splits == 4
    for f, (train, test) in enumerate(KFold(4, shuffle=True, random_state=2).split(X)):
        models = [_sklearn_model(gmmlab.fit(X[train], k, seed=2, n_init=2).params) for k in ks]
        held_out = [m.score(X[test]) for m in models]
        np.testing.assert_allclose(sweep.held_out_folds[:, f], held_out, rtol=1e-10)
        np.testing.assert_allclose(sweep.fold_bic[:, f], [m.bic(X[train]) for m in models],
                                   rtol=1e-10)
        np.testing.assert_allclose(sweep.fold_aic[:, f], [m.aic(X[train]) for m in models],
                                   rtol=1e-10)
        assert picks.picks["held-out"][f] == ks[int(np.argmax(held_out))]
        assert picks.picks["BIC"][f] == ks[int(np.argmin(sweep.fold_bic[:, f]))]


def test_fold_picks_need_folds(three_clusters):
    sweep = gmmlab.sweep_components(three_clusters, [1, 2])
    with pytest.raises(ValueError, match="no folds"):
        sweep.fold_picks()
