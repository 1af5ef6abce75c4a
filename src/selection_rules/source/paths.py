"""The path notation: `events[3].ballot.tallies.C03.agree`, read, written and filled in."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from selection_rules.i18n import Text

Loc = Sequence[str | int]


# -------------------------------------------------------------------------------- paths
#
# One notation for a place in a document, read and written here only: `events[3]` is an
# index (digits 0-9 in brackets, nothing else), and every other token is a mapping key as
# written — `C01`, `2024`, `①`, `张三` are all keys. A key with `.`, `[`, `]`, quotes or
# spaces at its ends is quoted: `tallies["a.b"]` (a JSON string) or `tallies['a.b']`.

PATH_EXAMPLE = Text("如 events[3].ballot.tallies.C03.agree",
                    "e.g. events[3].ballot.tallies.C03.agree")
_BRACKETS = Text('方括号内写从 0 开始的序号，如 [3]，或加引号的键，如 ["a.b"]',
                 'inside [ ] an index counted from 0, e.g. [3], or a quoted key, e.g. ["a.b"]')
_KEY_AFTER_DOT = Text("每个“.”之后是一个键名，如 ballot.valid",
                      "a key after each `.`, e.g. ballot.valid")
_PATH_TOKEN = re.compile(r"""
      (?P<key>[^.\[\]"']+)
    | \[(?P<index>[0-9]+)\]
    | \[(?P<dq>"(?:[^"\\]|\\.)*")\]
    | \['(?P<sq>[^']*)'\]
    | (?P<dot>\.)
""", re.X)
_NEEDS_QUOTES = re.compile(r"""[.\[\]"']|^\s|\s$""")


class PathError(ValueError):
    """A path that cannot be read, or that does not fit the data it is applied to.

    Callers turn it into a located `Problem` of their own (a test file's line, `--set`).
    """

    def __init__(self, message: Text, *, column: int | None = None,
                 expected: Text | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.column = column  # 1-based, in the path text
        self.expected = expected


@dataclass(frozen=True)
class Hole:
    """A token of a path template still to be filled: `{item}`, `[{index}]`, `C{index}`."""

    text: str
    bracketed: bool


def parse_loc(text: str) -> tuple[str | int, ...]:
    """`events[3].ballot.tallies.C03.agree` -> ('events', 3, 'ballot', 'tallies', 'C03',
    'agree'); raise `PathError` naming the character where the text stops making sense."""
    return tuple(p for p in _scan_loc(text, holes=False) if not isinstance(p, Hole))


def parse_loc_template(text: str) -> tuple[str | int | Hole, ...]:
    """A path in which `{name}` may stand for a key or part of one, and `[{name}]` for an
    index: `candidates[{index}]`, `ballot.tallies.{item}`. Fill it with `fill_loc`."""
    return tuple(_scan_loc(text, holes=True))


def fill_loc(template: Sequence[str | int | Hole],
             values: Mapping[str, str | int]) -> tuple[str | int, ...]:
    """The path with each hole filled from `values`.

    A filled hole is ONE token whatever its value holds: an id `a.b` or `2024` is a key,
    never a path or an index. Only a hole written `[{name}]` whose value is an int becomes
    an index. The path stops before the first hole naming a value not given, so it still
    points at the nearest place that is known.
    """
    out: list[str | int] = []
    for part in template:
        if not isinstance(part, Hole):
            out.append(part)
            continue
        names = _HOLE.findall(part.text)
        if any(name not in values for name in names):
            break
        whole = _HOLE.fullmatch(part.text)
        if part.bracketed and whole is not None and isinstance(values[whole.group(1)], int):
            out.append(values[whole.group(1)])
        else:
            out.append(_HOLE.sub(lambda m: str(values[m.group(1)]), part.text))
    return tuple(out)


_HOLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_INDEX_HOLE = re.compile(r"\[(\{[A-Za-z_][A-Za-z0-9_]*\})\]")


def _scan_loc(text: str, *, holes: bool) -> list[str | int | Hole]:
    if not text.strip():
        raise PathError(Text("路径为空", "the path is empty"), expected=PATH_EXAMPLE)
    parts: list[str | int | Hole] = []
    pos = 0
    after_dot = False
    while pos < len(text):
        m = _PATH_TOKEN.match(text, pos)
        hole = None if m is not None or not holes else _INDEX_HOLE.match(text, pos)
        if hole is not None:
            if after_dot:
                _path_error(text, pos, _KEY_AFTER_DOT)
            parts.append(Hole(hole.group(1), True))
            pos = hole.end()
            continue
        if m is None:
            _path_error(text, pos, _BRACKETS)
        kind = m.lastgroup
        if kind == "dot":
            if not parts or after_dot:
                _path_error(text, pos, _KEY_AFTER_DOT)
            after_dot = True
        elif kind == "key":
            key = m.group("key")
            if parts and not after_dot:
                _path_error(text, pos, Text("“]”与其后的键之间要有“.”，如 events[3].date",
                                            "a `.` between `]` and the next key, "
                                            "e.g. events[3].date"))
            if key != key.strip():
                _path_error(text, pos, Text('两端有空格的键请加引号，如 [" a "]',
                                            'quote a key with spaces at its ends: [" a "]'))
            parts.append(Hole(key, False) if holes and _HOLE.search(key) else key)
            after_dot = False
        else:
            if after_dot:
                _path_error(text, pos, _KEY_AFTER_DOT)
            if kind == "index":
                parts.append(int(m.group("index")))
            elif kind == "dq":
                try:
                    parts.append(str(json.loads(m.group("dq"))))
                except ValueError:
                    _path_error(text, pos, Text("JSON 写法的带引号文本", "a JSON string"))
            else:
                parts.append(m.group("sq"))
        pos = m.end()
    if after_dot:
        _path_error(text, len(text) - 1, _KEY_AFTER_DOT)
    return parts


def _path_error(text: str, pos: int, expected: Text) -> NoReturn:
    shown = text[pos:pos + 12] + ("…" if len(text) > pos + 12 else "")
    raise PathError(Text(f"无法读取路径 {text!r}：第 {pos + 1} 个字符起的 {shown!r} 不合写法",
                         f"cannot read the path {text!r}: {shown!r} at character {pos + 1} "
                         "does not fit"),
                    column=pos + 1, expected=expected)


def format_loc(loc: Loc) -> str:
    """`("events", 3, "ballot", "valid")` -> `events[3].ballot.valid`; `parse_loc` reads
    it back (keys that would not read back as one key are quoted: `tallies["a.b"]`)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not part or _NEEDS_QUOTES.search(part):
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
        else:
            out += f".{part}" if out else part
    return out


def assign_at(data: Any, loc: Loc, value: Any, *, make_parents: bool = False) -> Any:
    """Set `value` at `loc` in `data` (in place); return the value replaced, None if new.

    An index must name an item that exists: lists are never grown. The LAST key may be
    new — a field the document leaves out; its schema still refuses a misspelt one. Every
    key before it must exist, unless `make_parents`: then a missing one becomes an empty
    mapping, so a what-if can add `meeting.present` to an event recorded without a
    meeting (a missing list still cannot be made: its index would not exist). Raise
    `PathError` saying how far the path went and what was there instead.
    """
    if not loc:
        raise PathError(Text("路径为空", "the path is empty"), expected=PATH_EXAMPLE)
    node = data
    for n, part in enumerate(loc):
        done = Text(format_loc(loc[:n]), format_loc(loc[:n])) if n else Text("顶层", "the top")
        last = n == len(loc) - 1
        if isinstance(node, dict):
            if isinstance(part, int):
                raise PathError(Text(f"{done.zh} 是映射，不是列表，没有 [{part}]",
                                     f"{done.en} is a mapping, not a list: it has no [{part}]"),
                                expected=_keys_of(node))
            if part not in node and not last:
                if not make_parents or isinstance(loc[n + 1], int):
                    raise PathError(Text(f"{done.zh} 下没有 {part!r}",
                                         f"{done.en} has no {part!r}"), expected=_keys_of(node))
                node[part] = {}
        elif isinstance(node, list):
            if not isinstance(part, int):
                raise PathError(Text(f"{done.zh} 是列表，要用序号取项，如 [0]，不能取 {part!r}",
                                     f"{done.en} is a list: it has items [0], [1]…, "
                                     f"not {part!r}"))
            if not 0 <= part < len(node):
                raise PathError(Text(f"{done.zh} 只有 {len(node)} 项（从 0 开始编号），"
                                     f"没有 [{part}]",
                                     f"{done.en} has {len(node)} item(s), numbered from 0: "
                                     f"no [{part}]"))
        else:
            raise PathError(Text(f"{done.zh} 是一个值，不能再往下取 {part!r}",
                                 f"{done.en} is a value, it has no {part!r}"))
        if last:
            old = node.get(part) if isinstance(node, dict) else node[part]
            node[part] = value
            return old
        node = node[part]
    return None


def _keys_of(node: dict[str, Any]) -> Text:
    keys = [str(k) for k in node][:12]
    shown = ", ".join(keys) + (", …" if len(node) > 12 else "")
    return Text(f"已有的键：{shown or '—'}", f"one of the keys it has: {shown or '—'}")
