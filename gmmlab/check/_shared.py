r"""Docstring text and a comparison that several exercise modules share.

A reference's docstring writes its own formula and names what it returns; the parts that
are the same in several (the four arguments of a mixture, the three arrays an M-step returns,
the errors of a malformed argument) are written once here and filled in by
:func:`shared_doc`, so ``help()`` and the doctests show the whole text.
"""

from __future__ import annotations

import numpy as np

from ._framework import _as_float_array

#: The Returns and Raises of every checker's docstring (a checker returns a Feedback).
CHECKER_RETURNS = """
    Returns
    -------
    Feedback
        Shows as a report; ``bool(feedback)`` is True when every case passes.

    Raises
    ------
    TypeError
        If ``function`` is not callable (e.g. the result of calling it).
    """

_MIXTURE = """weights : array-like of shape (K,)
    means : array-like of shape (K, D)
    covariances : array-like of shape (K, D, D)"""

_PARTS = {
    # the points and a mixture's arguments, as the lessons' exercises take them
    "{X_AND_MIXTURE}": "X : array-like of shape (N, D)\n    " + _MIXTURE,
    # a mixture's arguments alone
    "{MIXTURE_ARGUMENTS}": _MIXTURE,
    # what an M-step returns
    "{FITTED_ARRAYS}": """weights : ndarray of shape (K,)
    means : ndarray of shape (K, D)
    covariances : ndarray of shape (K, D, D)""",
}

_MALFORMED = """TypeError, ValueError
        If an argument is malformed (the message names it), as for
        :class:`gmmlab.MixtureParams` and :func:`{}`."""


def shared_doc(calls=None):
    """Fill a reference's docstring with the shared parts it names in braces.

    ``{X_AND_MIXTURE}`` (X, weights, means, covariances), ``{MIXTURE_ARGUMENTS}``
    (weights, means, covariances), ``{FITTED_ARRAYS}`` (weights, means, covariances
    returned) and ``{MALFORMED}`` (the TypeError and ValueError of a malformed
    argument, as for :class:`gmmlab.MixtureParams` and the function ``calls``).
    """

    def fill(function):
        doc = function.__doc__
        for placeholder, text in _PARTS.items():
            doc = doc.replace(placeholder, text)
        if calls is not None:
            doc = doc.replace("{MALFORMED}", _MALFORMED.format(calls))
        function.__doc__ = doc
        return function

    return fill


def worst_entry(value, target, rtol):
    """The index of ``value``'s entry farthest from ``target`` past ``rtol``, or None.

    Each entry counts relative to itself, and to the largest of ``target`` times 1e-12
    (an entry near 0 need not match to ``rtol`` of itself).
    """
    scale = max(np.abs(target).max(), 1e-300)
    error = np.abs(value - target) / (rtol * np.abs(target) + 1e-12 * scale)
    if (error <= 1).all():
        return None
    return np.unravel_index(np.argmax(error), error.shape)


def as_arrays(got, names):
    """``got``, the tuple of ``names`` an exercise returns, as float arrays; or a problem.

    Returns ``(arrays, None)``, or ``(None, message)`` saying what is wrong.
    """
    ending = f"end with `return {', '.join(names)}`"
    if got is None:
        return None, f"your function returned None: {ending}"
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        what = type(got).__name__
        if isinstance(got, (tuple, list)):
            what = f"a {what} of {len(got)}"
        kind = "pair" if len(names) == 2 else "tuple"
        return None, f"expected the {kind} ({', '.join(names)}), got {what}: {ending}"
    arrays = []
    for name, value in zip(names, got, strict=True):
        array, problem = _as_float_array(value, name)
        if problem:
            return None, problem.replace("your function returned None", f"{name} is None")
        arrays.append(array)
    return arrays, None
