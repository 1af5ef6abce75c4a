"""Scores and ranking: a mapping of candidate id to score, cut at a number of places."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.types import Env, Function, ListOf, Missing
from selection_rules.model.values import decimal_text


def places(n: Any) -> int:
    """A number of places: a post:candidate ratio times a number of posts is an exact
    Fraction; a number of places must still be whole."""
    whole = Fraction(n)
    if whole.denominator != 1:
        raise Missing(str(n), Text(f"名额数 {n} 不是整数",
                                   f"the number of places {n} is not whole"))
    return int(whole)


def cut(scores: Mapping[str, Fraction], n: int) -> Any:
    """The n-th best score (the lowest, if there are fewer than n)."""
    ranked = sorted(scores.values(), reverse=True)
    return ranked[min(n, len(ranked)) - 1]


def decimal(x: Any) -> str:
    return decimal_text(Fraction(x))


def top(env: Env, scores: Mapping[str, Fraction], n: int) -> list[str]:
    # Everyone whose score reaches the n-th best score: ties at the cut are kept,
    # so the caller can see that the cut was not decided by the score alone.
    wanted = places(n)
    if wanted <= 0 or not scores:
        return []
    line = cut(scores, wanted)
    return [cid for cid, s in scores.items() if s >= line]


FUNCTIONS: dict[str, Function] = {
    "top": Function(top, (2, 2), lambda a: ListOf(str),
                    Text("得分前 n 名（并列者一并列入）",
                         "ids with the n best scores, ties at the cut included")),
}
