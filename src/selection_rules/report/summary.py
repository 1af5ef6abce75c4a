"""The batch summary an inspection team reads first: by rule, by unit, the problems common
to many units, and case ids that appear in more than one file.

It keeps counters per rule and per unit, never the results themselves; to find repeated
ids it keeps each id with the file it was first seen in, packed in flat arrays (about a
hundred bytes a file, where a dict of strings takes three times that), so that a run
over 50,000 files stays within 1.3 times the memory of one over 1,000.
"""

from __future__ import annotations

import struct
import unicodedata
from array import array
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any

from selection_rules.engine.validation import Outcome
from selection_rules.i18n import Lang, Text
from selection_rules.model.procedure import SEVERITIES, Citation

# A problem is "common" when this many units or more have it.
COMMON_MIN_UNITS = 2


@dataclass
class RuleCount:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    files: int = 0
    units: dict[str, int] = field(default_factory=dict)  # unit -> files with the rule
    citation: Citation | None = None

    @property
    def count(self) -> int:
        return sum(self.counts.values())


@dataclass
class UnitCount:
    files: int = 0
    clean: int = 0
    with_violations: int = 0
    with_errors: int = 0  # files with at least one violation of severity "error"
    unreadable: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))


@dataclass
class Duplicate:
    kind: str  # "selection" or the record's kind
    id: str
    files: list[str]  # every file with the id, the first first


class Summary:
    def __init__(self) -> None:
        self.rules: dict[str, RuleCount] = {}
        self.units: dict[str | None, UnitCount] = {}
        self.duplicates: dict[str, Duplicate] = {}  # by kind NUL id
        self._first = FirstSeen()

    def add(self, o: Outcome) -> None:
        r = o.result
        unit = r.unit if r is not None else None
        row = self.units.get(unit)
        if row is None:
            row = self.units[unit] = UnitCount()
        row.files += 1
        if r is None:
            row.unreadable += 1
            return
        key = f"{r.record_kind}\0{r.case_id}"
        first = self._first.first(key, o.path)
        if first is not None and first != o.path:
            dup = self.duplicates.get(key)
            if dup is None:
                dup = self.duplicates[key] = Duplicate(r.record_kind, r.case_id, [first])
            dup.files.append(o.path)
        if r.clean:
            row.clean += 1
            return
        row.with_violations += 1
        seen: set[str] = set()
        for v in r.violations:
            row.counts[v.severity] += 1
            rule = self.rules.get(v.rule_id)
            if rule is None:
                rule = self.rules[v.rule_id] = RuleCount(citation=v.citation)
            rule.counts[v.severity] += 1
            if v.rule_id not in seen:
                seen.add(v.rule_id)
                rule.files += 1
                if unit is not None:
                    rule.units[unit] = rule.units.get(unit, 0) + 1
        if any(v.severity == "error" for v in r.violations):
            row.with_errors += 1

    # ------------------------------------------------------------------ the figures

    def by_rule(self) -> list[tuple[str, RuleCount]]:
        """Most violations first, then by rule id."""
        return sorted(self.rules.items(), key=lambda kv: (-kv[1].count, kv[0]))

    def by_unit(self) -> list[tuple[str | None, UnitCount]]:
        """Most errors first, then most violations, then by name; unknown unit last."""
        return sorted(self.units.items(), key=lambda kv: (
            kv[0] is None, -kv[1].counts["error"], -sum(kv[1].counts.values()), kv[0] or ""))

    def known_units(self) -> int:
        return sum(1 for u in self.units if u is not None)

    def common(self) -> list[tuple[str, RuleCount]]:
        """Rules broken in at least COMMON_MIN_UNITS units, the most widespread first."""
        found = [(rid, rc) for rid, rc in self.rules.items()
                 if len(rc.units) >= COMMON_MIN_UNITS]
        return sorted(found, key=lambda kv: (-len(kv[1].units), -kv[1].count, kv[0]))

    def as_dict(self) -> dict[str, Any]:
        from selection_rules.report.json import citation_dict

        return {
            "by_rule": [{"rule": rid, "count": rc.count, "counts": dict(rc.counts),
                         "files": rc.files, "units": len(rc.units),
                         "unit_names": sorted(rc.units),
                         "citation": citation_dict(rc.citation)}
                        for rid, rc in self.by_rule()],
            "by_unit": [{"unit": unit, "files": uc.files, "clean": uc.clean,
                         "with_violations": uc.with_violations,
                         "with_errors": uc.with_errors, "unreadable": uc.unreadable,
                         "counts": dict(uc.counts)} for unit, uc in self.by_unit()],
            "common": [{"rule": rid, "units": len(rc.units), "of_units": self.known_units(),
                        "unit_names": sorted(rc.units), "files": rc.files,
                        "count": rc.count} for rid, rc in self.common()],
            "duplicate_ids": [{"kind": d.kind, "id": d.id, "files": list(d.files)}
                              for d in self.duplicates.values()],
        }


class FirstSeen:
    """Ids with the file each was first seen in: an open-addressing table of 64-bit
    hashes (array), pointing into one bytearray of (id, folder, file name) entries, each
    folder named once; the id itself is compared on a matching hash, so two ids never
    pass for one."""

    _HEAD = struct.Struct("<III")  # the folder's number, lengths of the id and the name

    def __init__(self) -> None:
        self._hashes = array("Q", bytes(8 * 1024))  # 0: an empty slot
        self._where = array("I", bytes(4 * 1024))  # the entry's offset in _data
        self._data = bytearray()
        self._folders: dict[str, int] = {}
        self._folder_names: list[str] = []
        self._count = 0

    def first(self, key: str, path: str) -> str | None:
        """The file `key` was first seen in; None (and `path` kept) the first time."""
        raw = key.encode("utf-8", "surrogatepass")
        h = int.from_bytes(blake2b(raw, digest_size=8).digest(), "little") or 1
        mask = len(self._hashes) - 1
        i = h & mask
        while (found := self._hashes[i]) != 0:
            if found == h:
                at = self._where[i]
                folder, n_key, n_name = self._HEAD.unpack_from(self._data, at)
                start = at + self._HEAD.size
                if self._data[start:start + n_key] == raw:
                    stored = bytes(self._data[start + n_key:start + n_key + n_name])
                    folder_name: str = self._folder_names[folder]
                    return folder_name + stored.decode("utf-8", "surrogateescape")
            i = (i + 1) & mask
        cut = path.rfind("/") + 1 or path.rfind("\\") + 1  # the folder, with its separator
        folder = self._folders.get(path[:cut])
        if folder is None:
            folder = self._folders[path[:cut]] = len(self._folder_names)
            self._folder_names.append(path[:cut])
        encoded = path[cut:].encode("utf-8", "surrogateescape")
        self._hashes[i] = h
        self._where[i] = len(self._data)
        self._data += self._HEAD.pack(folder, len(raw), len(encoded)) + raw + encoded
        self._count += 1
        if self._count * 2 > len(self._hashes):
            self._grow()
        return None

    def _grow(self) -> None:
        hashes, where = self._hashes, self._where
        size = len(hashes) * 2
        self._hashes = array("Q", bytes(8 * size))
        self._where = array("I", bytes(4 * size))
        mask = size - 1
        for h, at in zip(hashes, where, strict=True):
            if h:
                i = h & mask
                while self._hashes[i]:
                    i = (i + 1) & mask
                self._hashes[i] = h
                self._where[i] = at


# ------------------------------------------------------------------------- as text

SEVERITY_WORDS = {"error": Text("错误", "errors"), "warning": Text("警告", "warnings"),
                  "info": Text("提示", "notes")}
UNKNOWN_UNIT = Text("（单位不明：文件无法读取）", "(unit unknown: file unreadable)")


def width(text: str) -> int:
    """Columns `text` takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(head: list[str], rows: list[list[str]], numeric_from: int = 1) -> list[str]:
    """Columns padded to the widest cell; numbers right-aligned."""
    cells = [head, *rows]
    widths = [max(width(r[i]) for r in cells) for i in range(len(head))]
    out = []
    for r in cells:
        parts = []
        for i, cell in enumerate(r):
            pad = " " * (widths[i] - width(cell))
            parts.append(pad + cell if i >= numeric_from else cell + pad)
        out.append("  " + "  ".join(parts).rstrip())
    return out


def summary_lines(s: Summary, lang: Lang) -> list[str]:
    """The summary's tables, as printed at the end of `validate`'s text report."""
    def t(zh: str, en: str) -> str:
        return zh if lang == "zh" else en

    sev = [SEVERITY_WORDS[x].get(lang) for x in SEVERITIES]
    lines = [t("汇总：按规则", "Summary by rule")]
    if s.rules:
        lines += table([t("规则", "rule"), t("条数", "violations"), t("文件", "files"),
                        t("单位", "units")],
                       [[rid, str(rc.count), str(rc.files), str(len(rc.units))]
                        for rid, rc in s.by_rule()])
    else:
        lines.append("  " + t("没有违规", "no violations"))
    lines.append(t("汇总：按单位", "Summary by unit"))
    lines += table([t("单位", "unit"), t("文件", "files"), t("有错误的文件", "with errors"),
                    *sev, t("无法读取", "unreadable")],
                   [[unit if unit is not None else UNKNOWN_UNIT.get(lang), str(uc.files),
                     str(uc.with_errors), *(str(uc.counts[x]) for x in SEVERITIES),
                     str(uc.unreadable)] for unit, uc in s.by_unit()])
    common = s.common()
    lines.append(t(f"多个单位共有的问题（{COMMON_MIN_UNITS} 个单位及以上）",
                   f"Problems common to several units ({COMMON_MIN_UNITS} units or more)"))
    if not common:
        lines.append("  " + t("无", "none"))
    sep = t("、", ", ")
    for rid, rc in common:
        lines.append("  " + t(
            f"{rid}：{len(rc.units)}/{s.known_units()} 个单位，{rc.files} 个文件，"
            f"{rc.count} 条（{sep.join(sorted(rc.units))}）",
            f"{rid}: {len(rc.units)} of {s.known_units()} units, {rc.files} file(s), "
            f"{rc.count} violation(s) ({sep.join(sorted(rc.units))})"))
    if s.duplicates:
        lines.append(t("重复的案卷编号（多为复制粘贴错误）",
                       "Case ids found in more than one file (usually a copy-paste error)"))
        for d in s.duplicates.values():
            lines.append("  " + t(f"{d.id}（{len(d.files)} 个文件）：", f"{d.id} ({len(d.files)} "
                                  "files): ") + t("、", ", ").join(d.files))
    return lines
