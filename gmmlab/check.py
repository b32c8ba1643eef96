r"""Feedback on the learner's own E-step, M-step and log-likelihood.

Each checker runs the learner's function on several cases, compares it with
gmmlab's reference implementation, and returns a :class:`Feedback` whose
text says what is right, what is wrong and a hint at why::

    def my_e_step(X, weights, means, covariances):
        ...
        return resp

    check_e_step(my_e_step)      # shows the feedback

The cases include the two that trip up most first implementations: a point
so far from every component that its densities underflow to 0 (a direct
implementation divides 0 by 0), and a component with a tiny weight.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .em import e_step, log_likelihood, m_step
from .params import MixtureParams

RTOL = 1e-6
ATOL = 1e-8


@dataclasses.dataclass
class CaseResult:
    """One case of a check: its name, whether it passed, and what was found."""

    name: str
    passed: bool
    message: str


@dataclasses.dataclass
class Feedback:
    """The outcome of a check; displays as a short report, true when all passed."""

    title: str
    cases: list

    @property
    def passed(self):
        """Whether every case passed."""
        return all(case.passed for case in self.cases)

    def __bool__(self):
        return self.passed

    def __repr__(self):
        lines = [self.title]
        for case in self.cases:
            mark = "✔" if case.passed else "✘"
            lines.append(f"{mark} {case.name}: {case.message}")
        n_passed = sum(case.passed for case in self.cases)
        if self.passed:
            lines.append(f"All {len(self.cases)} cases pass: well done!")
        else:
            lines.append(f"{n_passed} of {len(self.cases)} cases pass: read the first ✘ above.")
        return "\n".join(lines)


# -- the cases ---------------------------------------------------------------


@dataclasses.dataclass
class _Case:
    name: str
    X: np.ndarray
    params: MixtureParams
    resp: np.ndarray | None = None
    note: str = ""


def _iris_2d():
    from .datasets import load_iris_features

    return load_iris_features(("petal length", "petal width")).X


def _iris_params():
    """Three components near the fit of 2-D Iris that k-means++ starts reach, fixed here."""
    return MixtureParams(
        weights=[0.333, 0.3, 0.367],
        means=[[1.462, 0.246], [4.29, 1.35], [5.55, 2.03]],
        covariances=[
            [[0.030, 0.006], [0.006, 0.011]],
            [[0.200, 0.070], [0.070, 0.040]],
            [[0.300, 0.050], [0.050, 0.070]],
        ],
    )


def _e_step_cases():
    small = MixtureParams([0.3, 0.7], [[0.0], [2.0]], [[[1.0]], [[4.0]]])
    iris = _iris_2d()
    params = _iris_params()
    far_X = np.vstack([iris[:5], [[30.0, 30.0]]])
    tiny = MixtureParams([0.5, 0.5 - 1e-12, 1e-12], params.means, params.covariances)
    return [
        _Case(
            "one feature, two components, three points", np.array([[-1.0], [1.0], [3.0]]), small
        ),
        _Case("Iris petals, three components", iris, params),
        _Case(
            "a point far from every component",
            far_X,
            params,
            note="the last point, (30, 30), is so far away that every "
            "π_k N(x|μ_k,Σ_k) underflows to 0.0",
        ),
        _Case("a component with a tiny weight (π_2 = 1e-12)", iris[::10], tiny),
    ]


def _m_step_cases():
    iris = _iris_2d()
    soft = e_step(iris, _iris_params())
    rng = np.random.default_rng(0)
    tiny = rng.dirichlet([1.0, 1.0], size=len(iris))
    tiny = np.column_stack([tiny * (1 - 1e-5), np.full(len(iris), 1e-5)])
    tiny /= tiny.sum(axis=1, keepdims=True)
    x = np.array([[0.0], [2.0], [10.0], [11.0], [12.0]])
    hard = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 1]], dtype=float)
    return [
        _Case("one feature, hard responsibilities (0 or 1)", x, None, resp=hard),
        _Case("Iris petals, soft responsibilities", iris, None, resp=soft),
        _Case("a component with few points (N_2 ≈ 0.0015)", iris, None, resp=tiny),
    ]


# -- E-step ------------------------------------------------------------------


def check_e_step(function):
    r"""Check a learner's E-step against :func:`gmmlab.e_step`.

    Parameters
    ----------
    function : callable
        ``function(X, weights, means, covariances)`` returning the (N, K)
        responsibilities :math:`\gamma_{ik}`; X is (N, D), weights (K,),
        means (K, D), covariances (K, D, D).

    Returns
    -------
    Feedback
        Shows as a report; ``bool(feedback)`` is True when every case passes.
    """
    cases = []
    for case in _e_step_cases():
        expected = e_step(case.X, case.params)
        got, error = _call(function, case.X.copy(), *_copies(case.params))
        message = error or _compare_resp(got, expected, case)
        cases.append(CaseResult(case.name, message is None, message or "correct"))
    return Feedback("Checking your E-step against gmmlab.e_step:", cases)


def _compare_resp(got, expected, case):
    got, problem = _as_array(got, "responsibilities")
    if problem:
        return problem
    n, k = expected.shape
    if got.shape != expected.shape:
        hint = (
            " (it looks transposed: rows are points, columns components)"
            if (got.shape == (k, n))
            else ""
        )
        return f"expected an array of shape (N, K) = {expected.shape}, got {got.shape}{hint}"
    bad = ~np.isfinite(got)
    if bad.any():
        i = int(np.argwhere(bad)[0][0])
        hint = ""
        if case.note:
            hint = (
                f"; {case.note}, so the ratio is 0/0. Work with logarithms: compute "
                "log π_k + log N(x_i|μ_k,Σ_k), subtract each row's maximum before "
                "exponentiating (the log-sum-exp trick)"
            )
        return f"row {i} contains NaN or inf (point {_fmt(case.X[i])}){hint}"
    if (got < 0).any():
        i, j = (int(v) for v in np.argwhere(got < 0)[0])
        return f"γ[{i}, {j}] = {got[i, j]:.3g} is negative; responsibilities are probabilities"
    sums = got.sum(axis=1)
    off = np.abs(sums - 1) > 1e-6
    if off.any():
        i = int(np.flatnonzero(off)[0])
        return (
            f"row {i} sums to {sums[i]:.6g}, not 1: divide each π_k N(x_i|μ_k,Σ_k) by "
            "the row's total Σ_j π_j N(x_i|μ_j,Σ_j)"
        )
    if not np.allclose(got, expected, rtol=RTOL, atol=ATOL):
        unweighted = e_step(case.X, case.params.replace(weights=np.full(k, 1.0 / k)))
        i, j = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
        message = (
            f"γ[{i}, {j}] = {got[i, j]:.6g} but should be {expected[i, j]:.6g} "
            f"(largest difference {np.abs(got - expected).max():.3g})"
        )
        if np.allclose(got, unweighted, rtol=RTOL, atol=ATOL):
            message += ": these are the values without the weights; multiply each density by π_k"
        elif np.allclose(got, expected[:, ::-1], rtol=RTOL, atol=ATOL) and k > 1:
            message += ": the columns are in the wrong order; column k is component k"
        return message
    return None


# -- M-step ------------------------------------------------------------------


def check_m_step(function):
    r"""Check a learner's M-step against :func:`gmmlab.m_step` (with no ``reg_covar``).

    Parameters
    ----------
    function : callable
        ``function(X, resp)`` returning ``(weights, means, covariances)``
        with shapes (K,), (K, D), (K, D, D) (or a :class:`MixtureParams`).

    Returns
    -------
    Feedback
    """
    cases = []
    for case in _m_step_cases():
        expected = m_step(case.X, case.resp, reg_covar=0.0)
        got, error = _call(function, case.X.copy(), case.resp.copy())
        message = error or _compare_params(got, expected, case)
        cases.append(CaseResult(case.name, message is None, message or "correct"))
    return Feedback("Checking your M-step against gmmlab.m_step:", cases)


def _compare_params(got, expected, case):
    if isinstance(got, MixtureParams):
        got = (got.weights, got.means, got.covariances)
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return (
            "expected the tuple (weights, means, covariances), got "
            f"{type(got).__name__}: end with `return weights, means, covariances`"
        )
    X, resp = case.X, case.resp
    n, d = X.shape
    k = resp.shape[1]
    nk = resp.sum(axis=0)
    names = ("weights", "means", "covariances")
    shapes = ((k,), (k, d), (k, d, d))
    arrays = []
    for name, value, shape in zip(names, got, shapes, strict=True):
        value, problem = _as_array(value, name)
        if problem:
            return problem
        if value.shape != shape and value.size == int(np.prod(shape)) and name != "covariances":
            value = value.reshape(shape)
        if value.shape != shape:
            return f"{name} should have shape {shape}, got {value.shape}"
        if not np.isfinite(value).all():
            return f"{name} contains NaN or inf: is some N_k zero where you divide by it?"
        arrays.append(value)
    weights, means, covariances = arrays

    if not np.allclose(weights, expected.weights, rtol=RTOL, atol=ATOL):
        hint = ""
        if np.allclose(weights, nk, rtol=RTOL):
            hint = ": these are the N_k; divide them by N to get π_k = N_k / N"
        elif abs(weights.sum() - 1) > 1e-6:
            hint = f": they sum to {weights.sum():.6g} but the weights must sum to 1"
        return f"weights are {_fmt(weights)}, expected {_fmt(expected.weights)}{hint}"

    if not np.allclose(means, expected.means, rtol=RTOL, atol=ATOL):
        j = int(np.argmax(np.abs(means - expected.means).max(axis=1)))
        hint = ""
        if np.allclose(means, expected.means * (nk / n)[:, None], rtol=RTOL, atol=ATOL):
            hint = ": divide the weighted sum Σ_i γ_ik x_i by N_k, not by N"
        elif np.allclose(means, np.broadcast_to(X.mean(axis=0), means.shape), rtol=RTOL):
            hint = ": every mean equals the plain average of X; weight each x_i by γ_ik"
        return (
            f"mean of component {j} is {_fmt(means[j])}, expected {_fmt(expected.means[j])}{hint}"
        )

    if not np.allclose(covariances, expected.covariances, rtol=RTOL, atol=1e-7):
        diff = np.abs(covariances - expected.covariances)
        j = int(np.argmax(diff.max(axis=(1, 2))))
        row, col = np.unravel_index(np.argmax(diff[j]), (d, d))
        message = (
            f"covariance of component {j}, entry [{row}, {col}], is "
            f"{covariances[j, row, col]:.6g}, expected "
            f"{expected.covariances[j, row, col]:.6g}"
        )
        scaled = expected.covariances * (nk / n)[:, None, None]
        if np.allclose(covariances, scaled, rtol=RTOL, atol=ATOL):
            message += ": divide by N_k, not by N"
        elif d > 1 and np.allclose(
            np.diagonal(covariances, axis1=1, axis2=2),
            np.diagonal(expected.covariances, axis1=1, axis2=2),
            rtol=RTOL,
            atol=ATOL,
        ):
            message += (
                ": the diagonal is right but not the off-diagonal entries; use the "
                "outer product (x_i - μ_k)(x_i - μ_k)^T, a D x D matrix"
            )
        elif np.allclose(covariances - expected.covariances, 1e-6 * np.eye(d), atol=1e-9):
            message += ": leave out reg_covar here; the checker compares the plain formula"
        return message
    return None


# -- log-likelihood ------------------------------------------------------------


def check_log_likelihood(function):
    r"""Check a learner's log-likelihood against :func:`gmmlab.log_likelihood`.

    Parameters
    ----------
    function : callable
        ``function(X, weights, means, covariances)`` returning the float
        :math:`\ell(\theta) = \sum_i \log \sum_k \pi_k N(x_i|\mu_k,\Sigma_k)`.

    Returns
    -------
    Feedback
    """
    cases = []
    for case in _e_step_cases():
        expected = log_likelihood(case.X, case.params)
        got, error = _call(function, case.X.copy(), *_copies(case.params))
        message = error
        if message is None:
            try:
                value = float(np.asarray(got).reshape(()))
            except (TypeError, ValueError):
                value = None
                message = (
                    f"expected one number, got {type(got).__name__} "
                    f"{np.shape(got)}: sum the log-densities over the points"
                )
            if value is not None and not np.isfinite(value):
                message = f"got {value}"
                if case.note:
                    message += (
                        f"; {case.note}, so log(0) = -inf. Add the logs with the "
                        "log-sum-exp trick instead of summing densities"
                    )
            elif value is not None and not np.isclose(value, expected, rtol=1e-9, atol=1e-9):
                message = f"got {value:.6f}, expected {expected:.6f}"
                if value < 0 < expected or np.isclose(value, -expected, rtol=1e-6):
                    message += ": check the sign"
        cases.append(CaseResult(case.name, message is None, message or "correct"))
    return Feedback("Checking your log-likelihood against gmmlab.log_likelihood:", cases)


# -- helpers -----------------------------------------------------------------


def _copies(params):
    """Fresh writable arrays, so that the learner's code cannot spoil the cases."""
    return params.weights.copy(), params.means.copy(), params.covariances.copy()


def _call(function, *args):
    if not callable(function):
        return None, f"expected a function, got {type(function).__name__}"
    try:
        with np.errstate(all="ignore"):
            return function(*args), None
    except NotImplementedError:
        return None, "not written yet: replace `raise NotImplementedError` with your code"
    except Exception as error:  # the learner's bug, reported as feedback
        return None, f"your function raised {type(error).__name__}: {error}"


def _as_array(value, name):
    if value is None:
        return None, f"your function returned None: did you forget `return {name}`?"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None, f"{name}: expected numbers, got {type(value).__name__}"
    return array, None


def _fmt(values):
    return np.array2string(
        np.asarray(values), precision=4, separator=", ", suppress_small=True
    ).replace("\n", "")


#: Every checker, by its public name: what the notebook tools treat as a checker call.
CHECKERS = {
    "check_e_step": check_e_step,
    "check_m_step": check_m_step,
    "check_log_likelihood": check_log_likelihood,
}
