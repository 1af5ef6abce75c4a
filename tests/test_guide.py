"""docs/authoring.md is what the code says, and says every kind, operator and function."""

from __future__ import annotations

import pytest

from conftest import ROOT
from selection_rules.authoring import guide
from selection_rules.lang.case_functions import make_functions
from selection_rules.model.procedure import OP_DOC


def test_committed_guide_is_the_generated_one() -> None:
    committed = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert committed == guide.render_guide(), (
        "docs/authoring.md is out of date: python -m selection_rules.authoring.guide "
        "> docs/authoring.md")


def test_guide_lists_every_function_and_operator() -> None:
    text = guide.render_guide()
    for name, function in make_functions({}).items():
        assert f"`{name}(" in text and function.doc.en in text
    for op, doc in OP_DOC.items():
        assert f"`{op}`" in text and doc.zh in text
    assert "`ratio`" in text and "`not in`" in text and "`/`" in text


def test_a_kind_without_a_line_stops_the_guide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(guide.KIND_DOC, "range")
    with pytest.raises(guide.GuideDrift, match="range"):
        guide.render_guide()
    monkeypatch.undo()
    monkeypatch.delitem(guide.BIN_DOC, "/")
    with pytest.raises(guide.GuideDrift, match="arithmetic"):
        guide.render_guide()
