"""The `selection-rules` command line.

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

from selection_rules.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, InputError
from selection_rules.i18n import Text

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
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="列出和查看规则 / list and show rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class Format(StrEnum):
    text = "text"
    json = "json"


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


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
ForceOpt = Annotated[bool, typer.Option(
    "--force", help="替换已存在的输出文件（输入文件从不改写）/ replace an existing output file "
    "(a file the run reads is never written)")]


@app.callback()
def _new_run() -> None:
    # In-process runs (tests, the pytest plugin) share the module: each starts with no
    # file read, so an output is refused only for what this run read.
    from selection_rules.source.inputs import forget

    forget()
    pipeline = sys.modules.get("selection_rules.engine.pipeline")
    if pipeline is not None:  # nor compiled rules (not imported here: --help stays quick)
        pipeline.forget()


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
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="并行检查的进程数（默认：CPU 数）/ files checked in parallel "
        "by this many processes (default: the number of CPUs); the output is the same",
        show_default=False)] = None,
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
    pipeline = Pipeline(_library(rules), _calendar(holidays, language))
    tasks, problems = pipeline.plan(paths)
    # The workers start before the bar's thread does, and the report is written inside
    # the bar, which keeps its line below what is printed on the same terminal.
    with pipeline.run(tasks, jobs or default_jobs()) as outcomes, \
            progress(len(tasks)) as done:
        outcomes.done = done
        writer = (report_json.JsonWriter(sys.stdout) if format is ValidateFormat.json
                  else report_json.JsonLinesWriter(sys.stdout)
                  if format is ValidateFormat.jsonl else TextWriter(language))
        for problem in problems:
            writer.add(Outcome(problem.file, problems=[problem]))
        for outcome in outcomes:
            writer.add(outcome)
        writer.close()
    if writer.tally.bad:
        raise typer.Exit(EXIT_BAD_INPUT)
    raise typer.Exit(_exit_for(writer.tally.counts, fail_on))


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
def schema(
    name: Annotated[str | None, typer.Argument(
        help="只输出这一种格式（procedure、case 或记录种类）/ only this format: procedure, case "
        "or a record kind", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="写入此目录（NAME.schema.json），而不是标准输出 / write NAME.schema"
        ".json files in this folder instead of standard output", show_default=False)] = None,
    force: ForceOpt = False,
    lang: LangArg = None,
) -> None:
    """输出 JSON Schema / print (or write with --out) JSON Schemas of the file formats, for
    editors. Without NAME, standard output gets one JSON object of every schema by name."""
    from selection_rules.authoring.schemas import file_name, schema_text, schemas
    from selection_rules.report.outputs import Outputs, Spot

    language = _lang(lang)
    found = schemas()
    if name is not None and name not in found:
        _fail(InputError.at("schema", Text(f"未知格式 {name!r}", f"unknown format {name!r}"),
                            expected=Text("以下之一：" + "、".join(found),
                                          "one of " + ", ".join(found))), language)
    if name is not None:
        found = {name: found[name]}
    if out is None:
        typer.echo(schema_text(found[name] if name is not None else found), nl=False)
        return
    outputs, spot = Outputs(force=force), Spot("--out")
    try:
        if out.parent.is_dir() and not out.exists():
            out.mkdir()  # the folder itself, never its missing parents (a typo)
        for n in found:  # every target first: refusing one leaves none written
            outputs.check(out / file_name(n), spot)
        for n, s in found.items():
            outputs.write(out / file_name(n), schema_text(s).encode("utf-8"), spot)
    except InputError as exc:
        _fail(exc, language)
    except OSError as exc:
        _fail(spot.error(Text(f"无法创建目录 {out}：{exc.strerror}",
                              f"cannot make the folder {out}: {exc.strerror}"), None), language)
    for n in found:
        typer.echo(str(out / file_name(n)))


@app.command()
def lint(
    paths: Annotated[list[str] | None, typer.Argument(
        help="程序或规则集文件、目录（默认：内置 rules/）/ procedure and rule-set files or "
        "folders (default: the shipped rules/)", show_default=False)] = None,
    format: FormatOpt = Format.text,
    lang: LangArg = None,
    rules: RulesDirs = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="警告也以 1 退出 / exit 1 on warnings too")] = False,
) -> None:
    """检查程序本身 / lint procedures: references, graph, declared properties, bounds, sources."""
    from selection_rules.engine.library import shipped_rules_dir
    from selection_rules.lint import run as linting

    language = _lang(lang)
    shipped = shipped_rules_dir()
    if shipped.is_relative_to(Path.cwd()):
        shipped = shipped.relative_to(Path.cwd())  # shorter locations in the findings
    report = linting.lint_paths(paths or [str(shipped)], rules or [])
    if format is Format.json:
        typer.echo(linting.render_json(report))
    else:
        linting.render_text(_console(), report, language)
    raise typer.Exit(linting.exit_code(report, strict))


@app.command("test")
def test_rules(
    paths: Annotated[list[str] | None, typer.Argument(
        help="YAML 规则测试文件或目录（默认：tests/rules）/ YAML rule-test files or folders "
        "(default: tests/rules)", show_default=False)] = None,
    lang: LangArg = None,
    rules: RulesDirs = None,
    coverage: Annotated[bool, typer.Option(
        "--coverage", help="报告规则覆盖（触发与静默）/ report rule coverage (fires and silent)"
    )] = False,
    minimum: Annotated[str | None, typer.Option(
        "--min", help="覆盖率下限（百分数，精确比较）/ minimum coverage in percent, compared "
        "exactly", show_default=False)] = None,
    all_rules: Annotated[bool, typer.Option(
        "--all-rules", help="覆盖率计入规则库中的全部规则 / count every rule of the library, not "
        "only those the tested cases load")] = False,
) -> None:
    """运行 YAML 规则测试 / run YAML rule tests (as `openfisca test`)."""
    from selection_rules.authoring import coverage as rule_coverage
    from selection_rules.authoring.rule_tests import Runner, TestResult, describe, run_paths

    language = _lang(lang)
    zh = language == "zh"
    floor = None
    if minimum is not None:
        try:
            floor = rule_coverage.parse_min(minimum)
        except ValueError as exc:
            typer.echo(f"--min: {exc}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
    runner = Runner(rules or [])

    def show(result: TestResult) -> None:
        status = ("通过" if zh else "PASS") if result.passed else ("失败" if zh else "FAIL")
        typer.echo(f"{status} {result.test.location()} {result.test.name}")
        for line in describe(result, language) if not result.passed else []:
            typer.echo("    " + line)

    results, problems = run_paths(paths or ["tests/rules"], runner, show)
    for p in problems:
        typer.echo(p.render(language), err=True)
    failed = sum(1 for r in results if not r.passed)
    typer.echo(f"{len(results) - failed} 个通过，{failed} 个失败" if zh
               else f"{len(results) - failed} passed, {failed} failed")
    code = EXIT_OK
    if not results:
        typer.echo("没有找到任何测试" if zh else "no test found", err=True)
        code = EXIT_VIOLATIONS
    if failed:
        code = EXIT_VIOLATIONS
    if coverage or floor is not None:
        cov = rule_coverage.measure(
            runner, results, rule_coverage.universe_for(rules or [], all_rules))
        rule_coverage.render(_console(), cov, language, floor)
        if floor is not None and cov.percent < floor:
            code = EXIT_VIOLATIONS
    if problems or any(r.problems for r in results):
        code = EXIT_BAD_INPUT
    raise typer.Exit(code)


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


def main() -> None:
    # pydantic looks for plugins (importlib.metadata, every installed distribution) the
    # first time a model validates: a tenth of `validate`'s start-up, for observers of
    # validation that a command-line run has no use for. A user who sets the variable wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except Exception as exc:  # a defect of ours: say so in both languages, exit 2
        if os.environ.get("SELECTION_RULES_DEBUG"):
            raise
        typer.echo(
            f"selection-rules 内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "这是本工具的缺陷，不是输入的问题；设置 SELECTION_RULES_DEBUG=1 可看到详细信息。\n"
            "This is a defect of the tool, not of the input; set SELECTION_RULES_DEBUG=1 "
            "for the details.", err=True)
        sys.exit(EXIT_BAD_INPUT)


if __name__ == "__main__":
    main()
