"""Eligibility (EL-1 … EL-6): every example yields exactly what its header says, messages
carry the figures, the bound and the fact that is missing, findings point at the
candidate's facts, and durations count by anniversary (29 February included)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, assert_located_and_cited
from selection_rules.i18n import Text
from selection_rules.lang.builtins.eligibility import EducationLevel, laid_end_to_end
from selection_rules.lang.spans import add_years, span
from selection_rules.model.candidate_facts import CandidateFacts

EL = EXAMPLES / "eligibility"

# file -> every violation expected (rule id, kind), as a multiset.
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "clean.yaml": [],
    "el1-exactly-five-years.yaml": [],
    "el1-one-day-short.yaml": [("EL-1", "check")],
    "el2-one-post-below.yaml": [("EL-2", "check")],
    "el3-deputy-one-day-short.yaml": [("EL-3", "check")],
    "el4-secondary-education.yaml": [("EL-4", "check")],
    "el5-leap-day-training-on-anniversary.yaml": [],
    "el5-leap-day-training-a-day-late.yaml": [("EL-5", "check")],
    "el6-eleven-months.yaml": [("EL-6", "check")],
    "el6-one-year-after.yaml": [],
    "el6-two-levels.yaml": [("EL-6", "check")],
    "el-no-facts.yaml": [(f"EL-{n}", "missing_data") for n in range(1, 7)],
}


def _violations(pipeline: Any, name: str) -> list[Any]:
    outcome = pipeline.check_file(EL / name)
    assert outcome.problems == [], [p.message.en for p in outcome.problems]
    return list(outcome.result.violations)


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in EL.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_yields_exactly_the_expected_rules(pipeline: Any, name: str) -> None:
    found = _violations(pipeline, name)
    assert Counter((v.rule_id, v.kind) for v in found) == Counter(EXPECTED[name]), [
        v.message.en for v in found]
    assert_located_and_cited(found)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_header_states_what_it_breaks_and_passes(name: str) -> None:
    text = (EL / name).read_text(encoding="utf-8")
    [line] = [ln for ln in text.splitlines() if ln.startswith("# expect:")]
    assert Counter(line.split(":", 1)[1].split()) == Counter(
        [r for r, _ in EXPECTED[name]] or ["(none)"])
    passes = [ln for ln in text.splitlines() if ln.startswith("# passes:")]
    for ln in passes:  # a rule a file passes at its bound is not one it breaks
        assert not set(ln.split(":", 1)[1].split()) & {r for r, _ in EXPECTED[name]}


def test_each_rule_has_a_breaking_and_a_passing_example() -> None:
    breaking = {r for found in EXPECTED.values() for r, kind in found if kind == "check"}
    passing = set()
    for name in EXPECTED:
        for ln in (EL / name).read_text(encoding="utf-8").splitlines():
            if ln.startswith("# passes:"):
                passing |= set(ln.split(":", 1)[1].split())
    rules = {f"EL-{n}" for n in range(1, 7)}
    assert breaking == rules and passing == rules


# ---------------------------------------------------------------------------- messages


def test_el1_message_shows_the_years_and_the_bound(pipeline: Any) -> None:
    [v] = _violations(pipeline, "el1-one-day-short.yaml")
    assert v.message.zh == ("C01 截至决定日的工龄 4年365天 (2019-03-02 → 2024-03-01) "
                            "不足 5 年")
    assert v.message.en.endswith("below 5 years")
    assert v.severity == "error"
    assert v.loc == ("candidates", 0, "facts", "work_start")
    assert v.citation.version == "2019" and v.citation.chapter == "选拔任用条件"
    assert "五年以上工龄" in v.citation.provision


def test_warnings_for_the_rules_that_say_as_a_rule(pipeline: Any) -> None:
    [el2] = _violations(pipeline, "el2-one-post-below.yaml")
    [el4] = _violations(pipeline, "el4-secondary-education.yaml")
    assert el2.severity == el4.severity == "warning"
    assert el4.message.zh == "C01 最高学历 中专及以下 不足 大学专科"
    assert el4.message.en == ("C01 highest education secondary school or below below junior "
                              "college")
    assert el4.loc == ("candidates", 0, "facts", "education")


def test_el5_leap_day_anniversary_is_28_february(pipeline: Any) -> None:
    [v] = _violations(pipeline, "el5-leap-day-training-a-day-late.yaml")
    assert "2025-03-01" in v.message.zh and "提任满一年之日 2025-02-28" in v.message.zh


def test_el6_messages(pipeline: Any) -> None:
    [months] = _violations(pipeline, "el6-eleven-months.yaml")
    assert "0年335天" in months.message.zh and months.message.zh.endswith("不足 1 年")
    assert "不满一年的，不得破格提拔" in months.citation.provision
    [levels] = _violations(pipeline, "el6-two-levels.yaml")
    assert levels.message.en == (
        "C01 levels risen in one promotion 3 above 2 levels (at most one skipped)")


def test_missing_facts_name_the_fact_in_words(pipeline: Any) -> None:
    found = _violations(pipeline, "el-no-facts.yaml")
    assert {v.kind for v in found} == {"missing_data"}
    for v in found:
        assert v.message.zh.startswith("C01 案卷未记录其干部任免审批表信息")
        assert "appointment-form facts" in v.message.en
        assert "promotion(" not in v.message.en and "facts" not in v.message.zh
        # No facts: the report points at the candidate, the nearest line there is.
        assert v.loc[:2] == ("candidates", 0) and v.line == 17


def test_a_case_decided_in_2018_cites_the_2014_article(pipeline: Any, tmp_path: Path) -> None:
    data = yaml.safe_load((EL / "el1-one-day-short.yaml").read_text(encoding="utf-8"))
    for ev in data["events"]:
        ev["date"] = ev["date"].replace(year=2018)
    data["events"][6]["publicity"] = {"channel": "市委组织部网站", "start": dt.date(2018, 3, 5),
                                      "end": dt.date(2018, 3, 9)}
    data["events"][6]["date"] = dt.date(2018, 3, 5)
    data["events"][7]["date"] = data["events"][7]["documents"][0]["date"] = dt.date(2018, 3, 12)
    facts = data["candidates"][0]["facts"]
    facts["work_start"] = dt.date(2013, 3, 2)
    facts["career"] = [{"from": dt.date(2004, 7, 1), "to": dt.date(2013, 6, 30), "title": "科员",
                        "rank": "staff", "grassroots": True},
                       {"from": dt.date(2013, 7, 1), "title": "副处长",
                        "rank": "deputy_division", "grassroots": False},
                       {"from": dt.date(2014, 7, 1), "title": "副局长",
                        "rank": "deputy_division", "grassroots": False}]
    facts["training"] = [{"completed": dt.date(2017, 6, 30)}]
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = pipeline.check_file(path).result.violations
    [v] = [v for v in found if v.rule_id.startswith("EL-")]
    assert v.rule_id == "EL-1" and v.citation.version == "2014"
    assert v.citation.article == "第八条"


# ---------------------------------------------------------------------------- counting


def test_one_year_from_28_and_29_february() -> None:
    assert span(dt.date(2019, 2, 28), dt.date(2020, 2, 28)) == 1
    assert span(dt.date(2019, 2, 28), dt.date(2020, 2, 27)) < 1
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert span(dt.date(2024, 2, 29), dt.date(2025, 2, 28)) == 1
    assert span(dt.date(2024, 2, 29), dt.date(2025, 2, 27)) < 1
    assert span(dt.date(2024, 2, 29), dt.date(2028, 2, 29)) == 4


def test_periods_laid_end_to_end() -> None:
    # Two one-year periods with a gap: two years exactly, counted from the first start.
    total = laid_end_to_end([(dt.date(2020, 1, 1), dt.date(2021, 1, 1)),
                             (dt.date(2022, 6, 1), dt.date(2023, 6, 1))])
    assert total is not None and total.years == 2 and total.days == 0
    # Overlapping periods are counted once.
    overlap = laid_end_to_end([(dt.date(2020, 1, 1), dt.date(2021, 1, 1)),
                               (dt.date(2020, 6, 1), dt.date(2021, 1, 1))])
    assert overlap == 1
    assert laid_end_to_end([]) is None


_day = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31))


@given(start=_day, length=st.integers(min_value=0, max_value=20_000))
def test_one_period_laid_end_to_end_is_its_span(start: dt.date, length: int) -> None:
    end = start + dt.timedelta(days=length)
    assert laid_end_to_end([(start, end)]) == span(start, end)


@given(start=_day, cut=st.integers(min_value=0, max_value=5_000),
       length=st.integers(min_value=0, max_value=10_000))
def test_splitting_a_period_keeps_its_length(start: dt.date, cut: int, length: int) -> None:
    # One post held in two entries back to back counts as the one period.
    end = start + dt.timedelta(days=length)
    middle = min(start + dt.timedelta(days=cut), end)
    assert laid_end_to_end([(start, middle), (middle, end)]) == span(start, end)


def test_education_levels_are_ordered() -> None:
    assert EducationLevel("bachelor") >= "college"
    assert EducationLevel("college") >= "college"
    assert not EducationLevel("secondary") >= "college"
    assert EducationLevel("doctorate") > EducationLevel("master")
    # Shown in each language by the vocabulary's labels, never both in one text.
    assert EducationLevel("college").text() == Text("大学专科", "junior college")


def test_facts_take_the_lrmx_shape() -> None:
    facts = CandidateFacts.model_validate(yaml.safe_load("""
work_start: 2008-07-01
party_join: 2006-06-01
education: bachelor
career:
  - {from: 2008-07-01, to: 2012-06-30, title: 某镇党政办科员, rank: staff, grassroots: true}
  - {from: 2012-07-01, title: 某县某局副局长, rank: deputy_section, grassroots: true}
appraisals: {2021: 称职, 2022: 优秀}
proposed_post: 某县某局局长
"""))
    assert facts.career is not None and facts.career[1].to is None
    assert facts.appraisals == {2021: "称职", 2022: "优秀"}
    with pytest.raises(ValueError, match="before from"):
        CandidateFacts.model_validate(
            {"career": [{"from": "2012-07-01", "to": "2012-06-30", "title": "x"}]})


def test_rules_list_gives_each_el_rule_its_examples_and_citation() -> None:
    import json

    from typer.testing import CliRunner

    from selection_rules.cli import app

    result = CliRunner().invoke(app, ["rules", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    rules = {r["id"]: r for r in json.loads(result.output)}
    for n in range(1, 7):
        rule = rules[f"EL-{n}"]
        assert rule["examples"]["breaking"] and rule["examples"]["passing"], rule["id"]
        assert not set(rule["examples"]["breaking"]) & set(rule["examples"]["passing"])
        [y2014, y2019] = rule["citations"]
        assert y2014["version"] == "2014" and y2014["article"] in ("第八条", "第九条")
        assert y2019["version"] == "2019" and y2019["chapter"] == "选拔任用条件"
        assert y2019["provision"] and rule["procedures"]
    assert rules["EL-2"]["severity"] == rules["EL-4"]["severity"] == "warning"
    assert {"examples/eligibility/clean.yaml", "examples/eligibility/el1-exactly-five-years.yaml"
            } <= set(rules["EL-1"]["examples"]["passing"])


def test_every_rule_has_an_example_that_breaks_it_and_one_that_passes_it() -> None:
    """As the example headers say (`# expect:` / `# passes:`), every rule of the library,
    and never one file on both sides of the same rule."""
    import json

    from typer.testing import CliRunner

    from selection_rules.cli import app

    result = CliRunner().invoke(app, ["rules", "list", "--format", "json"])
    rules = json.loads(result.output)
    assert len(rules) > 60
    for rule in rules:
        breaking, passing = rule["examples"]["breaking"], rule["examples"]["passing"]
        assert breaking and passing, rule["id"]
        assert not set(breaking) & set(passing), rule["id"]
