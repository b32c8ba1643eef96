r"""The objectives behind EM: Q, the evidence lower bound, its gap, and MAP-EM.

Lesson 6 introduces the expected complete-data log-likelihood
:math:`Q(\theta' \mid \theta)`; lesson 8 splits the log-likelihood into the
evidence lower bound and a Kullback–Leibler gap,

.. math::

    \ell(\theta) = \mathcal{L}(q, \theta) + \mathrm{KL}\big(q \,\|\, p(z \mid x, \theta)\big),

and shows the objective that EM with a covariance prior (MAP-EM) never lowers.
Every function here works on the whole data set: ``q`` is an (N, K) array whose
row i is a distribution over the hidden label :math:`z_i`.
"""

from __future__ import annotations

import math

import numpy as np

from ._docstring import fill_doc
from ._kernels import log_joint as _log_joint
from ._validation import ensure_float, ensure_resp, ensure_X_to_fit
from .em import log_mixture_pdf, lower_bound
from .params import MixtureParams, ensure_params
from .statistics import ComponentCollapseError

__all__ = [
    "evidence_lower_bound",
    "expected_complete_log_likelihood",
    "log_covariance_prior",
    "map_m_step",
    "posterior_kl",
    "responsibility_entropy",
]


def _data_params_q(X, params, q, name="resp"):
    X = ensure_X_to_fit(X)
    params = ensure_params(params, n_features=X.shape[1])
    q = ensure_resp(q, n_samples=X.shape[0], n_components=params.n_components, name=name)
    return X, params, q


def _weighted_sum(q, values):
    """sum_ik q_ik values_ik, with 0 * anything = 0 (so 0 log 0 = 0 and 0 * log 0 = 0)."""
    used = q > 0
    return float(np.sum(q[used] * values[used]))


@fill_doc
def expected_complete_log_likelihood(X, params, resp):
    r"""The expected complete-data log-likelihood Q that the M-step maximises.

    .. math::

        Q(\theta' \mid \theta) = \sum_{i=1}^{N} \sum_{k=0}^{K-1} \gamma_{ik}
            \big[\log \pi'_k + \log \mathcal{N}(x_i \mid \mu'_k, \Sigma'_k)\big]

    the complete-data log-likelihood :math:`\sum_i \sum_k z_{ik} \log(\pi'_k
    \mathcal{N}(x_i \mid \mu'_k, \Sigma'_k))` with each one-hot label :math:`z_{ik}`
    replaced by its expectation :math:`\gamma_{ik} = E[z_{ik} \mid x_i, \theta]`.
    ``params`` is :math:`\theta'`; ``resp`` holds the :math:`\gamma_{ik}` computed
    under :math:`\theta` (``e_step(X, θ)``). Terms with :math:`\gamma_{ik} = 0` count
    as 0.

    %(Parameters: X, params_new, resp)s

    Returns
    -------
    float
        :math:`Q(\theta' \mid \theta)`; ``-inf`` when some :math:`\gamma_{ik} > 0`
        has :math:`\pi'_k = 0`.

    %(Raises: malformed_shapes)s

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [0.0, 4.0], [1.0, 1.0])
    >>> q = expected_complete_log_likelihood([0.0], params, [[1.0, 0.0]])
    >>> round(q, 4)  # log 0.5 + log N(0 | 0, 1)
    -1.6121
    """
    X, params, resp = _data_params_q(X, params, resp)
    return _weighted_sum(resp, _log_joint(X, params))


def responsibility_entropy(q):
    r"""The entropy of the label distributions q, summed over the points.

    .. math::

        H(q) = -\sum_{i=1}^{N} \sum_{k=0}^{K-1} q_{ik} \log q_{ik}
        \qquad (0 \log 0 = 0)

    With :math:`q = \gamma`, :math:`B(\theta' \mid \theta) = Q(\theta' \mid \theta) + H(\gamma)`.

    Parameters
    ----------
    q : array-like of shape (N, K)
        Non-negative, each row summing to 1.

    Returns
    -------
    float
        :math:`H(q)`, between 0 (every row one-hot) and :math:`N \log K` (every row uniform).

    Raises
    ------
    TypeError, ValueError
        If ``q`` is not an (N, K) array of probabilities (rows summing to 1).

    Examples
    --------
    >>> round(responsibility_entropy([[0.5, 0.5], [1.0, 0.0]]), 4)  # log 2 + 0
    0.6931
    """
    q = ensure_resp(q, name="q")
    used = q > 0
    return float(-np.sum(q[used] * np.log(q[used])))


@fill_doc
def evidence_lower_bound(X, params, q):
    r"""The evidence lower bound (ELBO) L(q, θ): a lower bound on ℓ(θ) for any q.

    .. math::

        \mathcal{L}(q, \theta) = \sum_{i=1}^{N} \sum_{k=0}^{K-1} q_{ik}
            \log \frac{\pi_k \, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}{q_{ik}}
        = Q_q(\theta) + H(q) \;\le\; \ell(\theta)

    where :math:`Q_q(\theta) = \sum_{i,k} q_{ik} \log(\pi_k \mathcal{N}(x_i \mid \mu_k,
    \Sigma_k))`. The gap is :func:`posterior_kl`: :math:`\ell(\theta) = \mathcal{L}(q,
    \theta) + \mathrm{KL}(q \,\|\, p(z \mid x, \theta))`. With
    :math:`q = \gamma` computed under :math:`\theta_{\text{old}}` this is gmmlab's
    :func:`~gmmlab.lower_bound` :math:`B(\theta \mid \theta_{\text{old}})`.

    %(Parameters: X, params_theta)s
    q : array-like of shape (N, K)
        Any distributions over the labels: non-negative, rows summing to 1.

    Returns
    -------
    float
        :math:`\mathcal{L}(q, \theta)`.

    %(Raises: malformed_shapes)s

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [0.0, 4.0], [1.0, 1.0])
    >>> X = [0.0, 1.0, 3.0]
    >>> from gmmlab import e_step, log_likelihood
    >>> bool(abs(evidence_lower_bound(X, params, e_step(X, params))
    ...          - log_likelihood(X, params)) < 1e-12)
    True
    """
    X, params, q = _data_params_q(X, params, q, name="q")
    return lower_bound(X, params, q)  # the same sum as lesson 8's B, with q for gamma


@fill_doc
def posterior_kl(X, params, q):
    r"""The gap ℓ(θ) − L(q, θ): the KL divergence from q to the posterior of the labels.

    .. math::

        \mathrm{KL}\big(q \,\|\, p(z \mid x, \theta)\big)
        = \sum_{i=1}^{N} \sum_{k=0}^{K-1} q_{ik} \log \frac{q_{ik}}{\gamma_{ik}(\theta)}
        \;\ge\; 0,

    with :math:`\gamma_{ik}(\theta) = p(z_i = k \mid x_i, \theta)`, zero exactly when
    :math:`q = \gamma(\theta)`. Computed in log space (:math:`\log \gamma_{ik} = \log
    \pi_k + \log \mathcal{N}(x_i \mid \mu_k, \Sigma_k) - \log p(x_i)`), so it is
    accurate for small gaps too.

    %(Parameters: X, params_theta)s
    q : array-like of shape (N, K)
        Non-negative, rows summing to 1.

    Returns
    -------
    float
        The divergence, >= 0 (``inf`` when some :math:`q_{ik} > 0` has
        :math:`\gamma_{ik} = 0`, a component of weight 0).

    %(Raises: malformed_shapes)s

    Examples
    --------
    >>> params = MixtureParams([0.5, 0.5], [0.0, 4.0], [1.0, 1.0])
    >>> X = [2.0]  # halfway: gamma = (0.5, 0.5)
    >>> round(posterior_kl(X, params, [[1.0, 0.0]]), 4)  # log(1 / 0.5)
    0.6931
    """
    X, params, q = _data_params_q(X, params, q, name="q")
    log_resp = _log_joint(X, params) - log_mixture_pdf(X, params)[:, None]
    used = q > 0
    return float(max(np.sum(q[used] * (np.log(q[used]) - log_resp[used])), 0.0))


# -- MAP-EM: the covariance prior that a floor should be --------------------------------


def _prior_arguments(prior_scale, prior_dof, n_features):
    prior_scale = ensure_float(prior_scale, "prior_scale", minimum=0.0, strict=True)
    if prior_dof is None:
        prior_dof = float(n_features)
    prior_dof = ensure_float(prior_dof, "prior_dof", minimum=n_features - 1.0, strict=True)
    return prior_scale, prior_dof


@fill_doc
def log_covariance_prior(params, prior_scale, prior_dof=None):
    r"""The log of an inverse-Wishart prior on every covariance, summed over the components.

    .. math::

        \log p(\theta) = \sum_{k=0}^{K-1} \log \mathcal{W}^{-1}(\Sigma_k \mid \Psi, \nu),
        \qquad \Psi = \psi I,

        \log \mathcal{W}^{-1}(\Sigma \mid \Psi, \nu) =
        \frac{\nu}{2}\log|\Psi| - \frac{\nu D}{2}\log 2 - \log\Gamma_D\!\big(\tfrac{\nu}{2}\big)
        - \frac{\nu + D + 1}{2}\log|\Sigma| - \frac{1}{2}\operatorname{tr}(\Psi\Sigma^{-1})

    (no prior on the weights and means). :func:`map_m_step` maximises
    :math:`Q(\theta' \mid \theta) + \log p(\theta')`, so MAP-EM never lowers
    :math:`\ell(\theta) + \log p(\theta)`.

    Parameters
    ----------
    params : MixtureParams
        The covariances :math:`\Sigma_k` (D x D).
    %(prior_scale)s
    prior_dof : float, optional
        :math:`\nu > D - 1`; default D (as scikit-learn's BayesianGaussianMixture).

    Returns
    -------
    float

    Raises
    ------
    TypeError, ValueError
        If ``params`` is not a MixtureParams, ``prior_scale`` <= 0 or ``prior_dof`` <= D − 1.

    Examples
    --------
    >>> params = MixtureParams([1.0], [0.0], [1.0])
    >>> round(log_covariance_prior(params, 1.0, prior_dof=1.0), 4)  # scipy's invwishart(1, 1)
    -1.4189
    """
    params = ensure_params(params)
    d = params.n_features
    psi, nu = _prior_arguments(prior_scale, prior_dof, d)
    log_gamma_d = d * (d - 1) / 4 * math.log(math.pi) + sum(
        math.lgamma((nu - j) / 2) for j in range(d)
    )
    constant = nu * d / 2 * math.log(psi) - nu * d / 2 * math.log(2.0) - log_gamma_d
    total = 0.0
    for cov in params.covariances:
        _, log_det = np.linalg.slogdet(cov)
        trace = psi * float(np.trace(np.linalg.inv(cov)))
        total += constant - (nu + d + 1) / 2 * float(log_det) - trace / 2
    return float(total)


@fill_doc
def map_m_step(X, resp, prior_scale, prior_dof=None):
    r"""The M-step of MAP-EM: it maximises Q plus the log of an inverse-Wishart prior.

    .. math::

        N_k = \sum_i \gamma_{ik}, \quad \pi_k = \frac{N_k}{N}, \quad
        \mu_k = \frac{1}{N_k}\sum_i \gamma_{ik} x_i, \quad
        \Sigma_k = \frac{S_k + \psi I}{N_k + \nu + D + 1},
        \quad S_k = \sum_i \gamma_{ik}(x_i - \mu_k)(x_i - \mu_k)^\top

    the exact maximiser of :math:`Q(\theta' \mid \theta) + \log p(\theta')` with
    :func:`log_covariance_prior`. Unlike gmmlab's floor
    :math:`S_k / N_k + \varepsilon I`, whose added :math:`\varepsilon I` does not
    shrink as :math:`N_k` grows, this is a MAP-EM step, so
    :math:`\ell(\theta) + \log p(\theta)` never decreases.

    %(Parameters: X, resp, prior_scale)s
    prior_dof : float, optional
        :math:`\nu > D - 1`; default D.

    Returns
    -------
    MixtureParams

    %(Raises: malformed_named)s
    ComponentCollapseError
        If a component has (almost) no points, :math:`N_k < 10^{-10}`.

    Examples
    --------
    >>> params = map_m_step([0.0, 2.0], [[1.0], [1.0]], prior_scale=1.0, prior_dof=1.0)
    >>> params.covariances.ravel()  # (S + psi) / (N + nu + 2) = (2 + 1) / 5
    array([0.6])
    """
    X = ensure_X_to_fit(X)
    resp = ensure_resp(resp, n_samples=X.shape[0])
    d = X.shape[1]
    psi, nu = _prior_arguments(prior_scale, prior_dof, d)
    nk = resp.sum(axis=0)
    if nk.min() < 1e-10:
        k = int(nk.argmin())
        raise ComponentCollapseError(
            f"component {k} has N_k = {nk[k]:.3g}: (almost) no points, so its mean is "
            "undefined; lower the number of components or start elsewhere",
            empty=True,
            component=k,
        )
    means = resp.T @ X / nk[:, None]
    scatter = np.stack(
        [(resp[:, k, None] * (X - means[k])).T @ (X - means[k]) for k in range(len(nk))]
    )  # S_k
    covariances = (scatter + psi * np.eye(d)) / (nk + nu + d + 1)[:, None, None]
    covariances = (covariances + covariances.transpose(0, 2, 1)) / 2  # exactly symmetric
    return MixtureParams(nk / X.shape[0], means, covariances)
