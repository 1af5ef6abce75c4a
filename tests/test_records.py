"""Records that are not a selection flow: kinds, mismatches, locations, dates, examples."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.cli import app
from selection_rules.engine.kinds import RECORD_KINDS, file_kind
from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import Pipeline
from selection_rules.engine.procedure import load_record_rules
from selection_rules.errors import InputError
from selection_rules.lang.record_functions import add_months, longest_gap, span
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.source.loading import load_document

RECORDS = EXAMPLES / "records"

# file -> every rule id it must yield, as a multiset.
EXPECTED: dict[str, list[str]] = {
    "xianyang/clean.yaml": [],
    "xianyang/xy1-not-approved-not-announced.yaml": ["XY-1", "XY-1"],
    "xianyang/xy1-approved-after-talk.yaml": ["XY-1"],
    "xianyang/xy2-report-one-day-late.yaml": ["XY-2", "XY-2"],
    "xianyang/xy2-report-not-yet-due.yaml": [],
    "xianyang/xy3-twice-rated-excellent.yaml": ["XY-3", "XY-3"],
    "xianyang/xy3-three-talks-rated-good.yaml": ["XY-3"],
    "xianyang/xy3-leaders-over-cap.yaml": ["XY-3", "XY-3"],
    "qingshui/clean.yaml": [],
    "qingshui/qs8-vetoed-rewarded.yaml": ["QS-8", "QS-8"],
    "qingshui/qs9-third-not-rewarded.yaml": ["QS-9"],
    "qingshui/qs9-bottom-three-promoted.yaml": ["QS-9", "QS-9"],
    "qingshui/qs9-no-close-management.yaml": ["QS-9"],
    "hanzhong/clean.yaml": [],
    "hanzhong/hz10-county-one-day-late.yaml": ["HZ-10"],
    "hanzhong/hz10-department-overdue.yaml": ["HZ-10", "HZ-10"],
    "roster/tongchuan-clean.yaml": [],
    "roster/tc1-seconded-a-day-early.yaml": ["TC-1"],
    "roster/tc1-transferred-at-two-years.yaml": ["TC-1", "TC-1"],
    "roster/yanting-clean.yaml": [],
    "roster/yt1-ten-years-and-a-day.yaml": ["YT-1"],
    "roster/yt1-deputy-twelve-years.yaml": ["YT-1"],
    "roster/xinlong-clean.yaml": [],
    "roster/xl1-one-yuan-short.yaml": ["XL-1", "XL-1"],
    "xianyang/xy4-no-feedback.yaml": ["XY-4"],
    "yanting/clean.yaml": [],
    "yanting/yt2-scored-a-day-late.yaml": ["YT-2"],
    "rectification/clean.yaml": [],
    "rectification/hz11-inspected-a-day-late.yaml": ["HZ-11"],
    "qingshui-scope/clean.yaml": [],
    "qingshui-scope/qs10-letter-on-1-april.yaml": ["QS-10"],
    "qingshui-scope/qs10-left-out.yaml": ["QS-10", "QS-10", "QS-10"],
    "qingshui-sheets/clean.yaml": [],
    "qingshui-sheets/qs11-leader-in-charge-scored.yaml": ["QS-11"],
    "qingshui-sheets/qs11-unsigned-not-reviewed.yaml": ["QS-11", "QS-11"],
}


def _header_expect(path: Path) -> list[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            rest = line.split(":", 1)[1].strip()
            return [] if rest == "(none)" else [x.strip() for x in rest.split(",")]
    raise AssertionError(f"{path} has no '# expect:' line")


def test_every_record_example_is_listed() -> None:
    found = sorted(str(p.relative_to(RECORDS)) for p in RECORDS.rglob("*.yaml"))
    assert found == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_record_example_yields_exactly_the_expected_rules(pipeline, name: str) -> None:  # type: ignore[no-untyped-def]
    path = RECORDS / name
    outcome = pipeline.check_file(path)
    assert outcome.problems == []
    result = outcome.result
    assert result.record_kind == file_kind(load_document(path))
    got = Counter(v.rule_id for v in result.violations)
    assert got == Counter(EXPECTED[name]), [v.message.en for v in result.violations]
    assert Counter(_header_expect(path)) == Counter(EXPECTED[name])
    for v in result.violations:
        assert v.line is not None and v.line > 1
        assert v.citation is not None and v.citation.quote
        assert v.message.zh and v.message.en
        assert v.stage is not None and v.stage_label is not None
        # A check on a whole list (QS-10's count, QS-11's reviews) points at the list.
        assert v.loc and (len(v.loc) == 1 or isinstance(v.loc[1], int))


# ---------------------------------------------------------------------------- dates


def test_years_are_counted_by_anniversary() -> None:
    start = dt.date(2014, 3, 1)
    exactly = span(start, dt.date(2024, 3, 1))
    assert exactly == 10 and not exactly > 10 and exactly <= 10
    assert span(start, dt.date(2024, 3, 2)) > 10
    assert span(start, dt.date(2024, 2, 29)) < 10
    # 29 February: the anniversary in a common year is the month's last day.
    leap = dt.date(2012, 2, 29)
    assert span(leap, dt.date(2013, 2, 28)) == 1
    assert span(leap, dt.date(2013, 2, 27)) < 1


def test_one_month_is_a_calendar_month() -> None:
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 12, 15), 1) == dt.date(2024, 1, 15)


def test_longest_gap_runs_from_start_through_the_dates_to_the_end() -> None:
    gap = longest_gap([dt.date(2021, 3, 1), dt.date(2020, 1, 1)],
                      dt.date(2019, 3, 1), dt.date(2022, 1, 1))
    assert (gap.start, gap.end, gap.years, gap.days) == (
        dt.date(2020, 1, 1), dt.date(2021, 3, 1), 1, 59)
    assert longest_gap([], dt.date(2019, 3, 1), dt.date(2021, 3, 1)) == 2


# ---------------------------------------------------------------------------- kinds


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_that_is_neither_kind_is_one_located_error(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "x.yaml", "id: x\nyear: 2023\n")
    [problem] = pipeline.check_file(path).problems
    assert "neither a selection case file" in problem.message.en
    assert "选任案卷" in problem.message.zh and problem.expected is not None
    assert "record: assessment | roster | supervision" in problem.expected.en


def test_an_unknown_record_kind_is_located(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "x.yaml", "id: x\nunit: u\nrecord: budget\nrule_sets: [a]\n")
    [problem] = pipeline.check_file(path).problems
    assert problem.line == 3 and problem.field == "record"
    assert "budget" in problem.message.en


def test_a_record_rule_set_on_a_selection_case_is_refused(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (EXAMPLES / "pengshan" / "clean.yaml").read_text(encoding="utf-8")
    text = text.replace("procedure: pengshan-five-votes\n",
                        "procedure: pengshan-five-votes\nrule_sets: [xianyang-talks]\n", 1)
    path = _write(tmp_path, "case.yaml", text)
    [problem] = pipeline.check_file(path).problems
    assert problem.file == str(path) and problem.field == "rule_sets[0]"
    assert problem.line == text.splitlines().index("rule_sets: [xianyang-talks]") + 1
    for word in ("xianyang-talks", "assessment", "selection"):
        assert word in problem.message.en


def test_a_record_naming_a_selection_procedure_is_refused(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (RECORDS / "xianyang" / "clean.yaml").read_text(encoding="utf-8")
    text = text.replace("rule_sets: [xianyang-talks]",
                        "rule_sets: [xianyang-talks, pengshan-five-votes]")
    path = _write(tmp_path, "a.yaml", text)
    [problem] = pipeline.check_file(path).problems
    assert problem.field == "rule_sets[1]"
    assert "pengshan-five-votes" in problem.message.en and "assessment" in problem.message.en


def test_a_roster_rule_set_on_an_assessment_file_is_refused(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (RECORDS / "xianyang" / "clean.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, "a.yaml", text.replace("[xianyang-talks]", "[roster-yanting]"))
    [problem] = pipeline.check_file(path).problems
    assert "roster-yanting" in problem.message.en
    assert "roster" in problem.message.en and "assessment" in problem.message.en


def test_a_talk_about_an_unknown_team_is_located(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (RECORDS / "xianyang" / "clean.yaml").read_text(encoding="utf-8")
    bad = text.replace("    team: T01\n    date: 2023-03-10", "    team: T09\n    date: 2023-03-10")
    path = _write(tmp_path, "a.yaml", bad)
    [problem] = pipeline.check_file(path).problems
    assert problem.field == "talks[1].team"
    assert problem.line == bad.splitlines().index("    team: T09") + 1


# ---------------------------------------------------------------------------- locations


def test_a_violation_points_at_the_item_and_field(pipeline) -> None:  # type: ignore[no-untyped-def]
    path = RECORDS / "xianyang" / "xy3-twice-rated-excellent.yaml"
    result = pipeline.check_file(path).result
    team = next(v for v in result.violations if v.loc[0] == "teams")
    assert team.loc == ("teams", 1, "rating") and team.stage == "teams"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "id: T02" in lines[team.line - 1]
    assert team.figures["value"] == 2 and team.figures["item"] == "T02"


def test_json_report_of_a_record(tmp_path: Path) -> None:
    runner = CliRunner()
    path = RECORDS / "roster" / "xl1-one-yuan-short.yaml"
    out = runner.invoke(app, ["validate", "--format", "json", str(path)])
    assert out.exit_code == 1
    [entry] = json.loads(out.stdout)["files"]
    assert entry["kind"] == "roster" and entry["record"] == "xinlong-2020"
    assert entry["as_of"] == "2020-04-15" and "procedure" not in entry
    first = entry["violations"][0]
    assert first["location"]["path"] == "cadres[0].pay"
    assert first["stage"]["id"] == "cadres"
    assert first["figures"]["value"] == 5999 and first["figures"]["base"] == 5000


def test_cli_exit_codes_for_records(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(
        app, ["validate", "--lang", "en", str(RECORDS / "hanzhong" / "clean.yaml")])
    assert clean.exit_code == 0 and "special-supervision log" in clean.stdout
    text = (RECORDS / "hanzhong" / "clean.yaml").read_text(encoding="utf-8")
    bad = _write(tmp_path, "s.yaml", text.replace("[hanzhong-supervision]", "[xianyang-talks]"))
    wrong = runner.invoke(app, ["validate", str(bad)])
    assert wrong.exit_code == 2
    warn = runner.invoke(app, ["validate", "--fail-on", "error",
                               str(RECORDS / "roster" / "yt1-ten-years-and-a-day.yaml")])
    assert warn.exit_code == 0  # YT-1 is a warning


# ---------------------------------------------------------------------------- loading


def _rule_set(tmp_path: Path, body: str) -> Library:
    _write(tmp_path, "local.yaml", (
        "id: local\nkind: rule_set\napplies_to: assessment\ntitle: {zh: 本地, en: local}\n"
        "rules:\n  - id: LO-1\n    title: {zh: t, en: t}\n"
        "    citation: {regulation: 本地规定}\n" + body))
    return Library([tmp_path], shipped=False)


def test_an_unknown_record_field_is_a_load_time_error(tmp_path: Path) -> None:
    library = _rule_set(tmp_path, (
        "    on: {end: true}\n    checks:\n      - each: record.teams\n"
        "        require: item.ratin == '优秀'\n        expect: {zh: x, en: x}\n"))
    with pytest.raises(InputError) as err:
        load_record_rules("assessment", ("local",), library)
    [problem] = err.value.problems
    assert "rating" in problem.message.en and problem.line == 12


def test_a_record_rule_on_steps_is_refused(tmp_path: Path) -> None:
    library = _rule_set(tmp_path, (
        "    on: {tags: [decision]}\n    checks:\n      - require: record.year > 2000\n"
        "        expect: {zh: x, en: x}\n"))
    with pytest.raises(InputError) as err:
        load_record_rules("assessment", ("local",), library)
    assert any("on: {end: true}" in p.message.en for p in err.value.problems)


def test_the_pipeline_reads_every_kind_in_one_run() -> None:
    pipeline = Pipeline(Library(), WorkCalendar())
    tasks, problems = pipeline.plan([str(RECORDS), str(EXAMPLES / "pengshan" / "clean.yaml")])
    assert problems == []
    with pipeline.run(tasks) as run:
        outcomes = list(run)
    kinds = Counter(o.result.record_kind for o in outcomes if o.result is not None)
    assert all(o.result is not None for o in outcomes)
    assert set(kinds) == {"selection", *RECORD_KINDS}
