"""What kind of file a file is, and which kinds of file a rule set may check.

`validate` reads a selection case, which has `case` and `procedure`, or a record, which
says `record:` and one of RECORD_KINDS. Anything else is refused with one
located message naming what each kind must have, rather than with a list of every field
of the case model it lacks. A rule set says which kind of file it reads (`applies_to`);
naming it in a file of another kind is one located error on the file's own line, before
anything is compiled — not a pile of false violations, nor the rule set's expressions
failing against the wrong model.

This module has no models, so that checking a selection case does not build the record
models of records.py.
"""

from __future__ import annotations

from typing import Literal

from selection_rules.engine.library import Library
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text
from selection_rules.model.vocabulary import RECORD_KIND
from selection_rules.source.document import Document
from selection_rules.source.paths import format_loc

Loc = tuple[str | int, ...]

RecordKind = Literal["assessment", "roster", "supervision", "scoring", "rectification",
                     "assessment_scope", "score_sheets"]
RECORD_KINDS: tuple[RecordKind, ...] = ("assessment", "roster", "supervision", "scoring",
                                        "rectification", "assessment_scope", "score_sheets")

# A record kind's labels are its term's in the vocabulary, where `record:` is read.
KIND_LABELS: dict[str, Text] = {
    "selection": Text("选任案卷", "selection case file"),
    **{t.code: t.label() for t in RECORD_KIND.terms},
}

# The lists a violation can stand in, named for the report's section headings.
SECTION_LABELS: dict[str, Text] = {
    "teams": Text("领导班子", "teams"),
    "leaders": Text("领导干部", "leaders"),
    "talks": Text("约谈", "admonishment talks"),
    "rankings": Text("考核排名", "rankings"),
    "cadres": Text("干部", "cadres"),
    "moves": Text("借调与调动", "secondments and transfers"),
    "units": Text("被检查单位", "supervised units"),
    "subjects": Text("积分对象", "scored teams and aid forces"),
    "secretaries": Text("党组织书记", "party secretaries"),
    "scope": Text("考核范围内单位", "units in the assessment's scope"),
    "sheets": Text("评分表", "score sheets"),
    "reviews": Text("考核结果联审", "joint reviews of the results"),
}


def kind_label(kind: str) -> Text:
    return KIND_LABELS.get(kind, Text(kind, kind))


_EXPECTED = Text(
    # A clerk writes the kind by its Chinese name as well: shown first, with its code.
    "选任案卷（含 case、procedure）或记录文件（record: "
    + " | ".join(f"{KIND_LABELS[k].zh}（{k}）" for k in RECORD_KINDS) + "）",
    "a selection case file (with case and procedure) or a record file "
    f"(record: {' | '.join(RECORD_KINDS)})",
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
        # 年度考核档案, 干部名册 … name the kind as well as its code (model/vocabulary.py).
        kind = RECORD_KIND.normalize(data["record"])
        if kind not in RECORD_KINDS:
            raise InputError.at(
                doc.path, RECORD_KIND.unknown(str(kind)),
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


class KindCheck:
    """The kind each procedure or rule set of a library declares, and the check of it."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._kinds: dict[str, str] = {}

    def declared_kind(self, ident: str) -> str | None:
        path = self.library.find(ident)
        if path is None:
            return None
        if str(path) not in self._kinds:
            try:
                data = self.library.document(path).data
            except InputError:
                return None  # the loader reports the file's own problems
            kind = data.get("applies_to", "selection") if isinstance(data, dict) else None
            self._kinds[str(path)] = kind if isinstance(kind, str) else "selection"
        return self._kinds[str(path)]

    def check(self, doc: Document, kind: str, refs: list[tuple[str, Loc]]) -> None:
        """Raise one InputError listing every named procedure or rule set of another kind."""
        problems: list[Problem] = []
        want = kind_label(kind)
        for name, loc in refs:
            have = self.declared_kind(name)
            if have is None or have == kind:
                continue
            label = kind_label(have)
            problems.append(Problem(
                doc.path,
                Text(f"{name!r} 适用于{label.zh}（{have}），而本文件是{want.zh}（{kind}）："
                     f"不能用它检查本文件",
                     f"{name!r} applies to {label.en}s ({have}), but this file is of "
                     f"kind {kind} ({want.en}): it cannot check this file"),
                doc.line_of(loc), None, format_loc(loc),
                Text(f"适用于{want.zh}的规则集", f"a rule set that applies to {want.en}s"),
            ))
        if problems:
            raise InputError(problems)

