"""The compiler's operators (`and`/`or`, `not`, arithmetic, comparisons, `if`-`else`): a
part of the compiler in expressions.py, kept apart for its size. Each becomes one
closure shaped for its operands, with the run-time helpers of runtime.py."""

from __future__ import annotations

import ast
from fractions import Fraction
from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.runtime import (
    _ARITHMETIC,
    _BIN_SYMBOL,
    _CMP,
    _FIGURE_BOUND,
    _JOINABLE,
    _NUMBERS,
    _SHORT,
    _STATIC_NUMBERS,
    _not_number,
    bounded,
    member,
)
from selection_rules.lang.types import (
    ANY,
    CompilerPart,
    Env,
    Fn,
    ListOf,
    Missing,
    StaticType,
    _type_name,
)
from selection_rules.model.values import normalize


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


# `and` and `or` read a value the case does not record as neither true nor false (Kleene's
# three-valued logic): `false and unknown` is false and `true or unknown` is true, both
# decided; `true and unknown`, `false or unknown` and `unknown and unknown` cannot be
# decided and raise the first operand's Missing, which a check reports as missing data. An
# operand is unknown when it raises Missing or its value is None (a field not recorded).
# The usual two-operand forms are closures of their own: they run on replay's hot path.


def conjunction(fns: list[Fn], srcs: list[str]) -> Fn:
    """`a and b and …` in three-valued logic."""
    if len(fns) == 2:
        f0, f1 = fns
        src0, src1 = srcs

        def and2(env: Env) -> bool:
            try:
                a = f0(env)
                if a is None:
                    raise Missing(src0)
            except Missing as unknown:
                b = _known(f1, env, src1)
                if b is not None and not b:
                    return False
                raise unknown from None
            if not a:
                return False
            b = f1(env)
            if b is None:
                raise Missing(src1)
            return bool(b)

        return and2

    return _of_many(fns, srcs, decisive=False)


def disjunction(fns: list[Fn], srcs: list[str]) -> Fn:
    """`a or b or …` in three-valued logic."""
    if len(fns) == 2:
        f0, f1 = fns
        src0, src1 = srcs

        def or2(env: Env) -> bool:
            try:
                a = f0(env)
                if a is None:
                    raise Missing(src0)
            except Missing as unknown:
                if _known(f1, env, src1):
                    return True
                raise unknown from None
            if a:
                return True
            b = f1(env)
            if b is None:
                raise Missing(src1)
            return bool(b)

        return or2

    return _of_many(fns, srcs, decisive=True)


def _of_many(fns: list[Fn], srcs: list[str], *, decisive: bool) -> Fn:
    """`and` (decisive: False) or `or` (True) of three or more operands: the first known
    operand with the decisive value decides; else an unknown one leaves it unknown."""

    def of_many(env: Env) -> bool:
        first: Missing | None = None
        for f, src in zip(fns, srcs, strict=True):
            try:
                value = f(env)
                if value is None:
                    raise Missing(src)
            except Missing as unknown:
                first = first or unknown
                continue
            if bool(value) is decisive:
                return decisive
        if first is not None:
            raise first
        return not decisive

    return of_many


def _known(f: Fn, env: Env, src: str) -> Any:
    """An operand's value after an earlier one was unknown: None if it is unknown too."""
    try:
        return f(env)
    except Missing:
        return None


class Operators(CompilerPart):
    """The operator half of the compiler; `_Compiler` (expressions.py) provides the rest."""

    # Provided by _Compiler.
    _loop: Any
    _names: dict[int, str]
    _consts: dict[int, Any]
    membership: dict[int, tuple[str, Fn]]

    def visit_BoolOp(self, node: ast.BoolOp) -> tuple[Fn, StaticType]:
        fns = [self.visit(v)[0] for v in node.values]
        srcs = [self.seg(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return conjunction(fns, srcs), bool
        return disjunction(fns, srcs), bool

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
