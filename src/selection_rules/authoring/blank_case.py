"""`new PROCEDURE`: a blank case file to fill in, written for the clerk who keeps it.

It names the procedure and holds one post, no candidate and no event, so `validate`
reads it and reports every required step as still to come (`incomplete`) rather than
refusing it. Below `events`, each step of the procedure is written out in order as a
commented block with every field the procedure's rules read for it (as `simulate` asks
them: simulate/fields.py), the allowed values of each enumerated field in Chinese and
English (authoring/allowed_values.py), and what each field means.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from selection_rules.authoring.allowed_values import Choices, allowed_values
from selection_rules.simulate.fields import Field, fields_for

if TYPE_CHECKING:
    from selection_rules.engine.compiled import Procedure

_ATTRIBUTE = re.compile(r"\.attributes\.([A-Za-z_][A-Za-z0-9_]*)")
_FACTS = re.compile(r"\.facts\b")
_NOTE_COLUMN = 34


def _line(text: str, note: str = "") -> str:
    if not note:
        return text
    return f"{text:<{_NOTE_COLUMN}} # {note}" if len(text) < _NOTE_COLUMN else f"{text}  # {note}"


def _choices(choices: Choices | None) -> str:
    if choices is None:
        return ""
    head = "可填 / one of: " if choices.closed else "常用 / usually: "
    return head + choices.listed()


def _texts(proc: Procedure) -> list[str]:
    """Every text of the procedure's and its rule sets' files, in order."""
    found: list[str] = []
    stack: list[object] = [doc.data for _, doc in proc.layers]
    while stack:
        value = stack.pop(0)
        if isinstance(value, dict):
            stack[:0] = list(value.values())
        elif isinstance(value, list):
            stack[:0] = value
        elif isinstance(value, str):
            found.append(value)
    return found


def candidate_attributes(proc: Procedure) -> list[str]:
    """The candidate attributes (`candidate(item).attributes.district`) that the
    expressions of the procedure and its rule sets name."""
    found: list[str] = []
    for text in _texts(proc):
        found += [n for n in _ATTRIBUTE.findall(text) if n not in found]
    return found


def reads_facts(proc: Procedure) -> bool:
    """Whether a rule of the procedure or its rule sets reads the candidates' facts (the
    eligibility rules EL-1 … EL-6 do: `candidates[{candidate}].facts.work_start`)."""
    return any(_FACTS.search(text) for text in _texts(proc))


def _facts_block(allowed: dict[str, Choices]) -> list[str]:
    """The candidate's facts, commented, below the example candidate."""
    return [
        _line("#     facts:", "干部任免审批表的情况，资格条件（EL-1…EL-6）读取；未知的删去 / "
              "facts from the appointment form, read by the eligibility rules; delete what "
              "is not known"),
        _line("#       work_start:", "参加工作时间 / started work, YYYY-MM-DD"),
        _line("#       party_join:", "入党时间 / joined the Party, YYYY-MM-DD"),
        _line("#       education:", "最高学历 / highest education; "
              + _choices(allowed.get("candidates.facts.education"))),
        _line("#       proposed_post:", "拟任职务 / post proposed"),
        _line("#       career:", "简历，每段任职一项 / posts held, one item each"),
        _line("#         - from:", "任职起始日期 / from, YYYY-MM-DD"),
        _line("#           to:", "任职截止日期；现任的删去 / to; delete it for the post held now"),
        _line("#           title:", "单位及职务 / unit and post"),
        _line("#           rank:", "职务层次 / rank; "
              + _choices(allowed.get("candidates.facts.career.rank"))),
        _line("#           grassroots:", "是否基层工作经历 / a grass-roots post: true or false"),
        _line("#           exceptional: false", "破格提拔任此职 / promoted to it exceptionally"),
        _line("#           probation_until:", "试用期截止日期 / end of its probation"),
        _line("#       training:", "培训，每个结业的培训班一项 / courses completed, one item each"),
        _line("#         - completed:", "结业日期 / completed, YYYY-MM-DD"),
        _line("#           title:", "培训班名称 / course"),
        _line("#       appraisals: {}", "年度考核，年度: 等次，如 2023: 称职 / annual appraisals, "
              "year: grade, e.g. 2023: 称职; "
              + _choices(allowed.get("candidates.facts.appraisals"))),
    ]


def blank_case(proc: Procedure) -> str:
    """The text of a blank case file for `proc` (YAML, every step commented out)."""
    allowed = allowed_values(proc)
    title = proc.title
    out = [
        f"# 空白案卷 · 程序 {proc.id}（{title.zh}）",
        f"# Blank case file · procedure {proc.id} ({title.en})",
        "#",
        "# 填写方法：每发生一个环节，删去 events 后的 []，并去掉该环节各行开头的 “# ”，填上日期和",
        "# 数字；用不到的字段可以删去。`selection-rules validate 本文件` 列出尚缺的环节和数字。",
        "# How to fill it in: as each step happens, delete the [] after events and remove the",
        "# \"# \" before each line of the step's block, then fill in its date and figures; delete",
        "# the fields you do not need. `selection-rules validate THIS-FILE` lists what is missing.",
        _line('case: ""', "案卷编号 / case id, e.g. 2024-001"),
        f"procedure: {proc.id}",
        *([f"rule_sets: [{', '.join(proc.rule_sets)}]"] if proc.rule_sets else []),
        _line('unit: ""', "选任单位（党委/党组）/ the unit that selects"),
        "posts:",
        _line("  - id: P1", "职位编号，各环节用它指称职位 / post id, as events name it"),
        _line('    title: ""', "职位名称 / post title"),
        "#   level:" + " " * (_NOTE_COLUMN - 11) + " # 职级/类别 / level; "
        + _choices(allowed.get("posts.level")),
        "#   reason:" + " " * (_NOTE_COLUMN - 12) + " # 职位空缺原因 / why the post is open; "
        + _choices(allowed.get("posts.reason")),
        "#   rank:" + " " * (_NOTE_COLUMN - 10) + " # 职务层次（资格条件读取）/ rank, as the "
        "eligibility rules read it; " + _choices(allowed.get("posts.rank")),
        _line("candidates: []", "人选：删去 [] 并按下例逐人填写 / candidates: delete [] and "
              "list them as below"),
    ]
    attributes = candidate_attributes(proc)
    out += [_line("#   - id: C01", "人选编号，各环节用它指称人选 / candidate id, as events "
                  "name it"),
            _line("#     name: 姓名", "姓名 / name"),
            _line("#     unit: 工作单位及职务", "工作单位及职务 / present unit and post")]
    if attributes:
        out.append("#     attributes: {" + ", ".join(f"{a}: " for a in attributes) + "}"
                   "  # 本程序的规则读取的人选情况 / facts about the candidate this "
                   "procedure's rules read")
    if reads_facts(proc):
        out += _facts_block(allowed)
    out.append(_line("events: []", "各环节，按发生先后 / the steps, in the order they happen"))
    for n, step in enumerate(proc.spec.steps, 1):
        text = step.label.text()
        out += ["#", f"# {n}. {text.zh} / {text.en}", f"#  - type: {step.event}",
                "#    date:" + " " * (_NOTE_COLUMN - 10) + " # 日期 / date, YYYY-MM-DD",
                "#    posts: [P1]" + " " * (_NOTE_COLUMN - 16)
                + " # 针对的职位；不针对具体职位的环节删去 / the posts it is for; delete if none"]
        out += _fields(fields_for(proc, step.event), allowed)
    return "\n".join(out) + "\n"


def field_label(f: Field) -> str:
    """A field as the blank case and the template name it: `公示范围 / audience`."""
    from selection_rules.simulate.fields import LABELS
    from selection_rules.workbook.layout import event_field_names

    known = LABELS.get(f.dotted)
    if known is not None:
        return f"{known.zh} / {known.en}"
    zh = event_field_names().get(f.dotted)
    english = re.sub(r"[\u3400-\u9fff（）()、，：:]+.*$", "", f.description).strip(" ,;")
    words = english or f.path[-1].replace("_", " ")
    if zh:
        return f"{zh} / {words}"
    return f"{f.description} / {words}" if f.description and f.description != words else words


def _fields(fields: list[Field], allowed: dict[str, Choices]) -> list[str]:
    lines: list[str] = []
    section: str | None = None
    for f in fields:
        name = f.path[-1]
        if len(f.path) > 1 and f.path[0] != section:
            section = f.path[0]
            lines.append(f"#    {section}:")
        elif len(f.path) == 1:
            section = None
        indent = "#    " + "  " * (len(f.path) - 1)
        note = field_label(f)
        choices = allowed.get("events." + f.dotted)
        if choices is not None:
            note += "; " + _choices(choices)
        value = {"ids": " []", "texts": " []", "tallies": " {}", "scores": " {}",
                 "per_candidate_texts": " {}"}.get(f.kind, "")
        example = {"tallies": "C01: {agree: 0, disagree: 0, abstain: 0}",
                   "scores": "C01: 85.5", "per_candidate_texts": "C01: [不足之处，如……]"}
        if f.kind in example:
            note += f"; 每个人选一项 / one entry per candidate, e.g. {example[f.kind]}"
        lines.append(_line(f"{indent}{name}:{value}", note))
    return lines
