"""The exercise on the M-step from the three sums (lesson 12, `check_m_step_from_sums`).

CORRECT: implementations in other styles than gmmlab's, which must pass. WRONG: the
mistakes learners make, each with the words of its hint. tests/test_check.py runs the shared
tests over every exercise's two lists; the tests below are this exercise's own.
"""

import numpy as np
import pytest

import gmmlab
from gmmlab.check import (
    check_m_step,
    check_m_step_from_sums,
)
from tests.check_support import Wrong


def sums_loops(nk, sum_x, sum_xxT):
    """Component by component, with np.outer."""
    weights = nk / nk.sum()
    means, covariances = [], []
    for k in range(len(nk)):
        mean = sum_x[k] / nk[k]
        means.append(mean)
        covariances.append(sum_xxT[k] / nk[k] - np.outer(mean, mean))
    return weights, np.array(means), np.array(covariances)


def sums_einsum(nk, sum_x, sum_xxT):
    """N_k mu_k mu_k^T subtracted before dividing, with einsum."""
    means = sum_x / nk[:, None]
    scatter = sum_xxT - np.einsum("k,ki,kj->kij", nk, means, means)
    return nk / nk.sum(), means, scatter / nk[:, None, None]


def sums_through_gmmlab(nk, sum_x, sum_xxT):
    """The centred statistics built by hand, then gmmlab's own M-step."""
    means = sum_x / nk[:, None]
    spread = sum_xxT / nk[:, None, None] - np.einsum("ki,kj->kij", means, means)
    params = gmmlab.params_from_statistics(
        gmmlab.SufficientStatistics(nk, means, spread), reg_covar=0.0
    )
    return params.weights, params.means, params.covariances


CORRECT = {"check_m_step_from_sums": [sums_loops, sums_einsum, sums_through_gmmlab]}


def sums_range_3(nk, sum_x, sum_xxT):
    means = np.array([sum_x[k] / nk[k] for k in range(3)])  # the lesson's K = 3
    covariances = np.array([sum_xxT[k] / nk[k] - np.outer(means[k], means[k]) for k in range(3)])
    return nk / nk.sum(), means, covariances


def sums_squares_on_the_diagonal(nk, sum_x, sum_xxT):
    means = sum_x / nk[:, None]
    squares = np.array([np.diag(m**2) for m in means])  # mu_k^2, feature by feature
    return nk / nk.sum(), means, sum_xxT / nk[:, None, None] - squares


def sums_guarded_nk(nk, sum_x, sum_xxT):
    nk = nk + 1e-10  # never divide by 0
    means = sum_x / nk[:, None]
    covariances = sum_xxT / nk[:, None, None] - np.einsum("ki,kj->kij", means, means)
    return nk / nk.sum(), means, covariances


def sums_weights_are_nk(nk, sum_x, sum_xxT):
    _, means, covariances = sums_loops(nk, sum_x, sum_xxT)
    return nk, means, covariances


def sums_weights_over_k(nk, sum_x, sum_xxT):
    _, means, covariances = sums_loops(nk, sum_x, sum_xxT)
    return nk / len(nk), means, covariances


def sums_means_over_n(nk, sum_x, sum_xxT):
    weights, _, covariances = sums_loops(nk, sum_x, sum_xxT)
    return weights, sum_x / nk.sum(), covariances


def sums_second_moment(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    return weights, means, sum_xxT / nk[:, None, None]


def sums_subtract_before_dividing(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    outer = np.einsum("ki,kj->kij", means, means)
    return weights, means, (sum_xxT - outer) / nk[:, None, None]


def sums_outer_of_the_sums(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    outer = np.einsum("ki,kj->kij", sum_x, sum_x)
    return weights, means, (sum_xxT - outer) / nk[:, None, None]


def sums_unbiased(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    scatter = sum_xxT - nk[:, None, None] * np.einsum("ki,kj->kij", means, means)
    return weights, means, scatter / (nk - 1)[:, None, None]


def sums_reg_covar(nk, sum_x, sum_xxT):
    weights, means, covariances = sums_loops(nk, sum_x, sum_xxT)
    return weights, means, covariances + 1e-6 * np.eye(means.shape[1])


def sums_wrong_sign(nk, sum_x, sum_xxT):
    weights, means, _ = sums_loops(nk, sum_x, sum_xxT)
    return weights, means, np.einsum("ki,kj->kij", means, means) - sum_xxT / nk[:, None, None]


def sums_squares_broadcast(nk, sum_x, sum_xxT):
    means = sum_x / nk[:, None]
    return nk / nk.sum(), means, sum_xxT / nk[:, None, None] - means**2


def sums_nk_without_newaxis(nk, sum_x, sum_xxT):
    means = sum_x / nk
    covariances = sum_xxT / nk[:, None, None] - np.einsum("ki,kj->kij", means, means)
    return nk / nk.sum(), means, covariances


def sums_returns_params(nk, sum_x, sum_xxT):
    return gmmlab.MixtureParams(*sums_loops(nk, sum_x, sum_xxT))


def test_the_sums_cases_are_the_m_step_cases_reduced_to_their_sums():
    """Each sums case holds N_k, sum_i gamma_ik x_i and sum_i gamma_ik x_i x_i^T computed here
    by hand from the M-step case's X and resp, and its expected answer is the M-step's."""
    for sums, full in zip(check_m_step_from_sums.cases, check_m_step.cases, strict=True):
        X, resp = full.copies()
        np.testing.assert_allclose(sums.arguments["nk"], resp.sum(axis=0), rtol=1e-13)
        np.testing.assert_allclose(sums.arguments["sum_x"], resp.T @ X, rtol=1e-13)
        by_hand = np.einsum("ik,id,ie->kde", resp, X, X)
        np.testing.assert_allclose(sums.arguments["sum_xxT"], by_hand, rtol=1e-12)
        for got, expected in zip(
            check_m_step_from_sums.reference(*sums.copies()),
            check_m_step.reference(X, resp),
            strict=True,
        ):
            np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        (([1.0, 0.0], [[1.0], [2.0]], [[[1.0]], [[4.0]]]), ValueError, r"nk\[1\] = 0.0"),
        (([1.0], [1.0], [[[1.0]]]), ValueError, "sum_x must have shape"),
        (([1.0], [[1.0]], [[1.0]]), ValueError, "sum_xxT must have shape"),
        ((["a"], [[1.0]], [[[1.0]]]), TypeError, "nk must be an array of real numbers"),
        (([np.nan], [[1.0]], [[[1.0]]]), ValueError, "nk contains NaN"),
    ],
)
def test_the_sums_reference_names_a_bad_argument(arguments, error, words):
    with pytest.raises(error, match=words):
        check_m_step_from_sums.reference(*arguments)


WRONG = [
    Wrong("check_m_step_from_sums", sums_range_3, "does your code assume the lesson's sizes"),
    Wrong("check_m_step_from_sums", sums_squares_on_the_diagonal, "μ_k μ_kᵀ is an outer product"),
    Wrong("check_m_step_from_sums", sums_guarded_nk, "is not small next to it"),
    Wrong("check_m_step_from_sums", sums_weights_are_nk, "these are the N_k; divide them by N"),
    Wrong("check_m_step_from_sums", sums_weights_over_k, "len(nk) is K, the number of comp"),
    Wrong("check_m_step_from_sums", sums_means_over_n, "(nk[:, np.newaxis]), not by N"),
    Wrong("check_m_step_from_sums", sums_second_moment, "the spread about the origin"),
    Wrong("check_m_step_from_sums", sums_subtract_before_dividing, "after dividing by N_k"),
    Wrong("check_m_step_from_sums", sums_outer_of_the_sums, "divide it by N_k twice"),
    Wrong("check_m_step_from_sums", sums_unbiased, "divides by N_k − 1"),
    Wrong("check_m_step_from_sums", sums_reg_covar, "that is reg_covar"),
    Wrong("check_m_step_from_sums", sums_wrong_sign, "check the sign"),
    Wrong("check_m_step_from_sums", sums_squares_broadcast, "this term is (K, D): μ_k μ_kᵀ"),
    Wrong("check_m_step_from_sums", sums_nk_without_newaxis, "divide each row of sum_x by its"),
    Wrong("check_m_step_from_sums", sums_returns_params, "the cells below unpack"),
]
