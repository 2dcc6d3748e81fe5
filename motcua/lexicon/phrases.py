"""Words and phrases of a question: tokens with their folded form, the spans the lexicon
marks, and where a phrase of a word list stands, typed as written or without marks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from motcua.lexicon.vocabulary import Phrase
from motcua.text import fold

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def marks(word: str) -> tuple[str, ...]:
    """The diacritics of a word, wherever they sit: "hoá" and "hóa" have the same."""
    return tuple(sorted(c for c in unicodedata.normalize("NFD", word) if unicodedata.combining(c)))


def same_word(typed: str, written: str) -> bool:
    """`typed` is `written` (lower case, tone placement ignored)."""
    typed, written = typed.lower(), written.lower()
    return fold(typed) == fold(written) and marks(typed) == marks(written)


@dataclass(frozen=True)
class Token:
    text: str  # as it stands in `Normalized.text`
    folded: str
    start: int
    end: int
    # Typed without marks (they may have been restored since): its spelling then says less
    # than its folded form, as the restorer can guess "thì" as "thị".
    unmarked: bool = False


@dataclass(frozen=True)
class Span:
    kind: str  # filler level aspect object action sector place synonym education answer_type
    value: str  # the level's, aspect's, object's, sector's name; a synonym's documents' word
    first: int  # token indices, end exclusive
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _by_first_word(phrases: tuple[Phrase, ...], folded: bool) -> dict[str, tuple[Phrase, ...]]:
    """The phrases grouped by their first word (folded when `folded`), each group in the
    list's order: a question is read against every phrase list of the lexicon at every
    word, and only the phrases starting with that word can match there."""
    groups: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        first = _folded_phrase(phrase)[0] if folded else phrase[0]
        groups.setdefault(first, []).append(phrase)
    return {first: tuple(group) for first, group in groups.items()}


@dataclass(frozen=True)
class _Grouped:
    phrases: tuple[Phrase, ...]  # held, so that its id is not reused while it is kept
    written: dict[str, tuple[Phrase, ...]]
    folded: dict[str, tuple[Phrase, ...]]
    has_empty: bool  # an empty phrase would match anywhere: the whole list is read


_GROUPED: dict[int, _Grouped] = {}
_GROUPED_KEPT = 1024


def _grouped(phrases: tuple[Phrase, ...]) -> _Grouped:
    """The lexicon's lists are read tens of times per question: found by identity, as a
    cache keyed by the tuple itself would hash every phrase of it at each look-up."""
    found = _GROUPED.get(id(phrases))
    if found is not None and found.phrases is phrases:
        return found
    if len(_GROUPED) >= _GROUPED_KEPT:  # lists made on the fly: kept, but not forever
        _GROUPED.clear()
    found = _GROUPED[id(phrases)] = _Grouped(
        phrases,
        _by_first_word(phrases, folded=False),
        _by_first_word(phrases, folded=True),
        not all(phrases),
    )
    return found


def _starting_with(word: str, phrases: tuple[Phrase, ...], folded: bool) -> tuple[Phrase, ...]:
    grouped = _grouped(phrases)
    if grouped.has_empty:
        return phrases
    return (grouped.folded if folded else grouped.written).get(word, ())


def may_start(words: list[str], phrases: tuple[Phrase, ...]) -> bool:
    """Whether any phrase could match somewhere in `words`: one starts with one of them. Most
    of the lexicon's lists have none in a given question, which is then not read word by
    word for each."""
    grouped = _grouped(phrases)
    if grouped.has_empty:
        return True
    firsts = grouped.written
    return any(w in firsts for w in words)


def phrase_at(words: list[str], at: int, phrases: tuple[Phrase, ...]) -> Phrase | None:
    if at >= len(words):
        return next((p for p in phrases if not p), None)
    for phrase in _starting_with(words[at], phrases, folded=False):
        if tuple(words[at : at + len(phrase)]) == phrase:
            return phrase
    return None


@cache
def _folded_phrase(phrase: Phrase) -> Phrase:
    return tuple(fold(w) for w in phrase)


def _folded_candidates(
    tokens: list[Token], at: int, phrases: tuple[Phrase, ...]
) -> tuple[Phrase, ...]:
    return _starting_with(tokens[at].folded, phrases, True) if at < len(tokens) else phrases


def written_at(tokens: list[Token], at: int, phrases: tuple[Phrase, ...]) -> Phrase | None:
    for phrase in _folded_candidates(tokens, at, phrases):
        end = at + len(phrase)
        if (
            end <= len(tokens)
            and tuple(t.folded for t in tokens[at:end]) == _folded_phrase(phrase)
            and all(same_word(t.text, w) for t, w in zip(tokens[at:end], phrase, strict=True))
        ):
            return phrase
    return None


def loose_at(tokens: list[Token], at: int, phrases: tuple[Phrase, ...]) -> Phrase | None:
    """A written phrase at `at`: tokens typed with marks must be spelled as written ("bản" is
    not "bạn"), tokens typed without match by their folded form."""
    for phrase in _folded_candidates(tokens, at, phrases):
        end = at + len(phrase)
        if (
            end <= len(tokens)
            and tuple(t.folded for t in tokens[at:end]) == _folded_phrase(phrase)
            and all(
                t.unmarked or t.folded == t.text.lower() or same_word(t.text, w)
                for t, w in zip(tokens[at:end], phrase, strict=True)
            )
        ):
            return phrase
    return None
