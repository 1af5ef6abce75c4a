"""Telling the kinds of file apart, and reading a record file into its model.

`validate` reads four kinds of file. A selection case has `case` and `procedure`; a record
says `record: assessment | roster | supervision`. Anything else is refused with one
located message naming what each kind must have, rather than with a list of every field
of the case model it lacks.
"""

from __future__ import annotations

from selection_rules.documents import Document, validated
from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.records import RECORD_KINDS, RECORD_MODELS, RecordFile, reference_problems

_EXPECTED = Text(
    "选任案卷（含 case、procedure）或记录文件（record: assessment | roster | supervision）",
    "a selection case file (with case and procedure) or a record file "
    "(record: assessment | roster | supervision)",
)


def file_kind(doc: Document) -> str:
    """'selection' or a record kind, from the file's top-level keys; InputError if neither."""
    data = doc.data
    if not isinstance(data, dict):
        raise InputError.at(
            doc.path,
            Text("文件应为一个映射（键: 值）", "the file is not a mapping (key: value)"),
            line=doc.line_of(()), expected=_EXPECTED,
        )
    if "record" in data:
        kind = data["record"]
        if kind not in RECORD_KINDS:
            known = " | ".join(RECORD_KINDS)
            raise InputError.at(
                doc.path,
                Text(f"未知记录类型 {kind!r}（可用：{known}）",
                     f"unknown record kind {kind!r} (known: {known})"),
                line=doc.line_of(("record",)), field="record", expected=_EXPECTED,
            )
        return str(kind)
    if "case" in data or "procedure" in data:
        return "selection"
    raise InputError.at(
        doc.path,
        Text("无法识别文件类型：既不是选任案卷（缺少 case、procedure），"
             "也不是记录文件（缺少 record）",
             "cannot tell what this file is: neither a selection case file (no `case` or "
             "`procedure`) nor a record file (no `record`)"),
        line=doc.line_of(()), expected=_EXPECTED,
    )


def parse_record(doc: Document, kind: str) -> RecordFile:
    """The record, validated against the model of its kind, every problem located."""
    return validated(doc, RECORD_MODELS[kind], reference_problems)
