"""Working days by the official calendar, user holiday lists, and the warned fallback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selection_rules.errors import InputError
from selection_rules.lang.workdays import WorkCalendar, parse_holiday_list
from selection_rules.source.loading import loads_document

D = dt.date


def test_national_day_week_with_make_up_sunday() -> None:
    # 2024-09-29 (Sunday) was worked in lieu; 10-01..10-07 were off.
    result = WorkCalendar().count_working_days(D(2024, 9, 27), D(2024, 10, 8))
    assert result.days == 4
    assert result.warning() is None


def test_spring_festival_2024() -> None:
    # 2024-02-10..02-17 off; 02-04 (Sunday) and 02-18 (Sunday) worked in lieu.
    cal = WorkCalendar()
    assert cal.count_working_days(D(2024, 2, 4), D(2024, 2, 4)).days == 1
    assert cal.count_working_days(D(2024, 2, 9), D(2024, 2, 18)).days == 2  # 02-09, 02-18
    assert cal.count_working_days(D(2024, 2, 12), D(2024, 2, 16)).days == 0


def test_plain_week_and_empty_range() -> None:
    cal = WorkCalendar()
    assert cal.count_working_days(D(2024, 5, 13), D(2024, 5, 17)).days == 5
    assert cal.count_working_days(D(2024, 5, 17), D(2024, 5, 13)).days == 0


def test_year_outside_the_data_is_estimated_with_a_warning() -> None:
    result = WorkCalendar().count_working_days(D(2031, 3, 3), D(2031, 3, 9))
    assert result.days == 5  # Monday to Friday, but said to be an estimate
    assert result.estimated_years == (2031,)
    warning = result.warning()
    assert warning is not None
    assert "2031" in warning.zh and "--holidays" in warning.zh
    assert "2031" in warning.en and "estimated" in warning.en


def _holidays(text: str, name: str = "h.yaml") -> WorkCalendar:
    return WorkCalendar([parse_holiday_list(loads_document(text, name))])


def test_user_holiday_list_covers_a_missing_year() -> None:
    cal = _holidays(
        "source: 国务院办公厅关于2031年部分节假日安排的通知\n"
        "years: [2031]\n"
        "holidays: [2031-01-01, {from: 2031-01-22, to: 2031-01-28}]\n"
        "workdays: [2031-01-19]\n"
    )
    result = cal.count_working_days(D(2031, 1, 19), D(2031, 1, 31))
    # 01-19 (Sunday, worked), 01-20, 01-21, then 01-29, 01-30, 01-31.
    assert result.days == 6
    assert result.warning() is None
    assert result.supplied_by == ("h.yaml",)


def test_holiday_list_problems_are_located() -> None:
    with pytest.raises(InputError) as exc:
        parse_holiday_list(loads_document(
            "source: x\nyears: [2031]\nholidays:\n  - 2031-01-01\n  - 2032-01-01\n", "h.yaml"))
    [problem] = exc.value.problems
    assert problem.file == "h.yaml" and problem.line is not None
    assert "2032-01-01" in problem.message.en
    with pytest.raises(InputError) as exc:
        parse_holiday_list(loads_document(
            "source: x\nyears: [2031]\nholidays: [{from: 2031-02-05, to: 2031-02-01}]\n",
            "h.yaml"))
    assert exc.value.problems[0].line == 3


def test_holiday_list_file_is_read_from_disk(tmp_path: Path) -> None:
    from selection_rules.source.loading import load_document

    path = tmp_path / "2031.yaml"
    path.write_text("source: 通知\nyears: [2031]\nholidays: [2031-10-01]\n", encoding="utf-8")
    cal = WorkCalendar([parse_holiday_list(load_document(path))])
    assert cal.count_working_days(D(2031, 10, 1), D(2031, 10, 1)).days == 0


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2005, 1, 1), max_value=D(2025, 12, 1)),
    split=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=0, max_value=40),
)
def test_counts_add_up_over_adjacent_ranges(start: dt.date, split: int, length: int) -> None:
    cal = WorkCalendar()
    mid = start + dt.timedelta(days=split)
    end = mid + dt.timedelta(days=length)
    whole = cal.count_working_days(start, end).days
    left = cal.count_working_days(start, mid).days
    right = cal.count_working_days(mid + dt.timedelta(days=1), end).days
    assert whole == left + right
    assert 0 <= whole <= (end - start).days + 1


def test_a_huge_span_is_counted_at_once_and_its_years_summarised() -> None:
    import time

    started = time.process_time()
    result = WorkCalendar().count_working_days(D(1, 1, 1), D(9999, 12, 31))
    assert time.process_time() - started < 10
    warning = result.warning()
    assert warning is not None and "1–2003, 2027–9999" in warning.en
    # Monday to Friday across the estimated years, the official count elsewhere.
    official = WorkCalendar().count_working_days(D(2004, 1, 1), D(2026, 12, 31)).days
    assert result.days > official > 0


def test_every_covered_day_agrees_with_chinese_calendar() -> None:
    # The running totals read the package's data directly; its own is_workday is the
    # reference, and the year after the data ends is refused by both.
    import chinese_calendar

    cal = WorkCalendar()
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    day = D(first, 1, 1)
    while day.year <= last:
        expected = int(chinese_calendar.is_workday(day))
        assert cal.count_working_days(day, day).days == expected, day
        day += dt.timedelta(days=1)
    after = cal.count_working_days(D(last + 1, 3, 2), D(last + 1, 3, 2))
    assert after.estimated_years == (last + 1,)
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(last + 1, 3, 2))
