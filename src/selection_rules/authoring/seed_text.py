"""The source documents as rules quote them: scraped pinyin removed, damage marked.

The seeds came from a web scrape that glued a pinyin reading after many Traditional
characters (`區(qū)`, `會(huì )` with a stray space) and, in a few places, lost the character
itself to an encoding error, leaving `?jì)` or `??h`. A rule quotes the *normalized* text:
the annotations are removed, and each damaged remnant is kept as a visible marker
`〔?jì〕` (the pinyin that survived says which character was lost), never dropped,
so a quote cannot silently join words that were not adjacent.

Real parentheses (`黨委(黨組)`, `村(居)`, `(試行)`, an author's name) are kept: only a
parenthesis holding nothing but pinyin syllables right after a CJK character goes.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# Letters of a pinyin syllable as the scrape wrote them (tone marks included).
_PINYIN = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# `區(qū)`, `會(huì )`: a CJK character, then its reading in ASCII parentheses.
_ANNOTATION = re.compile(rf"(?<=[{_CJK}])\([{_PINYIN}]+ ?\)")
# `?jì)`, `?yōu)`, `??h`: question marks where the character (and the opening parenthesis)
# was lost, then whatever survived of the reading.
_DAMAGED = re.compile(rf"(\?+)([{_PINYIN}]*) ?\)?")

DAMAGE_OPEN, DAMAGE_CLOSE = "〔", "〕"


def normalize(text: str) -> str:
    """The seed text with pinyin annotations removed and damaged remnants marked."""
    text = _ANNOTATION.sub("", text)
    return _DAMAGED.sub(lambda m: f"{DAMAGE_OPEN}{m.group(1)}{m.group(2)}{DAMAGE_CLOSE}", text)


def seeds_dir() -> Path:
    packaged = Path(__file__).resolve().parents[1] / "_data" / "seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "seeds"


def normalized_dir() -> Path:
    return seeds_dir() / "normalized"


def seed_names() -> list[str]:
    return sorted(p.name for p in seeds_dir().glob("*.txt"))


@cache
def normalized(seed: str) -> str | None:
    """The normalized text of one seed (by file name), or None if there is no such seed."""
    if seed not in seed_names():
        return None
    path = normalized_dir() / seed
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return normalize((seeds_dir() / seed).read_text(encoding="utf-8"))


def write_normalized(folder: Path | None = None) -> list[Path]:
    """(Re)write seeds/normalized/ from the seeds as received."""
    out_dir = folder or normalized_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in seed_names():
        raw = (seeds_dir() / name).read_text(encoding="utf-8")
        path = out_dir / name
        path.write_text(normalize(raw), encoding="utf-8")
        written.append(path)
    return written


def find_quote(seed: str, quote: str) -> int | None:
    """Where `quote` starts in the normalized seed, or None if it is not there verbatim."""
    text = normalized(seed)
    if text is None:
        return None
    at = text.find(quote)
    return at if at >= 0 else None
