"""YAML rule tests, as `openfisca test` runs its YAML tests.

    tests:
      - name: PS-7 fires below 80% (319/399)
        case: ../../examples/pengshan/ps7-below-80.yaml     # relative to this file
        expect:
          - {rule: PS-7, kind: check, figures: {value: 319, base: 399}}
      - name: exactly 80% is not below 80%
        base: ../../examples/pengshan/clean.yaml
        changes: {"events[3].ballot.tallies.C03.agree": 96}
        expect: []

`expect` is exactly the multiset of violations the case yields (a string is a rule ID);
`kind` and `figures` narrow what a violation must show. A base case with changes is
built in memory from the base file's data — the file itself is never written — and keeps
the base file's node tree, so violations still point at its lines. Any kind of record
file works: the case goes through the pipeline (engine/pipeline.py), as `validate`'s do.
"""

from __future__ import annotations

import copy
import re
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from selection_rules.engine.library import SUFFIXES, Library
from selection_rules.engine.pipeline import Pipeline, read
from selection_rules.engine.validation import Outcome, expand
from selection_rules.engine.violations import Kind, Violation
from selection_rules.errors import InputError, Problem
from selection_rules.i18n import Lang, Text
from selection_rules.lang.workdays import WorkCalendar
from selection_rules.model.values import parse_number, show
from selection_rules.source.document import Document
from selection_rules.source.edited import EditedDocument
from selection_rules.source.inputs import NOT_FOUND, NUL_IN_NAME, input_problem, open_input
from selection_rules.source.paths import PATH_EXAMPLE, PathError, assign_at, format_loc, parse_loc

KINDS: tuple[str, ...] = typing.get_args(Kind)
_TEST_KEYS = frozenset({"name", "case", "base", "changes", "expect", "description"})
_EXPECT_KEYS = frozenset({"rule", "kind", "figures"})
_FILE_KEYS = frozenset({"tests", "description", "$schema"})


@dataclass(frozen=True)
class Expectation:
    rule: str
    kind: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        out = self.rule
        if self.kind:
            out += f" kind={self.kind}"
        if self.figures:
            out += " " + " ".join(f"{k}={show(v)}" for k, v in self.figures.items())
        return out


@dataclass(frozen=True)
class Change:
    path: str
    value: Any
    line: int | None


@dataclass
class RuleTest:
    name: str
    file: str
    line: int | None
    index: int
    case: Path | None
    base: Path | None
    changes: list[Change]
    expect: list[Expectation]

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass
class TestResult:
    test: RuleTest
    problems: list[Problem] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    missing: list[Expectation] = field(default_factory=list)
    unexpected: list[Violation] = field(default_factory=list)
    outcome: Outcome | None = None

    @property
    def passed(self) -> bool:
        return not self.problems and not self.missing and not self.unexpected


# ---------------------------------------------------------------------------- reading


def _problem(doc: Document, loc: tuple[str | int, ...], zh: str, en: str,
             expected: Text | None = None) -> Problem:
    return Problem(doc.path, Text(zh, en), doc.line_of(loc), None, format_loc(loc) or None,
                   expected)


def is_test_file(path: Path) -> bool:
    """A `test_*.yaml` whose top level has `tests:` (read cheaply, without parsing)."""
    if not (path.name.startswith("test_") and path.suffix in (".yaml", ".yml")):
        return False
    try:
        with open_input(path) as fh:
            return any(re.match(rb"tests\s*:", line) for line in fh)
    except (OSError, InputError):
        return False


def discover(paths: Iterable[str]) -> tuple[list[Path], list[Problem]]:
    """Test files named, test files under folders named (recursively, none under a hidden
    folder such as `.git` or `.venv`, as pytest does not look there), and glob matches."""
    return expand(paths, lambda path: is_test_file(Path(path)))


def load_tests(path: Path) -> list[RuleTest]:
    """Every test of one file; raise InputError listing every problem in it."""
    path = _tidy(path)
    doc = read(path)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        raise InputError([_problem(doc, ("tests",) if isinstance(data, dict) else (),
                                   "规则测试文件的顶层应有 tests: 列表",
                                   "a rule-test file has a top-level `tests:` list")])
    problems: list[Problem] = []
    for key in data:
        if key not in _FILE_KEYS:
            problems.append(_problem(doc, (key,), f"未知字段 {key!r}", f"unknown field {key!r}",
                                     Text("tests", "tests")))
    tests = []
    for i, raw in enumerate(data["tests"]):
        test = _one_test(doc, path, i, raw, problems)
        if test is not None:
            tests.append(test)
    if problems:
        raise InputError(problems)
    return tests


def _one_test(doc: Document, path: Path, i: int, raw: Any,
              problems: list[Problem]) -> RuleTest | None:
    where: tuple[str | int, ...] = ("tests", i)
    if not isinstance(raw, dict):
        problems.append(_problem(doc, where, "每个测试应为映射（name、case、expect）",
                                 "each test is a mapping (name, case, expect)"))
        return None
    before = len(problems)
    for key in raw:
        if key not in _TEST_KEYS:
            problems.append(_problem(doc, (*where, key), f"未知字段 {key!r}",
                                     f"unknown field {key!r}",
                                     Text("、".join(sorted(_TEST_KEYS)),
                                          ", ".join(sorted(_TEST_KEYS)))))
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(_problem(doc, where, "测试需要 name（测试名称）", "a test needs a `name`"))
    if ("case" in raw) == ("base" in raw):
        problems.append(_problem(doc, where,
                                 "测试需要 case（完整案卷）或 base（基础案卷加 changes）之一",
                                 "a test has either `case` (a whole case) or `base` with "
                                 "`changes`"))
    if "changes" in raw and "base" not in raw:
        problems.append(_problem(doc, (*where, "changes"), "changes 只能与 base 一起使用",
                                 "`changes` go with `base`"))
    files: dict[str, Path | None] = {}
    for key in ("case", "base"):
        if key in raw:
            files[key] = _file(doc, path, (*where, key), raw[key], problems)
    changes: list[Change] = []
    if "changes" in raw:
        if not isinstance(raw["changes"], dict):
            problems.append(_problem(doc, (*where, "changes"), "changes 应为映射：路径 -> 新值",
                                     "`changes` maps a dotted path to its new value"))
        else:
            changes = [Change(str(k), v, doc.line_of((*where, "changes", k)))
                       for k, v in raw["changes"].items()]
    expect = _expectations(doc, where, raw.get("expect", _ABSENT), problems)
    if len(problems) > before or name is None or expect is None:
        return None
    return RuleTest(str(name), doc.path, doc.line_of(where), i, files.get("case"),
                    files.get("base"), changes, expect)


_ABSENT = object()


def _file(doc: Document, path: Path, loc: tuple[str | int, ...], raw: Any,
          problems: list[Problem]) -> Path | None:
    if not isinstance(raw, str) or not raw:
        problems.append(_problem(doc, loc, "应为案卷文件的路径（相对于本测试文件）",
                                 "expected the path of a case file, relative to this test file"))
        return None
    if "\0" in raw:
        problems.append(_problem(doc, loc, NUL_IN_NAME.zh, NUL_IN_NAME.en,
                                 Text("案卷文件的路径", "the path of a case file")))
        return None
    target = _tidy(path.parent / raw)
    unusable = input_problem(target)
    if unusable is NOT_FOUND:
        problems.append(_problem(doc, loc, f"找不到案卷文件 {raw}（解析为 {target}）",
                                 f"case file {raw} not found (resolved to {target})"))
    elif unusable is not None:
        problems.append(_problem(doc, loc, f"案卷文件 {raw}：{unusable.zh}",
                                 f"case file {raw}: {unusable.en}"))
    return None if unusable else target


def _tidy(path: Path) -> Path:
    """The path without `..` detours, relative to the working folder when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd())
    except ValueError:
        return resolved


def _expectations(doc: Document, where: tuple[str | int, ...], raw: Any,
                  problems: list[Problem]) -> list[Expectation] | None:
    loc = (*where, "expect")
    if raw is _ABSENT or not isinstance(raw, list):
        problems.append(_problem(doc, loc if raw is not _ABSENT else where,
                                 "测试需要 expect：预期违规的列表（无违规写 []）",
                                 "a test needs `expect`: the list of expected violations "
                                 "([] for none)"))
        return None
    out: list[Expectation] = []
    for j, item in enumerate(raw):
        at = (*loc, j)
        if isinstance(item, str):
            out.append(Expectation(item))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("rule"), str):
            problems.append(_problem(doc, at,
                                     "预期违规写作规则编号，或 {rule: 编号, kind, figures}",
                                     "an expected violation is a rule id, or "
                                     "{rule: ID, kind: ..., figures: {...}}"))
            continue
        bad = [k for k in item if k not in _EXPECT_KEYS]
        for k in bad:
            problems.append(_problem(doc, (*at, k), f"未知字段 {k!r}", f"unknown field {k!r}",
                                     Text("rule、kind、figures", "rule, kind, figures")))
        kind = item.get("kind")
        if kind is not None and kind not in KINDS:
            problems.append(_problem(doc, (*at, "kind"), f"未知的违规类型 {kind!r}",
                                     f"unknown violation kind {kind!r}",
                                     Text("、".join(KINDS), ", ".join(KINDS))))
            continue
        figures = item.get("figures", {})
        if not isinstance(figures, dict):
            problems.append(_problem(doc, (*at, "figures"), "figures 应为映射",
                                     "`figures` is a mapping of figure names to values"))
            continue
        if not bad:
            out.append(Expectation(item["rule"], kind, dict(figures)))
    return out


# ---------------------------------------------------------------------------- changes


def apply_changes(base: Document, changes: Sequence[Change], test_file: str) -> Document:
    """A copy of `base` with each change applied to its data; the file is never written.

    A change may add the last key of its path (a field the base leaves out: the case's
    schema still refuses a misspelt one), never a mapping on the way to it, so that a
    misspelt step in the path is reported rather than silently made.
    """
    data = copy.deepcopy(base.data)
    problems: list[Problem] = []
    for change in changes:
        try:
            loc = parse_loc(change.path)
        except PathError as exc:
            problems.append(Problem(test_file, Text(
                f"无法读取修改路径：{exc.message.zh}",
                f"cannot read the change path: {exc.message.en}"), change.line, None,
                change.path, exc.expected or PATH_EXAMPLE))
            continue
        try:
            assign_at(data, loc, change.value)
        except PathError as exc:
            problems.append(Problem(test_file, Text(
                f"修改路径 {change.path!r} 在 {base.path} 中不存在：{exc.message.zh}",
                f"the change path {change.path!r} does not exist in {base.path}: "
                f"{exc.message.en}"), change.line, None, change.path, exc.expected))
    if problems:
        raise InputError(problems)
    return EditedDocument(base, data)


# ---------------------------------------------------------------------------- running


class Runner:
    """Runs tests through the pipeline (`validate`'s), with its per-process procedure
    cache; a case file named by several tests (as its case or its base) is read once."""

    def __init__(self, extra_dirs: Sequence[Path] = ()) -> None:
        self.pipeline = Pipeline(Library(extra_dirs), WorkCalendar())
        self._bases: dict[Path, Document] = {}

    def document(self, path: Path) -> Document:
        doc = self._bases.get(path)
        if doc is None:
            doc = self._bases[path] = read(path)
        return doc

    def run(self, test: RuleTest) -> TestResult:
        result = TestResult(test)
        try:
            if test.case is not None:
                outcome = self.pipeline.outcome(self.document(test.case))
            else:
                assert test.base is not None
                doc = apply_changes(self.document(test.base), test.changes, test.file)
                outcome = self.pipeline.outcome(doc)
        except InputError as exc:
            result.problems = exc.problems
            return result
        if outcome is None or outcome.result is None:
            result.problems = outcome.problems if outcome else [Problem(
                test.file, Text("案卷未被校验", "the case was not validated"), test.line)]
            return result
        result.outcome = outcome
        result.violations = list(outcome.result.violations)
        result.missing, result.unexpected = match(test.expect, result.violations)
        return result


def _same(expected: Any, got: Any) -> bool:
    def number(x: Any) -> Fraction | None:
        if isinstance(x, bool):
            return None
        try:
            return Fraction(parse_number(x))
        except (ValueError, TypeError):
            return None

    a, b = number(expected), number(got)
    if a is not None and b is not None:
        return a == b
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(map(_same, expected, got))
    return str(expected) == str(got)


def fits(e: Expectation, v: Violation) -> bool:
    if e.rule != v.rule_id or (e.kind is not None and e.kind != v.kind):
        return False
    return all(k in v.figures and _same(val, v.figures[k]) for k, val in e.figures.items())


def match(expect: list[Expectation], got: list[Violation]
          ) -> tuple[list[Expectation], list[Violation]]:
    """Expectations no violation meets, and violations no expectation claims.

    A maximum bipartite matching, so that `[PS-4, {rule: PS-4, kind: check}]` is met by
    any two PS-4 violations whichever order they come in.
    """
    owner: dict[int, int] = {}  # violation index -> expectation index

    def claim(i: int, seen: set[int]) -> bool:
        for j, v in enumerate(got):
            if j in seen or not fits(expect[i], v):
                continue
            seen.add(j)
            if j not in owner or claim(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(expect)):
        claim(i, set())
    matched = set(owner.values())
    return ([e for i, e in enumerate(expect) if i not in matched],
            [v for j, v in enumerate(got) if j not in owner])


# ---------------------------------------------------------------------------- output


def describe(result: TestResult, lang: Lang) -> list[str]:
    """The readable diff of a failed test (empty for a passing one)."""
    zh = lang == "zh"
    test = result.test
    lines: list[str] = []
    if test.case is not None:
        lines.append(("案卷：" if zh else "case: ") + str(test.case))
    else:
        lines.append(("基础案卷：" if zh else "base: ") + str(test.base))
        for c in test.changes:
            lines.append(f"  {c.path} = {show(c.value)}")
    for p in result.problems:
        lines.append(("输入错误：" if zh else "bad input: ") + p.render(lang))
    if result.problems:
        return lines
    if result.missing or result.unexpected:
        lines.append("预期 / 实际：" if zh else "expected / got:")
        for e in result.missing:
            lines.append(f"- {e.text()}" + ("    （预期有，未出现）" if zh else
                                             "    (expected, not found)"))
        for v in result.unexpected:
            where = f"{result.outcome.path}:{v.line}" if result.outcome and v.line else ""
            figures = " ".join(f"{k}={show(val)}" for k, val in v.figures.items()
                               if k in ("value", "base", "bound", "actual", "missing"))
            lines.append(f"+ {v.rule_id} kind={v.kind}" + (f" {figures}" if figures else "")
                         + ("    （实际出现，未预期）" if zh else "    (found, not expected)"))
            lines.append(f"    {v.message.get(lang)}" + (f"  [{where}]" if where else ""))
        expected_ids = sorted(e.rule for e in test.expect)
        got_ids = sorted(v.rule_id for v in result.violations)
        lines.append(("预期规则：" if zh else "expected rules: ")
                     + (", ".join(expected_ids) or "—"))
        lines.append(("实际规则：" if zh else "got rules:      ") + (", ".join(got_ids) or "—"))
    return lines


def run_paths(paths: Sequence[str], runner: Runner,
              on_result: Callable[[TestResult], None] | None = None,
              ) -> tuple[list[TestResult], list[Problem]]:
    """Every test in the files and folders named; a file that cannot be read is a problem
    and the others still run. `on_result` sees each result as it comes."""
    files, problems = discover(paths)
    results: list[TestResult] = []
    for path in files:
        try:
            tests = load_tests(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for test in tests:
            result = runner.run(test)
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results, problems


__all__ = ["SUFFIXES", "RuleTest", "Runner", "TestResult", "describe", "load_tests",
           "run_paths"]
