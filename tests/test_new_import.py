"""`new` (a blank case: YAML, workbook or CSV) and `import` (a workbook or CSV to YAML)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import EXAMPLES, shipped_procedures
from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import load_procedure
from selection_rules.workbook.layout import TABLES

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    from selection_rules.cli import app

    return runner.invoke(app, list(args))


def _steps(procedure: str) -> list[str]:
    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import load_procedure

    return [s.event for s in load_procedure(procedure, Library()).spec.steps]


# ------------------------------------------------------------------------ new (YAML)


@pytest.mark.parametrize("procedure", shipped_procedures())
def test_a_blank_case_is_incomplete_not_unreadable(procedure: str, tmp_path: Path) -> None:
    blank = tmp_path / "blank.yaml"
    made = run("new", procedure, "-o", str(blank))
    assert made.exit_code == 0, made.output
    result = run("validate", "--format", "json", str(blank))
    [entry] = json.loads(result.output)["files"]
    assert entry["status"] == "violations", entry
    kinds = {v["kind"] for v in entry["violations"]}
    assert "incomplete" in kinds and kinds <= {"incomplete", "missing_data", "check"}
    # Every step of the procedure is written out, in order, as a commented block.
    text = blank.read_text(encoding="utf-8")
    at = [text.index(f"#  - type: {step}\n") for step in _steps(procedure)]
    assert at == sorted(at)


def test_a_blank_case_lists_the_fields_and_values_in_both_languages() -> None:
    result = run("new", "pengshan-five-votes")
    assert result.exit_code == 0
    text = result.output
    assert "secret 无记名 / signed 署名 / open 公开" in text
    assert "vacancy 出缺 / adjustment 调整" in text
    assert "#      tallies: {}" in text and "#      valid:" in text
    assert "第五票：全委会差额表决票 / Vote 5: plenary competitive vote" in text
    data = yaml.safe_load(text)
    assert data["procedure"] == "pengshan-five-votes" and data["events"] == []


def test_a_filled_in_blank_reads_as_a_case(tmp_path: Path) -> None:
    """Uncommenting a step's block as the header says gives valid YAML for that step."""
    text = run("new", "pengshan-five-votes").output
    lines = text.splitlines()
    start = lines.index("#  - type: motion")
    block = []
    for line in lines[start:]:
        if not line.startswith("#  ") and not line.startswith("#    "):
            break
        block.append(line[2:].split(" # ")[0].rstrip())
    data = yaml.safe_load("\n".join(["events:", *block]))
    assert data["events"][0]["type"] == "motion" and "date" in data["events"][0]


def test_new_refuses_what_it_cannot_write(tmp_path: Path) -> None:
    assert run("new", "no-such-procedure").exit_code == 2
    assert run("new", "roster-tongchuan").exit_code == 2  # a rule set for records
    assert run("new", "pengshan-five-votes", "--xlsx").exit_code == 2  # binary to a terminal
    target = tmp_path / "case.yaml"
    target.write_text("keep me", encoding="utf-8")
    again = run("new", "pengshan-five-votes", "-o", str(target))
    assert again.exit_code == 2 and target.read_text(encoding="utf-8") == "keep me"
    assert run("new", "pengshan-five-votes", "-o", str(target), "--force").exit_code == 0
    first, second = target.read_text(encoding="utf-8").splitlines()[:2]
    assert first.startswith("# yaml-language-server: $schema=") and first.endswith(
        "case.schema.json") and second.startswith("# 空白案卷")


# ---------------------------------------------------------------------- new --xlsx


def test_the_workbook_template_read_back_cell_by_cell(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    target = tmp_path / "case.xlsx"
    result = run("new", "zigong-open-selection", "--xlsx", "-o", str(target))
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == ["说明", *(t.sheet for t in TABLES)]
    sheets = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
              for name in book.sheet_names}
    for table in TABLES[1:]:  # 基本信息 is a list of fields, tested below
        header = [c.zh for c in table.columns]
        if table.key is not None:
            header.insert(1, table.key.zh)
        assert sheets[table.sheet][0][:len(header)] == header, table.sheet
    assert sheets["基本信息"][1:] == [
        ["案卷编号", ""], ["程序", "zigong-open-selection"], ["附加规则集", ""],
        ["选任单位", ""], ["决定日期", ""], ["纪实截止日期", ""]]
    # The steps by their Chinese names, which the reader takes as the steps' codes.
    proc = load_procedure("zigong-open-selection", Library())
    assert [row[:2] for row in sheets["各环节"][1:]] == [
        [float(n), step.label.text().zh] for n, step in enumerate(proc.spec.steps, 1)]
    assert "属性:township_experience" in sheets["人选"][0]
    guide = [row[0] for row in sheets["说明"]]
    assert any("secret 无记名" in line for line in guide)
    assert any(line.startswith("8. 市委常委会差额票决") for line in guide)


def test_validating_the_template_names_the_cells_to_fill(tmp_path: Path) -> None:
    target = tmp_path / "case.xlsx"
    assert run("new", "pengshan-five-votes", "-o", str(target)).exit_code == 0
    result = run("validate", "--lang", "en", str(target))
    assert result.exit_code == 2
    assert f"{target}!基本信息!B2: required field `case` is missing" in result.output
    assert f"{target}!职位!A2" in result.output


def test_a_filled_template_is_a_case(tmp_path: Path) -> None:
    """The template's rows filled in as a clerk would: the steps listed in it that have
    a date become the case's events; the others are still to come."""
    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import load_procedure
    from selection_rules.workbook.template import template
    from selection_rules.workbook.write import xlsx_bytes

    grid, choices, guide = template(load_procedure("pengshan-five-votes", Library()))
    grid["基本信息"][1][1] = "PS-T-1"
    grid["基本信息"][4][1] = "中共彭山县委员会"
    grid["职位"].append(["P1", "县交通运输局局长", "county_department_head", "vacancy"])
    grid["人选"].append(["C01", "李明"])
    grid["各环节"][1] += [dt.date(2024, 1, 15), None, None, None, "C01"]
    grid["投票"].append([1, "secret", 160, 152, 152, 152, 150, 2])
    target = tmp_path / "filled.xlsx"
    target.write_bytes(xlsx_bytes(grid, choices, guide))
    result = run("validate", "--format", "json", str(target))
    [entry] = json.loads(result.output)["files"]
    assert entry["status"] == "violations" and entry["case"] == "PS-T-1"
    assert entry["summary"]["stages_reached"]["P1"][:2] == ["start", "reserve_pool"]
    assert {v["kind"] for v in entry["violations"]} == {"incomplete"}


# ---------------------------------------------------------------------------- import


def test_import_writes_yaml_that_says_the_same(tmp_path: Path) -> None:
    source = EXAMPLES / "workbooks" / "zigong" / "zg4-tie-unstated.xlsx"
    target = tmp_path / "case.yaml"
    result = run("import", str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    as_yaml = json.loads(run("validate", "--format", "json", str(target)).output)
    original = json.loads(run("validate", "--format", "json",
                              str(EXAMPLES / "zigong" / "zg4-tie-unstated.yaml")).output)

    def said(doc: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return [(v["rule"], v["message"]["en"]) for v in doc["files"][0]["violations"]]

    assert said(as_yaml) == said(original) and said(original)
    assert run("import", str(source), "-o", str(target)).exit_code == 2  # exists
    assert run("import", str(source), "-o", str(target), "--force").exit_code == 0


def test_import_of_a_csv_to_standard_output(tmp_path: Path) -> None:
    from selection_rules.source.loading import load_document
    from selection_rules.workbook.write import csv_text, to_grid

    case = tmp_path / "case.csv"
    data = load_document(EXAMPLES / "pengshan" / "clean.yaml").data
    case.write_bytes(csv_text(to_grid(data)).encode("gb18030"))
    result = run("import", str(case), "--encoding", "gb18030")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.output)["unit"] == "中共彭山县委员会"


def test_import_refuses_with_located_problems(tmp_path: Path) -> None:
    from selection_rules.source.loading import load_document
    from selection_rules.workbook.write import to_grid, xlsx_bytes

    grid = to_grid(load_document(EXAMPLES / "pengshan" / "clean.yaml").data)
    grid["票数统计"][1][2] = -3
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx_bytes(grid))
    target = tmp_path / "out.yaml"
    result = run("import", str(bad), "-o", str(target), "--lang", "en")
    assert result.exit_code == 2 and f"{bad}!票数统计!C2" in result.output
    assert not target.exists()
    odd = tmp_path / "case.txt"
    odd.write_text("x", encoding="utf-8")
    assert run("import", str(odd)).exit_code == 2


def test_import_dispatches_on_the_suffix() -> None:
    from selection_rules.cli.importing import READERS

    assert set(READERS) >= {".xlsx", ".xls", ".csv"}
    assert all(callable(reader) for reader in READERS.values())


def test_allowed_values_come_from_the_models() -> None:
    from selection_rules.authoring.allowed_values import allowed_values
    from selection_rules.model.vocabulary import BALLOT_KIND

    found = allowed_values()
    kinds = found["events.ballot.kind"]
    # From the vocabulary the field is read through: its codes and their names.
    assert kinds.closed and [(a.value, a.zh) for a in kinds.values] == [
        (t.code, t.zh) for t in BALLOT_KIND.terms]
    assert [a.zh for a in kinds.values] == ["无记名", "署名", "公开表决"]
    ranks = found["candidates.facts.career.rank"]
    assert ranks.closed and ("deputy_section", "副科级") in [(a.value, a.zh)
                                                            for a in ranks.values]
    # Closed: a procedure declares a body of its own under `terms:`.
    assert found["events.meeting.body"].closed
    assert not found["events.documents.kind"].closed  # free text with some known values
    assert ("plenary", "全委会") in [(a.value, a.zh) for a in found["events.meeting.body"].values]


def test_a_csv_template_reads_as_the_workbook_does(tmp_path: Path) -> None:
    target = tmp_path / "case.csv"
    assert run("new", "pengshan-five-votes", "-o", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("[基本信息]\n项目,内容\n") and "\n[各环节]\n" in text
    result = run("validate", "--lang", "en", str(target))
    # A CSV's places are its lines: the blank case id is on line 3.
    assert result.exit_code == 2 and f"{target}:3:2: required field `case`" in result.output


def test_a_blank_case_with_rule_sets_lists_what_they_read(tmp_path: Path) -> None:
    plain = run("new", "cn-standard").output
    result = run("new", "cn-standard", "--rule-set", "qingshui-gates")
    assert result.exit_code == 0, result.output
    assert "rule_sets: [qingshui-gates]" in result.output
    # qingshui-gates reads the kinds of people interviewed (QS-4); cn-standard alone does not.
    assert "interviewee_kinds" in result.output and "interviewee_kinds" not in plain
    blank = tmp_path / "case.yaml"
    blank.write_text(result.output, encoding="utf-8")
    [entry] = json.loads(run("validate", "--format", "json", str(blank)).output)["files"]
    assert entry["status"] == "violations" and entry["rule_sets"] == ["qingshui-gates"]
    book = tmp_path / "case.xlsx"
    assert run("new", "cn-standard", "--rule-set", "qingshui-gates", "-o", str(book)
               ).exit_code == 0
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("基本信息").to_python()
    assert ["附加规则集", "qingshui-gates"] in sheet
