"""`diagram`: draw a procedure, optionally with a case over it."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from selection_rules.cli.app import ForceOpt, LangArg, RulesDirs, _fail, _lang, _library, app
from selection_rules.errors import InputError


class DiagramFormat(StrEnum):
    mermaid = "mermaid"
    dot = "dot"
    svg = "svg"
    png = "png"


@app.command()
def diagram(
    procedure: Annotated[str | None, typer.Argument(
        help="程序编号 / procedure id (not needed with --case)", show_default=False)] = None,
    format: Annotated[DiagramFormat, typer.Option(
        "--format", "-f", help="输出格式 / output format")] = DiagramFormat.mermaid,
    case: Annotated[Path | None, typer.Option(
        "--case", help="叠加案卷走过的路径和违规 / overlay the path a case took and its "
        "violations")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="输出文件（默认或 - 为标准输出）/ file to write (default, or "
        "-: standard output)")] = None,
    lang: LangArg = None,
    rules: RulesDirs = None,
    force: ForceOpt = False,
) -> None:
    """画出程序图 / draw a procedure: stages, steps, checks with bounds and rule IDs."""
    from selection_rules.diagram.command import draw

    language = _lang(lang)
    try:
        data, warning = draw(procedure, format.value, case, _library(rules), language)
    except InputError as exc:
        _fail(exc, language)
    if warning is not None:
        typer.echo(warning.get(language), err=True)
    from selection_rules.report.outputs import is_standard_output

    if output is not None and not is_standard_output(output):
        from selection_rules.report.outputs import Outputs, Spot

        try:
            Outputs(force=force).write(output, data, Spot("--output"))
        except InputError as exc:
            _fail(exc, language)
    elif format in (DiagramFormat.mermaid, DiagramFormat.dot, DiagramFormat.svg):
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
