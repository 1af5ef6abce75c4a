"""Replay of one case through its procedure: structure first, then every check.

Structure is replayed per post (each post is its own track through the Machine; an
event that names no post belongs to every track). Replay never stops at the first
problem: as a conformance checker does, it tells a step that never happened (skipped,
or missing at the end) from an event the procedure does not allow where it stands
(unknown, repeated, out of order), and resynchronises where it can so that what follows
is still judged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from selection_rules.engine.checks import (
    evaluator_for,
    holds,
    run_check,
    unreadable_condition,
)
from selection_rules.engine.compiled import Epoch, Procedure, RuleInfo
from selection_rules.engine.findings import Finding, to_violation
from selection_rules.engine.machine import Edge
from selection_rules.engine.violations import CaseResult, Kind, Violation
from selection_rules.i18n import Text
from selection_rules.lang.context import CONTEXT, ReplayContext
from selection_rules.lang.types import Fn, Missing
from selection_rules.model.case import Candidate, Case, Event
from selection_rules.model.procedure import Citation

if TYPE_CHECKING:
    from selection_rules.lang.workdays import WorkCalendar


def decision_event(proc: Procedure, case: Case) -> tuple[int, Event] | None:
    decisive = proc.decision_events
    for index, ev in enumerate(case.events):
        if ev.type in decisive:
            return index, ev
    return None


def decision_date(proc: Procedure, case: Case) -> dt.date | None:
    """The date that picks the regulation in force: the decision step's, where recorded.

    `decision_date:` in the case serves a case not yet decided (a draft, a simulation);
    where the decision is recorded, validation refuses a `decision_date` that differs.
    """
    found = decision_event(proc, case)
    if found is not None:
        return found[1].date
    if case.decision_date is not None:
        return case.decision_date
    return case.events[-1].date if case.events else None


def decision_date_conflict(proc: Procedure, case: Case) -> Text | None:
    """Why the case's `decision_date` cannot stand, if it contradicts the recorded decision."""
    found = decision_event(proc, case)
    if found is None or case.decision_date is None or case.decision_date == found[1].date:
        return None
    index, ev = found
    label = proc.step_label(ev.type)
    return Text(
        f"decision_date {case.decision_date} 与第 {index + 1} 个事件「{label.zh}」记录的决定日期 "
        f"{ev.date} 不一致：适用哪一版条例由实际决定日期确定，请删除或更正 decision_date",
        f"decision_date {case.decision_date} contradicts the decision recorded by event "
        f"{index + 1} ('{label.en}') on {ev.date}: the version of the regulation in force "
        f"follows the actual decision; remove or correct decision_date",
    )


def replay(proc: Procedure, case: Case, calendar: WorkCalendar, file: str = "") -> CaseResult:
    day = decision_date(proc, case)
    epoch = proc.epoch(day or dt.date.today())
    violations: list[Violation] = []
    stage_of, reached, final = _replay_structure(proc, epoch, case, violations)
    _run_checks(proc, epoch, case, calendar, stage_of, violations)
    return CaseResult(
        file=file,
        case_id=case.case,
        procedure=proc.id,
        rule_sets=proc.rule_sets,
        decision_date=day.isoformat() if day else None,
        stages_reached=reached,
        final=final,
        violations=violations,
        stage_labels=proc.stage_labels,  # made once per procedure, not per case
        unit=case.unit,
    )


# ---------------------------------------------------------------------------- structure


def _labels(proc: Procedure, steps: list[Edge]) -> Text:
    return Text(
        " → ".join(f"「{e.step.label.zh}」" for e in steps),
        " → ".join(f"'{e.step.label.en}'" for e in steps),
    )


def _replay_structure(
    proc: Procedure, epoch: Epoch, case: Case, out: list[Violation]
) -> tuple[dict[int, str], dict[str, list[str]], dict[str, bool]]:
    machine = proc.machine
    order = proc.order_rule
    citation = epoch.rules[order.id][1] if order and order.id in epoch.rules else None
    multi = len(case.posts) > 1
    stage_of: dict[int, str] = {}
    reached: dict[str, list[str]] = {}
    final: dict[str, bool] = {}
    reported_shared: set[tuple[str, int]] = set()

    def report(kind: Kind, index: int | None, message: Text, stage: str, post: str,
               shared: bool, figures: dict[str, object], field: str = "type") -> None:
        if order is None:
            return
        if shared and index is not None:
            if (kind, index) in reported_shared:
                return
            reported_shared.add((kind, index))
        prefix = Text(f"职位 {post}：", f"post {post}: ") if multi and not shared else Text("", "")
        out.append(Violation(
            rule_id=order.id,
            severity=order.spec.severity,
            kind=kind,
            message=prefix + message,
            citation=citation,
            stage=stage,
            stage_label=proc.stage_label(stage),
            event_index=index,
            event_type=case.events[index].type if index is not None else None,
            loc=("events", index, field) if index is not None else ("events",),
            post=None if shared else post,
            figures=figures,
        ))

    fire = machine.table.get
    # Without units every event's date is compared with the latest so far, no more.
    units = any(ev.unit is not None for ev in case.events)
    events = case.events
    for post, track in _tracks(case).items():
        stage = machine.initial
        path = [stage]
        done: dict[str, int] = {}
        skipped = False  # a required step never happened: the end is not truly reached
        # The latest-dated event so far, overall and per unit: events of different units
        # (Zigong's districts) run side by side, so only a unit's own events, and those
        # of no unit, must come before its next one.
        latest_all: tuple[int, dt.date] | None = None
        latest_unit: dict[str | None, tuple[int, dt.date]] = {}
        for index in track:
            ev = events[index]
            shared = not ev.posts
            unit = ev.unit
            latest = latest_all if unit is None else _later(
                latest_unit.get(None), latest_unit.get(unit))
            date = ev.date
            if latest is not None and date < latest[1]:
                before = proc.step_label(case.events[latest[0]].type)
                now = proc.step_label(ev.type)
                report("date_order", index, Text(
                    f"第 {index + 1} 个事件「{now.zh}」的日期 {ev.date} 早于第 {latest[0] + 1} 个"
                    f"事件「{before.zh}」的日期 {latest[1]}：各步骤应按时间先后进行和记录",
                    f"event {index + 1} ('{now.en}') is dated {ev.date}, before event "
                    f"{latest[0] + 1} ('{before.en}') on {latest[1]}: the steps happen, and are "
                    f"recorded, in the order of their dates"),
                    stage, post, shared,
                    {"date": ev.date.isoformat(), "earlier_event": latest[0],
                     "earlier_date": latest[1].isoformat()}, field="date")
            else:
                if latest_all is None or date >= latest_all[1]:
                    latest_all = (index, date)
                if units:
                    own = latest_unit.get(unit)
                    if own is None or date >= own[1]:
                        latest_unit[unit] = (index, date)
            dest = fire((ev.type, stage))
            if dest is not None:  # the usual path: nothing to word
                done.setdefault(ev.type, index)
                stage = dest
                path.append(stage)
                stage_of.setdefault(index, stage)
                continue
            if not machine.knows(ev.type):
                known = ", ".join(proc.steps)
                report("unknown_event", index, Text(
                    f"未知事件类型 {ev.type!r}：本程序没有这一步骤（步骤：{known}）",
                    f"unknown event type {ev.type!r}: the procedure has no such step "
                    f"(steps: {known})"), stage, post, shared, {"event": ev.type})
                continue
            label = proc.step_label(ev.type)
            here = proc.stage_label(stage) or Text(stage, stage)
            step = proc.steps[ev.type]
            if step.once and ev.type in done:
                first = done[ev.type]
                report("repeated", index, Text(
                    f"步骤「{label.zh}」重复进行（首次为第 {first + 1} 个事件）："
                    f"每个职位只进行一次",
                    f"step '{label.en}' repeated (first as event {first + 1}): "
                    f"it happens once per post"), stage, post, shared,
                    {"event": ev.type, "first_index": first})
                stage_of.setdefault(index, stage)
                continue
            # The step is not open where the case stands: find what was skipped.
            gap = machine.path(stage, machine.sources(ev.type))
            if gap is None:
                allowed = Text(
                    "、".join(f"「{proc.stage_label(s).zh}」" for s in  # type: ignore[union-attr]
                             sorted(machine.sources(ev.type))),
                    ", ".join(f"'{proc.stage_label(s).en}'" for s in  # type: ignore[union-attr]
                              sorted(machine.sources(ev.type))),
                )
                report("out_of_order", index, Text(
                    f"步骤「{label.zh}」顺序错误：案卷已处于阶段「{here.zh}」，"
                    f"该步骤只能在阶段 {allowed.zh} 进行",
                    f"step '{label.en}' out of order: the case is already at stage "
                    f"'{here.en}'; the step belongs at stage {allowed.en}"),
                    stage, post, shared, {"event": ev.type, "stage": stage})
                stage_of.setdefault(index, stage)
                continue
            required = [e for e in gap if not e.step.optional]
            if required:
                report("skipped", index, Text(
                    f"步骤「{label.zh}」之前缺少步骤：{_labels(proc, required).zh}",
                    f"step '{label.en}' came without the steps before it: "
                    f"{_labels(proc, required).en}"),
                    stage, post, shared,
                    {"event": ev.type, "missing": [e.step.event for e in required]})
                skipped = True
            # Replay resumes past the gap, but its stages were never reached.
            stage = gap[-1].dest if gap else stage
            dest = machine.fire(ev.type, stage)
            assert dest is not None
            done.setdefault(ev.type, index)
            stage = dest
            path.append(stage)
            stage_of.setdefault(index, stage)
        reached[post] = list(dict.fromkeys(path))
        final[post] = stage in machine.finals and not skipped
        if stage not in machine.finals:
            rest = machine.path(stage, machine.finals) or []
            required = [e for e in rest if not e.step.optional]
            here = proc.stage_label(stage) or Text(stage, stage)
            if required:
                report("incomplete", None, Text(
                    f"案卷止于阶段「{here.zh}」，尚缺步骤：{_labels(proc, required).zh}",
                    f"the case ends at stage '{here.en}'; steps never taken: "
                    f"{_labels(proc, required).en}"),
                    stage, post, False, {"missing": [e.step.event for e in required]})
    return stage_of, reached, final


# ---------------------------------------------------------------------------- checks


def _later(a: tuple[int, dt.date] | None,
           b: tuple[int, dt.date] | None) -> tuple[int, dt.date] | None:
    """The later-dated of two (index, date) marks, either of which may be absent."""
    if a is None:
        return b
    if b is None:
        return a
    return b if b[1] > a[1] else a


# The per-post index of earlier events is an optimisation: without it, last('x') filters
# every earlier event by post. Tests replay with it off to hold the answers equal.
INDEX_BY_POST = True


def _tracks(case: Case) -> dict[str, list[int]]:
    """Each post's events, by index: those that name it and those that name no post.

    One pass over the events, so a case of many posts, each with its own chain of steps,
    costs in proportion to its events, not to its posts times its events.
    """
    if len(case.posts) == 1:  # the common case, in one comprehension
        post = case.posts[0].id
        return {post: [i for i, ev in enumerate(case.events) if not ev.posts or post in ev.posts]}
    tracks: dict[str, list[int]] = {p.id: [] for p in case.posts}
    every = list(tracks.values())
    for index, ev in enumerate(case.events):
        if not ev.posts:
            for track in every:
                track.append(index)
            continue
        for post in ev.posts:
            own = tracks.get(post)
            if own is not None:
                own.append(index)
    return tracks


def _posts_of(case: Case, ev: Event, order: dict[str, int]) -> list[Any]:
    """The posts an event is about: all of them (read only: expressions cannot change
    the list) unless the case has several and the event names some; in the case's order,
    found by id rather than by a scan of every post."""
    if not ev.posts or len(case.posts) == 1:
        return case.posts
    places = sorted(order[p] for p in ev.posts if p in order)
    return [case.posts[i] for i in places]


def _run_checks(
    proc: Procedure, epoch: Epoch, case: Case, calendar: WorkCalendar,
    stage_of: dict[int, str], out: list[Violation],
) -> None:
    # One env serves every event of the case: what is the event's own is set anew
    # (a check's loop name is always set by its loop before it is read).
    env: dict[str, Any] = dict(epoch.env)
    env["case"] = case
    # What the built-in functions read beyond the expression's names (lang/context.py).
    ctx = env[CONTEXT] = ReplayContext(case, case.events, 0, calendar)
    # Events so far by type and tag, filled as replay goes: last('x') and events('x')
    # read it instead of scanning the case again for every check.
    seen: defaultdict[str, list[Event]] = defaultdict(list)
    ctx.seen = seen
    one_post = ctx.one_track = len(case.posts) == 1
    # With several posts, the same per post (an event that names no post is on every
    # post's track): last('x') of a post's event reads its own track, not every post's.
    by_post: dict[str, defaultdict[str, list[Event]]] = {}
    order = {} if one_post else {p.id: i for i, p in enumerate(case.posts)}
    if not one_post and INDEX_BY_POST:
        by_post = {p.id: defaultdict(list) for p in case.posts}
        ctx.seen_by_post = by_post
        ctx.position = {id(ev): i for i, ev in enumerate(case.events)}
    every_post = list(by_post.values())
    selectors_of = proc.selectors_of
    params = epoch.params
    findings: list[Finding] = []
    # Calendar warnings of the event's checks (_collect empties it).
    notes: list[Text] = ctx.notes
    earlier = ctx.earlier
    runs = epoch.runs
    events = case.events
    for index, ev in enumerate(events):
        if index:
            # The event before is now in the past (inline: this runs for every event).
            prev = events[index - 1]
            selectors = selectors_of.get(prev.type, ())
            for selector in selectors:
                seen[selector].append(prev)
            if by_post and selectors:
                _add_to_posts(prev, selectors, by_post, every_post)
        rules = runs.get(ev.type)
        if rules is None:
            rules = runs[ev.type] = [
                (p.rule, p.when, [evaluator_for(check) for check in p.checks])
                for p in epoch.plan.get(ev.type, [])]
        if not rules:
            continue
        env["event"] = ev
        ctx.index = index
        # _posts_of's common answer inline: the hot path of a replay.
        env["posts"] = case.posts if one_post or not ev.posts else _posts_of(case, ev, order)
        earlier.clear()  # last('x') asked for this event is looked up afresh
        for rule, when, evaluators in rules:
            if when is not None:
                # `holds` inline (the hot path); its Missing is reported by _unreadable.
                try:
                    applies = bool(when(env))
                except Missing as exc:
                    _unreadable(proc, epoch, rule, exc, index, ev.type, stage_of.get(index),
                                out)
                    applies = False
                if not applies:
                    notes.clear()  # a calendar warning of a rule that does not apply
                    continue
            for evaluate in evaluators:
                evaluate(env, params, findings)
            if findings or notes:
                _collect(proc, epoch, rule, findings, notes, index, ev.type,
                         stage_of.get(index), out)
    if epoch.at_end:
        if case.events:
            last_event = case.events[-1]
            selectors = selectors_of.get(last_event.type, ())
            for selector in selectors:
                seen[selector].append(last_event)
            if by_post and selectors:
                _add_to_posts(last_event, selectors, by_post, every_post)
        env.pop("event", None)
        earlier.clear()
        ctx.index = len(case.events)
        env["posts"] = list(case.posts)
        ctx.notes = notes = []
        for rule in epoch.at_end:
            if rule.when is not None and not _applies(proc, epoch, rule, rule.when.fn, env,
                                                      None, None, None, out):
                notes.clear()
                continue
            for check in rule.checks:
                run_check(check, env, params, findings)
            if findings or notes:
                _collect(proc, epoch, rule, findings, notes, None, None, None, out,
                         events=case.events, stage_of=stage_of, candidates=case.candidates)


def _applies(
    proc: Procedure, epoch: Epoch, rule: RuleInfo, when: Fn, env: dict[str, Any],
    index: int | None, event_type: str | None, stage: str | None, out: list[Violation],
) -> bool:
    """Whether the rule's `when:` holds here; one that cannot be read is reported as
    missing data for the rule, at the event (or the case), and the rule is not run."""
    try:
        return holds(when, env)
    except Missing as exc:
        _unreadable(proc, epoch, rule, exc, index, event_type, stage, out)
        return False


def _unreadable(
    proc: Procedure, epoch: Epoch, rule: RuleInfo, exc: Missing, index: int | None,
    event_type: str | None, stage: str | None, out: list[Violation],
) -> None:
    """A rule whose `when:` cannot be read: missing data for the rule."""
    out.append(Violation(
        rule_id=rule.id, severity=rule.spec.severity, kind="missing_data",
        message=unreadable_condition(exc, proc.selector_labels), citation=epoch.rules[rule.id][1],
        stage=stage, stage_label=proc.stage_label(stage), event_index=index,
        event_type=event_type, loc=("events", index) if index is not None else ("events",),
        figures={"missing": exc.what}))


def _add_to_posts(
    ev: Event, selectors: tuple[str, ...],
    by_post: dict[str, defaultdict[str, list[Event]]],
    every_post: list[defaultdict[str, list[Event]]],
) -> None:
    """Index an event that is now in the past on its posts' tracks, under the selectors
    that name it (an event that names no post is on every post's track)."""
    tracks = every_post if not ev.posts else [by_post[p] for p in ev.posts if p in by_post]
    for track in tracks:
        for selector in selectors:
            track[selector].append(ev)


def _collect(
    proc: Procedure, epoch: Epoch, rule: RuleInfo, findings: list[Finding], notes: list[Text],
    index: int | None, event_type: str | None, stage: str | None, out: list[Violation],
    events: list[Event] | None = None, stage_of: dict[int, str] | None = None,
    candidates: list[Candidate] | None = None,
) -> None:
    citation: Citation = epoch.rules[rule.id][1]
    positions: dict[int, int] | None = None
    for f in findings:
        if index is None and isinstance(f.item, Candidate) and f.check.spec.at is not None \
                and candidates is not None:
            # A rule over the candidates (eligibility) points into the candidate's entry;
            # its `at:` names the candidate's place as {candidate}.
            place = next((i for i, c in enumerate(candidates) if c is f.item), None)
            if place is not None:
                out.append(to_violation(
                    f, rule, citation, loc=f.path("case", {"candidate": place}),
                    stage=None, stage_label=None))
                continue
        if index is None and events is not None:
            # A rule of the whole case whose item is an event (or is about one: CN-8's
            # stances) is reported at that event, with its stage, as a step's rule is;
            # its `at:` may name the event's place as {event}.
            about = f.item if isinstance(f.item, Event) else getattr(f.item, "event", None)
            if isinstance(about, Event):
                if positions is None:
                    positions = {id(ev): i for i, ev in enumerate(events)}
                at = positions.get(id(about))
                if at is not None:
                    where = f.path("case", {"event": at}) if f.check.spec.at else ()
                    step = stage_of.get(at) if stage_of is not None else None
                    out.append(to_violation(
                        f, rule, citation, loc=where or ("events", at), stage=step,
                        stage_label=proc.stage_label(step), event_index=at,
                        event_type=about.type))
                    continue
        # A finding of the whole case points where its check's `at:` says, from the
        # case's top (an eligibility rule: `candidates[{index}].facts`).
        loc: tuple[str | int, ...] = (
            ("events", index, *f.path("event")) if index is not None
            else (f.path("case") if f.check.spec.at is not None else ()) or ("events",))
        out.append(to_violation(f, rule, citation, loc=loc, stage=stage,
                                stage_label=proc.stage_label(stage), event_index=index,
                                event_type=event_type))
    for note in dict.fromkeys(notes):
        out.append(Violation(
            rule_id=rule.id, severity="warning", kind="calendar", message=note,
            citation=citation, stage=stage, stage_label=proc.stage_label(stage),
            event_index=index, event_type=event_type,
            loc=("events", index) if index is not None else ("events",),
        ))
    findings.clear()
    notes.clear()
