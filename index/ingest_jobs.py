"""Ingest jobs: queued by the HTTP service, run in the background, visible while they run.

Two queues behind one interface: a thread inside the serving process (the embedded default, one
machine) and RQ on Redis, drained by `motcua worker` (several workers, several hosts). The job's
state lives in the database either way, so the console shows the same progress wherever it runs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from motcua.index.build import IngestReport, document_chunks, read_document
from motcua.index.builds import build_version, clean_versions
from motcua.index.uploads import read_upload
from motcua.settings import Settings, get_settings
from motcua.storage.curated import CuratedStore
from motcua.storage.database import Database
from motcua.storage.jobs import ADD, DELETE, INDEXED, IngestJob, IngestJobs, UploadedDocuments
from motcua.storage.version_leases import IndexVersions

log = logging.getLogger(__name__)
JOB_TIMEOUT_SECONDS = 3 * 3600  # a whole corpus on 2 cores takes minutes; never hours
BEAT_SECONDS = 2.0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _mark_curated_for_review(database: Database, changed: dict[str, str | None]) -> None:
    """Curated answers citing a replaced or removed document go back to staff for review."""
    flagged = CuratedStore(database, embedder=None).mark_review(changed)
    if flagged:
        log.info("curated answers sent to review: %s", [c.group_id for c in flagged])


class _Heartbeat:
    """Beats while the job runs, also through long steps that report no progress."""

    def __init__(self, jobs: IngestJobs, job_id: str) -> None:
        self.jobs, self.job_id = jobs, job_id
        self.done = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            try:
                self.jobs.beat(self.job_id, progress=self.done)
            except Exception:
                log.exception("job heartbeat failed")

    def advance(self, count: int) -> None:
        self.done += count


def run_ingest_job(job_id: str, settings: Settings | None = None) -> str:
    """Run one job to the end; returns its final status. Safe to call twice (claims once)."""
    settings = settings or get_settings()
    database = Database.open(settings, migrate=False)
    jobs, uploads = IngestJobs(database), UploadedDocuments(database)
    try:
        if not jobs.claim(job_id, worker_name()):
            job = jobs.get(job_id)
            return job.status if job else "missing"
        job = jobs.get(job_id)
        assert job is not None
        try:
            message = _run(job, settings, database, jobs, uploads)
        except Exception as exc:
            log.exception("ingest job %s failed", job_id)
            reason = f"{type(exc).__name__}: {exc}"
            jobs.fail(job_id, reason, retry=False)
            if job.action == ADD:
                uploads.set_status(job.doc_ids, "failed", reason)
            return "failed"
        return message
    finally:
        database.close()


def _run(
    job: IngestJob,
    settings: Settings,
    database: Database,
    jobs: IngestJobs,
    uploads: UploadedDocuments,
) -> str:
    documents = []
    if job.action == ADD:
        for doc_id in job.doc_ids:
            upload = uploads.get(doc_id)
            if upload is None:
                raise LookupError(f"no uploaded document {doc_id!r}")
            document = read_document(
                Path(upload.stored_path), lambda path: read_upload(path, settings)
            )
            document.doc_id = doc_id
            documents.append(document)
    total = sum(len(document_chunks(d)) for d in documents)
    jobs.beat(job.id, progress=0, total=total, message="Đang lập chỉ mục")
    report = IngestReport()
    with _Heartbeat(jobs, job.id) as beat:
        result = build_version(
            settings,
            documents,
            delete=job.doc_ids if job.action == DELETE else (),
            database=database,
            job_id=job.id,
            progress=beat.advance,
            report=report,
        )
    if result.changed:
        _mark_curated_for_review(database, result.changed)
    if job.action == ADD:
        uploads.set_status(job.doc_ids, INDEXED)
    else:
        uploads.remove(job.doc_ids)
    version = result.version.id if result.version else None
    jobs.beat(job.id, progress=total)
    jobs.finish(job.id, version, f"Hoàn tất: {report.chunks} đoạn, phiên bản chỉ mục {version}")
    return "done"


# --- queues -------------------------------------------------------------------------------


class JobQueue(Protocol):
    def submit(self, job_id: str) -> None: ...

    def close(self) -> None: ...


class ThreadJobQueue:
    """One background thread in the serving process: jobs run one after another."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    def submit(self, job_id: str) -> None:
        self._pool.submit(run_ingest_job, job_id, self.settings)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class RqJobQueue:
    """Jobs on Redis, run by `motcua worker` processes (RQ)."""

    def __init__(self, redis_url: str, namespace: str = "motcua") -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(f"{namespace}-ingest", connection=self.connection)

    def submit(self, job_id: str) -> None:
        # One RQ job per attempt: a retried job must not collide with its dead predecessor.
        attempt = f"{job_id}-{os.urandom(3).hex()}"
        self.queue.enqueue(
            "motcua.index.ingest_jobs.run_ingest_job",
            job_id,
            job_id=attempt,
            job_timeout=JOB_TIMEOUT_SECONDS,
            result_ttl=24 * 3600,
            failure_ttl=7 * 24 * 3600,
        )

    def close(self) -> None:
        self.connection.close()


def open_queue(settings: Settings) -> JobQueue:
    if settings.redis_url:
        return RqJobQueue(settings.redis_url, settings.redis_namespace)
    return ThreadJobQueue(settings)


def recover_stale_jobs(settings: Settings, database: Database, queue: JobQueue) -> list[str]:
    """Jobs whose worker died mid-run: queued again while attempts remain, else failed."""
    jobs = IngestJobs(database)
    versions = IndexVersions(database, settings.index_dir)
    handled = []
    for job in jobs.stale(settings.job_stale_seconds):
        versions.abandon(job.id)
        retry = job.attempts < settings.job_max_attempts
        reason = f"worker {job.worker} stopped responding during attempt {job.attempts}"
        jobs.fail(job.id, reason, retry=retry)
        if retry:
            queue.submit(job.id)
        else:
            UploadedDocuments(database).set_status(job.doc_ids, "failed", reason)
        log.warning("ingest job %s: %s; %s", job.id, reason, "retrying" if retry else "failed")
        handled.append(job.id)
    if handled:
        clean_versions(settings, database)
    return handled


def resume_jobs(settings: Settings, database: Database, queue: JobQueue) -> None:
    """At start-up of the only job runner: retry jobs of a dead run, re-submit queued ones
    (an in-process queue forgets its jobs when the process stops)."""
    recovered = set(recover_stale_jobs(settings, database, queue))
    for job in IngestJobs(database).queued():
        if job.id not in recovered:
            queue.submit(job.id)


def run_worker(settings: Settings, burst: bool = False) -> None:
    """`motcua worker`: drain the Redis queue; recover jobs of dead workers now and then."""
    if not settings.redis_url:
        raise SystemExit(
            "motcua worker cần MOTCUA_REDIS_URL (needs MOTCUA_REDIS_URL); without Redis the "
            "serving process runs ingest jobs itself"
        )
    from rq import SimpleWorker

    database = Database.open(settings)
    queue = RqJobQueue(settings.redis_url, settings.redis_namespace)
    stop = threading.Event()

    def recover_loop() -> None:
        while not stop.wait(settings.job_stale_seconds / 2):
            try:
                recover_stale_jobs(settings, database, queue)
            except Exception:
                log.exception("recovering stale ingest jobs failed")

    recover_stale_jobs(settings, database, queue)
    watcher = threading.Thread(target=recover_loop, daemon=True)
    watcher.start()
    # SimpleWorker runs each job in this process: killing the worker stops its job with it,
    # and the job's stale heartbeat then tells the next worker to retry it.
    worker = SimpleWorker([queue.queue], connection=queue.connection, name=worker_name())
    try:
        worker.work(burst=burst, with_scheduler=False)
    finally:
        stop.set()
        database.close()
