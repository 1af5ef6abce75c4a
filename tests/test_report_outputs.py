"""`validate -o FILE`: every format to a file, through Outputs (no replacing without --force,
never an input), and `-o -` as standard output."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from report_cases import PENGSHAN, validate
from selection_rules.errors import InputError
from selection_rules.report import destination

CASE = str(PENGSHAN / "ps7-below-80.yaml")


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "html", "xlsx", "sarif", "junit"])
def test_every_format_writes_a_file_and_refuses_to_replace_it(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    first = validate(CASE, "--format", fmt, "-o", str(out), "--diagrams", "0")
    assert first.exit_code == 1, first.output
    assert first.stdout == "" and out.stat().st_size > 0
    data = out.read_bytes()
    again = validate(CASE, "--format", fmt, "-o", str(out), "--lang", "en")
    assert again.exit_code == 2 and "already exists" in again.output
    assert out.read_bytes() == data
    forced = validate(CASE, "--format", fmt, "-o", str(out), "--force", "--diagrams", "0")
    assert forced.exit_code == 1
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left beside it


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif"])
def test_a_file_holds_what_standard_output_prints(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "r"
    validate(CASE, "--format", fmt, "-o", str(out))
    printed = validate(CASE, "--format", fmt, "-o", "-").stdout
    assert out.read_text(encoding="utf-8") == printed


def test_an_input_is_never_written_even_with_force(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    shutil.copy(CASE, case)
    before = case.read_bytes()
    for fmt in ("text", "html"):
        result = validate(str(tmp_path), "--format", fmt, "-o", str(case), "--force",
                          "--lang", "en")
        assert result.exit_code == 2
        assert "is an input file of this run" in result.output
        assert case.read_bytes() == before


def test_a_missing_folder_is_a_located_error(tmp_path: Path) -> None:
    result = validate(CASE, "--format", "json", "-o", str(tmp_path / "no" / "r.json"),
                      "--lang", "en")
    assert result.exit_code == 2
    assert "--output" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_a_workbook_is_refused_by_a_terminal_in_both_languages() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with pytest.raises(InputError) as caught:
        destination.check(None, force=False, binary=True, stream=Terminal(), inputs=())
    [problem] = caught.value.problems
    assert problem.file == "--output"
    assert "终端" in problem.message.zh and "terminal" in problem.message.en
    # A pipe or a file takes it; a text report may go to a terminal.
    assert destination.check("-", force=False, binary=True, stream=io.StringIO(),
                             inputs=()) is None
    assert destination.check(None, force=False, binary=False, stream=Terminal(),
                             inputs=()) is None


def test_a_workbook_goes_to_a_pipe(tmp_path: Path) -> None:
    result = validate(CASE, "--format", "xlsx")
    assert result.exit_code == 1 and result.stdout_bytes.startswith(b"PK")


def test_json_of_one_file_keeps_every_field_it_had(tmp_path: Path) -> None:
    doc = json.loads(validate(CASE, "--format", "json").stdout)
    assert list(doc) == ["format", "version", "files", "totals", "summary"]
    [entry] = doc["files"]
    assert list(entry) == ["file", "status", "kind", "case", "unit", "procedure", "rule_sets",
                           "decision_date", "summary", "violations"]
    assert entry["unit"] == "中共彭山县委员会"


@pytest.mark.parametrize("fmt", ["html", "xlsx", "sarif", "junit"])
def test_a_file_name_that_is_not_utf8_is_shown_not_a_crash(tmp_path: Path, fmt: str) -> None:
    import os

    folder = os.fsencode(tmp_path)
    name = folder + b"/case-\xff.yaml"
    with open(name, "wb") as fh:
        fh.write((PENGSHAN / "ps7-below-80.yaml").read_bytes())
    out = tmp_path / f"r.{fmt}"
    result = validate(str(tmp_path), "--format", fmt, "-o", str(out), "--diagrams", "0")
    assert result.exit_code == 1, result.output
    data = out.read_bytes()
    if fmt != "xlsx":
        from urllib.parse import unquote

        assert "case-\ufffd.yaml" in unquote(data.decode("utf-8"))


def test_reports_written_into_the_folder_are_passed_over_by_the_next_run(
        tmp_path: Path) -> None:
    """An inspection team writes its reports beside the cases and runs again: the next
    run reports the same cases, not the reports as broken case files. Named on the
    command line, a report is still told to be no case."""
    from selection_rules.report.xlsx import SHEETS
    from selection_rules.workbook.load import REPORT_SHEETS

    # The workbook's reader knows the report's sheets by the names the report gives them.
    assert {name for text in SHEETS.values() for name in (text.zh, text.en)} == REPORT_SHEETS
    folder = tmp_path / "cases"
    folder.mkdir()
    for case in sorted(PENGSHAN.glob("*.yaml"))[:3]:
        shutil.copy(case, folder)
    before = validate(str(folder), "--format", "json")
    for fmt, name, extra in [("json", "report.json", []), ("sarif", "report.sarif.json", []),
                             ("xlsx", "findings.xlsx", []), ("xlsx", "en.xlsx", ["--lang", "en"]),
                             ("html", "report.html", []), ("junit", "junit.xml", [])]:
        validate(str(folder), "--format", fmt, "-o", str(folder / name), *extra)
    after = validate(str(folder), "--format", "json")
    assert after.exit_code == before.exit_code == 1
    assert json.loads(after.output)["files"] == json.loads(before.output)["files"]
    for name in ("report.json", "findings.xlsx"):
        named = validate(str(folder / name), "--lang", "en")
        assert named.exit_code == 2 and "cannot tell what this file is" in named.output
