"""Lint on the procedure graph: reachability, dead ends, dead steps, declared gates.

A declared gate (`every_path_to T, passes G`, or `never T, before G`) is decided exactly:
remove the gate (its steps, or its stages) from the graph; the claim holds if and only if
T can no longer be reached from the initial stage. When it can, the shortest such path
is the counterexample shown to the author.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from selection_rules.engine.compiled import Procedure
from selection_rules.engine.machine import Edge
from selection_rules.i18n import Text
from selection_rules.lint.findings import Finding, Proof
from selection_rules.model.procedure import Property, Selector
from selection_rules.source.document import Document
from selection_rules.suggest import did_you_mean


def main_document(proc: Procedure) -> Document:
    return next(doc for spec, doc in proc.layers if spec.id == proc.id)


def graph_findings(proc: Procedure) -> list[Finding]:
    doc = main_document(proc)
    machine = proc.machine
    reach = machine.reachable(machine.initial)
    out: list[Finding] = []
    for i, stage in enumerate(proc.spec.stages):
        where = ("stages", i, "id")
        if stage.id not in reach:
            out.append(Finding("L201", doc.path, doc.line_of(where), Text(
                f"阶段 {stage.id!r} 无法从初始阶段 {machine.initial!r} 到达",
                f"stage {stage.id!r} cannot be reached from the initial stage "
                f"{machine.initial!r}"), f"stages[{i}]"))
        elif not stage.final and machine.path(stage.id, machine.finals) is None:
            out.append(Finding("L202", doc.path, doc.line_of(where), Text(
                f"从阶段 {stage.id!r} 无法到达任何终止阶段（{'、'.join(sorted(machine.finals))}）",
                f"no final stage ({', '.join(sorted(machine.finals))}) can be reached from "
                f"stage {stage.id!r}"), f"stages[{i}]"))
    dead: set[str] = set()
    for i, step in enumerate(proc.spec.steps):
        if not set(step.sources()) & reach:
            dead.add(step.event)
            out.append(Finding("L203", doc.path, doc.line_of(("steps", i, "from")), Text(
                f"步骤 {step.event!r} 永远不会发生：它的起点阶段 "
                f"{'、'.join(step.sources())} 都无法到达",
                f"step {step.event!r} can never fire: none of its source stages "
                f"({', '.join(step.sources())}) can be reached"), f"steps[{i}].from"))
    for i, rule in enumerate(proc.spec.rules):
        if rule.on is None or rule.on.end or rule.structural:
            continue
        events = [s.event for s in proc.spec.steps
                  if s.event in rule.on.events or set(s.tags) & set(rule.on.tags)]
        if events and all(e in dead for e in events):
            out.append(Finding("L204", doc.path, doc.line_of(("rules", i, "on")), Text(
                f"规则 {rule.id} 永远不会被检查：它所附着的步骤 {'、'.join(events)} 不会发生",
                f"rule {rule.id} is never checked: the steps it is attached to "
                f"({', '.join(events)}) can never fire"), f"rules[{i}].on"))
    return out


def property_findings(proc: Procedure) -> tuple[list[Finding], list[Proof]]:
    """Every `every_path_to`/`never` property of the procedure and its rule sets."""
    findings: list[Finding] = []
    proofs: list[Proof] = []
    tags = {t for ts in proc.tags.values() for t in ts}
    for spec, doc in proc.layers:
        own = spec.kind == "procedure"
        for k, prop in enumerate(spec.properties):
            claim = prop.gate()
            if claim is None:
                continue
            where = ("properties", k)
            problems = [
                f for j, name in enumerate(_claim_keys(prop))
                for f in _unknown(doc, (*where, name), claim[j], proc, tags, own)
            ]
            if problems:
                findings.extend(problems)
                continue
            counter = _counterexample(proc, *claim)
            line = doc.line_of((*where, "id"))
            described = _describe(prop, *claim)
            if counter is None:
                proofs.append(Proof(doc.path, line, prop.id, Text(
                    f"已证明（{proc.id}）：{described.zh}", f"proved ({proc.id}): {described.en}")))
                continue
            shown = _path_text(proc, counter)
            findings.append(Finding("L301", doc.path, line, Text(
                f"性质 {prop.id} 在程序 {proc.id} 中不成立（{described.zh}）。反例路径：{shown.zh}",
                f"property {prop.id} does not hold in {proc.id} ({described.en}). "
                f"Counterexample: {shown.en}"),
                f"properties[{k}]", [e.step.event for e in counter]))
    return findings, proofs


def _claim_keys(prop: Property) -> tuple[str, str]:
    return ("every_path_to", "passes") if prop.every_path_to is not None else ("never", "before")


def _unknown(doc: Document, where: tuple[str | int, ...], sel: Selector, proc: Procedure,
             tags: set[str], own: bool) -> list[Finding]:
    """Names a selector gives that the procedure lacks (a rule set's tags may be absent)."""
    out: list[Finding] = []
    groups: list[tuple[str, list[str], Iterable[str]]] = [
        ("stages", sel.stages, proc.stages), ("events", sel.events, proc.steps),
    ]
    if own:
        groups.append(("tags", sel.tags, tags))
    for key, names, known in groups:
        known_set = set(known)
        for j, name in enumerate(names):
            if name not in known_set:
                hint = did_you_mean(name, known_set)
                out.append(Finding("L111", doc.path, doc.line_of((*where, key, j)), Text(
                    f"性质引用了程序 {proc.id} 中不存在的 {key} {name!r}{hint.zh}",
                    f"the property names {key[:-1]} {name!r}, which {proc.id} does not have"
                    f"{hint.en} (known: {', '.join(sorted(known_set))})"), f"{key}[{j}]"))
    return out


def _edge_in(proc: Procedure, edge: Edge, sel: Selector) -> bool:
    return edge.step.event in sel.events or bool(proc.tags[edge.step.event] & set(sel.tags))


def _counterexample(proc: Procedure, target: Selector, gate: Selector) -> list[Edge] | None:
    """The shortest path reaching `target` without passing `gate`, or None (proved)."""
    machine = proc.machine
    start = machine.initial
    if start in gate.stages:
        return None
    if start in target.stages:
        return []
    prev: dict[str, Edge] = {}
    seen = {start}
    queue = deque([start])

    def back(stage: str) -> list[Edge]:
        steps: list[Edge] = []
        while stage != start:
            edge = prev[stage]
            steps.append(edge)
            stage = edge.source
        return steps[::-1]

    while queue:
        here = queue.popleft()
        for edge in machine.out(here):
            if _edge_in(proc, edge, gate):
                continue  # firing the gate step passes the gate
            if _edge_in(proc, edge, target):
                return [*back(here), edge]
            if edge.dest in gate.stages or edge.dest in seen:
                continue
            if edge.dest in target.stages:
                return [*back(here), edge]
            seen.add(edge.dest)
            prev[edge.dest] = edge
            queue.append(edge.dest)
    return None


def _sel_text(sel: Selector) -> Text:
    parts_zh = [*(f"阶段 {s}" for s in sel.stages), *(f"步骤 {e}" for e in sel.events),
                *(f"标签 #{t}" for t in sel.tags)]
    parts_en = [*(f"stage {s}" for s in sel.stages), *(f"step {e}" for e in sel.events),
                *(f"tag #{t}" for t in sel.tags)]
    return Text("或".join(parts_zh), " or ".join(parts_en))


def _describe(prop: Property, target: Selector, gate: Selector) -> Text:
    if prop.label is not None:
        return prop.label.text()
    t, g = _sel_text(target), _sel_text(gate)
    return Text(f"每条到达{t.zh}的路径都先经过{g.zh}",
                f"every path to {t.en} passes {g.en} first")


def _path_text(proc: Procedure, path: list[Edge]) -> Text:
    if not path:
        start = proc.machine.initial
        return Text(f"初始阶段 {start} 本身", f"the initial stage {start} itself")
    zh = [path[0].source]
    en = [path[0].source]
    for edge in path:
        zh.append(f"—{edge.step.event}（{edge.step.label.zh}）→ {edge.dest}")
        en.append(f"--{edge.step.event} ({edge.step.label.en})--> {edge.dest}")
    return Text(" ".join(zh), " ".join(en))
