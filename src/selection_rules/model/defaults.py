"""Default factories for the models' empty lists and dicts.

pydantic reads the signature of every default factory as it builds a model. For the
builtins `list` and `dict` that means parsing their text signatures with `tokenize`, which
over the models' fields was a twentieth of `validate`'s start-up; for a plain function it
is a lookup.
"""

from __future__ import annotations

from typing import Any


def new_list() -> list[Any]:
    return []


def new_dict() -> dict[Any, Any]:
    return {}
