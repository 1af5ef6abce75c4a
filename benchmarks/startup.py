"""Start-up time of the CLI: `--help` and `validate` of one example (target < 0.5 s).

    python benchmarks/startup.py [--runs 20] [--no-bytecode]

Prints, for a fresh interpreter running each command, the median and best wall time and
the median CPU time (user + system of the child), beside a bare `python -c pass` and the
floor every typer + pydantic + PyYAML program pays (importing them), measured in the same
run. CPU time is the steadier figure on a shared machine; wall time is what a person
waits. This machine's speed drifts by up to half from one hour to the next: compare a
command with the floor measured beside it.

An installed tool runs from compiled bytecode (pip compiles it on install; an editable
install writes `__pycache__` on its first run), so the children run with bytecode
caching on and after one warm-up run, even where the shell sets PYTHONDONTWRITEBYTECODE.
`--no-bytecode` measures the other case: every source compiled again on each start.

The target (0.5 s) is the core issue's, on its machine. Before each run this script
replays a few hundred cases of the issue's own baseline (calibration.py), whose rate the
issue gives for its machine (1,100 cases/s), and prints each command's CPU time also as
it would be there: median CPU time here × (median chain rate beside it ÷ 1,100).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibration import ISSUE_CHAIN_RATE, ISSUE_STARTUP, chain_rate

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "examples" / "pengshan" / "clean.yaml"


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of `cmd` in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4; keep Popen from waiting again
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile every source on each start (no __pycache__)")
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = os.devnull  # no cache to read either
    cli = [sys.executable, "-m", "selection_rules"]  # as the installed script runs
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import typer, pydantic, yaml (floor)": [
            sys.executable, "-c",
            "import typer, typer._adapters, yaml; from pydantic import BaseModel, TypeAdapter"],
        "selection-rules --help": [*cli, "--help"],
        "selection-rules validate clean.yaml": [*cli, "validate", str(CASE)],
        "selection-rules validate -f json clean.yaml": [*cli, "validate", "-f", "json", str(CASE)],
    }
    print(f"{'':44}{'wall median':>12}{'wall best':>10}{'CPU median':>12}"
          f"{'at the issue’s speed':>22}")
    rates: list[float] = []
    for name, cmd in commands.items():
        measure(cmd, env)  # warm-up: writes bytecode, fills the page cache
        runs, here = [], []
        for _ in range(args.runs):
            here.append(chain_rate())
            runs.append(measure(cmd, env))
        rates += here
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        # Medians, then the product: one chain sample is short and noisier than a run.
        scaled = statistics.median(cpus) * statistics.median(here) / ISSUE_CHAIN_RATE
        print(f"{name:44}{statistics.median(walls):12.3f}{min(walls):10.3f}"
              f"{statistics.median(cpus):12.3f}{scaled:22.3f}")
    print(f"the issue's 8-step chain ran {statistics.median(rates):,.0f} cases/s here (median; "
          f"{ISSUE_CHAIN_RATE:,} on the issue's machine); target < {ISSUE_STARTUP} s there")


if __name__ == "__main__":
    main()
