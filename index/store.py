"""The index on disk: a manifest, a SQLite file for documents and chunks, a FAISS file.

Layout of an index directory:
  manifest.json   format, the embedder that built the vectors, a version counter
  chunks.sqlite   documents (content hash, metadata) and their chunks (text, section)
  vectors.faiss   one vector per chunk, keyed by chunk id, written with FAISS's own writer
  search/         what workers memory-map, derived from the above (`index.search_files`)

Nothing is pickled. Vectors of two different embedders are never mixed: opening an index with
another embedder raises `EmbedderMismatch`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import faiss
import numpy as np

from motcua.types import Chunk, Document, DocumentMeta

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "chunks.sqlite"
VECTORS = "vectors.faiss"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    meta_json TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section TEXT,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
"""

# Schema changes after the first release, applied in order on open (PRAGMA user_version).
MIGRATIONS: tuple[str, ...] = (
    "ALTER TABLE chunks ADD COLUMN readable TEXT",  # 1: repaired text of OCR chunks
    # 2: the repair's best reading of every syllable of an OCR chunk, sure or not: what search
    # matches, while `readable` (what is shown) keeps the unsure syllables as scanned
    "ALTER TABLE chunks ADD COLUMN repaired TEXT",
)


class ChunkRow(NamedTuple):
    text: str
    section: str | None
    readable: str | None = None  # repaired text of an OCR chunk, as shown
    repaired: str | None = None  # its best reading, unsure syllables included: for search


class EmbedderMismatch(RuntimeError):
    pass


class IndexNotFound(FileNotFoundError):
    pass


@dataclass
class StoredDocument:
    doc_id: str
    source_path: str
    content_hash: str
    kind: str
    meta: DocumentMeta
    text: str


class IndexStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._db: sqlite3.Connection | None = None
        self._vectors: faiss.IndexIDMap2 | None = None
        self.manifest: dict = {}
        self.modified = False  # documents replaced or deleted since the last save

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        root: Path,
        embedder_id: str | None = None,
        dim: int | None = None,
        create: bool = False,
    ) -> IndexStore:
        """Open an index; with `create`, make an empty one for this embedder if missing."""
        store = cls(root)
        manifest_path = store.root / MANIFEST
        if manifest_path.exists():
            store.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            built_with = store.manifest.get("embedder")
            if embedder_id is not None and built_with != embedder_id:
                raise EmbedderMismatch(
                    f"index {store.root} was built with embedder {built_with!r}, not "
                    f"{embedder_id!r}: re-ingest into a new --index-dir"
                )
        elif create:
            if embedder_id is None or dim is None:
                raise ValueError("creating an index needs the embedder id and dimension")
            store.root.mkdir(parents=True, exist_ok=True)
            store.manifest = {
                "format": FORMAT_VERSION,
                "embedder": embedder_id,
                "dim": dim,
                "version": 0,
                "updated_at": time.time(),
            }
            store._write_manifest()
        else:
            raise IndexNotFound(f"no index at {store.root}: run `motcua ingest` first")
        store._connect()
        return store

    def _connect(self) -> None:
        self._db = sqlite3.connect(self.root / DATABASE, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.executescript(_SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        applied = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, statement in enumerate(MIGRATIONS[applied:], start=applied + 1):
            with self.db:
                self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self) -> sqlite3.Connection:
        assert self._db is not None, "index store is closed"
        return self._db

    @property
    def embedder_id(self) -> str:
        return str(self.manifest["embedder"])

    @property
    def version(self) -> int:
        return int(self.manifest.get("version", 0))

    # -- reading -------------------------------------------------------------------------
    def content_hash(self, doc_id: str) -> str | None:
        row = self.db.execute(
            "SELECT content_hash FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return row[0] if row else None

    def documents(self) -> list[StoredDocument]:
        rows = self.db.execute(
            "SELECT doc_id, source_path, content_hash, kind, meta_json, text FROM documents "
            "ORDER BY doc_id"
        ).fetchall()
        return [
            StoredDocument(r[0], r[1], r[2], r[3], DocumentMeta(**json.loads(r[4])), r[5])
            for r in rows
        ]

    def document_metas(self) -> dict[str, DocumentMeta]:
        """Each document's metadata, without its text."""
        rows = self.db.execute("SELECT doc_id, meta_json FROM documents").fetchall()
        return {r[0]: DocumentMeta(**json.loads(r[1])) for r in rows}

    def chunks(self) -> list[Chunk]:
        return list(self.iter_chunks())

    def iter_chunks(self) -> Iterator[Chunk]:
        """The chunks in chunk id order, read one at a time (building the search files passes
        over 100k of them several times without holding them)."""
        cursor = self.db.execute(
            "SELECT chunk_id, doc_id, text, section, position, readable, repaired FROM chunks "
            "ORDER BY chunk_id"
        )
        with closing(cursor):
            yield from (Chunk(*r) for r in cursor)

    def chunk_count(self) -> int:
        with closing(self.db.execute("SELECT COUNT(*) FROM chunks")) as cursor:
            return int(cursor.fetchone()[0])

    @property
    def vectors(self) -> faiss.IndexIDMap2:
        """Read on first use: a worker that maps the search files never needs this copy."""
        if self._vectors is None:
            path = self.root / VECTORS
            if path.exists():
                self._vectors = faiss.read_index(str(path))
            else:
                self._vectors = faiss.IndexIDMap2(faiss.IndexFlatIP(int(self.manifest["dim"])))
        return self._vectors

    # -- writing -------------------------------------------------------------------------
    def replace_document(
        self, document: Document, chunks: Iterable[ChunkRow], vectors: np.ndarray
    ) -> int:
        """Store a document with its chunks and vectors, replacing any earlier version."""
        chunk_list = list(chunks)
        if len(chunk_list) != len(vectors):
            raise ValueError("one vector per chunk is required")
        with self.db:
            self._delete_rows(document.doc_id)
            self.db.execute(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    document.doc_id,
                    document.source_path,
                    document.content_hash,
                    document.kind,
                    json.dumps(document.meta.to_dict(), ensure_ascii=False),
                    document.text,
                    time.time(),
                ),
            )
            ids = []
            for position, row in enumerate(chunk_list):
                cursor = self.db.execute(
                    "INSERT INTO chunks (doc_id, position, section, text, readable, repaired) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (document.doc_id, position, row.section, row.text, row.readable, row.repaired),
                )
                ids.append(cursor.lastrowid)
        if ids:
            self.vectors.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
            )
        self.modified = True
        return len(ids)

    def delete_document(self, doc_id: str) -> bool:
        with self.db:
            found = self._delete_rows(doc_id)
        self.modified = self.modified or found
        return found

    def _delete_rows(self, doc_id: str) -> bool:
        old = [
            r[0] for r in self.db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))
        ]
        if old:
            self.vectors.remove_ids(np.asarray(old, dtype=np.int64))
        cursor = self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        return cursor.rowcount > 0

    def save(self) -> None:
        """Write vectors (atomically, via a temporary file) and bump the version."""
        tmp = self.root / (VECTORS + ".tmp")
        faiss.write_index(self.vectors, str(tmp))
        os.replace(tmp, self.root / VECTORS)
        self.manifest["version"] = self.version + 1
        self.manifest["updated_at"] = time.time()
        self._write_manifest()
        self.modified = False

    def write_artifact(self, name: str, text: str) -> None:
        """A file derived from the documents (registry, restorer), replaced atomically."""
        tmp = self.root / (name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.root / name)

    def _write_manifest(self) -> None:
        tmp = self.root / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(self.manifest, indent=2), encoding="utf-8")
        os.replace(tmp, self.root / MANIFEST)

    def check(self) -> None:
        """Fail loudly if vectors and chunks disagree (an interrupted write)."""
        count = self.chunk_count()
        if count != self.vectors.ntotal:
            raise RuntimeError(
                f"index {self.root} is inconsistent: {count} chunks but "
                f"{self.vectors.ntotal} vectors; re-run `motcua ingest`"
            )
