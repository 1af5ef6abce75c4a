"""Compiling a procedure's rules: each rule's `when:` and each check's expressions,
against the scope of what they may read, every problem located at its line. The half of
the procedure loader (procedure.py) that turns rules into `RuleInfo`s."""

from __future__ import annotations

from selection_rules.engine import problem_codes as codes
from selection_rules.engine.compiled import CompiledCheck, Origin, Procedure, RuleInfo
from selection_rules.errors import Problem
from selection_rules.i18n import Text
from selection_rules.lang.expressions import compile_expr
from selection_rules.lang.types import ANY, Compiled, DictOf, ExprError, ListOf, Scope, StaticType
from selection_rules.model.procedure import Check
from selection_rules.source.paths import format_loc
from selection_rules.suggest import did_you_mean


class RuleCompiler:
    """The rules half of `_Loader`, which provides the rest."""

    problems: list[Problem]

    def problem(self, origin: Origin, zh: str, en: str, *, code: str) -> None:
        raise NotImplementedError

    def scope(self, proc: Procedure, *, event: bool, extra: dict[str, StaticType]) -> Scope:
        raise NotImplementedError

    def collect_rules(self, proc: Procedure) -> None:
        selectors_events = set(proc.steps)
        selectors_tags = {t for ts in proc.tags.values() for t in ts}
        for spec, doc in proc.layers:
            for i, rule in enumerate(spec.rules):
                origin = Origin(doc, ("rules", i))
                if rule.id in proc.rules:
                    first = proc.rules[rule.id].origin
                    self.problem(Origin(doc, ("rules", i, "id")),
                                 f"规则编号 {rule.id} 重复（首次出现于 {first.file}:{first.line}）",
                                 f"duplicate rule id {rule.id} "
                                 f"(first at {first.file}:{first.line})", code=codes.RULE_ID)
                    continue
                info = RuleInfo(rule, origin, spec.id)
                proc.rules[rule.id] = info
                if rule.structural:
                    if proc.order_rule is not None and spec.kind == "procedure":
                        self.problem(origin, "一个程序只能有一条顺序规则（structural: true）",
                                     "a procedure has one order rule (structural: true)",
                                     code=codes.STRUCTURE)
                    if spec.kind == "procedure":
                        proc.order_rule = info
                    continue
                assert rule.on is not None
                for j, ev in enumerate(rule.on.events):
                    if ev not in selectors_events:
                        hint = did_you_mean(ev, selectors_events)
                        self.problem(Origin(doc, ("rules", i, "on", "events", j)),
                                     f"未知事件类型 {ev!r}{hint.zh}",
                                     f"unknown event type {ev!r}{hint.en} "
                                     f"(steps: {', '.join(sorted(selectors_events))})",
                                     code=codes.UNKNOWN_EVENT)
                on_event = bool(rule.on.events or rule.on.tags)
                if on_event and proc.record_kind != "selection":
                    self.problem(Origin(doc, ("rules", i, "on")),
                                 "记录文件没有步骤：规则应写 on: {end: true}，对整份记录检查一次",
                                 "a record has no steps: a rule over it says on: {end: true} "
                                 "and is checked once over the whole record", code=codes.STRUCTURE)
                    on_event = False
                if rule.on.tags and spec.kind == "procedure":
                    for j, tag in enumerate(rule.on.tags):
                        if tag not in selectors_tags:
                            hint = did_you_mean(tag, selectors_tags)
                            self.problem(Origin(doc, ("rules", i, "on", "tags", j)),
                                         f"没有步骤带有标签 {tag!r}{hint.zh}",
                                         f"no step carries the tag {tag!r}{hint.en}",
                                         code=codes.UNKNOWN_TAG)
                if rule.when is not None:
                    info.when = self.compile(proc, rule.when, Origin(doc, ("rules", i, "when")),
                                             event=on_event, extra={})
                for j, check in enumerate(rule.checks):
                    where = Origin(doc, ("rules", i, "checks", j))
                    compiled = self.compile_check(proc, check, where,
                                                  event=on_event)
                    if compiled is not None:
                        info.checks.append(compiled)
        if proc.order_rule is None and proc.record_kind == "selection":
            self.problems.append(Problem(
                proc.layers[-1][1].path if proc.spec.kind != "procedure" else
                next(d.path for s, d in proc.layers if s.id == proc.id),
                Text("程序需要一条顺序规则（structural: true），用于报告步骤缺失、重复或顺序错误",
                     "a procedure needs an order rule (structural: true) under which missing, "
                     "repeated and out-of-order steps are reported"),
                code=codes.STRUCTURE,
            ))

    def compile(
        self, proc: Procedure, source: str | int, origin: Origin, *, event: bool,
        extra: dict[str, StaticType],
    ) -> Compiled | None:
        try:
            return compile_expr(source, self.scope(proc, event=event, extra=extra))
        except ExprError as exc:
            self.problems.append(Problem(
                origin.file,
                exc.message + Text(f"（表达式：{source}）", f" (expression: {source})"),
                origin.line, None, format_loc(origin.loc), code=codes.EXPRESSION,
            ))
            return None

    def compile_check(
        self, proc: Procedure, check: Check, origin: Origin, *, event: bool
    ) -> CompiledCheck | None:
        failed = False

        def part(name: str, source: str | int | None,
                 extra: dict[str, StaticType]) -> Compiled | None:
            nonlocal failed
            if source is None:
                return None
            out = self.compile(proc, source, Origin(origin.doc, (*origin.loc, name)),
                               event=event, extra=extra)
            failed = failed or out is None
            return out

        each = part("each", check.each, {})
        extra: dict[str, StaticType] = {}
        if check.each is not None:
            item_t: StaticType = ANY
            if each is not None and isinstance(each.type, ListOf):
                item_t = each.type.item
            elif each is not None and isinstance(each.type, DictOf):
                item_t = str
            extra[check.as_] = item_t
        compiled = CompiledCheck(
            spec=check,
            origin=origin,
            each=each,
            when=part("when", check.when, extra),
            subject=part("subject", check.subject, extra),
            value=part("value", check.value, extra),
            of=part("of", check.of, extra),
            bound=part("bound", check.bound, extra),
            require=part("require", check.require, extra),
            actual=part("actual", check.actual, extra),
            bound_param=(
                check.bound if isinstance(check.bound, str) and check.bound in proc.parameters
                else None
            ),
            selector_labels=proc.selector_labels,
        )
        return None if failed else compiled
