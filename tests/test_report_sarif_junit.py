"""SARIF 2.1.0 and JUnit XML: their structure, every violation, the JSON's line numbers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from report_cases import UNIT_B, json_report, make_inspection, validate, violations
from selection_rules.cli import app


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_inspection(tmp_path_factory.mktemp("ci"))


@pytest.fixture(scope="module")
def doc(root: Path) -> dict[str, Any]:
    return json_report(root)


@pytest.fixture(scope="module")
def sarif(root: Path) -> dict[str, Any]:
    result = validate(str(root), "--format", "sarif", "--jobs", "1")
    assert result.exit_code == 2
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_sarif_has_the_required_fields(sarif: dict[str, Any]) -> None:
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "selection-rules" and driver["rules"]
    for rule in driver["rules"]:
        assert rule["id"] and rule["help"]["text"] and rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    ids = [r["id"] for r in driver["rules"]]
    for result in run["results"]:
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        assert ids[result["ruleIndex"]] == result["ruleId"]
        [loc] = result["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"]


def test_sarif_rules_carry_their_source_as_help(sarif: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["PS-7"]["help"]["text"] == (
        "000_1d6b22ca1a2a0151.txt “民主推薦票不足80%的不作為考察對象”")
    assert "《党政领导干部选拔任用工作条例》" in rules["CN-1"]["help"]["text"]


def test_sarif_has_every_violation_at_the_json_s_line(root: Path, sarif: dict[str, Any],
                                                      doc: dict[str, Any]) -> None:
    run = sarif["runs"][0]
    got = []
    for r in run["results"]:
        phys = r["locations"][0]["physicalLocation"]
        art = phys["artifactLocation"]
        path = unquote(art["uri"]) if art.get("uriBaseId") else unquote(
            art["uri"].removeprefix("file://"))
        got.append((r["ruleId"], r["level"], path, phys["region"]["startLine"],
                    r["message"]["text"], r["properties"]["unit"]))
    level = {"error": "error", "warning": "warning", "info": "note"}
    assert got == [(v["rule"], level[v["severity"]], v["location"]["file"],
                    v["location"]["line"], v["message"]["zh"], f["unit"])
                   for f, v in violations(doc)]
    # The unreadable file is a notification, and the run did not succeed.
    [inv] = run["invocations"]
    assert not inv["executionSuccessful"]
    bad, dup = inv["toolExecutionNotifications"]
    assert bad["level"] == "error" and "4-broken.yaml" in bad["locations"][0][
        "physicalLocation"]["artifactLocation"]["uri"]
    # The case id found in two files is a warning naming both.
    assert dup["level"] == "warning" and "A-2" in dup["message"]["text"]
    assert [unquote(x["physicalLocation"]["artifactLocation"]["uri"]).rsplit("/", 1)[1]
            for x in dup["locations"]] == ["2-clean.yaml", "2-copy.yaml"]


def test_junit_has_a_testcase_per_file_and_a_failure_per_violation(
        root: Path, doc: dict[str, Any]) -> None:
    out = root.parent / "junit.xml"
    result = validate(str(root), "--format", "junit", "-o", str(out), "--jobs", "1")
    assert result.exit_code == 2
    tree = ET.parse(out)
    [suite] = tree.getroot().findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("file") for c in cases] == [f["file"] for f in doc["files"]]
    assert suite.get("tests") == str(len(doc["files"]))
    assert suite.get("failures") == str(doc["totals"]["with_violations"])
    assert suite.get("errors") == str(doc["totals"]["errors"])
    for case, f in zip(cases, doc["files"], strict=True):
        failures = case.findall("failure")
        assert [(x.get("type"), x.get("line"), x.get("message")) for x in failures] == [
            (v["rule"], str(v["location"]["line"]), v["message"]["zh"])
            for v in f.get("violations", [])]
        for x, v in zip(failures, f.get("violations", []), strict=True):
            assert f"{v['location']['file']}:{v['location']['line']}" in (x.text or "")
        assert len(case.findall("error")) == len(f.get("problems", []))
        if f["unit"]:
            assert case.get("classname") == f["unit"]
    # Markup in a unit name is escaped by the XML writer, and parses back as written.
    assert any(c.get("classname") == UNIT_B for c in cases)
    assert b"<script>" not in out.read_bytes()


def test_junit_replaces_characters_xml_cannot_hold() -> None:
    from selection_rules.report.junit import render_junit

    doc = {"totals": {"files": 1, "clean": 0, "with_violations": 1, "errors": 0,
                      "violations": {"error": 1, "warning": 0, "info": 0}},
           "files": [{"file": "a\x01b.yaml", "status": "violations", "unit": "u\ud800",
                      "case": "c", "summary": {"counts": {"error": 1}},
                      "violations": [{"rule": "R-1", "severity": "error",
                                      "message": {"zh": "x\x0by", "en": "x"},
                                      "location": {"file": "a.yaml", "line": 3},
                                      "figures": {}, "citation": None}]}]}
    root = ET.fromstring(render_junit(doc))
    case = root.find("testsuite/testcase")
    assert case is not None and case.get("file") == "a\ufffdb.yaml"
    failure = case.find("failure")
    assert failure is not None and failure.get("message") == "x\ufffdy"


def test_lint_sarif_lists_every_finding(tmp_path: Path) -> None:
    runner = CliRunner()
    broken = str(ROOT / "tests" / "lint" / "l102-unknown-event.yaml")
    plain = json.loads(runner.invoke(app, ["lint", broken, "--format", "json"]).stdout)
    result = runner.invoke(app, ["lint", broken, "--format", "sarif", "--lang", "en"])
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    [run] = sarif["runs"]
    assert sarif["version"] == "2.1.0"
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"].get("region", {}).get(
        "startLine")) for r in run["results"]] == [
        (f["id"], f["line"]) for f in plain["findings"]]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["L102"]["help"]["text"].startswith("use the event of one of the steps")
