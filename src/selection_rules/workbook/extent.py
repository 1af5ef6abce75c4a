"""How far each sheet of an .xlsx reaches, found before the reader is let near it.

calamine holds a sheet as one dense block from its first used cell to its last: a 5 KB
file with a cell at A1 and another at XFD1048576 asks it for 17 billion cells (about
550 GB), and the process dies. So each worksheet part is scanned first, as text in
chunks (never parsed as XML, so no entity can expand): every row's and cell's `r`
reference, and the cells that give none (their place follows the one before), bound the
rows and columns the sheet would have. A sheet past the limits is refused at the first
cell out of bounds.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator

_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{0,3})([0-9]{0,7})["']""")
_SHEET = re.compile(r"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_RELATION = re.compile(r"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(r"""([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CHUNK = 1 << 20


def column_number(letters: bytes) -> int:
    """b"A" → 1, b"XFD" → 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _attributes(text: str) -> dict[str, str]:
    return {k.split(":")[-1]: html.unescape(a if a else b)
            for k, a, b in _ATTRIBUTE.findall(text)}


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (`xl/worksheets/sheet1.xml`) → the sheet's name."""
    try:
        book = archive.read("xl/workbook.xml")[:4 << 20].decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels")[:4 << 20].decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {}
    for m in _RELATION.finditer(rels):
        found = _attributes(m.group(1))
        if "Id" in found and "Target" in found:
            target = found["Target"].lstrip("/")
            targets[found["Id"]] = target if target.startswith("xl/") else "xl/" + target
    out = {}
    for m in _SHEET.finditer(book):
        found = _attributes(m.group(1))
        if "id" in found and found["id"] in targets and "name" in found:
            out[targets[found["id"]]] = found["name"]
    return out


def extent(archive: zipfile.ZipFile, part: str, max_rows: int, max_columns: int
           ) -> tuple[int, int] | None:
    """The first (row, column), counted from 1, past `max_rows` or `max_columns` in the
    worksheet `part`, or None if the sheet keeps within them."""
    rows: set[bytes] = set()
    columns: set[bytes] = set()
    for text in _chunks(archive, part):
        # Every writer names each row and cell first thing in its tag (`<c r="C5"`): the
        # largest of them is the extent, found without a step of Python per cell. A tag
        # written otherwise (a prefix, `r` later, a place left implied) is walked instead.
        cells = _CELL.findall(text)
        named = _ROW.findall(text)
        if (b":c" in text or b":row" in text
                or len(cells) != sum(map(text.count, (b"<c ", b"<c>", b"<c/")))
                or len(named) != sum(map(text.count, (b"<row ", b"<row>", b"<row/")))):
            return _walk(archive, part, max_rows, max_columns)
        for letters, digits in set(cells):
            columns.add(letters)
            rows.add(digits)
        rows.update(named)
    row = max(map(int, rows), default=0)
    col = max(map(column_number, columns), default=0)
    if row > max_rows or col > max_columns:
        return _walk(archive, part, max_rows, max_columns)  # the first such cell
    return None


_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_ROW = re.compile(rb'<row r="([0-9]{1,7})"')


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's text in pieces of about a megabyte, never cutting a tag."""
    tail = b""
    with archive.open(part) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                if tail:
                    yield tail
                return
            text = tail + chunk
            cut = text.rfind(b"<")
            if cut >= 0 and text.find(b">", cut) < 0:
                text, tail = text[:cut], text[cut:]
            else:
                tail = b""
            yield text


def _walk(archive: zipfile.ZipFile, part: str, max_rows: int, max_columns: int
          ) -> tuple[int, int] | None:
    """The first row or cell out of bounds, tag by tag (places that are implied too)."""
    row = col = 0  # the place of the last row and cell seen
    for text in _chunks(archive, part):
        for m in _TAG.finditer(text):
            ref = _REF.search(m.group(2))
            if m.group(1) == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
            else:
                if ref and ref.group(2):
                    row = int(ref.group(2))
                col = column_number(ref.group(1)) if ref and ref.group(1) else col + 1
            if row > max_rows or col > max_columns:
                return row, col
    return None
