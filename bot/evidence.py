"""Is the evidence strong enough to answer? Signals beyond a single score threshold.

Dense cosine scores of in-scope and out-of-scope questions overlap, so the decision rests on
how much of the question's content the best passages cover, weighted by rarity: single
syllables ("thủ tục", "giấy tờ" are common everywhere) and, more telling in Vietnamese,
two-syllable words ("khai sinh", "hộ chiếu", "thời tiết") that name the topic. Words absent
from the whole knowledge base weigh the most.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from motcua.index.lexical import QUERY_STOPWORDS
from motcua.text import folded_words
from motcua.types import Hit

# Calibrated with benchmarks/refusal.py on tests/data/calibration.jsonl (questions written for
# calibration, in scope and out of scope) together with the development set.
MIN_COVERAGE = 0.47


def _bigrams(words: list[str]) -> list[str]:
    return [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


class TermWeights:
    """Inverse document frequency of folded syllables and syllable pairs over the chunks."""

    def __init__(self, texts: list[str]) -> None:
        df: Counter[str] = Counter()
        for text in texts:
            words = folded_words(text)
            df.update(set(words))
            df.update(set(_bigrams(words)))
        self.n = max(len(texts), 1)
        self._df = df

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self._df.get(term, 0) + 1)) + 1.0


def _is_content(term: str) -> bool:
    return term not in QUERY_STOPWORDS and (not term.isdigit() or len(term) > 2)


def content_terms(question: str) -> list[str]:
    return list(dict.fromkeys(t for t in folded_words(question) if _is_content(t)))


def content_bigrams(question: str) -> list[str]:
    words = folded_words(question)
    pairs = zip(words, words[1:], strict=False)
    return list(dict.fromkeys(f"{a}_{b}" for a, b in pairs if _is_content(a) and _is_content(b)))


def coverage(terms: list[str], present: set[str], weights: TermWeights) -> float:
    total = sum(weights.idf(t) for t in terms)
    if not total:
        return 0.0
    return sum(weights.idf(t) for t in terms if t in present) / total


def passage_coverage(question: str, text: str, weights: TermWeights) -> float:
    """Weighted share of the question's words and word pairs that the passage contains."""
    words = folded_words(text)
    present = set(words) | set(_bigrams(words))
    unigram = coverage(content_terms(question), present, weights)
    pairs = content_bigrams(question)
    if not pairs:
        return unigram
    return (unigram + coverage(pairs, present, weights)) / 2


@dataclass
class Evidence:
    coverage: float
    dense: float
    lexical: float

    @property
    def sufficient(self) -> bool:
        return self.coverage >= MIN_COVERAGE


def assess(question: str, hits: list[Hit], weights: TermWeights, top: int = 3) -> Evidence:
    if not hits:
        return Evidence(0.0, 0.0, 0.0)
    best = max(
        passage_coverage(
            question, f"{h.chunk.section or ''}\n{h.chunk.text}\n{h.chunk.readable or ''}", weights
        )
        for h in hits[:top]
    )
    return Evidence(best, max(h.dense for h in hits[:top]), max(h.lexical for h in hits[:top]))
