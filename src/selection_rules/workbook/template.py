"""`new PROCEDURE --xlsx`: the workbook a clerk fills in for one selection.

Every sheet with its headers; 基本信息 with the procedure filled in; 各环节 with one row
per step of the procedure, in order, numbered and named, its date left blank (a row with
no date is a step not yet held and is not read); 人选 with a column for each candidate
attribute the rules read; drop-down lists for the enumerated columns; and a sheet 说明
that says what goes where, step by step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from selection_rules.authoring.allowed_values import allowed_values
from selection_rules.authoring.blank_case import candidate_attributes
from selection_rules.workbook.layout import (
    ATTRIBUTE_HEADER,
    BY_SHEET,
    CANDIDATE,
    EVENT,
    TABLES,
    Table,
)
from selection_rules.workbook.read import Grid, column_name

if TYPE_CHECKING:
    from selection_rules.engine.compiled import Procedure


def _header(table: Table) -> list[Any]:
    cols = list(table.columns)
    if table.key is not None:
        cols.insert(1, table.key)
    return [c.zh for c in cols]


def _field_path(table: Table, index: int) -> str | None:
    """The case path (`events.ballot.kind`) a table's column fills, for its choices."""
    col = table.columns[index]
    if table.shape in ("person_item", "person_keyed") and col is not CANDIDATE:
        return ".".join(("candidates", *table.section, *col.path))
    if col is EVENT or not col.path:
        return None
    if table.shape == "list":
        return ".".join((*table.section, *col.path))
    if table.shape == "events":
        return ".".join(("events", *col.path))
    if table.shape in ("section", "item"):
        return ".".join(("events", *table.section, *col.path))
    return None


def template(proc: Procedure) -> tuple[Grid, dict[tuple[str, int], list[str]], list[list[str]]]:
    """(the sheets, drop-down values by (sheet, column), the guide's lines)."""
    grid: Grid = {}
    for table in TABLES:
        grid[table.sheet] = [_header(table)]
    filled = {"procedure": proc.id, "rule_sets": "、".join(proc.rule_sets) or None}
    grid["基本信息"] = [["项目", "内容"], *([c.zh, filled.get(c.key)]
                                        for c in BY_SHEET["基本信息"].columns)]
    attributes = candidate_attributes(proc)
    grid["人选"][0] += [ATTRIBUTE_HEADER + a for a in attributes]
    # Steps and values by their Chinese names, as a clerk writes them: the vocabulary
    # reads them back as the codes (model/vocabulary.py).
    for n, step in enumerate(proc.spec.steps, 1):
        grid["各环节"].append([n, step.label.text().zh])
    allowed = allowed_values(proc)
    choices: dict[tuple[str, int], list[str]] = {}
    for table in TABLES:
        for j, col in enumerate(table.columns):
            path = _field_path(table, j)
            found = allowed.get(path) if path else None
            if found is not None and col.kind in ("choice", "text"):
                offset = 1 if table.key is not None and j >= 1 else 0
                choices[(table.sheet, j + offset)] = [a.zh or a.value for a in found.values]
    return grid, choices, guide(proc, attributes)


def guide(proc: Procedure, attributes: list[str]) -> list[list[str]]:
    """The sheet 说明: one line per row, a heading marked by a second cell."""
    from selection_rules.authoring.blank_case import field_label
    from selection_rules.simulate.fields import fields_for

    allowed = allowed_values(proc)
    lines: list[list[str]] = [
        [f"空白案卷 · 程序 {proc.id}（{proc.title.zh}）/ Blank case · {proc.title.en}", "h"],
        ["每张表第 1 行是列名，从第 2 行起每行一项。各环节表已按程序顺序列出每个环节："
         "环节发生后填上日期等内容；没有日期、只有序号和环节的行表示尚未发生，不读取。"
         "其他各表用“环节序号”指明是哪个环节。"],
        ["Row 1 of each sheet holds the headers, and each row below one item. The sheet 各环节 "
         "lists every step of the procedure in order: fill in its date and figures once it "
         "has happened; a row with only its number and step is a step still to come and is "
         "not read. The other sheets name their step by its number (环节序号)."],
        ["名单（职位、人选、名单）用顿号或逗号分隔，如 C01、C02。"
         "日期写作 2024-05-10 或设为日期格式。票数必须是整数。是/否 列填“是”或“否”。"
         " / Lists are separated by 、 or commas; dates "
         "as 2024-05-10 or in a date cell; votes are whole numbers; yes/no columns take 是 or 否."],
        ["“其他”表以“路径 | 值”记录其他各表没有的内容，如 events[3].talks[0].kind。"
         "/ The sheet 其他 holds, as path | value, what no other sheet has a column for."],
        ["CSV：同样的各表依次写在一个文件中，每表前一行写 [表名]。/ CSV: the same sheets one "
         "after another in one file, each after a line [sheet name]."],
        ["", ""],
        ["各表 / The sheets", "h"],
    ]
    for table in TABLES:
        lines.append([f"{table.sheet}：{table.title.zh} / {table.title.en}"])
    lines += _facts_lines()
    if attributes:
        lines.append([f"人选表的“{ATTRIBUTE_HEADER}名称”列记录规则读取的人选情况："
                      f"{'、'.join(attributes)} / the 人选 columns {ATTRIBUTE_HEADER}name hold "
                      "the facts about candidates the rules read"])
    lines += [["", ""], ["各环节及其需要填写的内容 / The steps and what each needs", "h"]]
    where = _where()
    for n, step in enumerate(proc.spec.steps, 1):
        text = step.label.text()
        lines.append([f"{n}. {text.zh} / {text.en}（环节 {step.event}）", "h"])
        for f in fields_for(proc, step.event):
            sheet = where.get(f.dotted) or where.get(f.path[0], "其他")
            lines.append([f"    {sheet}：{field_label(f)}"])
    lines += [["", ""], ["可填的值 / Allowed values", "h"]]
    for path, found in allowed.items():
        head = "可填" if found.closed else "常用"
        lines.append([f"{path}（{head} / {'one of' if found.closed else 'usually'}）："
                      f"{found.listed()}"])
    return lines


def _facts_lines() -> list[list[str]]:
    """What the guide says of the candidates' facts: where each goes, what reads them."""
    sheets = [t for t in TABLES if t.shape in ("person_item", "person_keyed")]
    columns = [c.zh for c in BY_SHEET["人选"].columns if c.path[0] == "facts"]
    return [
        [f"人选的任职资格情况（干部任免审批表）：人选表的{'、'.join(columns)}各一列；"
         "简历表每段任职经历一行（截止日期空着表示现任）；培训表每个结业的培训班一行；"
         f"年度考核表每人每年一行。{'、'.join(t.sheet for t in sheets)}用“人选编号”"
         "（人选表的编号）指明是哪位人选。资格条件（EL-1…EL-6）读取这些内容，未填写的报告为缺少数据。"],
        ["The candidates' qualifications, as on the appointment form: columns of 人选 for the "
         "start of work, joining the Party, highest education and the post proposed; the "
         "sheet 简历 one row per post held (its end left blank while it is held); 培训 one row "
         "per course completed; 年度考核 one row per candidate and year. These name the "
         "candidate by 人选编号 (the 编号 of the row of 人选). The eligibility rules "
         "(EL-1 … EL-6) read them; what is not filled in is reported as missing data."],
    ]


def _where() -> dict[str, str]:
    """An event's field → `sheet!column` where it is written."""
    out: dict[str, str] = {}
    for table in TABLES:
        cols = list(table.columns)
        if table.key is not None:
            cols.insert(1, table.key)
        for j, col in enumerate(cols):
            if table.shape == "events":
                path = ".".join(col.path)
            elif table.shape in ("section", "item", "keyed", "keyed_list") and col is not EVENT:
                path = ".".join(table.section) if table.shape.startswith("keyed") else ".".join(
                    (*table.section, *col.path))
            else:
                continue
            out.setdefault(path, f"{table.sheet}!{column_name(j)} {col.zh}")
    return out
