"""Workbooks that are not what they claim, or far larger than they look: damaged,
password-protected, renamed, zip bombs, sheets spread over the whole grid, files that
make the reader panic. Each is refused with a message (exit 2), within the budget, never
a traceback; and .xls files, written by a minimal writer kept in tests, read as .xlsx do."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from selection_rules.errors import InputError
from selection_rules.source.loading import load_document
from selection_rules.workbook.load import load_tables
from selection_rules.workbook.write import csv_text, to_grid, xlsx_bytes
from test_workbook import PS7, _as_xls_cells, _grid, _said, _write, run

# --------------------------------------------------------------- hostile workbooks


def test_what_is_not_a_workbook_exits_2_with_a_message(tmp_path: Path) -> None:
    good = xlsx_bytes(_grid())
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    files = {
        "text.xlsx": b"case: X\n",
        "cut.xlsx": good[: len(good) // 2],
        "zip.xlsx": zipped.getvalue(),
        "locked.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "empty.xlsx": b"",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        result = run("validate", "--lang", "en", str(tmp_path / name))
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert f"{tmp_path / name}: " in result.output, result.output
    assert "password" in run("validate", "--lang", "en", str(tmp_path / "locked.xlsx")).output


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from selection_rules import limits

    monkeypatch.setattr(limits, "MAX_WORKBOOK_UNPACKED", 10_000)
    case = _write(tmp_path / "big.xlsx", _grid())
    with pytest.raises(InputError) as err:
        load_tables(case)
    assert "unpacks to" in err.value.problems[0].message.en


def test_a_sheet_past_the_row_limit_is_refused_at_the_first_row_too_many(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from selection_rules import limits

    monkeypatch.setattr(limits, "MAX_SHEET_ROWS", 50)
    grid = _grid()
    grid["其他"] = [["路径", "值"]] + [[f"x{i}", i] for i in range(60)]
    with pytest.raises(InputError) as err:
        load_tables(_write(tmp_path / "long.xlsx", grid))
    [p] = err.value.problems
    assert p.cell == "其他!A52" and "larger than the limit" in p.message.en
    text = csv_text(grid).encode()
    (tmp_path / "long.csv").write_bytes(text)
    with pytest.raises(InputError):
        load_tables(tmp_path / "long.csv")


# ------------------------------------------------------------------------ .xls


def test_an_xls_twin_says_what_its_yaml_says(pipeline, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from xls_file import xls_bytes

    for name in ("pengshan/ps7-below-80", "zigong/zg4-tie-unstated"):
        yaml_path = EXAMPLES / f"{name}.yaml"
        case = tmp_path / (yaml_path.stem + ".xls")
        case.write_bytes(xls_bytes(_as_xls_cells(_grid(yaml_path))))
        outcome = pipeline.check_file(case)
        assert _said(outcome) == _said(pipeline.check_file(yaml_path)) != []
        assert all(v.cell for v in outcome.result.violations)


def test_a_damaged_xls_is_refused_quietly(tmp_path: Path) -> None:
    """A compound file whose stream cannot be followed (it made calamine panic, with a
    Rust backtrace on the standard error) is refused as a damaged file, quietly."""
    import os
    import subprocess
    import sys

    from xls_file import xls_bytes

    data = bytearray(xls_bytes({"基本信息": [["项目", "内容"]]}))
    # The Workbook stream's size, said to be below the mini-stream cutoff: the reader
    # then looks for a mini stream the file does not have.
    entry = 1024 + 128  # the directory is sector 1; its second entry
    data[entry + 120:entry + 124] = (100).to_bytes(4, "little")
    case = tmp_path / "bad.xls"
    case.write_bytes(bytes(data))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src"),
           "RUST_BACKTRACE": "1"}
    done = subprocess.run([sys.executable, "-m", "selection_rules.cli", "validate", "--lang",
                           "en", str(case)], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "cannot be read as a workbook" in done.stdout
    assert "panicked" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr + done.stdout


def test_a_sheet_spread_over_the_whole_grid_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """Two cells, at A1 and XFD1048576: the reader would ask for one block of 17 billion
    cells. The sheet is measured first and refused at the cell out of bounds, within a
    memory limit the reader alone would break."""
    import resource
    import subprocess
    import sys

    import xlsxwriter

    case = tmp_path / "sparse.xlsx"
    book = xlsxwriter.Workbook(str(case))
    sheet = book.add_worksheet("其他")
    sheet.write(0, 0, "路径")
    sheet.write(1048575, 16383, "x")
    book.close()
    assert case.stat().st_size < 10_000

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # the budget

    done = subprocess.run([sys.executable, "-m", "selection_rules.cli", "validate", "--lang",
                           "en", "--jobs", "1", str(case)], capture_output=True, text=True,
                          timeout=60, check=False, preexec_fn=cap,
                          env={"PYTHONPATH": str(Path(__file__).parents[1] / "src"),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2, done.stderr
    assert f"{case}!其他!A1048576: the sheet is larger than the limit" in done.stdout
    # The same in an .xls (the format's corner is IV65536): the file is followed to its
    # cell records before the reader sees it.
    from xls_file import xls_bytes

    old = tmp_path / "sparse.xls"
    old.write_bytes(xls_bytes({}, {"其他": [(0, 0, "路径"), (65535, 255, "x")]}))
    done = subprocess.run([sys.executable, "-m", "selection_rules.cli", "validate", "--lang",
                           "en", "--jobs", "1", str(old)], capture_output=True, text=True,
                          timeout=60, check=False, preexec_fn=cap,
                          env={"PYTHONPATH": str(Path(__file__).parents[1] / "src"),
                               "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2, done.stderr
    assert f"{old}!其他!IV65536: the sheet is larger than the limit" in done.stdout


def test_a_panic_of_the_reader_is_a_damaged_file_and_says_nothing(tmp_path: Path, monkeypatch,
                                                                   capfd) -> None:  # type: ignore[no-untyped-def]
    """calamine panics on some damaged files: Rust prints to the standard error itself
    and Python gets a PanicException, which is no Exception."""
    import os

    import python_calamine

    class PanicException(BaseException):
        pass

    def panics(_: object) -> None:
        os.write(2, b"thread '<unnamed>' panicked at cfb.rs\n")
        raise PanicException("index out of bounds")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", panics)
    case = _write(tmp_path / "c.xlsx", _grid())
    with pytest.raises(InputError) as err:
        load_tables(case)
    assert "damaged" in err.value.problems[0].message.en
    assert "panicked" not in capfd.readouterr().err


_FILES = (("ps7.xlsx", xlsx_bytes(to_grid(load_document(PS7).data))),)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(["xlsx", "xls"]),
       flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                      max_size=6),
       cut=st.one_of(st.none(), st.floats(0, 1)))
def test_damaged_workbooks_are_refused_never_crash(pipeline, tmp_path_factory, which, flips,
                                                   cut) -> None:  # type: ignore[no-untyped-def]
    """Bytes flipped or cut anywhere (the zip, its deflate streams, the sheets' XML, an
    .xls container or its records): a result, or problems saying where; nothing else."""
    from xls_file import xls_bytes

    data = bytearray(_FILES[0][1] if which == "xlsx" else xls_bytes(_as_xls_cells(_grid())))
    for at, value in flips:
        data[int(at * len(data))] = value
    if cut is not None:
        del data[int(cut * len(data)):]
    case = tmp_path_factory.mktemp("damaged") / f"case.{which}"
    case.write_bytes(bytes(data))
    outcome = pipeline.check_file(case)
    assert outcome is not None
    if outcome.result is None:
        assert outcome.problems and all(p.message.zh and p.message.en for p in outcome.problems)
