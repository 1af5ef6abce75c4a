"""Steps and history: the events before the one being checked, by type or tag."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from selection_rules.i18n import Text
from selection_rules.lang.context import CONTEXT, ReplayContext, context_of
from selection_rules.lang.types import Env, Function, ListOf, Missing
from selection_rules.model import case as casefile


def _same_track(a: casefile.Event, b: casefile.Event) -> bool:
    # Events for different posts of one case are separate tracks; an event that names
    # no post (e.g. the pre-recommendation) belongs to every track.
    return not a.posts or not b.posts or bool(set(a.posts) & set(b.posts))


def selectors_by_event(tags: Mapping[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """What `last('x')` may name for an event of each type: the type, and its step's tags."""
    return {event: (event, *sorted(ts)) for event, ts in tags.items()}


def earlier(env: Env, selector: str,
            selectors_of: Mapping[str, tuple[str, ...]]) -> list[casefile.Event]:
    """The events before the current one that `selector` names, on the current event's
    post(s): every earlier one when the case, or the event, has one track."""
    ctx = context_of(env)
    events, index = ctx.events, ctx.index
    current = events[index] if index < len(events) else None
    # Replay keeps the events so far by type and tag (ctx.seen); a context made by
    # hand (a test, a tool) has none, and the events are scanned instead.
    seen = ctx.seen
    so_far = seen.get(selector, []) if seen is not None else [
        ev for ev in events[:index] if selector in selectors_of.get(ev.type, ())]
    case = ctx.case
    if current is None or not current.posts or (case is not None and len(case.posts) == 1):
        return so_far  # one track: every earlier event is on it
    by_post = ctx.seen_by_post
    if by_post is None or ctx.position is None:
        return [ev for ev in so_far if _same_track(ev, current)]
    # Replay's index per post: the event's own track(s), not every post's events.
    tracks = [by_post[p].get(selector, []) for p in current.posts if p in by_post]
    if len(tracks) == 1:
        return tracks[0]
    position = ctx.position
    merged: dict[int, casefile.Event] = {}
    for track in tracks:
        for ev in track:
            merged.setdefault(position[id(ev)], ev)
    return [merged[i] for i in sorted(merged)]


_TAGGED = "_steps_tagged"


def step_functions(tags: Mapping[str, frozenset[str]],
                   labels: Mapping[str, Text]) -> dict[str, Function]:
    selectors_of = selectors_by_event(tags)

    def earlier_once(env: Env, selector: str) -> list[casefile.Event]:
        # context_of() only for an env made by hand: replay's env has its context.
        ctx: ReplayContext = env.get(CONTEXT) or context_of(env)
        if ctx.one_track and ctx.seen is not None:
            # A case of one post is one track: replay's running index is the answer.
            return ctx.seen.get(selector, [])
        # Several checks of one event ask for the same earlier steps: look them up once.
        memo = ctx.earlier
        found = memo.get(selector)
        if found is None:
            found = memo[selector] = earlier(env, selector, selectors_of)
        return found

    def last(env: Env, selector: str) -> casefile.Event:
        # earlier_once, unrolled for one track: last() is read by most checks.
        ctx: ReplayContext = env.get(CONTEXT) or context_of(env)
        seen = ctx.seen
        found = (seen.get(selector) if ctx.one_track and seen is not None
                 else earlier_once(env, selector))
        if not found:
            named = labels.get(selector)
            raise Missing(f"last({selector!r})", Text(
                f"此前没有{named.zh}步骤的记录", f"no earlier {named.en} step is recorded")
                if named is not None else Text("此前没有本规则所需步骤的记录",
                                               "no earlier step this rule needs is recorded"))
        return found[-1]

    def tagged(env: Env, tag: str) -> bool:
        event = env.get("event")
        return event is not None and tag in tags.get(event.type, ())

    def steps_tagged(env: Env, tag: str) -> list[casefile.Event]:
        # The whole record, later steps included; an unknown tag is an empty list (see has_tag).
        # The record does not change while it is checked: kept per case, for the rules
        # over the whole record ask for it once per check.
        ctx = context_of(env)
        events = ctx.events
        memo: dict[str, tuple[list[casefile.Event], list[casefile.Event]]] | None = \
            ctx.memo.get(_TAGGED)
        if memo is None:
            memo = ctx.memo[_TAGGED] = {}
        hit = memo.get(tag)
        if hit is None or hit[0] is not events:
            hit = memo[tag] = (events, [ev for ev in events if tag in tags.get(ev.type, ())])
        return hit[1]

    def bodies(env: Env, evs: Any) -> list[str]:
        return [ev.meeting.body for ev in evs if ev.meeting is not None]

    return {
        "last": Function(last, (1, 1), lambda a: casefile.Event,
                         Text("此前同一职位最近一次该类型或标签的事件",
                              "the latest earlier event of this type or tag for the same post"),
                         event_selector_args=(0,)),
        "events": Function(earlier_once, (1, 1), lambda a: ListOf(casefile.Event),
                           Text("此前同一职位该类型或标签的全部事件",
                                "all earlier events of this type or tag for the same post"),
                           event_selector_args=(0,)),
        "tagged": Function(tagged, (1, 1), lambda a: bool,
                           Text("当前事件的步骤带有此标签",
                                "the current event's step has this tag"),
                           event_selector_args=(0,), type_only=True),
        # has_tag is tagged() without the load-time check that some step carries the
        # tag: a shared rule set (the national baseline) may name a step only some
        # procedures have.
        "has_tag": Function(tagged, (1, 1), lambda a: bool,
                            Text("当前事件的步骤带有此标签（程序中没有此标签时为否，不报错）",
                                 "the current event's step has this tag (false, not an error, "
                                 "where no step of the procedure carries it)"),
                            type_only=True),
        "steps_tagged": Function(steps_tagged, (1, 1), lambda a: ListOf(casefile.Event),
                                 Text("整个案卷中步骤带有此标签的事件（含之后的事件）",
                                      "every event of the case whose step has this tag, "
                                      "later ones included")),
        "bodies": Function(bodies, (1, 1), lambda a: ListOf(str),
                           Text("事件所记录会议的主体", "the meeting bodies of these events")),
    }
