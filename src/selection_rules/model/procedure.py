"""The procedure language: what a `rules/*.yaml` file may say, as pydantic models.

A file is either a *procedure* (stages, steps between them keyed by event type, and
rules) or a *rule set* (rules and parameters only, attached to steps by tags), which a
procedure `extends` or a case names in `rule_sets`. Everything a check needs to say
about itself — the quantity it measures, the bound, the legal semantics of the bound,
the base of a percentage, its citation — is data here, so that messages, lint and
diagrams can read it.
"""

# No `from __future__ import annotations`: pydantic would then evaluate every field's
# annotation from its text when the class is made, which is start-up time of the CLI.

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from selection_rules import limits
from selection_rules.i18n import Text
from selection_rules.model.defaults import new_dict, new_list
from selection_rules.model.vocabulary import SEVERITY, VOCABULARIES, Term

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# Legal-language comparison operators (PROCEDURES.md): the name says what PASSES.
Op = Literal["at_least", "more_than", "at_most", "less_than", "equal", "between"]
OP_DOC: dict[str, Text] = {
    "at_least": Text("以上/不少于（含本数，≥）", "at least (以上, includes the bound, ≥)"),
    "more_than": Text("超过/多于（不含本数，>）", "more than (超过, excludes the bound, >)"),
    "at_most": Text("以下/不超过（含本数，≤）", "at most (以下, includes the bound, ≤)"),
    "less_than": Text("不足/少于（不含本数，<）", "less than (不足, excludes the bound, <)"),
    "equal": Text("等于（=）", "equal to (=)"),
    "between": Text("在范围内（含两端）", "within the range (both ends included)"),
}


class Spec(BaseModel):
    # defer_build: a model is compiled on first use, so a run pays only for the record
    # kinds it reads (start-up time of the CLI is a target).
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              defer_build=True)


class Label(Spec):
    zh: str
    en: str

    def text(self) -> Text:
        return Text(self.zh, self.en)


class Citation(Spec):
    """Where a rule or a value comes from: a seed sentence, or an article of a regulation."""

    seed: str | None = Field(None, description="Seed file name in seeds/, e.g. 000_….txt")
    quote: str | None = Field(None, description="Verbatim sentence from the normalized seed")
    regulation: str | None = Field(None, description="e.g. 党政领导干部选拔任用工作条例")
    version: str | None = Field(None, description="Version year of the regulation, e.g. 2019")
    article: str | None = Field(None, description="Article, where verified, e.g. 第三十七条")
    chapter: str | None = Field(None, description="Chapter, where the article is not verified")
    provision: str | None = Field(None, description="What the provision says, in its words")
    note: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if self.seed is None and self.regulation is None:
            raise ValueError("a citation names a seed (with quote) or a regulation")
        if self.seed is not None and not self.quote:
            raise ValueError("a seed citation needs the quote it rests on")
        return self

    def short(self) -> str:
        if self.seed:
            return f"{self.seed}: “{self.quote}”"
        parts = [f"《{self.regulation}》"]
        if self.version:
            parts.append(f"({self.version})")
        if self.article:
            parts.append(self.article)
        elif self.chapter:
            parts.append(self.chapter)
        return " ".join(parts)


class DatedValue(Spec):
    value: Any
    citation: Citation | None = None


class Parameter(Spec):
    """A named value a check compares against, with its legal reference.

    `value` for a value that never changed; `values: {date: {value, citation}}` (as in
    OpenFisca) for one that changed, resolved by the date of the case's decision.
    """

    kind: Literal["number", "ratio", "range", "list", "text"] = "number"
    label: Label
    value: Any = None
    citation: Citation | None = None
    values: dict[dt.date, DatedValue] | None = None
    unit: Label | None = None
    terms: str | None = Field(
        None, description="The vocabulary the values are written in (e.g. body, document_kind): "
        "each value may be a code or an alias of one, and a message shows its label")
    note: str | None = None

    @model_validator(mode="after")
    def _value_or_values(self) -> Self:
        if (self.value is None) == (self.values is None):
            raise ValueError("a parameter has either `value` (with `citation`) or `values`")
        if self.value is not None and self.citation is None:
            raise ValueError("a parameter with `value` needs its `citation`")
        return self


class InForce(Spec):
    """A window of validity of a rule, with the reference in force during it."""

    from_: dt.date | None = Field(None, alias="from")
    to: dt.date | None = None
    citation: Citation


class TermSpec(Spec):
    """A value a procedure adds to a vocabulary: its code, labels and aliases."""

    code: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=new_list)

    def term(self) -> Term:
        return Term(self.code, self.zh, self.en, tuple(self.aliases))


class Stage(Spec):
    id: str
    label: Label
    initial: bool = False
    final: bool = False
    description: Label | None = None


class Step(Spec):
    """A transition: an event of type `event` moves the case from `from` to `to`."""

    event: str
    from_: str | list[str] = Field(alias="from")
    to: str
    label: Label
    tags: list[str] = Field(default_factory=new_list)
    once: bool = Field(True, description="Each post goes through this step at most once")
    optional: bool = Field(False, description="Skipping this step is not a deviation")

    def sources(self) -> list[str]:
        return [self.from_] if isinstance(self.from_, str) else list(self.from_)


class Applies(Spec):
    """Which events a rule is evaluated on: by event type or by step tag, or at the end."""

    events: list[str] = Field(default_factory=new_list)
    tags: list[str] = Field(default_factory=new_list)
    end: bool = Field(False, description="Evaluate once, after the whole case is replayed")

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not (self.events or self.tags or self.end):
            raise ValueError("`on` names events, tags, or end: true")
        return self


class Check(Spec):
    """One declarative check: a comparison against a bound, or a requirement.

    compare:  `value` (over `of`, for a share) `op` `bound`
    require:  `require` must hold; `expect` says what was required, `actual` what was found
    `each` evaluates the check once per item (bound to `as`, default `item`).
    """

    each: str | None = None
    as_: str = Field("item", alias="as")
    when: str | None = Field(None, description="The check applies only where this holds")
    subject: str | None = Field(None, description="Expression naming what is checked, e.g. item")
    quantity: Label | None = None
    value: str | int | None = None
    of: str | int | None = Field(None, description="The base of a share (ratio value/of)")
    base: Label | None = Field(None, description="What the base is, e.g. 有效票")
    op: Op | None = None
    bound: str | int | None = None
    bound_text: Label | None = Field(
        None, description="How to show the bound; may use {bound} and parameter names"
    )
    require: str | None = None
    expect: Label | None = None
    actual: str | None = None
    actual_label: Label | None = Field(
        None, description="What `actual` shows, where not what was found: e.g. {zh: 尚缺, en: "
        "missing} for a check whose `actual` lists what is missing from a required set")
    at: str | None = Field(
        None, description="Where in the event the figures stand, e.g. ballot.tallies.{item}"
    )

    @model_validator(mode="after")
    def _shape(self) -> Self:
        compare = self.value is not None
        if compare == (self.require is not None):
            raise ValueError("a check has either `value`/`op`/`bound` or `require`")
        if compare:
            missing = [n for n in ("op", "bound", "quantity") if getattr(self, n) is None]
            if missing:
                raise ValueError(f"a comparison needs {', '.join(missing)}")
            if self.of is not None and self.base is None:
                raise ValueError(
                    "a share (`of`) must name its `base` (e.g. 有效票 / valid ballots)")
        elif self.expect is None:
            raise ValueError("a requirement needs `expect` (what was required)")
        return self


class Rule(Spec):
    id: str = Field(pattern=r"^[A-Z]{2,6}-\d+[a-z]?$")
    title: Label
    severity: Annotated[Severity, SEVERITY, BeforeValidator(SEVERITY.normalize)] = "error"
    citation: Citation | None = None
    in_force: list[InForce] = Field(default_factory=new_list)
    on: Applies | None = None
    when: str | None = None
    checks: list[Check] = Field(default_factory=new_list)
    structural: bool = Field(
        False, description="This rule is the procedure's order: deviations are reported under it"
    )
    explain: Label | None = None

    @model_validator(mode="after")
    def _shape(self) -> Self:
        if self.citation is None and not self.in_force:
            raise ValueError("a rule needs a `citation` or dated `in_force` citations")
        if not self.structural and (self.on is None or not self.checks):
            raise ValueError("a rule needs `on` and `checks` (or `structural: true`)")
        return self


class Selector(Spec):
    """Part of a procedure graph: stages, steps by event type, or steps by tag."""

    stages: list[str] = Field(default_factory=new_list)
    events: list[str] = Field(default_factory=new_list)
    tags: list[str] = Field(default_factory=new_list)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not (self.stages or self.events or self.tags):
            raise ValueError("a selector names stages, events or tags")
        return self


class Property(Spec):
    """A property the procedure claims; `selection-rules lint` proves or refutes it.

    every_path_to T, passes G   every path from the initial stage that reaches T (a stage,
                                or the firing of a step) has passed G before
    never T, before G           the same claim, worded as an order: no T before G
    serves_posts N              the parameters allow a selection of N posts at once
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    label: Label | None = None
    every_path_to: Selector | None = None
    passes: Selector | None = None
    never: Selector | None = None
    before: Selector | None = None
    serves_posts: int | None = Field(None, ge=1, le=limits.MAX_POSTS)

    @model_validator(mode="after")
    def _one_claim(self) -> Self:
        forms = [
            self.every_path_to is not None or self.passes is not None,
            self.never is not None or self.before is not None,
            self.serves_posts is not None,
        ]
        if sum(forms) != 1:
            raise ValueError(
                "a property is one of: every_path_to + passes, never + before, serves_posts")
        if forms[0] and (self.every_path_to is None or self.passes is None):
            raise ValueError("every_path_to needs passes (and passes needs every_path_to)")
        if forms[1] and (self.never is None or self.before is None):
            raise ValueError("never needs before (and before needs never)")
        return self

    def gate(self) -> tuple[Selector, Selector] | None:
        """(target, gate) for a path property, None for serves_posts."""
        if self.every_path_to is not None and self.passes is not None:
            return self.every_path_to, self.passes
        if self.never is not None and self.before is not None:
            return self.never, self.before
        return None


class ProcedureSpec(Spec):
    """A whole file under rules/: a procedure or a rule set."""

    schema_: str | None = Field(None, alias="$schema")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["procedure", "rule_set"]
    title: Label
    description: Label | None = None
    applies_to: Literal["selection", "assessment", "roster", "supervision", "scoring",
                        "rectification", "assessment_scope", "score_sheets"] = Field(
        "selection",
        description="The kind of file the rules read: a selection case (default), or a "
        "record — an annual assessment file, a cadre roster, a supervision log (records.py), "
        "a points register, a rectification register, an assessment scope register, score "
        "sheets (registers.py). "
        "A rule set for a record has no steps: its rules use `on: {end: true}`",
    )
    extends: list[str] = Field(default_factory=new_list)
    decision_tag: str = Field("decision", description="Tag of the step whose date decides")
    stages: list[Stage] = Field(default_factory=new_list, max_length=limits.MAX_STAGES)
    steps: list[Step] = Field(default_factory=new_list, max_length=limits.MAX_STEPS)
    parameters: dict[str, Parameter] = Field(default_factory=new_dict)
    rules: list[Rule] = Field(default_factory=new_list)
    properties: list[Property] = Field(
        default_factory=new_list, description="Claims about the procedure that lint proves"
    )
    terms: dict[str, list[TermSpec]] = Field(
        default_factory=new_dict,
        description="Values of its own for a vocabulary (e.g. body: a county's own meeting), "
        "by vocabulary name; a case naming this file may write them, by code or alias",
    )

    @model_validator(mode="after")
    def _known_vocabularies(self) -> Self:
        unknown = sorted(set(self.terms) - set(VOCABULARIES))
        if unknown:
            raise ValueError(f"unknown vocabulary {', '.join(unknown)} under `terms` "
                             f"(known: {', '.join(VOCABULARIES)})")
        return self

    @model_validator(mode="after")
    def _kind(self) -> Self:
        if self.kind == "rule_set" and (self.stages or self.steps):
            raise ValueError("a rule set has no stages or steps; it attaches to steps by tags")
        if self.kind == "procedure" and not self.stages:
            raise ValueError("a procedure needs stages and steps")
        return self
