"""A citation's quote as a report shows it.

The seeds are in Traditional characters, as the scrape received them, and a rule quotes
them verbatim. A Chinese report shows the quote in Simplified characters (OpenCC's
Traditional-to-Simplified conversion), with any pinyin annotation the scrape left (`區(qū)`)
taken out; the English report, and a Chinese one asked for the originals
(`validate --original-quotes`), shows the quote exactly as the rule holds it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from selection_rules.i18n import Lang


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # only when a report cites a seed: a clean run never loads it

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=512)
def simplified(quote: str) -> str:
    """The quote in Simplified characters, pinyin annotations removed."""
    from selection_rules.authoring.seed_text import normalize

    out: str = _t2s().convert(normalize(quote))
    return out


def shown_quote(quote: str, lang: Lang, *, original: bool = False) -> str:
    return simplified(quote) if lang == "zh" and not original else quote
