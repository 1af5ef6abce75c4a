"""Writing output files: every command that writes a file writes it through `Outputs`.

A run never writes a file it has read (`inputs` remembers them) and replaces an existing
file only when told to (`--force`, or a yes at a prompt); a folder, a missing folder on
the way, a special file or a NUL in the name is a located problem, not a traceback.
The text goes to a new file beside the target that is then moved into place, so nobody
ever reads half a file and a failed write leaves the old one whole.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.source.inputs import NUL_IN_NAME, was_read

ANOTHER_NAME = Text("另一个文件名", "another file name")


# Names that mean "print it", as the option's default does: written as a stream, never
# checked as a file (it is a terminal or a pipe, and `/dev/stdout` may be a file the shell
# opened, which the user asked to fill).
_STANDARD_OUTPUT = frozenset({"-", "/dev/stdout"})


def is_standard_output(path: str | PurePath) -> bool:
    return str(path) in _STANDARD_OUTPUT


@dataclass(frozen=True)
class Spot:
    """Where an output path was given: an option (`--save`) or a line of a script."""

    file: str
    line: int | None = None
    field: str | None = None

    def error(self, message: Text, expected: Text | None = ANOTHER_NAME) -> InputError:
        return InputError.at(self.file, message, line=self.line, field=self.field,
                             expected=expected)


class Outputs:
    """The files one run may write. `confirm(path)` is asked before an existing file is
    replaced without `force` (interactive sessions); without it the answer is no."""

    def __init__(self, *, force: bool = False,
                 confirm: Callable[[Path], bool] | None = None) -> None:
        self.force = force
        self.confirm = confirm
        # Files this run may replace: approved once, or written by the run itself (a
        # script that saves twice to one file).
        self._allowed: set[Path] = set()

    def check(self, path: str | Path, spot: Spot) -> Path:
        """The real path to write `path` at, or InputError at `spot` saying why not."""
        shown = str(path)
        if "\0" in shown:
            raise spot.error(NUL_IN_NAME)
        real = Path(os.path.realpath(path))  # a link is written through, not replaced
        try:
            info = os.stat(real)
        except (FileNotFoundError, NotADirectoryError):
            if not real.parent.is_dir():
                parent = Path(shown).parent
                what = (Text(f"{parent} 不是目录", f"{parent} is not a folder")
                        if real.parent.exists() else
                        Text(f"目录 {parent} 不存在", f"the folder {parent} does not exist"))
                raise spot.error(what + Text(f"，无法写入 {shown}", f", so {shown} cannot be "
                                             "written"),
                                 Text("已有目录中的文件", "a file in an existing folder")
                                 ) from None
            return real
        except OSError as exc:
            raise spot.error(_cannot_write(shown, exc)) from None
        if stat.S_ISDIR(info.st_mode):
            raise spot.error(Text(f"{shown} 是一个目录，不是文件", f"{shown} is a folder, not a "
                                  "file"), Text("文件名", "a file name"))
        if not stat.S_ISREG(info.st_mode):
            raise spot.error(Text(f"{shown} 不是普通文件（而是管道、设备或套接字），不会写入",
                                  f"{shown} is not a regular file (a pipe, device or socket): "
                                  "it is not written"))
        if was_read(info):
            raise spot.error(Text(f"{shown} 是本次运行读取的输入文件，不会被改写",
                                  f"{shown} is an input file of this run and is never written"))
        if real in self._allowed or self.force:
            return real
        if self.confirm is None:
            raise _exists(spot, shown)
        if not self.confirm(Path(shown)):
            # The user was just asked and said no: nothing to explain, nor --force to offer.
            raise spot.error(Text(f"未保存，{shown} 保持原样",
                                  f"not saved; {shown} is left as it is"), None)
        self._allowed.add(real)
        return real

    def write(self, path: str | Path, data: bytes, spot: Spot) -> Path:
        """Write `data` to `path` whole or not at all; return the real path written."""
        with self.placing(path, spot) as fh:
            fh.write(data)
        return Path(os.path.realpath(path))

    @contextmanager
    def placing(self, path: str | Path, spot: Spot) -> Iterator[BinaryIO]:
        """A file to write `path`'s bytes into as they come (a report written as the files
        finish), moved into place when the block ends, or dropped if it fails."""
        real = self.check(path, spot)
        replacing = real.exists()
        temp = real.with_name(f".{real.name}.{secrets.token_hex(4)}.tmp")
        try:
            # O_EXCL: never through a file or link someone put there; 0o666 less the umask,
            # as any new file (an existing one keeps its mode below).
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as fh:
                yield fh
            if replacing:
                os.chmod(temp, stat.S_IMODE(os.stat(real).st_mode))
                os.replace(temp, real)
            else:
                _place_new(temp, real, spot, str(path))
        except OSError as exc:
            raise spot.error(_cannot_write(str(path), exc), None) from None
        finally:
            if temp.exists():
                temp.unlink()
        self._allowed.add(real)


def _place_new(temp: Path, real: Path, spot: Spot, shown: str) -> None:
    """Move `temp` to `real`, which did not exist when checked: a link fails if another
    process made the file since, where a rename would silently replace it."""
    try:
        os.link(temp, real)
    except FileExistsError:
        raise _exists(spot, shown) from None
    except OSError:  # a file system without hard links
        os.replace(temp, real)


def _exists(spot: Spot, shown: str) -> InputError:
    return spot.error(Text(f"{shown} 已存在，不会替换", f"{shown} already exists and is not "
                           "replaced"),
                      Text("另一个文件名，或加 --force 替换它",
                           "another file name, or --force to replace it"))


def _cannot_write(shown: str, exc: OSError) -> Text:
    reason = exc.strerror or str(exc)
    return Text(f"无法写入 {shown}：{reason}", f"cannot write {shown}: {reason}")


def confined(folder: Path, name: str, spot: Spot) -> Path:
    """`name` inside `folder`, for a script's `save:`: a script may write only beside
    itself, so neither an absolute path, nor `..`, nor a link that leads out is taken."""
    if "\0" in name:
        raise spot.error(NUL_IN_NAME)
    pure = PurePath(name)
    inside = Text("脚本所在目录中的相对路径，不含 ..",
                  "a path relative to the script's folder, without ..")
    if pure.is_absolute() or ".." in pure.parts:
        raise spot.error(Text(f"{name} 不在脚本所在的目录中：脚本只能保存到自己的目录",
                              f"{name} is outside the script's folder: a script saves only "
                              "inside its own folder"), inside)
    target = folder / pure
    if not Path(os.path.realpath(target)).is_relative_to(os.path.realpath(folder)):
        raise spot.error(Text(f"{name} 经由符号链接指向脚本所在目录之外",
                              f"{name} leads out of the script's folder through a symbolic "
                              "link"), inside)
    return target
