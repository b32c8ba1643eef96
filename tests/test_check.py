"""The exercise checkers: right answers pass, each kind of mistake gets its hint."""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from gmmlab.check import check_e_step, check_log_likelihood, check_m_step


def log_terms(X, weights, means, covariances):
    return np.column_stack(
        [
            np.log(w) + multivariate_normal(m, c).logpdf(X)
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
    )


def good_e_step(X, weights, means, covariances):
    logs = log_terms(X, weights, means, covariances)
    return np.exp(logs - logsumexp(logs, axis=1, keepdims=True))


def naive_e_step(X, weights, means, covariances):
    """Densities directly: 0/0 for a far point."""
    terms = np.column_stack(
        [
            w * multivariate_normal(m, c).pdf(X)
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
    )
    return terms / terms.sum(axis=1, keepdims=True)


def good_m_step(X, resp):
    nk = resp.sum(axis=0)
    means = resp.T @ X / nk[:, None]
    covariances = np.stack(
        [(resp[:, k, None] * (X - means[k])).T @ (X - means[k]) / nk[k] for k in range(len(nk))]
    )
    return nk / len(X), means, covariances


def good_log_likelihood(X, weights, means, covariances):
    return logsumexp(log_terms(X, weights, means, covariances), axis=1).sum()


def test_correct_e_step_passes_every_case():
    feedback = check_e_step(good_e_step)
    assert feedback.passed and bool(feedback)
    text = repr(feedback)
    assert text.count("✔") == 4 and "All 4 cases pass" in text


def test_naive_e_step_fails_only_on_the_far_point_with_a_hint():
    feedback = check_e_step(naive_e_step)
    failed = [case for case in feedback.cases if not case.passed]
    assert [case.name for case in failed] == ["a point far from every component"]
    assert "row 5 contains NaN" in failed[0].message
    assert "log-sum-exp" in failed[0].message
    assert "3 of 4 cases pass" in repr(feedback)


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        (lambda *a: good_e_step(*a).T, "looks transposed"),
        (lambda *a: None, "returned None"),
        (lambda *a: good_e_step(*a) * 2, "sums to 2"),
        (
            lambda X, w, m, c: good_e_step(X, np.full(len(w), 1 / len(w)), m, c),
            "without the weights",
        ),
        (lambda *a: good_e_step(*a)[:, ::-1], "wrong order"),
        (lambda *a: 1 / 0, "raised ZeroDivisionError"),
        (lambda *a: -good_e_step(*a), "is negative"),
    ],
)
def test_e_step_mistakes_get_specific_feedback(mistake, expected):
    feedback = check_e_step(mistake)
    assert not feedback.passed
    assert expected in repr(feedback)


def test_unwritten_exercise_says_so():
    def my_e_step(X, weights, means, covariances):
        raise NotImplementedError

    assert "not written yet" in repr(check_e_step(my_e_step))


def test_checker_cases_cannot_be_spoiled_by_the_learner():
    def vandal(X, weights, means, covariances):
        weights[:] = 0
        X[:] = 0
        return good_e_step(X, np.full(len(weights), 1 / len(weights)), means, covariances)

    check_e_step(vandal)
    assert check_e_step(good_e_step).passed


def test_correct_m_step_passes_and_mixtureparams_is_accepted():
    assert check_m_step(good_m_step).passed

    def returns_params(X, resp):
        import gmmlab

        return gmmlab.m_step(X, resp, reg_covar=0.0)

    assert check_m_step(returns_params).passed


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        (lambda X, r: (r.sum(axis=0), *good_m_step(X, r)[1:]), "these are the N_k"),
        (lambda X, r: (good_m_step(X, r)[0], r.T @ X / len(X), good_m_step(X, r)[2]), "not by N"),
        (
            lambda X, r: (
                *good_m_step(X, r)[:2],
                good_m_step(X, r)[2] * r.sum(axis=0)[:, None, None] / len(X),
            ),
            "divide by N_k, not by N",
        ),
        (
            lambda X, r: (
                *good_m_step(X, r)[:2],
                np.stack([np.diag(np.diag(c)) for c in good_m_step(X, r)[2]]),
            ),
            "outer product",
        ),
        (
            lambda X, r: (
                *good_m_step(X, r)[:2],
                good_m_step(X, r)[2] + 1e-6 * np.eye(X.shape[1]),
            ),
            "leave out reg_covar",
        ),
        (lambda X, r: good_m_step(X, r)[:2], "expected the tuple (weights, means, covariances)"),
        (
            lambda X, r: (good_m_step(X, r)[0], good_m_step(X, r)[1], good_m_step(X, r)[2][:, 0]),
            "covariances should have shape",
        ),
    ],
)
def test_m_step_mistakes_get_specific_feedback(mistake, expected):
    feedback = check_m_step(mistake)
    assert not feedback.passed
    assert expected in repr(feedback)


def test_log_likelihood_checker():
    assert check_log_likelihood(good_log_likelihood).passed

    def naive(X, weights, means, covariances):
        return np.log(np.exp(log_terms(X, weights, means, covariances)).sum(axis=1)).sum()

    feedback = check_log_likelihood(naive)
    far = next(case for case in feedback.cases if case.name.startswith("a point far"))
    assert not far.passed and "log-sum-exp" in far.message
    flipped = check_log_likelihood(lambda *a: -good_log_likelihood(*a))
    assert "check the sign" in repr(flipped)
    per_point = check_log_likelihood(lambda *a: logsumexp(log_terms(*a), axis=1))
    assert "expected one number" in repr(per_point)
