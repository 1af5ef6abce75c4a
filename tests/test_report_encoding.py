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
from selection_rules.report.json import dumps

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
