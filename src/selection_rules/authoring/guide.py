"""The authoring guide (docs/authoring.md), written from the code so it cannot drift.

Everything it lists is read from where the engine defines it: the parameter kinds from
the `Parameter` model, the check operators from `Op` and their meanings from `OP_DOC`,
the expression operators from the compiler's tables and visitors, and the built-in
functions (with their arguments and descriptions) from the tables expressions are
compiled against. What the code does not say (a line on each kind of parameter and
expression operator) is kept here, keyed by the code's names: a kind or operator the
code gains without a line here stops the guide from being written, and the test that
holds docs/authoring.md equal to this output fails.

    python -m selection_rules.authoring.guide > docs/authoring.md
"""

from __future__ import annotations

import ast
import inspect
import typing

from selection_rules.i18n import Text

# One line on each parameter kind (model/procedure.py, Parameter.kind).
KIND_DOC: dict[str, Text] = {
    "number": Text("数（整数或精确小数），如 5、0.5", "a number (whole or an exact decimal), "
                   "e.g. 5, 0.5"),
    "ratio": Text("比例，写作百分数或分数，如 80%、2/3", "a share, written as a percentage or "
                  "a fraction, e.g. 80%, 2/3"),
    "range": Text("闭区间，如 5~7（含两端）", "a closed range, e.g. 5~7 (both ends included)"),
    "list": Text("值的列表，如 [县委书记, 县长]", "a list of values, e.g. [a, b]"),
    "text": Text("一段文字", "a text"),
}

# Expression operators by the compiler visitor that compiles them (lang/operators.py).
SYNTAX_DOC: dict[str, tuple[str, Text]] = {
    "visit_BoolOp": ("a and b, a or b", Text("并且、或者", "both, either")),
    "visit_UnaryOp": ("not a, -x", Text("否定（案卷未记录 a 时报缺少数据，不当作真）；负数",
                                        "negation (a value the case does not record is "
                                        "missing data, not true); minus")),
    "visit_BinOp": ("", Text("算术，见下表", "arithmetic, in the table below")),
    "visit_Compare": ("", Text("比较，见下表；可连写，如 1 <= x <= 3",
                               "comparisons, in the table below; they chain: 1 <= x <= 3")),
    "visit_IfExp": ("a if c else b", Text("条件取值", "a value chosen by a condition")),
}
BIN_DOC: dict[str, Text] = {
    "+": Text("加；也连接两段文字或两个列表", "add; also joins two texts or two lists"),
    "-": Text("减", "subtract"),
    "*": Text("乘（仅数）", "multiply (numbers only)"),
    "/": Text("精确除法（分数，不舍入）；除数为零时报缺少数据",
              "exact division (a fraction, never rounded); dividing by zero is missing data"),
}
CMP_DOC: dict[type[ast.cmpop], tuple[str, Text]] = {
    ast.Eq: ("==", Text("等于", "equal")),
    ast.NotEq: ("!=", Text("不等于", "not equal")),
    ast.Lt: ("<", Text("小于", "less than")),
    ast.LtE: ("<=", Text("小于或等于", "at most")),
    ast.Gt: (">", Text("大于", "greater than")),
    ast.GtE: (">=", Text("大于或等于", "at least")),
    ast.In: ("in", Text("在列表（或映射的键）中", "is an item of a list (or a key of a mapping)")),
    ast.NotIn: ("not in", Text("不在列表中", "is not an item of a list")),
    ast.Is: ("is None", Text("仅用于与 None 比较：未记录", "only with None: not recorded")),
    ast.IsNot: ("is not None", Text("仅用于与 None 比较：已记录", "only with None: recorded")),
}


class GuideDrift(RuntimeError):
    """The code has a kind or operator the guide has no line for."""


def _missing(what: str, names: typing.Iterable[str]) -> None:
    names = sorted(names)
    if names:
        raise GuideDrift(f"authoring guide: no line for {what} {', '.join(names)} "
                         "(add one in authoring/guide.py)")


def _row(*cells: str) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _kinds() -> list[str]:
    from selection_rules.model.procedure import Parameter

    kinds = typing.get_args(Parameter.model_fields["kind"].annotation)
    _missing("parameter kind", set(kinds) - set(KIND_DOC))
    default = Parameter.model_fields["kind"].default
    lines = ["## 参数类型 / Parameter kinds", "",
             f"`kind:` of a parameter (default `{default}`).", "",
             _row("kind", "中文", "English"), _row("---", "---", "---")]
    lines += [_row(f"`{k}`", KIND_DOC[k].zh, KIND_DOC[k].en) for k in kinds]
    return lines


def _check_ops() -> list[str]:
    from selection_rules.model.procedure import OP_DOC, Op

    ops = typing.get_args(Op)
    lines = ["## 检查的比较方式 / Check operators", "",
             "`op:` of a check: the name says what passes (`value` op `bound`).", "",
             _row("op", "中文", "English"), _row("---", "---", "---")]
    lines += [_row(f"`{op}`", OP_DOC[op].zh, OP_DOC[op].en) for op in ops]
    return lines


def _expression_ops() -> list[str]:
    from selection_rules.lang.operators import Operators
    from selection_rules.lang.runtime import _BIN_SYMBOL, _CMP

    visitors = [name for name in vars(Operators) if name.startswith("visit_")]
    _missing("expression visitor", set(visitors) - set(SYNTAX_DOC))
    _missing("arithmetic operator", set(_BIN_SYMBOL.values()) - set(BIN_DOC))
    _missing("comparison", {c.__name__ for c in _CMP if c not in CMP_DOC})
    lines = ["## 表达式中的运算 / Operators in expressions", "",
             _row("form", "中文", "English"), _row("---", "---", "---")]
    lines += [_row(f"`{form}`", doc.zh, doc.en) for name in visitors
              for form, doc in [SYNTAX_DOC[name]] if form]
    lines += ["", _row("arithmetic", "中文", "English"), _row("---", "---", "---")]
    lines += [_row(f"`{s}`", BIN_DOC[s].zh, BIN_DOC[s].en) for s in _BIN_SYMBOL.values()]
    lines += ["", _row("comparison", "中文", "English"), _row("---", "---", "---")]
    lines += [_row(f"`{CMP_DOC[c][0]}`", CMP_DOC[c][1].zh, CMP_DOC[c][1].en) for c in _CMP]
    return lines


def _signature(name: str, impl: typing.Callable[..., object], arity: tuple[int, int]) -> str:
    try:
        params = list(inspect.signature(impl).parameters)[1:]  # the env comes first
    except (TypeError, ValueError):
        params = []
    if len(params) < arity[1]:
        params = [f"x{i + 1}" for i in range(arity[1])]
    shown = [p if i < arity[0] else f"[{p}]" for i, p in enumerate(params[:arity[1]])]
    return f"{name}({', '.join(shown)})"


def _functions() -> list[str]:
    from selection_rules.lang.case_functions import make_functions
    from selection_rules.lang.record_functions import make_record_functions

    case = make_functions({})
    lines = ["## 内置函数 / Built-in functions", "",
             "In the rules of a procedure or rule set over selection cases:", "",
             _row("function", "中文", "English"), _row("---", "---", "---")]
    lines += [_row(f"`{_signature(n, f.impl, f.arity)}`", f.doc.zh, f.doc.en)
              for n, f in sorted(case.items())]
    for kind in ("assessment", "roster", "supervision"):
        functions = make_record_functions(kind)
        lines += ["", f"In the rules of a rule set with `applies_to: {kind}`: "
                  + ", ".join(f"`{n}`" for n in sorted(functions) if n in case) + ", and:",
                  "", _row("function", "中文", "English"), _row("---", "---", "---")]
        lines += [_row(f"`{_signature(n, f.impl, f.arity)}`", f.doc.zh, f.doc.en)
                  for n, f in sorted(functions.items()) if n not in case]
    return lines


def render_guide() -> str:
    parts = [
        "# 规则编写参考 / Rule authoring reference", "",
        "<!-- Generated by `python -m selection_rules.authoring.guide > docs/authoring.md`; "
        "do not edit by hand (tests/test_guide.py holds it equal to the code). -->", "",
        "What a procedure or rule set (rules/*.yaml) may use: the kinds of parameter, how a "
        "check compares, and what an expression (`value`, `of`, `when`, `require`, `each`) "
        "may contain. Nothing else is accepted: an unknown name, field or function is an "
        "error at load time, with the file and line.", "",
        *_kinds(), "", *_check_ops(), "", *_expression_ops(), "", *_functions(), "",
    ]
    return "\n".join(parts)


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_guide())
