"""Staff uploads and deletions: checked at once, stored, and handed to an ingest job.

Problems a person can fix (wrong format, empty or unreadable file, too large) are reported
when the file is sent, with nothing stored; indexing itself runs in the background.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from motcua.index.build import content_hash
from motcua.ingest.cards import builtin_card
from motcua.ingest.isolated import load_text_isolated
from motcua.ingest.loaders import LOADERS, LoaderError
from motcua.settings import Settings
from motcua.storage.database import Database
from motcua.storage.jobs import ADD, DELETE, IngestJob, IngestJobs, UploadedDocuments
from motcua.text import fold

UPLOADS = "uploads"


class UploadError(ValueError):
    """A problem with one file, worded for the person who sent it (Vietnamese / English)."""


class UploadConflict(UploadError):
    """A file named like a document already indexed: replaced only when asked to."""


class QueueFull(RuntimeError):
    """Too many ingest jobs are waiting: new ones would only pile up."""


MAX_QUEUED_JOBS = 20
QUEUE_FULL = (
    "Đang có quá nhiều việc lập chỉ mục chờ xử lý, hãy thử lại sau ít phút. / "
    "Too many ingest jobs are waiting; try again in a few minutes."
)


def _room_in_queue(jobs: IngestJobs) -> None:
    if len(jobs.queued()) >= MAX_QUEUED_JOBS:
        raise QueueFull(QUEUE_FULL)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def doc_id_for(filename: str) -> str:
    """A stable, URL-safe id from the file name: "Kế hoạch 1655.pdf" -> "ke-hoach-1655"."""
    stem = Path(filename).stem
    slug = re.sub(r"[^a-z0-9]+", "-", fold(stem).replace("đ", "d")).strip("-")
    return slug[:120] or "tai-lieu"


def _check(upload: Upload, settings: Settings) -> str:
    name = Path(upload.filename or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in LOADERS:
        allowed = ", ".join(sorted(LOADERS))
        raise UploadError(
            f"{name or '(không tên)'}: định dạng {suffix or '(không có)'} không được hỗ trợ, "
            f"chỉ nhận {allowed} / unsupported format, accepted: {allowed}"
        )
    if not upload.data:
        raise UploadError(f"{name}: tệp rỗng / the file is empty")
    limit = settings.upload_max_mb * 1024 * 1024
    if len(upload.data) > limit:
        raise UploadError(
            f"{name}: tệp lớn hơn {settings.upload_max_mb} MB / larger than "
            f"{settings.upload_max_mb} MB"
        )
    return suffix


def read_upload(path: Path, settings: Settings) -> str:
    """An uploaded file's text, read in a child process under the upload limits."""
    return load_text_isolated(
        path,
        settings.upload_read_seconds,
        settings.upload_read_memory_mb,
        max_pdf_pages=settings.max_pdf_pages,
    )


def _store(folder: Path, doc_id: str, suffix: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{doc_id}{suffix}"
    handle, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(tmp, target)
    return target


def accept_uploads(
    settings: Settings,
    database: Database,
    files: list[Upload],
    uploaded_by: str | None,
    *,
    existing: set[str] = frozenset(),  # type: ignore[assignment]
    replace: bool = False,
) -> tuple[IngestJob, list[str]]:
    """Check every file, store them, record them, and create one ingest job for all.

    A file named like a built-in procedure card is refused; one named like a document in
    `existing` (or uploaded before) replaces it only with `replace` (UploadConflict)."""
    if not files:
        raise UploadError("Chưa chọn tệp nào / no file was sent")
    jobs = IngestJobs(database)
    _room_in_queue(jobs)
    records = UploadedDocuments(database)
    checked = []
    seen: set[str] = set()
    for upload in files:
        suffix = _check(upload, settings)
        doc_id = doc_id_for(upload.filename)
        if doc_id in seen:
            raise UploadError(
                f"{upload.filename}: trùng tên với một tệp khác trong lần gửi này / "
                "two files in this upload have the same name"
            )
        if builtin_card(doc_id) is not None:
            raise UploadError(
                f"{upload.filename}: trùng mã với thẻ thủ tục có sẵn {doc_id!r}, hãy đổi tên tệp "
                f"/ named like the built-in card {doc_id!r}: rename the file"
            )
        if not replace and (doc_id in existing or records.get(doc_id) is not None):
            raise UploadConflict(
                f"{upload.filename}: đã có tài liệu {doc_id!r}; gửi lại với replace=true để "
                f"thay nó / a document {doc_id!r} exists: send again with replace=true"
            )
        seen.add(doc_id)
        checked.append((upload, doc_id, suffix))

    folder = Path(settings.data_dir) / UPLOADS
    stored: list[tuple[str, str, Path, str, int]] = []
    try:
        for upload, doc_id, suffix in checked:
            path = _store(folder / "incoming", doc_id, suffix, upload.data)
            try:
                text = read_upload(path, settings)
            except LoaderError as exc:
                reason = str(exc).removeprefix(f"{path}: ")  # never show server paths
                raise UploadError(
                    f"{upload.filename}: không đọc được nội dung ({reason}) / unreadable"
                ) from exc
            if not text.strip():
                raise UploadError(
                    f"{upload.filename}: không có chữ (bản quét chưa OCR?) / no text in the file "
                    "(a scan without OCR?)"
                )
            stored.append(
                (doc_id, Path(upload.filename).name, path, content_hash(text), len(upload.data))
            )
    except UploadError:
        for _, _, path, _, _ in stored:
            path.unlink(missing_ok=True)
        for _, doc_id, suffix in checked:
            (folder / "incoming" / f"{doc_id}{suffix}").unlink(missing_ok=True)
        raise

    doc_ids = []
    for doc_id, filename, path, digest, size in stored:
        final = folder / path.name
        os.replace(path, final)
        records.put(doc_id, filename, str(final.resolve()), digest, size, uploaded_by)
        doc_ids.append(doc_id)
    return jobs.create(ADD, doc_ids), doc_ids


def request_deletion(database: Database, doc_ids: list[str]) -> IngestJob:
    """A job deleting `doc_ids`; the one already waiting to, when there is one."""
    jobs = IngestJobs(database)
    waiting = next(
        (j for j in jobs.queued() if j.action == DELETE and set(doc_ids) <= set(j.doc_ids)), None
    )
    if waiting is not None:
        return waiting
    _room_in_queue(jobs)
    return jobs.create(DELETE, doc_ids)
