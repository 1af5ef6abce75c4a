"""The normalized seeds, and every shipped quote found verbatim in them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from selection_rules.authoring.catalog import catalog
from selection_rules.authoring.seed_text import find_quote, normalize, seed_names, write_normalized
from selection_rules.engine.library import Library


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("災區(qū)重建", "災區重建"),
        ("不會(huì )作為", "不會作為"),  # the scrape left a space before `)`
        ("干事創(chuàng )業(yè)的", "干事創業的"),
        ("分管(聯(lián)系)單位", "分管(聯系)單位"),  # a real parenthesis around an annotation
        ("村(社區(qū))“兩委”", "村(社區)“兩委”"),
        ("黨委(黨組)主要負責人", "黨委(黨組)主要負責人"),  # real parentheses stay
        ("辦法(試行)》", "辦法(試行)》"),
        ("加快重建。(姚熙)", "加快重建。(姚熙)"),  # an author, not a reading
        ("突出的干部?jì)?yōu)先提", "突出的干部〔?jì〕〔?yōu〕先提"),
        ("“想頭”??h財政", "“想頭”〔??h〕財政"),
        ("追究?jī)身?xiàng)制度", "追究〔?jī〕身〔?xiàng〕制度"),
        ("Sunshine (yes) 1:3", "Sunshine (yes) 1:3"),  # ASCII words are not pinyin annotations
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_damage_is_marked_never_dropped() -> None:
    for name in seed_names():
        raw = (ROOT / "seeds" / name).read_text(encoding="utf-8")
        out = normalize(raw)
        runs = re.findall(r"\?+", raw)
        markers = re.findall(r"〔(\?+)[^〕]*〕", out)
        assert markers == runs  # every damaged place is marked, with its question marks
        assert "?" not in re.sub(r"〔[^〕]*〕", "", out)


def test_seeds_are_kept_as_received() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for name in seed_names():
        assert (ROOT / "seeds" / name).read_bytes() == (shared / name).read_bytes()


def test_normalized_seeds_are_current(tmp_path: Path) -> None:
    for path in write_normalized(tmp_path):
        shipped = ROOT / "seeds" / "normalized" / path.name
        assert shipped.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            "regenerate: python -c 'from selection_rules.seed_text import write_normalized; "
            "write_normalized()'"
        )


def test_every_shipped_quote_is_verbatim_in_its_normalized_seed() -> None:
    quotes = 0
    for entry in catalog(Library()):
        cited = list(entry.rule.citations())
        for param in entry.parameters.values():
            cited += [v.citation for _, v in param.timeline if v.citation is not None]
        for citation in cited:
            if citation.seed is None:
                continue
            assert citation.quote is not None
            assert find_quote(citation.seed, citation.quote) is not None, (
                f"{entry.id}: {citation.quote!r} is not in seeds/normalized/{citation.seed}"
            )
            quotes += 1
    assert quotes >= 10


def test_a_quote_not_in_the_seed_is_not_found() -> None:
    assert find_quote("000_1d6b22ca1a2a0151.txt", "民主推薦票不足80%的不作為考察對象")
    assert find_quote("000_1d6b22ca1a2a0151.txt", "民主推荐票不足80%") is None  # simplified
    assert find_quote("no-such-seed.txt", "任何") is None
