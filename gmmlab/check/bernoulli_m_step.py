r"""The checker of lesson 14's exercise: the M-step of a mixture of Bernoulli distributions.

The learner writes ``my_bernoulli_m_step(X, resp, a, b)`` returning ``(weights, means)``:

.. math::

    N_k = \sum_i \gamma_{ik}, \qquad \pi_k = \frac{N_k}{N}, \qquad
    \mu_{kd} = \frac{\sum_i \gamma_{ik} x_{id} + a - 1}{N_k + a + b - 2}

Each case exists for a bug (``tests/test_check_bernoulli_m_step.py`` proves that each
catches a wrong implementation the others let through): a small case whose K is not the
lesson's 10 (``range(10)`` fails it), binarised digits with a prior whose a and b differ
(the prior's counts swapped fail it), and digits without a prior where one component has
almost no images (a "small number" added to :math:`N_k` fails it).
"""

from __future__ import annotations

import numpy as np

from ._framework import M_STEP_RTOL, Case, Checker, Difference, Mistake, _pair
from ._shared import CHECKER_RETURNS, as_arrays, worst_entry

_PARTS = ("weights", "means")


def reference_bernoulli_m_step(X, resp, a, b):
    r"""gmmlab's Bernoulli M-step with the exercise's signature: ``(weights, means)``.

    .. math::

        \pi_k = \frac{N_k}{N}, \qquad
        \mu_{kd} = \frac{\sum_i \gamma_{ik} x_{id} + a - 1}{N_k + a + b - 2}

    Parameters
    ----------
    X : ndarray of shape (N, D)
        Binary points.
    resp : ndarray of shape (N, K)
    a, b : float
        The Beta prior's parameters (a = b = 1: no prior).

    Returns
    -------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, D)

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed (see :func:`gmmlab.bernoulli.m_step`).
    ComponentCollapseError
        If a component has no points.

    Examples
    --------
    >>> weights, means = reference_bernoulli_m_step([[1, 0], [0, 0]], [[1, 0], [0, 1]], 2, 2)
    >>> weights, means
    (array([0.5, 0.5]), array([[0.66666667, 0.33333333],
           [0.33333333, 0.33333333]]))
    """
    from ..bernoulli import m_step

    params = m_step(X, resp, a=float(a), b=float(b))
    return np.array(params.weights), np.array(params.means)


# -- the cases -------------------------------------------------------------------------------


def _digits(n_images, seed):
    from ..bernoulli import load_binary_digits

    X = load_binary_digits().X
    rng = np.random.default_rng(seed)
    return X[rng.choice(len(X), n_images, replace=False)]


def _soft_resp(n_samples, n_components, seed):
    return np.random.default_rng(seed).dirichlet(np.ones(n_components), size=n_samples)


def _cases():
    small_X = np.array(
        [[1, 0, 1, 1], [1, 1, 0, 1], [0, 0, 1, 1], [0, 1, 0, 1], [1, 0, 0, 1], [0, 0, 1, 1]],
        dtype=float,
    )
    digits = _digits(80, seed=1)
    few = _soft_resp(len(digits), 10, seed=3)
    few[:, 9] *= 1e-6
    few /= few.sum(axis=1, keepdims=True)
    return [
        Case(
            "small: N = 6 images of D = 4 pixels, K = 3, no prior (a = b = 1)",
            {"X": small_X, "resp": _soft_resp(6, 3, seed=2), "a": 1.0, "b": 1.0},
            note="this case has K = 3 components and D = 4 pixels, not the lesson's 10 and 64",
        ),
        Case(
            "binarised digits, K = 10, prior a = 3, b = 1.5",
            {"X": digits, "resp": _soft_resp(len(digits), 10, seed=4), "a": 3.0, "b": 1.5},
            note="a − 1 pseudo-pixels 'on' go on top, a + b − 2 pseudo-pixels below",
        ),
        Case(
            "binarised digits, K = 10, no prior, component 9 with almost no images",
            {"X": digits, "resp": few, "a": 1.0, "b": 1.0},
            note="component 9 has N_9 ≈ 1e-5, so a small number added to N_k (a guard "
            "against dividing by 0, such as 1e-10) is not small next to it: leave such "
            "guards out",
        ),
    ]


# -- validate and compare --------------------------------------------------------------------


def _validate(got, expected, case):
    """(weights, means) as float arrays of shapes (K,) and (K, D), or a problem."""
    X, resp = case.arguments["X"], case.arguments["resp"]
    d, k = X.shape[1], resp.shape[1]
    arrays, problem = as_arrays(got, _PARTS)
    if problem:
        return None, problem
    weights, means = arrays
    if weights.shape == (k, d) and means.shape == (k,):
        return None, "the shapes say you returned (means, weights): return weights, means"
    if weights.shape != (k,):
        hint = ""
        if weights.shape in ((1, k), (k, 1)):
            hint = ": sum over the images without keepdims (or flatten with .ravel())"
        return None, f"weights should have shape ({k},) (K = {k}), got {weights.shape}{hint}"
    if means.shape != (k, d):
        hint = ""
        if means.shape == (d, k):
            hint = (
                ": it looks transposed (one column per component); resp.T @ X has one row "
                "per component"
            )
        elif means.shape == (10, d) and k != 10:
            hint = ": does your code assume the lesson's K = 10? Use K = resp.shape[1]"
        return (
            None,
            f"means should have shape ({k}, {d}) (K = {k}, D = {d}), got {means.shape}{hint}",
        )
    for name, array in zip(_PARTS, arrays, strict=True):
        bad = ~np.isfinite(array)
        if bad.any():
            j = int(np.argwhere(bad)[0][0])
            return None, (
                f"{name}[{j}] contains NaN or inf: a 0/0? Every N_k of this case is above 0, "
                "and every image counts for every component, weighted by γ_ik"
            )
    return (weights, means), None


def _compare(got, expected, case):
    for part, (name, value, target) in enumerate(zip(_PARTS, got, expected, strict=True)):
        where = worst_entry(value, target, M_STEP_RTOL)
        if where is None:
            continue
        hint = ""
        if name == "weights":
            label = f"weights[{where[0]}]"
        else:
            label = f"μ of component {where[0]}, pixel {where[1]},"
            at_edge = (target == 0.0) | (target == 1.0)
            if at_edge.any() and np.abs(value - target)[~at_edge].max(initial=0.0) < 1e-8:
                hint = (
                    "only the probabilities that are exactly 0 or 1 differ: the formula puts "
                    "a pixel never (always) on among a component's images at 0 (1); keeping "
                    "them away from 0 and 1 is the prior's job (a, b > 1), not a clip's"
                )
        return Difference(f"{label} {_pair(value[where], target[where])}", part, hint)
    return None


# -- the typical mistakes --------------------------------------------------------------------


def _parts(weights=None, means=None):
    """A mistake that replaces some parts of the reference's answer."""

    def returns(X, resp, a, b):
        right = reference_bernoulli_m_step(X, resp, a, b)
        nk = resp.sum(axis=0)
        on = resp.T @ X
        changed = (weights, means)
        return tuple(
            right[i] if changed[i] is None else changed[i](X, resp, nk, on, a, b) for i in range(2)
        )

    return returns


def _hard_groups(X, resp, nk, on, a, b):
    labels = resp.argmax(axis=1)
    counts = np.array([(labels == k).sum() for k in range(resp.shape[1])], dtype=float)
    sums = np.stack([X[labels == k].sum(axis=0) for k in range(resp.shape[1])])
    return (sums + a - 1) / (counts + a + b - 2)[:, np.newaxis]


BERNOULLI_M_STEP_MISTAKES = (
    Mistake(
        "these are the N_k; divide them by N to get π_k = N_k / N",
        _parts(weights=lambda X, resp, nk, on, a, b: nk),
    ),
    Mistake(
        "divide the weighted count Σ_i γ_ik x_id (plus a − 1) by N_k + a + b − 2, not by "
        "N + a + b − 2: each component averages over its own N_k images",
        _parts(means=lambda X, resp, nk, on, a, b: (on + a - 1) / (len(X) + a + b - 2)),
    ),
    Mistake(
        "every mean is the plain average of X: weight each image x_i by γ_ik",
        _parts(means=lambda X, resp, nk, on, a, b: np.tile(X.mean(axis=0), (len(nk), 1))),
    ),
    Mistake(
        "these are the averages of the images whose largest γ is k (hard groups): the "
        "M-step weights every image by γ_ik, including those another component wins",
        _parts(means=_hard_groups),
    ),
    Mistake(
        "these are the maximum-likelihood means (no prior): add the prior's pseudo-counts, "
        "a − 1 on top and a + b − 2 below",
        _parts(means=lambda X, resp, nk, on, a, b: on / nk[:, np.newaxis]),
    ),
    Mistake(
        "the prior adds a − 1 pixels 'on' and b − 1 pixels 'off', not a and b: "
        "(Σ_i γ_ik x_id + a − 1) / (N_k + a + b − 2), which is the plain average when a = b = 1",
        _parts(means=lambda X, resp, nk, on, a, b: (on + a) / (nk + a + b)[:, np.newaxis]),
    ),
    Mistake(
        "the pseudo-pixels count below too: divide by N_k + a + b − 2, not by N_k",
        _parts(means=lambda X, resp, nk, on, a, b: (on + a - 1) / nk[:, np.newaxis]),
    ),
    Mistake(
        "a and b are swapped: a − 1 counts the pseudo-pixels that are on (x = 1), so it "
        "goes on top; b − 1 counts those that are off",
        _parts(means=lambda X, resp, nk, on, a, b: (on + b - 1) / (nk + a + b - 2)[:, np.newaxis]),
    ),
)

_ERROR_HINTS = (
    (
        IndexError,
        "",
        "does your code assume the lesson's K = 10 (for example range(10))? "
        "Use K = resp.shape[1].",
    ),
)


check_bernoulli_m_step = Checker(
    "check_bernoulli_m_step",
    exercise="my_bernoulli_m_step",
    reference=reference_bernoulli_m_step,
    what="your Bernoulli M-step",
    compared_with="gmmlab.bernoulli.m_step",
    reference_label="gmmlab's reference Bernoulli M-step",
    cases=_cases,
    validate=_validate,
    compare=_compare,
    mistakes=BERNOULLI_M_STEP_MISTAKES,
    doc=r"""Check a learner's Bernoulli M-step against :func:`gmmlab.bernoulli.m_step`.

    .. math::

        N_k = \sum_i \gamma_{ik}, \quad \pi_k = \frac{N_k}{N}, \quad
        \mu_{kd} = \frac{\sum_i \gamma_{ik} x_{id} + a - 1}{N_k + a + b - 2}

    Parameters
    ----------
    function : callable
        ``my_bernoulli_m_step(X, resp, a, b)`` returning the pair ``(weights, means)``
        with shapes (K,) and (K, D); X is (N, D) binary, resp (N, K), a and b numbers >= 1.
    """
    + CHECKER_RETURNS,
    error_hints=_ERROR_HINTS,
)

