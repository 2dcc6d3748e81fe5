"""Any Hugging Face model through sentence-transformers (optional extra: brings torch).

Models load from a name or a local path with the library's own loading code. Names of the
e5 family get their "query: " / "passage: " prefixes.
"""

from __future__ import annotations

import numpy as np


class SentenceTransformerEmbedder:
    def __init__(self, model_name_or_path: str, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # the extra is not installed
            raise RuntimeError(
                "sentence-transformers is not installed: pip install torch==2.13.0 "
                "'motcua[sentence-transformers]'"
            ) from exc
        self._name = model_name_or_path
        self._model = SentenceTransformer(model_name_or_path, device=device)
        e5 = "e5" in model_name_or_path.lower()
        self._query_prefix = "query: " if e5 else ""
        self._passage_prefix = "passage: " if e5 else ""

    @property
    def id(self) -> str:
        return f"sentence-transformers:{self._name}"

    @property
    def dim(self) -> int:
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        return int(get_dim())

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            [prefix + t for t in texts], normalize_embeddings=True, convert_to_numpy=True
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._query_prefix)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prefix)
