"""The benchmark scripts run and print every figure README and the issue notes quote.

Their figures are not asserted (timing belongs to the benchmarks, not to tests); what is
asserted is that each row is printed with numbers, on a run small enough for the suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
NUMBER = r"[\d,]+(?:\.\d+)?"


def run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(BENCH / script), *args],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_throughput_prints_each_replay_and_the_issue_ratio() -> None:
    out = run("throughput.py", "--count", "40", "--rounds", "1", "--chunk", "20")
    assert out.startswith("40 cases, 9.0 events per case")
    for name in ("engine replay", "naive, defaults", "naive, lean", "parse + replay",
                 "issue's 8-step chain"):
        assert re.search(rf"^{re.escape(name)} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER}$",
                         out, re.M), (name, out)
    assert re.search(rf"10-event engine ÷ 8-step chain: median {NUMBER}, worst round "
                     rf"{NUMBER} \(target ≥ 4\.55\)", out), out


def test_throughput_without_leaves_those_rules_out() -> None:
    def found(*args: str) -> int:
        out = run("throughput.py", "--count", "60", "--rounds", "1", "--chunk", "30", *args)
        m = re.search(r"^60 cases, 9\.0 events per case, (\d+) violations found", out, re.M)
        assert m is not None, out
        return int(m.group(1))

    every = found()
    assert every > 0
    # Nearly every fault the generator makes breaks a Five Votes (PS-) rule.
    assert found("--without", "PS-") < every
    # What is left is the order rule's (PS-1: steps missing, repeated or out of order),
    # which replay runs on its own.
    assert found("--without", "PS-,CN-,EL-") < found("--without", "PS-")


@pytest.mark.skipif(sys.platform == "win32", reason="os.wait4 is POSIX")
def test_startup_prints_each_command_and_the_issue_speed() -> None:
    out = run("startup.py", "--runs", "1")
    for name in ("python -c pass", "import typer, pydantic, yaml (floor)",
                 "selection-rules --help", "selection-rules validate clean.yaml"):
        assert re.search(rf"^{re.escape(name)} +{NUMBER} +{NUMBER} +{NUMBER} +{NUMBER}$",
                         out, re.M), (name, out)
    assert re.search(rf"8-step chain ran {NUMBER} cases/s here", out), out


def test_the_calibration_chain_is_the_issue_s_machine() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import calibration
    finally:
        sys.path.remove(str(BENCH))
    from transitions import Machine

    # 8 steps through 9 states, with transitions' default auto_transitions: the
    # to_<state>() triggers are what made the issue's naive replay run ~1,100 cases/s.
    assert len(calibration.STEPS) == 8 and len(calibration.STATES) == 9

    class Model:
        pass

    model = Model()
    Machine(model=model, states=calibration.STATES, transitions=calibration.STEPS,
            initial="s0")
    assert hasattr(model, "to_s8")
    assert calibration.chain(3) == 3


def test_folders_prints_each_process_and_every_target() -> None:
    out = run("folders.py", "--count", "20", "--rounds", "2", "--small", "10", "--big", "20")
    for name in ("validate JSON", "json.load only", "replay only", "replay in place",
                 "start-up (one file)", "validate YAML", "CSafeLoader only"):
        assert re.search(rf"^{re.escape(name)} +{NUMBER} +{NUMBER}$", out, re.M), (name, out)
    # Each ratio: its median, then its range over the rounds, then the target (on 20
    # files the start-up taken off can exceed the rest: a ratio may be negative).
    ratio = rf"-?{NUMBER}"
    assert "both timed in place: " in out
    for target in ("target ≤ 1)", "target ≤ 2)", "target ≤ 1.5)", "target ≥ 1.7)"):
        assert re.search(rf": {ratio} \(rounds {ratio}–{ratio}; {re.escape(target)}$",
                         out, re.M), (target, out)
    assert len(re.findall(r"^memory, (?:text|json): .* \(target ≤ 1\.3\)$", out, re.M)) == 2
