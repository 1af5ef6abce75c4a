"""A candidate's facts in a workbook (人选's 参加工作时间 … 拟任职务; the sheets 简历, 培训
and 年度考核) and a post's 职务层次: typed columns, read as the same case in YAML reads,
every problem at its cell; the template offers them, and no example keeps them in 其他."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from selection_rules.errors import InputError
from selection_rules.model.vocabulary import RANK
from selection_rules.source.loading import load_document
from selection_rules.workbook.load import csv_grid, load_tables, workbook_grid
from selection_rules.workbook.read import Grid, read_tables
from selection_rules.workbook.write import csv_text, to_grid, xlsx_bytes
from test_workbook import PS7, _grid, _said, _write, run
from workbook_twins import pairs


def _serial(day: dt.date) -> int:
    """Excel's number for a date (the 1900 system, past its phantom 1900-02-29)."""
    return (day - dt.date(1899, 12, 30)).days


def _col(grid: Grid, sheet: str, header: str) -> int:
    return grid[sheet][0].index(header)


def _row(grid: Grid, sheet: str, **cells: Any) -> list[Any]:
    """A row of `sheet` with the cells given by header."""
    header = grid[sheet][0]
    row: list[Any] = [None] * len(header)
    for name, value in cells.items():
        row[header.index(name)] = value
    return row


# ---------------------------------------------------------------------------- dates


def test_dates_of_the_facts_written_as_serials_read_as_dates(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    grid = _grid()
    career = grid["简历"]
    assert [r[0] for r in career[1:]] == ["C01"] * 3  # ps7's C01 has three posts
    career[1][_col(grid, "简历", "起始日期")] = _serial(dt.date(2008, 7, 1))  # an int cell
    career[1][_col(grid, "简历", "截止日期")] = float(_serial(dt.date(2012, 6, 30)))
    career[2][_col(grid, "简历", "试用期截止日期")] = float(_serial(dt.date(2013, 6, 30)))
    grid["培训"][1][_col(grid, "培训", "结业日期")] = float(_serial(dt.date(2021, 6, 30)))
    grid["人选"][1][_col(grid, "人选", "参加工作时间")] = float(_serial(dt.date(2008, 7, 1)))
    grid["人选"][1][_col(grid, "人选", "入党时间")] = float(_serial(dt.date(2010, 7, 1)))
    case = _write(tmp_path / "serials.xlsx", grid)
    facts = load_tables(case).data["candidates"][0]["facts"]
    assert facts["work_start"] == dt.date(2008, 7, 1)
    assert facts["party_join"] == dt.date(2010, 7, 1)
    assert facts["career"][0]["from"] == dt.date(2008, 7, 1)
    assert facts["career"][0]["to"] == dt.date(2012, 6, 30)
    assert facts["career"][1]["probation_until"] == dt.date(2013, 6, 30)
    assert facts["training"][0]["completed"] == dt.date(2021, 6, 30)
    assert all(type(v) is dt.date for v in (facts["career"][0]["from"], facts["work_start"]))
    # The case says what its YAML says (party_join aside, which no rule of ps7 reads).
    assert _said(pipeline.check_file(case)) == _said(pipeline.check_file(PS7))


@pytest.mark.parametrize("text", ["2008-07-01", "2008/7/1", "2008.7.1", "2008年7月1日",
                                  "20080701"])
def test_dates_of_the_facts_written_as_text_read_as_dates(text: str) -> None:
    grid = _grid()
    grid["简历"][1][_col(grid, "简历", "起始日期")] = text
    read = read_tables(csv_grid(csv_text(grid), "c.csv")[0])
    assert read.problems == []
    assert read.data["candidates"][0]["facts"]["career"][0]["from"] == dt.date(2008, 7, 1)


def test_a_date_of_the_facts_that_is_no_date_is_refused_at_its_cell(tmp_path: Path) -> None:
    grid = _grid()
    grid["简历"][2][_col(grid, "简历", "截止日期")] = "2018-02-30"
    with pytest.raises(InputError) as err:
        load_tables(_write(tmp_path / "bad.xlsx", grid))
    [p] = err.value.problems
    assert p.cell == "简历!C3" and "not a real date" in p.message.en and p.expected is not None


# ------------------------------------------------------------------- ranks, education


def test_a_bad_rank_is_refused_at_its_cell_with_the_nearest_values(tmp_path: Path) -> None:
    grid = _grid()
    grid["简历"][2][_col(grid, "简历", "职务层次")] = "副课级"  # 科 mistyped
    grid["职位"][1][_col(grid, "职位", "职务层次")] = "正科级别"
    case = _write(tmp_path / "rank.xlsx", grid)
    result = run("validate", "--lang", "en", str(case))
    assert result.exit_code == 2 and "Traceback" not in result.output
    with pytest.raises(InputError) as err:
        load_tables(case)
    by_cell = {p.cell: p for p in err.value.problems}
    assert set(by_cell) == {"简历!E3", "职位!E2"}, [p.render("en") for p in err.value.problems]
    career = by_cell["简历!E3"]
    assert "did you mean deputy_section (deputy section level)" in career.message.en
    assert "是否想写：副科级（deputy_section）" in career.message.zh
    assert career.expected is not None and "正厅级" in career.expected.zh
    assert "did you mean section (section level)" in by_cell["职位!E2"].message.en
    assert f"{case}!简历!E3: " in result.output


def test_every_spelling_of_a_rank_or_education_the_model_takes_is_taken(tmp_path: Path) -> None:
    """The cell's check refuses nothing the case model accepts: any spelling of a rank
    (副县级, 正科, deputy_section) or an education (本科) reads, and the model has the code."""
    grid = _grid()
    spellings = [s for t in RANK.terms for s in t.spellings()]
    column = _col(grid, "简历", "职务层次")
    for spelling in spellings:
        grid["简历"][1][column] = spelling
        grid["人选"][1][_col(grid, "人选", "最高学历")] = "本科"
        read = read_tables(grid)
        assert read.problems == [], spelling
        assert read.data["candidates"][0]["facts"]["career"][0]["rank"] == spelling


# -------------------------------------------------------------------- rows of people


def test_rows_naming_no_candidate_or_a_year_twice_are_refused_at_their_cells(
        tmp_path: Path) -> None:
    grid = _grid()
    grid["简历"].append(_row(grid, "简历", 人选编号="C99", 起始日期=dt.date(2020, 1, 1),
                            单位及职务="某局科员"))
    grid["培训"].append(_row(grid, "培训", 结业日期=dt.date(2022, 1, 1), 培训班名称="某班"))
    grid["年度考核"] = [["人选编号", "年度", "等次"], ["C01", 2021, "称职"],
                    ["C01", "2021", "优秀"], ["C02", 2022, None]]
    with pytest.raises(InputError) as err:
        load_tables(_write(tmp_path / "rows.xlsx", grid))
    found = {p.cell: p for p in err.value.problems}
    n = len(grid["简历"])
    assert set(found) == {f"简历!A{n}", f"培训!A{len(grid['培训'])}", "年度考核!B3",
                          "年度考核!B4"}, [p.render("en") for p in err.value.problems]
    assert "no candidate numbered C99" in found[f"简历!A{n}"].message.en
    assert "C01、C02" in found[f"简历!A{n}"].expected.zh  # type: ignore[union-attr]
    assert "names no candidate" in found[f"培训!A{len(grid['培训'])}"].message.en
    repeated = found["年度考核!B3"].message.en
    assert "2021 repeats for one candidate (first at 年度考核!B2)" in repeated
    assert "has no grade" in found["年度考核!B4"].message.en
    assert all(p.message.zh and p.message.en for p in err.value.problems)


def test_a_model_problem_in_a_career_row_names_its_cell(tmp_path: Path) -> None:
    """A post that ends before it starts: the case model refuses it, at the 简历 row."""
    grid = _grid()
    grid["简历"][1][_col(grid, "简历", "截止日期")] = dt.date(2000, 1, 1)
    result = run("validate", "--lang", "en", str(_write(tmp_path / "c.xlsx", grid)))
    assert result.exit_code == 2 and "c.xlsx!简历!" in result.output, result.output
    assert "candidates[0].facts.career[0]" in result.output


def test_an_eligibility_violation_points_at_the_career_rows(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    yaml_path = EXAMPLES / "eligibility" / "el2-one-post-below.yaml"
    case = _write(tmp_path / "el2.xlsx", to_grid(load_document(yaml_path).data))
    outcome = pipeline.check_file(case)
    assert _said(outcome) == _said(pipeline.check_file(yaml_path))
    [v] = outcome.result.violations
    assert v.rule_id == "EL-2" and v.cell == "简历!A2"


# ------------------------------------------------------------------- nothing in 其他


_FACT_PATH = re.compile(r"^(?:candidates\[\d+\]\.facts\b|posts\[\d+\]\.rank\b)")


def test_no_example_keeps_its_facts_in_other() -> None:
    with_facts = 0
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        data = load_document(path).data
        if not isinstance(data, dict) or "candidates" not in data or "case" not in data:
            continue
        grid = to_grid(data)
        other = [row[0] for row in grid.get("其他", [])[1:]]
        assert not [p for p in other if _FACT_PATH.match(p)], (path, other)
        with_facts += "简历" in grid
    assert with_facts >= 20
    twins = [workbook_grid(x.read_bytes(), x.name) for _, x in pairs()]
    assert sum("简历" in g for g in twins) >= 10
    assert not [row for g in twins for row in g.get("其他", [])[1:]
                if _FACT_PATH.match(str(row[0]))]


_DATES = st.dates(dt.date(1980, 1, 1), dt.date(2030, 12, 31))
_ENTRY = st.fixed_dictionaries(
    {"from": _DATES, "title": st.sampled_from(["某镇党政办科员", "某局副局长", "C01 组长"])},
    optional={"to": _DATES, "rank": st.sampled_from([t.code for t in RANK.terms]),
              "grassroots": st.booleans(), "exceptional": st.booleans(),
              "probation_until": _DATES})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(career=st.lists(_ENTRY, max_size=4),
       training=st.lists(st.fixed_dictionaries({"completed": _DATES},
                                               optional={"title": st.just("党校培训班")}),
                         max_size=2),
       grades=st.dictionaries(st.integers(2000, 2030).map(str),
                              st.sampled_from(["优秀", "称职", "基本称职", "不称职"]), max_size=3),
       as_serials=st.booleans())
def test_facts_read_back_as_they_were_written(career: list[dict[str, Any]],
                                              training: list[dict[str, Any]],
                                              grades: dict[str, str], as_serials: bool) -> None:
    data = load_document(PS7).data
    facts: dict[str, Any] = {"work_start": dt.date(2008, 7, 1)}
    facts |= {k: v for k, v in (("career", career), ("training", training),
                                 ("appraisals", grades)) if v}
    data["candidates"][1]["facts"] = facts
    grid = to_grid(data)
    assert "其他" not in grid or not any(_FACT_PATH.match(r[0]) for r in grid["其他"][1:])
    if as_serials:  # as an .xls or a general-format cell holds them
        grid = {s: [[_serial(v) if isinstance(v, dt.date) else v for v in row] for row in rows]
                for s, rows in grid.items()}
    read = read_tables(workbook_grid(xlsx_bytes(grid), "f.xlsx"))
    assert read.problems == []
    assert read.data["candidates"][1].get("facts") == facts


# ------------------------------------------------------------------------ new --xlsx


def test_the_template_offers_the_facts_and_reads_them_back(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from python_calamine import CalamineWorkbook

    target = tmp_path / "case.xlsx"
    assert run("new", "pengshan-five-votes", "--xlsx", "-o", str(target)).exit_code == 0
    book = CalamineWorkbook.from_path(str(target))
    sheets: Grid = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                    for name in book.sheet_names}
    assert sheets["简历"][0][:8] == ["人选编号", "起始日期", "截止日期", "单位及职务", "职务层次",
                                   "基层", "破格", "试用期截止日期"]
    assert sheets["培训"][0][:3] == ["人选编号", "结业日期", "培训班名称"]
    assert sheets["年度考核"][0][:3] == ["人选编号", "年度", "等次"]
    assert sheets["人选"][0][5:9] == ["参加工作时间", "入党时间", "最高学历", "拟任职务"]
    assert sheets["职位"][0][4] == "职务层次"
    guide = "\n".join(str(row[0]) for row in sheets["说明"])
    assert "简历表每段任职经历一行" in guide and "one row per post held" in guide
    assert "简历：简历（每段任职经历一行）" in guide

    # Filled in as a clerk would, the values from the drop-downs, dates as typed.
    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import load_procedure
    from selection_rules.workbook.template import template

    grid, choices, guide_lines = template(load_procedure("pengshan-five-votes", Library()))
    ranks = choices[("简历", _col(grid, "简历", "职务层次"))]
    assert ranks == [t.zh for t in RANK.terms]
    assert choices[("职位", _col(grid, "职位", "职务层次"))] == ranks
    assert "大学本科" in choices[("人选", _col(grid, "人选", "最高学历"))]
    assert choices[("年度考核", _col(grid, "年度考核", "等次"))] == ["优秀", "称职", "基本称职",
                                                                "不称职"]
    grid["基本信息"][1][1] = "PS-T-2"
    grid["基本信息"][4][1] = "中共彭山县委员会"
    grid["职位"].append(_row(grid, "职位", 编号="P1", 职位名称="县交通运输局局长",
                             职务层次="正科级"))
    grid["人选"].append(_row(grid, "人选", 编号="C01", 姓名="李明", 参加工作时间="2008年7月1日",
                             入党时间=dt.date(2010, 7, 1), 最高学历="大学本科",
                             拟任职务="县交通运输局局长"))
    grid["简历"] += [
        _row(grid, "简历", 人选编号="C01", 起始日期="2008-07-01", 截止日期="2014-06-30",
             单位及职务="某镇党政办科员", 职务层次=ranks[0], 基层="是"),
        _row(grid, "简历", 人选编号="C01", 起始日期=_serial(dt.date(2014, 7, 1)),
             单位及职务="某镇副镇长", 职务层次=ranks[1], 基层="是", 破格="否")]
    grid["培训"].append(_row(grid, "培训", 人选编号="C01", 结业日期="2021/6/30",
                             培训班名称="党校班"))
    grid["年度考核"] += [["C01", 2022, "优秀"], ["C01", 2023, "称职"]]
    grid["各环节"][1] += [dt.date(2024, 1, 15), None, None, None, "C01"]
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(xlsx_bytes(grid, choices, guide_lines))
    doc = load_tables(filled)
    facts = doc.data["candidates"][0]["facts"]
    assert facts == {
        "work_start": dt.date(2008, 7, 1), "party_join": dt.date(2010, 7, 1),
        "education": "大学本科", "proposed_post": "县交通运输局局长",
        "career": [{"from": dt.date(2008, 7, 1), "to": dt.date(2014, 6, 30),
                    "title": "某镇党政办科员", "rank": "科员", "grassroots": True},
                   {"from": dt.date(2014, 7, 1), "title": "某镇副镇长", "rank": "副科级",
                    "grassroots": True, "exceptional": False}],
        "training": [{"completed": dt.date(2021, 6, 30), "title": "党校班"}],
        "appraisals": {"2022": "优秀", "2023": "称职"}}
    assert doc.data["posts"][0]["rank"] == "正科级"
    assert doc.cell_of(("candidates", 0, "facts", "career", 1, "rank")) == "简历!E3"
    assert doc.cell_of(("candidates", 0, "facts", "appraisals", "2023")) == "年度考核!C3"
    outcome = pipeline.check_file(filled)
    assert outcome.result is not None, [p.render("en") for p in outcome.problems]
    # The CSV template reads the same way (a CSV holds text: its dates as written).
    grid["简历"][-1][_col(grid, "简历", "起始日期")] = "2014-07-01"
    rows = csv_grid(csv_text(grid), "c.csv")[0]
    assert read_tables(rows).data["candidates"][0]["facts"] == facts


# ------------------------------------------------------------------------ new (YAML)


def test_the_blank_case_lists_a_candidates_facts_as_yaml_that_reads() -> None:
    text = run("new", "pengshan-five-votes").output
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("#   - id: C01")))
    block = []
    for line in lines[start:]:
        if not line.startswith("#   "):
            break
        block.append(line[2:].split(" # ")[0].rstrip())
    data = yaml.safe_load("\n".join(["candidates:", *block]))
    [candidate] = data["candidates"]
    facts = candidate["facts"]
    assert set(facts) == {"work_start", "party_join", "education", "proposed_post", "career",
                          "training", "appraisals"}
    assert set(facts["career"][0]) == {"from", "to", "title", "rank", "grassroots",
                                       "exceptional", "probation_until"}
    assert set(facts["training"][0]) == {"completed", "title"}
    assert "副处级（副县级）" in text and "doctorate 博士研究生" in text
    assert "优秀 / 称职 / 基本称职 / 不称职" in text
    assert re.search(r"^#   rank: .*deputy_division 副处级", text, re.M)
