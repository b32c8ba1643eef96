"""Using a fitted mixture (lesson 11): anomalies, held-out scores, sweeps over K, units.

References: scikit-learn's GaussianMixture (score_samples, score, bic, aic), KFold and
cross_val_score, scipy's densities, and hand computations.
"""

import math

import matplotlib
import numpy as np
import pytest

import gmmlab
from gmmlab.plotting import log_density_grid, plot_image_grid, plot_log_density
from tests.check_support import LazyAttr, three_tilted_clusters

norm = LazyAttr("scipy.stats", "norm")
GaussianMixture = LazyAttr("sklearn.mixture", "GaussianMixture")
KFold = LazyAttr("sklearn.model_selection", "KFold")
cross_val_score = LazyAttr("sklearn.model_selection", "cross_val_score")

matplotlib.use("Agg")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def blobs():
    """Three well-separated tilted clusters, 300 points, and 100 more from the same source."""
    truth = three_tilted_clusters()
    X, _ = truth.sample(400, seed=5)
    return X[:300], X[300:]


@pytest.fixture(scope="module")
def sklearn_fit(blobs):
    return GaussianMixture(3, random_state=0).fit(blobs[0])


# -- anomalies ------------------------------------------------------------------------


def test_threshold_and_flags_follow_scikit_learns_score_samples(blobs, sklearn_fit):
    """Géron's recipe: np.percentile of score_samples on the training data, then <."""
    X_train, X_new = blobs
    params = gmmlab.MixtureParams.from_sklearn(sklearn_fit)
    for percent in (0.0, 2.0, 4.0, 37.5, 100.0):
        expected = np.percentile(sklearn_fit.score_samples(X_train), percent)
        tau = gmmlab.anomaly_threshold(X_train, params, percent)
        assert tau == pytest.approx(expected, abs=1e-10)
        np.testing.assert_array_equal(
            gmmlab.flag_anomalies(X_new, params, tau), sklearn_fit.score_samples(X_new) < tau
        )


def test_the_threshold_flags_the_share_of_training_points_asked_for(blobs, sklearn_fit):
    """With linear interpolation, ceil((N - 1) q / 100) training points lie strictly below."""
    X_train, _ = blobs
    params = gmmlab.MixtureParams.from_sklearn(sklearn_fit)
    for percent in (1.0, 2.5, 10.0, 50.0):
        tau = gmmlab.anomaly_threshold(X_train, params, percent)
        flags = gmmlab.flag_anomalies(X_train, params, tau)
        assert flags.sum() == math.ceil((len(X_train) - 1) * percent / 100)


def test_threshold_by_hand_for_one_gaussian():
    """One N(0, 1): log p(x) = -x^2/2 - log(2 pi)/2; the median of four sorted values."""
    params = gmmlab.MixtureParams([1.0], [0.0], [1.0])
    x = np.array([3.0, 0.0, 2.0, 1.0])
    log_p = norm.logpdf(x)
    expected = (np.sort(log_p)[1] + np.sort(log_p)[2]) / 2
    assert gmmlab.anomaly_threshold(x, params, 50) == pytest.approx(expected, abs=1e-12)
    assert gmmlab.flag_anomalies(x, params, expected).tolist() == [True, False, True, False]


def test_a_point_beyond_the_floating_point_range_is_flagged_not_lost():
    params = gmmlab.MixtureParams([1.0], [0.0], [1.0])
    flags = gmmlab.flag_anomalies([0.0, 1e160], params, threshold=-10.0)
    assert flags.tolist() == [False, True]
    with pytest.raises(ValueError, match=r"X\[1\] lies about 1e160 standard deviations"):
        gmmlab.anomaly_threshold([0.0, 1e160], params, 5)


# -- held-out log-likelihood and cross-validation --------------------------------------


def test_log_mixture_pdf_is_scikit_learns_score_samples(blobs, sklearn_fit):
    """Lesson 11: gmmlab.log_mixture_pdf gives log p(x_i) point by point, as score_samples."""
    X_train, X_new = blobs
    params = gmmlab.MixtureParams.from_sklearn(sklearn_fit)
    for X in (X_train, X_new, X_new * 3.0):  # the last far from every component too
        np.testing.assert_allclose(
            gmmlab.log_mixture_pdf(X, params), sklearn_fit.score_samples(X), rtol=1e-10, atol=1e-9
        )


def test_mean_log_likelihood_is_scikit_learns_score(blobs, sklearn_fit):
    X_train, X_new = blobs
    params = gmmlab.MixtureParams.from_sklearn(sklearn_fit)
    for X in (X_train, X_new):
        assert gmmlab.mean_log_likelihood(X, params) == pytest.approx(
            sklearn_fit.score(X), abs=1e-10
        )


def test_cross_validate_matches_cross_val_score_on_kfold(blobs):
    """The same folds, each fitted to convergence by both libraries: the same held-out scores.

    scikit-learn starts from k-means, gmmlab from k-means++: on three clusters this far
    apart both reach the same maximum, so the scores agree to the stopping tolerance.
    """
    X = np.vstack(blobs)
    ours = gmmlab.cross_validate(X, 3, n_folds=4, seed=1, tol=1e-10, max_iter=1000)
    folds = KFold(4, shuffle=True, random_state=1)
    theirs = cross_val_score(
        GaussianMixture(3, tol=1e-10, max_iter=1000, n_init=3, random_state=0), X, cv=folds
    )
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-6)


def test_cross_validate_holds_out_every_point_once(blobs, monkeypatch):
    X = np.vstack(blobs)
    held_out = []
    original = gmmlab.selection.mean_log_likelihood

    def recording(points, params):
        held_out.append(points)
        return original(points, params)

    monkeypatch.setattr(gmmlab.selection, "mean_log_likelihood", recording)
    gmmlab.cross_validate(X, 2, n_folds=5, seed=0, max_iter=5)
    rows = np.vstack(held_out)
    assert len(held_out) == 5 and len(rows) == len(X)
    assert len(np.unique(rows, axis=0)) == len(np.unique(X, axis=0))


# -- the sweep over K -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sweep(blobs):
    X_train, X_new = blobs
    return gmmlab.sweep_components(X_train, range(1, 7), X_held_out=X_new, tol=1e-8)


def test_sweep_scores_agree_with_scikit_learn(blobs, sweep):
    """Each fit's training score, held-out score, BIC and AIC, as scikit-learn computes them
    for the same parameters."""
    X_train, X_new = blobs
    for i, k in enumerate(sweep.n_components):
        gm = GaussianMixture(int(k))
        params = sweep.fits[k].params
        gm.weights_, gm.means_, gm.covariances_ = params.weights, params.means, params.covariances
        gm.precisions_cholesky_ = np.linalg.cholesky(np.linalg.inv(params.covariances))
        assert sweep.train[i] == pytest.approx(gm.score(X_train), abs=1e-9)
        assert sweep.held_out[i] == pytest.approx(gm.score(X_new), abs=1e-9)
        assert sweep.bic[i] == pytest.approx(gm.bic(X_train), abs=1e-6)
        assert sweep.aic[i] == pytest.approx(gm.aic(X_train), abs=1e-6)
        assert sweep.n_parameters[i] == gm._n_parameters()


def test_sweep_finds_the_three_clusters_and_training_score_keeps_rising(sweep):
    assert sweep.choices == {"held-out": 3, "BIC": 3, "AIC": 3}
    assert sweep.best("train") == 6
    assert (np.diff(sweep.train[:3]) > 0).all()
    assert sweep.held_out_method == "held-out points"


def test_sweep_by_cross_validation_averages_the_folds(blobs):
    X_train, _ = blobs
    sweep = gmmlab.sweep_components(X_train, [2, 3], n_folds=3, seed=2, max_iter=50)
    for i, k in enumerate(sweep.n_components):
        folds = gmmlab.cross_validate(X_train, int(k), n_folds=3, seed=2, max_iter=50)
        np.testing.assert_allclose(sweep.held_out_folds[i], folds, rtol=0, atol=0)
        assert sweep.held_out[i] == pytest.approx(folds.mean(), abs=1e-12)
    assert sweep.held_out_method == "3-fold cross-validation"


def test_sweep_without_held_out_data_has_no_held_out_choice(blobs):
    sweep = gmmlab.sweep_components(blobs[0], [1, 2], max_iter=5)
    assert sweep.held_out is None and set(sweep.choices) == {"BIC", "AIC"}
    with pytest.raises(ValueError, match="no held-out log-likelihood"):
        sweep.best("held-out")
    assert "held-out" not in repr(sweep.table())


def test_sweep_results_are_read_only(sweep):
    with pytest.raises(ValueError, match="read-only"):
        sweep.train[0] = 0.0
    with pytest.raises(TypeError):
        sweep.fits[1] = None
    table = repr(sweep.table())
    assert table.splitlines()[0].split()[:2] == ["K", "d_θ"]
    assert len(table.splitlines()) == 2 + len(sweep.n_components)


def test_a_collapse_in_a_sweep_names_the_k():
    x = np.array([0.0, 0.0, 0.0, 1.0, 2.0, 3.0])
    with pytest.raises(gmmlab.ComponentCollapseError) as raised:
        gmmlab.sweep_components(x, [1, 4], reg_covar=0.0, init="kmeans", max_iter=50)
    assert "(while fitting K = 4)" in raised.value.__notes__


# -- a mixture in other units -----------------------------------------------------------


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_rescaled_mixture_is_the_change_of_variables(blobs, covariance_type):
    """y = A x: log p_Y(y) = log p_X(x) - log|det A|, and EM from the rescaled start gives the
    rescaled fit (full and diag; tied too) when reg_covar is off."""
    X = blobs[0]
    factors = np.array([1.0, 10.0])
    start = gmmlab.initialize(X, 3, seed=0, covariance_type=covariance_type)
    scaled = start.rescaled(factors)
    np.testing.assert_allclose(
        gmmlab.log_mixture_pdf(X * factors, scaled),
        gmmlab.log_mixture_pdf(X, start) - np.log(10.0),
        rtol=0,
        atol=1e-10,
    )
    if covariance_type == "spherical":
        assert scaled.covariance_type == "diag"
        assert start.rescaled(-3.0).covariance_type == "spherical"
        return
    options = {"max_iter": 30, "tol": 0, "reg_covar": 0.0, "covariance_type": covariance_type}
    in_cm = gmmlab.fit(X, 3, init=start, **options)
    in_mm = gmmlab.fit(X * factors, 3, init=scaled, **options)
    np.testing.assert_allclose(in_mm.params.means, in_cm.params.rescaled(factors).means, atol=1e-9)
    assert in_mm.log_likelihoods[-1] == pytest.approx(
        in_cm.log_likelihoods[-1] - len(X) * np.log(10.0), abs=1e-8
    )


def test_rescaled_refuses_bad_factors():
    params = gmmlab.MixtureParams([1.0], [[0.0, 0.0]], [np.eye(2)])
    with pytest.raises(ValueError, match="factors must be non-zero"):
        params.rescaled([1.0, 0.0])
    with pytest.raises(ValueError, match=r"one per feature \(2\)"):
        params.rescaled([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="factors contains NaN or infinite"):
        params.rescaled([1.0, np.inf])
    with pytest.raises(TypeError, match="factors must be an array of real numbers"):
        params.rescaled("10")


# -- pictures -----------------------------------------------------------------------------


def test_log_density_grid_matches_scipy_pointwise():
    from scipy.stats import multivariate_normal

    params = gmmlab.MixtureParams(
        [0.3, 0.7], [[0.0, 0.0], [2.0, 1.0]], [[[1.0, 0.3], [0.3, 0.5]], np.eye(2)]
    )
    x, y, log_p = log_density_grid(params, [[-2, 4], [-1, 3]], n_points=7)
    j, i = 5, 2  # row j follows y, column i follows x
    point = [x[i], y[j]]
    expected = np.log(
        0.3 * multivariate_normal(params.means[0], params.covariances[0]).pdf(point)
        + 0.7 * multivariate_normal(params.means[1], params.covariances[1]).pdf(point)
    )
    assert log_p.shape == (7, 7) and log_p[j, i] == pytest.approx(expected, abs=1e-12)
    assert x[0] == -2 and x[-1] == 4 and y[0] == -1 and y[-1] == 3


def test_plot_log_density_levels_reach_depth_below_the_peak():
    import matplotlib.pyplot as plt

    params = gmmlab.MixtureParams([1.0], [[0.0, 0.0]], [np.eye(2)])
    fig, ax = plt.subplots()
    contours = plot_log_density(ax, params, [[-3, 3], [-3, 3]], n_points=61, depth=4, n_levels=5)
    peak = -np.log(2 * np.pi)  # at the mean, on the grid
    np.testing.assert_allclose(contours.levels, np.linspace(peak - 4, peak, 5), atol=1e-12)
    assert ax.get_xlim() == (-3.0, 3.0)
    given = plot_log_density(ax, params, [[-3, 3], [-3, 3]], levels=[-6, -4, -2])
    np.testing.assert_array_equal(given.levels, [-6, -4, -2])
    plt.close(fig)


def test_plot_image_grid_tiles_the_images_in_rows():
    import matplotlib.pyplot as plt

    images = np.arange(5 * 6, dtype=float).reshape(5, 6)  # five 2 x 3 images
    fig, ax = plt.subplots()
    artist = plot_image_grid(ax, images, (2, 3), n_columns=2)
    mosaic = artist.get_array()
    assert mosaic.shape == (3 * 2 + 2, 2 * 3 + 1)  # 3 rows of 2 images, 1-pixel gaps
    np.testing.assert_array_equal(mosaic[3:5, 4:7], images[3].reshape(2, 3))  # row 1, column 1
    assert np.ma.is_masked(mosaic[2, 0]) or np.isnan(mosaic[2, 0])
    assert artist.get_clim() == (0.0, 29.0)
    plt.close(fig)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda ax: plot_image_grid(ax, np.zeros((3, 6)), (2, 2)), ValueError,
         r"image_shape 2 x 2 = 4 pixels, but each image has 6"),
        (lambda ax: plot_image_grid(ax, np.zeros(6), (2, 3)), ValueError, "images must be 2-D"),
        (lambda ax: plot_image_grid(ax, np.zeros((1, 6)), 6), TypeError, "image_shape must be"),
        (lambda ax: plot_image_grid(ax, np.zeros((1, 6)), (2, 3), vmin=1, vmax=1), ValueError,
         "vmin must be below vmax"),
        (lambda ax: plot_image_grid(ax, np.zeros((1, 6)), (2, 3), n_columns=0), ValueError,
         "n_columns must be at least 1"),
        (lambda ax: plot_log_density(ax, gmmlab.MixtureParams([1.0], [0.0], [1.0]),
                                     [[0, 1], [0, 1]]), ValueError, "needs a 2-feature mixture"),
        (lambda ax: plot_log_density(ax, gmmlab.MixtureParams([1.0], [[0, 0]], [np.eye(2)]),
                                     [[1, 0], [0, 1]]), ValueError, "each low must be below"),
        (lambda ax: plot_log_density(ax, gmmlab.MixtureParams([1.0], [[0, 0]], [np.eye(2)]),
                                     [[0, 1], [0, 1]], depth=0), ValueError,
         "depth must be a finite number greater than 0"),
        (lambda ax: plot_log_density(ax, gmmlab.MixtureParams([1.0], [[0, 0]], [np.eye(2)]),
                                     [[0, 1], [0, 1]], levels=[1, 0]), ValueError,
         "levels must be at least 2 increasing numbers"),
        (lambda ax: log_density_grid(gmmlab.MixtureParams([1.0], [[0, 0]], [np.eye(2)]),
                                     [0, 1]), ValueError, r"limits must be \[\[x_low"),
    ],
)
def test_bad_arguments_of_the_pictures(call, error, message):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    try:
        with pytest.raises(error, match=message):
            call(ax)
    finally:
        plt.close(fig)
