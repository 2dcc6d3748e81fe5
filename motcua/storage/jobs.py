"""Ingest jobs and uploaded documents: what staff asked for, and how far it has got.

`error` keeps the last failure, also of an attempt that a retry then completed. A job is
claimed by exactly one worker (an UPDATE that only succeeds on a queued row), beats
while it runs, and ends done or failed. A job whose worker died stops beating; `stale()` finds
it so that it is retried or marked failed.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass

from sqlalchemy import delete, insert, select, update

from motcua.storage.database import Database
from motcua.storage.schema import documents, ingest_jobs

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ADD, DELETE = "add", "delete"
PENDING, INDEXED = "pending", "indexed"


@dataclass(frozen=True)
class IngestJob:
    id: str
    action: str
    doc_ids: list[str]
    status: str
    progress: int
    total: int
    message: str | None
    error: str | None
    attempts: int
    worker: str | None
    heartbeat_at: float | None
    version_id: int | None
    created_at: float
    started_at: float | None
    finished_at: float | None

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class UploadedDocument:
    doc_id: str
    filename: str
    stored_path: str
    content_hash: str
    size_bytes: int
    status: str
    error: str | None
    uploaded_by: str | None
    uploaded_at: float
    updated_at: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _job(row) -> IngestJob:  # noqa: ANN001 - a row mapping
    values = dict(row)
    values["doc_ids"] = json.loads(values["doc_ids"])
    return IngestJob(**values)


class IngestJobs:
    def __init__(self, database: Database) -> None:
        self.database = database

    def create(self, action: str, doc_ids: list[str]) -> IngestJob:
        job_id = uuid.uuid4().hex[:16]
        with self.database.write() as connection:
            connection.execute(
                insert(ingest_jobs).values(
                    id=job_id,
                    action=action,
                    doc_ids=json.dumps(doc_ids, ensure_ascii=False),
                    status=QUEUED,
                    progress=0,
                    total=0,
                    attempts=0,
                    message="Đang chờ xử lý",
                    created_at=time.time(),
                )
            )
        found = self.get(job_id)
        assert found is not None
        return found

    def get(self, job_id: str) -> IngestJob | None:
        with self.database.read() as connection:
            row = (
                connection.execute(select(ingest_jobs).where(ingest_jobs.c.id == job_id))
                .mappings()
                .first()
            )
        return None if row is None else _job(row)

    def recent(self, limit: int = 50) -> list[IngestJob]:
        query = select(ingest_jobs).order_by(ingest_jobs.c.created_at.desc()).limit(limit)
        with self.database.read() as connection:
            return [_job(r) for r in connection.execute(query).mappings()]

    def claim(self, job_id: str, worker: str) -> bool:
        """Take a queued job; False when another worker has it or it has finished."""
        now = time.time()
        with self.database.write() as connection:
            result = connection.execute(
                update(ingest_jobs)
                .where(ingest_jobs.c.id == job_id, ingest_jobs.c.status == QUEUED)
                .values(
                    status=RUNNING,
                    worker=worker,
                    attempts=ingest_jobs.c.attempts + 1,
                    started_at=now,
                    heartbeat_at=now,
                    message="Đang đọc tài liệu",
                )
            )
        return result.rowcount == 1

    def beat(
        self,
        job_id: str,
        progress: int | None = None,
        total: int | None = None,
        message: str | None = None,
    ) -> None:
        values: dict[str, object] = {"heartbeat_at": time.time()}
        if progress is not None:
            values["progress"] = progress
        if total is not None:
            values["total"] = total
        if message is not None:
            values["message"] = message
        with self.database.write() as connection:
            connection.execute(
                update(ingest_jobs)
                .where(ingest_jobs.c.id == job_id, ingest_jobs.c.status == RUNNING)
                .values(**values)
            )

    def finish(self, job_id: str, version_id: int | None, message: str) -> None:
        with self.database.write() as connection:
            connection.execute(
                update(ingest_jobs)
                .where(ingest_jobs.c.id == job_id)
                .values(
                    status=DONE, version_id=version_id, message=message, finished_at=time.time()
                )
            )

    def fail(self, job_id: str, error: str, retry: bool) -> None:
        """Record a failure; with `retry` the job goes back to the queue for another attempt."""
        values: dict[str, object] = {"error": error, "worker": None}
        if retry:
            values.update(status=QUEUED, message="Sẽ thử lại", started_at=None)
        else:
            values.update(status=FAILED, message="Thất bại", finished_at=time.time())
        with self.database.write() as connection:
            connection.execute(
                update(ingest_jobs).where(ingest_jobs.c.id == job_id).values(**values)
            )

    def stale(self, older_than: float) -> list[IngestJob]:
        """Running jobs that have not beaten for `older_than` seconds (their worker died)."""
        limit = time.time() - older_than
        query = select(ingest_jobs).where(
            ingest_jobs.c.status == RUNNING, ingest_jobs.c.heartbeat_at < limit
        )
        with self.database.read() as connection:
            return [_job(r) for r in connection.execute(query).mappings()]

    def queued(self) -> list[IngestJob]:
        query = (
            select(ingest_jobs)
            .where(ingest_jobs.c.status == QUEUED)
            .order_by(ingest_jobs.c.created_at)
        )
        with self.database.read() as connection:
            return [_job(r) for r in connection.execute(query).mappings()]


class UploadedDocuments:
    def __init__(self, database: Database) -> None:
        self.database = database

    def put(
        self,
        doc_id: str,
        filename: str,
        stored_path: str,
        content_hash: str,
        size_bytes: int,
        uploaded_by: str | None,
    ) -> None:
        now = time.time()
        with self.database.write() as connection:
            connection.execute(delete(documents).where(documents.c.doc_id == doc_id))
            connection.execute(
                insert(documents).values(
                    doc_id=doc_id,
                    filename=filename,
                    stored_path=stored_path,
                    content_hash=content_hash,
                    size_bytes=size_bytes,
                    status=PENDING,
                    uploaded_by=uploaded_by,
                    uploaded_at=now,
                    updated_at=now,
                )
            )

    def set_status(self, doc_ids: list[str], status: str, error: str | None = None) -> None:
        with self.database.write() as connection:
            connection.execute(
                update(documents)
                .where(documents.c.doc_id.in_(doc_ids))
                .values(status=status, error=error, updated_at=time.time())
            )

    def get(self, doc_id: str) -> UploadedDocument | None:
        with self.database.read() as connection:
            row = (
                connection.execute(select(documents).where(documents.c.doc_id == doc_id))
                .mappings()
                .first()
            )
        return None if row is None else UploadedDocument(**row)

    def all(self) -> list[UploadedDocument]:
        query = select(documents).order_by(documents.c.uploaded_at.desc())
        with self.database.read() as connection:
            return [UploadedDocument(**r) for r in connection.execute(query).mappings()]

    def remove(self, doc_ids: list[str]) -> None:
        with self.database.write() as connection:
            connection.execute(delete(documents).where(documents.c.doc_id.in_(doc_ids)))
