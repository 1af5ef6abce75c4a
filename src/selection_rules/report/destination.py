"""Where `validate` writes its report: standard output, or a file given with `-o`.

The file is checked before any case is read (a folder, a missing folder, an existing
file without --force, or a file this run reads are refused at once, not after an hour of
checking), and written whole through `Outputs`. A binary report (a workbook) is never
written to a terminal, where it would be noise.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.report.outputs import Outputs, Spot, is_standard_output

SPOT = Spot("--output")


def to_file(output: str | None) -> bool:
    return output is not None and not is_standard_output(output)


def check(output: str | None, *, force: bool, binary: bool, stream: BinaryIO | TextIO,
          inputs: Iterable[str]) -> Outputs | None:
    """The Outputs to write `output` with (None for standard output), or InputError."""
    if not to_file(output):
        if binary and stream.isatty():
            raise SPOT.error(
                Text("工作簿是二进制文件，不能显示在终端上", "a workbook is a binary file and "
                     "is not written to a terminal"),
                Text("-o 文件名.xlsx，或把标准输出重定向到文件",
                     "-o FILE.xlsx, or standard output redirected to a file"))
        return None
    assert output is not None
    outputs = Outputs(force=force)
    real = outputs.check(output, SPOT)
    if real.exists():  # only an existing file can be one this run reads
        mine = os.stat(real)
        for path in inputs:
            try:
                same = os.path.samestat(mine, os.stat(path))
            except OSError:
                continue
            if same:
                raise SPOT.error(Text(f"{output} 是本次运行读取的输入文件，不会被改写",
                                      f"{output} is an input file of this run and is never "
                                      "written"))
    return outputs


def inputs_of(tasks: Iterable[tuple[str, bool]], extra: Iterable[Path],
              folders: Iterable[Path]) -> Iterator[str]:
    """Every file the run reads: the case files, the holiday lists, the rule files."""
    for path, _ in tasks:
        yield path
    for extra_path in extra:
        yield str(extra_path)
    for folder in folders:
        if folder.is_dir():
            yield from (str(p) for p in folder.rglob("*") if p.is_file())


@contextmanager
def text_stream(output: str | None, outputs: Outputs | None) -> Iterator[TextIO]:
    """Standard output, or a text stream into the file, placed when the block ends."""
    if outputs is None or output is None:
        yield sys.stdout
        return
    with outputs.placing(output, SPOT) as fh:
        # surrogateescape: a file name that is not UTF-8 is written back as its bytes.
        text = io.TextIOWrapper(fh, encoding="utf-8", errors="surrogateescape", newline="")
        try:
            yield text
            text.flush()
        finally:
            text.detach()


def write_bytes(output: str | None, outputs: Outputs | None, data: bytes) -> None:
    if outputs is None or output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    outputs.write(output, data, SPOT)


__all__ = ["SPOT", "InputError", "check", "inputs_of", "text_stream", "to_file",
           "write_bytes"]
