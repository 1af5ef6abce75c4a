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

from collections.abc import Callable

from selection_rules.engine.checks import Finding, rule_applies, run_check, to_violation
from selection_rules.engine.compiled import Procedure
from selection_rules.engine.kinds import SECTION_LABELS, KindCheck
from selection_rules.engine.library import Library
from selection_rules.engine.procedure import load_record_rules
from selection_rules.engine.record_loader import parse_record
from selection_rules.engine.violations import CaseResult, Violation
from selection_rules.errors import InputError
from selection_rules.lang.expressions import Env
from selection_rules.model.records import RecordFile
from selection_rules.source.document import Document


def replay_record(rules: Procedure, record: RecordFile, file: str = "") -> CaseResult:
    day = record.day()
    epoch = rules.epoch(day)
    env: Env = dict(epoch.env)
    env["record"] = record
    violations: list[Violation] = []
    findings: list[Finding] = []
    for rule in epoch.at_end:
        if not rule_applies(rule, env):
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
    )


def cached_record_loader(library: Library) -> Callable[[str, tuple[str, ...]], Procedure]:
    cache: dict[tuple[str, tuple[str, ...]], Procedure | InputError] = {}

    def get(kind: str, rule_sets: tuple[str, ...]) -> Procedure:
        key = (kind, rule_sets)
        if key not in cache:
            try:
                cache[key] = load_record_rules(kind, rule_sets, library)
            except InputError as exc:
                cache[key] = exc
        found = cache[key]
        if isinstance(found, InputError):
            raise found
        return found

    return get


class RecordChecker:
    """What `validate` does with a record file."""

    def __init__(self, library: Library, kinds: KindCheck) -> None:
        self.library = library
        self.kinds = kinds
        self.rules = cached_record_loader(library)

    def validate(self, doc: Document, kind: str) -> CaseResult:
        """The record's result; InputError for a bad record or rule set."""
        record = parse_record(doc, kind)
        for i, name in enumerate(record.rule_sets):
            self.library.require(name, doc, ("rule_sets", i), "rule_set")
        self.kinds.check(doc, kind, [(n, ("rule_sets", i)) for i, n in enumerate(record.rule_sets)])
        rules = self.rules(kind, tuple(record.rule_sets))
        result = replay_record(rules, record, file=doc.path)
        for v in result.violations:
            v.line = doc.line_of(v.loc)
        return result
