"""Replay's indexes (events by post, earlier steps by post, lists as sets) are
optimisations: each gives exactly the answer of the definition it replaces."""

from __future__ import annotations

import copy
import json
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from selection_rules.engine import replay as replay_module
from selection_rules.engine.case_loader import parse_case
from selection_rules.engine.library import Library
from selection_rules.engine.procedure import load_procedure
from selection_rules.errors import InputError
from selection_rules.lang.runtime import member
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.report.json import violation_dict
from selection_rules.source.loading import loads_document

sys.path.insert(0, str(ROOT / "benchmarks"))
from scaling import with_posts

POSTS = 4
BASE = with_posts(POSTS)
PROC = load_procedure("pengshan-five-votes", Library())
CALENDAR = WorkCalendar()
post_sets = st.lists(st.sampled_from([f"P{k}" for k in range(1, POSTS + 1)]), unique=True,
                     max_size=3)


@st.composite
def reshaped_cases(draw: st.DrawFn) -> dict[str, Any]:
    """The four-post case with events re-assigned to other posts (none, one or several),
    some dropped and some swapped: every shape of tracks a case can have."""
    case = copy.deepcopy(BASE)
    events = case["events"]
    for event in events:
        if draw(st.integers(0, 3)) == 0:
            posts = draw(post_sets)
            if posts:
                event["posts"] = posts
            else:
                event.pop("posts", None)
    keep = draw(st.lists(st.booleans(), min_size=len(events), max_size=len(events)))
    events[:] = [e for e, k in zip(events, keep, strict=True) if k or e is events[0]]
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(events) - 1))
        j = draw(st.integers(0, len(events) - 1))
        events[i], events[j] = events[j], events[i]
    return case


def _replay(data: dict[str, Any]) -> list[dict[str, Any]]:
    case = parse_case(loads_document(json.dumps(data, ensure_ascii=False), "c.json"))
    result = replay_module.replay(PROC, case, CALENDAR, "c.json")
    return [violation_dict(v, "c.json") for v in result.violations]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(reshaped_cases())
def test_earlier_steps_by_post_answer_as_the_filter_over_all_posts(data: dict[str, Any]) -> None:
    try:
        indexed = _replay(data)
    except InputError:
        return  # a reshaping the case model refuses (e.g. a repeated post)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(replay_module, "INDEX_BY_POST", False)
        scanned = _replay(data)
    assert indexed == scanned


@settings(max_examples=40, deadline=None, derandomize=True)
@given(reshaped_cases())
def test_tracks_and_posts_of_are_their_definitions(data: dict[str, Any]) -> None:
    try:
        case = parse_case(loads_document(json.dumps(data, ensure_ascii=False), "c.json"))
    except InputError:
        return
    tracks = replay_module._tracks(case)
    order = {p.id: i for i, p in enumerate(case.posts)}
    for post in case.posts:
        assert tracks[post.id] == [i for i, ev in enumerate(case.events)
                                   if not ev.posts or post.id in ev.posts]
    for ev in case.events:
        expected = case.posts if not ev.posts else [p for p in case.posts if p.id in ev.posts]
        assert replay_module._posts_of(case, ev, order) == expected


values = st.one_of(st.integers(-3, 40), st.text(max_size=2), st.none(),
                   st.lists(st.integers(0, 3), max_size=2), st.booleans())


@settings(max_examples=200, deadline=None, derandomize=True)
@given(a=values, b=st.lists(values, max_size=60), reuse=st.booleans())
def test_member_is_in(a: Any, b: list[Any], reuse: bool) -> None:
    """Lists long and short, hashable items and not (a list inside), asked twice."""
    env: dict[str, Any] = {}
    if reuse:
        member(env, a, b)
    assert member(env, a, b) == (a in b)
