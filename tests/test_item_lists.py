"""Lists that name a set refuse a repeat, located at the repeat and naming the first;
every list of plain values in the case and record models says whether it is a set.

A rule that counts a list (`count(event.result)`) is only as good as the list: `[C01,
C01]` counted as two nominees turned a violation into a clean result.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.cli import app
from selection_rules.errors import InputError, Problem
from selection_rules.model import records, registers
from selection_rules.model.case import Case, reference_problems
from selection_rules.model.item_lists import DISTINCT, Repeats
from selection_rules.source.loading import loads_document
from selection_rules.source.model_errors import validated
from selection_rules.source.paths import format_loc

# ---------------------------------------------------------------- every list says what it is


def _plain_lists(tp: Any, path: str, seen: set[type]) -> Iterator[tuple[str, list[Any]]]:
    """(path, metadata) of every list of plain values reachable from `tp`.

    A list of records (posts, events, talks) is a register, each entry with a path of its
    own; it is walked into, not judged. A list of plain values (ids, kinds, dates) is what
    a rule counts or looks things up in.
    """
    metadata: list[Any] = []
    while typing.get_origin(tp) is Annotated:
        metadata.extend(tp.__metadata__)
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp not in seen:
            seen.add(tp)
            for name, info in tp.model_fields.items():
                field_tp = Annotated[(info.annotation, *info.metadata)] if info.metadata \
                    else info.annotation
                yield from _plain_lists(field_tp, f"{tp.__name__}.{name}", seen)
    elif origin is list:
        (item,) = typing.get_args(tp)
        if _has_model(item):
            yield from _plain_lists(item, f"{path}[]", seen)
        else:
            yield path, metadata
    elif origin is dict:
        yield from _plain_lists(typing.get_args(tp)[1], f"{path}{{}}", seen)
    elif origin in (Union, types.UnionType):
        for arg in typing.get_args(tp):
            yield from _plain_lists(arg, path, seen)


def _has_model(tp: Any) -> bool:
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return True
    return any(_has_model(arg) for arg in typing.get_args(tp))


def _undeclared(*models: type[BaseModel]) -> list[str]:
    seen: set[type] = set()
    return [path for model in models for path, meta in _plain_lists(model, model.__name__, seen)
            if not any(m is DISTINCT or isinstance(m, Repeats) for m in meta)]


def test_every_list_of_plain_values_is_a_set_or_says_why_it_may_repeat() -> None:
    assert _undeclared(Case, *registers.ALL_RECORD_MODELS.values()) == []


def test_the_walk_finds_an_undeclared_list_wherever_it_stands() -> None:
    # The check above is only as good as its walk: a bare list must not slip through
    # inside a dict, an optional, a union or a nested model.
    class Inner(BaseModel):
        ok: Annotated[list[str], DISTINCT] = Field(default_factory=list)
        bare: list[dt.date] = Field(default_factory=list)

    class Outer(BaseModel):
        direct: list[str]
        nested: dict[str, list[Literal["a", "b"]]]
        optional: list[int] | None = None
        records: list[Inner | str]
        ordered: Annotated[list[str], Repeats("an order")]

    assert sorted(_undeclared(Outer)) == [
        "Inner.bare", "Outer.direct", "Outer.nested{}", "Outer.optional"]


# ---------------------------------------------------------------- a repeat is a located error

# (example file, path to a list in it with {type: x} picking an event, the values to draw)
_CANDIDATES = ["C01", "C02", "C03", "C04", "C05"]
_LISTS: list[tuple[str, tuple[Any, ...], list[Any]]] = [
    ("pengshan/clean.yaml", ("events", {"type": "nomination_vote"}, "result"), _CANDIDATES),
    ("pengshan/clean.yaml", ("events", {"type": "inspection"}, "candidates"), _CANDIDATES),
    ("pengshan/clean.yaml", ("events", {"type": "plenary_vote"}, "speeches"), _CANDIDATES),
    ("pengshan/clean.yaml", ("events", {"type": "plenary_vote"}, "posts"), ["P1"]),
    ("pengshan/clean.yaml", ("events", {"type": "signed_recommendation"}, "ballot",
                             "signed_by"), ["甲", "乙", "丙"]),
    ("pengshan/clean.yaml", ("rule_sets",), ["cn-baseline", "hanzhong-screening"]),
    ("hanzhong/clean.yaml", ("events", {"type": "democratic_recommendation"}, "documents", 0,
                             "about"), ["C01", "C02", "C03"]),
    ("hanzhong/clean.yaml", ("candidates", 0, "verification", "checked"),
     ["age", "party_age", "education"]),
    ("records/qingshui/clean.yaml", ("teams", 0, "vetoed"), ["计生", "综治", "安全生产"]),
    ("records/qingshui/clean.yaml", ("rankings", 0, "order"), ["T1", "T2", "T3"]),
    ("records/hanzhong/clean.yaml", ("units", 0, "inspections"),
     [dt.date(2020, 1, 6), dt.date(2021, 5, 4), dt.date(2022, 9, 1)]),
    ("records/xianyang/clean.yaml", ("rule_sets",), ["xianyang-talks", "qingshui-assessment"]),
]


class _Plain(yaml.SafeDumper):
    """Writes a value repeated by identity (one date object twice) out in full each time:
    an alias has no line of its own."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _resolve(data: Any, path: tuple[Any, ...]) -> tuple[str | int, ...]:
    """`path` with each {key: value} replaced by the index of the first item matching it."""
    out: list[str | int] = []
    for part in path:
        if isinstance(part, dict):
            part = next(i for i, item in enumerate(data)
                        if all(item.get(k) == v for k, v in part.items()))
        out.append(part)
        data = data[part]
    return tuple(out)


def _set(data: Any, loc: tuple[str | int, ...], value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _parse(name: str, text: str) -> Callable[[], object]:
    doc = loads_document(text, name)
    if name.startswith("records/"):
        model = records.RECORD_MODELS[doc.data["record"]]
        return lambda: validated(doc, model, records.reference_problems)
    return lambda: validated(doc, Case, reference_problems)


def _repeat_problems(run: Callable[[], object]) -> list[Problem]:
    try:
        run()
    except InputError as exc:
        return [p for p in exc.problems if "listed twice" in p.message.en]
    return []


@pytest.mark.parametrize(("name", "path", "values"), _LISTS,
                         ids=[f"{n}:{path[-1]}" for n, path, _ in _LISTS])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_repeat_in_a_set_is_located_at_the_repeat_and_names_the_first(
    name: str, path: tuple[Any, ...], values: list[Any], data: st.DataObject
) -> None:
    items = data.draw(st.lists(st.sampled_from(values), max_size=6), label="items")
    doc = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    loc = (*_resolve(doc, path[:-1]), path[-1])
    _set(doc, loc, items)
    # Block style: each item on its own line, so "the line of the second" is checked.
    text = yaml.dump(doc, Dumper=_Plain, allow_unicode=True, default_flow_style=False,
                     sort_keys=False)

    found = _repeat_problems(_parse(name, text))

    first: dict[Any, int] = {}
    repeats = []
    for i, x in enumerate(items):
        if x in first:
            repeats.append((first[x], i))
        first.setdefault(x, i)
    if not repeats:
        assert found == []
        return
    (problem,) = found
    earlier, at = repeats[0]
    lines = text.splitlines()
    assert problem.field == format_loc((*loc, at))
    assert problem.line is not None and str(items[at]) in lines[problem.line - 1]
    first_line = int(problem.message.en.rsplit("line ", 1)[1].rstrip(")"))
    assert first_line < problem.line and str(items[earlier]) in lines[first_line - 1]
    assert f"first at {format_loc((*loc, earlier))}, line {first_line})" in problem.message.en
    assert f"第一次出现在 {format_loc((*loc, earlier))}，第 {first_line} 行" in problem.message.zh
    assert problem.expected is not None
    more = len(repeats) - 1
    assert (f"{more} more repeat" in problem.expected.en) == (more > 0)


# ---------------------------------------------------------------- the issue's own cases

runner = CliRunner()
_CLEAN = (EXAMPLES / "pengshan" / "clean.yaml").read_text(encoding="utf-8")


def _validate(tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--lang", "en", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_two_formal_nominees_named_twice_is_bad_input_not_a_clean_vote(tmp_path: Path) -> None:
    # PS-9 wants two formal nominees; [C01, C01] is one, written twice.
    text = _CLEAN.replace("      C03: {agree: 3, disagree: 5}\n    result: [C01, C02]",
                          "      C03: {agree: 3, disagree: 5}\n    result: [C01, C01]")
    assert text != _CLEAN
    code, out = _validate(tmp_path, text)
    assert code == 2
    assert "field events[5].result[1]" in out
    assert "'C01' is listed twice (first at events[5].result[0]" in out


def test_one_inspected_candidate_named_twice_is_bad_input(tmp_path: Path) -> None:
    # PS-8 (competitive inspection) must not be passed by writing one person twice.
    lines = _CLEAN.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "type: inspection" in line)
    cand = next(i for i in range(at, len(lines)) if lines[i].strip().startswith("candidates:"))
    lines[cand] = lines[cand].split("candidates:")[0] + "candidates: [C01, C01]\n"
    code, out = _validate(tmp_path, "".join(lines))
    assert code == 2
    assert "field events[4].candidates[1]" in out


def test_many_repeated_rule_sets_are_one_quick_error(tmp_path: Path) -> None:
    import time

    text = _CLEAN.replace("procedure: pengshan-five-votes\n",
                          "procedure: pengshan-five-votes\nrule_sets:\n"
                          + "  - cn-baseline\n" * 40_000)
    start = time.process_time()
    code, out = _validate(tmp_path, text)
    assert code == 2
    assert time.process_time() - start < 5  # was 20 CPU-seconds, accepted silently
    assert "'cn-baseline' is listed twice (first at rule_sets[0], line" in out
    assert "39998 more repeats in this list" in out
    assert out.count("listed twice") == 1


def test_the_schemas_tell_an_editor_which_lists_are_sets() -> None:
    from selection_rules.authoring.schemas import case_schema

    event = case_schema()["$defs"]["Event"]["properties"]
    assert event["result"]["uniqueItems"] is True
    assert event["candidates"]["uniqueItems"] is True
    meeting = case_schema()["$defs"]["Meeting"]["properties"]
    assert "uniqueItems" not in meeting["speaking_order"]


# ---------------------------------------------------------------- an id defined twice

_REGISTERS = [
    ("hanzhong/clean.yaml", "candidates"),
    ("hanzhong/clean.yaml", "posts"),
    ("records/xianyang/clean.yaml", "teams"),
    ("records/xianyang/clean.yaml", "leaders"),
    ("records/xianyang/clean.yaml", "talks"),  # a talk counted twice against XY-3's caps
    ("records/roster/tongchuan-clean.yaml", "cadres"),
    ("records/hanzhong/clean.yaml", "units"),
]


@pytest.mark.parametrize(("name", "where"), _REGISTERS)
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_an_id_defined_twice_is_located_at_the_second_and_names_the_first(
    name: str, where: str, data: st.DataObject
) -> None:
    doc = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    entries = doc[where]
    if len(entries) < 2:  # one post: a second copy of it is the repeat
        entries.append(dict(entries[0]))
    j = data.draw(st.integers(0, len(entries) - 2), label="first")
    i = data.draw(st.integers(j + 1, len(entries) - 1), label="repeat")
    entries[i]["id"] = entries[j]["id"]
    text = yaml.dump(doc, Dumper=_Plain, allow_unicode=True, sort_keys=False)

    with pytest.raises(InputError) as caught:
        _parse(name, text)()

    (problem,) = [p for p in caught.value.problems if "duplicate id" in p.message.en]
    assert problem.field == f"{where}[{i}].id"
    assert f"(first at {where}[{j}].id)" in problem.message.en
    assert f"第一次出现在 {where}[{j}].id" in problem.message.zh
