r"""Choosing the number of components K: information criteria.

More components always fit the training data at least as well, so the
log-likelihood alone always prefers a larger K. An information criterion
adds a penalty per free parameter; :math:`d_\theta` is their number (written
p in some texts; the course keeps p for densities):

.. math::

    \mathrm{BIC} = -2\,\ell(\hat\theta) + d_\theta \log N, \qquad
    \mathrm{AIC} = -2\,\ell(\hat\theta) + 2 d_\theta

and the K with the lowest value is preferred.
"""

from __future__ import annotations

import math

from ._validation import check_params, check_X
from .em import log_likelihood


def n_parameters(params):
    r"""The number of free parameters :math:`d_\theta` of a mixture.

    .. math::

        d_\theta = \underbrace{(K - 1)}_{\pi} + \underbrace{K D}_{\mu}
            + \underbrace{c}_{\Sigma}, \quad
        c = \begin{cases}
            K\,D(D+1)/2 & \text{full} \\
            K\,D & \text{diag} \\
            K & \text{spherical} \\
            D(D+1)/2 & \text{tied}
        \end{cases}

    The weights have K - 1 free values because they must sum to 1.

    Parameters
    ----------
    params : MixtureParams
        Its ``covariance_type`` says how many covariance values are free.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If ``params`` is not a MixtureParams.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> n_parameters(MixtureParams([0.5, 0.5], [0.0, 1.0], [1.0, 1.0]))
    5
    """
    params = check_params(params)
    k, d = params.n_components, params.n_features
    covariance_values = {
        "full": k * d * (d + 1) // 2,
        "diag": k * d,
        "spherical": k,
        "tied": d * (d + 1) // 2,
    }[params.covariance_type]
    return (k - 1) + k * d + covariance_values


def bic(X, params):
    r"""Bayesian information criterion, :math:`-2\ell(\theta) + d_\theta \log N`: lower is better.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
        The points, finite.
    params : MixtureParams
        With D features; its ``covariance_type`` sets :math:`d_\theta` (:func:`n_parameters`).

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As :func:`~gmmlab.log_likelihood`: malformed arguments, or a ValueError naming X
        when a point is so far from every component that :math:`\ell` is below the
        floating-point range.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(bic([0.0, 0.0], params), 4)   # -2 l + 2 log 2
    5.062
    """
    X = check_X(X)
    return -2.0 * log_likelihood(X, params) + n_parameters(params) * math.log(X.shape[0])


def aic(X, params):
    r"""Akaike information criterion, :math:`-2\ell(\theta) + 2 d_\theta`: lower is better.

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
        The points, finite.
    params : MixtureParams
        With D features; its ``covariance_type`` sets :math:`d_\theta` (:func:`n_parameters`).

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        As :func:`bic`.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(aic([0.0, 0.0], params), 4)   # -2 l + 2 * 2
    7.6758
    """
    return -2.0 * log_likelihood(X, params) + 2 * n_parameters(params)
