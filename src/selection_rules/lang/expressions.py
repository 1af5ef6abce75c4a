"""A safe expression language for rule checks, compiled once per procedure.

Expressions are Python-like (`event.ballot.tallies[item].agree`, `count(event.result)`,
`item in last('inspection').result`) but are never given to eval/exec: they are parsed
with `ast`, every node is checked against a short whitelist, every name and field is
resolved against the case-file models when the procedure loads, and the tree is turned
into plain closures. An expression can read only the values the engine passes in, and
call only the functions listed in `FUNCTIONS`.

Division is exact (Fraction). Arithmetic is on numbers only (`+` also joins two texts or
two lists), so that no expression can build a huge text or list. A value the case file
does not record (a field left out) raises `Missing` at run time with the text of the
expression that needed it, so that a check can report it rather than pass or crash; `not`
of such a value is missing too, not true.
"""

from __future__ import annotations

import ast
import difflib
import operator
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Union

from pydantic import BaseModel

from selection_rules import limits
from selection_rules.i18n import Text
from selection_rules.model.values import normalize, show, too_large
from selection_rules.source.decoding import _MAX_EXPONENT

Env = dict[str, Any]
Fn = Callable[[Env], Any]


class ExprError(Exception):
    """An expression that cannot be compiled; `column` is 0-based within the expression."""

    def __init__(self, message: Text, column: int | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.column = column


class Missing(Exception):
    """A value an expression needs is not in the case file.

    `what` is the expression text that needed it; `text`, where given, says it in words.
    """

    def __init__(self, what: str, text: Text | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.text = text


# ---------------------------------------------------------------------------- static types


@dataclass(frozen=True)
class ListOf:
    item: StaticType


@dataclass(frozen=True)
class DictOf:
    value: StaticType


class _Any:
    def __repr__(self) -> str:
        return "any"


ANY = _Any()
StaticType = type | ListOf | DictOf | _Any


def static_type(annotation: Any) -> StaticType:
    """The static type of a pydantic field annotation (Optional is looked through)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return static_type(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return static_type(args[0]) if len(args) == 1 else ANY
    if origin is list:
        return ListOf(static_type(typing.get_args(annotation)[0]))
    if origin is dict:
        return DictOf(static_type(typing.get_args(annotation)[1]))
    if origin is typing.Literal:
        return str
    if isinstance(annotation, type):
        return annotation
    return ANY


def _is_model(t: StaticType) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _type_name(t: StaticType) -> str:
    if isinstance(t, ListOf):
        return f"list[{_type_name(t.item)}]"
    if isinstance(t, DictOf):
        return f"dict[{_type_name(t.value)}]"
    if isinstance(t, type):
        return t.__name__
    return "any"


# ---------------------------------------------------------------------------- functions


@dataclass(frozen=True, eq=False)
class Function:
    """A function an expression may call. `impl` gets the env first."""

    impl: Callable[..., Any]
    arity: tuple[int, int]
    returns: Callable[[list[StaticType]], StaticType]
    doc: Text
    # Argument positions that must be string literals naming an event type or tag.
    event_selector_args: tuple[int, ...] = ()
    # The result depends on nothing but the current event's type (e.g. tagged('x')).
    type_only: bool = False
    # The same function without the env (count: len), called directly where it is given.
    pure: Callable[..., Any] | None = None


@dataclass(eq=False)
class Scope:
    """What an expression may refer to: names with their types, and known event selectors."""

    names: dict[str, StaticType]
    functions: Mapping[str, Function]
    event_selectors: frozenset[str] = frozenset()
    # Names whose value is a parameter: recorded so a check can show its bound's source.
    parameters: frozenset[str] = frozenset()
    # The item name of a check's `each` loop: what does not read it is loop-invariant.
    loop_names: frozenset[str] = frozenset()


@dataclass(eq=False)
class Compiled:
    """A compiled expression: call it with an env."""

    source: str
    fn: Fn
    type: StaticType
    parameters: frozenset[str] = field(default_factory=frozenset)
    # Dotted data paths the expression reads, for explanations and lint.
    reads: tuple[str, ...] = ()
    # It reads nothing but the event's type, constants and parameters: an epoch can
    # evaluate it once per event type instead of once per event.
    type_only: bool = False
    # For `a and b and …`, the conjuncts that are type-only, as one function: where it
    # is false for an event type, so is the whole condition.
    type_guard: Fn | None = None
    # Parts of it are evaluated once per `each` loop (see _once_per_loop).
    hoists: bool = False
    # With a type_guard: the conjunction of the other conjuncts, what is left to evaluate
    # for an event whose type the guard allows.
    residual: Fn | None = None
    # `item in xs` with xs not reading the item: (item's name, xs), so a loop can test
    # every item at once and go item by item only when one fails.
    membership: tuple[str, Fn] | None = None
    # The syntax tree it was compiled from (None for a bare number or truth value): lint
    # reads it rather than parse the text again. Read only: it is shared.
    tree: ast.Expression | None = field(default=None, repr=False)

    def __call__(self, env: Env) -> Any:
        return self.fn(env)


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
    sets: dict[int, tuple[list[Any], frozenset[Any] | None]] | None = env.get(_SETS)
    if sets is None:
        sets = env[_SETS] = {}
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


def parse_expr(text: str) -> ast.Expression:
    """The syntax tree of an expression, no deeper than MAX_EXPR_DEPTH, or ExprError.

    Every later walk of the tree (compiling, lint, diagrams, simulation, evaluation of
    the closures it becomes) recurses once per level or more: the bound keeps them all
    far from Python's recursion limit, so that 3,000 `+` terms or 5,000 `not` are a
    located error, not a crash.
    """
    too_deep = ExprError(Text(
        f"表达式嵌套太深（超过 {limits.MAX_EXPR_DEPTH} 层）",
        f"the expression is nested too deeply (more than {limits.MAX_EXPR_DEPTH} levels)"), 0)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExprError(
            Text(f"表达式语法错误：{exc.msg}", f"syntax error in expression: {exc.msg}"),
            (exc.offset or 1) - 1,
        ) from None
    except (RecursionError, MemoryError):  # the parser's own recursion, on deep nesting
        raise too_deep from None
    # Iteratively, level by level: a recursive measure would fail where it is needed.
    level: list[ast.AST] = [tree.body]
    depth = 0
    while level:
        depth += 1
        if depth > limits.MAX_EXPR_DEPTH:
            raise too_deep
        level = [child for node in level for child in ast.iter_child_nodes(node)]
    return tree


def compile_expr(source: str | int | bool, scope: Scope) -> Compiled:
    """Compile `source` against `scope`, or raise ExprError saying what is wrong and where."""
    if isinstance(source, bool | int):
        value = source
        return Compiled(str(source), lambda env: value, type(source))
    text = source.strip()
    tree = parse_expr(text)
    loop = _loop_facts(tree.body, scope.loop_names) if scope.loop_names else None
    compiler = _Compiler(text, scope, loop)
    fn, typ = compiler.visit(tree.body)
    guard, residual = _type_guard(tree.body, text, scope, loop)
    return Compiled(text, fn, typ, frozenset(compiler.used_parameters), tuple(compiler.reads),
                    compiler.type_only(), guard, compiler.hoists, residual,
                    compiler.membership.get(id(tree.body)), tree)


@dataclass(eq=False)
class _LoopFacts:
    """Of each node of an expression inside an `each` loop, by id: its parent, whether
    it reads the loop's item and whether it makes a call. Found in one walk of the tree,
    not one walk of each subtree per question (a quarter of a procedure's load)."""

    parent: dict[int, ast.AST]
    reads_item: set[int]
    calls: set[int]

    def hoistable(self, node: ast.AST | None) -> bool:
        """A call, or a field or item of one, that does not read the loop's item."""
        return (isinstance(node, ast.Call | ast.Attribute | ast.Subscript)
                and id(node) not in self.reads_item and id(node) in self.calls)


def _loop_facts(root: ast.AST, loop_names: frozenset[str]) -> _LoopFacts:
    facts = _LoopFacts({}, set(), set())

    def walk(node: ast.AST) -> tuple[bool, bool]:
        reads = isinstance(node, ast.Name) and node.id in loop_names
        calls = isinstance(node, ast.Call)
        for child in ast.iter_child_nodes(node):
            facts.parent[id(child)] = node
            child_reads, child_calls = walk(child)
            reads = reads or child_reads
            calls = calls or child_calls
        if reads:
            facts.reads_item.add(id(node))
        if calls:
            facts.calls.add(id(node))
        return reads, calls

    walk(root)
    return facts


def _type_guard(node: ast.expr, text: str, scope: Scope,
                loop: _LoopFacts | None) -> tuple[Fn | None, Fn | None]:
    """Of `a and b and …`: its type-only conjuncts as one function, and the others."""
    if not (isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And)):
        return None, None
    guards: list[Fn] = []
    rest: list[Fn] = []
    for part in node.values:
        sub = _Compiler(text, scope, loop)
        fn, _ = sub.visit(part)
        (guards if sub.type_only() else rest).append(fn)
    if not guards:
        return None, None
    if len(rest) == 1:
        only = rest[0]
        residual: Fn | None = lambda env: bool(only(env))  # noqa: E731
    else:
        residual = (lambda env: all(f(env) for f in rest)) if rest else None
    return (lambda env: all(g(env) for g in guards)), residual


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


class _Compiler:
    def __init__(self, source: str, scope: Scope, loop: _LoopFacts | None) -> None:
        self.source = source
        self._loop = loop  # inside an `each` loop: what may be hoisted out of it
        # ast offsets count UTF-8 bytes; ast.get_source_segment splits the source again on
        # every call, which was a quarter of a procedure's load time.
        # Lines as the parser counts them (str.splitlines also breaks at \x0c, \u2028, …).
        self._lines = [line.encode() for line in re.split(r"\r\n?|\n", source)]
        self.scope = scope
        self.used_parameters: set[str] = set()
        self.reads: list[str] = []
        # Closures that read a bare name, and fused field paths: (root, name, fields, sources).
        self._names: dict[int, str] = {}
        self._paths: dict[int, tuple[Fn, str | None, tuple[str, ...], tuple[str, ...]]] = {}
        self._keep: list[Fn] = []
        self._consts: dict[int, Any] = {}  # closures that return a constant, by id
        self.membership: dict[int, tuple[str, Fn]] = {}  # see Compiled.membership
        self.hoists = False
        # For type_only(): data names read, `event.type` reads, other calls made.
        self._data_names: list[str] = []
        self._event_type_reads = 0
        self._dynamic_calls = 0

    def type_only(self) -> bool:
        events = self._data_names.count("event")
        return (not self._dynamic_calls and events == len(self._data_names)
                and events == self._event_type_reads)

    def seg(self, node: ast.AST) -> str:
        start, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        if start is None or start != end or start > len(self._lines):
            return ast.get_source_segment(self.source, node) or self.source
        line = self._lines[start - 1]
        return line[node.col_offset:node.end_col_offset].decode() or self.source  # type: ignore[attr-defined]

    def unknown(self, node: ast.AST, what_zh: str, what_en: str, name: str,
                known: Iterable[str], *, listed: bool = True) -> ExprError:
        """An unknown name, with the nearest known one as a hint (and, if `listed`, all)."""
        names = sorted(known)
        hint = difflib.get_close_matches(name, names, n=1)
        zh = f"未知{what_zh} {name!r}" + (f"，是否应为 {hint[0]!r}？" if hint else "")
        en = f"unknown {what_en} {name!r}" + (f", did you mean {hint[0]!r}?" if hint else "")
        if listed:
            zh += f"（可用：{', '.join(names)}）"
            en += f" (available: {', '.join(names)})"
        return self.fail(node, zh, en)

    def fail(self, node: ast.AST, zh: str, en: str) -> ExprError:
        return ExprError(Text(zh, en), getattr(node, "col_offset", None))

    def visit(self, node: ast.expr) -> tuple[Fn, StaticType]:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            what = type(node).__name__
            raise self.fail(
                node,
                f"规则表达式中不允许使用 {what}（{self.seg(node)}）",
                f"{what} is not allowed in a rule expression ({self.seg(node)})",
            )
        result: tuple[Fn, StaticType] = method(node)
        loop = self._loop
        if loop is not None and loop.hoistable(node) and not loop.hoistable(
                loop.parent.get(id(node))):
            # The largest part that does not read the loop item, memoised once: its inner
            # parts are not (a miss would go through each memo, and paths would not fuse).
            self.hoists = True
            return _once_per_loop(result[0]), result[1]
        return result

    # -- leaves

    def visit_Constant(self, node: ast.Constant) -> tuple[Fn, StaticType]:
        value: Any = node.value
        if isinstance(value, float):
            # 0.8 in source text is exact to the reader, so it is exact here too.
            value = self.exact_decimal(node)
        if not isinstance(value, str | int | bool | Fraction | type(None)):
            raise self.fail(node, "不支持的常量", f"unsupported constant {value!r}")
        return self.constant(value), (type(value) if value is not None else ANY)

    def constant(self, value: Any) -> Fn:
        fn: Fn = lambda env: value  # noqa: E731
        self._consts[id(fn)] = value
        self._keep.append(fn)  # ids stay unique while the compiler lives
        return fn

    def exact_decimal(self, node: ast.Constant) -> Any:
        """The exact value of a decimal literal, refusing exponents no figure needs."""
        text = self.seg(node).replace("_", "")
        exponent = _EXPONENT.search(text)
        if exponent is not None and (len(exponent.group(1)) > 6
                                     or abs(int(exponent.group(1))) > _MAX_EXPONENT):
            raise self.fail(
                node,
                f"{self.seg(node)} 的指数太大（绝对值至多 {_MAX_EXPONENT}）",
                f"the exponent of {self.seg(node)} is too large (at most {_MAX_EXPONENT} "
                "either way)",
            )
        try:
            return normalize(Fraction(text))
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise self.fail(node, f"数字 {text[:20]}… 太长",
                            f"the number {text[:20]}… is too long") from None

    def visit_Name(self, node: ast.Name) -> tuple[Fn, StaticType]:
        name = node.id
        if name in ("True", "False", "None"):
            value = {"True": True, "False": False, "None": None}[name]
            return self.constant(value), ANY
        if name not in self.scope.names:
            raise self.unknown(node, "名称", "name", name, self.scope.names)
        if name in self.scope.parameters:
            self.used_parameters.add(name)
        else:
            self._data_names.append(name)

        def get_name(env: Env) -> Any:
            return env[name]

        self._names[id(get_name)] = name
        self._keep.append(get_name)
        return get_name, self.scope.names[name]

    def visit_List(self, node: ast.List) -> tuple[Fn, StaticType]:
        parts = [self.visit(e) for e in node.elts]
        fns = [f for f, _ in parts]
        item = parts[0][1] if parts else ANY
        return (lambda env: [f(env) for f in fns]), ListOf(item)

    visit_Tuple = visit_List

    # -- access

    def visit_Attribute(self, node: ast.Attribute) -> tuple[Fn, StaticType]:
        attr = node.attr
        if attr.startswith("_"):
            raise self.fail(node, f"不允许访问 {attr!r}", f"access to {attr!r} is not allowed")
        base_fn, base_t = self.visit(node.value)
        base_src = self.seg(node.value)
        if _is_model(base_t):
            assert isinstance(base_t, type) and issubclass(base_t, BaseModel)
            fields = base_t.model_fields
            if attr not in fields:
                hint = difflib.get_close_matches(attr, list(fields), n=1)
                raise self.fail(
                    node,
                    f"{base_src} 没有字段 {attr!r}"
                    + (f"，是否应为 {hint[0]!r}？" if hint else "")
                    + f"（{base_t.__name__} 的字段：{', '.join(fields)}）",
                    f"{base_src} has no field {attr!r}"
                    + (f", did you mean {hint[0]!r}?" if hint else "")
                    + f" ({base_t.__name__} fields: {', '.join(fields)})",
                )
            typ = static_type(fields[attr].annotation)
            self.reads.append(self.seg(node))
            return self.field_path(base_fn, base_src, attr), typ
        if isinstance(base_t, DictOf) or base_t is ANY:

            def get_key(env: Env) -> Any:
                # Only a model's declared fields and a mapping's keys: never a Python
                # attribute or method of whatever object the value happens to be.
                base = base_fn(env)
                if isinstance(base, dict):
                    if attr in base:
                        return base[attr]
                elif attr in _fields_of(base.__class__):
                    return getattr(base, attr)
                elif base is None:
                    raise Missing(base_src)
                elif isinstance(base, Mapping) and attr in base:
                    return base[attr]
                raise Missing(f"{base_src}.{attr}")

            return get_key, (base_t.value if isinstance(base_t, DictOf) else ANY)
        raise self.fail(
            node,
            f"{base_src}（{_type_name(base_t)}）没有字段 {attr!r}",
            f"{base_src} ({_type_name(base_t)}) has no field {attr!r}",
        )

    def field_path(self, base_fn: Fn, base_src: str, attr: str) -> Fn:
        """`base.attr`, fused with the fields before it into one C-level attrgetter.

        Replay evaluates paths such as `event.ballot.tallies` tens of times per case; one
        closure per field made them the largest cost of a replay. A None on the way is
        still reported as the part that is missing.
        """
        root, name, attrs, srcs = self._paths.get(
            id(base_fn), (base_fn, self._names.get(id(base_fn)), (), ()))
        attrs, srcs = (*attrs, attr), (*srcs, base_src)
        if name == "event" and attrs == ("type",):
            self._event_type_reads += 1
        getter = operator.attrgetter(".".join(attrs))

        def missing(obj: Any) -> Missing | None:
            for part, src in zip(attrs, srcs, strict=True):
                if obj is None:
                    return Missing(src)
                obj = getattr(obj, part)
            return None

        if name is not None:
            def get_path(env: Env) -> Any:
                try:
                    return getter(env[name])
                except AttributeError:
                    found = missing(env[name])
                    if found is None:
                        raise
                    raise found from None
        else:
            def get_path(env: Env) -> Any:
                obj = root(env)
                try:
                    return getter(obj)
                except AttributeError:
                    found = missing(obj)
                    if found is None:
                        raise
                    raise found from None

        self._paths[id(get_path)] = (root, name, attrs, srcs)
        self._keep.append(get_path)  # ids stay unique while the compiler lives
        return get_path

    def visit_Subscript(self, node: ast.Subscript) -> tuple[Fn, StaticType]:
        base_fn, base_t = self.visit(node.value)
        key_fn, _ = self.visit(node.slice)
        src = self.seg(node)
        base_src = self.seg(node.value)

        key_name = self._names.get(id(key_fn))

        def get_item(env: Env) -> Any:
            base = base_fn(env)
            if base is None:
                raise Missing(base_src)
            # `tallies[item]`: the loop item read in place, not through its closure.
            key = env[key_name] if key_name is not None else key_fn(env)
            try:
                return base[key]
            except (KeyError, IndexError, TypeError):
                raise Missing(f"{src} [{key}]") from None

        if isinstance(base_t, DictOf):
            return get_item, base_t.value
        if isinstance(base_t, ListOf):
            return get_item, base_t.item
        if base_t is ANY:
            return get_item, ANY
        raise self.fail(
            node,
            f"{base_src}（{_type_name(base_t)}）不能取下标",
            f"{base_src} ({_type_name(base_t)}) cannot be indexed",
        )

    # -- operators

    def visit_BoolOp(self, node: ast.BoolOp) -> tuple[Fn, StaticType]:
        fns = [self.visit(v)[0] for v in node.values]
        if len(fns) == 2:  # `a and b` is the usual form: no generator on the hot path
            f0, f1 = fns
            if isinstance(node.op, ast.And):
                return (lambda env: bool(f0(env) and f1(env))), bool
            return (lambda env: bool(f0(env) or f1(env))), bool
        if isinstance(node.op, ast.And):
            def all_of(env: Env) -> bool:
                # A loop, not all(generator): a generator frame per call costs more.
                for f in fns:  # noqa: SIM110
                    if not f(env):
                        return False
                return True

            return all_of, bool

        def any_of(env: Env) -> bool:
            for f in fns:  # noqa: SIM110
                if f(env):
                    return True
            return False

        return any_of, bool

    def visit_UnaryOp(self, node: ast.UnaryOp) -> tuple[Fn, StaticType]:
        fn, typ = self.visit(node.operand)
        src = self.seg(node.operand)
        if isinstance(node.op, ast.Not):

            def not_(env: Env) -> bool:
                # A value the case does not record is neither true nor false: `not` of it
                # is reported as missing, as a comparison of it is.
                v = fn(env)
                if v is None:
                    raise Missing(src)
                return not v

            return not_, bool
        if isinstance(node.op, ast.USub):

            def neg(env: Env) -> Any:
                v = fn(env)
                if v is None:
                    raise Missing(src)
                return -v

            return neg, typ
        raise self.fail(node, "不支持的运算符", "unsupported operator")

    def visit_BinOp(self, node: ast.BinOp) -> tuple[Fn, StaticType]:
        symbol = _BIN_SYMBOL.get(type(node.op))
        if symbol is None:
            raise self.fail(node, "只支持 + - * /", "only + - * / are allowed")
        lf, lt = self.visit(node.left)
        rf, rt = self.visit(node.right)
        lsrc, rsrc, src = self.seg(node.left), self.seg(node.right), self.seg(node)
        if isinstance(node.op, ast.Add):
            typ = self.join_type(node, lt, rt, lsrc, rsrc)
        else:
            for side, t, src in ((node.left, lt, lsrc), (node.right, rt, rsrc)):
                if t not in _STATIC_NUMBERS:
                    raise self.fail(
                        side,
                        f"{src}（{_type_name(t)}）不是数，不能用于 {symbol} 运算",
                        f"{src} ({_type_name(t)}) is not a number, so it cannot be used "
                        f"with {symbol}",
                    )
            typ = Fraction if isinstance(node.op, ast.Div) else (lt if lt == rt else ANY)

        if isinstance(node.op, ast.Div):

            def divide(env: Env) -> Any:
                a: Any = lf(env)
                b: Any = rf(env)
                if type(a) not in _NUMBERS or type(b) not in _NUMBERS:
                    raise _not_number(a, b, lsrc, rsrc, symbol)
                if not b:
                    raise Missing(f"{rsrc} = 0", Text(f"除数为零（{rsrc}）",
                                                      f"division by zero ({rsrc})"))
                return bounded(normalize(Fraction(a, b)), src)

            return divide, typ
        if isinstance(node.op, ast.Add) and typ not in _STATIC_NUMBERS:
            joined = str if typ is str else list

            def join(env: Env) -> Any:
                a, b = lf(env), rf(env)
                if a.__class__ is joined and b.__class__ is joined:
                    return a + b
                raise _not_number(a, b, lsrc, rsrc, symbol)

            return join, typ

        op = _ARITHMETIC[type(node.op)]
        # `x + y` of two untyped values may still be two texts or two lists.
        joins = _JOINABLE if isinstance(node.op, ast.Add) else frozenset()

        def arithmetic(env: Env) -> Any:
            a, b = lf(env), rf(env)
            if a.__class__ in _NUMBERS and b.__class__ in _NUMBERS:
                value = op(a, b)
                # An int well inside the bound (every real figure) without a call.
                if value.__class__ is int and -_FIGURE_BOUND < value < _FIGURE_BOUND:
                    return value
                return bounded(value, src)
            if a.__class__ is b.__class__ and a.__class__ in joins:
                return a + b
            raise _not_number(a, b, lsrc, rsrc, symbol)

        return arithmetic, typ

    def join_type(self, node: ast.BinOp, lt: StaticType, rt: StaticType, lsrc: str,
                  rsrc: str) -> StaticType:
        """The type of `left + right`: numbers add, two texts or two lists are joined."""
        if lt in _STATIC_NUMBERS and rt in _STATIC_NUMBERS:
            return lt if lt == rt else ANY
        if lt in (str, ANY) and rt in (str, ANY):
            return str
        if isinstance(lt, ListOf) and isinstance(rt, ListOf):
            return lt if lt == rt else ListOf(ANY)
        if isinstance(lt, ListOf) and rt is ANY:
            return lt
        if lt is ANY and isinstance(rt, ListOf):
            return rt
        raise self.fail(
            node,
            f"{lsrc}（{_type_name(lt)}）与 {rsrc}（{_type_name(rt)}）不能用 + 连接："
            "两边应同为数、同为文字或同为列表",
            f"{lsrc} ({_type_name(lt)}) and {rsrc} ({_type_name(rt)}) cannot be joined with +: "
            "both sides must be numbers, both texts or both lists",
        )

    def visit_Compare(self, node: ast.Compare) -> tuple[Fn, StaticType]:
        lhs = node.left
        for op, rhs in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.Is | ast.IsNot) and not (_is_none(lhs) or _is_none(rhs)):
                word, eq = ("is", "==") if isinstance(op, ast.Is) else ("is not", "!=")
                raise self.fail(
                    node,
                    f"{word} 只能与 None 比较（{self.seg(node)}）；比较值请用 {eq}",
                    f"{word} may only be used with None ({self.seg(node)}); "
                    f"compare values with {eq}",
                )
            lhs = rhs
        first = self.visit(node.left)[0]
        rest = [(_CMP[type(op)], self.visit(c)[0], self.seg(c)) for op, c in zip(
            node.ops, node.comparators, strict=True)]
        left_src = self.seg(node.left)
        nullable = all(type(op) in (ast.Eq, ast.NotEq, ast.Is, ast.IsNot) for op in node.ops)
        if len(rest) == 1:  # the usual case, kept free of the chain loop
            op1, right, right_src1 = rest[0]
            special = self._compare1(type(node.ops[0]), first, right, left_src, right_src1)
            name = self._names.get(id(first))
            if (isinstance(node.ops[0], ast.In) and name in self.scope.loop_names
                    and self._loop is not None
                    and id(node.comparators[0]) not in self._loop.reads_item):
                self.membership[id(node)] = (name, right)
            if special is not None:
                return special, bool
            if nullable:
                return (lambda env: op1(first(env), right(env))), bool

            def compare1(env: Env) -> bool:
                a, b = first(env), right(env)
                if a is None:
                    raise Missing(left_src)
                if b is None:
                    raise Missing(right_src1)
                return bool(op1(a, b))

            return compare1, bool

        def compare(env: Env) -> bool:
            a = first(env)
            src = left_src
            for op, fn, right_src in rest:
                b = fn(env)
                if not nullable:
                    if a is None:
                        raise Missing(src)
                    if b is None:
                        raise Missing(right_src)
                if not op(a, b):
                    return False
                a, src = b, right_src
            return True

        return compare, bool

    def _compare1(self, op: type[ast.cmpop], first: Fn, right: Fn, left_src: str,
                  right_src: str) -> Fn | None:
        """The commonest comparisons on replay's path, each one closure: `item in xs`
        (once per item of an each-loop) and a comparison with a constant."""
        if op is ast.In or op is ast.NotIn:
            negate = op is ast.NotIn
            name = self._names.get(id(first))
            # Two near-copies on purpose: reading the item in place saves a call per item.
            if name is not None:  # `item in xs`, once per item of a loop
                def name_in(env: Env) -> bool:
                    a, b = env[name], right(env)
                    if a is None:
                        raise Missing(left_src)
                    if b is None:
                        raise Missing(right_src)
                    if b.__class__ is list and len(b) > _SHORT:
                        return (not member(env, a, b)) if negate else member(env, a, b)
                    return (a not in b) if negate else (a in b)

                return name_in

            def contains(env: Env) -> bool:
                a, b = first(env), right(env)
                if a is None:
                    raise Missing(left_src)
                if b is None:
                    raise Missing(right_src)
                if b.__class__ is list and len(b) > _SHORT:
                    return (not member(env, a, b)) if negate else member(env, a, b)
                return (a not in b) if negate else (a in b)

            return contains
        if id(right) not in self._consts:
            return None
        c = self._consts[id(right)]
        compare = _CMP[op]
        if op in (ast.Eq, ast.NotEq, ast.Is, ast.IsNot):
            return lambda env: compare(first(env), c)
        if c is None:
            return None  # `x < None`: reported missing by the general form

        def compare_const(env: Env) -> bool:
            a = first(env)
            if a is None:
                raise Missing(left_src)
            return bool(compare(a, c))

        return compare_const

    def visit_IfExp(self, node: ast.IfExp) -> tuple[Fn, StaticType]:
        test, _ = self.visit(node.test)
        body, bt = self.visit(node.body)
        orelse, ot = self.visit(node.orelse)
        return (lambda env: body(env) if test(env) else orelse(env)), (bt if bt == ot else ANY)

    def visit_Call(self, node: ast.Call) -> tuple[Fn, StaticType]:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "只能调用内置函数", "only built-in functions can be called")
        name = node.func.id
        fn_def = self.scope.functions.get(name)
        if fn_def is None:
            raise self.unknown(node, "函数", "function", name, self.scope.functions)
        if node.keywords:
            raise self.fail(node, "函数不接受关键字参数", "functions take no keyword arguments")
        low, high = fn_def.arity
        if not low <= len(node.args) <= high:
            want = str(low) if low == high else f"{low}–{high}"
            raise self.fail(
                node,
                f"{name}() 需要 {want} 个参数，给了 {len(node.args)} 个",
                f"{name}() takes {want} argument(s), {len(node.args)} given",
            )
        for pos in fn_def.event_selector_args:
            arg = node.args[pos] if pos < len(node.args) else None
            if arg is None:
                continue
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                raise self.fail(
                    arg,
                    f"{name}() 的参数应为事件类型或标签的字符串",
                    f"{name}() takes an event type or tag as a quoted string",
                )
            if self.scope.event_selectors and arg.value not in self.scope.event_selectors:
                raise self.unknown(arg, "事件类型或标签", "event type or tag", arg.value,
                                   self.scope.event_selectors, listed=False)
        compiled = [self.visit(a) for a in node.args]
        arg_fns = [f for f, _ in compiled]
        arg_srcs = [self.seg(a) for a in node.args]
        impl = fn_def.impl

        returns = fn_def.returns([t for _, t in compiled])
        if not fn_def.type_only:
            self._dynamic_calls += 1
        if all(isinstance(a, ast.Constant) and a.value is not None for a in node.args):
            # last('inspection'), tagged('publicity'): the arguments are known now.
            # Their compiled values, so a decimal is the same exact Fraction as elsewhere.
            consts = [f({}) for f in arg_fns]
            if len(consts) == 1:
                c0 = consts[0]
                return (lambda env: impl(env, c0)), returns
            return (lambda env: impl(env, *consts)), returns
        # Calls are on replay's hot path: the usual one- and two-argument forms skip the loop.
        if len(arg_fns) == 1:
            (f0,), (s0,) = arg_fns, arg_srcs
            pure = fn_def.pure
            if pure is not None:
                def call1_pure(env: Env) -> Any:
                    v = f0(env)
                    if v is None:
                        raise Missing(s0)
                    return pure(v)

                return call1_pure, returns

            def call1(env: Env) -> Any:
                v = f0(env)
                if v is None:
                    raise Missing(s0)
                return impl(env, v)

            return call1, returns
        if len(arg_fns) == 2:
            (f0, f1), (s0, s1) = arg_fns, arg_srcs

            def call2(env: Env) -> Any:
                a, b = f0(env), f1(env)
                if a is None:
                    raise Missing(s0)
                if b is None:
                    raise Missing(s1)
                return impl(env, a, b)

            return call2, returns

        def call(env: Env) -> Any:
            args = []
            for f, src in zip(arg_fns, arg_srcs, strict=True):
                v = f(env)
                if v is None:
                    raise Missing(src)
                args.append(v)
            return impl(env, *args)

        return call, returns
