"""Evaluating one compiled check on one event (or record): a closure per check's shape.

What fails is handed to findings.py to be worded: a clean case costs the comparisons
and nothing more.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, Protocol

from selection_rules.engine.compiled import CompiledCheck, ParamValue, RuleInfo
from selection_rules.engine.findings import (
    EXACT,
    Finding,
    failed,
    missing,
    unmet,
    wrong_kind,
)
from selection_rules.engine.wording import lacking
from selection_rules.i18n import Text
from selection_rules.lang.runtime import HOISTED
from selection_rules.lang.types import Env, Fn, Missing
from selection_rules.model.procedure import Label
from selection_rules.model.values import Range


def _between(a: Any, b: Any) -> bool:
    low, high = (b.low, b.high) if isinstance(b, Range) else (b[0], b[1])
    return bool(low <= a <= high)


OPS: dict[str, Callable[[Any, Any], bool]] = {
    "at_least": operator.ge,
    "more_than": operator.gt,
    "at_most": operator.le,
    "less_than": operator.lt,
    "equal": operator.eq,
    "between": _between,
}

def run_check(check: CompiledCheck, env: Env, params: Mapping[str, ParamValue],
              out: list[Finding]) -> None:
    """Evaluate one check on the event in `env`; append what fails to `out`."""
    evaluate = check.evaluator
    if evaluate is None:
        evaluate = check.evaluator = evaluator_for(check)
    evaluate(env, params, out)


Evaluator = Callable[[Env, Mapping[str, ParamValue], list[Finding]], None]


class One(Protocol):
    """A check on one item (None: the event itself); what fails, or cannot be read, is
    appended to `out`. Without an item it is the check's evaluator as it stands."""

    def __call__(self, env: Env, params: Mapping[str, ParamValue], out: list[Finding],
                 item: Any = None) -> None: ...


def evaluator_for(check: CompiledCheck) -> Evaluator:
    """A closure for this check's shape, so replay does not re-decide it per event.

    Checks run tens of times per case: deciding once whether the check is a
    requirement or a comparison, a share or a count, one item or each item, keeps
    the per-event cost to the comparisons themselves.
    """
    one = _requirement(check) if check.require is not None else _comparison(check)
    if check.each is None:
        return one

    parts = (check.when, check.value, check.of, check.bound, check.require)
    hoists = any(c is not None and c.hoists for c in parts)
    if check.require is not None and check.when is None:
        member = check.require.membership
        member_of = member[1] if member is not None and member[0] == check.spec.as_ else None
        return _each_required(check, check.require.fn, check.each.fn, check.spec.as_, hoists,
                              member_of)
    return _each(check, one, check.each.fn, check.spec.as_, hoists)


def _each(check: CompiledCheck, one: One, each: Callable[[Env], Any],
          name: str, hoists: bool) -> Evaluator:
    """The check once per item of its `each` list, each finding told the item's place.

    With `hoists`, what does not read the item is evaluated once for the loop: the loop
    gets a memo (env[HOISTED]) for it.
    """

    def evaluate_each(env: Env, params: Mapping[str, ParamValue], out: list[Finding]) -> None:
        try:
            found = each(env)
        except Missing as exc:
            out.append(missing(check, None, exc))
            return
        if not found:
            return
        if hoists:
            env[HOISTED] = {}
        before = len(out)
        try:
            for index, item in enumerate(found):
                env[name] = item
                one(env, params, out, item)
                while before < len(out):  # findings of this item: tell them its place
                    out[before].index = index
                    before += 1
        finally:
            if hoists:
                del env[HOISTED]

    return evaluate_each


def _each_required(check: CompiledCheck, require: Callable[[Env], Any],
                   each: Callable[[Env], Any], name: str, hoists: bool,
                   member_of: Callable[[Env], Any] | None) -> Evaluator:
    """_each for the commonest check, `require:` of every item with no `when:` (`item in
    last('x').result`), with the requirement in the loop: one call less per item.

    With `member_of` (the requirement is `item in xs`), every item is tested at once
    first; the loop, with its findings, runs only if one is not in xs. Its first lines
    repeat _each's on purpose: a shared helper would be one more call per check.
    """

    def evaluate_each(env: Env, params: Mapping[str, ParamValue], out: list[Finding]) -> None:
        try:
            found = each(env)
        except Missing as exc:
            out.append(missing(check, None, exc))
            return
        if not found:
            return
        if hoists:
            env[HOISTED] = {}
        try:
            if member_of is not None and _all_in(member_of, env, found):
                return
            for index, item in enumerate(found):
                env[name] = item
                try:
                    if require(env):
                        continue
                    finding = unmet(check, env, item)
                except Missing as exc:
                    finding = missing(check, item, exc, env)
                except TypeError as exc:
                    finding = missing(check, item, wrong_kind(exc), env)
                finding.index = index
                out.append(finding)
        finally:
            if hoists:
                del env[HOISTED]

    return evaluate_each


def _all_in(member_of: Callable[[Env], Any], env: Env, items: Any) -> bool:
    """Whether every item is recorded and in the list: false whenever the item-by-item
    loop could have something to say."""
    try:
        container = member_of(env)
        if len(items) > 16 and container.__class__ is list and len(container) > 16:
            container = frozenset(container)  # N items in a list of N: linear, not N²
        return (container is not None and None not in items
                and all(map(container.__contains__, items)))
    except (Missing, TypeError, AttributeError):
        return False


def _requirement(check: CompiledCheck) -> One:
    assert check.require is not None
    require = check.require.fn
    when = check.when.fn if check.when is not None else None

    def one(env: Env, params: Mapping[str, ParamValue], out: list[Finding],
            item: Any = None) -> None:
        try:
            if when is not None and not when(env):
                return
            if not require(env):
                out.append(unmet(check, env, item))
        except Missing as exc:
            out.append(missing(check, item, exc, env))
        except TypeError as exc:
            out.append(missing(check, item, wrong_kind(exc), env))

    return one




def _comparison(check: CompiledCheck) -> One:
    spec = check.spec
    assert check.value is not None and check.bound is not None and spec.op is not None
    value_fn, value_src = check.value.fn, check.value.source
    bound_fn, bound_src = check.bound.fn, check.bound.source
    of_fn = check.of.fn if check.of is not None else None
    of_src = check.of.source if check.of is not None else ""
    when = check.when.fn if check.when is not None else None
    compare = OPS[spec.op]
    # A share of whole numbers against a number is compared by cross-multiplying
    # (value·q ⋚ p·base for a bound p/q, base > 0): exact, and no Fraction is made
    # unless the check fails and its message needs one.
    cross = spec.op != "between"
    base_label = spec.base or Label(zh="基数", en="base")
    zero_base = Text(f"基数（{base_label.zh}）为 0，无法计算比例",
                     f"the base ({base_label.en}) is 0, so no share can be computed")

    def one(env: Env, params: Mapping[str, ParamValue], out: list[Finding],
            item: Any = None) -> None:
        try:
            if when is not None and not when(env):
                return
            value = value_fn(env)
            if value is None:
                raise Missing(value_src)
            bound = bound_fn(env)
            if bound is None:
                raise Missing(bound_src)
            if of_fn is None:
                if not compare(value, bound):
                    out.append(failed(check, env, item, value, None, bound, params))
                return
            base = of_fn(env)
            if base is None:
                raise Missing(of_src)
            if base == 0:
                raise Missing(f"{of_src} = 0", zero_base)
            if cross and type(value) is int and type(base) is int and base > 0 \
                    and type(bound) in EXACT:
                ok = compare(value * bound.denominator, bound.numerator * base)
            else:
                ok = compare(Fraction(value, base), bound)
            if not ok:
                out.append(failed(check, env, item, value, base, bound, params))
        except Missing as exc:
            out.append(missing(check, item, exc, env))
        except TypeError as exc:
            out.append(missing(check, item, wrong_kind(exc), env))

    return one


# ---------------------------------------------------------------------------- findings


def rule_applies(rule: RuleInfo, env: Env) -> bool:
    """Whether a rule's `when:` holds for this event or record; Missing if it cannot be
    read (see `holds`)."""
    return rule.when is None or holds(rule.when.fn, env)


def holds(when: Fn, env: Env) -> bool:
    """A rule's condition on this event. One that cannot be read raises Missing: whether
    the rule applies is then unknown, which the caller reports as missing data for the
    rule (`unreadable_condition`), never as a rule that silently does not apply."""
    return bool(when(env))


def unreadable_condition(exc: Missing, steps: Mapping[str, Text]) -> Text:
    """The message of a rule whose `when:` cannot be read: what the case lacks in a
    clerk's words (`steps`: what `last('x')` names), not the expression that needed it."""
    if exc.text is not None:
        return Text(f"无法判断本规则是否适用：{exc.text.zh}",
                    f"cannot tell whether this rule applies: {exc.text.en}")
    said = lacking(exc, steps)
    return Text(f"无法判断本规则是否适用：案卷未记录{said.zh}",
                f"cannot tell whether this rule applies: the case file does not record "
                f"{said.en}")
