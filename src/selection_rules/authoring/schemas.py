"""JSON Schemas of the procedure and case formats, so editors validate and complete them.

A YAML file opts in with a modeline on its first line (yaml-language-server):
    # yaml-language-server: $schema=../schemas/case.schema.json
"""

from __future__ import annotations

import json
from typing import Any

from selection_rules.engine.kinds import RECORD_KINDS, kind_label
from selection_rules.model.case import Case
from selection_rules.model.procedure import ProcedureSpec
from selection_rules.model.registers import ALL_RECORD_MODELS


def procedure_schema() -> dict[str, Any]:
    schema = ProcedureSpec.model_json_schema(by_alias=True)
    schema["title"] = "selection-rules procedure or rule set"
    return schema


def case_schema() -> dict[str, Any]:
    schema = Case.model_json_schema(by_alias=True)
    schema["title"] = "selection-rules case file (全程纪实)"
    return schema


def record_schema(kind: str) -> dict[str, Any]:
    schema = ALL_RECORD_MODELS[kind].model_json_schema(by_alias=True)
    schema["title"] = f"selection-rules {kind} record ({kind_label(kind).zh})"
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    """Every schema by name: `procedure`, `case` and one per record kind."""
    out = {"procedure": procedure_schema(), "case": case_schema()}
    out.update((kind, record_schema(kind)) for kind in RECORD_KINDS)
    return out


def file_name(name: str) -> str:
    return f"{name}.schema.json"


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
