"""Marking a question's words in a passage, compared folded ("chuyen truong" marks
"chuyển trường", and OCR text that lost its marks too).

Function words ("bạn", "cho", "là") alone would mark half a passage, so they are marked only
as part of a pair the question also has ("bản sao" in "xin ban sao").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from motcua.index.lexical import QUERY_STOPWORDS
from motcua.text import fold, folded_words

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Terms:
    words: frozenset[str]  # folded content words of the question
    pairs: frozenset[tuple[str, str]]  # folded consecutive word pairs of the question

    @property
    def listed(self) -> list[str]:
        return sorted(self.words)


@dataclass(frozen=True)
class Segment:
    text: str
    mark: bool


def question_terms(question: str) -> Terms:
    folded = folded_words(question)
    return Terms(
        words=frozenset(w for w in folded if w not in QUERY_STOPWORDS),
        pairs=frozenset(zip(folded, folded[1:], strict=False)),
    )


def highlight(text: str, terms: Terms) -> list[Segment]:
    """`text` cut into marked and unmarked runs; joining the runs gives `text` back."""
    matches = list(_WORD.finditer(text))
    keys = [fold(m.group()) for m in matches]
    marked = [False] * len(matches)
    for i, key in enumerate(keys):
        if key in terms.words:
            marked[i] = True
        if i and (keys[i - 1], key) in terms.pairs:
            marked[i - 1] = marked[i] = True
    segments: list[Segment] = []
    cursor = 0
    for match, mark in zip(matches, marked, strict=True):
        if not mark:
            continue
        start, end = match.span()
        if segments and segments[-1].mark and not text[cursor:start].strip():
            # Neighbouring marked words are one run: "<mark>chuyển trường</mark>".
            segments[-1] = Segment(segments[-1].text + text[cursor:end], True)
        else:
            if start > cursor:
                segments.append(Segment(text[cursor:start], False))
            segments.append(Segment(text[start:end], True))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:], False))
    return segments
