"""The case model's quicker checks say what the loops they stand in front of say: a
vocabulary's memo, a ballot's figures, a case's references."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from selection_rules.i18n import Text
from selection_rules.model import references, terms
from selection_rules.model.case import Case
from selection_rules.model.meetings import Ballot
from selection_rules.model.vocabulary import (
    BODY,
    DOCUMENT_KIND,
    STEP,
    VOCABULARIES,
    Code,
    Term,
    Vocabulary,
    declared,
)

# ----------------------------------------------------------------------- vocabularies


def _spellings() -> st.SearchStrategy[tuple[str, str]]:
    """(vocabulary name, a text): a spelling of one of its terms, changed in case or
    spacing, or any text."""
    known = [(v.name, s) for v in VOCABULARIES.values() for t in v.terms for s in t.spellings()]
    changed = st.sampled_from(known).flatmap(lambda vs: st.sampled_from([
        vs, (vs[0], vs[1].upper()), (vs[0], f" {vs[1]} "), (vs[0], vs[1].replace("_", " ")),
        (vs[0], vs[1] + "x")]))
    other = st.tuples(st.sampled_from(sorted(VOCABULARIES)), st.text(max_size=6))
    return st.one_of(changed, other)


@settings(max_examples=400, deadline=None)
@given(_spellings())
def test_a_value_reads_as_find_says_every_time(named: tuple[str, str]) -> None:
    vocabulary = VOCABULARIES[named[0]]
    raw = named[1]
    term = vocabulary.find(raw)
    for _ in range(2):  # the second reading comes from the memo
        if term is None and not vocabulary.open:
            with pytest.raises(ValueError) as caught:
                vocabulary.read(raw)
            assert caught.value.args[0] == vocabulary.unknown(raw)
            assert vocabulary.normalize(raw) is raw
            continue
        found = vocabulary.read(raw)
        if term is None:
            assert found is raw
            continue
        assert isinstance(found, Code) and found == term.code and found.term is term
        code = vocabulary.normalize(raw)
        assert type(code) is str and code == term.code


def test_one_term_has_one_code() -> None:
    assert BODY.read("全委会") is BODY.read("plenary") is BODY.read("Plenary")


def test_the_memo_follows_the_declared_terms_in_force() -> None:
    vocabulary = Vocabulary("body", BODY.label, BODY.terms)
    first = (Term("joint", "联席会", "joint meeting"),)
    second = (Term("county_joint", "联席会", "county joint meeting"),)
    for _ in range(2):
        with declared({"body": first}):
            assert vocabulary.read("联席会").term is first[0]
        with declared({"body": second}):
            assert vocabulary.read("联席会").term is second[0]
        with pytest.raises(ValueError):
            vocabulary.read("联席会")
    # A list of terms made anew is a new memo, whatever its id.
    for n in range(50):
        made = (Term(f"step_{n}", "谈话", f"talk {n}"),)
        with declared({"step": made}):
            assert STEP.read("谈话").term is made[0]


def test_free_text_is_not_kept_and_the_memo_is_bounded() -> None:
    vocabulary = Vocabulary("document_kind", DOCUMENT_KIND.label, DOCUMENT_KIND.terms,
                            open=True)
    for n in range(50):
        assert vocabulary.read(f"文书 {n}") == f"文书 {n}"
    assert all(memo == {} for _, memo in vocabulary._memos.values())
    # Spellings of a known value that are not written exactly as declared (trailing
    # spaces, which the lookup ignores) are kept, up to the bound.
    body = Vocabulary("body", BODY.label, BODY.terms)
    for n in range(1, terms._MEMO_SIZE + 10):
        assert body.read("plenary" + " " * n) == "plenary"
    sizes = [len(memo) for _, memo in body._memos.values()]
    assert sizes and all(0 < size <= terms._MEMO_SIZE for size in sizes)


# ----------------------------------------------------------------------------- ballots

_FIGURES = ("entitled", "participants", "issued", "returned", "valid", "invalid")
_NAMES = {
    "entitled": Text("应参加人数", "the people entitled to vote"),
    "participants": Text("实参加人数", "the people who took part"),
    "issued": Text("发出票数", "the ballots issued"),
    "returned": Text("收回票数", "the ballots returned"),
    "valid": Text("有效票数", "the valid ballots"),
}


def _reference(f: dict[str, Any], tallies: dict[str, tuple[int, int, int]]) -> Any:
    """The first problem, as the ballot's loop words it (the reference the quick
    check stands in front of)."""
    for small, big in (("participants", "entitled"), ("returned", "issued"),
                       ("valid", "returned"), ("valid", "issued"), ("valid", "participants")):
        n, m = f.get(small), f.get(big)
        if n is not None and m is not None and n > m:
            a, b = _NAMES[small], _NAMES[big]
            return Text(f"{a.zh} {n} 不能多于{b.zh} {m}", f"{a.en} ({n}) exceed {b.en} ({m})")
    r, v, i = f.get("returned"), f.get("valid"), f.get("invalid")
    if r is not None and v is not None and i is not None and v + i != r:
        return f"valid ({v}) + invalid ({i}) != returned ({r}); 有效票与无效票之和不等于收回票"
    if v is not None:
        for cid, (a, d, x) in tallies.items():
            if a + d + x > v:
                return (f"votes for {cid} ({a}+{d}+{x}) exceed the {v} valid ballots; "
                        f"{cid} 的票数之和多于有效票")
    return None


_SMALL = st.one_of(st.none(), st.integers(0, 12))


@settings(max_examples=500, deadline=None)
@given(st.fixed_dictionaries({k: _SMALL for k in _FIGURES}),
       st.dictionaries(st.sampled_from(["C1", "C2", "C3"]),
                       st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6)),
                       max_size=3))
def test_a_ballots_figures_are_refused_as_the_loop_says(
        figures: dict[str, int | None], tallies: dict[str, tuple[int, int, int]]) -> None:
    data: dict[str, Any] = {"kind": "secret", **{k: v for k, v in figures.items()
                                                  if v is not None}}
    data["tallies"] = {c: {"agree": a, "disagree": d, "abstain": x}
                       for c, (a, d, x) in tallies.items()}
    expected = _reference(figures, tallies)
    if expected is None:
        Ballot.model_validate(data)
        return
    with pytest.raises(ValidationError) as caught:
        Ballot.model_validate(data)
    (error,) = caught.value.errors()
    said = error["ctx"]["error"].args[0]
    assert said == expected


# -------------------------------------------------------------------------- references

_IDS = st.sampled_from(["C1", "C2", "C3", "C9"])  # C9 is never defined
_DATE = "2024-03-15"


@st.composite
def _cases(draw: st.DrawFn) -> Case:
    def some() -> list[str]:
        return draw(st.lists(_IDS, unique=True, max_size=2))

    candidates = [{"id": c, "name": c} for c in draw(st.lists(
        st.sampled_from(["C1", "C2", "C3"]), max_size=4))]  # a repeat is a problem too
    events = []
    for _ in range(draw(st.integers(0, 3))):
        event: dict[str, Any] = {"type": "step", "date": _DATE}
        parts = draw(st.sets(st.sampled_from([
            "posts", "candidates", "result", "speeches", "introductions", "scores",
            "first_nominators", "screening", "ballot", "meeting", "inspection", "documents",
            "talks", "publicity"]), max_size=5))
        for part in parts:
            if part == "posts":
                event[part] = draw(st.lists(st.sampled_from(["P1", "P2"]), unique=True,
                                            max_size=2))
            elif part in ("candidates", "result", "speeches", "introductions"):
                event[part] = some()
            elif part == "scores":
                event[part] = {c: 1 for c in some()}
            elif part == "first_nominators":
                event[part] = {c: "甲" for c in some()}
            elif part == "screening":
                event[part] = {c: {} for c in some()}
            elif part == "ballot":
                event[part] = {"kind": "secret", "tallies": {c: {"agree": 1} for c in some()}}
            elif part == "meeting":
                event[part] = {"body": "plenary", "entitled": 9, "present": 9,
                               "member_votes": {c: {} for c in some()}}
                if draw(st.booleans()):
                    event[part]["reconsideration"] = {
                        "decided_on": _DATE, "members": 9, "agreed": 5, "about": some()}
            elif part == "inspection":
                event[part] = {"shortcomings": {c: ["少"] for c in some()}}
            elif part == "documents":
                event[part] = [{"kind": "record", "about": some()} for _ in range(2)]
            elif part == "talks":
                event[part] = [{"kind": "appointment", "about": c} for c in some()]
            else:
                event[part] = {"start": _DATE, "end": _DATE,
                               "reports": [{"received": _DATE, "about": c} for c in some()]}
        events.append(event)
    return Case.model_validate({
        "case": "X", "procedure": "p", "unit": "u", "posts": [{"id": "P1", "title": "t"}],
        "candidates": candidates, "events": events})


@settings(max_examples=300, deadline=None)
@given(_cases())
def test_the_references_are_the_loops(case: Case) -> None:
    found = references.reference_problems(case)
    with mock.patch.object(references, "_all_defined", lambda *args: False):
        assert found == references.reference_problems(case)


def test_an_unknown_candidate_is_still_found() -> None:
    case = Case.model_validate({
        "case": "X", "procedure": "p", "unit": "u", "posts": [{"id": "P1", "title": "t"}],
        "candidates": [{"id": "C1", "name": "甲"}],
        "events": [{"type": "step", "date": dt.date(2024, 3, 15),
                    "talks": [{"kind": "appointment", "about": "C2"}]}]})
    ((loc, message),) = references.reference_problems(case)
    assert loc == ("events", 0, "talks", 0, "about") and "'C2'" in message.en
