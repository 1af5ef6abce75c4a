"""`import`: candidates from LRMX forms (干部任免审批表) and zip batches of them."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from selection_rules.cli.app import ForceOpt, LangArg, _fail, _lang, app
from selection_rules.errors import InputError

if TYPE_CHECKING:
    from selection_rules.i18n import Text
    from selection_rules.source.lrmx import Imported


@app.command("import")
def import_(
    sources: Annotated[list[Path], typer.Argument(
        help="干部任免审批表 .lrmx 文件，或装有它们的 .zip / LRMX forms (.lrmx), or zips of "
        "them", show_default=False)],
    case: Annotated[Path | None, typer.Option(
        "--case", help="把候选人放入这份案卷的副本（同名者替换）/ put the candidates into a copy "
        "of this case (one of the same name is replaced)", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="输出文件（默认或 - 为标准输出）/ file to write (default, or "
        "-: standard output)", show_default=False)] = None,
    lang: LangArg = None,
    force: ForceOpt = False,
) -> None:
    """从干部任免审批表导入候选人 / import candidates from LRMX forms into a case."""
    from selection_rules.report.outputs import Outputs, Spot, is_standard_output
    from selection_rules.source import lrmx_write
    from selection_rules.source.lrmx import read_sources

    language = _lang(lang)
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
    if output is None or is_standard_output(output):
        sys.stdout.write(text)
        return
    try:
        Outputs(force=force).write(output, text.encode("utf-8"), Spot("--output"))
    except InputError as exc:
        _fail(exc, language)


def _into_case(case: Path, imported: "Imported") -> "tuple[str, list[Text]]":
    from selection_rules.source import lrmx_write
    from selection_rules.source.decoding import _decode
    from selection_rules.source.inputs import open_input
    from selection_rules.source.loading import load_document

    base = load_document(case)  # the base case's problems are located as validate's are
    with open_input(case) as fh:  # its text, to edit the candidates in place
        text = _decode(fh.read(), str(case))
    return lrmx_write.into_case(base, text, imported)
