from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selection_rules.model.values import (
    Range,
    Ratio,
    parse_number,
    parse_range,
    parse_ratio,
    percent,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("80%", Fraction(4, 5)), ("2/3", Fraction(2, 3)), ("0.8", Fraction(4, 5)), (5, 5),
     ("50%", Fraction(1, 2)), ("100%", 1), (Fraction(6, 3), 2), ("12.5%", Fraction(1, 8))],
)
def test_parse_number_is_exact(raw: object, expected: object) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["eighty", "1/0", True, None, 0.8, "1:3"])
def test_parse_number_rejects(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_number(raw)


def test_ratio_and_range() -> None:
    assert parse_ratio("1:3") == Ratio(1, 3)
    assert parse_ratio("1：2").per_post == 2
    assert str(parse_range("5~7")) == "5~7"
    assert parse_range([5, 7]) == Range(5, 7)
    with pytest.raises(ValueError):
        parse_range("7~5")
    with pytest.raises(ValueError):
        parse_ratio("0:3")


def test_percent_never_rounds_onto_the_bound() -> None:
    assert percent(Fraction(319, 399)) == "79.95%"
    # 79.999% would read "80%" at two decimals: show enough digits to see it is below.
    shown = percent(Fraction(79999, 100000), Fraction(4, 5))
    assert shown == "79.999%"
    assert percent(Fraction(4, 5), Fraction(4, 5)) == "80%"
    assert percent(Fraction(2, 3)) == "66.67%"


@given(st.integers(0, 10**6), st.integers(1, 10**6))
def test_percent_is_not_equal_to_a_bound_it_differs_from(num: int, den: int) -> None:
    value = Fraction(num, den)
    bound = Fraction(4, 5)
    if value != bound:
        assert percent(value, bound) != "80%" or abs(value - bound) < Fraction(1, 10**9)


@given(st.integers(-10**6, 10**6), st.integers(1, 10**6), st.integers(0, 8))
def test_rounding_in_ints_is_round_half_to_even(num: int, den: int, digits: int) -> None:
    from selection_rules.model.values import _round

    value = Fraction(num, den)
    scaled = round(value * 10**digits)  # the Fraction's own rounding, the reference
    text = f"{abs(scaled) // 10**digits}.{abs(scaled) % 10**digits:0{digits}d}"
    text = text.rstrip("0").rstrip(".")
    assert _round(value.numerator, value.denominator, digits) == \
        ("-" if scaled < 0 else "") + text
    assert _round(1, 8, 2) == "0.12" and _round(3, 8, 2) == "0.38"
