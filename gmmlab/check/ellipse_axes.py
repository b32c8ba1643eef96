r"""Feedback on the learner's ellipse axes (lesson 4): width, height and angle from :math:`\Sigma`.

The exercise: ``my_ellipse_axes(cov, n_std)`` returns ``(width, height, angle)`` of the
``n_std``-standard-deviation ellipse of a 2-D Gaussian with covariance ``cov``, from the
eigen-decomposition :math:`\Sigma = V \Lambda V^\top`: full axis lengths
:math:`2 n \sqrt{\lambda_1}` and :math:`2 n \sqrt{\lambda_2}` (:math:`\lambda_1 \ge
\lambda_2`), and the angle of the long axis :math:`v_1` anticlockwise from the :math:`x_1`
axis, in degrees. Angles that differ by 180° describe the same axis and are accepted.

Each case exists for a bug (``tests/test_check_ellipse_axes.py`` proves that each catches
a wrong implementation the others let through):

- Iris versicolor's tilted component, 2 standard deviations: an eigenvector taken as a
  row of ``np.linalg.eig``'s matrix instead of a column, or an angle measured clockwise;
- a diagonal covariance longer along :math:`x_2` (:math:`\Sigma_{22} > \Sigma_{11}`):
  an angle from :math:`\tfrac12 \arctan(2\Sigma_{12} / (\Sigma_{11} - \Sigma_{22}))`
  without ``arctan2`` (it gives the short axis there), or ``np.linalg.eig``'s eigenvalues
  assumed to come largest first;
- a long, thin ellipse along :math:`x_1` at 1 standard deviation: a width that ignores
  ``n_std`` (the lesson's 2 written in).
"""

from __future__ import annotations

import math

import numpy as np

from ._framework import Case, Checker, Difference, Mistake
from ._shared import CHECKER_RETURNS

#: Widths and heights must agree to this relative tolerance, angles to this many degrees.
RTOL = 1e-6
ANGLE_ATOL = 1e-6


def reference_ellipse_axes(cov, n_std):
    r"""Width, height and angle of the n-standard-deviation ellipse, as the lesson 4 exercise asks.

    With :math:`\Sigma = V \Lambda V^\top`, :math:`\lambda_1 \ge \lambda_2` and :math:`v_1`
    the first column of :math:`V`:

    .. math::

        \text{width} = 2 n \sqrt{\lambda_1}, \qquad
        \text{height} = 2 n \sqrt{\lambda_2}, \qquad
        \varphi = \operatorname{atan2}(v_{1,2}, v_{1,1}) \bmod 180°

    It is :func:`gmmlab.plotting.ellipse_geometry` without the centre.

    Parameters
    ----------
    cov : array-like of shape (2, 2)
        :math:`\Sigma`, symmetric positive definite.
    n_std : float
        n, a finite number > 0.

    Returns
    -------
    width, height, angle : float
        The full lengths of the long and the short axis, and the long axis's angle
        anticlockwise from the :math:`x_1` axis in degrees, in [0, 180).

    Raises
    ------
    TypeError, ValueError
        If an argument is malformed, as for :func:`gmmlab.plotting.ellipse_geometry`.

    Examples
    --------
    >>> reference_ellipse_axes([[1.0, 0.0], [0.0, 4.0]], 1)
    (4.0, 2.0, 90.0)
    """
    from ..plotting import ellipse_geometry

    if isinstance(n_std, np.ndarray) and n_std.ndim == 0:  # a case's copy of the number
        n_std = n_std.item()
    _, width, height, angle = ellipse_geometry([0.0, 0.0], cov, n_std)
    return width, height, angle


# -- the cases -----------------------------------------------------------------


def _cases():
    return [
        Case(
            "Iris versicolor's component, tilted, 2 standard deviations",
            {"cov": np.array([[0.242, 0.079], [0.079, 0.041]]), "n_std": 2.0},
            note="the long axis follows the eigenvector of the largest eigenvalue, a column "
            "of V, and its angle is np.degrees(np.arctan2(v[1], v[0]))",
        ),
        Case(
            "a diagonal covariance, longer along x₂ (Σ₂₂ > Σ₁₁), 2 standard deviations",
            {"cov": np.array([[0.05, 0.0], [0.0, 0.3]]), "n_std": 2.0},
            note="here the long axis is the x₂ axis: the width belongs to λ₁ = Σ₂₂ = 0.3 "
            "and the angle is 90°",
        ),
        Case(
            "a long, thin ellipse along x₁, 1 standard deviation",
            {"cov": np.array([[1.0, 0.0], [0.0, 1e-4]]), "n_std": 1.0},
            note="at n_std = 1 the axes are 2√λ₁ and 2√λ₂ long",
        ),
    ]


# -- reading and comparing an answer --------------------------------------------


def _validate(got, expected, case):
    if got is None:
        return None, "your function returned None: did you forget `return width, height, angle`?"
    if isinstance(got, dict) or hasattr(got, "get_width"):
        return None, (
            f"expected three numbers (width, height, angle), got a {type(got).__name__}: "
            "return the numbers, e.g. `return width, height, angle`"
        )
    if isinstance(got, (tuple, list)) and len(got) == 4:
        return None, (
            "expected three numbers, got four: return (width, height, angle) without the "
            "centre (gmmlab.plotting.ellipse_geometry also returns the centre, first)"
        )
    try:
        values = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None, f"expected three numbers (width, height, angle), got {type(got).__name__}"
    if values.shape != (3,):
        return None, f"expected three numbers (width, height, angle), got shape {values.shape}"
    if not np.all(np.isfinite(values)):
        return None, (
            f"got {values.tolist()}, which is not finite: a square root or a division by "
            "zero went wrong (for a diagonal Σ, Σ₁₁ − Σ₂₂ may be 0 or Σ₁₂ is 0)"
        )
    return values, None


def _angle_gap(a, b):
    """How far apart two axis angles are, in degrees, counting 180° turns as nothing."""
    return abs((a - b + 90.0) % 180.0 - 90.0)


def _compare(answer, expected, case):
    names = ("width", "height")
    for part, (name, got, want) in enumerate(zip(names, answer[:2], expected[:2], strict=True)):
        if not math.isclose(got, want, rel_tol=RTOL):
            return Difference(f"{name} {got:.6g}, expected {want:.6g}", part=part)
    if _angle_gap(answer[2], expected[2]) > ANGLE_ATOL:
        return Difference(f"angle {answer[2]:.6g}°, expected {expected[2]:.6g}°", part=2)
    return None


# -- typical mistakes ---------------------------------------------------------


def _axes(eigenvalues, n_std, scale=2.0):
    """Long then short axis from eigenvalues (largest first), as ``scale · n · √λ``."""
    return scale * n_std * np.sqrt(eigenvalues[1]), scale * n_std * np.sqrt(eigenvalues[0])


def _eigh_major(cov):
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    return eigenvalues, eigenvectors[:, 1]


def _degrees(v):
    return float(np.degrees(np.arctan2(v[1], v[0])))


def _variances(cov, n_std):
    eigenvalues, v = _eigh_major(cov)
    return 2 * n_std * eigenvalues[1], 2 * n_std * eigenvalues[0], _degrees(v)


def _half_lengths(cov, n_std):
    eigenvalues, v = _eigh_major(cov)
    return (*_axes(eigenvalues, n_std, scale=1.0), _degrees(v))


def _radians(cov, n_std):
    eigenvalues, v = _eigh_major(cov)
    return (*_axes(eigenvalues, n_std), float(np.arctan2(v[1], v[0])))


def _n_inside_root(cov, n_std):
    eigenvalues, v = _eigh_major(cov)
    return 2 * np.sqrt(n_std * eigenvalues[1]), 2 * np.sqrt(n_std * eigenvalues[0]), _degrees(v)


def _fixed_two(cov, n_std):
    return reference_ellipse_axes(cov, 2.0)


def _short_axis_angle(cov, n_std):
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    return (*_axes(eigenvalues, n_std), _degrees(eigenvectors[:, 0]))


def _swapped(cov, n_std):
    width, height, angle = reference_ellipse_axes(cov, n_std)
    return height, width, angle


def _diagonal_sds(cov, n_std):
    _, _, angle = reference_ellipse_axes(cov, n_std)
    return 2 * n_std * math.sqrt(cov[0, 0]), 2 * n_std * math.sqrt(cov[1, 1]), angle


def _eig_unsorted(first_is_largest):
    def returns(cov, n_std):
        eigenvalues, eigenvectors = np.linalg.eig(cov)
        big, small = (0, 1) if first_is_largest else (1, 0)
        width, height = 2 * n_std * np.sqrt(eigenvalues[[big, small]])
        return width, height, _degrees(eigenvectors[:, big])

    return returns


def _eigh_descending(cov, n_std):
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    return (
        2 * n_std * np.sqrt(eigenvalues[0]),
        2 * n_std * np.sqrt(eigenvalues[1]),
        _degrees(eigenvectors[:, 0]),
    )


def _clockwise(cov, n_std):
    width, height, angle = reference_ellipse_axes(cov, n_std)
    return width, height, -angle


def _arctan2_swapped(cov, n_std):
    width, height, angle = reference_ellipse_axes(cov, n_std)
    return width, height, 90.0 - angle


def _half_arctan(cov, n_std):
    width, height, _ = reference_ellipse_axes(cov, n_std)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.float64(2 * cov[0, 1]) / np.float64(cov[0, 0] - cov[1, 1])
    return width, height, float(np.degrees(0.5 * np.arctan(ratio)))


_EIG_ORDER = (
    "np.linalg.eig does not sort its eigenvalues (here they come in another order than "
    "you assumed): pick the largest with np.argmax, or use np.linalg.eigh, whose "
    "eigenvalues come in ascending order, the largest last"
)

MISTAKES = (
    Mistake(
        "these are 2n·λ, variances: an axis is 2n times a standard deviation, 2·n_std·np.sqrt(λ)",
        _variances,
    ),
    Mistake(
        "these are the half-lengths n√λ (radii): width and height are full axis lengths, "
        "2·n_std·√λ, as matplotlib's Ellipse expects",
        _half_lengths,
    ),
    Mistake(
        "your angle is in radians: convert it with np.degrees (matplotlib's Ellipse takes "
        "degrees)",
        _radians,
    ),
    Mistake(
        "n_std multiplies the standard deviations, not the variances: 2·n_std·√λ, not "
        "2·√(n_std·λ)",
        _n_inside_root,
    ),
    Mistake(
        "these are the axes of the 2-standard-deviation ellipse whatever n_std is: use the "
        "argument n_std instead of the lesson's 2",
        _fixed_two,
    ),
    Mistake(
        "width and height are swapped: the width is the long axis, 2n√λ₁ with the largest "
        "eigenvalue λ₁",
        _swapped,
    ),
    Mistake(
        "your angle is the short axis's here: ½·arctan(2Σ₁₂/(Σ₁₁ − Σ₂₂)) gives the long "
        "axis only when Σ₁₁ > Σ₂₂; use 0.5·np.arctan2(2Σ₁₂, Σ₁₁ − Σ₂₂), or the eigenvector "
        "of the largest eigenvalue",
        _half_arctan,
    ),
    Mistake(
        "your angle is the short axis's: the long axis is the eigenvector of the largest "
        "eigenvalue (np.linalg.eigh puts it last, eigenvectors[:, 1])",
        _short_axis_angle,
    ),
    Mistake(
        "these are 2n times the standard deviations of x₁ and x₂ (the diagonal of Σ); the "
        "axes of a tilted ellipse come from the eigenvalues of Σ",
        _diagonal_sds,
    ),
    Mistake(
        "you took the first eigenvalue as the largest: np.linalg.eigh returns them in "
        "ascending order (the largest last: eigenvalues[-1] and its column "
        "eigenvectors[:, -1]), np.linalg.eig in no guaranteed order (pick it with np.argmax)",
        _eigh_descending,
    ),
    Mistake(_EIG_ORDER, _eig_unsorted(first_is_largest=True)),
    Mistake(_EIG_ORDER, _eig_unsorted(first_is_largest=False)),
    Mistake(
        "your angle is mirrored (measured clockwise): measure it anticlockwise from the x₁ "
        "axis, np.degrees(np.arctan2(v[1], v[0])), with v a column of the eigenvector "
        "matrix, eigenvectors[:, j], not a row",
        _clockwise,
    ),
    Mistake(
        "your angle is measured from the x₂ axis: np.arctan2 takes (y, x), so write "
        "np.arctan2(v[1], v[0])",
        _arctan2_swapped,
    ),
)


class _ExactFirst(Checker):
    """A checker whose hint comes from a mistake that explains the whole answer, if one does.

    Here several mistakes share a first wrong part (width and height swapped, or swapped
    because np.linalg.eig's order was assumed): the one that reproduces all three numbers
    is the learner's, so it is looked for first.
    """

    def _hint(self, answer, case, difference):
        for mistake in self.mistakes:
            try:
                with np.errstate(all="ignore"):
                    wrong = mistake.returns(*case.copies())
            except (ValueError, ArithmeticError, np.linalg.LinAlgError):
                continue
            if self.compare(answer, wrong, case) is None:
                return mistake.hint
        return super()._hint(answer, case, difference)


check_ellipse_axes = _ExactFirst(
    "check_ellipse_axes",
    exercise="my_ellipse_axes",
    reference=reference_ellipse_axes,
    what="your ellipse axes",
    compared_with="gmmlab.plotting.ellipse_geometry",
    reference_label="gmmlab's reference ellipse axes",
    cases=_cases,
    validate=_validate,
    compare=_compare,
    mistakes=MISTAKES,
    doc=r"""Check a learner's ellipse axes against :func:`gmmlab.plotting.ellipse_geometry`.

    With :math:`\Sigma = V \Lambda V^\top` and :math:`\lambda_1 \ge \lambda_2`:

    .. math::

        \text{width} = 2 n \sqrt{\lambda_1}, \qquad
        \text{height} = 2 n \sqrt{\lambda_2}, \qquad
        \varphi = \operatorname{atan2}(v_{1,2}, v_{1,1}) \text{ in degrees}

    Parameters
    ----------
    function : callable
        ``my_ellipse_axes(cov, n_std)`` returning ``(width, height, angle)``: the full
        lengths of the long and the short axis of the ``n_std``-standard-deviation
        ellipse and the long axis's angle anticlockwise from the x₁ axis in degrees
        (any angle of the same axis, e.g. −30 for 150, is accepted); cov is (2, 2),
        n_std a number > 0.
    """
    + CHECKER_RETURNS,
)

