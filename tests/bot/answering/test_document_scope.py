"""Which documents may answer a question that names a province."""

from __future__ import annotations

from motcua.bot.answering.document_scope import DocumentScope
from motcua.index.store import StoredDocument
from motcua.lexicon import normalize
from motcua.types import Chunk, DocumentMeta, Hit


def _document(doc_id: str, **meta: str) -> StoredDocument:
    return StoredDocument(doc_id, f"{doc_id}.txt", doc_id, "text", DocumentMeta(**meta), "")


DOCUMENTS = {
    # A plan saved without its header: the issuer line names no province, the text keeps
    # naming Long An (ingest's metadata reads it as the place).
    "plan-long-an": _document("plan-long-an", issuer="Sở Giáo dục và Đào tạo", place="Long An"),
    "plan-binh-dinh": _document(
        "plan-binh-dinh", issuer="Sở Giáo dục và Đào tạo tỉnh Bình Định", so_hieu="978/KH-SGDĐT"
    ),
    # A national text signed in Hà Nội holds in every province.
    "decree": _document("decree", issuer="Chính phủ", place="Hà Nội", so_hieu="30/2020/NĐ-CP"),
}


def _elsewhere(question: str) -> set[str]:
    elsewhere = DocumentScope(DOCUMENTS).elsewhere(question, normalize(question))
    return {doc_id for doc_id in DOCUMENTS if elsewhere(doc_id)}


def test_a_local_body_without_its_province_in_its_name_is_still_that_provinces() -> None:
    assert _elsewhere("Sở GD&ĐT Bình Định tuyên truyền những nội dung gì?") == {"plan-long-an"}
    assert _elsewhere("So GD Long An tuyen truyen nhung noi dung gi") == {"plan-binh-dinh"}


def test_a_national_text_is_never_another_provinces() -> None:
    assert "decree" not in _elsewhere("Ở Hà Nội hay Long An thì văn thư làm thế nào?")
    assert "decree" not in _elsewhere("Ở Bình Định văn thư làm thế nào?")


def test_no_province_named_leaves_every_document() -> None:
    assert _elsewhere("Kế hoạch tuyên truyền năm 2024 có nội dung gì?") == set()


YEARLY = {
    "plan-2025": _document("plan-2025", title="Tuyên truyền cải cách hành chính năm 2025"),
    "plan-2024": _document("plan-2024", title="Tuyên truyền cải cách hành chính năm 2024"),
    "decree": _document("decree", title="Về công tác văn thư", so_hieu="30/2020/NĐ-CP"),
}


def _order(question: str, docs: list[str]) -> list[str]:
    hits = [Hit(Chunk(i, doc_id, "…"), 1.0 - i / 10) for i, doc_id in enumerate(docs)]
    return [h.chunk.doc_id for h in DocumentScope(YEARLY).for_year(question, hits)]


def test_the_plan_for_the_year_asked_comes_first() -> None:
    asked = "Sở GD&ĐT Long An tổ chức những cuộc thi nào về CCHC năm 2024?"
    # the other year's plan steps back; a text whose title names no year keeps its place
    assert _order(asked, ["plan-2025", "decree", "plan-2024"]) == [
        "decree",
        "plan-2024",
        "plan-2025",
    ]
    assert _order("thi nào năm 2024", ["plan-2025", "plan-2024"]) == ["plan-2024", "plan-2025"]


def test_years_of_numbers_dates_or_no_titled_document_change_nothing() -> None:
    docs = ["plan-2025", "decree", "plan-2024"]
    assert _order("Nghị định 30/2024 quy định gì?", docs) == docs  # a number, not a year
    assert _order("ban hành ngày 05/05/2024 không?", docs) == docs  # a date
    assert _order("năm 2023 tuyên truyền gì", docs) == docs  # no plan for 2023 retrieved
    # what a plan aims at is not the year it is for
    assert _order("chương trình giai đoạn 2021 - 2025 là gì", docs) == docs
    assert _order("chuyển đổi số đến năm 2025, định hướng đến năm 2030", docs) == docs
    assert _order("kế hoạch năm 2024 nói về chuyển đổi số đến năm 2025", docs)[0] == "decree"
    assert _order("tuyên truyền gì", docs) == docs


def test_the_text_named_by_its_number_comes_first_when_retrieved() -> None:
    docs = ["decree-30", "plan-2024", "decree-09", "decree-30"]
    hits = [Hit(Chunk(i, doc_id, "…"), 1.0 - i / 10) for i, doc_id in enumerate(docs)]
    named = [h.chunk.doc_id for h in DocumentScope.named_first("decree-09", hits)]
    assert named == ["decree-09", "decree-30", "plan-2024", "decree-30"]
    # nothing named, or the named text not retrieved: retrieval's order stands
    assert DocumentScope.named_first(None, hits) == hits
    assert DocumentScope.named_first("decree-48", hits) == hits
