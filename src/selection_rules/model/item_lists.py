"""The lists of the case and record models: a set (each item once) or a sequence.

Rules count these lists (`count(event.result)`, `count(ballot.signed_by)`), so a list that
names a set of people, posts, units or kinds must not hold an item twice: `[C01, C01]`
would count as two nominees. Every list of plain values in the models is declared with
one of the two types below, and a test walks the models to hold every new list to that:

  Distinct[T]          a set written as a list (its order is kept): a repeat is a located
                       input error naming both positions
  Annotated[list[T], Repeats("why")]
                       a list whose order and repeats mean something, saying what
"""

# No `from __future__ import annotations`: the aliases are read by pydantic at class time.

from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from selection_rules.errors import ItemError
from selection_rules.i18n import Text

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Repeats:
    """Marks a list whose repeats mean something; `why` says what (for the reader)."""

    why: str


def _no_repeats(items: list[T]) -> list[T]:
    # The common cases without a loop in Python: one item (most lists), or no repeat.
    if len(items) < 2 or len(set(items)) == len(items):
        return items
    first: dict[Any, int] = {}
    repeats: list[tuple[int, int]] = []
    for i, item in enumerate(items):
        j = first.setdefault(item, i)
        if j != i:
            repeats.append((j, i))
    if not repeats:
        return items
    j, i = repeats[0]
    expected = Text("每项只列一次", "each item once")
    if len(repeats) > 1:
        more = len(repeats) - 1
        expected += Text(f"（本列表另有 {more} 处重复）",
                         f" ({more} more repeat{'s' if more > 1 else ''} in this list)")
    raise ItemError(Text(f"{_shown(items[i])} 重复列出", f"{_shown(items[i])} is listed twice"),
                    (i,), (j,), expected)


def _shown(item: object) -> str:
    text = repr(item) if isinstance(item, str) else str(item)
    return text if len(text) <= 60 else text[:57] + "…"


class _UniqueItems:
    """Says `uniqueItems` in the JSON Schemas, so an editor flags a repeat as it is typed."""

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["uniqueItems"] = True
        return out


# The marker object, not the validator, is what the models' test looks for.
DISTINCT = AfterValidator(_no_repeats)

Distinct = Annotated[list[T], DISTINCT, _UniqueItems()]
