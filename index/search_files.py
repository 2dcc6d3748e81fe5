"""The search files of an index version: what its workers memory-map instead of building.

Layout, inside a version's folder (see `index.store`):
  search/manifest.json   format, and the store version and chunk count they were written from
  search/chunk_ids.npy   the chunks' ids in id order: the rows of the arrays below
  search/vectors.npy     one float32 vector per chunk
  search/lexical/        the BM25 index (`index.lexical`)
  search/terms/          how many passages hold each word (`index.passage_terms`)

They are written once, after the store is saved. Every worker used to build the lexical index
and the word counts from the chunks and copy the vectors out of FAISS, each holding its own
copy (3.4 GB at 100k chunks); mapped read-only with `numpy.load(mmap_mode="r")`, the workers of
one host share these pages through the page cache. A version written before the files existed
(or for another state of its store) loads as before, built in memory, with a warning.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from motcua.index.lexical import FORMAT as LEXICAL_FORMAT
from motcua.index.lexical import LexicalIndex, lexical_text
from motcua.index.passage_terms import VIEWS, PassageTerms
from motcua.index.store import IndexStore

log = logging.getLogger(__name__)

FORMAT = 1
SEARCH = "search"
_MANIFEST = "manifest.json"
_IDS = "chunk_ids.npy"
_VECTORS = "vectors.npy"
_BLOCK = 8192  # vectors copied out of FAISS at a time


@dataclass(frozen=True)
class SearchFiles:
    chunk_ids: np.ndarray
    vectors: np.ndarray  # row i is chunk_ids[i]'s
    lexical: LexicalIndex
    terms: PassageTerms


def _manifest(store: IndexStore) -> dict:
    return {
        "format": FORMAT,
        "lexical_format": LEXICAL_FORMAT,
        "store_version": store.version,
        "chunks": store.chunk_count(),
        "dim": int(store.manifest["dim"]),
    }


def _chunk_ids(store: IndexStore) -> np.ndarray:
    rows = store.db.execute("SELECT chunk_id FROM chunks ORDER BY chunk_id")
    return np.fromiter((r[0] for r in rows), dtype=np.int64)


def _unusable(store: IndexStore) -> str | None:
    """Why the search files cannot serve this store (None: they can)."""
    path = store.root / SEARCH / _MANIFEST
    if not path.is_file():
        return "it has no search files (written before they existed)"
    found = json.loads(path.read_text(encoding="utf-8"))
    expected = _manifest(store)
    differing = [key for key, value in expected.items() if found.get(key) != value]
    if differing:
        return (
            "its search files do not fit it ("
            + ", ".join(f"{key} {found.get(key)} against {expected[key]}" for key in differing)
            + ")"
        )
    return None


def search_files_current(store: IndexStore) -> bool:
    return _unusable(store) is None


def write_search_files(store: IndexStore) -> None:
    """Write the store's search files beside it (built in a staging folder, then swapped in)."""
    store.check()
    staging = store.root / f"{SEARCH}.{uuid.uuid4().hex[:6]}.tmp"
    staging.mkdir()
    try:
        ids = _chunk_ids(store)
        np.save(staging / _IDS, ids)
        _write_vectors(store, ids, staging / _VECTORS)
        metas = store.document_metas()
        built = LexicalIndex.build(lexical_text(metas[c.doc_id], c) for c in store.iter_chunks())
        built.save(staging / "lexical")
        del built  # the next counts need its memory
        for view in VIEWS:
            view.count(store.iter_chunks()).save(staging / "terms", view.name)
        # Last: a folder without its manifest is never read.
        (staging / _MANIFEST).write_text(json.dumps(_manifest(store)), encoding="utf-8")
        _swap(staging, store.root / SEARCH)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_vectors(store: IndexStore, ids: np.ndarray, path: Path) -> None:
    dim = int(store.manifest["dim"])
    if not len(ids):
        np.save(path, np.zeros((0, dim), dtype=np.float32))
        return
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(len(ids), dim))
    for start in range(0, len(ids), _BLOCK):
        block = ids[start : start + _BLOCK]
        out[start : start + len(block)] = store.vectors.reconstruct_batch(block)
    out.flush()
    del out


def _swap(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f"{target.name}.{uuid.uuid4().hex[:6]}.old")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def open_search_files(store: IndexStore) -> SearchFiles | None:
    """The store's search files, memory-mapped; None (and a warning) when it has none that
    fit it, and the caller builds in memory."""
    reason = _unusable(store)
    root = store.root / SEARCH
    if reason is None:
        try:
            ids = np.load(root / _IDS, mmap_mode="r")
            if np.array_equal(ids, _chunk_ids(store)):
                return SearchFiles(
                    np.asarray(ids),
                    np.asarray(np.load(root / _VECTORS, mmap_mode="r")),
                    LexicalIndex.load(root / "lexical"),
                    PassageTerms.load(root / "terms"),
                )
            reason = "its search files list other chunks"
        except (OSError, ValueError, KeyError) as exc:
            reason = f"its search files cannot be read ({exc})"
    log.warning(
        "index %s: %s; each worker builds the lexical index and word counts in memory and "
        "copies the vectors out of FAISS: run `motcua ingest` again to write them once",
        store.root,
        reason,
    )
    return None
