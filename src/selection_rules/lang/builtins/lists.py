"""Counting and lists."""

from __future__ import annotations

from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.runtime import bounded
from selection_rules.lang.types import ANY, DictOf, Env, Function, ListOf, Missing, StaticType


def count(env: Env, x: Any) -> int:
    return len(x)


def missing(env: Env, items: Any, within: Any) -> list[Any]:
    pool = set(within)
    return [x for x in items if x not in pool]


def overlaps(env: Env, items: Any, within: Any) -> bool:
    pool = set(within)
    return any(x in pool for x in items)


def distinct(env: Env, items: Any) -> list[Any]:
    return list(dict.fromkeys(items))


def keys(env: Env, mapping: Any) -> list[Any]:
    return list(mapping)


def last_of(env: Env, items: Any) -> Any:
    if not items:
        raise Missing("last_of([])")
    return items[-1]


def total(env: Env, items: Any) -> Any:
    return bounded(sum(items), "sum", Text("合计", "the total"))


def the_item(args: list[StaticType]) -> StaticType:
    return args[0].item if args and isinstance(args[0], ListOf) else ANY


def same_list(args: list[StaticType]) -> StaticType:
    return args[0] if args and isinstance(args[0], ListOf) else ListOf(ANY)


def key_list(args: list[StaticType]) -> StaticType:
    return ListOf(str) if args and isinstance(args[0], DictOf) else ListOf(ANY)


FUNCTIONS: dict[str, Function] = {
    "count": Function(count, (1, 1), lambda a: int,
                      Text("列表或映射的项数", "number of items in a list or mapping"),
                      pure=len),
    "missing": Function(missing, (2, 2), same_list,
                        Text("第一个列表中不在第二个列表里的项",
                             "items of the first list that are not in the second")),
    "overlaps": Function(overlaps, (2, 2), lambda a: bool,
                         Text("两个列表有共同的项", "the two lists share an item")),
    "distinct": Function(distinct, (1, 1), same_list,
                         Text("去重后的列表", "the list without repeats")),
    "keys": Function(keys, (1, 1), key_list, Text("映射的键", "the keys of a mapping")),
    "last_of": Function(last_of, (1, 1), the_item,
                        Text("列表的最后一项", "the last item of a list")),
    "sum": Function(total, (1, 1), lambda a: ANY, Text("求和", "the sum of a list")),
}
