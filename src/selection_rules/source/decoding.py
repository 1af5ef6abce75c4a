"""Bytes to text, and the limits of a document: size, values, nesting, exponents.

A file must be UTF-8 (a byte-order mark is allowed); UTF-16/32, binary data and GBK are
refused with a located message and the command that converts them. Every way a file can
be unusable is raised here as an `InputError` with file, line and a bilingual message.
"""

from __future__ import annotations

import codecs
import os
import re
import shlex
from typing import NoReturn

from selection_rules.errors import InputError
from selection_rules.i18n import Text

MAX_BYTES = 16 * 1024 * 1024
MAX_NODES = 2_000_000
# Real documents nest fewer than ten levels; the bound keeps the recursive builder (and
# pydantic after it) far from Python's recursion limit.
MAX_DEPTH = 200

# Fraction("1e999999999") would compute 10**999999999; no real figure needs more.
_MAX_EXPONENT = 1000

# Patterns used only on error paths stay strings, compiled (and cached by `re`) on first
# use: large Unicode classes take milliseconds to compile, paid at every start otherwise.
_CJK = r"[\u3400-\u9fff]"


def _too_deep() -> Text:
    return Text(f"嵌套太深（超过 {MAX_DEPTH} 层）",
                f"nested too deeply (more than {MAX_DEPTH} levels)")


def _fail(
    name: str,
    message: Text,
    *,
    line: int | None = None,
    column: int | None = None,
    field: str | None = None,
    expected: Text | None = None,
) -> NoReturn:
    raise InputError.at(name, message, line=line, column=column, field=field, expected=expected)


def _too_large(name: str, size: int, limit: int) -> NoReturn:
    _fail(name, Text(f"文件大小为 {size} 字节，超过上限 {limit} 字节",
                     f"file is {size} bytes, above the limit of {limit} bytes"))


def _iconv(encoding: str, name: str) -> str:
    if name.startswith("<"):
        return f"iconv -f {encoding} -t UTF-8 in > out"
    stem, suffix = os.path.splitext(name)
    target = shlex.quote(stem + ".utf8" + suffix)
    return f"iconv -f {encoding} -t UTF-8 {shlex.quote(name)} > {target}"


def _decode(raw: bytes, name: str) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16: FF FE 00 00 starts with FF FE
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if raw.startswith(bom):
            _fail(
                name,
                Text(
                    f"文件是 {encoding} 编码（以 {encoding} 字节顺序标记开头），应为 UTF-8；"
                    f"请转换，例如 `{_iconv(encoding, name)}`，或在编辑器中另存为 UTF-8",
                    f"the file is {encoding}-encoded (it starts with a {encoding} byte-order "
                    f"mark), not UTF-8; convert it, e.g. `{_iconv(encoding, name)}`, or save "
                    "it as UTF-8 in your editor",
                ),
                line=1,
            )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    # Checked before decoding: UTF-16 without a BOM is mostly NULs and would otherwise
    # pass as (odd) UTF-8 or be misread as GB18030.
    nul = raw.find(b"\x00")
    if nul >= 0:
        _fail(
            name,
            Text(
                "文件含有 NUL 字节：它是二进制文件，或是没有字节顺序标记的 UTF-16/UTF-32 文本",
                "the file contains NUL bytes: it is binary, or UTF-16/UTF-32 text without a "
                "byte-order mark",
            ),
            line=raw.count(b"\n", 0, nul) + 1,
            expected=Text("UTF-8 编码的文本", "UTF-8 text"),
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
        line = raw.count(b"\n", 0, bad) + 1
        line_start = raw.rfind(b"\n", 0, bad) + 1
        column = len(raw[line_start:bad].decode("utf-8")) + 1
        if _looks_gb18030(raw):
            cmd = _iconv("GB18030", name)
            message = Text(
                f"文件似乎是 GBK/GB18030 编码，不是 UTF-8；请转换，例如 `{cmd}`，"
                "或在编辑器中另存为 UTF-8",
                "the file appears to be GBK/GB18030-encoded, not UTF-8; convert it, e.g. "
                f"`{cmd}`, or save it as UTF-8 in your editor",
            )
        else:
            message = Text(
                f"文件不是 UTF-8 编码：字节 0x{raw[bad]:02X} 不是有效的 UTF-8",
                f"the file is not UTF-8: the byte 0x{raw[bad]:02X} is not valid UTF-8",
            )
        _fail(name, message, line=line, column=column,
              expected=Text("UTF-8 编码的文本", "UTF-8 text"))


def _looks_gb18030(raw: bytes) -> bool:
    # GB18030 decodes much of what is not UTF-8; require Chinese text in the result so
    # that a Latin-1 file is not called GBK.
    try:
        decoded = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return re.search(_CJK, decoded) is not None
