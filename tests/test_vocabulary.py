"""Chinese values everywhere a value is typed: aliases read as codes, unknown values
refused with the nearest ones, the reference and schemas generated from one declaration."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from selection_rules.cli import app
from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import Pipeline, declared_terms, read
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.model.values import decimal_text
from selection_rules.model.vocabulary import (
    BALLOT_KIND,
    BODY,
    VOCABULARIES,
    Code,
    Term,
    Vocabulary,
    declared,
)

AUTHORING_RULES = EXAMPLES / "authoring" / "rules"


def _pipeline() -> Pipeline:
    return Pipeline(Library([AUTHORING_RULES]), WorkCalendar())


# ---------------------------------------------------------------------------- reading


def test_every_spelling_reads_as_the_code() -> None:
    for spelling in ("plenary", "全委会", "全体会议", "Plenary", " 全委会 "):
        found = BODY.read(spelling)
        assert found == "plenary" and isinstance(found, Code)
        assert found.term.zh == "全委会"
    assert BALLOT_KIND.read("无记名") == "secret"
    assert BALLOT_KIND.read("举手") == "open"
    assert BODY.read("Standing-Committee") == "standing_committee"


def test_an_unknown_value_names_the_nearest_in_both_languages() -> None:
    with pytest.raises(ValueError) as caught:
        BODY.read("常委")
    said = caught.value.args[0]
    assert "常委会（standing_committee）" in said.zh
    assert "did you mean standing_committee (standing committee)" in said.en
    with pytest.raises(ValueError) as caught:
        BODY.read("standing_comittee")
    assert "standing_committee" in caught.value.args[0].en


def test_no_spelling_stands_for_two_values_of_one_vocabulary() -> None:
    from selection_rules.model.vocabulary import _key

    for vocabulary in VOCABULARIES.values():
        owner: dict[str, str] = {}
        for term in vocabulary.terms:
            for spelling in term.spellings():
                assert owner.setdefault(_key(spelling), term.code) == term.code, (
                    vocabulary.name, spelling)


def test_declared_terms_are_in_force_only_inside_declared() -> None:
    vocabulary = Vocabulary("body", BODY.label, BODY.terms)
    own = Term("township_joint_meeting", "乡镇联席会", "township joint meeting", ("联席会",))
    with declared({"body": (own,)}):
        assert vocabulary.read("联席会") == "township_joint_meeting"
    with pytest.raises(ValueError):
        vocabulary.read("联席会")


def test_the_values_are_carried_to_worker_processes() -> None:
    import pickle

    code = BODY.read("全委会")
    back = pickle.loads(pickle.dumps(code))
    assert back == "plenary" and back.term.zh == "全委会"


# ---------------------------------------------------------------------------- the examples


def _case_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*.yaml")
                  if "rules" not in p.parts and "tests" not in p.parts
                  and "simulate" not in p.parts)


def _to_chinese(model: object, data: Any) -> Any:
    """`data` with every value `model` read through a vocabulary replaced by its Chinese
    label: found by walking the validated model beside the data it was read from."""
    if isinstance(model, Code):
        return model.term.zh
    if isinstance(model, BaseModel) and isinstance(data, dict):
        out = dict(data)
        for name, info in type(model).model_fields.items():
            key = info.alias or name
            if key in out:
                out[key] = _to_chinese(getattr(model, name), out[key])
        return out
    if isinstance(model, list | tuple) and isinstance(data, list) and len(model) == len(data):
        return [_to_chinese(m, d) for m, d in zip(model, data, strict=True)]
    if isinstance(model, dict) and isinstance(data, dict):
        out = {}
        for key, value in data.items():
            inner = model.get(key)
            found = next((k for k in model if k == key), None)
            new_key = found.term.zh if isinstance(found, Code) else key
            out[new_key] = _to_chinese(inner, value) if inner is not None else value
        return out
    return data


class _Dumper(yaml.SafeDumper):
    """Exact numbers written as the files write them (`82.5`, `2/3`)."""


_Dumper.add_representer(Fraction, lambda d, x: d.represent_str(decimal_text(x)))


def _violations(path: Path) -> list[tuple[object, ...]]:
    outcome = _pipeline().check_file(path, skip_other_kinds=True)
    assert outcome is not None and not outcome.problems, outcome and outcome.problems
    assert outcome.result is not None
    return [(v.rule_id, v.severity, v.kind, v.loc, v.message, v.figures)
            for v in outcome.result.violations]


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_an_example_written_in_chinese_values_gives_the_same_violations(
        path: Path, tmp_path: Path) -> None:
    pipeline = _pipeline()
    checked = pipeline.check(read(path))
    assert checked is not None
    chinese = _to_chinese(checked.model, checked.doc.data)
    if any(c.term.zh != c for c in _codes(checked.model)):
        assert chinese != checked.doc.data, "nothing converted"
    converted = tmp_path / path.name
    converted.write_text(yaml.dump(chinese, Dumper=_Dumper, allow_unicode=True,
                                   sort_keys=False), encoding="utf-8")
    assert _violations(converted) == _violations(path)


def _codes(model: object) -> list[Code]:
    if isinstance(model, Code):
        return [model]
    if isinstance(model, BaseModel):
        return [c for n in type(model).model_fields for c in _codes(getattr(model, n))]
    if isinstance(model, list | tuple):
        return [c for m in model for c in _codes(m)]
    if isinstance(model, dict):
        return [c for k, v in model.items() for c in _codes(k) + _codes(v)]
    return []


def test_the_conversion_reaches_event_types_keys_and_lists() -> None:
    path = EXAMPLES / "qingshui" / "clean.yaml"
    checked = _pipeline().check(read(path))
    assert checked is not None
    chinese = _to_chinese(checked.model, checked.doc.data)
    text = json.dumps(chinese, ensure_ascii=False, default=str)
    for written in ("常委会", "单位推荐", "任职谈话", "未经民主推荐", "领导署名推荐材料"):
        assert written in text
    assert "standing_committee" not in text and "unit_recommendation" not in text


# ---------------------------------------------------------------------------- the CLI


def _write(tmp_path: Path, source: Path, change: dict[str, str]) -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in change.items():
        assert old in text
        text = text.replace(old, new, 1)
    out = tmp_path / source.name
    out.write_text(text, encoding="utf-8")
    return out


def test_an_unknown_value_is_a_located_error_with_suggestions(tmp_path: Path) -> None:
    case = _write(tmp_path, EXAMPLES / "cn-standard" / "cn7-county-head.yaml",
                  {"body: standing_committee": "body: 常委"})
    result = CliRunner().invoke(app, ["validate", str(case), "--format", "json"])
    assert result.exit_code == 2, result.output
    problem = json.loads(result.output)["files"][0]["problems"][0]
    assert problem["field"].endswith("meeting.body")
    assert problem["line"] is not None
    assert "常委会（standing_committee）" in problem["message"]["zh"]
    assert "did you mean standing_committee" in problem["message"]["en"]
    assert "standing_committee" in problem["expected"]["en"]


def test_a_chinese_value_is_accepted_where_the_code_was_refused_before(tmp_path: Path) -> None:
    case = _write(tmp_path, EXAMPLES / "cn-standard" / "cn7-standing-committee-decides.yaml",
                  {"body: standing_committee": "body: 常委会"})
    result = CliRunner().invoke(app, ["validate", str(case), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "found: standing committee" in result.output


def test_a_procedure_declares_its_own_values(tmp_path: Path) -> None:
    case = _write(tmp_path, EXAMPLES / "authoring" / "cases" / "clean.yaml",
                  {"level: section_head": "level: 正科级领导职务"})
    doc = read(case)
    terms = declared_terms(doc, Library([AUTHORING_RULES]))
    assert [t.code for t in terms["post_level"]] == ["section_head"]
    result = CliRunner().invoke(app, ["validate", str(case), "--rules", str(AUTHORING_RULES)])
    assert result.exit_code == 0, result.output
    # Without the procedure's folder the case names an unknown procedure: said first.
    result = CliRunner().invoke(app, ["validate", str(case)])
    assert result.exit_code == 2 and "example-county" in result.output


def test_a_step_label_is_accepted_as_the_event_type(tmp_path: Path) -> None:
    case = _write(tmp_path, EXAMPLES / "pengshan" / "clean.yaml",
                  {"type: publicity": "type: 任前公示"})
    result = CliRunner().invoke(app, ["validate", str(case)])
    assert result.exit_code == 0, result.output


def test_a_parameter_value_outside_its_vocabulary_is_a_rule_file_problem(
        tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    _write(rules, ROOT / "rules" / "qingshui-gates.yaml",
           {"value: [plenary, standing_committee]": "value: [全委会, standing_comitee]"})
    result = CliRunner().invoke(app, ["validate", str(EXAMPLES / "qingshui" / "clean.yaml"),
                                      "--rules", str(rules), "--lang", "en"])
    assert result.exit_code == 2
    assert "approval_bodies" in result.output
    assert "did you mean standing_committee" in result.output


# ---------------------------------------------------------------------------- generated


def test_the_values_reference_is_generated() -> None:
    from selection_rules.authoring.values_doc import values_markdown

    committed = (ROOT / "docs" / "values.md").read_text(encoding="utf-8")
    assert committed == values_markdown(), (
        "regenerate: python -m selection_rules.authoring.values_doc > docs/values.md")


def test_the_reference_lists_every_value_and_where_it_is_used() -> None:
    from selection_rules.authoring.values_doc import values_markdown

    text = values_markdown()
    for vocabulary in VOCABULARIES.values():
        assert f"(`{vocabulary.name}`)" in text
        for term in vocabulary.terms:
            assert f"| `{term.code}` | {term.zh} |" in text
    assert "case: `events[].meeting.body`" in text
    assert "case: `candidates[].reserve_training (keys)`" in text


def test_the_schemas_list_the_aliases_for_editors() -> None:
    from selection_rules.authoring.schemas import case_schema

    text = json.dumps(case_schema(), ensure_ascii=False)
    for spelling in ("全委会", "常委会", "无记名", "署名", "举手", "面向社会", "任职谈话"):
        assert f'"{spelling}"' in text


def test_a_record_kind_may_be_named_in_chinese(tmp_path: Path) -> None:
    record = _write(tmp_path, EXAMPLES / "records" / "roster" / "tc1-seconded-a-day-early.yaml",
                    {"record: roster": "record: 干部名册"})
    result = CliRunner().invoke(app, ["validate", str(record), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.output)["files"][0]["kind"] == "roster"


def test_an_unknown_record_kind_names_the_nearest(tmp_path: Path) -> None:
    record = _write(tmp_path, EXAMPLES / "records" / "roster" / "tc1-seconded-a-day-early.yaml",
                    {"record: roster": "record: 名单"})
    result = CliRunner().invoke(app, ["validate", str(record), "--format", "json"])
    assert result.exit_code == 2
    problem = json.loads(result.output)["files"][0]["problems"][0]
    assert problem["field"] == "record" and problem["line"] is not None
    assert "'名单' 不是可用的记录类型" in problem["message"]["zh"]


_ALL_TERMS = [(v, t) for v in VOCABULARIES.values() for t in v.terms]


@settings(max_examples=200, deadline=None)
@given(pick=st.integers(min_value=0, max_value=len(_ALL_TERMS) - 1),
       which=st.integers(min_value=0, max_value=20),
       upper=st.booleans(), pad=st.sampled_from(["", " ", "  ", "\t"]),
       joiner=st.sampled_from(["_", " ", "-"]))
def test_any_spelling_in_any_case_and_spacing_reads_as_its_code(
        pick: int, which: int, upper: bool, pad: str, joiner: str) -> None:
    vocabulary, term = _ALL_TERMS[pick]
    spellings = term.spellings()
    spelling = spellings[which % len(spellings)].replace("_", joiner)
    written = pad + (spelling.upper() if upper else spelling) + pad
    found = vocabulary.read(written)
    assert found == term.code and isinstance(found, Code) and found.term is term


def test_every_value_a_shipped_rule_compares_with_is_known() -> None:
    """A rule that compared with a misspelt code would silently never match: each text a
    rule's expression writes is a known code, a step or tag of the rule files, or a key a
    built-in reads."""
    import ast

    known = {t.code for v in VOCABULARIES.values() for t in v.terms}
    steps: set[str] = set()
    texts: list[tuple[str, str]] = []
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for step in data.get("steps", []):
            steps.add(step["event"])
            steps.update(step.get("tags", []))
        for rule in data.get("rules", []):
            sources = [rule.get("when")] + [
                check.get(part) for check in rule.get("checks", [])
                for part in ("each", "when", "require", "actual", "value", "of", "subject")]
            for source in sources:
                if not isinstance(source, str):
                    continue
                for node in ast.walk(ast.parse(source, mode="eval")):
                    if isinstance(node, ast.Constant) and isinstance(node.value, str):
                        texts.append((rule["id"], node.value))
    # Texts that are not codes: joined into a subject, or a candidate attribute's name.
    allowed = {" ", " (", ")", "township_experience"}
    unknown = [(rule, text) for rule, text in texts
               if text not in known | steps | allowed and not text.isspace()]
    assert len(texts) > 30 and not unknown, unknown


def test_the_simulator_takes_a_value_by_any_of_its_names() -> None:
    from selection_rules.engine.pipeline import load_procedure
    from selection_rules.simulate.fields import BadInput, fields_for, parse_field

    proc = load_procedure("pengshan-five-votes", Library())
    kind = {f.dotted: f for f in fields_for(proc, "nomination_vote")}["ballot.kind"]
    assert kind.choices == ("secret", "signed", "open")
    assert parse_field(kind, "无记名") == "secret"
    assert parse_field(kind, "举手") == "open"
    with pytest.raises(BadInput) as caught:
        parse_field(kind, "记名投票表决")
    assert "署名（signed）" in caught.value.message.zh
