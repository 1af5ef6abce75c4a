"""Reading user documents — procedures, rule sets, case files — safely and with locations.

`load_document` opens a file (read-only, a regular file), `loads_document` reads text or
bytes held in memory; either gives a located `Document` or raises a located `InputError`.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import NoReturn

from yaml.nodes import ScalarNode

from selection_rules.i18n import Text
from selection_rules.source.decoding import MAX_BYTES, MAX_NODES, _decode, _fail, _too_large
from selection_rules.source.document import Document, Format
from selection_rules.source.inputs import open_input
from selection_rules.source.json_read import _fast_json, _load_json
from selection_rules.source.yaml_build import _load_yaml
from selection_rules.source.yaml_compose import _walk

_NON_SPACE = re.compile(r"\S")


# ------------------------------------------------------------------------------ loading


def load_document(
    path: str | Path, *, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES
) -> Document:
    """Read a YAML or JSON file (read-only) into a located `Document`; raise `InputError`."""
    raw = read_bytes(path, max_bytes)
    return loads_document(raw, str(path), None, max_bytes=max_bytes, max_nodes=max_nodes)


def read_bytes(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of an input file (a regular file, at most `max_bytes`); InputError, at
    the file, if it cannot be read."""
    name = str(path)
    try:
        with open_input(path) as fh:  # a regular file, or a located InputError
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                _too_large(name, size, max_bytes)
            # One byte more than expected, to notice a file that grew since fstat; a pipe
            # or a device reports size 0 and is read up to the limit.
            raw = fh.read(size + 1) if size else b""
            if not size or len(raw) > size:
                raw += fh.read(max_bytes + 1 - len(raw))
    except FileNotFoundError:
        _fail(name, Text("找不到文件", "file not found"))
    except IsADirectoryError:
        _fail(name, Text("这是一个目录，不是文件", "this is a folder, not a file"))
    except PermissionError:
        _fail(name, Text("没有读取该文件的权限", "permission denied: cannot read the file"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        _fail(name, Text(f"无法读取文件：{reason}", f"cannot read the file: {reason}"))
    if len(raw) > max_bytes:
        _too_large(name, len(raw), max_bytes)
    return raw


def loads_document(
    text_or_bytes: str | bytes,
    name: str,
    fmt: Format | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
) -> Document:
    """Parse a document held in memory (tests, stdin); `name` is used in messages."""
    suffix = os.path.splitext(name)[1].lower()
    if isinstance(text_or_bytes, bytes):
        if len(text_or_bytes) > max_bytes:
            _too_large(name, len(text_or_bytes), max_bytes)
        if fmt == "json" or (fmt is None and suffix == ".json"):
            # Most JSON files are read by orjson (json_read._fast_json); a file it cannot
            # vouch for, or with a fault to report, is read below as it always was.
            fast = _fast_json(text_or_bytes.removeprefix(codecs.BOM_UTF8), name)
            if fast is not None:
                return fast
        text = _decode(text_or_bytes, name)
    else:
        text = text_or_bytes.removeprefix("\ufeff")
        if len(text) > max_bytes:
            _too_large(name, len(text), max_bytes)
        # Text handed in as str (a --set value, a prompt's answer) may hold a surrogate
        # that no parser should see: libyaml cannot even encode it to read it.
        raw = _SURROGATE.search(text)
        if raw is not None:
            _surrogate_at(name, fmt or "yaml", raw.group(), *_line_column(text, raw.start()))
    first = _NON_SPACE.search(text)
    if first is None:
        _fail(name, Text("文件是空的", "the file is empty"),
              expected=Text("YAML 或 JSON 格式的映射", "a YAML or JSON mapping"))
    if fmt is None:
        if suffix in (".yaml", ".yml"):
            fmt = "yaml"
        elif suffix == ".json":
            fmt = "json"
        else:
            fmt = "json" if first.group() in "{[" else "yaml"
    doc = _load_json(text, name) if fmt == "json" else _load_yaml(text, name, max_nodes)
    # Strict UTF-8 decoding never yields a surrogate, and text handed in as str was
    # searched above: only an escape can make one. (Substring tests, a backslash first:
    # it is found by memchr, where a search for `\\u` in CJK text cost a tenth of reading
    # a file, and a regex over the whole text more.)
    if "\\" in text and ("\\u" in text or "\\U" in text):
        _refuse_surrogates(doc)
    return doc


_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(doc: Document) -> None:
    """A located error for the first key or string holding a UTF-16 surrogate.

    A lone surrogate is not a character: it cannot be written as UTF-8, so it would crash
    every report that shows the value. JSON pairs two escapes into one character itself;
    YAML does not (its \\U escape is the way to write a character beyond \\uffff).
    """
    stack = [doc.data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found = _SURROGATE.search(value)
        elif isinstance(value, dict):
            found = next(filter(None, map(_SURROGATE.search, value)), None)
            stack.extend(value.values())
            if found is None:
                continue
        elif isinstance(value, list):
            stack.extend(value)
            continue
        else:
            continue
        if found is None:
            continue
        char = found.group()
        line = column = None
        if doc.format == "yaml":
            node = next((n for n in _walk(doc._nodes())
                         if n.__class__ is ScalarNode and _SURROGATE.search(n.value)), None)
            if node is not None:
                line, column = node.start_mark.line + 1, node.start_mark.column + 1
        else:  # YAML cannot read a JSON text with such an escape: find the escape itself
            text = doc._json_text() or ""
            at = _first_unpaired_escape(text)
            if at is not None:
                char = chr(int(text[at + 2:at + 6], 16))
                line, column = _line_column(text, at)
        _surrogate_at(doc.path, doc.format, char, line, column)


def _surrogate_at(name: str, fmt: Format, char: str, line: int | None,
                  column: int | None) -> NoReturn:
    code = f"\\u{ord(char):04x}"
    _fail(name,
          Text(f"文本中有单独的 UTF-16 代理项 {code}，它不是字符，无法写出",
               f"the text holds a lone UTF-16 surrogate {code}, which is not a "
               "character and cannot be written out"),
          line=line, column=column, expected=_SURROGATE_FIX[fmt])


def _line_column(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


# A \u escape of a surrogate, not `\\ud800` (a backslash, then text): even backslashes
# before it. Group 1 is a high surrogate, group 2 a low one.
_SURROGATE_ESCAPE = re.compile(
    r"(?<!\\)(?:\\\\)*(?:(\\u[dD][89abAB][0-9a-fA-F]{2})|(\\u[dD][c-fC-F][0-9a-fA-F]{2}))")


def _first_unpaired_escape(text: str) -> int | None:
    """Offset of the first surrogate escape that is not half of a high-low pair."""
    pending: int | None = None  # a high escape waiting for its low half
    for m in _SURROGATE_ESCAPE.finditer(text):
        if m.group(1) is not None:
            if pending is not None:
                return pending
            pending = m.start(1)
            continue
        if pending is not None and m.start(2) == pending + 6:
            pending = None  # the pair is one character
            continue
        return pending if pending is not None else m.start(2)
    return pending


_SURROGATE_FIX = {
    "yaml": Text("字符本身，或 \\U 加 8 位十六进制（如 \\U0001F600）",
                 "the character itself, or \\U with 8 hex digits (e.g. \\U0001F600)"),
    "json": Text("字符本身，或一对代理项（如 \\ud83d\\ude00）",
                 "the character itself, or a surrogate pair (e.g. \\ud83d\\ude00)"),
}
