"""JSON Schemas of the procedure and case formats, so editors validate and complete them.

A YAML file opts in with a modeline on its first line (yaml-language-server):
    # yaml-language-server: $schema=../schemas/case.schema.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from selection_rules.casefile import Case
from selection_rules.procedure_model import ProcedureSpec
from selection_rules.record_kinds import RECORD_KINDS, kind_label
from selection_rules.records import RECORD_MODELS


def procedure_schema() -> dict[str, Any]:
    schema = ProcedureSpec.model_json_schema(by_alias=True)
    schema["title"] = "selection-rules procedure or rule set"
    return schema


def case_schema() -> dict[str, Any]:
    schema = Case.model_json_schema(by_alias=True)
    schema["title"] = "selection-rules case file (全程纪实)"
    return schema


def record_schema(kind: str) -> dict[str, Any]:
    schema = RECORD_MODELS[kind].model_json_schema(by_alias=True)
    schema["title"] = f"selection-rules {kind} record ({kind_label(kind).zh})"
    return schema


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    schemas = [("procedure", procedure_schema()), ("case", case_schema())]
    schemas += [(kind, record_schema(kind)) for kind in RECORD_KINDS]
    for name, schema in schemas:
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(path)
    return out
