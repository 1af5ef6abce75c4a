"""simulate's final report is validate's for the case as it stands: the same violations,
`incomplete` included, at the same lines, and the same exit code — whatever the case and
however far it got."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.cli import app
from selection_rules.engine.library import Library
from selection_rules.errors import InputError
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.simulate.session import Session
from selection_rules.source.loading import load_document

CASES = sorted(p for folder in ("pengshan", "cn-standard", "hanzhong")
               for p in (EXAMPLES / folder).glob("*.yaml"))
runner = CliRunner()


def _cut(case: Path, keep: int, folder: Path) -> Path:
    """`case` with only its first `keep` events, as a file."""
    data = copy.deepcopy(load_document(case).data)
    data["events"] = data["events"][:keep]
    path = folder / f"cut-{keep}-{case.name}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _seen(violations):  # type: ignore[no-untyped-def]
    return sorted((v.rule_id, v.kind, v.message.en, v.line) for v in violations)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(CASES), st.integers(min_value=0, max_value=12))
def test_the_session_judges_as_validate_does(pipeline, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             case: Path, keep: int) -> None:
    path = _cut(case, keep, tmp_path)
    outcome = pipeline.check_file(path)
    try:
        session = Session.resume(load_document(path), Library(), WorkCalendar())
        got = session.result().violations
    except InputError as exc:
        assert outcome.result is None, [p.render("en") for p in exc.problems]
        return
    assert outcome.result is not None, outcome.problems
    assert _seen(got) == _seen(outcome.result.violations)


@pytest.mark.parametrize("keep", [0, 4])
def test_an_unfinished_case_is_reported_and_exits_as_validate(tmp_path: Path,
                                                              keep: int) -> None:
    path = _cut(EXAMPLES / "pengshan" / "clean.yaml", keep, tmp_path)
    checked = runner.invoke(app, ["validate", "--lang", "en", str(path)])
    simulated = runner.invoke(app, ["simulate", "--from", str(path), "--script", "-",
                                    "--lang", "en"], input="[status]")
    assert checked.exit_code == simulated.exit_code == 1
    assert "PS-1 error" in checked.output and "PS-1 error" in simulated.output
    assert "1 violation(s) in the case." in simulated.output
    assert "0 violation(s)" not in simulated.output
