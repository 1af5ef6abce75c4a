"""The functions a rule expression may call, and nothing else.

Each gets the evaluation env first. What replay knows beyond the expression's own names
(the case's events, the index of the event being checked, the working-day calendar, its
indexes of the events so far) is a `ReplayContext` in the env (see lang/context.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from selection_rules.i18n import Text
from selection_rules.lang.context import context_of
from selection_rules.lang.expressions import (
    ANY,
    DictOf,
    Env,
    ExprError,
    Function,
    ListOf,
    Missing,
    StaticType,
    bounded,
)
from selection_rules.model import case as casefile
from selection_rules.model.values import decimal_text


def _same_track(a: casefile.Event, b: casefile.Event) -> bool:
    # Events for different posts of one case are separate tracks; an event that names
    # no post (e.g. the pre-recommendation) belongs to every track.
    return not a.posts or not b.posts or bool(set(a.posts) & set(b.posts))


def _records_with(
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


def _places(n: Any) -> int:
    # A post:candidate ratio times a number of posts is an exact Fraction; a number of
    # places must still be whole.
    places = Fraction(n)
    if places.denominator != 1:
        raise Missing(str(n), Text(f"名额数 {n} 不是整数",
                                   f"the number of places {n} is not whole"))
    return int(places)


def _cut(scores: Mapping[str, Fraction], places: int) -> Any:
    ranked = sorted(scores.values(), reverse=True)
    return ranked[min(places, len(ranked)) - 1]


def _decimal(x: Any) -> str:
    return decimal_text(Fraction(x))


def selectors_by_event(tags: Mapping[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """What `last('x')` may name for an event of each type: the type, and its step's tags."""
    return {event: (event, *sorted(ts)) for event, ts in tags.items()}


def make_functions(tags: Mapping[str, frozenset[str]]) -> dict[str, Function]:
    selectors_of = selectors_by_event(tags)

    def earlier(env: Env, selector: str) -> list[casefile.Event]:
        ctx = context_of(env)
        events, index = ctx.events, ctx.index
        current = events[index] if index < len(events) else None
        # Replay keeps the events so far by type and tag (ctx.seen); a context made by
        # hand (a test, a tool) has none, and the events are scanned instead.
        seen = ctx.seen
        so_far = seen.get(selector, []) if seen is not None else [
            ev for ev in events[:index] if selector in selectors_of.get(ev.type, ())]
        case = ctx.case
        if current is None or not current.posts or (case is not None and len(case.posts) == 1):
            return so_far  # one track: every earlier event is on it
        by_post = ctx.seen_by_post
        if by_post is None or ctx.position is None:
            return [ev for ev in so_far if _same_track(ev, current)]
        # Replay's index per post: the event's own track(s), not every post's events.
        tracks = [by_post[p].get(selector, []) for p in current.posts if p in by_post]
        if len(tracks) == 1:
            return tracks[0]
        position = ctx.position
        merged: dict[int, casefile.Event] = {}
        for track in tracks:
            for ev in track:
                merged.setdefault(position[id(ev)], ev)
        return [merged[i] for i in sorted(merged)]

    def earlier_once(env: Env, selector: str) -> list[casefile.Event]:
        ctx = context_of(env)
        if ctx.one_track and ctx.seen is not None:
            # A case of one post is one track: replay's running index is the answer.
            return ctx.seen.get(selector, [])
        # Several checks of one event ask for the same earlier steps: look them up once.
        memo = ctx.earlier
        found = memo.get(selector)
        if found is None:
            found = memo[selector] = earlier(env, selector)
        return found

    def last(env: Env, selector: str) -> casefile.Event:
        # earlier_once, unrolled for one track: last() is read by most checks.
        ctx = context_of(env)
        seen = ctx.seen
        found = (seen.get(selector) if ctx.one_track and seen is not None
                 else earlier_once(env, selector))
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
        # By id, indexed once per case (replay keeps one context per case).
        ctx = context_of(env)
        by_id = ctx.candidates
        if by_id is None:
            case: casefile.Case = env["case"]
            by_id = ctx.candidates = {c.id: c for c in case.candidates}
        found = by_id.get(cid)
        if found is None:
            raise Missing(f"candidate({cid!r})")
        return found

    def post(env: Env, pid: str) -> casefile.Post:
        case: casefile.Case = env["case"]
        for p in case.posts:
            if p.id == pid:
                return p
        raise Missing(f"post({pid!r})")

    def working_days(env: Env, start: Any, end: Any) -> int:
        ctx = context_of(env)
        if ctx.calendar is None:
            raise Missing("working_days", Text("没有可用的工作日日历",
                                               "no working-day calendar is given"))
        result = ctx.calendar.count_working_days(start, end)
        warning = result.warning()
        if warning is not None:
            ctx.notes.append(warning)
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
        places = _places(n)
        if places <= 0 or not scores:
            return []
        cut = _cut(scores, places)
        return [cid for cid, s in scores.items() if s >= cut]

    def nth_best(env: Env, scores: Mapping[str, Fraction], n: Any) -> Any:
        places = _places(n)
        if places <= 0 or not scores:
            raise Missing("nth_best", Text("没有可确定分数线的成绩",
                                           "no scores to draw the cut from"))
        return _cut(scores, places)

    def tied_at_cut(env: Env, scores: Mapping[str, Fraction], n: Any) -> list[str]:
        # The cut splits a tie when more people share the n-th best score than there
        # are places left at it: the score alone does not say who is in.
        places = _places(n)
        if places <= 0 or places >= len(scores):
            return []
        cut = _cut(scores, places)
        above = sum(1 for s in scores.values() if s > cut)
        at_cut = [cid for cid, s in scores.items() if s == cut]
        return at_cut if len(at_cut) > places - above else []

    def scored(env: Env, ids: Any, scores: Mapping[str, Fraction]) -> list[str]:
        return [f"{cid} {_decimal(scores[cid])}" if cid in scores else f"{cid} —" for cid in ids]

    def unit_events(env: Env, selector: str, unit: str) -> list[casefile.Event]:
        return [ev for ev in earlier(env, selector) if ev.unit == unit]

    def affecting(env: Env, reports: Any) -> list[Any]:
        # Only a report both verified and found to affect the appointment counts: a
        # pending one (verified unset) does not, yet.
        return [r for r in reports if r.verified is True and r.affects_appointment is True]

    def last_of(env: Env, items: Any) -> Any:
        if not items:
            raise Missing("last_of([])")
        return items[-1]

    def total(env: Env, items: Any) -> Any:
        return bounded(sum(items), "sum", Text("合计", "the total"))

    def kinds(env: Env, records: Any) -> list[str]:
        return list(dict.fromkeys(r.kind for r in records))

    def results(env: Env, events: Any) -> list[str]:
        # What several events produced, as one list naming each candidate once: a quota
        # caps the people reported, however many votes reported them.
        return list(dict.fromkeys(c for ev in events for c in (ev.result or ())))

    def about(env: Env, records: Any, cid: str) -> list[Any]:
        # `about` is one candidate id (a talk, a report) or several (a document).
        return [r for r in records
                if (cid in r.about if isinstance(r.about, list) else r.about == cid)]

    def signed(env: Env, records: Any) -> list[Any]:
        return [r for r in records if r.signed_by]

    def steps_tagged(env: Env, tag: str) -> list[casefile.Event]:
        # The whole record, later steps included; an unknown tag is an empty list (see has_tag).
        return [ev for ev in context_of(env).events if tag in tags.get(ev.type, ())]

    def open_problems(env: Env, cand: casefile.Candidate, day: Any) -> list[str]:
        out = []
        for rec in cand.problem_records:
            if rec.recorded > day:
                continue
            if rec.verified is None or rec.verified > day:
                out.append(f"{rec.source} {rec.recorded.isoformat()} 未核实/unverified")
            elif rec.outcome == "substantiated":
                out.append(f"{rec.source} {rec.recorded.isoformat()} 属实/substantiated")
        return out

    def without_example(env: Env, items: Any) -> list[str]:
        # A plain text shortcoming records no separate example, so it counts as without one.
        return [it if isinstance(it, str) else it.point
                for it in items if isinstance(it, str) or not (it.example or "").strip()]

    def approval_dates(env: Env, approvals: Any, kind: str) -> list[Any]:
        return sorted(a.date for a in approvals if a.kind == kind and a.approved)

    def bodies(env: Env, evs: Any) -> list[str]:
        return [ev.meeting.body for ev in evs if ev.meeting is not None]

    def months(env: Env, start: Any, end: Any) -> int:
        # Whole months of a period whose last day is `end`: 2023-04-24..2024-04-23 is 12.
        # The day after `end` as (year, month, day), not as a date: after 9999-12-31
        # there is none, yet a probation ending that day still has a number of months.
        year, month, day = end.year, end.month, end.day + 1
        if day > calendar.monthrange(year, month)[1]:
            year, month, day = year + month // 12, month % 12 + 1, 1
        whole = (year - start.year) * 12 + month - start.month
        return int(whole - (1 if day < start.day else 0))

    def rank_of(env: Env, scores: Mapping[str, Any], cid: str) -> int:
        # Competition ranking: tied candidates share a rank (1, 2, 2, 4).
        if cid not in scores:
            raise Missing(f"rank_of({cid!r})")
        return 1 + sum(1 for s in scores.values() if s > scores[cid])

    def votes_for(env: Env, tallies: Any) -> dict[str, int]:
        return {cid: t.agree for cid, t in tallies.items()}

    def the_item(args: list[StaticType]) -> StaticType:
        return args[0].item if args and isinstance(args[0], ListOf) else ANY

    def same_list(args: list[StaticType]) -> StaticType:
        return args[0] if args and isinstance(args[0], ListOf) else ListOf(ANY)

    def key_list(args: list[StaticType]) -> StaticType:
        return ListOf(str) if args and isinstance(args[0], DictOf) else ListOf(ANY)

    return {
        "count": Function(count, (1, 1), lambda a: int,
                          Text("列表或映射的项数", "number of items in a list or mapping"),
                          pure=len),
        "last": Function(last, (1, 1), lambda a: casefile.Event,
                         Text("此前同一职位最近一次该类型或标签的事件",
                              "the latest earlier event of this type or tag for the same post"),
                         event_selector_args=(0,)),
        "events": Function(earlier_once, (1, 1), lambda a: ListOf(casefile.Event),
                           Text("此前同一职位该类型或标签的全部事件",
                                "all earlier events of this type or tag for the same post"),
                           event_selector_args=(0,)),
        "tagged": Function(tagged, (1, 1), lambda a: bool,
                           Text("当前事件的步骤带有此标签",
                                "the current event's step has this tag"),
                           event_selector_args=(0,), type_only=True),
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
        "nth_best": Function(nth_best, (2, 2), lambda a: ANY,
                             Text("第 n 名的成绩（分数线；不足 n 人时为最低分）",
                                  "the n-th best score: the cut (the lowest, if fewer than n)")),
        "tied_at_cut": Function(tied_at_cut, (2, 2), lambda a: ListOf(str),
                                Text("分数线上成绩并列、人数多于剩余名额者（无并列时为空）",
                                     "ids tied at the n-th best score when the tie straddles "
                                     "the cut (empty when the cut is clean)")),
        "scored": Function(scored, (2, 2), lambda a: ListOf(str),
                           Text("人选及其成绩，供消息显示（如 C04 80.5）",
                                "ids with their scores, for messages (e.g. C04 80.5)")),
        "unit_events": Function(unit_events, (2, 2), lambda a: ListOf(casefile.Event),
                                Text("此前该单位该类型或标签的全部事件（如某区县的资格审核）",
                                     "all earlier events of this type or tag held by this unit "
                                     "(e.g. one district's qualification review)"),
                                event_selector_args=(0,)),
        "affecting": Function(affecting, (1, 1),
                              _records_with("affecting", "affects_appointment", lambda t: t),
                              Text("经查实确有影响任职行为的反映",
                                   "the reports verified as affecting the appointment")),
        "kinds": Function(kinds, (1, 1), _records_with("kinds", "kind", lambda t: ListOf(str)),
                          Text("记录列表中出现的类别（去重）",
                               "the distinct kinds in a list of records (documents, talks)")),
        "results": Function(results, (1, 1),
                            _records_with("results", "result", lambda t: ListOf(str)),
                            Text("这些事件产生的人选（合并，每人一次）",
                                 "the candidates these events produced (joined, each once)")),
        "about": Function(about, (2, 2), _records_with("about", "about", lambda t: t),
                          Text("涉及该人选的记录", "the records about this candidate id")),
        "signed": Function(signed, (1, 1), _records_with("signed", "signed_by", lambda t: t),
                           Text("有人签名的文件", "the documents signed by at least one person")),
        # has_tag is tagged() without the load-time check that some step carries the
        # tag: a shared rule set (the national baseline) may name a step only some
        # procedures have.
        "has_tag": Function(tagged, (1, 1), lambda a: bool,
                            Text("当前事件的步骤带有此标签（程序中没有此标签时为否，不报错）",
                                 "the current event's step has this tag (false, not an error, "
                                 "where no step of the procedure carries it)"),
                            type_only=True),
        "steps_tagged": Function(steps_tagged, (1, 1), lambda a: ListOf(casefile.Event),
                                 Text("整个案卷中步骤带有此标签的事件（含之后的事件）",
                                      "every event of the case whose step has this tag, "
                                      "later ones included")),
        "open_problems": Function(open_problems, (2, 2), lambda a: ListOf(str),
                                  Text("该日已记录在案、尚未核实清楚或核实属实的问题",
                                       "problems on record by that date that are not yet "
                                       "verified, or verified as substantiated")),
        "without_example": Function(without_example, (1, 1), lambda a: ListOf(str),
                                    Text("没有单独记录具体事例的不足之处",
                                         "shortcomings with no concrete example recorded")),
        "approval_dates": Function(approval_dates, (2, 2), lambda a: ListOf(dt.date),
                                   Text("该类批复中表示同意的日期（升序）",
                                        "dates of the approvals of this kind that approve, "
                                        "earliest first")),
        "bodies": Function(bodies, (1, 1), lambda a: ListOf(str),
                           Text("事件所记录会议的主体", "the meeting bodies of these events")),
        "months": Function(months, (2, 2), lambda a: int,
                           Text("以 end 为最后一天的期间的整月数",
                                "whole months of a period from start whose last day is end")),
        "rank_of": Function(rank_of, (2, 2), lambda a: int,
                            Text("该人选的名次（并列者名次相同）",
                                 "the candidate's rank, ties sharing a rank (1, 2, 2, 4)")),
        "votes_for": Function(votes_for, (1, 1), lambda a: DictOf(int),
                              Text("每名人选的同意票", "candidate id -> votes for")),
    }
