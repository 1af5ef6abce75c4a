"""`import`: a case kept in another form (a workbook, a CSV) written as a YAML case file.

Each form has a reader, chosen by the file's suffix in `READERS`: a function from the
file (and the encoding asked for, which only text forms use) to the case's plain data,
or to the located problems that stop it. Adding a form is one line there.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from selection_rules.cli.app import EncodingOpt, ForceOpt, LangArg, _fail, _lang, app
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text

Reader = Callable[[Path, str | None], tuple[dict[str, Any] | None, list[Problem]]]


def read_workbook(path: Path, encoding: str | None
                  ) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A workbook or CSV case: its data once the tables and the case model accept it."""
    from selection_rules.engine.pipeline import place_problems, to_model
    from selection_rules.workbook.load import load_tables

    try:
        doc = load_tables(path, encoding)
    except InputError as exc:
        return None, exc.problems
    try:
        to_model(doc, "selection")
    except InputError as exc:
        return None, place_problems(doc, exc.problems)
    return doc.data, []


READERS: dict[str, Reader] = {
    ".xlsx": read_workbook,
    ".xlsm": read_workbook,
    ".xls": read_workbook,
    ".csv": read_workbook,
}


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(
        help="要转换的文件 / the file to convert: " + ", ".join(READERS),
        show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="写出的 YAML 案卷（默认或 - 为标准输出）/ the YAML case file to "
        "write (default, or -: standard output)")] = None,
    encoding: EncodingOpt = None,
    lang: LangArg = None,
    force: ForceOpt = False,
) -> None:
    """把工作簿或 CSV 转换为 YAML 案卷 / convert a workbook or CSV case to a YAML case file."""
    import sys

    from selection_rules.report.outputs import Outputs, Spot, is_standard_output

    language = _lang(lang)
    reader = READERS.get(source.suffix.lower())
    if reader is None:
        _fail(InputError.at(str(source), Text(
            f"不能转换扩展名为 {source.suffix or '（无）'} 的文件",
            f"cannot convert a file ending in {source.suffix or '(nothing)'}"),
            expected=Text("以下扩展名之一：" + "、".join(READERS),
                          "one of the suffixes " + ", ".join(READERS))), language)
    data, problems = reader(source, encoding.value if encoding else None)
    if data is None:
        _fail(InputError(problems), language)
    to_file = output is not None and not is_standard_output(output)
    text = case_yaml(data, output if to_file else None, source)
    if to_file and output is not None:
        try:
            Outputs(force=force).write(output, text.encode("utf-8"), Spot("--output"))
        except InputError as exc:
            _fail(exc, language)
    else:
        sys.stdout.write(text)


def case_yaml(data: dict[str, Any], target: Path | None, source: Path) -> str:
    """The case as YAML that reads back as `data` (the form `simulate --save` writes)."""
    import yaml

    from selection_rules.simulate.session import HEADER_ORDER, _plain, schema_ref

    ordered = {k: data[k] for k in HEADER_ORDER if k in data}
    ordered.update((k, v) for k, v in data.items() if k not in ordered and k != "events")
    if "events" in data:
        ordered["events"] = data["events"]
    body = yaml.safe_dump(_plain(ordered), allow_unicode=True, sort_keys=False,
                          default_flow_style=None, width=100)
    return (f"# yaml-language-server: $schema={schema_ref(target)}\n"
            f"# 由 {source.name} 转换 / converted from {source.name}\n{body}")
