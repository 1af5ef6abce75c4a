"""The command group: usage errors in both languages, and help that is never cut off.

Click words a usage error in English ("No such option", "Missing argument") and typer
prints it in a panel titled "Error". The group runs the command line itself and, for a
usage error, writes its own message from what the error carries (the option's name,
the parameter and its type, the command), never from click's wording: one line in
Chinese, one in English, then the usage and where to find help. Exit code 2.

Help: rich cuts a table cell's word that does not fit its column with "…", and a run of
Chinese has no space to break at, so `--help` at 80 columns lost the end of most
Chinese help texts. The help texts are made to fold (Chinese breaks between any two
characters) when help is shown, and only then: typer's rich formatting costs 80 ms to
import, which a run that shows no help does not pay.
"""

from __future__ import annotations

import difflib
import enum
import sys
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from typer._click import exceptions as errors
from typer.core import TyperGroup
from typer.exceptions import Abort

from selection_rules.errors import EXIT_BAD_INPUT
from selection_rules.i18n import Text


class UnknownCommand(errors.UsageError):
    def __init__(self, name: str, ctx: Any, choices: Sequence[str]) -> None:
        super().__init__(f"unknown command {name}", ctx)
        self.name = name
        self.choices = list(choices)


class BilingualGroup(TyperGroup):
    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode,
                                windows_expand_args, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, windows_expand_args,
                                 **extra)
        except errors.NoArgsIsHelpError:
            sys.exit(EXIT_BAD_INPUT)  # the help is already shown
        except errors.UsageError as exc:
            _usage_error(exc, self, prog_name or self.name or "selection-rules")
        except errors.ClickException as exc:  # not a usage error (e.g. a file option)
            exc.show()
            sys.exit(exc.exit_code)
        except Abort:
            sys.stderr.write("已中止 / aborted\n")
            sys.exit(1)
        # Outside standalone mode an exit (typer.Exit, or the end of --help) comes back
        # as its code; a command that ends normally returns None.
        sys.exit(result if isinstance(result, int) else 0)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and "--help" in args[1:]:
            prepare_help(self, ctx)
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise UnknownCommand(name, ctx, self.list_commands(ctx))
        return super().resolve_command(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        prepare_help(self, ctx)
        super().format_help(ctx, formatter)


# The options click and typer add, with help texts of their own in English only.
BUILTIN_HELP = {
    "--help": "显示本帮助并退出 / show this help and exit",
    "--install-completion": "为当前 shell 安装命令补全 / install completion for the current "
                            "shell",
    "--show-completion": "显示当前 shell 的补全脚本，可复制或自行安装 / show the completion "
                         "script for the current shell, to copy or install it yourself",
}


def prepare_help(group: Any, ctx: Any) -> None:
    """Before help is shown: help texts fold, and the built-in options speak both
    languages (in every command, since the help shown may be a subcommand's)."""
    fold_help()
    stack = [group]
    while stack:
        command = stack.pop()
        stack.extend(getattr(command, "commands", {}).values())
        helper = command.get_help_option(ctx)
        for param in [*command.params, *([helper] if helper is not None else [])]:
            for name in param.opts:
                if name in BUILTIN_HELP:
                    param.help = BUILTIN_HELP[name]


def fold_help() -> None:
    """Make typer's help texts fold at the column's edge instead of ending in "…"."""
    from rich.text import Text as RichText
    from typer import rich_utils

    made = rich_utils._make_rich_text
    if getattr(made, "folds", False):
        return

    def folding(*, text: str, style: str = "", markup_mode: Any) -> Any:
        result = made(text=text, style=style, markup_mode=markup_mode)
        if isinstance(result, RichText):
            result.overflow = "fold"
        return result

    folding.folds = True  # type: ignore[attr-defined]
    rich_utils._make_rich_text = folding


# ---------------------------------------------------------------------- usage errors


def _names(param: Any) -> str:
    opts = [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
    if getattr(param, "param_type_name", "") == "argument" or not opts:
        return str(getattr(param, "human_readable_name", None) or param.name).upper()
    return " / ".join(opts)


def _options(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    return [o for p in ctx.command.get_params(ctx) for o in [*p.opts, *p.secondary_opts]
            if o.startswith("-")]


def _param(ctx: Any, option: str) -> Any:
    if ctx is None:
        return None
    return next((p for p in ctx.command.get_params(ctx)
                 if option in [*p.opts, *p.secondary_opts]), None)


def _suggest(word: str, choices: Sequence[str]) -> Text:
    # Compared without the leading dashes, which every option shares.
    bare = {choice.lstrip("-"): choice for choice in choices}
    close = [bare[c] for c in difflib.get_close_matches(word.lstrip("-"), list(bare), n=3,
                                                        cutoff=0.6)]
    if not close:
        return Text("", "")
    return Text(f"（是否要用 {'、'.join(close)}？）", f" (did you mean {', '.join(close)}?)")


def _expected(param: Any) -> Text | None:
    """What the parameter takes, from its declared type (not from click's message)."""
    descriptor = getattr(param, "type_descriptor", None)
    kind = getattr(descriptor, "annotation", None)
    info = getattr(descriptor, "parameter_info", None)
    while typing.get_args(kind):  # list[Path], X | None: the type of one value
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        shown = [str(member.value) for member in kind]
        return Text("下列之一：" + "、".join(shown), "one of: " + ", ".join(shown))
    if kind is Path:
        folder = not getattr(info, "file_okay", True)
        exists = getattr(info, "exists", False)
        return Text(("已存在的" if exists else "") + ("目录" if folder else "文件或目录"),
                    ("an existing " if exists else "a ") + ("folder" if folder else
                                                            "file or folder"))
    if kind is int:
        low = getattr(info, "min", None)
        return Text("整数" + (f"，不小于 {low}" if low is not None else ""),
                    "a whole number" + (f", at least {low}" if low is not None else ""))
    return None


def _is_flag(group: Any, option: str) -> bool:
    """Whether `option` is a flag wherever the command line defines it (a parse error
    does not say which command it was parsing)."""
    found: list[bool] = []
    stack = [group]
    while stack:
        command = stack.pop()
        stack.extend(getattr(command, "commands", {}).values())
        found.extend(bool(getattr(p, "is_flag", False)) for p in command.params
                     if option in [*p.opts, *p.secondary_opts])
    return bool(found) and all(found)


def explain(exc: errors.UsageError, root: Any = None) -> Text:
    """The message of a usage error, in both languages, from what the error carries."""
    ctx = exc.ctx
    if isinstance(exc, UnknownCommand):
        return Text(f"没有 {exc.name} 这个命令", f"there is no command {exc.name}") + \
            _suggest(exc.name, exc.choices)
    if isinstance(exc, errors.NoSuchOption):
        return Text(f"没有 {exc.option_name} 这个选项", f"there is no option "
                    f"{exc.option_name}") + _suggest(exc.option_name, _options(ctx))
    if isinstance(exc, errors.BadOptionUsage):
        param = _param(ctx, exc.option_name)
        if (getattr(param, "is_flag", False) if param is not None
                else _is_flag(root, exc.option_name)):
            return Text(f"选项 {exc.option_name} 不带值", f"the option {exc.option_name} "
                        "takes no value")
        return Text(f"选项 {exc.option_name} 后面应有一个值", f"the option "
                    f"{exc.option_name} needs a value after it")
    if isinstance(exc, errors.MissingParameter):
        param = exc.param
        if param is None:
            return Text("缺少必需的参数", "a required argument is missing")
        what = "参数" if param.param_type_name == "argument" else "选项"
        en = "argument" if param.param_type_name == "argument" else "option"
        return Text(f"缺少{what} {_names(param)}", f"missing {en} {_names(param)}")
    if isinstance(exc, errors.BadParameter):
        param = exc.param
        hint = _names(param) if param is not None else ""
        message = Text(f"{hint} 的值不对", f"the value of {hint} is not valid")
        expected = _expected(param)
        if expected is not None:
            message += Text("，应为" + expected.zh, "; expected " + expected.en)
        return message + Text("", f" ({exc.message})")
    # Other usage errors (extra arguments, a command group without its command): the
    # Chinese line says where to look; the English line keeps click's own words.
    return Text("命令行用法不对（请对照下面的用法）", exc.format_message())


def _usage_error(exc: errors.UsageError, root: Any, prog: str) -> NoReturn:
    message = explain(exc, root)
    lines = [f"用法错误：{message.zh}", f"usage error: {message.en}"]
    ctx = exc.ctx
    if ctx is not None:
        pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
        lines.append(f"用法 / usage: {ctx.command_path} {pieces}".rstrip())
        lines.append(f"帮助 / help: {ctx.command_path} --help")
    else:
        lines.append(f"帮助 / help: {prog} --help")
    sys.stderr.write("\n".join(lines) + "\n")
    sys.exit(exc.exit_code if exc.exit_code else EXIT_BAD_INPUT)
