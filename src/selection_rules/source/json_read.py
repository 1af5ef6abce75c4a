"""Reading JSON: `json.loads` for the values, the YAML composer only when a line is needed."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any, NoReturn

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode

from selection_rules.i18n import Text
from selection_rules.source.decoding import MAX_DEPTH, _fail, _too_deep
from selection_rules.source.document import Document
from selection_rules.source.yaml_build import _EXPECT_NUMBER, _BadNumber, _decimal
from selection_rules.source.yaml_compose import _compose_json, _hint, _walk

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


# ------------------------------------------------------------------------ the fast path

# Bytes classed for the checks below: a digit is `0`, what may follow a number's digits
# in a float literal (`.`, `e`, `E`) is `.`, an opening bracket is `[`; every other byte
# but whitespace (deleted) is `a`.
_CLASSES = bytes(
    ord("0") if b in b"0123456789" else ord(".") if b in b".eE"
    else ord("[") if b in b"[{" else ord("a") for b in range(256))
_WHITESPACE = b" \t\r\n"  # JSON's own: anything else outside a string is an error
# orjson reads 64-bit integers exactly and a longer one as a float: 18 digits always fit.
_LONG_DIGITS = b"0" * 19


def _fast_json(body: bytes, name: str) -> Document | None:
    """The document `_load_json` reads from the UTF-8 `body` (no byte-order mark), read
    by orjson where orjson is known to give the same values; None where it might not (or
    where the text has a fault, for `_load_json` to word).

    orjson differs from the reading above in three ways, each ruled out before its values
    are kept: it reads a float literal as a float (here a Fraction or a located error),
    an integer beyond 64 bits as a float, and a key repeated in an object as its last
    value (here an error). A text that holds a \\u escape is left to the reading above
    (it may be a lone surrogate, which is refused there). Then orjson writes back the
    values it read as the same bytes (it writes the other escapes, \\" \\\\ \\n \\t …, as
    they are written, and \\/ shorter), less whitespace outside strings and less any
    member a repeated key dropped: the same length means no key was repeated.
    tests/test_fast_reading.py holds both readings equal on generated texts.
    """
    if b"\\" in body and b"\\u" in body:  # memchr first: most texts hold no backslash
        return None
    classes = body.translate(_CLASSES, _WHITESPACE)
    if b"0." in classes or _LONG_DIGITS in classes:
        return None  # a float literal (or text like one in a string), a long integer
    import orjson

    try:
        data = orjson.loads(body)
        written = orjson.dumps(data)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None  # a syntax error, a NaN, a control character …: worded above
    if len(written.translate(None, _WHITESPACE)) != len(classes):
        return None  # a repeated key dropped a member (or `-0` was written `0`)
    # Past orjson's own limit (1024 levels) it refused the text; below it, ours is kept.
    if classes.count(b"[") > MAX_DEPTH and _json_too_deep(body.decode("utf-8")) is not None:
        return None
    # The bytes are UTF-8 (orjson has read them); decoded when a line is asked for.
    return Document(name, "json", data, raw=body)


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
