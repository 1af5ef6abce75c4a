"""The reports written whole at the end (HTML, workbook, SARIF, JUnit): each keeps every
file's entry of the JSON report as plain data until the run ends.

Unlike the text and JSON reports, these grow with the number of files (about what the
JSON report of the run takes, a few KB per file with violations); the JSON entry is the
one source every one of them is built from, so they all say what `--format json` says.
"""

from __future__ import annotations

from typing import Any

from selection_rules.engine.validation import Outcome
from selection_rules.report import REPORT_FORMAT
from selection_rules.report.json import FORMAT_VERSION, outcome_dict, totals
from selection_rules.report.json_text import _SURROGATE
from selection_rules.report.summary import Summary
from selection_rules.report.text import Tally


class Collected:
    """A writer (as TextWriter) that keeps the entries and gives the JSON document."""

    def __init__(self, *, only_failed: bool = False) -> None:
        self.tally = Tally()
        self.summary = Summary()
        self.only_failed = only_failed
        self.files: list[dict[str, Any]] = []

    def add(self, o: Outcome) -> None:
        self.tally.add(o)
        self.summary.add(o)
        if self.only_failed and o.result is not None and o.result.clean:
            return
        entry = outcome_dict(o)
        # A file name that is not UTF-8 holds its odd bytes as lone surrogates, which no
        # workbook, XML or HTML can hold: they are shown as U+FFFD (file names only: a
        # case file's text never has one, the readers refuse it).
        self.files.append(_readable(entry) if _SURROGATE.search(o.path) else entry)

    def close(self) -> None:
        """Nothing to flush: the caller renders `document()`."""

    def document(self) -> dict[str, Any]:
        """What `--format json` prints for the same run."""
        return {"format": REPORT_FORMAT, "version": FORMAT_VERSION,
                "files": self.files, "totals": totals(self.tally),
                "summary": self.summary.as_dict()}


def _readable(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {k: _readable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_readable(v) for v in value]
    return value
