"""What compiled expressions call while they run, and the operator tables they follow:
exact arithmetic held to the figure limit, membership in long lists, the once-per-loop
memo, and the words for a value of the wrong kind."""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from selection_rules import limits
from selection_rules.i18n import Text
from selection_rules.lang.context import context_of
from selection_rules.lang.types import ANY, Env, Fn, Missing, StaticType
from selection_rules.model.values import show, too_large

_CMP: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}


_BIN_SYMBOL: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
}
# Division is not here: it is exact, and has its own closure.
_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
}
# The run-time classes arithmetic accepts. bool is left out: `True * 3` is a slip, not a
# count. Only numbers, because `'x' * 10**11` or `[1] * 10**9` would exhaust memory.
_NUMBERS: frozenset[type] = frozenset({int, Fraction})
# `+` also joins two texts or two lists (rules build subjects and candidate lists with it):
# the result is no larger than its parts, so it cannot blow up as `*` can.
_JOINABLE: frozenset[type] = frozenset({str, list})
_STATIC_NUMBERS: tuple[StaticType, ...] = (int, Fraction, ANY)
# A decimal literal's exponent: Fraction("1e99999999") would build 10**99999999.
_EXPONENT = re.compile(r"[eE]([-+]?[0-9]+)$")


_FIGURE_BOUND = 1 << limits.MAX_FIGURE_BITS


def bounded(value: Any, src: str, what: Text | None = None) -> Any:
    """A computed figure, or Missing past limits.MAX_FIGURE_BITS: no figure a rule reads
    is that large, and one that is would be slow to compute with and to print. `what`
    names the figure where `src` is a function's name rather than the rule's words."""
    if too_large(value):
        name = what or Text(f"{src} ", src)  # a rule's own words keep their space
        raise Missing(src, Text(
            f"{name.zh}的结果太大（超过 {limits.MAX_FIGURE_BITS} 位二进制，约 900 位十进制）",
            f"{name.en} is too large (more than {limits.MAX_FIGURE_BITS} bits, about 900 "
            "decimal digits)"))
    return value


def _not_number(a: Any, b: Any, lsrc: str, rsrc: str, symbol: str) -> Missing:
    """Why `a symbol b` has no value: a side is missing, or is of the wrong kind."""
    for value, src in ((a, lsrc), (b, rsrc)):
        if value is None:
            return Missing(src)
    if symbol == "+" and (a.__class__ in _JOINABLE or b.__class__ in _JOINABLE):
        return Missing(f"{lsrc} + {rsrc}", Text(
            f"{lsrc}（{_kind(a)}）与 {rsrc}（{_kind(b)}）不能用 + 连接："
            "两边应同为数、同为文字或同为列表",
            f"{lsrc} ({_kind(a)}) and {rsrc} ({_kind(b)}) cannot be joined with +: "
            "both sides must be numbers, both texts or both lists",
        ))
    src, value = (lsrc, a) if a.__class__ not in _NUMBERS else (rsrc, b)
    return Missing(src, Text(
        f"{src}（{_kind(value)}）不是数，不能用于 {symbol} 运算",
        f"{src} ({_kind(value)}) is not a number, so it cannot be used with {symbol}",
    ))


_FIELDS: dict[type, frozenset[str]] = {}


def _fields_of(cls: type) -> frozenset[str]:
    """The fields of a pydantic model class (none for any other class), kept per class."""
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = frozenset(cls.model_fields) if issubclass(cls, BaseModel) else frozenset()
        _FIELDS[cls] = fields
    return fields


def _kind(value: Any) -> str:
    """A value's kind and, when short, the value itself, for a message."""
    kind = type(value).__name__
    if isinstance(value, list | tuple | dict | set | frozenset | BaseModel):
        return kind
    text = show(value)
    return f"{kind} {text}" if len(text) <= 40 else kind


HOISTED = "_hoisted"
# `x in xs` against a long list, indexed as a set once per replay (see `member`).
_SETS = "_sets"
_SHORT = 16
_MAX_SETS = 256


def member(env: Env, a: Any, b: Any) -> bool:
    """`a in b`, where a long list is looked up as a set built once per replay.

    A loop over N candidates asking `item in last('x').result` of N would otherwise scan
    the list for each item: N² comparisons. The list is read-only during a replay, so the
    set stays true while it lives; the memo holds the list itself, so its id cannot be
    reused by another, and is emptied when it grows (lists made afresh by each call).
    """
    if b.__class__ is not list or len(b) <= _SHORT:
        return a in b
    kept = context_of(env).memo
    sets: dict[int, tuple[list[Any], frozenset[Any] | None]] | None = kept.get(_SETS)
    if sets is None:
        sets = kept[_SETS] = {}
    hit = sets.get(id(b))
    if hit is None or hit[0] is not b:
        if len(sets) >= _MAX_SETS:
            sets.clear()
        try:
            hit = sets[id(b)] = (b, frozenset(b))
        except TypeError:  # unhashable items (records): the list as it is
            hit = sets[id(b)] = (b, None)
    found = hit[1]
    if found is None:
        return a in b
    try:
        return a in found
    except TypeError:
        return a in b


_UNSET = object()


def _once_per_loop(fn: Fn) -> Fn:
    """`fn`, evaluated once per `each` loop of a check (env[HOISTED] is that loop's memo).

    `item in last('inspection').candidates` looks the earlier step up once for the
    event, not once per item. A value that is missing is not kept: each item reports it.
    """
    key = object()

    def once(env: Env) -> Any:
        memo: dict[object, Any] | None = env.get(HOISTED)
        if memo is None:
            return fn(env)
        value = memo.get(key, _UNSET)
        if value is _UNSET:
            value = memo[key] = fn(env)
        return value

    return once
