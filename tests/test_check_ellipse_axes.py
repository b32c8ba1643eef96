"""Lesson 4's exercise checker, check_ellipse_axes: every typical mistake gets its hint, every
case catches a wrong answer the other cases let through, and correct answers in other styles
(closed-form eigenvalues, the tan 2θ formula, matplotlib's own Ellipse) pass.

The wrong implementations are written as a learner writes ``my_ellipse_axes(cov, n_std)``
(numpy and math only), so that tests/test_learner_path.py can write one into the lesson.
"""

import contextlib
import io
import math

import numpy as np
import pytest
from matplotlib.patches import Ellipse

from gmmlab.check import CHECKERS, use_if_correct
from gmmlab.check.ellipse_axes import check_ellipse_axes, reference_ellipse_axes
from gmmlab.plotting import ellipse_geometry
from tests.check_support import Wrong

# -- correct implementations, in other styles -------------------------------------------


def axes_closed_form(cov, n_std):
    """The eigenvalues of a 2 x 2 matrix by hand, the angle from tan 2θ = 2Σ₁₂/(Σ₁₁ − Σ₂₂)."""
    a, b, d = float(cov[0][0]), float(cov[0][1]), float(cov[1][1])
    mid, radius = (a + d) / 2, math.hypot((a - d) / 2, b)
    angle = math.degrees(0.5 * math.atan2(2 * b, a - d))
    return 2 * n_std * math.sqrt(mid + radius), 2 * n_std * math.sqrt(mid - radius), angle


def axes_eig_sorted(cov, n_std):
    """np.linalg.eig, with its unsorted eigenvalues put in order."""
    eigenvalues, eigenvectors = np.linalg.eig(np.asarray(cov))
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    v = eigenvectors[:, 0]
    return (*(2 * n_std * np.sqrt(eigenvalues)), np.degrees(np.arctan2(v[1], v[0])))


def axes_svd(cov, n_std):
    """The singular value decomposition of a symmetric positive definite matrix is its
    eigen-decomposition, largest first; the angle in (-180, 180]."""
    u, s, _ = np.linalg.svd(np.asarray(cov))
    return (
        2 * n_std * np.sqrt(s[0]),
        2 * n_std * np.sqrt(s[1]),
        np.degrees(np.arctan2(u[1, 0], u[0, 0])),
    )


CORRECT = {"check_ellipse_axes": [axes_closed_form, axes_eig_sorted, axes_svd]}


@pytest.mark.parametrize("function", CORRECT["check_ellipse_axes"], ids=lambda f: f.__name__)
def test_correct_implementations_in_other_styles_pass(function):
    feedback = check_ellipse_axes(function)
    assert feedback.passed, repr(feedback)
    assert f"All {len(feedback.cases)} cases pass" in repr(feedback)


def test_the_reference_is_plottings_geometry_and_matplotlib_draws_it():
    """The expected answers are gmmlab.plotting.ellipse_geometry's; an Ellipse drawn with them
    passes through the points at Mahalanobis distance n_std along both axes."""
    assert check_ellipse_axes(reference_ellipse_axes).passed
    for case in check_ellipse_axes.cases:
        cov, n_std = case.copies()
        width, height, angle = reference_ellipse_axes(cov, n_std)
        assert (width, height, angle) == ellipse_geometry([0.0, 0.0], cov, float(n_std))[1:]
        ellipse = Ellipse((0.0, 0.0), width, height, angle=angle)
        # points of the unit circle, mapped by matplotlib's own transform onto the ellipse
        t = np.linspace(0, 2 * np.pi, 37)
        path = ellipse.get_patch_transform().transform(np.column_stack([np.cos(t), np.sin(t)]))
        distances = np.sqrt(np.einsum("ij,jk,ik->i", path, np.linalg.inv(cov), path))
        np.testing.assert_allclose(distances, float(n_std), rtol=1e-6)


def test_a_different_turn_of_the_same_axis_is_accepted():
    def minus_180(cov, n_std):
        width, height, angle = reference_ellipse_axes(cov, n_std)
        return width, height, angle - 180.0

    assert check_ellipse_axes(minus_180).passed


# -- wrong implementations, as learners write them ---------------------------------------


def axes_variances(cov, n_std):
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    v = eigenvectors[:, 1]
    return (
        2 * n_std * eigenvalues[1],
        2 * n_std * eigenvalues[0],
        np.degrees(np.arctan2(v[1], v[0])),
    )


def axes_with(cov, n_std, *, mistake="radii"):
    """The lesson's answer, with the mistake that ``mistake`` names."""
    eig = np.linalg.eig if mistake in ("eig_largest_first", "eig_largest_last") else np.linalg.eigh
    eigenvalues, eigenvectors = eig(cov)
    long, short = (0, 1) if mistake in ("eigh_ascending", "eig_largest_first") else (1, 0)
    v = eigenvectors[:, short if mistake == "short_axis_angle" else long]
    width = 2 * n_std * np.sqrt(eigenvalues[long])
    height = 2 * n_std * np.sqrt(eigenvalues[short])
    angle = np.degrees(np.arctan2(v[1], v[0]))
    if mistake == "radii":
        width, height = n_std * np.sqrt(eigenvalues[long]), n_std * np.sqrt(eigenvalues[short])
    if mistake == "radians":
        angle = np.arctan2(v[1], v[0])
    if mistake == "n_inside_root":
        width = 2 * np.sqrt(n_std * eigenvalues[long])
        height = 2 * np.sqrt(n_std * eigenvalues[short])
    if mistake == "two_written_in":
        width, height = 4 * np.sqrt(eigenvalues[long]), 4 * np.sqrt(eigenvalues[short])
    if mistake == "swapped":
        width, height = height, width
    if mistake == "diagonal":
        width, height = 2 * n_std * np.sqrt(cov[0, 0]), 2 * n_std * np.sqrt(cov[1, 1])
    if mistake == "mirror":
        angle = np.degrees(np.arctan2(-v[1], v[0]))
    if mistake == "arctan2_swapped":
        angle = np.degrees(np.arctan2(v[0], v[1]))
    if mistake == "with_centre":
        return (0.0, 0.0), width, height, angle
    return width, height, angle


def axes_eig_row(cov, n_std):
    eigenvalues, eigenvectors = np.linalg.eig(cov)
    j = np.argmax(eigenvalues)
    v = eigenvectors[j]
    return (
        2 * n_std * np.sqrt(eigenvalues[j]),
        2 * n_std * np.sqrt(eigenvalues[1 - j]),
        np.degrees(np.arctan2(v[1], v[0])),
    )


def axes_half_arctan(cov, n_std):
    eigenvalues = np.linalg.eigvalsh(cov)
    angle = np.degrees(0.5 * np.arctan(2 * cov[0, 1] / (cov[0, 0] - cov[1, 1])))
    return 2 * n_std * np.sqrt(eigenvalues[1]), 2 * n_std * np.sqrt(eigenvalues[0]), angle


def axes_not_returned(cov, n_std):
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    v = eigenvectors[:, 1]
    width, height = 2 * n_std * np.sqrt(eigenvalues[::-1])
    angle = np.degrees(np.arctan2(v[1], v[0]))  # noqa: F841 (forgot to return)


WRONG = [
    Wrong("check_ellipse_axes", axes_variances, "these are 2n·λ, variances"),
    Wrong("check_ellipse_axes", axes_with, "radii: these are the half-lengths n√λ (radii)"),
    Wrong("check_ellipse_axes", axes_with, "radians: your angle is in radians"),
    Wrong("check_ellipse_axes", axes_with, "n_inside_root: not 2·√(n_std·λ)"),
    Wrong("check_ellipse_axes", axes_with, "two_written_in: instead of the lesson's 2"),
    Wrong("check_ellipse_axes", axes_with, "swapped: width and height are swapped"),
    Wrong("check_ellipse_axes", axes_with, "short_axis_angle: your angle is the short axis's"),
    Wrong("check_ellipse_axes", axes_with, "diagonal: the diagonal of Σ"),
    Wrong("check_ellipse_axes", axes_with, "eigh_ascending: eigh returns them in ascending order"),
    # np.linalg.eig's order depends on LAPACK: either eig hint names what went wrong
    Wrong("check_ellipse_axes", axes_with, "eig_largest_first: np.linalg.eig"),
    Wrong("check_ellipse_axes", axes_with, "eig_largest_last: np.linalg.eig"),
    Wrong("check_ellipse_axes", axes_eig_row, "eigenvectors[:, j], not a row"),
    Wrong("check_ellipse_axes", axes_half_arctan, "gives the long axis only when Σ₁₁ > Σ₂₂"),
    Wrong("check_ellipse_axes", axes_with, "mirror: your angle is mirrored (measured clockwise)"),
    Wrong("check_ellipse_axes", axes_with, "arctan2_swapped: np.arctan2 takes (y, x)"),
    Wrong("check_ellipse_axes", axes_with, "with_centre: without the centre"),
    Wrong("check_ellipse_axes", axes_not_returned, "did you forget `return width, height"),
]


def test_the_checker_is_registered_for_the_tools():
    checker = CHECKERS["check_ellipse_axes"]
    assert checker is check_ellipse_axes and checker.exercise == "my_ellipse_axes"
    assert str(checker.signature) == "(cov, n_std)"
    assert "Parameters" in checker.__doc__ and "Feedback" in checker.__doc__


def _fallback(function):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        chosen = use_if_correct(function, check_ellipse_axes)
    return chosen, out.getvalue().splitlines()


def test_fallback_uses_a_correct_answer_and_replaces_a_wrong_one():
    chosen, lines = _fallback(axes_closed_form)
    assert chosen is axes_closed_form
    assert lines == [
        "Your axes_closed_form passes all 3 cases of check_ellipse_axes, so the cells below "
        "use it."
    ]
    chosen, lines = _fallback(axes_half_arctan)
    assert chosen is reference_ellipse_axes and len(lines) == 1
    assert lines[0].endswith("so the cells below use gmmlab's reference ellipse axes.")


def test_a_row_naming_a_mistake_axes_with_does_not_make_is_refused():
    with pytest.raises(ValueError, match="axes_with has no branch for 'radius'"):
        Wrong("check_ellipse_axes", axes_with, "radius: these are the half-lengths n√λ")
