"""Lesson 14's claims about EM runs on the binarised digits, over many seeds, not one run.

Each test names the sentence of notebooks/14_em_beyond_gaussians.ipynb it guards. Numbers the
lesson quotes for one run are its printed outputs (nbval compares them); what is tested here
is every general statement made from them, with margins, never the last digits of a run.
"""

import numpy as np
import pytest

from gmmlab import bernoulli

SEEDS = range(20)


@pytest.fixture(scope="module")
def digits():
    return bernoulli.load_binary_digits()


@pytest.fixture(scope="module")
def runs(digits):
    """(maximum likelihood, a = b = 2) from each seed's start, on all 1797 images."""
    return {
        s: (bernoulli.fit(digits.X, 10, seed=s), bernoulli.fit(digits.X, 10, a=2, b=2, seed=s))
        for s in SEEDS
    }


def agreement(labels, z):
    return sum(np.bincount(labels[z == k]).max() for k in np.unique(z)) / len(labels)


def test_the_loader_is_scikit_learns_digits_thresholded(digits):
    from sklearn.datasets import load_digits

    grey = load_digits()
    np.testing.assert_array_equal(digits.X, (grey.data >= 8).astype(float))
    np.testing.assert_array_equal(digits.labels, grey.target)
    np.testing.assert_array_equal(bernoulli.load_binary_digits(1).X, grey.data >= 1)
    with pytest.raises(ValueError, match="threshold must be at most 16"):
        bernoulli.load_binary_digits(17)
    with pytest.raises(TypeError, match="threshold must be an integer"):
        bernoulli.load_binary_digits(8.0)


def test_ten_pixels_are_never_on_and_force_100_zeros(digits, runs):
    """'The ten pixels that are off in every image give 100 of these zeros, one per component.
    The others come from the E-step ... many gamma_ik are exactly 0.'"""
    never_on = digits.X.sum(axis=0) == 0
    assert never_on.sum() == 10
    for ml, _ in runs.values():
        means = ml.params.means
        assert (means[:, never_on] == 0).all()
        assert (means == 0).sum() > 100  # zeros beyond the forced ones, in every run
        assert (bernoulli.e_step(digits.X, ml.params) == 0).mean() > 0.05


def test_a_zero_is_permanent_under_maximum_likelihood(runs):
    """'A zero is permanent ... component k can never take that image back.'"""
    for ml, _ in runs.values():
        zero_before = np.zeros_like(ml.history[0].means, dtype=bool)
        for params in ml.history[1:]:
            zero = params.means == 0
            assert zero[zero_before].all()
            zero_before = zero


def test_every_training_image_stays_possible(digits, runs):
    """'On the training images this does no harm: every image keeps a component that can
    produce it.'"""
    for ml, _ in runs.values():
        for t in (1, ml.n_iter // 2, ml.n_iter):
            assert np.isfinite(bernoulli.log_mixture_pmf(digits.X, ml.history[t])).all()


@pytest.fixture(scope="module")
def split_runs(digits):
    train, test = digits.X[:1200], digits.X[1200:]
    return (
        train,
        test,
        {
            s: (bernoulli.fit(train, 10, seed=s), bernoulli.fit(train, 10, a=2, b=2, seed=s))
            for s in range(10)
        },
    )


def test_maximum_likelihood_makes_new_images_impossible_and_the_prior_does_not(split_runs):
    """'Pixel 1 is off in all 1200 training images, so every mu_k1 = 0 ...'; 'The run with
    a = b = 2 has no impossible test image.'"""
    train, test, fits = split_runs
    assert np.flatnonzero((train.sum(axis=0) == 0) & (test.sum(axis=0) > 0)).tolist() == [1]
    pixel_1_on = test[:, 1] == 1
    assert pixel_1_on.sum() == 2
    for ml, smooth in fits.values():
        assert (ml.params.means[:, 1] == 0).all()
        impossible = np.isneginf(bernoulli.log_mixture_pmf(test, ml.params))
        assert impossible[pixel_1_on].all()  # others may be impossible too, depending on the start
        assert np.isfinite(bernoulli.log_mixture_pmf(test, smooth.params)).all()
        assert 0 < smooth.params.means.min() and smooth.params.means.max() < 1


def test_the_prior_predicts_new_images_better_from_every_start(split_runs):
    """'Its mean log p(x) on the test images ... is also higher than maximum likelihood's on the
    images it can evaluate ... The first comparison held in all but one of the starts we tried
    (a close call where it failed); the second depends on the start.' (Seed 13, with a longer
    run than the lesson's, is the close call a reader found: -20.57 against -20.63.)"""
    train, test, fits = split_runs
    lower_on_training = wins = 0
    for ml, smooth in fits.values():
        log_p_ml = bernoulli.log_mixture_pmf(test, ml.params)
        finite = np.isfinite(log_p_ml)
        better = bernoulli.log_mixture_pmf(test, smooth.params)[finite].mean()
        wins += better > log_p_ml[finite].mean()
        assert better > log_p_ml[finite].mean() - 0.5  # where it fails, a close call
        train_ml = bernoulli.log_mixture_pmf(train, ml.params).mean()
        train_smooth = bernoulli.log_mixture_pmf(train, smooth.params).mean()
        assert abs(train_smooth - train_ml) < 1.0  # "a little"
        lower_on_training += train_smooth < train_ml
    assert lower_on_training >= len(fits) // 2  # usual, not guaranteed
    assert wins >= len(fits) - 1


def test_with_the_prior_l_ends_lower_than_without_from_the_same_start(runs):
    """'and l ends lower (...): the prior pulls the means away from the maximum of l'."""
    for ml, smooth in runs.values():
        assert smooth.log_likelihoods[-1] < ml.log_likelihoods[-1]
        assert np.diff(smooth.objectives).min() >= -1e-9 * abs(smooth.objectives[-1])


def test_the_components_match_the_labels_only_in_part(digits, runs):
    """'the ten components match the labels only in part (agreement 0.70 to 0.77 over ten
    seeds)': over twenty seeds, never close to 1 and never close to chance (0.1)."""
    values = [
        agreement(digits.labels, bernoulli.e_step(digits.X, smooth.params).argmax(axis=1))
        for _, smooth in runs.values()
    ]
    assert 0.6 < min(values) and max(values) < 0.85


def test_most_starts_leave_a_digit_without_a_component_of_its_own(digits, runs):
    """'In nine of the ten runs one digit, usually 9, is the most common digit of no
    component: ten components do not give each digit its own.'"""
    missing = []
    for _, smooth in runs.values():
        z = bernoulli.e_step(digits.X, smooth.params).argmax(axis=1)
        leaders = {int(np.bincount(digits.labels[z == k]).argmax()) for k in np.unique(z)}
        missing.append(set(range(10)) - leaders)
    assert sum(bool(m) for m in missing) >= 0.75 * len(missing)
    left_out = [d for m in missing for d in m]
    assert max(set(left_out), key=left_out.count) == 9


def test_the_highest_l_is_not_the_best_agreement(digits, runs):
    """'The runs with the highest l agree less with the labels than seed 0 does: l measures how
    well the model describes the pixels, not whether its groups are the ones we name.'"""
    lls = np.array([smooth.log_likelihoods[-1] for _, smooth in runs.values()])
    agree = np.array(
        [
            agreement(digits.labels, bernoulli.e_step(digits.X, smooth.params).argmax(axis=1))
            for _, smooth in runs.values()
        ]
    )
    best = lls >= lls.max() - 1.0  # the runs that reach the highest maximum (up to rounding)
    assert agree[best].max() < agree.max() - 0.03


def test_an_images_probability_underflows_under_maximum_likelihood(digits, runs):
    """'For an image that a component does not fit, the product can underflow to 0.0 (below
    about e^-745); the maximum-likelihood fit below shows it.'"""
    for ml, _ in runs.values():
        log_p = bernoulli.log_bernoulli_pmf(digits.X, ml.params.means)
        assert log_p[np.isfinite(log_p)].min() < -745 - 500
