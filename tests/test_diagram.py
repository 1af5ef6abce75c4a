"""Diagrams: golden Mermaid and DOT of every shipped procedure, the case overlay, and real
SVG/PNG from Graphviz.

Regenerate the golden files after a deliberate change (new procedure, new label):
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_diagram.py
and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT, shipped_procedures
from selection_rules.cli import app
from selection_rules.diagram.draw import render, to_dot, to_mermaid
from selection_rules.diagram.model import build
from selection_rules.engine.case_loader import parse_case
from selection_rules.engine.library import Library
from selection_rules.engine.procedure import load_procedure
from selection_rules.source.loading import load_document

GOLDEN = ROOT / "tests" / "golden"
PENGSHAN = EXAMPLES / "pengshan"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
runner = CliRunner()
needs_dot = pytest.mark.skipif(shutil.which("dot") is None,
                               reason="Graphviz `dot` is not installed (CI installs it)")




PROCEDURES = shipped_procedures()


def _check_golden(path: Path, text: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} differs: if the change is intended, run with UPDATE_GOLDEN=1")


@pytest.mark.parametrize("ident", PROCEDURES)
@pytest.mark.parametrize(("fmt", "suffix", "lang"), [
    ("mermaid", "mmd", "zh"), ("mermaid", "en.mmd", "en"), ("dot", "dot", "zh")])
def test_golden(ident: str, fmt: str, suffix: str, lang: str) -> None:
    diagram = build(load_procedure(ident, Library()))
    text = to_mermaid(diagram, lang) if fmt == "mermaid" else to_dot(diagram, lang)  # type: ignore[arg-type]
    # Deterministic: a second build writes the same bytes.
    again = build(load_procedure(ident, Library()))
    assert text == (to_mermaid(again, lang) if fmt == "mermaid" else to_dot(again, lang))  # type: ignore[arg-type]
    _check_golden(GOLDEN / f"{ident}.{suffix}", text)


@pytest.mark.parametrize("ident", PROCEDURES)
def test_every_stage_step_and_check_is_on_the_diagram(ident: str) -> None:
    proc = load_procedure(ident, Library())
    mermaid = to_mermaid(build(proc), "zh")
    for stage in proc.stages.values():
        assert stage.label.zh.replace('"', "#quot;") in mermaid
    for step in proc.steps.values():
        assert step.label.zh.replace('"', "#quot;") in mermaid and step.event in mermaid
        for rule in proc.rules_for_event(step.event):
            assert f"{rule.id} " in mermaid, (step.event, rule.id)
    # Only Mermaid's own syntax may use these characters unescaped inside labels.
    for line in mermaid.splitlines():
        if '["' in line:
            label = line.split('["', 1)[1].rsplit('"]', 1)[0]
            assert '"' not in label and ">" not in label.replace("<b>", "").replace(
                "</b>", "").replace("<i>", "").replace("</i>", "").replace("<br/>", "")


def test_bounds_are_shown_as_the_source_writes_them() -> None:
    mermaid = to_mermaid(build(load_procedure("pengshan-five-votes", Library())), "zh")
    assert "PS-7 民主推荐票/有效票 ≥ 80%" in mermaid
    assert "PS-6 提名人选人数 = 1:3" in mermaid
    assert "PS-4 提交署名推荐的人数 5~7 人" in mermaid
    assert "PS-8 考察对象人数 #gt; 职位数" in mermaid
    assert "CN-1 到会成员/应到会成员 ≥ 2/3" in mermaid
    assert "CN-4 公示期 ≥ 5 个工作日" in mermaid
    # The composed rule set is named where it attaches, with the tag it attaches by.
    assert "＋ 全国基线（cn-baseline，标签 publicity）" in mermaid
    english = to_mermaid(build(load_procedure("pengshan-five-votes", Library())), "en")
    assert "PS-7 recommendation votes / valid ballots ≥ 80%" in english
    assert "Vote 1: non-directional pre-recommendation" in english


def _overlay(name: str, lang: str = "zh") -> tuple[str, str]:
    from selection_rules.engine.pipeline import Pipeline
    from selection_rules.lang.workdays import WorkCalendar

    path = PENGSHAN / name
    outcome = Pipeline(Library(), WorkCalendar()).check_file(path)
    assert outcome is not None and outcome.result is not None
    case = parse_case(load_document(path))
    diagram = build(load_procedure(case.procedure, Library()), case, outcome.result)
    return to_mermaid(diagram, lang), to_dot(diagram, lang)  # type: ignore[arg-type]


def _node(text: str, node: str) -> str:
    [line] = [ln for ln in text.splitlines() if ln.strip().startswith(node + "[")
              or ln.strip().startswith(node + "(") or ln.strip().startswith(node + " [")]
    return line


def test_overlay_marks_the_step_with_a_violation() -> None:
    mermaid, dot = _overlay("ps7-below-80.yaml")
    assert _node(mermaid, "e_inspection").endswith(":::violated")
    assert "✗ 违规：PS-7" in _node(mermaid, "e_inspection")
    assert _node(mermaid, "e_plenary_vote").endswith(":::taken")
    assert _node(mermaid, "s_appointed").endswith(":::reached")
    assert "linkStyle" in mermaid
    assert "案卷 PS-2024-109：违规 1 条" in mermaid
    assert 'color="#c62828"' in _node(dot, "e_inspection")
    assert "legend" in dot


def test_overlay_marks_stages_never_reached_and_steps_missing() -> None:
    mermaid, dot = _overlay("ps1-incomplete.yaml")
    data = load_document(PENGSHAN / "ps1-incomplete.yaml").data
    done = {ev["type"] for ev in data["events"]}
    proc = load_procedure("pengshan-five-votes", Library())
    never = [s for s in proc.steps.values() if s.event not in done]
    assert never
    for step in never:
        assert _node(mermaid, f"e_{step.event}").endswith(":::missing")
        assert _node(mermaid, f"s_{step.to}").endswith(":::unreached")
        assert "（未到达）" in _node(dot, f"s_{step.to}")
    assert _node(mermaid, "s_start").endswith(":::reached")


def test_overlay_in_english() -> None:
    mermaid, _ = _overlay("ps7-below-80.yaml", "en")
    assert "✗ violations: PS-7" in mermaid and "case PS-2024-109: 1 violation(s)" in mermaid


# ---------------------------------------------------------------------------- Graphviz


@needs_dot
@pytest.mark.parametrize("ident", PROCEDURES)
def test_svg_parses_and_holds_the_chinese_stage_names(ident: str) -> None:
    proc = load_procedure(ident, Library())
    svg, warning = render(to_dot(build(proc), "zh"), "svg")
    assert warning is None, warning
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = "".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    for stage in proc.stages.values():
        assert stage.label.zh in texts


def _svg_node_texts(svg: bytes) -> dict[str, str]:
    """Each node's drawn text (whitespace removed, as wrapping moves it), by DOT node id."""
    out: dict[str, str] = {}
    for group in ET.fromstring(svg).iter():
        if group.tag.endswith("}g") and group.get("class") == "node":
            title = next(t.text for t in group if t.tag.endswith("title"))
            texts = "".join(t.text or "" for t in group.iter() if t.tag.endswith("text"))
            out[str(title)] = "".join(texts.split())
    return out


@needs_dot
@pytest.mark.parametrize("ident", PROCEDURES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bound_drawn_in_the_svg_is_the_rules_own(ident: str, lang: str) -> None:
    """The picture states each check's bound exactly as the rule does: no character of a
    label may be lost between the rule and the pixels (as "/" and "2×" once were)."""
    from selection_rules.diagram.draw import _check_lines, _step_id

    diagram = build(load_procedure(ident, Library()))
    svg, warning = render(to_dot(diagram, lang), "svg")  # type: ignore[arg-type]
    assert warning is None, warning
    drawn = _svg_node_texts(svg)
    checked = 0
    for step in diagram.steps:
        node = drawn[_step_id(step.event)]
        for rule, text, kind in _check_lines(diagram, step, lang):  # type: ignore[arg-type]
            expected = "".join(f"{rule}{text}".split())
            assert expected in node, (step.event, rule, text, node)
            checked += kind == "check"
    assert checked > 0


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab 2×/%≥=:（）,，。票职位数 \t"))
                    | st.characters(), max_size=80),
       width=st.integers(min_value=1, max_value=60))
def test_wrapping_a_label_loses_no_character(text: str, width: int) -> None:
    from selection_rules.diagram.draw import _wrap

    lines = _wrap(text, width)
    assert "".join("".join(lines).split()) == "".join(text.split())


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB/RGBA PNG (no Pillow needed)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows


@needs_dot
def test_png_renders_and_is_not_blank() -> None:
    proc = load_procedure("pengshan-five-votes", Library())
    png, warning = render(to_dot(build(proc), "zh"), "png", dpi=40)  # small: decoded in Python
    assert warning is None
    width, height, rows = _png_pixels(png)
    assert width > 100 and height > 400
    # Sample the grey level on a grid: a drawing has a white page and dark ink.
    levels = [sum(row[x:x + 3]) // 3 for row in rows[::3] for x in range(0, len(row) - 3, 12)]
    mean = sum(levels) / len(levels)
    variance = sum((v - mean) ** 2 for v in levels) / len(levels)
    dark = sum(v < 100 for v in levels) / len(levels)
    assert variance > 200 and 0.001 < dark < 0.5, (variance, dark)


@needs_dot
def test_cli_writes_svg_and_png(tmp_path: Path) -> None:
    out = tmp_path / "d.png"
    result = runner.invoke(app, ["diagram", "pengshan-five-votes", "-f", "png", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    result = runner.invoke(app, ["diagram", "--case", str(PENGSHAN / "ps7-below-80.yaml"),
                                 "-f", "svg", "--lang", "en"])
    assert result.exit_code == 0 and "<svg" in result.output and "Inspected" in result.output


def test_missing_dot_is_a_clear_bilingual_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "dot"
                        else real(name, *a, **k))
    result = runner.invoke(app, ["diagram", "pengshan-five-votes", "-f", "svg"])
    assert result.exit_code == 2
    assert "找不到 Graphviz 的 dot 命令" in result.output
    result = runner.invoke(app, ["diagram", "pengshan-five-votes", "-f", "png", "--lang", "en"])
    assert result.exit_code == 2 and "Graphviz's `dot` command was not found" in result.output


def test_cli_text_formats_and_bad_input() -> None:
    result = runner.invoke(app, ["diagram", "pengshan-five-votes"])
    assert result.exit_code == 0 and result.output.startswith("---\ntitle: 彭山县")
    assert result.output == (GOLDEN / "pengshan-five-votes.mmd").read_text(encoding="utf-8")
    result = runner.invoke(app, ["diagram", "pengshan-five-votes", "-f", "dot"])
    assert result.exit_code == 0 and result.output.startswith('digraph "pengshan-five-votes"')
    result = runner.invoke(app, ["diagram", "no-such-procedure"])
    assert result.exit_code == 2 and "no-such-procedure" in result.output
    result = runner.invoke(app, ["diagram", "zigong-open-selection",
                                 "--case", str(PENGSHAN / "clean.yaml")])
    assert result.exit_code == 2 and "pengshan-five-votes" in result.output


@pytest.mark.parametrize("ident", PROCEDURES)
def test_a_bound_the_diagram_cannot_know_keeps_its_words_not_its_unit(ident: str) -> None:
    """A bound that is a figure of a case (ZG-2's quota) has no number in a procedure's
    diagram: its `bound_text` gives the words that name it, never a unit standing alone
    ("分配名额 人") or a dangling "of"."""
    diagram = build(load_procedure(ident, Library()))
    for line in to_mermaid(diagram, "zh").split("<br/>"):
        assert not re.search(r"[≤≥=<>]\s*\S*[^\d\s]\s+(?:人|种|年|次|个|名)(?:$|[（(\]])",
                             line), line
    for line in to_mermaid(diagram, "en").split("<br/>"):
        assert not re.search(r"\b(?:of|the)\s*(?:$|\(|\]|<)", line), line
