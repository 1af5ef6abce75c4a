"""Which fields of an event a step's checks read, and how to type one in at a prompt.

The procedure never lists the data a step must record; its checks do. Every compiled
expression keeps the data paths it reads (`event.ballot.tallies[item].agree`,
`last('democratic_recommendation').ballot.valid`), so the fields a step needs are the
paths its own rules read under `event.` plus those any rule reads from it later through
`last('<event or tag>')`. The simulator asks for exactly those (and the fields the case
model requires of a section once it is there), in the case model's own field order.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, Union

from pydantic import BaseModel

from selection_rules.engine.compiled import Procedure, iter_checks
from selection_rules.i18n import Text
from selection_rules.model import case as casefile
from selection_rules.model.values import parse_number
from selection_rules.model.vocabulary import VOCABULARIES, Vocabulary

FieldPath = tuple[str, ...]

# `last('x').ballot.valid`, `first('x').date`: a selector function and the rest of the path.
_SELECTOR = re.compile(r"^[a-z_]+\('([^']+)'\)\.?(.*)$")
_INDEX = re.compile(r"\[[^\]]*\]")
# A check guarded by `when: tagged('x')` reads nothing on steps without the tag.
_TAGGED = re.compile(r"^\s*tagged\('([^']+)'\)\s*$")

Kind = Literal["text", "int", "number", "date", "bool", "choice", "ids", "texts",
               "tallies", "scores", "per_candidate_texts"]


@dataclass(frozen=True)
class Field:
    """One field the simulator asks for: where it goes in the event, and what it holds."""

    path: FieldPath
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()
    description: str = ""
    # The vocabulary of a choice: its labels and aliases are accepted too (全委会, 无记名).
    vocabulary: str | None = None

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the annotation without Optional/Annotated, whether None is allowed)."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation, optional


def _kind(annotation: Any) -> tuple[Kind, tuple[str, ...]] | None:
    """How a leaf annotation is typed in; None for what the prompt does not ask."""
    ann, _ = _unwrap(annotation)
    origin = typing.get_origin(ann)
    if origin is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(ann))
    if origin is list:
        return ("texts", ()) if _unwrap(typing.get_args(ann)[0])[0] is str else None
    if origin is dict:
        value = _unwrap(typing.get_args(ann)[1])[0]
        if value is casefile.Tally:
            return "tallies", ()
        if value is Fraction:
            return "scores", ()
        if typing.get_origin(value) is list:
            return "per_candidate_texts", ()
        return None
    if ann is bool:
        return "bool", ()
    if ann is int:
        return "int", ()
    if ann is Fraction:
        return "number", ()
    if ann is dt.date:
        return "date", ()
    if ann is str:
        return "text", ()
    return None


# Event fields that hold candidate ids (typed as a list of ids, checked against the case).
_ID_LISTS = frozenset({"candidates", "result", "speeches", "introductions", "posts"})


def _leaf(path: FieldPath) -> Field | None:
    model: type[BaseModel] = casefile.Event
    for i, part in enumerate(path):
        info = model.model_fields.get(part)
        if info is None:
            return None
        ann, optional = _unwrap(info.annotation)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            if i == len(path) - 1:
                return None  # a whole section: its leaves are asked for one by one
            model = ann
            continue
        vocabulary = _vocabulary(info.metadata, info.annotation)
        kind: tuple[Kind, tuple[str, ...]] | None = (
            ("choice", tuple(t.code for t in vocabulary.all_terms()))
            if vocabulary is not None and not vocabulary.open else _kind(info.annotation))
        if kind is None:
            return None
        name, choices = kind
        if name == "texts" and len(path) == 1 and part in _ID_LISTS:
            name = "ids"
        required = info.is_required() and not optional
        return Field(path[: i + 1], name, required, choices, info.description or "",
                     vocabulary.name if vocabulary is not None else None)
    return None


def _vocabulary(metadata: list[Any], annotation: Any) -> Vocabulary | None:
    """The vocabulary a field's values are in (Annotated[str, BODY], maybe Optional)."""
    found = [m for m in metadata if isinstance(m, Vocabulary)]
    while not found and annotation is not None:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            found = [m for m in typing.get_args(annotation)[1:] if isinstance(m, Vocabulary)]
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else None
        else:
            annotation = None
    return found[0] if found else None


def _paths_read(proc: Procedure, event: str) -> set[FieldPath]:
    own = {r.id for r in proc.rules_for_event(event)}
    selectors = {event, *proc.tags.get(event, frozenset())}
    found: set[FieldPath] = set()
    for rule, check in iter_checks(proc):
        if not proc.check_runs_on(check, event):
            continue
        compiled = [check.each, check.when, check.subject, check.value, check.of, check.bound,
                    check.require, check.actual]
        if rule.when is not None:
            compiled.append(rule.when)
        for c in compiled:
            if c is None:
                continue
            for read in c.reads:
                rest: str | None = None
                if read.startswith("event.") and rule.id in own:
                    rest = read[len("event."):]
                elif (m := _SELECTOR.match(read)) and m.group(1) in selectors:
                    rest = m.group(2)
                if rest:
                    found.add(tuple(p for p in _INDEX.sub("", rest).split(".") if p))
    return found


def _order(model: type[BaseModel], path: FieldPath) -> tuple[int, ...]:
    out: list[int] = []
    for part in path:
        names = list(model.model_fields)
        out.append(names.index(part) if part in names else len(names))
        ann = _unwrap(model.model_fields[part].annotation)[0] if part in names else None
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            model = ann
    return tuple(out)


def fields_for(proc: Procedure, event: str) -> list[Field]:
    """The fields to ask for when recording `event` (date and posts are asked always)."""
    leaves: dict[FieldPath, Field] = {}
    for path in _paths_read(proc, event):
        # A path may stop at a section (`event.ballot`) or go past a leaf (`tallies[item]`).
        for n in range(len(path), 0, -1):
            leaf = _leaf(path[:n])
            if leaf is not None:
                leaves.setdefault(leaf.path, leaf)
                break
    # A section once present needs the fields the case model requires of it.
    sections = {p[0] for p in leaves if len(p) > 1}
    for section in sections:
        ann = _unwrap(casefile.Event.model_fields[section].annotation)[0]
        for name, info in ann.model_fields.items():
            if info.is_required():
                leaf = _leaf((section, name))
                if leaf is not None:
                    leaves.setdefault(leaf.path, leaf)
    # Tallies, scores and write-ups are per candidate: ask whom the step considers first.
    if any(f.kind in ("tallies", "scores", "per_candidate_texts") for f in leaves.values()):
        leaves.setdefault(("candidates",), _leaf(("candidates",)))  # type: ignore[arg-type]
    leaves.pop(("date",), None)
    leaves.pop(("type",), None)
    leaves.pop(("posts",), None)
    return sorted(leaves.values(), key=lambda f: _order(casefile.Event, f.path))


# What the prompt calls the fields it asks for most; others show the model's description.
LABELS: dict[str, Text] = {
    "candidates": Text("本步骤考虑的人选", "candidates this step considers"),
    "result": Text("本步骤产生的名单", "the list this step produces"),
    "speeches": Text("作演讲的人选", "candidates who gave a speech"),
    "introductions": Text("逐一介绍的人选", "candidates introduced one by one"),
    "motion.by": Text("动议提出者", "moved by"),
    "motion.reason": Text("动议原因", "reason"),
    "meeting.body": Text("会议（如 standing_committee、plenary）",
                         "body (e.g. standing_committee, plenary)"),
    "meeting.entitled": Text("应到会成员数", "members who should attend"),
    "meeting.present": Text("实到会成员数", "members present"),
    "meeting.main_leader": Text("主要负责人", "main leader"),
    "meeting.speaking_order": Text("表态顺序", "speaking order"),
    "ballot.kind": Text("投票方式（secret 无记名 / signed 署名 / open 公开）",
                        "ballot (secret / signed / open)"),
    "ballot.entitled": Text("应参加人数", "people entitled to vote"),
    "ballot.returned": Text("收回票数", "ballots returned"),
    "ballot.valid": Text("有效票数", "valid ballots"),
    "ballot.signed_by": Text("推荐票上署名的人", "voters named on the ballots"),
    "ballot.tallies": Text("各人选得票", "votes per candidate"),
    "publicity.start": Text("公示开始日期", "publicity starts"),
    "publicity.end": Text("公示结束日期", "publicity ends"),
    "scores": Text("各人选得分", "score per candidate"),
}


def label(field: Field) -> Text:
    known = LABELS.get(field.dotted)
    if known is not None:
        return known
    return Text(f"{field.dotted} {field.description}".strip(),
                f"{field.dotted} {field.description}".strip())


# ---------------------------------------------------------------------------- typed input


class BadInput(ValueError):
    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


def split_list(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[,，、;；\s]+", text) if p.strip()]


def parse_field(field: Field, text: str) -> Any:
    """The value typed for `field` (one line of input), as the case file would hold it."""
    text = text.strip()
    if field.kind == "ids":
        return split_list(text)
    if field.kind == "texts":
        # Names may contain spaces; they are separated by commas or semicolons.
        return [p.strip() for p in re.split(r"[,，、;；]", text) if p.strip()]
    if field.kind == "int":
        if not re.fullmatch(r"\d+", text):
            raise BadInput(Text(f"{text!r} 不是非负整数", f"{text!r} is not a whole number ≥ 0"))
        return int(text)
    if field.kind == "number":
        try:
            return parse_number(text)
        except ValueError:
            raise BadInput(Text(f"{text!r} 不是数字（如 85、85.5、2/3）",
                                f"{text!r} is not a number (e.g. 85, 85.5, 2/3)")) from None
    if field.kind == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise BadInput(Text(f"{text!r} 不是日期（YYYY-MM-DD）",
                                f"{text!r} is not a date (YYYY-MM-DD)")) from None
    if field.kind == "bool":
        low = text.lower()
        if low in ("y", "yes", "true", "是", "1"):
            return True
        if low in ("n", "no", "false", "否", "0"):
            return False
        raise BadInput(Text(f"{text!r} 不是 是/否", f"{text!r} is not yes or no"))
    if field.kind == "choice":
        if field.vocabulary is not None:
            vocabulary = VOCABULARIES[field.vocabulary]
            term = vocabulary.find(text)
            if term is None:
                raise BadInput(vocabulary.unknown(text))
            return term.code
        if text not in field.choices:
            listed = ", ".join(field.choices)
            raise BadInput(Text(f"{text!r} 不是可选值（{listed}）",
                                f"{text!r} is not one of {listed}"))
        return text
    return text


def parse_tally(text: str) -> dict[str, int]:
    """`110/8/2` (agree/disagree/abstain; the last two may be left out)."""
    parts = [p.strip() for p in re.split(r"[/,，\s]+", text.strip()) if p.strip()]
    if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d+", p) for p in parts):
        raise BadInput(Text(f"{text!r} 应写成 同意/不同意/弃权，如 110/8/2",
                            f"{text!r} should read agree/disagree/abstain, e.g. 110/8/2"))
    numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
    return {"agree": numbers[0], "disagree": numbers[1], "abstain": numbers[2]}
