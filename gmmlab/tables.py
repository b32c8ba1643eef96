"""Small tables for the lessons: HTML in the notebook, aligned text elsewhere.

    Table(["species", "mean"], [["setosa", 0.246], ...], digits=3)

Numbers are rounded to ``digits`` significant decimals when shown, so that a
stored notebook output does not depend on the last bits of a computation.
"""

from __future__ import annotations

import html
import numbers

import numpy as np

from ._validation import (
    ensure_int,
    ensure_positive_number,
    ensure_text,
    ensure_texts,
    loaded_class,
)


class Table:
    """A captioned table that displays as HTML in Jupyter and as text in a terminal.

    Parameters
    ----------
    headers : sequence of str
    rows : sequence of sequences
        One cell per header. A cell is a string, a bool (shown "yes"/"no"), a
        real number (numpy scalars too), an array of real numbers (shown
        rounded), or None (an empty cell).
    digits : int, default 3
        Decimals shown for floats, from 0 to 15.
    caption : str, optional
    scientific_below : float, optional
        Show non-zero numbers smaller than this in absolute value in
        scientific notation with ``digits`` significant digits (1.6e-104
        instead of 0.000). Leave it unset for numbers that are zero up to
        rounding noise, whose last digits would change from machine to machine.

    Raises
    ------
    TypeError
        If an argument or a cell has the wrong type (a cell's message names its
        row and column).
    ValueError
        If a row has another number of cells than there are headers, or
        ``digits`` or ``scientific_below`` is out of range.

    Examples
    --------
    >>> Table(["species", "mean"], [["setosa", 0.2464]], digits=2)
    species  mean
    -------  ----
    setosa   0.25
    """

    def __init__(self, headers, rows, digits=3, caption=None, scientific_below=None):
        self.headers = list(ensure_texts(headers, "headers"))
        if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
            raise TypeError(f"rows must be a sequence of rows, got {type(rows).__name__}")
        self.rows = []
        for i, row in enumerate(rows):
            if isinstance(row, (str, bytes)) or not hasattr(row, "__iter__"):
                raise TypeError(
                    f"rows[{i}] must be a sequence of cells, got {type(row).__name__} {row!r}"
                )
            self.rows.append(list(row))
            if len(self.rows[i]) != len(self.headers):
                raise ValueError(
                    f"row {i} has {len(self.rows[i])} cells but there are "
                    f"{len(self.headers)} headers"
                )
        self.digits = ensure_int(digits, "digits", minimum=0, maximum=15)
        self.caption = ensure_text(caption, "caption", optional=True)
        self.scientific_below = (
            None
            if scientific_below is None
            else ensure_positive_number(scientific_below, "scientific_below")
        )
        for i, row in enumerate(self.rows):
            for j, value in enumerate(row):
                _check_cell(value, f"rows[{i}][{j}]")

    def format_cell(self, value):
        """The text shown for one cell.

        Parameters
        ----------
        value : str, bool, real number, array of real numbers or None

        Returns
        -------
        str

        Raises
        ------
        TypeError
            If ``value`` is none of these (a dict, say, or complex numbers).

        Examples
        --------
        >>> Table(["x"], [], digits=2).format_cell(-0.001)
        '0.00'
        """
        _check_cell(value, "value")
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, (bool, np.bool_)):
            return "yes" if value else "no"
        if isinstance(value, numbers.Integral):
            return str(int(value))
        if isinstance(value, numbers.Real):
            if self.scientific_below and 0 < abs(value) < self.scientific_below:
                return f"{float(value):.{self.digits}g}"
            return f"{round(float(value), self.digits) + 0.0:.{self.digits}f}"  # no "-0.000"
        array = np.round(np.asarray(value, dtype=float), self.digits) + 0.0
        return np.array2string(
            array, precision=self.digits, separator=", ", floatmode="fixed", suppress_small=True
        ).replace("\n", "")

    def _cells(self):
        return [[self.format_cell(v) for v in row] for row in self.rows]

    def __repr__(self):
        cells = self._cells()
        widths = [
            max(len(h), *(len(r[j]) for r in cells)) if cells else len(h)
            for j, h in enumerate(self.headers)
        ]
        lines = [self.caption] if self.caption else []
        for row in [self.headers, ["-" * w for w in widths], *cells]:
            cells_text = (c.ljust(w) for c, w in zip(row, widths, strict=True))
            lines.append("  ".join(cells_text).rstrip())
        return "\n".join(lines)

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._cells()
        )
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _check_cell(value, name):
    """A cell must be text, a bool, a real number, real numbers or None."""
    if value is None or isinstance(value, (str, bool, np.bool_, numbers.Real)):
        return
    array = np.asarray(value) if isinstance(value, (list, tuple, np.ndarray)) else None
    if array is None or array.dtype == object or not np.issubdtype(array.dtype, np.number):
        raise TypeError(
            f"{name} must be a string, a number, an array of numbers or None, "
            f"got {type(value).__name__}"
        )
    if np.iscomplexobj(array):
        raise TypeError(f"{name} must hold real numbers, got complex ones")


def params_table(params, feature_names=None, digits=3, caption=None):
    r"""One row per component: its weight :math:`\pi_k`, mean :math:`\mu_k` and covariance.

    Parameters
    ----------
    params : MixtureParams
    feature_names : sequence of str, optional
        One name per feature, shown in the mean's header.
    digits : int, default 3
    caption : str, optional

    Returns
    -------
    Table

    Raises
    ------
    TypeError
        If ``params`` is not a MixtureParams, a name or the caption not a string, or
        ``digits`` not an integer (the message names the argument).
    ValueError
        If ``feature_names`` does not hold one name per feature, or ``digits`` is negative.

    Examples
    --------
    >>> from gmmlab import MixtureParams
    >>> params_table(MixtureParams([1.0], [0.5], [2.0]), digits=1)
    component k  weight π_k  mean μ_k  variance σ²_k
    -----------  ----------  --------  -------------
    0            1.0         0.5       2.0
    """
    if not isinstance(params, loaded_class("gmmlab.params", "MixtureParams")):
        # gmmlab.params imports this module for MixtureParams.table()
        raise TypeError(f"params must be a gmmlab.MixtureParams, got {type(params).__name__}")
    if feature_names is not None:
        feature_names = ensure_texts(feature_names, "feature_names", count=params.n_features)
    if params.n_features == 1:
        headers = ["component k", "weight π_k", "mean μ_k", "variance σ²_k"]
        rows = [
            [k, params.weights[k], params.means[k, 0], params.covariances[k, 0, 0]]
            for k in range(params.n_components)
        ]
    else:
        names = f" ({', '.join(feature_names)})" if feature_names else ""
        headers = ["component k", "weight π_k", f"mean μ_k{names}", "covariance Σ_k"]
        rows = [
            [k, params.weights[k], params.means[k], params.covariances[k]]
            for k in range(params.n_components)
        ]
    return Table(headers, rows, digits=digits, caption=caption)
