"""The functions a rule over a record (assessment, roster, supervision log) may call.

Durations are counted by calendar anniversaries, as the law counts them: a leader
appointed on 2014-03-01 has served exactly 10 years on 2024-03-01 and "over 10 years"
from 2024-03-02; an anniversary that does not exist (29 February) falls on the last day
of the month. A duration is a `Span` — whole years plus the days since the last
anniversary — which compares exactly with a number of years, so `超过10年`, `不足两年`
and `至少三年` are decided to the day, never by days/365.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass
from functools import total_ordering
from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.case_functions import make_functions
from selection_rules.lang.types import Env, Function, ListOf, Missing, StaticType
from selection_rules.model import records, registers

# Functions of the case scope that read no events, and so mean the same on a record.
_SHARED = ("count", "missing", "distinct", "keys", "last_of", "sum", "days_between")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day where that day does not exist.

    A day past 9999-12-31 (or before 0001-01-01) has no value: Missing, which a check
    reports at its event or record, saying which date it could not compute.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise Missing(f"add_months({day.isoformat()}, {months})", Text(
            f"{day.isoformat()} 之后 {months} 个月的日期超出了可计算的日期范围"
            f"（{dt.date.min.isoformat()} 至 {dt.date.max.isoformat()}）",
            f"the date {months} months after {day.isoformat()} is outside the dates that "
            f"can be computed ({dt.date.min.isoformat()} to {dt.date.max.isoformat()})"))
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


@total_ordering
@dataclass(frozen=True)
class Span:
    """From `start` to `end`: `years` whole anniversaries and `days` beyond the last one.

    Compared with a number n it means "n years": a span equals n only on the n-th
    anniversary, and is more than n from the next day on.
    """

    start: dt.date
    end: dt.date
    years: int
    days: int

    def as_figure(self) -> dict[str, object]:
        """How a report's figures show the span."""
        return {"years": self.years, "days": self.days,
                "from": self.start.isoformat(), "to": self.end.isoformat()}

    def _key(self) -> tuple[int, int]:
        return (self.years, self.days)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, int) and not isinstance(other, bool):
            return self._key() == (other, 0)
        if isinstance(other, Span):
            return self._key() == other._key()
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if isinstance(other, int) and not isinstance(other, bool):
            return self._key() < (other, 0)
        if isinstance(other, Span):
            return self._key() < other._key()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self.text().en

    def text(self) -> Text:
        """The span as each language writes it, with its dates."""
        dates = f"({self.start.isoformat()} → {self.end.isoformat()})"
        return Text(f"{self.years}年{self.days}天 {dates}",
                    f"{self.years} y {self.days} d {dates}")


def span(start: dt.date, end: dt.date) -> Span:
    if end < start:
        raise Missing(f"{end.isoformat()} < {start.isoformat()}", Text(
            f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}",
            f"the end date {end.isoformat()} is before the start {start.isoformat()}"))
    years = end.year - start.year
    while years > 0 and add_years(start, years) > end:
        years -= 1
    return Span(start, end, years, (end - add_years(start, years)).days)


def longest_gap(dates: list[dt.date], start: dt.date, end: dt.date) -> Span:
    """The longest stretch without a date: from `start`, between dates, to `end`.

    Dates outside start..end are not counted (they belong to another period).
    """
    points = [start, *sorted(d for d in dates if start < d <= end), end]
    gaps = [span(a, b) for a, b in itertools.pairwise(points)]
    return max(gaps) if gaps else span(start, end)


def _find(items: list[Any], ident: str, what: str) -> Any:
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
            found: records.Cadre = _find(env["record"].cadres, ident, "cadre")
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
        found: records.Team = _find(record(env).teams, ident, "team")
        return found

    def leader(env: Env, ident: Any) -> records.Leader:
        found: records.Leader = _find(record(env).leaders, ident, "leader")
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

