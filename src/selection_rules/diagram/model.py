"""What a procedure diagram shows, independent of the drawing language.

Stages are nodes; each step is a node of its own between the stage(s) it leaves and the
stage it reaches, so that it can list its event and every check it applies. A case
overlay marks the stages the case reached, the steps it took, the steps where violations
occurred, the required steps it skipped, and the stages it never reached.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from selection_rules.diagram.check_lines import CheckLine, later_uses, step_checks
from selection_rules.engine.compiled import Procedure
from selection_rules.engine.violations import CaseResult
from selection_rules.i18n import Lang, Text
from selection_rules.model.case import Case


@dataclass(frozen=True)
class StageNode:
    id: str
    label: Text
    initial: bool
    final: bool


@dataclass(frozen=True)
class StepNode:
    event: str
    label: Text
    sources: tuple[str, ...]
    dest: str
    checks: tuple[CheckLine, ...]
    optional: bool
    repeatable: bool
    used_later: tuple[tuple[str, Text], ...]  # (rule id, step label) reading this step later


@dataclass
class Overlay:
    case_id: str
    reached: set[str]
    taken: set[str]
    missing: set[str]
    violations: dict[str, Counter[str]]  # step event -> rule id -> count
    elsewhere: Counter[str]  # violations not attached to a step (end-of-case rules)
    total: int

    def status(self, stage: str) -> str:
        return "reached" if stage in self.reached else "unreached"


@dataclass
class Diagram:
    id: str
    title: Text
    stages: list[StageNode]
    steps: list[StepNode]
    rule_sets: list[tuple[str, Text]]  # composed rule sets: id, title
    overlay: Overlay | None = field(default=None)


def build(proc: Procedure, case: Case | None = None,
          result: CaseResult | None = None) -> Diagram:
    stages = [StageNode(s, proc.stages[s].label.text(), proc.stages[s].initial,
                        proc.stages[s].final) for s in proc.machine.order()]
    steps = [StepNode(step.event, step.label.text(), tuple(step.sources()), step.to,
                      tuple(step_checks(proc, step.event)), step.optional, not step.once,
                      tuple((rule, proc.step_label(at)) for rule, at in
                            later_uses(proc, step.event)))
             for step in proc.spec.steps]
    sets = [(spec.id, spec.title.text()) for spec, _ in proc.layers if spec.id != proc.id]
    diagram = Diagram(proc.id, proc.title, stages, steps, sets)
    if case is not None and result is not None:
        diagram.overlay = overlay(proc, case, result)
    return diagram


def overlay(proc: Procedure, case: Case, result: CaseResult) -> Overlay:
    reached = {s for path in result.stages_reached.values() for s in path}
    missing: set[str] = set()
    per_step: dict[str, Counter[str]] = {}
    elsewhere: Counter[str] = Counter()
    for v in result.violations:
        if v.kind in ("skipped", "incomplete"):
            gone = v.figures.get("missing")
            if isinstance(gone, list):
                missing.update(str(e) for e in gone)
        if v.event_type is not None and v.event_type in proc.steps:
            per_step.setdefault(v.event_type, Counter())[v.rule_id] += 1
        elif v.kind != "incomplete":
            elsewhere[v.rule_id] += 1
    # A skipped stage is passed through by replay's resynchronisation but was not reached.
    skipped_dests = {proc.steps[e].to for e in missing if e in proc.steps}
    taken = {ev.type for ev in case.events if ev.type in proc.steps}
    reached -= skipped_dests - {proc.steps[e].to for e in taken}
    return Overlay(result.case_id, reached, taken, missing, per_step, elsewhere,
                   len(result.violations))


def legend(lang: Lang) -> list[tuple[str, Text]]:
    return [
        ("reached", Text("已到达的阶段", "stage reached")),
        ("taken", Text("已进行的步骤", "step taken")),
        ("violated", Text("出现违规的步骤", "step with violations")),
        ("missing", Text("缺少的步骤", "step missing")),
        ("unreached", Text("未到达的阶段", "stage never reached")),
    ]
