"""Dates and working days."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from selection_rules.i18n import Phrase, Text
from selection_rules.lang.context import context_of
from selection_rules.lang.types import Env, Function, ListOf, Missing


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


def months(env: Env, start: Any, end: Any) -> int:
    # Whole months of a period whose last day is `end`: 2023-04-24..2024-04-23 is 12.
    # The day after `end` as (year, month, day), not as a date: after 9999-12-31
    # there is none, yet a probation ending that day still has a number of months.
    year, month, day = end.year, end.month, end.day + 1
    if day > calendar.monthrange(year, month)[1]:
        year, month, day = year + month // 12, month % 12 + 1, 1
    whole = (year - start.year) * 12 + month - start.month
    return int(whole - (1 if day < start.day else 0))


def publicity_period(env: Env, publicity: Any) -> str:
    """The publicity's dates, for a message: 公示 2024-05-10 至 2024-05-17."""
    if publicity is None:
        raise Missing("publicity", Text("公示记录", "the publicity record"))
    start, end = publicity.start.isoformat(), publicity.end.isoformat()
    return Phrase(Text(f"公示 {start} 至 {end}", f"publicity {start} to {end}"))


def approval_dates(env: Env, approvals: Any, kind: str) -> list[Any]:
    return sorted(a.date for a in approvals if a.kind == kind and a.approved)


def latest(env: Env, dates: Any) -> Any:
    # A mapping (stage -> date) gives its dates; nothing recorded has no latest date.
    values = list(dates.values()) if isinstance(dates, dict) else list(dates)
    if not values:
        raise Missing("latest", Text("没有记录任何日期", "no date is recorded"))
    return max(values)


FUNCTIONS: dict[str, Function] = {
    "working_days": Function(working_days, (2, 2), lambda a: int,
                             Text("两日期之间（含首尾）的法定工作日数",
                                  "official working days from start to end, inclusive")),
    "days_between": Function(days_between, (2, 2), lambda a: int,
                             Text("两日期相差的日历天数", "calendar days from start to end")),
    "months": Function(months, (2, 2), lambda a: int,
                       Text("以 end 为最后一天的期间的整月数",
                            "whole months of a period from start whose last day is end")),
    "publicity_period": Function(publicity_period, (1, 1), lambda a: str,
                                 Text("公示的起止日期（用于消息）",
                                      "the publicity's first and last day (for a message)")),
    "latest": Function(latest, (1, 1), lambda a: dt.date,
                       Text("日期列表（或各项的日期）中最晚的一个",
                            "the latest of the dates (of a list, or a mapping's values)")),
    "approval_dates": Function(approval_dates, (2, 2), lambda a: ListOf(dt.date),
                               Text("该类批复中表示同意的日期（升序）",
                                    "dates of the approvals of this kind that approve, "
                                    "earliest first")),
}
