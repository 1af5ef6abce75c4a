"""How `trace` and `sources` are shown to a person."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from selection_rules.authoring.catalog import render_show
from selection_rules.authoring.traceability import Paragraph, Passage, Trace
from selection_rules.i18n import Lang


def _marked(passage: Passage) -> str:
    sentence = escape(passage.sentence)
    quote = escape(passage.quote)
    return sentence.replace(quote, f"[bold underline]{quote}[/]", 1)


def render_trace(console: Console, t: Trace, lang: Lang) -> None:
    zh = lang == "zh"
    render_show(console, t.entry, lang)
    console.print()
    console.print("[bold]" + ("原文" if zh else "Source sentences") + "[/]")
    for citation, passage in t.passages:
        if passage is None:
            if citation.seed:
                console.print("  [red]" + escape(
                    (f"引文未在 {citation.seed} 的规范化文本中找到：" if zh else
                     f"quote not found in the normalized {citation.seed}: ")
                    + f"“{citation.quote}”") + "[/]")
            else:
                provision = f" “{citation.provision}”" if citation.provision else ""
                console.print("  " + escape(citation.short() + provision))
            continue
        console.print(f"  [dim]{escape(passage.seed)}:{passage.line}[/]")
        if passage.before:
            console.print(f"    [dim]{escape(passage.before)}[/]")
        console.print(f"    {_marked(passage)}")
        if passage.after:
            console.print(f"    [dim]{escape(passage.after)}[/]")
        if passage.simplified:
            console.print(("    简体：" if zh else "    Simplified: ")
                          + escape(passage.simplified))


def render_sources(console: Console, seeds: dict[str, list[Paragraph]], lang: Lang) -> None:
    zh = lang == "zh"
    for seed, paragraphs in seeds.items():
        encoded = sum(1 for p in paragraphs if p.encoded_by)
        console.print(f"[bold]{escape(seed)}[/]  " + (
            f"{len(paragraphs)} 段，{encoded} 段已编码为规则" if zh else
            f"{len(paragraphs)} paragraphs, {encoded} encoded as rules"))
        for p in paragraphs:
            head = p.text if len(p.text) <= 60 else p.text[:60] + "…"
            if p.encoded_by:
                console.print(f"  [green]✓[/] {p.line:>3} {escape(head)}")
                console.print(f"        → {escape(', '.join(p.encoded_by))}")
            else:
                console.print(f"  [dim]·[/] {p.line:>3} [dim]{escape(head)}[/]")
                why = p.reason.get(lang) if p.reason else (
                    "未记录不编码的理由" if zh else "no reason recorded for not encoding it")
                console.print(f"        [dim]{escape(why)}[/]")
        console.print()
