"""How a value from a list is read and named: a `Term` (code, labels, aliases), the
`Vocabulary` of a field (found by any spelling, a located "did you mean" otherwise),
a `Code` that remembers its term, and the terms a procedure declares (`declared`).

The vocabularies themselves are declared in model/vocabulary.py.
"""

# No `from __future__ import annotations`: pydantic reads the annotations at class time.

import difflib
import re
import types
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from selection_rules.i18n import Text


@dataclass(frozen=True, slots=True)
class Term:
    """One value: its code, labels and the other ways it is written."""

    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self) -> Text:
        return Text(self.zh, self.en)

    def spellings(self) -> tuple[str, ...]:
        return (self.code, self.zh, self.en, *self.aliases)


class Code(str):
    """A value read through a vocabulary: equal to (and hashed as) its code, so rules
    compare it with `'plenary'`, and carrying its term, so a message can show its label."""

    term: Term

    def __new__(cls, term: Term) -> "Code":
        obj = super().__new__(cls, term.code)
        obj.term = term
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (Code, (self.term,))

    def __repr__(self) -> str:
        return repr(str(self))

    def as_figure(self) -> str:
        """How a report's figures hold it: the code."""
        return str.__str__(self)


_APART = re.compile(r"[\s_\-·・]+")


def _key(text: str) -> str:
    # `Standing Committee`, `standing-committee` and `standing_committee` are one spelling.
    return _APART.sub("", text).casefold()


# Terms a procedure or rule set declares, by vocabulary name, in force while the files
# that name it are read (a ContextVar: each worker process and thread has its own).
_NONE: Mapping[str, Sequence[Term]] = types.MappingProxyType({})
_DECLARED: ContextVar[Mapping[str, Sequence[Term]]] = ContextVar("declared_terms", default=_NONE)


# The declared terms of a vocabulary indexed by spelling, as written and as `_key` reads
# it (first declared first), made once per list of terms: the steps of a procedure are
# declared terms, and every event of every case names one.
_INDEXES: dict[int, tuple[Sequence[Term], dict[str, Term], dict[str, Term]]] = {}


def _declared_index(terms: Sequence[Term]) -> tuple[dict[str, Term], dict[str, Term]]:
    found = _INDEXES.get(id(terms))
    if found is None or found[0] is not terms:
        if len(_INDEXES) > 256:  # lists of terms come from compiled procedures: few
            _INDEXES.clear()
        exact: dict[str, Term] = {}
        keyed: dict[str, Term] = {}
        for term in terms:
            for spelling in term.spellings():
                keyed.setdefault(_key(spelling), term)
        for term in terms:
            for spelling in term.spellings():
                if keyed.get(_key(spelling)) is term:
                    exact.setdefault(spelling, term)
        found = _INDEXES[id(terms)] = (terms, exact, keyed)
    return found[1], found[2]


# Texts remembered per vocabulary and declared terms (`Vocabulary._found`).
_MEMO_SIZE = 4096
_UNSEEN = object()


class declared:  # lower case: it is used as a function, `with declared(terms):`
    """Read with a procedure's own terms in force besides the built-in ones.

    A class rather than a @contextmanager generator: it is entered for every case read,
    and a generator's machinery cost more than the ContextVar it sets.
    """

    __slots__ = ("_terms", "_token")

    def __init__(self, terms: Mapping[str, Sequence[Term]]) -> None:
        self._terms = terms

    def __enter__(self) -> None:
        self._token = _DECLARED.set(self._terms)

    def __exit__(self, *exc: object) -> None:
        _DECLARED.reset(self._token)


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The values one kind of field takes; used as `Annotated[str, VOCAB]` metadata."""

    name: str
    label: Text
    terms: tuple[Term, ...]
    open: bool = False
    note: str = ""
    _index: dict[str, Term] = field(default_factory=dict, repr=False)
    # Each spelling exactly as written: most values are, and are found without `_key`'s
    # regular expression (every value of every file passes here).
    _exact: dict[str, Term] = field(default_factory=dict, repr=False)
    # The same as Codes, one per term: what `read` gives for a built-in spelling.
    _codes: dict[str, Code] = field(default_factory=dict, repr=False)
    # What `read` found for any other text, by the declared terms in force (see _found).
    _memos: dict[int, tuple[Sequence[Term] | None, dict[str, Code | None]]] = field(
        default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            for spelling in term.spellings():
                self._index.setdefault(_key(spelling), term)
        codes: dict[int, Code] = {}
        for term in self.terms:
            for spelling in term.spellings():
                if self._index.get(_key(spelling)) is term:
                    self._exact.setdefault(spelling, term)
        for spelling, term in self._exact.items():
            if id(term) not in codes:
                codes[id(term)] = Code(term)
            self._codes[spelling] = codes[id(term)]

    def all_terms(self) -> list[Term]:
        """The built-in terms, then those declared in force."""
        return [*self.terms, *_DECLARED.get().get(self.name, ())]

    def find(self, raw: str) -> Term | None:
        found = self._exact.get(raw)
        if found is not None:
            return found
        terms = _DECLARED.get().get(self.name)
        exact, keyed = _declared_index(terms) if terms else ({}, {})
        if not self._exact:  # no built-in spelling could match: the declared first
            found = exact.get(raw)
            if found is not None:
                return found
        key = _key(raw)
        return self._index.get(key) or keyed.get(key)

    def term(self, code: str) -> Term | None:
        """The term of a code (not an alias), built-in or declared."""
        return next((t for t in self.all_terms() if t.code == code), None)

    def _found(self, raw: str) -> Code | None:
        """`find(raw)` as a Code, remembered: every value of every file passes here, and
        most files of a run write the same few values under the same declared terms."""
        code = self._codes.get(raw)
        if code is not None:
            return code
        terms = _DECLARED.get().get(self.name)
        slot = self._memos.get(id(terms))
        if slot is None or slot[0] is not terms:  # an id is only reused once freed
            if len(self._memos) > 64:  # declared terms come from compiled procedures
                self._memos.clear()
            slot = self._memos[id(terms)] = (terms, {})
        memo = slot[1]
        found = memo.get(raw, _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]  # a Code or None
        term = self.find(raw)
        found = None if term is None else self._codes.get(term.code)
        if term is not None and (found is None or found.term is not term):
            found = Code(term)  # a declared term (or another spelling's)
        if found is not None:  # free text of an open vocabulary is not kept
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[raw] = found
        return found

    def normalize(self, raw: Any) -> Any:
        """The code of a known spelling, anything else as it is (a BeforeValidator for a
        field whose type already lists the codes, e.g. a Literal)."""
        if not isinstance(raw, str):
            return raw
        code = self._codes.get(raw)  # a built-in spelling, without another call
        if code is None:
            code = self._found(raw)
        return raw if code is None else code.term.code

    def read(self, raw: Any) -> Any:
        """The code of `raw` (as a Code); ValueError naming the nearest for an unknown
        value of a closed vocabulary; anything not text is left to the str schema."""
        if not isinstance(raw, str):
            return raw
        code = self._codes.get(raw)  # a built-in spelling, without another call
        if code is None:
            code = self._found(raw)
        if code is not None:
            return code
        if self.open:
            return raw
        from selection_rules.errors import ItemError

        raise ItemError(self.unknown(raw), (), expected=self.expected())

    def unknown(self, raw: str) -> Text:
        near = self.suggest(raw)
        if near:
            zh = "、".join(f"{t.zh}（{t.code}）" for t in near)
            en = ", ".join(f"{t.code} ({t.en})" for t in near)
            return Text(f"{raw!r} 不是可用的{self.label.zh}；是否想写：{zh}？",
                        f"{raw!r} is not a known {self.label.en}; did you mean {en}?")
        return Text(f"{raw!r} 不是可用的{self.label.zh}", f"{raw!r} is not a known {self.label.en}")

    def expected(self) -> Text:
        terms = self.all_terms()
        return Text("以下之一：" + "、".join(f"{t.zh}（{t.code}）" for t in terms),
                    "one of " + ", ".join(f"{t.code} ({t.en})" for t in terms))

    def suggest(self, raw: str, n: int = 3) -> list[Term]:
        """The terms nearest `raw` over every spelling, Chinese and English."""
        by_spelling: dict[str, Term] = {}
        for term in self.all_terms():
            for spelling in term.spellings():
                by_spelling.setdefault(_key(spelling), term)
        key = _key(raw)
        found: list[Term] = []
        for near in difflib.get_close_matches(key, list(by_spelling), n=n * 3, cutoff=0.5):
            if by_spelling[near] not in found:
                found.append(by_spelling[near])
        # A Chinese value shares characters rather than a spelling: 常委 → 常委会.
        for term in self.all_terms():
            if term not in found and any(key and key in _key(s) for s in term.spellings()
                                         if not s.isascii()):
                found.append(term)
        return found[:n]

    # pydantic's hooks: validate as text, then map to the code; list every spelling in
    # the JSON Schema so an editor completes them.
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.read, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        # Any text is allowed besides the listed spellings: a procedure may declare its
        # own terms, and the tool itself names an unknown value with the nearest ones.
        handler(schema)
        spellings = list(dict.fromkeys(s for t in self.terms for s in t.spellings()))
        listed = "; ".join(f"{t.code} {t.zh} ({t.en})" for t in self.terms)
        out: dict[str, Any] = ({"anyOf": [{"enum": spellings}, {"type": "string"}]}
                               if spellings else {"type": "string"})
        out["description"] = f"{self.label.zh} / {self.label.en}" + (
            f": {listed}" if listed else "")
        return out


def terms(*rows: tuple[str, str, str, str]) -> tuple[Term, ...]:
    """Terms from rows of (code, zh, en, aliases separated by `|`)."""
    return tuple(Term(code, zh, en, tuple(a for a in aliases.split("|") if a))
                 for code, zh, en, aliases in rows)
