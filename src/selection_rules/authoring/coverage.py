"""Rule coverage: for each rule, has a test shown it firing, and one shown it silent?

A passing test shows a rule *firing* if it expects it, and *silent* if the rule was in
force for its case — loaded into the procedure and rule sets the case used, and in
force on its decision date — and is not expected. Coverage is the share of the two
directions shown over all rules, an exact Fraction: 99.99% is not 100%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from selection_rules.authoring.rule_tests import Runner, TestResult
from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import load_procedure, load_record_rules
from selection_rules.errors import InputError
from selection_rules.i18n import Lang
from selection_rules.model.procedure import ProcedureSpec
from selection_rules.model.values import percent


@dataclass
class RuleCoverage:
    rule: str
    file: str
    fired_by: list[str] = field(default_factory=list)
    silent_in: list[str] = field(default_factory=list)

    @property
    def shown(self) -> int:
        return int(bool(self.fired_by)) + int(bool(self.silent_in))

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "file": self.file, "fired_by": self.fired_by,
                "silent_in": self.silent_in}


@dataclass
class Coverage:
    rules: dict[str, RuleCoverage]

    @property
    def ratio(self) -> Fraction:
        if not self.rules:
            return Fraction(0)
        return Fraction(sum(r.shown for r in self.rules.values()), 2 * len(self.rules))

    @property
    def percent(self) -> Fraction:
        return self.ratio * 100

    def as_dict(self) -> dict[str, Any]:
        return {"percent": str(self.percent), "shown": percent(self.ratio, 1),
                "rules": [r.as_dict() for r in self.rules.values()]}


def _in_force(runner: Runner, result: TestResult) -> tuple[dict[str, str], set[str]]:
    """(rules loaded for the case -> their file, rules in force on its decision date)."""
    case = result.outcome.result if result.outcome else None
    if case is None:
        return {}, set()
    library = runner.pipeline.library
    kind = getattr(case, "record_kind", "selection")
    try:
        if kind == "selection":
            proc = load_procedure(case.procedure, library, tuple(case.rule_sets))
        else:  # a register (assessment, roster, ...): its rule sets load by kind
            proc = load_record_rules(kind, tuple(case.rule_sets), library)
    except InputError:
        return {}, set()
    loaded = {r.id: _relative(r.origin.file) for r in proc.rules.values()}
    day = dt.date.fromisoformat(case.decision_date) if case.decision_date else dt.date.today()
    return loaded, set(proc.epoch(day).rules)


def library_rules(library: Library) -> dict[str, str]:
    """Every rule of every procedure and rule set in the library -> its file."""
    out: dict[str, str] = {}
    for ident in library.ids():
        path = library.find(ident)
        if path is None:
            continue
        try:
            spec = ProcedureSpec.model_validate(library.document(path).data)
        except (InputError, ValidationError):
            continue  # lint reports it; coverage counts what loads
        for rule in spec.rules:
            out.setdefault(rule.id, _relative(str(path)))
    return out


def _relative(file: str) -> str:
    path = Path(file).resolve()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return file


def measure(runner: Runner, results: Sequence[TestResult],
            universe: dict[str, str] | None = None) -> Coverage:
    rules: dict[str, RuleCoverage] = {}
    for rule_id, file in (universe or {}).items():
        rules[rule_id] = RuleCoverage(rule_id, file)
    for result in results:
        loaded, in_force = _in_force(runner, result)
        for rule_id, file in loaded.items():
            rules.setdefault(rule_id, RuleCoverage(rule_id, file))
        if not result.passed:
            continue  # a failing test shows nothing
        expected = {e.rule for e in result.test.expect}
        name = f"{result.test.location()} {result.test.name}"
        for rule_id in expected:
            rules.setdefault(rule_id, RuleCoverage(rule_id, "?")).fired_by.append(name)
        for rule_id in in_force - expected:
            rules[rule_id].silent_in.append(name)
    return Coverage(dict(sorted(rules.items(), key=lambda kv: _sort_key(kv[0]))))


def _sort_key(rule_id: str) -> tuple[str, int, str]:
    prefix, _, rest = rule_id.partition("-")
    digits = "".join(ch for ch in rest if ch.isdigit())
    return (prefix, int(digits or 0), rest)


def parse_min(text: str) -> Fraction:
    """`--min 100`, `99.99` or `99.99%` as an exact percentage in [0, 100]."""
    try:
        value = Fraction(text.strip().removesuffix("%"))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{text!r} is not a percentage such as 100 or 99.5") from None
    if not 0 <= value <= 100:
        raise ValueError(f"{text!r} is not between 0 and 100")
    return value


def render(console: Console, cov: Coverage, lang: Lang, minimum: Fraction | None) -> None:
    zh = lang == "zh"
    yes, no = ("是", "否") if zh else ("yes", "no")
    console.print("规则覆盖（触发 / 静默）：" if zh else "rule coverage (fires / silent):")
    for r in cov.rules.values():
        mark = "✓" if r.shown == 2 else "✗"
        console.print(f"  {mark} {r.rule:<8} "
                      + ("触发 " if zh else "fires ") + (yes if r.fired_by else no) + "  "
                      + ("静默 " if zh else "silent ") + (yes if r.silent_in else no)
                      + f"  [dim]{escape(r.file)}[/]")
    shown = sum(r.shown for r in cov.rules.values())
    total = 2 * len(cov.rules)
    line = (f"覆盖率 {percent(cov.ratio, 1)}（{shown}/{total}）" if zh
            else f"coverage {percent(cov.ratio, 1)} ({shown}/{total})")
    if minimum is not None:
        ok = cov.percent >= minimum
        line += (f"，要求 ≥ {minimum}%：{'通过' if ok else '未达到'}" if zh
                 else f", required ≥ {minimum}%: {'met' if ok else 'NOT met'}")
    console.print(line)


def universe_for(dirs: Sequence[Path], all_rules: bool) -> dict[str, str] | None:
    return library_rules(Library(dirs)) if all_rules else None
