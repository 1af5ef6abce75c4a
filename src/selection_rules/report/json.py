"""The machine-readable report of `validate --format json` (documented in README)."""

from __future__ import annotations

import json
from typing import Any

from selection_rules.engine.validation import Outcome
from selection_rules.engine.violations import Violation
from selection_rules.i18n import Text
from selection_rules.model.procedure import SEVERITIES, Citation
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
        "location": {"file": file, "line": v.line, "path": format_loc(v.loc)},
        "message": v.message.as_dict(),
        "figures": v.figures,
        "citation": citation_dict(v.citation),
    }




def outcome_dict(o: Outcome) -> dict[str, Any]:
    if o.result is None:
        return {
            "file": o.path,
            "status": "error",
            "problems": [p.as_dict() for p in o.problems],
        }
    r = o.result
    if r.record_kind != "selection":
        return {
            "file": o.path,
            "status": "clean" if r.clean else "violations",
            "kind": r.record_kind,
            "record": r.case_id,
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


def render(outcomes: list[Outcome]) -> str:
    files = [outcome_dict(o) for o in outcomes]
    totals: dict[str, Any] = {
        "files": len(files),
        "clean": sum(f["status"] == "clean" for f in files),
        "with_violations": sum(f["status"] == "violations" for f in files),
        "errors": sum(f["status"] == "error" for f in files),
        "violations": dict.fromkeys(SEVERITIES, 0),
    }
    for o in outcomes:
        if o.result is not None:
            for sev, n in o.result.counts().items():
                totals["violations"][sev] += n
    doc = {"format": "selection-rules/validate", "version": FORMAT_VERSION,
           "files": files, "totals": totals}
    return json.dumps(doc, ensure_ascii=False, indent=2, default=str)
