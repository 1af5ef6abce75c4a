"""How a case's replay cost grows with its size: posts with their own chains, candidates.

    python benchmarks/scaling.py [--repeat 5]

Two families of Five Votes cases, replayed in this process (parsed before the clock):
  posts       N posts, each with its own chain of the eight per-post steps and its own
              seven candidates (the pre-recommendation lists them all), N = 10 and 100
  candidates  one post whose every event lists all M candidates, M = 50 and 500
For each family the exponent k of cost ∝ size^k between the two sizes is printed: 1 is
linear. The issue's target ("One pipeline"): k ≤ 1.1 for both.
"""

from __future__ import annotations

import argparse
import copy
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import make_case
from selection_rules.engine.case_loader import parse_case
from selection_rules.engine.library import Library
from selection_rules.engine.procedure import load_procedure
from selection_rules.engine.replay import replay
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.source.loading import loads_document


def _rename(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, dict):
        return {names.get(k, k): _rename(v, names) for k, v in value.items()}
    return value


def with_posts(n: int) -> dict[str, Any]:
    """N posts, each with its own chain and candidates."""
    base = make_case(0, random.Random(1), None)
    pre, chain = base["events"][0], base["events"][1:]
    case = {**base, "posts": [], "candidates": [], "events": [copy.deepcopy(pre)]}
    case["events"][0]["result"] = []
    for k in range(1, n + 1):
        names = {f"C{i:02d}": f"C{k:03d}{i:02d}" for i in range(1, 9)}
        names["P1"] = f"P{k}"
        case["posts"].append({**base["posts"][0], "id": f"P{k}"})
        case["candidates"] += [{**c, "id": names[c["id"]]} for c in base["candidates"]]
        case["events"][0]["result"] += _rename(pre["result"], names)
        case["events"] += [_rename(copy.deepcopy(e), names) for e in chain]
    return case


def with_candidates(m: int) -> dict[str, Any]:
    """One post; every event lists all M candidates where it lists any."""
    ids = [f"C{i:03d}" for i in range(1, m + 1)]
    case = _rename(make_case(0, random.Random(1), None),
                   {f"C{i:02d}": ids[i - 1] for i in range(1, 9)})
    case["candidates"] = [{"id": c, "name": f"人选{c}"} for c in ids]
    for event in case["events"]:
        for key in ("candidates", "result"):
            if key in event:
                event[key] = list(ids)
    return case


def cost(data: dict[str, Any], repeat: int) -> tuple[float, int]:
    """(best CPU seconds of one replay, events) of the case."""
    import json

    case = parse_case(loads_document(json.dumps(data, ensure_ascii=False), "scale.json"))
    proc = load_procedure(case.procedure, Library())
    calendar = WorkCalendar()
    best = math.inf
    for _ in range(repeat):
        start = time.process_time()
        replay(proc, case, calendar)
        best = min(best, time.process_time() - start)
    return best, len(case.events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--posts", type=int, nargs=2, default=(10, 100))
    parser.add_argument("--candidates", type=int, nargs=2, default=(50, 500))
    args = parser.parse_args()
    print(f"{'family':<12} {'size':>6} {'events':>7} {'ms/case':>9} {'µs/event':>9}")
    for family, make, sizes in (("posts", with_posts, args.posts),
                                ("candidates", with_candidates, args.candidates)):
        figures = []
        for size in sizes:
            seconds, events = cost(make(size), args.repeat)
            figures.append(seconds)
            print(f"{family:<12} {size:>6} {events:>7} {seconds * 1e3:>9.2f} "
                  f"{seconds / events * 1e6:>9.1f}")
        k = math.log(figures[1] / figures[0]) / math.log(sizes[1] / sizes[0])
        print(f"{family}: cost ∝ size^{k:.2f} from {sizes[0]} to {sizes[1]} (target ≤ 1.1)")


if __name__ == "__main__":
    main()
