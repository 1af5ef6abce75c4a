"""The functions a rule expression may call, and nothing else.

Each gets the evaluation env first. What replay knows beyond the expression's own names
(the case's events, the index of the event being checked, the working-day calendar, its
indexes of the events so far) is a `ReplayContext` in the env (see lang/context.py).

The functions themselves are in `lang/builtins`, by topic; those only one county uses
are apart, in `lang/builtins/county`. This is the one table of them all.
"""

from __future__ import annotations

from collections.abc import Mapping

from selection_rules.i18n import Text
from selection_rules.lang.builtins import (
    dates,
    eligibility,
    lists,
    meetings,
    people,
    records,
    scores,
)
from selection_rules.lang.builtins.county import hanzhong
from selection_rules.lang.builtins.county.zigong import zigong_functions
from selection_rules.lang.builtins.steps import selectors_by_event, step_functions
from selection_rules.lang.types import Function

__all__ = ["make_functions", "selectors_by_event"]


def make_functions(tags: Mapping[str, frozenset[str]],
                   labels: Mapping[str, Text] | None = None) -> dict[str, Function]:
    """Every built-in of the case scope, for a procedure whose steps carry `tags` (and
    whose steps and tags `labels` names in words, for messages)."""
    return {
        # generic
        **lists.FUNCTIONS,
        **step_functions(tags, labels or {}),
        **people.FUNCTIONS,
        **dates.FUNCTIONS,
        **scores.FUNCTIONS,
        **records.FUNCTIONS,
        **eligibility.FUNCTIONS,
        **meetings.FUNCTIONS,
        # one county's
        **zigong_functions(tags),
        **hanzhong.FUNCTIONS,
    }
