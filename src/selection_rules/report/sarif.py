"""SARIF 2.1.0, as code-scanning services read it, for `validate` and `lint`.

One run of the tool `selection-rules`: its rules (each with its source's words as help
text), and one result per violation or finding with ruleId, level (error, warning, note),
message and the file and line. Files that could not be read are the run's notifications,
and make the run unsuccessful. Messages are in the report's language; both texts are in
each result's properties.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

from selection_rules.i18n import Lang
from selection_rules.report import words as w
from selection_rules.report.json_text import dumps

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def uri(path: str) -> dict[str, str]:
    """An artifactLocation: a relative path as a URI reference against the folder the
    tool ran in (%SRCROOT%), an absolute one as a file: URI."""
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(PurePath(path).as_posix(), safe="/"), "uriBaseId": "%SRCROOT%"}


def location(file: str, line: int | None, path: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": uri(file)}
    if line:
        physical["region"] = {"startLine": line}
    out: dict[str, Any] = {"physicalLocation": physical}
    if path:
        out["logicalLocations"] = [{"fullyQualifiedName": path, "kind": "member"}]
    return out


def document(rules: list[dict[str, Any]], results: list[dict[str, Any]],
             notifications: list[dict[str, Any]]) -> bytes:
    from selection_rules import __version__

    run: dict[str, Any] = {
        "tool": {"driver": {"name": "selection-rules", "version": __version__,
                            "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{"executionSuccessful": not any(
                             n["level"] == "error" for n in notifications),
                         "toolExecutionNotifications": notifications}],
    }
    return (dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)
            + "\n").encode("utf-8")


def validate_sarif(doc: dict[str, Any], lang: Lang = "zh") -> bytes:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for r in sorted(doc["summary"]["by_rule"], key=lambda r: r["rule"]):
        index[r["rule"]] = len(rules)
        severity = max(r["counts"], key=lambda s: (r["counts"][s], s == "error"))
        source = w.citation(r["citation"])
        rules.append({"id": r["rule"], "name": r["rule"],
                      "shortDescription": {"text": source or r["rule"]},
                      "help": {"text": source or r["rule"]},
                      "defaultConfiguration": {"level": LEVEL[severity]},
                      "properties": {"citation": r["citation"]}})
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for f in doc["files"]:
        for p in f.get("problems", []):
            notifications.append({"level": "error", "message": {"text": w.problem(p, lang)},
                                  "locations": [location(p["file"], p.get("line"))]})
        for v in f.get("violations", []):
            loc = v.get("location") or {}
            result: dict[str, Any] = {
                "ruleId": v["rule"], "level": LEVEL[v["severity"]],
                "message": {"text": w.msg(v["message"], lang)},
                "locations": [location(loc.get("file") or f["file"], loc.get("line"),
                                       loc.get("path"))],
                "properties": {"severity": v["severity"], "kind": v["kind"],
                               "unit": f.get("unit"), "case": w.ident(f),
                               "message": v["message"], "figures": v.get("figures") or {},
                               "citation": v.get("citation")},
            }
            if v["rule"] in index:
                result["ruleIndex"] = index[v["rule"]]
            results.append(result)
    for d in doc["summary"]["duplicate_ids"]:
        # Almost always a copy-paste error in an archive: said once, at every file.
        text = w.t(lang, f"案卷编号 {d['id']} 出现在 {len(d['files'])} 个文件中",
                   f"case id {d['id']} is in {len(d['files'])} files")
        notifications.append({"level": "warning", "message": {"text": text},
                              "locations": [location(f, None) for f in d["files"]]})
    return document(rules, results, notifications)


def lint_sarif(report: Any, lang: Lang = "zh") -> bytes:
    """`lint --format sarif`: one result per finding; each kind of finding is a rule whose
    help text says how to fix it."""
    from selection_rules.lint.findings import KINDS

    used = sorted({f.kind for f in report.findings})
    index = {kind: i for i, kind in enumerate(used)}
    rules = [{"id": kind, "name": KINDS[kind].name,
              "shortDescription": {"text": KINDS[kind].name},
              "help": {"text": KINDS[kind].hint.get(lang)},
              "defaultConfiguration": {"level": LEVEL[KINDS[kind].severity]},
              "properties": {"hint": KINDS[kind].hint.as_dict()}} for kind in used]
    results = [{"ruleId": f.kind, "ruleIndex": index[f.kind], "level": LEVEL[f.severity],
                "message": {"text": f.message.get(lang)},
                "locations": [location(f.file, f.line, f.field)],
                "properties": {"message": f.message.as_dict()}} for f in report.findings]
    notifications = [{"level": "error", "message": {"text": p.render(lang)},
                      "locations": [location(p.file, p.line)]} for p in report.problems]
    return document(rules, results, notifications)
