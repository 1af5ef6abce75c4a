"""`selection-rules diagram`: the procedure (and, with --case, the case) to the bytes of
one output format."""

from __future__ import annotations

from pathlib import Path

from selection_rules.diagram.draw import render, to_dot, to_mermaid
from selection_rules.diagram.model import build
from selection_rules.engine.case_loader import parse_case
from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import Pipeline, load_procedure, read
from selection_rules.errors import InputError
from selection_rules.i18n import Lang, Text
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.model.case import Case


def draw(procedure: str | None, fmt: str, case_path: Path | None, library: Library,
         lang: Lang) -> tuple[bytes, Text | None]:
    case = result = None
    if case_path is not None:
        # The case through the pipeline, as validate checks it: read and compiled once.
        checked = Pipeline(library, WorkCalendar()).check(read(case_path))
        assert checked is not None
        if not isinstance(checked.model, Case):
            parse_case(checked.doc)  # a record: says it is no selection case file
            raise InputError.at(str(case_path), Text("这不是选任案卷", "not a selection case"))
        case, result, proc = checked.model, checked.result, checked.proc
        if procedure is not None and procedure != case.procedure:
            raise InputError.at(str(case_path), Text(
                f"案卷的程序是 {case.procedure}，而命令行给出的是 {procedure}",
                f"the case follows {case.procedure}, not {procedure}"), field="procedure")
    elif procedure is None:
        raise InputError.at("diagram", Text("请给出程序（如 pengshan-five-votes）或 --case 案卷",
                                            "name a procedure (e.g. pengshan-five-votes) or "
                                            "--case CASE"))
    else:
        proc = load_procedure(procedure, library)
    diagram = build(proc, case, result)
    if fmt == "mermaid":
        return to_mermaid(diagram, lang).encode("utf-8"), None
    dot = to_dot(diagram, lang)
    if fmt == "dot":
        return dot.encode("utf-8"), None
    return render(dot, fmt)
