"""`and` / `or` in three-valued logic: a value the case does not record is unknown, never
false; `false and unknown` and `true or unknown` are decided, the rest is missing data. A
rule's `when:` that cannot be read is reported as missing data for that rule."""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES, county_rules_with
from selection_rules.lang.case_functions import make_functions
from selection_rules.lang.expressions import compile_expr
from selection_rules.lang.types import ANY, Missing, Scope

NAMES = ("a", "b", "c", "d")
SCOPE = Scope(names={name: ANY for name in NAMES} | {"event": ANY},
              functions=make_functions({"inspection": frozenset({"inspection"})}),
              event_selectors=frozenset({"inspection"}))

# An operand's state: recorded true, recorded false, recorded as nothing (None), or not
# in the file at all (reading it raises Missing).
STATES = ("T", "F", "none", "absent")


def _env(states: tuple[str, ...]) -> dict[str, Any]:
    values = {"T": {"v": True}, "F": {"v": False}, "none": {"v": None}, "absent": {}}
    return {name: values[s] for name, s in zip(NAMES, states, strict=False)}


def _kleene(op: str, states: tuple[str, ...]) -> str:
    """The reference: T, F or U (unknown)."""
    truth = ["U" if s in ("none", "absent") else s for s in states]
    if op == "and":
        return "F" if "F" in truth else "U" if "U" in truth else "T"
    return "T" if "T" in truth else "U" if "U" in truth else "F"


def _run(src: str, env: dict[str, Any]) -> str:
    try:
        return "T" if compile_expr(src, SCOPE)(env) is True else "F"
    except Missing:
        return "U"


@pytest.mark.parametrize("op", ["and", "or"])
@pytest.mark.parametrize("states", list(product(STATES, repeat=2)))
def test_two_operand_truth_table(op: str, states: tuple[str, ...]) -> None:
    assert _run(f"a.v {op} b.v", _env(states)) == _kleene(op, states)


@given(op=st.sampled_from(["and", "or"]),
       states=st.lists(st.sampled_from(STATES), min_size=3, max_size=4).map(tuple))
def test_longer_chains_follow_kleene(op: str, states: tuple[str, ...]) -> None:
    src = f" {op} ".join(f"{n}.v" for n in NAMES[:len(states)])
    assert _run(src, _env(states)) == _kleene(op, states)


@given(states=st.tuples(*[st.sampled_from(STATES)] * 3))
def test_mixed_and_or_follow_kleene(states: tuple[str, ...]) -> None:
    # a and (b or c)
    inner = _kleene("or", states[1:])
    expected = _kleene("and", (states[0], {"U": "none"}.get(inner, inner)))
    assert _run("a.v and (b.v or c.v)", _env(states)) == expected


@given(states=st.tuples(*[st.sampled_from(STATES)] * 2))
def test_the_rest_after_a_type_guard_keeps_three_values(states: tuple[str, ...]) -> None:
    # tagged('inspection') is decided per event type; what is left is a.v and b.v.
    compiled = compile_expr("tagged('inspection') and a.v and b.v", SCOPE)
    assert compiled.residual is not None
    try:
        got = "T" if compiled.residual(_env(states)) is True else "F"
    except Missing:
        got = "U"
    assert got == _kleene("and", states)


def test_the_missing_operand_is_the_one_named() -> None:
    with pytest.raises(Missing) as found:
        compile_expr("a.v and b.v", SCOPE)({"a": {"v": True}, "b": {"v": None}})
    assert found.value.what == "b.v"
    with pytest.raises(Missing) as first:
        compile_expr("a.v or b.v", SCOPE)({"a": {}, "b": {"v": False}})
    assert first.value.what == "a.v"


# ---------------------------------------------------------------------------- rule `when:`



def test_a_rule_whose_condition_cannot_be_read_reports_missing_data(tmp_path: Path) -> None:
    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import Pipeline
    from selection_rules.lang.workdays import WorkCalendar

    authoring = EXAMPLES / "authoring"
    rules = county_rules_with(tmp_path, """
  - id: EX-9
    title: {zh: 测试, en: test}
    citation: {seed: 000_1d6b22ca1a2a0151.txt, quote: 民主推薦票不足80%的不作為考察對象}
    on: {events: [inspection]}
    when: event.meeting.present > 3
    checks:
      - require: "False"
        expect: {zh: 不应检查, en: never checked}

""")
    case = tmp_path / "case.yaml"
    case.write_text((authoring / "cases" / "clean.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    pipeline = Pipeline(Library([rules]), WorkCalendar())
    found = [v for v in pipeline.check_file(case).result.violations if v.rule_id == "EX-9"]
    assert [v.kind for v in found] == ["missing_data"]
    [v] = found
    assert v.event_type == "inspection" and v.loc[0] == "events"
    assert v.message.en.startswith("cannot tell whether this rule applies")
    assert v.message.zh.startswith("无法判断本规则是否适用")
    # What is missing is named as a clerk looks for it, never as the expression.
    assert "event." not in v.message.zh + v.message.en
    assert "会议记录" in v.message.zh and "meeting record" in v.message.en
    assert v.line is not None and v.citation is not None
