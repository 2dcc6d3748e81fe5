"""The console's question page: the filter choices, and an answer with its citations, each
citation opened at its passage with the question's words marked."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from motcua.bot.answering.choices import offered
from motcua.bot.answering.pipeline import Question, QuestionPipeline
from motcua.bot.answering.responder import Responder
from motcua.bot.web.console.highlight import Terms, highlight, question_terms
from motcua.bot.web.console.pieces import (
    SegmentOut,
    chunks_of,
    document_link,
    locate,
    question_link,
    summarize,
)
from motcua.index.filters import DocumentFilter
from motcua.index.store import StoredDocument
from motcua.types import Answer, Citation

NO_MATCHING_DOCUMENTS = "Không có tài liệu nào khớp bộ lọc đã chọn ({filters}). Hãy bỏ bớt bộ lọc."
FILTERED_REFUSAL = "Trong các tài liệu khớp bộ lọc ({filters}) không có câu trả lời."


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
    if doc_filter.active and not doc_filter.allowed(responder.index.documents.values()):
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
    document = responder.index.documents.get(citation.doc_id)
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
