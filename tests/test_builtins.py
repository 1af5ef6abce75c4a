"""The built-in functions' public table: names, arities, types and bilingual descriptions.

The table is kept in tests/golden/builtins.json: moving a function between modules must
not change what a rule may call, what it returns or how it is described.
"""

import json
from pathlib import Path
from typing import Any

from selection_rules.lang.case_functions import make_functions
from selection_rules.lang.record_functions import make_record_functions
from selection_rules.lang.types import ANY, ExprError, Function, ListOf
from selection_rules.model.records import RECORD_MODELS

GOLDEN = Path(__file__).parent / "golden" / "builtins.json"


def _returns(fn: Function) -> str:
    try:
        return repr(fn.returns([ListOf(ANY), ANY, ANY]))
    except ExprError as exc:
        return f"error: {exc.message.en}"


def _table(functions: dict[str, Function]) -> dict[str, Any]:
    return {name: {"arity": list(f.arity), "zh": f.doc.zh, "en": f.doc.en,
                   "returns": _returns(f), "event_selector_args": list(f.event_selector_args),
                   "type_only": f.type_only, "pure": f.pure is not None}
            for name, f in sorted(functions.items())}


def tables() -> dict[str, Any]:
    tags = {"inspection": frozenset({"inspection"})}
    out = {"selection": _table(make_functions(tags))}
    for kind in sorted(RECORD_MODELS):
        out[kind] = _table(make_record_functions(kind))
    return out


def test_the_builtin_table_is_unchanged() -> None:
    assert tables() == json.loads(GOLDEN.read_text(encoding="utf-8"))


if __name__ == "__main__":  # regenerate: python tests/test_builtins.py
    GOLDEN.write_text(json.dumps(tables(), ensure_ascii=False, indent=1) + "\n",
                      encoding="utf-8")
