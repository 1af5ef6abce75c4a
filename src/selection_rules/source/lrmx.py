"""Reading LRMX files (干部任免审批表) and zip batches of them into a case's candidates.

An `.lrmx` file is XML, root `<Person>`, one element per field of the form (the format
the 干部任免 systems exchange; no official specification is public, the field names and
formats are those the open-source readers and writers of it use). It is read with the
standard library's expat, safely: a DOCTYPE is refused outright (so no entity can be
declared, and none fetched), as is any reference to an external entity; sizes and
element counts are bounded (limits.py). A zip batch is never extracted to disk
(source/lrmx_zip.py). Member names are GBK, as the 干部任免 systems write them.

Every problem names the file (for a zip, `batch.zip!张三.lrmx`), the line and the element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selection_rules import limits
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text
from selection_rules.source import lrmx_fields as fields
from selection_rules.source.inputs import input_problem, open_input

SUFFIXES = (".lrmx", ".zip")
# The elements read, with the names of their columns on the form (for messages).
COLUMNS: dict[str, Text] = {
    "XingMing": Text("姓名", "name"),
    "ChuShengNianYue": Text("出生年月", "date of birth"),
    "ShenFenZheng": Text("身份证号", "ID number"),
    "CanJiaGongZuoShiJian": Text("参加工作时间", "date of starting work"),
    "RuDangShiJian": Text("入党时间", "date of joining the party"),
    "QuanRiZhiJiaoYu_XueLi": Text("全日制教育学历", "full-time education"),
    "ZaiZhiJiaoYu_XueLi": Text("在职教育学历", "part-time education"),
    "XianRenZhiWu": Text("现任职务", "current post"),
    "NiRenZhiWu": Text("拟任职务", "proposed post"),
    "JianLi": Text("简历", "résumé"),
    "NianDuKaoHeJieGuo": Text("年度考核结果", "yearly appraisals"),
    "ChengBaoDanWei": Text("呈报单位", "reporting unit"),
}


@dataclass
class Person:
    """One form read: the candidate as the case file writes it, and where it came from."""

    source: str
    data: dict[str, object]
    # A YAML comment for a field of the candidate (e.g. how the birth day was taken).
    comments: dict[str, Text] = field(default_factory=dict)


@dataclass
class Imported:
    """What a set of LRMX sources gives a case: candidates (ids C01, C02… in input
    order), case-level values (`unit` when the forms agree on the 呈报单位), and notes
    on readings worth a look, located as problems are."""

    people: list[Person] = field(default_factory=list)
    case: dict[str, object] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def candidates(self) -> list[dict[str, object]]:
        return [p.data for p in self.people]


def read_lrmx(path: Path) -> Imported:
    """The candidates of one `.lrmx` file or one zip of them; InputError if any form
    cannot be read (every problem of every form, each located)."""
    return read_sources([path])


def read_sources(paths: Iterable[Path]) -> Imported:
    result = Imported()
    problems: list[Problem] = []
    units: dict[str, str] = {}
    for path in paths:
        result.sources.append(str(path))
        try:
            forms = _forms(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for name, raw in forms:
            try:
                person, unit, notes = _read_form(raw, name)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            result.notes.extend(notes)
            result.people.append(person)
            if unit:
                units.setdefault(unit, name)
    if problems:
        raise InputError(problems)
    seen: dict[str, str] = {}
    for number, person in enumerate(result.people, 1):
        person.data = {"id": f"C{number:02d}", **person.data}
        name, cand = str(person.data["name"]), f"C{number:02d}"
        if name in seen:  # two forms of one person, or two people of one name
            result.notes.append(Problem(person.source, Text(
                f"{name} 已在前面读入（{seen[name]}），此表记为 {cand}，请核对是否重复",
                f"{name} was read before ({seen[name]}); this form is {cand}: check whether "
                "it is the same person"), field="XingMing"))
        seen.setdefault(name, cand)
    if len(units) == 1:
        result.case["unit"] = next(iter(units))
    elif len(units) > 1:
        shown = "、".join(units)
        result.notes.append(Problem(result.sources[0], Text(
            f"各表的呈报单位不同（{shown}），案卷的单位未填", "the forms name different "
            f"reporting units ({', '.join(units)}); the case's unit is left blank"),
            field="ChengBaoDanWei"))
    return result


# ------------------------------------------------------------------------ files, zips


def _read_bytes(path: Path, limit: int) -> bytes:
    name = str(path)
    try:
        with open_input(path) as fh:
            raw = fh.read(limit + 1)
    except InputError:
        raise
    except OSError as exc:
        raise InputError.at(name, Text(f"无法读取文件：{exc.strerror or exc}",
                                       f"cannot read the file: {exc.strerror or exc}")) from None
    if len(raw) > limit:
        raise InputError.at(name, too_large(limit))
    return raw


def too_large(limit: int) -> Text:
    return Text(f"文件超过上限 {limit} 字节", f"the file is larger than the limit of {limit} "
                "bytes")


def _forms(path: Path) -> list[tuple[str, bytes]]:
    problem = input_problem(path)  # a folder or a missing file, before its name is judged
    if problem is not None:
        raise InputError.at(str(path), problem)
    suffix = path.suffix.lower()
    if suffix == ".lrmx":
        return [(str(path), _read_bytes(path, limits.MAX_LRMX_BYTES))]
    if suffix == ".zip":
        from selection_rules.source.lrmx_zip import zip_forms

        return zip_forms(path)
    expected = Text("干部任免审批表 .lrmx 文件，或装有它们的 .zip 文件",
                    "an .lrmx file (干部任免审批表), or a .zip of them")
    if suffix == ".lrm":
        raise InputError.at(str(path), Text(
            "旧版 LRM 文本格式尚不能读入；请在任免表编辑器中另存为 LRMX",
            "the old LRM text format cannot be read yet; save the form as LRMX in the "
            "任免表编辑器"), expected=expected)
    raise InputError.at(str(path), Text(f"不知道如何读入扩展名为“{path.suffix}”的文件",
                                        f'files named "*{path.suffix}" cannot be imported'),
                        expected=expected)


# ------------------------------------------------------------------------------- XML


class _Refused(Exception):
    def __init__(self, message: Text, expected: Text | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.expected = expected


class _Person:
    """Expat's handlers for one form: the text and start line of each element directly
    under `<Person>`. The form is flat, so nothing deeper is kept."""

    def __init__(self, parser: Any) -> None:
        self.parser = parser
        self.found: dict[str, tuple[str, int]] = {}
        self.texts: list[str] = []
        self.depth = 0
        self.elements = 0
        self.current = ""
        parser.StartDoctypeDeclHandler = self.refuse_doctype
        parser.EntityDeclHandler = self.refuse_entity
        parser.ExternalEntityRefHandler = self.refuse_entity
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.buffer_text = True

    def refuse_doctype(self, *_: object) -> None:
        raise _Refused(Text("含有文档类型声明（DOCTYPE），出于安全不予读取",
                            "it has a document type declaration (DOCTYPE), which is refused "
                            "for safety"),
                       Text("不含 DOCTYPE 的干部任免审批表", "a form without a DOCTYPE"))

    def refuse_entity(self, *_: object) -> int:
        raise _Refused(Text("声明或引用了外部实体，出于安全不予读取",
                            "it declares or refers to an entity, which is refused for safety"))

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        del attrs
        self.elements += 1
        if self.elements > limits.MAX_LRMX_ELEMENTS:
            raise _Refused(Text(f"元素超过 {limits.MAX_LRMX_ELEMENTS} 个",
                                f"it has more than {limits.MAX_LRMX_ELEMENTS} elements"))
        if self.depth == 0 and tag != "Person":
            raise _Refused(Text(f"根元素是 <{tag}>，不是干部任免审批表的 <Person>",
                                f"the root element is <{tag}>, not the <Person> of an LRMX "
                                "form"), Text("LRMX 文件（根元素 <Person>）",
                                              "an LRMX file (root element <Person>)"))
        if self.depth == 1:
            if tag in self.found:
                raise _Refused(Text(f"元素 <{tag}> 出现了两次",
                                    f"the element <{tag}> appears twice"))
            self.current = tag if tag in COLUMNS else ""
            self.found[tag] = ("", self.parser.CurrentLineNumber)
            self.texts.clear()
        self.depth += 1

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.depth == 1 and self.current:
            self.found[tag] = ("".join(self.texts), self.found[tag][1])
            self.current = ""

    def text(self, data: str) -> None:
        # Only the fields read keep their text: the photo alone can be megabytes.
        if self.current and self.depth == 2:
            self.texts.append(data)


_DECLARED = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_CHINESE_ENCODINGS = {"gb2312", "gbk", "gb18030", "cp936", "euc-cn"}


def _parse(raw: bytes, name: str) -> dict[str, tuple[str, int]]:
    """The text and start line of each element directly under `<Person>`."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    person = _Person(parser)
    declared = _DECLARED.match(raw[:200])
    data: bytes | str = raw
    if declared and declared.group(1).decode("ascii").lower() in _CHINESE_ENCODINGS:
        try:  # expat knows no Chinese encoding: decode here, hand it text
            data = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError.at(name, Text("文件声明为 GBK 编码，但含有不是 GBK 的字节",
                                           "the file declares GBK but holds bytes that are "
                                           "not GBK"), line=1) from None
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise InputError.at(name, exc.message, line=parser.CurrentLineNumber,
                            expected=exc.expected) from None
    except expat.ExpatError as exc:
        raise InputError.at(name, _malformed(exc, raw), line=exc.lineno,
                            column=exc.offset + 1) from None
    return person.found


def _malformed(exc: Exception, raw: bytes) -> Text:
    from xml.parsers import expat

    code = getattr(exc, "code", None)
    if code == expat.errors.codes.get(expat.errors.XML_ERROR_INVALID_TOKEN):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                raw.decode("gb18030")
            except UnicodeDecodeError:
                pass
            else:
                return Text("文件看来是 GBK 编码，但没有如此声明；请另存为 UTF-8",
                            "the file looks GBK-encoded but does not say so; save it as UTF-8")
    reason = expat.errors.messages.get(code, str(exc)) if code is not None else str(exc)
    return Text(f"不是格式正确的 XML（{reason}）", f"not well-formed XML ({reason})")


# --------------------------------------------------------------------------- one form


def _read_form(raw: bytes, name: str) -> tuple[Person, str | None, list[Problem]]:
    found = _parse(raw, name)
    problems: list[Problem] = []
    notes: list[Problem] = []

    def value(tag: str) -> str:
        return found.get(tag, ("", 0))[0].strip()

    def line(tag: str, offset: int = 0) -> int | None:
        return found[tag][1] + offset if tag in found else None

    def problem(tag: str, exc: fields.Unreadable) -> None:
        problems.append(Problem(name, exc.message, line(tag, exc.line_offset), field=tag,
                                expected=exc.expected))

    def noted(tag: str, note: fields.Note) -> None:
        notes.append(Problem(name, note.message, line(tag, note.line_offset), field=tag))

    # A name is kept without blanks (张　三 is 张三), as the systems reading the form do.
    person_name = re.sub(r"\s+", "", value("XingMing"))
    if not person_name:
        problems.append(Problem(name, Text("没有姓名", "the form has no name"),
                                line("XingMing") or 1, field="XingMing",
                                expected=Text("姓名", "the person's name")))
    data: dict[str, object] = {"name": person_name}
    person = Person(name, data)
    if value("ChuShengNianYue"):
        try:
            born, note = fields.birth_date(value("ChuShengNianYue"), value("ShenFenZheng"))
        except fields.Unreadable as exc:
            problem("ChuShengNianYue", exc)
        else:
            data["birth_date"] = born
            if note is not None:
                noted("ChuShengNianYue", note)
                person.comments["birth_date"] = Text("出生日未知，按当月 1 日计",
                                                     "day of birth unknown: the 1st")
    if value("XianRenZhiWu"):
        data["unit"] = value("XianRenZhiWu")
    facts: dict[str, object] = {}
    if value("CanJiaGongZuoShiJian"):
        try:
            facts["work_start"] = fields.month_start(value("CanJiaGongZuoShiJian"),
                                                     COLUMNS["CanJiaGongZuoShiJian"])
        except fields.Unreadable as exc:
            problem("CanJiaGongZuoShiJian", exc)
    if value("RuDangShiJian"):
        try:
            joined, party_note = fields.party_join(value("RuDangShiJian"))
        except fields.Unreadable as exc:
            problem("RuDangShiJian", exc)
        else:
            if joined is not None:
                facts["party_join"] = joined
            if party_note is not None:
                noted("RuDangShiJian", party_note)
    levels = []
    for tag in ("QuanRiZhiJiaoYu_XueLi", "ZaiZhiJiaoYu_XueLi"):
        if value(tag):
            level = fields.education(value(tag))
            if level is None:
                noted(tag, fields.Note(Text(f"学历“{value(tag)}”不是已知的学历层次，未读入",
                                            f'the education "{value(tag)}" is not a known '
                                            "level and is not read")))
            else:
                levels.append(level)
    best = fields.highest(levels)
    if best is not None:
        facts["education"] = best
    if value("JianLi"):
        try:
            entries, career_notes = fields.career(found["JianLi"][0])
        except fields.Unreadable as exc:
            problem("JianLi", exc)
        else:
            facts["career"] = entries
            for note in career_notes:
                noted("JianLi", note)
    if value("NianDuKaoHeJieGuo"):
        try:
            years, year_notes = fields.appraisals(value("NianDuKaoHeJieGuo"))
        except fields.Unreadable as exc:
            problem("NianDuKaoHeJieGuo", exc)
        else:
            if years:
                facts["appraisals"] = years
            for note in year_notes:
                noted("NianDuKaoHeJieGuo", note)
    if value("NiRenZhiWu"):
        facts["proposed_post"] = value("NiRenZhiWu")
    if facts:
        data["facts"] = facts
    if problems:
        raise InputError(problems)
    return person, value("ChengBaoDanWei") or None, notes
