"""Cases kept as workbooks and CSV: the same data and violations as YAML, every problem at
its sheet!cell (or CSV line), bounded and never a traceback on a hostile file."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.engine.validation import Outcome
from selection_rules.errors import InputError
from selection_rules.source.loading import load_document
from selection_rules.workbook.document import TableDocument, checked
from selection_rules.workbook.load import csv_grid, load_tables, workbook_grid
from selection_rules.workbook.read import Grid, cell_name, column_name, read_tables
from selection_rules.workbook.write import csv_text, to_grid, xlsx_bytes
from workbook_twins import main as twins_main
from workbook_twins import pairs

runner = CliRunner()
PS7 = EXAMPLES / "pengshan" / "ps7-below-80.yaml"


def run(*args: str):  # type: ignore[no-untyped-def]
    from selection_rules.cli import app

    return runner.invoke(app, list(args))


def _norm(x: Any) -> Any:
    """Data as the case model reads it: an empty list or mapping is the same as none."""
    if isinstance(x, dict):
        return {k: _norm(v) for k, v in x.items() if v not in ([], {}, None)}
    if isinstance(x, list):
        return [_norm(v) for v in x]
    return x


def _said(o: Outcome) -> list[tuple[str, str, str, str, str]]:
    assert o.result is not None, [p.render("en") for p in o.problems]
    return [(v.rule_id, v.severity, v.kind, v.message.zh, v.message.en)
            for v in o.result.violations]


def _write(path: Path, grid: Grid) -> Path:
    path.write_bytes(xlsx_bytes(grid))
    return path


# ------------------------------------------------------------------------ the twins


@pytest.mark.parametrize("yaml_path,xlsx_path", pairs(), ids=lambda p: p.stem)
def test_each_workbook_twin_says_what_its_yaml_says(pipeline, yaml_path: Path,
                                                    xlsx_path: Path) -> None:  # type: ignore[no-untyped-def]
    from_yaml = pipeline.check_file(yaml_path)
    from_xlsx = pipeline.check_file(xlsx_path)
    assert _said(from_xlsx) == _said(from_yaml)
    for v in from_xlsx.result.violations:
        # Located by cell, never by a line (a workbook has none).
        assert v.line is None and v.cell is not None and "!" in v.cell, v


def test_the_twins_hold_violations_and_cells_point_at_the_figures(pipeline) -> None:  # type: ignore[no-untyped-def]
    total = sum(len(_said(pipeline.check_file(x))) for _, x in pairs())
    assert total >= 30  # the twins are not all clean: the comparison above means something
    twin = EXAMPLES / "workbooks" / "pengshan" / "ps7-below-80.xlsx"
    [v] = pipeline.check_file(twin).result.violations
    # events[4].candidates[2]: the inspection's row in 各环节, its 考虑的人选 column.
    assert v.rule_id == "PS-7" and v.cell == "各环节!F6"


def test_the_shipped_twins_are_what_the_script_writes() -> None:
    assert twins_main(["--check"]) == 0


def test_every_example_reads_back_as_its_data_through_a_workbook_and_a_csv() -> None:
    count = 0
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        data = load_document(path).data
        if not isinstance(data, dict) or "events" not in data or "case" not in data:
            continue
        grid = to_grid(data)
        for form in (workbook_grid(xlsx_bytes(grid), "x.xlsx"), csv_grid(csv_text(grid),
                                                                         "x.csv")[0]):
            read = read_tables(form)
            assert read.problems == [], (path, read.problems[:2])
            assert _norm(read.data) == _norm(data), path
        count += 1
    assert count >= 75


def test_a_csv_twin_says_what_its_yaml_says_at_lines(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case = tmp_path / "ps7.csv"
    case.write_text(csv_text(to_grid(load_document(PS7).data)), encoding="utf-8")
    outcome = pipeline.check_file(case)
    assert _said(outcome) == _said(pipeline.check_file(PS7))
    [v] = outcome.result.violations
    line = case.read_text(encoding="utf-8").splitlines()[v.line - 1]
    assert line.startswith("5,inspection,") and v.cell is None


# ---------------------------------------------------------------------- cells read


def _grid(path: Path = PS7) -> Grid:
    return to_grid(load_document(path).data)


def _find(grid: Grid, sheet: str, first: object, header: str) -> tuple[int, int]:
    rows = grid[sheet]
    col = rows[0].index(header)
    row = next(i for i, r in enumerate(rows) if i and r[0] == first)
    return row, col


def test_votes_must_be_whole_numbers_and_the_cell_says_so(tmp_path: Path) -> None:
    grid = _grid()
    row, _ = _find(grid, "票数统计", 4, "同意")
    grid["票数统计"][row][2] = 96.5
    case = _write(tmp_path / "case.xlsx", grid)
    result = run("validate", "--lang", "en", str(case))
    assert result.exit_code == 2
    assert f"case.xlsx!票数统计!C{row + 1}: 96.5 is not a whole number" in result.output


def test_numbers_read_exactly(tmp_path: Path) -> None:
    grid = _grid(EXAMPLES / "zigong" / "clean.yaml")
    doc = load_tables(_write(tmp_path / "z.xlsx", grid))
    scores = next(e for e in doc.data["events"] if "scores" in e)["scores"]
    assert scores["C01"] == Fraction(177, 2) and scores["C02"] == 79
    assert isinstance(scores["C02"], int)


@pytest.mark.parametrize("cell", [45306, 45306.0, "2024-01-15", "2024/1/15", "2024.1.15",
                                  "2024年1月15日", "20240115",
                                  dt.datetime(2024, 1, 15)])
def test_dates_as_serials_and_as_text(tmp_path: Path, cell: object) -> None:
    grid = _grid()
    row, col = _find(grid, "各环节", 1, "日期")
    grid["各环节"][row][col] = cell
    doc = load_tables(_write(tmp_path / "d.xlsx", grid))
    assert doc.data["events"][0]["date"] == dt.date(2024, 1, 15)


def test_a_date_with_a_time_of_day_or_no_such_day_is_refused_at_its_cell(tmp_path: Path) -> None:
    grid = _grid()
    row, col = _find(grid, "各环节", 1, "日期")
    for cell in (dt.datetime(2024, 1, 15, 9, 30), "2024-02-30", True):
        grid["各环节"][row][col] = cell
        with pytest.raises(InputError) as err:
            load_tables(_write(tmp_path / "d.xlsx", grid))
        [p] = err.value.problems
        assert p.cell == f"各环节!{column_name(col)}{row + 1}", p
        assert p.message.zh and p.message.en and p.expected is not None


def test_table_problems_are_all_located(tmp_path: Path) -> None:
    grid = _grid()
    grid["人选"][0][2] = "单位名称"  # not a header of 人选
    grid["会议"][1][0] = 99  # no such step
    grid["各环节"][2][0] = 1  # a number used twice
    grid["职务"] = [["x"]]  # not a sheet this tool reads
    with pytest.raises(InputError) as err:
        load_tables(_write(tmp_path / "bad.xlsx", grid))
    cells = [p.cell for p in err.value.problems]
    assert sorted(map(str, cells)) == sorted(["会议!A2", "人选!C1", "各环节!A3", "职务!A1"]), [
        p.render("en") for p in err.value.problems]
    assert all(p.expected is not None for p in err.value.problems if p.cell != "各环节!A3")


def test_a_score_row_without_its_score_is_a_problem(tmp_path: Path) -> None:
    grid = _grid(EXAMPLES / "zigong" / "clean.yaml")
    grid["评分"][1][2] = None
    with pytest.raises(InputError) as err:
        load_tables(_write(tmp_path / "z.xlsx", grid))
    [p] = err.value.problems
    assert p.cell == "评分!B2" and "has no score" in p.message.en


def test_model_problems_of_a_workbook_name_the_cell(tmp_path: Path) -> None:
    grid = _grid()
    row, col = _find(grid, "投票", 3, "投票方式")  # the signed recommendation
    grid["投票"][row][col] = "secretly"
    result = run("validate", "--format", "json", str(_write(tmp_path / "c.xlsx", grid)))
    assert result.exit_code == 2
    [problem] = json.loads(result.output)["files"][0]["problems"]
    assert problem["cell"] == f"投票!{column_name(col)}{row + 1}"
    assert problem["field"] == "events[2].ballot.kind"


def test_json_report_of_a_workbook_gives_the_cell(tmp_path: Path) -> None:
    result = run("validate", "--format", "json",
                 str(EXAMPLES / "workbooks/pengshan/ps7-below-80.xlsx"))
    assert result.exit_code == 1
    [v] = json.loads(result.output)["files"][0]["violations"]
    assert v["location"]["cell"] == "各环节!F6" and v["location"]["line"] is None
    # A YAML case's location has no cell (its fields are unchanged).
    yaml_doc = json.loads(run("validate", "--format", "json", str(PS7)).output)
    assert "cell" not in yaml_doc["files"][0]["violations"][0]["location"]


def test_a_step_without_a_date_is_still_to_come(tmp_path: Path) -> None:
    grid = _grid()
    grid["各环节"].append([len(grid["各环节"]), "appointment"])
    doc = load_tables(_write(tmp_path / "c.xlsx", grid))
    assert len(doc.data["events"]) == len(grid["各环节"]) - 2
    grid["公示"].append([len(grid["各环节"]) - 1, "网站"])  # a row naming that step
    with pytest.raises(InputError) as err:
        load_tables(_write(tmp_path / "c.xlsx", grid))
    assert "has no date" in err.value.problems[0].message.en


# ------------------------------------------------------------------------------ CSV


def test_csv_encodings(tmp_path: Path) -> None:
    text = csv_text(_grid())
    for name, data in [("utf8.csv", text.encode()), ("bom.csv", b"\xef\xbb\xbf" + text.encode()),
                       ("gb.csv", text.encode("gb18030"))]:
        (tmp_path / name).write_bytes(data)
        assert load_tables(tmp_path / name).data["case"] == "PS-2024-109", name
    assert load_tables(tmp_path / "gb.csv", "gb18030").data["unit"] == "中共彭山县委员会"
    with pytest.raises(InputError) as err:
        load_tables(tmp_path / "gb.csv", "utf-8")
    assert err.value.problems[0].line is not None
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"[basic]\nfield,value\ncase,caf\xe9\n")  # Latin-1: neither
    result = run("validate", "--lang", "en", str(latin))
    assert result.exit_code == 2 and "--encoding" in result.output
    explicit = run("validate", "--encoding", "gb18030", str(tmp_path / "gb.csv"))
    assert explicit.exit_code == 1, explicit.output


def test_a_csv_case_starts_with_a_section(tmp_path: Path) -> None:
    bad = tmp_path / "table.csv"
    bad.write_text("编号,姓名\nC01,李明\n", encoding="utf-8")
    result = run("validate", "--lang", "en", str(bad))
    assert result.exit_code == 2 and f"{bad}:1: a CSV case starts with" in result.output


# ------------------------------------------------------------------------ folders


def test_folders_pick_up_workbooks_but_not_csv_or_lock_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(PS7.read_bytes())
    _write(tmp_path / "b.xlsx", _grid())
    (tmp_path / "c.csv").write_text(csv_text(_grid()), encoding="utf-8")
    (tmp_path / "~$b.xlsx").write_bytes(b"lock")
    result = run("validate", "--format", "json", str(tmp_path))
    files = [Path(f["file"]).name for f in json.loads(result.output)["files"]]
    assert files == ["a.yaml", "b.xlsx"] and result.exit_code == 1


def test_lint_of_a_folder_passes_over_workbooks(tmp_path: Path) -> None:
    from selection_rules.lint.run import lint_paths

    _write(tmp_path / "b.xlsx", _grid())
    assert lint_paths([str(tmp_path)]).problems == []


# ------------------------------------------------------------------ random cells


_CELLS = st.one_of(
    st.none(), st.text(max_size=12), st.integers(-10**20, 10**20), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(),
    st.sampled_from(["secret", "C01", "C01、C99", "是", "否", "2024-02-30", "1/3", "-5",
                     "events[0].x", "events[99].note", "[", "96.5", "属性:x"]))


def _template() -> Grid:
    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import load_procedure
    from selection_rules.workbook.template import template

    return template(load_procedure("pengshan-five-votes", Library()))[0]


# A filled case and the blank template, each changed at a few random cells.
_BASES = (to_grid(load_document(PS7).data), _template())
_SHEETS = sorted(set(_BASES[0]) | set(_BASES[1]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(_BASES),
       changes=st.lists(st.tuples(st.sampled_from(_SHEETS), st.integers(0, 12),
                                  st.integers(0, 10), _CELLS), min_size=1, max_size=4))
def test_random_cells_give_a_result_or_located_problems(pipeline, base, changes) -> None:  # type: ignore[no-untyped-def]
    grid = {sheet: [list(row) for row in rows] for sheet, rows in base.items()}
    for sheet, row, col, value in changes:
        rows = grid.setdefault(sheet, [])
        while len(rows) <= row:
            rows.append([])
        while len(rows[row]) <= col:
            rows[row].append(None)
        rows[row][col] = value
    read = read_tables(grid)
    try:
        doc: TableDocument = checked(TableDocument("case.xlsx", read, grid), read)
    except InputError as exc:
        assert exc.problems and all(p.cell for p in exc.problems)
        return
    outcome = pipeline.outcome(doc)
    assert outcome is not None
    if outcome.result is None:
        assert all(p.cell or p.file != "case.xlsx" for p in outcome.problems), outcome.problems
        assert all(p.message.zh and p.message.en for p in outcome.problems)


def test_cell_names() -> None:
    assert [column_name(n) for n in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"]
    assert cell_name(("人选", 4, 2)) == "人选!C5"


def _as_xls_cells(grid: Grid) -> dict[str, list[list[object]]]:
    """The tables as an .xls of text and numbers holds them: dates as Excel's serials."""
    def cell(value: object) -> object:
        if isinstance(value, dt.date):
            return (value - dt.date(1899, 12, 30)).days
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, Fraction):
            return float(value)
        return value

    return {sheet: [[cell(v) for v in row] for row in rows] for sheet, rows in grid.items()}
