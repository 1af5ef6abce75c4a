"""Names a case defines twice or not at all (posts, candidates), each at its path: input
errors found after the model accepts the file, since a reference crosses its parts."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from selection_rules.i18n import Text

if TYPE_CHECKING:
    from selection_rules.model.case import Case


Loc = tuple[str | int, ...]


def reference_problems(case: Case) -> list[tuple[Loc, Text]]:
    """Names that are defined twice or not at all, each with the path where it stands.

    These are input errors, not violations: nothing can be checked about a candidate the
    case file does not describe.
    """
    problems: list[tuple[Loc, Text]] = []
    post_ids = unique_ids([p.id for p in case.posts], "posts", problems)
    cand_ids = unique_ids([c.id for c in case.candidates], "candidates", problems)
    if _all_defined(case, post_ids, cand_ids):
        return problems
    for i, ev in enumerate(case.events):
        for j, pid in enumerate(ev.posts):
            if pid not in post_ids:
                problems.append((("events", i, "posts", j), _unknown("post", pid, post_ids)))
        named: list[tuple[Loc, list[str] | dict[str, Any]]] = [
            (("candidates",), ev.candidates),
            (("result",), ev.result),
            (("speeches",), ev.speeches),
            (("introductions",), ev.introductions),
            (("scores",), ev.scores),
        ]
        if ev.ballot is not None:
            named.append((("ballot", "tallies"), ev.ballot.tallies))
        if ev.meeting is not None:
            named.append((("meeting", "member_votes"), ev.meeting.member_votes))
            if ev.meeting.reconsideration is not None:
                named.append((("meeting", "reconsideration", "about"),
                              ev.meeting.reconsideration.about))
        if ev.inspection is not None:
            named.append((("inspection", "shortcomings"), ev.inspection.shortcomings))
        named.append((("first_nominators",), ev.first_nominators))
        named.append((("screening",), ev.screening))
        for j, doc in enumerate(ev.documents):
            named.append((("documents", j, "about"), doc.about))
        for where, ids in named:
            if cand_ids.issuperset(ids):  # the common case, without a loop in Python
                continue
            for j, cid in enumerate(ids):
                if cid not in cand_ids:
                    key: str | int = cid if isinstance(ids, dict) else j
                    loc: Loc = ("events", i, *where, key)
                    problems.append((loc, _unknown("candidate", cid, cand_ids)))
        for j, talk in enumerate(ev.talks):
            if talk.about not in cand_ids:
                problems.append((("events", i, "talks", j, "about"),
                                 _unknown("candidate", talk.about, cand_ids)))
        if ev.publicity is not None:
            for j, rep in enumerate(ev.publicity.reports):
                if rep.about not in cand_ids:
                    loc = ("events", i, "publicity", "reports", j, "about")
                    problems.append((loc, _unknown("candidate", rep.about, cand_ids)))
    return problems


def _all_defined(case: Case, post_ids: set[str], cand_ids: set[str]) -> bool:
    """Whether every name the events use is defined: what the loop above would find no
    problem in, asked of the lists that are not empty (most are) without building a path
    for each; any doubt is left to the loop, which words each problem."""
    known = cand_ids.issuperset
    for ev in case.events:
        posts, *named, ballot, meeting, inspection, documents, talks, publicity = \
            _EVENT_PARTS(ev.__dict__)
        if posts and not post_ids.issuperset(posts):
            return False
        for ids in named:
            if ids and not known(ids):
                return False
        if ballot is not None and ballot.tallies and not known(ballot.tallies):
            return False
        if meeting is not None:
            if meeting.member_votes and not known(meeting.member_votes):
                return False
            again = meeting.reconsideration
            if again is not None and again.about and not known(again.about):
                return False
        if inspection is not None and inspection.shortcomings \
                and not known(inspection.shortcomings):
            return False
        for doc in documents:
            if doc.about and not known(doc.about):
                return False
        for talk in talks:
            if talk.about not in cand_ids:
                return False
        if publicity is not None:
            for rep in publicity.reports:
                if rep.about not in cand_ids:
                    return False
    return True


# An event's fields that name posts and candidates, read from its __dict__ in one call
# (pydantic keeps a model's fields there).
_EVENT_PARTS = operator.itemgetter(
    "posts", "candidates", "result", "speeches", "introductions", "scores",
    "first_nominators", "screening", "ballot", "meeting", "inspection", "documents", "talks",
    "publicity")


def unique_ids(ids: Sequence[str | None], where: str,
               problems: list[tuple[Loc, Text]]) -> set[str]:
    """The ids of a list (posts, candidates, teams …); each repeat is a located problem
    naming the entry it repeats. An entry without an id (None) is none of them."""
    distinct = set(ids)
    if len(distinct) == len(ids):  # no repeat (the common case), without a loop in Python
        distinct.discard(None)
        return distinct  # type: ignore[return-value]  # None is gone
    first: dict[str, int] = {}
    for i, name in enumerate(ids):
        if name is None:
            continue
        j = first.setdefault(name, i)
        if j != i:
            problems.append(((where, i, "id"), Text(
                f"编号 {name!r} 重复（第一次出现在 {where}[{j}].id）",
                f"duplicate id {name!r} (first at {where}[{j}].id)")))
    return set(first)


def _unknown(kind: str, name: str, known: set[str]) -> Text:
    listed = ", ".join(sorted(known)) or "—"
    zh = {"post": "职位", "candidate": "人选"}[kind]
    return Text(
        f"{zh} {name!r} 未在案卷中定义（已定义：{listed}）",
        f"unknown {kind} {name!r} (defined: {listed})",
    )
