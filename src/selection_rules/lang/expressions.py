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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from selection_rules import limits
from selection_rules.i18n import Text
from selection_rules.lang.calls import Calls
from selection_rules.lang.operators import Operators, conjunction
from selection_rules.lang.runtime import (
    _EXPONENT,
    _fields_of,
    _once_per_loop,
)
from selection_rules.lang.types import (
    ANY,
    Compiled,
    DictOf,
    Env,
    ExprError,
    Fn,
    ListOf,
    Missing,
    Scope,
    StaticType,
    _is_model,
    _type_name,
    static_type,
)
from selection_rules.model.values import normalize
from selection_rules.source.decoding import _MAX_EXPONENT


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
    rest_srcs: list[str] = []
    for part in node.values:
        sub = _Compiler(text, scope, loop)
        fn, _ = sub.visit(part)
        if sub.type_only():
            guards.append(fn)
        else:
            rest.append(fn)
            rest_srcs.append(sub.seg(part))
    if not guards:
        return None, None
    # The rest keeps `and`'s three-valued reading (operators.conjunction).
    if len(rest) == 1:
        only, only_src = rest[0], rest_srcs[0]

        def residual_one(env: Env) -> bool:
            value = only(env)
            if value is None:
                raise Missing(only_src)
            return bool(value)

        residual: Fn | None = residual_one
    else:
        residual = conjunction(rest, rest_srcs) if rest else None
    return (lambda env: all(g(env) for g in guards)), residual




class _Compiler(Operators, Calls):
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
