"""Reading user documents: every bad input is a located, bilingual InputError."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from selection_rules.errors import InputError, Problem
from selection_rules.source.document import Document
from selection_rules.source.loading import load_document, loads_document
from selection_rules.source.model_errors import validation_problems
from selection_rules.source.paths import format_loc


def _problem(exc: pytest.ExceptionInfo[InputError]) -> Problem:
    assert len(exc.value.problems) == 1
    return exc.value.problems[0]


def _bad(text: str | bytes, name: str = "case.yaml", **kw: Any) -> Problem:
    with pytest.raises(InputError) as exc:
        loads_document(text, name, **kw)
    problem = _problem(exc)
    assert problem.file == name
    # Both languages are written, and differ (not one copied into the other).
    assert problem.message.zh and problem.message.en
    assert problem.message.zh != problem.message.en
    return problem


def _y(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# ------------------------------------------------------------------------- syntax errors


def test_malformed_yaml_has_line_and_column() -> None:
    p = _bad(_y("""
        case: X
        posts: [P1, P2
        unit: 县委
        """))
    assert p.message.en.startswith("YAML syntax error: ")
    assert p.message.zh.startswith("YAML 语法错误：")
    assert (p.line, p.column) == (3, 5)


def test_yaml_bad_indentation_is_located() -> None:
    p = _bad("case: X\n  unit: 县委\n")
    assert p.line == 2 and p.column is not None
    assert "mapping values are not allowed" in p.message.en


def test_yaml_tab_indentation_gets_a_hint() -> None:
    p = _bad("case:\n\tunit: x\n")
    assert p.line == 2
    assert "tabs" in p.message.en and "制表符" in p.message.zh


def test_full_width_colon_gets_a_hint() -> None:
    p = _bad("case: X\nunit：县委\nposts: []\n")
    assert "：" in p.message.en and "全角" in p.message.zh


def test_full_width_punctuation_in_text_gets_no_hint() -> None:
    p = _bad("case: X\nnote: 他说“好”，然后\nunit: [a\n")
    assert "full-width" not in p.message.en


def test_full_width_comma_in_json_gets_a_hint() -> None:
    p = _bad('{"case": "X"，"unit": "U"}', "x.json")
    assert (p.line, p.column) == (1, 13) and "“，”" in p.message.en


def test_unquoted_colon_in_flow_mapping_is_located() -> None:
    p = _bad("label: {zh: 比例, en: share (base: members)}\n")
    assert (p.line, p.column) == (1, 32)  # the `:` after `base`
    assert "quote" in p.message.en


def test_malformed_json_has_line_and_column() -> None:
    p = _bad('{\n  "case": "X",\n  "unit": ,\n}\n', "case.json")
    assert p.message.en.startswith("JSON syntax error: Expecting value")
    assert p.message.zh.startswith("JSON 语法错误：")
    assert (p.line, p.column) == (3, 11)


def test_json_trailing_comma_is_located() -> None:
    p = _bad('{\n  "a": 1,\n}\n', "case.json")
    assert p.line == 3


def test_control_character_is_located() -> None:
    p = _bad("case: X\nunit: a\x07b\n")
    assert (p.line, p.column) == (2, 8)
    assert "U+0007" in p.message.en


# ------------------------------------------------------------------------ duplicate keys


def test_duplicate_yaml_key_points_at_the_second() -> None:
    p = _bad(_y("""
        case: X
        ballot:
          valid: 10
          kind: secret
          valid: 12
        """))
    assert p.line == 5
    assert p.field == "ballot.valid"
    assert "first at line 3" in p.message.en and "第 3 行" in p.message.zh


def test_duplicate_yaml_key_quoted_and_plain_are_the_same_key() -> None:
    p = _bad('a: 1\n"a": 2\n')
    assert p.line == 2


def test_duplicate_json_key_points_at_the_second() -> None:
    text = '{\n  "case": "X",\n  "ballot": {\n    "valid": 10,\n    "valid": 12\n  }\n}\n'
    p = _bad(text, "case.json")
    assert p.line == 5
    assert "'valid'" in p.message.en and "first at line 4" in p.message.en


# -------------------------------------------------------------------------------- safety


@pytest.mark.parametrize(
    "template",
    [
        "!!python/object/apply:os.system ['touch {marker}']\n",
        "case: X\nrun: !!python/object/apply:os.system ['touch {marker}']\n",
        "case: X\nrun: !!python/object/apply:subprocess.check_call [[touch, '{marker}']]\n",
        "case: X\nrun: !!python/name:os.system\n",
        "case: X\nrun: !!python/object:pathlib.Path {{}}\n",
        "? !!python/object/apply:os.system ['touch {marker}']\n: 1\n",
    ],
)
def test_python_tags_are_rejected_and_never_run(tmp_path: Path, template: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "case.yaml"
    path.write_text(template.format(marker=marker), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_document(path)
    p = _problem(exc)
    assert "!!python/" in p.message.en and "not allowed" in p.message.en
    assert p.line is not None
    assert not marker.exists()


def test_custom_and_nonstandard_tags_are_rejected() -> None:
    p = _bad("case: X\nposts: !foo [P1]\n")
    assert p.line == 2 and p.field == "posts" and "!foo" in p.message.en
    p = _bad("case: X\nblob: !!binary aGVsbG8=\n")
    assert "!!binary" in p.message.en
    p = _bad("case: X\nset: !!set {a, b}\n")
    assert "!!set" in p.message.en


def test_standard_explicit_tags_are_allowed() -> None:
    doc = loads_document("a: !!str 12\nb: !!int '7'\nc: !!float '0.5'\n", "x.yaml")
    assert doc.data == {"a": "12", "b": 7, "c": Fraction(1, 2)}


def test_alias_bomb_fails_fast() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    start = time.perf_counter()
    p = _bad("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 2
    assert "too many nodes" in p.message.en and "2000000" in p.message.en
    assert p.line is not None and 5 <= p.line <= 9


def test_node_limit_counts_aliases_as_expanded() -> None:
    text = "base: &b [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nuse: [*b, *b, *b, *b, *b]\n"
    assert loads_document(text, "x.yaml", max_nodes=100).data["use"][4][9] == 10
    p = _bad(text, max_nodes=50)
    assert p.line == 2


def test_recursive_alias_is_rejected() -> None:
    p = _bad("a: &x [1, *x]\n")
    assert "recursive" in p.message.en and p.line == 1


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    # libyaml's C composer overflows the stack near 30,000 levels; run in a child so that
    # a regression shows as a failed test rather than a dead test run. Whatever limit the
    # installed PyYAML or libyaml has of its own, the message is ours and located.
    code = textwrap.dedent("""
        from selection_rules.source.loading import loads_document
        from selection_rules.errors import InputError
        for text, name in [("[" * 200000 + "]" * 200000, "deep.yaml"),
                           ("- " * 100000 + "x", "deep.yaml"),
                           ("a:\\n  " + "[" * 600 + "]" * 600, "deep.yaml"),
                           ("b: 1\\na: " + "{x: " * 1500, "deep.yaml"),
                           ("[" * 200000 + "]" * 200000, "deep.json")]:
            try:
                loads_document(text, name)
                print("accepted")
            except InputError as exc:
                p = exc.problems[0]
                print(p.message.en, p.line, p.column)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert len(lines) == 5, out.stdout
    for line in lines:
        assert line.startswith("nested too deeply (more than 200 levels) "), out.stdout
        assert "None" not in line, out.stdout  # located: a line and a column


_NEST_STYLES = {
    # depth -> text of a document whose deepest collection is at that depth
    "flow": lambda d: "a: " + "[" * d + "]" * d + "\n",
    "flow-lines": lambda d: "a:\n" + "".join(" " * 2 + "[\n" for _ in range(d)) + "  " + "]" * d,
    "block": lambda d: ("a:\n" + "".join(" " * (2 * i) + "-\n" for i in range(1, d))
                        + " " * (2 * d) + "- x\n"),
    "json": lambda d: '{"a": ' + "[" * d + "]" * d + "}",
}


@settings(max_examples=60, deadline=None)
@given(style=st.sampled_from(sorted(_NEST_STYLES)),
       depth=st.sampled_from([1, 50, 198, 199, 200, 201, 202, 999, 1000, 1001, 1500]),
       libyaml=st.booleans())
def test_nesting_limit_is_ours_on_every_reading_path(style: str, depth: int,
                                                     libyaml: bool) -> None:
    """The mapping holds the outermost collection: MAX_DEPTH (200) levels pass, 201 fail,
    with the same words and a location on libyaml's path and on the pure-Python one."""
    from selection_rules.source import yaml_compose
    from selection_rules.source.decoding import MAX_DEPTH
    with pytest.MonkeyPatch.context() as m:
        if not libyaml:
            m.setattr(yaml_compose, "_FastLoader", None)
            m.setattr(yaml_compose, "_SafeLoader", yaml_compose._PyLoader)
        text = _NEST_STYLES[style](depth)
        name = "n.json" if style == "json" else "n.yaml"
        total = depth + 1  # the outer mapping
        if total <= MAX_DEPTH:
            assert loads_document(text, name).data is not None
        else:
            p = _bad(text, name)
            assert p.message.en == "nested too deeply (more than 200 levels)"
            assert p.message.zh == "嵌套太深（超过 200 层）"
            assert p.line is not None


def test_a_genuine_syntax_error_among_many_brackets_stays_a_syntax_error() -> None:
    p = _bad("x: [" + "[1], " * 2000 + ": :\n")
    assert p.message.en.startswith("YAML syntax error"), p.message.en
    assert p.line == 1


# ------------------------------------------------------------------------------ encoding


def test_gbk_file_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes("case: PS-1\nunit: 中共彭山县委员会\n".encode("gb18030"))
    with pytest.raises(InputError) as exc:
        load_document(path)
    p = _problem(exc)
    assert p.line == 2
    assert "GBK/GB18030" in p.message.en and "GBK/GB18030" in p.message.zh
    assert "iconv -f GB18030 -t UTF-8" in p.message.en


def test_other_non_utf8_bytes_are_located() -> None:
    p = _bad("case: X\nname: café\n".encode("latin-1"))
    assert (p.line, p.column) == (2, 10)
    assert "not UTF-8" in p.message.en and "0xE9" in p.message.en
    assert "GB18030" not in p.message.en


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_boms_are_explained(encoding: str) -> None:
    raw = "case: X\n".encode(encoding)
    if not encoding.endswith(("16", "32")):
        raw = "\ufeff".encode(encoding) + raw
    p = _bad(raw)
    expect = "UTF-32" if "32" in encoding else "UTF-16"
    assert expect in p.message.en and "iconv" in p.message.en and p.line == 1


def test_utf16_without_bom_is_not_taken_for_text() -> None:
    p = _bad("case: X\n".encode("utf-16-le"))
    assert "NUL" in p.message.en


def test_utf8_bom_is_stripped() -> None:
    doc = loads_document("\ufeffcase: X\n".encode(), "x.yaml")
    assert doc.data == {"case": "X"}
    doc = loads_document('\ufeff{"case": "X"}', "x.json")
    assert doc.data == {"case": "X"}


# ------------------------------------------------------------------------ size and shape


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(b"case: X\n" * 20)
    with pytest.raises(InputError) as exc:
        load_document(path, max_bytes=100)
    p = _problem(exc)
    assert p.message.en == "file is 160 bytes, above the limit of 100 bytes"
    assert "160" in p.message.zh and "100" in p.message.zh


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(8 * 1024**3)  # sparse: no disk used, and far too much to read
    start = time.perf_counter()
    with pytest.raises(InputError) as exc:
        load_document(path)
    assert time.perf_counter() - start < 1
    assert "above the limit of 16777216 bytes" in _problem(exc).message.en


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_file(text: str) -> None:
    assert _bad(text).message.en == "the file is empty"
    assert _bad(text.encode(), "x.json").message.en == "the file is empty"


def test_comments_only_file() -> None:
    assert "no data" in _bad("# nothing yet\n").message.en


def test_multiple_documents_are_rejected() -> None:
    p = _bad("case: A\n---\ncase: B\n")
    assert "more than one YAML document" in p.message.en and p.line == 3


def test_leading_document_marker_is_fine() -> None:
    assert loads_document("---\ncase: A\n...\n", "x.yaml").data == {"case": "A"}


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load_document(tmp_path / "nope.yaml")
    assert _problem(exc).message.en == "file not found"
    with pytest.raises(InputError) as exc:
        load_document(tmp_path)
    assert "folder" in _problem(exc).message.en


def test_non_scalar_key_is_rejected() -> None:
    p = _bad("? [a, b]\n: 1\n")
    assert "mapping key" in p.message.en and p.line == 1


# ---------------------------------------------------------------------------- the values


def test_floats_are_exact_fractions() -> None:
    doc = loads_document("a: 0.8\nb: -1.25\nc: 1_000.5\nd: 6.0e-1\ne: .5\n", "x.yaml")
    assert doc.data == {"a": Fraction(4, 5), "b": Fraction(-5, 4), "c": Fraction(2001, 2),
                        "d": Fraction(3, 5), "e": Fraction(1, 2)}
    assert all(type(v) is Fraction for v in doc.data.values())
    doc = loads_document('{"a": 0.8, "b": 1e-1, "c": 3, "d": 2.5E2}', "x.json")
    assert doc.data == {"a": Fraction(4, 5), "b": Fraction(1, 10), "c": 3, "d": 250}
    assert type(doc.data["c"]) is int


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", ".NaN"])
def test_yaml_inf_and_nan_are_errors(value: str) -> None:
    p = _bad(f"case: X\nshare: {value}\n")
    assert p.line == 2 and p.field == "share" and "not a finite number" in p.message.en


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_errors(value: str) -> None:
    p = _bad(f'{{\n  "case": "X",\n  "share": {value}\n}}', "x.json")
    assert p.line == 3 and "not a finite number" in p.message.en


def test_huge_exponent_is_refused_quickly() -> None:
    start = time.perf_counter()
    assert _bad("a: 1.0e+999999999\n").line == 1
    assert _bad('{"a": 1e999999999}', "x.json").line == 1
    assert time.perf_counter() - start < 1


def test_yaml_scalar_types() -> None:
    doc = loads_document(_y("""
        n: 42
        neg: -7
        hex: 0x1F
        t: true
        y: yes
        off: off
        nothing: null
        tilde: ~
        empty:
        ratio: 1:3
        ratio2: 2:30
        pct: 80%
        text: "42"
        on: 1
        """), "x.yaml")
    assert doc.data == {
        "n": 42, "neg": -7, "hex": 31, "t": True, "y": True, "off": False, "nothing": None,
        "tilde": None, "empty": None, "ratio": "1:3", "ratio2": "2:30", "pct": "80%",
        "text": "42", "on": 1,
    }


def test_keys_are_their_source_text() -> None:
    doc = loads_document("2019-03-03: a\n1: b\ntrue: c\nnull: d\n1.5: e\n", "x.yaml")
    assert list(doc.data) == ["2019-03-03", "1", "true", "null", "1.5"]


def test_dates() -> None:
    doc = loads_document(_y("""
        ok: 2024-02-29
        bad: 2024-02-30
        month: 2024-13-01
        quoted: "2024-03-01"
        short: 2024-3-1
        at: 2024-03-01 09:30:00
        utc: 2024-03-01T09:30:00Z
        """), "x.yaml")
    assert doc.data["ok"] == dt.date(2024, 2, 29) and type(doc.data["ok"]) is dt.date
    assert doc.data["bad"] == "2024-02-30"  # left for validation to report, located
    assert doc.data["month"] == "2024-13-01"
    assert doc.data["quoted"] == "2024-03-01"
    assert doc.data["short"] == "2024-3-1"
    assert doc.data["at"] == dt.datetime(2024, 3, 1, 9, 30)
    assert doc.data["utc"] == dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)


def test_merge_keys() -> None:
    doc = loads_document(_y("""
        defaults: &d
          kind: secret
          entitled: 30
        ballot:
          <<: *d
          entitled: 27
        """), "x.yaml")
    assert doc.data["ballot"] == {"entitled": 27, "kind": "secret"}
    assert doc.line_of(("ballot", "entitled")) == 6
    assert doc.line_of(("ballot", "kind")) == 2


def test_aliases_share_values() -> None:
    doc = loads_document("a: &x [1, 2]\nb: *x\n", "x.yaml")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_format_by_suffix_and_by_content() -> None:
    assert loads_document('{"a": 1}', "x.yaml").format == "yaml"
    assert loads_document('{"a": 1}', "<stdin>").format == "json"
    assert loads_document("a: 1", "<stdin>").format == "yaml"
    assert loads_document("a: 1", "x.txt", "yaml").data == {"a": 1}
    assert _bad("a: 1\n", "x.json").message.en.startswith("JSON syntax error")


# ------------------------------------------------------------------------------ locations

CASE_YAML = _y("""
    # a comment
    case: PS-1
    events:
      - type: motion
        date: 2024-03-04
        motion: {by: 组织部, reason: vacancy}
      - type: vote
        ballot:
          kind: secret
          valid: 120
          tallies:
            C01: {agree: 96}
    """)


def test_line_of_in_yaml() -> None:
    doc = loads_document(CASE_YAML, "case.yaml")
    assert doc.line_of(()) == 2
    assert doc.line_of(("case",)) == 2
    assert doc.line_of(("events",)) == 3
    assert doc.line_of(("events", 0)) == 4
    assert doc.line_of(("events", 0, "motion", "reason")) == 6
    assert doc.column_of(("events", 0, "motion", "reason")) == 23
    assert doc.line_of(("events", 1, "ballot", "valid")) == 10
    assert doc.line_of(("events", 1, "ballot", "tallies", "C01", "agree")) == 12


def test_line_of_missing_paths_points_at_the_deepest_ancestor() -> None:
    doc = loads_document(CASE_YAML, "case.yaml")
    assert doc.line_of(("events", 1, "ballot", "issued")) == 8  # the `ballot:` key
    assert doc.line_of(("events", 9, "date")) == 3
    assert doc.line_of(("nowhere", "at", "all")) == 2
    assert doc.line_of(("case", "deeper")) == 2


def test_line_of_in_json() -> None:
    data = yaml.safe_load(CASE_YAML)
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    doc = loads_document(text, "case.json")
    lines = text.splitlines()
    line = doc.line_of(("events", 1, "ballot", "valid"))
    assert line is not None and lines[line - 1].strip() == '"valid": 120,'
    line = doc.line_of(("events", 1, "ballot", "tallies", "C01"))
    assert line is not None and lines[line - 1].strip() == '"C01": {'
    line = doc.line_of(("events", 1, "ballot", "missing"))
    assert line is not None and lines[line - 1].strip() == '"ballot": {'
    assert doc.line_of(()) == 1


def test_line_of_in_tab_indented_json() -> None:
    text = '{\n\t"case": "X",\n\t"events": [\n\t\t{"type":\t"motion"}\n\t]\n}\n'
    doc = loads_document(text, "case.json")
    assert doc.line_of(("events", 0, "type")) == 4
    assert doc.column_of(("events", 0, "type")) == 4


def test_line_of_in_large_json() -> None:
    text = json.dumps({"items": [{"n": i} for i in range(3000)]}, indent=1)
    doc = loads_document(text, "big.json")
    assert doc.line_of(("items", 2999, "n")) == 3 + 2999 * 3 + 1


def test_documents_are_hashable() -> None:
    @dataclass(frozen=True)
    class Origin:
        doc: Document
        loc: tuple[str | int, ...]

    doc = loads_document("a: 1", "x.yaml")
    assert len({Origin(doc, ("a",)), Origin(doc, ("a",))}) == 1


def test_format_loc() -> None:
    assert format_loc(("events", 3, "ballot", "valid")) == "events[3].ballot.valid"
    assert format_loc((2, "a")) == "[2].a"
    assert format_loc(()) == ""


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_input_file_is_not_modified(tmp_path: Path, suffix: str) -> None:
    data = yaml.safe_load(CASE_YAML)
    path = tmp_path / f"case{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    else:
        path.write_text(CASE_YAML, encoding="utf-8")
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_size)
    doc = load_document(path)
    doc.line_of(("events", 1, "ballot", "valid"))
    assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_size) == before


# ----------------------------------------------------------------------------- pydantic


class _Rec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Ballot(_Rec):
    kind: Literal["secret", "signed", "open"]
    valid: Annotated[int, Field(ge=0)]
    invalid: int = 0

    @model_validator(mode="after")
    def _check(self) -> _Ballot:
        if self.invalid > self.valid:
            raise ValueError("invalid exceeds valid; 无效票多于有效票")
        return self


class _Motion(_Rec):
    type: Literal["motion"]
    date: dt.date
    motion: dict[str, str]


class _Vote(_Rec):
    type: Literal["vote"]
    date: dt.date
    ballot: _Ballot


class _Case(_Rec):
    case: str
    unit: str
    events: list[Annotated[_Motion | _Vote, Field(discriminator="type")]]
    source: str | list[str] = ""


def _problems(text: str, name: str = "case.yaml") -> list[Problem]:
    doc = loads_document(text, name)
    with pytest.raises(ValidationError) as exc:
        _Case.model_validate(doc.data)
    return validation_problems(doc, exc.value)


def _by_field(problems: list[Problem]) -> dict[str | None, Problem]:
    out = {p.field: p for p in problems}
    assert len(out) == len(problems)
    return out


def test_validation_missing_wrong_type_and_extra_field() -> None:
    problems = _problems(_y("""
        case: 7
        events:
          - type: vote
            date: 2024-03-04
            ballot:
              kind: secret
              valid: many
              colour: red
        """))
    p = _by_field(problems)
    assert set(p) == {"unit", "case", "events[0].ballot.valid", "events[0].ballot.colour"}
    assert p["unit"].line == 1 and "required field `unit`" in p["unit"].message.en
    assert "缺少" in p["unit"].message.zh
    assert p["case"].line == 1 and p["case"].message.en == "7 is not text"
    assert p["case"].expected is not None and "quote" in p["case"].expected.en
    valid = p["events[0].ballot.valid"]
    assert valid.line == 7 and valid.column == 7
    assert valid.message.en == "many is not a whole number"
    assert valid.expected is not None and valid.expected.en == "a whole number"
    assert p["events[0].ballot.colour"].line == 8
    assert "unknown field `colour`" in p["events[0].ballot.colour"].message.en
    assert [q.line for q in problems] == sorted(q.line or 0 for q in problems)


def test_validation_comma_splitting_a_flow_value_gets_a_hint() -> None:
    doc = loads_document("{kind: secret, valid: 1, note: 5 votes, then a recount}\n", "x.yaml")
    with pytest.raises(ValidationError) as exc:
        _Ballot.model_validate(doc.data)
    p = _by_field(validation_problems(doc, exc.value))
    split = p["then a recount"]
    assert split.line == 1 and split.column == 41
    assert split.expected is not None and "quote that value" in split.expected.en


def test_validation_in_json_is_located_too() -> None:
    text = json.dumps({"case": "X", "unit": "U", "events": [
        {"type": "vote", "date": "2024-02-30", "ballot": {"kind": "sealed", "valid": -1}},
    ]}, indent=2)
    p = _by_field(_problems(text, "case.json"))
    lines = text.splitlines()
    date = p["events[0].date"]
    assert date.line is not None and lines[date.line - 1].strip().startswith('"date"')
    assert date.message.en == '"2024-02-30" is not a valid date'
    kind = p["events[0].ballot.kind"]
    assert kind.expected is not None and kind.expected.en == "one of 'secret', 'signed' or 'open'"
    assert kind.expected.zh == "以下之一：'secret'、'signed'、'open'"
    valid = p["events[0].ballot.valid"]
    assert valid.expected is not None and valid.expected.en == "at least 0"


def test_validation_invalid_date_from_yaml_keeps_its_location() -> None:
    p = _by_field(_problems("case: X\nunit: U\nevents:\n- {type: motion, date: 2024-02-30, "
                            "motion: {}}\n"))
    date = p["events[0].date"]
    assert date.line == 4 and date.message.en == "2024-02-30 is not a valid date"


def test_validation_discriminated_union_loc_parts_are_dropped() -> None:
    # `motion` is both the tag pydantic inserts into loc and a field of the model.
    p = _by_field(_problems(_y("""
        case: X
        unit: U
        events:
          - type: motion
            date: someday
            motion: {by: [1]}
          - type: referendum
            date: 2024-01-01
          - date: 2024-01-01
        """)))
    assert set(p) == {"events[0].date", "events[0].motion.by", "events[1].type", "events[2]"}
    assert p["events[0].date"].line == 5
    assert p["events[0].motion.by"].line == 6
    tag = p["events[1].type"]
    assert tag.line == 7 and "'referendum'" in tag.message.en
    assert tag.expected is not None and "'motion'" in tag.expected.en
    assert p["events[2]"].line == 9 and "`type`" in p["events[2]"].message.en


def test_validation_model_value_error_is_split_by_language() -> None:
    p = _by_field(_problems(_y("""
        case: X
        unit: U
        events:
          - type: vote
            date: 2024-01-01
            ballot: {kind: open, valid: 1, invalid: 2}
        """)))
    err = p["events[0].ballot"]
    assert err.line == 6
    assert err.message.en == "invalid exceeds valid" and err.message.zh == "无效票多于有效票"


def test_validation_smart_union_is_one_problem() -> None:
    p = _by_field(_problems("case: X\nunit: U\nevents: []\nsource: {a: 1}\n"))
    src = p["source"]
    assert src.line == 4 and "none of the allowed forms" in src.message.en
    assert src.expected is not None
    assert src.expected.en == "any of: text; a list"
    assert src.expected.zh == "以下任一种：文本；列表"


class _Param(_Rec):
    values: dict[dt.date, int]
    tags: list[str] = Field(default_factory=list, min_length=1)


def test_validation_of_a_dict_key_points_at_the_key() -> None:
    doc = loads_document("values:\n  2019-03-03: 1\n  2019-02-30: 2\ntags: []\n", "p.yaml")
    with pytest.raises(ValidationError) as exc:
        _Param.model_validate(doc.data)
    p = _by_field(validation_problems(doc, exc.value))
    key = p["values.2019-02-30"]
    assert key.line == 3 and key.column == 3
    assert key.message.en == '"2019-02-30" is not a valid date'
    tags = p["tags"]
    assert tags.line == 4 and tags.message.en == "has only 0 item(s)"
    assert tags.expected is not None and tags.expected.en == "at least 1 item(s)"


def test_validation_with_prefix() -> None:
    doc = loads_document("meta: {}\nbody:\n  ballot: {kind: secret, valid: x}\n", "x.yaml")
    with pytest.raises(ValidationError) as exc:
        _Ballot.model_validate(doc.data["body"]["ballot"])
    (p,) = validation_problems(doc, exc.value, prefix=("body", "ballot"))
    assert p.field == "body.ballot.valid" and p.line == 3


# ------------------------------------------------------------------------------ property

_keys = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
_scalars = (st.none() | st.booleans() | st.integers()
            | st.text(st.characters(exclude_categories=("Cs",)), max_size=20))
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)
_documents = st.lists(_values, max_size=4) | st.dictionaries(_keys, _values, max_size=5)


@settings(max_examples=300, deadline=None)
@given(_documents)
def test_json_and_yaml_dumps_load_back_equal(data: Any) -> None:
    as_json = json.dumps(data, indent=2)
    assert loads_document(as_json, "x.json").data == data
    assert loads_document(as_json, "<stdin>").data == data
    as_yaml = yaml.safe_dump(data)
    assert loads_document(as_yaml, "x.yaml").data == data
    # PyYAML's emitter writes NEL and the Unicode line separators raw, and YAML then
    # folds them as line breaks: a round trip PyYAML itself does not survive.
    if not any(c in json.dumps(data, ensure_ascii=False) for c in "\x85\u2028\u2029"):
        unicode_yaml = yaml.safe_dump(data, allow_unicode=True)
        assert loads_document(unicode_yaml.encode("utf-8"), "x.yaml").data == data


# ---------------------------------------------------------------------------- surrogates

_lone = st.integers(min_value=0xD800, max_value=0xDFFF)


@settings(max_examples=80, deadline=None)
@given(code=_lone, where=st.sampled_from(["value", "key", "list", "deep"]),
       fmt=st.sampled_from(["json", "json-raw"]), prefix=st.text(
           alphabet=st.characters(codec="utf-8", exclude_categories=("Cc",),
                                  exclude_characters='"\\'), max_size=5))
def test_a_lone_surrogate_anywhere_is_a_located_error(code: int, where: str, fmt: str,
                                                      prefix: str) -> None:
    """Any key or string holding a lone surrogate, escaped or handed in raw, is refused
    with its line: it could not be written out by any report."""
    s = f"\\u{code:04x}" if fmt == "json" else chr(code)
    body = {"value": f'"v": "{prefix}{s}"', "key": f'"{prefix}{s}": 1',
            "list": f'"v": [1, "{prefix}{s}"]', "deep": f'"v": {{"w": [{{"x": "{s}"}}]}}'}
    text = '{"a": 1,\n ' + body[where] + "}"
    p = _bad(text, "s.json")
    assert "surrogate" in p.message.en and "代理项" in p.message.zh
    assert f"{code:04x}" in p.message.en
    assert p.line == 2


@pytest.mark.parametrize("text", ['v: "\\ud800"\n', 'v: "\\ud83d\\ude00"\n',
                                  'a: 1\n"\\udfff": 2\n'])
def test_yaml_surrogate_escapes_are_refused_with_a_line(text: str) -> None:
    assert _bad(text).line is not None


def test_a_surrogate_pair_in_json_is_one_character() -> None:
    assert loads_document('{"v": "X\\ud83d\\ude00Y", "w": "\\\\ud800"}', "p.json").data == {
        "v": "X\U0001F600Y", "w": "\\ud800"}


# ------------------------------------------------------------------------- explicit tags

_TAG_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,), "float": (Fraction,), "bool": (bool,), "null": (type(None),),
    "timestamp": (dt.date, dt.datetime), "str": (str,),
}


@settings(max_examples=150, deadline=None)
@given(tag=st.sampled_from(sorted(_TAG_TYPES)),
       text=st.one_of(
           st.sampled_from(["2023-02-30", "2024-02-29", "2023-02-29 10:00:00", "abc", "12",
                            "1.5", "yes", "null", "~", "0x1F", "9999-12-31", "0000-01-01",
                            "2024-13-01", "1e5", ".inf"]),
           st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
           st.text(alphabet="abc019-:. ", min_size=1, max_size=12)),
       anchor=st.booleans(), libyaml=st.booleans())
def test_an_explicit_tag_gives_its_type_or_a_located_error(tag: str, text: str,
                                                           anchor: bool, libyaml: bool) -> None:
    """`!!int abc` and `!!timestamp 2023-02-30` alike: what a written tag claims holds, or
    the file is refused at that value; it never becomes a value of another type."""
    from selection_rules.source import yaml_compose
    quoted = json.dumps(text) if tag == "str" else text
    source = f"x: 1\nv: {'&a ' if anchor else ''}!!{tag} {quoted}\n"
    with pytest.MonkeyPatch.context() as m:
        if not libyaml:
            m.setattr(yaml_compose, "_FastLoader", None)
            m.setattr(yaml_compose, "_SafeLoader", yaml_compose._PyLoader)
        try:
            value = loads_document(source, "t.yaml").data["v"]
        except InputError as exc:
            assert exc.problems[0].line == 2, exc.problems
            return
    if tag == "float" and isinstance(value, int):  # an integral float such as 1e5
        return
    assert isinstance(value, _TAG_TYPES[tag]), (source, value)


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.sampled_from(["pair", "high", "low", "text", "escaped"]),
                      min_size=1, max_size=6))
def test_a_json_surrogate_is_located_at_the_first_unpaired_escape(parts: list[str]) -> None:
    """Each part on a line of its own: the error names the line of the first high or low
    half that is not in a pair, never a pair written right."""
    pieces = {"pair": "\\ud83d\\ude00", "high": "\\ud83d", "low": "\\ude00", "text": "x",
              "escaped": "\\\\ud800"}
    lines = [f'"k{i}": "{pieces[p]}"' for i, p in enumerate(parts)]
    text = "{\n" + ",\n".join(lines) + "\n}"
    lone = [i for i, p in enumerate(parts) if p in ("high", "low")]
    if not lone:
        assert loads_document(text, "p.json").data is not None
        return
    p = _bad(text, "p.json")
    assert p.line == lone[0] + 2, (text, p)
    assert ("d83d" if parts[lone[0]] == "high" else "de00") in p.message.en


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_surrogate_in_text_handed_in_is_located_before_any_parser(fmt: str) -> None:
    """A --set value or a prompt's answer, decoded from bytes that were not UTF-8."""
    text = 'a: 1\nunit: "x\udcff"\n' if fmt == "yaml" else '{"a": 1,\n"unit": "x\udcff"}'
    p = _bad(text, f"--set.{fmt}")
    assert "\\udcff" in p.message.en and p.line == 2


@settings(max_examples=80, deadline=None)
@given(depths=st.lists(st.integers(1, 120), min_size=1, max_size=4))
def test_aliases_are_held_to_the_depth_limit_as_if_written_out(depths: list[int]) -> None:
    """Each anchor nests `depth` lists around an alias of the one before: the document is
    accepted exactly when the same document without aliases would be."""
    aliased, expanded, inner_a, inner_e = [], [], "x", "x"
    for i, d in enumerate(depths):
        aliased.append(f"k{i}: &a{i} " + "[" * d + inner_a + "]" * d)
        inner_e = "[" * d + inner_e + "]" * d
        expanded.append(f"k{i}: " + inner_e)
        inner_a = f"*a{i}"
    outcomes = []
    for text in ("\n".join(aliased) + "\n", "\n".join(expanded) + "\n"):
        try:
            loads_document(text, "a.yaml")
            outcomes.append("accepted")
        except InputError as exc:
            assert exc.problems[0].message.en == "nested too deeply (more than 200 levels)"
            outcomes.append("too deep")
    assert outcomes[0] == outcomes[1], (depths, outcomes)


def test_a_bare_tag_is_no_claim_of_a_type() -> None:
    """`!` alone names no type (YAML's non-specific tag): nothing to hold the value to."""
    assert loads_document("a: ! 2023-02-30\n", "t.yaml").data == {"a": "2023-02-30"}
