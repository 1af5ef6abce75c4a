"""Lint's "did you mean" for stage, event and tag names, as for names in expressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from selection_rules.lint.run import lint_paths

BROKEN = ROOT / "tests" / "lint"


@pytest.mark.parametrize(("name", "kind", "meant"), [
    ("l101-unknown-stage.yaml", "L101", "publicized"),
    ("l103-unknown-tag.yaml", "L103", "decision"),
    ("l111-unknown-in-property.yaml", "L111", "appointed"),
])
def test_unknown_name_suggests_the_nearest(name: str, kind: str, meant: str) -> None:
    [finding] = [f for f in lint_paths([str(BROKEN / name)]).findings if f.kind == kind]
    assert f"did you mean '{meant}'?" in finding.message.en
    assert f"是否应为 '{meant}'？" in finding.message.zh


def test_unknown_event_suggests_the_nearest_and_nothing_when_none_is_near(
        tmp_path: Path) -> None:
    source = (BROKEN / "l102-unknown-event.yaml").read_text(encoding="utf-8")
    [far] = [f for f in lint_paths([str(BROKEN / "l102-unknown-event.yaml")]).findings
             if f.kind == "L102"]
    assert "did you mean" not in far.message.en and "是否应为" not in far.message.zh
    typo = tmp_path / "l102-unknown-event.yaml"  # a file is named after its id
    typo.write_text(source.replace("- plenary_vote", "- publicty"), encoding="utf-8")
    [near] = [f for f in lint_paths([str(typo)]).findings if f.kind == "L102"]
    assert "did you mean 'publicity'?" in near.message.en
