"""Imported candidates as YAML: a case fragment, or a copy of a case with them put in.

The text is composed here rather than dumped whole, so that a copy of a case keeps its
comments and layout everywhere but the candidates it replaces or adds, and the fragment
can say in comments where each candidate came from. Every scalar is quoted by PyYAML's
own emitter, so whatever a form holds reads back as the same text.
"""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction
from typing import Any

from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text
from selection_rules.model.values import decimal_text
from selection_rules.source.document import Document
from selection_rules.source.lrmx import Imported, Person


def merged(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """A base candidate updated by an import: what the form says replaces what the case
    said; what the form does not say (approvals, training, a rank or probation a clerk
    added to a post of the résumé) is kept. A résumé entry is the same post when it
    starts the same day."""
    out: dict[str, Any] = {}
    for key, value in new.items():
        if key == "career" and isinstance(old.get(key), list) and isinstance(value, list):
            before = {e.get("from"): e for e in old[key] if isinstance(e, dict)}
            out[key] = [merged(before.get(e["from"], {}), e) for e in value]
        elif isinstance(value, dict) and isinstance(old.get(key), dict) and key == "facts":
            out[key] = merged(old[key], value)
        else:
            out[key] = value
    out.update((k, v) for k, v in old.items() if k not in out)  # the form's order first
    return out


# Text that PyYAML writes plain and reads back as the same text, without asking it (its
# emitter costs about half a millisecond a value: most of an import of a thousand forms):
# a word of letters, digits and `_` that no YAML 1.1 type claims, or text holding a
# Chinese character (no implicit type matches any) made only of Chinese characters and
# punctuation, letters, digits, `_`, `.` and an inner `-`.
_PLAIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOT_TEXT = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})
_PLAIN_CHINESE = re.compile(
    r"(?=.*[\u3400-\u9fff])[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9_.（）《》〈〉【】「」、，。：；"
    r"“”‘’·…—][\u3400-\u9fff\uf900-\ufaffA-Za-z0-9_.\-（）《》〈〉【】「」、，。：；“”‘’·…—]*")


def scalar(value: object) -> str:
    """`value` as a YAML scalar that reads back as the same value, in block or flow."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) or value is None:
        return "null" if value is None else str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and (
            (_PLAIN_WORD.fullmatch(value) and value.lower() not in _NOT_TEXT)
            or _PLAIN_CHINESE.fullmatch(value)):
        return value
    import yaml

    if isinstance(value, Fraction):
        if value.denominator == 1:
            value = value.numerator
        else:
            exact = decimal_text(value)  # 85.5 reads back exact; 1/3 is quoted text
            return scalar(exact) if "/" in exact else exact
    text: str = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True,
                               width=2**30)
    return text.strip()[1:-1]


def _is_flat(value: object) -> bool:
    """A mapping written on one line: a career entry, appraisals by year."""
    return isinstance(value, dict) and bool(value) and not any(
        isinstance(v, dict | list) for v in value.values())


def _flow(mapping: dict[Any, Any]) -> str:
    return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in mapping.items()) + "}"


def block(value: object, indent: int) -> list[str]:
    """The lines of a mapping or list in block style, `indent` spaces in."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{pad}{scalar(key)}:"
            if isinstance(item, dict) and item and (_is_flat(item) and all(
                    isinstance(k, int) for k in item)):
                lines.append(f"{head} {_flow(item)}")
            elif isinstance(item, dict | list) and item:
                lines.append(head)
                lines.extend(block(item, indent + 2))
            else:
                lines.append(f"{head} {_empty_or_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if _is_flat(item):
                lines.append(f"{pad}- {_flow(item)}")
            elif isinstance(item, dict | list) and item:
                inner = block(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {_empty_or_scalar(item)}")
    return lines


def _empty_or_scalar(value: object) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def _person_lines(person: Person, data: dict[str, object], indent: int) -> list[str]:
    pad = " " * indent
    body = block([data], indent)
    for key, comment in person.comments.items():
        # `id` opens the item, so every other key is on a line of its own, two further in.
        head = f"{pad}  {scalar(key)}:"
        body = [f"{line}  # {comment.zh} / {comment.en}" if line.startswith(head) else line
                for line in body]
    return [f"{pad}# 来源 source: {person.source}", *body]


def header(imported: Imported) -> list[str]:
    lines = ["# 由 selection-rules import 从干部任免审批表生成 / made by selection-rules "
             "import from LRMX forms:"]
    lines.extend(f"#   {source}" for source in imported.sources)
    return lines


def fragment(imported: Imported) -> str:
    """A case fragment: `unit:` (when the forms agree) and `candidates:`."""
    lines = header(imported)
    if "unit" in imported.case:
        lines.append(f"unit: {scalar(imported.case['unit'])}")
    lines.append("candidates:")
    for person in imported.people:
        lines.extend(_person_lines(person, person.data, 2))
    return "\n".join(lines) + "\n"


def into_case(base: Document, text: str, imported: Imported) -> tuple[str, list[Text]]:
    """`text` (the base case, read as `base`) with the imported candidates in it: one of
    the same name is replaced (keeping its id and the fields an import does not write),
    others are added with the next free ids. Returns the text and what was done."""
    data = base.data
    if not isinstance(data, dict):
        raise InputError.at(base.path, Text("案卷应是一个映射（键: 值）", "the case should be a "
                                            "mapping (key: value)"), line=1)
    existing = data.get("candidates") or []
    if not isinstance(existing, list) or not all(isinstance(c, dict) for c in existing):
        raise InputError.at(base.path, Text("candidates 应是候选人的列表", "candidates should "
                                            "be a list of candidates"),
                            line=base.line_of(("candidates",)), field="candidates")
    by_name: dict[str, list[int]] = {}
    for index, cand in enumerate(existing):
        by_name.setdefault(str(cand.get("name")), []).append(index)
    used = {str(c.get("id")) for c in existing}
    replaced: dict[int, tuple[Person, dict[str, object]]] = {}
    added: list[tuple[Person, dict[str, object]]] = []
    done: list[Text] = []
    problems: list[Problem] = []
    for person in imported.people:
        name = str(person.data["name"])
        places = by_name.get(name, [])
        if len(places) > 1 or any(p in replaced for p in places):
            problems.append(Problem(base.path, Text(
                f"案卷中有不止一名叫 {name} 的候选人，或导入了两份 {name} 的任免表，无法确定替换谁",
                f"the case has more than one candidate named {name}, or two forms of "
                f"{name} were imported: which to replace is unclear"),
                base.line_of(("candidates", places[-1])) if places else None,
                field=f"candidates[{places[-1]}].name" if places else None))
            continue
        fresh = {k: v for k, v in person.data.items() if k != "id"}
        if places:
            old = existing[places[0]]
            data = {"id": old.get("id"), **merged(old, fresh)}
            if "facts" in data:  # last, as an import writes it
                data["facts"] = data.pop("facts")
            replaced[places[0]] = (person, data)
            done.append(Text(f"替换了候选人 {old.get('id')} {name}",
                             f"replaced candidate {old.get('id')} {name}"))
        else:
            # After the highest Cnn: a gap may be an id the events still name.
            number = 1 + max((int(u[1:]) for u in used if re.fullmatch(r"C\d+", u)),
                             default=0)
            while f"C{number:02d}" in used:
                number += 1
            used.add(f"C{number:02d}")
            added.append((person, {"id": f"C{number:02d}", **fresh}))
            done.append(Text(f"新增了候选人 C{number:02d} {name}",
                             f"added candidate C{number:02d} {name}"))
    if problems:
        raise InputError(problems)
    unit = imported.case.get("unit")
    if unit and "unit" not in data:
        done.append(Text(f"案卷的单位取自呈报单位：{unit}", f"the case's unit is the reporting "
                         f"unit: {unit}"))
    elif unit and not data.get("unit"):
        done.append(Text(f"案卷的单位空着，呈报单位是 {unit}，未填入", f"the case's unit is "
                         f"blank; the reporting unit is {unit} (not filled in)"))
        unit = None
    else:
        unit = None
    lines = text.split("\n")
    region = _candidates_region(base, lines, len(existing))
    if region is None:  # not a block list to edit in place: the whole case is written anew
        done.append(Text("案卷原有的注释和排版未保留（候选人名单不是按块写的）",
                         "the case's comments and layout are not kept (its candidates are not "
                         "written as a block list)"))
        whole = {k: v for k, v in data.items() if k != "candidates"}
        if unit:
            whole["unit"] = unit
        people = [_entry(i, replaced, existing) for i in range(len(existing))]
        whole["candidates"] = [*people, *(fresh for _, fresh in added)]
        return "\n".join([*header(imported), *block(whole, 0)]) + "\n", done
    start, end, indent, items = region
    body = lines[start:items[0][0]] if items else [lines[start]]  # comments above the list
    for index, (a, b) in enumerate(items):
        if index in replaced:
            person, data = replaced[index]
            body.extend(_person_lines(person, data, indent))
        else:
            body.extend(lines[a:b])
    for person, fresh in added:
        body.extend(_person_lines(person, fresh, indent))
    if unit:
        body.append(f"unit: {scalar(unit)}")
    new = "\n".join([*header(imported), *lines[:start], *body, *lines[end:]])
    return new if new.endswith("\n") else new + "\n", done


def _entry(index: int, replaced: dict[int, tuple[Person, dict[str, object]]],
           existing: list[dict[str, object]]) -> dict[str, object]:
    return replaced[index][1] if index in replaced else existing[index]


def _candidates_region(base: Document, lines: list[str], count: int,
                       ) -> tuple[int, int, int, list[tuple[int, int]]] | None:
    """Where the `candidates:` list is written, if it can be edited in place: (its key's
    line, the line after the list, the items' indent, each item's lines), 0-based. A
    case without the key gets it at the end; `candidates: []` is replaced whole."""
    if "candidates" not in base.data:
        end = len(lines)
        while end and not lines[end - 1].strip():
            end -= 1
        lines[end:] = ["candidates:", ""]
        return end, end + 1, 2, []
    key_line = base.line_of(("candidates",))
    if key_line is None or not lines[key_line - 1].startswith("candidates:"):
        return None
    keys = list(base.data)
    after = keys[keys.index("candidates") + 1:]
    end = (base.line_of((after[0],)) or len(lines) + 1) - 1 if after else len(lines)
    while end > key_line and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    if not count:
        if end != key_line:  # an empty list written over several lines
            return None
        lines[key_line - 1] = "candidates:"
        return key_line - 1, end, 2, []
    if lines[key_line - 1].split("#")[0].strip() != "candidates:":
        return None
    starts = [base.line_of(("candidates", i)) for i in range(count)]
    first = [s - 1 for s in starts if s is not None]
    if len(first) != count:
        return None
    dash = lines[first[0]]
    indent = len(dash) - len(dash.lstrip(" "))
    if any(not lines[s].startswith(" " * indent + "- ") for s in first):
        return None
    bounds = [*first[1:], end]
    return key_line - 1, end, indent, list(zip(first, bounds, strict=True))
