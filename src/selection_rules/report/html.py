"""`validate --format html`: one self-contained page for a supervisor's browser.

Everything is inline (style, script, diagrams): the page names no address, so it opens
the same on a machine with no network, attached to a mail or copied to a USB stick. The
key figures come first, then the summaries by unit and by rule, the problems common to
several units and repeated case ids; below them the filters (unit, rule, severity) and
each case with its violations, figures, file:line, the source's words and the diagram.
Every text that comes from an input file is escaped. Print styles leave out the filters
and keep each case on its page, so "print to PDF" gives a paper report of what is shown.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from selection_rules.i18n import Lang, Text
from selection_rules.model.procedure import SEVERITIES
from selection_rules.report import words as w
from selection_rules.report.html_diagrams import Pictures, beyond_limit
from selection_rules.report.html_style import CSS, SCRIPT
from selection_rules.report.summary import COMMON_MIN_UNITS, SEVERITY_WORDS, UNKNOWN_UNIT


def e(value: object) -> str:
    return escape(str(value), quote=True)


def render_html(doc: dict[str, Any], lang: Lang, pictures: Pictures | None = None) -> str:
    pictures = pictures or Pictures()

    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    title = t("选人用人检查报告", "Cadre-selection check report")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{e(title)}</h1><p class=\"meta\">"
        + e(t(f"生成日期 {dt.date.today().isoformat()} · selection-rules validate",
              f"Written {dt.date.today().isoformat()} · selection-rules validate"))
        + "</p></header>",
        _figures(doc, lang),
        _by_unit(doc, lang),
        _by_rule(doc, lang),
        _common(doc, lang),
        _duplicates(doc, lang),
        _filters(doc, lang),
        '<section id="cases"><h2>' + e(t("逐案问题", "Cases and their violations")) + "</h2>",
    ]
    drawn = 0
    for entry in doc["files"]:
        if entry["status"] == "violations":
            parts.append(_case(entry, lang, pictures, drawn))
            if entry.get("kind") == "selection":
                drawn += 1
        elif entry["status"] == "error":
            parts.append(_unreadable(entry, lang))
    if not any(f["status"] != "clean" for f in doc["files"]):
        parts.append('<p class="none">' + e(t("没有发现问题。", "No problems found.")) + "</p>")
    parts += ["</section>", _status(doc, lang),
              f"<script>{SCRIPT}</script></body></html>"]
    return "\n".join(parts) + "\n"


def _figures(doc: dict[str, Any], lang: Lang) -> str:
    tot = doc["totals"]
    cells = [
        ("files", tot["files"], Text("个文件", "files")),
        ("clean", tot["clean"], Text("个无问题", "clean")),
        ("with_violations", tot["with_violations"], Text("个有违规", "with violations")),
        ("errors", tot["errors"], Text("个无法读取", "unreadable")),
        *((sev, tot["violations"].get(sev, 0),
           Text(f"条{w.SEVERITY[sev].zh}", SEVERITY_WORDS[sev].en)) for sev in SEVERITIES),
        ("units", sum(1 for u in doc["summary"]["by_unit"] if u["unit"] is not None),
         Text("个单位", "units")),
    ]
    out = ['<section id="figures" class="figures">']
    for key, value, label in cells:
        out.append(f'<div class="fig fig-{e(key)}"><b data-figure="{e(key)}">{e(value)}</b>'
                   f"<span>{e(label.get(lang))}</span></div>")
    return "".join(out) + "</section>"


def _table(head: list[str], rows: list[str], cls: str = "") -> str:
    return (f'<table class="{cls}"><thead><tr>' + "".join(f"<th>{e(h)}</th>" for h in head)
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _by_unit(doc: dict[str, Any], lang: Lang) -> str:
    head = [w.t(lang, "单位", "Unit"), w.t(lang, "文件", "Files"),
            w.t(lang, "无问题", "Clean"), w.t(lang, "有错误的文件", "Files with errors"),
            *(w.SEVERITY[s].get(lang) for s in SEVERITIES), w.t(lang, "无法读取", "Unreadable")]
    rows = []
    for u in doc["summary"]["by_unit"]:
        name = u["unit"] if u["unit"] is not None else UNKNOWN_UNIT.get(lang)
        cols = [("files", u["files"]), ("clean", u["clean"]), ("with_errors", u["with_errors"]),
                *((s, u["counts"][s]) for s in SEVERITIES), ("unreadable", u["unreadable"])]
        rows.append(f'<tr class="unit-row" data-unit="{e(u["unit"] or "")}"><th>{e(name)}</th>'
                    + "".join(f'<td class="n" data-col="{k}">{e(v)}</td>' for k, v in cols)
                    + "</tr>")
    return ('<section id="by-unit"><h2>' + e(w.t(lang, "按单位汇总", "By unit")) + "</h2>"
            + _table(head, rows, "summary") + "</section>")


def _by_rule(doc: dict[str, Any], lang: Lang) -> str:
    rules = doc["summary"]["by_rule"]
    head = [w.t(lang, "规则", "Rule"), w.t(lang, "条数", "Violations"),
            w.t(lang, "文件", "Files"), w.t(lang, "单位", "Units"), w.t(lang, "依据", "Source")]
    rows = [f'<tr data-rule="{e(r["rule"])}"><th>{e(r["rule"])}</th>'
            f'<td class="n" data-col="count">{e(r["count"])}</td>'
            f'<td class="n" data-col="files">{e(r["files"])}</td>'
            f'<td class="n" data-col="units">{e(r["units"])}</td>'
            f'<td class="cite">{e(w.citation(r["citation"], lang))}</td></tr>' for r in rules]
    body = (_table(head, rows, "summary") if rules else
            '<p class="none">' + e(w.t(lang, "没有违规。", "No violations.")) + "</p>")
    return ('<section id="by-rule"><h2>' + e(w.t(lang, "按问题（规则）汇总", "By problem (rule)"))
            + "</h2>" + body + "</section>")


def _common(doc: dict[str, Any], lang: Lang) -> str:
    common = doc["summary"]["common"]
    head = e(w.t(lang, f"多个单位共有的问题（{COMMON_MIN_UNITS} 个单位及以上）",
                 f"Problems common to several units ({COMMON_MIN_UNITS} units or more)"))
    if not common:
        return (f'<section id="common"><h2>{head}</h2><p class="none">'
                + e(w.t(lang, "无。", "None.")) + "</p></section>")
    sep = w.t(lang, "、", ", ")
    items = [f'<li data-rule="{e(c["rule"])}"><b>{e(c["rule"])}</b> '
             + e(w.t(lang, f"{c['units']}/{c['of_units']} 个单位，{c['files']} 个文件，"
                     f"{c['count']} 条：", f"{c['units']} of {c['of_units']} units, "
                     f"{c['files']} file(s), {c['count']} violation(s): "))
             + e(sep.join(c["unit_names"])) + "</li>" for c in common]
    return f'<section id="common"><h2>{head}</h2><ul>' + "".join(items) + "</ul></section>"


def _duplicates(doc: dict[str, Any], lang: Lang) -> str:
    dups = doc["summary"]["duplicate_ids"]
    if not dups:
        return ""
    items = [f'<li class="dup"><b>{e(d["id"])}</b> '
             + e(w.t(lang, f"出现在 {len(d['files'])} 个文件中：", f"is in {len(d['files'])} "
                     "files: ") + w.t(lang, "、", ", ").join(d["files"])) + "</li>"
             for d in dups]
    return ('<section id="duplicates" class="warn"><h2>'
            + e(w.t(lang, "重复的案卷编号（多为复制粘贴错误）",
                    "Case ids in more than one file (usually a copy-paste error)"))
            + "</h2><ul>" + "".join(items) + "</ul></section>")


def _filters(doc: dict[str, Any], lang: Lang) -> str:
    units = sorted({f["unit"] for f in doc["files"] if f.get("unit")})
    rules = sorted({v["rule"] for f in doc["files"] for v in f.get("violations", [])})
    every = w.t(lang, "全部", "all")

    def select(ident: str, label: str, options: list[tuple[str, str]]) -> str:
        opts = f'<option value="">{e(every)}</option>' + "".join(
            f'<option value="{e(v)}">{e(text)}</option>' for v, text in options)
        return f'<label>{e(label)} <select id="{ident}">{opts}</select></label>'

    return ('<nav id="filters" class="filters">'
            + select("f-unit", w.t(lang, "单位", "Unit"), [(u, u) for u in units])
            + select("f-rule", w.t(lang, "规则", "Rule"), [(r, r) for r in rules])
            + select("f-severity", w.t(lang, "严重程度", "Severity"),
                     [(s, w.SEVERITY[s].get(lang)) for s in SEVERITIES])
            + '<span id="shown" data-template="' + e(w.t(
                lang, "显示 {n} / {all} 条违规", "showing {n} of {all} violations")) + '"></span>'
            + "</nav>")


def _case(entry: dict[str, Any], lang: Lang, pictures: Pictures, drawn: int) -> str:
    unit = entry.get("unit") or ""
    kind = w.KIND.get(entry.get("kind", ""), Text("", "")).get(lang)
    head = [f"{kind} {w.ident(entry)}"]
    if unit:
        head.append(unit)
    if entry.get("procedure"):
        head.append(w.t(lang, "程序 ", "procedure ") + entry["procedure"])
    if entry.get("rule_sets"):
        head.append(w.t(lang, "规则集 ", "rule sets ") + ", ".join(entry["rule_sets"]))
    date = entry.get("decision_date") or entry.get("as_of")
    if date:
        head.append(w.t(lang, "决定日期 ", "decided ") + str(date) if entry.get("kind") ==
                    "selection" else w.t(lang, "截至 ", "as of ") + str(date))
    counts = entry["summary"]["counts"]
    tally = " · ".join(f"{w.SEVERITY[s].get(lang)} {counts[s]}" for s in SEVERITIES)
    out = [f'<article class="case" data-unit="{e(unit)}" data-file="{e(entry["file"])}">',
           f'<h3><span class="mark">✗</span> {e(entry["file"])}</h3>',
           f'<p class="head">{e(" · ".join(head))}</p><p class="tally">{e(tally)}</p>']
    summary = entry["summary"]
    for post, stages in summary.get("stages_reached", {}).items():
        end = (w.t(lang, "已到终点", "reached the end") if summary["final"].get(post)
               else w.t(lang, "未到终点", "did not reach the end"))
        out.append(f'<p class="path">{e(w.t(lang, "职位", "post"))} {e(post)}: '
                   f'{e(" → ".join(stages))} ({e(end)})</p>')
    head_cells = [w.t(lang, "规则", "Rule"), w.t(lang, "严重程度", "Severity"),
                  w.t(lang, "阶段", "Stage"), w.t(lang, "职位", "Post"),
                  w.t(lang, "问题", "Problem"), w.t(lang, "数据", "Figures"),
                  w.t(lang, "位置", "Location"), w.t(lang, "依据", "Source")]
    rows = []
    for v in entry["violations"]:
        rows.append(
            f'<tr class="v sev-{e(v["severity"])}" data-unit="{e(unit)}" '
            f'data-rule="{e(v["rule"])}" data-severity="{e(v["severity"])}">'
            f'<td class="rule">{e(v["rule"])}</td>'
            f'<td class="sev">{e(w.SEVERITY[v["severity"]].get(lang))}</td>'
            f"<td>{e(w.stage(v, lang))}</td><td>{e(v.get('post') or '')}</td>"
            f'<td class="msg">{e(w.msg(v["message"], lang))}</td>'
            f'<td class="figs">{e(w.figures(v.get("figures") or {}, lang))}</td>'
            f'<td class="loc"><code>{e(w.where(v))}</code></td>'
            f'<td class="cite">{e(w.citation(v.get("citation"), lang))}</td></tr>')
    out.append(_table(head_cells, rows, "violations"))
    if entry.get("kind") == "selection":
        out.append(_diagram(entry["file"], lang, pictures, drawn))
    out.append("</article>")
    return "".join(out)


def _diagram(path: str, lang: Lang, pictures: Pictures, drawn: int) -> str:
    label = e(w.t(lang, "程序图：本案走过的路径与违规", "Procedure diagram: this case's path and "
                  "violations"))
    svg = pictures.svg.get(path)
    if svg is not None:
        return f'<details class="diagram"><summary>{label}</summary>{svg}</details>'
    if pictures.note is not None:
        note = pictures.note
    elif drawn >= pictures.limit:
        note = beyond_limit(pictures.limit, path)
    else:
        note = Text("本案卷的程序图无法生成（文件在检查后已改动或无法再次读取）",
                    "this case's diagram could not be drawn (the file changed since it was "
                    "checked, or cannot be read again)")
    return f'<p class="note diagram-note">{e(note.get(lang))}</p>'


def _unreadable(entry: dict[str, Any], lang: Lang) -> str:
    items = "".join(f"<li>{e(w.problem(p, lang))}</li>" for p in entry["problems"])
    return (f'<article class="case bad" data-unit="" data-file="{e(entry["file"])}">'
            f'<h3><span class="mark">✗</span> {e(entry["file"])}</h3><p class="head">'
            + e(w.t(lang, "无法读取（输入错误）", "cannot be read (bad input)"))
            + f"</p><ul>{items}</ul></article>")


def _status(doc: dict[str, Any], lang: Lang) -> str:
    head = [w.t(lang, "文件", "File"), w.t(lang, "单位", "Unit"),
            w.t(lang, "案卷/记录", "Case / record"), w.t(lang, "状态", "Status"),
            *(w.SEVERITY[s].get(lang) for s in SEVERITIES)]
    rows = []
    for f in doc["files"]:
        counts = (f.get("summary") or {}).get("counts") or dict.fromkeys(SEVERITIES, 0)
        rows.append(f'<tr class="st st-{e(f["status"])}" data-unit="{e(f.get("unit") or "")}">'
                    f'<td><code>{e(f["file"])}</code></td><td>{e(f.get("unit") or "")}</td>'
                    f"<td>{e(w.ident(f))}</td><td>{e(w.STATUS[f['status']].get(lang))}</td>"
                    + "".join(f'<td class="n">{e(counts[s])}</td>' for s in SEVERITIES)
                    + "</tr>")
    return ('<section id="status"><h2>' + e(w.t(lang, "逐文件状态", "Status of each file"))
            + "</h2>" + _table(head, rows, "status") + "</section>")
