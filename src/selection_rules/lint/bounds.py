"""Lint by reasoning on bounds: parameters that cannot all hold, shares that cannot pass.

Counts are non-negative integers: `count(event.result)` at one step is a variable. The
procedure's checks give bounds on them (`between pool_size`, `equal nominee_ratio *
count(posts)`, `more_than count(event.result)`) and its requirements give inclusions
(`each: event.candidates, require: item in last('signed_recommendation').result` means
one list is drawn from the other, so it is no longer). One axiom comes from the case
model: a step's `result` is drawn from the `candidates` it considers. These are
difference constraints over integers, so longest-path propagation (Bellman-Ford) decides
them exactly: an empty interval, or a bound still rising after |V| rounds, is a
contradiction, explained by the checks it came from.

The number of posts is the one free figure: it is 1 for every procedure, and whatever
a `serves_posts` property declares.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from selection_rules.engine.compiled import CompiledCheck, Origin, Procedure, RuleInfo
from selection_rules.i18n import Text
from selection_rules.lang.types import Compiled
from selection_rules.lint.findings import Finding, Proof
from selection_rules.model.values import Range, show
from selection_rules.source.document import Document
from selection_rules.source.paths import format_loc

INF = math.inf
Qty = tuple[str, str]  # (event type, list field) — the count of that list at that step


@dataclass
class Bound:
    """x >= y + k (lower) or x <= y + k (upper), with y absent for a constant bound."""

    x: Qty
    y: Qty | None
    k: int | float
    lower: bool
    why: Text
    origin: Origin | None


@dataclass
class System:
    bounds: list[Bound] = field(default_factory=list)
    labels: dict[Qty, Text] = field(default_factory=dict)


# ----------------------------------------------------------------------- reading checks


def _selector_event(proc: Procedure, node: ast.expr) -> str | None:
    """The step `last('x')` refers to, if it is one step (an event, or a tag on one step)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "last" and len(node.args) == 1
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return None
    name = node.args[0].value
    if name in proc.steps:
        return name
    tagged = [e for e, tags in proc.tags.items() if name in tags]
    return tagged[0] if len(tagged) == 1 else None


def _list_ref(proc: Procedure, node: ast.expr, event: str) -> Qty | None:
    """`event.candidates` or `last('x').result` as (step, field), else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not parts:
        return None
    path = ".".join(reversed(parts))
    if isinstance(node, ast.Name) and node.id == "event":
        return (event, path)
    step = _selector_event(proc, node)
    return (step, path) if step is not None else None


def _tree(compiled: Compiled | None) -> ast.expr | None:
    """The expression's syntax tree, as the loader parsed it (None for a bare number)."""
    if compiled is None or compiled.tree is None:
        return None
    return compiled.tree.body


def _count_of(proc: Procedure, compiled: Compiled | None, event: str) -> Qty | None:
    node = _tree(compiled)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "count" and len(node.args) == 1):
        return _list_ref(proc, node.args[0], event)
    return None


def _static(check: CompiledCheck, env: dict[str, Any], posts: int) -> Any:
    """The bound's value from parameters and the number of posts alone, or None."""
    if check.bound is None:
        return None
    scope = dict(env)
    scope["posts"] = [None] * posts
    try:
        return check.bound(scope)
    except Exception:  # it reads the case: not a static bound
        return None


def _events_of(proc: Procedure, rule: RuleInfo) -> list[str]:
    on = rule.spec.on
    if on is None:
        return []
    return [e for e in proc.steps if e in on.events or proc.tags[e] & set(on.tags)]


def _system(proc: Procedure, rules: list[RuleInfo], env: dict[str, Any], posts: int) -> System:
    sys = System()
    mentioned: dict[str, set[str]] = {}

    def add(x: Qty, y: Qty | None, k: int | float, lower: bool, why: Text,
            origin: Origin | None) -> None:
        sys.bounds.append(Bound(x, y, k, lower, why, origin))
        for q in (x, y):
            if q is not None:
                mentioned.setdefault(q[0], set()).add(q[1])

    for rule in rules:
        if rule.when is not None:
            continue
        for check in rule.checks:
            spec = check.spec
            if spec.when is not None:
                continue
            for event in _events_of(proc, rule):
                if spec.each is not None and spec.require is not None:
                    _inclusion(proc, rule, check, event, add)
                elif spec.each is None and spec.value is not None and spec.of is None:
                    _comparison(proc, rule, check, event, env, posts, add, sys.labels)
    # The case model's axiom: a step's result is drawn from the candidates it considers.
    for event, fields in mentioned.items():
        if {"result", "candidates"} <= fields:
            label = proc.step_label(event)
            add((event, "result"), (event, "candidates"), 0, False, Text(
                f"「{label.zh}」的结果从其人选中产生", f"'{label.en}' chooses from its candidates"),
                None)
    return sys


def _inclusion(proc: Procedure, rule: RuleInfo, check: CompiledCheck, event: str,
               add: Any) -> None:
    spec = check.spec
    node = _tree(check.require)
    each = _tree(check.each)
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1
            and isinstance(node.ops[0], ast.In) and isinstance(node.left, ast.Name)
            and node.left.id == spec.as_ and each is not None):
        return
    inner = _list_ref(proc, each, event)
    outer = _list_ref(proc, node.comparators[0], event)
    if inner is None or outer is None:
        return
    add(inner, outer, 0, False, Text(
        f"{rule.id}：{spec.each} 中的每一项都在 {ast.unparse(node.comparators[0])} 中",
        f"{rule.id}: every item of {spec.each} is in {ast.unparse(node.comparators[0])}"),
        Origin(check.origin.doc, (*check.origin.loc, "require")))


def _comparison(proc: Procedure, rule: RuleInfo, check: CompiledCheck, event: str,
                env: dict[str, Any], posts: int, add: Any, labels: dict[Qty, Text]) -> None:
    spec = check.spec
    x = _count_of(proc, check.value, event)
    if x is None or spec.op is None:
        return
    if spec.quantity is not None:
        labels.setdefault(x, spec.quantity.text())
    origin = Origin(check.origin.doc, (*check.origin.loc, "bound"))
    y = _count_of(proc, check.bound, event)
    if y is not None:
        why = Text(f"{rule.id}：{spec.value} {spec.op} {spec.bound}",
                   f"{rule.id}: {spec.value} {spec.op} {spec.bound}")
        diff = {"at_least": (0, True), "more_than": (1, True), "at_most": (0, False),
                "less_than": (-1, False)}
        if spec.op in diff:
            k, lower = diff[spec.op]
            add(x, y, k, lower, why, origin)
        elif spec.op == "equal":
            add(x, y, 0, True, why, origin)
            add(x, y, 0, False, why, origin)
        return
    value = _static(check, env, posts)
    if value is None:
        return
    why = Text(f"{rule.id}：{spec.value} {spec.op} {spec.bound} = {show(value)}",
               f"{rule.id}: {spec.value} {spec.op} {spec.bound} = {show(value)}")
    if isinstance(value, Range):
        if spec.op == "between":
            add(x, None, value.low, True, why, origin)
            add(x, None, value.high, False, why, origin)
        return
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        return
    v = Fraction(value)
    if spec.op == "at_least":
        add(x, None, math.ceil(v), True, why, origin)
    elif spec.op == "more_than":
        add(x, None, math.floor(v) + 1, True, why, origin)
    elif spec.op == "at_most":
        add(x, None, math.floor(v), False, why, origin)
    elif spec.op == "less_than":
        add(x, None, math.ceil(v) - 1, False, why, origin)
    elif spec.op == "equal":
        # A count equal to 7/2 cannot be: the interval [4, 3] says so.
        add(x, None, math.ceil(v), True, why, origin)
        add(x, None, math.floor(v), False, why, origin)


# ---------------------------------------------------------------------------- solving


@dataclass
class Contradiction:
    qty: Qty
    low: int | float
    high: int | float
    because: list[Bound]


def solve(sys: System) -> Contradiction | None:
    """Propagate to the fixed point; None if the bounds can all hold."""
    qtys = {b.x for b in sys.bounds} | {b.y for b in sys.bounds if b.y is not None}
    lo: dict[Qty, tuple[int | float, frozenset[int]]] = {q: (0, frozenset()) for q in qtys}
    hi: dict[Qty, tuple[int | float, frozenset[int]]] = {q: (INF, frozenset()) for q in qtys}
    for _ in range(len(qtys) + 2):
        changed = False
        for i, b in enumerate(sys.bounds):
            if b.y is None:
                if b.lower and b.k > lo[b.x][0]:
                    lo[b.x] = (b.k, frozenset({i}))
                    changed = True
                elif not b.lower and b.k < hi[b.x][0]:
                    hi[b.x] = (b.k, frozenset({i}))
                    changed = True
                continue
            if b.lower:  # x >= y + k: raises x's floor, lowers y's ceiling
                if lo[b.y][0] + b.k > lo[b.x][0]:
                    lo[b.x] = (lo[b.y][0] + b.k, lo[b.y][1] | {i})
                    changed = True
                if hi[b.x][0] - b.k < hi[b.y][0]:
                    hi[b.y] = (hi[b.x][0] - b.k, hi[b.x][1] | {i})
                    changed = True
            else:  # x <= y + k
                if hi[b.y][0] + b.k < hi[b.x][0]:
                    hi[b.x] = (hi[b.y][0] + b.k, hi[b.y][1] | {i})
                    changed = True
                if lo[b.x][0] - b.k > lo[b.y][0]:
                    lo[b.y] = (lo[b.x][0] - b.k, lo[b.x][1] | {i})
                    changed = True
        for q in qtys:
            if lo[q][0] > hi[q][0]:
                reasons = sorted(lo[q][1] | hi[q][1])
                return Contradiction(q, lo[q][0], hi[q][0], [sys.bounds[i] for i in reasons])
        if not changed:
            return None
    # Still rising after |V| rounds: a cycle of strict bounds (x > y > x).
    q = max(qtys, key=lambda q: lo[q][0])
    return Contradiction(q, lo[q][0], INF, [sys.bounds[i] for i in sorted(lo[q][1])])


# --------------------------------------------------------------------------- findings


def _days(proc: Procedure) -> list[dt.date]:
    days: set[dt.date] = set()
    for info in proc.parameters.values():
        days.update(d for d, _ in info.timeline if d is not None)
    for rule in proc.rules.values():
        days.update(w.from_ for w in rule.spec.in_force if w.from_ is not None)
    return sorted(days) or [dt.date.today()]


def _qty_text(proc: Procedure, sys: System, q: Qty) -> Text:
    label = proc.step_label(q[0])
    what = sys.labels.get(q, Text(q[1], q[1]))
    return Text(f"「{label.zh}」的{what.zh}（count({q[1]})）",
                f"{what.en} at '{label.en}' (count({q[1]}))")


def bound_findings(proc: Procedure) -> tuple[list[Finding], list[Proof]]:
    """Contradictions at one post and at every number of posts a property declares."""
    findings: list[Finding] = []
    proofs: list[Proof] = []
    claims: list[tuple[int, Document | None, tuple[str | int, ...], str | None]] = [
        (1, None, (), None)]
    for spec, doc in proc.layers:
        for k, prop in enumerate(spec.properties):
            if prop.serves_posts is not None:
                claims.append((prop.serves_posts, doc, ("properties", k), prop.id))
    for posts, claim_doc, where, prop_id in claims:
        found: Contradiction | None = None
        system = System()
        for day in _days(proc):  # each window of dates has its own rules and values
            epoch = proc.epoch(day)
            system = _system(proc, [r for r, _ in epoch.rules.values()], epoch.env, posts)
            found = solve(system)
            if found is not None:
                break
        if found is None:
            if claim_doc is not None and prop_id is not None:
                line = claim_doc.line_of((*where, "id"))
                proofs.append(Proof(claim_doc.path, line, prop_id, Text(
                    f"已证明（{proc.id}）：参数允许一次选任 {posts} 个职位",
                    f"proved ({proc.id}): the parameters allow {posts} post(s) at once")))
            continue
        findings.append(_contradiction(proc, system, found, posts, claim_doc, where, prop_id))
    return findings, proofs


def _contradiction(proc: Procedure, sys: System, c: Contradiction, posts: int,
                   doc: Document | None, where: tuple[str | int, ...],
                   prop_id: str | None) -> Finding:
    qty = _qty_text(proc, sys, c.qty)
    reasons_zh = "；".join(b.why.zh for b in c.because)
    reasons_en = "; ".join(b.why.en for b in c.because)
    high = "∞" if c.high == INF else str(c.high)
    body = Text(
        f"{posts} 个职位时，{qty.zh}至少为 {c.low}，但至多为 {high}。依据：{reasons_zh}",
        f"with {posts} post(s), {qty.en} must be at least {c.low} but at most {high}, "
        f"because {reasons_en}")
    if doc is not None:
        return Finding("L401", doc.path, doc.line_of((*where, "serves_posts")), Text(
            f"性质 {prop_id} 不成立：{body.zh}", f"property {prop_id} does not hold: {body.en}"),
            f"properties[{where[-1]}].serves_posts")
    first = next((b.origin for b in c.because if b.origin is not None), None)
    if first is None:
        return Finding("L401", main_path(proc), None, body)
    return Finding("L401", first.file, first.line, body, format_loc(first.loc))


def main_path(proc: Procedure) -> str:
    return next(doc.path for spec, doc in proc.layers if spec.id == proc.id)




# --------------------------------------------------------------------------- shares


def share_findings(proc: Procedure) -> list[Finding]:
    """Bounds of shares (value over `of`) that no case could pass, or that let too few
    decide: a threshold above 100%, a quorum below a half, a majority of half or less."""
    out: list[Finding] = []
    for rule in proc.rules.values():
        for check in rule.checks:
            spec = check.spec
            if spec.of is None or spec.op is None or check.value is None:
                continue
            for value, shown, origin in _bound_values(proc, check):
                finding = _share_problem(rule, check, value, shown, origin)
                if finding is not None:
                    out.append(finding)
    return out


def _bound_values(proc: Procedure, check: CompiledCheck) -> list[tuple[Any, str, Origin]]:
    """Every value the bound takes (each dated value of a parameter), as written, and where."""
    name = check.bound_param
    if name is not None:
        info = proc.parameters[name]
        doc = info.origin.doc
        return [
            (v.value, v.display,
             Origin(doc, ("parameters", name, "values", day.isoformat(), "value")
                    if day is not None else ("parameters", name, "value")))
            for day, v in info.timeline
        ]
    value = _static(check, {}, 1)
    if value is None:
        return []
    return [(value, show(value), Origin(check.origin.doc, (*check.origin.loc, "bound")))]


def _share_problem(rule: RuleInfo, check: CompiledCheck, value: Any, shown: str,
                   origin: Origin) -> Finding | None:
    spec = check.spec
    op = spec.op
    if isinstance(value, Range):
        low, high = Fraction(value.low), Fraction(value.high)
    elif isinstance(value, int | Fraction) and not isinstance(value, bool):
        low = high = Fraction(value)
    else:
        return None
    quantity = spec.quantity.text() if spec.quantity else Text("比例", "share")
    impossible = (
        (op in ("at_least", "equal", "between") and low > 1)
        or (op == "more_than" and low >= 1)
        or (op == "at_most" and high < 0)
        or (op == "less_than" and high <= 0)
    )
    dotted = format_loc(origin.loc)
    if impossible:
        return Finding("L402", origin.file, origin.line, Text(
            f"{rule.id}：{quantity.zh}的界限 {shown} 不可能满足：比例只能在 0 与 100% 之间",
            f"{rule.id}: the bound {shown} of {quantity.en} can never be met: a share lies "
            f"between 0 and 100%"), dotted)
    reads = check.value.reads if check.value is not None else ()
    half = Fraction(1, 2)
    if op in ("at_least", "more_than") and low < half and any(
            r.endswith(".present") for r in reads):
        return Finding("L403", origin.file, origin.line, Text(
            f"{rule.id}：到会比例 {shown} 低于半数：不到一半的成员即可讨论决定",
            f"{rule.id}: the quorum {shown} is below a half: fewer than half of the members "
            f"could meet and decide"), dotted)
    if any(r.endswith(".agree") for r in reads) and (
            (op == "at_least" and low <= half) or (op == "more_than" and low < half)):
        return Finding("L404", origin.file, origin.line, Text(
            f"{rule.id}：同意票界限 {shown}（{spec.op}）不足以形成多数：两名人选可能同时通过",
            f"{rule.id}: a bound of {shown} ({spec.op}) on votes for is no majority: two "
            f"rival candidates could both pass"), dotted)
    return None
