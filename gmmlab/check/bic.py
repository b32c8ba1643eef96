r"""The lesson 10 exercise: the learner's own BIC of a full-covariance mixture.

.. math::

    \mathrm{BIC} = -2\,\ell(\hat\theta) + d_\theta \ln N, \qquad
    d_\theta = (K - 1) + K D + K\,\frac{D(D+1)}{2}

Each case exists for a bug: the lesson's five clusters (K = 5, D = 2), one feature with two
components (code that assumes the lesson's two features fails it), and a positive
log-likelihood (code that takes ``abs`` of ℓ, thinking −2ℓ is always positive, fails it).
``tests/test_check_bic.py`` proves that each case catches a wrong answer the others let
through, and that every typical mistake gets its hint.
"""

from __future__ import annotations

import math

import numpy as np

from ..selection import n_parameters_for
from ._framework import Case, Checker, Difference, Mistake, _pair
from ._shared import CHECKER_RETURNS

#: How close an answer must be, relative to the expected one (any correct formula agrees
#: with gmmlab's to about 1e-15; the smallest typical mistake changes BIC by 1e-3 of it).
BIC_RTOL = 1e-9


def reference_bic(log_likelihood, n_components, n_features, n_samples):
    r"""gmmlab's BIC of a full-covariance mixture, called as the lesson 10 exercise is.

    .. math::

        \mathrm{BIC} = -2\,\ell + d_\theta \ln N, \qquad
        d_\theta = (K - 1) + K D + K\,\frac{D(D+1)}{2}

    Parameters
    ----------
    log_likelihood : float
        :math:`\ell(\hat\theta)`, the log-likelihood of the fit on its N points.
    n_components : int
        K.
    n_features : int
        D.
    n_samples : int
        N, the number of points the fit saw.

    Returns
    -------
    bic : float
        The lower, the better the trade-off between fit and size.

    Raises
    ------
    TypeError, ValueError
        If a count is not a whole number of at least 1 (the message names it).

    Examples
    --------
    >>> round(reference_bic(-2301.2, 5, 2, 600), 2)   # 4602.4 + 29 ln 600
    4787.91
    """
    d_theta = n_parameters_for(_whole(n_components, "n_components"),
                               _whole(n_features, "n_features"))
    return -2.0 * float(log_likelihood) + d_theta * math.log(_whole(n_samples, "n_samples"))


def _whole(value, name):
    value = float(value)
    if not value.is_integer() or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, got {value:g}")
    return int(value)


def _bic_case(name, log_likelihood, n_components, n_features, n_samples, note=""):
    arguments = {
        "log_likelihood": float(log_likelihood),
        "n_components": n_components,
        "n_features": n_features,
        "n_samples": n_samples,
    }
    return Case(name, arguments, note)


def _bic_cases():
    return [
        _bic_case(
            "the lesson's five clusters (ℓ = −2301.2, K = 5, D = 2, N = 600)",
            -2301.2, 5, 2, 600,
            note="K = 5 components of D = 2 features: 4 free weights, 10 mean values, "
            "15 covariance values",
        ),
        _bic_case(
            "one feature, two components (ℓ = −108.5, K = 2, D = 1, N = 150)",
            -108.5, 2, 1, 150,
            note="this case has D = 1 feature, not the lesson's two: each mean has D values "
            "and each covariance D(D+1)/2",
        ),
        _bic_case(
            "a positive log-likelihood (ℓ = 35.2, K = 2, D = 2, N = 40)",
            35.2, 2, 2, 40,
            note="ℓ is positive here (narrow components have densities above 1): −2ℓ is then "
            "negative, and BIC can be too",
        ),
    ]


def _bic_with(weights=None, covariance=None, log=math.log, fit_term=None):
    """A mistake: BIC with some of its parts replaced.

    ``weights(K)`` counts the free weights, ``covariance(K, D)`` the covariance values,
    ``log(N)`` is the penalty's logarithm and ``fit_term(l)`` replaces −2ℓ.
    """
    weights = weights or (lambda k: k - 1)
    covariance = covariance or (lambda k, d: k * d * (d + 1) / 2)
    fit_term = fit_term or (lambda ll: -2.0 * ll)

    def returns(log_likelihood, n_components, n_features, n_samples):
        k, d, n = float(n_components), float(n_features), float(n_samples)
        d_theta = weights(k) + k * d + covariance(k, d)
        return fit_term(float(log_likelihood)) + d_theta * log(n)

    return returns


BIC_MISTAKES = (
    Mistake(
        "you counted K free weights: the weights sum to 1, so once K − 1 are known the last "
        "one is too; d_θ has K − 1 of them",
        _bic_with(weights=lambda k: k),
    ),
    Mistake(
        "you counted D² values per covariance: Σ_k is symmetric, so only the diagonal and "
        "one triangle are free, D(D+1)/2 of them",
        _bic_with(covariance=lambda k, d: k * d * d),
    ),
    Mistake(
        "you counted D values per covariance, as for a diagonal Σ_k: a full covariance also "
        "has its off-diagonal entries, D(D+1)/2 values in all",
        _bic_with(covariance=lambda k, d: k * d),
    ),
    Mistake(
        "your penalty uses the base-10 logarithm: BIC's penalty is d_θ ln N, the natural "
        "logarithm (math.log or np.log, not np.log10)",
        _bic_with(log=math.log10),
    ),
    Mistake(
        "your penalty uses the base-2 logarithm: BIC's penalty is d_θ ln N, the natural "
        "logarithm (math.log or np.log)",
        _bic_with(log=math.log2),
    ),
    Mistake(
        "you took the absolute value of ℓ (or of −2ℓ): −2ℓ is negative when ℓ is positive, "
        "as it is for narrow components; write −2 · log_likelihood as it is",
        _bic_with(fit_term=lambda ll: 2.0 * abs(ll)),
    ),
    Mistake(
        "the sign of the fit term is wrong: BIC = −2ℓ + d_θ ln N, so a higher likelihood "
        "gives a lower (better) BIC",
        _bic_with(fit_term=lambda ll: 2.0 * ll),
    ),
    Mistake(
        "the fit term is −ℓ: BIC = −2ℓ + d_θ ln N (the 2 matters: it sets how much fit "
        "one parameter must buy)",
        _bic_with(fit_term=lambda ll: -ll),
    ),
    Mistake(
        "this is AIC, −2ℓ + 2 d_θ: BIC charges ln N per parameter instead of 2",
        _bic_with(log=lambda n: 2.0),
    ),
    Mistake(
        "you counted the covariances as one value per component (a variance, as in 1-D): in "
        "D dimensions each Σ_k has D(D+1)/2 free values",
        _bic_with(covariance=lambda k, d: k),
    ),
)


def _validate_number(got, expected, case):
    if isinstance(got, tuple):
        return None, f"you returned a tuple of {len(got)} values: return BIC alone, one number"
    if got is None:
        return None, "your function returned None: did you forget `return bic`?"
    try:
        value = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None, f"expected a number, got {type(got).__name__}"
    if value.size != 1:
        return None, f"expected one number, got an array of shape {value.shape}"
    value = float(value.reshape(()))
    if not math.isfinite(value):
        return None, f"expected a finite number, got {value}"
    return value, None


def _compare_number(value, expected, case):
    expected = float(expected)
    if math.isclose(value, expected, rel_tol=BIC_RTOL, abs_tol=1e-9):
        return None
    return Difference(f"BIC {_pair(value, expected)}")


check_bic = Checker(
    "check_bic",
    exercise="my_bic",
    reference=reference_bic,
    what="your BIC",
    compared_with="gmmlab.bic (and scikit-learn's GaussianMixture.bic)",
    reference_label="gmmlab's reference BIC",
    cases=_bic_cases,
    validate=_validate_number,
    compare=_compare_number,
    mistakes=BIC_MISTAKES,
    doc=r"""Check a learner's BIC of a full-covariance mixture against gmmlab's.

    .. math::

        \mathrm{BIC} = -2\,\ell(\hat\theta) + d_\theta \ln N, \qquad
        d_\theta = (K - 1) + K D + K\,\frac{D(D+1)}{2}

    Parameters
    ----------
    function : callable
        ``my_bic(log_likelihood, n_components, n_features, n_samples)`` returning one
        number.
    """
    + CHECKER_RETURNS,
)

