"""Qingshui's seven gates (QS-1..QS-7): every example yields exactly the rules its header
says, the messages carry the figures and the bound, the county's own “四个不研究” list is
really checked, and the new case-file records reject what cannot be right."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLES, assert_located_and_cited
from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import Pipeline
from selection_rules.engine.validation import Outcome
from selection_rules.lang.workdays import WorkCalendar

QINGSHUI = EXAMPLES / "qingshui"
CLEAN = QINGSHUI / "clean.yaml"
QS_RULES = [f"QS-{n}" for n in range(1, 8)]

# file -> every violation expected (rule id, kind), as a multiset.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "clean.yaml": [],
    "qs1-four-stages.yaml": [("QS-1", "check")],
    "qs1-stage-after-recommendation.yaml": [("QS-1", "check")],
    "qs2-unsigned.yaml": [("QS-2", "check")] * 3,
    "qs3-no-cppcc-opinion.yaml": [("QS-3", "check")],
    "qs3-no-first-nominator.yaml": [("QS-3", "check")],
    "qs4-four-materials.yaml": [("QS-4", "check")],
    "qs4-one-fewer-each.yaml": [("QS-4", "check")] * 3,
    "qs5-show-of-hands.yaml": [("QS-5", "check")],
    "qs5-no-vote.yaml": [("QS-5", "check"), ("CN-2", "missing_data")],
    "qs5-secretary-meeting.yaml": [("QS-5", "check")],
    "qs5-condition-held.yaml": [("QS-5", "check")],
    "qs6-no-clean-government-talk.yaml": [("QS-6", "check")],
    "qs6-not-publicized.yaml": [("QS-6", "check")],
    "qs7-no-probation.yaml": [("QS-7", "check"), ("CN-5", "missing_data")],
    "qs7-appointee-not-assessed.yaml": [("QS-7", "check")],
}


def _rules(outcome: Outcome) -> Counter[tuple[str, str]]:
    assert outcome.problems == [], [p.message.en for p in outcome.problems]
    assert outcome.result is not None
    return Counter((v.rule_id, v.kind) for v in outcome.result.violations)


def _case(tmp_path: Path, change: Any = None, *, rule_sets: list[str] | None = None) -> Path:
    """clean.yaml, changed by `change(data)`, written to tmp_path."""
    data = yaml.safe_load(CLEAN.read_text(encoding="utf-8"))
    if rule_sets is not None:
        data["rule_sets"] = rule_sets
    if change is not None:
        change(data)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _county(folder: Path, conditions: list[str]) -> Pipeline:
    """A pipeline whose library has a county rule set configuring “四个不研究”."""
    folder.mkdir(exist_ok=True)
    (folder / "county-conditions.yaml").write_text(yaml.safe_dump({
        "id": "county-conditions",
        "kind": "rule_set",
        "title": {"zh": "本县“四个不研究”", "en": "This county's no-discussion conditions"},
        "parameters": {"not_discussed_conditions": {
            "kind": "list",
            "label": {"zh": "“四个不研究”情形", "en": "no-discussion conditions"},
            "value": conditions,
            "citation": {"seed": "004_8379aafe2d1e0be7.txt",
                         "quote": "討論干部堅持做到“四個不研究”"},
        }},
    }, allow_unicode=True), encoding="utf-8")
    return Pipeline(Library([folder]), WorkCalendar())


# ---------------------------------------------------------------------------- examples


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in QINGSHUI.glob("*.yaml")) == sorted(EXPECTED)


def test_every_gate_fires_somewhere_and_nowhere_in_the_clean_case() -> None:
    fired = {rule for found in EXPECTED.values() for rule, _ in found}
    assert set(QS_RULES) <= fired
    assert EXPECTED["clean.yaml"] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_yields_exactly_the_expected_rules(pipeline, name: str) -> None:  # type: ignore[no-untyped-def]
    outcome = pipeline.check_file(QINGSHUI / name)
    assert _rules(outcome) == Counter(EXPECTED[name]), [
        v.message.en for v in outcome.result.violations]
    assert_located_and_cited(outcome.result.violations)
    for v in outcome.result.violations:
        assert v.stage is not None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_header_states_what_it_expects(name: str) -> None:
    text = (QINGSHUI / name).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/case.schema.json")
    [line] = [ln for ln in text.splitlines() if ln.startswith("# expect:")]
    for rule, _ in EXPECTED[name]:
        assert rule in line


def _violations(pipeline, name: str):  # type: ignore[no-untyped-def]
    return pipeline.check_file(QINGSHUI / name).result.violations


def test_qs4_messages_show_the_distinct_count_and_the_bound(pipeline) -> None:  # type: ignore[no-untyped-def]
    materials, people, aspects = _violations(pipeline, "qs4-one-fewer-each.yaml")
    assert materials.message.zh == "查阅资料种类 4 不足 5 种"
    assert materials.message.en == "kinds of material checked 4 below 5 kinds"
    assert people.message.zh == "谈话对象种类 5 不足 6 种"
    assert aspects.message.en == "aspects visited 6 below 7 aspects"
    assert aspects.figures["value"] == 6 and aspects.figures["op"] == "at_least"
    assert materials.citation is not None
    assert materials.citation.quote == "嚴格做到五種資料必查、六種對象必談、七個方面必訪"


def test_qs4_counts_a_repeated_kind_once(pipeline) -> None:  # type: ignore[no-untyped-def]
    [v] = _violations(pipeline, "qs4-four-materials.yaml")
    assert v.figures["value"] == 4  # five entries listed, 干部档案 twice
    assert v.loc[-1] == "materials_checked"


def test_qs1_message_names_the_candidate_and_the_stages_on_record(pipeline) -> None:  # type: ignore[no-untyped-def]
    [v] = _violations(pipeline, "qs1-four-stages.yaml")
    assert v.message.zh.startswith("C02 应当为通过“五段式”培养的后备干部")
    # What the rule asks for and the record lacks, by its label.
    assert v.message.en.endswith("missing: [practical training]")
    assert v.message.zh.endswith("尚缺：[实践锻炼]")


def test_qs2_an_unsigned_leader_recommendation_does_not_count(pipeline) -> None:  # type: ignore[no-untyped-def]
    found = {v.figures["item"]: v.figures["actual"]
             for v in _violations(pipeline, "qs2-unsigned.yaml")}
    assert found == {"C01": "[recommendation_letter]", "C02": "[leader_recommendation]",
                     "C03": "[leader_recommendation]"}


def test_qs3_message_lists_the_leaders_consulted(pipeline) -> None:  # type: ignore[no-untyped-def]
    [v] = _violations(pipeline, "qs3-no-cppcc-opinion.yaml")
    # The one kind of leader not consulted (the people's congress one was, twice).
    assert v.figures["actual"] == "[cppcc_liaison_leader]"
    assert v.message.en.endswith("missing: [CPPCC liaison leader]")
    assert "人大和政协联系领导" in v.message.zh


def test_qs5_show_of_hands_message(pipeline) -> None:  # type: ignore[no-untyped-def]
    [v] = _violations(pipeline, "qs5-show-of-hands.yaml")
    assert v.message.en == (
        "required: a ballot vote (secret or signed), not a show of hands; found: open vote "
        "(show of hands, roll call)")
    assert v.loc[-2:] == ("ballot", "kind")


def test_qs7_probation_is_required_whatever_the_post_level(pipeline) -> None:  # type: ignore[no-untyped-def]
    # The post is a department head (正职): CN-5's one-year probation does not list it,
    # Qingshui's 任后试用 does.
    qs7 = [v for v in _violations(pipeline, "qs7-no-probation.yaml") if v.rule_id == "QS-7"]
    assert [v.event_type for v in qs7] == ["appointment"]


# ---------------------------------------------------------------------------- 四个不研究


FOUR = ["no_democratic_recommendation", "not_inspected", "divided_opinions", "unverified_report"]


def test_unconfigured_conditions_do_not_require_a_screening(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _case(tmp_path, lambda d: d["events"][4].pop("screening"))
    assert _rules(pipeline.check_file(path)) == Counter()


def test_configured_conditions_all_screened_pass(tmp_path: Path) -> None:
    county = _county(tmp_path / "rules", FOUR)
    path = _case(tmp_path, rule_sets=["qingshui-gates", "county-conditions"])
    assert _rules(county.check_file(path)) == Counter()


@pytest.mark.parametrize(
    ("conditions", "checked"),
    [
        (FOUR, FOUR[:3]),                             # one of four never examined
        ([*FOUR, "personal_report_unchecked"], FOUR),  # the county's list has five
        (["other_condition"], FOUR),                  # a different list altogether
    ],
)
def test_configured_conditions_not_screened_fire_qs5(
    tmp_path: Path, conditions: list[str], checked: list[str]
) -> None:
    county = _county(tmp_path / "rules", conditions)

    def screen(d: dict[str, Any]) -> None:
        d["events"][4]["screening"]["C01"]["checked"] = checked

    path = _case(tmp_path, screen, rule_sets=["qingshui-gates", "county-conditions"])
    outcome = county.check_file(path)
    assert _rules(outcome) == Counter({("QS-5", "check"): 1})
    [v] = outcome.result.violations
    assert v.figures["item"] == "C01"
    assert v.figures["actual"] == "[" + ", ".join(checked) + "]"


def test_configured_conditions_without_any_screening_fire_qs5(tmp_path: Path) -> None:
    county = _county(tmp_path / "rules", FOUR)
    path = _case(tmp_path, lambda d: d["events"][4].pop("screening"),
                 rule_sets=["qingshui-gates", "county-conditions"])
    outcome = county.check_file(path)
    assert _rules(outcome) == Counter({("QS-5", "check"): 1})
    assert "the pre-discussion screening of this step not recorded" in \
        outcome.result.violations[0].message.en


# ---------------------------------------------------------------------------- bad input


def _problems(pipeline, path: Path) -> list[tuple[str | None, str]]:  # type: ignore[no-untyped-def]
    outcome = pipeline.check_file(path)
    assert outcome.result is None
    for p in outcome.problems:
        assert p.line is not None and p.message.zh and p.message.en
    return [(p.field, p.message.en) for p in outcome.problems]


def test_unknown_candidates_in_new_records_are_located_input_errors(  # type: ignore[no-untyped-def]
    pipeline, tmp_path: Path
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["events"][6]["talks"][1]["about"] = "C09"
        d["events"][1]["documents"][1]["about"] = ["C02", "C08"]
        d["events"][3]["first_nominators"] = {"C07": "某某"}
        d["events"][4]["screening"]["C06"] = {"checked": [], "held": []}

    problems = _problems(pipeline, _case(tmp_path, change))
    fields = sorted(f for f, _ in problems if f)
    assert fields == ["events[1].documents[1].about[1]", "events[3].first_nominators.C07",
                      "events[4].screening.C06", "events[6].talks[1].about"]
    assert all("unknown candidate" in m for _, m in problems)


@pytest.mark.parametrize(
    ("where", "value", "field"),
    [
        (("events", 4, "screening", "C01", "held"), ["not_on_the_list"], "events[4].screening.C01"),
        (("events", 6, "probation", "end"), "2023-04-24", "events[6].probation"),
        (("events", 3, "first_nominators", "C01"), "", "events[3].first_nominators.C01"),
    ],
)
def test_impossible_records_are_rejected(pipeline, tmp_path: Path, where: tuple[Any, ...],  # type: ignore[no-untyped-def]
                                         value: Any, field: str) -> None:
    def change(d: dict[str, Any]) -> None:
        target = d
        for key in where[:-1]:
            target = target[key]
        target[where[-1]] = value

    problems = _problems(pipeline, _case(tmp_path, change))
    assert any(f is not None and f.startswith(field) for f, _ in problems), problems


def test_record_functions_are_type_checked_when_the_rules_load(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad-gates.yaml").write_text(yaml.safe_dump({
        "id": "bad-gates", "kind": "rule_set",
        "title": {"zh": "错", "en": "wrong"},
        "rules": [{
            "id": "BAD-1", "title": {"zh": "错", "en": "wrong"},
            "citation": {"regulation": "测试"},
            "on": {"tags": ["recommendation"]},
            "checks": [{"require": "'x' in kinds(event.result)",
                        "expect": {"zh": "错", "en": "wrong"}}],
        }],
    }, allow_unicode=True), encoding="utf-8")
    county = Pipeline(Library([rules]), WorkCalendar())
    outcome = county.check_file(_case(tmp_path, rule_sets=["bad-gates"]))
    assert outcome.result is None
    [p] = outcome.problems
    assert p.file.endswith("bad-gates.yaml") and p.line is not None
    assert "kinds() takes a list of records that have a 'kind' field" in p.message.en
