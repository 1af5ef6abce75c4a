"""Tables (a workbook's sheets, or a CSV's sections) → the plain data of a case, with the
cell every value came from.

The data is what the same case written in YAML gives (dict, list, str, int, `Fraction`,
bool, `date`), so the case model, the rules and the reports need not know a workbook
from a YAML file. Each value's path (`events[3].ballot.tallies.C03.agree`) is kept with
its cell; a path with no cell of its own (a field left out) is placed at its nearest
ancestor that has one: the row, then the sheet. Problems of the tables themselves (an
unknown sheet or header, a row naming an event or a candidate that is not there, a cell
that is not a date, a rank that is none) are all collected, each at its cell, before
anything is validated.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from selection_rules.i18n import Text
from selection_rules.model.vocabulary import VOCABULARIES
from selection_rules.source.paths import PathError, format_loc, parse_loc
from selection_rules.workbook.cells import CellError, is_blank, shown, value_of
from selection_rules.workbook.layout import (
    ATTRIBUTE_PREFIXES,
    BY_SHEET,
    EVENT,
    GUIDE_SHEET,
    SEQ,
    TABLES,
    Column,
    Table,
)

Loc = tuple[str | int, ...]
Place = tuple[str, int, int]  # sheet, row, column (counted from 0)
Grid = dict[str, list[list[Any]]]  # sheet -> rows of cells, from A1
MAX_PROBLEMS = 100


@dataclass
class TableProblem:
    place: Place
    message: Text
    expected: Text | None = None
    field: str | None = None


@dataclass
class Read:
    data: dict[str, Any]
    places: dict[Loc, Place]
    problems: list[TableProblem] = field(default_factory=list)


def column_name(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def cell_name(place: Place) -> str:
    sheet, row, col = place
    return f"{sheet}!{column_name(col)}{row + 1}"


def read_tables(grid: Grid) -> Read:
    return Reader(grid).run()


class Reader:
    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        first = next(iter(grid), "基本信息")
        self.out = Read({}, {(): ("基本信息" if "基本信息" in grid else first, 0, 0)})
        self.events: dict[int, tuple[int, Place]] = {}  # 序号 -> (index, its cell)
        self.planned: dict[int, Place] = {}  # 序号 of rows with no date yet
        self.sections: dict[tuple[str, int], Place] = {}  # (sheet, event) -> first row
        self.keys: dict[tuple[str, int, str], Place] = {}
        self.unread: set[int] = set()  # columns whose header is a problem
        self.more = 0  # problems past MAX_PROBLEMS, counted only

    def problem(self, place: Place, message: Text, expected: Text | None = None,
                loc: Loc | None = None) -> None:
        # A sheet gone wrong as a whole would give a problem per cell: the first ones
        # say what is wrong, and the count says how much.
        if len(self.out.problems) < MAX_PROBLEMS:
            self.out.problems.append(TableProblem(place, message, expected,
                                                  format_loc(loc) if loc else None))
        else:
            self.more += 1

    def place(self, loc: Loc, place: Place) -> None:
        self.out.places.setdefault(loc, place)

    def run(self) -> Read:
        for sheet in self.grid:
            if sheet not in BY_SHEET and sheet != GUIDE_SHEET:
                known = "、".join(t.sheet for t in TABLES)
                known_en = ", ".join(f"{t.sheet} ({t.title.en})" for t in TABLES)
                self.problem((sheet, 0, 0), Text(
                    f"工作表“{sheet}”不是本工具读取的表", f"the sheet {sheet!r} is not one "
                    "this tool reads"), Text(f"以下工作表之一：{known}（或删去该表）",
                                             f"one of the sheets {known_en} (or remove it)"))
        for table in TABLES:
            rows = self.grid.get(table.sheet)
            if rows is not None:
                getattr(self, "_" + table.shape)(table, rows)
        if self.more:
            last = self.out.problems[-1].place
            self.out.problems.append(TableProblem(last, Text(
                f"另有 {self.more} 处问题未列出", f"and {self.more} more problems not listed")))
        return self.out

    # ------------------------------------------------------------------ headers, rows

    def _headers(self, table: Table, rows: list[list[Any]]) -> list[Column | None]:
        header = rows[0] if rows else []
        names: dict[str, Column] = {}
        for col in (*table.columns, *((table.key,) if table.key else ())):
            for name in (col.zh, col.en, col.key):
                names[name.lower()] = col
        out: list[Column | None] = []
        seen: dict[str, int] = {}
        self.unread = set()  # columns whose header is already a problem
        for j, raw in enumerate(header):
            if is_blank(raw):
                out.append(None)
                continue
            text = shown(raw).strip()
            found = names.get(text.lower())
            attribute = next((text[len(p):].strip() for p in ATTRIBUTE_PREFIXES
                              if table.sheet == "人选" and text.startswith(p)), None)
            if attribute:
                found = Column(text, ("attributes", attribute), "auto", text)
            if found is None:
                self.unread.add(j)
                columns = (*table.columns, *((table.key,) if table.key else ()))
                listed = "、".join(c.zh for c in columns)
                # The headers are Chinese as typed; the English says what each holds.
                listed_en = ", ".join(f"{c.zh} ({c.en})" for c in columns)
                extra = "，或 属性:名称" if table.sheet == "人选" else ""
                extra_en = ", or 属性:name (a fact about the candidate)" \
                    if table.sheet == "人选" else ""
                self.problem((table.sheet, 0, j), Text(
                    f"“{table.sheet}”表没有“{text}”这一列", f"the sheet {table.sheet!r} has "
                    f"no column {text!r}"), Text(f"以下列名之一：{listed}{extra}",
                                                 f"one of the headers {listed_en}{extra_en}"))
            elif found.key in seen:
                self.unread.add(j)
                self.problem((table.sheet, 0, j), Text(
                    f"“{text}”列与第 {column_name(seen[found.key])} 列重复",
                    f"the column {text!r} repeats column {column_name(seen[found.key])}"))
                found = None
            else:
                seen[found.key] = j
            out.append(found)
        return out

    def _rows(self, table: Table, rows: list[list[Any]]
              ) -> Iterator[tuple[int, dict[str, tuple[Any, Place]]]]:
        """Each non-blank row after the header: column key -> (value, cell)."""
        headers = self._headers(table, rows)
        for i in range(1, len(rows)):
            row = rows[i]
            cells: dict[str, tuple[Any, Place]] = {}
            for j, raw in enumerate(row):
                if is_blank(raw):
                    continue
                place = (table.sheet, i, j)
                col = headers[j] if j < len(headers) else None
                if col is None and j in self.unread:
                    continue
                if col is None:
                    self.unread.add(j)  # said once, at the column's first cell
                    self.problem(place, Text("这一列没有列名，却有内容",
                                             "this column has cells but no header"),
                                 Text("在第 1 行写上列名，或清空该列",
                                      "a header in row 1, or an empty column"))
                    continue
                try:
                    value = value_of(raw, col.kind)
                except CellError as exc:
                    self.problem(place, exc.message, exc.expected)
                    continue
                vocabulary = VOCABULARIES[col.terms] if col.terms else None
                if vocabulary is not None and isinstance(value, str) \
                        and vocabulary.find(value) is None and not vocabulary.open:
                    self.problem(place, vocabulary.unknown(value), vocabulary.expected())
                    continue
                cells[col.key] = (value, place)
            if cells:
                yield i, cells

    def _event_of(self, table: Table, cells: dict[str, tuple[Any, Place]], i: int
                  ) -> int | None:
        """The event a row of an event's table names by its 环节序号."""
        if EVENT.key not in cells:
            self.problem((table.sheet, i, 0), Text("这一行没有填写环节序号",
                                                   "this row names no event (环节序号)"),
                         Text("“各环节”表中某一行的序号", "the 序号 of a row of 各环节"))
            return None
        value, place = cells.pop(EVENT.key)
        if isinstance(value, int) and value in self.events:
            return self.events[value][0]
        if isinstance(value, int) and value in self.planned:
            self.problem(place, Text(f"环节 {value} 在“各环节”表中还没有日期",
                                     f"the step numbered {value} has no date in 各环节 yet"),
                         Text("先在“各环节”表中填写该环节的日期",
                              "its date in the sheet 各环节 first"))
            return None
        listed = "、".join(map(str, self.events)) or "—"
        self.problem(place, Text(f"“各环节”表中没有序号为 {shown(value)} 的环节",
                                 f"no step numbered {shown(value)} in the sheet 各环节"),
                     Text(f"以下序号之一：{listed}", f"one of the numbers {listed}"))
        return None

    def _fill(self, target: dict[str, Any], base: Loc,
              cells: dict[str, tuple[Any, Place]], columns: Sequence[Column]) -> None:
        for col in columns:
            if col.key not in cells:
                continue
            value, place = cells[col.key]
            node = target
            for part in col.path[:-1]:
                node = node.setdefault(part, {})
                self.place((*base, *col.path[:col.path.index(part) + 1]), place)
            node[col.path[-1]] = value
            self.place((*base, *col.path), place)
        for key, (value, place) in cells.items():
            if key.startswith("attributes."):
                target.setdefault("attributes", {})[key[len("attributes."):]] = value
                self.place((*base, "attributes", key[len("attributes."):]), place)

    # ------------------------------------------------------------------- the shapes

    def _top(self, table: Table, rows: list[list[Any]]) -> None:
        names: dict[str, Column] = {}
        for col in table.columns:
            for name in (col.zh, col.en):
                names[name.lower()] = col
        seen: dict[str, Place] = {}
        for i, row in enumerate(rows):
            label = row[0] if row else None
            rest = [(j, raw) for j, raw in enumerate(row) if j and not is_blank(raw)]
            if is_blank(label):
                for j, _ in rest:
                    self.problem((table.sheet, i, j), Text("这一行的第一格没有写项目名称",
                                                           "this row names no field in column A"))
                continue
            text = shown(label).strip()
            if i == 0 and text in ("项目", "field"):
                continue  # the header row
            found = names.get(text.lower())
            if found is None:
                listed = "、".join(c.zh for c in table.columns)
                listed_en = ", ".join(f"{c.zh} ({c.en})" for c in table.columns)
                self.problem((table.sheet, i, 0), Text(
                    f"“{table.sheet}”表没有“{text}”这一项", f"the sheet {table.sheet!r} has no "
                    f"field {text!r}"), Text(f"以下项目之一：{listed}", f"one of {listed_en}"))
                continue
            col = found
            if col.key in seen:
                self.problem((table.sheet, i, 0), Text(
                    f"“{text}”重复（第一次在 {cell_name(seen[col.key])}）",
                    f"{text!r} is given twice (first at {cell_name(seen[col.key])})"))
                continue
            seen[col.key] = (table.sheet, i, 0)
            self.place(col.path, (table.sheet, i, 1))  # where a missing value goes
            for j, _raw in rest[1:]:
                self.problem((table.sheet, i, j), Text("每项只在 B 列填写一个值",
                                                       "each field takes one value, in column B"))
            if not rest:
                continue
            j, raw = rest[0]
            place = (table.sheet, i, j)
            try:
                self.out.data[col.path[0]] = value_of(raw, col.kind)
            except CellError as exc:
                self.problem(place, exc.message, exc.expected)
                continue
            self.place(col.path, place)

    def _list(self, table: Table, rows: list[list[Any]]) -> None:
        items: list[dict[str, Any]] = self.out.data.setdefault(table.section[0], [])
        self.place(table.section, (table.sheet, 1, 0))  # an empty list: its first row
        for i, cells in self._rows(table, rows):
            loc: Loc = (table.section[0], len(items))
            self.place(loc, (table.sheet, i, 0))
            item: dict[str, Any] = {}
            self._fill(item, loc, cells, table.columns)
            items.append(item)

    def _events(self, table: Table, rows: list[list[Any]]) -> None:
        events: list[dict[str, Any]] = self.out.data.setdefault("events", [])
        self.place(("events",), (table.sheet, 1, 0))
        for i, cells in self._rows(table, rows):
            seq_cell = cells.pop(SEQ.key, None)
            filled = set(cells) - {"type"}
            if seq_cell is None:
                self.problem((table.sheet, i, 0), Text("这一行没有填写序号",
                                                       "this row has no number (序号)"),
                             Text("从 1 起的整数，各行不同", "a whole number from 1, one per row"))
                continue
            seq, place = seq_cell
            if not isinstance(seq, int) or seq < 1:
                self.problem(place, Text(f"序号 {shown(seq)} 不是正整数",
                                         f"the number {shown(seq)} is not a whole number ≥ 1"),
                             Text("从 1 起的整数", "a whole number from 1"))
                continue
            first = self.events.get(seq, (None, self.planned.get(seq)))[1]
            if first is not None:
                self.problem(place, Text(f"序号 {seq} 重复（第一次在 {cell_name(first)}）",
                                         f"the number {seq} repeats {cell_name(first)}"),
                             Text("各行不同的序号", "a different number on each row"))
                continue
            if not filled:
                # A step listed but not yet held (the template lists them all): no event.
                self.planned[seq] = place
                continue
            loc: Loc = ("events", len(events))
            self.events[seq] = (len(events), place)
            self.place(loc, place)
            event: dict[str, Any] = {}
            self._fill(event, loc, cells, table.columns)
            events.append(event)

    def _target(self, event: dict[str, Any], path: tuple[str, ...], loc: Loc,
                place: Place) -> dict[str, Any] | list[Any]:
        node: Any = event
        for n, part in enumerate(path):
            node = node.setdefault(part, [] if (n == len(path) - 1 and part in (
                "reports", "documents")) else {})
            self.place((*loc, *path[:n + 1]), place)
        return node  # type: ignore[no-any-return]

    def _event_rows(self, table: Table, rows: list[list[Any]]
                    ) -> Iterator[tuple[int, dict[str, tuple[Any, Place]], Loc, dict[str, Any]]]:
        for i, cells in self._rows(table, rows):
            index = self._event_of(table, cells, i)
            if index is None:
                continue
            yield i, cells, ("events", index), self.out.data["events"][index]

    def _section(self, table: Table, rows: list[list[Any]]) -> None:
        for i, cells, loc, event in self._event_rows(table, rows):
            place = (table.sheet, i, 0)
            first = self.sections.setdefault((table.sheet, loc[1]), place)  # type: ignore[arg-type]
            if first != place:
                self.problem(place, Text(
                    f"同一环节在“{table.sheet}”表中只能有一行（已有 {cell_name(first)}）",
                    f"one row per step in the sheet {table.sheet!r} (already {cell_name(first)})"))
                continue
            target = self._target(event, table.section, loc, place)
            self._fill(target, (*loc, *table.section), cells,  # type: ignore[arg-type]
                       table.columns)

    def _item(self, table: Table, rows: list[list[Any]]) -> None:
        for i, cells, loc, event in self._event_rows(table, rows):
            place = (table.sheet, i, 0)
            items = self._target(event, table.section, loc, place)
            assert isinstance(items, list)
            item: dict[str, Any] = {}
            here = (*loc, *table.section, len(items))
            self.place(here, place)
            self._fill(item, here, cells, table.columns)
            items.append(item)

    def _keyed_rows(self, table: Table, rows: list[list[Any]]) -> Iterator[
            tuple[dict[str, tuple[Any, Place]], Loc, str, Place, dict[str, Any]]]:
        """Each row of a table keyed by a candidate (or another key): its cells, its
        event's path, the key and its cell, and the mapping of its event the key goes in.
        A row without a key is a located problem and is passed over."""
        assert table.key is not None
        for i, cells, loc, event in self._event_rows(table, rows):
            if table.key.key not in cells:
                self.problem((table.sheet, i, 1), Text(f"这一行没有填写{table.key.zh}",
                                                       f"this row names no {table.key.en}"))
                continue
            key, place = cells.pop(table.key.key)
            mapping = self._target(event, table.section, loc, place)
            assert isinstance(mapping, dict)
            yield cells, loc, str(key), place, mapping

    def _keyed(self, table: Table, rows: list[list[Any]]) -> None:
        for cells, loc, key, place, mapping in self._keyed_rows(table, rows):
            first = self.keys.setdefault((table.sheet, loc[1], key), place)  # type: ignore[arg-type]
            if first != place:
                self.problem(place, Text(f"{key} 在同一环节中重复（第一次在 {cell_name(first)}）",
                                         f"{key} repeats within one step (first at "
                                         f"{cell_name(first)})"))
                continue
            here = (*loc, *table.section, key)
            self.place(here, place)
            value_columns = [c for c in table.columns if c is not EVENT]
            if len(value_columns) == 1 and not value_columns[0].path:
                col = value_columns[0]
                if col.key in cells:
                    mapping[key], at = cells[col.key]
                    self.places[here] = at
                else:
                    self.problem(place, Text(f"这一行没有填写{col.zh}",
                                             f"this row has no {col.en}"))
            else:
                entry: dict[str, Any] = {}
                self._fill(entry, here, cells, value_columns)
                mapping[key] = entry

    @property
    def places(self) -> dict[Loc, Place]:
        return self.out.places

    def _keyed_list(self, table: Table, rows: list[list[Any]]) -> None:
        for cells, loc, key, place, mapping in self._keyed_rows(table, rows):
            items = mapping.setdefault(key, [])
            here = (*loc, *table.section, key, len(items))
            self.place(here[:-1], place)
            self.place(here, place)
            entry: dict[str, Any] = {}
            self._fill(entry, here, cells, table.columns)
            # A point with no separate example is a text that states both, as in YAML.
            items.append(entry["point"] if set(entry) == {"point"} else entry)

    # A candidate's facts (简历, 培训, 年度考核): read_facts.py.
    def _person_item(self, table: Table, rows: list[list[Any]]) -> None:
        # Imported here: it imports this module.
        from selection_rules.workbook.read_facts import person_item

        person_item(self, table, rows)

    def _person_keyed(self, table: Table, rows: list[list[Any]]) -> None:
        # Imported here: it imports this module.
        from selection_rules.workbook.read_facts import person_keyed

        person_keyed(self, table, rows)

    def _other(self, table: Table, rows: list[list[Any]]) -> None:
        for i, cells in self._rows(table, rows):
            if "path" not in cells:
                self.problem((table.sheet, i, 0), Text("这一行没有填写路径",
                                                       "this row has no path"),
                             Text("如 events[3].talks[0].kind", "e.g. events[3].talks[0].kind"))
                continue
            text, place = cells["path"]
            if "value" not in cells:
                self.problem((table.sheet, i, 1), Text("这一行没有填写值", "this row has no value"))
                continue
            value, at = cells["value"]
            try:
                loc = parse_loc(str(text))
            except PathError as exc:
                self.problem(place, exc.message, exc.expected)
                continue
            if not loc:
                self.problem(place, Text("路径为空", "the path is empty"))
                continue
            self._assign(loc, value, place, at)

    def _assign(self, loc: Loc, value: Any, place: Place, at: Place) -> None:
        node: Any = self.out.data
        for n, part in enumerate(loc):
            last = n == len(loc) - 1
            new: Any = value if last else ([] if isinstance(loc[n + 1], int) else {})
            if isinstance(node, dict) and isinstance(part, str):
                if last and part in node:
                    self._taken(loc, place)
                    return
                node = node.setdefault(part, new)
            elif isinstance(node, list) and isinstance(part, int) and part <= len(node):
                if part == len(node):
                    node.append(new)
                elif last:
                    self._taken(loc, place)
                    return
                node = node[part]
            else:
                where = format_loc(loc[:n]) or "—"
                self.problem(place, Text(
                    f"路径 {format_loc(loc)} 不合：{where} 之下不能有 {part!r}"
                    + ("（列表项要依次编号，从 0 起）" if isinstance(part, int) else ""),
                    f"the path {format_loc(loc)} does not fit: {where} cannot hold {part!r}"
                    + (" (list items are numbered in turn from 0)"
                       if isinstance(part, int) else "")))
                return
            self.place(loc[:n + 1], at if last else place)

    def _taken(self, loc: Loc, place: Place) -> None:
        first = self.places.get(loc)
        where = cell_name(first) if first else "—"
        self.problem(place, Text(f"{format_loc(loc)} 已经在 {where} 填写过",
                                 f"{format_loc(loc)} is already given at {where}"))
