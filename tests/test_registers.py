"""The registers behind YT-2, HZ-11, QS-10 and QS-11 (and XY-4's report on the talk
register): calendar periods, located input errors, schemas, the catalogue, coverage."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.cli import app
from selection_rules.engine.kinds import KIND_LABELS, RECORD_KINDS
from selection_rules.lang.register_functions import Periods, month_end, periods_without
from selection_rules.lang.types import Missing

ROOT = Path(__file__).resolve().parents[1]
RECORDS = EXAMPLES / "records"
runner = CliRunner()
D = dt.date
NEW_RULES = {"YT-2": "record:scoring", "HZ-11": "record:rectification",
             "QS-10": "record:assessment_scope", "QS-11": "record:score_sheets",
             "XY-4": "record:assessment"}
NEW_KINDS = ("scoring", "rectification", "assessment_scope", "score_sheets")


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


# ---------------------------------------------------------------------------- periods


def _shown(runs: list[Periods]) -> list[str]:
    return [str(r) for r in runs]


def test_a_half_year_is_scored_up_to_its_last_day() -> None:
    year = (D(2023, 1, 1), D(2023, 12, 31))
    assert periods_without([D(2023, 6, 30), D(2023, 12, 31)], *year, 6) == []
    assert _shown(periods_without([D(2023, 7, 1), D(2023, 12, 31)], *year, 6)) == [
        "2023-01-01~2023-06-30"]
    assert _shown(periods_without([D(2023, 6, 30), D(2024, 1, 1)], *year, 6)) == [
        "2023-07-01~2023-12-31"]


@pytest.mark.parametrize("last", [D(2023, 3, 31), D(2023, 6, 30), D(2023, 9, 30),
                                  D(2023, 12, 31)])
def test_a_quarter_is_inspected_up_to_its_last_day(last: dt.date) -> None:
    quarters = [D(2023, 3, 31), D(2023, 6, 30), D(2023, 9, 30), D(2023, 12, 31)]
    span = (D(2023, 1, 1), D(2023, 12, 31))
    assert periods_without(quarters, *span, 3) == []
    late = [d if d != last else last + dt.timedelta(days=1) for d in quarters]
    [missed] = periods_without(late, *span, 3)
    assert (missed.end, missed.count) == (last, 1)
    assert missed.start == D(2023, last.month - 2, 1)


def test_only_whole_periods_inside_the_span_are_owed() -> None:
    # Begun before the start, or still running at the end: not owed.
    assert periods_without([], D(2023, 1, 2), D(2023, 12, 30), 6) == []
    assert _shown(periods_without([], D(2023, 1, 2), D(2023, 12, 31), 6)) == [
        "2023-07-01~2023-12-31"]
    assert periods_without([], D(2023, 12, 31), D(2023, 1, 1), 3) == []


def test_consecutive_missed_periods_are_one_run() -> None:
    runs = periods_without([D(2021, 5, 1)], D(2020, 1, 1), D(2022, 12, 31), 3)
    assert [(str(r), r.count) for r in runs] == [
        ("2020-01-01~2021-03-31", 5), ("2021-07-01~2022-12-31", 6)]
    assert runs[0].as_figure() == {"from": "2020-01-01", "to": "2021-03-31", "periods": 5}


def test_the_whole_calendar_costs_as_much_as_its_dates() -> None:
    runs = periods_without([D(5000, 2, 1)], D.min, D.max, 3)
    assert [r.count for r in runs] == [4999 * 4, 5000 * 4 - 1]
    assert runs[-1].end == D.max


def test_a_period_that_does_not_divide_the_year_has_no_value() -> None:
    with pytest.raises(Missing) as err:
        periods_without([], D(2023, 1, 1), D(2023, 12, 31), 5)
    assert err.value.text is not None and "5" in err.value.text.en


def test_month_end() -> None:
    assert month_end(D(2024, 2, 10)) == D(2024, 2, 29)
    assert month_end(D(2023, 2, 10)) == D(2023, 2, 28)
    assert month_end(D(9999, 12, 1)) == D.max


def _brute(dates: list[dt.date], start: dt.date, end: dt.date, months: int) -> list[dt.date]:
    """The last days of the missed periods, one period at a time."""
    out = []
    year, month = start.year, 1
    while True:
        first = D(year, month, 1)
        last = month_end(D(year, month + months - 1, 1))
        if first > end:
            return out
        if start <= first and last <= end and not any(first <= d <= last for d in dates):
            out.append(last)
        month += months
        if month > 12:
            year, month = year + 1, 1


@given(dates=st.lists(st.dates(D(2019, 1, 1), D(2024, 12, 31)), max_size=8),
       start=st.dates(D(2019, 1, 1), D(2022, 12, 31)),
       length=st.integers(0, 900), months=st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_runs_are_exactly_the_missed_periods(dates: list[dt.date], start: dt.date,
                                             length: int, months: int) -> None:
    end = start + dt.timedelta(days=length)
    runs = periods_without(dates, start, end, months)
    expected = _brute(dates, start, end, months)
    assert sum(r.count for r in runs) == len(expected)
    # Runs are separate (a covered period between two) and each ends a missed period.
    assert all(a.end < b.start - dt.timedelta(days=1) for a, b in itertools.pairwise(runs))
    assert {r.end for r in runs} <= set(expected)


# ---------------------------------------------------------------------------- bad input


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _bad(tmp_path: Path, example: str, old: str, new: str) -> tuple[Path, list[str]]:
    text = (RECORDS / example).read_text(encoding="utf-8")
    assert old in text
    bad = text.replace(old, new, 1)
    return _write(tmp_path, Path(example).name, bad), bad.splitlines()


def _problem(path: Path) -> dict:  # type: ignore[type-arg]
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 2, result.output
    [entry] = json.loads(result.stdout)["files"]
    assert entry["status"] == "error"
    [problem] = entry["problems"]
    return problem  # type: ignore[no-any-return]


def test_an_unknown_subject_kind_is_located_with_the_nearest(tmp_path: Path) -> None:
    path, lines = _bad(tmp_path, "yanting/clean.yaml", "kind: township_team", "kind: 乡镇")
    problem = _problem(path)
    assert problem["field"] == "subjects[0].kind"
    assert lines[problem["line"] - 1].strip() == "kind: 乡镇"
    assert "乡镇领导班子（township_team）" in problem["message"]["zh"]


@pytest.mark.parametrize(("example", "old", "new"), [
    ("yanting/clean.yaml", "kind: township_team", "kind: 乡镇领导班子"),
    ("yanting/clean.yaml", "kind: aid_force", "kind: “五个一”帮扶力量"),
    ("qingshui-scope/clean.yaml", "category: vertical_unit", "category: 垂直管理单位"),
    ("qingshui-scope/clean.yaml", "level: section_treatment", "level: 享受科级待遇"),
    ("qingshui-scope/clean.yaml", "organ: public_institution", "organ: 事业单位"),
    ("qingshui-sheets/clean.yaml", "method: site_visit", "method: 实地查看"),
    ("qingshui-sheets/clean.yaml", "kind: joint_meeting", "kind: 联席会议"),
    ("qingshui-sheets/clean.yaml", "kind: standing_committee", "kind: 县委常委会议"),
    ("xianyang/clean.yaml", "source: letter", "source: 来信"),
    ("xianyang/clean.yaml", "finding: partly_substantiated", "finding: 部分属实"),
    ("yanting/clean.yaml", "record: scoring", "record: 互联网积分管理台账"),
    ("rectification/clean.yaml", "record: rectification", "record: 整改督查台账"),
    ("qingshui-scope/clean.yaml", "record: assessment_scope", "record: 考核范围及责任书登记"),
    ("qingshui-sheets/clean.yaml", "record: score_sheets", "record: 考核评分登记"),
])
def test_a_register_value_in_chinese_reads_as_its_code(
        tmp_path: Path, example: str, old: str, new: str) -> None:
    path, _ = _bad(tmp_path, example, old, new)
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 0, result.output
    [entry] = json.loads(result.stdout)["files"]
    assert entry["status"] == "clean" and not entry["violations"]


def test_a_register_judged_before_it_starts_is_located(tmp_path: Path) -> None:
    path, _ = _bad(tmp_path, "yanting/clean.yaml", "as_of: 2023-12-31", "as_of: 2022-12-31")
    problem = _problem(path)
    assert "before start" in problem["message"]["en"] and "早于" in problem["message"]["zh"]


def test_an_inspection_without_a_date_is_located(tmp_path: Path) -> None:
    path, lines = _bad(tmp_path, "rectification/clean.yaml",
                       "{date: 2023-05-15, by:", "{by:")
    problem = _problem(path)
    assert problem["field"] == "secretaries[1].inspections[0].date"
    assert "两项问题已销号" in lines[problem["line"] - 1]


def test_a_unit_defined_twice_in_the_scope_names_the_first(tmp_path: Path) -> None:
    path, _ = _bad(tmp_path, "qingshui-scope/clean.yaml", "{id: U002,", "{id: U001,")
    problem = _problem(path)
    assert problem["field"] == "scope[1].id" and "scope[0].id" in problem["message"]["en"]


def test_a_sheet_for_an_unknown_unit_is_located(tmp_path: Path) -> None:
    path, lines = _bad(tmp_path, "qingshui-sheets/clean.yaml", "    unit: U03\n",
                       "    unit: U09\n")
    problem = _problem(path)
    assert problem["field"] == "sheets[2].unit"
    assert lines[problem["line"] - 1] == "    unit: U09"
    assert "U01, U02, U03" in problem["message"]["en"]


def test_a_scorer_in_charge_of_an_unknown_unit_is_located(tmp_path: Path) -> None:
    path, _ = _bad(tmp_path, "qingshui-sheets/clean.yaml", "in_charge_of: [U02]",
                   "in_charge_of: [U02, U07]")
    assert _problem(path)["field"] == "scorers[0].in_charge_of[1]"


def test_an_unknown_report_source_is_located(tmp_path: Path) -> None:
    path, _ = _bad(tmp_path, "xianyang/clean.yaml", "source: letter", "source: 来函")
    problem = _problem(path)
    assert problem["field"] == "talks[0].complaint.source"
    assert "来信（letter）" in problem["message"]["zh"]


def test_a_register_rule_set_on_another_register_is_refused(tmp_path: Path) -> None:
    path, _ = _bad(tmp_path, "yanting/clean.yaml", "[yanting-scoring]",
                   "[debrief-rectification]")
    problem = _problem(path)
    assert problem["field"] == "rule_sets[0]"
    assert "rectification" in problem["message"]["en"] and "scoring" in problem["message"]["en"]


# ---------------------------------------------------------------------------- kinds, schemas


def test_every_register_kind_has_its_labels_and_schema() -> None:
    assert set(NEW_KINDS) <= set(RECORD_KINDS)
    for kind in NEW_KINDS:
        label = KIND_LABELS[kind]
        assert label.zh and label.en and label.zh != label.en
        result = run("schema", kind)
        assert result.exit_code == 0, result.output
        schema = json.loads(result.stdout)
        assert schema["title"].endswith(f"({label.zh})")
        assert schema["properties"]["record"]["const"] == kind


def test_schema_enumerations_list_codes_and_chinese_names() -> None:
    schema = json.loads(run("schema", "scoring").stdout)
    kind = schema["$defs"]["ScoredSubject"]["properties"]["kind"]
    [listed] = [part["enum"] for part in kind["anyOf"] if "enum" in part]
    for spelling in ("township_team", "乡镇领导班子", "aid_force", "“五个一”帮扶力量"):
        assert spelling in listed
    assert "乡镇领导班子" in kind["description"] and "五个一" in kind["description"]


def test_shipped_schemas_are_up_to_date() -> None:
    for kind in NEW_KINDS:
        shipped = ROOT / "schemas" / f"{kind}.schema.json"
        assert json.loads(shipped.read_text(encoding="utf-8")) == json.loads(
            run("schema", kind).stdout), f"regenerate {shipped.name}"


# ---------------------------------------------------------------------------- catalogue


def test_rules_list_has_the_register_rules_with_their_citations() -> None:
    result = run("rules", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    rules = {r["id"]: r for r in json.loads(result.output)}
    for rule, used_by in NEW_RULES.items():
        assert rules[rule]["procedures"] == [used_by]
        assert rules[rule]["seed"] and rules[rule]["quote"]
        assert rules[rule]["title"]["zh"] and rules[rule]["title"]["en"]
    assert rules["HZ-11"]["severity"] == "warning"
    assert rules["QS-11"]["quote"].startswith("實行分管(聯系)單位(部門)領導回避制度")


def test_each_register_rule_fires_and_is_silent_in_the_rule_tests() -> None:
    files = [str(ROOT / "tests" / "rules" / f"test_{name}.yaml") for name in (
        "yanting-scoring", "debrief-rectification", "qingshui-scope",
        "qingshui-score-sheets", "xianyang-talks")]
    result = run("test", *files, "--coverage", "--min", "100", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "required ≥ 100%: met" in result.output
    for rule in NEW_RULES:
        assert rule in result.output


def test_messages_show_labels_not_codes() -> None:
    for example in ("yanting/yt2-scored-a-day-late.yaml",
                    "rectification/hz11-inspected-a-day-late.yaml",
                    "qingshui-scope/qs10-left-out.yaml",
                    "qingshui-sheets/qs11-unsigned-not-reviewed.yaml",
                    "xianyang/xy4-no-feedback.yaml"):
        data = json.loads(run("validate", "--format", "json", str(RECORDS / example)).stdout)
        for v in data["files"][0]["violations"]:
            for text in v["message"].values():
                for code in ("township_team", "aid_force", "joint_meeting",
                             "standing_committee", "group_leader", "complaint", "record.",
                             "periods_without", "_"):
                    assert code not in text, (example, text)


@pytest.mark.parametrize(("rules", "change", "example"), [
    ("qingshui-scope.yaml", {"in_category('township')": "in_category('乡镇')",
                             "in_category('vertical_unit')": "in_category('垂直管理单位')"},
     "qingshui-scope/qs10-left-out.yaml"),
    ("qingshui-score-sheets.yaml", {"reviews_by('joint_meeting')": "reviews_by('联席会议')",
                                    "reviews_by('standing_committee')": "reviews_by('常委会')"},
     "qingshui-sheets/qs11-unsigned-not-reviewed.yaml"),
])
def test_a_rule_may_name_a_register_value_in_chinese(
        tmp_path: Path, rules: str, change: dict[str, str], example: str) -> None:
    text = (ROOT / "rules" / rules).read_text(encoding="utf-8")
    for old, new in change.items():
        assert old in text
        text = text.replace(old, new)
    folder = tmp_path / "rules"
    folder.mkdir()
    _write(folder, rules, text)
    for name in (example, example.split("/")[0] + "/clean.yaml"):
        shipped = run("validate", "--format", "json", str(RECORDS / name))
        own = run("validate", "--format", "json", "--rules", str(folder), str(RECORDS / name))
        assert own.exit_code == shipped.exit_code, own.output
        assert ([v["message"] for v in json.loads(own.stdout)["files"][0]["violations"]]
                == [v["message"] for v in json.loads(shipped.stdout)["files"][0]["violations"]])
