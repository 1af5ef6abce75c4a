"""The batch summary: by rule, by unit, common problems, repeated ids; in text and JSON."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report_cases import PENGSHAN, UNIT_A, UNIT_B, json_report, make_inspection, validate
from selection_rules.engine.validation import Outcome
from selection_rules.engine.violations import CaseResult, Violation
from selection_rules.i18n import Text
from selection_rules.report.summary import Summary


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_inspection(tmp_path_factory.mktemp("summary"))


@pytest.fixture(scope="module")
def doc(root: Path) -> dict[str, Any]:
    return json_report(root)


def test_every_file_entry_names_its_unit(doc: dict[str, Any]) -> None:
    units = {Path(f["file"]).parent.name + "/" + Path(f["file"]).name: f["unit"]
             for f in doc["files"]}
    assert units["a/1-ps7.yaml"] == UNIT_A and units["b/1-ps7.yaml"] == UNIT_B
    assert units["b/4-broken.yaml"] is None  # unreadable: the unit is not known


def test_summary_by_rule_and_unit_agrees_with_the_file_entries(doc: dict[str, Any]) -> None:
    count: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    units: dict[str, set[str]] = {}
    for f in doc["files"]:
        for v in f.get("violations", []):
            count[v["rule"]] += 1
            files.setdefault(v["rule"], set()).add(f["file"])
            units.setdefault(v["rule"], set()).add(f["unit"])
    by_rule = {r["rule"]: r for r in doc["summary"]["by_rule"]}
    assert set(by_rule) == set(count) and {"PS-7", "CN-1", "PS-1"} <= set(count)
    for rule, r in by_rule.items():
        assert (r["count"], r["files"], r["units"]) == (
            count[rule], len(files[rule]), len(units[rule])), rule
        assert sum(r["counts"].values()) == r["count"]
    by_unit = {u["unit"]: u for u in doc["summary"]["by_unit"]}
    a = by_unit[UNIT_A]
    assert (a["files"], a["clean"], a["with_violations"], a["unreadable"]) == (3, 1, 2, 0)
    assert by_unit[None] == {"unit": None, "files": 1, "clean": 0, "with_violations": 0,
                             "with_errors": 0, "unreadable": 1,
                             "counts": {"error": 0, "warning": 0, "info": 0}}
    for unit, u in by_unit.items():
        mine = [f for f in doc["files"] if f["unit"] == unit]
        assert u["files"] == len(mine)
        assert u["with_errors"] == sum(1 for f in mine if any(
            v["severity"] == "error" for v in f.get("violations", [])))
        for sev in ("error", "warning", "info"):
            assert u["counts"][sev] == sum(f["summary"]["counts"][sev] for f in mine
                                           if "summary" in f)


def test_problems_common_to_both_units(doc: dict[str, Any]) -> None:
    common = {c["rule"]: c for c in doc["summary"]["common"]}
    assert set(common) == {"PS-7"}  # ps7 in both units; CN-1 and PS-1 in one each
    assert common["PS-7"]["units"] == 2 and common["PS-7"]["of_units"] == 2
    assert common["PS-7"]["unit_names"] == sorted([UNIT_A, UNIT_B])


def test_a_case_id_in_two_files_names_both(doc: dict[str, Any]) -> None:
    [dup] = doc["summary"]["duplicate_ids"]
    assert dup["id"] == "A-2" and dup["kind"] == "selection"
    assert [Path(f).name for f in dup["files"]] == ["2-clean.yaml", "2-copy.yaml"]


def test_text_prints_the_summary_after_the_files(root: Path) -> None:
    result = validate(str(root), "--jobs", "1", "--lang", "en")
    assert result.exit_code == 2
    out = result.stdout
    assert out.index("1-ps7.yaml") < out.index("Summary by rule") < out.index(
        "Summary by unit") < out.index("Problems common to several units")
    assert "A-2 (2 files): " in out and "2-copy.yaml" in out.split("A-2 (2 files): ")[1]
    assert out.rstrip().endswith("1 unreadable")


def test_one_file_prints_no_summary_tables() -> None:
    # README's sample output of one file stays what it was.
    result = validate(str(PENGSHAN / "ps7-below-80.yaml"))
    assert "汇总" not in result.stdout and result.stdout.rstrip().endswith("0 个无法读取")


def test_only_failed_hides_clean_files_and_quiet_prints_only_the_summary(root: Path) -> None:
    full = validate(str(root), "--jobs", "1").stdout
    failed = validate(str(root), "--jobs", "1", "--only-failed").stdout
    quiet = validate(str(root), "--jobs", "1", "--quiet").stdout
    assert "2-clean.yaml" in full.split("汇总")[0]
    assert "2-clean.yaml" not in failed.split("汇总")[0] and "1-ps7.yaml" in failed
    assert "1-ps7.yaml" not in quiet.split("汇总")[0] and "汇总：按单位" in quiet
    # The summary and the count are the same whatever is listed.
    assert full[full.index("汇总"):] == failed[failed.index("汇总"):] == quiet[
        quiet.index("汇总"):]


def test_json_only_failed_keeps_the_totals(root: Path, doc: dict[str, Any]) -> None:
    failed = json_report(root, "--only-failed")
    assert all(f["status"] != "clean" for f in failed["files"])
    assert len(failed["files"]) == len(doc["files"]) - doc["totals"]["clean"]
    assert failed["totals"] == doc["totals"] and failed["summary"] == doc["summary"]


def test_jsonl_ends_with_the_totals_and_the_summary(root: Path, doc: dict[str, Any]) -> None:
    lines = validate(str(root), "--format", "jsonl", "--jobs", "1").stdout.splitlines()
    last = json.loads(lines[-1])
    assert last["totals"] == doc["totals"] and last["summary"] == doc["summary"]
    assert [json.loads(x) for x in lines[:-1]] == doc["files"]


def test_jobs_give_the_same_summary(root: Path, doc: dict[str, Any]) -> None:
    parallel = json.loads(validate(str(root), "--format", "json", "--jobs", "2").stdout)
    assert parallel == doc


# ------------------------------------------------------------------ as a property


def _outcome(i: int, unit: str | None, rules: list[tuple[str, str]]) -> Outcome:
    if unit is None:
        return Outcome(f"f{i}.yaml")
    vs = [Violation(rule, sev, "check", Text("m", "m"), None)  # type: ignore[arg-type]
          for rule, sev in rules]
    return Outcome(f"f{i}.yaml", CaseResult(f"f{i}.yaml", f"id{i % 5}", "p", (), None, {}, {},
                                            vs, unit=unit))


files = st.lists(st.tuples(st.sampled_from([None, "甲", "乙", "丙"]), st.lists(st.tuples(
    st.sampled_from(["R-1", "R-2", "R-3"]), st.sampled_from(["error", "warning", "info"])),
    max_size=4)), max_size=20)


@given(files)
def test_the_counters_add_up_whatever_the_files(data: list[Any]) -> None:
    s = Summary()
    for i, (unit, rules) in enumerate(data):
        s.add(_outcome(i, unit, rules))
    out = s.as_dict()
    assert sum(u["files"] for u in out["by_unit"]) == len(data)
    known = [(u, r) for u, r in data if u is not None]
    assert sum(r["count"] for r in out["by_rule"]) == sum(len(r) for _, r in known)
    for r in out["by_rule"]:
        holders = [(u, rs) for u, rs in known if any(x == r["rule"] for x, _ in rs)]
        assert r["files"] == len(holders) and r["units"] == len({u for u, _ in holders})
    # Each id seen more than once is listed once, with every file that has it.
    ids = Counter(f"id{i % 5}" for i, (u, _) in enumerate(data) if u is not None)
    assert {d["id"]: len(d["files"]) for d in out["duplicate_ids"]} == {
        k: n for k, n in ids.items() if n > 1}


@given(st.lists(st.tuples(st.text(max_size=6), st.text("ab/\\é.", min_size=1, max_size=8)),
                max_size=3000))
def test_first_seen_is_a_dict_of_first_files(pairs: list[tuple[str, str]]) -> None:
    from selection_rules.report.summary import FirstSeen

    table, plain = FirstSeen(), {}
    for key, path in pairs:
        assert table.first(key, path) == plain.get(key)
        plain.setdefault(key, path)


def test_first_seen_grows_and_tells_ids_apart() -> None:
    from selection_rules.report.summary import FirstSeen

    table = FirstSeen()
    for i in range(5000):  # past several doublings of the table
        assert table.first(f"PS-{i}", f"f{i}.yaml") is None
    assert table.first("PS-4999", "again.yaml") == "f4999.yaml"
    assert table.first("PS-0", "again.yaml") == "f0.yaml"
    assert table.first("PS-5000", "new.yaml") is None
    # A file name that is not UTF-8 comes back as it went in.
    assert table.first("x", "a\udcff.yaml") is None and table.first("x", "b") == "a\udcff.yaml"
