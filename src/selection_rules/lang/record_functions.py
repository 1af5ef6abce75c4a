"""The functions a rule over a record (assessment, roster, supervision log) may call.

Durations are counted by calendar anniversaries, as the law counts them: a leader
appointed on 2014-03-01 has served exactly 10 years on 2024-03-01 and "over 10 years"
from 2024-03-02; an anniversary that does not exist (29 February) falls on the last day
of the month. A duration is a `Span` — whole years plus the days since the last
anniversary — which compares exactly with a number of years, so `超过10年`, `不足两年`
and `至少三年` are decided to the day, never by days/365.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.case_functions import make_functions
from selection_rules.lang.spans import Span, add_months, add_years, span
from selection_rules.lang.types import Env, Function, ListOf, Missing, StaticType
from selection_rules.model import records, registers

# Functions of the case scope that read no events, and so mean the same on a record.
_SHARED = ("count", "missing", "distinct", "keys", "last_of", "sum", "days_between")


def longest_gap(dates: list[dt.date], start: dt.date, end: dt.date) -> Span:
    """The longest stretch without a date: from `start`, between dates, to `end`.

    Dates outside start..end are not counted (they belong to another period).
    """
    points = [start, *sorted(d for d in dates if start < d <= end), end]
    gaps = [span(a, b) for a, b in itertools.pairwise(points)]
    return max(gaps) if gaps else span(start, end)


def find_by_id(items: list[Any], ident: Any, what: str) -> Any:
    """The item of a record's list with this id (a team, a unit, a scorer), or Missing."""
    for item in items:
        if item.id == ident:
            return item
    raise Missing(f"{what}({ident!r})")


def make_record_functions(kind: str) -> dict[str, Function]:
    shared = make_functions({})
    out = {name: shared[name] for name in _SHARED}

    def fn_span(env: Env, start: Any, end: Any) -> Span:
        return span(start, end)

    def fn_add_months(env: Env, day: Any, months: Any) -> dt.date:
        return add_months(day, int(months))

    def fn_add_years(env: Env, day: Any, years: Any) -> dt.date:
        return add_years(day, int(years))

    def fn_longest_gap(env: Env, dates: Any, start: Any, end: Any) -> Span:
        return longest_gap(list(dates), start, end)

    out["span"] = Function(fn_span, (2, 2), lambda a: Span, Text(
        "两日期之间的时长：整年数（按周年计）加零头天数，可与年数精确比较",
        "time from start to end: whole years (by anniversary) and days, compared exactly "
        "with a number of years"))
    out["add_months"] = Function(fn_add_months, (2, 2), lambda a: dt.date, Text(
        "n 个月后的同一日（无此日则为月末）", "the same day n months later (month end if none)"))
    out["add_years"] = Function(fn_add_years, (2, 2), lambda a: dt.date, Text(
        "n 年后的同一日（无此日则为月末）", "the same day n years later (month end if none)"))
    out["longest_gap"] = Function(fn_longest_gap, (3, 3), lambda a: Span, Text(
        "起算日至截止日之间、相邻日期之间最长的间隔",
        "the longest stretch without a date, from start through the dates to end"))

    if kind in registers.REGISTER_MODELS:
        from selection_rules.lang.register_functions import register_functions

        out.update(register_functions(kind))
    elif kind == "assessment":
        out.update(_assessment_functions())
    elif kind == "roster":

        def fn_cadre(env: Env, ident: Any) -> records.Cadre:
            found: records.Cadre = find_by_id(env["record"].cadres, ident, "cadre")
            return found

        out["cadre"] = Function(fn_cadre, (1, 1), lambda a: records.Cadre,
                                Text("按编号取干部", "the cadre with this id"))
    return out


def _assessment_functions() -> dict[str, Function]:
    def record(env: Env) -> records.AssessmentFile:
        found: records.AssessmentFile = env["record"]
        return found

    def talks_with(env: Env, ident: Any) -> list[records.Talk]:
        rec = record(env)
        return [t for t in rec.talks
                if ident in (t.team, t.leader) and t.date.year == rec.year]

    def team(env: Env, ident: Any) -> records.Team:
        found: records.Team = find_by_id(record(env).teams, ident, "team")
        return found

    def leader(env: Env, ident: Any) -> records.Leader:
        found: records.Leader = find_by_id(record(env).leaders, ident, "leader")
        return found

    def ranking_of(env: Env, ident: str) -> list[str] | None:
        for r in record(env).rankings:
            if ident in r.order:
                return r.order
        return None

    def ranked_top(env: Env, ident: Any, n: Any) -> bool:
        order = ranking_of(env, ident)
        return order is not None and order.index(ident) < int(n)

    def ranked_bottom(env: Env, ident: Any, n: Any) -> bool:
        order = ranking_of(env, ident)
        return order is not None and len(order) - order.index(ident) <= int(n)

    def rank(env: Env, ident: Any) -> str:
        order = ranking_of(env, ident)
        if order is None:
            raise Missing(f"rank({ident!r})")
        place = order.index(ident) + 1
        return f"{place}/{len(order)}"

    talk_list: StaticType = ListOf(records.Talk)
    return {
        "talks_with": Function(talks_with, (1, 1), lambda a: talk_list, Text(
            "考核年度内对该班子或干部的约谈", "the year's talks with this team or leader")),
        "team": Function(team, (1, 1), lambda a: records.Team,
                         Text("按编号取领导班子", "the team with this id")),
        "leader": Function(leader, (1, 1), lambda a: records.Leader,
                           Text("按编号取领导干部", "the leader with this id")),
        "ranked_top": Function(ranked_top, (2, 2), lambda a: bool, Text(
            "该班子在其类别排名前 n 位", "the team is among the first n of its ranking")),
        "ranked_bottom": Function(ranked_bottom, (2, 2), lambda a: bool, Text(
            "该班子在其类别排名后 n 位", "the team is among the last n of its ranking")),
        "rank": Function(rank, (1, 1), lambda a: str, Text(
            "该班子的名次（名次/参加排名数）", "the team's place (place/number ranked)")),
    }

