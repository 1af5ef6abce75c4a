"""The rows of 简历, 培训 and 年度考核: a candidate's facts (model/candidate_facts.py),
each row naming its candidate by 人选编号 (the 编号 of a row of 人选), as the rows of an
event's tables name their event by 环节序号. The reader reads 人选 first (layout.TABLES
lists it before them), so the candidates are known when these rows name them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from selection_rules.i18n import Text
from selection_rules.workbook.cells import shown
from selection_rules.workbook.layout import CANDIDATE, Table
from selection_rules.workbook.read import Loc, Place, Reader, cell_name

Row = tuple[int, dict[str, tuple[Any, Place]], Loc, dict[str, Any]]


def _person_rows(reader: Reader, table: Table, rows: list[list[Any]]) -> Iterator[Row]:
    """Each row with the candidate it names: (row, cells, the candidate's loc, its data)."""
    known: dict[str, int] = {}
    for n, item in enumerate(reader.out.data.get("candidates") or []):
        if isinstance(item.get("id"), str):
            known.setdefault(item["id"], n)  # a repeated 编号: the model says so
    for i, cells in reader._rows(table, rows):
        if CANDIDATE.key not in cells:
            reader.problem((table.sheet, i, 0), Text("这一行没有填写人选编号",
                                                     "this row names no candidate (人选编号)"),
                           Text("“人选”表中某一行的编号", "the 编号 of a row of the sheet 人选"))
            continue
        value, place = cells.pop(CANDIDATE.key)
        index = known.get(str(value))
        if index is None:
            listed = "、".join(known) or "—"
            reader.problem(place, Text(f"“人选”表中没有编号为 {shown(value)} 的人选",
                                       f"no candidate numbered {shown(value)} in the sheet 人选"),
                           Text(f"以下编号之一：{listed}", f"one of the numbers {listed}"))
            continue
        yield i, cells, ("candidates", index), reader.out.data["candidates"][index]


def _below(reader: Reader, obj: dict[str, Any], path: tuple[str, ...], loc: Loc, place: Place,
           last: list[Any] | dict[str, Any]) -> Any:
    """The list or mapping at `path` below `obj`, made (as `last`) where missing."""
    node: Any = obj
    for n, part in enumerate(path):
        node = node.setdefault(part, last if n == len(path) - 1 else {})
        reader.place((*loc, *path[:n + 1]), place)
    return node


def person_item(reader: Reader, table: Table, rows: list[list[Any]]) -> None:
    """简历, 培训: each row one item of the candidate's list, in the order of the rows."""
    for i, cells, loc, candidate in _person_rows(reader, table, rows):
        place = (table.sheet, i, 0)
        items = _below(reader, candidate, table.section, loc, place, [])
        here = (*loc, *table.section, len(items))
        reader.place(here, place)
        item: dict[str, Any] = {}
        reader._fill(item, here, cells, table.columns)
        items.append(item)


def person_keyed(reader: Reader, table: Table, rows: list[list[Any]]) -> None:
    """年度考核: each row one year's entry of the candidate's mapping, once a year."""
    assert table.key is not None
    [value_column] = [c for c in table.columns if c is not CANDIDATE]
    for i, cells, loc, candidate in _person_rows(reader, table, rows):
        if table.key.key not in cells:
            reader.problem((table.sheet, i, 1), Text(f"这一行没有填写{table.key.zh}",
                                                     f"this row names no {table.key.en}"))
            continue
        key, place = cells.pop(table.key.key)
        index = loc[1]
        assert isinstance(index, int)
        first = reader.keys.setdefault((table.sheet, index, shown(key)), place)
        if first != place:
            reader.problem(place, Text(
                f"{shown(key)} 在同一人选中重复（第一次在 {cell_name(first)}）",
                f"{shown(key)} repeats for one candidate (first at {cell_name(first)})"))
            continue
        if value_column.key not in cells:
            reader.problem(place, Text(f"这一行没有填写{value_column.zh}",
                                       f"this row has no {value_column.en}"))
            continue
        mapping = _below(reader, candidate, table.section, loc, place, {})
        mapping[key], at = cells[value_column.key]
        reader.place((*loc, *table.section, key), at)
