"""Procedure diagrams: Mermaid and Graphviz DOT text, SVG and PNG through Graphviz `dot`.

Both texts are written here rather than by transitions' diagram extension: a step's
checks with their bounds and rule IDs must be on the diagram, and transitions' engines
can put only a trigger name on an edge. Each step is therefore a node of its own, between
the stage it leaves and the stage it reaches. Output depends only on the procedure (and
the case, for an overlay): stages in the Machine's reading order, steps in file order.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Iterable

from selection_rules.diagram.check_lines import CheckLine
from selection_rules.diagram.model import Diagram, StageNode, StepNode, legend
from selection_rules.errors import InputError
from selection_rules.i18n import Lang, Text

FONT = "Noto Sans CJK SC"

# One palette for both outputs.
COLOURS = {
    "stage": ("#e8f0fe", "#3b6bc4"),
    "terminal": ("#d7e6fd", "#1f4e9c"),
    "step": ("#fffdf5", "#9a8a5a"),
    "reached": ("#dff3e4", "#2e7d32"),
    "taken": ("#f1f8f2", "#2e7d32"),
    "violated": ("#fde7e7", "#c62828"),
    "missing": ("#ffffff", "#c62828"),
    "unreached": ("#f4f4f4", "#9e9e9e"),
}


def _stage_id(stage: str) -> str:
    return "s_" + re.sub(r"\W", "_", stage)


def _step_id(event: str) -> str:
    return "e_" + re.sub(r"\W", "_", event)


def _check_lines(d: Diagram, step: StepNode, lang: Lang) -> list[tuple[str, str, str]]:
    """(rule id, text, is a rule-set header) lines for a step: the procedure's own checks,
    then each composed rule set's under one header naming it and the tags it attaches by."""
    out: list[tuple[str, str, str]] = []
    titles = dict(d.rule_sets)
    groups: dict[str | None, list[CheckLine]] = {}
    for c in step.checks:
        groups.setdefault(c.rule_set, []).append(c)
    for rule_set, checks in groups.items():
        if rule_set is not None:
            via = list(dict.fromkeys(t for c in checks for t in c.via))
            # The short name of the set: its title up to the colon ("全国基线").
            title = re.split(r"[:：]", titles.get(rule_set, Text(rule_set, rule_set)).get(lang))[0]
            tags = ("、" if lang == "zh" else ", ").join(via)
            if lang == "zh":
                where = f"（{rule_set}，标签 {tags}）" if via else f"（{rule_set}）"
                out.append(("", f"＋ {title}{where}", "header"))
            else:
                where = f" ({rule_set}, tags {tags})" if via else f" ({rule_set})"
                out.append(("", f"+ {title}{where}", "header"))
        for c in checks:
            since = ""
            if c.since:
                since = f"（{c.since} 起）" if lang == "zh" else f" (from {c.since})"
            out.append((c.rule_id, c.text.get(lang) + since, "check"))
    by_step: dict[Text, list[str]] = {}
    for rule_id, at in step.used_later:
        by_step.setdefault(at, []).append(rule_id)
    for at, rule_ids in by_step.items():
        listed = ("、" if lang == "zh" else ", ").join(rule_ids)
        out.append((listed, (f"在「{at.zh}」核对本步记录" if lang == "zh"
                             else f"check this record at '{at.en}'"), "later"))
    return out


def _marks(step: StepNode, lang: Lang) -> str:
    """How often a step happens: optional, or repeatable (e.g. one round per district)."""
    marks = []
    if step.optional:
        marks.append("可选" if lang == "zh" else "optional")
    if step.repeatable:
        marks.append("↻ 可重复" if lang == "zh" else "↻ may repeat")
    if not marks:
        return ""
    return f"（{'，'.join(marks)}）" if lang == "zh" else f" ({', '.join(marks)})"


def _inbound(step: StepNode) -> tuple[str, ...]:
    """Stages drawn leading into a step. A step that may repeat from the stage it leads to
    (a loop) is drawn from its other stages only: the loop is said by its ↻ mark, which
    reads better than an edge back up the page."""
    others = tuple(s for s in step.sources if s != step.dest)
    return others or step.sources


def _step_classes(d: Diagram, step: StepNode) -> list[str]:
    o = d.overlay
    if o is None:
        return ["step"]
    if step.event in o.violations:
        return ["violated"]
    if step.event in o.missing:
        return ["missing"]
    if step.event in o.taken:
        return ["taken"]
    return ["step"]


def _stage_class(d: Diagram, stage: StageNode) -> str:
    o = d.overlay
    if o is None:
        return "terminal" if stage.initial or stage.final else "stage"
    return o.status(stage.id)


def _violation_note(d: Diagram, step: StepNode, lang: Lang) -> str | None:
    o = d.overlay
    if o is None:
        return None
    found = o.violations.get(step.event)
    if found:
        listed = ", ".join(f"{rule}×{n}" if n > 1 else rule for rule, n in sorted(found.items()))
        return ("✗ 违规：" if lang == "zh" else "✗ violations: ") + listed
    if step.event in o.missing:
        return "✗ 缺少此步骤" if lang == "zh" else "✗ step missing"
    if step.event in o.taken:
        return "✓ 已进行，无违规" if lang == "zh" else "✓ taken, no violation"
    return None


def _summary(d: Diagram, lang: Lang) -> str | None:
    o = d.overlay
    if o is None:
        return None
    extra = ""
    if o.elsewhere:
        listed = ", ".join(sorted(o.elsewhere))
        extra = f"；全案：{listed}" if lang == "zh" else f"; whole case: {listed}"
    if lang == "zh":
        return f"案卷 {o.case_id}：违规 {o.total} 条{extra}"
    return f"case {o.case_id}: {o.total} violation(s){extra}"


# ---------------------------------------------------------------------------- Mermaid


def _mm(text: str) -> str:
    """Text for a quoted Mermaid label: entity codes for what Mermaid or HTML would read."""
    out = text.replace("&", "#amp;").replace('"', "#quot;")
    return out.replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(d: Diagram, lang: Lang) -> str:
    lines = ["---", f"title: {_mm(d.title.get(lang))}", "---", "flowchart TD"]
    for name, (fill, stroke) in COLOURS.items():
        extra = ",stroke-dasharray: 5 3" if name in ("missing", "unreached") else ""
        width = "3px" if name in ("violated", "reached", "taken", "terminal") else "1px"
        lines.append(f"  classDef {name} fill:{fill},stroke:{stroke},stroke-width:{width}"
                     f",color:#111{extra}")
    summary = _summary(d, lang)
    if summary is not None:
        lines.append(f'  case_note[/"{_mm(summary)}"/]')
    for stage in d.stages:
        label = _mm(stage.label.get(lang))
        shape = f'(["{label}"])' if stage.initial or stage.final else f'("{label}")'
        lines.append(f"  {_stage_id(stage.id)}{shape}:::{_stage_class(d, stage)}")
    for step in d.steps:
        parts = [f"<b>{_mm(step.label.get(lang) + _marks(step, lang))}</b>",
                 f"<i>{_mm(step.event)}</i>"]
        for rule, text, kind in _check_lines(d, step, lang):
            parts.append(f"<i>{_mm(text)}</i>" if kind == "header" else
                         f"<i>{rule} {_mm(text)}</i>" if kind == "later" else f"{rule} {_mm(text)}")
        note = _violation_note(d, step, lang)
        if note is not None:
            parts.append(f"<b>{_mm(note)}</b>")
        classes = _step_classes(d, step)[0]
        lines.append(f'  {_step_id(step.event)}["{"<br/>".join(parts)}"]:::{classes}')
    path_links: list[int] = []
    link = 0
    o = d.overlay
    for step in d.steps:
        taken = o is not None and step.event in o.taken
        for source in _inbound(step):
            lines.append(f"  {_stage_id(source)} --- {_step_id(step.event)}")
            if taken and o is not None and source in o.reached:
                path_links.append(link)
            link += 1
        lines.append(f"  {_step_id(step.event)} --> {_stage_id(step.dest)}")
        if taken and o is not None and step.dest in o.reached:
            path_links.append(link)
        link += 1
    if path_links:
        lines.append(f"  linkStyle {','.join(map(str, path_links))} "
                     f"stroke:{COLOURS['reached'][1]},stroke-width:3px")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- DOT


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _h(text: str) -> str:
    return html.escape(text, quote=False)


def _width(ch: str) -> int:
    return 2 if ord(ch) > 0x2E80 else 1


# A run of narrow characters up to and with its trailing spaces, up to a wide character or
# to the end; or one wide character. Every character falls in a token: a label that lost
# one (the "/" of 推荐票/有效票, the "2×" of 2×职位数) would state a wrong bound.
_TOKENS = re.compile(r"[\x00-\u2e7f]+?(?:\s+|$|(?=[^\x00-\u2e7f]))|[^\x00-\u2e7f]")


def _wrap(text: str, width: int) -> list[str]:
    """Break a long line for a node label: between words, or anywhere in Chinese text."""
    out: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        size = sum(map(_width, line))
        closing = token[:1] in ")）]】、，。；：,;:"  # never start a line with these
        if line and not closing and size + sum(map(_width, token.rstrip())) > width:
            out.append(line.rstrip())
            line = "  "
        line += token
    out.append(line.rstrip())
    return [part for part in out if part.strip()] or [""]


def to_dot(d: Diagram, lang: Lang) -> str:
    out = [f"digraph {_q(d.id)} {{"]
    title = _h(d.title.get(lang))
    summary = _summary(d, lang)
    sub = f'<br/><font point-size="12">{_h(summary)}</font>' if summary else ""
    out.append(f'  graph [fontname={_q(FONT)}, label=<<b>{title}</b>{sub}>, labelloc=t, '
               f"fontsize=18, rankdir=TB, nodesep=0.35, ranksep=0.25, pad=0.3];")
    out.append(f"  node [fontname={_q(FONT)}, fontsize=11, margin=\"0.12,0.06\"];")
    out.append(f"  edge [fontname={_q(FONT)}, color=\"#666666\", arrowsize=0.7];")
    for stage in d.stages:
        cls = _stage_class(d, stage)
        fill, stroke = COLOURS[cls]
        style = "rounded,filled" + (",dashed" if cls == "unreached" else "")
        width = 2.5 if cls in ("reached", "terminal") else 1.2
        label = f"<b>{_h(stage.label.get(lang))}</b>"
        if cls == "unreached":
            label += '<br/><font point-size="9">' + ("（未到达）" if lang == "zh"
                                                      else "(never reached)") + "</font>"
        shape = "box"
        out.append(f"  {_stage_id(stage.id)} [shape={shape}, style={_q(style)}, "
                   f"fillcolor={_q(fill)}, color={_q(stroke)}, penwidth={width}, "
                   f"fontsize=13, label=<{label}>];")
    for step in d.steps:
        cls = _step_classes(d, step)[0]
        fill, stroke = COLOURS[cls]
        rows = [f'<tr><td align="left"><b>{_h(step.label.get(lang) + _marks(step, lang))}'
                "</b></td></tr>",
                f'<tr><td align="left"><font point-size="9" color="#666666">{_h(step.event)}'
                "</font></td></tr>"]
        for rule, text, kind in _check_lines(d, step, lang):
            if kind == "later":
                rows.append(f'<tr><td align="left"><font color="#777777" point-size="10">'
                            f"<i>{_h(rule)} {_h(text)}</i></font></td></tr>")
                continue
            if kind == "header":
                rows.append(f'<tr><td align="left"><font color="#555555" point-size="10">'
                            f"<i>{_h(text)}</i></font></td></tr>")
                continue
            wrapped = _wrap(text, 50)
            first = f'<font color="#1f4e9c"><b>{_h(rule)}</b></font> {_h(wrapped[0])}'
            rows.append(f'<tr><td align="left">{first}</td></tr>')
            rows.extend(f'<tr><td align="left">{_h(rest)}</td></tr>' for rest in wrapped[1:])
        note = _violation_note(d, step, lang)
        if note is not None:
            colour = "#c62828" if note.startswith("✗") else "#2e7d32"
            rows.append(f'<tr><td align="left"><font color="{colour}"><b>{_h(note)}</b>'
                        "</font></td></tr>")
        table = ('<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
                 + "".join(rows) + "</table>")
        style = "filled" + (",dashed" if cls == "missing" or step.optional else "")
        width = 2.5 if cls in ("violated", "missing", "taken") else 1
        out.append(f"  {_step_id(step.event)} [shape=box, style={_q(style)}, "
                   f"fillcolor={_q(fill)}, color={_q(stroke)}, penwidth={width}, "
                   f"label=<{table}>];")
    o = d.overlay
    for step in d.steps:
        taken = o is not None and step.event in o.taken
        for source in _inbound(step):
            on_path = taken and o is not None and source in o.reached
            out.append(f"  {_stage_id(source)} -> {_step_id(step.event)} "
                       f"[arrowhead=none{_path_style(on_path)}];")
        on_path = taken and o is not None and step.dest in o.reached
        out.append(f"  {_step_id(step.event)} -> {_stage_id(step.dest)}"
                   f"{' [' + _path_style(on_path)[2:] + ']' if on_path else ''};")
    if o is not None:
        out.extend(_dot_legend(lang))
    out.append("}")
    return "\n".join(out) + "\n"


def _path_style(on_path: bool) -> str:
    return f', color="{COLOURS["reached"][1]}", penwidth=2.5' if on_path else ""


def _dot_legend(lang: Lang) -> Iterable[str]:
    rows = []
    for name, text in legend(lang):
        fill, stroke = COLOURS[name]
        rows.append(f'<tr><td bgcolor="{fill}" border="1" color="{stroke}" width="18">'
                    f'</td><td align="left">{_h(text.get(lang))}</td></tr>')
    table = ('<table border="0" cellspacing="3" cellpadding="2">' + "".join(rows) + "</table>")
    yield f"  legend [shape=plaintext, fontsize=10, label=<{table}>];"


# ---------------------------------------------------------------------------- rendering


def cjk_font() -> str | None:
    """A font family with Chinese glyphs that fontconfig knows (Noto Sans CJK SC first)."""
    fc = shutil.which("fc-list")
    if fc is None:
        return None
    try:
        listing = subprocess.run([fc, ":lang=zh", "family"], capture_output=True, text=True,
                                 timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    families = sorted({name.strip() for line in listing.splitlines()
                       for name in line.split(",") if name.strip()})
    for preferred in (FONT, "Noto Sans CJK", "Source Han Sans", "WenQuanYi", "Sans"):
        for fam in families:
            if fam.startswith(preferred) or preferred in fam:
                return fam
    return families[0] if families else None


DOT_MISSING = Text(
    "找不到 Graphviz 的 dot 命令，无法生成 SVG/PNG。请安装 Graphviz（如 apt-get install graphviz "
    "fonts-noto-cjk），或改用 --format mermaid / dot",
    "Graphviz's `dot` command was not found, so SVG/PNG cannot be made. Install Graphviz "
    "(e.g. apt-get install graphviz fonts-noto-cjk), or use --format mermaid / dot",
)


def render(dot_text: str, fmt: str, dpi: int = 110) -> tuple[bytes, Text | None]:
    """SVG or PNG bytes from DOT text via `dot`, and a warning if no CJK font was found."""
    exe = shutil.which("dot")
    if exe is None:
        raise InputError.at("dot", DOT_MISSING)
    font = cjk_font()
    warning = None
    if font is None:
        warning = Text("未找到中文字体（fc-list :lang=zh 为空），图中中文可能无法显示；"
                       "请安装 fonts-noto-cjk",
                       "no Chinese font found (fc-list :lang=zh is empty): Chinese labels may "
                       "not render; install fonts-noto-cjk")
    elif font != FONT:
        dot_text = dot_text.replace(_q(FONT), _q(font))
    args = [exe, f"-T{fmt}"] + ([f"-Gdpi={dpi}"] if fmt == "png" else [])
    proc = subprocess.run(args, input=dot_text.encode("utf-8"), capture_output=True,
                          timeout=120, check=False)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise InputError.at("dot", Text(f"Graphviz 出错：{detail}", f"Graphviz failed: {detail}"))
    return proc.stdout, warning
