"""One pipeline from file to report, used by every command that checks a file.

    read → identify → to_model → prepare → replay → locate → (a reporter)

`read` turns a file's bytes into a located `Document` (the only place a case or record
file is parsed); `identify` says what kind of file it is; `to_model` validates it into
the case or record model; `prepare` finds and checks the procedure or rule sets it names
and loads them from the per-process cache (compiled once per process, whatever the
number of files), and chooses the decision date (`decision_date_conflict`); `replay`
runs the case or record through them; `locate` puts each violation at its line. A
`Pipeline` chains the stages for one library and calendar; `validate`, the records,
`diagram --case`, `simulate --from`, `test` and `lint` (its procedures) all go through
it. `Pipeline.run` checks many files, in worker processes with `jobs > 1`, and yields
the outcomes in the order of the files.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from selection_rules.engine.kinds import KindCheck, file_kind
from selection_rules.engine.library import Library, file_signature, forget_documents
from selection_rules.engine.replay import decision_date_conflict
from selection_rules.engine.replay import replay as replay_case
from selection_rules.engine.violations import CaseResult
from selection_rules.errors import InputError, Problem
from selection_rules.report import REPORT_FORMAT
from selection_rules.source import loading
from selection_rules.source.document import Document

if TYPE_CHECKING:
    from selection_rules.engine.compiled import Procedure
    from selection_rules.engine.validation import Outcome
    from selection_rules.lang.workdays import WorkCalendar
    from selection_rules.model.case import Case
    from selection_rules.model.records import RecordFile
    from selection_rules.model.vocabulary import Term

# ------------------------------------------------------------- the per-process caches

# Compiled procedures and rule sets by library folders, kind and names, with the files
# they were compiled from (and their signatures); a failure is kept as its InputError.
_Key = tuple[tuple[str, ...], str, str, tuple[str, ...]]
_Files = tuple[tuple[str, tuple[int, int]], ...]
_compiled: dict[_Key, tuple[_Files, Procedure | InputError]] = {}


def forget() -> None:
    """Drop every compiled procedure and rule set, and the rule files they were read
    from (a new run in the same process)."""
    _compiled.clear()
    forget_documents()


def _files(found: Procedure | InputError) -> _Files:
    if isinstance(found, InputError):
        return ()
    return tuple((doc.path, file_signature(Path(doc.path))) for _, doc in found.layers)


def _cached(what: str, ident: str, rule_sets: tuple[str, ...], library: Library,
            build: Callable[[], Procedure]) -> Procedure:
    key = (tuple(map(str, library.dirs)), what, ident, rule_sets)
    entry = _compiled.get(key)
    # A rule file changed since it was compiled (an editor, a test) is compiled again.
    if entry is None or any(file_signature(Path(p)) != sig for p, sig in entry[0]):
        found: Procedure | InputError
        try:
            found = build()
        except InputError as exc:
            found = exc
        entry = _compiled[key] = (_files(found), found)
    found = entry[1]
    if isinstance(found, InputError):
        raise found
    return found


def load_procedure(procedure_id: str, library: Library, rule_sets: tuple[str, ...] = ()
                   ) -> Procedure:
    """`engine.procedure.load_procedure`, compiled once per process and library folders."""
    from selection_rules.engine import procedure

    return _cached("procedure", procedure_id, rule_sets, library,
                   lambda: procedure.load_procedure(procedure_id, library, rule_sets))


def load_record_rules(kind: str, rule_sets: tuple[str, ...], library: Library) -> Procedure:
    """`engine.procedure.load_record_rules`, compiled once per process."""
    from selection_rules.engine import procedure

    return _cached("record", kind, rule_sets, library,
                   lambda: procedure.load_record_rules(kind, rule_sets, library))


# ------------------------------------------------------------------------ the stages

_SCRIPT_ACTIONS = frozenset({"start", "add", "status", "set", "undo", "save"})


# A case kept as tables: a workbook (sheet!cell places) or a CSV (workbook/load.py).
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def read(path: str | Path, encoding: str | None = None) -> Document:
    """Bytes → located document; InputError if the file cannot be read or parsed.
    `encoding` is a CSV's (None: UTF-8 or GB18030, told apart where they can be)."""
    if os.path.splitext(str(path))[1].lower() in TABLE_SUFFIXES:
        from selection_rules.workbook.load import load_tables

        return load_tables(path, encoding)
    return loading.load_document(path)


def other_kind(data: object) -> str | None:
    """What a file found in a folder is, if it is another of this tool's files.

    A folder of case files often holds the holiday lists, rule tests, procedures and
    simulation scripts that go with them; `validate DIR` passes over those (a file named
    on the command line is always validated, and says what is wrong with it).
    """
    if isinstance(data, dict):
        if "holidays" in data and "years" in data:
            return "holidays"
        # The tool's own reports, written into the folder they report on: the JSON
        # report (and a report workbook, which workbook/load.py reads as this marker),
        # and SARIF.
        if data.get("format") == REPORT_FORMAT or (
                isinstance(data.get("runs"), list) and "sarif" in str(data.get("$schema"))):
            return "report"
        if "tests" in data:
            return "rule tests"
        if data.get("kind") in ("procedure", "rule_set") and "id" in data:
            return "rules"
    if isinstance(data, list) and data and all(
            (isinstance(x, dict) and set(x) <= _SCRIPT_ACTIONS)
            or (isinstance(x, str) and x in _SCRIPT_ACTIONS)  # a mapping or list is no key
            for x in data):
        return "simulation script"
    return None


def identify(doc: Document, *, skip_other_kinds: bool = False) -> str | None:
    """'selection' or a record kind; None for another of the tool's files when asked to
    pass over them; InputError for a file of no kind."""
    if skip_other_kinds and other_kind(doc.data) is not None:
        return None
    return file_kind(doc)


def to_model(doc: Document, kind: str, library: Library | None = None,
             settled: DeclaredTerms | None = None) -> Case | RecordFile:
    """The document validated into the case model, or the record model of its kind; a
    case with the values its procedure and rule sets declare in force (`terms:`, and the
    steps' labels as event types), where `library` finds them."""
    if kind == "selection":
        from selection_rules.engine.case_loader import parse_case
        from selection_rules.model.vocabulary import declared

        with declared(declared_terms(doc, library, settled) if library is not None else {}):
            return parse_case(doc)
    # Imported on the first record: a run of selection cases never builds record models.
    from selection_rules.engine.record_loader import parse_record

    return parse_record(doc, kind)


# What a settled pipeline has prepared: (kind, procedure, rule sets) → the procedure.
Prepared: TypeAlias = "dict[tuple[str, str, tuple[str, ...]], Procedure]"
# And the values their files declare, by the names a case gives.
DeclaredTerms: TypeAlias = "dict[tuple[str, tuple[str, ...]], dict[str, tuple[Term, ...]]]"


def declared_terms(doc: Document, library: Library, settled: DeclaredTerms | None = None,
                   ) -> dict[str, tuple[Term, ...]]:
    """The terms of the procedure and rule sets a case names, read before the case is
    validated; InputError for a name not found; none where the files cannot be loaded
    (prepare then says why, at its line)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    ident, named = data.get("procedure"), data.get("rule_sets") or []
    if not isinstance(ident, str) or not isinstance(named, list) \
            or not all(isinstance(n, str) for n in named) or len(set(named)) != len(named):
        return {}  # validation says what is wrong with the names, at their lines
    if settled is not None:  # looked up once per run (see Pipeline)
        key = (ident, tuple(named))
        found = settled.get(key)
        if found is None:
            found = settled[key] = declared_terms(doc, library)
        return found
    # A procedure that is not there is said first: the values it would declare are not.
    library.require(ident, doc, ("procedure",), "procedure")
    for i, name in enumerate(named):
        library.require(name, doc, ("rule_sets", i), "rule_set")
    try:
        return load_procedure(ident, library, tuple(named)).terms
    except InputError:
        return {}


def prepare(library: Library, kinds: KindCheck, doc: Document, kind: str,
            model: Case | RecordFile, settled: Prepared | None = None) -> Procedure:
    """The compiled procedure (and rule sets) the file names, from the process's cache,
    after checking each name exists and applies to this kind of file; for a case, the
    decision date it is judged as of.

    With `settled`, names found, checked and loaded for an earlier file are taken from
    it as they are: nothing is looked up on disk again (see `Pipeline`)."""
    if settled is not None:
        key = (kind, getattr(model, "procedure", ""), tuple(model.rule_sets))
        proc = settled.get(key)
        if proc is None:
            proc = settled[key] = prepare(library, kinds, doc, kind, model)
        elif kind == "selection":
            choose_date(proc, model, doc)  # type: ignore[arg-type]
        return proc
    if kind != "selection":
        for i, name in enumerate(model.rule_sets):
            library.require(name, doc, ("rule_sets", i), "rule_set")
        kinds.check(doc, kind, [(n, ("rule_sets", i)) for i, n in enumerate(model.rule_sets)])
        return load_record_rules(kind, tuple(model.rule_sets), library)
    case: Case = model  # type: ignore[assignment]
    library.require(case.procedure, doc, ("procedure",), "procedure")
    for i, name in enumerate(case.rule_sets):
        library.require(name, doc, ("rule_sets", i), "rule_set")
    named = [(case.procedure, ("procedure",)),
             *((n, ("rule_sets", i)) for i, n in enumerate(case.rule_sets))]
    kinds.check(doc, "selection", named)
    proc = load_procedure(case.procedure, library, tuple(case.rule_sets))
    choose_date(proc, case, doc)
    return proc


def choose_date(proc: Procedure, case: Case, doc: Document) -> None:
    """InputError, at `decision_date`, if the case's date contradicts its events."""
    conflict = decision_date_conflict(proc, case)
    if conflict is not None:
        raise InputError.at(doc.path, conflict, line=doc.line_of(("decision_date",)),
                            field="decision_date")


def replay(proc: Procedure, model: Case | RecordFile, calendar: WorkCalendar, doc: Document,
           kind: str = "selection") -> CaseResult:
    """Every violation of the case or record, not yet located."""
    if kind != "selection":
        from selection_rules.engine.record_replay import replay_record

        return replay_record(proc, model, file=doc.path)  # type: ignore[arg-type]
    return replay_case(proc, model, calendar, file=str(Path(doc.path)))  # type: ignore[arg-type]


def locate(result: CaseResult, doc: Document) -> CaseResult:
    """Each violation at its line of the document."""
    for v in result.violations:
        v.line = doc.line_of(v.loc)
        v.cell = doc.cell_of(v.loc)
    return result


def place_problems(doc: Document, problems: list[Problem]) -> list[Problem]:
    """A workbook's problems at their cells: each is found at its path (`field`)."""
    if doc.format != "workbook":
        return problems
    from selection_rules.source.paths import PathError, parse_loc

    for p in problems:
        if p.file == doc.path and p.cell is None and p.line is None:
            try:
                p.cell = doc.cell_of(parse_loc(p.field) if p.field else ())
            except PathError:
                p.cell = doc.cell_of(())
    return problems


def judge(proc: Procedure, case: Case, calendar: WorkCalendar, doc: Document) -> CaseResult:
    """What `validate` reports for `case`, read from `doc` and following `proc`: every
    violation, `incomplete` included, each at its line. `simulate` judges its session
    here too, so that both say the same of the same case."""
    choose_date(proc, case, doc)
    return locate(replay(proc, case, calendar, doc), doc)


# ------------------------------------------------------------------------ the chain


@dataclass(eq=False)
class Checked:
    """One file through the pipeline: what each stage made of it."""

    doc: Document
    kind: str
    model: Case | RecordFile
    proc: Procedure
    result: CaseResult


# A file to check, and whether to pass over the tool's other files (found in a folder).
Task = tuple[str, bool]


class Tasks:
    """The files a run checks, in order: folders are walked again each time they are
    gone through rather than kept, so a run over 100,000 files holds no list of them.

    `len` walks once to count (the progress bar's total, the number of workers worth
    starting); iterating walks again. Each item is the file as `str(Path)` writes it.
    """

    def __init__(self, parts: list[str | list[str]], named: frozenset[str]) -> None:
        self._parts = parts  # a folder to walk, or the files an argument named
        self._named = named
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = sum(1 for _ in self)
        return self._count

    def __iter__(self) -> Iterator[Task]:
        from selection_rules.engine.validation import walk

        # Only arguments that overlap can name a file twice (a folder and a file in it).
        seen: set[str] | None = set() if len(self._parts) > 1 else None
        for part in self._parts:
            for name in walk(part) if isinstance(part, str) else part:
                if seen is not None:
                    if name in seen:
                        continue
                    seen.add(name)
                yield name, name not in self._named


class Pipeline:
    """identify → to_model → prepare → replay → locate, for one file or many.

    A `settled` pipeline (one `validate` run, and its workers) takes the rule files as
    they are when it first needs them: each procedure and rule set is looked up, checked
    and compared with its file once, not for every case that names it. Others (the rule
    tests, `simulate`, the pytest plugin) notice a rule file edited between two files.
    """

    def __init__(self, library: Library, calendar: WorkCalendar,
                 encoding: str | None = None, *, settled: bool = False) -> None:
        self.library = library
        self.calendar = calendar
        self.kinds = KindCheck(library)
        self.encoding = encoding  # of CSV cases
        self.settled: Prepared | None = {} if settled else None
        self.settled_terms: DeclaredTerms | None = {} if settled else None

    def check(self, doc: Document, *, skip_other_kinds: bool = False) -> Checked | None:
        """identify → to_model → prepare → replay → locate; InputError at any stage."""
        kind = identify(doc, skip_other_kinds=skip_other_kinds)
        if kind is None:
            return None
        model = to_model(doc, kind, self.library, self.settled_terms)
        proc = prepare(self.library, self.kinds, doc, kind, model, self.settled)
        result = locate(replay(proc, model, self.calendar, doc, kind), doc)
        return Checked(doc, kind, model, proc, result)

    def outcome(self, doc: Document, *, skip_other_kinds: bool = False) -> Outcome | None:
        from selection_rules.engine.validation import Outcome

        try:
            checked = self.check(doc, skip_other_kinds=skip_other_kinds)
        except InputError as exc:
            return Outcome(str(Path(doc.path)), problems=place_problems(doc, exc.problems))
        if checked is None:
            return None
        return Outcome(str(Path(doc.path)), result=checked.result)

    def check_file(self, path: str | Path, *,
                   skip_other_kinds: bool = False) -> Outcome | None:
        """read, then the rest: the file's outcome (None for a file passed over)."""
        from selection_rules.engine.validation import Outcome

        try:
            doc = read(path, self.encoding)
        except InputError as exc:
            return Outcome(str(path), problems=exc.problems)
        return self.outcome(doc, skip_other_kinds=skip_other_kinds)

    def plan(self, paths: Iterable[str]) -> tuple[Tasks, list[Problem]]:
        """The files `paths` name, each with whether to pass over the tool's other files
        (found in a folder rather than named), and the problems of paths that name none."""
        from selection_rules.engine.validation import expand

        paths = list(paths)
        parts: list[str | list[str]] = []
        problems: list[Problem] = []
        for raw in paths:
            if Path(raw).is_dir():
                parts.append(str(Path(raw)))
                continue
            files, found = expand([raw])
            parts.append([str(f) for f in files])
            problems.extend(found)
        return Tasks(parts, frozenset(str(Path(p)) for p in paths)), problems

    def run(self, tasks: Tasks | list[Task], jobs: int = 1,
            done: Callable[[], None] | None = None) -> Run:
        """The outcomes of `tasks`, in their order (`with` it: the workers stop at the end)."""
        return Run(self, tasks, jobs, done)


# ------------------------------------------------------------------ many files at once

_worker: Pipeline | None = None


def _start_worker(dirs: list[str], calendar: WorkCalendar, encoding: str | None) -> None:
    global _worker
    library = Library((), shipped=False)
    library.dirs = [Path(d) for d in dirs]
    _worker = Pipeline(library, calendar, encoding, settled=True)


def _check_chunk(chunk: list[Task]) -> list[Outcome | None]:
    assert _worker is not None
    return [_worker.check_file(path, skip_other_kinds=skip) for path, skip in chunk]


def default_jobs() -> int:
    """The CPUs this process may run on (a container's share, where the system says)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


class Run:
    """Checking a list of files: in this process with one job or one file, else in a
    pool of worker processes (each with its own procedure cache) fed chunks of files,
    whose outcomes come back as plain records and are yielded in the files' order."""

    def __init__(self, pipeline: Pipeline, tasks: Tasks | list[Task], jobs: int,
                 done: Callable[[], None] | None) -> None:
        self.pipeline = pipeline
        self.tasks = tasks
        self.done = done or (lambda: None)
        self.jobs = max(1, min(jobs, len(tasks)))
        self.pool: Executor | None = None

    def __enter__(self) -> Run:
        if self.jobs > 1:
            methods = multiprocessing.get_all_start_methods()
            # fork: the workers start with what this process has imported and compiled.
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self.pool = ProcessPoolExecutor(
                self.jobs, mp_context=context, initializer=_start_worker,
                initargs=([str(d) for d in self.pipeline.library.dirs],
                          self.pipeline.calendar, self.pipeline.encoding))
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def __iter__(self) -> Iterator[Outcome]:
        if self.pool is None:
            for path, skip in self.tasks:
                outcome = self.pipeline.check_file(path, skip_other_kinds=skip)
                self.done()
                if outcome is not None:
                    yield outcome
            return
        pool = self.pool
        size = max(1, min(64, len(self.tasks) // (self.jobs * 8)))
        files = iter(self.tasks)
        # A few chunks per worker in flight, the next sent as one comes back: the files
        # are never all listed at once, and outcomes are yielded in the files' order.
        pending: deque[Future[list[Outcome | None]]] = deque()

        def send() -> None:
            chunk = list(islice(files, size))
            if chunk:
                pending.append(pool.submit(_check_chunk, chunk))

        for _ in range(self.jobs * 4):
            send()
        while pending:
            outcomes = pending.popleft().result()
            send()
            for outcome in outcomes:
                self.done()
                if outcome is not None:
                    yield outcome
