"""From a rule to its source sentence and back: `trace`, `sources`, seeds/not-encoded.yaml.

Every paragraph of every seed is either quoted by a shipped rule or parameter, or has a
recorded reason why it is not a rule; a reason that no longer fits (its paragraph became
encoded, or its `starts` no longer picks out one paragraph) is a failure, so the record
cannot drift from the rule library.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from typer.testing import CliRunner

from selection_rules.authoring.catalog import catalog
from selection_rules.authoring.seed_text import normalized, seed_names
from selection_rules.authoring.traceability import Paragraph, not_encoded_reasons, sources
from selection_rules.cli import app
from selection_rules.engine.library import Library

runner = CliRunner()
PENGSHAN = "000_1d6b22ca1a2a0151.txt"
PS7_QUOTE = "民主推薦票不足80%的不作為考察對象"
PS7_SIMPLIFIED = "民主推荐票不足80%的不作为考察对象"
_CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def paragraphs() -> dict[str, list[Paragraph]]:
    return sources(catalog(Library()))


def _where(p: Paragraph) -> str:
    return f"{p.seed}:{p.line} {p.text[:30]}"


# ------------------------------------------------------------------ not-encoded.yaml


def test_every_paragraph_is_encoded_or_explained(
        paragraphs: dict[str, list[Paragraph]]) -> None:
    assert sorted(paragraphs) == seed_names()
    unexplained = [_where(p) for ps in paragraphs.values() for p in ps
                   if not p.encoded_by and p.reason is None]
    assert not unexplained, (
        "no rule quotes these paragraphs and seeds/not-encoded.yaml gives no reason; "
        "encode them or add a reason:\n" + "\n".join(unexplained))


def test_every_reason_names_one_paragraph_that_is_not_encoded(
        paragraphs: dict[str, list[Paragraph]]) -> None:
    reasons = not_encoded_reasons()
    assert reasons, "seeds/not-encoded.yaml is missing or empty"
    assert set(reasons) <= set(seed_names()), "not-encoded.yaml names an unknown seed"
    problems: list[str] = []
    for seed, entries in reasons.items():
        claimed: dict[str, str] = {}
        for r in entries:
            hits = [p for p in paragraphs[seed] if p.text.startswith(r.starts)]
            # A heading printed twice (table of contents and body) is one paragraph text.
            texts = {p.text for p in hits}
            if len(texts) != 1:
                problems.append(f"{seed}: starts {r.starts!r} matches {len(texts)} paragraphs "
                                "(copy it verbatim from seeds/normalized/; make it unique)")
                continue
            encoded = [p for p in hits if p.encoded_by]
            if encoded:
                problems.append(
                    f"{seed}: starts {r.starts!r} is stale: line {encoded[0].line} is now "
                    f"encoded by {', '.join(encoded[0].encoded_by)}; remove the reason")
            text = texts.pop()
            if text in claimed:
                problems.append(f"{seed}: {r.starts!r} and {claimed[text]!r} give reasons "
                                "for the same paragraph; keep one")
            claimed[text] = r.starts
            if not _CJK.search(r.zh) or not re.search(r"[A-Za-z]{3}", r.en):
                problems.append(f"{seed}: {r.starts!r} needs a Chinese zh and an English en")
    assert not problems, "\n".join(problems)


def test_a_recorded_reason_reaches_its_paragraph(
        paragraphs: dict[str, list[Paragraph]]) -> None:
    headline = next(p for p in paragraphs[PENGSHAN] if p.line == 1)
    assert not headline.encoded_by and headline.reason is not None
    (recorded,) = [r for r in not_encoded_reasons()[PENGSHAN]
                   if headline.text.startswith(r.starts)]
    assert (headline.reason.zh, headline.reason.en) == (recorded.zh, recorded.en)


# ----------------------------------------------------------------------------- trace


def test_trace_shows_the_sentence_and_its_simplified_rendering() -> None:
    result = run("trace", "PS-7")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    sentence = [ln for ln in lines if PS7_QUOTE in ln]
    assert sentence and sentence[-1].strip().endswith("民主推薦票不足80%的不作為考察對象;")
    rendering = [ln for ln in lines if ln.strip().startswith("简体：")]
    assert len(rendering) == 1 and PS7_SIMPLIFIED in rendering[0]

    english = run("trace", "PS-7", "--lang", "en").output
    assert any(ln.strip().startswith("Simplified:") and PS7_SIMPLIFIED in ln
               for ln in english.splitlines())


def test_trace_of_a_national_rule_shows_its_regulation() -> None:
    result = run("trace", "CN-2", "--lang", "en")
    assert result.exit_code == 0, result.output
    source = result.output.split("Source sentences", 1)[1]
    assert "《党政领导干部选拔任用工作条例》 (2014)" in source
    assert "《党政领导干部选拔任用工作条例》 (2019)" in source
    assert "以应到会成员超过半数同意形成决定" in source


def test_trace_unknown_rule_exits_2() -> None:
    result = run("trace", "XX-9")
    assert result.exit_code == 2
    assert "XX-9" in result.output


def test_trace_json_holds_the_passage() -> None:
    result = run("trace", "PS-7", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    assert data["id"] == "PS-7"
    passages = [s["passage"] for s in data["sources"] if s["passage"] is not None]
    assert passages
    for passage in passages:
        assert PS7_QUOTE in passage["sentence"]
        assert PS7_SIMPLIFIED in passage["simplified"]
        text = normalized(passage["seed"])
        assert text is not None
        assert PS7_QUOTE in text.split("\n")[passage["line"] - 1]


# --------------------------------------------------------------------------- sources


def test_sources_json_lists_every_seed_and_its_paragraphs() -> None:
    result = run("sources", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, list[dict[str, Any]]] = json.loads(result.output)
    assert sorted(data) == seed_names() and len(data) == 5
    for seed, ps in data.items():
        text = normalized(seed)
        assert text is not None
        assert [p["line"] for p in ps] == [
            n for n, line in enumerate(text.split("\n"), 1) if line.strip()]
        for p in ps:
            assert p["encoded_by"] or p["reason"], f"{seed}:{p['line']} is unexplained"
    pengshan = next(p for p in data[PENGSHAN] if PS7_QUOTE in p["text"])
    assert "PS-7" in pengshan["encoded_by"] and pengshan["reason"] is None


def test_sources_limited_to_one_seed() -> None:
    result = run("sources", PENGSHAN, "--format", "json")
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.output)) == [PENGSHAN]

    text = run("sources", PENGSHAN, "--lang", "en").output
    assert PENGSHAN in text and "002_820299a8950da9aa.txt" not in text
    assert "no reason recorded" not in text


def test_sources_unknown_seed_exits_2() -> None:
    result = run("sources", "999_nothing.txt")
    assert result.exit_code == 2
    assert "999_nothing.txt" in result.output


# ------------------------------------------------------------ what is left unencoded

_LEFT_CHECKABLE = ("可检查，但未编码", "Checkable, not encoded")


def test_no_checkable_passage_is_left_unencoded(paragraphs: dict[str, list[Paragraph]]) -> None:
    left = [_where(p) for ps in paragraphs.values() for p in ps
            if p.checkable == "not_encoded"
            or (p.reason is not None
                and (_LEFT_CHECKABLE[0] in p.reason.zh or _LEFT_CHECKABLE[1] in p.reason.en))]
    assert left == []


def test_the_five_checkable_passages_are_encoded(paragraphs: dict[str, list[Paragraph]]) -> None:
    starts = {"YT-2": ("002_820299a8950da9aa.txt", "堅持黨建引領,做脫貧攻堅先鋒"),
              "XY-4": ("003_5807c168d1aeb03b.txt", "明确约谈重点。"),
              "HZ-11": ("003_5807c168d1aeb03b.txt", "二是配好“整改餐”"),
              "QS-10": ("004_8379aafe2d1e0be7.txt", "一是在考核對象的全面性上求突破"),
              "QS-11": ("004_8379aafe2d1e0be7.txt", "四是在考核工作的公正性上求突破")}
    for rule, (seed, start) in starts.items():
        (para,) = [p for p in paragraphs[seed] if p.text.startswith(start)]
        assert rule in para.encoded_by and para.reason is None, (rule, para.encoded_by)


def test_the_community_dispatch_passage_stays_out_of_scope_with_its_reason() -> None:
    result = run("sources", "003_5807c168d1aeb03b.txt", "--format", "json")
    assert result.exit_code == 0, result.output
    (para,) = [p for p in json.loads(result.output)["003_5807c168d1aeb03b.txt"]
               if p["text"].startswith("组织派单下任务。")]
    assert para["encoded_by"] == [] and para["checkable"] == "out_of_scope"
    assert "三天" in para["reason"]["zh"] and "three days" in para["reason"]["en"]
