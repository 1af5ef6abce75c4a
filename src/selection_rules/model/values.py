"""Exact quantities: parsing of `80%`, `2/3`, `1:3`, `5~7`, and their display.

Every comparison in the engine is between ints, Fractions or dates; a percentage is shown
rounded only for reading, and never rounded onto the bound it failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from selection_rules.limits import MAX_FIGURE_BITS

Number = int | Fraction

_PERCENT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*$")
_FRACTION = re.compile(r"^\s*(-?\d+)\s*/\s*(\d+)\s*$")
_DECIMAL = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
_RATIO = re.compile(r"^\s*(\d+)\s*[:：]\s*(\d+)\s*$")
_RANGE = re.compile(r"^\s*(\d+)\s*[~～\-–]\s*(\d+)\s*$")


def parse_number(raw: object) -> Number:
    """An exact number from an int, a Fraction, or text such as `80%`, `2/3`, `0.5`."""
    if isinstance(raw, bool):
        raise ValueError("a yes/no value is not a number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Fraction):
        return normalize(raw)
    if isinstance(raw, str):
        if m := _PERCENT.match(raw):
            return normalize(Fraction(m.group(1)) / 100)
        if m := _FRACTION.match(raw):
            if int(m.group(2)) == 0:
                raise ValueError(f"division by zero in {raw!r}")
            return normalize(Fraction(int(m.group(1)), int(m.group(2))))
        if _DECIMAL.match(raw):
            return normalize(Fraction(raw.strip()))
    raise ValueError(f"{raw!r} is not an exact number (write 80%, 2/3, 0.8 or 5)")


# An int longer than this many bits is shown by its size, not its digits: Python refuses
# to print more than 4,300 digits (sys.get_int_max_str_digits), and a figure read from a
# file may be 4,299 digits long before a message multiplies it by 100.
_PRINTABLE_BITS = 13_000  # about 3,900 digits


def int_text(n: int) -> str:
    """An int as text: its digits, or for a huge one, a defined rendering of its size."""
    if n.bit_length() <= _PRINTABLE_BITS:
        return str(n)
    digits = len(str(abs(n) >> (n.bit_length() - _PRINTABLE_BITS)))  # leading part only
    size = digits + int((n.bit_length() - _PRINTABLE_BITS) * 0.30103)  # log10(2)
    sign = "-" if n < 0 else ""
    # No words: the same text stands in a Chinese and an English message.
    return f"{sign}≈10^{size - 1}"


def too_large(x: Number) -> bool:
    """Whether a computed figure is past MAX_FIGURE_BITS (see limits.py)."""
    if type(x) is int:
        return x.bit_length() > MAX_FIGURE_BITS
    return isinstance(x, Fraction) and (x.numerator.bit_length() > MAX_FIGURE_BITS
                                        or x.denominator.bit_length() > MAX_FIGURE_BITS)


def normalize(x: Fraction) -> Number:
    return x.numerator if x.denominator == 1 else x


@dataclass(frozen=True, slots=True)
class Ratio:
    """A post:candidate ratio such as 1:3 — `per_post` candidates for each post."""

    posts: int
    candidates: int

    @property
    def per_post(self) -> Fraction:
        return Fraction(self.candidates, self.posts)

    def __str__(self) -> str:
        return f"{self.posts}:{self.candidates}"


@dataclass(frozen=True, slots=True)
class Range:
    """An inclusive range of counts such as 5~7."""

    low: int
    high: int

    def __str__(self) -> str:
        return f"{self.low}~{self.high}"


def parse_ratio(raw: object) -> Ratio:
    if isinstance(raw, str) and (m := _RATIO.match(raw)):
        posts, candidates = int(m.group(1)), int(m.group(2))
        if posts > 0 and candidates > 0:
            return Ratio(posts, candidates)
    raise ValueError(f"{raw!r} is not a post:candidate ratio such as 1:3")


def parse_range(raw: object) -> Range:
    if isinstance(raw, str) and (m := _RANGE.match(raw)):
        low, high = int(m.group(1)), int(m.group(2))
        if low <= high:
            return Range(low, high)
    if (isinstance(raw, list) and len(raw) == 2 and all(type(x) is int for x in raw)
            and raw[0] <= raw[1]):
        return Range(raw[0], raw[1])
    raise ValueError(f"{raw!r} is not a range such as 5~7 (low ≤ high)")


def percent(x: Number, bound: Number | None = None) -> str:
    """`x` as a percentage for reading: two decimals, more if two would equal the bound.

    In ints (numerator, denominator): every violation message with a share prints one,
    and Fraction arithmetic is slow."""
    num, den = _terms(x)
    num *= 100
    bnum, bden = _terms(bound) if bound is not None else (0, 1)
    bnum *= 100
    digits = 2
    while True:
        shown = _round(num, den, digits)
        if bound is None or num * bden == bnum * den or digits >= 8:
            break
        if shown != _round(bnum, bden, digits):
            break
        digits += 1
    return f"{shown}%"


def _terms(x: Number) -> tuple[int, int]:
    if type(x) is int:
        return x, 1
    f = x if isinstance(x, Fraction) else Fraction(x)
    return f.numerator, f.denominator


def _round(num: int, den: int, digits: int) -> str:
    """num/den to `digits` places, half to even as round() of a Fraction, in ints."""
    scale = 10**digits
    scaled, rest = divmod(num * scale, den)
    twice = 2 * rest
    if twice > den or (twice == den and scaled % 2):
        scaled += 1
    text = f"{int_text(abs(scaled) // scale)}.{abs(scaled) % scale:0{digits}d}"
    text = text.rstrip("0").rstrip(".")
    return ("-" if scaled < 0 else "") + text


def decimal_text(x: Number) -> str:
    """An exact number as people write it: 82.5, not 165/2 (p/q where it does not end)."""
    f = Fraction(x)
    if f.denominator == 1:
        return int_text(f.numerator)
    if too_large(f):  # its decimal could have thousands of places: shown as p/q
        return f"{int_text(f.numerator)}/{int_text(f.denominator)}"
    rest, places = f.denominator, 0
    for prime in (2, 5):
        count = 0
        while rest % prime == 0:
            rest //= prime
            count += 1
        places = max(places, count)
    if rest != 1:
        return f"{int_text(f.numerator)}/{int_text(f.denominator)}"
    scaled = abs(f.numerator * 10**places // f.denominator)
    sign = "-" if f < 0 else ""
    return f"{sign}{scaled // 10**places}.{scaled % 10**places:0{places}d}"


_SETS = (set, frozenset)
_SEQUENCES = (list, tuple, *_SETS)


def show(x: object) -> str:
    """A value as one text for both languages: a figure, a path's value in a rule test.
    A message in one language shows a value by engine/wording.words instead (是 or yes);
    a yes/no here is written as the files write it."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, Fraction):
        return decimal_text(x)
    if isinstance(x, date):
        return x.isoformat()
    if isinstance(x, _SEQUENCES):
        items = sorted(x, key=str) if isinstance(x, _SETS) else list(x)
        return "[" + ", ".join(show(i) for i in items) + "]"
    if x is None:
        return "—"
    if type(x) is int:
        return int_text(x)
    return str(x)
