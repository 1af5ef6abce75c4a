"""What a run of files is made of: the paths a command names expanded into files
(`expand`, `walk`), and each file's `Outcome` from the pipeline (pipeline.py).

One bad file never stops the others: its problems are collected and the run goes on.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from selection_rules.engine.library import SUFFIXES
from selection_rules.engine.violations import CaseResult
from selection_rules.errors import Problem
from selection_rules.i18n import Text
from selection_rules.source.inputs import NOT_FOUND, input_problem

__all__ = ["Outcome", "expand", "walk"]


@dataclass(eq=False)
class Outcome:
    path: str
    result: CaseResult | None = None
    problems: list[Problem] = field(default_factory=list)


def expand(paths: Iterable[str], counts: Callable[[str], bool] | None = None,
           ) -> tuple[list[Path], list[Problem]]:
    """Files named, files under folders named (`walk`ed with `counts`, by default the YAML
    and JSON files), and glob matches, in order."""
    found: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(Path(p) for p in walk(str(path), counts or _data_file))
        elif path.is_file():
            found.append(path)
        elif (problem := input_problem(path)) not in (None, NOT_FOUND):
            problems.append(Problem(raw, problem))  # a FIFO or a device: never opened
        elif any(ch in raw for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(raw, recursive=True))
            files = [m for m in matches if m.is_file()]
            if not files:
                problems.append(Problem(raw, Text("通配符没有匹配到任何文件",
                                                  "the pattern matches no file")))
            found.extend(files)
        else:
            problems.append(Problem(raw, Text("文件或目录不存在", "no such file or directory")))
    return list(dict.fromkeys(found)), problems


def walk(folder: str, counts: Callable[[str], bool] | None = None) -> Iterator[str]:
    """The files under `folder` that `counts` (given a file's path) keeps, by default the
    case files `validate` reads, one at a time and as text: sorted, none under a hidden
    folder, no link to a folder followed. A folder of 100,000 files is never held as
    100,000 paths.

    Sorting each folder's entries by name and going depth first is sorting the paths by
    their parts, as `sorted(Path)` does. `folder` is written as `str(Path(...))` writes it.
    """
    keep = counts or _counts
    try:
        # Names only (not DirEntry objects): a flat folder of 100,000 cases is held as
        # 100,000 short strings while it is gone through, the least it can be sorted in.
        names = sorted(os.listdir(folder))
    except OSError:  # unreadable, or gone since it was listed: nothing in it, as rglob says
        return
    for name in names:
        if name.startswith("."):
            continue  # hidden: neither a data file nor a folder of them
        path = name if folder == "." else os.path.join(folder, name)
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):  # a link to a folder is not followed
            yield from walk(path, keep)
        elif (stat.S_ISREG(mode) or (stat.S_ISLNK(mode) and os.path.isfile(path))) \
                and keep(path):  # a regular file only: `keep` may read it (rule tests)
            yield path


# Workbooks in a folder `validate` walks are case files too (the CSV form is not: a folder
# of exports holds many CSVs that are no case, so a CSV case is named on the command
# line). `~$x.xlsx` is the lock file Excel and WPS keep beside a workbook that is open.
# `expand` (lint, rule tests) keeps to YAML and JSON.
FOLDER_WORKBOOKS = (".xlsx", ".xls")


def _counts(path: str) -> bool:
    suffix = os.path.splitext(path)[1]
    return suffix in SUFFIXES or (suffix.lower() in FOLDER_WORKBOOKS
                                  and not os.path.basename(path).startswith("~$"))


def _data_file(path: str) -> bool:
    return os.path.splitext(path)[1] in SUFFIXES
