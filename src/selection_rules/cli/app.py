"""What every command of the command line shares: the app, options, language, exits.

Exit codes (as OPA's): 0 clean, 1 violations found, 2 bad input or usage.
Heavy modules are imported inside the commands so that `--help` starts at once. No
`from __future__ import annotations` here: typer reads every command's annotations on
each start, and string annotations would be compiled and evaluated again each time.
"""

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from selection_rules.cli.usage import BilingualGroup
from selection_rules.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, InputError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console

    from selection_rules.authoring.catalog import Entry
    from selection_rules.engine.library import Library
    from selection_rules.engine.violations import Violation
    from selection_rules.i18n import Lang
    from selection_rules.lang.workdays import WorkCalendar

app = typer.Typer(
    name="selection-rules",
    help="干部选拔任用程序规则引擎 — replay cadre-selection case files through procedures "
    "written as YAML state machines and report every located, cited violation.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    pretty_exceptions_enable=False,
    cls=BilingualGroup,  # usage errors in both languages; help never cut off
)
rules_app = typer.Typer(help="列出和查看规则 / list and show rules.", no_args_is_help=True,
                        cls=BilingualGroup)
app.add_typer(rules_app, name="rules")


class Format(StrEnum):
    text = "text"
    json = "json"


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    html = "html"
    xlsx = "xlsx"
    sarif = "sarif"
    junit = "junit"


class LangOpt(StrEnum):
    zh = "zh"
    en = "en"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


def _lang(opt: LangOpt | None) -> "Lang":
    if opt is not None:
        return "en" if opt is LangOpt.en else "zh"
    return "en" if os.environ.get("SELECTION_RULES_LANG", "zh") == "en" else "zh"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="输出格式 / output: text | json")]
RuleIdArg = Annotated[str, typer.Argument(help="规则编号 / rule id, e.g. PS-7")]
LangArg = Annotated[LangOpt | None, typer.Option(
    "--lang", help="语言 / language of messages (default: zh, or $SELECTION_RULES_LANG)",
    show_default=False)]
RulesDirs = Annotated[list[Path] | None, typer.Option(
    "--rules", help="额外的规则目录（优先于内置规则）/ extra folder of procedures, searched first",
    file_okay=False, exists=True)]  # a mistyped folder must not silently drop local rules
class CsvEncoding(StrEnum):
    utf8 = "utf-8"
    gb18030 = "gb18030"


EncodingOpt = Annotated[CsvEncoding | None, typer.Option(
    "--encoding", help="CSV 案卷的编码（默认：能确定时自动识别 UTF-8 或 GB18030）/ encoding of "
    "CSV cases (default: UTF-8 or GB18030, told apart where they can be)",
    show_default=False)]
ForceOpt = Annotated[bool, typer.Option(
    "--force", help="替换已存在的输出文件（输入文件从不改写）/ replace an existing output file "
    "(a file the run reads is never written)")]


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"selection-rules {version('selection-rules')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("selection-rules（未安装 / not installed）")
        raise typer.Exit()


@app.callback()
def _new_run(ctx: typer.Context, version: Annotated[bool, typer.Option(
        "--version", help="显示版本并退出 / show the version and exit", is_eager=True,
        callback=_show_version)] = False) -> None:
    # In-process runs (tests, the pytest plugin) share the module: each starts with no
    # file read, so an output is refused only for what this run read.
    from selection_rules.source.inputs import forget

    forget()
    pipeline = sys.modules.get("selection_rules.engine.pipeline")
    if pipeline is not None:  # nor compiled rules (not imported here: --help stays quick)
        pipeline.forget()
    # `validate` ends start-up itself, once its first file's procedure is compiled.
    if ctx.invoked_subcommand != "validate":
        from selection_rules.program import started

        started()


def _console() -> "Console":
    from rich.console import Console

    # rich drops colour by itself when stdout is not a terminal, and honours NO_COLOR.
    return Console(highlight=False, soft_wrap=True)


def _fail(problems: InputError, lang: "Lang") -> NoReturn:
    for p in problems.problems:
        typer.echo(p.render(lang), err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _library(dirs: list[Path] | None) -> "Library":
    from selection_rules.engine.library import Library

    return Library(dirs or [])


def _calendar(holidays: list[Path] | None, lang: "Lang") -> "WorkCalendar":
    from selection_rules.lang.workdays import WorkCalendar, parse_holiday_list
    from selection_rules.source.loading import load_document

    try:
        lists = [parse_holiday_list(load_document(path)) for path in holidays or []]
    except InputError as exc:
        _fail(exc, lang)
    return WorkCalendar(lists)


def _entry(rule_id: str, rules: list[Path] | None, lang: "Lang") -> "Entry":
    """The catalogue entry of one rule, or exit 2 saying the id is unknown."""
    from selection_rules.authoring.catalog import catalog

    try:
        entries = [e for e in catalog(_library(rules)) if e.id == rule_id.upper()]
    except InputError as exc:
        _fail(exc, lang)
    if not entries:
        typer.echo(("未知规则编号 " if lang == "zh" else "unknown rule id ") + rule_id, err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    return entries[0]



def _exit_for(counts: "dict[str, int]", fail_on: FailOn) -> int:
    """The exit code for so many violations of each severity."""
    levels = {"error": ("error",), "warning": ("error", "warning"),
              "info": ("error", "warning", "info")}[fail_on.value]
    return EXIT_VIOLATIONS if any(counts.get(level) for level in levels) else EXIT_OK


def _exit_code(violations: "Iterable[Violation]", fail_on: FailOn = FailOn.warning) -> int:
    """validate's exit code for what it found; simulate's for the case as it ends."""
    counts: dict[str, int] = {}
    for v in violations:
        counts[v.severity] = counts.get(v.severity, 0) + 1
    return _exit_for(counts, fail_on)
