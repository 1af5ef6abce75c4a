"""pydantic's validation errors as located, bilingual problems in the user's words."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from selection_rules.errors import InputError, ItemError, Problem
from selection_rules.i18n import Text, join
from selection_rules.source.decoding import _CJK
from selection_rules.source.document import Document
from selection_rules.source.paths import Loc, format_loc

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError
    from pydantic_core import ErrorDetails

M = TypeVar("M", bound="BaseModel")


# --------------------------------------------------------------------------- validation

_MISSING = object()
# Parts pydantic inserts into `loc` that are not in the data: union members, validator
# functions and the like (`function-before[_exact(), fraction]`, `list[str]`, `int`).
_LABEL = (
    r"^(?:function-(?:before|after|wrap|plain)\[|constrained-|nullable\[|literal\[|list\[|"
    r"dict\[|set\[|frozenset\[|tuple\[|json-or-python\[|lax-or-strict\[|is-instance\[|"
    r"is-subclass\[|tagged-union\[|union\[|chain\[|definition-ref|default\[|model\[|"
    r"dataclass\[|typed-dict|generator\[|arguments\[)"
)
_TYPE_LABELS = frozenset({
    "int", "str", "float", "bool", "bytes", "date", "time", "datetime", "timedelta",
    "decimal", "fraction", "none", "any", "uuid", "url", "complex", "list", "dict", "set",
    "tuple", "frozenset", "callable", "json",
})


def _is_label(part: str, node: object) -> bool:
    if part in _TYPE_LABELS or re.match(_LABEL, part):
        return True
    if part[:1].isupper() and part.isidentifier():  # a model's class name
        return True
    # A discriminated union's tag is the discriminator's value in the data, e.g. the
    # `motion` of `type: motion` (which may also be a field name: resolved by scoring).
    return isinstance(node, dict) and any(v == part for v in node.values() if isinstance(v, str))


def _clean_loc(
    data: Any, loc: Sequence[str | int], kind: str, given: Any
) -> tuple[tuple[str | int, ...], bool]:
    """pydantic's `loc` as a path in the data, and whether it ended in a union member.

    The parts pydantic inserts cannot be told from field names by their text alone (a
    discriminator value `motion` next to a field `motion`), so every reading is tried
    against the data and the best kept: first one whose value *is* the error's input,
    then the fewest unexplained parts dropped, then the most parts found in the data.
    """
    best: tuple[tuple[int, int, int], tuple[str | int, ...], bool] | None = None
    last = len(loc) - 1
    budget = [2000]  # readings branch only on ambiguous parts; this bounds a pathological loc

    def finish(node: Any, path: tuple[str | int, ...], odd: int, found: int,
               trailing: bool, missing: Any, key: bool) -> None:
        nonlocal best
        if kind == "missing":
            match = missing is not _MISSING and missing is given
        elif key:
            match = bool(path) and path[-1] == given
        else:
            match = node is given or (type(node) is type(given) and _equal(node, given))
        score = (int(match), -odd, found)
        if best is None or score > best[0]:
            best = (score, path, trailing)

    def visit(node: Any, i: int, path: tuple[str | int, ...], odd: int, found: int,
              trailing: bool, missing: Any, key: bool) -> None:
        budget[0] -= 1
        if i > last or budget[0] < 0:
            finish(node, (*path, *loc[i:]), odd, found, trailing, missing, key)
            return
        part = loc[i]
        if part == "[key]":  # the error is about the key just named, not its value
            visit(node, i + 1, path, odd, found, False, missing, True)
            return
        if node is _MISSING:
            keep = isinstance(part, int) or not _is_label(part, node)
            visit(node, i + 1, (*path, part) if keep else path, odd, found, not keep, missing, key)
            return
        if isinstance(part, int):
            if isinstance(node, list) and 0 <= part < len(node):
                visit(node[part], i + 1, (*path, part), odd, found + 1, False, missing, key)
            elif isinstance(node, dict) and str(part) in node:
                visit(node[str(part)], i + 1, (*path, str(part)), odd, found + 1, False,
                      missing, key)
            else:
                visit(_MISSING, i + 1, (*path, part), odd, found, False, missing, key)
            return
        is_key = isinstance(node, dict) and part in node
        if is_key:
            visit(node[part], i + 1, (*path, part), odd, found + 1, False, missing, key)
        label = _is_label(part, node)
        if label or not is_key:
            visit(node, i + 1, path, odd + (0 if label else 1), found, True, missing, key)
        if not is_key:
            if i == last and kind == "missing" and isinstance(node, dict):
                visit(_MISSING, i + 1, (*path, part), odd, found, False, node, key)
            elif not label:
                visit(_MISSING, i + 1, (*path, part), odd, found, False, missing, key)

    visit(data, 0, (), 0, 0, False, _MISSING, False)
    assert best is not None
    return best[1], best[2]


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return False


def _value_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict) and str(part) in data:
            data = data[str(part)]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _MISSING
    return data


def _shown(doc: Document | None, loc: Loc, value: Any) -> str:
    """The offending value for a message: as the file wrote it where possible."""
    text = None if doc is None else doc.source_text(loc)
    if text is None:
        if isinstance(value, str):
            text = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool) or value is None:
            text = json.dumps(value)
        elif isinstance(value, dict):
            return "{…}"
        elif isinstance(value, list):
            return "[…]"
        else:
            text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _alternatives(expected: str) -> Text:
    """pydantic's `'a', 'b' or 'c'` in both languages."""
    return Text("以下之一：" + expected.replace(" or ", "、").replace(", ", "、"),
                "one of " + expected)


def _bilingual(message: str) -> Text:
    # The engine's own validators write "english; 中文" in one ValueError.
    parts = [p.strip() for p in message.split(";") if p.strip()]
    zh = [p for p in parts if re.search(_CJK, p)]
    en = [p for p in parts if not re.search(_CJK, p)]
    if zh and en:
        return Text("；".join(zh), "; ".join(en))
    return Text(message, message)


# Short names of what each member of a union accepts, to list them side by side.
_NOUNS: dict[str, Text] = {
    "string_type": Text("文本", "text"),
    "int_type": Text("整数", "a whole number"),
    "int_parsing": Text("整数", "a whole number"),
    "int_from_float": Text("整数", "a whole number"),
    "bool_type": Text("true/false", "true/false"),
    "bool_parsing": Text("true/false", "true/false"),
    "date_type": Text("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "date_parsing": Text("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": Text("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
    "list_type": Text("列表", "a list"),
    "dict_type": Text("映射", "a mapping"),
    "model_type": Text("映射", "a mapping"),
    "model_attributes_type": Text("映射", "a mapping"),
    "float_type": Text("数字", "a number"),
    "float_parsing": Text("数字", "a number"),
    "none_required": Text("null", "null"),
}


def _describe(
    doc: Document, loc: Loc, err: ErrorDetails, *, of_key: bool = False
) -> tuple[Text, Text | None]:
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    given = err.get("input")
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return Text(f"缺少必填字段 {name}", f"required field `{name}` is missing"), None
    if kind == "extra_forbidden":
        if given is None and (" " in name or re.search(_CJK, name)):
            # `{en: a, b}` is a flow mapping with a second key `b`: the comma split a text.
            return (Text(f"不认识的字段 {name}", f"unknown field `{name}`"),
                    Text("若这是上一个值的一部分，请给该值加引号：在 { } 中逗号会分隔条目",
                         "if this is the rest of the previous value, quote that value: inside "
                         "{ } a comma separates entries"))
        return (Text(f"不认识的字段 {name}", f"unknown field `{name}`"),
                Text("检查拼写和缩进：该字段可能写错或放错了位置",
                     "check spelling and indentation: the field may be misspelt or misplaced"))
    shown = _shown(None if of_key else doc, loc, given)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (Text(f"{shown} 不是整数", f"{shown} is not a whole number"),
                Text("整数", "a whole number"))
    if kind in ("string_type", "str_type"):
        return (Text(f"{shown} 不是文本", f"{shown} is not text"),
                Text('文本（看起来像数字或日期的文本请加引号，如 "007"）',
                     'text (quote text that looks like a number or a date, e.g. "007")'))
    if kind in ("bool_type", "bool_parsing"):
        return (Text(f"{shown} 不是是/否值", f"{shown} is not true or false"),
                Text("true 或 false", "true or false"))
    if kind.startswith("date"):
        return (Text(f"{shown} 不是有效的日期", f"{shown} is not a valid date"),
                Text("日期，格式为 YYYY-MM-DD，例如 2024-03-15",
                     "a date written YYYY-MM-DD, e.g. 2024-03-15"))
    if kind.startswith("datetime"):
        return (Text(f"{shown} 不是有效的日期时间", f"{shown} is not a valid date and time"),
                Text("日期时间，例如 2024-03-15 09:30:00",
                     "a date and time, e.g. 2024-03-15 09:30:00"))
    if kind in ("literal_error", "enum"):
        return (Text(f"{shown} 不是允许的值", f"{shown} is not one of the allowed values"),
                _alternatives(str(ctx.get("expected", ""))))
    if kind in ("list_type", "tuple_type", "set_type"):
        return (Text(f"{shown} 不是列表", f"{shown} is not a list"),
                Text("列表，如 [a, b]，或每行一个 `- a`",
                     "a list, e.g. [a, b] or one `- a` per line"))
    if kind in ("dict_type", "model_type", "model_attributes_type", "dataclass_type"):
        return (Text(f"{shown} 不是映射", f"{shown} is not a mapping"),
                Text("映射（键: 值）", "a mapping (key: value)"))
    bounds = {
        "greater_than_equal": ("ge", "不小于", "at least"),
        "greater_than": ("gt", "大于", "more than"),
        "less_than_equal": ("le", "不大于", "at most"),
        "less_than": ("lt", "小于", "less than"),
    }
    if kind in bounds:
        key, zh, en = bounds[kind]
        bound = ctx.get(key)
        return (Text(f"{shown} 超出允许范围", f"{shown} is out of range"),
                Text(f"{zh} {bound}", f"{en} {bound}"))
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        actual = ctx.get("actual_length")
        if kind == "too_short":
            return (Text(f"只有 {actual} 项", f"has only {actual} item(s)"),
                    Text(f"至少 {bound} 项", f"at least {bound} item(s)"))
        return (Text(f"有 {actual} 项，太多", f"has {actual} items, too many"),
                Text(f"至多 {bound} 项", f"at most {bound} item(s)"))
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        if error is not None and getattr(error, "args", None) and isinstance(error.args[0], Text):
            return error.args[0], None
        message = str(error) if error is not None else err["msg"]
        return _bilingual(message), None
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        disc = str(ctx.get("discriminator", "")).strip("'")
        return (Text(f"{disc} 的值 {tag!r} 不是可用的种类", f"{disc} {tag!r} is not a known kind"),
                _alternatives(str(ctx.get("expected_tags", ""))))
    if kind == "union_tag_not_found":
        disc = str(ctx.get("discriminator", "")).strip("'")
        return (Text(f"缺少字段 {disc}，无法判断这一项的种类",
                     f"missing field `{disc}`, which says what kind of entry this is"), None)
    msg = err["msg"]
    return Text(f"无效的值 {shown}（{msg}）", f"invalid value {shown}: {msg}"), None


def validation_problems(
    doc: Document, exc: ValidationError, *, prefix: Loc = ()
) -> list[Problem]:
    """Located, bilingual problems for a pydantic error on `doc.data` (or on the value
    at `prefix` in it)."""
    base = _value_at(doc.data, prefix)
    entries: list[tuple[tuple[str | int, ...], bool, ErrorDetails]] = []
    for err in exc.errors(include_url=False):
        raw = tuple(err["loc"])
        if base is _MISSING:
            loc = tuple(p for p in raw if isinstance(p, int) or not (
                p == "[key]" or re.match(_LABEL, p) or p in _TYPE_LABELS))
            member = False
        else:
            loc, member = _clean_loc(base, raw, err["type"], err.get("input"))
        entries.append(((*prefix, *loc), member, err))

    # A smart union reports one error per member at the same place; say it once.
    members: dict[tuple[str | int, ...], int] = {}
    for loc, member, _ in entries:
        if member:
            members[loc] = members.get(loc, 0) + 1
    problems: list[Problem] = []
    unions: dict[tuple[str | int, ...], tuple[Problem, list[Text]]] = {}
    for loc, member, err in entries:
        message, expected = _describe(doc, loc, err, of_key="[key]" in err["loc"])
        if member and members[loc] > 1:
            slot = unions.get(loc)
            if slot is None:
                shown = _shown(doc, loc, err.get("input"))
                problem = Problem(
                    doc.path,
                    Text(f"{shown} 不符合任何允许的形式",
                         f"{shown} matches none of the allowed forms"),
                    doc.line_of(loc), doc.column_of(loc), format_loc(loc) or None, None)
                problems.append(problem)
                slot = unions[loc] = (problem, [])
            alternative = _NOUNS.get(err["type"]) or expected or message
            if alternative not in slot[1]:
                slot[1].append(alternative)
            continue
        found = (err.get("ctx") or {}).get("error")
        if isinstance(found, ItemError):
            loc, message = _at_item(doc, loc, found)
            expected = found.expected or expected
        if err["type"] == "union_tag_invalid":
            # Point at the discriminator (`type: referendum`), not the whole entry.
            disc = str((err.get("ctx") or {}).get("discriminator", "")).strip("'")
            if disc.isidentifier():
                loc = (*loc, disc)
        problems.append(Problem(doc.path, message, doc.line_of(loc), doc.column_of(loc),
                                format_loc(loc) or None, expected))
    for problem, alternatives in unions.values():
        problem.expected = Text("以下任一种：", "any of: ") + join(alternatives)
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return problems


def _at_item(doc: Document, loc: Loc, found: ItemError
             ) -> tuple[tuple[str | int, ...], Text]:
    """The problem moved from the validated value to its item, naming the earlier one."""
    message = found.message
    if found.earlier is not None:
        earlier = (*loc, *found.earlier)
        where, line = format_loc(earlier), doc.line_of(earlier)
        message += (Text(f"（第一次出现在 {where}）", f" (first at {where})") if line is None
                    else Text(f"（第一次出现在 {where}，第 {line} 行）",
                              f" (first at {where}, line {line})"))
    return (*loc, *found.at), message


def validated(doc: Document, model: type[M],
              references: Callable[[M], list[tuple[tuple[str | int, ...], Text]]]) -> M:
    """`doc` as `model`, then its cross-references (ids used but not defined) checked:
    every problem of either kind located in the document, raised as one InputError."""
    from pydantic import ValidationError

    try:
        value = model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(validation_problems(doc, exc)) from None
    refs = references(value)
    if refs:
        raise InputError([
            Problem(doc.path, message, doc.line_of(loc), None, format_loc(loc))
            for loc, message in refs
        ])
    return value
