"""The lesson 10 exercise's checker, check_bic: correct answers in any style pass, each typical
mistake gets its own hint, and each case catches a wrong answer that the others let through.

References: scikit-learn's GaussianMixture.bic (and its parameter count), gmmlab.bic on a
fitted mixture, and hand counts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gmmlab
from gmmlab.check import use_if_correct
from gmmlab.check.bic import check_bic, reference_bic
from tests.check_support import LazyAttr, Wrong

GaussianMixture = LazyAttr("sklearn.mixture", "GaussianMixture")

# -- correct answers, in other styles ---------------------------------------------------------


def bic_by_parts(log_likelihood, n_components, n_features, n_samples):
    weights = n_components - 1
    means = n_components * n_features
    covariances = n_components * n_features * (n_features + 1) / 2
    return -2 * log_likelihood + (weights + means + covariances) * np.log(n_samples)


def bic_through_gmmlab(log_likelihood, n_components, n_features, n_samples):
    d_theta = gmmlab.n_parameters_for(int(n_components), int(n_features))
    return -2 * log_likelihood + d_theta * math.log(n_samples)


def bic_triangle_count(log_likelihood, n_components, n_features, n_samples):
    d = int(n_features)
    per_component = d + len(np.triu_indices(d)[0])  # mean, then the upper triangle
    return -2 * log_likelihood + (int(n_components) * (per_component + 1) - 1) * np.log(n_samples)


CORRECT = {"check_bic": [bic_by_parts, bic_through_gmmlab, bic_triangle_count]}


@pytest.mark.parametrize("function", CORRECT["check_bic"], ids=lambda f: f.__name__)
def test_correct_answers_in_other_styles_pass(function):
    feedback = check_bic(function)
    assert feedback.passed, repr(feedback)


def test_the_reference_is_scikit_learns_bic_on_fitted_mixtures():
    """GaussianMixture.bic(X) = -2 ℓ + d_θ ln N, with ℓ = score(X) · N; the reference agrees."""
    rng = np.random.default_rng(3)
    for n_features, n_components in ((1, 2), (2, 3), (4, 2)):
        X = rng.normal(size=(120, n_features)) + rng.integers(0, 3, (120, 1)) * 4.0
        gm = GaussianMixture(n_components, random_state=0).fit(X)
        log_likelihood = gm.score(X) * len(X)
        expected = gm.bic(X)
        assert reference_bic(log_likelihood, n_components, n_features, len(X)) == pytest.approx(
            expected, rel=1e-12
        )
        assert gmmlab.bic(X, gmmlab.MixtureParams.from_sklearn(gm)) == pytest.approx(
            expected, rel=1e-10
        )
        assert gmmlab.n_parameters_for(n_components, n_features) == gm._n_parameters()


@pytest.mark.parametrize("covariance_type", gmmlab.COVARIANCE_TYPES)
def test_parameter_counts_are_scikit_learns_for_every_covariance_type(covariance_type):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 3))
    gm = GaussianMixture(2, covariance_type=covariance_type, random_state=0).fit(X)
    assert gmmlab.n_parameters_for(2, 3, covariance_type) == gm._n_parameters()
    assert gmmlab.n_parameters(gmmlab.MixtureParams.from_sklearn(gm)) == gm._n_parameters()


def test_parameter_counts_by_hand():
    # K = 3, D = 4: 2 weights, 12 mean values, 3 · 10 covariance values (lesson 10, question 1)
    assert gmmlab.n_parameters_for(3, 4) == 2 + 12 + 30
    assert gmmlab.n_parameters_for(3, 4, "diag") == 2 + 12 + 12
    assert gmmlab.n_parameters_for(3, 4, "spherical") == 2 + 12 + 3
    assert gmmlab.n_parameters_for(3, 4, "tied") == 2 + 12 + 10


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ((0, 2), ValueError, "n_components must be"),
        ((2, 1.5), TypeError, "n_features must be"),
        ((2, 2, "triangular"), ValueError, "covariance_type must be"),
    ],
)
def test_parameter_count_refuses_bad_arguments(arguments, error, message):
    with pytest.raises(error, match=message):
        gmmlab.n_parameters_for(*arguments)


# -- wrong answers, as learners write them ----------------------------------------------------


def bic_k_weights(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features
    return -2 * log_likelihood + (k + k * d + k * d * (d + 1) / 2) * np.log(n_samples)


def bic_d_squared(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features
    return -2 * log_likelihood + (k - 1 + k * d + k * d * d) * np.log(n_samples)


def bic_diagonal_count(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features
    return -2 * log_likelihood + (k - 1 + k * d + k * d) * np.log(n_samples)


def bic_log10(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features
    return -2 * log_likelihood + (k - 1 + k * d + k * d * (d + 1) / 2) * np.log10(n_samples)


def bic_plus_two_l(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features
    return 2 * log_likelihood + (k - 1 + k * d + k * d * (d + 1) / 2) * np.log(n_samples)


def bic_minus_l(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features
    return -log_likelihood + (k - 1 + k * d + k * d * (d + 1) / 2) * np.log(n_samples)


def bic_is_aic(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features
    return -2 * log_likelihood + 2 * (k - 1 + k * d + k * d * (d + 1) / 2)


def bic_abs(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features
    return 2 * abs(log_likelihood) + (k - 1 + k * d + k * d * (d + 1) / 2) * np.log(n_samples)


def bic_two_features(log_likelihood, n_components, n_features, n_samples):
    k = n_components  # the lesson's data have D = 2: 2 mean values and 3 covariance values
    return -2 * log_likelihood + (k - 1 + 2 * k + 3 * k) * np.log(n_samples)


def bic_one_free_weight(log_likelihood, n_components, n_features, n_samples):
    k, d = n_components, n_features  # "the weights sum to 1: one constraint, one weight"
    return -2 * log_likelihood + (1 + k * d + k * d * (d + 1) / 2) * np.log(n_samples)


def bic_range_of_k(log_likelihood, n_components, n_features, n_samples):
    d_theta = -1
    for _ in range(n_components):  # a float K: TypeError
        d_theta += 1 + n_features + n_features * (n_features + 1) / 2
    return -2 * log_likelihood + d_theta * np.log(n_samples)


def bic_returns_none(log_likelihood, n_components, n_features, n_samples):
    _ = -2 * log_likelihood


WRONG = [
    Wrong("check_bic", bic_k_weights, "you counted K free weights"),
    Wrong("check_bic", bic_d_squared, "you counted D² values per covariance"),
    Wrong("check_bic", bic_diagonal_count, "as for a diagonal Σ_k"),
    Wrong("check_bic", bic_log10, "base-10 logarithm"),
    Wrong("check_bic", bic_plus_two_l, "the sign of the fit term is wrong"),
    Wrong("check_bic", bic_minus_l, "the fit term is −ℓ"),
    Wrong("check_bic", bic_is_aic, "this is AIC"),
    Wrong("check_bic", bic_abs, "you took the absolute value of ℓ"),
    Wrong("check_bic", bic_two_features, "not the lesson's two"),
    Wrong("check_bic", bic_one_free_weight, "4 free weights"),
    Wrong("check_bic", bic_range_of_k, "your function raised TypeError"),
    Wrong("check_bic", bic_returns_none, "did you forget `return bic`"),
]


def test_the_cells_below_fall_back_to_the_reference(capsys):
    assert use_if_correct(bic_k_weights, check_bic) is reference_bic
    assert "does not pass check_bic yet (0 of 3 cases pass)" in capsys.readouterr().out
    assert use_if_correct(bic_by_parts, check_bic) is bic_by_parts


def test_the_reference_refuses_counts_that_are_not_whole():
    with pytest.raises(ValueError, match="n_components must be a whole number"):
        reference_bic(-10.0, 2.5, 1, 10)
