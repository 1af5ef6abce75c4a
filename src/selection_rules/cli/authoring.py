"""`schema`, `lint` and `test`: a rule author's commands."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from selection_rules.cli.app import (
    ForceOpt,
    LangArg,
    RulesDirs,
    _console,
    _fail,
    _lang,
    app,
)
from selection_rules.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, InputError
from selection_rules.i18n import Text


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


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


@app.command()
def lint(
    paths: Annotated[list[str] | None, typer.Argument(
        help="程序或规则集文件、目录（默认：内置 rules/）/ procedure and rule-set files or "
        "folders (default: the shipped rules/)", show_default=False)] = None,
    format: Annotated[LintFormat, typer.Option(
        "--format", "-f", help="输出格式 / output: text | json | sarif (SARIF 2.1.0, for "
        "code-scanning services)")] = LintFormat.text,
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
    if format is LintFormat.json:
        typer.echo(linting.render_json(report))
    elif format is LintFormat.sarif:
        typer.echo(linting.render_sarif(report, language), nl=False)
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
