"""What a newcomer meets first: --version, completion, usage errors, help at 80 columns."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest
import typer
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.cli import app
from selection_rules.cli.usage import BUILTIN_HELP, explain

runner = CliRunner()
CLEAN = str(EXAMPLES / "pengshan" / "clean.yaml")


def run(*args: str, columns: int | None = None):  # type: ignore[no-untyped-def]
    env = {"COLUMNS": str(columns)} if columns else None
    return runner.invoke(app, list(args), env=env)


def test_version_comes_from_the_package_metadata() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"selection-rules {version('selection-rules')}"


def test_shell_completion_is_offered() -> None:
    # By default typer finds the shell by walking up the process tree, which depends on
    # how the tests were started (a detached run finds none); with detection off, as
    # typer's own tests do, the shell is the option's value. Set as the app is built, so
    # in a process of its own: the installed script, whose name the completion is for.
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("selection-rules")
    assert script.exists(), "the package is installed (README's set-up) with its script"
    done = subprocess.run(
        [str(script), "--show-completion", "bash"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert done.returncode == 0, done.stderr
    assert "complete" in done.stdout and "_SELECTION_RULES_COMPLETE" in done.stdout.upper()


# Each: the arguments, then words the Chinese and the English line must hold.
USAGE_ERRORS = [
    (("import", "--forse", "x.lrmx"), "没有 --forse 这个选项", "no option --forse",
     "--force"),
    (("valdate", CLEAN), "没有 valdate 这个命令", "no command valdate", "validate"),
    (("validate",), "缺少参数 PATHS", "missing argument PATHS", None),
    (("validate", "--lang", "fr", CLEAN), "--lang 的值不对", "--lang is not valid", "zh、en"),
    (("validate", CLEAN, "--lang"), "选项 --lang 后面应有一个值", "--lang needs a value", None),
    (("import", "--force=yes", "x.lrmx"), "选项 --force 不带值", "--force takes no value",
     None),
    (("validate", "--jobs", "0", CLEAN), "不小于 1", "at least 1", None),
    (("validate", "--rules", "/no/such/folder", CLEAN), "已存在的目录", "an existing folder",
     None),
    (("rules", "list", "extra"), "命令行用法不对", "usage error:", None),
]


@pytest.mark.parametrize(("args", "zh", "en", "hint"), USAGE_ERRORS,
                         ids=[" ".join(a[0][:2]) for a in USAGE_ERRORS])
def test_usage_errors_are_in_both_languages(args: tuple[str, ...], zh: str, en: str,
                                            hint: str | None) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    zh_line, en_line = result.output.splitlines()[:2]
    assert zh_line.startswith("用法错误：") and zh in zh_line
    assert en_line.startswith("usage error: ") and en in en_line
    # No English words in the Chinese line, but for the names typed and the metavars.
    names = re.sub(r"--?[\w=-]+|\b[A-Z]+\b|valdate|validate|zh|en", "", zh_line)
    assert not re.search(r"[A-Za-z]", names), zh_line
    if hint is not None:
        assert hint in zh_line
    assert "Error" not in result.output and "Try '" not in result.output
    assert "Traceback" not in result.output


def test_usage_message_is_built_from_the_error_not_clicks_wording() -> None:
    from typer._click import exceptions as errors

    # A NoSuchOption whose English text says something else entirely: ours is unchanged.
    exc = errors.NoSuchOption("--colour", message="whatever click might say")
    text = explain(exc)
    assert text.zh == "没有 --colour 这个选项" and text.en == "there is no option --colour"


def test_usage_line_and_help_pointer_follow_the_message() -> None:
    lines = run("validate", "--zebra", CLEAN).output.splitlines()
    assert "是否要用" not in lines[0]  # nothing of validate's is close to --zebra
    assert lines[2].startswith("用法 / usage: ") and "validate" in lines[2]
    assert lines[3].startswith("帮助 / help: ") and lines[3].endswith("validate --help")


def test_normal_runs_keep_their_exit_codes() -> None:
    assert run("validate", CLEAN).exit_code == 0
    assert run("validate", str(EXAMPLES / "pengshan" / "ps7-below-80.yaml")).exit_code == 1
    assert run("validate", "--help").exit_code == 0
    assert run("rules", "show", "XX-1").exit_code == 2


def _commands() -> list[tuple[str, ...]]:
    group = typer.main.get_command(app)
    out: list[tuple[str, ...]] = [()]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        out.append((name,))
        out.extend((name, sub) for sub in getattr(command, "commands", {}))
    return out


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p) or "(top)")
def test_help_at_80_columns_shows_every_help_text_whole(path: tuple[str, ...]) -> None:
    result = run(*path, "--help", columns=80)
    assert result.exit_code == 0, result.output
    assert "…" not in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())
    shown = re.sub(r"[\s│╭╮╰╯─]+", "", result.output)
    group = typer.main.get_command(app)
    command = group
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    for param in command.params:  # a fresh command: built-in options in English here
        help_text = BUILTIN_HELP.get(param.opts[0], getattr(param, "help", None))
        if help_text:
            assert re.sub(r"\s+", "", help_text) in shown, help_text


def test_rules_list_keeps_every_rule_id_on_one_line_at_80_columns() -> None:
    import json

    entries = json.loads(run("rules", "list", "--format", "json").output)
    procedures = {p for e in entries for used in e["procedures"] for p in used.split(" + ")}
    for lang in ("zh", "en"):
        output = run("rules", "list", "--lang", lang, columns=80).output
        assert all(len(line) <= 80 for line in output.splitlines())
        for entry in entries:
            assert re.search(rf"│ {re.escape(entry['id'])}\s+│", output), entry["id"]
        for name in procedures:  # procedure ids are not broken either
            assert re.search(rf"[│+] {re.escape(name)}\s+│", output), name


def test_built_in_options_are_explained_in_both_languages() -> None:
    top = re.sub(r"[\s│]+", "", run("--help", columns=80).output)
    for text in ("为当前 shell 安装命令补全", "显示本帮助并退出 / show this help and exit"):
        assert re.sub(r"\s+", "", text) in top
    for path in (("validate",), ("rules", "show"), ("import",)):
        output = run(*path, "--help", columns=80).output
        assert "显示本帮助并退出" in output and "Show this message" not in output
