"""What replay finds: violations and the per-case summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from selection_rules.i18n import Text
from selection_rules.model.procedure import SEVERITIES, Citation, Severity

Kind = Literal[
    "check",  # a check failed on figures the case file records
    "missing_data",  # a check needs a figure the case file does not record
    "unknown_event",  # an event type the procedure does not have
    "out_of_order",  # an event the procedure does not allow at that point
    "repeated",  # a once-per-post step that happened again
    "skipped",  # required steps that never happened before a later one
    "incomplete",  # required steps missing at the end of the case
    "date_order",  # an event dated before an earlier event of the same post
    "calendar",  # working days counted without official calendar data
]

STRUCTURAL_KINDS = frozenset(
    {"unknown_event", "out_of_order", "repeated", "skipped", "incomplete", "date_order"})


@dataclass(slots=True)
class Violation:
    rule_id: str
    severity: Severity
    kind: Kind
    message: Text
    citation: Citation | None
    stage: str | None = None
    stage_label: Text | None = None
    event_index: int | None = None
    event_type: str | None = None
    loc: tuple[str | int, ...] = ()
    post: str | None = None
    figures: dict[str, object] = field(default_factory=dict)
    line: int | None = None  # filled in by the reporter, which knows the document
    cell: str | None = None  # a workbook's cell in place of the line: `人选!C5`

    @property
    def structural(self) -> bool:
        return self.kind in STRUCTURAL_KINDS


@dataclass
class CaseResult:
    file: str
    case_id: str
    procedure: str
    rule_sets: tuple[str, ...]
    decision_date: str | None
    stages_reached: dict[str, list[str]]  # post -> stages in the order reached
    final: dict[str, bool]  # post -> ended in a final stage
    violations: list[Violation]
    # "selection" for a case replayed through a procedure; otherwise the kind of record
    # (records.py) checked by rule sets, which has no procedure, stages or posts.
    record_kind: str = "selection"
    # The stages' labels, for a report that names them in words (stage id -> label).
    stage_labels: dict[str, Text] = field(default_factory=dict)
    # The unit that selects (a case) or keeps the record: reports group files by it.
    unit: str | None = None

    @property
    def fit(self) -> bool:
        """The record follows the procedure's order (conformance-checking's 'fitness')."""
        return not any(v.structural for v in self.violations)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for v in self.violations:
            out[v.severity] += 1
        return out

    @property
    def clean(self) -> bool:
        return not self.violations
