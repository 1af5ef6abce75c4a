"""`validate --format junit`: JUnit XML for CI dashboards.

One testsuite for the run, one testcase per case file (its classname the unit, its name
the file and the case id), one failure per violation (type the rule, message the
violation's text, the body its severity, location, figures and source); a file that
cannot be read is a testcase with an error. The XML is built with xml.etree, which
escapes what it writes; characters XML cannot hold at all are replaced.
"""

from __future__ import annotations

import re
from typing import Any

from selection_rules.i18n import Lang
from selection_rules.report import words as w

# Characters no XML 1.0 document may contain (control characters, lone surrogates).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def x(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def render_junit(doc: dict[str, Any], lang: Lang = "zh") -> bytes:
    import xml.etree.ElementTree as ET

    tot = doc["totals"]
    failures = sum(1 for f in doc["files"] if f["status"] == "violations")
    suites = ET.Element("testsuites", name="selection-rules validate")
    suite = ET.SubElement(suites, "testsuite", {
        "name": "selection-rules validate", "tests": str(len(doc["files"])),
        "failures": str(failures), "errors": str(sum(1 for f in doc["files"]
                                                     if f["status"] == "error")),
        "skipped": "0"})
    props = ET.SubElement(suite, "properties")
    for key in ("files", "clean", "with_violations", "errors"):
        ET.SubElement(props, "property", name=key, value=str(tot[key]))
    for sev, n in tot["violations"].items():
        ET.SubElement(props, "property", name=f"violations.{sev}", value=str(n))
    for f in doc["files"]:
        name = f["file"] + (f" ({w.ident(f)})" if w.ident(f) else "")
        case = ET.SubElement(suite, "testcase", {
            "classname": x(f.get("unit") or w.t(lang, "单位不明", "unit unknown")),
            "name": x(name), "file": x(f["file"])})
        for p in f.get("problems", []):
            err = ET.SubElement(case, "error", {
                "type": w.t(lang, "输入错误", "bad input"), "message": x(w.problem(p, lang))})
            err.text = x(w.problem(p, lang))
        for v in f.get("violations", []):
            loc = v.get("location") or {}
            failure = ET.SubElement(case, "failure", {
                "type": x(v["rule"]), "message": x(w.msg(v["message"], lang))})
            if loc.get("line") is not None:
                failure.set("line", str(loc["line"]))
            body = [
                f"{v['rule']} {w.SEVERITY[v['severity']].get(lang)}  {w.where(v)}",
                w.msg(v["message"], lang),
            ]
            if v.get("figures"):
                body.append(w.t(lang, "数据：", "figures: ") + w.figures(v["figures"], lang))
            if v.get("citation"):
                body.append(w.t(lang, "依据：", "source: ") + w.citation(v["citation"], lang))
            failure.text = x("\n".join(body))
    ET.indent(suites)
    data: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
