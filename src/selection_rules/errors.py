"""Errors in the user's input: always located, always bilingual, always exit code 2."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from selection_rules.i18n import Lang, Text

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2


@dataclass
class Problem:
    """One located problem in an input file (a case file, a procedure, a holiday list)."""

    file: str
    message: Text
    line: int | None = None
    column: int | None = None
    field: str | None = None  # dotted path inside the document, e.g. "events[3].ballot.valid"
    expected: Text | None = None
    # What kind of problem it is, for `lint` (a finding ID such as "L101"), set where the
    # problem is found; None where no finding ID applies. Not part of the output.
    code: str | None = dataclasses.field(default=None, compare=False)
    # For a workbook, the cell in place of a line: `人选!C5` (printed `case.xlsx!人选!C5`).
    cell: str | None = None

    def location(self) -> str:
        loc = self.file
        if self.cell is not None:
            loc += f"!{self.cell}"
        elif self.line is not None:
            loc += f":{self.line}"
            if self.column is not None:
                loc += f":{self.column}"
        return loc

    def render(self, lang: Lang) -> str:
        parts = [f"{self.location()}: {self.message.get(lang)}"]
        if self.field:
            parts.append(("字段 " if lang == "zh" else "field ") + self.field)
        if self.expected is not None:
            parts.append(("应为：" if lang == "zh" else "expected: ") + self.expected.get(lang))
        return ("；" if lang == "zh" else "; ").join(parts)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message.as_dict(),
            "expected": self.expected.as_dict() if self.expected else None,
        }
        if self.cell is not None:
            out["cell"] = self.cell
        return out


@dataclass
class InputError(Exception):
    """Raised for input that cannot be used; carries one or more located problems."""

    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def at(
        cls,
        file: str | Path,
        message: Text,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        expected: Text | None = None,
        code: str | None = None,
    ) -> InputError:
        return cls([Problem(str(file), message, line, column, field, expected, code)])

    def __str__(self) -> str:
        return "\n".join(p.render("en") for p in self.problems)


class ItemError(ValueError):
    """A model validator's finding about one item of the value it validates.

    pydantic locates a validator's error at the value (a whole list); this says which
    item within it (`at`, a path relative to the value) the problem stands at, and the
    earlier item it conflicts with (`earlier`), so the located problem can name both.
    """

    def __init__(self, message: Text, at: tuple[str | int, ...],
                 earlier: tuple[str | int, ...] | None = None,
                 expected: Text | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.at = at
        self.earlier = earlier
        self.expected = expected
