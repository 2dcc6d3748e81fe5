"""What every console page shares: the links between pages, dates as documents write
them, a document's summary line, and the chunk a quoted passage comes from.

Routes stay thin: each page asks one function of its module (`answer_view`, `document_views`,
`procedure_views`, `decree_views`) for a plain model, built from the responder's index and
registry, and renders it. Nothing in these modules knows about HTTP or HTML.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote, urlencode

from pydantic import BaseModel

from motcua.bot.answering.responder import Responder
from motcua.index.store import StoredDocument
from motcua.ingest.cards import builtin_card
from motcua.ingest.registry import LegalDocRecord
from motcua.text import dmy, fold_phrase
from motcua.types import Chunk

PREFIX = "/console"


# --- links --------------------------------------------------------------------------------


def document_link(doc_id: str, position: int | None = None) -> str:
    anchor = f"#chunk-{position}" if position is not None else ""
    return f"{PREFIX}/documents/{quote(doc_id, safe='')}{anchor}"


def question_link(question: str) -> str:
    """The console's own question page, asking `question` as it opens."""
    return f"{PREFIX}?{urlencode({'q': question})}"


def card_link(doc_id: str) -> str:
    return f"{PREFIX}/cards/{quote(doc_id, safe='')}"


def decree_link(query: str) -> str:
    return f"{PREFIX}/decrees?{urlencode({'q': query})}"


def procedures_link(query: str = "", page: int = 1) -> str:
    params = {k: v for k, v in (("q", query), ("page", page if page > 1 else "")) if v}
    return f"{PREFIX}/procedures" + (f"?{urlencode(params)}" if params else "")


def display_date(iso: str | None) -> str | None:
    """ "2025-05-05" -> "05/05/2025", as Vietnamese documents write dates."""
    return dmy(iso) if iso else None


# --- shared pieces ------------------------------------------------------------------------


class SegmentOut(BaseModel):
    text: str
    mark: bool


class DocumentSummary(BaseModel):
    doc_id: str
    kind: str
    label: str  # "Kế hoạch số 1655/KH-SGDĐT ngày 05/05/2025 của ..."
    title: str | None
    doc_type: str | None
    so_hieu: str | None
    date: str | None  # dd/mm/yyyy
    issuer: str | None
    signer: str | None
    link: str
    card_link: str | None


def summarize(responder: Responder, document: StoredDocument) -> DocumentSummary:
    meta = document.meta
    title = responder.readable(document.doc_id, meta.title) if meta.title else None
    is_card = document.kind == "card" and builtin_card(document.doc_id) is not None
    return DocumentSummary(
        doc_id=document.doc_id,
        kind=document.kind,
        label=replace(meta, title=title).label(document.doc_id),
        title=title,
        doc_type=meta.doc_type,
        so_hieu=meta.so_hieu,
        date=display_date(meta.issued_date),
        issuer=meta.issuer,
        signer=meta.signer,
        link=document_link(document.doc_id),
        card_link=card_link(document.doc_id) if is_card else None,
    )


def chunks_of(responder: Responder, doc_id: str) -> list[Chunk]:
    return sorted(
        (c for c in responder.index.chunks if c.doc_id == doc_id), key=lambda c: c.position
    )


def locate(chunks: list[Chunk], passage: str, section: str | None = None) -> Chunk | None:
    """The chunk a quoted passage comes from (by its folded opening), else the first chunk of
    the named section, else the document's first chunk."""
    probe = fold_phrase(passage)[:60]
    if probe:
        for chunk in chunks:
            if probe in fold_phrase(chunk.shown) or probe in fold_phrase(chunk.text):
                return chunk
    if section:
        for chunk in chunks:
            if chunk.section and fold_phrase(chunk.section) == fold_phrase(section):
                return chunk
    return chunks[0] if chunks else None


# A record of the registry, linked to its page: documents and records list the ones they cite.
class Reference(BaseModel):
    label: str
    link: str


def reference(record: LegalDocRecord) -> Reference:
    return Reference(label=record.label(), link=decree_link(record.so_hieu or record.key))
