"""Which documents may answer a question that names a province."""

from __future__ import annotations

from motcua.bot.document_scope import DocumentScope
from motcua.index.store import StoredDocument
from motcua.lexicon import normalize
from motcua.types import DocumentMeta


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
