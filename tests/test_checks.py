"""The check evaluator: exact shares at the bound, and a base that is missing or zero."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, county_rules_with, sub_once
from selection_rules.source.loading import loads_document

CLEAN = (EXAMPLES / "pengshan" / "clean.yaml").read_text(encoding="utf-8")
# In the clean case C03 has 96 of 120 valid recommendation votes: exactly 80%.
C03 = "C03: {agree: 96, disagree: 20, abstain: 4}"


def _violations(pipeline, text: str):  # type: ignore[no-untyped-def]
    outcome = pipeline.outcome(loads_document(text, "case.yaml"))
    assert outcome.problems == [], outcome.problems
    return outcome.result.violations


@pytest.mark.parametrize(("agree", "valid", "fires"), [
    (96, 120, False),   # 80% exactly: 不足80% is strict
    (95, 120, True),
    (96, 121, True),    # 79.34%
    (100, 125, False),  # 80% again, other figures
])
def test_share_at_the_bound(pipeline, agree: int, valid: int, fires: bool) -> None:  # type: ignore[no-untyped-def]
    text = sub_once(CLEAN, C03, f"C03: {{agree: {agree}, disagree: 0, abstain: 0}}")
    text = sub_once(text, "      valid: 120\n      invalid: 0\n      tallies:",
                        f"      valid: {valid}\n      invalid: 0\n      tallies:")
    text = sub_once(text, "returned: 120", f"returned: {valid}")
    text = sub_once(text, "issued: 120", f"issued: {max(valid, 120)}")
    text = sub_once(text, "participants: 120", f"participants: {max(valid, 120)}")
    text = sub_once(text, "entitled: 125", "entitled: 130")
    got = [v for v in _violations(pipeline, text) if v.rule_id == "PS-7"]
    assert bool(got) is fires, [v.message.en for v in got]
    if fires:
        assert got[0].figures["value"] == agree and got[0].figures["base"] == valid


def test_missing_base_is_missing_data_not_a_bare_count(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = sub_once(CLEAN, "      valid: 120\n      invalid: 0\n      tallies:", "      tallies:")
    text = sub_once(text, "      returned: 120\n", "")
    [v] = [v for v in _violations(pipeline, text) if v.rule_id == "PS-7"][:1]
    assert v.kind == "missing_data"
    # The record a clerk looks for, not the expression; the figures keep the expression.
    assert "number of valid ballots of the ballot record of the 'Vote 3: competitive " \
        "democratic recommendation' step" in v.message.en
    assert "「第三票：差额民主推荐票」步骤的投票记录的有效票数" in v.message.zh
    assert "last(" not in v.message.en and v.figures["missing"].endswith("ballot.valid")


def test_zero_base_is_missing_data(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = sub_once(CLEAN, "      valid: 120\n      invalid: 0\n      tallies:",
                         "      valid: 0\n      invalid: 120\n      tallies:")
    text = sub_once(text, C03, "C03: {agree: 0}")
    text = sub_once(text, "C01: {agree: 110, disagree: 8, abstain: 2}", "C01: {agree: 0}")
    text = sub_once(text, "C02: {agree: 101, disagree: 15, abstain: 4}", "C02: {agree: 0}")
    got = [v for v in _violations(pipeline, text) if v.rule_id == "PS-7"]
    assert got and all(v.kind == "missing_data" for v in got)
    assert "the base (valid ballots) is 0" in got[0].message.en
    assert "基数（有效票）为 0" in got[0].message.zh


@settings(max_examples=80, deadline=None)
@given(agree=st.integers(min_value=0, max_value=400), extra=st.integers(min_value=0, max_value=400))
def test_cross_multiplication_matches_fractions(pipeline, agree: int, extra: int) -> None:  # type: ignore[no-untyped-def]
    valid = agree + extra
    if valid == 0:
        return
    text = sub_once(CLEAN, C03, f"C03: {{agree: {agree}}}")
    text = sub_once(text, "      valid: 120\n      invalid: 0\n      tallies:",
                        f"      valid: {valid}\n      tallies:")
    for field in ("entitled: 125", "participants: 120", "issued: 120", "returned: 120"):
        key = field.split(":")[0]
        text = sub_once(text, field, f"{key}: {valid}")
    text = sub_once(text, "C01: {agree: 110, disagree: 8, abstain: 2}", "C01: {agree: 0}")
    text = sub_once(text, "C02: {agree: 101, disagree: 15, abstain: 4}", "C02: {agree: 0}")
    fired = {v.figures.get("item") for v in _violations(pipeline, text) if v.rule_id == "PS-7"}
    assert ("C03" in fired) is (Fraction(agree, valid) < Fraction(4, 5))


@pytest.mark.parametrize(("inspected", "flagged"), [
    ("[C01, C02, C03]", []),                # every item in the list: the loop is skipped
    ("[C01, C04, C03]", [1]),               # one not: found item by item, at its place
    ("[C04, C02, C05]", [0, 2]),
])
def test_membership_of_every_item_finds_the_same_items(  # type: ignore[no-untyped-def]
        pipeline, inspected: str, flagged: list[int]) -> None:
    # PS-8 `item in last('signed_recommendation').result` over the inspected candidates
    # is first tested for all items at once; what it finds must be what the loop finds.
    text = sub_once(CLEAN, "    posts: [P1]\n    candidates: [C01, C02, C03]\n    inspection:",
                f"    posts: [P1]\n    candidates: {inspected}\n    inspection:")
    got = [v for v in _violations(pipeline, text)
           if v.rule_id == "PS-8" and v.loc[-2:-1] == ("candidates",)]
    assert [v.loc[-1] for v in got] == flagged


def test_membership_in_an_empty_list_flags_every_item(pipeline) -> None:  # type: ignore[no-untyped-def]
    # The signed recommendation lists no result: no inspected candidate came from it.
    pool = "    candidates: [C01, C02, C03, C04, C05, C06]\n"
    text = sub_once(CLEAN, pool + "    result: [C01, C02, C03]\n", pool)
    got = [v for v in _violations(pipeline, text)
           if v.rule_id == "PS-8" and v.loc[-2:-1] == ("candidates",)]
    assert [(v.loc[-1], v.kind) for v in got] == [(0, "check"), (1, "check"), (2, "check")]


def test_a_calendar_warning_of_a_rule_that_does_not_apply_is_not_shown_elsewhere(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A rule whose `when:` counts working days in a year the calendar does not cover, and
    # which then does not apply: its estimate warning must not surface under the next
    # rule that has findings (here EX-2, at the inspection of three candidates).
    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import Pipeline
    from selection_rules.lang.workdays import WorkCalendar

    authoring = EXAMPLES / "authoring"
    rules = county_rules_with(tmp_path, """
  - id: EX-9
    title: {zh: 测试, en: test}
    citation: {seed: 000_1d6b22ca1a2a0151.txt, quote: 民主推薦票不足80%的不作為考察對象}
    on: {events: [motion]}
    when: working_days(event.date, event.date) > 100
    checks:
      - require: "False"
        expect: {zh: 不应检查, en: never checked}

""")
    case = (authoring / "cases" / "clean.yaml").read_text(encoding="utf-8")
    case = case.replace("2024-", "2031-")
    case = sub_once(case, "candidates: [C01, C02]\n", "candidates: [C01, C02, C03]\n")
    pipeline = Pipeline(Library([rules]), WorkCalendar())
    got = _violations(pipeline, case)
    assert [v.kind for v in got if v.kind == "calendar"] == []
    assert any(v.rule_id == "EX-2" for v in got)  # the finding the warning rode on
