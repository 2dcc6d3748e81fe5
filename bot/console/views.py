"""What the console's pages show, built from the responder's index and registry.

Routes stay thin: each page asks one function here for a plain model and renders it. Nothing
here knows about HTTP or HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import quote, urlencode

from pydantic import BaseModel

from motcua.bot.choices import offered
from motcua.bot.console.highlight import Terms, highlight, question_terms
from motcua.bot.pipeline import Question, QuestionPipeline
from motcua.bot.responder import Responder
from motcua.index.catalogue import Catalogue
from motcua.index.filters import DocumentFilter
from motcua.index.store import StoredDocument
from motcua.ingest.cards import ProcedureCard, builtin_card
from motcua.ingest.catalogue import ProcedureRecord
from motcua.ingest.registry import DecreeRegistry, LegalDocRecord
from motcua.ingest.text_layer import is_ocr_text
from motcua.text import dmy, fold_phrase
from motcua.types import Answer, Chunk, Citation

PREFIX = "/console"
NO_MATCHING_DOCUMENTS = "Không có tài liệu nào khớp bộ lọc đã chọn ({filters}). Hãy bỏ bớt bộ lọc."
FILTERED_REFUSAL = "Trong các tài liệu khớp bộ lọc ({filters}) không có câu trả lời."
RELATIONS = (
    ("amends", "Sửa đổi, bổ sung"),
    ("amended_by", "Được sửa đổi, bổ sung bởi"),
    ("replaces", "Thay thế"),
    ("replaced_by", "Bị thay thế bởi"),
    ("repeals", "Bãi bỏ"),
    ("repealed_by", "Bị bãi bỏ bởi"),
)


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
        (c for c in responder.retriever.chunks if c.doc_id == doc_id), key=lambda c: c.position
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


# --- filters ------------------------------------------------------------------------------


class FilterOptions(BaseModel):
    doc_types: list[str]
    issuers: list[str]
    years: list[int]


def filter_options(documents: Iterable[StoredDocument]) -> FilterOptions:
    """The choices the loaded index offers: each value some document has."""
    metas = [d.meta for d in documents]
    return FilterOptions(
        doc_types=sorted({m.doc_type for m in metas if m.doc_type}),
        issuers=sorted({m.issuer for m in metas if m.issuer}),
        years=sorted({int(m.issued_date[:4]) for m in metas if m.issued_date}, reverse=True),
    )


def describe_filter(doc_filter: DocumentFilter) -> str:
    parts = []
    if doc_filter.doc_type:
        parts.append(f"loại văn bản: {doc_filter.doc_type}")
    if doc_filter.issuer:
        parts.append(f"cơ quan ban hành: {doc_filter.issuer}")
    if doc_filter.year is not None:
        parts.append(f"năm: {doc_filter.year}")
    return "; ".join(parts)


# --- the answer ---------------------------------------------------------------------------


class CitationView(BaseModel):
    number: int
    doc_id: str
    label: str
    doc_type: str | None
    so_hieu: str | None
    date: str | None
    issuer: str | None
    section: str | None
    quote: str
    score: float
    passage: list[SegmentOut]  # the whole chunk, the question's words marked
    link: str  # the document, opened at the chunk
    card_link: str | None


class SuggestionView(BaseModel):
    label: str
    question: str
    link: str  # the console asking `question` (URL-encoded here, text set as text by the page)


def suggestion_views(answer: Answer) -> list[SuggestionView]:
    """What a clarify answer offers, as links (other answers offer nothing)."""
    return [
        SuggestionView(label=s.label, question=s.question, link=question_link(s.question))
        for s in offered(answer)
    ]


class AnswerView(BaseModel):
    question: str
    answer: str  # the whole text (what "copy" copies)
    status: str = "answered"  # answered | clarify | refused
    refused: bool
    lead: str | None = None  # shown first and prominently; `details` then starts collapsed
    details: str | None = None
    suggestions: list[SuggestionView] = []
    filtered: bool
    curated: bool = False  # staff's standard answer (shown as such)
    answer_id: str | None = None  # for 👍/👎 through /v1/feedback
    notice: str | None  # said above the answer: the filter left nothing, or nothing answered
    terms: list[str]  # folded words the passages are marked with
    citations: list[CitationView]


def answer_view(
    pipeline: QuestionPipeline, question: str, doc_filter: DocumentFilter | None = None
) -> AnswerView:
    """The console's answer: through the pipeline (curated answers, the dialogue's
    clarifying questions, the question log); an operator's filters search only what they let
    through."""
    responder = pipeline.responder
    assert responder is not None  # the route answers 503 before
    doc_filter = doc_filter or DocumentFilter()
    terms = question_terms(question)
    base = {"question": question, "filtered": doc_filter.active, "terms": terms.listed}
    if doc_filter.active and not doc_filter.allowed(responder.retriever.documents.values()):
        notice = NO_MATCHING_DOCUMENTS.format(filters=describe_filter(doc_filter))
        return AnswerView(
            **base, answer=notice, status="refused", refused=True, notice=notice, citations=[]
        )
    active = doc_filter if doc_filter.active else None
    answer = pipeline.ask(Question(question, channel="console", filters=active))
    notice = None
    if answer.refused and doc_filter.active:
        notice = FILTERED_REFUSAL.format(filters=describe_filter(doc_filter))
    citations = [
        _citation_view(responder, number, citation, terms)
        for number, citation in enumerate(answer.citations, start=1)
    ]
    return AnswerView(
        **base,
        answer=answer.answer,
        status=answer.status or "answered",
        refused=answer.refused,
        # Without details there is nothing to fold away: the lead alone is the answer.
        lead=answer.lead if answer.details else None,
        details=answer.details,
        suggestions=suggestion_views(answer),
        curated=answer.curated,
        answer_id=answer.answer_id,
        notice=notice,
        citations=citations,
    )


def _citation_view(
    responder: Responder, number: int, citation: Citation, terms: Terms
) -> CitationView:
    document = responder.retriever.documents.get(citation.doc_id)
    summary = summarize(responder, document) if document else None
    chunk = locate(chunks_of(responder, citation.doc_id), citation.quote, citation.section)
    passage = chunk.shown if chunk else citation.quote
    return CitationView(
        number=number,
        doc_id=citation.doc_id,
        label=citation.title,
        doc_type=summary.doc_type if summary else None,
        so_hieu=citation.so_hieu,
        date=summary.date if summary else None,
        issuer=summary.issuer if summary else None,
        section=citation.section,
        quote=citation.quote,
        score=citation.score,
        passage=[SegmentOut(text=s.text, mark=s.mark) for s in highlight(passage, terms)],
        link=document_link(citation.doc_id, chunk.position if chunk else None),
        card_link=summary.card_link if summary else None,
    )


# --- a whole document ---------------------------------------------------------------------


class ChunkView(BaseModel):
    position: int
    anchor: str  # "chunk-3"
    section: str | None
    text: str


class Reference(BaseModel):
    label: str
    link: str


class DocumentView(BaseModel):
    summary: DocumentSummary
    place: str | None
    chunks: list[ChunkView]
    record_link: str | None  # this document's own entry in the registry
    cites: list[Reference]  # legal documents it cites, bases first


def document_view(responder: Responder, doc_id: str) -> DocumentView | None:
    document = responder.retriever.documents.get(doc_id)
    if document is None:
        return None
    registry = responder.registry
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
        cites=[_reference(r) for r in registry.cited_in(doc_id)],
    )


def documents_list(responder: Responder) -> list[DocumentSummary]:
    """Every document of the index, cards last, newest first within each kind."""
    documents = responder.retriever.documents.values()
    newest = sorted(documents, key=lambda d: d.meta.issued_date or "", reverse=True)
    return [summarize(responder, d) for d in sorted(newest, key=lambda d: d.kind == "card")]


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
    indexed_card = record.card_id and record.card_id in responder.retriever.documents
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
    document = responder.retriever.documents.get(doc_id)
    card = builtin_card(doc_id)
    if card is None or document is None or document.kind != "card":
        return None
    return CardView(
        card=card,
        document_link=document_link(doc_id),
        basis_links=[decree_link(b.so_hieu) for b in card.can_cu_phap_ly],
        catalogue=[catalogue_row(responder, r) for r in responder.catalogue.for_card(doc_id)],
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
    catalogue: Catalogue = responder.catalogue
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


# --- the registry of legal documents ------------------------------------------------------


class MentionView(BaseModel):
    label: str  # the citing document
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
    document_link: str | None  # its own text, when ingested
    cited_by: list[MentionView]
    relations: list[RelationView]


class DecreePage(BaseModel):
    query: str
    record: RecordView | None
    others: list[Reference]  # further matches, or the most cited when nothing was asked


def _reference(record: LegalDocRecord) -> Reference:
    return Reference(label=record.label(), link=decree_link(record.so_hieu or record.key))


def decree_page(responder: Responder, query: str, limit: int = 20) -> DecreePage:
    registry: DecreeRegistry = responder.registry
    query = query.strip()
    if not query:
        most_cited = registry.search("", limit)
        return DecreePage(query="", record=None, others=[_reference(r) for r in most_cited])
    record = registry.get(query)
    others = [r for r in registry.search(query, limit) if record is None or r.key != record.key]
    return DecreePage(
        query=query,
        record=_record_view(responder, record) if record else None,
        others=[_reference(r) for r in others],
    )


def _shown(responder: Responder, text: str | None) -> str | None:
    """Registry text quoted from a scan, repaired for reading like the scan's passages."""
    if text and is_ocr_text(text):
        return responder.text_layer.readable(text)
    return text


def _record_view(responder: Responder, record: LegalDocRecord) -> RecordView:
    documents = responder.retriever.documents
    mentions = []
    seen: set[tuple[str, str]] = set()
    for mention in record.cited_by:
        document = documents.get(mention.doc_id)
        # A clause that names the number twice is one citing passage, shown once.
        if document is None or (mention.doc_id, mention.passage) in seen:
            continue
        seen.add((mention.doc_id, mention.passage))
        chunk = locate(chunks_of(responder, mention.doc_id), mention.passage)
        mentions.append(
            MentionView(
                label=summarize(responder, document).label,
                passage=responder.readable(mention.doc_id, mention.passage),
                link=document_link(mention.doc_id, chunk.position if chunk else None),
                basis=mention.basis,
            )
        )
    relations = []
    for field, name in RELATIONS:
        linked = [responder.registry.records.get(key) for key in getattr(record, field)]
        if linked := [_reference(r) for r in linked if r is not None]:
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
        document_link=document_link(own) if own else None,
        cited_by=mentions,
        relations=relations,
    )
