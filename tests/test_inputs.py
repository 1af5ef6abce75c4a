"""Input files: a FIFO, a device or a socket named as any input of any command is refused
as "not a regular file" (located, bilingual, exit 2), and never opened, so never waited on.

Run as subprocesses with a timeout: a command that opened a FIFO would wait for a writer
for ever, and an in-process runner would hang the suite with it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES
from selection_rules.errors import InputError
from selection_rules.source.inputs import input_problem, open_input

CASE = str(EXAMPLES / "pengshan" / "clean.yaml")

# Every option or argument of every command that names an input file; {} is the file.
USES = [
    ["validate", "{}"],
    ["validate", "--holidays", "{}", CASE],
    ["simulate", "--from", "{}"],
    ["simulate", "pengshan-five-votes", "--script", "{}"],
    ["simulate", "--from", CASE, "--holidays", "{}", "--set", "events[0].date=2024-01-15"],
    ["diagram", "--case", "{}"],
    ["lint", "{}"],
    ["test", "{}"],
]


@pytest.fixture(params=["socket", "device"])
def special(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "device":
        yield os.devnull
        return
    path = tmp_path / "special.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        yield str(path)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SELECTION_RULES_LANG": "en"}
    return subprocess.run([sys.executable, "-m", "selection_rules.cli", *args],
                          capture_output=True, text=True, timeout=60, check=False, env=env,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("use", USES, ids=lambda u: " ".join(u[:2]))
def test_a_fifo_as_any_input_is_refused_without_waiting(use: list[str], tmp_path: Path,
                                                        ) -> None:
    fifo = tmp_path / "special.yaml"
    os.mkfifo(fifo)
    _refused(use, str(fifo))


@pytest.mark.parametrize("use", USES[:3:2], ids=lambda u: " ".join(u[:2]))
def test_a_device_or_socket_is_refused_as_a_fifo_is(use: list[str], special: str) -> None:
    _refused(use, special)


def _refused(use: list[str], special: str) -> None:
    done = _cli(*[special if a == "{}" else a for a in use])
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert f"{special}: not a regular file" in output, output
    assert "internal error" not in output and "Traceback" not in output


def test_the_message_is_bilingual(tmp_path: Path) -> None:
    fifo = tmp_path / "holidays.yaml"
    os.mkfifo(fifo)
    problem = input_problem(fifo)
    assert problem is not None and "不是普通文件" in problem.zh
    assert "not a regular file" in problem.en and "不" not in problem.en
    with pytest.raises(InputError) as exc:
        open_input(fifo)
    assert exc.value.problems[0].file == str(fifo)


def test_a_nul_in_a_file_name_is_a_problem_not_a_crash() -> None:
    problem = input_problem("case\0.yaml")
    assert problem is not None and "NUL" in problem.en
    with pytest.raises(InputError):
        open_input("case\0.yaml")


def test_a_regular_file_opens(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert input_problem(path) is None
    with open_input(path) as fh:
        assert fh.read() == b"a: 1\n"


def test_a_rule_test_case_path_that_is_special_or_holds_nul_is_located(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "folder.yaml").mkdir()
    tests = tmp_path / "test_special.yaml"
    tests.write_text('tests:\n  - name: a FIFO\n    case: fifo.yaml\n    expect: []\n'
                     '  - name: a NUL\n    case: "a\\0b.yaml"\n    expect: []\n'
                     '  - name: a folder\n    case: folder.yaml\n    expect: []\n',
                     encoding="utf-8")
    done = _cli("test", str(tests))
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert f"{tests}:3: case file fifo.yaml: not a regular file" in output, output
    assert f"{tests}:6: the file name contains a NUL character" in output, output
    assert f"{tests}:9: case file folder.yaml: this is a folder, not a file" in output, output
    assert "internal error" not in output
