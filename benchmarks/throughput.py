"""Validation throughput, side by side with a naive replay, in one run on one core.

    python benchmarks/throughput.py [--count 10000] [--rounds 3]

Measured, each as the best of --rounds alternating runs over the same cases:
  engine replay    the engine on parsed cases: structure and every check, messages built
  naive replay     a new transitions Machine per case, trigger() per event, no checks at
                   all (the baseline the issue names: ~1,100 cases/s measured earlier)
  parse + replay   from JSON files on disk: read, located parse, pydantic, replay
The ratio engine/naive is the figure to watch: both run in this process, on this machine.
Times are CPU time of this process (time.process_time), so other load on the machine
skews them less than wall time would.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from transitions import Machine, MachineError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from selection_rules.case_loader import parse_case
from selection_rules.casefile import Case
from selection_rules.documents import load_document
from selection_rules.library import Library
from selection_rules.procedure import Procedure, load_procedure
from selection_rules.replay import replay
from selection_rules.workdays import WorkCalendar


def naive(proc: Procedure, cases: list[Case]) -> int:
    states = list(proc.stages)
    transitions = [{"trigger": s.event, "source": s.sources(), "dest": s.to}
                   for s in proc.spec.steps]
    initial = proc.machine.initial
    bad = 0

    class Model:
        pass

    for case in cases:
        model = Model()
        Machine(model=model, states=states, transitions=transitions, initial=initial,
                auto_transitions=False)
        for ev in case.events:
            try:
                model.trigger(ev.type)  # type: ignore[attr-defined]
            except (MachineError, AttributeError):
                bad += 1
    return bad


def timed(fn: Callable[[], object], n: int) -> float:
    start = time.process_time()
    fn()
    return n / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    raw = generate(args.count)
    proc = load_procedure("pengshan-five-votes", Library())
    calendar = WorkCalendar()
    cases = [Case.model_validate(c) for c in raw]
    events = sum(len(c.events) for c in cases)

    with tempfile.TemporaryDirectory() as tmp:
        import json

        files = []
        for c in raw:
            path = Path(tmp) / f"{c['case']}.json"
            path.write_text(json.dumps(c, ensure_ascii=False, indent=1), encoding="utf-8")
            files.append(path)

        def engine() -> int:
            return sum(len(replay(proc, c, calendar).violations) for c in cases)

        def from_files() -> int:
            return sum(len(replay(proc, parse_case(load_document(p)), calendar).violations)
                       for p in files)

        best = {"engine replay": 0.0, "naive replay": 0.0, "parse + replay": 0.0}
        for _ in range(args.rounds):
            best["engine replay"] = max(best["engine replay"], timed(engine, len(cases)))
            best["naive replay"] = max(best["naive replay"],
                                       timed(lambda: naive(proc, cases), len(cases)))
            best["parse + replay"] = max(best["parse + replay"], timed(from_files, len(files)))

    violations = engine()
    print(f"{len(cases)} cases, {events / len(cases):.1f} events per case, "
          f"{violations} violations found; best of {args.rounds} rounds, one core")
    print(f"{'':18}{'cases/s':>10}{'events/s':>12}{'× naive':>10}")
    for name, rate in best.items():
        print(f"{name:18}{rate:10,.0f}{rate * events / len(cases):12,.0f}"
              f"{rate / best['naive replay']:10.2f}")
    per10 = best["engine replay"] * (events / len(cases)) / 10
    print(f"engine replay normalised to 10-event cases: {per10:,.0f} cases/s (target ≥ 5,000)")


if __name__ == "__main__":
    main()
