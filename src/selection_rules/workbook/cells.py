"""One cell to one value of a case, by the kind of its column.

A spreadsheet stores every number as a binary float and may store a date as a number of
days (Excel's serial form); a CSV stores only text. Each becomes what the same value
written in YAML would give: an int, an exact `Fraction` (from the float's shortest
decimal, so 88.5 is 177/2, never 88.4999…), a `date`, a bool, a text or a list of texts.
A value the case model would refuse is passed on as it is (96.5 votes stay 193/2): the
model's message, located at the cell, says what was expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from selection_rules.i18n import Text
from selection_rules.workbook.layout import Kind

# Excel's day 0 (the 1900 system, with its phantom 1900-02-29 before day 60).
_EPOCH = dt.date(1899, 12, 30)
_MAX_SERIAL = (dt.date(9999, 12, 31) - _EPOCH).days
_DATE_TEXT = re.compile(
    r"^\s*(\d{4})\s*(?:[-/.年]\s*)(\d{1,2})\s*(?:[-/.月]\s*)(\d{1,2})\s*日?\s*$")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_INTEGER = re.compile(r"^[-+]?\d{1,30}$")
_DECIMAL = re.compile(r"^[-+]?\d{1,30}\.\d{1,30}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LIST_SPLIT = re.compile(r"[,，、;；\n]+")
_ID_SPLIT = re.compile(r"[,，、;；\s]+")
_TRUE = frozenset({"是", "true", "yes", "y", "√", "✓", "有"})
_FALSE = frozenset({"否", "false", "no", "n", "×", "✗", "无"})


class CellError(ValueError):
    def __init__(self, message: Text, expected: Text | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.expected = expected


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def exact(number: float) -> int | Fraction:
    """A float cell's value as the decimal it shows: 96.0 → 96, 88.5 → 177/2."""
    if not math.isfinite(number):
        raise CellError(Text("单元格不是有限的数", "the cell is not a finite number"))
    if number.is_integer():
        return int(number)
    return Fraction(Decimal(repr(number)))


def shown(raw: Any) -> str:
    """The cell as a person reads it, for messages and `source_text`."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        value = exact(raw) if math.isfinite(raw) else raw
        return str(value) if not isinstance(value, Fraction) else repr(raw)
    if isinstance(raw, dt.datetime) and raw.time() == dt.time():
        return raw.date().isoformat()
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    return str(raw)


def value_of(raw: Any, kind: Kind) -> Any:
    """The case's value for a non-blank cell of a column of `kind`."""
    if isinstance(raw, dt.timedelta | dt.time):
        raise CellError(Text(f"单元格是时长或时刻（{shown(raw)}），不是本列要的值",
                             f"the cell holds a duration or a time of day ({shown(raw)})"))
    if kind == "date":
        return _date(raw)
    if kind == "bool":
        return _bool(raw)
    if kind in ("int", "number"):
        if isinstance(raw, bool):
            raise CellError(Text("单元格是逻辑值，不是数", "the cell is TRUE/FALSE, not a number"),
                            Text("数", "a number"))
        if isinstance(raw, float):
            return exact(raw)
        if isinstance(raw, dt.date):
            raise CellError(Text(f"单元格是日期（{shown(raw)}），不是数",
                                 f"the cell is a date ({shown(raw)}), not a number"),
                            Text("数", "a number"))
        if isinstance(raw, str):
            text = raw.strip()
            if _INTEGER.match(text):
                return int(text)
            return Fraction(Decimal(text)) if kind == "number" and _DECIMAL.match(text) else text
        return raw
    if kind == "ids":
        return [p for p in _ID_SPLIT.split(_text(raw)) if p]
    if kind == "texts":
        return [p.strip() for p in _LIST_SPLIT.split(_text(raw)) if p.strip()]
    if kind == "auto":
        return _auto(raw)
    return _text(raw)


def _text(raw: Any) -> str:
    if isinstance(raw, float):
        return str(exact(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat()
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def _date(raw: Any) -> Any:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise CellError(Text(f"单元格是带时刻的日期时间（{shown(raw)}）",
                                 f"the cell is a date with a time of day ({shown(raw)})"),
                            Text("日期，如 2024-05-10", "a date, e.g. 2024-05-10"))
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        raise CellError(Text("单元格是逻辑值，不是日期", "the cell is TRUE/FALSE, not a date"),
                        Text("日期，如 2024-05-10", "a date, e.g. 2024-05-10"))
    if isinstance(raw, int | float):
        # A date typed into a cell formatted as a number: Excel's count of days.
        if not (isinstance(raw, int) or raw.is_integer()) or not 1 <= raw <= _MAX_SERIAL:
            raise CellError(Text(f"{shown(raw)} 不是日期（也不是 Excel 的日期序号）",
                                 f"{shown(raw)} is not a date (nor an Excel date serial)"),
                            Text("日期，如 2024-05-10", "a date, e.g. 2024-05-10"))
        return _EPOCH + dt.timedelta(days=int(raw))
    text = str(raw).strip()
    m = _DATE_TEXT.match(text) or _COMPACT_DATE.match(text)
    if m is None:
        return text  # the case model says what is wrong with it
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CellError(Text(f"{text} 不是存在的日期", f"{text} is not a real date"),
                        Text("日期，如 2024-05-10", "a date, e.g. 2024-05-10")) from None


def _bool(raw: Any) -> Any:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float | int) and raw in (0, 1):
        return bool(raw)
    text = _text(raw).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(Text(f"{_text(raw)} 不是“是”或“否”", f"{_text(raw)} is not yes or no"),
                    Text("是 或 否", "是 (yes) or 否 (no)"))


def _auto(raw: Any) -> Any:
    """A cell of a column that declares no kind (a candidate's attribute, 其他's value)."""
    if isinstance(raw, bool | dt.date):
        return _date(raw) if isinstance(raw, dt.date) else raw
    if isinstance(raw, float):
        return exact(raw)
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    # A CSV has only text: what YAML would read as a number or a date is one here too.
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return Fraction(Decimal(text))
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    low = text.lower()
    if low in ("是", "true"):
        return True
    if low in ("否", "false"):
        return False
    return text
