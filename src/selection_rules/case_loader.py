"""Reading a case file: document → validated `Case`, every problem located."""

from __future__ import annotations

from pydantic import ValidationError

from selection_rules.casefile import Case, reference_problems
from selection_rules.documents import Document, format_loc, validation_problems
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text


def parse_case(doc: Document) -> Case:
    if not isinstance(doc.data, dict):
        raise InputError.at(
            doc.path,
            Text("案卷应为一个映射（键: 值）", "a case file is a mapping (key: value)"),
            line=doc.line_of(()),
        )
    if "case" not in doc.data and "procedure" not in doc.data:
        raise InputError.at(
            doc.path,
            Text(
                "这不是选任案卷：缺少 case 和 procedure 字段",
                "this is not a selection case file: it has neither `case` nor `procedure`",
            ),
            line=doc.line_of(()),
            expected=Text("选任案卷（含 case、procedure、posts、events）",
                          "a selection case file (case, procedure, posts, events)"),
        )
    try:
        case = Case.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(validation_problems(doc, exc)) from None
    refs = reference_problems(case)
    if refs:
        raise InputError([
            Problem(doc.path, message, doc.line_of(loc), None, format_loc(loc))
            for loc, message in refs
        ])
    return case


