"""Document filters restrict retrieval itself: a filtered answer cites only matching documents."""

from __future__ import annotations

from motcua.index.filters import DocumentFilter
from motcua.types import DocumentMeta

PLAN_2025 = DocumentMeta(
    doc_type="Kế hoạch",
    issuer="Sở Giáo dục và Đào tạo tỉnh Long An",
    issued_date="2025-05-05",
)


def test_each_set_field_must_match() -> None:
    assert DocumentFilter().matches(PLAN_2025)
    assert not DocumentFilter().active
    assert DocumentFilter(doc_type="Kế hoạch", year=2025).matches(PLAN_2025)
    assert not DocumentFilter(doc_type="Nghị định").matches(PLAN_2025)
    assert not DocumentFilter(issuer="Trường THCS Thuong Son").matches(PLAN_2025)
    assert not DocumentFilter(year=2024).matches(PLAN_2025)


def test_a_year_filter_excludes_undated_documents() -> None:
    assert not DocumentFilter(year=2025).matches(DocumentMeta(doc_type="Kế hoạch"))


def test_unfiltered_search_is_unchanged(console_responder) -> None:
    retriever = console_responder.retriever
    plain = retriever.search("xin ban sao bang tot nghiep", k=5)
    empty = retriever.search("xin ban sao bang tot nghiep", k=5, doc_filter=DocumentFilter())
    assert [h.chunk.chunk_id for h in plain] == [h.chunk.chunk_id for h in empty]
    assert plain[0].chunk.doc_id == "tthc-ban-sao-van-bang"


def test_filtered_search_only_returns_matching_documents(console_responder) -> None:
    retriever = console_responder.retriever
    hits = retriever.search(
        "xin ban sao bang tot nghiep", k=20, doc_filter=DocumentFilter(doc_type="Kế hoạch")
    )
    assert hits, "plans have chunks, so some compete"
    plans = {d.doc_id for d in retriever.documents.values() if d.meta.doc_type == "Kế hoạch"}
    assert {h.chunk.doc_id for h in hits} <= plans


def test_a_filter_nothing_matches_finds_nothing(console_responder) -> None:
    nothing = DocumentFilter(doc_type="Kế hoạch", year=1999)
    assert console_responder.retriever.search("tuyen truyen cai cach hanh chinh", 5, nothing) == []
    answer = console_responder.answer("tuyên truyền cải cách hành chính", doc_filter=nothing)
    assert answer.refused and not answer.citations


def test_filtered_answer_cites_only_matching_documents(console_responder) -> None:
    question = "kế hoạch tuyên truyền cải cách hành chính năm 2025"
    year = DocumentFilter(year=2025)
    answer = console_responder.answer(question, doc_filter=year)
    assert not answer.refused
    documents = console_responder.index.documents
    assert all(year.matches(documents[c.doc_id].meta) for c in answer.citations)
    school = DocumentFilter(issuer="Trường THCS Thuong Son")
    answer = console_responder.answer(question, doc_filter=school)
    assert not answer.refused
    assert {c.doc_id for c in answer.citations} == {"004_6c8115b2801e23a2"}


def test_registry_answers_respect_the_filter(console_responder) -> None:
    question = "kế hoạch 1655 căn cứ văn bản nào?"  # answered from the registry
    unfiltered = console_responder.answer(question)
    assert [c.doc_id for c in unfiltered.citations] == ["000_5348ec65c6d4a033"]
    same_year = console_responder.answer(question, doc_filter=DocumentFilter(year=2025))
    assert [c.doc_id for c in same_year.citations] == ["000_5348ec65c6d4a033"]
    cards_only = console_responder.answer(
        question, doc_filter=DocumentFilter(doc_type="Thủ tục hành chính")
    )
    assert cards_only.refused and not cards_only.citations
