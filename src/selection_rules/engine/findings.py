"""A check that failed, worded: the `Finding` an evaluator appends (with the figures and
the message a clerk reads), and the `Violation` it becomes.

Only failing checks come here: a clean case never builds a message.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from pydantic import BaseModel

from selection_rules.engine.compiled import CompiledCheck, ParamValue, RuleInfo
from selection_rules.engine.violations import Violation
from selection_rules.engine.wording import lacking, words
from selection_rules.i18n import Text
from selection_rules.lang.types import Env, Missing
from selection_rules.model.procedure import Citation
from selection_rules.model.values import decimal_text, percent, show, too_large
from selection_rules.source.paths import Hole, PathError, fill_loc, parse_loc_template

# The bounds a share is cross-multiplied with (bool, an int too, is not a bound).
EXACT = frozenset({int, Fraction})

# How a failed comparison reads: the legal word for what the value was instead.
FAILED: dict[str, Text] = {
    "at_least": Text("不足", "below"),
    "more_than": Text("未超过", "not more than"),
    "at_most": Text("超过", "above"),
    "less_than": Text("不少于", "not below"),
    "equal": Text("不等于", "not equal to"),
    "between": Text("不在范围", "outside"),
}


class Finding:
    """A failed check (or a value it could not find), before it becomes a Violation."""

    __slots__ = ("check", "figures", "index", "item", "message", "missing")

    def __init__(self, check: CompiledCheck, item: object, message: Text,
                 figures: dict[str, object], missing: bool = False) -> None:
        self.check = check
        self.item = item
        self.message = message
        self.figures = figures
        self.missing = missing
        self.index: int | None = None  # the item's place in the check's `each` list

    def path(self, root: str,
             extra: dict[str, str | int] | None = None) -> tuple[str | int, ...]:
        """Where the finding points, relative to the event (root `event`) or the record.

        The check's `at:` template says it (`{index}` is the item's place in the
        `each` list, `{item}` the item's id, put in as one key whatever characters it
        has); without one, a check over `each: event.x` points at `x[index]`.
        """
        check = self.check
        template = check.spec.at
        if template is not None and (self.index is not None or "{index}" not in template):
            parts = parse_path(template)
            if parts is not None:
                values: dict[str, str | int] = dict(extra or {})
                if self.index is not None:
                    values["index"] = self.index
                if self.item is not None:
                    values["item"] = str(getattr(self.item, "id", self.item))
                return fill_loc(parts, values)
        if check.each is not None:
            m = re.fullmatch(rf"{root}((?:\.[A-Za-z_]\w*)+)", check.each.source)
            if m is not None:
                base: tuple[str | int, ...] = tuple(m.group(1)[1:].split("."))
                return (*base, self.index) if self.index is not None else base
        return ()


@functools.lru_cache(maxsize=1024)
def parse_path(template: str) -> tuple[str | int | Hole, ...] | None:
    """An `at:` template read once per text (`talks[{index}].date`, `ballot.tallies.{item}`);
    None if it cannot be read, and the finding falls back to the check's `each` list."""
    try:
        return parse_loc_template(template)
    except PathError:
        return None


def wrong_kind(exc: TypeError) -> Missing:
    """A figure of the wrong kind (text where a number is compared): the case file
    records it, but not in a form this check can read."""
    # Python's own words (`'<' not supported between …`) stay in the figures, not the text.
    return Missing(str(exc), Text(
        "案卷记录的数值类型不符（如应为数字处写了文字），本规则无法比较",
        "the case file records a figure of the wrong kind (text where a number belongs, "
        "say) for this rule to compare"))


def _subject(check: CompiledCheck, env: Env, item: object) -> Text:
    if check.subject is not None:
        try:
            said = words(check.subject(env))
        except Missing:
            return Text("", "")
        return Text(said.zh + " ", said.en + " ")
    if item is None:
        return Text("", "")
    said = words(item)
    return Text(said.zh + " ", said.en + " ")


def _bound_text(check: CompiledCheck, bound: Any, params: Mapping[str, ParamValue]) -> Text:
    if check.bound_param is not None and check.bound_param in params:
        shown = params[check.bound_param].display
    elif isinstance(bound, Fraction) and check.spec.of is not None:
        shown = f"{show(bound)} ({percent(bound)})"
    else:
        said = words(bound)
        if check.spec.bound_text is None:
            return said
        shown = said.en if said.zh == said.en else show(bound)
    if check.spec.bound_text is not None:
        values = {n: p.display for n, p in params.items()}
        values["bound"] = shown
        try:
            return Text(check.spec.bound_text.zh.format(**values),
                        check.spec.bound_text.en.format(**values))
        except (KeyError, IndexError, ValueError):
            pass  # lint reports a bad template; the message still shows the bound
    return Text(shown, shown)


def failed(check: CompiledCheck, env: Env, item: object, value: Any, base: Any,
            bound: Any, params: Mapping[str, ParamValue]) -> Finding:
    spec = check.spec
    assert spec.quantity is not None and spec.op is not None
    subject = _subject(check, env, item)
    if base is not None:
        ratio = Fraction(value, base)
        pct_bound = bound if type(bound) in EXACT else None
        actual = f"{show(value)}/{show(base)} ({percent(ratio, pct_bound)})"
        actual_t = Text(actual, actual)
    else:
        actual_t = words(value)
        actual = actual_t.en
    bound_t = _bound_text(check, bound, params)
    word = FAILED[spec.op]
    base_t = Text("", "")
    if spec.base is not None:
        base_t = Text(f"（基数：{spec.base.zh}）", f" (base: {spec.base.en})")
    message = Text(
        f"{subject.zh}{spec.quantity.zh} {actual_t.zh} {word.zh} {bound_t.zh}",
        f"{subject.en}{spec.quantity.en} {actual_t.en} {word.en} {bound_t.en}",
    ) + base_t
    figures: dict[str, object] = {
        "item": item,
        "value": value,
        "base": base,
        "actual": actual,
        "op": spec.op,
        "bound": bound_t.en,
    }
    return Finding(check, item, message, figures)


def unmet(check: CompiledCheck, env: Env, item: object) -> Finding:
    spec = check.spec
    assert spec.expect is not None
    subject = _subject(check, env, item)
    actual_t = Text("", "")
    actual_value: object = None
    found = spec.actual_label or _FOUND
    if check.actual is not None:
        try:
            actual_value = check.actual(env)
            shown = words(actual_value)
        except Missing as exc:
            actual_value = None
            lacking = _lacking(check, exc)
            actual_t = Text(f"；{found.zh}：未记录{lacking.zh}",
                            f"; {found.en}: {lacking.en} not recorded")
        else:
            actual_t = Text(f"；{found.zh}：{shown.zh}", f"; {found.en}: {shown.en}")
    message = Text(f"{subject.zh}应当{spec.expect.zh}", f"{subject.en}required: {spec.expect.en}")
    return Finding(check, item, message + actual_t,
                   {"item": item, "expected": spec.expect.en,
                    "actual": show(actual_value)})


_FOUND = Text("实际", "found")


def _lacking(check: CompiledCheck, exc: Missing) -> Text:
    return lacking(exc, check.selector_labels)


def missing(check: CompiledCheck, item: object, exc: Missing, env: Env | None = None) -> Finding:
    spec = check.spec
    label = spec.quantity or spec.expect
    # The check's own `subject:` where it has one (an item that is a record, such as a
    # candidate, is named by it rather than shown whole).
    if env is not None and check.subject is not None:
        subject = _subject(check, env, item)
    else:
        subject = Text("", "") if item is None else words(item) + Text(" ", " ")
    zh_label = f"（{label.zh}）" if label else ""
    en_label = f" ({label.en})" if label else ""
    if exc.text is not None:
        message = Text(f"{subject.zh}{exc.text.zh}{zh_label}",
                       f"{subject.en}{exc.text.en}{en_label}")
    else:
        lacking = _lacking(check, exc)
        message = Text(
            f"{subject.zh}案卷未记录本规则所需的{lacking.zh}{zh_label}",
            f"{subject.en}the case file does not record {lacking.en}, which this rule "
            f"needs{en_label}",
        )
    return Finding(check, item, message, {"item": item, "missing": exc.what}, missing=True)


_PLAIN = frozenset({int, str, bool, float})


def figure(value: object) -> object:
    """A figure as the JSON report holds it."""
    if value.__class__ in _PLAIN:
        return value  # most figures: no attribute lookups to try
    if isinstance(value, Fraction):
        if too_large(value):  # a decimal read with a large exponent: shown by its size
            return decimal_text(value)
        return value.numerator if value.denominator == 1 else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    as_figure = getattr(value, "as_figure", None)
    if callable(as_figure):
        return as_figure()
    if isinstance(value, BaseModel):
        return getattr(value, "id", None)
    return value


def to_violation(
    f: Finding, rule: RuleInfo, citation: Citation, *, loc: tuple[str | int, ...],
    stage: str | None, stage_label: Text | None, event_index: int | None = None,
    event_type: str | None = None,
) -> Violation:
    """The violation a finding of `rule` becomes, wherever it was found."""
    return Violation(
        rule_id=rule.id,
        severity=rule.spec.severity,
        kind="missing_data" if f.missing else "check",
        message=f.message,
        citation=citation,
        stage=stage,
        stage_label=stage_label,
        event_index=event_index,
        event_type=event_type,
        loc=loc,
        figures={k: figure(v) for k, v in f.figures.items() if v is not None},
    )
