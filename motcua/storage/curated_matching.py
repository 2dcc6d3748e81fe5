"""Matching a question against the curated questions: the same folded text, or an embedding
close enough whose subject words agree.

Matching runs on every question on every worker, so the curated questions and their
embeddings are kept in memory and reloaded only when the caller's stamp of the table changes
(another worker's change shows on the next question); each question is embedded once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

import numpy as np

from motcua.question_match import QuestionKey, conflict, overlap, question_key

# Share of subject syllables two questions must have in common (Dice): below it, embeddings
# of short template-like questions ("X là gì?") are too alike to be trusted.
MIN_OVERLAP = 0.55

Item = TypeVar("Item")


class QueryEmbedder(Protocol):
    """What matching needs of an embedder (any of index/embedders): storage sits below the
    index and names only this."""

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class _Cache(Generic[Item]):
    stamp: Hashable | None = None
    entries: list[tuple[Item, QuestionKey]] = field(default_factory=list)
    matrix: np.ndarray | None = None  # one row per entry, when there is an embedder
    vectors: dict[Hashable, np.ndarray] = field(default_factory=dict)  # by item id


class QuestionMatcher(Generic[Item]):
    """`match` gives (item, score, how): score 1.0 and "exact" for the same folded text, else
    the embeddings' cosine and "similar". `embedder` None matches only the same text."""

    def __init__(
        self,
        embedder: QueryEmbedder | None,
        min_similarity: float,
        identity: Callable[[Item], Hashable],
        question: Callable[[Item], str],
    ) -> None:
        self.embedder = embedder
        self.min_similarity = min_similarity
        self._id = identity
        self._question = question
        self._cache: _Cache[Item] = _Cache()
        self._lock = threading.Lock()

    def match(
        self, text: str, stamp: Hashable, load: Callable[[], list[Item]]
    ) -> tuple[Item, float, str] | None:
        """`load` gives the items to match when `stamp` differs from the cached one."""
        cache = self._fresh(stamp, load)
        if not cache.entries or not text.strip():
            return None
        key = question_key(text)
        for item, item_key in cache.entries:
            if item_key.text == key.text:
                return item, 1.0, "exact"
        if cache.matrix is None or self.embedder is None:
            return None
        vector = self.embedder.embed_queries([key.text])[0]
        scores = cache.matrix @ vector
        for i in np.argsort(-scores):
            score = float(scores[i])
            if score < self.min_similarity:
                break
            item, item_key = cache.entries[i]
            if conflict(key, item_key) is None and overlap(key, item_key) >= MIN_OVERLAP:
                return item, score, "similar"
        return None

    def _fresh(self, stamp: Hashable, load: Callable[[], list[Item]]) -> _Cache[Item]:
        with self._lock:
            if stamp == self._cache.stamp:
                return self._cache
            items = load()
            entries = [(item, question_key(self._question(item))) for item in items]
            ids = {self._id(item) for item in items}
            vectors = {i: v for i, v in self._cache.vectors.items() if i in ids}
            matrix = None
            if self.embedder is not None and entries:
                missing = [
                    (self._id(item), k.text) for item, k in entries if self._id(item) not in vectors
                ]
                if missing:
                    embedded = self.embedder.embed_queries([text for _, text in missing])
                    vectors.update({i: embedded[n] for n, (i, _) in enumerate(missing)})
                matrix = np.stack([vectors[self._id(item)] for item, _ in entries])
            self._cache = _Cache(stamp=stamp, entries=entries, matrix=matrix, vectors=vectors)
            return self._cache
