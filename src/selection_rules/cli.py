"""The `selection-rules` command line.

Exit codes (as OPA's): 0 clean, 1 violations found, 2 bad input or usage.
Heavy modules are imported inside the commands so that `--help` starts at once.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from selection_rules.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from selection_rules.i18n import Lang
    from selection_rules.library import Library
    from selection_rules.workdays import WorkCalendar

app = typer.Typer(
    name="selection-rules",
    help="干部选拔任用程序规则引擎 — replay cadre-selection case files through procedures "
    "written as YAML state machines and report every located, cited violation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="列出和查看规则 / list and show rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class Format(str, Enum):
    text = "text"
    json = "json"


class LangOpt(str, Enum):
    zh = "zh"
    en = "en"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def _lang(opt: LangOpt | None) -> Lang:
    if opt is not None:
        return "en" if opt is LangOpt.en else "zh"
    return "en" if os.environ.get("SELECTION_RULES_LANG", "zh") == "en" else "zh"


LangArg = Annotated[LangOpt | None, typer.Option(
    "--lang", help="语言 / language of messages (default: zh, or $SELECTION_RULES_LANG)",
    show_default=False)]
RulesDirs = Annotated[list[Path] | None, typer.Option(
    "--rules", help="额外的规则目录（优先于内置规则）/ extra folder of procedures, searched first",
    file_okay=False)]


def _console() -> Console:
    from rich.console import Console

    # rich drops colour by itself when stdout is not a terminal, and honours NO_COLOR.
    return Console(highlight=False, soft_wrap=True)


def _fail(problems: InputError, lang: Lang) -> NoReturn:
    for p in problems.problems:
        typer.echo(p.render(lang), err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _library(dirs: list[Path] | None) -> Library:
    from selection_rules.library import Library

    return Library(dirs or [])


def _calendar(holidays: list[Path] | None, lang: Lang) -> WorkCalendar:
    from selection_rules.documents import load_document
    from selection_rules.workdays import WorkCalendar, parse_holiday_list

    try:
        lists = [parse_holiday_list(load_document(path)) for path in holidays or []]
    except InputError as exc:
        _fail(exc, lang)
    return WorkCalendar(lists)


@app.command()
def validate(
    paths: Annotated[list[str], typer.Argument(
        help="案卷文件、目录或通配符 / case files, folders or glob patterns", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="输出格式 / output")] = Format.text,
    lang: LangArg = None,
    holidays: Annotated[list[Path] | None, typer.Option(
        "--holidays", help="补充的节假日安排（官方日历未覆盖的年份）/ holiday list for years the "
        "official calendar data does not cover", dir_okay=False)] = None,
    rules: RulesDirs = None,
    fail_on: Annotated[FailOn, typer.Option(
        "--fail-on", help="达到此严重程度即以 1 退出 / lowest severity that makes the exit code 1"
    )] = FailOn.warning,
) -> None:
    """校验案卷 / validate case files against their procedures."""
    from selection_rules import report_json, report_text
    from selection_rules.validation import Validator

    language = _lang(lang)
    validator = Validator(_library(rules), _calendar(holidays, language))
    outcomes = list(validator.run(paths))
    if format is Format.json:
        sys.stdout.write(report_json.render(outcomes) + "\n")
    else:
        report_text.render(_console(), outcomes, language)
    if any(o.result is None for o in outcomes):
        raise typer.Exit(EXIT_BAD_INPUT)
    levels = {"error": ("error",), "warning": ("error", "warning"),
              "info": ("error", "warning", "info")}[fail_on.value]
    failing = any(v.severity in levels for o in outcomes if o.result for v in o.result.violations)
    raise typer.Exit(EXIT_VIOLATIONS if failing else EXIT_OK)


@rules_app.command("list")
def rules_list(
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    lang: LangArg = None,
    rules: RulesDirs = None,
) -> None:
    """列出全部规则 / list every rule of every procedure and rule set."""
    from selection_rules.rule_catalog import catalog, render_list

    language = _lang(lang)
    try:
        entries = catalog(_library(rules))
    except InputError as exc:
        _fail(exc, language)
    if format is Format.json:
        import json

        typer.echo(json.dumps([e.as_dict() for e in entries], ensure_ascii=False, indent=2))
    else:
        render_list(_console(), entries, language)


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="规则编号 / rule id, e.g. PS-7")],
    lang: LangArg = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
    rules: RulesDirs = None,
) -> None:
    """查看一条规则 / show one rule: checks, bounds, citation, where it applies."""
    from selection_rules.rule_catalog import catalog, render_show

    language = _lang(lang)
    try:
        entries = [e for e in catalog(_library(rules)) if e.id == rule_id.upper()]
    except InputError as exc:
        _fail(exc, language)
    if not entries:
        typer.echo(("未知规则编号 " if language == "zh" else "unknown rule id ") + rule_id, err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    if format is Format.json:
        import json

        typer.echo(json.dumps(entries[0].as_dict(detail=True), ensure_ascii=False, indent=2))
    else:
        render_show(_console(), entries[0], language)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="输出目录 / folder to write to",
                                      file_okay=False)] = Path("schemas"),
) -> None:
    """写出 JSON Schema / write JSON Schemas of the procedure and case formats for editors."""
    from selection_rules.schemas import write_schemas

    for path in write_schemas(out):
        typer.echo(str(path))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
