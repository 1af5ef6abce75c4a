"""The machine-readable report of `validate --format json` (documented in README)."""

from __future__ import annotations

from typing import Any, TextIO

from selection_rules.engine.validation import Outcome
from selection_rules.engine.violations import Violation
from selection_rules.i18n import Text
from selection_rules.model.procedure import Citation
from selection_rules.report import REPORT_FORMAT
from selection_rules.report.json_text import dumps
from selection_rules.report.summary import Summary
from selection_rules.report.text import Tally
from selection_rules.source.paths import format_loc

FORMAT_VERSION = 1


def citation_dict(c: Citation | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {k: v for k, v in c.model_dump().items() if v is not None}


def _text(t: Text | None) -> dict[str, str] | None:
    return t.as_dict() if t is not None else None


def violation_dict(v: Violation, file: str) -> dict[str, Any]:
    return {
        "rule": v.rule_id,
        "severity": v.severity,
        "kind": v.kind,
        "stage": {"id": v.stage, **(v.stage_label.as_dict() if v.stage_label else {})}
        if v.stage else None,
        "event": {"index": v.event_index, "type": v.event_type}
        if v.event_index is not None else None,
        "post": v.post,
        "location": {"file": file, "line": v.line, "path": format_loc(v.loc),
                     **({"cell": v.cell} if v.cell else {})},
        "message": v.message.as_dict(),
        "figures": v.figures,
        "citation": citation_dict(v.citation),
    }


def outcome_dict(o: Outcome) -> dict[str, Any]:
    if o.result is None:
        return {
            "file": o.path,
            "status": "error",
            "unit": None,  # the file could not be read far enough to say
            "problems": [p.as_dict() for p in o.problems],
        }
    r = o.result
    if r.record_kind != "selection":
        return {
            "file": o.path,
            "status": "clean" if r.clean else "violations",
            "kind": r.record_kind,
            "record": r.case_id,
            "unit": r.unit,
            "rule_sets": list(r.rule_sets),
            "as_of": r.decision_date,
            "summary": {"counts": r.counts()},
            "violations": [violation_dict(v, o.path) for v in r.violations],
        }
    return {
        "file": o.path,
        "status": "clean" if r.clean else "violations",
        "kind": "selection",
        "case": r.case_id,
        "unit": r.unit,
        "procedure": r.procedure,
        "rule_sets": list(r.rule_sets),
        "decision_date": r.decision_date,
        "summary": {
            "fit": r.fit,
            "final": r.final,
            "stages_reached": r.stages_reached,
            "counts": r.counts(),
        },
        "violations": [violation_dict(v, o.path) for v in r.violations],
    }


def _dumps(value: Any, level: int = 0) -> str:
    """`value` as json.dumps writes it `level` levels deep in an indented document."""
    text = dumps(value, indent=2)
    return text.replace("\n", "\n" + "  " * level) if level else text


class JsonWriter:
    """`--format json` written as the files finish: the document's head, each file's
    object as it comes, then the totals; byte for byte what one json.dumps of the whole
    document writes, while only the totals are kept."""

    def __init__(self, stream: TextIO, *, only_failed: bool = False) -> None:
        self.out = stream
        self.tally = Tally()
        self.summary = Summary()
        self.only_failed = only_failed
        self.listed = 0
        self.out.write('{\n  "format": "' + REPORT_FORMAT + '",\n'
                       f'  "version": {FORMAT_VERSION},\n  "files": [')

    def add(self, o: Outcome) -> None:
        self.tally.add(o)
        self.summary.add(o)
        if self.only_failed and o.result is not None and o.result.clean:
            return
        self.out.write(("\n    " if not self.listed else ",\n    ")
                       + _dumps(outcome_dict(o), 2))
        self.listed += 1

    def close(self) -> None:
        self.out.write(("\n  ]" if self.listed else "]") + ',\n  "totals": '
                       + _dumps(totals(self.tally), 1) + ',\n  "summary": '
                       + _dumps(self.summary.as_dict(), 1) + "\n}\n")
        self.out.flush()


class JsonLinesWriter:
    """`--format jsonl`: one line per file as it finishes (the object `--format json`
    lists under `files`), then one line with the document's format and totals."""

    def __init__(self, stream: TextIO, *, only_failed: bool = False) -> None:
        self.out = stream
        self.tally = Tally()
        self.summary = Summary()
        self.only_failed = only_failed

    def add(self, o: Outcome) -> None:
        self.tally.add(o)
        self.summary.add(o)
        if self.only_failed and o.result is not None and o.result.clean:
            return
        self.out.write(dumps(outcome_dict(o)) + "\n")

    def close(self) -> None:
        self.out.write(dumps({"format": REPORT_FORMAT, "version": FORMAT_VERSION,
                              "totals": totals(self.tally),
                              "summary": self.summary.as_dict()}) + "\n")
        self.out.flush()


def totals(tally: Tally) -> dict[str, Any]:
    return {
        "files": tally.files,
        "clean": tally.files - tally.bad - tally.dirty,
        "with_violations": tally.dirty,
        "errors": tally.bad,
        "violations": dict(tally.counts),
    }
