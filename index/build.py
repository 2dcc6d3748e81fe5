"""Ingest: files in, documents with metadata and structured chunks out, into an index store.

Re-ingesting a changed file replaces its chunks; an unchanged file (same content hash) is
skipped; a file that cannot be read is reported by name and the rest still lands. Last, the
search files that workers map (`index.search_files`) are written for what the store holds.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from motcua.index.catalogue import Catalogue, JsonCatalogueStore
from motcua.index.embedders import Embedder
from motcua.index.search_files import search_files_current, write_search_files
from motcua.index.store import ChunkRow, IndexStore
from motcua.ingest.cards import builtin_card
from motcua.ingest.catalogue import catalogue_records, link_cards
from motcua.ingest.chunking import MAX_CHARS, chunk_text, contextual_text
from motcua.ingest.loaders import LoaderError, iter_files, load_text
from motcua.ingest.metadata import extract_metadata
from motcua.ingest.registry import DecreeRegistry
from motcua.ingest.signature_block import split_signature_block
from motcua.ingest.text_layer import TextLayer, is_ocr_text
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


def read_document(path: Path, loader: Callable[[Path], str] = load_text) -> Document:
    """`loader` reads the file's text (uploads are read in a limited child process)."""
    text = loader(path)
    return Document(
        doc_id=path.stem,
        text=text,
        source_path=str(path),
        meta=extract_metadata(text),
        content_hash=content_hash(text),
    )


FACTS_SECTION = "Thông tin văn bản"
SIGNATURE_SECTION = "Nơi nhận, chữ ký"
REGISTRY_FILE = "registry.json"


def build_registry(store: IndexStore, layer: TextLayer | None = None) -> DecreeRegistry:
    """The legal documents cited by, or held in, every document of the index. A procedure
    card is a document too: the texts its legal basis names are in the registry, cited by it.
    With the index's text `layer`, what scans say of a text is repaired as their passages are."""
    registry = DecreeRegistry()
    reader = layer.views if layer is not None else None
    for document in store.documents():
        registry.add_document(document.doc_id, document.text, document.meta, reader)
    return registry


def load_registry(index_dir: Path) -> DecreeRegistry:
    path = Path(index_dir) / REGISTRY_FILE
    if not path.exists():
        return DecreeRegistry()
    return DecreeRegistry.from_json(path.read_text(encoding="utf-8"))


def build_catalogue(store: IndexStore, previous: Catalogue | None = None) -> Catalogue:
    """The procedures the index's documents publish, linked to the indexed cards of the same
    procedures. Read from the signature-free body, as chunking reads it, so each record's
    section is its row's passage's; names read for `previous` are not read again."""
    records = []
    cards = []
    for document in store.documents():
        if document.kind == "card":
            if (card := builtin_card(document.doc_id)) is not None:
                cards.append((card.id, card.ten, card.ma_thu_tuc))
            continue
        body, _tail = split_signature_block(document.text)
        records += catalogue_records(document.doc_id, body, document.meta)
    link_cards(records, cards)
    return Catalogue(records, previous.name_terms() if previous is not None else None)


def load_catalogue(index_dir: Path) -> Catalogue:
    return JsonCatalogueStore(index_dir).load()


def document_chunks(document: Document) -> list[tuple[str, str | None]]:
    """(text, section) pairs of the answerable body; signature blocks stay out of it, and
    their facts (number, date, issuer, signer) come first as a passage of their own. The
    recipients and signing title close the list as one more passage: "gửi tới những nơi
    nào", "website của Sở", "người ký giữ chức vụ gì" are answered there."""
    body, tail = split_signature_block(document.text)
    chunks = [(d.text, d.section) for d in chunk_text(body)]
    facts = document.meta.facts()
    closing = signature_passage(tail)
    if closing:
        chunks.append((closing, SIGNATURE_SECTION))
    return [(facts, FACTS_SECTION), *chunks] if facts else chunks


def signature_passage(tail: str) -> str | None:
    """A signature block as plain lines (table pipes and bold markers of web saves dropped),
    cut to one passage's length."""
    lines = [" ".join(re.sub(r"[|*]", " ", line).split()) for line in tail.splitlines()]
    text = "\n".join(line for line in lines if line)
    return text[:MAX_CHARS] or None


ProgressFn = Callable[[int], None]  # told the passages embedded, batch by batch


class IngestProgress:
    """What an ingest says as it goes; each step does nothing here. Embedding is the slow
    part, so what it will embed is known first, then each file as it starts and ends."""

    def planned(self, files: int, chunks: int) -> None:
        """Files (new or changed) and their passages, before any is embedded."""

    def file_started(self, name: str, chunks: int) -> None:
        pass

    def embedded(self, chunks: int) -> None:
        pass

    def file_done(self, name: str, chunks: int, seconds: float) -> None:
        pass


class _Counting(IngestProgress):
    def __init__(self, told: ProgressFn) -> None:
        self.told = told

    def embedded(self, chunks: int) -> None:
        self.told(chunks)


def _as_progress(progress: IngestProgress | ProgressFn | None) -> IngestProgress:
    if progress is None:
        return IngestProgress()
    return progress if isinstance(progress, IngestProgress) else _Counting(progress)


def source_name(document: Document) -> str:
    """The file a document was read from, as a person named it (a card: its id)."""
    return Path(document.source_path).name if document.source_path else document.doc_id


def ingest_documents(
    documents: Iterable[Document],
    store: IndexStore,
    embedder: Embedder,
    report: IngestReport | None = None,
    progress: IngestProgress | ProgressFn | None = None,
) -> IngestReport:
    report = report or IngestReport()
    told = _as_progress(progress)
    started = time.perf_counter()
    changed = []
    for document in documents:
        if store.content_hash(document.doc_id) == document.content_hash:
            report.skipped.append(document.doc_id)
        else:
            changed.append(document)
    # The restorer learns from every document the index will hold, before OCR chunks are
    # repaired for embedding; it, the registry and the catalogue are rebuilt on every run,
    # so improvements to any of them reach an index without re-embedding it.
    replaced = {d.doc_id for d in changed}
    layer = TextLayer.train(
        [d.text for d in store.documents() if d.doc_id not in replaced] + [d.text for d in changed]
    )
    planned = [(document, document_chunks(document)) for document in changed]
    told.planned(len(planned), sum(len(pieces) for _, pieces in planned))
    for document, pieces in planned:
        file_started = time.perf_counter()
        told.file_started(source_name(document), len(pieces))
        ocr = is_ocr_text(document.text)
        chunks = [
            ChunkRow(text, section, *(layer.views(text) if ocr else (None, None)))
            for text, section in pieces
        ]
        vectors = []
        for start in range(0, len(chunks), EMBED_BATCH):
            batch = [
                contextual_text(document.meta, row.section, row.repaired or row.text)
                for row in chunks[start : start + EMBED_BATCH]
            ]
            vectors.append(embedder.embed_passages(batch))
            told.embedded(len(batch))
        matrix = np.vstack(vectors) if vectors else np.zeros((0, embedder.dim), np.float32)
        stored = store.replace_document(document, chunks, matrix)
        report.chunks += stored
        report.added.append(document.doc_id)
        told.file_done(source_name(document), stored, time.perf_counter() - file_started)
    registry = build_registry(store, layer)
    layer.keep(shown_scan_lines(store, registry))
    layer.save(store.root)
    store.write_artifact(REGISTRY_FILE, registry.to_json())
    catalogues = JsonCatalogueStore(store.root)  # the version's copy holds the last one
    catalogues.save(build_catalogue(store, catalogues.load()))
    if store.modified:  # documents embedded here, or deleted before
        store.save()
    if not search_files_current(store):
        write_search_files(store)
    report.seconds += time.perf_counter() - started
    return report


def shown_scan_lines(store: IndexStore, registry: DecreeRegistry) -> list[str]:
    """What answers show of the index's scans beside their passages (which are stored
    repaired): titles, section headings, and the clauses that cite a legal text, quoted by
    the registry's answers."""
    scans = {d.doc_id: d.meta.title for d in store.documents() if is_ocr_text(d.text)}
    titles = {title for title in scans.values() if title}
    sections = {c.section for c in store.iter_chunks() if c.doc_id in scans and c.section}
    clauses = {
        m.passage
        for record in registry.records.values()
        for m in record.cited_by
        if m.doc_id in scans
    }
    return sorted(titles | sections | clauses)


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
