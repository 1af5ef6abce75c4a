"""The values a clerk may type in each enumerated field, with their Chinese and English
names: what `new` lists in the blank case's comments and the workbook template offers in
its drop-down lists.

Read from what the case models declare: a field typed with a vocabulary of
model/vocabulary.py lists its terms (code, Chinese and English names); a `Literal`
field without one, its values named by its description; a free-text field, its usual
values where its description lists them (`e.g. standing_committee 常委会`); for
`events.type`, the steps of the procedure. This is the one place either reads them.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from pydantic import BaseModel

if TYPE_CHECKING:
    from selection_rules.engine.compiled import Procedure
    from selection_rules.model.vocabulary import Vocabulary

_CJK = re.compile(r"[\u3400-\u9fff\uff08\uff09（）“”]+")
_SEGMENT = re.compile(r"\s*(?:/|,|，|;|\bor\b)\s*")


@dataclass(frozen=True)
class Allowed:
    value: str  # what the case file holds
    zh: str | None  # its Chinese name, where the model gives one
    en: str

    def shown(self) -> str:
        return f"{self.value} {self.zh}" if self.zh else self.value


@dataclass(frozen=True)
class Choices:
    values: tuple[Allowed, ...]
    closed: bool  # only these (a Literal), or the usual ones of a free text

    def listed(self, sep: str = " / ") -> str:
        return sep.join(a.shown() for a in self.values)


def allowed_values(procedure: Procedure | None = None) -> dict[str, Choices]:
    """Field path below the case (`events.ballot.kind`, `posts.reason`) → its values."""
    from selection_rules.model.case import Case

    out: dict[str, Choices] = {}
    _walk(Case, (), out, set())
    if procedure is not None:
        out["events.type"] = Choices(tuple(
            Allowed(step.event, step.label.text().zh, step.label.text().en)
            for step in procedure.spec.steps), True)
    return out


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(args) == 1 or models:
                annotation = (models or args)[0]
            else:
                return annotation
        else:
            return annotation


def _walk(model: type[BaseModel], path: tuple[str, ...], out: dict[str, Choices],
          seen: set[type[BaseModel]]) -> None:
    if model in seen:
        return
    seen = seen | {model}
    for name, info in model.model_fields.items():
        here = ".".join((*path, name))
        vocabulary = _vocabulary(info.annotation, info.metadata)
        if vocabulary is not None:
            if vocabulary.name != "step":  # the procedure's own steps, below
                out[here] = Choices(tuple(Allowed(t.code, t.zh, t.en) for t in vocabulary.terms),
                                    not vocabulary.open)
            continue
        ann = _unwrap(info.annotation)
        origin = typing.get_origin(ann)
        if origin in (list, dict):
            ann = _unwrap(typing.get_args(ann)[-1])
            origin = typing.get_origin(ann)
        description = info.description or ""
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            _walk(ann, (*path, name), out, seen)
        elif origin is typing.Literal:
            values = [str(v) for v in typing.get_args(ann)]
            out[here] = Choices(tuple(Allowed(v, _named(v, description), v)
                                      for v in values), True)
        elif ann is str and "e.g." in description:
            usual = _usual(description.split("e.g.", 1)[1])
            if usual:
                out[here] = Choices(usual, False)


def _vocabulary(annotation: Any, metadata: list[Any]) -> Vocabulary | None:
    """The vocabulary a field's values are read through: `Annotated[str, BODY]`, or a
    Literal normalized by `BeforeValidator(VOCAB.normalize)`, at any depth of lists,
    dicts and optionals."""
    from pydantic.functional_validators import BeforeValidator

    from selection_rules.model.vocabulary import Vocabulary

    for extra in metadata:
        if isinstance(extra, Vocabulary):
            return extra
        if isinstance(extra, BeforeValidator):
            owner = getattr(extra.func, "__self__", None)
            if isinstance(owner, Vocabulary):
                return owner
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        args = typing.get_args(annotation)
        return _vocabulary(args[0], list(args[1:]))
    if origin in (list, dict, Union, types.UnionType):
        for arg in typing.get_args(annotation)[-1:] if origin is dict else \
                typing.get_args(annotation):
            found = _vocabulary(arg, [])
            if found is not None:
                return found
    return None


def _named(value: str, description: str) -> str | None:
    """The Chinese words beside `value` in a description such as `无记名 secret / 署名 signed`:
    the nearest before it, else the first after it. A Chinese value (年度考核's 优秀) is its
    own name: the words beside it are some other text's."""
    if not value.isascii():
        return None
    for segment in _SEGMENT.split(description):
        m = re.search(rf"(?<![a-z_]){re.escape(value)}(?![a-z_])", segment)
        if m:
            before = _CJK.findall(segment[:m.start()])
            after = _CJK.findall(segment[m.end():])
            words = (before[-1] if before else after[0] if after else "").strip("（）()“”")
            return words or None
    return None


_USUAL = re.compile(r"([a-z][a-z0-9_]*)(?:\s+([\u3400-\u9fff]+))?[\s).]*")


def _usual(text: str) -> tuple[Allowed, ...]:
    found: list[Allowed] = []
    for segment in _SEGMENT.split(text.strip()):
        m = _USUAL.fullmatch(segment)
        if m and (m.group(2) or "_" in m.group(1)):
            found.append(Allowed(m.group(1), m.group(2), m.group(1)))
    return tuple(found)
