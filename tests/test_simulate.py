"""Simulation: the session object directly, then the command through typer's runner
(script, standard input, prompts, what-if)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import EXAMPLES, shipped_procedures
from selection_rules.cli import app
from selection_rules.engine.library import Library
from selection_rules.engine.procedure import load_procedure
from selection_rules.errors import InputError
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.simulate.fields import fields_for, parse_tally
from selection_rules.simulate.session import Session, assign, parse_path
from selection_rules.source.loading import load_document

SCRIPTS = EXAMPLES / "simulate"
PENGSHAN = EXAMPLES / "pengshan"
runner = CliRunner()


def _script_actions(name: str) -> list[object]:
    data = load_document(SCRIPTS / name).data
    assert isinstance(data, list)
    return data


def _five_votes_session(name: str) -> tuple[Session, list[object]]:
    actions = _script_actions(name)
    [start] = [a["start"] for a in actions if isinstance(a, dict) and "start" in a]
    proc = load_procedure("pengshan-five-votes", Library())
    session = Session.new(proc, start, WorkCalendar())
    return session, [a["add"] for a in actions if isinstance(a, dict) and "add" in a]


# ---------------------------------------------------------------------------- session


def test_clean_walk_reaches_the_end_and_saves_a_case_validate_accepts(
        tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    session, events = _five_votes_session("five-votes.yaml")
    assert session.stages() == {"P1": "start"}
    assert [o.step.event for o in session.open_steps()] == ["pre_recommendation"]
    for event in events:
        added = session.add(event)
        assert added.violations == [], [v.message.en for v in added.violations]
    assert session.finished and session.stages() == {"P1": "appointed"}
    assert session.open_steps() == []
    target = tmp_path / "case.yaml"
    session.save(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "县交通运输局局长" in text  # allow_unicode: Chinese as written, not escaped
    outcome = pipeline.check_file(target)
    assert outcome.problems == [] and outcome.result.violations == []
    assert outcome.result.final == {"P1": True}


def test_wrong_figure_reports_ps7_at_the_inspection_with_its_figures(
        tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    session, events = _five_votes_session("five-votes-wrong-figure.yaml")
    found = {}
    for event in events:
        added = session.add(event)
        found[event["type"]] = added.violations
    [v] = found["inspection"]
    assert all(not vs for t, vs in found.items() if t != "inspection")
    assert v.rule_id == "PS-7" and v.figures["value"] == 95 and v.figures["base"] == 120
    assert v.message.zh == "C03 民主推荐票 95/120 (79.17%) 不足 80%（基数：有效票）"
    target = tmp_path / "wrong.yaml"
    session.save(target)
    [saved] = pipeline.check_file(target).result.violations
    # The same violation, with the same text, as validate reports on the saved file.
    assert (saved.rule_id, saved.message, saved.loc) == (v.rule_id, v.message, v.loc)


def test_undo_takes_back_the_last_event_and_its_stage() -> None:
    session, events = _five_votes_session("five-votes.yaml")
    session.add(events[0])
    session.add(events[1])
    assert session.stages() == {"P1": "post_open"}
    what = session.undo()
    assert what is not None and "动议" in what.zh
    assert session.stages() == {"P1": "reserve_pool"} and len(session.events) == 1
    assert session.undo() is not None and session.undo() is None
    assert session.stages() == {"P1": "start"}


def test_an_unknown_candidate_is_refused_and_nothing_is_recorded() -> None:
    session, events = _five_votes_session("five-votes.yaml")
    bad = dict(events[0], result=["C01", "C99"])
    with pytest.raises(InputError) as err:
        session.add(bad)
    [problem] = err.value.problems
    assert problem.field == "result[1]" and "C99" in problem.message.en
    assert session.events == [] and session.stages() == {"P1": "start"}


def test_a_bad_field_is_located_in_the_event() -> None:
    session, events = _five_votes_session("five-votes.yaml")
    with pytest.raises(InputError) as err:
        session.add(dict(events[0], date="2024-02-30"))
    assert any(p.field == "date" for p in err.value.problems)
    assert session.events == []


def test_an_out_of_order_step_is_reported_as_validate_would() -> None:
    session, events = _five_votes_session("five-votes.yaml")
    session.add(events[0])
    added = session.add(events[2])  # the signed recommendation without the motion
    assert {(v.rule_id, v.kind) for v in added.violations} >= {("PS-1", "skipped")}


def _resume(path: Path) -> Session:
    return Session.resume(load_document(path), Library(), WorkCalendar())


def test_what_if_a_violation_appears() -> None:
    session = _resume(PENGSHAN / "clean.yaml")
    assert session.finished and session.result().violations == []
    change = session.set("events[3].ballot.tallies.C03.agree", 95)
    assert (change.old, change.new) == (96, 95)
    [v] = change.appeared
    assert v.rule_id == "PS-7" and "95/120" in v.message.en
    assert change.disappeared == [] and change.changed == []
    change = session.set("events[3].ballot.tallies.C03.disagree", 21)
    assert (change.appeared, change.disappeared, change.changed) == ([], [], [])


def test_what_if_a_violation_disappears_or_changes() -> None:
    session = _resume(PENGSHAN / "ps7-below-80.yaml")
    change = session.set("events[3].ballot.tallies.C03.agree", 300)
    [(old, new)] = change.changed
    assert "319/399" in old.message.en and "300/399" in new.message.en
    session.set("events[3].ballot.tallies.C03.abstain", 9)
    change = session.set("events[3].ballot.tallies.C03.agree", 320)  # 320/399 = 80.2%
    assert [v.rule_id for v in change.disappeared] == ["PS-7"] and change.appeared == []
    assert session.result().violations == []
    session.undo()
    assert [v.rule_id for v in session.result().violations] == ["PS-7"]


def test_what_if_that_breaks_the_case_is_refused_and_not_kept() -> None:
    session = _resume(PENGSHAN / "ps7-below-80.yaml")
    with pytest.raises(InputError) as err:
        session.set("events[3].ballot.tallies.C03.agree", 400)  # more than the valid ballots
    assert err.value.problems[0].file == "--set"
    assert session.case().events[3].ballot.tallies["C03"].agree == 319  # type: ignore[union-attr]


def test_paths() -> None:
    assert parse_path("events[3].ballot.tallies.C03.agree") == (
        "events", 3, "ballot", "tallies", "C03", "agree")
    data = {"events": [{"a": 1}]}
    assert assign(data, parse_path("events[0].a"), 2) == 1 and data == {"events": [{"a": 2}]}
    assert assign(data, parse_path("events[0].b.c"), 3) is None
    assert data["events"][0]["b"] == {"c": 3}
    with pytest.raises(InputError, match=r"cannot set events\[5\]\.a: .* no \[5\]"):
        assign(data, parse_path("events[5].a"), 1)
    with pytest.raises(InputError):
        parse_path("events[x")


def test_fields_asked_come_from_what_the_checks_read() -> None:
    proc = load_procedure("pengshan-five-votes", Library())
    demo = {f.dotted for f in fields_for(proc, "democratic_recommendation")}
    # PS-7 (at the inspection) reads this step's tallies and valid ballots.
    assert {"ballot.tallies", "ballot.valid", "ballot.kind", "candidates"} <= demo
    vote = {f.dotted: f for f in fields_for(proc, "nomination_vote")}
    assert {"meeting.present", "meeting.entitled", "ballot.kind", "result"} <= set(vote)
    assert vote["ballot.kind"].choices == ("secret", "signed", "open")
    # CN-4's publicity checks are guarded by tagged('publicity'): not asked at appointment.
    assert "publicity.start" not in {f.dotted for f in fields_for(proc, "appointment")}
    assert parse_tally("110/8/2") == {"agree": 110, "disagree": 8, "abstain": 2}
    assert parse_tally("7") == {"agree": 7, "disagree": 0, "abstain": 0}




@pytest.mark.parametrize("ident", shipped_procedures())
def test_every_shipped_procedure_can_be_simulated_to_its_end(ident: str) -> None:
    proc = load_procedure(ident, Library())
    header = {"case": "SIM-END", "unit": "测试单位",
              "posts": [{"id": "P1", "title": "测试职位"}], "candidates": []}
    session = Session.new(proc, header, WorkCalendar())
    day = dt.date(2024, 1, 8)
    for _ in range(len(proc.steps) + 1):
        if session.finished:
            break
        # The next step on the shortest way to an end (a step may loop back to its stage).
        [here] = session.stages().values()
        way = proc.machine.path(here, proc.machine.finals)
        assert way, here
        assert way[0].step.event in {o.step.event for o in session.open_steps()}
        session.add({"type": way[0].step.event, "date": day})
        day += dt.timedelta(days=7)
    assert session.finished, session.stages()
    assert not session.unfinished_steps()


# ---------------------------------------------------------------------------- command line


def test_script_mode_saves_a_case_that_validate_accepts(tmp_path: Path) -> None:
    out = tmp_path / "saved.yaml"
    result = runner.invoke(app, ["simulate", "pengshan-five-votes", "--script",
                                 str(SCRIPTS / "five-votes.yaml"), "--save", str(out)])
    assert result.exit_code == 0, result.output
    assert "可进行的步骤" in result.output and "PS-2 储备库预备人选人数 ≥ 1" in result.output
    assert "程序已走到终点" in result.output
    check = runner.invoke(app, ["validate", str(out)])
    assert check.exit_code == 0, check.output


def test_script_with_a_wrong_figure_exits_1_with_validate_text(tmp_path: Path) -> None:
    out = tmp_path / "saved.yaml"
    result = runner.invoke(app, ["simulate", "pengshan-five-votes", "--lang", "en", "--script",
                                 str(SCRIPTS / "five-votes-wrong-figure.yaml"), "--save", str(out)])
    assert result.exit_code == 1, result.output
    line = "C03 recommendation votes 95/120 (79.17%) below 80% (base: valid ballots)"
    assert line in result.output
    check = runner.invoke(app, ["validate", "--lang", "en", str(out)])
    assert check.exit_code == 1 and line in check.output


def test_script_from_standard_input(tmp_path: Path) -> None:
    script = (SCRIPTS / "five-votes.yaml").read_text(encoding="utf-8")
    out = tmp_path / "saved.yaml"
    result = runner.invoke(app, ["simulate", "pengshan-five-votes", "--script", "-",
                                 "--save", str(out)], input=script)
    assert result.exit_code == 0, result.output
    assert load_document(out).data["events"][-1]["type"] == "appointment"


def test_a_bad_script_is_located_and_exits_2(tmp_path: Path) -> None:
    script = tmp_path / "bad.yaml"
    script.write_text("- start: {case: X, unit: U, posts: [{id: P1, title: T}]}\n"
                      "- add: {type: motion, date: 2024-03-04, motion: {by: OD, reason: whim}}\n",
                      encoding="utf-8")
    result = runner.invoke(app, ["simulate", "pengshan-five-votes", "--script", str(script)])
    assert result.exit_code == 2
    assert f"{script}:2:" in result.output and "motion.reason" in result.output
    script.write_text("- start: {case: X, unit: U, posts: [{id: P1, title: T}]}\n- jump: 3\n",
                      encoding="utf-8")
    result = runner.invoke(app, ["simulate", "pengshan-five-votes", "--script", str(script)])
    assert result.exit_code == 2 and f"{script}:2:" in result.output
    assert "未知操作 'jump'" in result.output


def _partial(tmp_path: Path, keep: int) -> Path:
    data = copy.deepcopy(load_document(PENGSHAN / "ps7-below-80.yaml").data)
    data["events"] = data["events"][:keep]
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_interactive_resume_record_a_step_undo_and_save(tmp_path: Path) -> None:
    case = _partial(tmp_path, 4)
    out = tmp_path / "out.yaml"
    answers = "1\n2024-04-01\nC01, C02, C03\nu\n1\n2024-04-01\nC01, C02\nq\n"
    result = runner.invoke(app, ["simulate", "--from", str(case), "--save", str(out)],
                           input=answers)
    assert "当前阶段【民主推荐完成】" in result.output
    assert "C03 民主推荐票 319/399 (79.95%) 不足 80%（基数：有效票）" in result.output
    assert "已撤销：步骤「差额考察」" in result.output
    saved = load_document(out).data["events"]
    assert len(saved) == 5 and saved[4]["candidates"] == ["C01", "C02"]
    assert saved[4]["date"] == dt.date(2024, 4, 1)
    assert result.exit_code == 1  # unfinished: validate would report PS-1 incomplete


def test_interactive_new_case_with_prompts_in_english(tmp_path: Path) -> None:
    out = tmp_path / "new.yaml"
    answers = "\n".join([
        "SIM-9", "中共彭山县委员会",                       # case id, unit
        "P1 县交通运输局局长 county_department_head", "",   # posts
        "C01 李明", "C02 王芳", "",                        # candidates
        "1", "2024-01-15", "C01, C02",                    # pre-recommendation: date, result
        "x", "w", "events[0].result=[C01]",               # a wrong key, then a what-if
        "q"]) + "\n"
    result = runner.invoke(app, ["simulate", "pengshan-five-votes", "--lang", "en",
                                 "--save", str(out)], input=answers)
    assert "Open steps:" in result.output and "Recorded event 1" in result.output
    assert "cannot understand 'x'" in result.output
    assert "What if events[0].result: [C01, C02] → [C01]" in result.output
    data = load_document(out).data
    assert data["case"] == "SIM-9" and data["posts"][0]["level"] == "county_department_head"
    assert data["events"][0]["result"] == ["C01"]


def test_what_if_on_the_command_line() -> None:
    result = runner.invoke(app, ["simulate", "--from", str(PENGSHAN / "ps7-below-80.yaml"),
                                 "--set", "events[3].ballot.tallies.C03.abstain=9",
                                 "--set", "events[3].ballot.tallies.C03.agree=320"])
    assert result.exit_code == 0, result.output
    assert "消失的违规" in result.output and "PS-7" in result.output
    bad = runner.invoke(app, ["simulate", "--from", str(PENGSHAN / "clean.yaml"),
                              "--set", "events[42].date=2024-01-01"])
    assert bad.exit_code == 2 and "events[42]" in bad.output
    wrong = runner.invoke(app, ["simulate", "pengshan-five-votes", "--set", "events[0].date=1"])
    assert wrong.exit_code == 2 and "--from" in wrong.output


@pytest.mark.parametrize("value", ["unit=x\udcff", "events[0].note=\ud800", "\udcff=1"])
def test_a_set_value_that_is_not_text_is_a_located_error(value: str) -> None:
    """Bytes that were not UTF-8 on the command line arrive as lone surrogates."""
    result = runner.invoke(app, ["simulate", "--from", str(PENGSHAN / "clean.yaml"),
                                 "--set", value])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "\\udcff" in result.output or "\\ud800" in result.output, result.output
