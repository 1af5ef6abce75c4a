"""Checking a record (assessment file, roster, supervision log) against its rule sets.

A record has no order of steps to replay: every rule in force on the record's date is
evaluated once over the whole record (`on: {end: true}`), usually `each` over one of its
lists. A violation points at the item it is about — `teams[2].rating` — by the check's
`at:` template (`{index}` is the item's place in the `each` list, `{item}` the item) or,
without one, at the item of the `each` list itself when that list is a field path of the
record (`record.teams` → `teams[2]`). The list's name is the violation's section, which
the reports print where a case prints its stage.
"""

from __future__ import annotations

from selection_rules.engine.checks import (
    rule_applies,
    run_check,
    unreadable_condition,
)
from selection_rules.engine.compiled import Procedure
from selection_rules.engine.findings import Finding, to_violation
from selection_rules.engine.kinds import SECTION_LABELS
from selection_rules.engine.violations import CaseResult, Violation
from selection_rules.lang.types import Env, Missing
from selection_rules.model.records import RecordFile


def replay_record(rules: Procedure, record: RecordFile, file: str = "") -> CaseResult:
    day = record.day()
    epoch = rules.epoch(day)
    env: Env = dict(epoch.env)
    env["record"] = record
    violations: list[Violation] = []
    findings: list[Finding] = []
    for rule in epoch.at_end:
        try:
            if not rule_applies(rule, env):
                continue
        except Missing as exc:  # whether the rule applies is unknown: say so
            violations.append(Violation(
                rule_id=rule.id, severity=rule.spec.severity, kind="missing_data",
                message=unreadable_condition(exc, rules.selector_labels),
                citation=epoch.rules[rule.id][1],
                stage=None, stage_label=None, loc=(), figures={"missing": exc.what}))
            continue
        for check in rule.checks:
            run_check(check, env, epoch.params, findings)
        citation = epoch.rules[rule.id][1]
        for f in findings:
            loc = f.path("record")
            # A record has no stages: its sections (the list a finding is in) stand in.
            section = loc[0] if loc and isinstance(loc[0], str) else None
            violations.append(to_violation(
                f, rule, citation, loc=loc, stage=section,
                stage_label=SECTION_LABELS.get(section) if section else None))
        findings.clear()
    return CaseResult(
        file=file,
        case_id=record.id,
        procedure="",
        rule_sets=rules.rule_sets,
        decision_date=day.isoformat(),
        stages_reached={},
        final={},
        violations=violations,
        record_kind=rules.record_kind,
        unit=record.unit,
    )
