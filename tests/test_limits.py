"""The limits on what an input may ask (selection_rules.limits), and the edges of the
value ranges (dates, figures): each over-limit input is refused early with a located
message, never a crash or the catch-all internal error."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT
from selection_rules import limits
from selection_rules.cli import app
from selection_rules.expressions import ANY, ExprError, Scope, compile_expr
from selection_rules.functions import make_functions

SCOPE = Scope(names={"x": ANY, "n": int}, functions=make_functions({}))
L104 = ROOT / "tests" / "lint" / "l104-bad-expression.yaml"

# -------------------------------------------------------------- expression nesting

# One level of nesting each: prefix and infix forms, the ones the parser and every later
# walk (compile, lint, diagram, evaluation) recurse on.
_WRAPS = [
    lambda e: f"not {e}",
    lambda e: f"-{e}",
    lambda e: f"({e}) + n",
    lambda e: f"n * ({e})",
    lambda e: f"{e} + 1",  # left-nested: 1 + 1 + … + 1
    lambda e: f"count([{e}])",
    lambda e: f"({e}) if x else n",
    lambda e: f"x and ({e})",
    lambda e: f"[{e}][0]",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(range(len(_WRAPS))), min_size=1, max_size=6),
       st.integers(min_value=0, max_value=6000))
def test_nesting_past_the_limit_is_an_expression_error(kinds: list[int], depth: int) -> None:
    source = "n"
    for i in range(depth):
        source = _WRAPS[kinds[i % len(kinds)]](source)
    try:
        compiled = compile_expr(source, SCOPE)
    except ExprError as exc:
        if "nested too deeply" in exc.message.en:
            assert depth >= limits.MAX_EXPR_DEPTH // 4  # refused only when deep
        return
    assert depth <= limits.MAX_EXPR_DEPTH
    try:
        compiled({"x": True, "n": 1})
    except Exception as exc:  # a Missing or TypeError of the value, never the depth
        assert not isinstance(exc, RecursionError)


@pytest.mark.parametrize("command", ["lint", "diagram", "test"])
@pytest.mark.parametrize("deep", [
    "+".join(["count(event.result)"] * 3000), "not " * 5000 + "False",
])
def test_deep_expression_is_a_located_lint_finding(tmp_path: Path, command: str,
                                                   deep: str) -> None:
    text = L104.read_text(encoding="utf-8")
    text = text.replace("id: l104-bad-expression", "id: deep")
    text = text.replace("value: count(event.nominees)   # <- L104", f"value: {deep}")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "deep.yaml").write_text(text, encoding="utf-8")
    case = (ROOT / "examples" / "pengshan" / "clean.yaml").read_text(encoding="utf-8")
    (tmp_path / "case.yaml").write_text(case.replace("procedure: pengshan-five-votes",
                                                     "procedure: deep"), encoding="utf-8")
    (tmp_path / "test_deep.yaml").write_text(
        "tests:\n  - {name: deep, case: case.yaml, expect: []}\n", encoding="utf-8")
    args = {"lint": ["lint", str(rules / "deep.yaml")],
            "diagram": ["diagram", "deep", "--rules", str(rules)],
            "test": ["test", str(tmp_path / "test_deep.yaml"), "--rules", str(rules)]}[command]
    result = CliRunner().invoke(app, [*args, "--lang", "en"])
    out = result.output
    assert "internal error" not in out, out[-2000:]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "nested too deeply" in out
    assert "deep.yaml:27" in out
    if command == "lint":
        assert "L104" in out
