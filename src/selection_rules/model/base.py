"""What every model of a case or record file shares: exact numbers, counts, and a
frozen model that refuses unknown fields."""

# No `from __future__ import annotations`: see model/case.py.

from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from selection_rules.model.values import parse_number


def _exact(raw: object) -> Fraction:
    try:
        return Fraction(parse_number(raw))
    except ValueError as exc:  # pydantic turns ValueError into a located error
        raise ValueError(str(exc)) from None


Exact = Annotated[Fraction, BeforeValidator(_exact)]
NonNeg = Annotated[int, Field(ge=0)]


class Record(BaseModel):
    # defer_build: a model is compiled on first use, so a run pays only for the record
    # kinds it reads (start-up time of the CLI is a target).
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              defer_build=True)
