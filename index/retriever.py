"""Hybrid retrieval: BM25 on folded syllables fused with dense e5 similarity.

Candidates come from the top of both rankings; their scores are normalised per question and
combined with a weight that favours the lexical side, which is the stronger single method on
OCR'd Vietnamese (measured in benchmarks/retrieval.py).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache

import numpy as np
from threadpoolctl import ThreadpoolController

from motcua.index.embedders import Embedder
from motcua.index.filters import DocumentFilter
from motcua.index.lexical import LexicalIndex, lexical_text
from motcua.index.query import PreparedQuery, Restorer, prepare
from motcua.index.search_files import SearchFiles
from motcua.index.store import IndexStore, StoredDocument
from motcua.types import Chunk, Hit

LEXICAL_WEIGHT = 0.7


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


class QueryCache:
    """The latest query embeddings by text (a question asked again, a follow-up rewritten the
    same way, a batch embedded ahead); threads share it."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str) -> np.ndarray | None:
        with self._lock:
            vector = self._items.get(text)
            if vector is not None:
                self._items.move_to_end(text)
            return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        with self._lock:
            self._items[text] = vector
            self._items.move_to_end(text)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class RetrievalWeights:
    lexical: float = LEXICAL_WEIGHT
    pool: int = 40


class HybridRetriever:
    def __init__(
        self,
        chunks: list[Chunk],
        documents: dict[str, StoredDocument],
        vectors: np.ndarray,
        embedder: Embedder,
        restorer: Restorer | None = None,
        weights: RetrievalWeights | None = None,
        lexical: LexicalIndex | None = None,
    ) -> None:
        """`vectors` row i and `lexical`'s passage i are `chunks[i]`'s; without `lexical`, it
        is built from the chunks."""
        self.chunks = chunks
        self.documents = documents
        self.embedder = embedder
        self.restorer = restorer
        self.weights = weights or RetrievalWeights()
        self._vectors = vectors
        self._query_cache = QueryCache()
        self.index_version = 0  # the store's version counter, when loaded from one
        if lexical is None:
            lexical = LexicalIndex.build(lexical_text(documents[c.doc_id].meta, c) for c in chunks)
        self.lexical = lexical

    @classmethod
    def from_store(
        cls,
        store: IndexStore,
        embedder: Embedder,
        restorer: Restorer | None = None,
        search: SearchFiles | None = None,
    ) -> HybridRetriever:
        """With the store's search files (`index.search_files`), vectors and lexical index
        are mapped from them; without, copied out of FAISS and built here."""
        chunks = store.chunks()
        documents = {d.doc_id: d for d in store.documents()}
        if search is not None:
            retriever = cls(
                chunks, documents, search.vectors, embedder, restorer, lexical=search.lexical
            )
        else:
            store.check()
            ids = np.asarray([c.chunk_id for c in chunks], dtype=np.int64)
            # One array, not a list of 100k single rows stacked into a second copy.
            vectors = (
                store.vectors.reconstruct_batch(ids)
                if len(ids)
                else np.zeros((0, embedder.dim), dtype=np.float32)
            )
            retriever = cls(chunks, documents, vectors, embedder, restorer)
        retriever.index_version = store.version
        return retriever

    def lexical_scores(self, query: PreparedQuery) -> np.ndarray:
        return self.lexical.scores(query.text)

    def query_vectors(self, texts: list[str]) -> np.ndarray:
        """Query embeddings, from the cache where a text was embedded before; the rest in
        one batch (one pass of the embedder's threads instead of one per question)."""
        missing = list(dict.fromkeys(t for t in texts if self._query_cache.get(t) is None))
        if missing:
            for text, vector in zip(missing, self.embedder.embed_queries(missing), strict=True):
                self._query_cache.put(text, vector)
        return np.vstack([self._query_cache.get(t) for t in texts])

    def warm(self, questions: list[str], batch: int = 64) -> None:
        """Embed many questions ahead of asking them (calibration, benchmarks)."""
        texts = [self.prepare(q).dense_text for q in questions]
        for start in range(0, len(texts), batch):
            self.query_vectors(texts[start : start + batch])

    def dense_scores(self, query: PreparedQuery) -> np.ndarray:
        if not self.chunks:
            return np.zeros(0, dtype=np.float32)
        q = self.query_vectors([query.dense_text])[0]
        # One BLAS thread: the product is memory-bound, and right after the embedder its
        # OpenMP threads still spin on the cores, so a second BLAS thread waits on them
        # (measured at 10k chunks on 2 cores: p95 of a search 115 ms with two, 16 ms with one).
        with _blas().limit(limits=1, user_api="blas"):
            return self._vectors @ q

    def prepare(self, question: str) -> PreparedQuery:
        return prepare(question, self.restorer)

    def search(
        self, question: str, k: int = 5, doc_filter: DocumentFilter | None = None
    ) -> list[Hit]:
        return self.search_prepared(self.prepare(question), k, doc_filter)

    def search_prepared(
        self, query: PreparedQuery, k: int = 5, doc_filter: DocumentFilter | None = None
    ) -> list[Hit]:
        """The best k chunks; with a filter, only chunks of the documents it lets through
        compete (and are normalised among themselves)."""
        return self.retrieve(query, k, doc_filter).hits

    def retrieve(
        self, query: PreparedQuery, k: int = 5, doc_filter: DocumentFilter | None = None
    ) -> Retrieval:
        """The best k chunks, and every searched chunk's lexical and dense score (how a
        question's best passage stands out from the rest says whether it is in scope)."""
        if not self.chunks:
            return Retrieval([], [], np.zeros(0), np.zeros(0))
        lexical = self.lexical_scores(query)
        dense = self.dense_scores(query)
        chunks = self.chunks
        if doc_filter is not None and doc_filter.active:
            allowed = doc_filter.allowed(self.documents.values())
            keep = np.flatnonzero([c.doc_id in allowed for c in self.chunks])
            if not len(keep):
                return Retrieval([], [], np.zeros(0), np.zeros(0))
            chunks = [self.chunks[int(i)] for i in keep]
            lexical, dense = lexical[keep], dense[keep]
        return Retrieval(fuse(chunks, lexical, dense, self.weights, k), chunks, lexical, dense)


@dataclass
class Retrieval:
    hits: list[Hit]  # the best chunks, fused
    chunks: list[Chunk]  # every chunk searched, in the order of the score arrays
    lexical: np.ndarray
    dense: np.ndarray


def fuse(
    chunks: list[Chunk],
    lexical: np.ndarray,
    dense: np.ndarray,
    weights: RetrievalWeights,
    k: int,
) -> list[Hit]:
    pool = weights.pool
    candidates = np.union1d(np.argsort(-lexical)[:pool], np.argsort(-dense)[:pool])
    lex = lexical[candidates]
    den = dense[candidates]
    lex_norm = lex / lex.max() if lex.max() > 0 else np.zeros_like(lex)
    spread = den.max() - den.min()
    den_norm = (den - den.min()) / spread if spread > 0 else np.zeros_like(den)
    fused = weights.lexical * lex_norm + (1 - weights.lexical) * den_norm
    order = np.argsort(-fused)[:k]
    return [
        Hit(chunks[int(candidates[i])], float(fused[i]), float(lex[i]), float(den[i]))
        for i in order
    ]
