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


def test_none_is_an_empty_cell_and_numpy_scalars_are_numbers():
    table = Table(["a", "b"], [[None, np.float32(0.5)]], digits=np.int64(2))
    assert repr(table).splitlines()[2] == "   0.50"
    table = Table(["p"], [[1e-9]], scientific_below=np.float64(1e-3))
    assert repr(table).splitlines()[2] == "1e-09"


PARAMS = gmmlab.MixtureParams([0.25, 0.75], [[0.0, 1.0], [2.0, 3.0]], [np.eye(2)] * 2)

BAD_INPUT = [
    (lambda: Table("ab", [["x", "y"]]), TypeError, "headers must be a sequence of strings"),
    (lambda: Table([1, 2], [[1, 2]]), TypeError, "headers[0] must be a string, got int"),
    (lambda: Table(["a"], "x"), TypeError, "rows must be a sequence of rows, got str"),
    (lambda: Table(["a"], 3), TypeError, "rows must be a sequence of rows, got int"),
    (lambda: Table(["a"], ["x"]), TypeError, "rows[0] must be a sequence of cells, got str"),
    (lambda: Table(["a", "b"], [[1, 2], [3]]), ValueError, "row 1 has 1 cells but there are 2"),
    (lambda: Table(["a"], [[{"x": 1}]]), TypeError, "rows[0][0] must be a string, a number"),
    (lambda: Table(["a"], [[1], [1j]]), TypeError, "rows[1][0] must be a string, a number"),
    (lambda: Table(["a"], [[np.array([1j])]]), TypeError, "rows[0][0] must hold real numbers"),
    (lambda: Table(["a"], [[["x", "y"]]]), TypeError, "rows[0][0] must be a string, a number"),
    (lambda: Table(["a"], [[object()]]), TypeError, "got object"),
    (lambda: Table(["a"], [[1]], digits=-1), ValueError, "digits must be at least 0, got -1"),
    (lambda: Table(["a"], [[1]], digits=16), ValueError, "digits must be at most 15"),
    (lambda: Table(["a"], [[1]], digits=2.5), TypeError, "digits must be an integer, got 2.5"),
    (lambda: Table(["a"], [[1]], caption=3), TypeError, "caption must be a string or None"),
    (lambda: Table(["a"], [[1]], scientific_below=0), ValueError, "scientific_below must be a"),
    (lambda: Table(["a"], [[1]], scientific_below="tiny"), TypeError, "scientific_below must"),
    (lambda: Table(["a"], []).format_cell({}), TypeError, "value must be a string, a number"),
    (lambda: gmmlab.tables.params_table("params"), TypeError, "params must be a gmmlab.Mixture"),
    (lambda: PARAMS.table("xy"), TypeError, "feature_names must be a sequence of strings"),
    (lambda: PARAMS.table(("x",)), ValueError, "feature_names must hold 2 strings, got 1"),
    (lambda: PARAMS.table(("x", "y"), digits=-1), ValueError, "digits must be at least 0"),
]


@pytest.mark.parametrize(("call", "error", "words"), BAD_INPUT)
def test_bad_input(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)
