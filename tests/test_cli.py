"""The command line through typer's runner: exit codes, formats, languages."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from selection_rules.cli import app

runner = CliRunner()
PENGSHAN = EXAMPLES / "pengshan"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_clean_case_exits_0() -> None:
    result = run("validate", str(PENGSHAN / "clean.yaml"))
    assert result.exit_code == 0, result.output
    assert "✓" in result.output


def test_violations_exit_1_and_show_figures_location_citation() -> None:
    result = run("validate", str(PENGSHAN / "ps7-below-80.yaml"))
    assert result.exit_code == 1
    assert "C03 民主推荐票 319/399 (79.95%) 不足 80%（基数：有效票）" in result.output
    assert "ps7-below-80.yaml:" in result.output
    # A Chinese report quotes the Traditional seed in Simplified characters.
    assert "“民主推荐票不足80%的不作为考察对象”" in result.output
    assert "\x1b[" not in result.output  # no colour when not a terminal


def test_original_quotes_on_request_and_in_english() -> None:
    original = run("validate", "--original-quotes", str(PENGSHAN / "ps7-below-80.yaml"))
    assert "“民主推薦票不足80%的不作為考察對象”" in original.output
    assert "依据：" in original.output
    english = run("validate", "--lang", "en", str(PENGSHAN / "ps7-below-80.yaml"))
    assert "“民主推薦票不足80%的不作為考察對象”" in english.output


def test_english_output() -> None:
    result = run("validate", "--lang", "en", str(PENGSHAN / "ps7-below-80.yaml"))
    assert "C03 recommendation votes 319/399 (79.95%) below 80% (base: valid ballots)" \
        in result.output


def test_json_output_is_stable_and_complete() -> None:
    result = run("validate", "--format", "json", str(PENGSHAN / "ps7-below-80.yaml"),
                 str(PENGSHAN / "clean.yaml"))
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["format"] == "selection-rules/validate" and doc["version"] == 1
    first, second = doc["files"]
    assert first["status"] == "violations" and second["status"] == "clean"
    [v] = first["violations"]
    assert v["rule"] == "PS-7" and v["severity"] == "error" and v["kind"] == "check"
    assert v["stage"]["id"] == "inspected" and v["stage"]["zh"] == "差额考察完成"
    assert v["location"]["line"] > 0 and v["location"]["path"].startswith("events[4]")
    assert v["citation"] == {"seed": "000_1d6b22ca1a2a0151.txt",
                             "quote": "民主推薦票不足80%的不作為考察對象"}
    assert v["figures"]["value"] == 319 and v["figures"]["base"] == 399
    assert doc["totals"] == {"files": 2, "clean": 1, "with_violations": 1, "errors": 0,
                             "violations": {"error": 1, "warning": 0, "info": 0}}


def test_directory_and_glob() -> None:
    by_dir = json.loads(run("validate", "-f", "json", str(PENGSHAN)).output)
    by_glob = json.loads(run("validate", "-f", "json", str(PENGSHAN / "ps*.yaml")).output)
    assert by_dir["totals"]["files"] == len(list(PENGSHAN.glob("*.yaml")))
    assert by_glob["totals"]["files"] == len(list(PENGSHAN.glob("ps*.yaml")))


def test_missing_path_is_bad_input() -> None:
    result = run("validate", "no/such/file.yaml")
    assert result.exit_code == 2


def test_usage_error_exits_2() -> None:
    assert run("validate", "--format", "xml", str(PENGSHAN / "clean.yaml")).exit_code == 2
    assert run("nonsense").exit_code == 2


def test_fail_on_error_ignores_warnings() -> None:
    assert run("validate", "--fail-on", "error", str(PENGSHAN / "clean.yaml")).exit_code == 0


def test_rules_list_json_has_every_ps_and_cn_rule() -> None:
    result = run("rules", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    rules = {r["id"]: r for r in json.loads(result.output)}
    expected = {f"PS-{i}" for i in range(1, 11)} | {f"CN-{i}" for i in range(1, 5)}
    assert expected <= set(rules)
    assert rules["PS-7"]["quote"] == "民主推薦票不足80%的不作為考察對象"
    assert rules["PS-7"]["procedures"] == ["pengshan-five-votes"]
    assert rules["CN-3"]["citations"][0]["from"] == "2019-03-03"
    assert rules["PS-7"]["title"]["zh"] and rules["PS-7"]["title"]["en"]


def test_rules_list_text() -> None:
    result = run("rules", "list")
    assert result.exit_code == 0 and "PS-7" in result.output


def test_rules_show() -> None:
    result = run("rules", "show", "ps-7", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "recommendation_threshold" in result.output and "80%" in result.output
    assert "less than" not in result.output and "at least" in result.output
    assert run("rules", "show", "XX-1").exit_code == 2


def test_schema_writes_both(tmp_path: Path) -> None:
    result = run("schema", "--out", str(tmp_path))
    assert result.exit_code == 0
    case_schema = json.loads((tmp_path / "case.schema.json").read_text(encoding="utf-8"))
    proc_schema = json.loads((tmp_path / "procedure.schema.json").read_text(encoding="utf-8"))
    assert "events" in case_schema["properties"]
    assert "rules" in proc_schema["properties"]


def test_shipped_schemas_are_current(tmp_path: Path) -> None:
    run("schema", "--out", str(tmp_path))
    for name in ("case.schema.json", "procedure.schema.json"):
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == \
            (tmp_path / name).read_text(encoding="utf-8"), \
            f"run: selection-rules schema --out schemas --force ({name})"


def test_a_missing_rules_folder_is_a_usage_error() -> None:
    result = run("validate", "--rules", "/no/such/folder", str(PENGSHAN / "clean.yaml"))
    assert result.exit_code == 2
    assert "/no/such/folder" in result.output


def test_an_internal_defect_exits_2_without_a_traceback(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import sys

    import pytest

    from selection_rules import cli
    from selection_rules.engine.pipeline import Pipeline

    def broken(self, paths):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(Pipeline, "plan", broken)
    monkeypatch.delenv("SELECTION_RULES_DEBUG", raising=False)
    monkeypatch.setattr(sys, "argv", ["selection-rules", "validate", str(PENGSHAN / "clean.yaml")])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "内部错误" in err and "internal error" in err and "boom" in err
    assert "Traceback" not in err


def test_a_folder_passes_over_the_tools_other_files(tmp_path: Path) -> None:
    import shutil

    shutil.copy(PENGSHAN / "ps7-below-80.yaml", tmp_path / "case.yaml")
    shutil.copy(ROOT / "examples" / "simulate" / "five-votes.yaml", tmp_path / "script.yaml")
    shutil.copy(ROOT / "tests" / "rules" / "test_cn-baseline.yaml", tmp_path / "tests.yaml")
    shutil.copy(ROOT / "rules" / "cn-baseline.yaml", tmp_path / "rules.yaml")
    (tmp_path / "2031.yaml").write_text(
        "source: 通知\nyears: [2031]\nholidays: [2031-01-01]\n", encoding="utf-8")
    doc = json.loads(run("validate", "-f", "json", str(tmp_path)).output)
    assert [f["file"] for f in doc["files"]] == [str(tmp_path / "case.yaml")]
    # Named on the command line, such a file is validated, and says it is no case file.
    named = run("validate", str(tmp_path / "script.yaml"))
    assert named.exit_code == 2


def test_a_terminal_gets_colour_and_the_same_words() -> None:
    import io
    import re

    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import Pipeline
    from selection_rules.lang.workdays import WorkCalendar
    from selection_rules.report import text as report_text

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    outcome = Pipeline(Library(), WorkCalendar()).check_file(PENGSHAN / "ps7-below-80.yaml")
    assert outcome is not None
    outcomes = [outcome]
    plain, tty = io.StringIO(), Terminal()
    report_text.render(outcomes, "zh", plain)
    report_text.render(outcomes, "zh", tty)
    assert "\x1b[" not in plain.getvalue()
    assert "\x1b[1;31m" in tty.getvalue()  # the error's rule ID in bold red
    assert re.sub(r"\x1b\[[0-9;]*m", "", tty.getvalue()) == plain.getvalue()


def test_markup_like_text_in_a_case_is_printed_as_written(tmp_path: Path) -> None:
    # Brackets and emoji codes in a file name must not be read as rich markup.
    case = tmp_path / "[bold]x:smile:.yaml"
    case.write_text((PENGSHAN / "ps7-below-80.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = run("validate", str(case))
    assert "[bold]x:smile:.yaml:" in result.output
