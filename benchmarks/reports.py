"""What writing each report costs on top of validating the files, side by side in one run.

    python benchmarks/reports.py [--count 2000] [--rounds 3] [--units 24]

--count synthetic Five Votes cases as JSON (a fifth with a fault), spread over --units
units, are validated with --jobs 1 in a child process per run, and each run's CPU time
(user + system of the child and what it waited for, Graphviz included, read with
os.wait4) is compared with the baseline made in the same round:
  baseline     `validate DIR --quiet`: every file checked, only the summary printed
  text ... junit  the same with --format FORMAT -o FILE (HTML with its default diagrams)
The formats take turns within each round, so that each ratio compares runs made seconds
apart; printed are the median of those paired ratios and the ratio of the best (least)
CPU time of each over the rounds, which a machine shared with other work disturbs least.
The issue's target ("Reports for an inspection team"): every report costs at most 25% on
top of the validation (ratio ≤ 1.25).
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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

CLI = [sys.executable, "-m", "selection_rules"]  # as the installed script runs
FORMATS = ["text", "json", "jsonl", "html", "xlsx", "sarif", "junit"]


def _write(folder: Path, count: int, units: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, case in enumerate(generate(count, seed=11, faulty=0.2)):
        case["unit"] = f"中共第{i % units + 1:02d}县委员会"
        (folder / f"{case['case']}.json").write_text(
            json.dumps(case, ensure_ascii=False, indent=1), encoding="utf-8")


def cpu(cmd: list[str]) -> tuple[float, float]:
    """(CPU s, wall s) of one child process, its output thrown away."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return usage.ru_utime + usage.ru_stime, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--units", type=int, default=24)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="selection-rules-reports-"))
    try:
        cases = base / "cases"
        # Written by a process of its own, as folders.py does, so this one stays small.
        with ProcessPoolExecutor(1) as pool:
            pool.submit(_write, cases, args.count, args.units).result()
        runs = {"baseline": [*CLI, "validate", str(cases), "--jobs", "1", "--quiet"]}
        for fmt in FORMATS:
            runs[fmt] = [*CLI, "validate", str(cases), "--jobs", "1", "--format", fmt,
                         "-o", str(base / f"report.{fmt}"), "--force"]
        cpu(runs["baseline"])  # warm the file cache before the clock matters
        ratios: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for fmt in FORMATS:
                base_cpu, _ = cpu(runs["baseline"])
                fmt_cpu, _ = cpu(runs[fmt])
                times["baseline"].append(base_cpu)
                times[fmt].append(fmt_cpu)
                ratios[fmt].append(fmt_cpu / base_cpu)
        size = {fmt: (base / f"report.{fmt}").stat().st_size for fmt in FORMATS}
        print(f"{args.count} Five Votes case files over {args.units} units, a fifth with a "
              f"fault; CPU seconds of a child process, median of {args.rounds} round(s)")
        print(f"{'':<10} {'CPU s':>8} {'÷ baseline':>11} {'best ÷ best':>12} "
              f"{'report KiB':>11}")
        print(f"{'baseline':<10} {statistics.median(times['baseline']):8.2f} {1:11.2f} "
              f"{1:12.2f}")
        worst = worst_best = 0.0
        for fmt in FORMATS:
            ratio = statistics.median(ratios[fmt])
            best = min(times[fmt]) / min(times["baseline"])
            worst, worst_best = max(worst, ratio), max(worst_best, best)
            print(f"{fmt:<10} {statistics.median(times[fmt]):8.2f} {ratio:11.2f} "
                  f"{best:12.2f} {size[fmt] >> 10:11,}")
        print(f"worst report ÷ validation: median {worst:.2f}, best runs {worst_best:.2f} "
              "(target ≤ 1.25)")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
