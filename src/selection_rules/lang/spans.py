"""Durations by calendar anniversary, shared by the rules over records and the
eligibility rules over a case's candidates.

Durations are counted by calendar anniversaries, as the law counts them: a period from
2019-02-28 reaches one year on 2020-02-28; a leader appointed on 2014-03-01 has served
exactly 10 years on 2024-03-01 and "over 10 years" from 2024-03-02. An anniversary that
does not exist (29 February in a common year) falls on the last day of the month, 28
February. A duration is a `Span` — whole years plus the days since the last anniversary
— which compares exactly with a number of years, never by days/365.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import total_ordering

from selection_rules.i18n import Text
from selection_rules.lang.types import Missing


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
