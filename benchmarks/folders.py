"""Checking a folder of case files: `validate DIR` beside processes that only load them.

    python benchmarks/folders.py [--count 10000] [--rounds 3] [--small 1000] [--big 50000]
                                 [--skip-memory]

Every figure is the CPU time (user + system) or peak memory of a child process, read with
os.wait4. The machine's speed drifts by a third from one minute to the next, so each of
--rounds rounds runs every command in turn and each ratio is taken within a round; the
median and the range over rounds are printed:
  validate JSON          `validate DIR --format json` (--jobs 1 where the option exists) on
                         --count synthetic Five Votes cases as JSON, a fifth with a fault
  json.load only         a process that reads and json.loads the same files
  replay only            the engine replaying the same cases, already parsed (in-process
                         time of the replay alone)
  replay in place        the replays of `validate JSON` timed where they run, between the
                         reading and the report (whose code fills the processor's caches
                         meanwhile: a replay costs more there than in a loop of replays)
  start-up (one file)    `validate` of one of the files: what a run costs whatever its size
                         (imports, compiling the procedure), taken off before comparing
                         with the replay
  validate YAML          the same cases as YAML files
  CSafeLoader only       a process that loads them with PyYAML's C loader
  --jobs 2 vs --jobs 1   wall time, where the option exists
  memory                 peak RSS of validate on --small and --big files, text and JSON
The issue's targets ("One pipeline"): what a JSON file costs beyond its replay is at most
the replay's own cost; validate JSON within 2x of json.load only; YAML within 1.5x of
CSafeLoader only; --jobs 2 at least 1.7x --jobs 1; peak memory on --big at most 1.3x that
on --small.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

CLI = [sys.executable, "-m", "selection_rules"]  # as the installed script runs

LOAD_JSON = """
import json, pathlib, sys
for p in sorted(pathlib.Path(sys.argv[1]).glob('*.json')):
    with open(p, 'rb') as f:
        json.load(f)
"""
LOAD_YAML = """
import pathlib, sys, yaml
for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):
    with open(p, 'rb') as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""
# `validate DIR --format json --jobs 1`, run in this child by the program's own entry
# point, with the replay of each case timed where it runs (between the reading and the
# report, whose code then fills the processor's caches): printed last, in CPU seconds.
REPLAY_IN_PLACE = """
import sys, time
from selection_rules.engine import pipeline
replay, spent = pipeline.replay, [0.0]
def timed(*args, **kwargs):
    start = time.process_time()
    try:
        return replay(*args, **kwargs)
    finally:
        spent[0] += time.process_time() - start
pipeline.replay = timed
sys.argv = ["selection-rules", "validate", sys.argv[1], "--format", "json", "--jobs", "1",
            "--output", sys.argv[2]]
from selection_rules.program import main
try:
    main()
except SystemExit:
    pass
print(spent[0])
"""
# The replay alone, on cases parsed before the clock starts.
REPLAY = """
import pathlib, sys, time
from selection_rules.engine.case_loader import parse_case
from selection_rules.source.loading import load_document
from selection_rules.engine.library import Library
from selection_rules.engine.procedure import load_procedure
from selection_rules.engine.replay import replay
from selection_rules.lang.workdays import WorkCalendar
cases = [parse_case(load_document(p)) for p in sorted(pathlib.Path(sys.argv[1]).glob('*.json'))]
proc = load_procedure(cases[0].procedure, Library())
calendar = WorkCalendar()
start = time.process_time()
for case in cases:
    replay(proc, case, calendar)
print(time.process_time() - start)
"""


def run(cmd: list[str], keep: bool = True) -> tuple[float, float, int, str]:
    """(wall s, CPU s, peak RSS bytes, stdout) of one child process. Without `keep` the
    output is not read back: a child's peak memory starts from this process's size."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", "replace") if keep else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, text


def write_cases(folder: Path, count: int, suffix: str) -> Path:
    """The files, made in a process of their own: a child's peak memory (ru_maxrss) starts
    from the size of the process that spawned it, so this one must stay small."""
    with ProcessPoolExecutor(1) as pool:
        return pool.submit(_write_cases, folder, count, suffix).result()


def _write_cases(folder: Path, count: int, suffix: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for case in generate(count, seed=7, faulty=0.2):
        path = folder / f"{case['case']}{suffix}"
        if suffix == ".json":
            path.write_text(json.dumps(case, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False),
                            encoding="utf-8")
    return folder


def has_jobs() -> bool:
    help_text = subprocess.run([*CLI, "validate", "--help"], capture_output=True, text=True,
                               env={**os.environ, "COLUMNS": "200"}, check=False).stdout
    return "--jobs" in help_text


def row(name: str, cpu: float, files: int, note: str = "") -> None:
    print(f"{name:<28} {cpu:8.2f} {files / cpu if cpu else 0:10,.0f}  {note}".rstrip())


def ratio(name: str, rounds: list[dict[str, float]],
          of: Callable[[dict[str, float]], float], target: str) -> None:
    """A ratio taken within each round (its runs seconds apart), as median and range."""
    values = sorted(of(r) for r in rounds)
    print(f"{name}: {statistics.median(values):.2f} (rounds {values[0]:.2f}–{values[-1]:.2f}; "
          f"target {target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=50_000)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    jobs = has_jobs()
    one = ["--jobs", "1"] if jobs else []
    base = Path(tempfile.mkdtemp(prefix="selection-rules-folders-"))
    try:
        js = write_cases(base / "json", args.count, ".json")
        ys = write_cases(base / "yaml", args.count, ".yaml")
        n = args.count
        one_file = str(min(js.iterdir()))
        print(f"{n} Five Votes case files, a fifth with a fault; CPU seconds of a child "
              f"process{'' if jobs else ' (validate has no --jobs: one process)'}; "
              f"{args.rounds} rounds, each runs every command in turn")
        rounds: list[dict[str, float]] = []
        for _ in range(args.rounds):
            m: dict[str, float] = {}
            m["validate JSON"] = run([*CLI, "validate", str(js), "--format", "json", *one],
                                     False)[1]
            m["json.load only"] = run([sys.executable, "-c", LOAD_JSON, str(js)])[1]
            out = run([sys.executable, "-c", REPLAY, str(js)])[3]
            m["replay only"] = float(out.strip().splitlines()[-1])
            if jobs:
                report = base / "in-place.json"
                report.unlink(missing_ok=True)
                _, cpu, _, out = run([sys.executable, "-c", REPLAY_IN_PLACE, str(js),
                                      str(report)])
                m["validate JSON, timing its replays"] = cpu
                m["replay in place"] = float(out.strip().splitlines()[-1])
            # What validate costs whatever the number of files: imports, compiling the
            # procedure, one file.
            m["start-up (one file)"] = run([*CLI, "validate", one_file, "--format", "json",
                                            *one], False)[1]
            m["validate YAML"] = run([*CLI, "validate", str(ys), *one], False)[1]
            m["CSafeLoader only"] = run([sys.executable, "-c", LOAD_YAML, str(ys)])[1]
            if jobs:
                m["wall, --jobs 1"] = run([*CLI, "validate", str(js), "--format", "json",
                                           "--jobs", "1"], False)[0]
                m["wall, --jobs 2"] = run([*CLI, "validate", str(js), "--format", "json",
                                           "--jobs", "2"], False)[0]
            rounds.append(m)
        print(f"{'median over rounds':<28} {'CPU s':>8} {'files/s':>10}")
        for name in ("validate JSON", "json.load only", "replay only", "replay in place",
                     "start-up (one file)", "validate YAML", "CSafeLoader only"):
            if name not in rounds[0]:
                continue
            row(name, statistics.median(r[name] for r in rounds),
                1 if name.startswith("start-up") else n)

        def beyond(r: dict[str, float]) -> float:
            return (r["validate JSON"] - r["start-up (one file)"] - r["replay only"]) \
                / r["replay only"]

        ratio("JSON: beyond the replay (less start-up) ÷ replay", rounds, beyond, "≤ 1")
        if jobs:
            ratio("JSON: beyond the replay ÷ the replay, both timed in place", rounds,
                  lambda r: (r["validate JSON, timing its replays"] - r["start-up (one file)"]
                             - r["replay in place"]) / r["replay in place"], "≤ 1")
        ratio("JSON: validate ÷ json.load only", rounds,
              lambda r: r["validate JSON"] / r["json.load only"], "≤ 2")
        ratio("YAML: validate ÷ CSafeLoader only", rounds,
              lambda r: r["validate YAML"] / r["CSafeLoader only"], "≤ 1.5")
        if jobs:
            ratio("--jobs 2 ÷ --jobs 1 (wall), times faster", rounds,
                  lambda r: r["wall, --jobs 1"] / r["wall, --jobs 2"], "≥ 1.7")
        else:
            print("--jobs 2 ÷ --jobs 1 (wall): n/a, no --jobs option (target ≥ 1.7)")
        if not args.skip_memory:
            shutil.rmtree(ys)
            small = write_cases(base / "small", args.small, ".json")
            big = write_cases(base / "big", args.big, ".json")
            for fmt in ("text", "json"):
                _, _, rss_small, _ = run(
                    [*CLI, "validate", str(small), "--format", fmt, *one], False)
                _, _, rss_big, _ = run([*CLI, "validate", str(big), "--format", fmt, *one],
                                       False)
                print(f"memory, {fmt}: {args.big} files {rss_big >> 20} MiB ÷ {args.small} "
                      f"files {rss_small >> 20} MiB = {rss_big / rss_small:.2f} "
                      "(target ≤ 1.3)")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
