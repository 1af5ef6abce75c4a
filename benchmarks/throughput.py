"""Validation throughput, side by side with a naive replay, in one run on one core.

    python benchmarks/throughput.py [--count 10000] [--rounds 3]

Measured over the same cases, in --rounds rounds:
  engine replay    the engine on parsed cases: structure and every check, messages built
  naive replay     a new transitions Machine per case, trigger() per event, no checks at
                   all (the baseline the issue names: ~1,100 cases/s measured earlier)
  parse + replay   from JSON files on disk: read, located parse, pydantic, replay
The ratio engine/naive is the figure to watch. The speed of a shared machine drifts by a
third from one minute to the next, so within a round the three take turns on chunks of
--chunk cases: each ratio compares runs made seconds apart. Times are CPU time of this
process (time.process_time). Each rate is printed as the median and the best round.
"""

from __future__ import annotations

import argparse
import statistics
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


def timed(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=500)
    args = parser.parse_args()

    raw = generate(args.count)
    proc = load_procedure("pengshan-five-votes", Library())
    calendar = WorkCalendar()
    cases = [Case.model_validate(c) for c in raw]
    events = sum(len(c.events) for c in cases)
    names = ("engine replay", "naive replay", "parse + replay")

    with tempfile.TemporaryDirectory() as tmp:
        import json

        files = []
        for c in raw:
            path = Path(tmp) / f"{c['case']}.json"
            path.write_text(json.dumps(c, ensure_ascii=False, indent=1), encoding="utf-8")
            files.append(path)

        def engine(part: list[Case]) -> int:
            return sum(len(replay(proc, c, calendar).violations) for c in part)

        def from_files(part: list[Path]) -> int:
            return sum(len(replay(proc, parse_case(load_document(p)), calendar).violations)
                       for p in part)

        engine(cases[: args.chunk])  # warm-up: the epoch's plan and evaluators are made
        rounds: list[dict[str, float]] = []
        for _ in range(args.rounds):
            spent = dict.fromkeys(names, 0.0)
            for at in range(0, len(cases), args.chunk):
                part, paths = cases[at:at + args.chunk], files[at:at + args.chunk]
                spent["engine replay"] += timed(lambda: engine(part))  # noqa: B023
                spent["naive replay"] += timed(lambda: naive(proc, part))  # noqa: B023
                spent["parse + replay"] += timed(lambda: from_files(paths))  # noqa: B023
            rounds.append({name: len(cases) / spent[name] for name in names})

    violations = engine(cases)
    per_case = events / len(cases)
    print(f"{len(cases)} cases, {per_case:.1f} events per case, {violations} violations found; "
          f"{args.rounds} rounds, one core")
    print(f"{'':18}{'cases/s median':>16}{'best':>9}{'events/s':>11}{'× naive median':>16}")
    for name in names:
        rates = sorted(r[name] for r in rounds)
        ratios = sorted(r[name] / r["naive replay"] for r in rounds)
        median = statistics.median(rates)
        print(f"{name:18}{median:16,.0f}{rates[-1]:9,.0f}{median * per_case:11,.0f}"
              f"{statistics.median(ratios):16.2f}")
    engine_rates = sorted(r["engine replay"] for r in rounds)
    # A 10-event case, counted as if each event cost the same as an event here (the
    # cautious reading: a case's checks, not its events, are most of the time).
    per10 = [rate * per_case / 10 for rate in engine_rates]
    print(f"engine replay normalised to 10-event cases: median {statistics.median(per10):,.0f}, "
          f"best {per10[-1]:,.0f} cases/s (target ≥ 5,000)")


if __name__ == "__main__":
    main()
