"""The EM-loop checker (lesson 8) teaches: each typical mistake gets its hint, each case
earns its place, and correct loops in other styles pass.

The wrong loops below are written as learners write them, with gmmlab's steps standing in
for the learner's own (lessons 5–7): they need nothing but numpy, math and gmmlab, so that
tests/test_learner_path.py can paste one into the lesson.
"""

import numpy as np
import pytest

import gmmlab
from gmmlab.check import CHECKERS, check_em_loop, use_if_correct
from gmmlab.check.em_loop import reference_em
from tests.check_support import Wrong

# -- correct loops, in other styles -------------------------------------------------------


def em_while_loop(X, weights, means, covariances, tol, max_iter):
    """A while loop on a counter, parameters kept as three arrays, ℓ from scipy."""
    from scipy.special import logsumexp
    from scipy.stats import multivariate_normal

    def ell(w, m, c):
        a = np.column_stack(
            [np.log(w[k]) + multivariate_normal(m[k], c[k]).logpdf(X) for k in range(len(w))]
        )
        return logsumexp(a, axis=1).sum()

    lls, t = [ell(weights, means, covariances)], 0
    while t < max_iter:
        resp = gmmlab.e_step(X, gmmlab.MixtureParams(weights, means, covariances))
        new = gmmlab.m_step(X, resp, reg_covar=0)
        weights, means, covariances = new.weights, new.means, new.covariances
        lls.append(ell(weights, means, covariances))
        t += 1
        if abs(lls[-1] - lls[-2]) < tol * len(X):
            break
    return weights, means, covariances, np.array(lls)


def em_learner_steps(X, weights, means, covariances, tol, max_iter):
    """With hand-written steps, as a learner who solved lessons 5-7 would."""

    def log_terms(w, m, c):
        return np.column_stack(
            [np.log(w[k]) + gmmlab.log_gaussian_pdf(X, m[k], c[k]) for k in range(len(w))]
        )

    def ell(w, m, c):
        a = log_terms(w, m, c)
        top = a.max(axis=1, keepdims=True)
        return float((top[:, 0] + np.log(np.exp(a - top).sum(axis=1))).sum())

    lls = [ell(weights, means, covariances)]
    for _ in range(max_iter):
        a = log_terms(weights, means, covariances)
        resp = np.exp(a - a.max(axis=1, keepdims=True))
        resp /= resp.sum(axis=1, keepdims=True)
        nk = resp.sum(axis=0)
        weights = nk / len(X)
        means = resp.T @ X / nk[:, None]
        covariances = np.stack(
            [
                (resp[:, k, None] * (X - means[k])).T @ (X - means[k]) / nk[k]
                for k in range(len(nk))
            ]
        )
        lls.append(ell(weights, means, covariances))
        if abs(lls[-1] - lls[-2]) / len(X) < tol:
            break
    return weights, means, covariances, lls


@pytest.mark.parametrize("function", [reference_em, em_while_loop, em_learner_steps])
def test_correct_loops_pass(function):
    feedback = check_em_loop(function)
    assert feedback.passed, repr(feedback)


def test_the_reference_is_gmmlab_fit_from_the_same_start():
    """reference_em is fit; a plain loop over gmmlab.e_step / m_step gives the same numbers."""
    for case in check_em_loop.cases:
        X, weights, means, covariances, tol, max_iter = case.copies()
        got = reference_em(X, weights, means, covariances, tol, max_iter)
        params = gmmlab.MixtureParams(weights, means, covariances)
        lls = [gmmlab.log_likelihood(X, params)]
        for _ in range(max_iter):
            params = gmmlab.m_step(X, gmmlab.e_step(X, params), reg_covar=0)
            lls.append(gmmlab.log_likelihood(X, params))
            if abs(lls[-1] - lls[-2]) / len(X) < tol:
                break
        np.testing.assert_allclose(got[3], lls, rtol=1e-10)
        np.testing.assert_allclose(got[1], params.means, rtol=1e-8)


def test_the_tolerance_case_stops_far_from_the_edge():
    """The Iris case's last change per point is well below tol and the one before well
    above it, so rounding (another BLAS) cannot change where the loop stops."""
    case = check_em_loop.cases[1]
    X, *_, tol, _ = case.copies()
    changes = np.abs(np.diff(reference_em(*case.copies())[3])) / len(X)
    assert changes[-1] < 0.9 * tol < 1.1 * tol < changes[-2]


# -- wrong loops, as learners write them ---------------------------------------------------


def em_ell_after_m_step(X, weights, means, covariances, tol, max_iter):
    params = gmmlab.MixtureParams(weights, means, covariances)
    lls = []
    for _ in range(max_iter):
        params = gmmlab.m_step(X, gmmlab.e_step(X, params), reg_covar=0)
        lls.append(gmmlab.log_likelihood(X, params))
        if len(lls) > 1 and abs(lls[-1] - lls[-2]) / len(X) < tol:
            break
    return params.weights, params.means, params.covariances, lls


def em_with(X, weights, means, covariances, tol, max_iter, *, mistake="stop_on_ell"):
    """The lesson's loop, with the mistake that ``mistake`` names."""
    params = gmmlab.MixtureParams(weights, means, covariances)
    if mistake == "start_overwritten":
        params = gmmlab.m_step(X, gmmlab.e_step(X, params), reg_covar=0)
    lls = [gmmlab.log_likelihood(X, params)]
    first = 1 if mistake == "one_too_few" else 0
    last = max_iter + 1 if mistake == "one_too_many" else max_iter
    for _ in range(first, last):
        params = gmmlab.m_step(X, gmmlab.e_step(X, params), reg_covar=0)
        lls.append(gmmlab.log_likelihood(X, params))
        change = abs(lls[-1] - lls[-2]) / len(X)
        if mistake == "stop_on_ell":
            change = lls[-1]
        if mistake == "stop_on_abs_ell":
            change = abs(lls[-1]) / len(X)
        if change < tol:
            break
    if mistake == "first_params":
        return weights, means, covariances, lls
    return params.weights, params.means, params.covariances, lls


def em_resp_once(X, weights, means, covariances, tol, max_iter):
    params = gmmlab.MixtureParams(weights, means, covariances)
    resp = gmmlab.e_step(X, params)
    lls = [gmmlab.log_likelihood(X, params)]
    for _ in range(max_iter):
        params = gmmlab.m_step(X, resp, reg_covar=0)
        lls.append(gmmlab.log_likelihood(X, params))
        if abs(lls[-1] - lls[-2]) / len(X) < tol:
            break
    return params.weights, params.means, params.covariances, lls


def em_in_place(X, weights, means, covariances, tol, max_iter):
    lls = [gmmlab.log_likelihood(X, gmmlab.MixtureParams(weights, means, covariances))]
    for _ in range(max_iter):
        new = gmmlab.m_step(
            X, gmmlab.e_step(X, gmmlab.MixtureParams(weights, means, covariances)), reg_covar=0
        )
        weights[:], means[:], covariances[:] = new.weights, new.means, new.covariances
        lls.append(gmmlab.log_likelihood(X, new))
        if abs(lls[-1] - lls[-2]) / len(X) < tol:
            break
    return weights, means, covariances, lls


def em_only_last_ell(X, weights, means, covariances, tol, max_iter):
    params = gmmlab.MixtureParams(weights, means, covariances)
    old = gmmlab.log_likelihood(X, params)
    for _ in range(max_iter):
        params = gmmlab.m_step(X, gmmlab.e_step(X, params), reg_covar=0)
        new = gmmlab.log_likelihood(X, params)
        if abs(new - old) / len(X) < tol:
            break
        old = new
    return params.weights, params.means, params.covariances, new


#: Correct loops in another style than gmmlab's (tests/test_check.py runs them).
CORRECT = {"check_em_loop": [em_learner_steps]}

WRONG = [
    Wrong("check_em_loop", em_ell_after_m_step, "your list of ℓ has no ℓ of the start"),
    Wrong("check_em_loop", em_with, "stop_on_ell: you stopped as soon as ℓ itself was below tol"),
    Wrong("check_em_loop", em_with, "stop_on_abs_ell: so the loop never stopped before max_iter"),
    Wrong("check_em_loop", em_with, "one_too_few: one iteration too few"),
    Wrong("check_em_loop", em_with, "one_too_many: one iteration too many"),
    Wrong("check_em_loop", em_resp_once, "compute the responsibilities again inside the loop"),
    Wrong("check_em_loop", em_with, "start_overwritten: the start was overwritten"),
    Wrong("check_em_loop", em_in_place, "changed the arrays it was given"),
    Wrong("check_em_loop", em_with, "first_params: return the parameters of the last iteration"),
    Wrong("check_em_loop", em_only_last_ell, "must be a flat list or 1-D array"),
]


@pytest.fixture(scope="module")
def verdicts():
    return {str(wrong): CHECKERS[wrong.checker](wrong.function) for wrong in WRONG}


def test_each_case_catches_a_mistake_that_the_other_lets_through(verdicts):
    names = [case.name for case in check_em_loop.cases]
    caught = {w: [not r.passed for r in verdicts[w].cases] for w in verdicts}
    for i, name in enumerate(names):
        assert any(row[i] and sum(row) == 1 for row in caught.values()), name


def test_not_written_and_fallback():
    def my_em_loop(X, weights, means, covariances, tol, max_iter):
        raise NotImplementedError("write my_em_loop")

    assert "not written yet" in repr(check_em_loop(my_em_loop))
    assert use_if_correct(my_em_loop, check_em_loop) is check_em_loop.reference
    assert use_if_correct(em_learner_steps, check_em_loop) is em_learner_steps


def test_the_checker_is_registered():
    assert CHECKERS["check_em_loop"] is check_em_loop
