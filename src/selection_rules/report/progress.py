"""The progress bar of a long `validate`: on standard error when it is a terminal and
there are many files, silent otherwise (a pipe, a file, a CI log, a few files)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

# Fewer files than this finish before a bar would be worth drawing.
MANY_FILES = 50


@contextmanager
def progress(total: int, stream: TextIO | None = None) -> Iterator[Callable[[], None]]:
    """A function to call as each file finishes: it moves the bar, if there is one."""
    err = stream if stream is not None else sys.stderr
    if total < MANY_FILES or not err.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    # transient: the bar is gone at the end. The report printed on the same terminal
    # meanwhile goes above it; a report sent to a file or a pipe is left alone.
    with Progress(BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(file=err), transient=True,
                  redirect_stdout=sys.stdout.isatty(), redirect_stderr=False) as bar:
        task = bar.add_task("validate", total=total)
        yield lambda: bar.advance(task)
