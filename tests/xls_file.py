"""A minimal Excel 97-2003 (.xls, BIFF8) writer, for tests only: text and number cells.

No package on the lock writes .xls, and the reader must be tested on one: this lays out
an OLE compound file (one FAT sector, one directory sector) holding a `Workbook` stream
of BIFF8 records (BOF, BOUNDSHEET, EOF; per sheet BOF, LABEL/NUMBER cells, EOF).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

_END, _FREE, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(dt: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 0x06))


def _text(value: str, width: str) -> bytes:
    encoded = value.encode("utf-16-le")
    return struct.pack(width, len(value)) + b"\x01" + encoded


def _sheet(rows: list[list[object]]) -> bytes:
    return _cells((r, c, value) for r, row in enumerate(rows) for c, value in enumerate(row))


def _cells(cells: Iterable[tuple[int, int, object]]) -> bytes:
    out = _bof(0x0010)
    for r, c, value in cells:
        if value is None:
            continue
        head = struct.pack("<HHH", r, c, 15)
        if isinstance(value, bool):
            raise TypeError("no booleans in this writer")
        if isinstance(value, int | float):
            out += _record(0x0203, head + struct.pack("<d", float(value)))
        else:
            out += _record(0x0204, head + _text(str(value), "<H"))
    return out + _record(0x000A, b"")


def _globals(names: list[str], offsets: list[int]) -> bytes:
    out = _bof(0x0005)
    for name, at in zip(names, offsets, strict=True):
        out += _record(0x0085, struct.pack("<IH", at, 0) + _text(name, "<B"))
    return out + _record(0x000A, b"")


def workbook_stream(sheets: dict[str, list[list[object]]],
                    cells: dict[str, list[tuple[int, int, object]]] | None = None) -> bytes:
    names = [*sheets, *(cells or {})]
    bodies = [_sheet(sheets[n]) for n in sheets] + [_cells(c) for c in (cells or {}).values()]
    head = len(_globals(names, [0] * len(names)))
    offsets, at = [], head
    for body in bodies:
        offsets.append(at)
        at += len(body)
    return _globals(names, offsets) + b"".join(bodies)


def xls_bytes(sheets: dict[str, list[list[object]]],
              cells: dict[str, list[tuple[int, int, object]]] | None = None) -> bytes:
    """The sheets given as rows from A1, and (`cells`) as (row, column, value) places."""
    stream = workbook_stream(sheets, cells)
    size = len(stream)
    padded = stream + bytes(max(4096, -(-size // _SECTOR) * _SECTOR) - size)
    count = len(padded) // _SECTOR
    if count + 2 > _SECTOR // 4:
        raise ValueError("too large for one FAT sector")
    fat = [_FATSECT, _END, *range(3, 2 + count), _END]
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack(
        "<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096,
        _END, 0, _END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108
    directory = _entry("Root Entry", 5, _NOSTREAM, _END, 0, child=1) + _entry(
        "Workbook", 2, _NOSTREAM, 2, len(padded)) + bytes(256)
    return header + struct.pack(f"<{_SECTOR // 4}I", *fat) + directory + padded


def _entry(name: str, kind: int, sibling: int, start: int, size: int,
           child: int = _NOSTREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", sibling, sibling, child) + bytes(16) + bytes(4)
            + bytes(16) + struct.pack("<II", start, size) + bytes(4))
