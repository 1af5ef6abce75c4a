"""What replay knows about the case beyond the names an expression reads.

An expression reads `event`, `case`, `posts`, parameters and loop items from its env.
The built-in functions also need the case's events, the index of the event being checked,
the working-day calendar and replay's running indexes of the events so far: replay keeps
them in one `ReplayContext`, stored in the env under a key no expression can spell.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from selection_rules.i18n import Text
    from selection_rules.lang.workdays import WorkCalendar
    from selection_rules.model.case import Candidate, Case, Event

# The env key of the context: a name starting with `_` is not one an expression can use.
CONTEXT = "_replay"


@dataclass(slots=True, eq=False)
class ReplayContext:
    """One case's replay, as the built-in functions see it.

    Only `events` and `index` are needed; the indexes (`seen`, `seen_by_post`,
    `position`) are replay's optimisations, and without them (a context made by hand in a
    test or a tool) the functions scan `events` instead.
    """

    case: Case | None = None
    events: list[Event] = field(default_factory=list)
    # The event being checked; len(events) for the checks at the end of the case.
    index: int = 0
    calendar: WorkCalendar | None = None
    # Calendar warnings of the checks being run, collected by replay.
    notes: list[Text] = field(default_factory=list)
    # The events so far by type and tag (each selector `last('x')` may name).
    seen: Mapping[str, list[Event]] | None = None
    # The case has one post: every event is on its one track, so `seen` is the answer.
    one_track: bool = False
    # With several posts: the events so far per post, by selector, and each event's index.
    seen_by_post: Mapping[str, Mapping[str, list[Event]]] | None = None
    position: dict[int, int] | None = None
    # Earlier events by selector, for the event being checked (emptied for each event).
    earlier: dict[str, list[Event]] = field(default_factory=dict)
    # The case's candidates by id, made on first use.
    candidates: dict[str, Candidate] | None = None
    # What the built-in functions work out once per case (the events a tag names, each
    # candidate's promotion …), each under its function's own key.
    memo: dict[str, Any] = field(default_factory=dict)


def context_of(env: dict[str, Any]) -> ReplayContext:
    """The env's replay context; for an env made by hand, one over its case's events."""
    ctx: ReplayContext | None = env.get(CONTEXT)
    if ctx is None:
        case = env.get("case")
        events = list(case.events) if case is not None else []
        ctx = env[CONTEXT] = ReplayContext(case, events, len(events))
    return ctx
