"""`validate`: check case files and records, and report each as it finishes."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selection_rules.cli.app import (
    EncodingOpt,
    FailOn,
    ForceOpt,
    LangArg,
    RulesDirs,
    ValidateFormat,
    _calendar,
    _exit_for,
    _fail,
    _lang,
    _library,
    app,
)
from selection_rules.errors import EXIT_BAD_INPUT, InputError

if TYPE_CHECKING:
    from selection_rules.engine.pipeline import Pipeline
    from selection_rules.i18n import Lang
    from selection_rules.report.collected import Collected

# Written whole at the end, from every file's entry kept until then (report/collected.py).
COLLECTED = frozenset({ValidateFormat.html, ValidateFormat.xlsx, ValidateFormat.sarif,
                       ValidateFormat.junit})


@app.command()
def validate(
    paths: Annotated[list[str], typer.Argument(
        help="案卷文件、目录或通配符 / case files, folders or glob patterns", show_default=False)],
    format: Annotated[ValidateFormat, typer.Option(
        "--format", "-f", help="输出格式 / output: text | json | jsonl (one line per file, "
        "then the totals) | html (a report for a browser) | xlsx (a workbook with the "
        "rectification ledger) | sarif | junit (for CI)",
        # The choices are in the help text: listed as the value's name too, they would
        # wrap the narrow first column into the help at 80 columns.
        metavar="<格式/format>")] = ValidateFormat.text,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="写入此文件（默认或 - 为标准输出）/ write the report to this "
        "file (default, or -: standard output)", show_default=False)] = None,
    force: ForceOpt = False,
    only_failed: Annotated[bool, typer.Option(
        "--only-failed", help="不列出无问题的文件（汇总仍计入）/ leave clean files out of the "
        "listing (the summary still counts them)")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="文本只输出汇总；其他格式同 --only-failed / text: print only "
        "the summary; other formats: as --only-failed")] = False,
    diagrams: Annotated[int, typer.Option(
        "--diagrams", min=0, help="HTML 报告中附程序图的有违规案卷数上限 / in the HTML report, "
        "draw the procedure diagram for at most this many cases with violations (each costs "
        "about 15 ms of Graphviz)")] = 10,
    lang: LangArg = None,
    holidays: Annotated[list[Path] | None, typer.Option(
        "--holidays", help="补充的节假日安排（官方日历未覆盖的年份）/ holiday list for years the "
        "official calendar data does not cover")] = None,
    rules: RulesDirs = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="达到此严重程度即以 1 退出 / lowest severity that makes the exit code 1"
    )] = FailOn.warning,
    original_quotes: Annotated[bool, typer.Option(
        "--original-quotes", help="引文按种子原文（繁体）显示 / quote the seeds as written "
        "(Traditional characters); by default a Chinese report quotes them in Simplified")
    ] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="并行检查的进程数（默认：CPU 数）/ files checked in parallel "
        "by this many processes (default: the number of CPUs); the output is the same",
        show_default=False)] = None,
    encoding: EncodingOpt = None,
) -> None:
    """校验案卷 / validate case files against their procedures.

    Each file's result is printed as it finishes, in the order of the files; the HTML,
    workbook, SARIF and JUnit reports are written when the last file is checked."""
    from selection_rules.engine.pipeline import Pipeline, default_jobs
    from selection_rules.engine.validation import Outcome
    from selection_rules.program import started
    from selection_rules.report import destination
    from selection_rules.report import json as report_json
    from selection_rules.report.collected import Collected
    from selection_rules.report.progress import progress
    from selection_rules.report.text import TextWriter
    from selection_rules.source.inputs import forget

    # validate keeps no record of the files it reads (which would grow with a folder of
    # 100,000): a report file is checked against the inputs before they are read.
    forget(remember=False)
    language = _lang(lang)
    library = _library(rules)
    pipeline = Pipeline(library, _calendar(holidays, language),
                        encoding.value if encoding else None, settled=True)
    tasks, problems = pipeline.plan(paths)
    try:
        outputs = destination.check(
            output, force=force, binary=format is ValidateFormat.xlsx, stream=sys.stdout,
            inputs=destination.inputs_of(tasks, holidays or [], library.dirs)
            if destination.to_file(output) else ())
    except InputError as exc:
        _fail(exc, language)
    writer: TextWriter | report_json.JsonWriter | report_json.JsonLinesWriter | Collected
    streamed = format not in COLLECTED
    # The workers start before the bar's thread does, and the report is written inside
    # the bar, which keeps its line below what is printed on the same terminal.
    with destination.text_stream(output if streamed else None,
                                 outputs if streamed else None) as stream, \
            pipeline.run(tasks, jobs or default_jobs()) as outcomes, \
            progress(len(tasks)) as done:
        if outcomes.pool is not None:
            started()  # before the workers are forked: they inherit the collector's state

        def checked() -> None:
            # The first file checked (or passed over) has had its procedure compiled:
            # start-up is over (a no-op after the first).
            started()
            done()

        outcomes.done = checked
        # --quiet leaves out every file's block of the text; the other reports are read
        # by programs or browsed, so it leaves out the clean files, as --only-failed.
        hide = only_failed or quiet
        writer = (report_json.JsonWriter(stream, only_failed=hide)
                  if format is ValidateFormat.json
                  else report_json.JsonLinesWriter(stream, only_failed=hide)
                  if format is ValidateFormat.jsonl
                  else Collected(only_failed=hide) if not streamed
                  else TextWriter(language, stream, original_quotes=original_quotes,
                                      only_failed=only_failed, quiet=quiet))
        for problem in problems:
            writer.add(Outcome(problem.file, problems=[problem]))
        for outcome in outcomes:
            writer.add(outcome)
        writer.close()
    if isinstance(writer, Collected):
        data = _render(format, writer, language, pipeline, diagrams)
        try:
            destination.write_bytes(output, outputs, data)
        except InputError as exc:
            _fail(exc, language)
    if writer.tally.bad:
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(_exit_for(writer.tally.counts, fail_on))


def _render(format: ValidateFormat, writer: "Collected", lang: "Lang", pipeline: "Pipeline",
            diagrams: int) -> bytes:
    """The bytes of a report written whole; each format's module is imported only here."""
    doc = writer.document()
    if format is ValidateFormat.html:
        from selection_rules.report.html import render_html
        from selection_rules.report.html_diagrams import case_diagrams

        pictures = case_diagrams(doc, pipeline, lang, diagrams)
        return render_html(doc, lang, pictures).encode("utf-8", "replace")
    if format is ValidateFormat.xlsx:
        from selection_rules.report.xlsx import render_xlsx

        return render_xlsx(doc, lang)
    if format is ValidateFormat.sarif:
        from selection_rules.report.sarif import validate_sarif

        return validate_sarif(doc, lang)
    from selection_rules.report.junit import render_junit

    return render_junit(doc, lang)
