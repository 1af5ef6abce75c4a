"""A small inspection for the report tests: two units, clean and broken cases, a case id
found in two files, a file that cannot be read, and markup in a case's own values."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.cli import app

PENGSHAN = EXAMPLES / "pengshan"
UNIT_A = "甲县委员会"
# Markup in a value must come out as text in every report.
UNIT_B = "乙县委<script>document.title='ran'</script>&amp;"
runner = CliRunner()


def _case(source: str, unit: str, case_id: str) -> str:
    text = (PENGSHAN / source).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^unit: .*$", "unit: " + json.dumps(unit, ensure_ascii=False), text)
    return re.sub(r"(?m)^case: .*$", "case: " + json.dumps(case_id, ensure_ascii=False), text)


def make_inspection(folder: Path) -> Path:
    """The folder `folder/cases` with the files the report tests read."""
    root = folder / "cases"
    for sub in ("a", "b"):
        (root / sub).mkdir(parents=True)
    files = {
        "a/1-ps7.yaml": ("ps7-below-80.yaml", UNIT_A, "A-1"),
        "a/2-clean.yaml": ("clean.yaml", UNIT_A, "A-2"),
        "a/3-cn1.yaml": ("cn1-quorum.yaml", UNIT_A, "A-3"),
        "b/1-ps7.yaml": ("ps7-below-80.yaml", UNIT_B, "B-1<b>"),
        "b/2-copy.yaml": ("clean.yaml", UNIT_B, "A-2"),  # the id of a/2-clean.yaml again
        "b/3-ps1.yaml": ("ps1-out-of-order.yaml", UNIT_B, "B-3"),
    }
    for name, (source, unit, case_id) in files.items():
        (root / name).write_text(_case(source, unit, case_id), encoding="utf-8")
    (root / "b" / "4-broken.yaml").write_text("case: [unclosed\n", encoding="utf-8")
    return root


def validate(*args: str) -> Any:
    return runner.invoke(app, ["validate", *args])


def json_report(root: Path, *extra: str) -> dict[str, Any]:
    result = validate(str(root), "--format", "json", "--jobs", "1", *extra)
    assert result.exit_code == 2, result.output  # the broken file
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def violations(doc: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(f, v) for f in doc["files"] for v in f.get("violations", [])]
