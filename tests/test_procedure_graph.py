"""A procedure's graph is checked before any state machine is built from it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from selection_rules.engine.library import Library
from selection_rules.engine.procedure import load_procedure
from selection_rules.errors import InputError

SOURCE = yaml.safe_load((ROOT / "rules" / "cn-standard.yaml").read_text(encoding="utf-8"))
STAGES = {s["id"] for s in SOURCE["stages"]}


@settings(max_examples=60, deadline=None)
@given(step=st.integers(0, len(SOURCE["steps"]) - 1), end=st.sampled_from(["from", "to"]),
       name=st.one_of(st.sampled_from(["", " ", "start ", "Start", "null", "0"]),
                      st.text(max_size=8)).filter(lambda n: n not in STAGES))
def test_a_step_naming_an_undeclared_stage_is_refused_at_its_line(step: int, end: str,
                                                                 name: str) -> None:
    """Any name, the empty one included (which the state machine library would take for
    no stage at all), is a located problem of the procedure, never a crash."""
    data = yaml.safe_load(yaml.safe_dump(SOURCE))
    data["steps"][step][end] = name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cn-standard.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        with pytest.raises(InputError) as exc:
            load_procedure("cn-standard", Library([Path(folder)]))
    fields = [p.field for p in exc.value.problems]
    assert f"steps[{step}].{end}" in fields, exc.value
    assert all(p.line is not None for p in exc.value.problems), exc.value
