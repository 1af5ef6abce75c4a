"""What the simulator prints: the stage, the open steps with their checks, what a step
found, what a what-if changed. Violations are printed as `validate` prints them."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from selection_rules.diagram.check_lines import step_checks
from selection_rules.engine.violations import Violation
from selection_rules.engine.wording import words
from selection_rules.i18n import Lang, Text
from selection_rules.report.text import SEVERITY_STYLE, SEVERITY_TEXT, citation_text
from selection_rules.simulate.session import Added, Change, Session
from selection_rules.source.paths import format_loc


class View:
    def __init__(self, console: Console, lang: Lang) -> None:
        self.console = console
        self.lang = lang

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def say(self, text: Text | str, style: str = "") -> None:
        shown = escape(text.get(self.lang) if isinstance(text, Text) else text)
        self.console.print(f"[{style}]{shown}[/]" if style else shown)

    def header(self, session: Session) -> None:
        proc = session.proc
        sets = f" + {', '.join(proc.rule_sets)}" if proc.rule_sets else ""
        self.console.print(
            f"[bold]{escape(proc.title.get(self.lang))}[/] ({escape(proc.id)}{escape(sets)})  "
            + escape(self.t("案卷 ", "case ") + str(session.data.get("case"))))

    def status(self, session: Session) -> None:
        proc = session.proc
        case = session.case()
        for post_id, stage in session.stages().items():
            title = case.post(post_id).title
            label = proc.stage_label(stage)
            shown = label.get(self.lang) if label else stage
            end = self.t("（终点）", " (end)") if stage in proc.machine.finals else ""
            self.console.print(escape(self.t(f"职位 {post_id} {title}：当前阶段【{shown}】{end}",
                                             f"post {post_id} {title}: at stage [{shown}]{end}")))
        steps = session.open_steps()
        if not steps:
            self.say(Text("没有可进行的步骤：程序已到终点。",
                          "No step is open: the procedure has ended."))
            return
        self.say(Text("可进行的步骤：", "Open steps:"), "bold")
        for n, open_step in enumerate(steps, 1):
            dest = proc.stage_label(open_step.dest)
            to = dest.get(self.lang) if dest else open_step.dest
            posts = ""
            if len(case.posts) > 1:
                posts = self.t(f"（职位 {', '.join(open_step.posts)}）",
                               f" (posts {', '.join(open_step.posts)})")
            self.console.print(
                f"  {n}. [bold]{escape(open_step.step.label.text().get(self.lang))}[/] "
                f"({escape(open_step.step.event)}) → {escape(to)}{escape(posts)}")
            for line in step_checks(proc, open_step.step.event):
                text = escape(line.text.get(self.lang))
                self.console.print(f"       [cyan]{line.rule_id}[/] {text}")

    def violation(self, v: Violation) -> None:
        sev = v.severity
        where = format_loc(v.loc) if v.loc else ""
        self.console.print(f"    [{SEVERITY_STYLE[sev]}]{v.rule_id} "
                           f"{SEVERITY_TEXT[sev].get(self.lang)}[/]  {escape(where)}")
        self.console.print(f"      {escape(v.message.get(self.lang))}")
        cite = citation_text(v, self.lang)
        if cite:
            self.console.print(f"      [dim]{escape(cite)}[/]")

    def added(self, session: Session, added: Added) -> None:
        label = session.proc.step_label(str(added.event.get("type")))
        moved = []
        for post, stage in added.after.items():
            if added.before.get(post) != stage:
                to = session.proc.stage_label(stage)
                moved.append(f"{post} → {to.get(self.lang) if to else stage}")
        self.say(Text(f"已记录第 {added.index + 1} 个事件「{label.zh}」", f"Recorded event "
                      f"{added.index + 1}, '{label.en}'") + Text(
                          f"：{'；'.join(moved)}" if moved else "：阶段未变",
                          f": {'; '.join(moved)}" if moved else ": the stage did not change"),
                 "bold")
        if not added.violations:
            self.say(Text("  ✓ 本步骤的检查全部通过", "  ✓ every check of this step passed"),
                     "green")
            return
        self.say(Text(f"  ✗ 本步骤发现 {len(added.violations)} 条违规：",
                      f"  ✗ {len(added.violations)} violation(s) in this step:"), "bold red")
        for v in added.violations:
            self.violation(v)

    def change(self, change: Change) -> None:
        before, after = words(change.old), words(change.new)
        self.say(Text(f"假设改动 {change.path}：{before.zh} → {after.zh}",
                      f"What if {change.path}: {before.en} → {after.en}"), "bold")
        if not (change.appeared or change.disappeared or change.changed):
            self.say(Text("  违规没有变化", "  no violation appears or disappears"))
        sections = ((Text("  新出现的违规：", "  violations that appear:"), change.appeared),
                    (Text("  消失的违规：", "  violations that disappear:"), change.disappeared))
        for title, items in sections:
            if items:
                self.say(title, "bold")
                for v in items:
                    self.violation(v)
        if change.changed:
            self.say(Text("  数字变化的违规：", "  violations whose figures changed:"), "bold")
            for old, new in change.changed:
                self.violation(new)
                self.console.print("      [dim]" + escape(self.t("原为：", "was: ")
                                                          + old.message.get(self.lang)) + "[/]")

    def summary(self, session: Session) -> None:
        """The case as it stands, as `validate` reports it: an unfinished case's
        `incomplete` violation is one of its violations, counted and listed as such."""
        violations = session.result().violations
        if session.finished:
            self.say(Text("程序已走到终点。", "The procedure reached its end."), "bold")
        else:
            self.say(Text("程序尚未走到终点。", "The procedure has not reached its end."),
                     "yellow")
        self.say(Text(f"全案违规 {len(violations)} 条。",
                      f"{len(violations)} violation(s) in the case."))
        for v in violations:
            self.violation(v)
