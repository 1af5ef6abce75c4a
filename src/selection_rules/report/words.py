"""How the reports written whole (HTML, workbook, SARIF, JUnit) word a JSON entry's parts:
a citation, the figures, a location, a status, in the report's language.

They read the JSON report's entries (plain data), so each says what `--format json` says.
"""

from __future__ import annotations

from typing import Any

from selection_rules.i18n import Lang, Text

SEVERITY = {"error": Text("错误", "error"), "warning": Text("警告", "warning"),
            "info": Text("提示", "info")}
STATUS = {"clean": Text("无问题", "clean"), "violations": Text("有违规", "violations"),
          "error": Text("无法读取", "unreadable")}
KIND = {"selection": Text("选任案卷", "selection case"),
        "assessment": Text("考核档案", "assessment"), "roster": Text("干部名册", "roster"),
        "supervision": Text("监督检查台账", "supervision log")}

# The figures a violation carries, by key: what each is called (op is worded by OP).
FIGURE = {
    "item": Text("对象", "item"), "value": Text("数值", "value"), "base": Text("基数", "base"),
    "actual": Text("实际", "actual"), "op": Text("比较", "comparison"),
    "bound": Text("界限", "bound"), "expected": Text("应为", "expected"),
    "event": Text("事件", "event"), "missing": Text("缺少", "missing"),
    "stage": Text("阶段", "stage"), "first_index": Text("首次出现（事件序号）", "first at event"),
}
OP = {"at_least": Text("不少于（≥）", "at least (≥)"),
      "more_than": Text("超过（>）", "more than (>)"),
      "at_most": Text("不超过（≤）", "at most (≤)"),
      "less_than": Text("少于（<）", "less than (<)"),
      "equal": Text("等于", "equal to"), "between": Text("在范围内", "between")}


def t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def msg(value: dict[str, str] | None, lang: Lang) -> str:
    """A {zh, en} message of the JSON report in `lang`."""
    return value.get(lang, "") if value else ""


def citation(c: dict[str, Any] | None, lang: Lang | None = None) -> str:
    """A seed and its quote, or the regulation's version, article and provision: the
    words of the source. A zh report shows a Traditional seed's quote in Simplified
    characters, as the text report does (report/quotes.py); without `lang`, verbatim."""
    if not c:
        return ""
    if c.get("seed"):
        quote = c.get("quote", "")
        if lang is not None:
            from selection_rules.report.quotes import shown_quote

            quote = shown_quote(quote, lang)
        return f"{c['seed']} “{quote}”"
    parts = [f"《{c.get('regulation', '')}》"]
    if c.get("version"):
        parts.append(f"({c['version']})")
    if c.get("article"):
        parts.append(str(c["article"]))
    elif c.get("chapter"):
        parts.append(str(c["chapter"]))
    text = " ".join(parts)
    if c.get("provision"):
        text += f" “{c['provision']}”"
    return text


def figure_value(key: str, value: object, lang: Lang) -> str:
    if key == "op" and isinstance(value, str) and value in OP:
        return OP[value].get(lang)
    if isinstance(value, list):
        return t(lang, "、", ", ").join(str(x) for x in value)
    if isinstance(value, dict):
        return t(lang, "；", "; ").join(f"{k}: {x}" for k, x in value.items())
    return str(value)


def figures(f: dict[str, Any], lang: Lang) -> str:
    """The figures as `name value` pairs; a share keeps its exact fraction beside the
    percentage, as `actual` writes it (319/399 (79.95%))."""
    return t(lang, "；", "; ").join(
        f"{FIGURE[k].get(lang) if k in FIGURE else k} {figure_value(k, v, lang)}"
        for k, v in f.items())


def where(v: dict[str, Any]) -> str:
    loc = v.get("location") or {}
    line = loc.get("line")
    return f"{loc.get('file', '')}:{line}" if line else str(loc.get("file", ""))


def stage(v: dict[str, Any], lang: Lang) -> str:
    s = v.get("stage")
    if not s:
        return ""
    return str(s.get(lang) or s.get("id") or "")


def problem(p: dict[str, Any], lang: Lang) -> str:
    """A problem of an unreadable file, located as the text report words it."""
    head = str(p.get("file", ""))
    if p.get("line"):
        head += f":{p['line']}"
        if p.get("column"):
            head += f":{p['column']}"
    parts = [head]
    if p.get("field"):
        parts.append(t(lang, "字段 ", "field ") + str(p["field"]))
    parts.append(msg(p.get("message"), lang))
    if p.get("expected"):
        parts.append(t(lang, "应为：", "expected: ") + msg(p["expected"], lang))
    return t(lang, "；", "; ").join(parts)


def ident(entry: dict[str, Any]) -> str:
    """The case id, or the record's id."""
    return str(entry.get("case") or entry.get("record") or "")


def candidate(v: dict[str, Any]) -> str:
    """The candidate a violation is about, where the check went over candidates: the item
    of a check whose location is in a list of candidates or their tallies."""
    item = v.get("figures", {}).get("item")
    path = (v.get("location") or {}).get("path") or ""
    if item is not None and any(k in path for k in ("candidates", "tallies", "result",
                                                    "screening", "scores", "speeches")):
        return str(item)
    return ""
