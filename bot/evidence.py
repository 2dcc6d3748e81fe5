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
from collections.abc import Callable
from dataclasses import dataclass

from motcua.index.lexical import QUERY_STOPWORDS
from motcua.ingest.restore import dictionary_word_pairs, normalize_tone
from motcua.text import fold, folded_words, words
from motcua.types import Chunk, Hit

# Calibrated with benchmarks/refusal.py on tests/data/calibration.jsonl (questions written for
# calibration, in scope and out of scope) together with the development set: a passage that
# covers most of the question answers it; one that covers less must also be closer in meaning
# (dense cosine), the less it covers. Measured there: 106/108 in-scope rows answered, 40/40
# out-of-scope rows refused; the nearest out-of-scope coverage is 0.72, so margins are thin.
# (minimum coverage, minimum dense similarity), any band suffices:
BANDS: tuple[tuple[float, float], ...] = ((0.75, 0.0), (0.60, 0.87), (0.45, 0.885))


Tokenizer = Callable[[str], list[str]]


def accented_words(text: str) -> list[str]:
    """Lower-case syllables with their marks (one tone placement): "phở" and "phố" differ."""
    return [normalize_tone(w.lower()) for w in words(text)]


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


@dataclass
class Evidence:
    coverage: float
    dense: float
    lexical: float

    @property
    def sufficient(self) -> bool:
        return any(self.coverage >= c and self.dense >= d for c, d in BANDS)


def evidence_weights(chunks: list[Chunk]) -> TermWeights:
    return TermWeights([evidence_text(c) for c in chunks], tokenize=accented_words)


def evidence_text(chunk: Chunk) -> str:
    return f"{chunk.section or ''}\n{chunk.shown}"


def assess(question: str, hits: list[Hit], weights: TermWeights, top: int = 3) -> Evidence:
    """`question` with its diacritics (restored when typed without); `weights` over the
    accented words of the chunks (`evidence_weights`)."""
    if not hits:
        return Evidence(0.0, 0.0, 0.0)
    best = max(passage_coverage(question, evidence_text(h.chunk), weights) for h in hits[:top])
    return Evidence(best, max(h.dense for h in hits[:top]), max(h.lexical for h in hits[:top]))
