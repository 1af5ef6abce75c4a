"""Lint on what a file says about its sources: citations, quotes, and rule ids.

These read the document's plain data rather than the validated model, so that a file
whose schema is broken elsewhere still has its citations checked, and a rule without a
citation is reported as that (L503), not as a generic schema error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from selection_rules.authoring.seed_text import find_quote, seed_names
from selection_rules.i18n import Text
from selection_rules.lint.findings import Finding
from selection_rules.source.document import Document
from selection_rules.source.paths import format_loc

Loc = tuple[str | int, ...]


def _citations(data: dict[str, Any]) -> Iterator[tuple[Loc, dict[str, Any]]]:
    rules = data.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        if isinstance(rule.get("citation"), dict):
            yield ("rules", i, "citation"), rule["citation"]
        windows = rule.get("in_force")
        for j, window in enumerate(windows if isinstance(windows, list) else []):
            if isinstance(window, dict) and isinstance(window.get("citation"), dict):
                yield ("rules", i, "in_force", j, "citation"), window["citation"]
    params = data.get("parameters")
    for name, param in (params.items() if isinstance(params, dict) else []):
        if not isinstance(param, dict):
            continue
        if isinstance(param.get("citation"), dict):
            yield ("parameters", name, "citation"), param["citation"]
        values = param.get("values")
        for day, dated in (values.items() if isinstance(values, dict) else []):
            if isinstance(dated, dict) and isinstance(dated.get("citation"), dict):
                yield ("parameters", name, "values", str(day), "citation"), dated["citation"]




def citation_findings(doc: Document) -> list[Finding]:
    data = doc.data
    if not isinstance(data, dict):
        return []
    out: list[Finding] = []
    known = seed_names()
    for loc, cite in _citations(data):
        seed, quote = cite.get("seed"), cite.get("quote")
        if not isinstance(seed, str):
            continue
        if seed not in known:
            at = (*loc, "seed")
            out.append(Finding("L502", doc.path, doc.line_of(at), Text(
                f"未知的来源文件 {seed!r}（seeds/ 中有：{'、'.join(known)}）",
                f"unknown seed {seed!r} (seeds/ has: {', '.join(known)})"), format_loc(at)))
        elif isinstance(quote, str) and find_quote(seed, quote) is None:
            at = (*loc, "quote")
            out.append(Finding("L501", doc.path, doc.line_of(at), Text(
                f"引文未在规范化的来源 {seed} 中逐字出现：“{quote}”",
                f"the quote is not verbatim in the normalized seed {seed}: “{quote}”"),
                format_loc(at)))
    for name, param in _items(data.get("parameters")):
        if not isinstance(param, dict):
            continue
        if "value" in param and not param.get("citation"):
            here: Loc = ("parameters", name)
            out.append(Finding("L504", doc.path, doc.line_of(here), Text(
                f"参数 {name} 没有注明依据", f"parameter {name} cites no source"),
                format_loc(here)))
        for day, dated in _items(param.get("values")):
            if isinstance(dated, dict) and not dated.get("citation"):
                here = ("parameters", name, "values", str(day))
                out.append(Finding("L504", doc.path, doc.line_of(here), Text(
                    f"参数 {name} 自 {day} 起的取值没有注明依据",
                    f"the value of parameter {name} from {day} cites no source"), format_loc(here)))
    return out


def _items(value: Any) -> list[tuple[str, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


def uncited_rules(doc: Document) -> list[Finding]:
    """Rules with neither `citation` nor `in_force` (the schema also refuses them)."""
    data = doc.data
    rules = data.get("rules") if isinstance(data, dict) else None
    out: list[Finding] = []
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict) and not rule.get("citation") and not rule.get("in_force"):
            ident = rule.get("id", f"#{i + 1}")
            out.append(Finding("L503", doc.path, doc.line_of(("rules", i)), Text(
                f"规则 {ident} 没有依据：每条规则都应引用来源文件或条例",
                f"rule {ident} has no citation: every rule cites a seed or a regulation"),
                f"rules[{i}]"))
    return out


def rule_ids(doc: Document) -> list[tuple[str, int | None, str]]:
    """(rule id, line, field) for every rule the file defines."""
    data = doc.data
    rules = data.get("rules") if isinstance(data, dict) else None
    return [
        (rule["id"], doc.line_of(("rules", i, "id")), f"rules[{i}].id")
        for i, rule in enumerate(rules if isinstance(rules, list) else [])
        if isinstance(rule, dict) and isinstance(rule.get("id"), str)
    ]
