"""Drawing what was found: the text report a person reads, the JSON report, trace and
sources, and writing output files.
"""

# The `format` of what `validate` writes as JSON (and how a folder's walk knows the
# tool's own report when it finds one among the cases: engine/pipeline.other_kind).
REPORT_FORMAT = "selection-rules/validate"
