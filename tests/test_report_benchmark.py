"""benchmarks/reports.py runs and prints a ratio for every report format (its figures are
not asserted: timing belongs to the benchmark, not to the tests)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "reports.py"
NUMBER = r"[\d,]+(?:\.\d+)?"


def test_reports_benchmark_prints_each_format_and_the_target() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--count", "12", "--rounds", "1",
                           "--units", "3"], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for name in ("baseline", "text", "json", "jsonl", "html", "xlsx", "sarif", "junit"):
        assert re.search(rf"^{name} +{NUMBER} +{NUMBER} +{NUMBER}", out, re.M), (name, out)
    assert re.search(rf"worst report ÷ validation: median {NUMBER}, best runs {NUMBER} "
                     r"\(target ≤ 1\.25\)", out), out
