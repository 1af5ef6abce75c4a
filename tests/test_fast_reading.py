"""JSON read by orjson where it can be (json_read._fast_json) gives what json.loads with
the project's hooks gives: the same values of the same types, or the same problems."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from selection_rules.errors import InputError
from selection_rules.source import loading
from selection_rules.source.json_read import _fast_json

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def _slow_path_only() -> Iterator[None]:
    """The reading as it was before the fast path: json.loads and its hooks."""
    with mock.patch.object(loading, "_fast_json", lambda body, name: None):
        yield


def _outcome(raw: bytes, name: str = "case.json") -> tuple[str, Any]:
    try:
        doc = loading.loads_document(raw, name)
    except InputError as exc:
        return "error", [p.as_dict() for p in exc.problems]
    return "document", (doc.format, doc.data, doc._json_text(), doc.line_of(()))


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types throughout (1 is not True, Fraction(1) not 1), with
    the keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _assert_same_as_slow(raw: bytes) -> None:
    fast = _outcome(raw)
    with _slow_path_only():
        slow = _outcome(raw)
    assert fast[0] == slow[0], (fast, slow)
    assert _same(fast[1], slow[1]), (fast, slow)


# -------------------------------------------------------------------- generated texts

_KEYS = st.sampled_from(["a", "b", "id", "值", "a b", "", ":", " :x", "k\\\"", "\\u0061"])
_NUMBERS = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.sampled_from(["-0", "0", "1.5", "-0.0", "1e5", "1E5", "2e-3", "0.10", "1e99999",
                     "1.5e400", "NaN", "Infinity", "-Infinity", "01", "1.", "-",
                     "18446744073709551615", "18446744073709551616",
                     "9223372036854775807", "-9223372036854775808",
                     "-9223372036854775809", "123456789012345678"]),
)
_STRINGS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), max_codepoint=0x10FFFF), max_size=8)
    .map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.text(max_size=6).map(json.dumps),  # \\u escapes, lone surrogates among them
    st.sampled_from(['"\\ud800"', '"\\udc00x"', '"\\ud83d\\ude00"', '"a\\"b"', '"\\\\"',
                     '"\\n"', '"1.5"', '"2024-03-15"', '"a\tb"', '"\\u0022"', '"12:30"',
                     '"1234567890123456789012"', '"\u2028"', '"\x7f"']),
)
_SPACE = st.sampled_from(["", " ", "\n", "\t", "\r\n", "  "])


def _members(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    member = st.tuples(_SPACE, st.one_of(_KEYS.map(json.dumps), _STRINGS), _SPACE, values)
    return st.lists(member, max_size=5).map(
        lambda ms: "{" + ",".join(f'{s}{k}{t}:{v}' for s, k, t, v in ms) + "}")


_VALUES = st.recursive(
    st.one_of(_NUMBERS, _STRINGS, st.sampled_from(["true", "false", "null"])),
    lambda inner: st.one_of(
        st.lists(st.tuples(_SPACE, inner), max_size=5).map(
            lambda xs: "[" + ",".join(s + x for s, x in xs) + "]"),
        _members(inner)),
    max_leaves=25,
)


@st.composite
def _texts(draw: st.DrawFn) -> bytes:
    text = draw(_SPACE) + draw(_VALUES) + draw(_SPACE)
    raw = text.encode("utf-8", "surrogatepass")
    damage = draw(st.sampled_from(["none", "none", "none", "cut", "byte", "bom"]))
    if damage == "cut" and raw:
        raw = raw[:draw(st.integers(0, len(raw) - 1))]
    elif damage == "byte":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\x00", b"\xff", b"\xd6\xd0", b",", b"}",
                                               b"\xef\xbb\xbf", b"\\", b'"'])) + raw[at:]
    elif damage == "bom":
        raw = b"\xef\xbb\xbf" + raw
    return raw


@settings(max_examples=600, deadline=None)
@given(_texts())
@example(b'{"a": 1, "a": 2}')
@example(b'{"a": {"b": 1, "b": 1}, "c": 2}')
@example(b'{"a": 1, "b": {"a": 1}}')
@example(b'{"a" : 1 , "a" :2}')
@example(b'{"k": "\\"\\\\\\n\\t\\b\\f\\r", "k": 1}')
@example(b'{"a": "x\\/", "b": ["\\/", "\\""]}')
@example(b'[1.5, 2]')
@example(b'[-0]')
@example(b'{"x": 123456789012345678901234567890}')
@example(b'{"x": "\\ud800"}')
@example(b'{"x": NaN}')
@example(b'\xef\xbb\xbf{"x": 1}')
@example(b'\xef\xbb\xbf\xef\xbb\xbf{"x": 1}')
@example(b'\xff\xfe{\x00}\x00')
@example(b'{"x": "\xd6\xd0\xce\xc4"}')
@example(b'{"x": 1}\x00')
@example(b"   ")
@example(b"")
def test_fast_reading_is_the_slow_reading(raw: bytes) -> None:
    fast = _fast_json(raw.removeprefix(b"\xef\xbb\xbf"), "case.json") is not None
    event("read by orjson" if fast else "read by json")
    _assert_same_as_slow(raw)


@pytest.mark.parametrize("depth", [199, 200, 201, 1023, 1024, 1025, 3000])
def test_nesting_is_refused_alike(depth: int) -> None:
    _assert_same_as_slow(b"[" * depth + b"]" * depth)
    _assert_same_as_slow(b'{"a":' * depth + b"1" + b"}" * depth)


def test_a_huge_integer_is_refused_alike() -> None:
    _assert_same_as_slow(b'{"x": ' + b"7" * 5000 + b"}")


# ------------------------------------------------------------ the fast path is taken


_PLAIN_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.recursive(
    st.one_of(st.integers(-(10**18) + 1, 10**18 - 1), st.booleans(), st.none(), _PLAIN_TEXT),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_PLAIN_TEXT, inner,
                                                               max_size=4),
    max_leaves=30))
def test_plain_json_is_read_fast(value: Any) -> None:
    """What a clerk's files hold is read by orjson; only a figure written with a point or
    an exponent, a long integer, or a \\u escape (and text that looks like them) is left
    to json."""
    for indent in (None, 1):
        raw = json.dumps(value, ensure_ascii=False, indent=indent).encode()
        doc = _fast_json(raw, "case.json")
        if doc is None:
            squeezed = re.sub(rb"[ \t\r\n]", b"", raw)
            assert b"\\u" in raw or re.search(rb"[0-9][.eE]|[0-9]{19}", squeezed), raw
        else:
            assert _same(doc.data, value)
            assert doc._json_text() == raw.decode()


@pytest.mark.parametrize("raw", [
    b'{"a": 1, "a": 2}', b'{"a": [{"k": 1, "k": 1}]}', b'[0.5]', b'[1e3]',
    b'[12345678901234567890]', b'["\\u00e9"]', b'{"a": NaN}', b"[1] x",
])
def test_the_fast_path_declines_what_it_cannot_vouch_for(raw: bytes) -> None:
    assert _fast_json(raw, "case.json") is None


def test_a_decimal_stays_an_exact_fraction() -> None:
    doc = loading.loads_document(b'{"score": 85.50, "n": 3}', "case.json")
    assert _same(doc.data, {"score": Fraction(171, 2), "n": 3})


def _as_json(value: Any) -> Any:
    if isinstance(value, Fraction):
        return float(value) if value.denominator in (2, 4, 5, 10, 100) else str(value)
    return str(value)  # a date


def test_every_example_reads_alike_as_json() -> None:
    """The examples (YAML), written as JSON, as a clerk's tool writes them; those without
    a decimal are read by orjson."""
    files = sorted((ROOT / "examples").rglob("*.yaml"))
    assert files
    fast = 0
    for path in files:
        data = loading.load_document(path).data
        for indent in (None, 1):
            raw = json.dumps(data, ensure_ascii=False, indent=indent, default=_as_json).encode()
            _assert_same_as_slow(raw)
            fast += _fast_json(raw, "case.json") is not None
    assert fast > len(files)


def test_the_benchmark_cases_are_read_fast() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    for case in generate(30):
        raw = json.dumps(case, ensure_ascii=False, indent=1).encode()
        assert _fast_json(raw, "case.json") is not None
        _assert_same_as_slow(raw)


def _mutations(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The benchmark case with one fault each that validation (not the reading) finds."""
    import copy

    for path, value in (
        (("events", 0, "date"), "2021-02-30"),
        (("events", 1, "ballot"), {"kind": "secret", "valid": 9, "returned": 3}),
        (("posts", 0, "level"), "常委"),
        (("candidates", 1, "id"), "C01"),
        (("events", 2, "result"), ["C01", "C01"]),
        (("events", 0, "unknown_field"), 1),
        (("events", 3, "posts"), ["P9"]),
        (("events", 4, "note"), "第一行\n\"引号\"\t制表"),
    ):
        changed = copy.deepcopy(case)
        node: Any = changed
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
        yield changed


def test_a_case_with_a_fault_is_reported_alike() -> None:
    """What validation says of a file orjson read is what it says of the same file read
    by json: the same values, so the same problems at the same lines."""
    import sys

    from selection_rules.engine import pipeline

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))

    def problems(raw: bytes) -> list[dict[str, object]]:
        doc = loading.loads_document(raw, "case.json")
        try:
            pipeline.to_model(doc, "selection")
        except InputError as exc:
            return [p.as_dict() for p in exc.problems]
        return []

    said = 0
    for changed in _mutations(generate(1, faulty=0)[0]):
        raw = json.dumps(changed, ensure_ascii=False, indent=1).encode()
        assert _fast_json(raw, "case.json") is not None
        fast = problems(raw)
        with _slow_path_only():
            slow = problems(raw)
        assert fast == slow
        said += bool(fast)
    assert said == 7  # every fault but the note's newline and quotes is a problem
