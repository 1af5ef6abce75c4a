"""`import`: what an organisation department already keeps, written as YAML.

Two kinds of source, told apart by the files' suffixes:
- a case kept in another form (a workbook, a CSV): its reader in `READERS` gives the
  case's plain data, or the located problems that stop it, and the case is written as a
  YAML case file. Adding a form is one line there;
- 干部任免审批表 (LRMX forms, zip batches of them): the candidates they describe, as a
  case fragment or (`--case`) put into a copy of a case.
"""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from selection_rules.cli.app import EncodingOpt, ForceOpt, LangArg, _fail, _lang, app
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text

if TYPE_CHECKING:
    from selection_rules.i18n import Lang
    from selection_rules.source.lrmx import Imported

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
# 干部任免审批表 and their batches (the old .lrm text form is refused with advice).
FORMS = (".lrmx", ".zip", ".lrm")


@app.command("import")
def import_(
    sources: Annotated[list[Path], typer.Argument(
        help="要转换的文件：一个工作簿或 CSV 案卷，或若干干部任免审批表（.lrmx 及其 .zip）/ "
        "the file to convert: a workbook or CSV case (" + ", ".join(READERS) + "), or LRMX "
        "forms (.lrmx) and zips of them", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="写出的 YAML 文件（默认或 - 为标准输出）/ the YAML file to "
        "write (default, or -: standard output)", show_default=False)] = None,
    case: Annotated[Path | None, typer.Option(
        "--case", help="审批表：把候选人放入这份案卷的副本（同名者替换）/ LRMX forms: put the "
        "candidates into a copy of this case (one of the same name is replaced)",
        show_default=False)] = None,
    encoding: EncodingOpt = None,
    lang: LangArg = None,
    force: ForceOpt = False,
) -> None:
    """转换为 YAML：工作簿或 CSV 案卷，或干部任免审批表中的候选人 / write as YAML: a
    workbook or CSV case, or the candidates of LRMX forms."""
    from selection_rules.report.outputs import is_standard_output

    language = _lang(lang)
    suffixes = {s.suffix.lower() for s in sources}
    if suffixes <= set(FORMS):
        text = _forms(sources, case, language)
    elif len(sources) == 1 and suffixes <= set(READERS):
        if case is not None:
            _fail(InputError.at("--case", Text(
                "--case 只用于干部任免审批表：工作簿或 CSV 本身就是一份案卷",
                "--case is for LRMX forms: a workbook or CSV is a case of its own")),
                language)
        source = sources[0]
        data, problems = READERS[source.suffix.lower()](
            source, encoding.value if encoding else None)
        if data is None:
            _fail(InputError(problems), language)
        to_file = output is not None and not is_standard_output(output)
        text = case_yaml(data, output if to_file else None, source)
    else:
        named = ", ".join(str(s) for s in sources)
        _fail(InputError.at(named, Text(
            "无法转换这些文件：应为一个工作簿或 CSV 案卷，或若干干部任免审批表",
            "cannot convert these files: give one workbook or CSV case, or LRMX forms"),
            expected=Text("一个 " + "、".join(READERS) + " 文件，或若干 .lrmx、.zip 文件",
                          "one " + ", ".join(READERS) + " file, or .lrmx and .zip files")),
            language)
    _write(text, output, force, language)


def _write(text: str, output: Path | None, force: bool, language: "Lang") -> None:
    from selection_rules.report.outputs import Outputs, Spot, is_standard_output

    if output is None or is_standard_output(output):
        sys.stdout.write(text)
        return
    try:
        Outputs(force=force).write(output, text.encode("utf-8"), Spot("--output"))
    except InputError as exc:
        _fail(exc, language)


def _forms(sources: list[Path], case: Path | None, language: "Lang") -> str:
    """The candidates of LRMX forms as a case fragment, or in a copy of `case`."""
    from selection_rules.source import lrmx_write
    from selection_rules.source.lrmx import read_sources

    done: list[Text] = []
    try:
        imported = read_sources(sources)
        if case is None:
            text = lrmx_write.fragment(imported)
        else:
            text, done = _into_case(case, imported)
    except InputError as exc:
        _fail(exc, language)
    for note in imported.notes:
        typer.echo(("注意：" if language == "zh" else "note: ") + note.render(language),
                   err=True)
    for line in done:
        typer.echo(line.get(language), err=True)
    count = len(imported.people)
    typer.echo(f"读入 {count} 名候选人" if language == "zh" else
               f"{count} candidate{'s' if count != 1 else ''} read", err=True)
    return text


def _into_case(case: Path, imported: "Imported") -> "tuple[str, list[Text]]":
    from selection_rules.source import lrmx_write
    from selection_rules.source.decoding import _decode
    from selection_rules.source.inputs import open_input
    from selection_rules.source.loading import load_document

    base = load_document(case)  # the base case's problems are located as validate's are
    with open_input(case) as fh:  # its text, to edit the candidates in place
        text = _decode(fh.read(), str(case))
    return lrmx_write.into_case(base, text, imported)


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
