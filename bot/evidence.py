"""How much of a question a passage covers, words weighted by rarity.

Single syllables ("thủ tục", "giấy tờ" are common everywhere) and, more telling in Vietnamese,
two-syllable words ("khai sinh", "hộ chiếu") that name the topic. Passage choice within a
document and sentence choice within a passage rank by it; whether to answer at all is
`answerability`'s call.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from motcua.index.lexical import QUERY_STOPWORDS
from motcua.ingest.restoration.spelling import normalize_tone
from motcua.ingest.restoration.word_lists import dictionary_word_pairs
from motcua.text import fold, folded_words, words
from motcua.types import Chunk

Tokenizer = Callable[[str], list[str]]


def accented_words(text: str) -> list[str]:
    """Lower-case syllables with their marks (one tone placement): "phở" and "phố" differ."""
    if len(text) > _CACHED_CHARS:
        return [normalize_tone(w.lower()) for w in words(text)]
    return list(_accented_words(text))


# As motcua.text keeps folded syllables: passages are read again for each question.
_CACHED_CHARS = 4000


@lru_cache(maxsize=4096)
def _accented_words(text: str) -> tuple[str, ...]:
    return tuple(normalize_tone(w.lower()) for w in words(text))


def _bigrams(syllables: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]


class TermWeights:
    """Inverse document frequency of syllables and syllable pairs over the chunks."""

    def __init__(self, texts: list[str], tokenize: Tokenizer = folded_words) -> None:
        df: Counter[str] = Counter()
        for text in texts:
            syllables = tokenize(text)
            df.update(set(syllables))
            df.update(set(_bigrams(syllables)))
        self.n = max(len(texts), 1)
        self.tokenize = tokenize
        self._df = df

    def seen(self, term: str) -> bool:
        return term in self._df

    def df(self, term: str) -> int:
        """How many passages hold the syllable or pair "a_b"."""
        return self._df.get(term, 0)

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self._df.get(term, 0) + 1)) + 1.0


def _is_content(term: str) -> bool:
    folded = fold(term)
    return folded not in QUERY_STOPWORDS and (not folded.isdigit() or len(folded) > 2)


def content_terms(question: str, tokenize: Tokenizer = folded_words) -> list[str]:
    return list(dict.fromkeys(t for t in tokenize(question) if _is_content(t)))


def content_bigrams(question: str, weights: TermWeights) -> list[str]:
    """Adjacent content syllables that form a word: a dictionary word or one the index uses.

    Pairs across a word boundary ("trường cần") occur nowhere and would weigh the most.
    """
    syllables = weights.tokenize(question)
    pairs = [
        (a, b)
        for a, b in zip(syllables, syllables[1:], strict=False)
        if _is_content(a) and _is_content(b)
    ]
    known = dictionary_word_pairs()
    return list(
        dict.fromkeys(
            f"{a}_{b}"
            for a, b in pairs
            if weights.seen(f"{a}_{b}") or f"{fold(a)}_{fold(b)}" in known
        )
    )


def coverage(terms: list[str], present: set[str], weights: TermWeights) -> float:
    total = sum(weights.idf(t) for t in terms)
    if not total:
        return 0.0
    return sum(weights.idf(t) for t in terms if t in present) / total


@dataclass
class QuestionTerms:
    """What of a question a passage should contain: its content words and word pairs."""

    words: list[str]
    pairs: list[str]


def question_terms(question: str, weights: TermWeights, known: str = "") -> QuestionTerms:
    """Words of `known` (a document's own name: title, number, issuer) are left out: within one
    document they are everywhere in spirit, and they tell which document, not which passage."""
    named = set(weights.tokenize(known)) if known else set()
    return QuestionTerms(
        [t for t in content_terms(question, weights.tokenize) if t not in named],
        [p for p in content_bigrams(question, weights) if not set(p.split("_")) <= named],
    )


def terms_coverage(terms: QuestionTerms, text: str, weights: TermWeights) -> float:
    """Weighted share of the question's words and word pairs that the passage contains."""
    syllables = weights.tokenize(text)
    present = set(syllables) | set(_bigrams(syllables))
    unigram = coverage(terms.words, present, weights)
    if not terms.pairs:
        return unigram
    return (unigram + coverage(terms.pairs, present, weights)) / 2


def passage_coverage(question: str, text: str, weights: TermWeights, known: str = "") -> float:
    return terms_coverage(question_terms(question, weights, known), text, weights)


def evidence_text(chunk: Chunk) -> str:
    # OCR chunks are weighed on their full repair (what search matches), not the cautious
    # text shown to readers.
    return f"{chunk.section or ''}\n{chunk.searchable}"
