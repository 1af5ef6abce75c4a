"""Built-ins only Zigong's open selection uses: score cuts, district votes, reports."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.builtins.records import records_with
from selection_rules.lang.builtins.scores import cut, decimal, places
from selection_rules.lang.builtins.steps import earlier, selectors_by_event
from selection_rules.lang.types import ANY, Env, Function, ListOf, Missing
from selection_rules.model import case as casefile


def nth_best(env: Env, scores: Mapping[str, Fraction], n: Any) -> Any:
    wanted = places(n)
    if wanted <= 0 or not scores:
        raise Missing("nth_best", Text("没有可确定分数线的成绩",
                                       "no scores to draw the cut from"))
    return cut(scores, wanted)


def tied_at_cut(env: Env, scores: Mapping[str, Fraction], n: Any) -> list[str]:
    # The cut splits a tie when more people share the n-th best score than there
    # are places left at it: the score alone does not say who is in.
    wanted = places(n)
    if wanted <= 0 or wanted >= len(scores):
        return []
    line = cut(scores, wanted)
    above = sum(1 for s in scores.values() if s > line)
    at_cut = [cid for cid, s in scores.items() if s == line]
    return at_cut if len(at_cut) > wanted - above else []


def scored(env: Env, ids: Any, scores: Mapping[str, Fraction]) -> list[str]:
    return [f"{cid} {decimal(scores[cid])}" if cid in scores else f"{cid} —" for cid in ids]


def results(env: Env, events: Any) -> list[str]:
    # What several events produced, as one list naming each candidate once: a quota
    # caps the people reported, however many votes reported them.
    return list(dict.fromkeys(c for ev in events for c in (ev.result or ())))


def affecting(env: Env, reports: Any) -> list[Any]:
    # Only a report both verified and found to affect the appointment counts: a
    # pending one (verified unset) does not, yet.
    return [r for r in reports if r.verified is True and r.affects_appointment is True]


def zigong_functions(tags: Mapping[str, frozenset[str]]) -> dict[str, Function]:
    selectors_of = selectors_by_event(tags)

    def unit_events(env: Env, selector: str, unit: str) -> list[casefile.Event]:
        return [ev for ev in earlier(env, selector, selectors_of) if ev.unit == unit]

    return {
        "nth_best": Function(nth_best, (2, 2), lambda a: ANY,
                             Text("第 n 名的成绩（分数线；不足 n 人时为最低分）",
                                  "the n-th best score: the cut (the lowest, if fewer than n)")),
        "tied_at_cut": Function(tied_at_cut, (2, 2), lambda a: ListOf(str),
                                Text("分数线上成绩并列、人数多于剩余名额者（无并列时为空）",
                                     "ids tied at the n-th best score when the tie straddles "
                                     "the cut (empty when the cut is clean)")),
        "scored": Function(scored, (2, 2), lambda a: ListOf(str),
                           Text("人选及其成绩，供消息显示（如 C04 80.5）",
                                "ids with their scores, for messages (e.g. C04 80.5)")),
        "unit_events": Function(unit_events, (2, 2), lambda a: ListOf(casefile.Event),
                                Text("此前该单位该类型或标签的全部事件（如某区县的资格审核）",
                                     "all earlier events of this type or tag held by this unit "
                                     "(e.g. one district's qualification review)"),
                                event_selector_args=(0,)),
        "results": Function(results, (1, 1),
                            records_with("results", "result", lambda t: ListOf(str)),
                            Text("这些事件产生的人选（合并，每人一次）",
                                 "the candidates these events produced (joined, each once)")),
        "affecting": Function(affecting, (1, 1),
                              records_with("affecting", "affects_appointment", lambda t: t),
                              Text("经查实确有影响任职行为的反映",
                                   "the reports verified as affecting the appointment")),
    }
