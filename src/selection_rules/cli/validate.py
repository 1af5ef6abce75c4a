"""`validate`: check case files and records, and report each as it finishes."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from selection_rules.cli.app import (
    EncodingOpt,
    FailOn,
    LangArg,
    RulesDirs,
    ValidateFormat,
    _calendar,
    _exit_for,
    _lang,
    _library,
    app,
)
from selection_rules.errors import EXIT_BAD_INPUT


@app.command()
def validate(
    paths: Annotated[list[str], typer.Argument(
        help="案卷文件、目录或通配符 / case files, folders or glob patterns", show_default=False)],
    format: Annotated[ValidateFormat, typer.Option(
        "--format", "-f", help="输出格式 / output: text | json | jsonl (one line per file, "
        "then the totals)")] = ValidateFormat.text,
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

    Each file's result is printed as it finishes, in the order of the files."""
    from selection_rules.engine.pipeline import Pipeline, default_jobs
    from selection_rules.engine.validation import Outcome
    from selection_rules.report import json as report_json
    from selection_rules.report.progress import progress
    from selection_rules.report.text import TextWriter
    from selection_rules.source.inputs import forget

    # validate writes no file: it keeps no record of the files it reads (which would
    # grow with a folder of 100,000). A report written to a file would have to be checked
    # against the inputs before they are read.
    forget(remember=False)
    language = _lang(lang)
    pipeline = Pipeline(_library(rules), _calendar(holidays, language),
                        encoding.value if encoding else None, settled=True)
    tasks, problems = pipeline.plan(paths)
    # The workers start before the bar's thread does, and the report is written inside
    # the bar, which keeps its line below what is printed on the same terminal.
    with pipeline.run(tasks, jobs or default_jobs()) as outcomes, \
            progress(len(tasks)) as done:
        outcomes.done = done
        writer = (report_json.JsonWriter(sys.stdout) if format is ValidateFormat.json
                  else report_json.JsonLinesWriter(sys.stdout)
                  if format is ValidateFormat.jsonl
                  else TextWriter(language, original_quotes=original_quotes))
        for problem in problems:
            writer.add(Outcome(problem.file, problems=[problem]))
        for outcome in outcomes:
            writer.add(outcome)
        writer.close()
    if writer.tally.bad:
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(_exit_for(writer.tally.counts, fail_on))
