"""Reading a case file: document → validated `Case`, every problem located."""

from __future__ import annotations

from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.model.case import Case, reference_problems
from selection_rules.source.document import Document
from selection_rules.source.model_errors import validated


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
    return validated(doc, Case, reference_problems)


