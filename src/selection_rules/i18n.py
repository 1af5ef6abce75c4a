"""Bilingual text: every message a user sees exists in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Text:
    """One message in both languages; `str()` of it is never shown to a user."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def format(self, **values: object) -> Text:
        return Text(self.zh.format(**values), self.en.format(**values))

    def __add__(self, other: Text) -> Text:
        return Text(self.zh + other.zh, self.en + other.en)

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


def join(parts: list[Text], zh_sep: str = "；", en_sep: str = "; ") -> Text:
    return Text(zh_sep.join(p.zh for p in parts), en_sep.join(p.en for p in parts))


class Phrase(str):
    """A value a built-in makes for a message (`petition 2021-02-01 unverified`): text
    in English as a str, and its words in both languages as `text`."""

    text: Text

    def __new__(cls, text: Text) -> Phrase:
        obj = super().__new__(cls, text.en)
        obj.text = text
        return obj

    def __reduce__(self) -> tuple[object, ...]:
        return (Phrase, (self.text,))
