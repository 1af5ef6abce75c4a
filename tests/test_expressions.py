"""The rule expression language: safe, typed against the case model, exact."""

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from selection_rules import casefile
from selection_rules.expressions import (
    ANY,
    ExprError,
    ListOf,
    Missing,
    Scope,
    compile_expr,
)
from selection_rules.functions import make_functions

SCOPE = Scope(
    names={"event": casefile.Event, "case": casefile.Case, "posts": ListOf(casefile.Post),
           "threshold": ANY, "item": str},
    functions=make_functions({"inspection": frozenset({"inspection"})}),
    event_selectors=frozenset({"inspection", "plenary_vote"}),
    parameters=frozenset({"threshold"}),
)


def event(**kw: Any) -> casefile.Event:
    return casefile.Event.model_validate({"type": "plenary_vote", "date": "2024-05-10", **kw})


def run(src: str, **env: Any) -> Any:
    return compile_expr(src, SCOPE)(env)


def test_field_access_and_exact_division() -> None:
    ev = event(ballot={"kind": "secret", "valid": 3, "tallies": {"C1": {"agree": 2}}})
    assert run("event.ballot.tallies[item].agree / event.ballot.valid", event=ev, item="C1") == \
        Fraction(2, 3)
    assert run("0.8 * 10", event=ev) == 8  # decimal literals are exact


@pytest.mark.parametrize(
    ("src", "fragment"),
    [
        ("event.ballot.vaild", "did you mean 'valid'"),
        ("evnt.date", "did you mean 'event'"),
        ("open('x')", "unknown function 'open'"),
        ("event.__class__", "not allowed"),
        ("__import__('os')", "unknown function"),
        ("[x for x in event.result]", "not allowed"),
        ("lambda: 1", "not allowed"),
        ("event.ballot.kind.upper()", "only built-in functions"),
        ("last('inspectoin')", "did you mean 'inspection'"),
        ("last(item)", "quoted string"),
        ("count(1, 2)", "takes 1 argument"),
        ("event.date +", "syntax error"),
        ("event.ballot.valid ** 2", "only + - * /"),
    ],
)
def test_rejected_at_compile_time(src: str, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(src, SCOPE)
    assert fragment in info.value.message.en
    assert info.value.message.zh  # every message has its Chinese text


def test_missing_value_names_the_expression() -> None:
    fn = compile_expr("event.ballot.valid > 3", SCOPE)
    with pytest.raises(Missing) as info:
        fn({"event": event()})
    assert info.value.what == "event.ballot"


def test_missing_tally_is_reported_not_crashed() -> None:
    ev = event(ballot={"kind": "secret", "valid": 3, "tallies": {}})
    with pytest.raises(Missing):
        run("event.ballot.tallies[item].agree", event=ev, item="C9")


def test_equality_with_none_is_allowed() -> None:
    assert run("event.motion == None", event=event()) is True


def test_last_finds_earlier_events_of_the_same_post() -> None:
    events = [
        casefile.Event.model_validate({"type": "inspection", "date": "2024-01-01",
                                       "posts": ["P2"], "candidates": ["X"]}),
        casefile.Event.model_validate({"type": "inspection", "date": "2024-01-02",
                                       "posts": ["P1"], "candidates": ["A"]}),
        casefile.Event.model_validate({"type": "plenary_vote", "date": "2024-01-03",
                                       "posts": ["P1"]}),
    ]
    fn = compile_expr("last('inspection').candidates", SCOPE)
    assert fn({"event": events[2], "_events": events, "_index": 2}) == ["A"]
    with pytest.raises(Missing) as info:
        fn({"event": events[0], "_events": events, "_index": 0})
    assert info.value.text is not None and "inspection" in info.value.text.en


def test_top_keeps_ties_at_the_cut() -> None:
    scores = {"A": Fraction(90), "B": Fraction(85), "C": Fraction(85), "D": Fraction(70)}
    assert run("top(event.scores, 2)", event=event(scores=scores)) == ["A", "B", "C"]


def test_dates_compare() -> None:
    ev = event(publicity={"start": "2024-05-13", "end": "2024-05-17"})
    assert run("event.publicity.start >= event.date", event=ev) is True
    assert run("days_between(event.date, event.publicity.end)", event=ev) == 7
    assert isinstance(ev.date, dt.date)
