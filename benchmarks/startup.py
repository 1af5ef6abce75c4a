"""Start-up time of the CLI: `--help` and `validate` of one example (target < 0.5 s).

    python benchmarks/startup.py [--runs 10]

Prints the median and best wall time of a fresh interpreter for each command, beside
the time of a bare `python -c pass` on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "examples" / "pengshan" / "clean.yaml"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "selection_rules.cli"]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "selection-rules --help": [*cli, "--help"],
        "selection-rules validate clean.yaml": [*cli, "validate", str(CASE)],
    }
    print(f"{'':40}{'median s':>10}{'best s':>10}")
    for name, cmd in commands.items():
        times = [wall(cmd) for _ in range(args.runs)]
        print(f"{name:40}{statistics.median(times):10.3f}{min(times):10.3f}")


if __name__ == "__main__":
    main()
