"""A loaded document: its plain values, and where each of them was written.

A document is YAML or JSON. It becomes plain values (dict with str keys, list, str, int,
`Fraction`, bool, None, `date`, `datetime`) and remembers its node tree, so that any
later problem found at a path such as ``events[3].ballot.valid`` can name a line.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from selection_rules.source.json_locate import Offsets, locate
from selection_rules.source.paths import Loc
from selection_rules.source.yaml_compose import _MERGE

# "workbook" and "csv": a case read from tables (workbook/document.py).
Format = Literal["yaml", "json", "workbook", "csv"]


# --------------------------------------------------------------------------- document


class Document:
    """A loaded file: its values, and (lazily) where each of them was written.

    Equality is identity, so a `Document` can sit in frozen dataclasses and sets.
    """

    __slots__ = ("_offsets", "_places", "_raw", "_root", "_text", "data", "format", "path")

    def __init__(
        self,
        path: str,
        format: Format,
        data: Any,
        *,
        root: Node | None = None,
        text: str | None = None,
        raw: bytes | None = None,
    ) -> None:
        self.path = path
        self.format: Format = format
        self.data: Any = data
        # YAML keeps the node tree it was built from. JSON keeps only its text: json.loads
        # keeps no positions, and a path is followed through the text when a line is
        # needed (json_locate.py), which most documents never are.
        self._root: Node | None = root
        self._text: str | None = text
        # Or the text's UTF-8 bytes, decoded when a line is first needed (JSON read by
        # orjson, which reads bytes: most documents never need a line).
        self._raw: bytes | None = raw
        # JSON: paths already followed through the text (line_of and column_of ask the
        # same path in turn).
        self._places: dict[tuple[str | int, ...], tuple[Node | None, Node | None]] = {}
        # JSON: where prefixes of those paths begin in the text (json_locate.Offsets).
        self._offsets: Offsets = {}

    def __repr__(self) -> str:
        return f"Document({self.path!r}, {self.format!r})"

    def line_of(self, loc: Loc) -> int | None:
        """1-based line of the value at `loc`; for a mapping key, the line of the key.

        A path that does not exist gives the line of its deepest existing ancestor, so a
        missing field points at the mapping that lacks it. None for a document read from
        no text (a document made in memory).
        """
        node = self._locate(loc)[0]
        return None if node is None else node.start_mark.line + 1

    def cell_of(self, loc: Loc) -> str | None:
        """The workbook cell of the value at `loc` (`人选!C5`); None for a text file."""
        return None

    def column_of(self, loc: Loc) -> int | None:
        """1-based column matching `line_of`."""
        node = self._locate(loc)[0]
        return None if node is None else node.start_mark.column + 1

    def source_text(self, loc: Loc) -> str | None:
        """The scalar at `loc` as written — `0.80`, `2024-02-30`, `"007"` — or None."""
        exact = self._locate(loc)[1]
        if exact is None or exact.__class__ is not ScalarNode:
            return None
        text: str = exact.value
        # Plain style is None from PyYAML's parser and '' from libyaml's.
        return text if not exact.style else json.dumps(text, ensure_ascii=False)

    def _nodes(self) -> Node | None:
        """The YAML node tree (JSON paths are followed through the text: `_json_text`)."""
        return self._root

    def _json_text(self) -> str | None:
        """The JSON text paths are followed through (None for YAML)."""
        if self.format != "json":
            return None
        if self._text is None and self._raw is not None:
            self._text, self._raw = self._raw.decode("utf-8"), None
        return self._text

    def _locate(self, loc: Loc) -> tuple[Node | None, Node | None]:
        """(node whose mark stands for `loc`, the value node at `loc` or None if missing)."""
        text = self._json_text()
        if text is not None:
            key = tuple(loc)
            place = self._places.get(key)
            if place is None:
                place = self._places[key] = locate(text, self.path, key, self._offsets)
            return place
        node = self._nodes()
        if node is None:
            return None, None
        found: Node = node
        for part in loc:
            if node.__class__ is MappingNode:
                pair = _lookup(node, part)
                if pair is None:
                    return found, None
                found, node = pair
            elif (
                node.__class__ is SequenceNode
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                node = found = node.value[part]
            else:
                return found, None
        return found, node


def _lookup(
    mapping: Node, part: str | int, seen: set[int] | None = None
) -> tuple[Node, Node] | None:
    key = part if isinstance(part, str) else str(part)
    merges: list[Node] = []
    for knode, vnode in mapping.value:
        if knode.__class__ is ScalarNode:
            if knode.tag == _MERGE:
                merges.append(vnode)
            elif knode.value == key:
                return knode, vnode
    # Merged keys (`<<: *defaults`) are found where the merged mapping wrote them.
    for source in merges:
        for sub in source.value if source.__class__ is SequenceNode else [source]:
            if sub.__class__ is MappingNode:
                seen = seen if seen is not None else {id(mapping)}
                if id(sub) not in seen:
                    seen.add(id(sub))
                    pair = _lookup(sub, part, seen)
                    if pair is not None:
                        return pair
    return None
