"""The workbook, read back cell by cell and compared with the JSON report of the same run."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from report_cases import PENGSHAN, json_report, make_inspection, validate, violations
from selection_rules.report.quotes import shown_quote
from selection_rules.report.words import SEVERITY


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_inspection(tmp_path_factory.mktemp("xlsx"))


@pytest.fixture(scope="module")
def doc(root: Path) -> dict[str, Any]:
    return json_report(root)


def sheets(path: Path) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.fixture(scope="module")
def book(root: Path) -> Path:
    out = root.parent / "findings.xlsx"
    assert validate(str(root), "--format", "xlsx", "-o", str(out), "--jobs", "1").exit_code == 2
    return out


def test_the_sheets_are_named_in_the_report_s_language(root: Path, book: Path) -> None:
    assert list(sheets(book)) == ["按单位汇总", "按问题汇总", "问题清单", "整改台账", "逐文件状态",
                                  "重复案卷编号"]
    en = root.parent / "findings-en.xlsx"
    validate(str(root), "--format", "xlsx", "-o", str(en), "--lang", "en")
    assert list(sheets(en))[:5] == ["By unit", "By problem", "Problems",
                                    "Rectification ledger", "File status"]
    assert sheets(en)["Rectification ledger"][0][-4:] == [
        "Corrective measures", "Person responsible", "Deadline", "Progress"]


def test_problem_list_is_the_json_s_violations(book: Path, doc: dict[str, Any]) -> None:
    head, *rows = sheets(book)["问题清单"]
    col = {name: i for i, name in enumerate(head)}
    found = violations(doc)
    assert len(rows) == len(found)
    for n, (row, (f, v)) in enumerate(zip(rows, found, strict=True), start=1):
        figs = v["figures"]
        assert row[col["序号"]] == n
        assert row[col["单位"]] == f["unit"] and row[col["案卷"]] == f["case"]
        assert row[col["规则"]] == v["rule"]
        assert row[col["严重程度"]] == SEVERITY[v["severity"]].zh
        assert row[col["问题"]] == v["message"]["zh"]
        assert row[col["职位"]] == (v["post"] or "")
        assert row[col["阶段"]] == (v["stage"]["zh"] if v["stage"] else "")
        assert row[col["文件"]] == v["location"]["file"]
        assert row[col["行"]] == v["location"]["line"]
        assert row[col["位置"]] == f"{v['location']['file']}:{v['location']['line']}"
        assert row[col["实际（精确分数与百分比）"]] == figs.get("actual", "")
        for key, name in (("value", "数值"), ("base", "基数")):
            expected = figs.get(key)
            assert row[col[name]] == (expected if isinstance(expected, int) else ""), key
        cite = v["citation"]
        # The zh workbook quotes a seed in Simplified characters, as the text report does.
        assert (shown_quote(cite.get("quote", ""), "zh") or cite["regulation"]
                ) in row[col["依据"]]
    ps7 = next(r for r in rows if r[col["规则"]] == "PS-7")
    assert ps7[col["候选人"]] == "C03"
    assert ps7[col["实际（精确分数与百分比）"]] == "319/399 (79.95%)"  # fraction and percent


def test_counts_and_lines_are_numbers_not_text(book: Path) -> None:
    with zipfile.ZipFile(book) as z:
        names = sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        problems = z.read(names[2]).decode("utf-8")
    # A line number is a numeric cell holding the integer's digits, not "63.0" or text.
    assert re.search(r'<c r="Q2"[^>]*><v>\d+</v></c>', problems), problems[:2000]
    assert not re.search(r"<v>\d+\.0</v>", problems)


def test_ledger_leaves_four_columns_for_the_unit(book: Path, doc: dict[str, Any]) -> None:
    head, *rows = sheets(book)["整改台账"]
    assert head[-4:] == ["整改措施", "责任人", "整改时限", "完成情况"]
    found = violations(doc)
    assert len(rows) == len(found)
    for row, (f, v) in zip(rows, found, strict=True):
        assert row[1] == f["unit"] and row[3] == v["rule"] and row[5] == v["message"]["zh"]
        assert row[-4:] == ["", "", "", ""]
    with zipfile.ZipFile(book) as z:
        ledger = z.read("xl/worksheets/sheet4.xml").decode("utf-8")
    assert "未整改,整改中,已完成" in ledger  # the choices offered for 完成情况


def test_summaries_and_status_are_the_json_s(book: Path, doc: dict[str, Any]) -> None:
    got = sheets(book)
    units = {r[0]: r for r in got["按单位汇总"][1:]}
    for u in doc["summary"]["by_unit"]:
        name = u["unit"] if u["unit"] is not None else "（单位不明：文件无法读取）"
        assert units[name][1:] == [u["files"], u["clean"], u["with_violations"],
                                   u["with_errors"], u["counts"]["error"],
                                   u["counts"]["warning"], u["counts"]["info"],
                                   u["unreadable"]]
    rules = {r[0]: r for r in got["按问题汇总"][1:]}
    for r in doc["summary"]["by_rule"]:
        assert rules[r["rule"]][1] == r["count"] and rules[r["rule"]][5:7] == [
            r["files"], r["units"]]
    assert rules["PS-7"][7] == "是" and rules["CN-1"][7] == "否"
    status = got["逐文件状态"][1:]
    assert [r[0] for r in status] == [f["file"] for f in doc["files"]]
    for row, f in zip(status, doc["files"], strict=True):
        counts = f.get("summary", {}).get("counts", {"error": 0, "warning": 0, "info": 0})
        assert row[7:10] == [counts["error"], counts["warning"], counts["info"]]
    broken = next(r for r in status if r[0].endswith("4-broken.yaml"))
    assert broken[6] == "无法读取" and "4-broken.yaml:" in broken[10]
    [dup] = got["重复案卷编号"][1:]
    assert dup[0] == "A-2" and dup[1] == 2


def test_text_from_a_case_is_never_a_formula(tmp_path: Path) -> None:
    case = tmp_path / "c.yaml"
    text = (PENGSHAN / "ps7-below-80.yaml").read_text(encoding="utf-8")
    case.write_text(re.sub(r"(?m)^unit: .*$", 'unit: "=HYPERLINK(\\"x\\")"', text),
                    encoding="utf-8")
    out = tmp_path / "f.xlsx"
    validate(str(case), "--format", "xlsx", "-o", str(out))
    assert sheets(out)["问题清单"][1][1] == '=HYPERLINK("x")'
    with zipfile.ZipFile(out) as z:
        assert not any("<f>" in z.read(n).decode("utf-8") for n in z.namelist()
                       if n.endswith(".xml"))


def test_a_workbook_is_not_written_to_a_terminal() -> None:
    main, child = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "selection_rules.cli", "validate",
             str(PENGSHAN / "ps7-below-80.yaml"), "--format", "xlsx", "--lang", "en"],
            stdout=child, stderr=subprocess.PIPE, timeout=120, check=False,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    finally:
        os.close(child)
        os.close(main)
    assert done.returncode == 2
    err = done.stderr.decode("utf-8")
    assert "--output" in err and "is not written to a terminal" in err and "Traceback" not in err
