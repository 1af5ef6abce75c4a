"""The functions a rule over one of the registers of model/registers.py may call.

"Every half year" (YT-2) and "every quarter" (HZ-11) are calendar periods: the half-years
end on 30 June and 31 December, the quarters on 31 March, 30 June, 30 September and 31
December. A period is due when it lies wholly within the time the register covers for
an item (a team scored from its `since`, a secretary inspected from the debriefing to
the closing of the problems or the register's date): a period still running on the
register's date, or begun before the item came in, is not yet owed. An entry counts for
the period its date falls in, its last day included: scored on 30 June, the first
half-year is scored; on 1 July, it is not (that scoring is the second half-year's).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.builtins.records import records_with
from selection_rules.lang.record_functions import find_by_id
from selection_rules.lang.types import Env, Function, ListOf, Missing
from selection_rules.model import registers
from selection_rules.model.vocabulary import REVIEW_BODY, SCOPE_CATEGORY

_PERIOD_MONTHS = (1, 2, 3, 4, 6, 12)


@dataclass(frozen=True)
class Periods:
    """A run of consecutive calendar periods, from the first's first day to the last's
    last day; shown as dates, which read the same in both languages."""

    start: dt.date
    end: dt.date
    count: int

    def as_figure(self) -> dict[str, object]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(),
                "periods": self.count}

    def __str__(self) -> str:
        return f"{self.start.isoformat()}~{self.end.isoformat()}"


def _index(day: dt.date, months: int) -> int:
    return (day.year * 12 + day.month - 1) // months


def _first_day(index: int, months: int) -> dt.date:
    year, month = divmod(index * months, 12)
    return dt.date(year, month + 1, 1)


def _last_day(index: int, months: int) -> dt.date:
    year, month = divmod(index * months + months - 1, 12)
    return dt.date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def periods_without(dates: list[dt.date], start: dt.date, end: dt.date,
                    months: int) -> list[Periods]:
    """The calendar periods of `months` months lying wholly within start..end that hold
    none of `dates`, as runs of consecutive periods (so the answer is as long as the
    dates, never as long as the span)."""
    if months not in _PERIOD_MONTHS:
        raise Missing(f"periods_without(…, {months})", Text(
            f"周期 {months} 个月不能整分一年（可用：1、2、3、4、6、12）",
            f"a period of {months} months does not divide the year (1, 2, 3, 4, 6 or 12)"))
    if end < start:
        return []
    first = _index(start, months)
    if start != _first_day(first, months):
        first += 1
    last = _index(end, months)
    if end != _last_day(last, months):
        last -= 1
    if first > last:
        return []
    covered = sorted({i for i in (_index(d, months) for d in dates) if first <= i <= last})
    runs: list[Periods] = []
    at = first
    for i in [*covered, last + 1]:
        if i > at:
            runs.append(Periods(_first_day(at, months), _last_day(i - 1, months), i - at))
        at = i + 1
    return runs


def register_functions(kind: str) -> dict[str, Function]:
    """The calendar functions every register may use, and those of `kind`."""

    def fn_periods_without(env: Env, dates: Any, start: Any, end: Any, months: Any) -> Any:
        return periods_without(list(dates), start, end, int(months))

    def fn_dates_of(env: Env, entries: Any) -> list[dt.date]:
        return [e.date for e in entries if e.date is not None]

    def fn_month_end(env: Env, day: Any) -> dt.date:
        return month_end(day)

    out = {
        "periods_without": Function(
            fn_periods_without, (4, 4), lambda a: ListOf(Periods), Text(
                "起止日期内完整的日历周期（n 个月：3 为季度，6 为半年）中没有任何日期的那些",
                "the whole calendar periods of n months (3: quarters, 6: half-years) within "
                "start..end that hold none of the dates")),
        "dates_of": Function(
            fn_dates_of, (1, 1), records_with("dates_of", "date", lambda t: ListOf(dt.date)),
            Text("记录列表中各条记录的日期", "the dates of a list of entries")),
        "month_end": Function(fn_month_end, (1, 1), lambda a: dt.date, Text(
            "该日期所在月的最后一日", "the last day of the date's month")),
    }
    if kind == "assessment_scope":

        def in_category(env: Env, category: Any) -> list[registers.ScopeUnit]:
            scope: list[registers.ScopeUnit] = env["record"].scope
            # A rule may name the category as a file does: `in_category('乡镇')`.
            wanted = SCOPE_CATEGORY.normalize(category)
            return [u for u in scope if u.category == wanted]

        out["in_category"] = Function(
            in_category, (1, 1), lambda a: ListOf(registers.ScopeUnit),
            Text("考核范围内该类别的单位", "the units of this category in the scope"))
    elif kind == "score_sheets":

        def scorer(env: Env, ident: Any) -> registers.Scorer:
            found: registers.Scorer = find_by_id(env["record"].scorers, ident, "scorer")
            return found

        def unit(env: Env, ident: Any) -> registers.AssessedUnit:
            found: registers.AssessedUnit = find_by_id(env["record"].units, ident, "unit")
            return found

        def reviews_by(env: Env, body: Any) -> list[registers.JointReview]:
            reviews: list[registers.JointReview] = env["record"].reviews
            wanted = REVIEW_BODY.normalize(body)
            return [r for r in reviews if r.kind == wanted]

        out["reviews_by"] = Function(
            reviews_by, (1, 1), lambda a: ListOf(registers.JointReview),
            Text("该会议对考核结果的联审", "the reviews of the results by this body"))
        out["scorer"] = Function(scorer, (1, 1), lambda a: registers.Scorer,
                                 Text("按编号取评分人", "the scorer with this id"))
        out["unit"] = Function(unit, (1, 1), lambda a: registers.AssessedUnit,
                               Text("按编号取被考核单位", "the assessed unit with this id"))
    return out
