"""`selection-rules simulate`: walk a procedure step by step, interactively or by script.

The interactive mode is a thin prompt layer over `session.Session`, which the
script mode (`--script`) and the what-if mode (`--from CASE --set PATH=VALUE`) drive too.
Every step is judged by replaying the case built so far, with the code `validate` runs.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import load_procedure, read
from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.model.vocabulary import VOCABULARIES
from selection_rules.report.outputs import Outputs, Spot
from selection_rules.simulate.fields import (
    BadInput,
    Field,
    fields_for,
    label,
    parse_field,
    parse_tally,
)
from selection_rules.simulate.script import run_script
from selection_rules.simulate.session import OpenStep, Session
from selection_rules.simulate.view import View
from selection_rules.source.loading import loads_document

Prompt = Callable[..., Any]


def parse_set(text: str) -> tuple[str, Any]:
    """`events[3].ballot.tallies.C03.agree=95` -> (path, 95), the value read as YAML."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise InputError.at("--set", Text(f"无法读取 {text!r}", f"cannot read {text!r}"),
                            expected=Text("路径=值，如 events[3].ballot.tallies.C03.agree=95",
                                          "PATH=VALUE, e.g. events[3].ballot.tallies.C03.agree=95"))
    value = loads_document(raw, "--set", "yaml").data if raw.strip() else None
    return path.strip(), value


def run(*, procedure: str | None, from_case: Path | None, script: str | None,
        save: Path | None, sets: list[str], library: Library, calendar: WorkCalendar,
        view: View, prompt: Prompt = typer.prompt, force: bool = False) -> Session | None:
    """Run one simulation; return the session as it ends (None if the user left at once)."""
    session: Session | None = None
    interactive = Interactive(view, prompt, save)
    prompts = script is None and not sets
    outputs = interactive.outputs = Outputs(
        force=force, confirm=interactive.may_replace if prompts else None)
    if from_case is not None:
        session = Session.resume(read(from_case), library, calendar)
        if procedure is not None and procedure != session.proc.id:
            raise InputError.at(str(from_case), Text(
                f"案卷的程序是 {session.proc.id}，而命令行给出的是 {procedure}",
                f"the case follows {session.proc.id}, not {procedure}"), field="procedure")
        view.header(session)
    elif procedure is None:
        raise InputError.at("simulate", Text("请给出程序（如 pengshan-five-votes）或 --from 案卷",
                                             "name a procedure (e.g. pengshan-five-votes) or "
                                             "--from CASE"))
    proc = session.proc if session is not None else load_procedure(procedure or "", library)
    changes = [parse_set(s) for s in sets]
    if session is not None:
        for path, value in changes:
            view.change(session.set(path, value))
    elif changes:
        raise InputError.at("--set", Text("--set 需要 --from 案卷", "--set needs --from CASE"))

    def saved(path: Path) -> None:
        view.say(Text(f"已保存 {path}", f"Saved {path}"), "green")

    doc = None
    if script is not None:
        # Standard input has no suffix to tell its format: read it as YAML, which reads a
        # JSON list as well, where a guess from the first character took `[status]` for JSON.
        doc = (loads_document(sys.stdin.buffer.read(), "<stdin>", "yaml") if script == "-"
               else read(script))
    if save is not None:
        # Before any step is taken: a session is not walked only to find it cannot be kept.
        outputs.check(save, SAVE)
    if doc is not None:
        session = run_script(doc, view, session=session, proc=proc, calendar=calendar,
                             base=Path.cwd() if script == "-" else None, on_save=saved,
                             outputs=outputs)
    elif prompts:
        session = interactive.loop(session, proc, calendar)
    if session is not None:
        view.summary(session)
        if save is not None:
            session.save(save, outputs, SAVE)
            saved(save)
    return session


SAVE = Spot("--save")


class Interactive:
    """The prompts. Every answer goes through the session; nothing is judged here."""

    def __init__(self, view: View, prompt: Prompt, save: Path | None) -> None:
        self.view = view
        self.prompt = prompt
        self.save = save
        self.outputs = Outputs()

    def yes(self, zh: str, en: str) -> bool:
        answer = self.ask(f"{zh}（y/N）", f"{en} (y/N)", "n")
        return answer.strip().lower() in ("y", "yes", "是")

    def may_replace(self, path: Path) -> bool:
        try:
            return self.yes(f"{path} 已存在，替换它吗？", f"{path} already exists; replace it?")
        except typer.Abort:  # no one left to answer: keep the file
            return False

    def ask(self, zh: str, en: str, default: Any = None) -> str:
        text = self.view.t(zh, en)
        if default is None:
            return str(self.prompt(text, default="", show_default=False))
        return str(self.prompt(text, default=default))

    def loop(self, session: Session | None, proc: Any, calendar: WorkCalendar) -> Session | None:
        try:
            if session is None:
                session = self.start(proc, calendar)
                self.view.header(session)
            while True:
                self.view.status(session)
                choice = self.ask("步骤编号，或 u 撤销、w 假设改动、s 保存、q 结束",
                                  "step number, or u undo, w what-if, s save, q quit").strip()
                if choice in ("q", "quit", "退出"):
                    # With --save the session is written as it ends; without, ask first.
                    if self.save is None and session.unsaved and not self.yes(
                            "有尚未保存的改动，不保存就结束吗？",
                            "there are unsaved changes; quit without saving?"):
                        continue
                    return session
                self.act(session, choice)
        except typer.Abort:  # end of input (Ctrl-D, or a piped answer list ran out)
            self.view.console.print()
            return session

    def act(self, session: Session, choice: str) -> None:
        steps = session.open_steps()
        if choice in ("u", "undo"):
            what = session.undo()
            self.view.say(Text("已撤销：", "Undone: ") + what if what
                          else Text("没有可撤销的操作", "nothing to undo"))
        elif choice in ("w", "what-if"):
            line = self.ask("改动（路径=值，如 events[3].ballot.tallies.C03.agree=95）",
                            "change (PATH=VALUE, e.g. events[3].ballot.tallies.C03.agree=95)")
            try:
                path, value = parse_set(line)
                self.view.change(session.set(path, value))
            except InputError as exc:
                self.problems(exc)
        elif choice in ("s", "save"):
            default = str(self.save) if self.save else "case.yaml"
            target = Path(self.ask("保存到文件", "save to file", default))
            try:
                session.save(target, self.outputs, Spot(str(target)))
            except InputError as exc:
                self.problems(exc)
                return
            self.view.say(Text(f"已保存 {target}", f"Saved {target}"), "green")
        elif choice.isdigit() and 1 <= int(choice) <= len(steps):
            self.record(session, steps[int(choice) - 1])
        else:
            self.view.say(Text(f"无法理解 {choice!r}", f"cannot understand {choice!r}"), "red")

    def problems(self, exc: InputError) -> None:
        for p in exc.problems:
            where = f"{p.field}: " if p.field else ""
            self.view.say(Text(where, where) + p.message + (
                Text("；应为：", "; expected: ") + p.expected if p.expected else Text("", "")),
                "red")

    def start(self, proc: Any, calendar: WorkCalendar) -> Session:
        v = self.view
        v.say(Text("新建案卷：先填写单位、职位和人选。",
                   "A new case: the unit, posts and candidates first."), "bold")
        header: dict[str, Any] = {
            "case": self.ask("案卷编号", "case id", "SIM-1"),
            "unit": self.ask("选任单位（党委/党组）", "selecting unit (party committee)"),
        }
        posts: list[dict[str, Any]] = []
        while True:
            line = self.ask(f"职位 {len(posts) + 1}：编号 名称 [类别]（空行结束）",
                            f"post {len(posts) + 1}: id title [level] (empty line ends)")
            parts = line.split()
            if not parts:
                if posts:
                    break
                v.say(Text("至少需要一个职位", "at least one post is needed"), "red")
                continue
            post: dict[str, Any] = {"id": parts[0], "title": " ".join(parts[1:2]) or parts[0]}
            if len(parts) > 2:
                post["level"] = parts[2]
            posts.append(post)
        candidates: list[dict[str, Any]] = []
        while True:
            line = self.ask(f"人选 {len(candidates) + 1}：编号 姓名 [单位职务]（空行结束）",
                            f"candidate {len(candidates) + 1}: id name [unit] (empty line ends)")
            parts = line.split(maxsplit=2)
            if not parts:
                break
            cand: dict[str, Any] = {"id": parts[0], "name": " ".join(parts[1:2]) or parts[0]}
            if len(parts) > 2:
                cand["unit"] = parts[2]
            candidates.append(cand)
        header["posts"] = posts
        header["candidates"] = candidates
        return Session.new(proc, header, calendar)

    def typed(self, field: Field, zh: str, en: str) -> Any:
        """Ask until the answer reads as `field`'s type; None for an optional field left empty."""
        hint = {"ids": ("逗号分隔的编号", "ids, comma-separated"),
                "texts": ("逗号分隔", "comma-separated"),
                "date": ("YYYY-MM-DD", "YYYY-MM-DD"),
                "bool": ("是/否", "y/n"),
                "choice": _choices(field)}.get(field.kind)
        notes_zh = [hint[0]] if hint else []
        notes_en = [hint[1]] if hint else []
        if not field.required:
            notes_zh.append("可空")
            notes_en.append("optional")
        zh_text = f"{zh}（{'，'.join(notes_zh)}）" if notes_zh else zh
        en_text = f"{en} ({', '.join(notes_en)})" if notes_en else en
        while True:
            text = self.ask(zh_text, en_text)
            if not text.strip():
                if not field.required:
                    return None
                self.view.say(Text("此项必填", "this field is required"), "red")
                continue
            try:
                return parse_field(field, text)
            except BadInput as exc:
                self.view.say(exc.message, "red")

    def record(self, session: Session, step: OpenStep) -> None:
        event: dict[str, Any] = {"type": step.step.event}
        last = session.last_date()
        while True:
            raw = self.ask("日期", "date", (last or dt.date.today()).isoformat())
            try:
                event["date"] = dt.date.fromisoformat(raw.strip())
                break
            except ValueError:
                self.view.say(Text(f"{raw!r} 不是日期（YYYY-MM-DD）",
                                   f"{raw!r} is not a date (YYYY-MM-DD)"), "red")
        posts = session.default_posts(step)
        if len(session.case().posts) > 1:
            answer = self.ask("职位（逗号分隔，空 = 全部职位）",
                              "posts (comma-separated, empty = all)", ",".join(posts))
            posts = [p.strip() for p in answer.split(",") if p.strip()]
        if posts:
            event["posts"] = posts
        for field in fields_for(session.proc, step.step.event):
            self.fill(session, event, field)
        try:
            self.view.added(session, session.add(event))
        except InputError as exc:
            self.problems(exc)
            self.view.say(Text("未记录该事件，请重新选择步骤。", "The event was not recorded; "
                               "choose the step again."), "red")

    def fill(self, session: Session, event: dict[str, Any], field: Field) -> None:
        if field.kind in ("tallies", "scores", "per_candidate_texts"):
            value = self.per_candidate(session, event, field)
        else:
            words = label(field)
            value = self.typed(field, f"{words.zh} [{field.dotted}]",
                               f"{words.en} [{field.dotted}]")
        if value is None or value == [] or value == {}:
            return
        node = event
        for part in field.path[:-1]:
            node = node.setdefault(part, {})
        node[field.path[-1]] = value

    def per_candidate(self, session: Session, event: dict[str, Any], field: Field) -> Any:
        who = list(event.get("candidates") or [c.id for c in session.case().candidates])
        words = label(field)
        self.view.say(Text(f"{words.zh} [{field.dotted}]：逐个人选填写（空 = 跳过）",
                           f"{words.en} [{field.dotted}]: one line per candidate (empty = skip)"))
        out: dict[str, Any] = {}
        for cid in who:
            while True:
                if field.kind == "tallies":
                    text = self.ask(f"  {cid} 同意/不同意/弃权", f"  {cid} agree/disagree/abstain")
                else:
                    text = self.ask(f"  {cid}", f"  {cid}")
                if not text.strip():
                    break
                try:
                    if field.kind == "tallies":
                        out[cid] = parse_tally(text)
                    elif field.kind == "scores":
                        out[cid] = parse_field(Field(field.path, "number", False), text)
                    else:
                        out[cid] = parse_field(Field(field.path, "texts", False), text)
                    break
                except BadInput as exc:
                    self.view.say(exc.message, "red")
        return out


def _choices(field: Field) -> tuple[str, str]:
    """A choice's values as the prompt lists them: by their labels in Chinese (any name of
    a value is accepted), by their codes in English."""
    if field.vocabulary is None:
        return "/".join(field.choices), "/".join(field.choices)
    terms = [t for t in VOCABULARIES[field.vocabulary].all_terms() if t.code in field.choices]
    return "/".join(t.zh for t in terms), "/".join(t.code for t in terms)
