"""Bad input through the command line: a located bilingual message, exit 2, no traceback.

Each case starts from the clean example and breaks one thing, so the message is the only
thing that can explain the exit code. The input file is never modified.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from selection_rules.cli import app

CLEAN = (EXAMPLES / "pengshan" / "clean.yaml").read_text(encoding="utf-8")
runner = CliRunner()


def _validate(path: Path, *extra: str) -> tuple[int, str]:
    before = path.read_bytes()
    result = runner.invoke(app, ["validate", *extra, str(path)])
    assert path.read_bytes() == before, "the input file was modified"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _write(tmp_path: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("name", "old", "new", "needle", "zh", "en"),
    [
        ("malformed yaml", "posts:\n  - id: P1", "posts: [P1\n  - id: P1", "  - id: P1",
         "YAML", "YAML"),
        ("wrong type", "entitled: 30, present: 27", "entitled: thirty, present: 27",
         "entitled: thirty", "entitled", "entitled"),
        ("missing field", "unit: 中共彭山县委员会\n", "", "case: PS-2024-001", "unit", "unit"),
        ("unknown procedure", "procedure: pengshan-five-votes", "procedure: pengshan-six-votes",
         "procedure:", "未知程序", "unknown procedure"),
        ("unknown candidate", "result: [C01, C02, C03]\n\n  - type: democratic",
         "result: [C01, C02, C09]\n\n  - type: democratic", "result: [C01, C02, C09]",
         "C09", "unknown candidate 'C09'"),
        ("unparsable date", "date: 2024-03-04", "date: 2024-02-30", "date: 2024-02-30",
         "date", "date"),
        ("present above entitled", "entitled: 12\n      present: 8",
         "entitled: 12\n      present: 13", "body: standing_committee", "实到", "exceeds entitled"),
    ],
)
def test_located_error_exit_2(tmp_path: Path, name: str, old: str, new: str, needle: str,
                              zh: str, en: str) -> None:
    assert old in CLEAN, name
    text = CLEAN.replace(old, new, 1)
    path = _write(tmp_path, text)
    code, out = _validate(path)
    assert code == 2, out
    # A cross-field check (present > entitled) is located at the mapping holding both.
    line = _line_of(text, needle) - (1 if needle.startswith("body:") else 0)
    assert f"{path}:{line}" in out, out
    assert zh in out
    code, out = _validate(path, "--lang", "en")
    assert code == 2 and en in out, out


def test_json_case_file_errors_are_located(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"case": "X",\n "procedure": "pengshan-five-votes",,\n}', "c.json")
    code, out = _validate(path)
    assert code == 2 and f"{path}:2" in out, out


def test_gbk_file_is_named_as_gbk(tmp_path: Path) -> None:
    path = _write(tmp_path, CLEAN.encode("gbk"))
    code, out = _validate(path)
    assert code == 2 and "GBK" in out.upper(), out


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = _write(tmp_path, "\n".join(lines) + "\n")
    code, out = _validate(path)
    assert code == 2 and path.name in out, out


def test_very_large_file_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "# " + "x" * (17 * 1024 * 1024) + "\n")
    code, out = _validate(path)
    assert code == 2 and path.name in out, out


def test_not_a_case_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "title: 会议纪要\nitems: [1, 2]\n")
    code, out = _validate(path)
    assert code == 2, out
    assert "case" in out


def test_python_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = _write(tmp_path, f"case: !!python/object/apply:os.system ['touch {marker}']\n")
    code, out = _validate(path)
    assert code == 2 and not marker.exists(), out


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = _write(tmp_path, "case: X\nunit: [a, b\n", "bad.yaml")  # unclosed: found at the end
    good = _write(tmp_path, CLEAN, "good.yaml")
    result = runner.invoke(app, ["validate", "--format", "json", str(bad), str(good)])
    assert result.exit_code == 2
    doc = json.loads(result.output)
    assert [f["status"] for f in doc["files"]] == ["error", "clean"]
    [problem] = doc["files"][0]["problems"]
    assert problem["line"] == 3 and problem["message"]["zh"] and problem["message"]["en"]


def test_bad_holiday_list_is_located(tmp_path: Path) -> None:
    holidays = _write(tmp_path, "source: 通知\nyears: [2027]\nholidays: [2027-13-01]\n", "h.yaml")
    case = _write(tmp_path, CLEAN)
    result = runner.invoke(app, ["validate", "--holidays", str(holidays), str(case)])
    assert result.exit_code == 2
    assert f"{holidays}:3" in result.output, result.output


def test_decision_date_cannot_contradict_the_recorded_decision(tmp_path: Path) -> None:
    # Otherwise a case could choose the regulation it is judged by (CN-3 is 2019 only).
    text = (EXAMPLES / "pengshan" / "cn3-leader-not-last.yaml").read_text(encoding="utf-8")
    text = text.replace("unit: ", "decision_date: 2015-06-01\nunit: ", 1)
    path = _write(tmp_path, text)
    code, out = _validate(path, "--lang", "en")
    assert code == 2, out
    assert f"{path}:{_line_of(text, 'decision_date:')}" in out
    assert "contradicts the decision recorded by event" in out
