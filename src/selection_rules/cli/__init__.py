"""The `selection-rules` command line: one module per command, sharing `cli/app.py`.

Exit codes (as OPA's): 0 clean, 1 violations found, 2 bad input or usage.
Heavy modules are imported inside the commands so that `--help` starts at once.
"""

import importlib
import os
import sys

import typer

from selection_rules.cli.app import app
from selection_rules.errors import EXIT_BAD_INPUT

# Each module registers its own commands; `--help` lists them in this order.
for _commands in ("validate", "new", "importing", "authoring", "simulate", "diagram", "rules"):
    importlib.import_module(f"selection_rules.cli.{_commands}")

__all__ = ["app", "main"]


def main() -> None:
    # pydantic looks for plugins (importlib.metadata, every installed distribution) the
    # first time a model validates: a tenth of `validate`'s start-up, for observers of
    # validation that a command-line run has no use for. A user who sets the variable wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except Exception as exc:  # a defect of ours: say so in both languages, exit 2
        if os.environ.get("SELECTION_RULES_DEBUG"):
            raise
        typer.echo(
            f"selection-rules 内部错误 / internal error: {type(exc).__name__}: {exc}\n"
            "这是本工具的缺陷，不是输入的问题；设置 SELECTION_RULES_DEBUG=1 可看到详细信息。\n"
            "This is a defect of the tool, not of the input; set SELECTION_RULES_DEBUG=1 "
            "for the details.", err=True)
        sys.exit(EXIT_BAD_INPUT)
