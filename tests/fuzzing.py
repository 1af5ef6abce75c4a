"""Structural fuzzing of every example and procedure: what no input may make the tool do.

The mutators change a parsed file as a careless clerk, a broken export or an adversary
would (drop a key, swap a type, an extreme number or date, a duplicated id, odd Unicode,
another encoding), write it back, and run a command on it. Whatever the verdict, the run
must end with exit 0, 1 or 2 and a message of ours: never a traceback or the catch-all
"internal error", never a write to any input, and within the time and memory budget
README states. Used by tests/test_fuzz.py (a fixed share in CI) and fuzz/run.py (a long
random run).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from selection_rules.cli import app

# The budget README states for any accepted input (limits.py); the fuzzed inputs are
# small, so a run near it is a defect, not a slow machine.
CPU_SECONDS = 10.0
MAX_RSS_BYTES = 1 << 30

CASE_FILES = sorted(p for p in EXAMPLES.rglob("*.yaml")
                    if "authoring" not in p.parts and "simulate" not in p.parts)
PROCEDURE_FILES = sorted((ROOT / "rules").glob("*.yaml"))

ODD_VALUES: list[Any] = [
    None, "", " ", 0, -1, 1, 2**63, 10**30, -(10**30), 10**4000, 1e308, float("nan"),
    float("inf"), -0.0, 0.8, True, False, [], {}, [None], {"a": [1]}, "x" * 5000,
    dt.date(1, 1, 1), dt.date(9999, 12, 31), "9999-12-31", "0000-00-00", "2024-02-30",
    "2024-02-29", "C01", "P1", "全委会", "无记名", "secret", "standing_committee",
    "\u202e\u200b\ufeff", "𠀀𠀁", "e\u0301", "\u2028", "a: b", "{{x}}", "last('x')",
    "__import__('os')", "../../etc/passwd", "1:3", "80%", "1/0",
]
ODD_TEXT = ["\u202e", "\u200b", "\ufeff", "𠀀", "\u0301", "\u2028", "：", "\x85", "　", "\\"]
MUTATIONS = ["drop", "replace", "duplicate", "swap_type", "shift_date", "rename_key",
             "odd_text", "deepen"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "crlf", "json", "cut", "flip"]
HOLIDAYS = {"source": "国办发明电〔2026〕1号", "years": [2027],
            "holidays": [dt.date(2027, 1, 1),
                         {"from": dt.date(2027, 2, 6), "to": dt.date(2027, 2, 13)}],
            "workdays": [dt.date(2027, 2, 14)]}


@dataclass(frozen=True)
class Mutation:
    kind: str
    at: int  # index into the document's paths, taken modulo their number
    value: int  # index into ODD_VALUES / ODD_TEXT, or a day shift


mutations = st.lists(
    st.builds(Mutation, st.sampled_from(MUTATIONS), st.integers(0, 10**6),
              st.integers(-(10**6), 10**6)),
    min_size=1, max_size=4)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _swap(value: Any, n: int) -> Any:
    if isinstance(value, bool):
        return "是" if value else 0
    if isinstance(value, int | float):
        return str(value) if n % 2 else [value]
    if isinstance(value, str):
        return len(value) if n % 2 else {value: value}
    if isinstance(value, dt.date):
        return value.isoformat().replace("-", "/") if n % 2 else value.toordinal()
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return "null"


def _shift(value: Any, days: int) -> Any:
    if not isinstance(value, dt.date):
        return value
    try:
        return value + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def mutate(data: Any, changes: list[Mutation]) -> Any:
    data = copy.deepcopy(data)
    for m in changes:
        paths = _paths(data)
        path = paths[m.at % len(paths)]
        if not path:  # the root: replace only the whole document's shape
            if m.kind == "swap_type":
                data = _swap(data, m.value)
            continue
        parent, key = _get(data, path[:-1]), path[-1]
        old = parent[key]
        if m.kind == "drop":
            del parent[key]
        elif m.kind == "replace":
            parent[key] = copy.deepcopy(ODD_VALUES[m.value % len(ODD_VALUES)])
        elif m.kind == "duplicate":
            if isinstance(parent, list):
                parent.insert(key, copy.deepcopy(old))
            elif isinstance(old, list) and old:
                old.append(copy.deepcopy(old[0]))
        elif m.kind == "swap_type":
            parent[key] = _swap(old, m.value)
        elif m.kind == "shift_date":
            parent[key] = _shift(old, m.value)
        elif m.kind == "rename_key" and isinstance(parent, dict):
            parent[f"{key}{ODD_TEXT[m.value % len(ODD_TEXT)]}"] = parent.pop(key)
        elif m.kind == "odd_text" and isinstance(old, str):
            cut = m.value % (len(old) + 1)
            parent[key] = old[:cut] + ODD_TEXT[m.value % len(ODD_TEXT)] + old[cut:]
        elif m.kind == "deepen":
            parent[key] = [[[[{"x": old}]]]]
    return data


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def serialize(data: Any, encoding: str, at: int = 0) -> tuple[bytes, str]:
    """The bytes of a file holding `data`, and the file's suffix; `cut` and `flip` damage
    the UTF-8 bytes at a place drawn from `at` (a file cut short, a byte gone wrong)."""
    if encoding in ("cut", "flip"):
        raw, suffix = serialize(data, "utf-8")
        i = at % max(len(raw), 1)
        if encoding == "cut":
            return raw[:i], suffix
        return raw[:i] + bytes([raw[i] ^ (1 << (at % 8))]) + raw[i + 1:], suffix
    if encoding == "json":
        text = json.dumps(data, ensure_ascii=False, default=_json_default, allow_nan=True)
        return text.encode("utf-8"), ".json"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8"), ".yaml"
    try:
        return text.encode(encoding), ".yaml"
    except UnicodeEncodeError:  # GB18030 holds every character; this is for safety only
        return text.encode("utf-8"), ".yaml"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass
class Outcome:
    exit_code: int
    output: str
    cpu: float


_runner = CliRunner()


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _reset_peak() -> None:
    """Start this input's peak memory afresh: ru_maxrss is the whole process's peak since
    it began, so one heavy input would fail every input after it. Linux resets VmHWM
    when 5 is written to clear_refs; elsewhere the process's peak stands."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def _peak_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_cli(args: list[str], folder: Path) -> Outcome:
    """Run the command; fail (AssertionError) on anything no input may cause."""
    before = _snapshot(folder)
    _reset_peak()
    start = time.process_time()
    result = _runner.invoke(app, args)
    cpu = time.process_time() - start
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {type(result.exception).__name__}: {result.exception}")
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, output[-2000:])
    for bad in ("Traceback", "internal error", "内部错误"):
        assert bad not in output, (args, output[-2000:])
    assert _snapshot(folder) == before, f"{args}: a file in the input folder changed"
    assert cpu < CPU_SECONDS, f"{args}: {cpu:.1f} CPU-s, over the budget"
    rss = _peak_bytes()
    assert rss < MAX_RSS_BYTES, f"{args}: peak memory {rss >> 20} MiB, over the budget"
    return Outcome(result.exit_code, output, cpu)


Command = Callable[[Path, Path], list[str]]

CASE_COMMANDS: dict[str, Command] = {
    "validate": lambda f, d: ["validate", str(f)],
    "validate-json-en": lambda f, d: ["validate", str(f), "--format", "json", "--lang", "en"],
    "diagram": lambda f, d: ["diagram", "--case", str(f)],
    "simulate": lambda f, d: ["simulate", "--from", str(f), "--script", str(d / "s.yaml")],
}


def fuzz_case(folder: Path, source: Path, changes: list[Mutation], encoding: str,
              command: str) -> Outcome:
    data, suffix = serialize(mutate(load(source), changes), encoding,
                             sum(m.at for m in changes))
    path = folder / f"case{suffix}"
    path.write_bytes(data)
    (folder / "s.yaml").write_text("- status\n- undo\n- status\n", encoding="utf-8")
    return run_cli(CASE_COMMANDS[command](path, folder), folder)


def fuzz_holidays(folder: Path, changes: list[Mutation], encoding: str,
                  example: Path) -> Outcome:
    """A mutated holiday list given to validate with an example case."""
    data, _ = serialize(mutate(HOLIDAYS, changes), encoding, sum(m.at for m in changes))
    holidays = folder / "holidays.yaml"
    holidays.write_bytes(data)
    case = folder / example.name
    case.write_bytes(example.read_bytes())
    return run_cli(["validate", str(case), "--holidays", str(holidays)], folder)


def fuzz_procedure(folder: Path, source: Path, changes: list[Mutation],
                   example: Path) -> list[Outcome]:
    """A mutated procedure or rule set, linted and then used to validate an example."""
    rules = folder / "rules"
    rules.mkdir(exist_ok=True)
    data, _ = serialize(mutate(load(source), changes), "utf-8")
    path = rules / source.name
    path.write_bytes(data)
    case = folder / example.name
    case.write_bytes(example.read_bytes())
    return [run_cli(["lint", str(path), "--rules", str(rules)], folder),
            run_cli(["validate", str(case), "--rules", str(rules)], folder)]


def fresh_folder(base: Path) -> Path:
    """An empty folder of its own for one input (hypothesis reuses the test's tmp_path)."""
    folder = base / f"in{os.getpid()}-{time.monotonic_ns()}"
    folder.mkdir()
    return folder
