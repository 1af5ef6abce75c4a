"""Every Zigong example yields exactly the rule IDs its header says, with figures."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import EXAMPLES, assert_located_and_cited
from selection_rules.lang.workdays import WorkCalendar

ZIGONG = EXAMPLES / "zigong"

# file -> every violation expected (rule id, kind, severity), as a multiset.
EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "clean.yaml": [],
    "zg0-no-interview.yaml": [("ZG-0", "skipped", "error"), ("ZG-0", "skipped", "error")],
    "zg1-no-township.yaml": [("ZG-1", "check", "warning")],
    "zg2-over-quota.yaml": [("ZG-2", "check", "error")],
    "zg2-no-evaluation.yaml": [("ZG-2", "check", "error")],
    "zg3-review-after-vote.yaml": [("ZG-3", "check", "error")],
    "zg4-not-top-scores.yaml": [("ZG-4", "check", "error"), ("ZG-4", "check", "error")],
    "zg4-three-targets.yaml": [("ZG-4", "check", "error")],
    "zg4-tie-unstated.yaml": [("ZG-4", "check", "error")],
    "zg4-tie-stated.yaml": [],
    "zg5-not-competitive.yaml": [("ZG-5", "check", "error")],
    "zg6-internal-publicity.yaml": [("ZG-6", "check", "error")],
    "zg7-appointed-despite-report.yaml": [("ZG-7", "check", "error")],
    "zg7-cancelled.yaml": [],
}


def _violations(pipeline, name: str):  # type: ignore[no-untyped-def]
    outcome = pipeline.check_file(ZIGONG / name)
    assert outcome.problems == []
    return outcome.result.violations


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in ZIGONG.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_yields_exactly_the_expected_rules(pipeline, name: str) -> None:  # type: ignore[no-untyped-def]
    found = _violations(pipeline, name)
    got = Counter((v.rule_id, v.kind, v.severity) for v in found)
    assert got == Counter(EXPECTED[name]), [v.message.en for v in found]
    assert_located_and_cited(found)
    for v in found:
        assert v.citation.quote
        assert v.stage is not None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_header_states_what_the_example_yields(name: str) -> None:
    text = (ZIGONG / name).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/case.schema.json")
    [line] = [ln for ln in text.splitlines() if ln.startswith("# expect:")]
    ids = re.findall(r"\b(?:ZG|CN)-\d+", line)
    assert Counter(ids) == Counter(r for r, _, _ in EXPECTED[name]), line


def test_quota_message_names_the_district_the_count_and_the_quota(pipeline) -> None:  # type: ignore[no-untyped-def]
    [v] = _violations(pipeline, "zg2-over-quota.yaml")
    assert v.message.zh == "荣县 累计上报人选人数 2 超过 分配名额 1 人"
    assert v.message.en == "荣县 candidates reported in all 2 above the allocated quota of 1"
    assert v.citation is not None and "根據分配的名額" in (v.citation.quote or "")


def test_scores_are_compared_with_the_cut_at_one_to_two(pipeline) -> None:  # type: ignore[no-untyped-def]
    below, above = sorted(_violations(pipeline, "zg4-not-top-scores.yaml"),
                          key=lambda v: str(v.figures["item"]))
    assert below.message.zh == "C02 考察对象的面试成绩 79 不足 分数线 82（按 1:2 划定）"
    assert above.message.en == (
        "C04 interview score of a candidate left out 84 above the cut score 82 (at 1:2)")
    [count] = _violations(pipeline, "zg4-three-targets.yaml")
    assert count.message.en == "inspection targets 3 below 4 (post:target 1:2)"


def test_an_unstated_tie_at_the_cut_lists_the_tied_scores(pipeline) -> None:  # type: ignore[no-untyped-def]
    [v] = _violations(pipeline, "zg4-tie-unstated.yaml")
    assert v.figures["actual"] == "[C02 82.5, C05 82.5]"
    assert "tie-break record" in v.message.en and "[C02 82.5、C05 82.5]" in v.message.zh
    assert v.loc[-1] == "scores"


def test_township_experience_is_a_warning_not_an_error(pipeline) -> None:  # type: ignore[no-untyped-def]
    [v] = _violations(pipeline, "zg1-no-township.yaml")
    assert v.severity == "warning"
    assert v.figures["item"] == "C05" and v.figures["actual"] == "富顺县财政局副局长"


def test_clean_publicity_is_five_official_working_days_not_four() -> None:
    # 2024-05-11 is a Saturday worked in lieu of the Labour Day holiday: counting
    # Monday to Friday would give 4 and fail CN-4; the official calendar gives 5.
    start, end = dt.date(2024, 5, 7), dt.date(2024, 5, 11)
    assert WorkCalendar().count_working_days(start, end).days == 5
    weekdays = sum((start + dt.timedelta(days=i)).weekday() < 5 for i in range(5))
    assert weekdays == 4


def test_cancelled_post_ends_in_the_cancelled_stage(pipeline) -> None:  # type: ignore[no-untyped-def]
    result = pipeline.check_file(ZIGONG / "zg7-cancelled.yaml").result
    assert result.violations == []
    assert result.stages_reached["P2"][-1] == "cancelled"
    assert result.stages_reached["P1"][-1] == "appointed"
    assert result.final == {"P1": True, "P2": True}


def test_examples_are_never_modified(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = {p: p.read_bytes() for p in ZIGONG.glob("*.yaml")}
    tasks, _ = pipeline.plan([str(ZIGONG)])
    with pipeline.run(tasks) as run:
        list(run)
    assert before == {p: p.read_bytes() for p in ZIGONG.glob("*.yaml")}
