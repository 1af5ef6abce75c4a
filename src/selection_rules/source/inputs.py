"""Opening input files: every file a command reads is checked and opened here.

Only a regular file is a document. A FIFO blocks `open()` until some writer comes (so
`--holidays FIFO` waited for ever) and a device may never end; the path is therefore
checked with `os.stat`, which never blocks, before it is opened, and the open
descriptor is checked again in case the path was swapped in between.

Each file opened is remembered (by device and inode, so a link or another spelling of
the same file is the same file) until `forget()`: `outputs` refuses to write over a
file the run has read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from selection_rules.errors import InputError
from selection_rules.i18n import Text

NUL_IN_NAME = Text("文件名中含有空字符（NUL）", "the file name contains a NUL character")
NOT_FOUND = Text("找不到文件", "file not found")
A_FOLDER = Text("这是一个目录，不是文件", "this is a folder, not a file")
NOT_REGULAR = Text("不是普通文件（而是管道、设备或套接字），不会读取",
                   "not a regular file (a pipe, device or socket): it is not read")

_read: set[tuple[int, int]] = set()
# Whether this run keeps the record: one that writes no file (validate) need not, and a
# record of every file of a 100,000-file run would grow with it.
_remember = True


def input_problem(path: str | Path) -> Text | None:
    """Why `path` cannot be read as an input file, or None if it is a regular file."""
    try:
        info = os.stat(path)
    except ValueError:
        return NUL_IN_NAME
    except (FileNotFoundError, NotADirectoryError):
        return NOT_FOUND
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return Text(f"无法读取文件：{reason}", f"cannot read the file: {reason}")
    return kind_problem(info.st_mode)


def kind_problem(mode: int) -> Text | None:
    if stat.S_ISDIR(mode):
        return A_FOLDER
    if not stat.S_ISREG(mode):
        return NOT_REGULAR
    return None


def open_input(path: str | Path) -> BinaryIO:
    """`path` opened for reading in binary; InputError (located at the path) if it is
    not a regular file. Other OSErrors (permission) are the caller's to word."""
    problem = input_problem(path)
    if problem is not None:
        raise InputError.at(str(path), problem)
    # O_NONBLOCK: if a FIFO took the file's place since the stat, open returns at once
    # and the check below refuses it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        problem = kind_problem(info.st_mode)
        if problem is not None:
            raise InputError.at(str(path), problem)
        os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    if _remember:
        _read.add((info.st_dev, info.st_ino))
    return fh


def was_read(info: os.stat_result) -> bool:
    """Whether the file `info` describes was opened as an input since `forget()`."""
    return (info.st_dev, info.st_ino) in _read


def forget(*, remember: bool = True) -> None:
    """Start a new run: no file has been read yet. `remember=False` for a run that writes
    no file, so keeps no record of what it reads."""
    global _remember
    _read.clear()
    _remember = remember
