"""What an expression is made of: its static types, its errors, the scope it is
compiled against, and the compiled result (the compiler is expressions.py)."""

from __future__ import annotations

import ast
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from pydantic import BaseModel

from selection_rules.i18n import Text

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


class CompilerPart:
    """What a part of the expression compiler (operators.py, calls.py) asks of the whole,
    `_Compiler` in expressions.py, which provides it."""

    scope: Scope

    def visit(self, node: ast.expr) -> tuple[Fn, StaticType]:
        raise NotImplementedError

    def seg(self, node: ast.AST) -> str:
        raise NotImplementedError

    def fail(self, node: ast.AST, zh: str, en: str) -> ExprError:
        raise NotImplementedError


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
