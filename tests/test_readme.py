"""README stays true: its two commands, its sample output and its inline diagram."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from selection_rules.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _blocks(lang: str) -> list[str]:
    """The fenced blocks whose info string is `lang` ("" for a bare fence)."""
    blocks: list[str] = []
    current: list[str] | None = None
    info = ""
    for line in README.splitlines():
        if current is None and line.startswith("```"):
            current, info = [], line[3:].strip()
        elif current is not None and line.startswith("```"):
            if info == lang:
                blocks.append("\n".join(current) + "\n")
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def test_the_first_two_commands_are_setup_and_tests() -> None:
    first = _blocks("sh")[0]
    commands = [line for line in first.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    setup, tests = commands
    assert "pip install" in setup and "selection-rules validate examples/" in setup
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci, "README's test command must be the one .ci/run runs"


def test_sample_output_is_what_validate_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the sample shows the path as a user types it
    sample = next(b for b in _blocks("") if b.startswith("✗ examples/pengshan/ps7-below-80"))
    result = runner.invoke(app, ["validate", "examples/pengshan/ps7-below-80.yaml"])
    assert result.exit_code == 1
    assert result.output.strip() == sample.strip()


def test_inline_mermaid_is_what_diagram_draws() -> None:
    [mermaid] = _blocks("mermaid")
    result = runner.invoke(app, ["diagram", "pengshan-five-votes"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == mermaid.strip(), (
        "regenerate README's Mermaid block: selection-rules diagram pengshan-five-votes")
