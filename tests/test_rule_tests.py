"""YAML rule tests: the runner, its diffs, `selection-rules test`, coverage, the plugin."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from selection_rules.authoring.coverage import Coverage, RuleCoverage, parse_min
from selection_rules.authoring.rule_tests import (
    Change,
    Expectation,
    apply_changes,
    load_tests,
    match,
)
from selection_rules.cli import app
from selection_rules.engine.violations import Violation
from selection_rules.errors import InputError
from selection_rules.source.loading import load_document

CLEAN = EXAMPLES / "pengshan" / "clean.yaml"
AUTHORING = EXAMPLES / "authoring"
runner = CliRunner()
pytest_plugins = ["pytester"]


def test_changes_apply_in_memory_and_keep_lines() -> None:
    before = CLEAN.read_bytes()
    base = load_document(CLEAN)
    changed = apply_changes(base, [Change("events[3].ballot.tallies.C03.agree", 95, 7)], "t.yaml")
    assert changed.data["events"][3]["ballot"]["tallies"]["C03"]["agree"] == 95
    assert base.data["events"][3]["ballot"]["tallies"]["C03"]["agree"] == 96
    assert changed.line_of(("events", 3, "ballot")) == base.line_of(("events", 3, "ballot"))
    assert CLEAN.read_bytes() == before


def test_a_change_whose_path_does_not_exist_is_located_in_the_test_file() -> None:
    base = load_document(CLEAN)
    with pytest.raises(InputError) as err:
        apply_changes(base, [Change("events[3].ballt.valid", 1, 12),
                             Change("events[42].date", 1, 13)], "tests/rules/test_x.yaml")
    first, second = err.value.problems
    assert (first.file, first.line) == ("tests/rules/test_x.yaml", 12)
    assert "events[3] has no 'ballt'" in first.message.en
    assert second.line == 13 and "no [42]" in second.message.en


def _v(rule: str, kind: str = "check", **figures: object) -> Violation:
    from selection_rules.i18n import Text

    return Violation(rule, "error", kind, Text("m", "m"), None, figures=dict(figures))  # type: ignore[arg-type]


def test_expectations_are_a_multiset_matched_whatever_the_order() -> None:
    got = [_v("PS-4", value=8), _v("PS-4")]
    assert match([Expectation("PS-4"), Expectation("PS-4", "check", {"value": 8})], got) == ([], [])
    missing, extra = match([Expectation("PS-4")], got)
    assert missing == [] and len(extra) == 1
    missing, extra = match([Expectation("PS-7", figures={"value": 318})], [_v("PS-7", value=319)])
    assert [e.rule for e in missing] == ["PS-7"] and [v.rule_id for v in extra] == ["PS-7"]
    # Figures compare exactly: "4/5" in a report is 0.8 written in a test.
    assert match([Expectation("X-1", figures={"value": Fraction(4, 5)})],
                 [_v("X-1", value="4/5")]) == ([], [])


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "test_case.yaml"
    path.write_text(body.replace("CLEAN", str(CLEAN)), encoding="utf-8")
    return path


def test_a_failure_shows_a_readable_diff(tmp_path: Path) -> None:
    path = _write(tmp_path, """tests:
  - name: wrong expectation
    base: CLEAN
    changes: {"events[3].ballot.tallies.C03.agree": 95}
    expect: [PS-8]
""")
    result = runner.invoke(app, ["test", str(path), "--lang", "en"])
    assert result.exit_code == 1
    out = result.output
    assert "FAIL" in out and "wrong expectation" in out
    assert "- PS-8    (expected, not found)" in out
    assert "+ PS-7 kind=check value=95 base=120" in out
    assert "C03 recommendation votes 95/120 (79.17%) below 80% (base: valid ballots)" in out
    assert "expected rules: PS-8" in out and "got rules:      PS-7" in out


def test_exit_codes(tmp_path: Path) -> None:
    passing = _write(tmp_path, "tests:\n  - {name: clean, case: CLEAN, expect: []}\n")
    assert runner.invoke(app, ["test", str(passing)]).exit_code == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    none = runner.invoke(app, ["test", str(empty), "--lang", "en"])
    assert none.exit_code == 1 and "no test found" in none.output
    bad = tmp_path / "test_bad.yaml"
    bad.write_text("tests:\n  - name: x\n    case: nowhere.yaml\n    expect: []\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["test", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    assert f"{bad}:3" in result.output and "case file nowhere.yaml not found" in result.output


def test_shipped_rule_tests_pass() -> None:
    paths = [str(ROOT / "tests" / "rules" / n)
             for n in ("test_pengshan-five-votes.yaml", "test_cn-baseline.yaml")]
    result = runner.invoke(app, ["test", *paths, "--lang", "en"])
    assert result.exit_code == 0, result.output
    count = sum(len(load_tests(Path(p))) for p in paths)
    assert count >= 30 and f"{count} passed, 0 failed" in result.output


def test_coverage_of_the_authoring_example_is_exactly_100(tmp_path: Path) -> None:
    args = ["test", str(AUTHORING / "tests"), "--rules", str(AUTHORING / "rules"),
            "--coverage", "--min", "100", "--lang", "en"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "coverage 100% (8/8), required ≥ 100%: met" in result.output
    # The clean case alone shows every rule silent and none firing: 4 of 8 directions.
    only_clean = tmp_path / "test_clean_only.yaml"
    only_clean.write_text("tests:\n  - {name: clean, case: %s, expect: []}\n"
                          % (AUTHORING / "cases" / "clean.yaml"), encoding="utf-8")
    low = runner.invoke(app, [*args[:1], str(only_clean), *args[2:]])
    assert low.exit_code == 1
    assert "coverage 50% (4/8), required ≥ 100%: NOT met" in low.output


def test_coverage_is_compared_exactly() -> None:
    rules = {f"R-{i}": RuleCoverage(f"R-{i}", "f", ["t"], ["t"]) for i in range(5000)}
    rules["R-0"].silent_in.clear()
    cov = Coverage(rules)
    assert cov.percent == Fraction(9999, 100)
    assert cov.percent < parse_min("100")
    assert cov.percent >= parse_min("99.99%")
    with pytest.raises(ValueError):
        parse_min("101")


def test_pytest_collects_yaml_rule_tests(pytester: pytest.Pytester) -> None:
    from selection_rules.authoring.rule_tests import is_test_file

    shipped = sorted(p.name for p in (ROOT / "tests" / "rules").iterdir() if is_test_file(p))
    assert {"test_pengshan-five-votes.yaml", "test_cn-baseline.yaml"} <= set(shipped)
    assert not is_test_file(ROOT / "tests" / "lint" / "l100-schema.yaml")
    failing = pytester.path / "test_case.yaml"
    failing.write_text(f"tests:\n  - {{name: clean, case: {CLEAN}, expect: []}}\n"
                       f"  - {{name: clean but expects PS-7, case: {CLEAN}, expect: [PS-7]}}\n",
                       encoding="utf-8")
    (pytester.path / "notes.yaml").write_text("tests: [not collected: no test_ prefix]\n")
    run = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", "-p", "no:hypothesispytest")
    assert run.ret == 1
    run.assert_outcomes(passed=1, failed=1)
    out = run.stdout.str()
    assert "- PS-7    (expected, not found)" in out
    assert "test_case.yaml:3 clean but expects PS-7" in out


def test_discovery_passes_over_hidden_folders(tmp_path: Path) -> None:
    from selection_rules.authoring.rule_tests import discover

    test = "tests:\n  - name: x\n"
    for where in ("test_a.yaml", "sub/test_b.yaml", ".drafts/test_c.yaml", "sub/.x/test_d.yaml"):
        (tmp_path / where).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / where).write_text(test, encoding="utf-8")
    (tmp_path / "sub" / "test_e.yaml").write_text("rules: []\n", encoding="utf-8")
    found, problems = discover([str(tmp_path)])
    assert problems == []
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["sub/test_b.yaml",
                                                                  "test_a.yaml"]
