"""The procedure as a transitions `Machine`, and the graph questions replay asks of it.

The Machine is built once per procedure and is the one source of truth for stages and
steps: replay, simulation and diagrams all read it. Replay looks transitions up in the
Machine's own event table rather than calling `trigger()` on a model, because a trigger
costs ~18 µs of callback machinery per event and replay of a case must stay cheap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from transitions import Machine

from selection_rules.model.procedure import Stage, Step


@dataclass(frozen=True, eq=False)
class Edge:
    source: str
    dest: str
    step: Step


class ProcedureMachine:
    def __init__(self, stages: list[Stage], steps: list[Step]) -> None:
        self.stages = {s.id: s for s in stages}
        self.steps = {s.event: s for s in steps}
        self.initial = next(s.id for s in stages if s.initial)
        self.finals = frozenset(s.id for s in stages if s.final)
        self.machine = Machine(
            model=None,
            states=[s.id for s in stages],
            transitions=[
                {"trigger": s.event, "source": s.sources(), "dest": s.to} for s in steps
            ],
            initial=self.initial,
            auto_transitions=False,
            ignore_invalid_triggers=False,
        )
        # (event, source) -> dest, read off the Machine's own event table.
        self._dest: dict[tuple[str, str], str] = {}
        for name, event in self.machine.events.items():
            for source, transitions in event.transitions.items():
                dest = transitions[0].dest
                assert dest is not None  # every step names its target stage
                self._dest[(name, source)] = dest
        self.edges: list[Edge] = [
            Edge(src, dest, self.steps[ev]) for (ev, src), dest in self._dest.items()
        ]
        self._out: dict[str, list[Edge]] = {s: [] for s in self.stages}
        for e in self.edges:
            self._out[e.source].append(e)
        self._sources: dict[str, frozenset[str]] = {
            ev: frozenset(src for (e, src) in self._dest if e == ev) for ev in self.steps
        }

    def knows(self, event: str) -> bool:
        return event in self.machine.events

    @property
    def table(self) -> dict[tuple[str, str], str]:
        """(event, stage) -> the stage the step leads to: `fire` as a dict, for hot loops."""
        return self._dest

    def fire(self, event: str, stage: str) -> str | None:
        """The stage `event` leads to from `stage`, or None if the step is not open there."""
        return self._dest.get((event, stage))

    def sources(self, event: str) -> frozenset[str]:
        return self._sources.get(event, frozenset())

    def out(self, stage: str) -> list[Edge]:
        return self._out[stage]

    def path(self, start: str, targets: Iterable[str]) -> list[Edge] | None:
        """The shortest list of steps from `start` to any of `targets` (None: unreachable)."""
        goal = set(targets)
        if start in goal:
            return []
        prev: dict[str, Edge] = {}
        seen = {start}
        queue = deque([start])
        while queue:
            here = queue.popleft()
            for edge in self._out[here]:
                if edge.dest in seen:
                    continue
                seen.add(edge.dest)
                prev[edge.dest] = edge
                if edge.dest in goal:
                    steps = [edge]
                    while steps[-1].source != start:
                        steps.append(prev[steps[-1].source])
                    return steps[::-1]
                queue.append(edge.dest)
        return None

    def reachable(self, start: str) -> set[str]:
        seen = {start}
        queue = deque([start])
        while queue:
            for edge in self._out[queue.popleft()]:
                if edge.dest not in seen:
                    seen.add(edge.dest)
                    queue.append(edge.dest)
        return seen

    def order(self) -> list[str]:
        """Stages in the order a reader meets them (breadth-first from the initial stage)."""
        seen = [self.initial]
        for stage in seen:
            for edge in self._out[stage]:
                if edge.dest not in seen:
                    seen.append(edge.dest)
        return seen + [s for s in self.stages if s not in seen]
