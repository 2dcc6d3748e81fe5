"""Extractive answers: the sentences of the best passages that answer the question.

No language model: sentences are ranked by how much of the question's content they cover
(rare words weigh more), and quoted with their source so a parent can act on them and staff
can check them.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.bot.evidence import TermWeights, content_terms, coverage
from motcua.ingest.cleaning import sentences
from motcua.text import folded_words
from motcua.types import Hit

MAX_SENTENCES = 3
MAX_QUOTE_CHARS = 700


@dataclass
class Extract:
    hit: Hit
    sentences: list[str]
    score: float

    @property
    def quote(self) -> str:
        return " ".join(self.sentences)


def _units(text: str) -> list[str]:
    units: list[str] = []
    for line in text.split("\n"):
        units.extend(sentences(line))
    return units


def extract(
    question: str,
    hit: Hit,
    weights: TermWeights,
    known: str = "",
    limit: int = MAX_SENTENCES,
) -> Extract:
    """Best sentences of one passage, in document order.

    `known` is what the reader already knows of the source (its title, number, section): words
    of the question found there pick the document, not the sentence that answers, so they do
    not count when sentences are ranked.
    """
    terms = content_terms(question)
    known_terms = set(folded_words(known))
    focus = [t for t in terms if t not in known_terms] or terms
    terms = focus
    units = _units(hit.chunk.shown)
    if not units:
        return Extract(hit, [], 0.0)
    scored = [
        (coverage(terms, set(folded_words(unit)), weights), i) for i, unit in enumerate(units)
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    best_score = scored[0][0]
    chosen: list[int] = []
    length = 0
    for score, i in scored:
        if len(chosen) >= limit or (chosen and score < best_score * 0.5) or score == 0 and chosen:
            break
        if chosen and length + len(units[i]) > MAX_QUOTE_CHARS:
            continue
        chosen.append(i)
        length += len(units[i])
        # A heading alone answers nothing: take the sentence that follows it too.
        if len(units[i]) < 60 and i + 1 < len(units) and i + 1 not in chosen:
            chosen.append(i + 1)
            length += len(units[i + 1])
    chosen.sort()
    return Extract(hit, [units[i] for i in chosen], best_score)
