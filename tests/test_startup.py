"""tools/_startup.py: jsonschema's rfc3987_syntax is imported on first use, and works then."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CODE = """
import sys
import tools.check_notebooks
before = "rfc3987_syntax" in sys.modules
import jsonschema
checker = jsonschema.FormatChecker()
validator = jsonschema.Draft202012Validator({"format": "iri"}, format_checker=checker)
iris = ["http://example.com/caf\\u00e9?q=1#f", "not an iri", "http://[::1]:80/", "//x"]
ours = [validator.is_valid(text) for text in iris]
import rfc3987_syntax
real = [rfc3987_syntax.is_valid_syntax_iri(text) for text in iris]
print(before, ours == real, ours)
"""


def test_a_tool_defers_rfc3987_syntax_and_the_iri_check_agrees_with_it():
    pytest.importorskip("rfc3987_syntax")
    out = subprocess.run(
        [sys.executable, "-c", CODE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    before, agrees, ours = out.stdout.split(" ", 2)
    assert before == "False", "tools.check_notebooks imported rfc3987_syntax at start"
    assert agrees == "True", f"the iri check changed: {ours}"
    assert "True" in ours and "False" in ours  # the cases tell valid from invalid
