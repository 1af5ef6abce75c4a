"""The rule expression language: safe, typed against the case model, exact."""

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from selection_rules.i18n import Text
from selection_rules.lang.case_functions import make_functions
from selection_rules.lang.context import CONTEXT, ReplayContext
from selection_rules.lang.expressions import compile_expr
from selection_rules.lang.types import ANY, ExprError, Function, ListOf, Missing, Scope
from selection_rules.model import case as casefile

SCOPE = Scope(
    names={"event": casefile.Event, "case": casefile.Case, "posts": ListOf(casefile.Post),
           "threshold": ANY, "item": str},
    functions=make_functions({"inspection": frozenset({"inspection"})},
                             {"inspection": Text("「考察」", "'Inspection'")}),
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
    assert fn({"event": events[2], CONTEXT: ReplayContext(events=events, index=2)}) == ["A"]
    with pytest.raises(Missing) as info:
        fn({"event": events[0], CONTEXT: ReplayContext(events=events, index=0)})
    # The step by its label, never its event type.
    assert info.value.text == Text("此前没有「考察」步骤的记录",
                                   "no earlier 'Inspection' step is recorded")


def test_top_keeps_ties_at_the_cut() -> None:
    scores = {"A": Fraction(90), "B": Fraction(85), "C": Fraction(85), "D": Fraction(70)}
    assert run("top(event.scores, 2)", event=event(scores=scores)) == ["A", "B", "C"]


def test_dates_compare() -> None:
    ev = event(publicity={"start": "2024-05-13", "end": "2024-05-17"})
    assert run("event.publicity.start >= event.date", event=ev) is True
    assert run("days_between(event.date, event.publicity.end)", event=ev) == 7
    assert isinstance(ev.date, dt.date)


# ---------------------------------------------------------------------------- hardening

MOTION = {"by": "standing committee", "reason": "vacancy"}


@pytest.mark.parametrize("src", ["1e1001", "1e-1001", "2.5E+1001", "1e1_001", "1e99999999"])
def test_a_decimal_with_a_huge_exponent_is_refused_where_it_is(src: str) -> None:
    # Fraction("1e99999999") would build 10**99999999 and hang the procedure load.
    with pytest.raises(ExprError) as info:
        compile_expr(f"event.ballot.valid > {src}", SCOPE)
    assert "exponent" in info.value.message.en and "1000" in info.value.message.en
    assert "指数" in info.value.message.zh
    assert info.value.column == len("event.ballot.valid > ")


def test_a_decimal_within_the_exponent_limit_stays_exact() -> None:
    assert run("1.5e3") == 1500
    assert run("1e-3") == Fraction(1, 1000)


@pytest.mark.parametrize(
    ("src", "fragment"),
    [
        ("'x' * 99999999999", "'x' (str) is not a number"),
        ("[1] * 999999999", "[1] (list[int]) is not a number"),
        ("3 * event.candidates", "event.candidates (list[str]) is not a number"),
        ("event.ballot.kind / 2", "event.ballot.kind (str) is not a number"),
        ("event.date - 1", "event.date (date) is not a number"),
        ("item + 1", "cannot be joined with +"),
        ("event.candidates + item", "cannot be joined with +"),
    ],
)
def test_arithmetic_on_texts_and_lists_is_refused_at_compile_time(src: str,
                                                                  fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(src, SCOPE)
    assert fragment in info.value.message.en
    assert "不是数" in info.value.message.zh or "不能用 + 连接" in info.value.message.zh


@pytest.mark.parametrize(
    ("src", "value", "fragment"),
    [
        ("threshold * 99999999999", "x", "threshold (str x) is not a number"),
        ("99999999999 * threshold", [1], "threshold (list) is not a number"),
        ("threshold - 1", True, "threshold (bool"),
        # Fraction("1/3") would read the text as a number.
        ("threshold / 2", "1/3", "threshold (str 1/3) is not a number"),
        ("threshold + 1", "x", "cannot be joined with +"),
    ],
)
def test_arithmetic_on_a_value_that_is_not_a_number_is_reported(src: str, value: object,
                                                                fragment: str) -> None:
    with pytest.raises(Missing) as info:
        run(src, threshold=value)
    assert info.value.text is not None
    assert fragment in info.value.text.en
    assert "threshold" in info.value.text.zh


def test_plus_still_joins_texts_and_lists() -> None:
    # The shipped rules build subjects (qingshui-assessment) and lists (qingshui-gates) so.
    ev = event(candidates=["A", "B"], result=["B"])
    assert run("item + ' (' + item + ')'", item="C1") == "C1 (C1)"
    assert run("event.candidates + event.result", event=ev) == ["A", "B", "B"]
    assert run("threshold + item", threshold="P", item="1") == "P1"
    assert run("threshold + threshold", threshold=["a"]) == ["a", "a"]
    assert run("threshold * 2 + 1", threshold=Fraction(1, 2)) == 2


@pytest.mark.parametrize(
    ("src", "fragment"),
    [
        ("event.ballot.valid is 3", "compare values with =="),
        ("threshold is not item", "compare values with !="),
        ("threshold is None and event.motion is not threshold", "compare values with !="),
    ],
)
def test_is_is_only_for_none(src: str, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(src, SCOPE)
    assert fragment in info.value.message.en
    assert "None" in info.value.message.zh


def test_is_none_still_works() -> None:
    assert run("event.motion is None", event=event()) is True
    assert run("None is not event.motion", event=event()) is False


def test_constant_call_arguments_are_exact_like_every_other_decimal() -> None:
    echo = Function(lambda env, x: x, (1, 1), lambda a: ANY, Text("原样返回", "the argument"))
    scope = Scope(names={}, functions={"echo": echo})
    value = compile_expr("echo(0.1)", scope)({})
    assert value == Fraction(1, 10) and type(value) is Fraction
    assert compile_expr("echo(2.0)", scope)({}) == 2


def test_not_of_a_value_the_case_does_not_record_is_missing() -> None:
    ev = event(motion=MOTION)
    with pytest.raises(Missing) as info:
        run("not event.motion.note", event=ev)
    assert info.value.what == "event.motion.note"
    assert run("not event.motion.ad_hoc", event=ev) is True
    assert run("not event.motion.note", event=event(motion={**MOTION, "note": "x"})) is False


def test_division_by_zero_says_so_in_each_language() -> None:
    with pytest.raises(Missing) as info:
        run("event.ballot.valid / threshold",
            event=event(ballot={"kind": "secret", "valid": 3, "tallies": {}}), threshold=0)
    text = info.value.text
    assert text is not None
    assert text.zh.startswith("除数为零") and "division" not in text.zh
    assert text.en.startswith("division by zero") and "除数" not in text.en
    assert "threshold" in text.en and "threshold" in text.zh


@pytest.mark.parametrize(
    ("src", "value"),
    [
        ("threshold.real", 3),  # a Python attribute of an int
        ("threshold.upper", "x"),  # a method of a str
        ("threshold.keys", {"a": 1}),  # a method of a dict, not one of its keys
        # A pydantic method, not a field.
        ("threshold.model_dump", casefile.Motion.model_validate(MOTION)),
        ("threshold.nope", casefile.Motion.model_validate(MOTION)),
    ],
)
def test_attributes_of_untyped_values_are_only_fields_and_keys(src: str,
                                                               value: object) -> None:
    with pytest.raises(Missing) as info:
        run(src, threshold=value)
    assert info.value.what == src


def test_fields_and_keys_of_untyped_values_are_read() -> None:
    motion = casefile.Motion.model_validate({**MOTION, "ad_hoc": True})
    assert run("threshold.ad_hoc", threshold=motion) is True
    assert run("threshold.a", threshold={"a": 1}) == 1
    with pytest.raises(Missing) as info:
        run("threshold.a", threshold=None)
    assert info.value.what == "threshold"


def test_what_does_not_read_the_loop_item_is_evaluated_once_per_loop() -> None:
    calls: list[str] = []

    def pool(env: Any, name: str) -> list[str]:
        calls.append(name)
        return ["C01", "C02"]

    functions = {"pool": Function(pool, (1, 1), lambda a: ListOf(str), Text("池", "pool"))}
    scope = Scope(names={"item": str}, functions=functions, loop_names=frozenset({"item"}))
    check = compile_expr("item in pool('x')", scope)
    from selection_rules.lang.runtime import HOISTED

    env: dict[str, Any] = {HOISTED: {}}
    results = []
    for item in ["C01", "C03", "C02"]:
        env["item"] = item
        results.append(check(env))
    assert results == [True, False, True]
    assert calls == ["x"]  # looked up once for the loop, not once per item
    # Outside a loop (no memo), or in the next loop, it is evaluated afresh.
    assert check({"item": "C01"}) is True and calls == ["x", "x"]
    env = {HOISTED: {}, "item": "C02"}
    assert check(env) is True and calls == ["x", "x", "x"]


def test_conditions_on_the_event_type_alone_are_decided_per_type() -> None:
    from selection_rules.engine.compiled import decided_for_type

    only = compile_expr("tagged('inspection')", SCOPE)
    assert only.type_only
    assert decided_for_type(only, {}, "inspection") is True
    assert decided_for_type(only, {}, "plenary_vote") is False
    mixed = compile_expr("event.type == 'inspection' and count(event.result) > 0", SCOPE)
    assert not mixed.type_only and mixed.type_guard is not None
    # A false type-only conjunct decides the whole condition; a true one leaves the rest
    # to replay, and data conditions are never decided ahead.
    assert decided_for_type(mixed, {}, "plenary_vote") is False
    assert decided_for_type(mixed, {}, "inspection") is None
    data = compile_expr("count(event.result) > 0", SCOPE)
    assert not data.type_only and data.type_guard is None
    assert decided_for_type(data, {}, "inspection") is None


def test_an_event_type_the_guard_allows_evaluates_only_the_other_conjuncts() -> None:
    from selection_rules.engine.compiled import _left

    mixed = compile_expr(
        "tagged('inspection') and count(event.result) > 0 and event.ballot != None", SCOPE)
    left = _left(mixed, {}, "inspection")
    assert left is not None and left is not mixed and left.type_guard is None
    with_data = event(type="inspection", result=["C1"], ballot={"kind": "secret"})
    without = event(type="inspection", result=[])
    assert left({"event": with_data}) is True
    assert left({"event": without}) is False
    # For another type the condition stays whole (the plan drops the check instead).
    assert _left(mixed, {}, "plenary_vote") is mixed
    only = compile_expr("tagged('inspection')", SCOPE)
    assert _left(only, {}, "inspection") is only  # decided whole by decided_for_type


@pytest.mark.parametrize(
    ("src", "env", "expected"),
    [
        # `in` and `not in`, each one closure: a value on either side must be recorded.
        ("item in event.result", {"item": "C1"}, True),
        ("item in event.result", {"item": "C9"}, False),
        ("item not in event.result", {"item": "C9"}, True),
        ("item in event.result", {"item": None}, Missing),
        ("item in event.meeting.speaking_order", {"item": "C1"}, Missing),
        # Comparisons with a constant: equality may meet None, an order may not.
        ("event.ballot.kind == 'secret'", {}, True),
        ("event.ballot.kind != 'secret'", {}, False),
        ("event.meeting == None", {}, True),
        ("event.ballot.valid >= 3", {}, True),
        ("event.ballot.valid < 3", {}, False),
        ("event.ballot.valid > 0.5", {}, True),
        ("event.ballot.returned >= 1", {}, Missing),
        ("3 <= event.ballot.valid", {}, True),
    ],
)
def test_specialised_comparisons_keep_the_general_semantics(
        src: str, env: dict[str, Any], expected: object) -> None:
    ev = event(result=["C1", "C2"], ballot={"kind": "secret", "valid": 3})
    if expected is Missing:
        with pytest.raises(Missing):
            run(src, event=ev, **env)
    else:
        assert run(src, event=ev, **env) is expected


def test_a_missing_part_is_named_even_after_a_line_separator_in_a_string() -> None:
    # str.splitlines() breaks at \u2028; the parser does not: the part that is missing
    # must still be named by its own text, not by the whole expression.
    with pytest.raises(Missing) as err:
        run("event.ballot.kind == 'a\u2028b' or event.meeting.present > 1",
            event=event(ballot={"kind": "secret"}))
    assert err.value.what == "event.meeting"
