"""Synthetic Five Votes case files, clean and broken mixed, for the benchmarks.

    python benchmarks/generate.py OUT_DIR --count 10000 [--seed 1]

Each case is the 9-event record of one selection (pre-recommendation, motion, the
five votes with the inspection, publicity with a report received, appointment);
about one case in three carries one deliberate fault drawn from a fixed list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

FAULTS = [
    "below_80", "quorum", "exactly_half", "short_publicity", "unsigned", "open_vote",
    "repeat_step", "skip_inspection", "leader_not_last", "pool_of_eight",
]


# The appointee's facts (干部任免审批表), as the examples state them: eligible for a
# section-level head post, so the eligibility rules run their checks and find nothing.
FACTS: dict[str, Any] = {
    "work_start": "2004-07-01", "education": "bachelor",
    "career": [
        {"from": "2004-07-01", "to": "2009-06-30", "title": "某镇党政办科员", "rank": "staff",
         "grassroots": True},
        {"from": "2009-07-01", "to": "2014-06-30", "title": "某镇副镇长",
         "rank": "deputy_section", "grassroots": True},
        {"from": "2014-07-01", "title": "县某局副局长", "rank": "deputy_section",
         "grassroots": False}],
    "training": [{"completed": "2018-06-30", "title": "县委党校中青年干部培训班"}],
}


def make_case(n: int, rng: random.Random, fault: str | None) -> dict[str, Any]:
    start = dt.date(2021, 1, 4) + dt.timedelta(days=rng.randrange(0, 900))
    day = lambda k: (start + dt.timedelta(days=k)).isoformat()  # noqa: E731
    cands = [{"id": f"C{i:02d}", "name": f"人选{i:02d}"} for i in range(1, 9)]
    pool = [c["id"] for c in cands[:7]]
    submitted = pool[:6] if fault != "pool_of_eight" else [c["id"] for c in cands]
    nominees = pool[:3]
    valid = rng.randrange(100, 400)
    low = (valid * 4 + 4) // 5  # the smallest count that is at least 80%
    tallies = {nominees[0]: {"agree": valid - rng.randrange(0, 10)},
               nominees[1]: {"agree": max(low, valid - rng.randrange(10, 20))},
               nominees[2]: {"agree": low - 1 if fault == "below_80" else low}}
    entitled = 12
    present = 7 if fault == "quorum" else rng.choice([8, 9, 10, 11, 12])
    order = [f"常委{i}" for i in range(present - 1)] + ["书记"]
    if fault == "leader_not_last":
        order = ["书记", *order[:-1]]
    plenary_agree = 15 if fault == "exactly_half" else rng.randrange(16, 27)
    pub_end = 2 if fault == "short_publicity" else 11
    events: list[dict[str, Any]] = [
        {"type": "pre_recommendation", "date": day(0),
         "ballot": {"kind": "secret", "participants": 150, "valid": 150}, "result": pool},
        {"type": "motion", "date": day(30), "posts": ["P1"],
         "motion": {"by": "县委组织部", "reason": "vacancy"}},
        {"type": "signed_recommendation", "date": day(40), "posts": ["P1"],
         "meeting": {"body": "plenary", "entitled": 30, "present": 27},
         "ballot": {"kind": "open" if fault == "unsigned" else "signed", "returned": 27,
                    "valid": 27},
         "candidates": submitted, "result": nominees},
        {"type": "democratic_recommendation", "date": day(50), "posts": ["P1"],
         "candidates": nominees,
         "ballot": {"kind": "secret", "participants": valid, "valid": valid, "tallies": tallies},
         "result": nominees},
        {"type": "inspection", "date": day(57), "posts": ["P1"], "candidates": nominees},
        {"type": "nomination_vote", "date": day(70), "posts": ["P1"],
         "meeting": {"body": "standing_committee", "entitled": entitled, "present": present,
                     "main_leader": "书记", "speaking_order": order},
         "candidates": nominees,
         "ballot": {"kind": "open" if fault == "open_vote" else "secret",
                    "tallies": {nominees[0]: {"agree": present}}},
         "result": nominees[:2]},
        {"type": "plenary_vote", "date": day(80), "posts": ["P1"],
         "meeting": {"body": "plenary", "entitled": 30, "present": 27, "main_leader": "书记",
                     "speaking_order": ["委员甲", "书记"]},
         "speeches": nominees[:2], "introductions": nominees[:2], "candidates": nominees[:2],
         "ballot": {"kind": "secret", "valid": 27,
                    "tallies": {nominees[0]: {"agree": plenary_agree}}},
         "result": nominees[:1]},
        {"type": "publicity", "date": day(81), "posts": ["P1"],
         "publicity": {"start": day(81), "end": day(81 + pub_end),
                       "reports": [{"received": day(82), "about": nominees[0],
                                    "verified": False}]}},
        {"type": "appointment", "date": day(95), "posts": ["P1"], "result": nominees[:1]},
    ]
    if fault == "repeat_step":
        events.insert(4, dict(events[3], date=day(52)))
    if fault == "skip_inspection":
        del events[4]
    return {
        "case": f"BENCH-{n:06d}",
        "procedure": "pengshan-five-votes",
        "unit": "彭山县委",
        "posts": [{"id": "P1", "title": "县某局局长", "level": "county_department_head",
                   "rank": "section"}],
        "candidates": [dict(c, facts=FACTS) if c["id"] == nominees[0] else c for c in cands],
        "events": events,
    }


def generate(count: int, seed: int = 1, faulty: float = 1 / 3) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        fault = rng.choice(FAULTS) if rng.random() < faulty else None
        out.append(make_case(n, rng, fault))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for case in generate(args.count, args.seed):
        path = args.out / f"{case['case']}.json"
        path.write_text(json.dumps(case, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {args.count} cases to {args.out}")


if __name__ == "__main__":
    main()
