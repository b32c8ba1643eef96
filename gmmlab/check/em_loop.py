r"""Feedback on the learner's EM loop (lesson 8), run against :func:`gmmlab.fit`.

The learner assembles EM from their own E-step, M-step and log-likelihood (lessons
5–7, through :func:`~gmmlab.check.use_if_correct`): record :math:`\ell` of the start,
then repeat E-step, M-step, record :math:`\ell`, until the change per point falls
below ``tol`` or ``max_iter`` iterations have run. :data:`check_em_loop` runs the
learner's loop and ``gmmlab.fit(X, K, init=start, reg_covar=0, tol=tol,
max_iter=max_iter)`` from the same start and compares the last parameters and every
recorded :math:`\ell`. Its cases and typical mistakes:

- a case that runs to ``max_iter`` (``tol=0``): an iteration too many or too few shows;
- a case that stops on the tolerance: a stopping rule on :math:`\ell` itself instead of
  its change shows (it stops at once, since :math:`\ell < 0 <` ``tol``, or never);
- ``ℓ`` recorded after the M-step only (the start's :math:`\ell` missing), the start
  overwritten by a first M-step, responsibilities computed once before the loop and
  never again, and the start's arrays changed in place are each recognised.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..em import e_step, fit, log_likelihood, m_step
from ..params import MixtureParams
from ._framework import Case, Checker, Difference, Mistake, _pair
from ._shared import CHECKER_RETURNS

#: How close the learner's numbers must be to gmmlab.fit's (both run the same steps;
#: implementations that pass lessons 5–7's checkers agree to about 1e-10).
RTOL = 1e-6

_INTEGER_ARGUMENTS = ("max_iter",)


@dataclasses.dataclass(frozen=True, eq=False)
class _LoopCase(Case):
    """A case whose ``max_iter`` is handed over as an int (``range`` needs one), and which
    keeps the copies it last handed out, to see whether the learner's code changed them."""

    def copies(self):
        values = [
            int(value) if name in _INTEGER_ARGUMENTS else np.array(value, dtype=float)
            for name, value in self.arguments.items()
        ]
        object.__setattr__(self, "handed_out", values)
        return values


def reference_em(X, weights, means, covariances, tol, max_iter):
    r"""gmmlab's EM loop, called as the lesson 8 exercise is: ``gmmlab.fit`` from this start.

    .. math::

        \theta^{(t+1)} = \text{M-step}\big(\text{E-step}(\theta^{(t)})\big), \qquad
        \text{stop when } |\ell(\theta^{(t+1)}) - \ell(\theta^{(t)})| / N < \text{tol}
        \text{ or after max\_iter iterations}

    with the plain M-step (``reg_covar=0``, as the lesson 7 exercise writes it).

    Parameters
    ----------
    X : array-like of shape (N, D)
    weights, means, covariances : array-like of shapes (K,), (K, D), (K, D, D)
        The start :math:`\theta^{(0)}`.
    tol : float
        >= 0; 0 runs exactly ``max_iter`` iterations.
    max_iter : int
        >= 0.

    Returns
    -------
    tuple
        ``(weights, means, covariances, log_likelihoods)``: the last parameters and
        :math:`\ell(\theta^{(0)}), \dots, \ell(\theta^{(T)})`, an array of T + 1 values.

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (the message names it), as for :func:`gmmlab.fit`.

    Examples
    --------
    >>> out = reference_em([[0.0], [0.2], [3.0], [3.4]], [0.5, 0.5], [[0.0], [3.0]],
    ...                    [[[1.0]], [[1.0]]], tol=0.0, max_iter=2)
    >>> out[1].ravel().round(2).tolist(), len(out[3])
    ([0.1, 3.2], 3)
    """
    start = MixtureParams(weights, means, covariances)
    result = fit(X, start.n_components, init=start, reg_covar=0.0, tol=tol, max_iter=max_iter)
    params = result.params
    return params.weights, params.means, params.covariances, result.log_likelihoods


def _variant(
    X, weights, means, covariances, tol, max_iter, *, record="before", stop="change",
    recompute=True, extra=0, first_m_step=False,
):
    """What a loop with one typical mistake returns (the reference when no flag is set)."""
    params = MixtureParams(weights, means, covariances)
    n = len(X)
    resp = e_step(X, params)
    if first_m_step:  # the start overwritten by an M-step before anything is recorded
        params = m_step(X, resp, reg_covar=0.0)
    lls = [log_likelihood(X, params)] if record == "before" else []
    for _ in range(max_iter + extra):
        if recompute:
            resp = e_step(X, params)
        params = m_step(X, resp, reg_covar=0.0)
        lls.append(log_likelihood(X, params))
        if stop == "value" and lls[-1] < tol:
            break
        if stop == "abs value" and abs(lls[-1]) / n < tol:
            break
        if stop == "change" and len(lls) > 1 and abs(lls[-1] - lls[-2]) / n < tol:
            break
    return params.weights, params.means, params.covariances, np.array(lls)


def _mistake(**flags):
    def returns(X, weights, means, covariances, tol, max_iter):
        return _variant(X, weights, means, covariances, tol, max_iter, **flags)

    return returns


EM_LOOP_MISTAKES = (
    Mistake(
        "your list of ℓ has no ℓ of the start: record ℓ(θ^(0)) before the first E-step, then "
        "ℓ after each M-step (the E-step does not change θ, so ℓ is computed under the "
        "parameters the next E-step will use)",
        _mistake(record="after"),
    ),
    Mistake(
        "you stopped as soon as ℓ itself was below tol: ℓ is negative here, so that stops "
        "after one iteration. Stop when the change |ℓ(θ^(t+1)) − ℓ(θ^(t))| / N is below tol",
        _mistake(stop="value"),
    ),
    Mistake(
        "you compared ℓ itself with tol, so the loop never stopped before max_iter. "
        "Stop when the change |ℓ(θ^(t+1)) − ℓ(θ^(t))| / N is below tol",
        _mistake(stop="abs value"),
    ),
    Mistake(
        "one iteration too few: the loop must be able to run max_iter E- and M-steps "
        "(for _ in range(max_iter)), giving max_iter + 1 values of ℓ",
        _mistake(extra=-1),
    ),
    Mistake(
        "one iteration too many: run at most max_iter E- and M-steps "
        "(for _ in range(max_iter)), giving at most max_iter + 1 values of ℓ",
        _mistake(extra=1),
    ),
    Mistake(
        "the parameters stop changing after the first iteration: compute the "
        "responsibilities again inside the loop, from the current parameters, before each "
        "M-step",
        _mistake(recompute=False),
    ),
    Mistake(
        "your first ℓ is not that of the start you were given: an M-step ran before ℓ(θ^(0)) "
        "was recorded (the start was overwritten). Record ℓ of (weights, means, covariances) "
        "as given, then loop",
        _mistake(first_m_step=True),
    ),
)

_PARTS = ("weights", "means", "covariances")


def _validate(got, expected, case):
    """``(answer, None)`` with the four parts as float arrays, or ``(None, problem)``."""
    changed = [
        name
        for name, given, original in zip(
            case.arguments, getattr(case, "handed_out", []), case.arguments.values(), strict=False
        )
        if name in ("weights", "means", "covariances", "X")
        and not np.array_equal(np.asarray(given, dtype=float), np.asarray(original, dtype=float))
    ]
    if changed:
        return None, (
            f"your loop changed the arrays it was given ({', '.join(changed)}) in place, so the "
            "start is overwritten: build new arrays (the M-step returns new ones) instead of "
            "assigning into means[k] or weights[:]"
        )
    if not isinstance(got, (tuple, list)) or len(got) != 4:
        return None, (
            "return four things, weights, means, covariances, log_likelihoods (a tuple); got "
            f"{type(got).__name__}" + (f" of length {len(got)}" if isinstance(got, (tuple, list))
                                       else "")
        )
    answer = []
    for name, value, target in zip((*_PARTS, "log_likelihoods"), got, expected, strict=True):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return None, f"{name} must be numbers, got {type(value).__name__}"
        if name == "log_likelihoods":
            if array.ndim != 1:
                return None, (
                    f"log_likelihoods must be a flat list or 1-D array of the values of ℓ, "
                    f"got shape {array.shape}"
                )
        elif array.shape != np.shape(target):
            return None, f"{name} must have shape {np.shape(target)}, got {array.shape}"
        if np.isnan(array).any():
            return None, f"{name} holds NaN"
        answer.append(array)
    return tuple(answer), None


def _compare(got, expected, case):
    lls, target = got[3], np.asarray(expected[3], dtype=float)
    if len(lls) != len(target):
        return Difference(
            f"{len(lls)} values of ℓ, expected {len(target)} (the start's and one per "
            f"iteration; gmmlab.fit ran {len(target) - 1} iterations)",
            0,
            hint="count the iterations: the start's ℓ, then one ℓ per E- and M-step, and "
            "stop when |change of ℓ| / N < tol or after max_iter iterations",
        )
    error = np.abs(lls - target) / (RTOL * np.abs(target) + 1e-12)
    if (error > 1).any():
        t = int(np.argmax(error > 1))
        return Difference(f"ℓ at iteration {t} {_pair(lls[t], target[t])}", 0)
    for part, (name, value, target_part) in enumerate(zip(_PARTS, got, expected, strict=False)):
        target_part = np.asarray(target_part, dtype=float)
        error = np.abs(value - target_part) / (RTOL * np.abs(target_part) + 1e-12)
        if (error > 1).any():
            where = np.unravel_index(np.argmax(error), error.shape)
            return Difference(
                f"the last {name}, entry {tuple(int(i) for i in where)}, "
                f"{_pair(value[where], target_part[where])}",
                1 + part,
                hint="return the parameters of the last iteration, those whose ℓ is the last",
            )
    return None


def _case(name, X, start, tol, max_iter, note):
    arguments = {
        "X": np.asarray(X, dtype=float),
        "weights": start.weights,
        "means": start.means,
        "covariances": start.covariances,
        "tol": float(tol),
        "max_iter": int(max_iter),
    }
    return _LoopCase(name, arguments, note)


def _em_loop_cases():
    from ..datasets import load_iris_features

    small = _case(
        "one feature, two components, six points, tol = 0 (runs max_iter = 5 iterations)",
        [[0.0], [0.3], [0.5], [2.6], [3.0], [3.9]],
        MixtureParams([0.5, 0.5], [[0.5], [2.5]], [[[1.0]], [[1.0]]]),
        tol=0.0,
        max_iter=5,
        note="with tol = 0 the loop must run exactly max_iter iterations",
    )
    X = load_iris_features(("petal length", "petal width")).X
    iris = _case(
        "Iris petals, three components, tol = 1e-3 (stops on the tolerance)",
        X,
        MixtureParams(
            [0.3, 0.3, 0.4],
            [[1.5, 0.3], [4.0, 1.2], [5.5, 2.0]],
            [np.eye(2) * 0.5, np.eye(2) * 0.5, np.eye(2) * 0.5],
        ),
        tol=1e-3,
        max_iter=100,
        note="the loop must stop once |ℓ(θ^(t+1)) − ℓ(θ^(t))| / N < tol",
    )
    return [small, iris]


check_em_loop = Checker(
    "check_em_loop",
    exercise="my_em_loop",
    reference=reference_em,
    what="your EM loop",
    compared_with="gmmlab.fit from the same start (reg_covar=0)",
    reference_label="gmmlab's reference EM loop",
    cases=_em_loop_cases,
    validate=_validate,
    compare=_compare,
    mistakes=EM_LOOP_MISTAKES,
    doc=r"""Check a learner's EM loop against :func:`gmmlab.fit` from the same start.

    .. math::

        \ell(\theta^{(0)}); \quad \text{repeat: } \gamma = \text{E-step}(\theta^{(t)}),\;
        \theta^{(t+1)} = \text{M-step}(\gamma),\; \ell(\theta^{(t+1)}) \quad
        \text{until } |\ell(\theta^{(t+1)}) - \ell(\theta^{(t)})| / N < \text{tol}
        \text{ or } t + 1 = \text{max\_iter}

    Parameters
    ----------
    function : callable
        ``my_em_loop(X, weights, means, covariances, tol, max_iter)`` returning the tuple
        ``(weights, means, covariances, log_likelihoods)``: the last parameters and
        every recorded :math:`\ell`, the start's first.
    """
    + CHECKER_RETURNS,
)

