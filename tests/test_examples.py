"""Every shipped example yields exactly the rule IDs its header says, with figures."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import EXAMPLES, assert_located_and_cited

PENGSHAN = EXAMPLES / "pengshan"

# file -> every violation expected (rule id, kind), as a multiset.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "clean.yaml": [],
    "ps1-repeated-step.yaml": [("PS-1", "repeated")],
    "ps1-out-of-order.yaml": [("PS-1", "skipped"), ("PS-1", "out_of_order"),
                              ("CN-4", "missing_data")],
    "ps1-incomplete.yaml": [("PS-1", "incomplete")],
    "ps2-post-named.yaml": [("PS-2", "check")],
    "ps3-not-department-head.yaml": [("PS-3", "check")],
    "ps4-pool-of-eight.yaml": [("PS-4", "check"), ("PS-4", "check")],
    "ps5-unsigned.yaml": [("PS-5", "check")],
    "ps6-four-nominees.yaml": [("PS-6", "check")],
    "ps7-below-80.yaml": [("PS-7", "check")],
    "ps8-one-inspected.yaml": [("PS-8", "check"), ("PS-9", "check"), ("PS-9", "check")],
    "ps9-open-vote.yaml": [("PS-9", "check")],
    "ps10-no-speech.yaml": [("PS-10", "check"), ("PS-10", "check")],
    "cn1-quorum.yaml": [("CN-1", "check")],
    "cn2-exactly-half.yaml": [("CN-2", "check")],
    "cn3-leader-not-last.yaml": [("CN-3", "check")],
    "cn3-before-2019.yaml": [],
    "cn4-national-day.yaml": [("CN-4", "check")],
    "cn4-early-appointment.yaml": [("CN-4", "check")],
}


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in PENGSHAN.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_yields_exactly_the_expected_rules(pipeline, name: str) -> None:  # type: ignore[no-untyped-def]
    outcome = pipeline.check_file(PENGSHAN / name)
    assert outcome.problems == []
    got = Counter((v.rule_id, v.kind) for v in outcome.result.violations)
    assert got == Counter(EXPECTED[name]), [v.message.en for v in outcome.result.violations]
    assert_located_and_cited(outcome.result.violations)
    for v in outcome.result.violations:
        assert v.stage is not None or v.kind == "incomplete"


def _only(pipeline, name: str):  # type: ignore[no-untyped-def]
    [v] = pipeline.check_file(PENGSHAN / name).result.violations
    return v


def test_ps7_message_shows_figures_base_and_bound(pipeline) -> None:  # type: ignore[no-untyped-def]
    v = _only(pipeline, "ps7-below-80.yaml")
    assert v.message.zh == "C03 民主推荐票 319/399 (79.95%) 不足 80%（基数：有效票）"
    assert v.message.en == (
        "C03 recommendation votes 319/399 (79.95%) below 80% (base: valid ballots)")
    assert v.citation is not None and v.citation.quote == "民主推薦票不足80%的不作為考察對象"
    assert v.stage == "inspected"


def test_cn1_quorum_message(pipeline) -> None:  # type: ignore[no-untyped-def]
    v = _only(pipeline, "cn1-quorum.yaml")
    assert "7/12 (58.33%) 不足 2/3" in v.message.zh
    assert v.citation is not None and v.citation.version == "2019"


def test_cn2_base_is_members_who_should_attend(pipeline) -> None:  # type: ignore[no-untyped-def]
    v = _only(pipeline, "cn2-exactly-half.yaml")
    assert "15/30 (50%) 未超过 1/2" in v.message.zh
    assert "members who should attend" in v.message.en


def test_cn4_counts_official_working_days(pipeline) -> None:  # type: ignore[no-untyped-def]
    v = _only(pipeline, "cn4-national-day.yaml")
    assert v.message.zh == "公示 2024-09-27 至 2024-10-08 公示期 4 不足 5 个工作日"
    assert v.message.en == ("publicity 2024-09-27 to 2024-10-08 publicity period 4 below 5 "
                            "working days")
    assert v.figures["value"] == 4


def test_cn3_applies_by_decision_date(pipeline) -> None:  # type: ignore[no-untyped-def]
    late = pipeline.check_file(PENGSHAN / "cn3-leader-not-last.yaml").result
    early = pipeline.check_file(PENGSHAN / "cn3-before-2019.yaml").result
    assert [v.rule_id for v in late.violations] == ["CN-3"]
    assert early.violations == []
    assert early.decision_date == "2015-05-08"


def test_structural_messages_name_the_steps(pipeline) -> None:  # type: ignore[no-untyped-def]
    result = pipeline.check_file(PENGSHAN / "ps1-incomplete.yaml").result
    [v] = result.violations
    assert "第五票：全委会差额表决票" in v.message.zh
    assert result.fit is False and result.final == {"P1": False}
    assert result.stages_reached["P1"][-1] == "formal_nominees"


def test_examples_are_never_modified(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in PENGSHAN.glob("*.yaml")}
    tasks, _ = pipeline.plan([str(PENGSHAN)])
    with pipeline.run(tasks) as run:
        list(run)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in PENGSHAN.glob("*.yaml")}
    assert before == after


def test_stages_passed_over_by_a_skip_are_not_reached(pipeline) -> None:  # type: ignore[no-untyped-def]
    result = pipeline.check_file(PENGSHAN / "ps1-out-of-order.yaml").result
    # Publicity came before the plenary vote: the case resumes past the gap, but the
    # stage of the vote was never reached, and the end does not count as reached.
    assert "decided" not in result.stages_reached["P1"]
    assert result.final == {"P1": False}
