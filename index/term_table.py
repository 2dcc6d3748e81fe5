"""Terms with a number each (a column id, a document frequency) in flat arrays.

A Python dict of a large index's terms costs over 100 bytes an entry (the key's str object,
the int, the hash slot) in every worker, and at 100k passages there are millions of syllable
pairs; these arrays cost about 30 bytes an entry and, saved as `.npy`, are memory-mapped
read-only, so the workers on one host share one copy through the page cache.

Terms are ordered by a 64-bit hash of their UTF-8 bytes: a lookup is one binary search over
the hashes, and the term's bytes are compared so that two terms sharing a hash stay apart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np

MISSING = -1

_PARTS = ("keys", "offsets", "terms", "values")


def _key(encoded: bytes) -> int:
    # Python's own str hash changes from process to process; this one is stable on disk.
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "little")


class TermTable:
    """A read-only mapping of terms to integers from 0 to 2**31 - 1."""

    def __init__(
        self, keys: np.ndarray, offsets: np.ndarray, terms: np.ndarray, values: np.ndarray
    ) -> None:
        self._keys = keys  # uint64, sorted
        self._offsets = offsets  # int64, len + 1: term i is terms[offsets[i]:offsets[i + 1]]
        self._terms = terms  # uint8, the terms' UTF-8 bytes, in key order
        self._values = values  # int32
        # The same few words are looked up again and again while a question is weighed.
        self._cached = lru_cache(maxsize=1 << 16)(self._lookup)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, int]) -> TermTable:
        encoded = [term.encode("utf-8") for term in mapping]
        keys = np.fromiter((_key(e) for e in encoded), dtype=np.uint64, count=len(encoded))
        values = np.fromiter(mapping.values(), dtype=np.int32, count=len(encoded))
        order = np.argsort(keys, kind="stable")
        lengths = np.fromiter((len(encoded[i]) for i in order), dtype=np.int64, count=len(order))
        offsets = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        terms = np.frombuffer(b"".join(encoded[i] for i in order), dtype=np.uint8)
        return cls(keys[order], offsets, terms, values[order])

    def get(self, term: str, default: int = MISSING) -> int:
        found = self._cached(term)
        return default if found == MISSING else found

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._cached(term) != MISSING

    def __len__(self) -> int:
        return len(self._keys)

    def items(self) -> Iterator[tuple[str, int]]:
        for i in range(len(self)):
            yield self._term(i).decode("utf-8"), int(self._values[i])

    def _term(self, i: int) -> bytes:
        return self._terms[self._offsets[i] : self._offsets[i + 1]].tobytes()

    def _lookup(self, term: str) -> int:
        encoded = term.encode("utf-8")
        key = np.uint64(_key(encoded))
        at = int(np.searchsorted(self._keys, key))
        while at < len(self._keys) and self._keys[at] == key:
            if self._term(at) == encoded:
                return int(self._values[at])
            at += 1
        return MISSING

    # -- files ---------------------------------------------------------------------------
    def save(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays = (self._keys, self._offsets, self._terms, self._values)
        for part, array in zip(_PARTS, arrays, strict=True):
            np.save(folder / f"{name}.{part}.npy", np.ascontiguousarray(array))

    @classmethod
    def load(cls, folder: Path, name: str, mmap: bool = True) -> TermTable:
        mode = "r" if mmap else None
        keys, offsets, terms, values = (
            np.load(folder / f"{name}.{part}.npy", mmap_mode=mode) for part in _PARTS
        )
        return cls(keys, offsets, terms, values)
