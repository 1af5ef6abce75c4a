"""The report a person reads: grouped by case file, then by stage.

The report is built as lines of styled spans and drawn by rich only on a terminal: a
report piped to a file or another program is plain text, and `validate` need not import
rich (a tenth of its start-up) to write it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from selection_rules.engine.validation import Outcome
from selection_rules.engine.violations import Violation
from selection_rules.i18n import Lang, Text
from selection_rules.model.procedure import SEVERITIES
from selection_rules.report.quotes import shown_quote
from selection_rules.report.summary import Summary, summary_lines

# One span of a line: its text and a rich style ("" for none).
Span = tuple[str, str]

SEVERITY_TEXT = {
    "error": Text("错误", "error"),
    "warning": Text("警告", "warning"),
    "info": Text("提示", "info"),
}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def citation_text(v: Violation, lang: Lang, *, original: bool = False) -> str:
    """The violation's source: a Chinese report quotes a seed in Simplified characters,
    unless `original` asks for the quote as the seed has it (report/quotes.py)."""
    c = v.citation
    if c is None:
        return ""
    head = "依据：" if lang == "zh" else "source: "
    if c.seed:
        return f"{head}{c.seed} “{shown_quote(c.quote or '', lang, original=original)}”"
    text = c.short()
    if c.provision:
        text += f" “{c.provision}”"
    return head + text


def render(outcomes: list[Outcome], lang: Lang, stream: TextIO | None = None) -> None:
    """Write the report to `stream` (stdout): with rich's styles on a terminal, else plain."""
    writer = TextWriter(lang, stream)
    for o in outcomes:
        writer.add(o)
    writer.close()


class TextWriter:
    """The report written as the files finish: each file's block as it comes, the count
    of files at the close; only the counts are kept.

    With more than one file (or `quiet`) the summary by rule and by unit comes before
    the count; `only_failed` leaves out clean files' blocks, `quiet` every file's block."""

    def __init__(self, lang: Lang, stream: TextIO | None = None, *,
                 original_quotes: bool = False, only_failed: bool = False,
                 quiet: bool = False) -> None:
        self.lang = lang
        self.original_quotes = original_quotes
        self.out = stream if stream is not None else sys.stdout
        self.tally = Tally()
        self.summary = Summary()
        self.only_failed = only_failed
        self.quiet = quiet
        self._print: Callable[[list[Span]], None] = self._plain
        if self.out.isatty():
            from rich.console import Console
            from rich.text import Text as RichText

            # rich honours NO_COLOR and TERM=dumb; soft_wrap keeps a long line one line.
            console = Console(file=self.out, highlight=False, soft_wrap=True)
            self._print = lambda spans: console.print(RichText.assemble(*spans))

    def _plain(self, spans: list[Span]) -> None:
        self.out.write("".join(text for text, _ in spans) + "\n")

    def add(self, o: Outcome) -> None:
        self.tally.add(o)
        self.summary.add(o)
        if self.quiet or (self.only_failed and o.result is not None and o.result.clean):
            return
        for spans in outcome_lines(o, self.lang, original_quotes=self.original_quotes):
            self._print(spans)

    def close(self) -> None:
        # One file's block is its own summary: the tables start with the second file.
        if self.tally.files > 1 or self.quiet:
            for line in summary_lines(self.summary, self.lang):
                self._print([(line, "bold" if not line.startswith(" ") else "")])
            self._print([])
        self._print(summary_line(self.tally, self.lang))
        self.out.flush()


class Tally:
    """What the summaries count, file by file."""

    def __init__(self) -> None:
        self.files = self.bad = self.dirty = self.total = 0
        self.counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)

    def add(self, o: Outcome) -> None:
        self.files += 1
        if o.result is None:
            self.bad += 1
            return
        if not o.result.clean:
            self.dirty += 1
        self.total += len(o.result.violations)
        for sev, n in o.result.counts().items():
            self.counts[sev] += n


def outcome_lines(o: Outcome, lang: Lang, *, original_quotes: bool = False
                  ) -> Iterator[list[Span]]:
    """One file's block of the report, ending with an empty line; seed quotes as
    citation_text shows them."""
    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    bad_mark: Span = ("✗", "bold red")
    if o.result is None:
        yield [bad_mark, (" ", ""), (o.path, "bold"),
               ("  " + t("无法读取（输入错误）", "cannot be read (bad input)"), "")]
        for p in o.problems:
            yield [("    " + p.render(lang), "")]
        yield []
        return
    r = o.result
    counts = r.counts()
    mark: Span = ("✓", "green") if r.clean else bad_mark
    tally = " · ".join(f"{SEVERITY_TEXT[s].get(lang)} {counts[s]}" for s in SEVERITIES)
    if r.record_kind != "selection":
        from selection_rules.engine.kinds import kind_label

        # A record has no procedure, order or stages: its kind, rule sets and date.
        yield [mark, (" ", ""), (o.path, "bold"), (
            f"  {kind_label(r.record_kind).get(lang)} {r.case_id}"
            + t(" · 规则集 ", " · rule sets ") + ", ".join(r.rule_sets)
            + t(f" · 截至 {r.decision_date}", f" · as of {r.decision_date}"), "")]
        yield [(f"    {tally}", "")]
    else:
        yield [mark, (" ", ""), (o.path, "bold"), (
            "  " + t(f"案卷 {r.case_id} · 程序 {r.procedure}",
                     f"case {r.case_id} · procedure {r.procedure}")
            + (f" + {', '.join(r.rule_sets)}" if r.rule_sets else "")
            + (t(f" · 决定日期 {r.decision_date}", f" · decided {r.decision_date}")
               if r.decision_date else ""), "")]
        fit = t("符合程序顺序", "follows the procedure's order") if r.fit else t(
            "不符合程序顺序", "does not follow the procedure's order")
        yield [(f"    {fit} · {tally}", "")]
    for post, stages in r.stages_reached.items():
        end = (t("已到终点", "reached the end") if r.final[post]
               else t("未到终点", "did not reach the end"))
        shown = [r.stage_labels[s].get(lang) if s in r.stage_labels else s for s in stages]
        yield [(f"    {t('职位', 'post')} {post}: {' → '.join(shown)} ({end})", "")]
    groups: dict[str | None, list[Violation]] = {}
    for v in r.violations:
        groups.setdefault(v.stage, []).append(v)
    for stage, items in groups.items():
        label = items[0].stage_label.get(lang) if items[0].stage_label else (
            stage or (t("全案", "whole case") if r.record_kind == "selection"
                      else t("全文件", "whole record")))
        yield [("  ", ""), (f"【{label}】", "bold")]
        for v in items:
            where = (f"{o.path}!{v.cell}" if v.cell else f"{o.path}:{v.line}" if v.line
                     else o.path)
            sev = v.severity
            yield [("    ", ""), (f"{v.rule_id} {SEVERITY_TEXT[sev].get(lang)}",
                                  SEVERITY_STYLE[sev]), (f"  {where}", "")]
            yield [(f"      {v.message.get(lang)}", "")]
            cite = citation_text(v, lang, original=original_quotes)
            if cite:
                yield [("      ", ""), (cite, "dim")]
    yield []


def summary_line(tally: Tally, lang: Lang) -> list[Span]:
    """The report's last line: how many files were clean, had violations, could not be read."""
    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    files, bad, dirty, total = tally.files, tally.bad, tally.dirty, tally.total
    return [(t(
        f"共 {files} 个文件：{files - bad - dirty} 个无问题，{dirty} 个有违规"
        f"（共 {total} 条），{bad} 个无法读取",
        f"{files} file(s): {files - bad - dirty} clean, {dirty} with violations ({total} in all), "
        f"{bad} unreadable",
    ), "")]
