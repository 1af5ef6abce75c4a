"""A simulation session: a case built one event at a time, judged by replay.

The session holds the case file as plain data (what `--save` writes) and nothing else;
every question about it — where each post stands, which checks failed — is answered by
validating that data into a `model.case.Case` and replaying it with the same code
`validate` runs. Adding an event shows the violations replay attributes to that event;
a what-if change shows the violations that appear, disappear or change.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from selection_rules.engine.compiled import Procedure
from selection_rules.engine.library import Library, shipped_rules_dir
from selection_rules.engine.pipeline import judge, load_procedure, to_model
from selection_rules.engine.violations import CaseResult, Violation
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.model.case import Case, Event, reference_problems
from selection_rules.model.procedure import Step
from selection_rules.model.values import decimal_text
from selection_rules.model.vocabulary import declared
from selection_rules.report.outputs import Outputs, Spot
from selection_rules.source.document import Document
from selection_rules.source.edited import EditedDocument
from selection_rules.source.model_errors import validation_problems
from selection_rules.source.paths import PathError, assign_at, format_loc, parse_loc

Loc = tuple[str | int, ...]

# Keys of a case file before its events, in the order a saved file lists them.
HEADER_ORDER = ("case", "procedure", "rule_sets", "unit", "decision_date", "posts", "candidates")


@dataclass(frozen=True)
class OpenStep:
    """A step that can be taken next, from the current stage of the posts listed."""

    step: Step
    posts: tuple[str, ...]
    source: str
    dest: str


@dataclass
class Added:
    index: int
    event: dict[str, Any]
    before: dict[str, str]
    after: dict[str, str]
    violations: list[Violation]


@dataclass
class Change:
    """A what-if: one figure changed, and how the violations moved."""

    path: str
    old: Any
    new: Any
    appeared: list[Violation] = field(default_factory=list)
    disappeared: list[Violation] = field(default_factory=list)
    changed: list[tuple[Violation, Violation]] = field(default_factory=list)


class Session:
    def __init__(self, proc: Procedure, data: dict[str, Any], calendar: WorkCalendar,
                 source: Document | None = None) -> None:
        self.proc = proc
        self.calendar = calendar
        self.data = data
        self.data.setdefault("events", [])
        # Snapshots of `data` before each action, for undo.
        self.history: list[tuple[Text, dict[str, Any]]] = []
        self._result: CaseResult | None = None
        self._case: Case | None = None
        # The case as read from `--from` (for located errors); a new session has none.
        self.source = source
        # The case as last written (the --from file holds it): quitting without saving
        # what differs from it asks first.
        self._saved = copy.deepcopy(data) if source is not None else None
        self.case()  # a bad header is an input error at once, not at the first step

    # ------------------------------------------------------------------ construction

    @classmethod
    def new(cls, proc: Procedure, header: dict[str, Any], calendar: WorkCalendar,
            doc: Document | None = None, prefix: Loc = ()) -> Session:
        """A session with no events yet; `header` holds case, unit, posts, candidates."""
        named = header.get("procedure", proc.id)
        if named != proc.id:
            where = doc if doc is not None else Document("<session>", "yaml", header)
            raise InputError.at(
                where.path, Text(f"程序为 {proc.id}，而此处写的是 {named}",
                                 f"the procedure is {proc.id}, not {named}"),
                line=where.line_of((*prefix, "procedure")),
                field=format_loc((*prefix, "procedure")))
        data: dict[str, Any] = {"case": "SIM-1", "procedure": proc.id}
        if proc.rule_sets:
            data["rule_sets"] = list(proc.rule_sets)
        data.update((k, copy.deepcopy(v)) for k, v in header.items() if k != "events")
        data["procedure"] = proc.id
        data["events"] = []
        if doc is not None:
            try:
                with declared(proc.terms):
                    Case.model_validate(data)
            except ValidationError as exc:
                # Say it where the script wrote the header.
                raise InputError(validation_problems(doc, exc, prefix=prefix)) from None
        return cls(proc, data, calendar)

    @classmethod
    def resume(cls, doc: Document, library: Library, calendar: WorkCalendar) -> Session:
        """A session over an existing case file, at the stage its last event reached: the
        file through the pipeline's stages as far as its procedure (from the cache)."""
        case: Case = to_model(doc, "selection", library)  # type: ignore[assignment]
        proc = load_procedure(case.procedure, library, tuple(case.rule_sets))
        return cls(proc, copy.deepcopy(doc.data), calendar, source=doc)

    # ------------------------------------------------------------------ reading the state

    @property
    def events(self) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = self.data["events"]
        return events

    def case(self) -> Case:
        if self._case is None:
            try:
                with declared(self.proc.terms):
                    case = Case.model_validate(self.data)
            except ValidationError as exc:
                raise InputError(validation_problems(self.document(), exc)) from None
            refs = reference_problems(case)
            if refs:
                raise InputError([Problem(self.source.path if self.source else "<session>",
                                          message, None, None, format_loc(loc))
                                  for loc, message in refs])
            self._case = case
        return self._case

    def document(self) -> Document:
        """The case as it stands, located in the --from file where it still matches it."""
        if self.source is not None:
            return EditedDocument(self.source, self.data)
        return Document("<session>", "yaml", self.data)

    def result(self) -> CaseResult:
        """What `validate` would report for the case as it stands, with the same code."""
        if self._result is None:
            self._result = judge(self.proc, self.case(), self.calendar, self.document())
        return self._result

    def stages(self) -> dict[str, str]:
        """Post -> the stage its track stands at, resynchronised as replay does."""
        machine = self.proc.machine
        case = self.case()
        out: dict[str, str] = {}
        for post in case.posts:
            stage = machine.initial
            for ev in case.events:
                if (ev.posts and post.id not in ev.posts) or not machine.knows(ev.type):
                    continue
                dest = machine.fire(ev.type, stage)
                if dest is None:
                    gap = machine.path(stage, machine.sources(ev.type))
                    if gap is None:
                        continue  # out of order or repeated: the track stays where it was
                    stage = gap[-1].dest if gap else stage
                    dest = machine.fire(ev.type, stage)
                stage = dest or stage
            out[post.id] = stage
        return out

    def open_steps(self) -> list[OpenStep]:
        """Steps open from where the posts stand, in the procedure's own order."""
        by_source: dict[tuple[str, str], list[str]] = {}
        for post, stage in self.stages().items():
            for edge in self.proc.machine.out(stage):
                by_source.setdefault((edge.step.event, stage), []).append(post)
        order = list(self.proc.steps)
        out = [
            OpenStep(self.proc.steps[event], tuple(posts), source,
                     self.proc.machine.fire(event, source) or source)
            for (event, source), posts in by_source.items()
        ]
        return sorted(out, key=lambda o: (order.index(o.step.event), o.source))

    @property
    def finished(self) -> bool:
        return all(stage in self.proc.machine.finals for stage in self.stages().values())

    def default_posts(self, step: OpenStep) -> list[str]:
        """Posts an event of `step` names by default: none when it concerns every post."""
        every = [p.id for p in self.case().posts]
        return [] if list(step.posts) == every else list(step.posts)

    def last_date(self) -> dt.date | None:
        dates = [ev.date for ev in self.case().events]
        return dates[-1] if dates else None

    # ------------------------------------------------------------------ actions

    def _invalidate(self) -> None:
        self._case = None
        self._result = None

    def add(self, event: dict[str, Any], doc: Document | None = None,
            prefix: Loc = ()) -> Added:
        """Record one event; raise InputError (located in `doc` at `prefix`) if unusable."""
        where = doc if doc is not None else Document("<event>", "yaml", event)
        try:
            Event.model_validate(event)
        except ValidationError as exc:
            raise InputError(validation_problems(where, exc, prefix=prefix)) from None
        before = self.stages()
        index = len(self.events)
        snapshot = copy.deepcopy(self.data)
        self.events.append(copy.deepcopy(event))
        self._invalidate()
        try:
            refs = reference_problems(Case.model_validate(self.data))
        except ValidationError:
            refs = []
        mine = [(loc[2:], msg) for loc, msg in refs if loc[:2] == ("events", index)]
        if mine:
            self.data = snapshot
            self._invalidate()
            raise InputError([
                Problem(where.path, msg, where.line_of((*prefix, *loc)), None,
                        format_loc((*prefix, *loc)))
                for loc, msg in mine])
        try:
            # As validate judges: an event may make the case unusable as a whole (a
            # decision date that contradicts the decision recorded).
            found = [v for v in self.result().violations if v.event_index == index]
        except InputError:
            self.data = snapshot
            self._invalidate()
            raise
        label = self.proc.step_label(str(event.get("type")))
        self.history.append((Text(f"步骤「{label.zh}」", f"step '{label.en}'"), snapshot))
        return Added(index, event, before, self.stages(), found)

    def undo(self) -> Text | None:
        """Take back the last action (an event added or a figure changed); say which."""
        if self.history:
            what, snapshot = self.history.pop()
            self.data = snapshot
        elif self.events:  # an event of the case this session resumed from
            event = self.events.pop()
            label = self.proc.step_label(str(event.get("type")))
            what = Text(f"步骤「{label.zh}」", f"step '{label.en}'")
        else:
            return None
        self._invalidate()
        return what

    def set(self, path: str, value: Any) -> Change:
        """Change one value of the case (`events[3].ballot.tallies.C03.agree`) and diff."""
        loc = parse_path(path)
        before = self.result().violations
        trial = copy.deepcopy(self.data)
        old = assign(trial, loc, value)
        saved = self.data
        self.data = trial
        self._invalidate()
        try:
            after = self.result().violations
        except InputError as exc:
            self.data = saved
            self._invalidate()
            lead = Problem("--set", Text(f"改动 {path} 后案卷不再有效（改动未采用）：",
                                         f"after changing {path} the case is no longer valid "
                                         "(the change was not kept):"))
            raise InputError([lead, *exc.problems]) from None
        self.history.append((Text(f"改动 {path}", f"change of {path}"), saved))
        return diff(path, old, value, before, after)

    def unfinished_steps(self) -> list[Violation]:
        return [v for v in self.result().violations if v.kind == "incomplete"]

    # ------------------------------------------------------------------ saving

    def to_yaml(self, target: Path | None = None) -> str:
        ordered: dict[str, Any] = {k: self.data[k] for k in HEADER_ORDER if k in self.data}
        ordered.update((k, v) for k, v in self.data.items()
                       if k not in ordered and k not in ("events", "$schema"))
        ordered["events"] = self.events
        body = yaml.safe_dump(_plain(ordered), allow_unicode=True, sort_keys=False,
                              default_flow_style=False, width=100)
        return f"# yaml-language-server: $schema={schema_ref(target)}\n{body}"

    @property
    def unsaved(self) -> bool:
        return self._saved != self.data

    def save(self, target: Path, outputs: Outputs | None = None, spot: Spot | None = None,
             ) -> None:
        """Write the case to `target`, where `outputs` allows (by default: a new file)."""
        outputs = outputs or Outputs()
        spot = spot or Spot(str(target))
        outputs.check(target, spot)  # first: the text names the schema relative to it
        outputs.write(target, self.to_yaml(target).encode("utf-8"), spot)
        self._saved = copy.deepcopy(self.data)


def schema_ref(target: Path | None) -> str:
    """The case schema, relative to the saved file where the project's schemas are."""
    schemas = shipped_rules_dir().parent / "schemas" / "case.schema.json"
    if target is not None and schemas.is_file():
        return Path(os.path.relpath(schemas.resolve(), target.resolve().parent)).as_posix()
    return "case.schema.json"


def _plain(value: Any) -> Any:
    """Data yaml.safe_dump can write and the case loader reads back exactly."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return value.numerator
        return decimal_text(value)  # 85.5, or 1/3 where no decimal ends
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)  # a value read through a vocabulary: its code
    return value


# ---------------------------------------------------------------------------- what-if

def parse_path(path: str) -> Loc:
    """`events[3].ballot.tallies.C03.agree` -> ('events', 3, 'ballot', 'tallies', ...)."""
    try:
        return parse_loc(path)
    except PathError as exc:
        raise InputError.at("--set", exc.message, column=exc.column,
                            expected=exc.expected) from None


def assign(data: Any, loc: Loc, value: Any) -> Any:
    """Set `value` at `loc` in `data`; return the old value (None if there was none).

    A what-if may add mappings on the way (`events[2].meeting.present` on an event
    recorded without a meeting): the whole case is validated again afterwards, and a
    change that leaves it invalid is refused and not kept.
    """
    try:
        return assign_at(data, loc, value, make_parents=True)
    except PathError as exc:
        where = format_loc(loc)
        raise InputError.at("--set", Text(f"无法改动 {where}：{exc.message.zh}",
                                          f"cannot set {where}: {exc.message.en}"),
                            expected=exc.expected) from None


def _key(v: Violation) -> tuple[object, ...]:
    return (v.rule_id, v.kind, v.loc, v.post, v.event_index)


def diff(path: str, old: Any, new: Any, before: list[Violation],
         after: list[Violation]) -> Change:
    change = Change(path, old, new)
    was = {_key(v): v for v in before}
    now = {_key(v): v for v in after}
    change.appeared = [v for k, v in now.items() if k not in was]
    change.disappeared = [v for k, v in was.items() if k not in now]
    change.changed = [(was[k], v) for k, v in now.items()
                      if k in was and was[k].message != v.message]
    return change
