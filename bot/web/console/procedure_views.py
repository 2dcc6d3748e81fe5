"""The console's procedures: a built-in card with the rows of the provinces' published
lists for it, and the procedure catalogue paged."""

from __future__ import annotations

from pydantic import BaseModel

from motcua.bot.answering.responder import Responder
from motcua.bot.web.console.pieces import (
    card_link,
    chunks_of,
    decree_link,
    document_link,
    locate,
    procedures_link,
)
from motcua.index.catalogue import Catalogue
from motcua.ingest.cards import ProcedureCard, builtin_card
from motcua.ingest.catalogue import ProcedureRecord

# --- a procedure card ---------------------------------------------------------------------


class CatalogueRowView(BaseModel):
    """One procedure of a published list, as the console shows it."""

    name: str
    code: str | None
    facts: list[tuple[str, str]]  # (label, value), the code left to its own place
    abolished: bool
    decision: str  # the publishing decision's label
    province: str | None
    section: str
    link: str  # the decision, opened at the row
    card_link: str | None  # the built-in card of the same procedure


def catalogue_row(responder: Responder, record: ProcedureRecord) -> CatalogueRowView:
    chunks = [c for c in chunks_of(responder, record.doc_id) if c.section == record.section]
    chunk = locate(chunks, record.code or record.name) if chunks else None
    indexed_card = record.card_id and record.card_id in responder.index.documents
    return CatalogueRowView(
        name=record.name,
        code=record.code,
        facts=[(label, value) for fact, label, value in record.facts() if fact != "code"],
        abolished=record.abolished,
        decision=record.decision_label(),
        province=record.province,
        section=record.section,
        link=document_link(record.doc_id, chunk.position if chunk else None),
        card_link=card_link(record.card_id) if indexed_card and record.card_id else None,
    )


class CardView(BaseModel):
    card: ProcedureCard
    document_link: str
    basis_links: list[str]  # the registry page of each legal basis, in order
    catalogue: list[CatalogueRowView]  # the rows of published lists for this procedure


def card_view(responder: Responder, doc_id: str) -> CardView | None:
    document = responder.index.documents.get(doc_id)
    card = builtin_card(doc_id)
    if card is None or document is None or document.kind != "card":
        return None
    return CardView(
        card=card,
        document_link=document_link(doc_id),
        basis_links=[decree_link(b.so_hieu) for b in card.can_cu_phap_ly],
        catalogue=[catalogue_row(responder, r) for r in responder.index.catalogue.for_card(doc_id)],
    )


# --- the procedure catalogue --------------------------------------------------------------

PROCEDURES_PER_PAGE = 20


class ProceduresPage(BaseModel):
    query: str
    total: int
    page: int
    pages: int
    rows: list[CatalogueRowView]
    previous_link: str | None
    next_link: str | None
    provinces: list[str]  # whose lists the index holds


def procedures_page(responder: Responder, query: str, page: int = 1) -> ProceduresPage:
    catalogue: Catalogue = responder.index.catalogue
    query = query.strip()
    size = PROCEDURES_PER_PAGE
    found = catalogue.search(query, limit=size, offset=(page - 1) * size)
    pages = max(1, -(-found.total // size))
    return ProceduresPage(
        query=query,
        total=found.total,
        page=page,
        pages=pages,
        rows=[catalogue_row(responder, r) for r in found.records],
        previous_link=procedures_link(query, page - 1) if page > 1 else None,
        next_link=procedures_link(query, page + 1) if page < pages else None,
        provinces=catalogue.provinces(),
    )
