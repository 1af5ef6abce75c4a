"""The report a person reads: grouped by case file, then by stage."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from selection_rules.i18n import Lang, Text
from selection_rules.procedure_model import SEVERITIES
from selection_rules.records import kind_label
from selection_rules.validation import Outcome
from selection_rules.violations import Violation

SEVERITY_TEXT = {
    "error": Text("错误", "error"),
    "warning": Text("警告", "warning"),
    "info": Text("提示", "info"),
}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def citation_text(v: Violation, lang: Lang) -> str:
    c = v.citation
    if c is None:
        return ""
    head = "依据：" if lang == "zh" else "source: "
    if c.seed:
        return f"{head}{c.seed} “{c.quote}”"
    text = c.short()
    if c.provision:
        text += f" “{c.provision}”"
    return head + text


def render(console: Console, outcomes: list[Outcome], lang: Lang) -> None:
    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    for o in outcomes:
        if o.result is None:
            console.print(f"[bold red]✗[/] [bold]{escape(o.path)}[/]  "
                          + t("无法读取（输入错误）", "cannot be read (bad input)"))
            for p in o.problems:
                console.print("    " + escape(p.render(lang)))
            console.print()
            continue
        r = o.result
        counts = r.counts()
        mark = "[green]✓[/]" if r.clean else "[bold red]✗[/]"
        tally = " · ".join(f"{SEVERITY_TEXT[s].get(lang)} {counts[s]}" for s in SEVERITIES)
        if r.record_kind != "selection":
            # A record has no procedure, order or stages: its kind, rule sets and date.
            console.print(
                f"{mark} [bold]{escape(o.path)}[/]  "
                + f"{kind_label(r.record_kind).get(lang)} {escape(r.case_id)}"
                + t(" · 规则集 ", " · rule sets ") + escape(", ".join(r.rule_sets))
                + t(f" · 截至 {r.decision_date}", f" · as of {r.decision_date}")
            )
            console.print(f"    {tally}")
        else:
            console.print(
                f"{mark} [bold]{escape(o.path)}[/]  "
                + t(f"案卷 {r.case_id} · 程序 {r.procedure}",
                    f"case {r.case_id} · procedure {r.procedure}")
                + (f" + {', '.join(r.rule_sets)}" if r.rule_sets else "")
                + (t(f" · 决定日期 {r.decision_date}", f" · decided {r.decision_date}")
                   if r.decision_date else "")
            )
            fit = t("符合程序顺序", "follows the procedure's order") if r.fit else t(
                "不符合程序顺序", "does not follow the procedure's order")
            console.print(f"    {fit} · {tally}")
        for post, stages in r.stages_reached.items():
            end = (t("已到终点", "reached the end") if r.final[post]
                   else t("未到终点", "did not reach the end"))
            path = escape(" → ".join(stages))
            console.print(f"    {t('职位', 'post')} {escape(post)}: {path} ({end})")
        groups: dict[str | None, list[Violation]] = {}
        for v in r.violations:
            groups.setdefault(v.stage, []).append(v)
        for stage, items in groups.items():
            label = items[0].stage_label.get(lang) if items[0].stage_label else (
                stage or (t("全案", "whole case") if r.record_kind == "selection"
                          else t("全文件", "whole record")))
            console.print(f"  [bold]【{escape(label)}】[/]")
            for v in items:
                where = f"{o.path}:{v.line}" if v.line else o.path
                sev = v.severity
                console.print(
                    f"    [{SEVERITY_STYLE[sev]}]{v.rule_id} {SEVERITY_TEXT[sev].get(lang)}[/]"
                    f"  {escape(where)}"
                )
                console.print(f"      {escape(v.message.get(lang))}")
                cite = citation_text(v, lang)
                if cite:
                    console.print(f"      [dim]{escape(cite)}[/]")
        console.print()
    files = len(outcomes)
    bad = sum(o.result is None for o in outcomes)
    dirty = sum(o.result is not None and not o.result.clean for o in outcomes)
    total = sum(len(o.result.violations) for o in outcomes if o.result is not None)
    console.print(t(
        f"共 {files} 个文件：{files - bad - dirty} 个无问题，{dirty} 个有违规"
        f"（共 {total} 条），{bad} 个无法读取",
        f"{files} file(s): {files - bad - dirty} clean, {dirty} with violations ({total} in all), "
        f"{bad} unreadable",
    ))
