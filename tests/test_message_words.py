"""Every message of every example, in both languages, is in the reader's words: no code,
no expression text, no bilingual join, and no Chinese in the English text but the case
file's own names and texts."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLES
from selection_rules.engine.library import Library
from selection_rules.engine.pipeline import Pipeline
from selection_rules.i18n import Text
from selection_rules.lang.workdays import WorkCalendar

AUTHORING_RULES = EXAMPLES / "authoring" / "rules"

SNAKE = re.compile(r"\b[A-Za-z][a-z0-9]*(?:_[A-Za-z0-9]+)+\b")
CALL = re.compile(r"\b[A-Za-z_]\w*\(")
BILINGUAL = re.compile(r"[\u3400-\u9fff][^\s/]*/[^\s/]*[A-Za-z]"
                       r"|[A-Za-z][^\s/]*/[^\s/]*[\u3400-\u9fff]")
ASCII_WORD = re.compile(r"\b[a-z]{2,}\b")
CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”]+")


def code_like(text: str, *, zh: bool) -> list[str]:
    """The tokens of `text` that are codes or expressions rather than words."""
    found = SNAKE.findall(text) + CALL.findall(text) + BILINGUAL.findall(text)
    if zh:
        found += ASCII_WORD.findall(text)
    return found


def foreign_cjk(text: str, case_texts: frozenset[str]) -> list[str]:
    """Chinese in an English message that is not one of the case file's own texts."""
    runs = [r.strip("“”（）：；，、 ") for r in CJK_RUN.findall(text)]
    return [r for r in runs if r and not any(r in t for t in case_texts)]


def strings(data: object) -> set[str]:
    if isinstance(data, dict):
        return {s for k, v in data.items() for s in strings(k) | strings(v)}
    if isinstance(data, list):
        return {s for v in data for s in strings(v)}
    return {data} if isinstance(data, str) else set()


@cache
def pipeline() -> Pipeline:
    return Pipeline(Library([AUTHORING_RULES]), WorkCalendar())


def example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*.yaml")
                  if "rules" not in p.parts and "tests" not in p.parts)


def messages(path: Path) -> list[tuple[str, Text]]:
    outcome = pipeline().check_file(path, skip_other_kinds=True)
    if outcome is None:
        return []
    assert not outcome.problems, [p.message for p in outcome.problems]
    assert outcome.result is not None
    return [(v.rule_id, v.message) for v in outcome.result.violations]


@pytest.mark.parametrize("path", example_files(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_messages_show_no_codes(path: Path) -> None:
    case_texts = frozenset(strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    bad = []
    for rule, message in messages(path):
        for token in code_like(message.zh, zh=True):
            bad.append((rule, "zh", token, message.zh))
        for token in code_like(message.en, zh=False):
            bad.append((rule, "en", token, message.en))
        for run in foreign_cjk(message.en, case_texts):
            bad.append((rule, "en", run, message.en))
    assert not bad, "\n".join(map(str, bad))


def test_the_detector_finds_each_kind_of_leak() -> None:
    assert code_like("应当由全委会表决决定；实际：standing_committee", zh=True)
    assert code_like("案卷未记录本规则所需的 last('appointment').probation", zh=True)
    assert code_like("实际：是/yes", zh=True)
    assert code_like("实际：internal", zh=True)
    assert code_like("found: 2 y 1 d/2年1天", zh=False)
    assert not code_like("P1 应当由全委会表决决定；实际：常委会", zh=True)
    assert not code_like("P1 required: decided by a vote of the plenary; found: standing "
                         "committee", zh=False)
    assert foreign_cjk("found: [常委甲, 市长]", frozenset({"常委甲", "市长"})) == []
    assert foreign_cjk("a vetoed unit not rated 优秀", frozenset()) == ["优秀"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_text_report_names_stages_by_their_labels(lang: str) -> None:
    from selection_rules.report.text import outcome_lines

    outcome = pipeline().check_file(EXAMPLES / "pengshan" / "ps7-below-80.yaml")
    assert outcome is not None
    lines = ["".join(text for text, _ in spans) for spans in outcome_lines(outcome, lang)]
    [path] = [line for line in lines if "→" in line]
    assert not SNAKE.findall(path), path
    assert ("预推人选储备库" if lang == "zh" else "Reserve pool") in path


def _problem(tmp_path: Path, source: Path, old: str, new: str) -> Text:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    outcome = pipeline().check_file(path)
    assert outcome is not None and outcome.problems
    return outcome.problems[0].message


def test_input_errors_name_figures_and_values_by_their_labels(tmp_path: Path) -> None:
    said = _problem(tmp_path, EXAMPLES / "pengshan" / "ps7-below-80.yaml",
                    "entitled: 160, participants: 152", "entitled: 150, participants: 152")
    assert said == Text("实参加人数 152 不能多于应参加人数 150",
                        "the people who took part (152) exceed the people entitled to vote (150)")
    said = _problem(tmp_path, EXAMPLES / "qingshui" / "qs5-condition-held.yaml",
                    "checked: [no_democratic_recommendation, not_inspected, divided_opinions, "
                    "unverified_report]", "checked: [not_inspected]")
    assert said == Text("成立的情形（反映问题未查清）未列入已审查的情形",
                        "conditions found to hold (a report not yet cleared) are not among "
                        "those checked")
    for text in (said.zh, said.en):
        assert not code_like(text, zh=text is said.zh)
