"""From a rule to its sentence, and from a seed to the rules that encode it.

`trace` answers "where does PS-7 come from?": the sentence of the normalized seed that
holds the rule's quote, with the sentences around it and a Simplified-Chinese rendering
where the seed is Traditional. `sources` answers the reverse: for each paragraph of each
seed, which rules (and parameters) quote it, and for a paragraph no rule quotes, the
reason recorded in seeds/not-encoded.yaml (a care programme, a news lead, a result
figure: nothing a case file could be checked against).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from selection_rules.authoring.catalog import Entry
from selection_rules.authoring.seed_text import normalized, seed_names, seeds_dir
from selection_rules.errors import InputError
from selection_rules.i18n import Text
from selection_rules.model.procedure import Citation
from selection_rules.source.loading import load_document
from selection_rules.source.model_errors import validation_problems

# Where a sentence ends in these texts: full-width and the scrape's ASCII punctuation.
_SENTENCE_END = "。；;！!？?\n"


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str | None:
    """The Simplified-Chinese rendering of `text`, or None if it is Simplified already."""
    out: str = _t2s().convert(text)
    return out if out != text else None


@dataclass(frozen=True)
class Passage:
    """Where a quote stands in its normalized seed: the sentence, and a sentence each side."""

    seed: str
    quote: str
    start: int
    line: int
    sentence: str
    before: str
    after: str

    @property
    def simplified(self) -> str | None:
        return simplified(self.before + self.sentence + self.after)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed, "quote": self.quote, "line": self.line,
            "sentence": self.sentence, "before": self.before, "after": self.after,
            "simplified": self.simplified,
        }


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    rights = [i for ch in _SENTENCE_END if (i := text.find(ch, end)) >= 0]
    right = min(rights) + 1 if rights else len(text)
    return left, right


def locate(seed: str, quote: str) -> Passage | None:
    text = normalized(seed)
    if text is None:
        return None
    at = text.find(quote)
    if at < 0:
        return None
    left, right = _sentence_bounds(text, at, at + len(quote))
    before = ""
    if left > 0:
        b_left, _ = _sentence_bounds(text, left - 1, left - 1)
        before = text[b_left:left] if text[left - 1] != "\n" else ""
    after = ""
    if right < len(text) and text[right - 1] != "\n":
        _, a_right = _sentence_bounds(text, right, right)
        after = text[right:a_right]
    return Passage(seed, quote, at, text.count("\n", 0, at) + 1,
                   text[left:right].strip(), before.strip(), after.strip())


@dataclass
class Trace:
    entry: Entry
    passages: list[tuple[Citation, Passage | None]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = self.entry.as_dict(detail=True)
        out["sources"] = [
            {"citation": {k: v for k, v in c.model_dump().items() if v is not None},
             "passage": p.as_dict() if p else None}
            for c, p in self.passages
        ]
        return out


def trace(entry: Entry) -> Trace:
    result = Trace(entry)
    cited = list(entry.rule.citations())
    for name in sorted(entry.rule_parameters()):
        info = entry.parameters.get(name)
        if info is not None:
            cited += [v.citation for _, v in info.timeline if v.citation is not None]
    for citation in dict.fromkeys(cited):
        passage = locate(citation.seed, citation.quote) if citation.seed and citation.quote \
            else None
        result.passages.append((citation, passage))
    return result


# ---------------------------------------------------------------------------- sources


class _Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts: str
    zh: str
    en: str
    # A requirement a record could be checked against, left out: `out_of_scope` (not a
    # cadre-selection record, e.g. community service) or `not_encoded` (in scope, still
    # to do). Absent: nothing to check (a headline, a result figure, an exhortation).
    checkable: Literal["out_of_scope", "not_encoded"] | None = None


class _NotEncoded(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seeds: dict[str, list[_Reason]]


@dataclass
class Paragraph:
    seed: str
    line: int
    text: str
    encoded_by: list[str] = field(default_factory=list)  # rule IDs, params as ID:name
    reason: Text | None = None
    checkable: str | None = None  # the reason's `checkable`, where it gives one

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line, "text": self.text, "encoded_by": self.encoded_by,
            "reason": self.reason.as_dict() if self.reason else None,
            "checkable": self.checkable,
        }


def not_encoded_reasons() -> dict[str, list[_Reason]]:
    path = seeds_dir() / "not-encoded.yaml"
    if not path.is_file():
        return {}
    doc = load_document(path)
    try:
        return _NotEncoded.model_validate(doc.data).seeds
    except ValidationError as exc:
        raise InputError(validation_problems(doc, exc)) from None


def sources(entries: list[Entry]) -> dict[str, list[Paragraph]]:
    """Every paragraph of every seed, with the rules that quote it or why none does."""
    quotes: dict[str, list[tuple[str, str]]] = {}
    for e in entries:
        for c in e.rule.citations():
            if c.seed and c.quote:
                quotes.setdefault(c.seed, []).append((c.quote, e.id))
        for name in sorted(e.rule_parameters()):
            info = e.parameters.get(name)
            for _, v in info.timeline if info else []:
                if v.citation and v.citation.seed and v.citation.quote:
                    quotes.setdefault(v.citation.seed, []).append(
                        (v.citation.quote, f"{e.id}:{name}"))
    reasons = not_encoded_reasons()
    out: dict[str, list[Paragraph]] = {}
    for seed in seed_names():
        text = normalized(seed) or ""
        paragraphs = out[seed] = []
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            para = Paragraph(seed, number, line.strip())
            for quote, who in quotes.get(seed, []):
                if quote in line and who not in para.encoded_by:
                    para.encoded_by.append(who)
            if not para.encoded_by:
                for r in reasons.get(seed, []):
                    if para.text.startswith(r.starts):
                        para.reason = Text(r.zh, r.en)
                        para.checkable = r.checkable
                        break
            paragraphs.append(para)
    return out
