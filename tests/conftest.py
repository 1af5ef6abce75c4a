from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# The property tests draw the same inputs on every run, so a landing never depends on
# luck; `HYPOTHESIS_PROFILE=explore` draws new ones (and fuzz/run.py explores at length).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import Pipeline
    from selection_rules.lang.workdays import WorkCalendar

    return Pipeline(Library(), WorkCalendar())


def shift_dates(data: object, weeks: int) -> object:
    """The same record `weeks` earlier or later: every date moves, weekdays are kept.

    A case that must fall under an earlier regulation is moved in time as a whole;
    its decision date cannot simply be overridden (validation refuses that).
    """
    import datetime as dt

    if isinstance(data, dict):
        return {k: shift_dates(v, weeks) for k, v in data.items()}
    if isinstance(data, list):
        return [shift_dates(v, weeks) for v in data]
    if isinstance(data, dt.date):
        return data + dt.timedelta(weeks=weeks)
    return data


def shipped_procedures() -> list[str]:
    """Ids of the procedures (not rule sets) shipped in rules/."""
    import yaml

    out = []
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") == "procedure":
            out.append(path.stem)
    return out


def assert_located_and_cited(violations) -> None:  # type: ignore[no-untyped-def]
    """Every violation names its line in the file, its citation and its message in both
    languages (what the standards ask of each one)."""
    for v in violations:
        assert v.line is not None and v.line > 0, v
        assert v.citation is not None, v
        assert v.message.zh and v.message.en, v


def sub_once(text: str, old: str, new: str) -> str:
    """`text` with its first `old` replaced, failing if the example no longer holds it."""
    assert old in text, f"the example no longer holds {old!r}"
    return text.replace(old, new, 1)


def county_rules_with(folder: Path, rule: str) -> Path:
    """A rules folder holding the authoring example's county rule set with `rule` (the YAML
    of one more rule, indented as a list item) added to it."""
    rules = folder / "rules"
    rules.mkdir()
    county = (EXAMPLES / "authoring" / "rules" / "example-county.yaml").read_text(
        encoding="utf-8")
    (rules / "example-county.yaml").write_text(
        sub_once(county, "\nproperties:", rule + "properties:"), encoding="utf-8")
    return rules
