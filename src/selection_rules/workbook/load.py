"""Opening a case workbook (.xlsx, .xls) or CSV into a located `TableDocument`.

A workbook is read with python-calamine (imported here only) from the file's bytes,
after the checks that keep a hostile file bounded: its size (as any input), then for
an .xlsx the size its parts unpack to (a zip bomb is refused before any sheet is read),
the number of sheets and each sheet's rows and columns. A file that is not a workbook,
is damaged or is protected by a password is refused with a message, never a traceback.

A CSV holds one table, and a case needs several: a CSV case is the workbook's sheets one
after the other, each starting with a line naming it in brackets (`[人选]`), then its
header line and rows. Its places are lines of the file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

from selection_rules import limits
from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.report import REPORT_FORMAT
from selection_rules.source.decoding import _looks_gb18030
from selection_rules.source.loading import read_bytes
from selection_rules.workbook.document import TableDocument, checked
from selection_rules.workbook.layout import BY_SHEET
from selection_rules.workbook.read import Grid, Read, cell_name, read_tables

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)
TABLE_SUFFIXES = WORKBOOK_SUFFIXES + CSV_SUFFIXES
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "gb18030": "gb18030", "gbk": "gb18030",
             "gb2312": "gb18030"}

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SECTION = re.compile(r"^\s*[\[【](.+?)[\]】]\s*$")


def is_table_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def load_tables(path: str | Path, encoding: str | None = None) -> TableDocument:
    """The case a workbook or CSV file holds; InputError, located, if it cannot be read."""
    name = str(path)
    raw = read_bytes(path)
    if Path(name).suffix.lower() in CSV_SUFFIXES:
        text = decode_csv(raw, name, encoding)
        grid, lines = csv_grid(text, name)
        read = read_tables(grid)
        return checked(TableDocument(name, read, grid, lines), read)
    grid = workbook_grid(raw, name)
    if REPORT_SHEETS & set(grid) and not set(BY_SHEET) & set(grid):
        # The workbook `validate --format xlsx` writes, perhaps into the folder it reports
        # on: read as the report it is, which a folder's walk passes over
        # (pipeline.other_kind); named on the command line, it is no case, and is told so.
        first = next(iter(grid))
        return TableDocument(name, Read({"format": REPORT_FORMAT}, {(): (first, 0, 0)}), grid)
    read = read_tables(grid)
    return checked(TableDocument(name, read, grid), read)


# The sheets of the report workbook (report/xlsx.py SHEETS, in both languages; a test
# holds the two equal); a case's are layout.BY_SHEET.
REPORT_SHEETS = frozenset({"按单位汇总", "By unit", "按问题汇总", "By problem", "问题清单",
                           "Problems", "整改台账", "Rectification ledger", "逐文件状态",
                           "File status", "重复案卷编号", "Repeated case ids"})


def _fail(name: str, message: Text, expected: Text | None = None, *, cell: str | None = None,
          line: int | None = None) -> NoReturn:
    error = InputError.at(name, message, line=line, expected=expected)
    error.problems[0].cell = cell
    raise error


# ---------------------------------------------------------------------------- workbooks

_NOT_A_WORKBOOK = Text("Excel 工作簿（.xlsx 或 .xls）", "an Excel workbook (.xlsx or .xls)")


def workbook_grid(raw: bytes, name: str) -> Grid:
    suffix = Path(name).suffix.lower()
    if raw.startswith(_OLE) and suffix != ".xls":
        # An .xlsx protected by a password is stored inside an OLE container.
        _fail(name, Text("文件不是 .xlsx 工作簿：它受密码保护，或是改了扩展名的 .xls 文件",
                         "the file is not an .xlsx workbook: it is protected by a password, "
                         "or it is an .xls file renamed"),
              Text("未加密的 .xlsx 文件（在 Excel 或 WPS 中取消密码后另存）",
                   "an .xlsx without a password (remove it in Excel or WPS and save again)"))
    if suffix != ".xls":
        if not raw.startswith(_ZIP):
            _not_a_workbook(name)
        _check_unpacked(raw, name)
    elif not raw.startswith(_OLE):
        _not_a_workbook(name)
    else:
        from selection_rules.workbook.xls_extent import Damaged, xls_extent

        try:
            past = xls_extent(raw, limits.MAX_SHEET_ROWS + 1, limits.MAX_SHEET_COLUMNS)
        except (Damaged, struct.error, IndexError, ValueError):
            _not_a_workbook(name)
        if past is not None:
            _too_big(name, past[0] or "?", past[1], past[2])
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        with _quiet():
            book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
            names = list(book.sheet_names)
    except PasswordError:
        _fail(name, Text("工作簿受密码保护，无法读取", "the workbook is protected by a password"),
              Text("未加密的工作簿", "a workbook without a password"))
    except _STOPS:
        raise
    except BaseException:  # a damaged file: an error or a panic of the reader, all one
        _not_a_workbook(name)
    if len(names) > limits.MAX_SHEETS:
        _fail(name, Text(f"工作簿有 {len(names)} 个工作表，超过上限 {limits.MAX_SHEETS}",
                         f"the workbook has {len(names)} sheets, above the limit of "
                         f"{limits.MAX_SHEETS}"))
    grid: Grid = {}
    for sheet in names:
        try:
            with _quiet():
                found = book.get_sheet_by_name(sheet)
                height, width = found.total_height, found.total_width
        except _STOPS:
            raise
        except BaseException:
            _not_a_workbook(name)
        if height > limits.MAX_SHEET_ROWS + 1 or width > limits.MAX_SHEET_COLUMNS:
            # Measured before it was read (extent.py, xls_extent.py); the reader has the
            # last word on what a sheet holds.
            over_rows = height > limits.MAX_SHEET_ROWS + 1
            _too_big(name, sheet, limits.MAX_SHEET_ROWS + 1 if over_rows else 0,
                     0 if over_rows else limits.MAX_SHEET_COLUMNS)
        try:
            with _quiet():
                rows: list[list[Any]] = found.to_python(skip_empty_area=False)
        except _STOPS:
            raise
        except BaseException:
            _not_a_workbook(name)
        grid[sheet] = rows
    return grid


# The reader is Rust: on a damaged file it may panic, which reaches Python as a
# PanicException (a BaseException, not an Exception) after Rust has printed the panic and
# its backtrace to the standard error. Neither is for a clerk: the panic is caught like any
# error of the reader, and the standard error is closed to it while it reads.
_STOPS = (KeyboardInterrupt, SystemExit, GeneratorExit)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    try:
        saved = os.dup(2)
    except OSError:  # no standard error to save: nothing to keep quiet
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _check_unpacked(raw: bytes, name: str) -> None:
    from selection_rules.workbook.extent import extent, sheet_parts

    # The zip and its parts come from the file: whatever the standard library raises
    # while unpacking them (a bad header, a broken deflate stream, an unknown method)
    # means a damaged file.
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > limits.MAX_WORKBOOK_UNPACKED:
                past: tuple[str, int, int] | None = None
            else:
                parts = sheet_parts(archive)
                past = next(((parts.get(part, part), *found) for part in (
                    i.filename for i in archive.infolist()
                    if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))
                    if (found := extent(archive, part, limits.MAX_SHEET_ROWS + 1,
                                        limits.MAX_SHEET_COLUMNS)) is not None), None)
    except Exception:
        _not_a_workbook(name)
    if unpacked > limits.MAX_WORKBOOK_UNPACKED:
        _fail(name, Text(f"工作簿解压后有 {unpacked} 字节，超过上限 "
                         f"{limits.MAX_WORKBOOK_UNPACKED} 字节",
                         f"the workbook unpacks to {unpacked} bytes, above the limit of "
                         f"{limits.MAX_WORKBOOK_UNPACKED} bytes"))
    if past is not None:
        _too_big(name, past[0], past[1] - 1, max(past[2], 1) - 1)


def _too_big(name: str, sheet: str, row: int, col: int) -> NoReturn:
    """Refuse a sheet with a cell at (row, col), counted from 0, past the limits."""
    _fail(name, Text(
        f"工作表超过上限（{limits.MAX_SHEET_ROWS} 行数据、{limits.MAX_SHEET_COLUMNS} 列），"
        "本单元格已在范围之外",
        f"the sheet is larger than the limit ({limits.MAX_SHEET_ROWS} rows of data, "
        f"{limits.MAX_SHEET_COLUMNS} columns): this cell lies beyond it"),
        cell=cell_name((sheet, row, col)))


def _not_a_workbook(name: str) -> NoReturn:
    _fail(name, Text("无法作为工作簿读取：文件已损坏，或不是 Excel 文件",
                     "cannot be read as a workbook: the file is damaged, or it is not an "
                     "Excel file"), _NOT_A_WORKBOOK)


# ---------------------------------------------------------------------------------- CSV


def decode_csv(raw: bytes, name: str, encoding: str | None) -> str:
    """The CSV's text: in the encoding given, else UTF-8 when it reads as UTF-8, else
    GB18030 when it reads as Chinese text in GB18030; otherwise the encoding must be
    given."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, encoding = raw[3:], encoding or "utf-8"
    if b"\x00" in raw:
        _fail(name, Text("文件含有 NUL 字节：它不是 UTF-8 或 GB18030 文本",
                         "the file contains NUL bytes: it is not UTF-8 or GB18030 text"),
              line=raw.count(b"\n", 0, raw.find(b"\x00")) + 1)
    if encoding is not None:
        codec = ENCODINGS[encoding.lower()]
        try:
            return raw.decode(codec)
        except UnicodeDecodeError as exc:
            _fail(name, Text(f"文件不是 {encoding} 编码：字节 0x{raw[exc.start]:02X} 无法解码",
                             f"the file is not {encoding}: the byte 0x{raw[exc.start]:02X} "
                             "cannot be decoded"),
                  Text("与 --encoding 一致的编码", "the encoding --encoding names"),
                  line=raw.count(b"\n", 0, exc.start) + 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_gb18030(raw):
        return raw.decode("gb18030")
    _fail(name, Text("无法判断文件的编码：它既不是 UTF-8，也不是 GB18030 编码的中文",
                     "cannot tell the file's encoding: it is neither UTF-8 nor Chinese text "
                     "in GB18030"),
          Text("用 --encoding 指明（utf-8 或 gb18030）", "--encoding utf-8 or gb18030"))


def csv_grid(text: str, name: str) -> tuple[Grid, dict[str, list[int]]]:
    """The sections of a CSV as sheets, and the line each of their rows is on."""
    grid: Grid = {}
    lines: dict[str, list[int]] = {}
    sheet: str | None = None
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if len(record) > limits.MAX_SHEET_COLUMNS:
                _fail(name, Text(f"这一行有 {len(record)} 个字段，超过上限 "
                                 f"{limits.MAX_SHEET_COLUMNS}",
                                 f"the line has {len(record)} fields, above the limit of "
                                 f"{limits.MAX_SHEET_COLUMNS}"), line=start)
            filled = [f for f in record if f.strip()]
            head = _SECTION.match(record[0]) if len(filled) == 1 and record[0] else None
            if head is not None:
                sheet = head.group(1).strip()
                if sheet in grid:
                    _fail(name, Text(f"“{sheet}”一节出现了两次", f"the section {sheet!r} "
                                     "appears twice"), line=start)
                grid[sheet], lines[sheet] = [], []
                continue
            if sheet is not None and not filled and not grid[sheet]:
                continue  # blank lines before a section's header
            if sheet is None:
                if filled:
                    _fail(name, Text("CSV 案卷应以一节的名称开头，如 [基本信息]",
                                     "a CSV case starts with the name of a section, e.g. "
                                     "[基本信息]"),
                          Text("每节一行 [表名]，其后是列名行和数据行",
                               "a line [sheet name] before each section, then its header "
                               "and rows"), line=start)
                continue
            if len(grid[sheet]) > limits.MAX_SHEET_ROWS:
                _fail(name, Text(f"“{sheet}”一节超过 {limits.MAX_SHEET_ROWS} 行",
                                 f"the section {sheet!r} has more than "
                                 f"{limits.MAX_SHEET_ROWS} rows"), line=start)
            grid[sheet].append(list(record))
            lines[sheet].append(start)
    except csv.Error:
        _fail(name, Text("CSV 格式有误（如引号不成对）", "malformed CSV (e.g. an unpaired quote)"),
              line=line)
    # A section's rows start at its header; an empty section reads as an empty sheet.
    return grid, lines
