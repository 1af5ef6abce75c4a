"""The functions a rule expression may call, and nothing else.

Each gets the evaluation env first: the engine puts the case's events, the index of the
event being checked, and the working-day calendar there, under names an expression
cannot spell (they start with `_`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from selection_rules import casefile
from selection_rules.expressions import ANY, DictOf, Env, Function, ListOf, Missing, StaticType
from selection_rules.i18n import Text


def _same_track(a: casefile.Event, b: casefile.Event) -> bool:
    # Events for different posts of one case are separate tracks; an event that names
    # no post (e.g. the pre-recommendation) belongs to every track.
    return not a.posts or not b.posts or bool(set(a.posts) & set(b.posts))


def make_functions(tags: Mapping[str, frozenset[str]]) -> dict[str, Function]:
    def matches(ev: casefile.Event, selector: str) -> bool:
        return ev.type == selector or selector in tags.get(ev.type, ())

    def earlier(env: Env, selector: str) -> list[casefile.Event]:
        events: list[casefile.Event] = env["_events"]
        index: int = env["_index"]
        current = events[index] if index < len(events) else None
        return [
            ev for ev in events[:index]
            if matches(ev, selector) and (current is None or _same_track(ev, current))
        ]

    def last(env: Env, selector: str) -> casefile.Event:
        found = earlier(env, selector)
        if not found:
            raise Missing(f"last({selector!r})", Text(
                f"此前没有“{selector}”步骤的记录", f"no earlier '{selector}' step is recorded"))
        return found[-1]

    def tagged(env: Env, tag: str) -> bool:
        event = env.get("event")
        return event is not None and tag in tags.get(event.type, ())

    def count(env: Env, x: Any) -> int:
        return len(x)

    def candidate(env: Env, cid: str) -> casefile.Candidate:
        for c in env["case"].candidates:
            if c.id == cid:
                return c
        raise Missing(f"candidate({cid!r})")

    def post(env: Env, pid: str) -> casefile.Post:
        for p in env["case"].posts:
            if p.id == pid:
                return p
        raise Missing(f"post({pid!r})")

    def working_days(env: Env, start: Any, end: Any) -> int:
        result = env["_calendar"].count_working_days(start, end)
        warning = result.warning()
        if warning is not None:
            env["_notes"].append(warning)
        days: int = result.days
        return days

    def days_between(env: Env, start: Any, end: Any) -> int:
        return int((end - start).days)

    def missing(env: Env, items: Any, within: Any) -> list[Any]:
        pool = set(within)
        return [x for x in items if x not in pool]

    def distinct(env: Env, items: Any) -> list[Any]:
        return list(dict.fromkeys(items))

    def keys(env: Env, mapping: Any) -> list[Any]:
        return list(mapping)

    def top(env: Env, scores: Mapping[str, Fraction], n: int) -> list[str]:
        # Everyone whose score reaches the n-th best score: ties at the cut are kept,
        # so the caller can see that the cut was not decided by the score alone.
        if n <= 0 or not scores:
            return []
        ranked = sorted(scores.values(), reverse=True)
        cut = ranked[min(n, len(ranked)) - 1]
        return [cid for cid, s in scores.items() if s >= cut]

    def last_of(env: Env, items: Any) -> Any:
        if not items:
            raise Missing("last_of([])")
        return items[-1]

    def total(env: Env, items: Any) -> Any:
        return sum(items)

    def the_item(args: list[StaticType]) -> StaticType:
        return args[0].item if args and isinstance(args[0], ListOf) else ANY

    def same_list(args: list[StaticType]) -> StaticType:
        return args[0] if args and isinstance(args[0], ListOf) else ListOf(ANY)

    def key_list(args: list[StaticType]) -> StaticType:
        return ListOf(str) if args and isinstance(args[0], DictOf) else ListOf(ANY)

    return {
        "count": Function(count, (1, 1), lambda a: int,
                          Text("列表或映射的项数", "number of items in a list or mapping")),
        "last": Function(last, (1, 1), lambda a: casefile.Event,
                         Text("此前同一职位最近一次该类型或标签的事件",
                              "the latest earlier event of this type or tag for the same post"),
                         event_selector_args=(0,)),
        "events": Function(earlier, (1, 1), lambda a: ListOf(casefile.Event),
                           Text("此前同一职位该类型或标签的全部事件",
                                "all earlier events of this type or tag for the same post"),
                           event_selector_args=(0,)),
        "tagged": Function(tagged, (1, 1), lambda a: bool,
                           Text("当前事件的步骤带有此标签", "the current event's step has this tag"),
                           event_selector_args=(0,)),
        "candidate": Function(candidate, (1, 1), lambda a: casefile.Candidate,
                              Text("按编号取人选", "the candidate with this id")),
        "post": Function(post, (1, 1), lambda a: casefile.Post,
                         Text("按编号取职位", "the post with this id")),
        "working_days": Function(working_days, (2, 2), lambda a: int,
                                 Text("两日期之间（含首尾）的法定工作日数",
                                      "official working days from start to end, inclusive")),
        "days_between": Function(days_between, (2, 2), lambda a: int,
                                 Text("两日期相差的日历天数", "calendar days from start to end")),
        "missing": Function(missing, (2, 2), same_list,
                            Text("第一个列表中不在第二个列表里的项",
                                 "items of the first list that are not in the second")),
        "distinct": Function(distinct, (1, 1), same_list,
                             Text("去重后的列表", "the list without repeats")),
        "keys": Function(keys, (1, 1), key_list, Text("映射的键", "the keys of a mapping")),
        "top": Function(top, (2, 2), lambda a: ListOf(str),
                        Text("得分前 n 名（并列者一并列入）",
                             "ids with the n best scores, ties at the cut included")),
        "last_of": Function(last_of, (1, 1), the_item,
                            Text("列表的最后一项", "the last item of a list")),
        "sum": Function(total, (1, 1), lambda a: ANY, Text("求和", "the sum of a list")),
    }
