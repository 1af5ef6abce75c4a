"""Where a path such as ``events[3].ballot.valid`` was written in a JSON text.

A JSON document is read by `json.loads` alone, which keeps no positions; most documents
never need one. When a message needs a line, the path is followed through the text: the
members along the way are read one by one, and every value beside the path is skipped by
json's own C scanner, which reads a value from an offset and says where it ends. No
second reading of the document is built: a lookup costs the path's length plus the
skipped text read at C speed, where composing the text as YAML cost far more.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # C, not in typeshed
from json.scanner import make_scanner

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from selection_rules.source.paths import Loc

_SPACE = re.compile(r"[ \t\n\r]*")
# Skipping needs no value of ours: the plain decoder reads every text json.loads read.
_scan = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # typeshed names the class


class _Missing(Exception):
    """The path leaves the text here: the part does not exist."""


# Where a path's prefix was found: (offset of the mark standing for it, offset of its
# value), kept per document by `Document` so that the violations of one file, whose paths
# mostly share their first parts (`events`, `events[7]`), skip each value once.
Offsets = dict[tuple[str | int, ...], tuple[int, int]]


def locate(text: str, name: str, loc: Loc, offsets: Offsets | None = None,
           ) -> tuple[Node | None, Node | None]:
    """(node whose mark stands for `loc`, the value node at `loc` or None if missing),
    as `Document._locate` answers for YAML: for a mapping member the mark is its key's,
    for a list item the item's, and a missing part stands at its deepest ancestor.
    `offsets` holds (and gets) where prefixes of paths were found in this text."""
    parts = tuple(loc)
    known = offsets if offsets is not None else {}
    start = len(parts)
    while start and parts[:start] not in known:
        start -= 1
    if start:
        found, idx = known[parts[:start]]
    else:
        idx = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
        if idx >= len(text):
            return None, None
        found = idx
    try:
        for at in range(start, len(parts)):
            part = parts[at]
            opener = text[idx]
            if opener == "{":
                found, idx = _member(text, idx, part if isinstance(part, str) else str(part))
            elif opener == "[" and isinstance(part, int) and part >= 0:
                found = idx = _item(text, idx, part)
            else:
                raise _Missing
            known[parts[:at + 1]] = (found, idx)
    except _Missing:
        return _node(text, name, found, value=False), None
    return _node(text, name, found, value=False), _node(text, name, idx, value=True)


def _skip(text: str, idx: int) -> int:
    return _SPACE.match(text, idx).end()  # type: ignore[union-attr]


def _next(text: str, idx: int) -> int:
    """After a value: the start of the next member or item, or _Missing at the closer."""
    idx = _skip(text, idx)
    if text.startswith(",", idx):
        return _skip(text, idx + 1)
    raise _Missing


def _member(text: str, idx: int, key: str) -> tuple[int, int]:
    """(offset of `key`'s key, offset of its value) in the object at `idx`."""
    idx = _skip(text, idx + 1)
    if text.startswith("}", idx):
        raise _Missing
    while True:
        start = idx
        name, idx = scanstring(text, idx + 1)
        idx = _skip(text, _skip(text, idx) + 1)  # past the colon
        if name == key:
            return start, idx
        idx = _next(text, _scan(text, idx)[1])


def _item(text: str, idx: int, index: int) -> int:
    """Offset of the `index`th item of the array at `idx`."""
    idx = _skip(text, idx + 1)
    if text.startswith("]", idx):
        raise _Missing
    for _ in range(index):
        idx = _next(text, _scan(text, idx)[1])
    return idx


def _node(text: str, name: str, idx: int, *, value: bool) -> Node:
    """A node standing at `idx`, as YAML would have composed it (for marks and, with
    `value`, the scalar as written)."""
    line = text.count("\n", 0, idx)
    mark = Mark(name, idx, line, idx - (text.rfind("\n", 0, idx) + 1), None, 0)
    char = text[idx]
    if char == "{":
        return MappingNode("tag:yaml.org,2002:map", [], mark, mark)
    if char == "[":
        return SequenceNode("tag:yaml.org,2002:seq", [], mark, mark)
    if char == '"':
        string = scanstring(text, idx + 1)[0] if value else ""
        return ScalarNode("tag:yaml.org,2002:str", string, mark, mark, style='"')
    end = _scan(text, idx)[1] if value else idx
    return ScalarNode("tag:yaml.org,2002:str", text[idx:end], mark, mark, style=None)
