"""Validation throughput, side by side with naive replays, in one run on one core.

    python benchmarks/throughput.py [--count 10000] [--rounds 5]

Measured over the same cases, in --rounds rounds:
  engine replay        the engine on parsed cases: structure and every check, messages built
  naive, defaults      a new transitions Machine per case with transitions' default
                       options, trigger() per event, no checks at all: the naive replay the
                       core issue names ("about 1,100 cases/s for an 8-step machine")
  naive, lean          the same with auto_transitions=False: no to_<stage>() trigger per
                       stage pair, so a Machine is made about 2.6 times faster
  parse + replay       from JSON files on disk: read, located parse, pydantic, replay
  issue's 8-step chain the calibration (calibration.py): the naive replay the issue
                       measured, 8 steps in a row, default options, 8 triggers per case
The ratios to the naive replays are the figures to watch. The speed of a shared machine
drifts by a third from one minute to the next, so within a round the runs take turns on
chunks of --chunk cases: each ratio compares runs made seconds apart. Times are CPU time
of this process (time.process_time). Each rate is printed as the median and the best round.

The issue's target, 5,000 cases/s on its machine where the 8-step chain ran 1,100 cases/s,
is 4.55 times the chain; the last lines hold the engine to that ratio, measured here.
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
from calibration import ISSUE_CHAIN_RATE, ISSUE_THROUGHPUT, chain
from generate import generate
from selection_rules.engine.case_loader import parse_case
from selection_rules.engine.compiled import Epoch, Procedure
from selection_rules.engine.library import Library
from selection_rules.engine.procedure import load_procedure
from selection_rules.engine.replay import replay
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.model.case import Case
from selection_rules.source.loading import load_document


def naive(proc: Procedure, cases: list[Case], auto_transitions: bool) -> int:
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
                auto_transitions=auto_transitions)
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
    parser.add_argument("--without", default="", metavar="PREFIXES",
                        help="leave out the rules whose ids start so (comma-separated), "
                             "e.g. EL- for the workload before the eligibility rules")
    args = parser.parse_args()

    raw = generate(args.count)
    proc = load_procedure("pengshan-five-votes", Library())
    calendar = WorkCalendar()
    cases = [Case.model_validate(c) for c in raw]
    events = sum(len(c.events) for c in cases)
    names = ("engine replay", "naive, defaults", "naive, lean", "parse + replay",
             "issue's 8-step chain")

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

        if args.without:
            leave_out(proc, tuple(p for p in args.without.split(",") if p))
        engine(cases[: args.chunk])  # warm-up: the epoch's plan and evaluators are made
        rounds: list[dict[str, float]] = []
        for _ in range(args.rounds):
            spent = dict.fromkeys(names, 0.0)
            for at in range(0, len(cases), args.chunk):
                part, paths = cases[at:at + args.chunk], files[at:at + args.chunk]
                spent["engine replay"] += timed(lambda: engine(part))  # noqa: B023
                spent["naive, defaults"] += timed(lambda: naive(proc, part, True))  # noqa: B023
                spent["naive, lean"] += timed(lambda: naive(proc, part, False))  # noqa: B023
                spent["parse + replay"] += timed(lambda: from_files(paths))  # noqa: B023
                spent["issue's 8-step chain"] += timed(lambda: chain(len(part)))  # noqa: B023
            rounds.append({name: len(cases) / spent[name] for name in names})

    violations = engine(cases)
    per_case = events / len(cases)
    print(f"{len(cases)} cases, {per_case:.1f} events per case, {violations} violations found; "
          f"{args.rounds} rounds, one core")
    print(f"{'':22}{'cases/s median':>15}{'best':>9}{'× naive, defaults':>19}{'× naive, lean':>15}")
    for name in names:
        rates = sorted(r[name] for r in rounds)
        print(f"{name:22}{statistics.median(rates):15,.0f}{rates[-1]:9,.0f}"
              f"{ratio(rounds, name, 'naive, defaults'):19.2f}"
              f"{ratio(rounds, name, 'naive, lean'):15.2f}")

    # A 10-event case, counted as if each event cost the same as an event here (the
    # cautious reading: a case's checks, not its events, are most of the time).
    per10 = [r["engine replay"] * per_case / 10 for r in rounds]
    to_chain = sorted(p / r["issue's 8-step chain"] for p, r in zip(per10, rounds, strict=True))
    scaled = [ISSUE_THROUGHPUT * r["issue's 8-step chain"] / ISSUE_CHAIN_RATE for r in rounds]
    print(f"engine replay normalised to 10-event cases: median {statistics.median(per10):,.0f} "
          f"cases/s, best {max(per10):,.0f}")
    print(f"the issue's target on this machine (5,000 × chain here / 1,100): median "
          f"{statistics.median(scaled):,.0f} cases/s")
    print(f"10-event engine ÷ 8-step chain: median {statistics.median(to_chain):.2f}, "
          f"worst round {to_chain[0]:.2f} (target ≥ {ISSUE_THROUGHPUT / ISSUE_CHAIN_RATE:.2f})")


def leave_out(proc: Procedure, prefixes: tuple[str, ...]) -> None:
    """The procedure without the rules whose ids start with `prefixes`, in every epoch:
    those made so far and those made later (an epoch is made on first use). The order
    rule, which replay runs on its own, stays."""

    def strip(epoch: Epoch) -> Epoch:
        epoch.plan = {t: [p for p in planned if not p.rule.id.startswith(prefixes)]
                      for t, planned in epoch.plan.items()}
        epoch.runs.clear()
        epoch.at_end = [r for r in epoch.at_end if not r.id.startswith(prefixes)]
        return epoch

    for epoch in proc._epochs.values():
        strip(epoch)
    build = proc._build_epoch
    proc._build_epoch = lambda day: strip(build(day))  # type: ignore[method-assign]


def ratio(rounds: list[dict[str, float]], name: str, base: str) -> float:
    """Median over rounds of name's rate over base's rate in the same round."""
    return statistics.median(r[name] / r[base] for r in rounds)


if __name__ == "__main__":
    main()
