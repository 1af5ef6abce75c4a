"""Composing YAML safely: a node tree from a fixed resolver, never PyYAML's constructors.

Safety: YAML is only *composed* (a node tree, no constructor of PyYAML's runs), with
YAML 1.1's implicit types from a fixed table; libyaml composes when the text cannot nest
deep enough to overflow its C stack, PyYAML's Python composer otherwise. Syntax errors
are located and get a hint (full-width punctuation, tabs, unquoted colons).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NoReturn

from yaml.composer import Composer
from yaml.error import Mark, MarkedYAMLError
from yaml.events import MappingStartEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.source.decoding import MAX_DEPTH, _fail, _too_deep

# libyaml's composer recurses in C without any guard: about 30,000 levels overflow an
# 8 MB stack and kill the process. Texts that could nest deeper than this are composed
# by PyYAML's Python composer on libyaml's events, where overflow is a RecursionError.
_C_SAFE_DEPTH = 1000
# libyaml (0.2.5 and later) refuses more open flow collections than this, in its scanner.
_LIBYAML_FLOW_LIMIT = 1000
_LIBYAML_READ_AHEAD = 1024

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

# Patterns used only on error paths stay strings, compiled (and cached by `re`) on first
# use: large Unicode classes take milliseconds to compile, paid at every start otherwise.
# What YAML 1.1 lets a stream contain (PyYAML's Reader.NON_PRINTABLE, inverted).
_NOT_YAML_CHAR = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
_WIDE_KEY = r"(?m)^[ ]*(?:-[ ]+)?[^\s:：#'\"{}\[\],]+[ ]*："
_FULL_WIDTH = {"：": ":", "，": ",", "“": '"', "”": '"', "‘": "'", "’": "'", "　": " "}


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
