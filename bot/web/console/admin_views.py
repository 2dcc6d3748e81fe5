"""What the console's admin pages show: documents and uploads, the unanswered questions,
curated answers. Plain models built from the stores; no HTTP, no HTML.

The pages only read here. Every change (upload, delete, curate, retire) goes through the
admin JSON API from the page's script, so the API stays the one place that writes.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from motcua.bot.answering.responder import Responder
from motcua.bot.web.console.pieces import document_link, summarize
from motcua.storage.curated import CuratedAnswer, CuratedStore
from motcua.storage.interactions import Interactions
from motcua.storage.jobs import IngestJobs, UploadedDocuments

PREFIX = "/console/admin"
UPLOAD_TYPES = ".pdf,.docx,.txt"
UPLOAD_STATUS = {
    "pending": "Đang chờ nạp",
    "indexed": "Đã nạp",
    "failed": "Lỗi",
    "deleted": "Đã xoá",
}
JOB_STATUS = {"queued": "Đang chờ", "running": "Đang chạy", "done": "Xong", "failed": "Lỗi"}
CURATED_STATUS = {
    "active": "Đang dùng",
    "review": "Cần xem lại",
    "retired": "Đã ngừng dùng",
    "superseded": "Phiên bản cũ",
}


def when(stamp: float | None) -> str:
    """Unix time as the operator reads it: "14:05 24/11/2025" (server's local time)."""
    return "" if stamp is None else time.strftime("%H:%M %d/%m/%Y", time.localtime(stamp))


def curate_link(question_id: str) -> str:
    return f"{PREFIX}/curated/new?question_id={quote(question_id, safe='')}"


def curated_link(group_id: str) -> str:
    return f"{PREFIX}/curated/{quote(group_id, safe='')}"


# --- documents ----------------------------------------------------------------------------


class IndexedDocument(BaseModel):
    doc_id: str
    label: str
    kind: str
    chunks: int
    link: str


class UploadRow(BaseModel):
    doc_id: str
    filename: str
    size_kb: float
    status: str  # raw, for styling
    status_text: str
    error: str | None
    uploaded_by: str | None
    uploaded_at: str


class JobRow(BaseModel):
    id: str
    action: str
    doc_ids: list[str]
    status: str
    status_text: str
    progress: int
    total: int
    message: str | None
    error: str | None
    created_at: str


class DocumentsPage(BaseModel):
    index_version: int | None
    documents: list[IndexedDocument]
    uploads: list[UploadRow]
    jobs: list[JobRow]
    accept: str = UPLOAD_TYPES
    max_mb: int


def documents_page(
    responder: Responder | None,
    uploads: UploadedDocuments,
    jobs: IngestJobs,
    index_version: int | None,
    max_mb: int,
) -> DocumentsPage:
    documents: list[IndexedDocument] = []
    if responder is not None:
        counts: dict[str, int] = {}
        for chunk in responder.index.chunks:
            counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
        stored = responder.index.documents.values()
        # Staff's own documents first (what they upload and delete), the built-in cards last.
        for document in sorted(stored, key=lambda d: (d.kind == "card", d.doc_id)):
            documents.append(
                IndexedDocument(
                    doc_id=document.doc_id,
                    label=summarize(responder, document).label,
                    kind=document.kind,
                    chunks=counts.get(document.doc_id, 0),
                    link=document_link(document.doc_id),
                )
            )
    upload_rows = [
        UploadRow(
            doc_id=u.doc_id,
            filename=u.filename,
            size_kb=round(u.size_bytes / 1024, 1),
            status=u.status,
            status_text=UPLOAD_STATUS.get(u.status, u.status),
            error=u.error,
            uploaded_by=u.uploaded_by,
            uploaded_at=when(u.uploaded_at),
        )
        for u in uploads.all()  # newest first, as the store lists them
    ]
    job_rows = [
        JobRow(
            id=j.id,
            action=j.action,
            doc_ids=j.doc_ids,
            status=j.status,
            status_text=JOB_STATUS.get(j.status, j.status),
            progress=j.progress,
            total=j.total,
            message=j.message,
            error=j.error,
            created_at=when(j.created_at),
        )
        for j in jobs.recent(10)
    ]
    return DocumentsPage(
        index_version=index_version,
        documents=documents,
        uploads=upload_rows,
        jobs=job_rows,
        max_mb=max_mb,
    )


# --- unanswered questions -----------------------------------------------------------------


class UnansweredView(BaseModel):
    question: str
    count: int
    refused: int
    thumbs_down: int
    last_asked: str
    last_answer: str
    curate_link: str


def unanswered_rows(log: Interactions, limit: int = 200) -> list[UnansweredView]:
    return [
        UnansweredView(
            question=row.question,
            count=row.count,
            refused=row.refused,
            thumbs_down=row.thumbs_down,
            last_asked=when(row.last_asked),
            last_answer=row.last_answer,
            curate_link=curate_link(row.last_question_id),
        )
        for row in log.unanswered(limit=limit)
    ]


# --- curated answers ----------------------------------------------------------------------


class SourceView(BaseModel):
    doc_id: str
    title: str
    so_hieu: str | None
    section: str | None
    quote: str


class CuratedRow(BaseModel):
    group_id: str
    version: int
    question: str
    answer: str
    status: str
    status_text: str
    review_reason: str | None
    author: str | None
    updated_at: str
    sources: list[SourceView]
    link: str


def _row(curated: CuratedAnswer) -> CuratedRow:
    return CuratedRow(
        group_id=curated.group_id,
        version=curated.version,
        question=curated.question,
        answer=curated.answer,
        status=curated.status,
        status_text=CURATED_STATUS.get(curated.status, curated.status),
        review_reason=curated.review_reason,
        author=curated.author,
        updated_at=when(curated.updated_at),
        sources=[SourceView.model_validate(asdict(s)) for s in curated.sources],
        link=curated_link(curated.group_id),
    )


def curated_rows(store: CuratedStore) -> list[CuratedRow]:
    """Latest version of each curated answer: those needing review first, retired last."""
    order = {"review": 0, "active": 1, "retired": 2}
    rows = [_row(c) for c in store.list()]
    return sorted(rows, key=lambda r: order.get(r.status, 3))


class DocumentChoice(BaseModel):
    """A document staff may cite in a curated answer."""

    doc_id: str
    label: str
    so_hieu: str | None


class CurateForm(BaseModel):
    """The form behind "Soạn câu trả lời chuẩn" (new, from a logged question) and "Sửa"."""

    mode: str  # "create" | "from-question" | "revise"
    target: str  # "", the question id or the group id
    question: str
    answer: str
    bot_answer: str | None  # what the bot said, shown beside the form for reference
    refused: bool
    sources: list[SourceView]
    documents: list[DocumentChoice]
    current: CuratedRow | None = None
    history: list[CuratedRow] = []


def document_choices(responder: Responder | None) -> list[DocumentChoice]:
    if responder is None:
        return []
    stored = responder.index.documents.values()
    return [
        DocumentChoice(doc_id=d.doc_id, label=summarize(responder, d).label, so_hieu=d.meta.so_hieu)
        for d in sorted(stored, key=lambda d: (d.kind == "card", d.doc_id))
    ]


def _sources(raw: list[Any]) -> list[SourceView]:
    return [
        SourceView(
            doc_id=str(s.get("doc_id") or ""),
            title=str(s.get("title") or ""),
            so_hieu=s.get("so_hieu") or None,
            section=s.get("section") or None,
            quote=str(s.get("quote") or ""),
        )
        for s in raw
        if isinstance(s, dict) and s.get("doc_id")
    ]


def blank_form(responder: Responder | None) -> CurateForm:
    return CurateForm(
        mode="create",
        target="",
        question="",
        answer="",
        bot_answer=None,
        refused=False,
        sources=[],
        documents=document_choices(responder),
    )


def form_from_question(
    log: Interactions, question_id: str, responder: Responder | None
) -> CurateForm | None:
    """Prefilled from the logged question: its wording; the bot's answer and citations when
    it answered (staff approve or edit them), an empty answer when it refused."""
    logged = log.question(question_id)
    if logged is None:
        return None
    refused = bool(logged["refused"])
    bot_answer = str(logged["answer"] or "")
    citations = logged["citations"]
    return CurateForm(
        mode="from-question",
        target=question_id,
        question=str(logged["question"]),
        answer="" if refused else bot_answer,
        bot_answer=bot_answer or None,
        refused=refused,
        sources=_sources(citations if isinstance(citations, list) else []),
        documents=document_choices(responder),
    )


def form_for_group(
    store: CuratedStore, group_id: str, responder: Responder | None
) -> CurateForm | None:
    """The edit form of a curated answer (saving makes a new version) and its history."""
    versions = store.history(group_id)
    if not versions:
        return None
    latest = versions[0]
    return CurateForm(
        mode="revise",
        target=group_id,
        question=latest.question,
        answer=latest.answer,
        bot_answer=None,
        refused=False,
        sources=[SourceView.model_validate(asdict(s)) for s in latest.sources],
        documents=document_choices(responder),
        current=_row(latest),
        history=[_row(v) for v in versions],
    )
