"""Case data → the workbook's tables (the inverse of read.py), and tables → .xlsx or CSV.

`to_grid` lays a case out in the sheets of layout.py; whatever a sheet has no column
for (a talk, an opinion, a shortcoming written as a point with no example) goes to the
sheet 其他 as `path | value`, so every case converts, and reads back as the same data.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from selection_rules.source.paths import format_loc
from selection_rules.workbook.layout import (
    ATTRIBUTE_HEADER,
    BY_SHEET,
    CANDIDATE,
    EVENT,
    SEQ,
    TABLES,
    Column,
    Kind,
    Table,
)
from selection_rules.workbook.read import Grid, Loc

_SEPARATORS = re.compile(r"[,，、;；\n]")
_ID_BREAKS = re.compile(r"[,，、;；\s]")
_AUTO_TEXT = re.compile(r"^(?:-?\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2}|是|否|true|false)$", re.I)


def fits(value: Any, kind: Kind) -> bool:
    """Whether a cell of `kind` reads back as exactly `value`."""
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | Fraction) and not isinstance(value, bool)
    if kind == "date":
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("text", "choice"):
        return isinstance(value, str) and value == value.strip() and value != ""
    if kind in ("ids", "texts"):
        breaks = _ID_BREAKS if kind == "ids" else _SEPARATORS
        return isinstance(value, list) and bool(value) and all(
            isinstance(v, str) and v and v == v.strip() and not breaks.search(v)
            for v in value)
    # auto: a value the cell's own type carries, or a text that reads as none other
    if isinstance(value, str):
        return value == value.strip() and value != "" and not _AUTO_TEXT.match(value)
    return isinstance(value, int | Fraction | bool | dt.date) and not isinstance(
        value, dt.datetime)


def _take(obj: dict[str, Any], path: tuple[str, ...], kind: Kind) -> Any:
    """Remove and return the value at `path` if a cell of `kind` holds it; else None."""
    node = obj
    for part in path[:-1]:
        node = node.get(part)  # type: ignore[assignment]
        if not isinstance(node, dict):
            return None
    value = node.get(path[-1])
    if value is None or not fits(value, kind):
        return None
    del node[path[-1]]
    return value


def _prune(obj: Any) -> Any:
    """`obj` without the empty mappings left where every field went to a table."""
    if isinstance(obj, dict):
        for key in list(obj):
            obj[key] = _prune(obj[key])
            if obj[key] == {}:
                del obj[key]
    return obj


class _Writer:
    def __init__(self) -> None:
        self.grid: Grid = {t.sheet: [[c.zh for c in _header(t)]] for t in TABLES}
        self.grid["基本信息"] = [["项目", "内容"]]
        self.other: list[list[Any]] = self.grid["其他"]

    def leftovers(self, loc: Loc, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                self.leftovers((*loc, key), item)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.leftovers((*loc, i), item)
        elif value is not None:
            self.other.append([format_loc(loc), value])

    def row(self, table: Table, obj: dict[str, Any], first: list[Any],
            columns: tuple[Column, ...] | None = None) -> None:
        cols = [c for c in (columns or table.columns) if c not in (EVENT, SEQ, CANDIDATE)]
        self.grid[table.sheet].append([*first, *(_take(obj, c.path, c.kind) for c in cols)])


def _header(table: Table) -> list[Column]:
    cols = list(table.columns)
    if table.key is not None:
        cols.insert(1, table.key)
    return cols


def to_grid(data: dict[str, Any]) -> Grid:
    data = copy.deepcopy(data)
    w = _Writer()
    for col in BY_SHEET["基本信息"].columns:
        value = _take(data, col.path, col.kind)
        if value is not None:
            w.grid["基本信息"].append([col.zh, value])
    for sheet in ("职位", "人选"):
        table = BY_SHEET[sheet]
        items = data.get(table.section[0])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            continue
        names: list[str] = []
        if sheet == "人选":
            for item in items:
                for name, value in (item.get("attributes") or {}).items():
                    if name not in names and fits(value, "auto") and not name.startswith(" "):
                        names.append(name)
            w.grid[sheet][0] += [ATTRIBUTE_HEADER + n for n in names]
        columns = (*table.columns, *(Column(ATTRIBUTE_HEADER + n, ("attributes", n), "auto", n)
                                     for n in names))
        ids = [item.get("id") for item in items]  # before the rows take them
        for item in items:
            w.row(table, item, [], columns)
        if sheet == "人选":
            _facts(w, items, ids)
    events = data.get("events")
    if isinstance(events, list) and all(isinstance(e, dict) for e in events):
        for i, event in enumerate(events):
            _event(w, i, event)
    w.leftovers((), _prune(data))
    # A list is one cell, its items joined as a clerk writes them.
    return {sheet: [["、".join(v) if isinstance(v, list) else v for v in row] for row in rows]
            for sheet, rows in w.grid.items() if len(rows) > 1}


def _event(w: _Writer, i: int, event: dict[str, Any]) -> None:
    seq = i + 1
    w.row(BY_SHEET["各环节"], event, [seq])
    for sheet in ("会议", "投票", "考察", "公示"):
        table = BY_SHEET[sheet]
        section = event.get(table.section[0])
        if isinstance(section, dict):
            cells = [_take(section, c.path, c.kind) for c in table.columns if c is not EVENT]
            if any(v is not None for v in cells):
                w.grid[sheet].append([seq, *cells])
    for sheet in ("票数统计", "评分", "名额"):
        table = BY_SHEET[sheet]
        mapping = _at(event, table.section)
        if not isinstance(mapping, dict):
            continue
        value_cols = [c for c in table.columns if c is not EVENT]
        for key in list(mapping):
            if not fits(key, "text"):
                continue
            entry = mapping[key]
            if len(value_cols) == 1 and not value_cols[0].path:
                if fits(entry, value_cols[0].kind):
                    w.grid[sheet].append([seq, key, mapping.pop(key)])
            elif isinstance(entry, dict):
                w.row(table, entry, [seq, key])
    for sheet in ("公示期间举报", "文件"):
        table = BY_SHEET[sheet]
        items = _at(event, table.section)
        if isinstance(items, list) and all(isinstance(x, dict) for x in items):
            for item in items:
                w.row(table, item, [seq])
    shortcomings = _at(event, ("inspection", "shortcomings"))
    if isinstance(shortcomings, dict):
        for key in list(shortcomings):
            items = shortcomings[key]
            if fits(key, "text") and isinstance(items, list) and all(map(_plain_point, items)):
                for item in shortcomings.pop(key):
                    point, example = ((item, None) if isinstance(item, str)
                                      else (item["point"], item["example"]))
                    w.grid["考察不足"].append([seq, key, point, example])


def _facts(w: _Writer, items: list[dict[str, Any]], ids: list[Any]) -> None:
    """The lists of each candidate's facts, in rows naming the candidate by 编号. A
    candidate whose 编号 is not a cell of 人选 (or repeats one) keeps them in 其他."""
    seen: set[str] = set()
    for item, ident in zip(items, ids, strict=True):
        if not fits(ident, "text") or ident in seen or not isinstance(item.get("facts"), dict):
            continue
        seen.add(ident)
        for sheet in ("简历", "培训"):
            table = BY_SHEET[sheet]
            entries = _at(item, table.section)
            if isinstance(entries, list) and all(isinstance(x, dict) for x in entries):
                for entry in entries:  # every entry a row, so 其他's indices still hold
                    w.row(table, entry, [ident])
        table = BY_SHEET["年度考核"]
        grades = _at(item, table.section)
        if isinstance(grades, dict):
            assert table.key is not None
            [grade] = [c for c in table.columns if c is not CANDIDATE]
            for year in list(grades):
                if fits(year, table.key.kind) and fits(grades[year], grade.kind):
                    # A year as the number a clerk types; it reads back as the same text.
                    cell = int(year) if year.isascii() and year.isdigit() \
                        and str(int(year)) == year else year
                    w.grid[table.sheet].append([ident, cell, grades.pop(year)])


def _plain_point(item: Any) -> bool:
    if isinstance(item, str):
        return fits(item, "text")
    return (isinstance(item, dict) and set(item) == {"point", "example"}
            and fits(item["point"], "text") and fits(item["example"], "text"))


def _at(obj: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = obj
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


# ------------------------------------------------------------------------ serialising


def _exact_float(value: Fraction) -> float | None:
    number = float(value)
    return number if Fraction(Decimal(repr(number))) == value else None


def xlsx_bytes(grid: Grid, choices: dict[tuple[str, int], list[str]] | None = None,
               guide: list[list[str]] | None = None) -> bytes:
    """The tables as an .xlsx workbook; `choices` (sheet, column) → a drop-down list."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False,
                                     "strings_to_formulas": False, "strings_to_urls": False})
    # A fixed date: the same tables give the same bytes (the shipped twins are compared).
    book.set_properties({"created": dt.datetime(2024, 1, 1)})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    if guide is not None:
        sheet = book.add_worksheet("说明")
        sheet.set_column(0, 0, 110)
        for r, line in enumerate(guide):
            sheet.write_string(r, 0, line[0], bold if line[1:] else None)
    for name, rows in grid.items():
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, max(len(r) for r in rows), 14)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                _cell(sheet, r, c, value, bold if r == 0 else None, day)
        for (sheet_name, col), values in (choices or {}).items():
            if sheet_name == name and values:
                sheet.data_validation(1, col, 2000, col, {
                    "validate": "list", "source": values, "error_type": "warning"})
    book.close()
    return out.getvalue()


def _cell(sheet: Any, r: int, c: int, value: Any, head: Any, day: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, int) and abs(value) < 2**53:
        sheet.write_number(r, c, value)
    elif isinstance(value, Fraction) and (number := _exact_float(value)) is not None:
        sheet.write_number(r, c, number)
    elif isinstance(value, float):
        sheet.write_number(r, c, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(r, c, value, day)
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), day)
    elif isinstance(value, list):
        sheet.write_string(r, c, "、".join(map(str, value)))
    else:
        sheet.write_string(r, c, _text(value), head)


def _text(value: Any) -> str:
    if isinstance(value, Fraction):
        number = _exact_float(value)
        return repr(number) if number is not None else f"{value.numerator}/{value.denominator}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_text(grid: Grid) -> str:
    """The tables as one CSV: each sheet after a line `[sheet]`, then a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name, rows in grid.items():
        writer.writerow([f"[{name}]"])
        for row in rows:
            writer.writerow(["" if v is None else _text(v) for v in row])
        writer.writerow([])
    return out.getvalue()
