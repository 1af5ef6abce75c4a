"""`new`: a blank case for a procedure, as commented YAML or as a workbook to fill in."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from selection_rules.cli.app import ForceOpt, LangArg, RulesDirs, _fail, _lang, _library, app
from selection_rules.errors import InputError
from selection_rules.i18n import Text


@app.command()
def new(
    procedure: Annotated[str, typer.Argument(
        help="程序编号 / procedure id, e.g. pengshan-five-votes", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="输出文件（默认或 - 为标准输出）/ file to write (default, or "
        "-: standard output)")] = None,
    xlsx: Annotated[bool, typer.Option(
        "--xlsx", help="写成 Excel 工作簿（需 -o）/ write an Excel workbook (needs -o); also "
        "chosen by an -o ending in .xlsx")] = False,
    rule_sets: Annotated[list[str] | None, typer.Option(
        "--rule-set", help="另加的规则集（可重复），其规则读取的字段一并列出 / an additional rule "
        "set (repeatable): the fields its rules read are listed too", show_default=False)] = None,
    csv: Annotated[bool, typer.Option(
        "--csv", help="写成分节的 CSV / write the workbook's sheets as one sectioned CSV; also "
        "chosen by an -o ending in .csv")] = False,
    lang: LangArg = None,
    rules: RulesDirs = None,
    force: ForceOpt = False,
) -> None:
    """写出空白案卷 / write a blank case for a procedure, to fill in.

    Every step in order, every field its rules read, the allowed values in Chinese and
    English: commented YAML, or (--xlsx) a workbook with one sheet per table, or (--csv)
    those sheets as one sectioned CSV."""
    from selection_rules.engine.pipeline import load_procedure
    from selection_rules.report.outputs import Outputs, Spot, is_standard_output

    language = _lang(lang)
    to_file = output is not None and not is_standard_output(output)
    suffix = output.suffix.lower() if to_file and output is not None else ""
    as_xlsx = xlsx or suffix == ".xlsx"
    as_csv = csv or suffix == ".csv"
    if as_xlsx and as_csv:
        _fail(InputError.at("--xlsx", Text("--xlsx 与 --csv 只能选一个",
                                           "--xlsx and --csv exclude each other")), language)
    if as_xlsx and not to_file:
        _fail(InputError.at("--xlsx", Text("工作簿不能写到标准输出", "a workbook cannot be "
                                           "written to standard output"),
                            expected=Text("-o 文件名.xlsx", "-o NAME.xlsx")), language)
    try:
        proc = load_procedure(procedure, _library(rules), tuple(rule_sets or ()))
        if proc.record_kind != "selection":
            raise InputError.at(procedure, Text(
                "这是记录的规则集，不是选任程序", "this is a rule set for records, not a "
                "selection procedure"), expected=Text("选任程序的编号", "a procedure id"))
        if as_xlsx or as_csv:
            from selection_rules.workbook.template import template
            from selection_rules.workbook.write import csv_text, xlsx_bytes

            grid, choices, guide = template(proc)
            data = (xlsx_bytes(grid, choices, guide) if as_xlsx
                    else csv_text(grid).encode("utf-8"))
        else:
            from selection_rules.authoring.blank_case import blank_case

            text = blank_case(proc)
            if to_file and output is not None:
                from selection_rules.simulate.session import schema_ref

                # Editors then check and complete the file as it is filled in.
                text = f"# yaml-language-server: $schema={schema_ref(output)}\n{text}"
            data = text.encode("utf-8")
        if to_file and output is not None:
            Outputs(force=force).write(output, data, Spot("--output"))
        else:
            sys.stdout.write(data.decode("utf-8"))
    except InputError as exc:
        _fail(exc, language)
