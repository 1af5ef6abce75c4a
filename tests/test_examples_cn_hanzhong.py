"""The national standard flow (CNS-1, CN-5..CN-7) and Hanzhong's checks (HZ-1..HZ-9):
every example yields exactly the rules its header says, messages carry the figures and the
bound, and the case-file records they read reject what cannot be right."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, assert_located_and_cited, shift_dates
from selection_rules.engine.validation import Outcome
from selection_rules.lang.case_functions import make_functions
from selection_rules.model import case as casefile

CN = EXAMPLES / "cn-standard"
HZ = EXAMPLES / "hanzhong"

# file -> every violation expected (rule id, kind), as a multiset.
EXPECTED: dict[Path, list[tuple[str, str]]] = {
    CN / "clean.yaml": [],
    CN / "cns1-inspection-first.yaml": [("CNS-1", "skipped"), ("CNS-1", "out_of_order")],
    CN / "cn5-short-probation.yaml": [("CN-5", "check")],
    CN / "cn5-no-probation.yaml": [("CN-5", "check")],
    CN / "cn5-early-assessment.yaml": [("CN-5", "check")],
    CN / "cn5-assessment-missing.yaml": [("CN-5", "check")],
    CN / "cn5-head-post.yaml": [],
    CN / "cn6-no-approval.yaml": [("CN-6", "check")],
    CN / "cn6-approval-late.yaml": [("CN-6", "check")],
    CN / "cn6-approved.yaml": [],
    CN / "cn7-county-head.yaml": [],
    CN / "cn7-standing-committee-decides.yaml": [("CN-7", "check")],
    CN / "cn7-open-plenary-vote.yaml": [("CN-7", "check")],
    CN / "cn8-stances-not-recorded.yaml": [("CN-8", "check")],
    CN / "cn8-stances-disagree-with-count.yaml": [("CN-8", "check")],
    CN / "cn9-reconsideration-half.yaml": [("CN-9", "check")],
    CN / "cn9-reconsideration-majority.yaml": [],
    HZ / "clean.yaml": [],
    HZ / "hz1-exactly-half.yaml": [("HZ-1", "check")],
    HZ / "hz1-low-rank.yaml": [("HZ-1", "check")],
    HZ / "hz1-not-recommended.yaml": [("HZ-1", "check")],
    HZ / "hz2-unverified-petition.yaml": [("HZ-2", "check")] * 3,
    HZ / "hz3-not-verified.yaml": [("HZ-3", "check")],
    HZ / "hz3-incomplete-check.yaml": [("HZ-3", "check")] * 2,
    HZ / "hz4-unsigned-letter.yaml": [("HZ-4", "check")],
    HZ / "hz5-no-example.yaml": [("HZ-5", "check")] * 2,
    HZ / "hz6-no-filing.yaml": [("HZ-6", "check")],
    HZ / "hz6-not-cleared.yaml": [("HZ-6", "check")],
    HZ / "hz7-leader-not-last.yaml": [("HZ-7", "check"), ("CN-3", "check")],
    HZ / "hz7-no-plenary.yaml": [("HZ-7", "check")],
    HZ / "hz8-record-gaps.yaml": [("HZ-8", "check")] * 2,
    HZ / "hz9-ad-hoc.yaml": [("HZ-9", "check")] * 2,
}
NAMES = sorted(EXPECTED, key=str)
IDS = [f"{p.parent.name}/{p.name}" for p in NAMES]


def _rules(outcome: Outcome) -> Counter[tuple[str, str]]:
    assert outcome.problems == [], [p.message.en for p in outcome.problems]
    assert outcome.result is not None
    return Counter((v.rule_id, v.kind) for v in outcome.result.violations)


def _one(pipeline: Any, path: Path) -> Any:
    [v] = pipeline.check_file(path).result.violations
    return v


def _changed(tmp_path: Path, base: Path, change: Any) -> Path:
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- examples


def test_every_example_is_listed() -> None:
    shipped = sorted([*CN.glob("*.yaml"), *HZ.glob("*.yaml")], key=str)
    assert shipped == NAMES


def test_every_rule_fires_somewhere() -> None:
    fired = {rule for found in EXPECTED.values() for rule, _ in found}
    owned = {"CNS-1", "CN-5", "CN-6", "CN-7", "CN-8", "CN-9", *(f"HZ-{n}" for n in range(1, 10))}
    assert owned <= fired


@pytest.mark.parametrize("path", NAMES, ids=IDS)
def test_example_yields_exactly_the_expected_rules(pipeline: Any, path: Path) -> None:
    outcome = pipeline.check_file(path)
    assert _rules(outcome) == Counter(EXPECTED[path]), [
        v.message.en for v in outcome.result.violations]
    # The order rule has a citation from 2014 on; every check rule always has one.
    assert_located_and_cited(outcome.result.violations)
    for v in outcome.result.violations:
        assert v.stage is not None or v.event_index is None


@pytest.mark.parametrize("path", NAMES, ids=IDS)
def test_example_header_states_what_it_expects(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/case.schema.json")
    [line] = [ln for ln in text.splitlines() if ln.startswith("# expect:")]
    assert Counter(line.split(":", 1)[1].split()) == Counter(
        [r for r, _ in EXPECTED[path]] or ["(none)"])


# ---------------------------------------------------------------------------- messages


def test_hz1_majority_message_shows_figures_base_and_bound(pipeline: Any) -> None:
    v = _one(pipeline, HZ / "hz1-exactly-half.yaml")
    assert v.message.zh == "C03 群众推荐票 50/100 (50%) 未超过 1/2（基数：收回票（参加推荐人数））"
    assert v.message.en == (
        "C03 recommendation votes 50/100 (50%) not more than 1/2 (base: ballots cast)")
    assert v.citation.seed == "003_5807c168d1aeb03b.txt"
    assert v.stage == "inspected"


def test_hz1_rank_message_shows_rank_and_cut(pipeline: Any) -> None:
    v = _one(pipeline, HZ / "hz1-low-rank.yaml")
    assert v.message.zh == "C03 推荐票名次 4 超过 第 3 名（职位与人选 1:3）"
    assert v.message.en == "C03 rank in recommendation votes 4 above rank 3 (post:candidate 1:3)"


def test_hz2_message_names_the_open_record(pipeline: Any) -> None:
    found = pipeline.check_file(HZ / "hz2-unverified-petition.yaml").result.violations
    assert [v.event_type for v in found] == [
        "democratic_recommendation", "inspection", "consultation"]
    assert all("petition 2021-02-01" in v.message.en for v in found)


def test_hz3_message_lists_the_items_not_checked(pipeline: Any) -> None:
    items, report = pipeline.check_file(HZ / "hz3-incomplete-check.yaml").result.violations
    assert items.message.en.endswith("missing: [party standing, cadre identity]")
    assert items.message.zh.endswith("尚缺：[党龄、身份]")
    assert items.figures["actual"] == "[party_age, identity]"
    assert "personal-matters report" in report.message.en


def test_cn5_messages_show_the_probation_and_its_bound(pipeline: Any) -> None:
    short = _one(pipeline, CN / "cn5-short-probation.yaml")
    assert short.message.zh == "试用期月数 9 不等于 12 个月（一年）"
    assert short.citation.version == "2019" and short.citation.chapter == "任职"
    early = _one(pipeline, CN / "cn5-early-assessment.yaml")
    assert early.message.en == ("date of the end-of-probation assessment 2024-03-15 below "
                                "the probation's last day 2024-04-23")
    late = _one(pipeline, CN / "cn5-assessment-missing.yaml")
    assert "2024-06-30" in late.message.zh and "2024-04-23" in late.message.zh
    assert late.event_index is None


def _five_years_earlier(data: dict[str, Any]) -> None:
    data.update(shift_dates(data, -261))  # 261 weeks: 2023-04 → 2018-04, same weekdays


def test_cn5_before_2019_cites_the_2014_article(pipeline: Any, tmp_path: Path) -> None:
    path = _changed(tmp_path, CN / "cn5-short-probation.yaml", _five_years_earlier)
    v = _one(pipeline, path)
    assert v.rule_id == "CN-5"
    assert v.citation.version == "2014" and v.citation.article == "第四十二条"


def test_cn7_cites_article_36_under_2014(pipeline: Any, tmp_path: Path) -> None:
    v = _one(pipeline, _changed(tmp_path, CN / "cn7-open-plenary-vote.yaml",
                                 _five_years_earlier))
    assert v.rule_id == "CN-7" and v.citation.article == "第三十六条"
    assert v.message.zh == "P1 应当全委会无记名投票；实际：公开表决"


# ---------------------------------------------------------------------------- case-file records


def test_problem_record_verified_before_recorded_is_rejected() -> None:
    with pytest.raises(ValueError, match="核实日期早于记录日期"):
        casefile.ProblemRecord.model_validate(
            {"source": "petition", "recorded": "2021-02-01", "verified": "2021-01-01",
             "outcome": "cleared"})


def test_problem_record_needs_outcome_with_verification() -> None:
    with pytest.raises(ValueError, match="核实结论"):
        casefile.ProblemRecord.model_validate(
            {"source": "petition", "recorded": "2021-02-01", "verified": "2021-03-01"})


def test_unknown_background_item_is_a_located_input_error(pipeline: Any, tmp_path: Path) -> None:
    def bad(data: dict[str, Any]) -> None:
        data["candidates"][0]["verification"]["checked"].append("salary")

    outcome = pipeline.check_file(_changed(tmp_path, HZ / "clean.yaml", bad))
    [problem] = outcome.problems
    assert problem.line is not None
    assert "checked" in (problem.field or "")


def test_shortcomings_accept_text_and_structured_entries() -> None:
    insp = casefile.Inspection.model_validate(
        {"shortcomings": {"C01": ["只写一句", {"point": "调研不够", "example": "全年4次"}]}})
    first, second = insp.shortcomings["C01"]
    assert first == "只写一句"
    assert isinstance(second, casefile.Shortcoming) and second.example == "全年4次"


# ---------------------------------------------------------------------------- functions


@pytest.fixture
def fns() -> dict[str, Any]:
    return {name: f.impl for name, f in make_functions({}).items()}


@pytest.mark.parametrize(("start", "end", "months"), [
    ("2023-04-24", "2024-04-23", 12),   # last day the eve of the anniversary
    ("2023-04-24", "2024-04-24", 12),   # or the anniversary itself
    ("2023-04-24", "2024-04-22", 11),
    ("2023-01-31", "2024-01-30", 12),
    ("2024-02-29", "2025-02-28", 12),   # leap day start
])
def test_months_counts_whole_months_with_the_last_day_included(
        fns: dict[str, Any], start: str, end: str, months: int) -> None:
    assert fns["months"]({}, dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == months


def test_rank_of_shares_ranks_between_ties(fns: dict[str, Any]) -> None:
    votes = {"A": 70, "B": 51, "C": 51, "D": 40}
    assert [fns["rank_of"]({}, votes, c) for c in "ABCD"] == [1, 2, 2, 4]


def test_open_problems_respects_the_dates(fns: dict[str, Any]) -> None:
    cand = casefile.Candidate.model_validate({"id": "C1", "name": "甲", "problem_records": [
        {"source": "petition", "recorded": "2021-02-01", "verified": "2021-03-10",
         "outcome": "cleared"},
        {"source": "discipline", "recorded": "2021-05-01"},
    ]})
    day = dt.date.fromisoformat
    assert fns["open_problems"]({}, cand, day("2021-01-31")) == []
    [found] = fns["open_problems"]({}, cand, day("2021-03-09"))
    assert found == "petition 2021-02-01 unverified"
    assert found.text.zh == "信访 2021-02-01 未核实"
    assert fns["open_problems"]({}, cand, day("2021-03-10")) == []
    assert fns["open_problems"]({}, cand, day("2021-05-01")) == [
        "discipline inspection 2021-05-01 unverified"]


def test_without_example_counts_text_and_blank_examples(fns: dict[str, Any]) -> None:
    items = ["一句话", casefile.Shortcoming(point="甲", example=" "),
             casefile.Shortcoming(point="乙", example="事例")]
    assert fns["without_example"]({}, items) == ["一句话", "甲"]


def test_hz7_before_2019_only_hz7_fires(pipeline: Any, tmp_path: Path) -> None:
    # CN-3 (the main leader speaks last) is in the 2019 regulation only: three years
    # earlier, the same meeting breaks Hanzhong's 末位表态 alone.
    def three_years_earlier(data: dict[str, Any]) -> None:
        data.update(shift_dates(data, -157))  # 2021-04 → 2018-04, same weekdays

    outcome = pipeline.check_file(_changed(tmp_path, HZ / "hz7-leader-not-last.yaml",
                                               three_years_earlier))
    assert outcome.problems == []
    assert outcome.result.decision_date.startswith("2018-")
    assert [v.rule_id for v in outcome.result.violations] == ["HZ-7"]
