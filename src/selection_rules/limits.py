"""The limits on what an input may ask of the engine, in one place, each with its reason.

The budget they keep: any input that is accepted finishes in under 10 CPU-seconds and
1 GiB of memory (README, "Limits"). The size limits of a document itself (bytes, nodes,
nesting) are in source/decoding.py, where the parser enforces them; these are the limits on
what a document that parses may describe. Each is far above anything a real case or
procedure needs, and each is refused early with a message that says where and why.
"""

from __future__ import annotations

# Real expressions nest fewer than ten levels. Compiling, linting, drawing and
# evaluating an expression recurse once per level or more; 100 keeps all of them far
# from Python's recursion limit (1,000 frames).
MAX_EXPR_DEPTH = 100

# A figure computed by a rule (a sum, a product, a share) has at most this many bits in
# its numerator and in its denominator: about 900 decimal digits, where a real figure
# has fewer than twenty. Past it the figure has no value (the check says so); below it
# every figure prints exactly, well inside Python's 4,300-digit limit on int-to-text
# (sys.get_int_max_str_digits), even as a decimal of a denominator 2^k, and
# multiplying two of them costs microseconds.
MAX_FIGURE_BITS = 3000

# A holiday list (--holidays): a year's arrangement is about 30 entries (holidays and
# days worked in lieu), so 100 years of them fit with room to spare. The list is read in
# time linear in its size (ranges are kept as ranges), and these keep that size, and
# the working-day tables of the years it declares (366 days each), small.
MAX_HOLIDAY_YEARS = 100
MAX_HOLIDAY_ENTRIES = 5_000

# A procedure: the real ones have 5 to 20 stages and steps. Lint's graph checks and the
# diagram's layout grow faster than linearly with them; at these sizes either takes
# about a second.
MAX_STAGES = 500
MAX_STEPS = 1_000

# The number of posts a `serves_posts` property may claim: lint builds the bounds of a
# selection of that many posts (a list of that length for `count(posts)`); a real
# selection round fills a few dozen posts at most.
MAX_POSTS = 1_000

# A case file's events: a real case records 10 to 100. Replay costs about half a
# millisecond and 25 KB per event, so 5,000 events take a few seconds.
MAX_EVENTS = 5_000

# LRMX import (干部任免审批表, `import`): a form is a few kilobytes of text and a photo
# (base64 JPEG, about 100 KB); a batch is a zip of a few dozen. These bound a zip bomb
# before a byte of it is inflated (the member count is read from the zip's end record,
# the sizes from its directory, and each member is read no further than it declared),
# and keep the parse of a whole batch to a few seconds: expat reads about 100 MB/s.
MAX_LRMX_BYTES = 16 * 1024 * 1024       # one form, inflated
MAX_LRMX_ELEMENTS = 10_000              # elements in one form: the template has about 60
MAX_ZIP_BYTES = 64 * 1024 * 1024        # one zip file as stored
MAX_ZIP_MEMBERS = 1_000                 # entries in one zip, folders and photos included
MAX_ZIP_TOTAL_BYTES = 128 * 1024 * 1024  # the forms of one zip, inflated, together

# A case workbook (or CSV): a real case fills a few hundred rows in all (a vote's tally is
# a row per candidate) and at most a few dozen columns. An .xlsx is refused when its
# parts would unpack to more than MAX_WORKBOOK_UNPACKED bytes (a zip bomb; a real case
# unpacks to well under 1 MB), and each sheet is measured before it is read (the reader
# holds a sheet as one block from its first cell to its last, so two far-apart cells
# would cost as much as the whole block). At these sizes the worst accepted workbook
# (600,000 cells) is read in about 2 CPU-seconds and 300 MB.
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 64
MAX_SHEETS = 50
MAX_WORKBOOK_UNPACKED = 16 * 1024 * 1024
