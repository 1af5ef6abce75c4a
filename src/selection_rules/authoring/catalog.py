"""The rule catalogue: every rule of every shipped (or user) procedure and rule set.

Used by `rules list` and `rules show`. Every file is compiled as it would be for a case,
so a catalogue that lists a rule also proves the rule loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from selection_rules.engine.compiled import ParamInfo, RuleInfo
from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import load_procedure, load_record_rules
from selection_rules.errors import InputError
from selection_rules.i18n import Lang, Text
from selection_rules.model.procedure import OP_DOC, Check, Citation, ProcedureSpec
from selection_rules.report.json import citation_dict
from selection_rules.source.model_errors import validation_problems


@dataclass
class Entry:
    rule: RuleInfo
    defined_in: str
    file: str
    line: int | None
    used_by: list[str] = field(default_factory=list)
    parameters: dict[str, ParamInfo] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.rule.id

    def examples(self) -> dict[str, list[str]]:
        """The example files that break and that pass the rule, as their headers say."""
        from selection_rules.authoring.rule_examples import examples_for, examples_of

        found = examples_of(examples_for(self.file)).get(self.id)
        return found or {"breaking": [], "passing": []}

    def rule_parameters(self) -> set[str]:
        """The parameters the rule's checks read (their citations are the rule's too)."""
        from selection_rules.engine.compiled import params_used

        return params_used(self.rule)

    def as_dict(self, detail: bool = False) -> dict[str, Any]:
        spec = self.rule.spec
        first = self.rule.citations()[0]
        out: dict[str, Any] = {
            "id": spec.id,
            "title": spec.title.text().as_dict(),
            "severity": spec.severity,
            "defined_in": self.defined_in,
            "procedures": self.used_by,
            "seed": first.seed,
            "quote": first.quote,
            "citations": [
                {**(citation_dict(w.citation) or {}),
                 "from": w.from_.isoformat() if w.from_ else None,
                 "to": w.to.isoformat() if w.to else None}
                for w in spec.in_force
            ] or [citation_dict(spec.citation)],
            "file": self.file,
            "line": self.line,
            "examples": self.examples(),
        }
        if detail:
            out["on"] = spec.on.model_dump() if spec.on else None
            out["structural"] = spec.structural
            out["checks"] = [check_summary(c, self.parameters) for c in spec.checks]
            out["explain"] = spec.explain.text().as_dict() if spec.explain else None
        return out


def catalog(library: Library) -> list[Entry]:
    specs: dict[str, tuple[ProcedureSpec, str]] = {}
    problems = []
    for ident in library.ids():
        path = library.find(ident)
        assert path is not None
        doc = library.document(path)
        try:
            specs[ident] = (ProcedureSpec.model_validate(doc.data), doc.path)
        except ValidationError as exc:
            problems.extend(validation_problems(doc, exc))
    if problems:
        raise InputError(problems)
    entries: dict[str, Entry] = {}

    def used(rule: RuleInfo, parameters: dict[str, ParamInfo], by: str) -> None:
        entry = entries.get(rule.id)
        if entry is None:
            entry = entries[rule.id] = Entry(rule, rule.procedure_id, rule.origin.file,
                                             rule.origin.line, parameters=parameters)
        entry.used_by.append(by)

    for ident, (spec, _path) in specs.items():
        if spec.kind != "procedure":
            continue
        proc = load_procedure(ident, library)
        for rule in proc.rules.values():
            used(rule, proc.parameters, ident)
    # Rule sets for records (records.py) are compiled against their record's model.
    for ident, (spec, _path) in specs.items():
        if spec.kind == "rule_set" and spec.applies_to != "selection":
            rules = load_record_rules(spec.applies_to, (ident,), library)
            for rule in rules.rules.values():
                used(rule, rules.parameters, f"record:{spec.applies_to}")
    # A selection rule set a case adds (`rule_sets:`) is compiled with every procedure
    # whose steps carry all the events and tags its rules attach to.
    for ident, (spec, _path) in specs.items():
        if spec.kind != "rule_set" or spec.applies_to != "selection":
            continue
        if all(r.id in entries for r in spec.rules):
            continue  # a procedure already extends it
        wanted = {x for r in spec.rules if r.on for x in (*r.on.events, *r.on.tags)}
        for proc_id, (proc_spec, _) in specs.items():
            if proc_spec.kind != "procedure":
                continue
            offered = {x for st in proc_spec.steps for x in (st.event, *st.tags)}
            if not wanted <= offered:
                continue
            proc = load_procedure(proc_id, library, (ident,))
            for rule in proc.rules.values():
                if rule.procedure_id == ident:
                    used(rule, proc.parameters, f"{proc_id} + {ident}")
    # Rule sets that fit no shipped procedure cannot be compiled, so cannot be listed.
    for ident, (spec, _path) in specs.items():
        if spec.kind == "rule_set" and any(r.id not in entries for r in spec.rules):
            raise InputError.at(
                _path,
                Text(f"规则集 {ident} 不适用于任何已有程序（没有程序带有它所挂接的步骤或标签），"
                     f"无法编译其规则",
                     f"rule set {ident} fits no procedure (none has the steps or tags it "
                     f"attaches to), so its rules cannot be compiled"),
            )
    return sorted(entries.values(), key=lambda e: _sort_key(e.id))


def _sort_key(rule_id: str) -> tuple[str, int, str]:
    prefix, _, rest = rule_id.partition("-")
    digits = "".join(ch for ch in rest if ch.isdigit())
    return (prefix, int(digits or 0), rest)


def check_summary(check: Check, params: dict[str, ParamInfo]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if check.each:
        out["each"] = check.each
    if check.when:
        out["when"] = check.when
    if check.require:
        out["require"] = check.require
        out["expect"] = check.expect.text().as_dict() if check.expect else None
        return out
    assert check.op is not None
    out["quantity"] = check.quantity.text().as_dict() if check.quantity else None
    out["value"] = check.value
    if check.of is not None:
        out["of"] = check.of
        out["base"] = check.base.text().as_dict() if check.base else None
    out["op"] = check.op
    out["op_meaning"] = OP_DOC[check.op].as_dict()
    out["bound"] = check.bound
    if isinstance(check.bound, str) and check.bound in params:
        out["bound_values"] = [
            {"from": d.isoformat() if d else None, "value": v.display,
             "citation": citation_dict(v.citation)}
            for d, v in params[check.bound].timeline
        ]
    return out


def _cite(c: Citation, lang: Lang) -> str:
    if c.seed:
        return f"{c.seed} “{c.quote}”"
    return c.short() + (f" “{c.provision}”" if c.provision else "")


def render_list(console: Console, entries: list[Entry], lang: Lang) -> None:
    from rich.table import Table

    zh = lang == "zh"
    table = Table(show_lines=False, header_style="bold")
    # Ids (of rules and procedures) and severities are never broken across lines, so
    # that a rule id can be searched for and copied at any width; one procedure a line.
    for head, whole in ((("编号", "id"), True), (("规则", "rule"), False),
                        (("严重程度", "severity"), True), (("程序", "procedures"), True),
                        (("依据", "source"), False)):
        table.add_column(head[0] if zh else head[1], overflow="fold", no_wrap=whole)
    for e in entries:
        citation = e.rule.citations()[-1]
        used_by = "\n".join(u.replace(" + ", "\n+ ") for u in e.used_by)
        table.add_row(e.id, escape(e.rule.title.get(lang)), e.rule.spec.severity,
                      escape(used_by), escape(_cite(citation, lang)))
    console.print(table)


def render_show(console: Console, e: Entry, lang: Lang) -> None:
    zh = lang == "zh"
    spec = e.rule.spec
    console.print(f"[bold]{e.id}[/]  {escape(e.rule.title.get(lang))}")
    console.print(("严重程度：" if zh else "severity: ") + spec.severity)
    console.print(("定义于：" if zh else "defined in: ") + f"{e.defined_in} ({e.file}:{e.line})")
    console.print(("用于程序：" if zh else "used by: ") + ", ".join(e.used_by))
    if spec.on is not None:
        where = spec.on.events + [f"#{t}" for t in spec.on.tags] + (["end"] if spec.on.end else [])
        console.print(("适用步骤：" if zh else "applies to: ") + ", ".join(where))
    if spec.structural:
        console.print("顺序规则：缺少、重复或顺序错误的步骤按本条报告" if zh else
                      "order rule: skipped, repeated and out-of-order steps are reported under it")
    for i, check in enumerate(spec.checks, 1):
        s = check_summary(check, e.parameters)
        console.print(f"  {'检查' if zh else 'check'} {i}:")
        for key in ("each", "when", "require", "value", "of", "bound"):
            if key in s:
                console.print(f"    {key}: {escape(str(s[key]))}")
        if "op" in s:
            console.print(f"    op: {s['op']} — {OP_DOC[s['op']].get(lang)}")
        if s.get("base"):
            console.print(f"    {'基数' if zh else 'base'}: {s['base'][lang]}")
        for bv in s.get("bound_values", []):
            since = bv["from"] or "—"
            cited = bv["citation"] or {}
            source = (f"{cited['seed']} “{cited.get('quote', '')}”" if "seed" in cited else
                      " ".join(str(cited[k]) for k in ("regulation", "version", "article",
                                                        "chapter", "provision") if k in cited))
            console.print(f"    {'取值' if zh else 'value'} {bv['value']} "
                          f"({'自' if zh else 'from'} {since}): " + escape(source))
        if s.get("expect"):
            console.print(f"    {'要求' if zh else 'expect'}: {s['expect'][lang]}")
    if spec.in_force:
        for w in spec.in_force:
            span = f"{w.from_ or '…'} ~ {w.to or '…'}"
            cite = escape(_cite(w.citation, lang))
            console.print(f"{'有效期' if zh else 'in force'} {span}: {cite}")
    elif spec.citation is not None:
        console.print(("依据：" if zh else "source: ") + escape(_cite(spec.citation, lang)))
    if spec.explain is not None:
        console.print(escape(spec.explain.text().get(lang)))
