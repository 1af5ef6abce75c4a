"""The function-call half of the expression compiler: `count(event.result)`,
`last('inspection')`, checked against the scope's table of built-ins when the procedure
loads and compiled into the closure for its arity. `_Compiler` (expressions.py) provides
the rest, as it does for `Operators`."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any

from selection_rules.lang.types import CompilerPart, Env, ExprError, Fn, Missing, StaticType


class Calls(CompilerPart):
    """The call half of the compiler."""

    # Provided by _Compiler.
    _dynamic_calls: int

    def unknown(self, node: ast.AST, what_zh: str, what_en: str, name: str,
                known: Iterable[str], *, listed: bool = True) -> ExprError:
        raise NotImplementedError

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
