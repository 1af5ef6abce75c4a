"""A value changed after the file was read (a what-if, a rule test's change) is shown as
changed in every message about it, never as the file wrote it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.authoring.rule_tests import Change, apply_changes
from selection_rules.cli import app
from selection_rules.engine.library import Library
from selection_rules.errors import InputError
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.simulate.session import Session
from selection_rules.source.edited import EditedDocument
from selection_rules.source.loading import load_document

CASE = EXAMPLES / "pengshan" / "ps7-below-80.yaml"
VALID = "events[3].ballot.valid"  # 399 in the file
SESSION = Session.resume(load_document(CASE), Library(), WorkCalendar())


def test_simulate_set_shows_the_value_set() -> None:
    result = CliRunner().invoke(app, ["simulate", "--from", str(CASE), "--lang", "en",
                                      "--set", f"{VALID}=-5"])
    assert result.exit_code == 2
    assert "-5 is out of range; field events[3].ballot.valid" in result.output
    assert "399" not in result.output


@settings(max_examples=25, deadline=None)
@given(st.integers(max_value=-1))
def test_a_what_if_shows_any_value_set(value: int) -> None:
    with pytest.raises(InputError) as exc:
        SESSION.set(VALID, value)
    [shown] = [p for p in exc.value.problems if p.field == VALID]
    assert shown.message.en.startswith(f"{value} ") and shown.line is not None


@settings(max_examples=25, deadline=None)
@given(st.integers(max_value=-1))
def test_a_rule_test_change_shows_the_value_it_sets(pipeline, value: int) -> None:  # type: ignore[no-untyped-def]
    doc = apply_changes(load_document(CASE), [Change(VALID, value, 3)], "test_x.yaml")
    outcome = pipeline.outcome(doc)
    [shown] = [p for p in outcome.problems if p.field == VALID]
    assert shown.message.en.startswith(f"{value} ")


def test_an_unchanged_value_keeps_the_text_the_file_wrote() -> None:
    read = load_document(CASE)
    data = {**read.data, "unit": "another"}
    edited = EditedDocument(read, data)
    loc = ("events", 3, "ballot", "valid")
    assert edited.source_text(loc) == read.source_text(loc) == "399"
    assert edited.source_text(("unit",)) is None
    assert edited.line_of(loc) == read.line_of(loc)
