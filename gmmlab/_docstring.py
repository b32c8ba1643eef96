r"""Docstring entries that several public functions share, written once.

A public function's docstring keeps its own first sentence, its formula, its Returns
and its Examples in its source; a Parameters or Raises entry that many functions share
word for word (the points X, a MixtureParams, the responsibilities...) is written once
in :data:`PARTS` and named in the docstring by a placeholder line (below).
:func:`fill_doc` replaces each such line by the entries, indented as the line is, so
``help()``, the doctests and the site show the whole text, as scipy's ``doccer`` and
matplotlib's ``_docstring`` do::

    @fill_doc
    def density(X, params):
        r'''One plain sentence.

        .. math:: (the formula, as the lesson writes it)

        %(Parameters: X, params)s
        size : int
            An entry of this function's own.
        ...
        '''

``%(Parameters: X, params)s`` stands for the header ``Parameters``, its underline and
the two entries; ``%(X, params)s`` for the entries alone.
An unknown name raises a KeyError when the module is imported, and
``tests/test_docstrings.py`` fails on a placeholder left unfilled or a part no
docstring uses.
"""

from __future__ import annotations

import re

#: The shared entries, by name: the entry's first line, then its description indented
#: by four spaces (numpydoc's layout), as it reads in ``help()``.
PARTS = {
    # -- the data ---------------------------------------------------------------------
    "X": """X : array-like of shape (N, D), or (N,) when D = 1
    The points, finite.""",
    "X_to_fit": """X : array-like of shape (N, D), or (N,) when D = 1
    The points, finite, with magnitudes up to 1e150.""",
    "X_training": """X : array-like of shape (N, D), or (N,) when D = 1
    The training points, finite.""",
    "X_or_dask": """X : array-like of shape (N, D), or (N,) when D = 1; or a 2-D dask array
    The points, finite; a dask array is reduced block by block, as
    :func:`~gmmlab.log_likelihood` does.""",
    "X_binary": """X : array-like of shape (N, D)
    Binary points.""",
    # -- the parameters -----------------------------------------------------------------
    "params": """params : MixtureParams
    With D features.""",
    "params_fitted": """params : MixtureParams
    The fitted mixture, with D features.""",
    "params_new": """params : MixtureParams
    :math:`\\theta'`, with D features and K components.""",
    "params_theta": """params : MixtureParams
    :math:`\\theta`, with D features and K components.""",
    "params_counted": """params : MixtureParams
    With D features; its ``covariance_type`` sets :math:`d_\\theta` (:func:`n_parameters`).""",
    "params_binary": """params : BernoulliParams
    With D features.""",
    "n_components": """n_components : int
    K, between 1 and N.""",
    "n_components_online": """n_components : int
    K.""",
    "means_optional": """means : array-like of shape (K, D), optional
    :math:`\\mu_k`; needed with ``covariances``.""",
    # -- the responsibilities, the floor and the priors -----------------------------------
    "resp": """resp : array-like of shape (N, K)
    :math:`\\gamma_{ik}`: non-negative, rows summing to 1.""",
    "resp_returned": """resp : ndarray of shape (N, K)
    :math:`\\gamma_{ik}`, non-negative, each row summing to 1.""",
    "reg_covar": """reg_covar : float, default 1e-6
    :math:`\\varepsilon`, added to each covariance's diagonal; >= 0.""",
    "prior_scale": """prior_scale : float
    :math:`\\psi > 0`.""",
    "beta_prior": """a, b : float, default 1.0
    The Beta prior's parameters, each >= 1.""",
    # -- the errors -----------------------------------------------------------------------
    "malformed": """TypeError, ValueError
    If an argument is malformed.""",
    "malformed_named": """TypeError, ValueError
    If an argument is malformed (the message names it).""",
    "malformed_shapes": """TypeError, ValueError
    If an argument is malformed or the shapes disagree (the message names it).""",
    "malformed_X_params": """TypeError, ValueError
    If X is malformed or ``params`` is not a MixtureParams with D features.""",
    "malformed_binary": """TypeError, ValueError
    If X is not binary or ``params`` is not a BernoulliParams with D features.""",
    "not_real": """TypeError
    If an argument is not an array of real numbers.""",
}

#: A line holding only ``%(a, b)s`` (entries) or ``%(Section: a, b)s`` (a section's header,
#: its underline, then the entries).
_PLACEHOLDER = re.compile(r"^([ ]*)%\((?:([A-Z][a-z]+): )?(\w+(?:, \w+)*)\)s[ ]*$", re.MULTILINE)


def fill_text(doc):
    r"""``doc`` with each placeholder line replaced by its entries, indented as the line.

    ``%(X, params)s`` gives the entries ``PARTS["X"]`` and ``PARTS["params"]``;
    ``%(Parameters: X, params)s`` the same under the header ``Parameters`` and its
    underline.

    Examples
    --------
    >>> print(fill_text("Raises\n------\n%(not_real)s"))
    Raises
    ------
    TypeError
        If an argument is not an array of real numbers.
    """

    def entries(match):
        indent, section, names = match.groups()
        lines = [section, "-" * len(section)] if section else []
        for name in names.split(", "):
            lines += PARTS[name].split("\n")
        return "\n".join(indent + line if line else line for line in lines)

    return _PLACEHOLDER.sub(entries, doc)


def fill_doc(obj):
    """Fill the placeholders of a function's or class's docstring; return it unchanged else.

    A decorator: put it directly above the ``def`` or ``class`` line, below any other
    decorator (``@property``, ``@dataclasses.dataclass``), so it fills the function's own
    docstring. Under ``python -OO`` there is no docstring and nothing to fill.
    """
    if obj.__doc__:
        obj.__doc__ = fill_text(obj.__doc__)
    return obj
