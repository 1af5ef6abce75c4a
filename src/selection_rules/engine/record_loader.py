"""Reading a record file into the model of its kind (kinds.py tells the kind)."""

from __future__ import annotations

from selection_rules.model.records import RecordFile
from selection_rules.model.registers import ALL_RECORD_MODELS, all_reference_problems
from selection_rules.source.document import Document
from selection_rules.source.model_errors import validated


def parse_record(doc: Document, kind: str) -> RecordFile:
    """The record, validated against the model of its kind, every problem located."""
    return validated(doc, ALL_RECORD_MODELS[kind], all_reference_problems)
