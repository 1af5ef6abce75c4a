"""The long fuzzing run: the properties of tests/fuzzing.py on random inputs for a while.

    .venv/bin/python fuzz/run.py --minutes 20          # every property, new inputs
    .venv/bin/python fuzz/run.py --minutes 5 --seed 7   # the same inputs again

It prints how many inputs it tried and exits 1 with the falsifying input (shrunk by
hypothesis) when one breaks a property: exit code outside 0-2, a traceback or internal
error, a write to an input, or a run over the time or memory budget.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fuzzing  # noqa: E402
from conftest import EXAMPLES  # noqa: E402


def _counts(tried: dict[str, int]) -> str:
    return (f"{tried['case']} cases and records, {tried['procedure']} procedures, "
            f"{tried['holidays']} holiday lists")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--batch", type=int, default=200, help="inputs per round")
    args = parser.parse_args()

    tried = {"case": 0, "procedure": 0, "holidays": 0}
    base = Path(tempfile.mkdtemp(prefix="selection-rules-fuzz-"))
    # derandomize=False over the tests' profile (conftest), which replays fixed inputs.
    opts = settings(max_examples=args.batch, deadline=None, database=None,
                    derandomize=False, suppress_health_check=list(HealthCheck))

    @opts
    @given(source=st.sampled_from(fuzzing.CASE_FILES), changes=fuzzing.mutations,
           encoding=st.sampled_from(fuzzing.ENCODINGS),
           command=st.sampled_from(sorted(fuzzing.CASE_COMMANDS)))
    def cases(source: Path, changes: list[fuzzing.Mutation], encoding: str,
              command: str) -> None:
        tried["case"] += 1
        fuzzing.fuzz_case(fuzzing.fresh_folder(base), source, changes, encoding, command)

    @opts
    @given(source=st.sampled_from(fuzzing.PROCEDURE_FILES), changes=fuzzing.mutations,
           example=st.sampled_from(sorted((EXAMPLES / "pengshan").glob("*.yaml"))))
    def procedures(source: Path, changes: list[fuzzing.Mutation], example: Path) -> None:
        tried["procedure"] += 1
        fuzzing.fuzz_procedure(fuzzing.fresh_folder(base), source, changes, example)

    @opts
    @given(changes=fuzzing.mutations, encoding=st.sampled_from(fuzzing.ENCODINGS),
           example=st.sampled_from(sorted((EXAMPLES / "pengshan").glob("*.yaml"))))
    def holidays(changes: list[fuzzing.Mutation], encoding: str, example: Path) -> None:
        tried["holidays"] += 1
        fuzzing.fuzz_holidays(fuzzing.fresh_folder(base), changes, encoding, example)

    deadline = time.monotonic() + args.minutes * 60
    try:
        explore(deadline, args.seed, (cases, procedures, holidays), tried)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"tried {sum(tried.values())} inputs in {args.minutes:g} minutes "
          f"({_counts(tried)}); nothing broke a property")
    return 0


def explore(deadline: float, seed_: int | None, props: tuple[Any, ...],
            tried: dict[str, int]) -> None:
    round_ = 0
    while time.monotonic() < deadline:
        for prop in props:
            run = prop if seed_ is None else seed(seed_ + round_)(prop)
            try:
                run()
            except Exception:
                print(f"tried {_counts(tried)} before this failure", file=sys.stderr)
                raise
        round_ += 1
        print(f"round {round_}: {_counts(tried)}, nothing found", flush=True)


if __name__ == "__main__":
    sys.exit(main())
