"""Which example files break a rule and which pass it, as their headers say.

An example case or record states in its opening comment what it shows:
`# expect: EL-1` (the rules it breaks; `(none)` for none) and `# passes: EL-1 EL-3` (the
rules it passes at their bound). The examples of a rules folder are in the `examples/`
folder beside it; `rules list --format json` lists them under each rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# Headers are in the first lines; a file is read no further than this.
_HEADER_BYTES = 8192


def _header_lines(path: Path) -> list[str]:
    try:
        with path.open("rb") as f:
            head = f.read(_HEADER_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return []
    lines = []
    for line in head.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


@lru_cache(maxsize=8)
def examples_of(folder: Path) -> dict[str, dict[str, list[str]]]:
    """Rule id -> {"breaking": [...], "passing": [...]}: the files under `folder`, by their
    path from the folder's parent (`examples/eligibility/clean.yaml`), in name order."""
    found: dict[str, dict[str, list[str]]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*.yaml")):
        shown = path.relative_to(folder.parent).as_posix()
        for line in _header_lines(path):
            key, _, rest = line.lstrip("# ").partition(":")
            which = {"expect": "breaking", "passes": "passing"}.get(key.strip())
            if which is None:
                continue
            # Ids apart by spaces or commas (`# expect: PS-8, PS-9, PS-9`).
            for rule in dict.fromkeys(re.split(r"[\s,，、]+", rest.strip())):
                if rule and rule != "(none)":
                    lists = found.setdefault(rule, {"breaking": [], "passing": []})
                    lists[which].append(shown)
    return found


def examples_for(rule_file: str) -> Path:
    """The examples folder for a rule file: `examples/` beside its rules folder."""
    return Path(rule_file).resolve().parent.parent / "examples"
