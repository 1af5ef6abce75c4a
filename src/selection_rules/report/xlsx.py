"""`validate --format xlsx`: the workbook an inspection team hands to the units.

Sheets, named in the report's language: the summary by unit, the summary by problem
(rule), the problem list (one row per violation), the rectification ledger (整改台账:
one row per violation with the four columns the unit fills in), the status of each file,
and, where there are any, case ids found in two files. Every cell is written as what it
is: a count or a line is a number, text from a case file is text (never a formula, never
a link), and a share keeps its exact fraction beside the percentage (`319/399 (79.95%)`).
xlsxwriter is imported here only, so that no other command loads it.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from selection_rules.i18n import Lang, Text
from selection_rules.model.procedure import SEVERITIES
from selection_rules.report import words as w
from selection_rules.report.summary import UNKNOWN_UNIT

# A number Excel would round (it keeps 15 digits): written as its digits instead.
_EXACT_LIMIT = 2**53
# Any real deadline is after this day (a date validation needs a bound).
_EPOCH = dt.date(1900, 1, 2)

SHEETS = {
    "units": Text("按单位汇总", "By unit"),
    "rules": Text("按问题汇总", "By problem"),
    "problems": Text("问题清单", "Problems"),
    "ledger": Text("整改台账", "Rectification ledger"),
    "status": Text("逐文件状态", "File status"),
    "duplicates": Text("重复案卷编号", "Repeated case ids"),
}
# The ledger's columns a unit fills in, and the choices offered for the last.
TO_FILL = [Text("整改措施", "Corrective measures"), Text("责任人", "Person responsible"),
           Text("整改时限", "Deadline"), Text("完成情况", "Progress")]
PROGRESS = Text("未整改,整改中,已完成", "not started,in progress,done")


def problem_header(lang: Lang) -> list[str]:
    return [Text(zh, en).get(lang) for zh, en in (
        ("序号", "No."), ("单位", "Unit"), ("案卷", "Case"), ("职位", "Post"),
        ("候选人", "Candidate"), ("阶段", "Stage"), ("规则", "Rule"), ("严重程度", "Severity"),
        ("问题", "Problem"), ("实际（精确分数与百分比）", "Actual (exact fraction and percent)"),
        ("数值", "Value"), ("基数", "Base"), ("界限", "Bound"), ("数据", "Figures"),
        ("位置", "Location"), ("文件", "File"), ("行", "Line"), ("依据", "Source"))]


def problem_row(n: int, f: dict[str, Any], v: dict[str, Any], lang: Lang) -> list[object]:
    figs = v.get("figures") or {}
    loc = v.get("location") or {}

    def number(key: str) -> object:
        value = figs.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else ""

    return [n, f.get("unit") or "", w.ident(f), v.get("post") or "", w.candidate(v),
            w.stage(v, lang), v["rule"], w.SEVERITY[v["severity"]].get(lang),
            w.msg(v["message"], lang), str(figs.get("actual", "")), number("value"),
            number("base"), str(figs.get("bound", "")), w.figures(figs, lang), w.where(v),
            loc.get("file") or "", loc.get("line") if loc.get("line") is not None else "",
            w.citation(v.get("citation"), lang)]


def unit_rows(doc: dict[str, Any], lang: Lang) -> tuple[list[str], list[list[object]]]:
    head = [w.t(lang, "单位", "Unit"), w.t(lang, "文件", "Files"), w.t(lang, "无问题", "Clean"),
            w.t(lang, "有违规", "With violations"), w.t(lang, "有错误的文件", "Files with errors"),
            *(w.SEVERITY[s].get(lang) for s in SEVERITIES), w.t(lang, "无法读取", "Unreadable")]
    rows: list[list[object]] = [
        [u["unit"] if u["unit"] is not None else UNKNOWN_UNIT.get(lang), u["files"], u["clean"],
         u["with_violations"], u["with_errors"], *(u["counts"][s] for s in SEVERITIES),
         u["unreadable"]] for u in doc["summary"]["by_unit"]]
    return head, rows


def rule_rows(doc: dict[str, Any], lang: Lang) -> tuple[list[str], list[list[object]]]:
    head = [w.t(lang, "规则", "Rule"), w.t(lang, "条数", "Violations"),
            *(w.SEVERITY[s].get(lang) for s in SEVERITIES), w.t(lang, "文件", "Files"),
            w.t(lang, "单位数", "Units"), w.t(lang, "多单位共有", "Common to several units"),
            w.t(lang, "涉及单位", "Units concerned"), w.t(lang, "依据", "Source")]
    common = {c["rule"] for c in doc["summary"]["common"]}
    yes, no = w.t(lang, "是", "yes"), w.t(lang, "否", "no")
    rows: list[list[object]] = [
        [r["rule"], r["count"], *(r["counts"][s] for s in SEVERITIES), r["files"], r["units"],
         yes if r["rule"] in common else no, w.t(lang, "、", ", ").join(r["unit_names"]),
         w.citation(r["citation"], lang)] for r in doc["summary"]["by_rule"]]
    return head, rows


def status_rows(doc: dict[str, Any], lang: Lang) -> tuple[list[str], list[list[object]]]:
    head = [w.t(lang, "文件", "File"), w.t(lang, "单位", "Unit"), w.t(lang, "类型", "Kind"),
            w.t(lang, "案卷/记录", "Case / record"), w.t(lang, "程序", "Procedure"),
            w.t(lang, "日期", "Date"), w.t(lang, "状态", "Status"),
            *(w.SEVERITY[s].get(lang) for s in SEVERITIES),
            w.t(lang, "无法读取的原因", "Why it cannot be read")]
    rows: list[list[object]] = []
    for f in doc["files"]:
        counts = (f.get("summary") or {}).get("counts") or dict.fromkeys(SEVERITIES, 0)
        kind = w.KIND.get(f.get("kind", ""))
        rows.append([f["file"], f.get("unit") or "", kind.get(lang) if kind else "",
                     w.ident(f), f.get("procedure") or "",
                     f.get("decision_date") or f.get("as_of") or "",
                     w.STATUS[f["status"]].get(lang), *(counts[s] for s in SEVERITIES),
                     "\n".join(w.problem(p, lang) for p in f.get("problems", []))])
    return head, rows


def render_xlsx(doc: dict[str, Any], lang: Lang) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    # Text from case files stays text: no formula, number or link is read into it.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1,
                            "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    fill = book.add_format({"bg_color": "#FFF8DC", "border": 1, "valign": "top",
                            "text_wrap": True, "locked": False})
    day = book.add_format({"bg_color": "#FFF8DC", "border": 1, "valign": "top",
                           "num_format": "yyyy-mm-dd", "locked": False})

    def sheet(key: str, head: list[str], rows: list[list[object]],
              widths: list[int] | None = None) -> Any:
        ws = book.add_worksheet(SHEETS[key].get(lang))
        for c, text in enumerate(head):
            ws.write_string(0, c, text, bold)
        number, text = ws.write_number, ws.write_string
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                # One cell as what it is (as `cell` says), inlined: a workbook of
                # thousands of rows spends its time here.
                if type(value) is int and -_EXACT_LIMIT < value < _EXACT_LIMIT:
                    number(r, c, value)
                elif type(value) is str:
                    if value:
                        text(r, c, value, wrap if len(value) > 24 or "\n" in value else None)
                else:
                    cell(ws, r, c, value, wrap)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(head) - 1)
        for c, width in enumerate(widths or [14] * len(head)):
            ws.set_column(c, c, width)
        return ws

    sheet("units", *unit_rows(doc, lang), [28] + [10] * 8)
    sheet("rules", *rule_rows(doc, lang), [10] + [8] * 6 + [12, 30, 60])
    problems: list[list[object]] = []
    ledger: list[list[object]] = []
    n = 0
    for f in doc["files"]:
        for v in f.get("violations", []):
            n += 1
            problems.append(problem_row(n, f, v, lang))
            ledger.append([n, f.get("unit") or "", w.ident(f), v["rule"],
                           w.SEVERITY[v["severity"]].get(lang), w.msg(v["message"], lang),
                           w.where(v), w.citation(v.get("citation"), lang)])
    sheet("problems", problem_header(lang), problems,
          [6, 22, 16, 8, 10, 16, 8, 8, 50, 20, 8, 8, 12, 40, 36, 30, 6, 50])
    head = [w.t(lang, "序号", "No."), w.t(lang, "单位", "Unit"), w.t(lang, "案卷", "Case"),
            w.t(lang, "规则", "Rule"), w.t(lang, "严重程度", "Severity"),
            w.t(lang, "问题", "Problem"), w.t(lang, "位置", "Location"),
            w.t(lang, "依据", "Source"), *(x.get(lang) for x in TO_FILL)]
    ws = sheet("ledger", head, ledger, [6, 22, 16, 8, 8, 50, 36, 40])
    # The columns the unit fills in are styled as columns (shaded, unlocked, a date
    # column), not cell by cell: an empty cell costs nothing however long the list.
    ws.set_column(8, 8, 30, fill)
    ws.set_column(9, 9, 12, fill)
    ws.set_column(10, 10, 12, day)
    ws.set_column(11, 11, 12, fill)
    if ledger:
        ws.data_validation(1, 11, len(ledger), 11, {
            "validate": "list", "source": PROGRESS.get(lang).split(",")})
        ws.data_validation(1, 10, len(ledger), 10, {
            "validate": "date", "criteria": ">", "value": _EPOCH, "ignore_blank": True})
    sheet("status", *status_rows(doc, lang), [40, 22, 12, 16, 20, 12, 10, 8, 8, 8, 50])
    dups = doc["summary"]["duplicate_ids"]
    if dups:
        sheet("duplicates", [w.t(lang, "案卷编号", "Case id"), w.t(lang, "文件数", "Files"),
                             w.t(lang, "首次出现", "First file"),
                             w.t(lang, "重复出现", "Found again in")],
              [[d["id"], len(d["files"]), d["files"][0], "\n".join(d["files"][1:])]
               for d in dups], [20, 8, 50, 60])
    book.close()
    return buffer.getvalue()


def cell(ws: Any, r: int, c: int, value: object, wrap: Any) -> None:
    """One cell as what it is; an empty one is not written, and only a long text wraps
    (a workbook of thousands of rows is written in a fraction of the validation)."""
    if isinstance(value, bool):
        ws.write_string(r, c, str(value))
    elif isinstance(value, int) and abs(value) < _EXACT_LIMIT:
        ws.write_number(r, c, value)
    elif value != "":
        text = str(value)
        ws.write_string(r, c, text, wrap if len(text) > 24 or "\n" in text else None)
