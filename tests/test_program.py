"""The program's entry point: the cycle collector waits out start-up and runs for the files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Records, for each file the pipeline checks, whether the collector is running and how
# many objects start-up left frozen; workers (forked) print their own lines.
SPY = """
import gc, os, sys
from selection_rules.engine import pipeline
check = pipeline.Pipeline.check_file
def spy(self, *args, **kwargs):
    # One write per line: two workers share the pipe, and a short write is not split.
    os.write(2, f"file {gc.isenabled()} {gc.get_freeze_count() > 0}\\n".encode())
    return check(self, *args, **kwargs)
pipeline.Pipeline.check_file = spy
sys.argv = ["selection-rules", *sys.argv[1:]]
from selection_rules import program
try:
    program.main()
except SystemExit:
    pass
print("end", gc.isenabled(), file=sys.stderr)
"""


def _run(*args: str) -> list[list[str]]:
    done = subprocess.run([sys.executable, "-c", SPY, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    lines = [line.split() for line in done.stderr.splitlines()
             if line.startswith(("file ", "end "))]
    assert lines, done.stderr
    return lines


def test_collector_waits_for_the_first_file_then_runs_for_the_rest() -> None:
    lines = _run("validate", "--jobs", "1", "examples/pengshan")
    files = [line for line in lines if line[0] == "file"]
    assert len(files) > 3
    # The first file's procedure is compiled with the collector paused; from the second
    # on, it runs, and what start-up made is frozen out of its way.
    assert files[0][1] == "False"
    assert all(line[1:] == ["True", "True"] for line in files[1:])
    assert lines[-1] == ["end", "True"]


def test_files_passed_over_end_start_up_too(tmp_path: Path) -> None:
    # A folder whose first files are not cases (a procedure, here): the collector runs
    # from the second file checked, not from the first case.
    import shutil

    (tmp_path / "a").mkdir()
    (tmp_path / "z").mkdir()
    for n in range(3):
        shutil.copy(ROOT / "rules" / "pengshan-five-votes.yaml", tmp_path / "a" / f"p{n}.yaml")
    shutil.copy(ROOT / "examples" / "pengshan" / "clean.yaml", tmp_path / "z" / "clean.yaml")
    lines = _run("validate", "--jobs", "1", str(tmp_path))
    files = [line for line in lines if line[0] == "file"]
    assert len(files) == 4
    assert files[0][1] == "False"
    assert all(line[1:] == ["True", "True"] for line in files[1:])


def test_workers_are_forked_with_the_collector_running() -> None:
    lines = _run("validate", "--jobs", "2", "examples/pengshan")
    files = [line for line in lines if line[0] == "file"]
    assert len(files) > 3
    assert all(line[1:] == ["True", "True"] for line in files)


def test_other_commands_end_start_up_before_their_work() -> None:
    import gc

    from typer.testing import CliRunner

    from selection_rules import program
    from selection_rules.cli import app

    assert gc.isenabled()
    gc.disable()
    program._paused = True
    try:
        result = CliRunner().invoke(app, ["rules", "list"])
        assert result.exit_code == 0, result.output
        assert gc.isenabled() and not program._paused
    finally:
        program._paused = False
        gc.unfreeze()
        gc.enable()
