"""How much of a question a passage covers, words weighted by rarity.

Single syllables ("thủ tục", "giấy tờ" are common everywhere) and, more telling in Vietnamese,
two-syllable words ("khai sinh", "hộ chiếu") that name the topic. Passage choice within a
document and sentence choice within a passage rank by it; whether to answer at all is
`answerability`'s call.
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

from motcua.index.lexical import QUERY_STOPWORDS
from motcua.index.passage_terms import DocumentFrequencies, Tokenizer
from motcua.ingest.restoration.word_lists import dictionary_word_pairs
from motcua.text import fold, folded_words, kept_per_passage


class TermWeights:
    """Inverse document frequency of syllables and syllable pairs over the chunks."""

    def __init__(self, texts: Iterable[str], tokenize: Tokenizer = folded_words) -> None:
        """Counted in one pass: a generator of texts is never held as a list."""
        self._set(DocumentFrequencies.count(texts, tokenize), tokenize)

    @classmethod
    def of(cls, frequencies: DocumentFrequencies, tokenize: Tokenizer) -> TermWeights:
        """Over counts made already (stored with the index), `tokenize` being how."""
        weights = cls.__new__(cls)
        weights._set(frequencies, tokenize)
        return weights

    def _set(self, frequencies: DocumentFrequencies, tokenize: Tokenizer) -> None:
        self.n = max(frequencies.passages, 1)
        self.tokenize = tokenize
        self._df = frequencies
        # A question's words are weighed against every passage that competes to answer it.
        self._idf: dict[str, float] = {}

    def seen(self, term: str) -> bool:
        return term in self._df

    def df(self, term: str) -> int:
        """How many passages hold the syllable or pair "a_b"."""
        return self._df.get(term)

    def idf(self, term: str) -> float:
        weight = self._idf.get(term)
        if weight is None:
            if len(self._idf) > _IDF_KEPT:  # words typed by anyone: kept, but not forever
                self._idf.clear()
            weight = self._idf[term] = math.log((self.n + 1) / (self._df.get(term) + 1)) + 1.0
        return weight


_IDF_KEPT = 100_000


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


def coverage(terms: list[str], present: Container[str], weights: TermWeights) -> float:
    """The weighted share of `terms` in `present`, each term's weight looked up once (passages
    of a document are weighed against the same question dozens of times)."""
    total = found = 0.0
    for term in terms:
        weight = weights.idf(term)
        total += weight
        if term in present:
            found += weight
    return found / total if total else 0.0


@dataclass
class QuestionTerms:
    """What of a question a passage should contain: its content words and word pairs."""

    words: list[str]
    pairs: list[str]


def question_terms(question: str, weights: TermWeights, known: str = "") -> QuestionTerms:
    """Words of `known` (a document's own name: title, number, issuer) are left out: within one
    document they are everywhere in spirit, and they tell which document, not which passage."""
    named = set(weights.tokenize(known)) if known else set()
    syllables = weights.tokenize(question)
    # "… văn thư năm 2020 của Chính phủ": "năm" before the year of the document's own date
    # names the document too.
    named |= {
        word
        for word, after in zip(syllables, syllables[1:], strict=False)
        if word == "nam" and after in named and after.isdigit()
    }
    return QuestionTerms(
        [t for t in content_terms(question, weights.tokenize) if t not in named],
        [p for p in content_bigrams(question, weights) if not set(p.split("_")) <= named],
    )


def terms_coverage(terms: QuestionTerms, text: str, weights: TermWeights) -> float:
    """Weighted share of the question's words and word pairs that the passage contains."""
    present, flat = passage_terms(weights.tokenize, text)
    unigram = coverage(terms.words, present, weights)
    if not terms.pairs:
        return unigram
    pairs = {p for p in terms.pairs if holds_pair(flat, p)}
    return (unigram + coverage(terms.pairs, pairs, weights)) / 2


@kept_per_passage
def passage_terms(tokenize: Tokenizer, text: str) -> tuple[frozenset[str], str]:
    """A passage's syllables, and the same joined by spaces with a space at each end (to find
    word pairs in): the passages of a document compete for every question about it."""
    syllables = tokenize(text)
    return frozenset(syllables), f" {' '.join(syllables)} "


def joined_terms(tokenize: Tokenizer, texts: str | Sequence[str]) -> tuple[frozenset[str], str]:
    """`passage_terms` of a text, or of several joined by newlines, made of each one's own
    (kept) terms: the join, a new text often too long to keep, would be read syllable by
    syllable each time."""
    if isinstance(texts, str):
        return passage_terms(tokenize, texts)
    parts = [passage_terms(tokenize, text) for text in texts]
    words = " ".join(stripped for _, flat in parts if (stripped := flat.strip()))
    return frozenset().union(*(present for present, _ in parts)), f" {words} "


def holds_pair(flat: str, pair: str) -> bool:
    """Whether a passage (`passage_terms`' joined syllables) holds the pair "a_b": looked up
    as "a b" rather than every pair of the passage made (syllables never hold "_" or a
    space)."""
    return f" {pair.replace('_', ' ')} " in flat


def passage_coverage(question: str, text: str, weights: TermWeights, known: str = "") -> float:
    return terms_coverage(question_terms(question, weights, known), text, weights)
