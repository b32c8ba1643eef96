r"""Anomalies: the points where a fitted mixture puts little density.

A fitted mixture is a density, :math:`p(x) = \sum_k \pi_k \mathcal{N}(x \mid \mu_k, \Sigma_k)`.
A point where :math:`p(x)` is low is one the model finds unusual: far from every
component, or in the thin tail of the components it is near. The rule of this module
fixes in advance the share :math:`q` (in percent) of the **training** points that may be
flagged, a false-alarm rate, and sets the threshold at that percentile of their
log-densities:

.. math::

    \tau_q = \operatorname{percentile}_q \{\log p(x_i) : x_i \text{ a training point}\},
    \qquad \text{flag } x \iff \log p(x) < \tau_q .

The threshold comes from the training data only: new data may hold many anomalies or none,
and a threshold computed from them would always flag about :math:`q\%` of them. This is
scikit-learn's recipe with ``score_samples`` (Géron, *Hands-On Machine Learning*,
chapter 9), computed here with :func:`gmmlab.log_mixture_pdf`.

* :func:`anomaly_threshold` -- :math:`\tau_q` from the training points.
* :func:`flag_anomalies` -- :math:`\log p(x) < \tau` for any points.
"""

from __future__ import annotations

import numpy as np

from . import _kernels
from ._docstring import fill_doc
from ._kernels import ensure_data_and_params
from ._validation import ensure_float

__all__ = ["anomaly_threshold", "flag_anomalies"]


@fill_doc
def anomaly_threshold(X, params, percent):
    r"""The log-density below which a point counts as an anomaly, set on the training points.

    .. math::

        \tau_q = \operatorname{percentile}_q \{\log p(x_i) : i = 1, \dots, N\}

    with :math:`q` = ``percent`` and NumPy's default (linear) interpolation between the
    sorted values, so that about :math:`q\%` of the points X have :math:`\log p(x_i) <
    \tau_q`. Pass the points the mixture was fitted to: the threshold is a false-alarm rate
    on data like them.

    %(Parameters: X_training, params_fitted)s
    percent : float
        :math:`q`, from 0 to 100: the share of the training points to flag, in percent.

    Returns
    -------
    float
        :math:`\tau_q`, a log-density (natural logarithm).

    Raises
    ------
    TypeError, ValueError
        If X or ``params`` is malformed, or ``percent`` is not a number from 0 to 100 (the
        message names the argument); a ValueError naming X if a point is so far from every
        component (about :math:`10^{154}` standard deviations) that its log-density is below
        the floating-point range.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(anomaly_threshold([0.0, 1.0, 2.0, 3.0], params, 50), 4)   # between x = 1 and 2
    -2.1689
    """
    X, params = ensure_data_and_params(X, params)
    percent = ensure_float(percent, "percent", minimum=0.0, maximum=100.0)
    log_px = _kernels.log_mixture_pdf(X, params)
    if not np.isfinite(log_px).all():
        _kernels.refuse_beyond_range(X, params, log_px, "the anomaly threshold")
    return float(np.percentile(log_px, percent))


@fill_doc
def flag_anomalies(X, params, threshold):
    r"""Which points lie where the mixture's log-density is below ``threshold``.

    .. math:: \text{flag}_i = [\,\log p(x_i) < \tau\,]

    Parameters
    ----------
    X : array-like of shape (N, D), or (N,) when D = 1
        The points to judge (training points or new ones), finite.
    %(params_fitted)s
    threshold : float
        :math:`\tau`, a log-density, usually from :func:`anomaly_threshold`.

    Returns
    -------
    ndarray of bool, shape (N,)
        True where :math:`\log p(x_i) < \tau`. A point so far from every component that
        its log-density is below the floating-point range (``-inf``) is flagged.

    Raises
    ------
    TypeError, ValueError
        If X or ``params`` is malformed, or ``threshold`` is not a finite real number (the
        message names the argument).

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> flag_anomalies([0.0, 1.0, 4.0], params, threshold=-3.0)
    array([False, False,  True])
    """
    X, params = ensure_data_and_params(X, params)
    threshold = ensure_float(threshold, "threshold")
    return _kernels.log_mixture_pdf(X, params) < threshold
