"""`rules list`, `rules show`, `trace` and `sources`: the rule library and its seeds."""

from typing import Annotated

import typer

from selection_rules.cli.app import (
    Format,
    FormatOpt,
    LangArg,
    RuleIdArg,
    RulesDirs,
    _console,
    _entry,
    _fail,
    _lang,
    _library,
    app,
    rules_app,
)
from selection_rules.errors import EXIT_BAD_INPUT, InputError


@rules_app.command("list")
def rules_list(
    format: FormatOpt = Format.text,
    lang: LangArg = None,
    rules: RulesDirs = None,
) -> None:
    """列出全部规则 / list every rule of every procedure and rule set."""
    from selection_rules.authoring.catalog import catalog, render_list

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
    rule_id: RuleIdArg,
    lang: LangArg = None,
    format: FormatOpt = Format.text,
    rules: RulesDirs = None,
) -> None:
    """查看一条规则 / show one rule: checks, bounds, citation, where it applies."""
    from selection_rules.authoring.catalog import render_show

    language = _lang(lang)
    entry = _entry(rule_id, rules, language)
    if format is Format.json:
        import json

        typer.echo(json.dumps(entry.as_dict(detail=True), ensure_ascii=False, indent=2))
    else:
        render_show(_console(), entry, language)


@app.command()
def trace(
    rule_id: RuleIdArg,
    lang: LangArg = None,
    format: FormatOpt = Format.text,
    rules: RulesDirs = None,
) -> None:
    """追溯规则出处 / a rule, its bounds, where it is used, and its source sentence."""
    from selection_rules.authoring.traceability import trace as trace_rule

    language = _lang(lang)
    result = trace_rule(_entry(rule_id, rules, language))
    if format is Format.json:
        import json

        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        from selection_rules.report.trace import render_trace

        render_trace(_console(), result, language)


@app.command()
def sources(
    seeds: Annotated[list[str] | None, typer.Argument(
        help="只看这些种子文件 / only these seed files", show_default=False)] = None,
    lang: LangArg = None,
    format: FormatOpt = Format.text,
    rules: RulesDirs = None,
) -> None:
    """原文覆盖情况 / each seed paragraph: the rules that encode it, or why none does."""
    from selection_rules.authoring.catalog import catalog
    from selection_rules.authoring.traceability import sources as seed_sources

    language = _lang(lang)
    try:
        found = seed_sources(catalog(_library(rules)))
    except InputError as exc:
        _fail(exc, language)
    unknown = [s for s in seeds or [] if s not in found]
    if unknown:
        typer.echo(("未知种子文件：" if language == "zh" else "unknown seed file: ")
                   + ", ".join(unknown) + f" ({', '.join(found)})", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    if seeds:
        found = {s: found[s] for s in seeds}
    if format is Format.json:
        import json

        typer.echo(json.dumps({s: [p.as_dict() for p in ps] for s, ps in found.items()},
                              ensure_ascii=False, indent=2))
    else:
        from selection_rules.report.trace import render_sources

        render_sources(_console(), found, language)
