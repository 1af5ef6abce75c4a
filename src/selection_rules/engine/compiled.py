"""What a prepared procedure is made of, and what it gives replay per decision date.

`Procedure` holds the Machine, the rules with their compiled checks and the parameters
with their dated values (`load_procedure` in procedure.py builds one). What varies with
the case — which rules are in force and which dated parameter value applies — is
resolved per decision date and cached as an `Epoch`, with each event type's checks
planned once (`Planned`).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from selection_rules.engine.machine import ProcedureMachine
from selection_rules.i18n import Text
from selection_rules.lang.case_functions import selectors_by_event
from selection_rules.lang.types import Compiled, Fn
from selection_rules.model.procedure import (
    Check,
    Citation,
    Parameter,
    ProcedureSpec,
    Rule,
    Stage,
    Step,
)
from selection_rules.model.vocabulary import Term
from selection_rules.source.document import Document

Loc = tuple[str | int, ...]


@dataclass(frozen=True, eq=False)
class Origin:
    """Where a piece of a procedure was written: file and path inside it."""

    doc: Document
    loc: Loc

    @property
    def file(self) -> str:
        return self.doc.path

    @property
    def line(self) -> int | None:
        return self.doc.line_of(self.loc)


@dataclass(frozen=True, eq=False)
class ParamValue:
    """A parameter's value for one epoch, with how to show it and where it comes from."""

    name: str
    value: Any
    display: str
    citation: Citation | None


@dataclass(eq=False)
class ParamInfo:
    name: str
    spec: Parameter
    origin: Origin
    # (from-date or None, value) sorted by date.
    timeline: list[tuple[dt.date | None, ParamValue]]

    def at(self, day: dt.date) -> ParamValue | None:
        current = None
        for start, value in self.timeline:
            if start is None or start <= day:
                current = value
        return current


def selector_labels(steps: Mapping[str, Step]) -> dict[str, Text]:
    labels = {ev: Text(f"「{s.label.zh}」", f"'{s.label.en}'") for ev, s in steps.items()}
    by_tag: dict[str, list[Step]] = {}
    for step in steps.values():
        for tag in step.tags:
            by_tag.setdefault(tag, []).append(step)
    for tag, tagged in by_tag.items():
        if tag not in labels:
            labels[tag] = Text("或".join(f"「{s.label.zh}」" for s in tagged),
                               " or ".join(f"'{s.label.en}'" for s in tagged))
    return labels


@dataclass(eq=False)
class CompiledCheck:
    spec: Check
    origin: Origin
    each: Compiled | None
    when: Compiled | None
    subject: Compiled | None
    value: Compiled | None
    of: Compiled | None
    bound: Compiled | None
    require: Compiled | None
    actual: Compiled | None
    # The bound is a bare parameter: show it as written ("80%", "1:3").
    bound_param: str | None
    # What `last('x')` names, in words, for a message about data the case lacks.
    selector_labels: Mapping[str, Text] = field(default_factory=dict, repr=False)
    # checks.run_check's specialised evaluator, made on first use.
    evaluator: Callable[..., None] | None = field(default=None, repr=False, compare=False)


@dataclass(eq=False)
class RuleInfo:
    spec: Rule
    origin: Origin
    procedure_id: str
    checks: list[CompiledCheck] = field(default_factory=list)
    when: Compiled | None = None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def title(self) -> Text:
        return self.spec.title.text()

    def in_force(self, day: dt.date) -> Citation | None:
        """The citation in force on `day`, or None if the rule did not exist then."""
        if not self.spec.in_force:
            return self.spec.citation
        for window in self.spec.in_force:
            if (window.from_ is None or window.from_ <= day) and (
                window.to is None or day <= window.to
            ):
                return window.citation
        return None

    def citations(self) -> list[Citation]:
        if self.spec.citation is not None:
            return [self.spec.citation]
        return [w.citation for w in self.spec.in_force]


@dataclass(frozen=True, eq=False)
class Planned:
    """A rule as an event of one type runs it."""

    rule: RuleInfo
    # The rule's `when:` left to evaluate per event: None if it has none, or if it reads
    # only the event's type and holds for this one.
    when: Fn | None
    checks: list[CompiledCheck]


# A planned rule with its checks' evaluators made: (rule, when, evaluators).
Run = tuple[RuleInfo, Fn | None, list[Callable[..., None]]]


@dataclass(eq=False)
class Epoch:
    """What applies to cases decided in one window of dates."""

    params: dict[str, ParamValue]
    rules: dict[str, tuple[RuleInfo, Citation]]
    by_event: dict[str, list[RuleInfo]]
    at_end: list[RuleInfo]
    # What replay runs for an event of each type: the rules, and of each rule the
    # checks left once conditions on the event's type alone (tagged('x')) are decided.
    plan: dict[str, list[Planned]] = field(default_factory=dict)
    # The plan with each check's evaluator made (by replay, on first use of a type).
    runs: dict[str, list[Run]] = field(default_factory=dict)

    @cached_property
    def env(self) -> dict[str, Any]:
        return {name: p.value for name, p in self.params.items()}


class Procedure:
    def __init__(
        self,
        spec: ProcedureSpec,
        layers: list[tuple[ProcedureSpec, Document]],
        rule_sets: tuple[str, ...],
    ) -> None:
        self.spec = spec
        self.id = spec.id
        self.title = spec.title.text()
        self.layers = layers
        self.rule_sets = rule_sets
        # "selection" for a procedure; for a record kind, the rule sets read `record`.
        self.record_kind: str = spec.applies_to
        self.stages: dict[str, Stage] = {s.id: s for s in spec.stages}
        self.steps: dict[str, Step] = {s.event: s for s in spec.steps}
        self.machine = ProcedureMachine(spec.stages, spec.steps)
        self.tags: dict[str, frozenset[str]] = {
            s.event: frozenset(s.tags) for s in spec.steps
        }
        self.parameters: dict[str, ParamInfo] = {}
        self.rules: dict[str, RuleInfo] = {}
        self.order_rule: RuleInfo | None = None
        self._epochs: dict[int, Epoch] = {}
        self._boundaries: list[dt.date] = []

    @cached_property
    def decision_events(self) -> frozenset[str]:
        return frozenset(e for e, tags in self.tags.items() if self.spec.decision_tag in tags)

    @cached_property
    def selectors_of(self) -> dict[str, tuple[str, ...]]:
        return selectors_by_event(self.tags)

    @cached_property
    def stage_labels(self) -> dict[str, Text]:
        """Each stage's label (shared by every result: read only)."""
        return {sid: s.label.text() for sid, s in self.stages.items()}

    @cached_property
    def _step_labels(self) -> dict[str, Text]:
        return {ev: s.label.text() for ev, s in self.steps.items()}

    @cached_property
    def selector_labels(self) -> dict[str, Text]:
        """What `last('x')` names, in words: a step's label; for a tag, the labels of the
        steps that carry it (「决定」或「表决」)."""
        return selector_labels(self.steps)

    @cached_property
    def terms(self) -> dict[str, tuple[Term, ...]]:
        """The values this procedure and its rule sets add to vocabularies, and its steps
        (event types, by their labels), in force while a case naming it is read."""
        found: dict[str, list[Term]] = {}
        for spec, _ in self.layers:
            for name, specs in spec.terms.items():
                found.setdefault(name, []).extend(t.term() for t in specs)
        found.setdefault("step", []).extend(
            Term(ev, s.label.zh, s.label.en) for ev, s in self.steps.items())
        return {name: tuple(ts) for name, ts in found.items()}

    def stage_label(self, stage: str | None) -> Text | None:
        return self.stage_labels.get(stage) if stage is not None else None

    def step_label(self, event: str) -> Text:
        return self._step_labels.get(event) or Text(event, event)

    def rules_for_event(self, event: str) -> list[RuleInfo]:
        """Every rule attached to a step, whatever its dates (for rules show / diagrams)."""
        tags = self.tags.get(event, frozenset())
        return [
            r for r in self.rules.values()
            if r.spec.on is not None
            and (event in r.spec.on.events or tags & set(r.spec.on.tags))
        ]

    def check_runs_on(self, check: CompiledCheck, event: str) -> bool:
        """Whether a check of a rule attached to this step can apply to its events: false
        only where its condition reads nothing but the event's type and excludes this one
        (for diagrams and simulation prompts; replay decides it per epoch)."""
        env = self.epoch(dt.date.today()).env
        return decided_for_type(check.when, env, event) is not False

    def epoch(self, day: dt.date) -> Epoch:
        index = bisect.bisect_right(self._boundaries, day)
        epoch = self._epochs.get(index)
        if epoch is None:
            epoch = self._epochs[index] = self._build_epoch(day)
        return epoch

    def _build_epoch(self, day: dt.date) -> Epoch:
        params = {}
        for name, info in self.parameters.items():
            value = info.at(day)
            if value is not None:
                params[name] = value
        rules: dict[str, tuple[RuleInfo, Citation]] = {}
        by_event: dict[str, list[RuleInfo]] = {e: [] for e in self.steps}
        at_end: list[RuleInfo] = []
        for rule in self.rules.values():
            citation = rule.in_force(day)
            if citation is None or rule.spec.structural:
                if citation is not None:
                    rules[rule.id] = (rule, citation)
                continue
            if not all(p in params for p in params_used(rule)):
                continue  # a dated parameter not yet defined then: the rule did not apply
            rules[rule.id] = (rule, citation)
            assert rule.spec.on is not None
            if rule.spec.on.end:
                at_end.append(rule)
            for event in by_event:
                if event in rule.spec.on.events or self.tags[event] & set(rule.spec.on.tags):
                    by_event[event].append(rule)
        env = {name: p.value for name, p in params.items()}
        plan = {event: _plan(rs, env, event) for event, rs in by_event.items()}
        return Epoch(params, rules, by_event, at_end, plan)


@dataclass(frozen=True, eq=False)
class _EventType:
    """Stands for an event when only its type is read (see Compiled.type_only)."""

    type: str


def decided_for_type(compiled: Compiled | None, env: dict[str, Any], event: str) -> bool | None:
    """A condition's value for every event of this type, if it reads nothing but the type."""
    if compiled is None:
        return None
    test = compiled.fn if compiled.type_only else compiled.type_guard
    if test is None:
        return None
    holds = _for_type(test, env, event)
    if not compiled.type_only and holds:
        return None  # the type allows it; the rest of the condition is for replay
    return holds


def _for_type(test: Fn, env: dict[str, Any], event: str) -> bool | None:
    """A test that reads nothing of the event but its type, for an event of this type."""
    from selection_rules.lang.types import Missing

    try:
        return bool(test({**env, "event": _EventType(event)}))
    except Missing:
        return None  # left to replay, which reports it as it always has


def _left(compiled: Compiled | None, env: dict[str, Any], event: str) -> Compiled | None:
    """What of a condition is left to evaluate per event of this type: all of it, or, where
    its type-only conjuncts hold for the type (tagged('appointment') and …), the others."""
    if compiled is None or compiled.type_guard is None or compiled.type_only:
        return compiled
    if _for_type(compiled.type_guard, env, event) is not True:
        return compiled
    if compiled.residual is None:
        return None
    return replace(compiled, fn=compiled.residual, type_guard=None, residual=None)


def _plan(rules: list[RuleInfo], env: dict[str, Any], event: str) -> list[Planned]:
    """The rules and checks an event of this type runs, with type-only conditions decided."""

    out: list[Planned] = []
    for rule in rules:
        holds = decided_for_type(rule.when, env, event)
        if holds is False:
            continue
        left = _left(rule.when, env, event)
        when = left.fn if left is not None and holds is None else None
        checks: list[CompiledCheck] = []
        for check in rule.checks:
            holds = decided_for_type(check.when, env, event)
            if holds is False:
                continue
            left = None if holds else _left(check.when, env, event)
            checks.append(check if left is check.when
                          else replace(check, when=left, evaluator=None))
        if checks or when is not None:
            out.append(Planned(rule, when, checks))
    return out


def params_used(rule: RuleInfo) -> set[str]:
    used: set[str] = set()
    for c in rule.checks:
        for compiled in (c.each, c.when, c.subject, c.value, c.of, c.bound, c.require, c.actual):
            if compiled is not None:
                used |= compiled.parameters
    if rule.when is not None:
        used |= rule.when.parameters
    return used


def iter_checks(proc: Procedure) -> Iterator[tuple[RuleInfo, CompiledCheck]]:
    for rule in proc.rules.values():
        for check in rule.checks:
            yield rule, check
