"""A document whose data changed after it was read: a what-if (`simulate --set`), a rule
test's `changes`.

Its lines still point into the file it was read from, but where a value was changed the
file's text no longer says what the data holds: a message about `events[3].ballot.valid`
set to -5 must show -5, not the 399 the file wrote there.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import Node

from selection_rules.source.document import Document
from selection_rules.source.paths import Loc

_ABSENT = object()


class EditedDocument(Document):
    __slots__ = ("read",)

    def __init__(self, read: Document, data: Any) -> None:
        super().__init__(read.path, read.format, data)
        self.read = read

    def _nodes(self) -> Node | None:
        return self.read._nodes()  # the file's node tree, composed once for both

    def _json_text(self) -> str | None:
        return self.read._json_text()  # lines point into the file as it was read

    def cell_of(self, loc: Loc) -> str | None:
        return self.read.cell_of(loc)  # a workbook's cells, as its lines

    def source_text(self, loc: Loc) -> str | None:
        """The value as the file wrote it, unless it has been changed since."""
        now, then = _at(self.data, loc), _at(self.read.data, loc)
        if now is _ABSENT or then is _ABSENT or type(now) is not type(then) or now != then:
            return None
        return self.read.source_text(loc)


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        inside = (part in data if isinstance(data, dict) else isinstance(data, list)
                  and isinstance(part, int) and 0 <= part < len(data))
        if not inside:
            return _ABSENT
        data = data[part]
    return data
