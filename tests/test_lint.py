"""`selection-rules lint`: each finding kind on a deliberately broken file, at its line."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from selection_rules.cli import app
from selection_rules.i18n import Text
from selection_rules.lint.bounds import Bound, System, solve
from selection_rules.lint.findings import KINDS
from selection_rules.lint.run import lint_paths

BROKEN = ROOT / "tests" / "lint"
MARKER = re.compile(r"# <- (L\d{3})\b")


def _markers(path: Path) -> set[tuple[str, int]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {(m.group(1), n) for n, line in enumerate(lines, 1) for m in MARKER.finditer(line)}


@pytest.mark.parametrize("name", sorted(p.name for p in BROKEN.glob("*.yaml")))
def test_broken_file_yields_exactly_its_marked_findings(name: str) -> None:
    path = BROKEN / name
    report = lint_paths([str(path)])
    assert report.problems == []
    got = {(f.kind, f.line) for f in report.findings if Path(f.file).name == name}
    assert got == _markers(path), [f.message.en for f in report.findings]
    for f in report.findings:
        assert f.message.zh and f.message.en and f.hint.zh and f.hint.en


def test_every_finding_kind_is_demonstrated() -> None:
    shown = {kind for p in BROKEN.glob("*.yaml") for kind, _ in _markers(p)}
    assert shown == set(KINDS)


def test_shipped_library_lints_clean() -> None:
    report = lint_paths([str(ROOT / "rules")])
    assert report.problems == []
    assert [f"{f.location()} {f.kind} {f.message.en}" for f in report.findings
            if f.severity == "error"] == []


def test_authoring_example_proves_its_properties() -> None:
    report = lint_paths([str(ROOT / "examples" / "authoring" / "rules")])
    assert report.findings == []
    assert sorted(p.property for p in report.proofs) == [
        "no-decision-before-inspection", "publicity-before-appointment", "two-posts-at-once"]


def test_counterexample_is_the_path_that_skips_the_gate() -> None:
    report = lint_paths([str(BROKEN / "l301-property-refuted.yaml")])
    [refuted] = [f for f in report.findings if f.kind == "L301"]
    assert refuted.path == ["vote", "urgent_appointment"]
    assert "start --vote (Vote)--> decided --urgent_appointment" in refuted.message.en
    # The other property of the file holds despite the shortcut, and is reported proved.
    assert [p.property for p in report.proofs] == ["vote-before-appointment"]


def test_bounds_explain_the_contradiction() -> None:
    report = lint_paths([str(BROKEN / "l401-pool-three-posts.yaml")])
    [found] = report.findings
    assert "with 3 post(s)" in found.message.en
    assert "at least 9 but at most 7" in found.message.en
    assert "pool_size = 5~7" in found.message.en and "= 9" in found.message.en
    # Two posts need 6 nominees out of at most 7: that claim is proved.
    assert [p.property for p in report.proofs] == ["two-posts"]
    shortlist = lint_paths([str(BROKEN / "l401-shortlist-two-posts.yaml")]).findings[0]
    assert "at least 4 but at most 3" in shortlist.message.en


def test_strict_bounds_in_a_cycle_contradict() -> None:
    why = Text("x", "x")
    cycle = System([Bound(("a", "n"), ("b", "n"), 1, True, why, None),
                    Bound(("b", "n"), ("a", "n"), 1, True, why, None)])
    assert solve(cycle) is not None
    chain = System([Bound(("a", "n"), ("b", "n"), 1, True, why, None),
                    Bound(("b", "n"), None, 3, False, why, None),
                    Bound(("a", "n"), None, 4, False, why, None)])
    assert solve(chain) is None  # b <= 3, a = b + 1 <= 4: both can hold


def test_a_rule_set_is_linted_inside_the_procedures_that_extend_it(tmp_path: Path) -> None:
    for name in ("cn-baseline.yaml", "pengshan-five-votes.yaml"):
        shutil.copy(ROOT / "rules" / name, tmp_path / name)
    baseline = tmp_path / "cn-baseline.yaml"
    text = baseline.read_text(encoding="utf-8")
    baseline.write_text(text.replace('value: "2/3"', 'value: "1/3"', 1), encoding="utf-8")
    report = lint_paths([str(baseline)])
    kinds = {(f.kind, Path(f.file).name) for f in report.findings}
    assert ("L403", "cn-baseline.yaml") in kinds
    line = next(n for n, t in enumerate(text.splitlines(), 1) if 'value: "2/3"' in t)
    assert [f.line for f in report.findings if f.kind == "L403"] == [line]


runner = CliRunner()


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    broken = str(BROKEN / "l201-unreachable-stage.yaml")
    result = runner.invoke(app, ["lint", broken, "--lang", "en"])
    assert result.exit_code == 1
    assert "l201-unreachable-stage.yaml:11 L201 unreachable-stage" in result.output
    assert "fix: add a step into the stage" in result.output
    data = json.loads(runner.invoke(app, ["lint", broken, "--format", "json"]).output)
    assert [(f["id"], f["line"]) for f in data["findings"]] == [("L201", 11)]
    assert data["findings"][0]["message"]["zh"]
    clean = runner.invoke(app, ["lint", str(ROOT / "examples" / "authoring" / "rules")])
    assert clean.exit_code == 0
    unreadable = tmp_path / "broken.yaml"
    unreadable.write_text("id: [unclosed\n", encoding="utf-8")
    assert runner.invoke(app, ["lint", str(unreadable)]).exit_code == 2


def test_warnings_fail_only_with_strict() -> None:
    warning_only = str(BROKEN / "l404-majority-below-half.yaml")
    assert runner.invoke(app, ["lint", warning_only]).exit_code == 0
    assert runner.invoke(app, ["lint", warning_only, "--strict"]).exit_code == 1


def test_lint_parses_each_expression_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lint reads the syntax trees the loader compiled; it parses no expression again."""
    from selection_rules.engine.library import Library
    from selection_rules.engine.procedure import load_procedure

    path = ROOT / "rules" / "zigong-open-selection.yaml"
    proc = load_procedure(path.stem, Library([path.parent]))
    parts = ("each", "when", "subject", "value", "of", "bound", "require", "actual")
    compiled = [rule.when for rule in proc.rules.values()] + [
        getattr(check, part) for rule in proc.rules.values() for check in rule.checks
        for part in parts]
    trees = [c for c in compiled if c is not None and c.tree is not None]
    assert trees

    calls: list[str] = []
    parse = ast.parse

    def counted(source: str, *args: Any, **kwargs: Any) -> ast.AST:
        calls.append(source)
        return parse(source, *args, **kwargs)

    from selection_rules.engine import pipeline

    pipeline.forget()  # compiled by an earlier test, it would be parsed no more at all
    monkeypatch.setattr(ast, "parse", counted)
    report = lint_paths([str(path)])
    assert report.problems == []
    assert len(calls) == len(trees)


# The files the loader refuses (the others load, and lint finds their problems itself),
# with the finding each problem carries: its own, or L100 for a citation the schema wants.
_LOADER_REFUSES = {p.name: p.name[:4].upper() for p in BROKEN.glob("l1*.yaml")
                   if p.name != "l111-unknown-in-property.yaml"} | {
    "l503-rule-without-citation.yaml": "L100", "l504-parameter-without-citation.yaml": "L100"}


@pytest.mark.parametrize("name", sorted(_LOADER_REFUSES))
def test_the_loader_names_the_finding_of_each_problem(name: str) -> None:
    """Lint takes a loader problem's finding ID from the problem, given where it is found."""
    from selection_rules.engine.library import Library
    from selection_rules.engine.procedure import load_procedure
    from selection_rules.errors import InputError

    path = BROKEN / name
    with pytest.raises(InputError) as exc:
        load_procedure(path.stem, Library([path.parent, ROOT / "rules"]))
    for p in exc.value.problems:
        assert p.code == _LOADER_REFUSES[name], (p.code, p.field, p.message.en)
        assert p.code in KINDS
        assert "code" not in p.as_dict()  # not part of any output


def test_every_code_the_loader_gives_a_problem_is_a_lint_finding() -> None:
    from selection_rules.engine import problem_codes
    from selection_rules.lint.findings import KINDS

    codes = {name: value for name, value in vars(problem_codes).items() if name.isupper()}
    assert len(codes) == 10
    assert set(codes.values()) <= set(KINDS)
