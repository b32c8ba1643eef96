"""Tables: rounded, stable text and HTML."""

import numpy as np
import pytest

import gmmlab
from gmmlab.tables import Table


def test_text_and_html_show_the_same_rounded_cells():
    table = Table(["name", "value", "vector"], [["a", 1.23456, [0.5, -0.00001]], ["b", 7, True]])
    text = repr(table)
    assert text.splitlines() == [
        "name  value  vector",
        "----  -----  --------------",
        "a     1.235  [0.500, 0.000]",
        "b     7      yes",
    ]
    html = table._repr_html_()
    assert "<td>1.235</td>" in html and "<td>[0.500, 0.000]</td>" in html


def test_negative_zero_is_never_shown():
    assert "-0.000" not in repr(Table(["x"], [[-1e-9], [np.float64(-0.0)]]))


def test_scientific_below_shows_tiny_numbers():
    table = Table(["p"], [[1.6e-104], [0.25], [0.0]], digits=3, scientific_below=1e-3)
    assert [line.strip() for line in repr(table).splitlines()[2:]] == [
        "1.6e-104",
        "0.250",
        "0.000",
    ]


def test_rows_must_match_headers():
    with pytest.raises(ValueError, match="row 1 has 1 cells but there are 2 headers"):
        Table(["a", "b"], [[1, 2], [3]])


def test_params_table_lists_each_component():
    params = gmmlab.MixtureParams([0.25, 0.75], [[0.0, 1.0], [2.0, 3.0]], [np.eye(2)] * 2)
    lines = repr(params.table(("x", "y"))).splitlines()
    assert lines[0].startswith("component k  weight π_k  mean μ_k (x, y)")
    assert lines[3].startswith("1            0.750       [2.000, 3.000]")
