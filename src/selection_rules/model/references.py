"""Names a case defines twice or not at all (posts, candidates), each at its path: input
errors found after the model accepts the file, since a reference crosses its parts."""

from __future__ import annotations

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


def unique_ids(ids: Sequence[str | None], where: str,
               problems: list[tuple[Loc, Text]]) -> set[str]:
    """The ids of a list (posts, candidates, teams …); each repeat is a located problem
    naming the entry it repeats. An entry without an id (None) is none of them."""
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
