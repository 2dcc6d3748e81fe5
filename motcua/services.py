"""Operations shared by the CLI and the HTTP service (the CLI mirrors these functions)."""

from __future__ import annotations

from pathlib import Path

from motcua.index.embedders import get_embedder
from motcua.index.store import IndexStore
from motcua.ingest.cards import builtin_documents
from motcua.ingest.pipeline import IngestReport, ingest_documents, read_paths
from motcua.settings import Settings


def ingest_into_index(
    paths: list[Path], settings: Settings, builtin: bool = False, progress_bar: bool = False
) -> IngestReport:
    """Ingest files (and optionally the built-in procedure cards) into the settings' index."""
    embedder = get_embedder(settings.embedder)
    store = IndexStore.open(settings.index_dir, embedder.id, embedder.dim, create=True)
    report = IngestReport()
    documents = read_paths(paths, report)
    if builtin:
        documents.extend(builtin_documents())
    try:
        if progress_bar:
            from tqdm import tqdm

            with tqdm(total=None, unit="đoạn", desc="Nạp tài liệu", leave=False) as bar:
                ingest_documents(documents, store, embedder, report, progress=bar.update)
        else:
            ingest_documents(documents, store, embedder, report)
    finally:
        store.close()
    return report
