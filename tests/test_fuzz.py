"""A fixed share of the structural fuzzing in every test run (tests/fuzzing.py says what
is held); `python fuzz/run.py --minutes 20` runs the same properties on random inputs."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from fuzzing import (
    CASE_COMMANDS,
    CASE_FILES,
    ENCODINGS,
    PROCEDURE_FILES,
    Mutation,
    fresh_folder,
    fuzz_case,
    fuzz_holidays,
    fuzz_procedure,
    mutations,
)

# Derandomized: CI runs the same inputs every time, so a landing never hangs on luck;
# the long run (fuzz/run.py) is where new inputs are tried.
_CI = settings(derandomize=True, deadline=None, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])


@settings(_CI, max_examples=150)
@given(source=st.sampled_from(CASE_FILES), changes=mutations,
       encoding=st.sampled_from(ENCODINGS), command=st.sampled_from(sorted(CASE_COMMANDS)))
def test_a_mutated_case_or_record_never_breaks_the_tool(
        tmp_path: Path, source: Path, changes: list[Mutation], encoding: str,
        command: str) -> None:
    fuzz_case(fresh_folder(tmp_path), source, changes, encoding, command)


@settings(_CI, max_examples=40)
@given(source=st.sampled_from(PROCEDURE_FILES), changes=mutations)
def test_a_mutated_procedure_never_breaks_the_tool(
        tmp_path: Path, source: Path, changes: list[Mutation]) -> None:
    fuzz_procedure(fresh_folder(tmp_path), source, changes, EXAMPLES / "pengshan" / "clean.yaml")


@settings(_CI, max_examples=30)
@given(changes=mutations, encoding=st.sampled_from(ENCODINGS))
def test_a_mutated_holiday_list_never_breaks_the_tool(
        tmp_path: Path, changes: list[Mutation], encoding: str) -> None:
    fuzz_holidays(fresh_folder(tmp_path), changes, encoding, EXAMPLES / "pengshan" / "clean.yaml")


def test_the_mutators_change_what_they_are_told_to() -> None:
    """The fuzzing is only as good as its mutations: each kind changes a document."""
    from fuzzing import MUTATIONS, load, mutate

    data = load(EXAMPLES / "pengshan" / "clean.yaml")
    for kind in MUTATIONS:
        changed = [mutate(data, [Mutation(kind, at, 7)]) != data for at in range(200)]
        assert any(changed), kind
