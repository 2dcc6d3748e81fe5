"""Admin: upload and delete documents (background ingest jobs) and follow the jobs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from motcua.bot.answering.routing import AllowingRoute
from motcua.bot.web.auth import AdminUser, require_admin
from motcua.bot.web.routes.ask import ErrorOut
from motcua.index.uploads import (
    QueueFull,
    Upload,
    UploadConflict,
    UploadError,
    accept_uploads,
    request_deletion,
)
from motcua.storage.jobs import IngestJobs, UploadedDocuments

router = APIRouter(
    prefix="/v1",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    route_class=AllowingRoute,  # GET, POST and DELETE share paths: 405 must name them all
)
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Cần đăng nhập / login required"},
    403: {"model": ErrorOut, "description": "Quản trị đang tắt / admin is off"},
}


def _indexed_documents(request: Request) -> list[dict[str, Any]]:
    responder = request.app.state.pipeline.responder
    if responder is None:
        return []
    counts: dict[str, int] = {}
    for chunk in responder.index.chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    return [
        {
            "doc_id": doc_id,
            "label": stored.meta.label(doc_id),
            "kind": stored.kind,
            "so_hieu": stored.meta.so_hieu,
            "issued_date": stored.meta.issued_date,
            "chunks": counts.get(doc_id, 0),
        }
        for doc_id, stored in sorted(responder.index.documents.items())
    ]


@router.get("/documents", responses=ADMIN_ERRORS)
def list_documents(request: Request) -> dict[str, Any]:
    """Documents in the index being served, and the upload log with each file's status."""
    uploads = UploadedDocuments(request.app.state.database).all()
    return {
        "index_version": request.app.state.pipeline.index_version,
        "documents": _indexed_documents(request),
        "uploads": [u.to_dict() for u in uploads],
    }


@router.post(
    "/documents",
    status_code=202,
    responses={
        **ADMIN_ERRORS,
        400: {"model": ErrorOut, "description": "Biểu mẫu không đọc được / malformed multipart"},
        409: {"model": ErrorOut, "description": "Đã có tài liệu cùng tên / name taken"},
        422: {"model": ErrorOut, "description": "Tệp không hợp lệ / invalid file"},
        429: {"model": ErrorOut, "description": "Quá nhiều việc đang chờ / queue full"},
    },
)
async def upload_documents(
    request: Request,
    user: AdminUser,
    files: Annotated[list[UploadFile], File()],
    replace: Annotated[bool, Form()] = False,
) -> dict[str, Any]:
    """Upload PDF, DOCX, TXT (or MD, HTML) files; they are indexed in the background. A file
    named like an indexed document replaces it only with `replace=true` (else 409)."""
    settings = request.app.state.settings
    limit = settings.upload_max_mb * 1024 * 1024
    received = []
    for file in files:
        # Read one byte past the limit: enough to know it is too large, never the whole file.
        data = await file.read(limit + 1)
        received.append(Upload(file.filename or "", data))
    existing = {d["doc_id"] for d in _indexed_documents(request)}
    try:
        job, doc_ids = await run_in_threadpool(
            lambda: accept_uploads(
                settings,
                request.app.state.database,
                received,
                user,
                existing=existing,
                replace=replace,
            )
        )
    except UploadConflict as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    except UploadError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    except QueueFull as exc:
        raise HTTPException(status_code=429, detail=str(exc)) from exc
    request.app.state.queue.submit(job.id)
    return {"job": job.to_dict(), "doc_ids": doc_ids}


@router.delete(
    "/documents/{doc_id}",
    status_code=202,
    responses={**ADMIN_ERRORS, 404: {"model": ErrorOut}},
)
def delete_document(doc_id: str, request: Request) -> dict[str, Any]:
    """Remove a document and its passages from the index (a new index version)."""
    known = {d["doc_id"] for d in _indexed_documents(request)}
    uploaded = UploadedDocuments(request.app.state.database).get(doc_id)
    if doc_id not in known and uploaded is None:
        raise HTTPException(
            status_code=404,
            detail=f"Không có tài liệu {doc_id!r} trong chỉ mục / no document {doc_id!r}",
        )
    try:
        job = request_deletion(request.app.state.database, [doc_id])
    except QueueFull as exc:
        raise HTTPException(status_code=429, detail=str(exc)) from exc
    request.app.state.queue.submit(job.id)
    return {"job": job.to_dict()}


@router.get("/jobs", responses=ADMIN_ERRORS)
def list_jobs(request: Request) -> list[dict[str, Any]]:
    return [j.to_dict() for j in IngestJobs(request.app.state.database).recent()]


@router.get("/jobs/{job_id}", responses={**ADMIN_ERRORS, 404: {"model": ErrorOut}})
def get_job(job_id: str, request: Request) -> JSONResponse:
    """A job's status and progress (passages embedded of the total)."""
    job = IngestJobs(request.app.state.database).get(job_id)
    if job is None:
        raise HTTPException(status_code=404, detail=f"Không có công việc {job_id!r} / no such job")
    return JSONResponse(job.to_dict())
