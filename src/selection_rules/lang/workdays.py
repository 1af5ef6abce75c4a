"""Official working days (工作日): the State Council's holidays and make-up working days.

`chinese-calendar` carries the official arrangement year by year. A year it does not
cover yet (the State Council publishes each year's arrangement in the November before)
is never counted silently: the user may supply that year's arrangement as a holiday
list (`--holidays FILE`), and without one the days are counted Monday to Friday *with a
warning* naming the year, so nobody mistakes an estimate for the official count.

A holiday list file:

    # 国务院办公厅关于2027年部分节假日安排的通知
    source: 国办发明电〔2026〕…号
    years: [2027]
    holidays:                      # days off (weekdays included), one date or a range
      - 2027-01-01
      - {from: 2027-02-06, to: 2027-02-13}
    workdays: [2027-02-14]         # weekend days worked in lieu (调休上班)
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from selection_rules import limits
from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.source.document import Document
from selection_rules.source.model_errors import validation_problems


class _DayRange(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)

    from_: dt.date = Field(alias="from")
    to: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> _DayRange:
        if self.to < self.from_:
            raise ValueError(f"`to` ({self.to}) is before `from` ({self.from_}); 结束早于开始")
        return self


class _HolidayFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    source: str = Field(description="The notice the arrangement comes from")
    years: list[int] = Field(min_length=1, max_length=limits.MAX_HOLIDAY_YEARS,
                             description="Years this list covers entirely")
    holidays: list[dt.date | _DayRange] = Field(default_factory=list,
                                                max_length=limits.MAX_HOLIDAY_ENTRIES)
    workdays: list[dt.date] = Field(default_factory=list,
                                    max_length=limits.MAX_HOLIDAY_ENTRIES)

    @model_validator(mode="after")
    def _within_years(self) -> _HolidayFile:
        # Each distinct range once, each year of a range once: a list of one aliased
        # range repeated, or of years 1 to 1000, is checked in time linear in its size.
        years = set(self.years)
        for first, last in {_span(item) for item in [*self.holidays, *self.workdays]}:
            for year in range(first.year, last.year + 1):
                if year not in years:
                    day = max(first, dt.date(year, 1, 1))
                    raise ValueError(
                        f"{day} is outside the years the list declares ({self.years}); "
                        f"{day} 不在所声明的年份内"
                    )
        return self


def _span(item: dt.date | _DayRange) -> tuple[dt.date, dt.date]:
    return (item, item) if isinstance(item, dt.date) else (item.from_, item.to)


def _merged(items: Sequence[dt.date | _DayRange]) -> tuple[tuple[int, int], ...]:
    """The days of `items` as sorted, disjoint (first, last) ordinal ranges: never one
    date per day, so a range's cost does not grow with its length or its repeats."""
    out: list[list[int]] = []
    for first, last in sorted({_span(item) for item in items}):
        a, b = first.toordinal(), last.toordinal()
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


@dataclass(frozen=True)
class HolidayList:
    """One year's (or several years') official arrangement, supplied by the user."""

    path: str
    source: str
    years: frozenset[int]
    off: tuple[tuple[int, int], ...]  # days off: disjoint ordinal ranges, sorted
    on: frozenset[dt.date]

    def is_workday(self, day: dt.date) -> bool:
        if day in self.on:
            return True
        ordinal = day.toordinal()
        i = bisect.bisect_right(self.off, (ordinal, _AFTER_ALL)) - 1
        if i >= 0 and self.off[i][0] <= ordinal <= self.off[i][1]:
            return False
        return day.weekday() < 5


_AFTER_ALL = dt.date.max.toordinal() + 1


def parse_holiday_list(doc: Document) -> HolidayList:
    """Read a holiday list file; problems are located in it (file, line, field)."""
    if not isinstance(doc.data, dict):
        raise InputError.at(doc.path, Text("节假日安排文件应为一个映射",
                                           "a holiday list is a mapping (key: value)"),
                            line=doc.line_of(()))
    try:
        parsed = _HolidayFile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(validation_problems(doc, exc)) from None
    return HolidayList(doc.path, parsed.source, frozenset(parsed.years),
                       _merged(parsed.holidays), frozenset(parsed.workdays))


class _Official(NamedTuple):
    """The official calendar's data: the years it covers, its holidays and its adjusted
    working days (weekend days worked in lieu)."""

    years: range
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]

    def is_workday(self, day: dt.date) -> bool:
        # chinese_calendar.is_workday's rule, without its check of the year's coverage
        # (a scan of every holiday on each call, a year's table 365 times over).
        return day in self.workdays or (day.weekday() < 5 and day not in self.holidays)


@lru_cache(maxsize=1)
def _official() -> _Official:
    import chinese_calendar  # only a run that counts working days pays for its tables

    listed = chinese_calendar.holidays
    years = range(min(listed).year, max(listed).year + 1)
    return _Official(years, frozenset(listed), frozenset(chinese_calendar.workdays))


class WorkingDays(NamedTuple):
    """A count of working days, and the years for which it had to fall back on Mon–Fri."""

    days: int
    estimated_years: tuple[int, ...] = ()
    supplied_by: tuple[str, ...] = ()

    def warning(self) -> Text | None:
        if not self.estimated_years:
            return None
        spans = _spans(self.estimated_years)
        years, years_en = "、".join(spans), ", ".join(spans)
        return Text(
            f"{years} 年的法定节假日安排不在官方日历数据（chinese-calendar）中："
            f"这些日子按周一至周五"
            f"估算，结果未必准确；请用 --holidays 提供该年国务院办公厅的节假日安排",
            f"the official holiday arrangement for {years_en} is not in the calendar data "
            f"(chinese-calendar): those days were estimated as Monday to Friday and may be "
            f"wrong; supply that year's State Council arrangement with --holidays",
        )


@dataclass(eq=False)
class WorkCalendar:
    """Counts working days with the official calendar, then user lists, then (warned) Mon–Fri."""

    lists: list[HolidayList] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A user list wins over the package for the years it declares: it is what the
        # user says the arrangement is, e.g. a correction published after the package.
        self._by_year = {y: hl for hl in self.lists for y in hl.years}

    def count_working_days(self, start: dt.date, end: dt.date) -> WorkingDays:
        """Working days from `start` to `end`, both included (0 if end is before start).

        Day by day within a year the calendar or a user list covers (at most 366
        steps each), in closed form for a year that is estimated: a record that
        claims a publicity from year 1 to 9999 is counted at once, not in minutes.
        """
        if isinstance(start, dt.datetime):
            start = start.date()
        if isinstance(end, dt.datetime):
            end = end.date()
        if end < start:
            return _NONE
        if start.year == end.year and start.year not in self._by_year:
            # The usual publicity: days of one year the official calendar covers.
            table = _official_table(start.year)
            if table:
                jan1 = _JAN1[start.year]
                return WorkingDays(table[end.toordinal() - jan1 + 1]
                                   - table[start.toordinal() - jan1])
        days = 0
        estimated: set[int] = set()
        supplied: set[str] = set()
        for year in range(start.year, end.year + 1):
            first = max(start, dt.date(year, 1, 1))
            last = min(end, dt.date(year, 12, 31))
            listed = self._by_year.get(year)
            if listed is None and not _official_table(year):
                days += _weekdays(first, last)
                estimated.add(year)
                continue
            if listed is not None:
                supplied.add(listed.path)
                table = _listed_table(listed, year)
            else:
                table = _official_table(year)
            # table[n] = working days of the year before its day n (0-based): a range
            # within the year is one subtraction.
            jan1 = _JAN1[year]
            days += table[last.toordinal() - jan1 + 1] - table[first.toordinal() - jan1]
        return WorkingDays(days, tuple(sorted(estimated)), tuple(sorted(supplied)))


_NONE = WorkingDays(0)


def _running_total(year: int, is_workday: Callable[[dt.date], bool]) -> tuple[int, ...]:
    total, out = 0, [0]
    # By ordinal, never past 31 December: the day after 9999-12-31 does not exist.
    jan1 = dt.date(year, 1, 1).toordinal()
    for ordinal in range(jan1, dt.date(year, 12, 31).toordinal() + 1):
        total += is_workday(dt.date.fromordinal(ordinal))
        out.append(total)
    return tuple(out)


@lru_cache(maxsize=64)
def _official_table(year: int) -> tuple[int, ...]:
    """Running totals of the official calendar's year; empty if it does not cover it."""
    official = _official()
    if year not in official.years:
        return ()
    return _running_total(year, official.is_workday)


class _Jan1(dict[int, int]):
    """Ordinal of 1 January of each year, computed once."""

    def __missing__(self, year: int) -> int:
        value = self[year] = dt.date(year, 1, 1).toordinal()
        return value


_JAN1 = _Jan1()


@lru_cache(maxsize=64)
def _listed_table(listed: HolidayList, year: int) -> tuple[int, ...]:
    return _running_total(year, listed.is_workday)


def _spans(years: tuple[int, ...]) -> list[str]:
    """2027, 2028, 2029, 2031 as ['2027–2029', '2031']."""
    out: list[str] = []
    for year in years:
        if out and out[-1].split("–")[-1] == str(year - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{year}"
        else:
            out.append(str(year))
    return out


def _weekdays(first: dt.date, last: dt.date) -> int:
    """Monday-to-Friday days from `first` to `last` inclusive, without walking them."""
    if last < first:
        return 0
    span = (last - first).days + 1
    weeks, rest = divmod(span, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)
