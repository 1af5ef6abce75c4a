"""pytest collects YAML rule tests (`test_*.yaml` with a top-level `tests:`), as
`openfisca test` does, so that a plain `python -m pytest` runs them with the rest.

Registered under [project.entry-points.pytest11]. Procedures are found as `validate`
finds them: the shipped rules, SELECTION_RULES_PATH, and the folders of the ini option
`selection_rules_dirs`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from selection_rules.errors import InputError


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("selection_rules_dirs", type="paths", default=[],
                  help="folders of procedures and rule sets for YAML rule tests")


_RUNNER = pytest.StashKey[Any]()


def _runner(config: pytest.Config) -> Any:
    if _RUNNER not in config.stash:
        from selection_rules.authoring.rule_tests import Runner

        config.stash[_RUNNER] = Runner([Path(p) for p in config.getini("selection_rules_dirs")])
    return config.stash[_RUNNER]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    from selection_rules.authoring.rule_tests import is_test_file

    if is_test_file(file_path):
        collector: pytest.Collector = RuleTestFile.from_parent(parent, path=file_path)
        return collector
    return None


class RuleTestFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from selection_rules.authoring.rule_tests import load_tests

        try:
            tests = load_tests(self.path)
        except InputError as exc:
            raise self.CollectError(
                "\n".join(p.render("en") for p in exc.problems)) from None
        for test in tests:
            yield RuleTestItem.from_parent(self, name=f"{test.index}: {test.name}", test=test)


class RuleTestFailed(Exception):
    """A rule test whose violations differ from those expected (or whose case is bad)."""


class RuleTestItem(pytest.Item):
    def __init__(self, *, test: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.test = test

    def runtest(self) -> None:
        from selection_rules.authoring.rule_tests import describe

        result = _runner(self.config).run(self.test)
        if not result.passed:
            raise RuleTestFailed("\n".join(describe(result, "en")))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, RuleTestFailed):
            return f"{self.test.location()} {self.test.name}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.test.line - 1 if self.test.line else None
        return self.path, line, f"rule test: {self.test.name}"
