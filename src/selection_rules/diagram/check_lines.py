"""How a check reads in one line: `PS-7 民主推荐票/有效票 ≥ 80%`, `PS-4 提交署名推荐的人数 5~7 人`.

Diagrams and the simulator's step list show what each step will check and against which
bound, written as the source writes it (`80%`, `1:3`, `5~7`), from the catalogue's
(`authoring/catalog.py`) check summary and the parameters' display values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from selection_rules.authoring.catalog import check_summary
from selection_rules.engine.compiled import CompiledCheck, Procedure
from selection_rules.i18n import Text
from selection_rules.model.procedure import Check

SYMBOL = {"at_least": "≥", "more_than": ">", "at_most": "≤", "less_than": "<", "equal": "="}

# A check guarded by `when: tagged('x')` only runs on steps that carry the tag.
_TAGGED = re.compile(r"^\s*tagged\('([^']+)'\)\s*$")
_PER_POST = re.compile(r"^\s*([A-Za-z_]\w*)\s*\*\s*count\(posts\)\s*$")
_POSTS = Text("职位数", "posts")


def runs_on(check: CompiledCheck, proc: Procedure, event: str) -> bool:
    return proc.check_runs_on(check, event)


@dataclass(frozen=True)
class CheckLine:
    rule_id: str
    text: Text
    rule_set: str | None  # the composed rule set the rule comes from (None: the procedure)
    via: tuple[str, ...]  # the step tags it attaches by (empty: named by event)
    since: str | None  # first day in force, for a rule younger than the others


def step_checks(proc: Procedure, event: str) -> list[CheckLine]:
    """Every check a step applies, one line each: the procedure's own rules, then the
    composed rule sets', each in file order."""
    starts = [w.from_ for r in proc.rules.values() for w in r.spec.in_force if w.from_]
    oldest = min(starts) if starts else None
    tags = proc.tags.get(event, frozenset())
    out: list[CheckLine] = []
    for rule in proc.rules_for_event(event):
        origin = None if rule.procedure_id == proc.id else rule.procedure_id
        on = rule.spec.on
        via = () if on is None or event in on.events else tuple(t for t in on.tags if t in tags)
        first = min((w.from_ for w in rule.spec.in_force if w.from_), default=None)
        since = first.isoformat() if first and oldest and first > oldest else None
        for check in rule.checks:
            if runs_on(check, proc, event):
                out.append(CheckLine(rule.id, check_text(proc, check.spec), origin, via, since))
    return sorted(out, key=lambda c: c.rule_set is not None)


_SELECTOR = re.compile(r"^[a-z_]+\('([^']+)'\)")


def later_uses(proc: Procedure, event: str) -> list[tuple[str, str]]:
    """(rule id, step) pairs where a rule of another step reads this step's record, e.g.
    PS-7 at the inspection reading the democratic recommendation's tallies."""
    selectors = {event, *proc.tags.get(event, frozenset())}
    out: list[tuple[str, str]] = []
    for at in proc.steps:
        if at == event:
            continue
        for rule in proc.rules_for_event(at):
            for check in rule.checks:
                if not runs_on(check, proc, at):
                    continue
                parts = (check.each, check.when, check.subject, check.value, check.of,
                         check.bound, check.require, check.actual)
                reads = [r for c in parts if c is not None for r in c.reads]
                reads_here = any((m := _SELECTOR.match(r)) and m.group(1) in selectors
                                 for r in reads)
                if reads_here and (rule.id, at) not in out:
                    out.append((rule.id, at))
    return out


def check_text(proc: Procedure, check: Check) -> Text:
    s = check_summary(check, proc.parameters)
    if "require" in s:
        expect = s["expect"] or {"zh": check.require, "en": check.require}
        return Text(f"应{expect['zh']}", f"required: {expect['en']}")
    quantity = Text(s["quantity"]["zh"], s["quantity"]["en"])
    if s.get("base"):
        quantity = quantity + Text(f"/{s['base']['zh']}", f" / {s['base']['en']}")
    bound = _bound(proc, check, s)
    if check.op == "between":
        return quantity + Text(" ", ": ") + bound
    return quantity + Text(f" {SYMBOL[str(check.op)]} ", f" {SYMBOL[str(check.op)]} ") + bound


def _shown_values(s: dict[str, Any]) -> str:
    values = s["bound_values"]
    distinct = list(dict.fromkeys(v["value"] for v in values))
    if len(distinct) == 1:
        return str(distinct[0])
    return " / ".join(f"{v['value']} ({(v['from'] or '…')[:4]}–)" for v in values)


def _template(check: Check, proc: Procedure, bound: Text,
              words: Text | None = None) -> Text:
    """The check's own `bound_text` (or `words`) with {bound} and parameter names
    filled in."""
    given = words or check.bound_text
    if given is None:
        return bound
    values = {n: (p.timeline[-1][1].display if p.timeline else n)
              for n, p in proc.parameters.items()}
    out = []
    for template, shown in ((given.zh, bound.zh), (given.en, bound.en)):
        try:
            text = " ".join(template.format(**values, bound=shown).split())
            out.append(re.sub(r"\s+(?=[（，。；：])", "", text))
        except (KeyError, IndexError, ValueError):
            out.append(shown)
    return Text(out[0], out[1])


# {bound} after some words, with the unit word that follows it (人, 种, 个工作日).
_NUMBER_AND_UNIT = re.compile(r"(?<=\S)\s*\{bound\}\s*[^\s（(，。；{]*")
_OF_NUMBER = re.compile(r"\s+of\s+\{bound\}")


def _bound(proc: Procedure, check: Check, s: dict[str, Any]) -> Text:
    raw = check.bound
    if s.get("bound_values"):
        shown = _shown_values(s)
        if check.bound_text is None:
            unit = proc.parameters[str(raw)].spec.unit
            return Text(shown + (unit.zh if unit else ""), shown + (f" {unit.en}" if unit else ""))
        return _template(check, proc, Text(shown, shown))
    if isinstance(raw, int):
        return _template(check, proc, Text(str(raw), str(raw)))
    source = str(raw)
    per_post = _PER_POST.match(source)
    if per_post and per_post.group(1) in proc.parameters:
        info = proc.parameters[per_post.group(1)]
        shown = info.timeline[-1][1].display if info.timeline else per_post.group(1)
        if info.spec.kind == "ratio":
            return Text(shown, shown)  # 1:3 is already "per post"
        return Text(f"{shown}×{_POSTS.zh}", f"{shown} × {_POSTS.en}")
    used = [n for n in proc.parameters if re.search(rf"\b{re.escape(n)}\b", source)]
    if not used and check.bound_text is not None:
        # A figure of the case, which a diagram does not have: keep the words that name
        # it ("收回票数 {bound}"), without the unit that would follow the number
        # ("分配名额 {bound} 人" → 分配名额; "the allocated quota of {bound}" → …quota).
        words = Text(_NUMBER_AND_UNIT.sub("", check.bound_text.zh),
                     _OF_NUMBER.sub(" {bound}", check.bound_text.en))
        return _template(check, proc, Text("", ""), words)
    zh, en = source, source
    for name in used:
        info = proc.parameters[name]
        shown = info.timeline[-1][1].display if info.timeline else name
        zh = re.sub(rf"\b{re.escape(name)}\b", shown, zh)
        en = re.sub(rf"\b{re.escape(name)}\b", shown, en)
    zh = zh.replace("count(posts)", _POSTS.zh).replace(" * ", "×")
    en = en.replace("count(posts)", _POSTS.en).replace(" * ", " × ")
    return Text(zh, en)
