"""Built-ins only Hanzhong's screening uses: problem records, shortcomings, vote ranks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from selection_rules.i18n import Phrase, Text
from selection_rules.lang.types import DictOf, Env, Function, ListOf, Missing
from selection_rules.model import case as casefile
from selection_rules.model.vocabulary import label_of


def open_problems(env: Env, cand: casefile.Candidate, day: Any) -> list[str]:
    out: list[str] = []
    for rec in cand.problem_records:
        if rec.recorded > day:
            continue
        source = label_of(rec.source) or Text(rec.source, rec.source)
        on = rec.recorded.isoformat()
        if rec.verified is None or rec.verified > day:
            out.append(Phrase(Text(f"{source.zh} {on} 未核实", f"{source.en} {on} unverified")))
        elif rec.outcome == "substantiated":
            out.append(Phrase(Text(f"{source.zh} {on} 属实",
                                   f"{source.en} {on} substantiated")))
    return out


def without_example(env: Env, items: Any) -> list[str]:
    # A plain text shortcoming records no separate example, so it counts as without one.
    return [it if isinstance(it, str) else it.point
            for it in items if isinstance(it, str) or not (it.example or "").strip()]


def rank_of(env: Env, scores: Mapping[str, Any], cid: str) -> int:
    # Competition ranking: tied candidates share a rank (1, 2, 2, 4).
    if cid not in scores:
        raise Missing(f"rank_of({cid!r})")
    return 1 + sum(1 for s in scores.values() if s > scores[cid])


def votes_for(env: Env, tallies: Any) -> dict[str, int]:
    return {cid: t.agree for cid, t in tallies.items()}


FUNCTIONS: dict[str, Function] = {
    "open_problems": Function(open_problems, (2, 2), lambda a: ListOf(str),
                              Text("该日已记录在案、尚未核实清楚或核实属实的问题",
                                   "problems on record by that date that are not yet "
                                   "verified, or verified as substantiated")),
    "without_example": Function(without_example, (1, 1), lambda a: ListOf(str),
                                Text("没有单独记录具体事例的不足之处",
                                     "shortcomings with no concrete example recorded")),
    "rank_of": Function(rank_of, (2, 2), lambda a: int,
                        Text("该人选的名次（并列者名次相同）",
                             "the candidate's rank, ties sharing a rank (1, 2, 2, 4)")),
    "votes_for": Function(votes_for, (1, 1), lambda a: DictOf(int),
                          Text("每名人选的同意票", "candidate id -> votes for")),
}
