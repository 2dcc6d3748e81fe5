"""Ingest: files in, documents with metadata and structured chunks out, into an index store.

Re-ingesting a changed file replaces its chunks; an unchanged file (same content hash) is
skipped; a file that cannot be read is reported by name and the rest still lands.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from motcua.index.embedders import Embedder
from motcua.index.store import IndexStore
from motcua.ingest.chunking import chunk_text, contextual_text
from motcua.ingest.loaders import LoaderError, iter_files, load_text
from motcua.ingest.metadata import extract_metadata, split_signature_block
from motcua.types import Document

EMBED_BATCH = 16


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unchanged since the last ingest
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    chunks: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{len(self.added)} tài liệu đã nạp, {len(self.skipped)} không đổi, "
            f"{len(self.failed)} lỗi; {self.chunks} đoạn; {self.seconds:.1f} giây "
            f"(documents ingested: {len(self.added)}, unchanged: {len(self.skipped)}, "
            f"failed: {len(self.failed)}, chunks: {self.chunks}, seconds: {self.seconds:.1f})"
        )


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(path: Path) -> Document:
    text = load_text(path)
    return Document(
        doc_id=path.stem,
        text=text,
        source_path=str(path),
        meta=extract_metadata(text),
        content_hash=content_hash(text),
    )


def document_chunks(document: Document) -> list[tuple[str, str | None]]:
    """(text, section) pairs of the answerable body; signature blocks stay out."""
    body, _tail = split_signature_block(document.text)
    return [(d.text, d.section) for d in chunk_text(body)]


ProgressFn = Callable[[int], None]


def ingest_documents(
    documents: Iterable[Document],
    store: IndexStore,
    embedder: Embedder,
    report: IngestReport | None = None,
    progress: ProgressFn | None = None,
) -> IngestReport:
    report = report or IngestReport()
    started = time.perf_counter()
    for document in documents:
        if store.content_hash(document.doc_id) == document.content_hash:
            report.skipped.append(document.doc_id)
            continue
        chunks = document_chunks(document)
        texts = [text for text, _ in chunks]
        vectors = []
        for start in range(0, len(texts), EMBED_BATCH):
            batch = [
                contextual_text(document.meta, section, text)
                for text, section in chunks[start : start + EMBED_BATCH]
            ]
            vectors.append(embedder.embed_passages(batch))
            if progress:
                progress(len(batch))
        matrix = np.vstack(vectors) if vectors else np.zeros((0, embedder.dim), np.float32)
        report.chunks += store.replace_document(document, chunks, matrix)
        report.added.append(document.doc_id)
    if report.added:
        store.save()
    report.seconds += time.perf_counter() - started
    return report


def read_paths(paths: Iterable[Path], report: IngestReport) -> list[Document]:
    documents = []
    seen: dict[str, str] = {}
    for path in iter_files(paths):
        try:
            document = read_document(path)
        except LoaderError as exc:
            report.failed.append((str(path), str(exc)))
            continue
        if document.doc_id in seen and seen[document.doc_id] != str(path):
            report.failed.append(
                (
                    str(path),
                    f"trùng doc_id '{document.doc_id}' với {seen[document.doc_id]} "
                    f"(duplicate doc_id)",
                )
            )
            continue
        seen[document.doc_id] = str(path)
        documents.append(document)
    return documents
