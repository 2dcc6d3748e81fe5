"""Operations shared by the CLI, the HTTP service and the job worker (the CLI mirrors these).

Every ingest builds a new index version beside the current one and publishes it in one step,
so questions asked meanwhile are answered from the old version, never from a half-built one.
"""

from __future__ import annotations

import fcntl
import gzip
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from motcua.index import versions as artifacts
from motcua.index.build import (
    REGISTRY_FILE,
    IngestProgress,
    IngestReport,
    ProgressFn,
    ingest_documents,
    read_paths,
)
from motcua.index.catalogue import CATALOGUE_FILE
from motcua.index.embedders import get_embedder
from motcua.index.store import MANIFEST, IndexStore
from motcua.ingest.cards import builtin_documents
from motcua.ingest.text_layer import RESTORER_FILE, SHOWN_FILE
from motcua.settings import Settings
from motcua.storage.database import Database
from motcua.storage.version_leases import DELETED, FAILED, IndexVersion, IndexVersions
from motcua.types import Document

log = logging.getLogger(__name__)
_BUILD_LOCK = 7_401_113  # PostgreSQL advisory lock id: one index build at a time, any host


@dataclass
class BuildResult:
    report: IngestReport
    version: IndexVersion | None  # the current version after the build
    # Documents replaced (their new content hash) or removed (None): curated answers citing
    # them go back to review.
    changed: dict[str, str | None] = field(default_factory=dict)


@contextmanager
def _build_lock(database: Database, index_dir: Path) -> Iterator[None]:
    """Two builds would both start from the same version and one would lose the other's work."""
    if database.is_sqlite:
        index_dir.mkdir(parents=True, exist_ok=True)
        with open(index_dir / ".build.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        return
    with database.engine.connect() as connection:
        connection.execute(text(f"SELECT pg_advisory_lock({_BUILD_LOCK})"))
        try:
            yield
        finally:
            connection.execute(text(f"SELECT pg_advisory_unlock({_BUILD_LOCK})"))
            connection.commit()


def _base(index_dir: Path, current: IndexVersion | None) -> Path | None:
    if current is not None:
        return current.directory
    try:
        found = artifacts.resolve(index_dir)
    except artifacts.NoIndex:
        return None
    return found if (found / MANIFEST).exists() else None


DERIVED_FILES = (REGISTRY_FILE, CATALOGUE_FILE, RESTORER_FILE, SHOWN_FILE)


def _same_derived(new: Path, current: Path) -> bool:
    """Whether a build derived the same restorer, registry and catalogue as the version being
    served (gzip files compared by content: their headers carry the time written)."""

    def content(path: Path) -> bytes | None:
        if not path.exists():
            return None
        data = path.read_bytes()
        return gzip.decompress(data) if path.suffix == ".gz" else data

    return all(content(new / name) == content(current / name) for name in DERIVED_FILES)


def build_version(
    settings: Settings,
    documents: list[Document] | tuple[Document, ...] = (),
    delete: Iterable[str] = (),
    database: Database | None = None,
    job_id: str | None = None,
    progress: IngestProgress | ProgressFn | None = None,
    report: IngestReport | None = None,
) -> BuildResult:
    """Copy the current version, add/replace `documents`, drop `delete`, publish the result."""
    owned = database is None
    database = database or Database.open(settings)
    index_dir = Path(settings.index_dir)
    report = report or IngestReport()
    embedder = get_embedder(settings.embedder)
    try:
        with _build_lock(database, index_dir):
            versions = IndexVersions(database, index_dir)
            current = versions.current()
            target, name = artifacts.new_version(index_dir, _base(index_dir, current))
            version_id = versions.begin(name, job_id)
            try:
                store = IndexStore.open(target, embedder.id, embedder.dim, create=True)
                try:
                    before = {d.doc_id: d.content_hash for d in store.documents()}
                    removed = [doc_id for doc_id in delete if store.delete_document(doc_id)]
                    # Saves what changed (deletions too) and writes the search files.
                    ingest_documents(documents, store, embedder, report, progress=progress)
                    store.check()
                    counts = (len(store.document_metas()), store.chunk_count())
                finally:
                    store.close()
            except BaseException:
                versions.set_state(version_id, FAILED)
                artifacts.remove(index_dir, name)
                raise
            hashes = {d.doc_id: d.content_hash for d in documents}
            changed: dict[str, str | None] = dict.fromkeys(removed)
            changed.update({d: hashes[d] for d in report.added if d in before})
            if (
                current is not None
                and not report.added
                and not removed
                and _same_derived(target, current.directory)
            ):
                # Nothing new: keep serving the current version, drop the copy. What is
                # worked out from the documents (restorer, registry, catalogue) is rebuilt on
                # every run, so an upgrade that reads them better is published all the same.
                versions.set_state(version_id, DELETED)
                artifacts.remove(index_dir, name)
                return BuildResult(report, current, {})
            versions.publish(version_id, *counts)
            artifacts.point_to(index_dir, name)
            clean_versions(settings, database)
            return BuildResult(report, versions.get(version_id), changed)
    finally:
        if owned:
            database.close()


def clean_versions(settings: Settings, database: Database) -> list[int]:
    """Delete old version folders that no live worker holds; keeps the newest few."""
    versions = IndexVersions(database, settings.index_dir)
    removed = []
    for version in versions.removable(settings.index_lease_seconds, settings.index_keep_versions):
        artifacts.remove(settings.index_dir, version.path)
        versions.set_state(version.id, DELETED)
        removed.append(version.id)
    if removed:
        log.info("removed index versions %s", removed)
    return removed


def ingest_into_index(
    paths: list[Path],
    settings: Settings,
    builtin: bool = False,
    progress: IngestProgress | None = None,
) -> IngestReport:
    """Ingest files (and optionally the built-in procedure cards) as a new index version."""
    report = IngestReport()
    documents = read_paths(paths, report)
    if builtin:
        documents.extend(builtin_documents())
    build_version(settings, documents, progress=progress, report=report)
    return report
