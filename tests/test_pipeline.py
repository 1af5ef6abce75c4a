"""One pipeline from file to report: each file parsed once by every command, results
streamed as files finish, the same output with --jobs N as with --jobs 1, and a
progress bar only on a terminal."""

from __future__ import annotations

import io
import json
import shutil
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT

runner = CliRunner()
PENGSHAN = EXAMPLES / "pengshan"


def run(*args: str):  # type: ignore[no-untyped-def]
    from selection_rules.cli import app

    return runner.invoke(app, list(args))


@pytest.fixture
def reads(monkeypatch):  # type: ignore[no-untyped-def]
    """Every document parsed from a file in this process, by path, from a clean start."""
    from selection_rules.engine import library, pipeline
    from selection_rules.source import loading

    monkeypatch.setattr(library, "_documents", {})
    pipeline.forget()
    count: Counter[str] = Counter()
    real = loading.load_document

    def counted(path, **kwargs):  # type: ignore[no-untyped-def]
        count[str(Path(path).resolve())] += 1
        return real(path, **kwargs)

    monkeypatch.setattr(loading, "load_document", counted)
    return count


def _twice(count: Counter[str]) -> list[str]:
    return [path for path, n in count.items() if n > 1]


def test_validate_parses_each_file_once(reads) -> None:  # type: ignore[no-untyped-def]
    result = run("validate", "--jobs", "1", str(EXAMPLES))
    assert result.exit_code == 2  # two files of the examples are bad on purpose
    cases = [p for p in reads if p.startswith(str(EXAMPLES))]
    assert len(cases) > 90 and _twice(reads) == []
    rules = [p for p in reads if p.startswith(str(ROOT / "rules"))]
    assert rules  # the rule files too, however many cases name them


def test_diagram_case_parses_the_case_and_its_rules_once(reads) -> None:  # type: ignore[no-untyped-def]
    case = PENGSHAN / "ps7-below-80.yaml"
    assert run("diagram", "--case", str(case)).exit_code == 0
    assert reads[str(case.resolve())] == 1 and _twice(reads) == []


def test_simulate_from_parses_the_case_once(reads) -> None:  # type: ignore[no-untyped-def]
    case = PENGSHAN / "ps7-below-80.yaml"
    result = run("simulate", "--from", str(case), "--script", str(
        EXAMPLES / "simulate" / "five-votes.yaml"))
    assert reads[str(case.resolve())] == 1 and _twice(reads) == [], result.output


def test_rule_tests_parse_each_file_once(reads) -> None:  # type: ignore[no-untyped-def]
    result = run("test", str(ROOT / "tests" / "rules"))
    assert result.exit_code == 0, result.output
    assert reads[str((ROOT / "tests" / "rules" / "test_cn-baseline.yaml").resolve())] == 1
    assert _twice(reads) == []  # a base case shared by many tests included


def test_lint_parses_each_rule_file_once(reads) -> None:  # type: ignore[no-untyped-def]
    run("lint", str(ROOT / "rules"))
    assert reads[str((ROOT / "rules" / "cn-baseline.yaml").resolve())] == 1
    assert _twice(reads) == []


def test_lint_and_validate_share_the_compiled_procedures(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from selection_rules.engine import pipeline, procedure
    from selection_rules.engine.library import Library

    pipeline.forget()
    built: Counter[str] = Counter()
    real = procedure.load_procedure

    def counted(ident, library, rule_sets=()):  # type: ignore[no-untyped-def]
        built[ident] += 1
        return real(ident, library, rule_sets)

    monkeypatch.setattr(procedure, "load_procedure", counted)
    library = Library()
    for _ in range(3):
        pipeline.load_procedure("pengshan-five-votes", library)
        pipeline.load_procedure("pengshan-five-votes", Library())
    assert built == Counter({"pengshan-five-votes": 1})


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_two_jobs_print_what_one_prints(fmt: str) -> None:
    one = run("validate", "-f", fmt, "--jobs", "1", str(EXAMPLES))
    two = run("validate", "-f", fmt, "--jobs", "2", str(EXAMPLES))
    assert one.exit_code == two.exit_code == 2
    assert one.stdout_bytes == two.stdout_bytes


def test_one_job_or_one_file_starts_no_pool(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import concurrent.futures

    from selection_rules.engine import pipeline

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refused)
    monkeypatch.setattr(pipeline, "ProcessPoolExecutor", refused)
    assert run("validate", "--jobs", "1", str(PENGSHAN)).exit_code == 1
    assert run("validate", "--jobs", "4", str(PENGSHAN / "clean.yaml")).exit_code == 0


def test_jsonl_is_one_object_per_file_then_the_totals() -> None:
    lines = run("validate", "-f", "jsonl", str(PENGSHAN)).stdout.splitlines()
    document = json.loads(run("validate", "-f", "json", str(PENGSHAN)).stdout)
    *files, last = map(json.loads, lines)
    assert files == document["files"]
    assert last == {"format": document["format"], "version": document["version"],
                    "totals": document["totals"], "summary": document["summary"]}


def test_reports_are_written_as_each_file_finishes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The reporter has written a file's result before the next file is read."""
    from selection_rules.engine import pipeline
    from selection_rules.engine.validation import Outcome
    from selection_rules.lang.workdays import WorkCalendar
    from selection_rules.report.json import JsonLinesWriter, JsonWriter
    from selection_rules.report.text import TextWriter

    files = sorted(PENGSHAN.glob("*.yaml"))[:3]
    for make in (lambda s: TextWriter("en", s), JsonWriter, JsonLinesWriter):
        out = io.StringIO()
        writer = make(out)
        seen = []
        real = pipeline.read

        def read(path, *rest, real=real, out=out, seen=seen):  # type: ignore[no-untyped-def]
            seen.append(out.getvalue().count(str(PENGSHAN)))
            return real(path, *rest)

        monkeypatch.setattr(pipeline, "read", read)
        p = pipeline.Pipeline(pipeline.Library(), WorkCalendar())
        with p.run([(f, False) for f in files]) as outcomes:
            for o in outcomes:
                assert isinstance(o, Outcome)
                writer.add(o)
        writer.close()
        assert seen[0] == 0 and all(a < b for a, b in pairwise(seen))


def test_the_progress_bar_is_silent_off_a_terminal() -> None:
    from selection_rules.report.progress import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet, tty = io.StringIO(), Terminal()
    with progress(500, quiet) as done:
        for _ in range(500):
            done()
    assert quiet.getvalue() == ""
    with progress(3, tty) as done:  # a few files: no bar either
        done()
    assert tty.getvalue() == ""
    # A terminal and many files: a bar (rich draws it, then clears it).
    with progress(500, tty) as done:
        done()
    assert tty.getvalue() != ""


def test_validate_on_many_files_writes_nothing_to_a_non_terminal_stderr(tmp_path: Path) -> None:
    import shutil

    for i in range(60):
        shutil.copy(PENGSHAN / "clean.yaml", tmp_path / f"case-{i:02}.yaml")
    result = run("validate", "--jobs", "1", str(tmp_path))
    assert result.exit_code == 0
    assert result.stderr == ""


def test_the_bar_leaves_a_report_sent_to_a_file_alone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """stderr a terminal, stdout a file (`validate DIR > report.json`): the report goes
    to the file whole, the bar to the terminal."""
    import sys

    from selection_rules.report.progress import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    report, tty = io.StringIO(), Terminal()
    monkeypatch.setattr(sys, "stdout", report)
    with progress(500, tty) as done:
        sys.stdout.write("the report\n")
        done()
    assert report.getvalue() == "the report\n"
    assert "the report" not in tty.getvalue()


def test_rule_coverage_of_the_whole_library_reads_each_rule_file_once(reads) -> None:  # type: ignore[no-untyped-def]
    result = run("test", "--all-rules", "--coverage", str(ROOT / "tests" / "rules"))
    assert result.exit_code in (0, 1), result.output
    assert reads[str((ROOT / "rules" / "cn-baseline.yaml").resolve())] == 1
    assert _twice(reads) == []


def test_rules_list_reads_each_rule_file_once(reads) -> None:  # type: ignore[no-untyped-def]
    assert run("rules", "list").exit_code == 0
    assert reads[str((ROOT / "rules" / "cn-baseline.yaml").resolve())] == 1
    assert _twice(reads) == []


def test_a_reporter_keeps_nothing_of_a_finished_file() -> None:
    """Memory does not grow with the files: a writer keeps counts, not outcomes."""
    import gc
    import weakref

    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import Pipeline
    from selection_rules.lang.workdays import WorkCalendar
    from selection_rules.report.json import JsonLinesWriter, JsonWriter
    from selection_rules.report.text import TextWriter

    pipeline = Pipeline(Library(), WorkCalendar())
    for writer in (TextWriter("zh", io.StringIO()), JsonWriter(io.StringIO()),
                   JsonLinesWriter(io.StringIO())):
        outcome = pipeline.check_file(PENGSHAN / "ps7-below-80.yaml")
        assert outcome is not None and outcome.result is not None
        gone = weakref.ref(outcome.result)
        writer.add(outcome)
        del outcome
        gc.collect()
        assert gone() is None, type(writer).__name__
        writer.close()


@pytest.mark.parametrize("command", ["lint", "validate"])
def test_a_long_lived_process_keeps_no_rule_folder_of_an_earlier_run(
        tmp_path: Path, command: str) -> None:
    """The tests, the pytest plugin and the fuzzer run many commands in one process,
    each with rules of its own: what one run read and compiled is dropped by the next."""
    from typer.testing import CliRunner

    from selection_rules.cli import app
    from selection_rules.engine import library, pipeline

    sizes = []
    for i in range(4):
        rules = tmp_path / f"rules{i}"
        rules.mkdir()
        shutil.copy(ROOT / "rules" / "pengshan-five-votes.yaml", rules)
        args = ([command, str(rules / "pengshan-five-votes.yaml"), "--rules", str(rules)]
                if command == "lint" else
                [command, str(EXAMPLES / "pengshan" / "clean.yaml"), "--rules", str(rules)])
        result = CliRunner().invoke(app, args)
        assert result.exit_code in (0, 1), result.output
        sizes.append((len(library._documents), len(pipeline._compiled)))
    assert sizes[-1] == sizes[0], sizes


def test_a_settled_pipeline_looks_up_each_procedure_once_and_judges_each_case(
        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`validate` takes the rule files as they are once: the names a case gives are looked
    up on disk for the first case only, while each case's own checks (its decision date
    against its events) and results stay its own, as an unsettled pipeline gives them."""
    from selection_rules.engine import pipeline
    from selection_rules.lang.workdays import WorkCalendar

    files = [(str(f), False) for f in sorted(PENGSHAN.glob("*.yaml"))]
    looked_up: Counter[str] = Counter()
    real = pipeline.Library.find

    def find(self, ident):  # type: ignore[no-untyped-def]
        looked_up[ident] += 1
        return real(self, ident)

    def outcomes(settled: bool, files: list[tuple[str, bool]] = files,
                 ) -> list[tuple[str, object, object]]:
        p = pipeline.Pipeline(pipeline.Library(), WorkCalendar(), settled=settled)
        with p.run(files) as run_:
            return [(o.path, o.result and [(v.rule_id, v.line, v.message.en)
                                           for v in o.result.violations],
                     [x.render("en") for x in o.problems]) for o in run_]

    plain = outcomes(settled=False)
    monkeypatch.setattr(pipeline.Library, "find", find)
    outcomes(settled=True, files=files[:1])
    for_one = looked_up.copy()
    looked_up.clear()
    assert outcomes(settled=True) == plain
    assert len(files) > 5 and looked_up == for_one and looked_up["pengshan-five-votes"]
