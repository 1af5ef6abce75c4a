"""The procedure diagrams of the HTML report: each case's path and violations drawn over
its procedure, as `diagram --case FILE --format svg` draws it.

Graphviz is started once for all the diagrams (several graphs in one input), and the same
drawing is laid out once: a diagram costs a few milliseconds, not a process. Only the
first `limit` cases with violations get one, so that a report on thousands of files
stays quick to write and to open; the others name the command that draws theirs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selection_rules.errors import InputError
from selection_rules.i18n import Lang, Text

if TYPE_CHECKING:
    from selection_rules.engine.pipeline import Pipeline

NO_GRAPHVIZ = Text(
    "本机未安装 Graphviz（dot 命令），报告中没有程序图；安装 graphviz 后重新生成报告即可附图",
    "Graphviz (the dot command) is not installed here, so the report has no procedure "
    "diagrams; install graphviz and write the report again to include them")


@dataclass
class Pictures:
    """SVG markup by case file, and why a case with violations may have none."""

    svg: dict[str, str] = field(default_factory=dict)
    note: Text | None = None  # for every case (Graphviz missing)
    limit: int = 0


def beyond_limit(limit: int, path: str) -> Text:
    cmd = f"selection-rules diagram --case {path} --format svg -o case.svg"
    return Text(f"报告只附前 {limit} 个有违规案卷的程序图；本案卷的程序图可用以下命令生成：{cmd}",
                f"The report draws the diagrams of the first {limit} cases with violations; "
                f"this case's diagram: {cmd}")


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def inline_svg(svg: str) -> str:
    """Graphviz's SVG document as an element of an HTML page: no XML prolog, doctype or
    comments, and no namespace URLs (the HTML parser knows <svg>), so the page names no
    address at all."""
    svg = _COMMENT.sub("", _PROLOG.sub("", svg, count=1))
    return _NAMESPACES.sub("", svg)


def case_diagrams(doc: dict[str, Any], pipeline: Pipeline, lang: Lang, limit: int) -> Pictures:
    pictures = Pictures(limit=limit)
    wanted = [f["file"] for f in doc["files"]
              if f.get("kind") == "selection" and f.get("status") == "violations"][:limit]
    if not wanted:
        return pictures
    exe = shutil.which("dot")
    if exe is None:
        pictures.note = NO_GRAPHVIZ
        return pictures
    dots = _dots(wanted, pipeline, lang)
    distinct = list(dict.fromkeys(dots.values()))
    svgs = _render_all(exe, distinct)
    if svgs is None:
        pictures.note = NO_GRAPHVIZ
        return pictures
    drawn = dict(zip(distinct, svgs, strict=True))
    pictures.svg = {path: drawn[dot] for path, dot in dots.items()}
    return pictures


def _dots(paths: list[str], pipeline: Pipeline, lang: Lang) -> dict[str, str]:
    """The DOT text of each case's diagram (cases that cannot be read again are left out:
    a file changed since it was checked)."""
    from dataclasses import replace

    from selection_rules.diagram.draw import to_dot
    from selection_rules.diagram.model import Diagram, build, overlay
    from selection_rules.engine.pipeline import read
    from selection_rules.model.case import Case

    out: dict[str, str] = {}
    # The procedure's own diagram is made once per procedure (the pipeline's cache gives
    # each case the same object); each case only adds its overlay, as `build` would.
    plain: dict[int, Diagram] = {}
    for path in paths:
        try:
            checked = pipeline.check(read(Path(path)))
        except InputError:
            continue
        if checked is None or not isinstance(checked.model, Case):
            continue
        proc = checked.proc
        if id(proc) not in plain:
            plain[id(proc)] = build(proc)
        drawn = replace(plain[id(proc)], overlay=overlay(proc, checked.model, checked.result))
        out[path] = to_dot(drawn, lang)
    return out


def _render_all(exe: str, dots: list[str]) -> list[str] | None:
    """One SVG per DOT text, from one run of `dot`; None if Graphviz fails."""
    from selection_rules.diagram.draw import FONT, _q, cjk_font

    if not dots:
        return []
    font = cjk_font()
    text = "\n".join(dots)
    if font is not None and font != FONT:
        text = text.replace(_q(FONT), _q(font))
    try:
        proc = subprocess.run([exe, "-Tsvg"], input=text.encode("utf-8"), capture_output=True,
                              timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    out = proc.stdout.decode("utf-8", "replace")
    parts = [p for p in re.split(r"(?=<\?xml )", out) if p.strip()]
    if len(parts) != len(dots):
        return None
    return [inline_svg(p) for p in parts]
