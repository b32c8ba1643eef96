"""Small tables for the lessons: HTML in the notebook, aligned text elsewhere.

    Table(["species", "mean"], [["setosa", 0.246], ...], digits=3)

Numbers are rounded to ``digits`` significant decimals when shown, so that a
stored notebook output does not depend on the last bits of a computation.
"""

from __future__ import annotations

import html
import numbers

import numpy as np


class Table:
    """A captioned table that displays as HTML in Jupyter and as text in a terminal.

    Parameters
    ----------
    headers : sequence of str
    rows : sequence of sequences
        Cells may be strings, numbers or small arrays (shown rounded).
    digits : int, default 3
        Decimals shown for floats.
    caption : str, optional
    scientific_below : float, optional
        Show non-zero numbers smaller than this in absolute value in
        scientific notation with ``digits`` significant digits (1.6e-104
        instead of 0.000). Leave it unset for numbers that are zero up to
        rounding noise, whose last digits would change from machine to machine.
    """

    def __init__(self, headers, rows, digits=3, caption=None, scientific_below=None):
        self.headers = [str(h) for h in headers]
        self.rows = [list(row) for row in rows]
        for i, row in enumerate(self.rows):
            if len(row) != len(self.headers):
                raise ValueError(
                    f"row {i} has {len(row)} cells but there are {len(self.headers)} headers"
                )
        self.digits = digits
        self.caption = caption
        self.scientific_below = scientific_below

    def format_cell(self, value):
        """The text shown for one cell."""
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


def params_table(params, feature_names=None, digits=3, caption=None):
    """One row per component: its weight, mean and covariance (a Table)."""
    from ._validation import check_params

    params = check_params(params)
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
