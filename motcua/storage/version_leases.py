"""Which index version is current, and which versions serving workers still hold.

An index version is a read-only folder under `<index_dir>/versions/`. An ingest builds a new one
and publishes it here in one transaction; workers poll `current()` and switch. Each worker keeps
a lease on the version it serves, so cleaning never deletes a folder still being read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from motcua.storage.database import Database
from motcua.storage.schema import index_leases, index_versions

BUILDING, CURRENT, RETIRED, DELETED, FAILED = "building", "current", "retired", "deleted", "failed"


@dataclass(frozen=True)
class IndexVersion:
    id: int
    root: str
    path: str  # relative to the root
    state: str
    documents: int
    chunks: int
    job_id: str | None
    created_at: float
    published_at: float | None

    @property
    def directory(self) -> Path:
        return Path(self.root) / self.path


def root_key(index_dir: Path | str) -> str:
    return str(Path(index_dir).resolve())


class IndexVersions:
    def __init__(self, database: Database, index_dir: Path | str) -> None:
        self.database = database
        self.root = root_key(index_dir)

    def _rows(self, *conditions) -> list[IndexVersion]:  # noqa: ANN002 - SQL expressions
        query = (
            select(index_versions)
            .where(index_versions.c.root == self.root, *conditions)
            .order_by(index_versions.c.id.desc())
        )
        with self.database.read() as connection:
            return [IndexVersion(**row) for row in connection.execute(query).mappings()]

    def current(self) -> IndexVersion | None:
        rows = self._rows(index_versions.c.state == CURRENT)
        return rows[0] if rows else None

    def get(self, version_id: int) -> IndexVersion | None:
        rows = self._rows(index_versions.c.id == version_id)
        return rows[0] if rows else None

    def all(self) -> list[IndexVersion]:
        return self._rows()

    def begin(self, path: str, job_id: str | None = None) -> int:
        with self.database.write() as connection:
            result = connection.execute(
                insert(index_versions).values(
                    root=self.root,
                    path=path,
                    state=BUILDING,
                    documents=0,
                    chunks=0,
                    job_id=job_id,
                    created_at=time.time(),
                )
            )
            return int(result.inserted_primary_key[0])

    def publish(self, version_id: int, documents: int, chunks: int) -> None:
        """Make a built version current; the previous current one is retired (same commit)."""
        with self.database.write() as connection:
            connection.execute(
                update(index_versions)
                .where(index_versions.c.root == self.root, index_versions.c.state == CURRENT)
                .values(state=RETIRED)
            )
            connection.execute(
                update(index_versions)
                .where(index_versions.c.id == version_id)
                .values(state=CURRENT, documents=documents, chunks=chunks, published_at=time.time())
            )

    def set_state(self, version_id: int, state: str) -> None:
        with self.database.write() as connection:
            connection.execute(
                update(index_versions).where(index_versions.c.id == version_id).values(state=state)
            )

    # -- leases ---------------------------------------------------------------------------
    def lease(self, worker_id: str, version_id: int) -> None:
        now = time.time()
        with self.database.write() as connection:
            connection.execute(delete(index_leases).where(index_leases.c.worker_id == worker_id))
            connection.execute(
                insert(index_leases).values(worker_id=worker_id, version_id=version_id, seen_at=now)
            )

    def release(self, worker_id: str) -> None:
        with self.database.write() as connection:
            connection.execute(delete(index_leases).where(index_leases.c.worker_id == worker_id))

    def leased(self, lease_seconds: float) -> set[int]:
        fresh = time.time() - lease_seconds
        with self.database.read() as connection:
            rows = connection.execute(
                select(index_leases.c.version_id).where(index_leases.c.seen_at >= fresh)
            )
            return {int(r[0]) for r in rows}

    def abandon(self, job_id: str) -> list[int]:
        """Versions a dead job was building are failed (their folders get cleaned)."""
        building = self._rows(index_versions.c.state == BUILDING, index_versions.c.job_id == job_id)
        for version in building:
            self.set_state(version.id, FAILED)
        return [v.id for v in building]

    def removable(self, lease_seconds: float, keep: int) -> list[IndexVersion]:
        """Failed versions, and retired ones beyond the newest `keep` (the current one counts),
        that no live worker holds."""
        held = self.leased(lease_seconds)
        failed = self._rows(index_versions.c.state == FAILED)
        retired = self._rows(index_versions.c.state == RETIRED)[max(keep - 1, 0) :]
        return [v for v in failed + retired if v.id not in held]
