"""The program's entry point: the `selection-rules` script, `python -m selection_rules`.

Start-up (importing typer, pydantic and the engine, compiling the procedures) allocates
a few hundred thousand objects that live as long as the process and leave nothing for
the cycle collector to free; yet the collector ran about 130 times while they were
made, each full pass walking all of them again: a seventh of `validate`'s start-up. So
the collector waits until the command says start-up is over (`started`), and what
start-up made is then frozen out of its sight (gc.freeze) for the rest of the run.
The few thousand objects of cyclic garbage that start-up leaves are frozen with the rest
rather than freed: a fixed cost of a few hundred kilobytes per run, where collecting
them first would walk every object once more. Kept out of `selection_rules.cli`, which
tests import: they keep the collector running.
"""

from __future__ import annotations

import gc

_paused = False


def main() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True
    try:
        from selection_rules.cli import main as run

        run()
    finally:
        started()


def started() -> None:
    """Start-up is over: from here the collector runs, over what is made from here on.
    `validate` calls it once its first file is checked (or before it forks workers, which
    inherit the collector's state), every other command as it begins; a no-op where the
    collector was never paused."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
