"""The console's registry of legal documents: one record (who cites it, what it amends,
replaces or repeals), and further matches or the most cited."""

from __future__ import annotations

from pydantic import BaseModel

from motcua.bot.answering.responder import Responder
from motcua.bot.web.console.pieces import (
    Reference,
    chunks_of,
    display_date,
    document_link,
    locate,
    reference,
    summarize,
)
from motcua.ingest.registry import CitingDocument, DecreeRegistry, LegalDocRecord
from motcua.ingest.text_layer import is_ocr_text

RELATIONS = (
    ("amends", "Sửa đổi, bổ sung"),
    ("amended_by", "Được sửa đổi, bổ sung bởi"),
    ("replaces", "Thay thế"),
    ("replaced_by", "Bị thay thế bởi"),
    ("repeals", "Bãi bỏ"),
    ("repealed_by", "Bị bãi bỏ bởi"),
    ("partly_repeals", "Bãi bỏ một phần"),
    ("partly_repealed_by", "Bị bãi bỏ một phần bởi"),
)


class MentionView(BaseModel):
    label: str  # the citing document: its label and title
    passage: str
    link: str
    basis: bool


class RelationView(BaseModel):
    name: str  # "Được sửa đổi, bổ sung bởi"
    records: list[Reference]


class RecordView(BaseModel):
    label: str
    so_hieu: str | None
    doc_type: str | None
    date: str | None
    issuer: str | None
    subject: str | None
    title: str | None
    scanned: str | None  # the title or subject as the scan wrote it, when shown repaired
    document_link: str | None  # its own text, when ingested
    cited_by: list[MentionView]
    relations: list[RelationView]


class DecreePage(BaseModel):
    query: str
    record: RecordView | None
    others: list[Reference]  # further matches, or the most cited when nothing was asked


def decree_page(responder: Responder, query: str, limit: int = 20) -> DecreePage:
    registry: DecreeRegistry = responder.index.registry
    query = query.strip()
    if not query:
        most_cited = registry.search("", limit)
        return DecreePage(query="", record=None, others=[reference(r) for r in most_cited])
    record = registry.get(query)
    others = [r for r in registry.search(query, limit) if record is None or r.key != record.key]
    return DecreePage(
        query=query,
        record=_record_view(responder, record) if record else None,
        others=[reference(r) for r in others],
    )


def _shown(responder: Responder, text: str | None) -> str | None:
    """Registry text quoted from a scan, repaired for reading like the scan's passages."""
    if text and is_ocr_text(text):
        return responder.index.text_layer.readable(text)
    return text


def _record_view(responder: Responder, record: LegalDocRecord) -> RecordView:
    documents = responder.index.documents
    mentions = []
    seen: set[tuple[str, str]] = set()
    for mention in record.cited_by:
        document = documents.get(mention.doc_id)
        # A clause that names the number twice is one citing passage, shown once.
        if document is None or (mention.doc_id, mention.passage) in seen:
            continue
        seen.add((mention.doc_id, mention.passage))
        chunk = locate(chunks_of(responder, mention.doc_id), mention.passage)
        summary = summarize(responder, document)
        mentions.append(
            MentionView(
                label=CitingDocument(mention.doc_id, summary.label, summary.title).name(),
                passage=responder.readable(mention.doc_id, mention.passage),
                link=document_link(mention.doc_id, chunk.position if chunk else None),
                basis=mention.basis,
            )
        )
    relations = []
    for field, name in RELATIONS:
        linked = [responder.index.registry.records.get(key) for key in getattr(record, field)]
        if linked := [reference(r) for r in linked if r is not None]:
            relations.append(RelationView(name=name, records=linked))
    own = record.doc_id if record.doc_id in documents else None
    return RecordView(
        label=record.label(),
        so_hieu=record.so_hieu,
        doc_type=record.doc_type,
        date=display_date(record.date),
        issuer=record.issuer,
        subject=_shown(responder, record.subject),
        title=record.title,
        scanned=(record.title_raw if record.title else record.subject_raw),
        document_link=document_link(own) if own else None,
        cited_by=mentions,
        relations=relations,
    )
