"""check_bernoulli_m_step teaches: each typical mistake gets its hint, each case earns its place.

The wrong implementations are written as learners write them; the correct ones in other
styles than gmmlab's (loops, einsum, scipy's Beta mode) must pass. ``WRONG`` and ``CORRECT``
are added to tests/test_check.py's tables, so that its shared tests (the fallback of
``use_if_correct``) and tests/test_learner_path.py (a typical wrong answer written into
lesson 14's exercise) cover this checker too.
"""

import numpy as np
import pytest

from gmmlab.bernoulli import m_step
from gmmlab.check import check_bernoulli_m_step, use_if_correct
from tests.check_support import Wrong

# -- correct implementations, in other styles ----------------------------------------------


def bernoulli_m_step_loops(X, resp, a, b):
    n, d = X.shape
    k_count = resp.shape[1]
    weights = np.zeros(k_count)
    means = np.zeros((k_count, d))
    for k in range(k_count):
        nk = sum(resp[i, k] for i in range(n))
        weights[k] = nk / n
        for j in range(d):
            on = sum(resp[i, k] * X[i, j] for i in range(n))
            means[k, j] = (on + a - 1) / (nk + a + b - 2)
    return weights, means


def bernoulli_m_step_einsum(X, resp, a, b):
    nk = np.einsum("nk->k", resp)
    means = (np.einsum("nk,nd->kd", resp, X) + (a - 1)) / (nk + a + b - 2)[:, None]
    return nk / len(X), means


def bernoulli_m_step_counts(X, resp, a, b):
    """The posterior Beta's mode: (alpha - 1) / (alpha + beta - 2) with alpha, beta the counts."""
    on = resp.T @ X + a
    off = resp.T @ (1 - X) + b
    return resp.mean(axis=0), (on - 1) / (on + off - 2)


CORRECT = {
    "check_bernoulli_m_step": [
        bernoulli_m_step_loops,
        bernoulli_m_step_einsum,
        bernoulli_m_step_counts,
    ]
}


# -- wrong implementations, as learners write them ----------------------------------------


def bernoulli_m_step_range_10(X, resp, a, b):
    nk = resp.sum(axis=0)
    means = np.array([(resp[:, k] @ X + a - 1) / (nk[k] + a + b - 2) for k in range(10)])
    return nk / len(X), means


def bernoulli_m_step_over_n(X, resp, a, b):
    nk = resp.sum(axis=0)
    means = (resp.T @ X + a - 1) / (len(X) + a + b - 2)
    return nk / len(X), means


def bernoulli_m_step_no_gamma(X, resp, a, b):
    nk = resp.sum(axis=0)
    means = np.array([X.mean(axis=0) for k in range(resp.shape[1])])
    return nk / len(X), means


def bernoulli_m_step_hard_groups(X, resp, a, b):
    labels = resp.argmax(axis=1)
    nk = resp.sum(axis=0)
    means = np.array(
        [
            (X[labels == k].sum(axis=0) + a - 1) / ((labels == k).sum() + a + b - 2)
            for k in range(resp.shape[1])
        ]
    )
    return nk / len(X), means


def bernoulli_m_step_transposed(X, resp, a, b):
    nk = resp.sum(axis=0)
    means = (X.T @ resp + a - 1) / (nk + a + b - 2)  # (D, K): one column per component
    return nk / len(X), means


def bernoulli_m_step_prior_a_b(X, resp, a, b):
    nk = resp.sum(axis=0)
    means = (resp.T @ X + a) / (nk + a + b)[:, None]
    return nk / len(X), means


def bernoulli_m_step_prior_on_top_only(X, resp, a, b):
    nk = resp.sum(axis=0)
    means = (resp.T @ X + a - 1) / nk[:, None]
    return nk / len(X), means


def bernoulli_m_step_prior_swapped(X, resp, a, b):
    nk = resp.sum(axis=0)
    means = (resp.T @ X + b - 1) / (nk + a + b - 2)[:, None]
    return nk / len(X), means


def bernoulli_m_step_no_prior(X, resp, a, b):
    nk = resp.sum(axis=0)
    return nk / len(X), resp.T @ X / nk[:, None]


def bernoulli_m_step_weights_are_nk(X, resp, a, b):
    nk = resp.sum(axis=0)
    return nk, (resp.T @ X + a - 1) / (nk + a + b - 2)[:, None]


def bernoulli_m_step_guarded_nk(X, resp, a, b):
    nk = resp.sum(axis=0) + 1e-10  # never divide by 0
    return nk / len(X), (resp.T @ X + a - 1) / (nk + a + b - 2)[:, None]


def bernoulli_m_step_clipped(X, resp, a, b):
    nk = resp.sum(axis=0)
    means = (resp.T @ X + a - 1) / (nk + a + b - 2)[:, None]
    return nk / len(X), np.clip(means, 1e-9, 1 - 1e-9)  # no log(0) later


def bernoulli_m_step_means_first(X, resp, a, b):
    nk = resp.sum(axis=0)
    return (resp.T @ X + a - 1) / (nk + a + b - 2)[:, None], nk / len(X)


WRONG = [
    Wrong("check_bernoulli_m_step", bernoulli_m_step_over_n, "not by N + a + b − 2"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_range_10, "the lesson's K = 10"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_no_gamma, "plain average of X"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_hard_groups, "(hard groups)"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_transposed, "it looks transposed"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_prior_a_b, "not a and b"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_prior_on_top_only, "count below too"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_prior_swapped, "a and b are swapped"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_no_prior, "maximum-likelihood means"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_weights_are_nk, "these are the N_k"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_guarded_nk, "is not small next to it"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_clipped, "the prior's job"),
    Wrong("check_bernoulli_m_step", bernoulli_m_step_means_first, "return weights, means"),
]


@pytest.mark.parametrize("function", CORRECT["check_bernoulli_m_step"], ids=lambda f: f.__name__)
def test_correct_implementations_in_other_styles_pass(function):
    feedback = check_bernoulli_m_step(function)
    assert feedback.passed, repr(feedback)


def test_the_reference_is_gmmlabs_m_step_and_a_hand_computation():
    X = np.array([[1, 0], [1, 1], [0, 0]], dtype=float)
    resp = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])
    weights, means = check_bernoulli_m_step.reference(X, resp, 2.0, 3.0)
    np.testing.assert_allclose(weights, [1.6 / 3, 1.4 / 3], rtol=1e-12)
    np.testing.assert_allclose(means[0], [(1.4 + 1) / (1.6 + 3), (0.5 + 1) / (1.6 + 3)])
    params = m_step(X, resp, a=2.0, b=3.0)
    np.testing.assert_array_equal(means, params.means)
    assert means.flags.writeable


def test_the_cases_have_what_their_names_say():
    small, prior, few = check_bernoulli_m_step.cases
    assert small.arguments["resp"].shape[1] == 3 and small.arguments["X"].shape[1] == 4
    assert prior.arguments["a"] != prior.arguments["b"]
    assert prior.arguments["resp"].shape[1] == 10
    nk = few.arguments["resp"].sum(axis=0)
    assert 1e-6 < nk[9] < 1e-4 and nk[:9].min() > 1
    for case in (prior, few):
        assert set(np.unique(case.arguments["X"])) == {0.0, 1.0}
        assert case.arguments["X"].shape[1] == 64


def test_the_fallback_uses_the_reference_until_the_exercise_passes(capsys):
    chosen = use_if_correct(bernoulli_m_step_prior_swapped, check_bernoulli_m_step)
    assert chosen is check_bernoulli_m_step.reference
    assert (
        "does not pass check_bernoulli_m_step yet (2 of 3 cases pass)" in capsys.readouterr().out
    )
    assert use_if_correct(bernoulli_m_step_einsum, check_bernoulli_m_step) is (
        bernoulli_m_step_einsum
    )
