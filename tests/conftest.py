from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def validator():  # type: ignore[no-untyped-def]
    from selection_rules.library import Library
    from selection_rules.validation import Validator
    from selection_rules.workdays import WorkCalendar

    return Validator(Library(), WorkCalendar())
