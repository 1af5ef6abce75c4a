"""`selection-rules lint`: is a procedure sound before any case is checked?

Each file is read once and checked in layers, each of which needs the one before:
its sources (citations, quotes, rule ids — on the plain data), its schema, then the
procedure as the engine loads it (references, expressions, parameters: the loader's own
located problems, each with the finding ID the loader gave it), then the graph, the
declared properties and the bounds. A rule set is analysed inside every procedure of
the library that extends it; only what is located in the rule set's file is reported
for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from selection_rules.engine.compiled import Procedure
from selection_rules.engine.library import Library
from selection_rules.engine.library import rule_document as load_document
from selection_rules.engine.pipeline import load_procedure
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Lang, Text
from selection_rules.lint.bounds import bound_findings, share_findings
from selection_rules.lint.findings import KINDS, Finding, Proof
from selection_rules.lint.graph import graph_findings, property_findings
from selection_rules.lint.sources import citation_findings, rule_ids, uncited_rules
from selection_rules.model.procedure import ProcedureSpec
from selection_rules.source.document import Document
from selection_rules.source.model_errors import validation_problems

FORMAT_VERSION = 1


@dataclass
class LintReport:
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    proofs: list[Proof] = field(default_factory=list)
    # Input that could not be read at all (exit code 2).
    problems: list[Problem] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "files": self.files,
            "findings": [f.as_dict() for f in self.findings],
            "proved": [p.as_dict() for p in self.proofs],
            "problems": [p.as_dict() for p in self.problems],
            "summary": {s: self.count(s) for s in ("error", "warning", "info")},
        }


class _Linter:
    def __init__(self, extra_dirs: Sequence[Path]) -> None:
        self.extra_dirs = list(extra_dirs)
        self.report = LintReport()
        self.schema_ok: dict[str, bool] = {}
        self.ids: dict[str, tuple[str, int | None]] = {}

    def library(self, path: Path) -> Library:
        return Library([path.parent, *self.extra_dirs])

    def load(self, library: Library, ident: str) -> Procedure | InputError:
        """The procedure, or why it cannot be loaded (the pipeline's cache keeps both)."""
        try:
            return load_procedure(ident, library)
        except InputError as exc:
            return exc

    def add(self, findings: Iterable[Finding], only_file: str | None = None) -> None:
        for f in findings:
            if only_file is None or f.file == only_file:
                self.report.findings.append(f)

    def lint_file(self, path: Path) -> None:
        try:
            doc = load_document(path)
        except InputError as exc:
            self.report.problems.extend(exc.problems)
            return
        self.report.files.append(doc.path)
        uncited = uncited_rules(doc) + citation_findings(doc)
        self.add(uncited)
        self.duplicate_ids(doc)
        spec = self.validate(doc, {f.field for f in uncited if f.kind in ("L503", "L504")})
        if spec is None:
            return
        library = self.library(path)
        if spec.kind == "procedure":
            loaded = self.load(library, path.stem)
            if isinstance(loaded, InputError):
                self.add(self.mapped(loaded))
            else:
                self.analyse(loaded, None)
            return
        for ident in library.ids():
            other = self.load(library, ident) if ident != spec.id else None
            if isinstance(other, Procedure) and any(s.id == spec.id for s, _ in other.layers):
                self.analyse(other, doc.path)
            elif isinstance(other, InputError):
                self.add(self.mapped(other), only_file=doc.path)

    def validate(self, doc: Document, uncited: set[str | None]) -> ProcedureSpec | None:
        try:
            spec = ProcedureSpec.model_validate(doc.data)
        except ValidationError as exc:
            self.schema_ok[doc.path] = False
            for p in validation_problems(doc, exc):
                if p.field in uncited and "citation" in p.message.en:
                    continue  # reported as L503
                self.add([Finding("L100", p.file, p.line, _with_expected(p), p.field)])
            return None
        self.schema_ok[doc.path] = True
        return spec

    def duplicate_ids(self, doc: Document) -> None:
        for rule_id, line, where in rule_ids(doc):
            first = self.ids.setdefault(rule_id, (doc.path, line))
            if first != (doc.path, line):
                self.add([Finding("L110", doc.path, line, Text(
                    f"规则编号 {rule_id} 重复（首次出现于 {first[0]}:{first[1]}）",
                    f"duplicate rule id {rule_id} (first at {first[0]}:{first[1]})"), where)])

    def mapped(self, exc: InputError) -> list[Finding]:
        out = []
        for p in exc.problems:
            # The loader names the finding where it finds the problem; a file that does
            # not match the schema (or cannot be read) is a schema finding whatever it is.
            kind = (p.code or "L108") if self.schema_valid(p.file) else "L100"
            out.append(Finding(kind, p.file, p.line, _with_expected(p), p.field))
        return out

    def schema_valid(self, path: str) -> bool:
        if path not in self.schema_ok:
            try:
                ProcedureSpec.model_validate(load_document(path).data)
                self.schema_ok[path] = True
            except (InputError, ValidationError):
                self.schema_ok[path] = False
        return self.schema_ok[path]

    def analyse(self, proc: Procedure, only_file: str | None) -> None:
        if only_file is None:
            self.add(graph_findings(proc))
        found, proved = property_findings(proc)
        self.add(found, only_file)
        self.report.proofs.extend(p for p in proved if only_file in (None, p.file))
        found, proved = bound_findings(proc)
        self.add(found, only_file)
        self.report.proofs.extend(p for p in proved if only_file in (None, p.file))
        self.add(share_findings(proc), only_file)


def _with_expected(p: Problem) -> Text:
    if p.expected is None:
        return p.message
    return p.message + Text(f"；应为：{p.expected.zh}", f"; expected: {p.expected.en}")


def lint_paths(paths: Sequence[str], extra_dirs: Sequence[Path] = ()) -> LintReport:
    from selection_rules.engine.validation import expand

    files, problems = expand(paths)
    linter = _Linter(extra_dirs)
    linter.report.problems.extend(problems)
    for path in files:
        linter.lint_file(path)
    report = linter.report
    seen: set[tuple[str, str, int | None, str]] = set()
    unique = []
    for f in report.findings:
        if f.key() not in seen:
            seen.add(f.key())
            unique.append(f)
    report.findings = sorted(unique, key=lambda f: (f.file, f.line or 0, f.kind))
    proofs = {(p.file, p.line, p.message.en): p for p in report.proofs}
    report.proofs = sorted(proofs.values(), key=lambda p: (p.file, p.line or 0, p.message.en))
    return report


# ---------------------------------------------------------------------------- output


_STYLE = {"error": "red", "warning": "yellow", "info": "blue"}


def render_text(console: Console, report: LintReport, lang: Lang) -> None:
    zh = lang == "zh"
    for p in report.problems:
        console.print(escape(p.render(lang)), style="red")
    for f in report.findings:
        console.print(f"[bold]{escape(f.location())}[/] {f.kind} {f.name} "
                      f"[{_STYLE[f.severity]}]{f.severity}[/]")
        console.print("    " + escape(f.message.get(lang)))
        console.print(("    修正：" if zh else "    fix: ") + escape(f.hint.get(lang)))
    for proof in report.proofs:
        where = f"{proof.file}:{proof.line}" if proof.line is not None else proof.file
        console.print(f"[green]✓[/] {escape(where)} {escape(proof.property)}: "
                      + escape(proof.message.get(lang)))
    errors, warnings = report.count("error"), report.count("warning")
    files = len(report.files)
    if zh:
        console.print(f"{files} 个文件：{errors} 个错误，{warnings} 个警告，"
                      f"{len(report.proofs)} 条性质已证明")
    else:
        console.print(f"{files} file(s): {errors} error(s), {warnings} warning(s), "
                      f"{len(report.proofs)} propert{'y' if len(report.proofs) == 1 else 'ies'} "
                      f"proved")


def render_json(report: LintReport) -> str:
    from selection_rules.report.json_text import dumps

    return dumps(report.as_dict(), indent=2)


def render_sarif(report: LintReport, lang: Lang) -> str:
    """SARIF 2.1.0: one result per finding, each kind of finding a rule (report/sarif.py)."""
    from selection_rules.report.sarif import lint_sarif

    return lint_sarif(report, lang).decode("utf-8")


def exit_code(report: LintReport, strict: bool) -> int:
    from selection_rules.errors import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS

    if report.problems:
        return EXIT_BAD_INPUT
    failing = ("error", "warning") if strict else ("error",)
    return EXIT_VIOLATIONS if any(f.severity in failing for f in report.findings) else EXIT_OK


__all__ = ["KINDS", "LintReport", "exit_code", "lint_paths", "render_json", "render_sarif",
           "render_text"]
