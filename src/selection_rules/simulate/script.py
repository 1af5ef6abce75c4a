"""The simulator without a terminal: a YAML or JSON list of actions, each one line of a
session. Every problem is located in the script (file, line, field).

    - start: {case: SIM-1, unit: 中共彭山县委员会, posts: [...], candidates: [...]}
    - add: {type: pre_recommendation, date: 2024-01-15, result: [C01, C02]}
    - status
    - set: {"events[3].ballot.tallies.C03.agree": 95}     # what-if, kept (undo takes it back)
    - undo
    - save: out.yaml                                    # relative to the script's folder
                                                        # and never outside it
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from selection_rules.engine.compiled import Procedure
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.report.outputs import Outputs, Spot, confined
from selection_rules.simulate.session import Session
from selection_rules.simulate.view import View
from selection_rules.source.document import Document
from selection_rules.source.paths import format_loc

ACTIONS = ("start", "add", "status", "set", "undo", "save")


def _problem(doc: Document, loc: tuple[str | int, ...], message: Text,
             expected: Text | None = None) -> InputError:
    return InputError([Problem(doc.path, message, doc.line_of(loc), doc.column_of(loc),
                               format_loc(loc) or None, expected)])


def _action(doc: Document, i: int, item: Any) -> tuple[str, Any]:
    if isinstance(item, str) and item in ("status", "undo"):
        return item, None
    if isinstance(item, dict) and len(item) == 1:
        name, arg = next(iter(item.items()))
        if name in ACTIONS:
            return str(name), arg
        raise _problem(doc, (i, name), Text(f"未知操作 {name!r}", f"unknown action {name!r}"),
                       Text("以下之一：" + "、".join(ACTIONS), "one of " + ", ".join(ACTIONS)))
    raise _problem(doc, (i,), Text("每一项应为一个操作，如 add: {...}",
                                   "each item is one action, e.g. add: {...}"),
                   Text("以下之一：" + "、".join(ACTIONS), "one of " + ", ".join(ACTIONS)))


def run_script(doc: Document, view: View, *, session: Session | None,
               proc: Procedure | None, calendar: WorkCalendar,
               base: Path | None = None,
               on_save: Callable[[Path], None] | None = None,
               outputs: Outputs | None = None) -> Session:
    """Run every action of `doc`; return the session as it ends."""
    if not isinstance(doc.data, list):
        raise _problem(doc, (), Text("脚本应为操作的列表", "a script is a list of actions"),
                       Text("如 - add: {type: motion, date: 2024-03-04}",
                            "e.g. - add: {type: motion, date: 2024-03-04}"))
    folder = base if base is not None else Path(doc.path).parent
    for i, item in enumerate(doc.data):
        name, arg = _action(doc, i, item)
        if name == "start":
            if session is not None:
                raise _problem(doc, (i, "start"), Text("会话已开始（--from 或之前的 start）",
                                                       "the session has already started "
                                                       "(--from or an earlier start)"))
            if proc is None or not isinstance(arg, dict):
                raise _problem(doc, (i, "start"), Text("start 需要案卷开头（case、unit、posts、"
                                                       "candidates）和命令行中的程序",
                                                       "start needs the case header (case, unit, "
                                                       "posts, candidates) and a procedure on "
                                                       "the command line"))
            session = Session.new(proc, arg, calendar, doc=doc, prefix=(i, "start"))
            view.header(session)
            continue
        if session is None:
            raise _problem(doc, (i,), Text("第一个操作应为 start（或使用 --from 案卷）",
                                           "the first action is start (or use --from CASE)"))
        if name == "add":
            if not isinstance(arg, dict):
                raise _problem(doc, (i, "add"), Text("add 需要一个事件（映射）",
                                                     "add takes one event (a mapping)"))
            view.added(session, session.add(arg, doc=doc, prefix=(i, "add")))
        elif name == "status":
            view.status(session)
        elif name == "undo":
            what = session.undo()
            view.say(Text("已撤销：", "Undone: ") + what if what else
                     Text("没有可撤销的操作", "nothing to undo"))
        elif name == "set":
            if not isinstance(arg, dict) or not arg:
                raise _problem(doc, (i, "set"), Text("set 需要 路径: 值",
                                                     "set takes path: value pairs"))
            for path, value in arg.items():
                try:
                    view.change(session.set(str(path), value))
                except InputError as exc:
                    raise InputError([Problem(doc.path, p.message, doc.line_of((i, "set", path)),
                                              None, format_loc((i, "set", str(path))), p.expected)
                                      for p in exc.problems]) from None
        elif name == "save":
            if not isinstance(arg, str) or not arg:
                raise _problem(doc, (i, "save"), Text("save 需要文件名", "save takes a file name"))
            spot = Spot(doc.path, doc.line_of((i, "save")), format_loc((i, "save")))
            target = confined(folder, arg, spot)
            session.save(target, outputs or Outputs(), spot)
            if on_save is not None:
                on_save(target)
    if session is None:
        raise _problem(doc, (), Text("脚本没有开始会话（start）",
                                     "the script never starts a session"))
    return session
