"""Python values from a YAML node tree: only standard tags, aliases shared and counted.

The values are built here from a fixed list of standard tags, so nothing in a file can run
code or read files. Aliases are shared, not copied, and counted as if expanded, so an
alias bomb fails at once instead of eating memory.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import Any

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from selection_rules.i18n import Text
from selection_rules.source.decoding import _MAX_EXPONENT, MAX_DEPTH, _fail, _too_deep
from selection_rules.source.document import Document
from selection_rules.source.paths import format_loc
from selection_rules.source.yaml_compose import (
    _BOOL,
    _FLOAT,
    _INT,
    _MAP,
    _MERGE,
    _NULL,
    _P,
    _SCALAR_TAGS,
    _SEQ,
    _STR,
    _TIMESTAMP,
    _TIMESTAMP_PARTS,
    _compose,
)

_EXPONENT = re.compile(r"[eE]([-+]?[0-9]+)$")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# A node's text that begins with its tag, perhaps after its anchor.
_TAGGED = re.compile(r"(?:&[^\s]+\s+)?![^\s]")  # a bare `!` is YAML's "plain text"
_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}


_EXPECT_NUMBER = Text("数字，例如 5、0.8 或 80%", "a number such as 5, 0.8 or 80%")


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

    __slots__ = ("count", "limit", "memo", "reach", "text")

    def __init__(self, limit: int, aliases: bool, text: str) -> None:
        self.count = 0
        self.limit = limit
        self.text = text
        # Aliases are the only way a node is reached twice; without `*` in the text there
        # are none, and the memo (one dict entry per collection) is skipped.
        self.memo: dict[int, Any] | None = {} if aliases else None
        # With aliases: the deepest collection built so far under the one being built,
        # so a reused anchor's value is held to the depth limit where it is reused.
        self.reach = 0

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
                # work of everything that walks the values later (pydantic, checks),
                # and its depth where it is reused bounds every recursive walk.
                shared, count, height = hit
                if depth + height >= MAX_DEPTH:
                    raise _NodeError(node, _too_deep())
                self.reach = max(self.reach, depth + height)
                self.count += count
                if self.count > self.limit:
                    raise _Overflow()
                return shared
            memo[id(node)] = _BUSY
        if depth >= MAX_DEPTH:
            raise _NodeError(node, _too_deep())
        outer = self.reach
        self.reach = depth
        before = self.count
        value: Any
        if cls is MappingNode and node.tag == _MAP:
            value = self.mapping(node, depth + 1)
        elif cls is SequenceNode and node.tag == _SEQ:
            value = self.sequence(node, depth + 1)
        else:
            raise _bad_tag(node)
        if memo is not None:
            memo[id(node)] = (value, self.count - before, self.reach - depth)
        self.reach = max(outer, self.reach)
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
