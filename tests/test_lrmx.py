"""LRMX import: the made-up example forms, located errors, unsafe XML, zip bombs."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules import limits
from selection_rules.cli import app
from selection_rules.errors import InputError
from selection_rules.source.loading import load_document, loads_document
from selection_rules.source.lrmx import COLUMNS, read_lrmx, read_sources
from selection_rules.source.lrmx_write import fragment, into_case

LRMX = EXAMPLES / "lrmx"
runner = CliRunner()


def form(**fields: str) -> bytes:
    """A form with these elements (one per line, in the order given), UTF-8 with a BOM."""
    body = "".join(f"  <{tag}>{escape(text)}</{tag}>\n" for tag, text in fields.items())
    return ("\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Person>\n"
            f"{body}  <ZhaoPian></ZhaoPian>\n</Person>\n").encode()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_lrmx(path)
    return [p.render("en") for p in caught.value.problems]


def plain(value: object) -> object:
    """As the project's YAML reader gives it back: mapping keys are text."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


# ------------------------------------------------------------------------- examples


def test_example_form_gives_the_facts_a_rule_needs() -> None:
    imported = read_lrmx(LRMX / "wang-xiaoming.lrmx")
    [wang] = imported.candidates
    assert wang == {
        "id": "C01", "name": "王晓明",  # the blank in "王 晓明" is taken out
        "birth_date": dt.date(1985, 3, 12),  # the day from the ID number, same month
        "unit": "某县某局副局长",
        "facts": {
            "work_start": dt.date(2008, 7, 1), "party_join": dt.date(2006, 6, 1),
            "education": "master",  # 在职 硕士研究生 above 全日制 大学
            "career": [
                {"from": dt.date(2004, 9, 1), "to": dt.date(2008, 6, 30),
                 "title": "某大学公共管理专业学习"},
                {"from": dt.date(2008, 7, 1), "to": dt.date(2012, 6, 30),
                 "title": "某县某镇党政办科员", "rank": "staff", "grassroots": True},
                {"from": dt.date(2012, 7, 1), "to": dt.date(2016, 2, 29),
                 "title": "某县某镇党委委员、副镇长（副科级）", "rank": "deputy_section",
                 "grassroots": True},
                # the （其间：…） aside on the next line is not part of the title
                {"from": dt.date(2016, 3, 1), "title": "某县某局副局长"},
            ],
            "appraisals": {2021: "称职", 2022: "优秀", 2023: "称职"},
            "proposed_post": "某县某局局长",
        },
    }
    assert imported.case == {"unit": "中共某县委员会"}
    assert imported.notes == []


def test_zip_batch_reads_gbk_member_names_in_order() -> None:
    imported = read_lrmx(LRMX / "batch.zip")
    assert [p.source for p in imported.people] == [
        f"{LRMX / 'batch.zip'}!王晓明.lrmx", f"{LRMX / 'batch.zip'}!李红.lrmx"]
    assert [c["id"] for c in imported.candidates] == ["C01", "C02"]
    li = imported.candidates[1]
    assert li["birth_date"] == dt.date(1990, 7, 1)  # no ID number: the 1st, with a note
    facts = li["facts"]
    assert isinstance(facts, dict)
    assert "party_join" not in facts  # 九三学社 only: not a CPC member
    assert facts["appraisals"] == {2020: "称职", 2021: "称职", 2022: "优秀"}
    [note] = imported.notes
    assert note.field == "ChuShengNianYue" and note.file.endswith("!李红.lrmx")
    assert note.line == 5 and "1990-07-01" in note.message.en


def test_example_files_are_what_make_py_writes() -> None:
    spec = importlib.util.spec_from_file_location("make_lrmx", LRMX / "make.py")
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    people = make.PEOPLE
    with zipfile.ZipFile(LRMX / "batch.zip", metadata_encoding="gbk") as archive:
        for person, info in zip(people, archive.infolist(), strict=True):
            assert (LRMX / person["file"]).read_bytes() == make.form(person)
            assert archive.read(info) == make.form(person)
            assert not info.flag_bits & 0x800  # the name is GBK, not flagged UTF-8


def test_fragment_reads_back_as_the_same_candidates() -> None:
    imported = read_sources([LRMX / "wang-xiaoming.lrmx", LRMX / "batch.zip"])
    text = fragment(imported)
    assert text.startswith("# ") and "batch.zip" in text.splitlines()[2]
    data = loads_document(text, "fragment.yaml").data
    assert data["unit"] == "中共某县委员会"
    assert data["candidates"] == plain(imported.candidates)
    assert [c["id"] for c in data["candidates"]] == ["C01", "C02", "C03"]
    [twice] = [n for n in imported.notes if "王晓明" in n.message.en]
    assert "C01" in twice.message.en and "C02" in twice.message.en


def test_candidates_fit_the_case_model() -> None:
    """What the import writes is what a case's candidates hold: each validates as the
    case model's Candidate, with the facts the eligibility rules read."""
    from selection_rules.model.case import Candidate

    imported = read_sources([LRMX / "wang-xiaoming.lrmx", LRMX / "batch.zip"])
    data = loads_document(fragment(imported), "fragment.yaml").data
    candidates = [Candidate.model_validate(c) for c in data["candidates"]]
    assert len(candidates) == 3
    for c in candidates:
        assert c.facts is not None and c.facts.work_start is not None
        assert c.facts.career and c.facts.education is not None


# ------------------------------------------------------------------ located problems


@pytest.mark.parametrize(("field", "text", "expected"), [
    ("ChuShengNianYue", "1985.13", '"1985.13" is not a year and month'),
    ("ChuShengNianYue", "19850230", "no such day"),
    ("CanJiaGongZuoShiJian", "去年", '"去年" is not a year and month'),
    ("RuDangShiJian", "2006.06；2007.01", "more than one date"),
    ("NianDuKaoHeJieGuo", "2021年度考核优秀；2021年度考核称职", "two different results for 2021"),
    ("NianDuKaoHeJieGuo", "2020、2021、2022年度考核分别为称职、优秀", "do not pair up"),
    ("JianLi", "2008.07--2012.07", "names no post"),
])
def test_malformed_field_is_located(tmp_path: Path, field: str, text: str,
                                    expected: str) -> None:
    path = write(tmp_path, "张三.lrmx", form(XingMing="张三", JiGuan="某地", **{field: text}))
    [message] = problems_of(path)
    assert message.startswith(f"{path}:5: ")  # the BOM line, <Person>, 姓名, 籍贯, then it
    assert expected in message and f"field {field}" in message


def test_every_bad_field_of_every_form_is_reported(tmp_path: Path) -> None:
    one = write(tmp_path, "a.lrmx", form(XingMing="甲", ChuShengNianYue="1985.13",
                                         CanJiaGongZuoShiJian="2008.00"))
    two = write(tmp_path, "b.lrmx", form(XingMing=""))
    with pytest.raises(InputError) as caught:
        read_sources([one, two])
    assert [(p.file, p.field) for p in caught.value.problems] == [
        (str(one), "ChuShengNianYue"), (str(one), "CanJiaGongZuoShiJian"),
        (str(two), "XingMing")]
    zh = caught.value.problems[0].render("zh")
    assert "出生年月" in zh and "1985.13" in zh and "not" not in zh


def test_resume_period_is_located_at_its_own_line(tmp_path: Path) -> None:
    jianli = ("2004.09--2008.07  某大学学习\n2008.07--2012.07  某镇科员\n"
              "2012.07--2010.03  某局副局长\n")
    path = write(tmp_path, "a.lrmx", form(XingMing="甲", JianLi=jianli))
    [message] = problems_of(path)
    assert message.startswith(f"{path}:6: ") and "ends before it starts" in message


def test_resume_in_other_spellings_and_wrapped_lines() -> None:
    from selection_rules.source.lrmx_fields import career

    entries, notes = career("2008年7月--2012年7月  某县某镇党政办\n      科员\n"
                            "2012-07--至今  某县某局副局长")
    assert entries == [
        {"from": dt.date(2008, 7, 1), "to": dt.date(2012, 6, 30), "title": "某县某镇党政办科员",
         "rank": "staff", "grassroots": True},
        {"from": dt.date(2012, 7, 1), "title": "某县某局副局长"}]
    assert notes == []
    # A period that starts and ends in one month covers that month.
    [short], _ = career("2012.07--2012.07  某镇挂职")
    assert short["to"] == dt.date(2012, 7, 31)


def test_a_dated_line_that_is_no_period_is_an_error_not_a_continuation(tmp_path: Path,
                                                                         ) -> None:
    jianli = "2004.09--2008.07  某大学学习\n2008.07  某镇科员\n"
    path = write(tmp_path, "a.lrmx", form(XingMing="甲", JianLi=jianli))
    [message] = problems_of(path)
    assert message.startswith(f"{path}:5: ") and "cannot be read" in message


def test_rank_and_grassroots_only_where_the_words_say_so() -> None:
    from selection_rules.source.lrmx_fields import grassroots, rank

    assert rank("某县某局局长") is None  # a 局 is a 科, a 处 or a 厅: not stated
    assert rank("某镇副镇长（副科级）") == "deputy_section"
    assert rank("某局主任科员") is None and rank("某局科员") == "staff"
    assert rank("某县副县级干部、正科级组织员") is None  # two levels: not one reading
    assert grassroots("某县某镇党政办科员") and grassroots("某街道办事处副主任")
    assert not grassroots("某县城乡建设局局长") and not grassroots("某县乡村振兴局副局长")
    assert not grassroots("某县农村商业银行行长")


def test_appraisal_words_outside_the_civil_service_grades_are_left_out(tmp_path: Path,
                                                                      ) -> None:
    text = "2020年度考核合格，2021年度考核优秀；2022年度被评为优秀共产党员，考核称职"
    path = write(tmp_path, "a.lrmx", form(XingMing="甲", NianDuKaoHeJieGuo=text))
    imported = read_lrmx(path)
    facts = imported.candidates[0]["facts"]
    assert isinstance(facts, dict)
    assert facts["appraisals"] == {2021: "优秀", 2022: "称职"}  # 优秀共产党员 is an award
    [note] = imported.notes
    assert "2020" in note.message.en and note.field == "NianDuKaoHeJieGuo"


def test_party_date_beside_another_party_is_left_out(tmp_path: Path) -> None:
    path = write(tmp_path, "a.lrmx", form(XingMing="甲", RuDangShiJian="2006.06；民盟"))
    imported = read_lrmx(path)
    assert "facts" not in imported.candidates[0]
    [note] = imported.notes
    assert note.field == "RuDangShiJian"
    both = read_lrmx(write(tmp_path, "b.lrmx", form(XingMing="乙",
                                                      RuDangShiJian="2006.06；中共")))
    assert both.candidates[0]["facts"] == {"party_join": dt.date(2006, 6, 1)}


# ---------------------------------------------------------------------- unsafe input


def test_doctype_is_refused_before_any_entity(tmp_path: Path) -> None:
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE Person [\n <!ENTITY a "aaaaaaaaaa">\n'
              ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n'
              "<Person><XingMing>&b;</XingMing></Person>\n")
    [message] = problems_of(write(tmp_path, "laughs.lrmx", laughs.encode()))
    assert ":2:" in message and "DOCTYPE" in message


def test_external_entity_is_never_fetched(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", b"SECRET")
    xxe = (f'<?xml version="1.0"?>\n<!DOCTYPE Person SYSTEM "file://{secret}">\n'
           "<Person><XingMing>&xxe;</XingMing></Person>\n")
    [message] = problems_of(write(tmp_path, "xxe.lrmx", xxe.encode()))
    assert "DOCTYPE" in message and "SECRET" not in message


def test_not_xml_and_wrong_root_are_located(tmp_path: Path) -> None:
    [broken] = problems_of(write(tmp_path, "a.lrmx", b"<Person>\n<XingMing>x</Person>\n"))
    assert broken.startswith(f"{tmp_path / 'a.lrmx'}:2:") and "not well-formed XML" in broken
    [root] = problems_of(write(tmp_path, "b.lrmx", b"<Persons><XingMing>x</XingMing></Persons>"))
    assert "<Persons>" in root and "<Person>" in root
    gbk = '<?xml version="1.0"?><Person><XingMing>张三</XingMing></Person>'.encode("gbk")
    [undeclared] = problems_of(write(tmp_path, "c.lrmx", gbk))
    assert "GBK" in undeclared


def test_gbk_declared_form_is_read(tmp_path: Path) -> None:
    data = '<?xml version="1.0" encoding="GB2312"?>\n<Person><XingMing>张三</XingMing></Person>'
    path = write(tmp_path, "a.lrmx", data.encode("gbk"))
    assert read_lrmx(path).candidates[0]["name"] == "张三"


def test_too_many_elements_is_refused(tmp_path: Path) -> None:
    items = "<Item/>" * limits.MAX_LRMX_ELEMENTS
    data = f"<Person><XingMing>甲</XingMing><JiaTingChengYuan>{items}</JiaTingChengYuan></Person>"
    [message] = problems_of(write(tmp_path, "a.lrmx", data.encode()))
    assert str(limits.MAX_LRMX_ELEMENTS) in message


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = _zip({"a.lrmx": b"\0" * (limits.MAX_LRMX_BYTES + 1)})
    assert len(bomb) < 100_000
    [message] = problems_of(write(tmp_path, "bomb.zip", bomb))
    assert message.startswith(f"{tmp_path / 'bomb.zip'}!a.lrmx: ")
    assert str(limits.MAX_LRMX_BYTES) in message


def test_zip_total_and_entry_count_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               ) -> None:
    monkeypatch.setattr(limits, "MAX_ZIP_TOTAL_BYTES", 3000)
    many = _zip({f"{i}.lrmx": form(XingMing=f"甲{i}", JianLi="x" * 500) for i in range(5)})
    [message] = problems_of(write(tmp_path, "big.zip", many))
    assert "3000" in message
    crowded = _zip({f"{i}.txt": b"" for i in range(limits.MAX_ZIP_MEMBERS + 1)},
                   zipfile.ZIP_STORED)
    [message] = problems_of(write(tmp_path, "crowded.zip", crowded))
    assert f"{limits.MAX_ZIP_MEMBERS + 1} entries" in message


def test_zip_whose_directory_understates_a_member_is_refused(tmp_path: Path) -> None:
    data = form(XingMing="甲", JianLi="2004.09--2008.07  某大学学习\n" * 50)
    archive = bytearray(_zip({"a.lrmx": data}))
    central = archive.rfind(b"PK\x01\x02")
    struct.pack_into("<I", archive, central + 24, 100)  # uncompressed size: 100 bytes
    [message] = problems_of(write(tmp_path, "lying.zip", bytes(archive)))
    assert "lying.zip!a.lrmx" in message


def test_a_folder_a_missing_file_and_another_kind_of_file(tmp_path: Path) -> None:
    [folder] = problems_of(tmp_path)
    assert "folder" in folder
    [missing] = problems_of(tmp_path / "nobody.lrmx")
    assert "not found" in missing
    [other] = problems_of(write(tmp_path, "a.docx", b"PK"))
    assert '"*.docx"' in other and ".lrmx" in other
    [old] = problems_of(write(tmp_path, "a.lrm", b'"x","y"'))
    assert "LRM" in old


def test_not_a_zip_and_empty_zip(tmp_path: Path) -> None:
    [message] = problems_of(write(tmp_path, "a.zip", b"PK not really"))
    assert "not a valid zip" in message
    [message] = problems_of(write(tmp_path, "b.zip", _zip({"readme.txt": b"hi"})))
    assert "no .lrmx" in message


# --------------------------------------------------------------------------- property

_field_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
_datey = st.from_regex(r"\A(19|20)\d\d[.\-年]?\d{1,2}([.\-]?\d{1,2})?\Z", fullmatch=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(COLUMNS)), st.one_of(_field_text, _datey),
                       max_size=len(COLUMNS)),
       st.lists(st.tuples(_datey, st.one_of(st.just(""), _datey), _field_text), max_size=5))
def test_any_field_contents_give_candidates_or_located_problems(
        fields: dict[str, str], resume: list[tuple[str, str, str]]) -> None:
    fields = {k: "".join(ch for ch in v if ch.isprintable() or ch in "\n\t") for k, v in
              fields.items()}
    fields.setdefault("XingMing", "甲")
    if resume:
        fields["JianLi"] = "\n".join(f"{a}--{b}  {t}" for a, b, t in resume)
    raw = form(**fields)
    try:
        imported = read_sources_bytes(raw)
    except InputError as exc:
        for problem in exc.problems:
            assert problem.file == "x.lrmx" and problem.line is not None
            assert problem.render("zh") and problem.render("en")
        return
    data = loads_document(fragment(imported), "x.yaml").data
    assert data["candidates"] == plain(imported.candidates)
    from selection_rules.model.case import Candidate

    for c in data["candidates"]:  # whatever a form held, a case's model accepts it
        Candidate.model_validate(c)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2500), st.integers(0, 40), st.binary(max_size=40))
def test_a_damaged_form_gives_candidates_or_located_problems(at: int, cut: int,
                                                             patch: bytes) -> None:
    raw = (LRMX / "wang-xiaoming.lrmx").read_bytes()
    at = min(at, len(raw))
    try:
        read_sources_bytes(raw[:at] + patch + raw[at + cut:])
    except InputError as exc:
        assert all(p.file == "x.lrmx" and p.render("zh") for p in exc.problems)


_CHARS = [*"某县局长镇（）、，。：；“”·…—-_.: #'\"[]{}!&*?|>%@`aZ09 ",
          "\u3000", "\n", "\t", "\x85", "\u2028"]
_chinese_ish = st.text(st.sampled_from(_CHARS), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_chinese_ish, st.text(max_size=8), st.integers(), st.booleans(), st.none(),
                 st.dates()))
def test_a_scalar_reads_back_as_itself_in_block_and_flow(value: object) -> None:
    from selection_rules.source.lrmx_write import scalar

    if isinstance(value, str):
        value = "".join(ch for ch in value if ch.isprintable() or ch in "\n\t") or "x"
    text = scalar(value)
    block = loads_document(f"k: {text}\n", "s.yaml").data
    flow = loads_document(f"k: [{text}, {{a: {text}}}]\n", "s.yaml").data
    assert block == {"k": value} and flow == {"k": [value, {"a": value}]}


def read_sources_bytes(raw: bytes):  # type: ignore[no-untyped-def]
    from selection_rules.source.lrmx import Imported, _read_form

    person, _, notes = _read_form(raw, "x.lrmx")
    person.data = {"id": "C01", **person.data}
    return Imported(people=[person], notes=notes, sources=["x.lrmx"])


# ------------------------------------------------------------------------ the command


def test_import_writes_a_fragment_and_never_replaces_without_force(tmp_path: Path) -> None:
    out = tmp_path / "candidates.yaml"
    args = ["import", str(LRMX / "batch.zip"), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert load_document(out).data["candidates"][1]["name"] == "李红"
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


def test_import_error_exits_2_with_the_located_message(tmp_path: Path) -> None:
    path = write(tmp_path, "张三.lrmx", form(XingMing="张三", ChuShengNianYue="1985.13"))
    result = runner.invoke(app, ["import", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert f"{path}:4: date of birth \"1985.13\" is not a year and month" in result.output
    assert "Traceback" not in result.output


def test_import_into_a_case_keeps_it_and_replaces_by_name(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(
        "# the county's case\ncase: T-1\nprocedure: cn-standard\nunit: 中共某县委员会\n"
        "posts:\n  - {id: P1, title: 某县某局局长}\n"
        "candidates:\n  # kept as written\n  - id: C07\n    name: 王晓明\n"
        "    exceptional_promotion: true\n"
        "    facts:\n      training: [{completed: 2020-06-30}]\n      education: college\n"
        "      career: [{from: 2016-03-01, title: 副局长, rank: deputy_section}]\n"
        "  - id: C01\n    name: 赵某\n"
        "# events follow\nevents: []\n", encoding="utf-8")
    before = base.read_bytes()
    out = tmp_path / "new.yaml"
    result = runner.invoke(app, ["import", str(LRMX / "batch.zip"), "--case", str(base),
                                 "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "replaced candidate C07 王晓明" in result.output
    assert "added candidate C08 李红" in result.output
    assert base.read_bytes() == before
    text = out.read_text(encoding="utf-8")
    assert "# the county's case" in text and "# events follow" in text
    assert "# kept as written" in text
    data = load_document(out).data
    assert [(c["id"], c["name"]) for c in data["candidates"]] == [
        ("C07", "王晓明"), ("C01", "赵某"), ("C08", "李红")]
    assert data["candidates"][0]["exceptional_promotion"] is True
    assert data["candidates"][0]["birth_date"] == dt.date(1985, 3, 12)
    facts = data["candidates"][0]["facts"]
    # What the form says replaces, what it does not say (training, a rank added by hand
    # to the post held since 2016-03-01) is kept.
    assert facts["education"] == "master" and facts["training"] == [
        {"completed": dt.date(2020, 6, 30)}]
    assert facts["career"][-1] == {"from": dt.date(2016, 3, 1), "title": "某县某局副局长",
                                   "rank": "deputy_section"}
    assert len(facts["career"]) == 4
    assert data["events"] == []
    refused = runner.invoke(app, ["import", str(LRMX / "batch.zip"), "--case", str(base),
                                  "-o", str(base), "--force"])
    assert refused.exit_code == 2 and base.read_bytes() == before


def test_case_without_candidates_gets_them_at_the_end(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    text = "case: T-2\nprocedure: cn-standard\nunit: 某单位\nposts: [{id: P1, title: 某职}]\n"
    base.write_text(text, encoding="utf-8")
    new, done = into_case(load_document(base), text, read_lrmx(LRMX / "batch.zip"))
    assert new.count("candidates:") == 1 and done
    assert [c["id"] for c in loads_document(new, "n.yaml").data["candidates"]] == ["C01", "C02"]
    flow = text + "candidates: []\nevents: []\n"
    base.write_text(flow, encoding="utf-8")
    new, _ = into_case(load_document(base), flow, read_lrmx(LRMX / "batch.zip"))
    data = loads_document(new, "n.yaml").data
    assert len(data["candidates"]) == 2 and data["events"] == []
