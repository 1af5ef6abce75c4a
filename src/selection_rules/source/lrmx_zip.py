"""The forms of a zip batch of LRMX files, read in memory and bounded before inflating.

The member count is read from the zip's end record before zipfile builds an object per
entry; the declared sizes of the .lrmx members, each and together, are checked against
limits.py before any is inflated; each member is read no further than it declared. Names
are GBK, as the 干部任免 systems write them (zipfile honours an entry's UTF-8 flag).
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from selection_rules import limits
from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.source.inputs import open_input
from selection_rules.source.lrmx import too_large


def zip_forms(path: Path) -> list[tuple[str, bytes]]:
    name = str(path)
    with _open_zip(path) as fh:
        count = _entry_count(fh, name)
        if count > limits.MAX_ZIP_MEMBERS:
            raise InputError.at(name, Text(
                f"压缩包有 {count} 个条目，超过上限 {limits.MAX_ZIP_MEMBERS}",
                f"the zip has {count} entries, above the limit of {limits.MAX_ZIP_MEMBERS}"))
        archive = _zipfile(fh, name)
        members = [info for info in archive.infolist()
                   if not info.is_dir() and info.filename.lower().endswith(".lrmx")]
        if not members:
            raise InputError.at(name, Text("压缩包中没有 .lrmx 文件",
                                           "the zip holds no .lrmx file"))
        total = sum(info.file_size for info in members)
        for info in members:
            if info.file_size > limits.MAX_LRMX_BYTES:
                raise InputError.at(f"{name}!{info.filename}", Text(
                    f"解压后有 {info.file_size} 字节，超过上限 {limits.MAX_LRMX_BYTES} 字节",
                    f"it inflates to {info.file_size} bytes, above the limit of "
                    f"{limits.MAX_LRMX_BYTES} bytes"))
        if total > limits.MAX_ZIP_TOTAL_BYTES:
            raise InputError.at(name, Text(
                f"其中的 .lrmx 文件解压后共 {total} 字节，"
                f"超过上限 {limits.MAX_ZIP_TOTAL_BYTES} 字节",
                f"its .lrmx files inflate to {total} bytes, above the limit of "
                f"{limits.MAX_ZIP_TOTAL_BYTES} bytes"))
        forms: list[tuple[str, bytes]] = []
        for info in members:
            shown = f"{name}!{info.filename}"
            if info.flag_bits & 0x1:
                raise InputError.at(shown, Text("该文件已加密，无法读取",
                                                "the member is encrypted and cannot be read"))
            try:
                with archive.open(info) as member:
                    raw = member.read(info.file_size + 1)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError,
                    OSError, RuntimeError) as exc:
                raise InputError.at(shown, Text(f"无法解压：{exc}",
                                                f"cannot be unpacked: {exc}")) from None
            if len(raw) > info.file_size:  # the directory lied about the size
                raise InputError.at(shown, Text("解压后比压缩包目录中记载的大小更大",
                                                "it inflates to more than the zip's directory "
                                                "says"))
            forms.append((shown, raw))
    return forms


def _open_zip(path: Path) -> BinaryIO:
    name = str(path)
    fh = open_input(path)
    size = os.fstat(fh.fileno()).st_size
    if size > limits.MAX_ZIP_BYTES:
        fh.close()
        raise InputError.at(name, too_large(limits.MAX_ZIP_BYTES))
    return fh


def _not_a_zip(name: str) -> InputError:
    return InputError.at(name, Text("不是有效的 zip 压缩包", "not a valid zip file"),
                         expected=Text("装有 .lrmx 文件的 zip 压缩包", "a zip of .lrmx files"))


def _entry_count(fh: BinaryIO, name: str) -> int:
    """The number of entries the zip's end record declares, read before zipfile builds
    an object per entry (a forged directory could declare millions)."""
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    tail_size = min(size, 22 + 65535)
    fh.seek(size - tail_size)
    tail = fh.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise _not_a_zip(name)
    count: int = struct.unpack("<H", tail[at + 10:at + 12])[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and tail[locator:locator + 4] == b"PK\x06\x07":
        # Zip64: the count is in the zip64 end record the locator points at.
        (offset,) = struct.unpack("<Q", tail[locator + 8:locator + 16])
        fh.seek(offset)
        record = fh.read(56)
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            raise _not_a_zip(name)
        (count,) = struct.unpack("<Q", record[32:40])
    fh.seek(0)
    return count


def _zipfile(fh: BinaryIO, name: str) -> zipfile.ZipFile:
    # Member names are GBK unless the entry says UTF-8 (zipfile honours that flag); a
    # name that is not GBK either is shown as zipfile reads it by default.
    for encoding in ("gbk", None):
        try:
            fh.seek(0)
            return zipfile.ZipFile(fh, metadata_encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError):
            raise _not_a_zip(name) from None
    raise _not_a_zip(name)
