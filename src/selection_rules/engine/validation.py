"""Validating files: expand paths, read each case, replay it, locate what was found.

One bad file never stops the others: its problems are collected and the run goes on.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from selection_rules.engine.case_loader import parse_case
from selection_rules.engine.kinds import KindCheck, file_kind
from selection_rules.engine.library import SUFFIXES, Library
from selection_rules.engine.procedure import cached_loader
from selection_rules.engine.replay import decision_date_conflict, replay
from selection_rules.engine.violations import CaseResult
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text
from selection_rules.source.document import Document
from selection_rules.source.inputs import NOT_FOUND, input_problem
from selection_rules.source.loading import load_document

if TYPE_CHECKING:
    from selection_rules.engine.compiled import Procedure
    from selection_rules.engine.record_replay import RecordChecker
    from selection_rules.lang.workdays import WorkCalendar
    from selection_rules.model.case import Case

_SCRIPT_ACTIONS = frozenset({"start", "add", "status", "set", "undo", "save"})


def other_kind(data: object) -> str | None:
    """What a file found in a folder is, if it is another of this tool's files.

    A folder of case files often holds the holiday lists, rule tests, procedures and
    simulation scripts that go with them; `validate DIR` passes over those (a file named
    on the command line is always validated, and says what is wrong with it).
    """
    if isinstance(data, dict):
        if "holidays" in data and "years" in data:
            return "holidays"
        if "tests" in data:
            return "rule tests"
        if data.get("kind") in ("procedure", "rule_set") and "id" in data:
            return "rules"
    if isinstance(data, list) and data and all(
            (isinstance(x, dict) and set(x) <= _SCRIPT_ACTIONS) or x in _SCRIPT_ACTIONS
            for x in data):
        return "simulation script"
    return None


@dataclass(eq=False)
class Outcome:
    path: str
    result: CaseResult | None = None
    problems: list[Problem] = field(default_factory=list)


def expand(paths: Iterable[str], in_folder: Callable[[Path, Path], bool] | None = None,
           ) -> tuple[list[Path], list[Problem]]:
    """Files named, files under folders named (recursively), and glob matches, in order.

    `in_folder(file, folder)` says which files under a folder count: by default the
    YAML and JSON files not under a hidden folder.
    """
    wanted = in_folder or _data_file
    found: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and wanted(p, path)))
        elif path.is_file():
            found.append(path)
        elif (problem := input_problem(path)) not in (None, NOT_FOUND):
            problems.append(Problem(raw, problem))  # a FIFO or a device: never opened
        elif any(ch in raw for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(raw, recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                problems.append(Problem(raw, Text("通配符没有匹配到任何文件",
                                                  "the pattern matches no file")))
            found.extend(files)
        else:
            problems.append(Problem(raw, Text("文件或目录不存在", "no such file or directory")))
    return list(dict.fromkeys(found)), problems


def _data_file(path: Path, root: Path) -> bool:
    return path.suffix in SUFFIXES and not any(
        part.startswith(".") for part in path.relative_to(root).parts)


class Validator:
    def __init__(self, library: Library, calendar: WorkCalendar) -> None:
        self.library = library
        self.calendar = calendar
        self.procedures = cached_loader(library)
        self.kinds = KindCheck(library)

    @cached_property
    def records(self) -> RecordChecker:
        # Built on the first record file: a run of selection cases never imports the
        # record models.
        from selection_rules.engine.record_replay import RecordChecker

        return RecordChecker(self.library, self.kinds)

    def run(self, paths: Iterable[str], *, from_folder: bool = False) -> Iterator[Outcome]:
        files, problems = expand(paths)
        for problem in problems:
            yield Outcome(problem.file, problems=[problem])
        named = {Path(p) for p in paths}
        for path in files:
            outcome = self.validate_file(path, skip_other_kinds=path not in named)
            if outcome is not None:
                yield outcome

    def validate_file(self, path: Path, *, skip_other_kinds: bool = False) -> Outcome | None:
        try:
            doc = load_document(path)
        except InputError as exc:
            return Outcome(str(path), problems=exc.problems)
        return self.validate_document(doc, skip_other_kinds=skip_other_kinds)

    def validate_document(
        self, doc: Document, *, skip_other_kinds: bool = False
    ) -> Outcome | None:
        """Validate a loaded document (a rule test's base case with its changes applied)."""
        path = Path(doc.path)
        try:
            if skip_other_kinds and other_kind(doc.data) is not None:
                return None
            kind = file_kind(doc)
            if kind != "selection":
                return Outcome(str(path), result=self.records.validate(doc, kind))
            case = parse_case(doc)
            self.library.require(case.procedure, doc, ("procedure",), "procedure")
            for i, name in enumerate(case.rule_sets):
                self.library.require(name, doc, ("rule_sets", i), "rule_set")
            named = [(case.procedure, ("procedure",)),
                     *((n, ("rule_sets", i)) for i, n in enumerate(case.rule_sets))]
            self.kinds.check(doc, "selection", named)
            proc = self.procedures(case.procedure, tuple(case.rule_sets))
            result = judge(proc, case, self.calendar, doc)
        except InputError as exc:
            return Outcome(str(path), problems=exc.problems)
        return Outcome(str(path), result=result)


def judge(proc: Procedure, case: Case, calendar: WorkCalendar, doc: Document) -> CaseResult:
    """What `validate` reports for `case`, read from `doc` and following `proc`: every
    violation, `incomplete` included, each at its line. `simulate` judges its session
    here too, so that both say the same of the same case."""
    conflict = decision_date_conflict(proc, case)
    if conflict is not None:
        raise InputError.at(doc.path, conflict, line=doc.line_of(("decision_date",)),
                            field="decision_date")
    result = replay(proc, case, calendar, file=str(Path(doc.path)))
    for v in result.violations:
        v.line = doc.line_of(v.loc)
    return result
