"""What `selection-rules lint` can find: one kind per problem, each with an ID and a fix.

The IDs are stable (users silence or grep them): L1xx schema and references, L2xx the
graph, L3xx declared properties, L4xx parameter bounds, L5xx sources.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from selection_rules.i18n import Text
from selection_rules.model.procedure import Severity


@dataclass(frozen=True)
class Kind:
    id: str
    name: str
    severity: Severity
    hint: Text


def _k(id_: str, name: str, severity: Severity, zh: str, en: str) -> Kind:
    return Kind(id_, name, severity, Text(zh, en))


KINDS: dict[str, Kind] = {k.id: k for k in (
    _k("L100", "schema", "error",
       "按 schemas/procedure.schema.json 修正该字段（编辑器可据此补全）",
       "fix the field as schemas/procedure.schema.json describes (editors can complete it)"),
    _k("L101", "unknown-stage", "error",
       "使用 stages 中声明的阶段 id，或先声明该阶段",
       "use a stage id declared under stages, or declare the stage"),
    _k("L102", "unknown-event", "error",
       "使用 steps 中某一步骤的 event，或为该事件添加步骤",
       "use the event of one of the steps, or add a step for that event"),
    _k("L103", "unknown-tag", "error",
       "给某个步骤加上该标签（tags），或改用步骤实际带有的标签",
       "add the tag to a step (tags), or use a tag a step carries"),
    _k("L104", "bad-expression", "error",
       "只使用案卷模型中的字段、声明过的参数和内置函数；嵌套太深的表达式拆成几条较简单的检查",
       "use only case-file fields, declared parameters and the built-in functions; split an "
       "expression nested too deeply into simpler checks"),
    _k("L105", "bad-parameter-value", "error",
       "按参数的 kind 书写取值：80%、2/3、1:3、5~7 或文字列表",
       "write the value as the parameter's kind says: 80%, 2/3, 1:3, 5~7 or a list of text"),
    _k("L106", "bad-extends", "error",
       "extends 只列出存在的规则集，且不得循环",
       "extends lists existing rule sets only, without cycles"),
    _k("L107", "id-mismatch", "error",
       "文件名须与 id 一致：<id>.yaml", "name the file after its id: <id>.yaml"),
    _k("L108", "structure", "error",
       "程序需要唯一的初始阶段、至少一个终止阶段、一条顺序规则，阶段与步骤各不重复",
       "a procedure needs one initial stage, a final stage, one order rule, and no repeats"),
    _k("L110", "duplicate-rule-id", "error",
       "规则编号在整个规则库中唯一：改用未被占用的编号",
       "rule ids are unique across the library: pick an unused id"),
    _k("L111", "unknown-in-property", "error",
       "性质只能引用本程序的阶段、步骤事件和标签",
       "a property refers only to the procedure's stages, step events and tags"),
    _k("L201", "unreachable-stage", "error",
       "添加一个通向该阶段的步骤，或删除该阶段",
       "add a step into the stage, or remove it"),
    _k("L202", "dead-end-stage", "error",
       "添加一条从该阶段通向终止阶段的步骤，或将其标为 final",
       "add a step from the stage towards a final stage, or mark it final"),
    _k("L203", "step-never-fires", "error",
       "让该步骤的 from 指向可到达的阶段，或删除该步骤",
       "make the step's `from` a reachable stage, or remove the step"),
    _k("L204", "rule-never-applies", "warning",
       "让规则的 on 指向会发生的步骤",
       "point the rule's `on` at steps that can happen"),
    _k("L301", "property-refuted", "error",
       "沿反例路径补上应经过的步骤，或修正性质的声明",
       "add the missing gate on the counterexample path, or correct the property"),
    _k("L401", "bounds-contradict", "error",
       "调整相互矛盾的参数（范围、比例或职位数），使它们能同时满足",
       "change the contradicting parameters (range, ratio or number of posts) so that they "
       "can all hold"),
    _k("L402", "share-bound-impossible", "error",
       "比例的界限应在 0 与 100% 之间（以上/超过 的界限不超过 100%）",
       "a share's bound lies between 0 and 100% (at most 100% for at least / more than)"),
    _k("L403", "quorum-below-half", "error",
       "到会比例不应低于半数；全国条例要求三分之二以上",
       "a quorum is at least a half; the national regulation requires two thirds"),
    _k("L404", "majority-below-half", "warning",
       "决定所需的同意票应“超过半数”（more_than 1/2）",
       "a decision needs more than half of the votes (more_than 1/2)"),
    _k("L501", "quote-not-in-seed", "error",
       "从 seeds/normalized/ 中逐字复制引文（繁体字和半角逗号保持原样）",
       "copy the quote verbatim from seeds/normalized/ (Traditional characters and ASCII "
       "commas as they are)"),
    _k("L502", "unknown-seed", "error",
       "seed 写 seeds/ 中的文件名，例如 000_1d6b22ca1a2a0151.txt",
       "name a file of seeds/, e.g. 000_1d6b22ca1a2a0151.txt"),
    _k("L503", "rule-without-citation", "error",
       "为规则添加 citation（seed 与 quote，或 regulation），或带引文的 in_force",
       "give the rule a citation (seed and quote, or regulation) or dated in_force citations"),
    _k("L504", "parameter-without-citation", "error",
       "为参数的每个取值注明依据（citation）", "cite the source of each value of the parameter"),
)}


@dataclass
class Finding:
    kind: str
    file: str
    line: int | None
    message: Text
    field: str | None = None
    # A counterexample: the steps (event types) of a path that breaks a property.
    path: list[str] = dataclasses.field(default_factory=list)

    @property
    def severity(self) -> Severity:
        return KINDS[self.kind].severity

    @property
    def name(self) -> str:
        return KINDS[self.kind].name

    @property
    def hint(self) -> Text:
        return KINDS[self.kind].hint

    def key(self) -> tuple[str, str, int | None, str]:
        return (self.kind, self.file, self.line, self.message.en)

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.kind,
            "name": self.name,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message.as_dict(),
            "hint": self.hint.as_dict(),
        }
        if self.path:
            out["counterexample"] = self.path
        return out


@dataclass
class Proof:
    """A declared property that lint proved."""

    file: str
    line: int | None
    property: str
    message: Text

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "property": self.property,
                "message": self.message.as_dict()}
