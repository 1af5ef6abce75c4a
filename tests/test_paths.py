"""Dotted paths: one reader (`parse_loc`), one writer (`format_loc`), one assigner.

Ids in case files are text of any kind — `①`, `张三`, `2024`, `C.01` — and a path to
them must reach them as one key, whether a rule test, a what-if or a finding wrote it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.authoring.rule_tests import (
    Change,
    Expectation,
    RuleTest,
    Runner,
    apply_changes,
)
from selection_rules.cli import app
from selection_rules.errors import InputError
from selection_rules.source.loading import load_document
from selection_rules.source.paths import (
    Hole,
    PathError,
    assign_at,
    fill_loc,
    format_loc,
    parse_loc,
    parse_loc_template,
)

CN2 = EXAMPLES / "pengshan" / "cn2-exactly-half.yaml"
runner = CliRunner()


# ------------------------------------------------------------------------------ reading


@pytest.mark.parametrize(("text", "loc"), [
    ("events[3].ballot.tallies.C03.agree", ("events", 3, "ballot", "tallies", "C03", "agree")),
    ("decision_date", ("decision_date",)),
    ("ballot.tallies.①", ("ballot", "tallies", "①")),
    ("ballot.tallies.张三.agree", ("ballot", "tallies", "张三", "agree")),
    # Digits outside brackets are a key: a candidate may be called 2024.
    ("ballot.tallies.2024", ("ballot", "tallies", "2024")),
    ("ballot.tallies.007", ("ballot", "tallies", "007")),
    ('ballot.tallies["2024"]', ("ballot", "tallies", "2024")),
    ('candidates[0].attributes["a.b"]', ("candidates", 0, "attributes", "a.b")),
    ("tallies['C.01'].agree", ("tallies", "C.01", "agree")),
    ('tallies["say \\"hi\\""]', ("tallies", 'say "hi"')),
    ("[2].set", (2, "set")),
    ("grid[0][12]", ("grid", 0, 12)),
    ("a b.c", ("a b", "c")),
])
def test_parse_loc(text: str, loc: tuple[str | int, ...]) -> None:
    assert parse_loc(text) == loc


@pytest.mark.parametrize(("text", "column"), [
    ("events..date", 8),
    ("events[x]", 7),
    ("events.", 7),
    (".events", 1),
    ("events[3]date", 10),
    ("events.[3]", 8),
    ("events[-1]", 7),
    ("events]", 7),
    ("events[①]", 7),   # '①'.isdigit() is True, yet it is no index
    ("events[３]", 7),   # full-width digit
    ("events[٣]", 7),    # Arabic-Indic digit: int() would read it
    ('tallies["\\q"]', 8),
    (" events", 1),
    ("tallies.C01 ", 9),
])
def test_malformed_paths_are_located(text: str, column: int) -> None:
    with pytest.raises(PathError) as err:
        parse_loc(text)
    assert err.value.column == column
    assert f"at character {column}" in err.value.message.en
    assert f"第 {column} 个字符" in err.value.message.zh
    assert err.value.expected is not None


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_path_is_refused(text: str) -> None:
    with pytest.raises(PathError, match="empty"):
        parse_loc(text)


# ------------------------------------------------------------------------------ writing


@pytest.mark.parametrize(("loc", "text"), [
    (("events", 3, "ballot", "valid"), "events[3].ballot.valid"),
    (("ballot", "tallies", "①"), "ballot.tallies.①"),
    (("ballot", "tallies", "2024"), "ballot.tallies.2024"),
    (("tallies", "C.01", "agree"), 'tallies["C.01"].agree'),
    (("tallies", "a[1]"), 'tallies["a[1]"]'),
    (("tallies", " x"), 'tallies[" x"]'),
    (("tallies", ""), 'tallies[""]'),
    (("tallies", 'q"x\'y'), 'tallies["q\\"x\'y"]'),
    ((2, "a"), "[2].a"),
    ((), ""),
])
def test_format_loc_reads_back_as_the_same_path(loc: tuple[str | int, ...], text: str) -> None:
    assert format_loc(loc) == text
    if loc:
        assert parse_loc(text) == loc


# ---------------------------------------------------------------------------- templates


@pytest.mark.parametrize(("template", "values", "loc"), [
    ("candidates[{index}]", {"index": 3}, ("candidates", 3)),
    ("talks[{index}].approved_by", {"index": 0}, ("talks", 0, "approved_by")),
    ("moves[{index}].date", {"index": 12}, ("moves", 12, "date")),
    ("ballot.tallies.{item}", {"item": "C01"}, ("ballot", "tallies", "C01")),
    # The item's id is one key whatever it holds.
    ("ballot.tallies.{item}", {"item": "①"}, ("ballot", "tallies", "①")),
    ("ballot.tallies.{item}", {"item": "2024"}, ("ballot", "tallies", "2024")),
    ("ballot.tallies.{item}", {"item": "C.01[2]"}, ("ballot", "tallies", "C.01[2]")),
    ("screening.{item}.held", {"item": "a.b"}, ("screening", "a.b", "held")),
    # Substituted once: an id that looks like a placeholder stays as it is.
    ("scores.{item}", {"item": "{index}", "index": 4}, ("scores", "{index}")),
    ("posts.P{index}", {"index": 1}, ("posts", "P1")),
    # Nothing to put in a hole: the path stops before it, at what is known.
    ("ballot.tallies.{item}", {"index": 1}, ("ballot", "tallies")),
    ("meeting.present", {}, ("meeting", "present")),
])
def test_fill_loc(template: str, values: dict[str, str | int],
                  loc: tuple[str | int, ...]) -> None:
    assert fill_loc(parse_loc_template(template), values) == loc


def test_a_template_is_read_into_tokens_once() -> None:
    assert parse_loc_template("talks[{index}].date") == (
        "talks", Hole("{index}", True), "date")
    # Outside templates braces are ordinary characters of a key, and `[{index}]` no index.
    assert parse_loc("scores.{item}") == ("scores", "{item}")
    with pytest.raises(PathError):
        parse_loc("candidates[{index}]")


def _at_templates(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [at for check in value.get("checks", []) if isinstance(check, dict)
                 for at in [check.get("at")] if isinstance(at, str)]
        return found + [t for v in value.values() for t in _at_templates(v)]
    if isinstance(value, list):
        return [t for v in value for t in _at_templates(v)]
    return []


def test_every_shipped_at_template_reads() -> None:
    # A template that cannot be read makes a finding fall back to its `each` list, so
    # each one shipped must read, with holes only for `item` and `index`.
    templates = [t for path in sorted((EXAMPLES.parent / "rules").glob("*.yaml"))
                 for t in _at_templates(load_document(path).data)]
    assert len(templates) > 40 and "ballot.tallies.{item}" in templates
    for template in templates:
        loc = fill_loc(parse_loc_template(template), {"item": "①", "index": 7})
        assert all(isinstance(p, int) or "{" not in p for p in loc), template
        assert ("{index}" in template) == (7 in loc), template


# ---------------------------------------------------------------------------- assigning


def _data() -> dict[str, Any]:
    return {"events": [{"ballot": {"valid": 120, "tallies": {"2024": {"agree": 96}}}}]}


def test_assign_replaces_and_returns_the_old_value() -> None:
    data = _data()
    assert assign_at(data, parse_loc("events[0].ballot.tallies.2024.agree"), 97) == 96
    assert data["events"][0]["ballot"]["tallies"]["2024"]["agree"] == 97
    old_event = data["events"][0]
    assert assign_at(data, ("events", 0), {"type": "x"}) is old_event
    assert data["events"] == [{"type": "x"}]


def test_the_last_key_may_be_new_the_ones_before_it_may_not() -> None:
    data = _data()
    assert assign_at(data, parse_loc("events[0].ballot.invalid"), 0) is None
    assert data["events"][0]["ballot"]["invalid"] == 0
    before = copy.deepcopy(data)
    with pytest.raises(PathError) as err:
        assign_at(data, parse_loc("events[0].meeting.present"), 8)
    assert err.value.message.en == "events[0] has no 'meeting'"
    assert err.value.expected is not None and "ballot" in err.value.expected.en
    assert data == before  # nothing made on the way


def test_make_parents_adds_mappings_but_never_lists() -> None:
    data = _data()
    assert assign_at(data, parse_loc("events[0].meeting.present"), 8, make_parents=True) is None
    assert data["events"][0]["meeting"] == {"present": 8}
    assert assign_at(data, ("events", 0, "ballot", "tallies", "①", "agree"), 3,
                     make_parents=True) is None
    assert data["events"][0]["ballot"]["tallies"]["①"] == {"agree": 3}
    with pytest.raises(PathError, match="has no 'talks'"):
        assign_at(data, parse_loc("events[0].talks[0].date"), 1, make_parents=True)
    assert "talks" not in data["events"][0]


@pytest.mark.parametrize(("path", "message"), [
    ("events[1].date", "events has 1 item(s), numbered from 0: no [1]"),
    ("events.0.date", "events is a list: it has items [0], [1]…, not '0'"),
    ("events[0].ballot[0]", "events[0].ballot is a mapping, not a list: it has no [0]"),
    ("events[0].ballot.valid.x", "events[0].ballot.valid is a value, it has no 'x'"),
])
def test_paths_that_do_not_fit_the_data_say_how_far_they_went(path: str, message: str) -> None:
    data = _data()
    with pytest.raises(PathError) as err:
        assign_at(data, parse_loc(path), 1, make_parents=True)
    assert err.value.message.en == message
    assert err.value.message.zh  # bilingual
    assert data == _data()


def test_an_empty_loc_is_refused() -> None:
    with pytest.raises(PathError, match="empty"):
        assign_at({}, (), 1)


# ---------------------------------------------------------------------------- end to end


def _renamed(tmp_path: Path, new_id: str) -> Path:
    """cn2-exactly-half.yaml with candidate C01 called `new_id` everywhere."""
    written = json.dumps(new_id, ensure_ascii=False)  # quoted: valid YAML for any id
    target = tmp_path / "renamed.yaml"
    target.write_text(CN2.read_text(encoding="utf-8").replace("C01", written), encoding="utf-8")
    return target


@pytest.mark.parametrize("new_id", ["①", "张三", "2024", "C.01", "a[1]"])
def test_a_finding_points_at_a_candidate_whatever_its_id(
        tmp_path: Path, new_id: str, pipeline: Any) -> None:
    case = _renamed(tmp_path, new_id)
    outcome = pipeline.check_file(case)
    [found] = outcome.result.violations
    assert found.rule_id == "CN-2"
    assert found.loc == ("events", 6, "ballot", "tallies", new_id)
    assert found.line == _tally_line(case)


@pytest.mark.parametrize("new_id", ["①", "张三", "2024"])
def test_validate_reports_a_path_that_reads_back(tmp_path: Path, new_id: str) -> None:
    case = _renamed(tmp_path, new_id)
    result = runner.invoke(app, ["validate", "--format", "json", str(case)])
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    [found] = json.loads(result.output)["files"][0]["violations"]
    assert found["rule"] == "CN-2"
    assert parse_loc(found["location"]["path"]) == ("events", 6, "ballot", "tallies", new_id)
    assert found["location"]["line"] == _tally_line(case)
    assert found["message"]["en"].startswith(f"{new_id} votes for 15/30")


def _tally_line(case: Path) -> int:
    lines = case.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if "15/30: exactly half" in line)


def test_text_output_for_a_circled_id_has_no_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--lang", "en", str(_renamed(tmp_path, "①"))])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "CN-2" in result.output and "① votes for 15/30" in result.output


def test_rule_test_changes_reach_unicode_and_digit_ids(tmp_path: Path) -> None:
    for new_id in ("①", "2024"):
        case = _renamed(tmp_path, new_id)
        base = load_document(case)
        changed = apply_changes(base, [Change(f"events[6].ballot.tallies.{new_id}.agree", 16,
                                              3)], "t.yaml")
        assert changed.data["events"][6]["ballot"]["tallies"][new_id]["agree"] == 16
        test = RuleTest("16 of 30 is more than half", "t.yaml", 1, 0, None, case,
                        [Change(f"events[6].ballot.tallies.{new_id}.agree", 16, 3),
                         Change(f"events[6].ballot.tallies.{new_id}.disagree", 10, 4)], [])
        outcome = Runner().run(test)
        assert outcome.passed, (outcome.problems, outcome.unexpected)
        test.changes = []
        test.expect = [Expectation("CN-2")]
        assert Runner().run(test).passed


def test_a_rule_test_cannot_make_a_tally_for_a_new_id() -> None:
    base = load_document(CN2)
    with pytest.raises(InputError) as err:
        apply_changes(base, [Change("events[6].ballot.tallies.C09.agree", 1, 7)], "t.yaml")
    [problem] = err.value.problems
    assert (problem.file, problem.line) == ("t.yaml", 7)
    assert "events[6].ballot.tallies has no 'C09'" in problem.message.en
    assert problem.expected is not None and "C02" in problem.expected.en


def test_a_malformed_change_path_is_located_in_the_test_file() -> None:
    with pytest.raises(InputError) as err:
        apply_changes(load_document(CN2), [Change("events[6]ballot", 1, 9)], "t.yaml")
    [problem] = err.value.problems
    assert (problem.file, problem.line, problem.field) == ("t.yaml", 9, "events[6]ballot")
    assert "at character 10" in problem.message.en
