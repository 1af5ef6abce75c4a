"""Where procedures and rule sets are found: the shipped `rules/` and the user's folders.

A file's name is its id (`pengshan-five-votes.yaml` holds `id: pengshan-five-votes`), so
finding one never means reading them all. Folders given later on the command line or in
SELECTION_RULES_PATH come first, so a county can shadow a shipped procedure.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.source import loading
from selection_rules.source.document import Document
from selection_rules.source.paths import format_loc

SUFFIXES = (".yaml", ".yml", ".json")

# Rule files read in this process, by path, with the size and time of change they were
# read at: every Library (lint makes one per file) and every run share them, and a file
# changed since is read again.
_documents: dict[Path, tuple[tuple[int, int], Document]] = {}


def forget_documents() -> None:
    """Drop the rule files read so far (a new run in the same process: a long-lived
    process, such as the tests', would otherwise keep every rule folder it ever read)."""
    _documents.clear()


def file_signature(path: Path) -> tuple[int, int]:
    """What tells a changed file: its size and time of last change (0, 0 if gone)."""
    try:
        info = os.stat(path)
    except OSError:
        return (0, 0)
    return (info.st_size, info.st_mtime_ns)


def shipped_rules_dir() -> Path:
    packaged = Path(__file__).resolve().parents[1] / "_data" / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def rule_document(path: str | Path) -> Document:
    """The rule file at `path`, read once per process (again if it has changed)."""
    path = Path(path)
    signature = file_signature(path)
    found = _documents.get(path)
    if found is not None and found[0] == signature:
        return found[1]
    doc = loading.load_document(path)
    _documents[path] = (signature, doc)
    return doc


class Library:
    def __init__(self, extra_dirs: Sequence[Path] = (), *, shipped: bool = True) -> None:
        dirs = list(extra_dirs)
        env = os.environ.get("SELECTION_RULES_PATH")
        if env:
            dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
        if shipped:
            dirs.append(shipped_rules_dir())
        self.dirs = dirs

    def document(self, path: Path) -> Document:
        """The rule file at `path`, read once per process: a run reads a procedure for
        its kind and again as a layer of each procedure that extends it."""
        return rule_document(path)

    def find(self, ident: str) -> Path | None:
        if not ident or "/" in ident or "\\" in ident or ident.startswith("."):
            return None  # an id is a name, never a path: nothing outside the folders is read
        for folder in self.dirs:
            for suffix in SUFFIXES:
                candidate = folder / f"{ident}{suffix}"
                if candidate.is_file():
                    return candidate
        return None

    def require(self, ident: str, doc: Document, loc: tuple[str | int, ...],
                what: Literal["procedure", "rule_set"]) -> None:
        """Raise a located InputError if `ident`, named at `loc` of `doc`, is not found."""
        if self.find(ident) is not None:
            return
        known = ", ".join(self.ids()) or "—"
        zh, en = ("程序", "procedure") if what == "procedure" else ("规则集", "rule set")
        raise InputError.at(
            doc.path,
            Text(f"未知{zh} {ident!r}（可用：{known}）",
                 f"unknown {en} {ident!r} (available: {known})"),
            line=doc.line_of(loc), field=format_loc(loc),
        )

    def ids(self) -> list[str]:
        seen: set[str] = set()
        for folder in self.dirs:
            if folder.is_dir():
                for path in folder.iterdir():
                    if path.suffix in SUFFIXES and not path.name.startswith("."):
                        seen.add(path.stem)
        return sorted(seen)
