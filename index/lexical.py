"""BM25 over folded Vietnamese syllables plus syllable bigrams.

Folding (no diacritics, đ→d, lower case) makes "chuyen truong" and "chuyển trường" one key and
survives OCR that dropped the marks; bigrams keep multi-syllable words ("thủ tục") together.
"""

from __future__ import annotations

import bm25s
import numpy as np

from motcua.text import folded_words

# Function words that carry no topic, and parents' filler ("con tôi cần…"); query side only.
QUERY_STOPWORDS = frozenset(
    {
        "a",
        "ai",
        "anh",
        "ban",
        "bao",
        "cac",
        "can",
        "chi",
        "cho",
        "co",
        "con",
        "cua",
        "dau",
        "de",
        "do",
        "duoc",
        "em",
        "gi",
        "hay",
        "hoac",
        "khong",
        "kia",
        "la",
        "len",
        "ma",
        "minh",
        "mot",
        "nao",
        "nay",
        "nhe",
        "nhieu",
        "nhu",
        "nhung",
        "oi",
        "ra",
        "sao",
        "tai",
        "the",
        "theo",
        "thi",
        "toi",
        "trong",
        "va",
        "vay",
        "ve",
        "voi",
    }
)


def tokens(text: str) -> list[str]:
    syllables = folded_words(text)
    return syllables + [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]


def query_tokens(text: str) -> list[str]:
    syllables = folded_words(text)
    bigrams = [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]
    return [s for s in syllables if s not in QUERY_STOPWORDS] + bigrams


class LexicalIndex:
    def __init__(self, texts: list[str]) -> None:
        self._bm25 = bm25s.BM25()
        self.size = len(texts)
        if texts:
            self._bm25.index([tokens(t) for t in texts], show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        found = query_tokens(query)
        if self.size == 0 or not found:  # "???", an emoji: no word matches any passage
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(found), dtype=np.float32)
