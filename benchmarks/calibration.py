"""The core issue's baseline, run here to tell how fast this machine is against its own.

The issue quotes a naive replay on its machine: "about 1,100 cases/s for an 8-step
machine with no checks at all", a new transitions `Machine` per case. Built with
transitions' default options (auto_transitions on: a `to_<state>()` trigger from every
state to every state) that replay runs at 800–970 cases/s on the development machine;
with auto_transitions off it runs about 2.6 times faster, at 2,200–2,700. Only the first
reading fits the issue's figure, and only it leaves the issue's start-up target (0.5 s)
above what importing typer, pydantic and PyYAML alone costs, so the chain below is that
replay, and the issue's targets are read as ratios to it:

    throughput  5,000 cases/s ÷ 1,100 = 4.55 × the chain's rate measured beside it
    start-up    0.5 s on a machine where the chain runs 1,100 cases/s
"""

from __future__ import annotations

import time

from transitions import Machine

ISSUE_CHAIN_RATE = 1_100  # cases/s of the 8-step naive replay on the issue's machine
ISSUE_THROUGHPUT = 5_000  # cases/s of a 10-event case with all checks, on that machine
ISSUE_STARTUP = 0.5  # seconds, `--help` and `validate`, on that machine

STATES = [f"s{i}" for i in range(9)]
STEPS = [{"trigger": f"e{i}", "source": f"s{i}", "dest": f"s{i + 1}"} for i in range(8)]


def chain(count: int) -> int:
    """Replay `count` cases through the issue's baseline: 8 steps, default options, no
    checks, a new Machine per case."""

    class Model:
        pass

    for _ in range(count):
        model = Model()
        Machine(model=model, states=STATES, transitions=STEPS, initial="s0")
        for step in STEPS:
            model.trigger(step["trigger"])  # type: ignore[attr-defined]
    return count


def chain_rate(count: int = 200) -> float:
    """Cases/s of the chain now, in CPU time of this process."""
    start = time.process_time()
    chain(count)
    return count / (time.process_time() - start)
