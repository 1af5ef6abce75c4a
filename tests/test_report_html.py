"""The HTML report: self-contained, escaped, in both languages, and working in a browser."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from report_cases import UNIT_A, UNIT_B, json_report, make_inspection, validate, violations
from selection_rules.report.quotes import shown_quote


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_inspection(tmp_path_factory.mktemp("html"))


@pytest.fixture(scope="module")
def doc(root: Path) -> dict[str, Any]:
    return json_report(root)


@pytest.fixture(scope="module")
def report(root: Path) -> Path:
    out = root.parent / "report.html"
    result = validate(str(root), "--format", "html", "-o", str(out), "--jobs", "1")
    assert result.exit_code == 2, result.output  # the unreadable file
    return out


class Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Tags:
    tags = Tags()
    tags.feed(path.read_text(encoding="utf-8"))
    return tags


def test_the_page_names_no_address(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    for tag, attrs in parse(report).tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            assert attrs.get(name) is None, (tag, attrs)
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
    assert "<style>" in html and "<script>" in html  # inline, not beside the page


def test_markup_in_a_case_is_text(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "<script>document" not in html and "B-1<b>" not in html
    tags = parse(report)
    assert sum(1 for tag, _ in tags.tags if tag == "script") == 1  # only the page's own
    text = "".join(tags.text)
    assert UNIT_B in text and "B-1<b>" in text  # shown as written
    assert "B-1&lt;b&gt;" in html


def test_every_violation_is_a_row_with_its_location_and_source(
        report: Path, doc: dict[str, Any]) -> None:
    rows = [a for tag, a in parse(report).tags if tag == "tr" and "v" in (a.get("class") or
                                                                           "").split()]
    found = violations(doc)
    assert len(rows) == len(found)
    assert [(r["data-rule"], r["data-severity"], r["data-unit"]) for r in rows] == [
        (v["rule"], v["severity"], f["unit"]) for f, v in found]
    text = "".join(parse(report).text)
    for _, v in found:
        assert f"{v['location']['file']}:{v['location']['line']}" in text
        # A zh report quotes a seed in Simplified characters, as the text report does.
        assert v["citation"] is None or (
            shown_quote(v["citation"].get("quote", ""), "zh") or
            v["citation"].get("regulation")) in text


def test_diagrams_are_inline_svg(report: Path, doc: dict[str, Any]) -> None:
    html = report.read_text(encoding="utf-8")
    with_violations = [f for f in doc["files"] if f["status"] == "violations"]
    if shutil.which("dot") is None:
        assert "Graphviz" in html
        return
    assert html.count('<details class="diagram">') == len(with_violations)
    assert html.count("<svg") == len(with_violations) and "<?xml" not in html


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_a_case_s_diagram_is_the_one_diagram_case_draws() -> None:
    from conftest import EXAMPLES
    from selection_rules.diagram.command import draw
    from selection_rules.engine.library import Library
    from selection_rules.engine.pipeline import Pipeline
    from selection_rules.lang.workdays import WorkCalendar
    from selection_rules.report.html_diagrams import case_diagrams, inline_svg

    path = str(EXAMPLES / "pengshan" / "ps7-below-80.yaml")
    entry = {"file": path, "kind": "selection", "status": "violations"}
    for lang in ("zh", "en"):
        pictures = case_diagrams({"files": [entry]}, Pipeline(Library(), WorkCalendar()),
                                 lang, 5)
        svg, _ = draw(None, "svg", Path(path), Library(), lang)
        assert pictures.svg[path] == inline_svg(svg.decode("utf-8"))


def test_without_graphviz_each_case_says_so(root: Path, monkeypatch: pytest.MonkeyPatch,
                                            ) -> None:
    import selection_rules.report.html_diagrams as diagrams

    monkeypatch.setattr(diagrams.shutil, "which", lambda name: None)
    out = root.parent / "no-graphviz.html"
    validate(str(root), "--format", "html", "-o", str(out), "--lang", "en")
    html = out.read_text(encoding="utf-8")
    assert "<svg" not in html
    assert html.count("Graphviz (the dot command) is not installed here") == 4  # cases


def test_the_diagram_limit_names_the_command(root: Path) -> None:
    out = root.parent / "one-diagram.html"
    validate(str(root), "--format", "html", "-o", str(out), "--diagrams", "1")
    html = out.read_text(encoding="utf-8")
    if shutil.which("dot") is not None:
        assert html.count("<svg") == 1
    assert "selection-rules diagram --case" in html


def test_english_and_chinese(root: Path, report: Path) -> None:
    out = root.parent / "en.html"
    assert validate(str(root), "--format", "html", "-o", str(out), "--lang", "en",
                    "--diagrams", "0").exit_code == 2
    en, zh = out.read_text(encoding="utf-8"), report.read_text(encoding="utf-8")
    assert '<html lang="en">' in en and "By unit" in en and "按单位汇总" not in en
    assert '<html lang="zh-CN">' in zh and "按单位汇总" in zh and "By unit" not in zh


def test_print_styles(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "@media print" in html and "break-inside: avoid-page" in html


# ------------------------------------------------------------------- in a browser

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists() or not DRIVER.exists():
        pytest.skip(f"Chromium ({CHROMIUM}) or its driver ({DRIVER}) is not installed: "
                    "apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"):
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="selection-rules-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    # The driver Debian installs: Selenium never looks for one to download.
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_in_a_browser_the_figures_are_the_json_s_and_filters_hide_rows(
        browser: Any, report: Path, doc: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(report.resolve().as_uri())

    def figure(key: str) -> int:
        return int(browser.find_element(By.CSS_SELECTOR, f'[data-figure="{key}"]').text)

    tot = doc["totals"]
    for key in ("files", "clean", "with_violations", "errors"):
        assert figure(key) == tot[key], key
    for sev in ("error", "warning", "info"):
        assert figure(sev) == tot["violations"][sev], sev
    for u in doc["summary"]["by_unit"]:
        if u["unit"] is None:
            continue
        row = browser.find_element(By.CSS_SELECTOR, f'tr.unit-row[data-unit="{u["unit"]}"]')
        cells = {c.get_attribute("data-col"): int(c.text)
                 for c in row.find_elements(By.CSS_SELECTOR, "td")}
        assert cells["files"] == u["files"] and cells["with_errors"] == u["with_errors"]

    def visible() -> list[tuple[str, str]]:
        return [(r.get_attribute("data-unit"), r.get_attribute("data-rule"))
                for r in browser.find_elements(By.CSS_SELECTOR, "tr.v") if r.is_displayed()]

    everything = [(f["unit"], v["rule"]) for f, v in violations(doc)]
    assert visible() == everything
    Select(browser.find_element(By.ID, "f-unit")).select_by_value(UNIT_A)
    assert visible() == [x for x in everything if x[0] == UNIT_A] != []
    Select(browser.find_element(By.ID, "f-rule")).select_by_value("PS-7")
    assert visible() == [(UNIT_A, "PS-7")]
    # A case with no row left is hidden whole; the count says what is shown.
    shown = [a.get_attribute("data-file") for a in
             browser.find_elements(By.CSS_SELECTOR, "article.case") if a.is_displayed()]
    assert [Path(p).name for p in shown] == ["1-ps7.yaml"]
    assert browser.find_element(By.ID, "shown").text == f"显示 1 / {len(everything)} 条违规"
    Select(browser.find_element(By.ID, "f-unit")).select_by_value(UNIT_B)
    Select(browser.find_element(By.ID, "f-severity")).select_by_value("warning")
    assert visible() == []
    Select(browser.find_element(By.ID, "f-unit")).select_by_value("")
    Select(browser.find_element(By.ID, "f-rule")).select_by_value("")
    Select(browser.find_element(By.ID, "f-severity")).select_by_value("")
    assert visible() == everything
    # The markup in a unit's name is shown as its characters, and never ran.
    assert browser.title == "选人用人检查报告"
    assert UNIT_B in browser.find_element(By.ID, "by-unit").text
