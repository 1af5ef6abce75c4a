"""Records and documents: lists of records (documents, talks, reports) by their fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from selection_rules.i18n import Text
from selection_rules.lang.types import ANY, Env, ExprError, Function, ListOf, StaticType


def records_with(
    name: str, field: str, returns: Callable[[ListOf], StaticType]
) -> Callable[[list[StaticType]], StaticType]:
    """The static type rule of a function over records that must have `field`.

    The field is named by the function, not by the expression, so it is checked when the
    rule loads like any other field: `kinds(event.ballot)` or `about(event.result, item)`
    is a load-time error, not a silent empty list.
    """

    def rule(args: list[StaticType]) -> StaticType:
        first = args[0] if args else ANY
        if isinstance(first, ListOf):
            item = first.item
            if item is ANY or (isinstance(item, type) and issubclass(item, BaseModel)
                               and field in item.model_fields):
                return returns(first)
        raise ExprError(Text(
            f"{name}() 的第一个参数应为带有 {field} 字段的记录列表",
            f"{name}() takes a list of records that have a '{field}' field",
        ))

    return rule


def kinds(env: Env, records: Any) -> list[str]:
    return list(dict.fromkeys(r.kind for r in records))


def about(env: Env, records: Any, cid: str) -> list[Any]:
    # `about` is one candidate id (a talk, a report) or several (a document).
    return [r for r in records
            if (cid in r.about if isinstance(r.about, list) else r.about == cid)]


def signed(env: Env, records: Any) -> list[Any]:
    return [r for r in records if r.signed_by]


FUNCTIONS: dict[str, Function] = {
    "kinds": Function(kinds, (1, 1), records_with("kinds", "kind", lambda t: ListOf(str)),
                      Text("记录列表中出现的类别（去重）",
                           "the distinct kinds in a list of records (documents, talks)")),
    "about": Function(about, (2, 2), records_with("about", "about", lambda t: t),
                      Text("涉及该人选的记录", "the records about this candidate id")),
    "signed": Function(signed, (1, 1), records_with("signed", "signed_by", lambda t: t),
                       Text("有人签名的文件", "the documents signed by at least one person")),
}
