"""`simulate --script -` reads a YAML or JSON list of actions from standard input, in any
style: a YAML flow sequence of bare words (`[status]`) is YAML, not broken JSON."""

from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.cli import app

CASE = str(EXAMPLES / "pengshan" / "clean.yaml")
STYLES = {
    "json": lambda actions: json.dumps(actions),
    "yaml flow": lambda actions: "[" + ", ".join(actions) + "]",
    "yaml block": lambda actions: yaml.safe_dump(actions),
}


@settings(max_examples=15, deadline=None)
@given(st.lists(st.sampled_from(["status", "undo"]), min_size=1, max_size=4),
       st.sampled_from(sorted(STYLES)))
def test_any_style_of_action_list_is_read(actions: list[str], style: str) -> None:
    text = STYLES[style](actions)
    result = CliRunner().invoke(app, ["simulate", "--from", CASE, "--script", "-",
                                      "--lang", "en"], input=text)
    # undo takes back the case's last event: it ends unfinished, which exits 1
    assert result.exit_code == (1 if "undo" in actions else 0), (text, result.output)
    assert result.output.count(": at stage [") == actions.count("status")
    assert result.output.count("Undone: ") == actions.count("undo")


def test_a_broken_list_on_standard_input_is_located() -> None:
    result = CliRunner().invoke(app, ["simulate", "--from", CASE, "--script", "-",
                                      "--lang", "en"], input='["status", {"undo": }')
    assert result.exit_code == 2
    assert "<stdin>:2:1: YAML syntax error" in result.output
