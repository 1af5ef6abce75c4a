""""Did you mean": the nearest known name to a mistyped one, in both languages."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from selection_rules.i18n import Text


def did_you_mean(name: str, known: Iterable[str]) -> Text:
    """`，是否应为 'x'？` / `, did you mean 'x'?` for the closest known name, or empty
    text when none is close (as expressions word it for names and functions)."""
    hint = difflib.get_close_matches(name, sorted(set(known)), n=1)
    if not hint:
        return Text("", "")
    return Text(f"，是否应为 {hint[0]!r}？", f", did you mean {hint[0]!r}?")
