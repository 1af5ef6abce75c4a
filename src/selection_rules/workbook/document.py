"""A case read from tables: its data, and the cell each value came from.

A workbook's places print as `sheet!cell` (`人选!C5`): `cell_of` gives them and
`line_of` gives none. A CSV is text, so its places are lines: `line_of` is the line of the
file and `column_of` the field's number on it, as a YAML file's are.
"""

from __future__ import annotations

from typing import Any

from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text
from selection_rules.source.document import Document
from selection_rules.source.paths import Loc
from selection_rules.workbook.cells import shown
from selection_rules.workbook.read import Grid, Place, Read, cell_name


class TableDocument(Document):
    __slots__ = ("grid", "lines", "places")

    def __init__(self, path: str, read: Read, grid: Grid,
                 lines: dict[str, list[int]] | None = None) -> None:
        super().__init__(path, "workbook" if lines is None else "csv", read.data)
        self.places = read.places
        self.grid = grid
        # CSV: the line of the file each row of each section was on.
        self.lines = lines

    def _place(self, loc: Loc) -> tuple[Place, bool]:
        """(the cell of `loc` or its nearest ancestor with one, whether it is its own)."""
        key = tuple(loc)
        for n in range(len(key), -1, -1):
            place = self.places.get(key[:n])
            if place is not None:
                return place, n == len(key)
        return self.places[()], False

    def line_of(self, loc: Loc) -> int | None:
        if self.lines is None:
            return None
        sheet, row, _ = self._place(loc)[0]
        rows = self.lines.get(sheet)
        return rows[row] if rows is not None and row < len(rows) else 1

    def column_of(self, loc: Loc) -> int | None:
        return None if self.lines is None else self._place(loc)[0][2] + 1

    def cell_of(self, loc: Loc) -> str | None:
        return cell_name(self._place(loc)[0]) if self.lines is None else None

    def source_text(self, loc: Loc) -> str | None:
        place, own = self._place(loc)
        if not own:
            return None
        sheet, row, col = place
        rows = self.grid.get(sheet, [])
        raw: Any = rows[row][col] if row < len(rows) and col < len(rows[row]) else None
        return None if raw is None else shown(raw)

    def place_problem(self, place: Place, message: Text, expected: Text | None = None,
                      field: str | None = None) -> Problem:
        sheet, row, col = place
        if self.lines is None:
            return Problem(self.path, message, field=field, expected=expected,
                           cell=cell_name(place))
        rows = self.lines.get(sheet, [])
        return Problem(self.path, message, rows[row] if row < len(rows) else None, col + 1,
                       field, expected)


def checked(doc: TableDocument, read: Read) -> TableDocument:
    """`doc`, or InputError with every problem the tables have, each at its cell."""
    if read.problems:
        raise InputError([doc.place_problem(p.place, p.message, p.expected, p.field)
                          for p in read.problems])
    return doc
