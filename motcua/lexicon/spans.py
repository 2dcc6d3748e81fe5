"""What a question names, as spans of its tokens: school levels, aspects asked, papers,
actions, other sectors, synonyms, words of the sector, the kind of fact asked, places and
politeness. Every list is the lexicon's data; longest phrases win where two overlap."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from motcua.lexicon.phrases import (
    Span,
    Token,
    loose_at,
    may_start,
    phrase_at,
    same_word,
    written_at,
)
from motcua.lexicon.vocabulary import Phrase, Vocabulary
from motcua.text import fold

_GRADE = re.compile(r"^lop(\d{1,2})$")  # "lop7" typed glued


def find_spans(tokens: list[Token], vocab: Vocabulary) -> list[Span]:
    folded = [t.folded for t in tokens]
    spans: list[Span] = []
    spans += _level_spans(tokens, folded, vocab)
    education = _loose_spans(tokens, "education", vocab.education)
    for aspect in vocab.aspects:
        # A cue inside a longer word of the sector is that word's: the "phí" of "học phí"
        # asks for no procedure's fee.
        spans += [
            s
            for s in _folded_spans(folded, "aspect", aspect.key, aspect.cues)
            if not any(
                e.first <= s.first and s.end <= e.end and e.end - e.first > s.end - s.first
                for e in education
            )
        ]
    for name, phrases in vocab.objects.items():
        spans += _object_spans(tokens, folded, name, phrases)
    for name, phrases in vocab.actions.items():
        spans += _folded_spans(folded, "action", name, phrases)
    for name, phrases in vocab.sectors.items():
        spans += _folded_spans(folded, "sector", name, phrases)
    spans += _synonym_spans(folded, vocab)
    spans += education
    for kind in vocab.answer_types:
        spans += _folded_spans(folded, "answer_type", kind.key, kind.cues)
    spans += _place_spans(tokens, folded, vocab)
    taken = {i for s in spans if s.kind in ("level", "place") for i in range(s.first, s.end)}
    spans += _filler_spans(tokens, vocab, taken)
    return spans


def _folded_spans(
    folded: list[str], kind: str, value: str, phrases: tuple[Phrase, ...]
) -> list[Span]:
    if not may_start(folded, phrases):
        return []
    return _scan(len(folded), lambda at: phrase_at(folded, at, phrases), kind, value)


def _loose_spans(tokens: list[Token], kind: str, phrases: tuple[Phrase, ...]) -> list[Span]:
    """Phrases as written, words typed without marks matching by their folded form: the
    sector's "thi" (an exam) is not the particle "thì" of "… xong thì nhận được gì"."""
    return _scan(len(tokens), lambda at: loose_at(tokens, at, phrases), kind, kind)


def _scan(
    length: int, phrase_at_: Callable[[int], Phrase | None], kind: str, value: str
) -> list[Span]:
    """Spans of the phrases found left to right, each taking its words."""
    spans: list[Span] = []
    at = 0
    while at < length:
        phrase = phrase_at_(at)
        if phrase is None:
            at += 1
            continue
        spans.append(Span(kind, value, at, at + len(phrase)))
        at += len(phrase)
    return spans


def _synonym_spans(folded: list[str], vocab: Vocabulary) -> list[Span]:
    """Synonyms across groups, the longer phrase winning where two overlap: "chuyển trường"
    is one phrase, not also the "trường" of "trường học"."""
    found = [
        span
        for group in vocab.synonyms
        for span in _folded_spans(folded, "synonym", " ".join(group[0]), group)
    ]
    found.sort(key=lambda s: (s.first - s.end, s.first))
    kept: list[Span] = []
    for span in found:
        if all(span.end <= k.first or span.first >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.first)


def _object_spans(
    tokens: list[Token], folded: list[str], name: str, phrases: tuple[Phrase, ...]
) -> list[Span]:
    """Papers: one-syllable names ("bằng") only with their marks, as "bảng", "bang" (state)
    and the preposition "bằng" are other words; longer names folded."""
    spans = []
    for span in _folded_spans(folded, "object", name, phrases):
        if span.end - span.first == 1:
            word = tokens[span.first].text
            if fold(word) == word.lower():
                continue  # typed without marks and not restored: can't tell
            if name == "văn bằng" and not same_word(word, "bằng"):
                continue
            if name == "văn bằng" and _preposition(folded, span.first):
                continue
        spans.append(span)
    return spans


# "nộp bằng đường bưu điện", "bằng cách nào": "bằng" as "by", not a diploma.
_BY_FOLLOWERS = frozenset({"cach", "duong", "hinh", "phuong", "email", "mail", "tay"})


def _preposition(folded: list[str], at: int) -> bool:
    return at + 1 < len(folded) and folded[at + 1] in _BY_FOLLOWERS


def _level_spans(tokens: list[Token], folded: list[str], vocab: Vocabulary) -> list[Span]:
    spans, at = [], 0
    while at < len(tokens):
        level = next(
            (
                (lv.name, len(p))
                for lv in vocab.levels
                if (p := phrase_at(folded, at, lv.names)) is not None
            ),
            None,
        )
        if level is None:
            glued = _GRADE.match(folded[at])
            if glued:
                name = vocab.level_of_grade(int(glued.group(1)))
                level = (name, 1) if name else None
            elif folded[at] == "lop" and at + 1 < len(tokens) and folded[at + 1].isdigit():
                name = vocab.level_of_grade(int(folded[at + 1]))
                level = (name, 2) if name else None
        if level is None:
            at += 1
            continue
        spans.append(Span("level", level[0], at, at + level[1]))
        at += level[1]
    return spans


def _place_spans(tokens: list[Token], folded: list[str], vocab: Vocabulary) -> list[Span]:
    spans: list[Span] = []
    at = 0
    while at < len(tokens):
        name = phrase_at(folded, at, vocab.places_folded) or written_at(
            tokens, at, vocab.places_written
        )
        if name is not None and (len(name) > 1 or tokens[at].text[:1].isupper()):
            spans.append(Span("place", " ".join(name), at, at + len(name)))
            at += len(name)
            continue
        marker = phrase_at(folded, at, vocab.place_markers)
        if marker is not None:
            end = at + len(marker)
            named = end
            # A local name is capitalised after its marker: "xã Tân Lập", "trường THCS Lê Lợi".
            while named < len(tokens) and named - end < 3 and tokens[named].text[:1].isupper():
                if tokens[named].text.isupper() and len(tokens[named].text) > 1:
                    break  # an acronym ("THCS") names a level, not the place
                named += 1
            if named > end:
                spans.append(Span("place", " ".join(folded[end:named]), end, named))
                at = named
                continue
        at += 1
    return spans


@lru_cache(maxsize=8)
def _filler_lists(
    fillers: tuple[Phrase, ...],
) -> tuple[tuple[Phrase, ...], tuple[Phrase, ...], tuple[Phrase, ...]]:
    """The one-word fillers as written, the longer ones folded, the one-word ones folded."""
    multi = tuple(p for p in fillers if len(p) > 1)
    single = tuple(p for p in fillers if len(p) == 1)
    return (
        single,
        tuple(tuple(fold(w) for w in p) for p in multi),
        tuple(tuple(fold(w) for w in p) for p in single),
    )


def _filler_spans(tokens: list[Token], vocab: Vocabulary, taken: set[int]) -> list[Span]:
    """Politeness: phrases of two words and more match folded ("cho em hoi" can be nothing
    else); one-word fillers as written ("ạ" folds to "a", "vậy" to "vay"), except in the run
    of fillers that ends a message, where "a", "vay", "nhe" can only be politeness."""
    spans, at = [], 0
    folded = [t.folded for t in tokens]
    single, folded_multi, folded_single = _filler_lists(vocab.fillers)
    tail = len(tokens)
    while tail > 0 and (
        phrase_at(folded, tail - 1, folded_single) is not None and tail - 1 not in taken
    ):
        tail -= 1
    while at < len(tokens):
        if at in taken:
            at += 1
            continue
        phrase = phrase_at(folded, at, folded_multi) or written_at(tokens, at, single)
        if phrase is None and at >= tail and at > 0:
            phrase = phrase_at(folded, at, folded_single)
        if phrase is None:
            at += 1
            continue
        spans.append(Span("filler", " ".join(phrase), at, at + len(phrase)))
        at += len(phrase)
    return spans
