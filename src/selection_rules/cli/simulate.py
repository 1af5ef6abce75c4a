"""`simulate`: walk a procedure step by step."""

from pathlib import Path
from typing import Annotated

import typer

from selection_rules.cli.app import (
    ForceOpt,
    LangArg,
    RulesDirs,
    _calendar,
    _console,
    _exit_code,
    _fail,
    _lang,
    _library,
    app,
)
from selection_rules.errors import EXIT_OK, InputError


@app.command()
def simulate(
    procedure: Annotated[str | None, typer.Argument(
        help="程序编号 / procedure id, e.g. pengshan-five-votes (not needed with --from)",
        show_default=False)] = None,
    from_case: Annotated[Path | None, typer.Option(
        "--from", help="从已有案卷的最后阶段继续 / resume from a case file at its last stage",
    )] = None,
    script: Annotated[str | None, typer.Option(
        "--script", help="按脚本运行，不交互（- 为标准输入）/ run a YAML or JSON list of "
        "actions without prompts (- reads standard input)")] = None,
    save: Annotated[Path | None, typer.Option(
        "--save", help="结束时保存为案卷 / write the session as a case file at the end")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="假设改动（可重复）/ what-if change PATH=VALUE (repeatable), e.g. "
        "events[3].ballot.tallies.C03.agree=95")] = None,
    lang: LangArg = None,
    holidays: Annotated[list[Path] | None, typer.Option(
        "--holidays", help="补充的节假日安排 / holiday list for uncovered years")] = None,
    rules: RulesDirs = None,
    force: ForceOpt = False,
) -> None:
    """逐步模拟程序 / walk a procedure step by step; each step is checked as validate does.

    Exit code as validate's, for the case as it stands at the end: 0 clean, 1 violations
    (an unfinished case counts), 2 bad input.
    """
    from selection_rules.simulate.prompt import run
    from selection_rules.simulate.view import View

    language = _lang(lang)
    try:
        session = run(procedure=procedure, from_case=from_case, script=script, save=save,
                      force=force, sets=set_ or [], library=_library(rules),
                      calendar=_calendar(holidays, language), view=View(_console(), language))
    except InputError as exc:
        _fail(exc, language)
    raise typer.Exit(_exit_code(session.result().violations) if session is not None
                     else EXIT_OK)
