"""A procedure ready to run: files composed, Machine built, checks compiled once.

`load_procedure(id, library)` reads the procedure's YAML and everything it `extends`,
checks every reference (stages, events, tags, parameters, fields of the case model),
compiles every expression, and reports each problem with its file and line. The
`Procedure` it builds, and its per-date `Epoch`s, are defined in compiled.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from selection_rules.engine import problem_codes as codes
from selection_rules.engine.compiled import (
    Loc,
    Origin,
    ParamInfo,
    ParamValue,
    Procedure,
)
from selection_rules.engine.kinds import kind_label
from selection_rules.engine.library import Library
from selection_rules.engine.rule_compiler import RuleCompiler
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Text
from selection_rules.lang.case_functions import make_functions
from selection_rules.lang.types import (
    ANY,
    Function,
    ListOf,
    Scope,
    StaticType,
)
from selection_rules.model import case as casefile
from selection_rules.model.procedure import Parameter, ProcedureSpec
from selection_rules.model.values import Range, normalize, parse_number, parse_range, parse_ratio
from selection_rules.model.vocabulary import VOCABULARIES, Code, Term, declared
from selection_rules.source.document import Document
from selection_rules.source.model_errors import validation_problems
from selection_rules.source.paths import format_loc
from selection_rules.suggest import did_you_mean


def _set_boundaries(proc: Procedure) -> None:
    """The dates where a parameter or a rule changes: epochs are cached between them."""
    boundaries: set[dt.date] = set()
    for info in proc.parameters.values():
        boundaries.update(d for d, _ in info.timeline if d is not None)
    for rule in proc.rules.values():
        for w in rule.spec.in_force:
            if w.from_ is not None:
                boundaries.add(w.from_)
            if w.to is not None and w.to < dt.date.max:  # in force to the end: no change
                boundaries.add(w.to + dt.timedelta(days=1))
    proc._boundaries = sorted(boundaries)


# ---------------------------------------------------------------------------- loading


def load_procedure(
    procedure_id: str, library: Library, rule_sets: tuple[str, ...] = ()
) -> Procedure:
    """Load, compose and compile; raise InputError listing every problem found."""
    loader = _Loader(library)
    return loader.build(procedure_id, rule_sets)


class _Loader(RuleCompiler):
    def __init__(self, library: Library) -> None:
        self.library = library
        self.problems: list[Problem] = []
        # A loader compiles one procedure (`_compiling`). Its expressions share one set of
        # functions and a few scopes: made per expression, they were a tenth of a load.
        self._compiling: Procedure | None = None
        self._functions: dict[str, Function] | None = None
        self._scopes: dict[object, Scope] = {}
        self._terms: Mapping[str, Sequence[Term]] = {}

    def problem(self, origin: Origin, zh: str, en: str, *, code: str) -> None:
        """A problem at `origin`; `code` is its lint finding ID (lint/findings.py)."""
        self.problems.append(Problem(origin.file, Text(zh, en), origin.line, None,
                                     format_loc(origin.loc), code=code))

    def read(self, ident: str, referrer: Origin | None) -> tuple[ProcedureSpec, Document] | None:
        path = self.library.find(ident)
        if path is None:
            known = ", ".join(self.library.ids()) or "—"
            if referrer is None:
                raise InputError.at(
                    "<procedure>",
                    Text(
                        f"未知程序或规则集 {ident!r}（可用：{known}）",
                        f"unknown procedure or rule set {ident!r} (available: {known})",
                    ),
                )
            self.problem(
                referrer,
                f"未知程序或规则集 {ident!r}（可用：{known}）",
                f"unknown procedure or rule set {ident!r} (available: {known})",
                code=codes.EXTENDS,
            )
            return None
        doc = self.library.document(path)
        try:
            spec = ProcedureSpec.model_validate(doc.data)
        except ValidationError as exc:
            for p in validation_problems(doc, exc):
                p.code = codes.SCHEMA
                self.problems.append(p)
            return None
        if spec.id != ident:
            self.problem(
                Origin(doc, ("id",)),
                f"文件名 {path.name} 与 id {spec.id!r} 不一致",
                f"file name {path.name} does not match id {spec.id!r}",
                code=codes.ID,
            )
        return spec, doc

    def layers(
        self, ident: str, referrer: Origin | None, chain: tuple[str, ...]
    ) -> list[tuple[ProcedureSpec, Document]]:
        if ident in chain:
            assert referrer is not None
            self.problem(
                referrer,
                f"循环继承：{' → '.join((*chain, ident))}",
                f"circular extends: {' → '.join((*chain, ident))}",
                code=codes.EXTENDS,
            )
            return []
        read = self.read(ident, referrer)
        if read is None:
            return []
        spec, doc = read
        out: list[tuple[ProcedureSpec, Document]] = []
        for i, base in enumerate(spec.extends):
            for layer in self.layers(base, Origin(doc, ("extends", i)), (*chain, ident)):
                if all(layer[0].id != seen.id for seen, _ in out):
                    out.append(layer)
        out.append((spec, doc))
        return out

    def build(self, ident: str, rule_sets: tuple[str, ...]) -> Procedure:
        layers = self.layers(ident, None, ())
        for name in rule_sets:
            for layer in self.layers(name, None, ()):
                if all(layer[0].id != seen.id for seen, _ in layers):
                    layers.append(layer)
        self.check_kinds(layers, "selection")
        if self.problems or not layers:
            raise InputError(self.problems)
        main, main_doc = layers[[s.id for s, _ in layers].index(ident)]
        if main.kind != "procedure":
            raise InputError.at(
                main_doc.path,
                Text(
                    f"{ident!r} 是规则集，不是程序：案卷的 procedure 应为一个程序",
                    f"{ident!r} is a rule set, not a procedure: a case names a procedure",
                ),
                line=main_doc.line_of(("kind",)),
                field="kind",
                code=codes.STRUCTURE,
            )
        for spec, doc in layers:
            if spec.kind == "procedure" and spec.id != ident:
                self.problem(
                    Origin(doc, ("kind",)),
                    f"{spec.id!r} 是程序，只能被规则集以外的方式使用",
                    f"{spec.id!r} is a procedure: only rule sets can be extended or added",
                    code=codes.STRUCTURE,
                )
        # The graph is checked before the state machine is built from it: transitions
        # must never see a stage that is not declared (it raises, or takes '' for none).
        self.check_graph(main, main_doc)
        if self.problems:
            raise InputError(self.problems)
        proc = Procedure(main, layers, rule_sets)
        return self.compiled(proc)

    def compiled(self, proc: Procedure) -> Procedure:
        """Parameters and rules compiled; every problem found so far raised together."""
        self.collect_parameters(proc)
        self.collect_rules(proc)
        if self.problems:
            raise InputError(self.problems)
        _set_boundaries(proc)
        return proc

    def build_record(self, kind: str, rule_sets: tuple[str, ...]) -> Procedure:
        """The rule sets a record file names, composed and compiled against its model."""
        layers: list[tuple[ProcedureSpec, Document]] = []
        for name in rule_sets:
            for layer in self.layers(name, None, ()):
                if all(layer[0].id != seen.id for seen, _ in layers):
                    layers.append(layer)
        for spec, doc in layers:
            if spec.kind != "rule_set":
                self.problem(Origin(doc, ("kind",)),
                             f"{spec.id!r} 是程序：记录文件只能使用规则集（kind: rule_set）",
                             f"{spec.id!r} is a procedure: a record file names rule sets "
                             "(kind: rule_set)", code=codes.STRUCTURE)
        self.check_kinds(layers, kind)
        if self.problems or not layers:
            raise InputError(self.problems)
        label = kind_label(kind)
        spec = ProcedureSpec.model_validate({
            # A procedure id has no `_`: assessment_scope → assessment-scope-record.
            "id": f"{kind.replace('_', '-')}-record", "kind": "procedure", "applies_to": kind,
            "title": {"zh": label.zh, "en": label.en},
            "stages": [{"id": "record", "label": {"zh": label.zh, "en": label.en},
                        "initial": True, "final": True}],
        })
        return self.compiled(Procedure(spec, layers, rule_sets))

    def check_kinds(self, layers: list[tuple[ProcedureSpec, Document]], kind: str) -> None:
        want = kind_label(kind)
        for spec, doc in layers:
            if spec.applies_to != kind:
                have = kind_label(spec.applies_to)
                self.problem(
                    Origin(doc, ("applies_to",) if "applies_to" in doc.data else ("kind",)),
                    f"{spec.id!r} 适用于{have.zh}（{spec.applies_to}），"
                    f"不能用于{want.zh}（{kind}）",
                    f"{spec.id!r} applies to {have.en}s ({spec.applies_to}), not to "
                    f"{want.en}s ({kind})",
                    code=codes.STRUCTURE,
                )

    def check_graph(self, spec: ProcedureSpec, doc: Document) -> None:
        ids = [s.id for s in spec.stages]
        for i, s in enumerate(spec.stages):
            if ids.index(s.id) != i:
                self.problem(Origin(doc, ("stages", i, "id")), f"阶段 {s.id!r} 重复",
                             f"duplicate stage {s.id!r}", code=codes.STRUCTURE)
        initial = [s.id for s in spec.stages if s.initial]
        if len(initial) != 1:
            self.problem(Origin(doc, ("stages",)), "程序需要且仅需要一个初始阶段（initial: true）",
                         f"a procedure needs exactly one initial stage, found {len(initial)}",
                         code=codes.STRUCTURE)
        if not any(s.final for s in spec.stages):
            self.problem(Origin(doc, ("stages",)), "程序需要至少一个终止阶段（final: true）",
                         "a procedure needs at least one final stage (final: true)",
                         code=codes.STRUCTURE)
        events: set[str] = set()
        for i, step in enumerate(spec.steps):
            if step.event in events:
                self.problem(Origin(doc, ("steps", i, "event")), f"步骤事件 {step.event!r} 重复",
                             f"duplicate step event {step.event!r}", code=codes.STRUCTURE)
            events.add(step.event)
            for j, src in enumerate(step.sources()):
                if src not in ids:
                    where: Loc = ("steps", i, "from") if isinstance(step.from_, str) else (
                        "steps", i, "from", j)
                    hint = did_you_mean(src, ids)
                    self.problem(Origin(doc, where), f"未知阶段 {src!r}{hint.zh}",
                                 f"unknown stage {src!r}{hint.en} (stages: {', '.join(ids)})",
                                 code=codes.UNKNOWN_STAGE)
            if step.to not in ids:
                hint = did_you_mean(step.to, ids)
                self.problem(Origin(doc, ("steps", i, "to")), f"未知阶段 {step.to!r}{hint.zh}",
                             f"unknown stage {step.to!r}{hint.en} (stages: {', '.join(ids)})",
                             code=codes.UNKNOWN_STAGE)

    def collect_parameters(self, proc: Procedure) -> None:
        self._terms = proc.terms
        for spec, doc in proc.layers:
            for name, param in spec.parameters.items():
                origin = Origin(doc, ("parameters", name))
                timeline: list[tuple[dt.date | None, ParamValue]] = []
                if param.values is not None:
                    for day, dated in sorted(param.values.items()):
                        value = self.param_value(name, param, dated.value,
                                                 Origin(doc, ("parameters", name, "values",
                                                              day.isoformat(), "value")))
                        if value is not None:
                            timeline.append((day, ParamValue(
                                name, value[0], value[1], dated.citation)))
                else:
                    value = self.param_value(name, param, param.value,
                                             Origin(doc, ("parameters", name, "value")))
                    if value is not None:
                        timeline.append((None, ParamValue(
                            name, value[0], value[1], param.citation)))
                # A later layer (the local procedure) may set a value the base leaves open.
                proc.parameters[name] = ParamInfo(name, param, origin, timeline)

    def param_value(
        self, name: str, param: Parameter, raw: Any, origin: Origin
    ) -> tuple[Any, str] | None:
        try:
            if param.kind == "number":
                number = parse_number(raw)
                return number, str(raw)
            if param.kind == "ratio":
                ratio = parse_ratio(raw)
                # 1:3 is the int 3: arithmetic on it stays in ints, as 1:3 reads.
                return normalize(ratio.per_post), str(ratio)
            if param.kind == "range":
                rng = parse_range(raw)
                return rng, str(rng)
            if param.kind == "list":
                if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                    raise ValueError("expected a list of strings")
                items = [self.term_of(param, x) for x in raw]
                return items, "、".join(items)
            if not isinstance(raw, str):
                raise ValueError("expected text")
            return self.term_of(param, raw), raw
        except ValueError as exc:
            said = exc.args[0] if exc.args and isinstance(exc.args[0], Text) else None
            self.problem(origin, f"参数 {name} 的值无效：{said.zh if said else exc}",
                         f"invalid value for parameter {name}: {said.en if said else exc}",
                         code=codes.PARAMETER)
            return None

    def term_of(self, param: Parameter, raw: str) -> str:
        """A value of a parameter with `terms:` as its code (a Code, shown by its label);
        ValueError naming the nearest values if it is none of them."""
        if param.terms is None:
            return raw
        vocabulary = VOCABULARIES.get(param.terms)
        if vocabulary is None:
            raise ValueError(f"unknown vocabulary {param.terms!r} "
                             f"(known: {', '.join(VOCABULARIES)})")
        with declared(self._terms):
            term = vocabulary.find(raw)
            if term is None:
                raise ValueError(vocabulary.unknown(raw))
        return Code(term)

    def scope(self, proc: Procedure, *, event: bool, extra: dict[str, StaticType]) -> Scope:
        assert self._compiling in (None, proc), "a _Loader compiles one procedure"
        self._compiling = proc
        key = (event, tuple(extra.items()))
        scope = self._scopes.get(key)
        if scope is None:
            scope = self._scopes[key] = self._new_scope(proc, event=event, extra=extra)
        return scope

    def _new_scope(self, proc: Procedure, *, event: bool, extra: dict[str, StaticType]) -> Scope:
        names: dict[str, StaticType] = {
            "case": casefile.Case,
            "posts": ListOf(casefile.Post),
        }
        if event:
            names["event"] = casefile.Event
        params: dict[str, StaticType] = {}
        for name, info in proc.parameters.items():
            kind = info.spec.kind
            params[name] = (
                Range if kind == "range" else ListOf(str) if kind == "list"
                else str if kind == "text" else ANY
            )
        if proc.record_kind != "selection":
            from selection_rules.model.registers import ALL_RECORD_MODELS

            # A record's rules read the record, typed against its model, and nothing else.
            names = {"record": ALL_RECORD_MODELS[proc.record_kind], **params, **extra}
            return Scope(names, self.functions(proc), frozenset(), frozenset(params))
        names.update(params)
        names.update(extra)
        selectors = frozenset(proc.steps) | frozenset(t for ts in proc.tags.values() for t in ts)
        return Scope(names, self.functions(proc), selectors, frozenset(params),
                     loop_names=frozenset(extra))

    def functions(self, proc: Procedure) -> dict[str, Function]:
        if self._functions is None:
            if proc.record_kind == "selection":
                self._functions = make_functions(proc.tags, proc.selector_labels)
            else:
                from selection_rules.lang.record_functions import make_record_functions

                self._functions = make_record_functions(proc.record_kind)
        return self._functions


def load_record_rules(kind: str, rule_sets: tuple[str, ...], library: Library) -> Procedure:
    """The rule sets for a record of `kind`, composed and compiled; InputError otherwise."""
    return _Loader(library).build_record(kind, rule_sets)
