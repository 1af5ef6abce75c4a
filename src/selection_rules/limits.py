"""The limits on what an input may ask of the engine, in one place, each with its reason.

The budget they keep: any input that is accepted finishes in under 10 CPU-seconds and
1 GiB of memory (README, "Limits"). The size limits of a document itself (bytes, nodes,
nesting) are in documents.py, where the parser enforces them; these are the limits on
what a document that parses may describe. Each is far above anything a real case or
procedure needs, and each is refused early with a message that says where and why.
"""

from __future__ import annotations

# Real expressions nest fewer than ten levels. Compiling, linting, drawing and
# evaluating an expression recurse once per level or more; 100 keeps all of them far
# from Python's recursion limit (1,000 frames).
MAX_EXPR_DEPTH = 100
