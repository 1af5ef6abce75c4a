"""Reading user documents — procedures, rule sets, case files — safely and with locations.

A document is YAML or JSON. It becomes plain values (dict with str keys, list, str, int,
`Fraction`, bool, None, `date`, `datetime`) and remembers its node tree, so that any
later problem found at a path such as ``events[3].ballot.valid`` can name a line.

Safety: YAML is only *composed* (a node tree, no constructor of PyYAML's runs), and the
values are built here from a fixed list of standard tags, so nothing in a file can run
code or read files. Aliases are shared, not copied, and counted as if expanded, so an
alias bomb fails at once instead of eating memory. Every way a file can be unusable is
raised as an `InputError` with file, line and a bilingual message.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar

from yaml.composer import Composer
from yaml.error import Mark, MarkedYAMLError
from yaml.events import MappingStartEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

from selection_rules.errors import InputError, ItemError, Problem
from selection_rules.i18n import Text, join
from selection_rules.source.inputs import open_input

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails

Format = Literal["yaml", "json"]
M = TypeVar("M", bound="BaseModel")
Loc = Sequence[str | int]

MAX_BYTES = 16 * 1024 * 1024
MAX_NODES = 2_000_000
# Real documents nest fewer than ten levels; the bound keeps the recursive builder (and
# pydantic after it) far from Python's recursion limit.
MAX_DEPTH = 200
# libyaml's composer recurses in C without any guard: about 30,000 levels overflow an
# 8 MB stack and kill the process. Texts that could nest deeper than this are composed
# by PyYAML's Python composer on libyaml's events, where overflow is a RecursionError.
_C_SAFE_DEPTH = 1000
# libyaml (0.2.5 and later) refuses more open flow collections than this, in its scanner.
_LIBYAML_FLOW_LIMIT = 1000
_LIBYAML_READ_AHEAD = 1024
# Fraction("1e999999999") would compute 10**999999999; no real figure needs more.
_MAX_EXPONENT = 1000

_P = "tag:yaml.org,2002:"
_STR = _P + "str"
_INT = _P + "int"
_FLOAT = _P + "float"
_BOOL = _P + "bool"
_NULL = _P + "null"
_TIMESTAMP = _P + "timestamp"
_MERGE = _P + "merge"
_SEQ = _P + "seq"
_MAP = _P + "map"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP})

# PyYAML's YAML 1.1 implicit types, minus sexagesimal numbers: `1:3` is a post:candidate
# ratio here, not the integer 63. Resolving *fewer* plain scalars than PyYAML keeps
# anything yaml.safe_dump writes readable back unchanged (it quotes what PyYAML resolves).
_IMPLICIT: list[tuple[str, re.Pattern[str], str]] = [
    (_BOOL, re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE"
                       r"|on|On|ON|off|Off|OFF)$"), "yYnNtTfFoO"),
    (_FLOAT, re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                            |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                            |[-+]?\.(?:inf|Inf|INF)
                            |\.(?:nan|NaN|NAN))$""", re.X), "-+0123456789."),
    (_INT, re.compile(r"""^(?:[-+]?0b[0-1_]+
                          |[-+]?0[0-7_]+
                          |[-+]?(?:0|[1-9][0-9_]*)
                          |[-+]?0x[0-9a-fA-F_]+)$""", re.X), "-+0123456789"),
    (_MERGE, re.compile(r"^(?:<<)$"), "<"),
    (_NULL, re.compile(r"^(?:~|null|Null|NULL)$"), "~nN"),
    (_TIMESTAMP, re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                                |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                                 (?:[Tt]|[ \t]+)[0-9][0-9]?
                                 :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                                 (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
                            re.X), "0123456789"),
]
_BY_FIRST: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}
for _tag, _regex, _firsts in _IMPLICIT:
    for _ch in _firsts:
        _BY_FIRST[_ch] = (*_BY_FIRST.get(_ch, ()), (_tag, _regex))

_TIMESTAMP_PARTS = (
    r"""(?x)^(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})
        (?:(?:[Tt]|[ \t]+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})
        (?:\.(?P<fraction>[0-9]*))?
        (?:[ \t]*(?P<tz>Z|(?P<tz_sign>[-+])(?P<tz_hour>[0-9]{1,2})(?::(?P<tz_minute>[0-9]{2}))?))?
        )?$"""
)
_EXPONENT = re.compile(r"[eE]([-+]?[0-9]+)$")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# A node's text that begins with its tag, perhaps after its anchor.
_TAGGED = re.compile(r"(?:&[^\s]+\s+)?!")
_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}
_NON_SPACE = re.compile(r"\S")
# Patterns used only on error paths stay strings, compiled (and cached by `re`) on first
# use: large Unicode classes take milliseconds to compile, paid at every start otherwise.
_CJK = r"[\u3400-\u9fff]"
# What YAML 1.1 lets a stream contain (PyYAML's Reader.NON_PRINTABLE, inverted).
_NOT_YAML_CHAR = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
_WIDE_KEY = r"(?m)^[ ]*(?:-[ ]+)?[^\s:：#'\"{}\[\],]+[ ]*："
_FULL_WIDTH = {"：": ":", "，": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "　": " "}

_EXPECT_NUMBER = Text("数字，例如 5、0.8 或 80%", "a number such as 5, 0.8 or 80%")


class _FastResolver:
    """YAML 1.1 implicit typing from a fixed table (see `_IMPLICIT`).

    Also independent of resolvers other libraries may register on PyYAML's classes.
    """

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:  # plain, untagged: the only case typed by its text
                tag = _RESOLVED.get(value)
                if tag is None:
                    tag = _resolve_plain(value)
                    if len(value) <= 64 and len(_RESOLVED) < 8192:
                        _RESOLVED[value] = tag
                return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


# Keys and short values repeat across thousands of files ("type", "date", "secret"): a
# cache of plain scalars' tags saves about a fifth of the composing time.
_RESOLVED: dict[str, str] = {}


def _resolve_plain(value: str) -> str:
    if not value:
        return _NULL
    for tag, regex in _BY_FIRST.get(value[0], ()):
        if regex.match(value):
            return tag
    return _STR


def _too_deep() -> Text:
    return Text(f"嵌套太深（超过 {MAX_DEPTH} 层）",
                f"nested too deeply (more than {MAX_DEPTH} levels)")


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__("too deep")
        self.mark = mark


class _DepthComposer(Composer):
    """PyYAML's composer, stopped at MAX_DEPTH collections by our own count.

    Without it the depth limit would be whatever the parser underneath enforces first:
    a RecursionError in one release, libyaml's own 'maximum nesting depth' error (at
    1000 flow levels) in another. Counting here, before either, gives the same located
    message whatever PyYAML or libyaml is installed.
    """

    def __init__(self) -> None:
        Composer.__init__(self)
        self._depth = 0
        # How deep the composer stood when the parser failed (see _libyaml_too_deep).
        self.error_depth: int | None = None

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        opened = False
        try:
            event = self.peek_event()  # type: ignore[attr-defined]
            if event.__class__ is SequenceStartEvent or event.__class__ is MappingStartEvent:
                if self._depth >= MAX_DEPTH:
                    raise _TooDeep(event.start_mark)
                self._depth += 1
                opened = True
            return Composer.compose_node(self, parent, index)
        except MarkedYAMLError:
            if self.error_depth is None:
                self.error_depth = self._depth
            raise
        finally:
            if opened:
                self._depth -= 1


class _PyLoader(Reader, Scanner, Parser, _DepthComposer, _FastResolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _DepthComposer.__init__(self)


_FastLoader: Any = None  # libyaml parser and composer
_SafeLoader: Any = _PyLoader  # a composer that recurses in Python, never in C
try:
    from yaml._yaml import CParser

    class _CLoader(CParser, _FastResolver):
        pass

    class _CEventsLoader(CParser, _DepthComposer, _FastResolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _DepthComposer.__init__(self)

        check_node = Composer.check_node
        get_node = Composer.get_node

    _FastLoader = _CLoader
    _SafeLoader = _CEventsLoader
except ImportError:  # PyYAML without libyaml: the pure-Python stack is safe, just slower
    pass

LIBYAML: bool = _FastLoader is not None


# --------------------------------------------------------------------------- document


class Document:
    """A loaded file: its values, and (lazily) where each of them was written.

    Equality is identity, so a `Document` can sit in frozen dataclasses and sets.
    """

    __slots__ = ("_root", "_text", "data", "format", "path")

    def __init__(
        self,
        path: str,
        format: Format,
        data: Any,
        *,
        root: Node | None = None,
        text: str | None = None,
    ) -> None:
        self.path = path
        self.format: Format = format
        self.data: Any = data
        # YAML keeps the node tree it was built from. JSON keeps only its text: json.loads
        # is far faster than composing, and most documents never need a line number.
        self._root: Node | None = root
        self._text: str | None = text

    def __repr__(self) -> str:
        return f"Document({self.path!r}, {self.format!r})"

    def line_of(self, loc: Loc) -> int | None:
        """1-based line of the value at `loc`; for a mapping key, the line of the key.

        A path that does not exist gives the line of its deepest existing ancestor, so a
        missing field points at the mapping that lacks it. None if the text cannot be
        located at all (a JSON text that YAML cannot read).
        """
        node = self._locate(loc)[0]
        return None if node is None else node.start_mark.line + 1

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
        text = self._text
        if self._root is None and text is not None:
            root = _compose_json(text, self.path)
            self._root, self._text = root, None
        return self._root

    def _locate(self, loc: Loc) -> tuple[Node | None, Node | None]:
        """(node whose mark stands for `loc`, the value node at `loc` or None if missing)."""
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


# ------------------------------------------------------------------------------ loading


def load_document(
    path: str | Path, *, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES
) -> Document:
    """Read a YAML or JSON file (read-only) into a located `Document`; raise `InputError`."""
    name = str(path)
    try:
        with open_input(path) as fh:  # a regular file, or a located InputError
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                _too_large(name, size, max_bytes)
            # One byte more than expected, to notice a file that grew since fstat; a pipe
            # or a device reports size 0 and is read up to the limit.
            raw = fh.read(size + 1) if size else b""
            if not size or len(raw) > size:
                raw += fh.read(max_bytes + 1 - len(raw))
    except FileNotFoundError:
        _fail(name, Text("找不到文件", "file not found"))
    except IsADirectoryError:
        _fail(name, Text("这是一个目录，不是文件", "this is a folder, not a file"))
    except PermissionError:
        _fail(name, Text("没有读取该文件的权限", "permission denied: cannot read the file"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        _fail(name, Text(f"无法读取文件：{reason}", f"cannot read the file: {reason}"))
    if len(raw) > max_bytes:
        _too_large(name, len(raw), max_bytes)
    return loads_document(raw, name, None, max_bytes=max_bytes, max_nodes=max_nodes)


def loads_document(
    text_or_bytes: str | bytes,
    name: str,
    fmt: Format | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
) -> Document:
    """Parse a document held in memory (tests, stdin); `name` is used in messages."""
    if isinstance(text_or_bytes, bytes):
        if len(text_or_bytes) > max_bytes:
            _too_large(name, len(text_or_bytes), max_bytes)
        text = _decode(text_or_bytes, name)
    else:
        text = text_or_bytes.removeprefix("\ufeff")
        if len(text) > max_bytes:
            _too_large(name, len(text), max_bytes)
    first = _NON_SPACE.search(text)
    if first is None:
        _fail(name, Text("文件是空的", "the file is empty"),
              expected=Text("YAML 或 JSON 格式的映射", "a YAML or JSON mapping"))
    if fmt is None:
        suffix = os.path.splitext(name)[1].lower()
        if suffix in (".yaml", ".yml"):
            fmt = "yaml"
        elif suffix == ".json":
            fmt = "json"
        else:
            fmt = "json" if first.group() in "{[" else "yaml"
    doc = _load_json(text, name) if fmt == "json" else _load_yaml(text, name, max_nodes)
    if _MAY_HOLD_SURROGATE.search(text):
        _refuse_surrogates(doc)
    return doc


# A surrogate reaches a string only through an escape (YAML's \u, JSON's \u) or a str
# handed in as such; a UTF-8 file cannot hold one.
_MAY_HOLD_SURROGATE = re.compile("[\ud800-\udfff]|\\\\[uU]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(doc: Document) -> None:
    """A located error for the first key or string holding a UTF-16 surrogate.

    A lone surrogate is not a character: it cannot be written as UTF-8, so it would crash
    every report that shows the value. JSON pairs two escapes into one character itself;
    YAML does not (its \\U escape is the way to write a character beyond \\uffff).
    """
    stack = [doc.data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found = _SURROGATE.search(value)
        elif isinstance(value, dict):
            found = next(filter(None, map(_SURROGATE.search, value)), None)
            stack.extend(value.values())
            if found is None:
                continue
        elif isinstance(value, list):
            stack.extend(value)
            continue
        else:
            continue
        if found is None:
            continue
        code = f"\\u{ord(found.group()):04x}"
        line = column = None
        if doc.format == "yaml":
            node = next((n for n in _walk(doc._nodes())
                         if n.__class__ is ScalarNode and _SURROGATE.search(n.value)), None)
            if node is not None:
                line, column = node.start_mark.line + 1, node.start_mark.column + 1
        else:  # YAML cannot read a JSON text with such an escape: find the escape itself
            text = doc._text or ""
            # An escape, not `\\ud800` (a backslash, then text): even backslashes before.
            at = re.search(r"(?<!\\)(?:\\\\)*(\\u" + f"{ord(found.group()):04x})",
                           text, re.IGNORECASE)
            start = at.start(1) if at is not None else text.find(found.group())
            if start >= 0:
                line = text.count("\n", 0, start) + 1
                column = start - text.rfind("\n", 0, start)
        _fail(doc.path,
              Text(f"文本中有单独的 UTF-16 代理项 {code}，它不是字符，无法写出",
                   f"the text holds a lone UTF-16 surrogate {code}, which is not a "
                   "character and cannot be written out"),
              line=line, column=column,
              expected=_SURROGATE_FIX[doc.format])


_SURROGATE_FIX = {
    "yaml": Text("字符本身，或 \\U 加 8 位十六进制（如 \\U0001F600）",
                 "the character itself, or \\U with 8 hex digits (e.g. \\U0001F600)"),
    "json": Text("字符本身，或一对代理项（如 \\ud83d\\ude00）",
                 "the character itself, or a surrogate pair (e.g. \\ud83d\\ude00)"),
}


def _fail(
    name: str,
    message: Text,
    *,
    line: int | None = None,
    column: int | None = None,
    field: str | None = None,
    expected: Text | None = None,
) -> NoReturn:
    raise InputError.at(name, message, line=line, column=column, field=field, expected=expected)


def _too_large(name: str, size: int, limit: int) -> NoReturn:
    _fail(name, Text(f"文件大小为 {size} 字节，超过上限 {limit} 字节",
                     f"file is {size} bytes, above the limit of {limit} bytes"))


def _iconv(encoding: str, name: str) -> str:
    if name.startswith("<"):
        return f"iconv -f {encoding} -t UTF-8 in > out"
    stem, suffix = os.path.splitext(name)
    target = shlex.quote(stem + ".utf8" + suffix)
    return f"iconv -f {encoding} -t UTF-8 {shlex.quote(name)} > {target}"


def _decode(raw: bytes, name: str) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16: FF FE 00 00 starts with FF FE
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if raw.startswith(bom):
            _fail(
                name,
                Text(
                    f"文件是 {encoding} 编码（以 {encoding} 字节顺序标记开头），应为 UTF-8；"
                    f"请转换，例如 `{_iconv(encoding, name)}`，或在编辑器中另存为 UTF-8",
                    f"the file is {encoding}-encoded (it starts with a {encoding} byte-order "
                    f"mark), not UTF-8; convert it, e.g. `{_iconv(encoding, name)}`, or save "
                    "it as UTF-8 in your editor",
                ),
                line=1,
            )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    # Checked before decoding: UTF-16 without a BOM is mostly NULs and would otherwise
    # pass as (odd) UTF-8 or be misread as GB18030.
    nul = raw.find(b"\x00")
    if nul >= 0:
        _fail(
            name,
            Text(
                "文件含有 NUL 字节：它是二进制文件，或是没有字节顺序标记的 UTF-16/UTF-32 文本",
                "the file contains NUL bytes: it is binary, or UTF-16/UTF-32 text without a "
                "byte-order mark",
            ),
            line=raw.count(b"\n", 0, nul) + 1,
            expected=Text("UTF-8 编码的文本", "UTF-8 text"),
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
        line = raw.count(b"\n", 0, bad) + 1
        line_start = raw.rfind(b"\n", 0, bad) + 1
        column = len(raw[line_start:bad].decode("utf-8")) + 1
        if _looks_gb18030(raw):
            cmd = _iconv("GB18030", name)
            message = Text(
                f"文件似乎是 GBK/GB18030 编码，不是 UTF-8；请转换，例如 `{cmd}`，"
                "或在编辑器中另存为 UTF-8",
                "the file appears to be GBK/GB18030-encoded, not UTF-8; convert it, e.g. "
                f"`{cmd}`, or save it as UTF-8 in your editor",
            )
        else:
            message = Text(
                f"文件不是 UTF-8 编码：字节 0x{raw[bad]:02X} 不是有效的 UTF-8",
                f"the file is not UTF-8: the byte 0x{raw[bad]:02X} is not valid UTF-8",
            )
        _fail(name, message, line=line, column=column,
              expected=Text("UTF-8 编码的文本", "UTF-8 text"))


def _looks_gb18030(raw: bytes) -> bool:
    # GB18030 decodes much of what is not UTF-8; require Chinese text in the result so
    # that a Latin-1 file is not called GBK.
    try:
        decoded = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return re.search(_CJK, decoded) is not None


# --------------------------------------------------------------------------------- YAML


def _compose(text: str, name: str, *, json_like: bool = False) -> Node | None:
    """The single document's node tree, or None for a stream with no document."""
    if _FastLoader is not None and _c_is_safe(text, json_like):
        loader = _FastLoader(text)
    else:
        loader = _SafeLoader(text)
    try:
        if not loader.check_node():
            return None
        root: Node = loader.get_node()
        if loader.check_node():
            second: Node = loader.get_node()
            _fail(
                name,
                Text("文件含有多个 YAML 文档（以 --- 分隔）；每个文件只能有一个，第二个从这里开始",
                     "the file holds more than one YAML document (separated by `---`); a "
                     "file holds one, and a second one starts here"),
                line=second.start_mark.line + 1,
            )
        return root
    except MarkedYAMLError as exc:
        # Before the first node (the parser reads ahead from the start), nothing is open.
        if isinstance(loader, _DepthComposer) and _libyaml_too_deep(
                text, exc, loader.error_depth or 0):
            mark = exc.problem_mark
            _fail(name, _too_deep(), line=mark.line + 1 if mark else None,
                  column=mark.column + 1 if mark else None)
        _syntax_error(text, name, exc)
    except ReaderError:
        _bad_character(text, name)
    except _TooDeep as exc:
        _fail(name, _too_deep(), line=exc.mark.line + 1, column=exc.mark.column + 1)
    finally:
        loader.dispose()


def _c_is_safe(text: str, json_like: bool) -> bool:
    # An upper bound of the nesting depth, cheap to compute: a flow collection needs a
    # `[` or `{`; a block collection needs `-`, `:` or `?`, and sits at a greater column
    # than the one holding it (or the same column, once, for `key:\n- item`).
    flow = text.count("[") + text.count("{")
    if json_like or flow >= _C_SAFE_DEPTH:
        return flow < _C_SAFE_DEPTH
    block = text.count("-") + text.count(":") + text.count("?")
    if flow + block < _C_SAFE_DEPTH:
        return True
    widest = max(map(len, text.splitlines()), default=0)
    return flow + 2 * (widest + 1) < _C_SAFE_DEPTH


def _libyaml_too_deep(text: str, exc: MarkedYAMLError, depth: int) -> bool:
    """Whether libyaml's error may be its own flow-depth limit rather than bad syntax.

    libyaml refuses more than 1000 open flow collections, in words of its own, and its
    scanner reads ahead of the events our composer counts, by at most 1024 characters
    (it stops looking for a key there). Open collections at the error are therefore at
    most the composer's depth plus the openers in that stretch; below 1000 the error is
    genuine syntax. Counting every bracket, quoted or not, can only overestimate.
    """
    mark = exc.problem_mark
    if mark is None:
        return False
    line = _line_at(text, mark.line)
    # The column may count bytes or characters depending on the libyaml build: twice
    # the read-ahead covers both.
    window = line[max(0, mark.column - 2 * _LIBYAML_READ_AHEAD):mark.column + 1]
    return depth + window.count("[") + window.count("{") >= _LIBYAML_FLOW_LIMIT


def _line_at(text: str, number: int) -> str:
    start = 0
    for _ in range(number):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start:] if end < 0 else text[start:end]


def _syntax_error(text: str, name: str, exc: MarkedYAMLError) -> NoReturn:
    mark = exc.problem_mark or exc.context_mark
    detail = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        where = f" ({exc.context}"
        if exc.context_mark is not None and mark is not None and exc.context_mark.line != mark.line:
            where += f", line {exc.context_mark.line + 1}"
        detail += where + ")"
    hint = _hint(text, mark, detail)
    _fail(
        name,
        Text(f"YAML 语法错误：{detail}", f"YAML syntax error: {detail}") + hint,
        line=None if mark is None else mark.line + 1,
        column=None if mark is None else mark.column + 1,
    )


def _hint(text: str, mark: Mark | None, detail: str) -> Text:
    if mark is None:
        return Text("", "")
    lines = text.split("\n")
    here = lines[mark.line][mark.column: mark.column + 1] if mark.line < len(lines) else ""
    # Chinese input methods type full-width punctuation; it is fine inside text, so only
    # the character at the error, or a key written `名称：值`, is pointed out.
    near = "\n".join(lines[max(0, mark.line - 1): mark.line + 1])
    wide = here if here in _FULL_WIDTH else ("：" if re.search(_WIDE_KEY, near) else "")
    if wide:
        narrow = _FULL_WIDTH[wide]
        return Text(f"（这里有全角字符 “{wide}”，YAML 和 JSON 要用半角 “{narrow}”）",
                    f" (a full-width “{wide}” is used here; YAML and JSON need “{narrow}”)")
    if here == "\t" or "'\\t'" in detail:
        return Text("（缩进请用空格，不要用制表符）", " (indent with spaces, not tabs)")
    if "mapping values are not allowed" in detail:
        return Text("（冒号后要有空格；含冒号的值请加引号）",
                    " (put a space after `:`; quote a value that contains `: `)")
    if "flow mapping" in detail or "flow sequence" in detail:
        return Text("（在 { } 或 [ ] 中，含有 “: ” 或 “,” 的值要加引号）",
                    " (inside { } or [ ], quote a value that contains `: ` or `,`)")
    return Text("", "")


def _bad_character(text: str, name: str) -> NoReturn:
    m = re.search(_NOT_YAML_CHAR, text)
    if m is None:
        _fail(name, Text("文件含有 YAML 不允许的字符",
                         "the file contains a character YAML does not allow"))
    line = text.count("\n", 0, m.start()) + 1
    column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    code = f"U+{ord(m.group()):04X}"
    _fail(name, Text(f"文件含有 YAML 不允许的控制字符 {code}",
                     f"the file contains the control character {code}, which YAML does not allow"),
          line=line, column=column)


class _NodeError(Exception):
    def __init__(self, node: Node, message: Text, expected: Text | None = None) -> None:
        super().__init__(message.en)
        self.node = node
        self.message = message
        self.expected = expected


class _Overflow(Exception):
    """More values than allowed; `mark` is filled in by the nearest enclosing collection."""

    def __init__(self) -> None:
        super().__init__("too many nodes")
        self.mark: Mark | None = None


_BUSY = object()


class _Builder:
    """Python values from a node tree: only standard tags, aliases shared and counted.

    Each collection counts its direct children in one addition (a node is counted by its
    parent, the root by `build_root`), which keeps counting out of the per-value path.
    """

    __slots__ = ("count", "limit", "memo", "text")

    def __init__(self, limit: int, aliases: bool, text: str) -> None:
        self.count = 0
        self.limit = limit
        self.text = text
        # Aliases are the only way a node is reached twice; without `*` in the text there
        # are none, and the memo (one dict entry per collection) is skipped.
        self.memo: dict[int, Any] | None = {} if aliases else None

    def build_root(self, node: Node) -> Any:
        self.count = 1
        return self.build(node, 0)

    def build(self, node: Node, depth: int) -> Any:
        cls = node.__class__
        if cls is ScalarNode:
            return node.value if node.tag == _STR else self.scalar(node)
        memo = self.memo
        if memo is not None:
            hit = memo.get(id(node))
            if hit is _BUSY:
                raise _NodeError(node, Text("别名引用了包含它自身的锚点（递归结构）",
                                            "an alias refers to an anchor that contains it "
                                            "(a recursive structure)"))
            if hit is not None:
                # Shared, not copied, yet counted as if expanded: the count bounds the
                # work of everything that walks the values later (pydantic, checks).
                self.count += hit[1]
                if self.count > self.limit:
                    raise _Overflow()
                return hit[0]
            memo[id(node)] = _BUSY
        if depth >= MAX_DEPTH:
            raise _NodeError(node, _too_deep())
        before = self.count
        value: Any
        if cls is MappingNode and node.tag == _MAP:
            value = self.mapping(node, depth + 1)
        elif cls is SequenceNode and node.tag == _SEQ:
            value = self.sequence(node, depth + 1)
        else:
            raise _bad_tag(node)
        if memo is not None:
            memo[id(node)] = (value, self.count - before)
        if self.count > self.limit:
            raise _Overflow()
        return value

    def sequence(self, node: Node, depth: int) -> list[Any]:
        items: list[Node] = node.value
        self.count += len(items)
        out: list[Any] = []
        append = out.append
        build = self.build
        try:
            for item in items:
                if item.__class__ is ScalarNode and item.tag == _STR:
                    append(item.value)
                else:
                    append(build(item, depth))
        except _Overflow as exc:
            if exc.mark is None:
                exc.mark = node.start_mark
            raise
        return out

    def mapping(self, node: Node, depth: int) -> dict[str, Any]:
        pairs: list[tuple[Node, Node]] = node.value
        self.count += 2 * len(pairs)
        out: dict[str, Any] = {}
        merges: list[Node] = []
        build = self.build
        site = node
        try:
            for knode, vnode in pairs:
                site = knode
                if knode.__class__ is not ScalarNode:
                    if knode.tag not in (_MAP, _SEQ):
                        raise _bad_tag(knode)
                    raise _NodeError(knode, Text(
                        "映射的键必须是简单的值（文本或数字），不能是列表或映射",
                        "a mapping key must be a plain value (text or a number), not a list or "
                        "a mapping"))
                ktag = knode.tag
                if ktag != _STR and ktag not in _SCALAR_TAGS:
                    if ktag == _MERGE:
                        merges.append(vnode)
                        continue
                    raise _bad_tag(knode)
                # The key as written: `2019-03-03:` is the text "2019-03-03", `on:` is "on".
                key: str = knode.value
                if key in out:
                    raise _duplicate(node, knode)
                if vnode.__class__ is ScalarNode and vnode.tag == _STR:
                    out[key] = vnode.value
                else:
                    out[key] = build(vnode, depth)
            if merges:
                self.merge(out, merges, depth)
        except _Overflow as exc:
            if exc.mark is None:
                exc.mark = site.start_mark
            raise
        return out

    def merge(self, out: dict[str, Any], merges: list[Node], depth: int) -> None:
        # YAML merge keys: keys written in the mapping win, then earlier sources.
        for source in merges:
            subs: list[Node] = [source]
            if source.__class__ is SequenceNode:
                subs = source.value
                self.count += len(subs)
            for sub in subs:
                if sub.__class__ is not MappingNode:
                    raise _NodeError(sub, Text("合并键 << 的值应为映射或映射的列表",
                                               "the value of a merge key `<<` must be a mapping "
                                               "or a list of mappings"))
                for key, value in self.build(sub, depth).items():
                    if key not in out:
                        out[key] = value

    def scalar(self, node: Node) -> Any:
        tag = node.tag
        text: str = node.value
        if tag == _INT:
            # The common case, without _integer's YAML 1.1 forms (0x, 0b, octal, `_`).
            if text.isascii() and text.isdigit() and (text[0] != "0" or len(text) == 1) \
                    and len(text) < 4000:
                return int(text)
            return _integer(node)
        if tag == _TIMESTAMP:
            value = _timestamp(text)
            if value.__class__ is str and self.explicit(node):
                raise _NodeError(node, Text(f"{text!r} 不是存在的日期或时间",
                                            f"{text!r} is not a date or time that exists"),
                                 Text("如 2024-03-04 的日期", "a date such as 2024-03-04"))
            return value
        if tag == _BOOL:
            flag = _BOOLS.get(text.lower())
            if flag is None:
                raise _NodeError(
                    node, Text(f"{text!r} 不是是/否值", f"{text!r} is not true or false"),
                    Text("true 或 false", "true or false"))
            return flag
        if tag == _NULL:
            if text not in _NULLS:  # only an explicit !!null can name other text
                raise _NodeError(node, Text(f"{text!r} 不是空值", f"{text!r} is not null"),
                                 Text("null 或 ~", "null or ~"))
            return None
        if tag == _FLOAT:
            try:
                return _decimal(text)
            except _BadNumber as exc:
                raise _NodeError(node, exc.message, _EXPECT_NUMBER) from None
        if tag == _MERGE and text == "<<":  # `<<` as a value rather than a key is text
            return text
        raise _bad_tag(node)

    def explicit(self, node: Node) -> bool:
        """Whether the scalar's tag is written (`!!timestamp x`) rather than resolved.

        A plain 2024-02-30 resolves as a timestamp and stays text, to be reported at its
        field with the field's expectations; a written tag is the author's claim, held
        to it like `!!int`. Marks count characters on every loader.
        """
        start = node.start_mark.index
        return _TAGGED.match(self.text, start, node.end_mark.index) is not None


def _integer(node: Node) -> int:
    text: str = node.value
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    if digits[:1] in ("-", "+"):
        digits = digits[1:]
    try:
        if digits[:2] in ("0b", "0B"):
            return sign * int(digits[2:], 2)
        if digits[:2] in ("0x", "0X"):
            return sign * int(digits[2:], 16)
        if digits[:2] in ("0o", "0O"):
            return sign * int(digits[2:], 8)
        if len(digits) > 1 and digits[0] == "0":  # YAML 1.1 octal, as PyYAML reads it
            return sign * int(digits, 8)
        return sign * int(digits)
    except ValueError:
        if len(digits) > 4000:
            message = Text("数字太长", "the number is too long")
        else:
            message = Text(f"{text!r} 不是整数", f"{text!r} is not a whole number")
        raise _NodeError(node, message, _EXPECT_NUMBER) from None


class _BadNumber(Exception):
    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def _decimal(text: str) -> Fraction:
    """The exact value of a decimal literal: `0.8` is 4/5, never 0.8000000000000000444."""
    digits = text.replace("_", "")
    lowered = digits.lower().lstrip("+-")
    if lowered in (".inf", "inf", "infinity", ".nan", "nan"):
        raise _BadNumber(Text(f"{text} 不是一个有限的数", f"{text} is not a finite number"))
    exponent = _EXPONENT.search(digits)
    if exponent is not None and (
        len(exponent.group(1)) > 6 or abs(int(exponent.group(1))) > _MAX_EXPONENT
    ):
        raise _BadNumber(Text(f"{text} 的指数太大", f"the exponent of {text} is too large"))
    try:
        return Fraction(digits)
    except (ValueError, ZeroDivisionError):
        if len(digits) > 4000:
            raise _BadNumber(Text("数字太长", "the number is too long")) from None
        raise _BadNumber(Text(f"{text!r} 不是数字", f"{text!r} is not a number")) from None


def _timestamp(text: str) -> dt.date | str:
    # A date that does not exist (2024-02-30) stays text: validation then reports it
    # at its field, with the field's expectations, instead of failing the whole file.
    if len(text) == 10:  # YYYY-MM-DD, by far the most common
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    m = re.match(_TIMESTAMP_PARTS, text)
    if m is None:
        return text
    try:
        if not m["hour"]:
            return dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
        micro = int((m["fraction"] or "0")[:6].ljust(6, "0"))
        tz: dt.tzinfo | None = None
        if m["tz"] == "Z":
            tz = dt.UTC
        elif m["tz"]:
            offset = dt.timedelta(hours=int(m["tz_hour"]), minutes=int(m["tz_minute"] or 0))
            tz = dt.timezone(-offset if m["tz_sign"] == "-" else offset)
        return dt.datetime(int(m["year"]), int(m["month"]), int(m["day"]), int(m["hour"]),
                           int(m["minute"]), int(m["second"]), micro, tzinfo=tz)
    except ValueError:
        return text


def _bad_tag(node: Node) -> _NodeError:
    tag = node.tag
    shown = "!!" + tag[len(_P):] if tag.startswith(_P) else tag
    return _NodeError(
        node,
        Text(f"不允许使用 YAML 标签 {shown}：文件只能包含普通的值",
             f"the YAML tag {shown} is not allowed: a file may only hold plain values"),
        Text("文本、数字、日期、true/false、null、列表或映射",
             "text, numbers, dates, true/false, null, lists and mappings"),
    )


def _duplicate(mapping: Node, second: Node) -> _NodeError:
    key = second.value
    first = next(k for k, _ in mapping.value if k is not second and k.value == key)
    return _NodeError(
        second,
        Text(f"键 {key!r} 重复（第一次出现在第 {first.start_mark.line + 1} 行）",
             f"duplicate key {key!r} (first at line {first.start_mark.line + 1})"),
        Text("同一映射中每个键只出现一次", "each key once in a mapping"),
    )


def _path_to(root: Node, target: Node) -> list[str | int] | None:
    """The path of `target` in the tree, for messages; aliases are visited once."""
    seen: set[int] = set()
    stack: list[tuple[Node, list[str | int]]] = [(root, [])]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if node.__class__ is ScalarNode or id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple[Node, list[str | int]]] = []
        if node.__class__ is MappingNode:
            for knode, vnode in node.value:
                key = knode.value if knode.__class__ is ScalarNode else "?"
                if knode is target:
                    return [*path, key]
                children.append((vnode, [*path, key]))
        elif node.__class__ is SequenceNode:
            children = [(item, [*path, i]) for i, item in enumerate(node.value)]
        stack.extend(reversed(children))
    return None


def _load_yaml(text: str, name: str, max_nodes: int) -> Document:
    root = _compose(text, name)
    if root is None:
        _fail(name, Text("文件没有内容（只有注释或空行）",
                         "the file holds no data (only comments or blank lines)"),
              expected=Text("YAML 映射（键: 值）", "a YAML mapping (key: value)"))
    builder = _Builder(max_nodes, "*" in text, text)
    try:
        data = builder.build_root(root)
    except _NodeError as exc:
        mark = exc.node.start_mark
        path = _path_to(root, exc.node)
        _fail(name, exc.message, line=mark.line + 1, column=mark.column + 1,
              field=(format_loc(path) or None) if path is not None else None,
              expected=exc.expected)
    except _Overflow as exc:
        mark = exc.mark or root.start_mark
        _fail(name,
              Text(f"值太多：别名展开后超过 {max_nodes} 个值（“别名炸弹”？）",
                   f"too many nodes: aliases expand to more than {max_nodes} values "
                   "(an alias bomb?)"),
              line=mark.line + 1, column=mark.column + 1)
    return Document(name, "yaml", data, root=root)


# --------------------------------------------------------------------------------- JSON


class _JsonProblem(Exception):
    """Raised from json.loads hooks; located afterwards on the YAML node tree."""

    def __init__(self, message: Text, *, token: str | None = None, key: str | None = None,
                 expected: Text | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.token = token
        self.key = key
        self.expected = expected


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _JsonProblem(Text(f"键 {key!r} 重复", f"duplicate key {key!r}"), key=key,
                                   expected=Text("同一对象中每个键只出现一次",
                                                 "each key once in an object"))
            seen.add(key)
    return out


def _json_float(text: str) -> Fraction:
    try:
        return _decimal(text)
    except _BadNumber as exc:
        raise _JsonProblem(exc.message, token=text, expected=_EXPECT_NUMBER) from None


def _json_constant(text: str) -> NoReturn:
    raise _JsonProblem(Text(f"{text} 不是一个有限的数", f"{text} is not a finite number"),
                       token=text, expected=_EXPECT_NUMBER)


# A JSON token that can open or close a collection; strings are matched whole so that a
# bracket inside one is not counted. The string branch always matches (to its end, or to
# the end of an unterminated text) and never backtracks, so the scan stays linear.
_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


def _json_too_deep(text: str) -> int | None:
    """Offset of the first collection nested past MAX_DEPTH, if any."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _JSON_NESTING.finditer(text):
        c = text[m.start()]
        if c == "[" or c == "{":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif c != '"':
            depth -= 1
    return None


def _load_json(text: str, name: str) -> Document:
    # The same limit as YAML's, checked before the parser: json's own limit is Python's
    # recursion limit, which differs between interpreters and threads.
    deep = _json_too_deep(text)
    if deep is not None:
        _fail(name, _too_deep(), line=text.count("\n", 0, deep) + 1,
              column=deep - (text.rfind("\n", 0, deep) + 1) + 1)
    try:
        data = json.loads(text, parse_float=_json_float, parse_constant=_json_constant,
                          object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        mark = Mark(name, exc.pos, exc.lineno - 1, exc.colno - 1, None, 0)
        _fail(name, Text(f"JSON 语法错误：{exc.msg}", f"JSON syntax error: {exc.msg}")
              + _hint(text, mark, exc.msg), line=exc.lineno, column=exc.colno)
    except _JsonProblem as exc:
        node, first = _find_json_problem(text, name, exc)
        message = exc.message
        if first is not None:
            line = first.start_mark.line + 1
            message = Text(f"{message.zh}（第一次出现在第 {line} 行）",
                           f"{message.en} (first at line {line})")
        _fail(name, message, line=None if node is None else node.start_mark.line + 1,
              column=None if node is None else node.start_mark.column + 1,
              expected=exc.expected)
    except ValueError as exc:  # an integer beyond Python's 4300-digit conversion limit
        m = re.search(r"[0-9]{4000,}", text)
        _fail(name, Text(f"数字太长：{exc}", f"a number is too long: {exc}"),
              line=None if m is None else text.count("\n", 0, m.start()) + 1)
    return Document(name, "json", data, text=text)


def _find_json_problem(text: str, name: str, exc: _JsonProblem) -> tuple[Node | None, Node | None]:
    """(node where the problem is, earlier node it repeats) on the YAML reading of `text`."""
    for node in _walk(_compose_json(text, name)):
        if exc.key is not None and node.__class__ is MappingNode:
            seen: dict[str, Node] = {}
            for knode, _ in node.value:
                if knode.value in seen and knode.value == exc.key:
                    return knode, seen[knode.value]
                seen.setdefault(knode.value, knode)
        elif (exc.token is not None and node.__class__ is ScalarNode and not node.style
              and node.value == exc.token):
            return node, None
    return None, None


def _compose_json(text: str, name: str) -> Node | None:
    """JSON text read as YAML, for its marks only; None if YAML cannot read it."""
    # JSON forbids raw tabs inside strings, so every tab is whitespace between tokens,
    # which PyYAML's own scanner refuses; a space in its place keeps every column.
    try:
        return _compose(text.replace("\t", " "), name, json_like=True)
    except InputError:
        return None


def _walk(root: Node | None) -> Iterator[Node]:
    """Every node in document order (JSON has no aliases, so this is a tree walk)."""
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        yield node
        if node.__class__ is MappingNode:
            stack.extend(reversed([n for pair in node.value for n in pair]))
        elif node.__class__ is SequenceNode:
            stack.extend(reversed(node.value))


# --------------------------------------------------------------------------- validation

_MISSING = object()
# Parts pydantic inserts into `loc` that are not in the data: union members, validator
# functions and the like (`function-before[_exact(), fraction]`, `list[str]`, `int`).
_LABEL = (
    r"^(?:function-(?:before|after|wrap|plain)\[|constrained-|nullable\[|literal\[|list\[|"
    r"dict\[|set\[|frozenset\[|tuple\[|json-or-python\[|lax-or-strict\[|is-instance\[|"
    r"is-subclass\[|tagged-union\[|union\[|chain\[|definition-ref|default\[|model\[|"
    r"dataclass\[|typed-dict|generator\[|arguments\[)"
)
_TYPE_LABELS = frozenset({
    "int", "str", "float", "bool", "bytes", "date", "time", "datetime", "timedelta",
    "decimal", "fraction", "none", "any", "uuid", "url", "complex", "list", "dict", "set",
    "tuple", "frozenset", "callable", "json",
})


def _is_label(part: str, node: object) -> bool:
    if part in _TYPE_LABELS or re.match(_LABEL, part):
        return True
    if part[:1].isupper() and part.isidentifier():  # a model's class name
        return True
    # A discriminated union's tag is the discriminator's value in the data, e.g. the
    # `motion` of `type: motion` (which may also be a field name: resolved by scoring).
    return isinstance(node, dict) and any(v == part for v in node.values() if isinstance(v, str))


def _clean_loc(
    data: Any, loc: Sequence[str | int], kind: str, given: Any
) -> tuple[tuple[str | int, ...], bool]:
    """pydantic's `loc` as a path in the data, and whether it ended in a union member.

    The parts pydantic inserts cannot be told from field names by their text alone (a
    discriminator value `motion` next to a field `motion`), so every reading is tried
    against the data and the best kept: first one whose value *is* the error's input,
    then the fewest unexplained parts dropped, then the most parts found in the data.
    """
    best: tuple[tuple[int, int, int], tuple[str | int, ...], bool] | None = None
    last = len(loc) - 1
    budget = [2000]  # readings branch only on ambiguous parts; this bounds a pathological loc

    def finish(node: Any, path: tuple[str | int, ...], odd: int, found: int,
               trailing: bool, missing: Any, key: bool) -> None:
        nonlocal best
        if kind == "missing":
            match = missing is not _MISSING and missing is given
        elif key:
            match = bool(path) and path[-1] == given
        else:
            match = node is given or (type(node) is type(given) and _equal(node, given))
        score = (int(match), -odd, found)
        if best is None or score > best[0]:
            best = (score, path, trailing)

    def visit(node: Any, i: int, path: tuple[str | int, ...], odd: int, found: int,
              trailing: bool, missing: Any, key: bool) -> None:
        budget[0] -= 1
        if i > last or budget[0] < 0:
            finish(node, (*path, *loc[i:]), odd, found, trailing, missing, key)
            return
        part = loc[i]
        if part == "[key]":  # the error is about the key just named, not its value
            visit(node, i + 1, path, odd, found, False, missing, True)
            return
        if node is _MISSING:
            keep = isinstance(part, int) or not _is_label(part, node)
            visit(node, i + 1, (*path, part) if keep else path, odd, found, not keep, missing, key)
            return
        if isinstance(part, int):
            if isinstance(node, list) and 0 <= part < len(node):
                visit(node[part], i + 1, (*path, part), odd, found + 1, False, missing, key)
            elif isinstance(node, dict) and str(part) in node:
                visit(node[str(part)], i + 1, (*path, str(part)), odd, found + 1, False,
                      missing, key)
            else:
                visit(_MISSING, i + 1, (*path, part), odd, found, False, missing, key)
            return
        is_key = isinstance(node, dict) and part in node
        if is_key:
            visit(node[part], i + 1, (*path, part), odd, found + 1, False, missing, key)
        label = _is_label(part, node)
        if label or not is_key:
            visit(node, i + 1, path, odd + (0 if label else 1), found, True, missing, key)
        if not is_key:
            if i == last and kind == "missing" and isinstance(node, dict):
                visit(_MISSING, i + 1, (*path, part), odd, found, False, node, key)
            elif not label:
                visit(_MISSING, i + 1, (*path, part), odd, found, False, missing, key)

    visit(data, 0, (), 0, 0, False, _MISSING, False)
    assert best is not None
    return best[1], best[2]


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def _value_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict) and str(part) in data:
            data = data[str(part)]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _MISSING
    return data


def _shown(doc: Document | None, loc: Loc, value: Any) -> str:
    """The offending value for a message: as the file wrote it where possible."""
    text = None if doc is None else doc.source_text(loc)
    if text is None:
        if isinstance(value, str):
            text = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool) or value is None:
            text = json.dumps(value)
        elif isinstance(value, dict):
            return "{…}"
        elif isinstance(value, list):
            return "[…]"
        else:
            text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _alternatives(expected: str) -> Text:
    """pydantic's `'a', 'b' or 'c'` in both languages."""
    return Text("以下之一：" + expected.replace(" or ", "、").replace(", ", "、"),
                "one of " + expected)


def _bilingual(message: str) -> Text:
    # The engine's own validators write "english; 中文" in one ValueError.
    parts = [p.strip() for p in message.split(";") if p.strip()]
    zh = [p for p in parts if re.search(_CJK, p)]
    en = [p for p in parts if not re.search(_CJK, p)]
    if zh and en:
        return Text("；".join(zh), "; ".join(en))
    return Text(message, message)


# Short names of what each member of a union accepts, to list them side by side.
_NOUNS: dict[str, Text] = {
    "string_type": Text("文本", "text"),
    "int_type": Text("整数", "a whole number"),
    "int_parsing": Text("整数", "a whole number"),
    "int_from_float": Text("整数", "a whole number"),
    "bool_type": Text("true/false", "true/false"),
    "bool_parsing": Text("true/false", "true/false"),
    "date_type": Text("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "date_parsing": Text("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": Text("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "list_type": Text("列表", "a list"),
    "dict_type": Text("映射", "a mapping"),
    "model_type": Text("映射", "a mapping"),
    "model_attributes_type": Text("映射", "a mapping"),
    "float_type": Text("数字", "a number"),
    "float_parsing": Text("数字", "a number"),
    "none_required": Text("null", "null"),
}


def _describe(
    doc: Document, loc: Loc, err: ErrorDetails, *, of_key: bool = False
) -> tuple[Text, Text | None]:
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    given = err.get("input")
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return Text(f"缺少必填字段 {name}", f"required field `{name}` is missing"), None
    if kind == "extra_forbidden":
        if given is None and (" " in name or re.search(_CJK, name)):
            # `{en: a, b}` is a flow mapping with a second key `b`: the comma split a text.
            return (Text(f"不认识的字段 {name}", f"unknown field `{name}`"),
                    Text("若这是上一个值的一部分，请给该值加引号：在 { } 中逗号会分隔条目",
                         "if this is the rest of the previous value, quote that value: inside "
                         "{ } a comma separates entries"))
        return (Text(f"不认识的字段 {name}", f"unknown field `{name}`"),
                Text("检查拼写和缩进：该字段可能写错或放错了位置",
                     "check spelling and indentation: the field may be misspelt or misplaced"))
    shown = _shown(None if of_key else doc, loc, given)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (Text(f"{shown} 不是整数", f"{shown} is not a whole number"),
                Text("整数", "a whole number"))
    if kind in ("string_type", "str_type"):
        return (Text(f"{shown} 不是文本", f"{shown} is not text"),
                Text('文本（看起来像数字或日期的文本请加引号，如 "007"）',
                     'text (quote text that looks like a number or a date, e.g. "007")'))
    if kind in ("bool_type", "bool_parsing"):
        return (Text(f"{shown} 不是是/否值", f"{shown} is not true or false"),
                Text("true 或 false", "true or false"))
    if kind.startswith("date"):
        return (Text(f"{shown} 不是有效的日期", f"{shown} is not a valid date"),
                Text("日期，格式为 YYYY-MM-DD，例如 2024-03-15",
                     "a date written YYYY-MM-DD, e.g. 2024-03-15"))
    if kind.startswith("datetime"):
        return (Text(f"{shown} 不是有效的日期时间", f"{shown} is not a valid date and time"),
                Text("日期时间，例如 2024-03-15 09:30:00",
                     "a date and time, e.g. 2024-03-15 09:30:00"))
    if kind in ("literal_error", "enum"):
        return (Text(f"{shown} 不是允许的值", f"{shown} is not one of the allowed values"),
                _alternatives(str(ctx.get("expected", ""))))
    if kind in ("list_type", "tuple_type", "set_type"):
        return (Text(f"{shown} 不是列表", f"{shown} is not a list"),
                Text("列表，如 [a, b]，或每行一个 `- a`",
                     "a list, e.g. [a, b] or one `- a` per line"))
    if kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type"):
        return (Text(f"{shown} 不是映射", f"{shown} is not a mapping"),
                Text("映射（键: 值）", "a mapping (key: value)"))
    bounds = {
        "greater_than_equal": ("ge", "不小于", "at least"),
        "greater_than": ("gt", "大于", "more than"),
        "less_than_equal": ("le", "不大于", "at most"),
        "less_than": ("lt", "小于", "less than"),
    }
    if kind in bounds:
        key, zh, en = bounds[kind]
        bound = ctx.get(key)
        return (Text(f"{shown} 超出允许范围", f"{shown} is out of range"),
                Text(f"{zh} {bound}", f"{en} {bound}"))
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        actual = ctx.get("actual_length")
        if kind == "too_short":
            return (Text(f"只有 {actual} 项", f"has only {actual} item(s)"),
                    Text(f"至少 {bound} 项", f"at least {bound} item(s)"))
        return (Text(f"有 {actual} 项，太多", f"has {actual} items, too many"),
                Text(f"至多 {bound} 项", f"at most {bound} item(s)"))
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        if error is not None and getattr(error, "args", None) and isinstance(error.args[0], Text):
            return error.args[0], None
        message = str(error) if error is not None else err["msg"]
        return _bilingual(message), None
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        disc = str(ctx.get("discriminator", "")).strip("'")
        return (Text(f"{disc} 的值 {tag!r} 不是可用的种类", f"{disc} {tag!r} is not a known kind"),
                _alternatives(str(ctx.get("expected_tags", ""))))
    if kind == "union_tag_not_found":
        disc = str(ctx.get("discriminator", "")).strip("'")
        return (Text(f"缺少字段 {disc}，无法判断这一项的种类",
                     f"missing field `{disc}`, which says what kind of entry this is"), None)
    msg = err["msg"]
    return Text(f"无效的值 {shown}（{msg}）", f"invalid value {shown}: {msg}"), None


def validation_problems(
    doc: Document, exc: ValidationError, *, prefix: Loc = ()
) -> list[Problem]:
    """Located, bilingual problems for a pydantic error on `doc.data` (or on the value
    at `prefix` in it)."""
    base = _value_at(doc.data, prefix)
    entries: list[tuple[tuple[str | int, ...], bool, ErrorDetails]] = []
    for err in exc.errors(include_url=False):
        raw = tuple(err["loc"])
        if base is _MISSING:
            loc = tuple(p for p in raw if isinstance(p, int) or not (
                p == "[key]" or re.match(_LABEL, p) or p in _TYPE_LABELS))
            member = False
        else:
            loc, member = _clean_loc(base, raw, err["type"], err.get("input"))
        entries.append(((*prefix, *loc), member, err))

    # A smart union reports one error per member at the same place; say it once.
    members: dict[tuple[str | int, ...], int] = {}
    for loc, member, _ in entries:
        if member:
            members[loc] = members.get(loc, 0) + 1
    problems: list[Problem] = []
    unions: dict[tuple[str | int, ...], tuple[Problem, list[Text]]] = {}
    for loc, member, err in entries:
        message, expected = _describe(doc, loc, err, of_key="[key]" in err["loc"])
        if member and members[loc] > 1:
            slot = unions.get(loc)
            if slot is None:
                shown = _shown(doc, loc, err.get("input"))
                problem = Problem(
                    doc.path,
                    Text(f"{shown} 不符合任何允许的形式",
                         f"{shown} matches none of the allowed forms"),
                    doc.line_of(loc), doc.column_of(loc), format_loc(loc) or None, None)
                problems.append(problem)
                slot = unions[loc] = (problem, [])
            alternative = _NOUNS.get(err["type"]) or expected or message
            if alternative not in slot[1]:
                slot[1].append(alternative)
            continue
        found = (err.get("ctx") or {}).get("error")
        if isinstance(found, ItemError):
            loc, message = _at_item(doc, loc, found)
            expected = found.expected or expected
        if err["type"] == "union_tag_invalid":
            # Point at the discriminator (`type: referendum`), not the whole entry.
            disc = str((err.get("ctx") or {}).get("discriminator", "")).strip("'")
            if disc.isidentifier():
                loc = (*loc, disc)
        problems.append(Problem(doc.path, message, doc.line_of(loc), doc.column_of(loc),
                                format_loc(loc) or None, expected))
    for problem, alternatives in unions.values():
        problem.expected = Text("以下任一种：", "any of: ") + join(alternatives)
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return problems


def _at_item(doc: Document, loc: Loc, found: ItemError
             ) -> tuple[tuple[str | int, ...], Text]:
    """The problem moved from the validated value to its item, naming the earlier one."""
    message = found.message
    if found.earlier is not None:
        earlier = (*loc, *found.earlier)
        where, line = format_loc(earlier), doc.line_of(earlier)
        message += (Text(f"（第一次出现在 {where}）", f" (first at {where})") if line is None
                    else Text(f"（第一次出现在 {where}，第 {line} 行）",
                              f" (first at {where}, line {line})"))
    return (*loc, *found.at), message


def validated(doc: Document, model: type[M],
              references: Callable[[M], list[tuple[tuple[str | int, ...], Text]]]) -> M:
    """`doc` as `model`, then its cross-references (ids used but not defined) checked:
    every problem of either kind located in the document, raised as one InputError."""
    from pydantic import ValidationError

    try:
        value = model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(validation_problems(doc, exc)) from None
    refs = references(value)
    if refs:
        raise InputError([
            Problem(doc.path, message, doc.line_of(loc), None, format_loc(loc))
            for loc, message in refs
        ])
    return value
