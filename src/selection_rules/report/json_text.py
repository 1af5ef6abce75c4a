"""JSON text for reports: valid UTF-8 always, and the indented form written fast.

`json.dumps` with `indent` runs in pure Python (the C encoder serves only the compact
form): it was a tenth of what `validate --format json` spends on a file. orjson writes
the same bytes for what a report holds — str keys, str, int, bool, None, lists, dicts,
dates — as long as dates, datetimes and dataclasses go through `default=str` as json's
do, so the indented form is written by orjson; whatever orjson refuses (an int past 64
bits, a lone surrogate, a key that is not a str) falls back to json. A report never
holds a float (every figure is exact: an int, or a fraction written as text), the one
type whose text the two libraries write differently. tests/test_report_encoding.py
holds the two equal over generated values.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME
            | orjson.OPT_PASSTHROUGH_DATACLASS)

# A file name that is not UTF-8 reaches us with its odd bytes as lone surrogates
# (Python's surrogateescape); written raw they would make the report invalid UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(value: Any, *, indent: int | None = None) -> str:
    """JSON text that is always valid UTF-8: characters as they are (`ensure_ascii=False`),
    except a lone surrogate, written as its `\\uXXXX` escape. Byte for byte what
    `json.dumps(value, ensure_ascii=False, indent=indent, default=str)` writes."""
    if indent == 2:
        try:
            return orjson.dumps(value, default=str, option=_OPTIONS).decode("utf-8")
        except orjson.JSONEncodeError:
            pass  # past orjson's types or limits: json writes it, surrogates escaped below
    text = json.dumps(value, ensure_ascii=False, indent=indent, default=str)
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
