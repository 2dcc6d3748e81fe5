"""The console's documents: every document of the index, and one whole document."""

from __future__ import annotations

from pydantic import BaseModel

from motcua.bot.answering.responder import Responder
from motcua.bot.web.console.pieces import (
    DocumentSummary,
    Reference,
    chunks_of,
    decree_link,
    reference,
    summarize,
)


class ChunkView(BaseModel):
    position: int
    anchor: str  # "chunk-3"
    section: str | None
    text: str


class DocumentView(BaseModel):
    summary: DocumentSummary
    place: str | None
    chunks: list[ChunkView]
    record_link: str | None  # this document's own entry in the registry
    cites: list[Reference]  # legal documents it cites, bases first


def document_view(responder: Responder, doc_id: str) -> DocumentView | None:
    document = responder.index.documents.get(doc_id)
    if document is None:
        return None
    registry = responder.index.registry
    own = registry.document_record(doc_id)
    return DocumentView(
        summary=summarize(responder, document),
        place=document.meta.place,
        chunks=[
            ChunkView(
                position=c.position,
                anchor=f"chunk-{c.position}",
                section=responder.readable(doc_id, c.section) if c.section else None,
                text=c.shown,
            )
            for c in chunks_of(responder, doc_id)
        ],
        record_link=decree_link(own.so_hieu or own.key) if own else None,
        cites=[reference(r) for r in registry.cited_in(doc_id)],
    )


def documents_list(responder: Responder) -> list[DocumentSummary]:
    """Every document of the index, cards last, newest first within each kind."""
    documents = responder.index.documents.values()
    newest = sorted(documents, key=lambda d: d.meta.issued_date or "", reverse=True)
    return [summarize(responder, d) for d in sorted(newest, key=lambda d: d.kind == "card")]
