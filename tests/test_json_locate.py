"""A JSON document's lines, found by following the path through its text, are the lines
the YAML reading of the same text gives (the way they were found before)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from selection_rules.source.document import Document
from selection_rules.source.loading import loads_document
from selection_rules.source.yaml_compose import _compose_json

SOURCES = sorted(EXAMPLES.rglob("*.yaml"))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_paths(v, (*prefix, k)))
        out.append((*prefix, "no_such_key"))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_paths(v, (*prefix, i)))
        out.append((*prefix, len(data)))
    else:
        out.append((*prefix, 0))  # a path that goes on past a scalar
    return out


def _answers(doc: Document, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return doc.line_of(loc), doc.column_of(loc), doc.source_text(loc)


@settings(max_examples=60, deadline=None)
@given(source=st.sampled_from(SOURCES), indent=st.sampled_from([None, 1, 2, 4, "\t"]),
       separators=st.sampled_from([None, (",", ":"), (" ,", " : ")]),
       ascii_only=st.booleans())
def test_every_path_is_located_as_the_yaml_reading_locates_it(
        source: Path, indent: Any, separators: Any, ascii_only: bool) -> None:
    data = _plain(yaml.safe_load(source.read_text(encoding="utf-8")))
    text = json.dumps(data, indent=indent, separators=separators, ensure_ascii=ascii_only)
    walked = loads_document(text, "c.json")
    composed = Document("c.json", "json", walked.data, root=_compose_json(text, "c.json"))
    assert composed._nodes() is not None
    for loc in _paths(walked.data):
        assert _answers(walked, loc) == _answers(composed, loc), loc


@settings(max_examples=40, deadline=None)
@given(source=st.sampled_from(SOURCES), indent=st.sampled_from([None, 1, "\t"]),
       order=st.randoms(use_true_random=False))
def test_the_prefixes_kept_from_earlier_paths_give_the_same_answers(
        source: Path, indent: Any, order: Any) -> None:
    # A document keeps where the prefixes of the paths it was asked for begin; asked in
    # any order, it answers as a document asked for each path alone.
    data = _plain(yaml.safe_load(source.read_text(encoding="utf-8")))
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    shared = loads_document(text, "c.json")
    paths = _paths(shared.data)
    order.shuffle(paths)
    for loc in paths:
        assert _answers(shared, loc) == _answers(loads_document(text, "c.json"), loc), loc


def test_a_path_into_an_empty_object_or_list_stands_at_it() -> None:
    doc = loads_document('{"a": {},\n "b": [ ],\n "c": [1, 2]}', "e.json")
    assert doc.line_of(("a", "x")) == 1 and doc.line_of(("b", 0)) == 2
    assert doc.line_of(("c", 5)) == 3 and doc.source_text(("c", 1)) == "2"


@pytest.mark.parametrize("written", ["0.80", "1e3", "-0", "true", "null", '"007"',
                                     '"\\u4e2d"'])
def test_a_scalar_reads_back_as_written(written: str) -> None:
    doc = loads_document('{"v": ' + written + "}", "s.json")
    expected = json.dumps(json.loads(written), ensure_ascii=False) \
        if written.startswith('"') else written
    assert doc.source_text(("v",)) == expected


def test_validating_a_json_case_with_violations_never_composes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from selection_rules.cli import app
    from selection_rules.source import json_read, yaml_compose

    data = _plain(yaml.safe_load((EXAMPLES / "pengshan" / "ps7-below-80.yaml").read_text(
        encoding="utf-8")))
    case = tmp_path / "case.json"
    case.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    composed: list[str] = []
    for module in (yaml_compose, json_read):  # where it is made, and where it is used
        monkeypatch.setattr(module, "_compose_json",
                            lambda text, name: composed.append(name))  # type: ignore[func-returns-value]
    result = CliRunner().invoke(app, ["validate", str(case), "--format", "json"])
    assert result.exit_code == 1, result.output
    [entry] = json.loads(result.output)["files"]
    assert entry["violations"] and all(v["location"]["line"] for v in entry["violations"])
    assert composed == []
