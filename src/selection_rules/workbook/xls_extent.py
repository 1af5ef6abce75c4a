"""How far each sheet of an .xls reaches, found before the reader is let near it.

As for an .xlsx (extent.py), calamine holds a sheet as one block from its first used
cell to its last: a 5 KB .xls with cells at A1 and IV65536 made it take 1 GB. So the
file's compound-document container is followed here (its sector tables, with every
chain bounded by the number of sectors, so a loop in them ends) to the `Workbook`
stream, whose cell records (each starts with its row and column) are read in turn.
"""

from __future__ import annotations

import struct

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LAST = 0xFFFFFFFA  # sector numbers from here on are markers, not sectors
_BOF, _BOUNDSHEET = 0x0809, 0x0085
# Records that place a cell (row, column first): NUMBER, LABEL, LABELSST, RK, BOOLERR,
# FORMULA, BLANK, RSTRING; MULRK and MULBLANK end with their last column.
_CELLS = frozenset({0x0203, 0x0204, 0x00FD, 0x027E, 0x0205, 0x0006, 0x0201, 0x00D6})
_MULTI = frozenset({0x00BD, 0x00BE})


class Damaged(ValueError):
    """The container or its records do not hold together."""


def _u32(data: bytes, at: int) -> int:
    if at + 4 > len(data):
        raise Damaged
    return int.from_bytes(data[at:at + 4], "little")


def workbook_stream(raw: bytes) -> bytes:
    """The `Workbook` (or BIFF5 `Book`) stream of an OLE compound file."""
    if len(raw) < 512 or not raw.startswith(_OLE):
        raise Damaged
    shift, mini_shift = struct.unpack_from("<HH", raw, 30)
    if shift not in (9, 12) or mini_shift != 6:
        raise Damaged
    size = 1 << shift
    count = max(0, (len(raw) - size) // size)

    def sector(i: int) -> bytes:
        if not 0 <= i < count:
            raise Damaged
        return raw[(i + 1) * size:(i + 2) * size]

    difat = [_u32(raw, 76 + 4 * k) for k in range(109)]
    nxt, hops = _u32(raw, 68), 0
    while nxt < _LAST:
        hops += 1
        if hops > count:
            raise Damaged
        block = sector(nxt)
        difat += [_u32(block, 4 * k) for k in range(size // 4 - 1)]
        nxt = _u32(block, size - 4)
    fat_sectors = [s for s in difat if s < _LAST][:_u32(raw, 44)]
    fat = b"".join(sector(s) for s in fat_sectors)

    def chain(start: int, table: bytes, limit: int) -> list[int]:
        out: list[int] = []
        while start < _LAST:
            if len(out) > limit:
                raise Damaged  # a loop
            out.append(start)
            start = _u32(table, 4 * start)
        return out

    directory = b"".join(sector(s) for s in chain(_u32(raw, 48), fat, count))
    entries = [directory[k:k + 128] for k in range(0, len(directory) - 127, 128)]
    if not entries:
        raise Damaged
    found = None
    for entry in entries:
        length = min(int.from_bytes(entry[64:66], "little"), 64)
        name = entry[:max(0, length - 2)].decode("utf-16-le", "replace")
        if entry[66] == 2 and name in ("Workbook", "Book"):
            found = entry
            break
    if found is None:
        raise Damaged
    start, length = _u32(found, 116), _u32(found, 120)
    if length >= _u32(raw, 56):  # a large stream: in sectors
        data = b"".join(sector(s) for s in chain(start, fat, count))
    else:  # a small one: in the root entry's mini stream, by the mini table
        mini = b"".join(sector(s) for s in chain(_u32(entries[0], 116), fat, count))
        table = b"".join(sector(s) for s in chain(_u32(raw, 60), fat, count))
        pieces = chain(start, table, len(mini) // 64)
        data = b"".join(mini[64 * s:64 * s + 64] for s in pieces)
    if len(data) < length:
        raise Damaged
    return data[:length]


def xls_extent(raw: bytes, max_rows: int, max_columns: int
               ) -> tuple[str | None, int, int] | None:
    """(sheet, row, column), counted from 0, of the first cell past the limits, or None.
    Raise `Damaged` if the file cannot be followed."""
    stream = workbook_stream(raw)
    names: dict[int, str] = {}
    sheet: str | None = None
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + length]
        if kind == _BOUNDSHEET and len(body) >= 8:
            wide = body[7] & 1
            text = body[8:8 + body[6] * (2 if wide else 1)]
            names[_u32(body, 0)] = text.decode("utf-16-le" if wide else "latin-1", "replace")
        elif kind == _BOF:
            sheet = names.get(at, sheet)
        elif (kind in _CELLS or kind in _MULTI) and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            if kind in _MULTI and len(body) >= 6:
                col = max(col, int.from_bytes(body[-2:], "little"))
            if row >= max_rows or col >= max_columns:
                return sheet, row, col
        at += 4 + length
    return None
