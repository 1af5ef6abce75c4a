"""Machine reports are valid UTF-8 whatever a file name holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from selection_rules.report.json_text import dumps

values = st.recursive(
    st.one_of(st.text(), st.integers(), st.none(), st.booleans()),
    lambda sub: st.one_of(st.lists(sub, max_size=3),
                          st.dictionaries(st.text(max_size=5), sub, max_size=3)),
    max_leaves=10)


@settings(max_examples=200, deadline=None)
@given(value=values, indent=st.sampled_from([None, 2]))
def test_json_text_is_utf8_and_reads_back_as_the_value(value: object,
                                                       indent: int | None) -> None:
    """st.text() includes lone surrogates: they are escaped, everything else is as is."""
    text = dumps(value, indent=indent)
    text.encode("utf-8")  # never raises
    assert json.loads(text) == value
    if all(c < "\ud800" or c > "\udfff" for c in text):
        assert text == json.dumps(value, ensure_ascii=False, indent=indent)


# What a report may hold, beyond plain JSON: dates (json writes them with default=str),
# datetimes, fractions, tuples, ints past 64 bits, and every control character.
report_leaves = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8")), st.integers(), st.none(), st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80), st.dates(), st.datetimes(),
    st.fractions(), st.text(alphabet=st.characters(max_codepoint=0x9F)),
    st.sampled_from(["\u2028", "\u2029", "\x7f", "\\u", '"', "</script>"]))
report_values = st.recursive(
    report_leaves,
    lambda sub: st.one_of(st.lists(sub, max_size=4), st.tuples(sub, sub),
                          st.dictionaries(st.text(max_size=5), sub, max_size=4)),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(value=report_values)
def test_the_fast_indented_form_is_byte_for_byte_json_dumps(value: object) -> None:
    """The indented report is written by orjson where it can: the same text as
    json.dumps(…, ensure_ascii=False, indent=2, default=str) for anything a report holds."""
    assert dumps(value, indent=2) == json.dumps(value, ensure_ascii=False, indent=2,
                                                default=str)


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes: Linux")
@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_file_name_that_is_not_utf8_keeps_the_report_valid(tmp_path: Path,
                                                              fmt: str) -> None:
    folder = os.fsencode(tmp_path) + b"/ca\xffse.yaml"
    shutil.copyfile(EXAMPLES / "pengshan" / "ps7-below-80.yaml", os.fsdecode(folder))
    done = subprocess.run(
        [sys.executable, "-c", "from selection_rules.cli import main; main()", "validate",
         str(tmp_path), "--format", fmt, "--jobs", "1"], capture_output=True, check=False)
    assert done.returncode == 1, done.stderr
    text = done.stdout.decode("utf-8")  # valid UTF-8, or this raises
    assert "ca\\udcffse.yaml" in text
