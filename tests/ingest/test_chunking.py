"""Chunks follow the document's hierarchy and carry their heading path."""

from __future__ import annotations

from motcua.ingest.chunking import MAX_CHARS, chunk_text
from motcua.ingest.cleaning import paragraphs

PLAN = """KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2025

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao nhận thức của cán bộ, công chức về cải cách hành chính, tạo sự đồng thuận
của người dân và doanh nghiệp trong việc thực hiện thủ tục hành chính trên địa bàn.
Tăng cường sự tham gia của các cấp, các ngành, các tổ chức chính trị - xã hội, người dân,
doanh nghiệp trong việc giám sát, phản biện đối với hoạt động của cơ quan hành chính.
2. Yêu cầu
- Tuyên truyền kịp thời, đầy đủ, thường xuyên, phù hợp với tình hình, đặc điểm của ngành.
- Nội dung ngắn gọn, chính xác, dễ hiểu, phù hợp từng đối tượng là công chức, viên chức.
- Các hình thức tuyên truyền đa dạng, phong phú, thiết thực, kịp thời, sâu rộng.

II. NỘI DUNG TUYÊN TRUYỀN
1. Nội dung
a) Các quy định về cơ chế một cửa, một cửa liên thông theo Nghị định số 61/2018/NĐ-CP.
b) Kết quả đánh giá Chỉ số hài lòng của người dân (SIPAS).
"""

DECREE = """NGHỊ ĐỊNH
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định về kiểm soát thủ tục hành chính.
Điều 2. Đối tượng áp dụng
1. Cơ quan hành chính nhà nước.
2. Tổ chức, cá nhân có liên quan.
Điều 3. Giải thích từ ngữ
Trong Nghị định này, các từ ngữ dưới đây được hiểu như sau.
Chương II
THỰC HIỆN THỦ TỤC HÀNH CHÍNH
Điều 4. Công khai thủ tục hành chính
Thủ tục hành chính phải được công khai đầy đủ, thường xuyên.
"""


def test_plan_sections_carry_their_heading_path() -> None:
    chunks = chunk_text(PLAN)
    sections = [c.section for c in chunks]
    assert "I. MỤC ĐÍCH, YÊU CẦU > 2. Yêu cầu" in sections
    one_stop = next(c for c in chunks if "61/2018/NĐ-CP" in c.text)
    assert one_stop.section.startswith("II. NỘI DUNG TUYÊN TRUYỀN > 1. Nội dung")


def test_small_sibling_sections_share_a_chunk_labelled_by_their_parent() -> None:
    text = "I. YÊU CẦU\n1. Kịp thời\nTuyên truyền kịp thời.\n2. Chính xác\nNội dung chính xác.\n"
    chunks = chunk_text(text)
    assert len(chunks) == 1
    assert chunks[0].section == "I. YÊU CẦU"
    assert "Nội dung chính xác." in chunks[0].text


def test_legal_text_is_chunked_by_article_under_its_chapter() -> None:
    chunks = chunk_text(DECREE)
    article4 = next(c for c in chunks if "Điều 4." in c.text)
    assert (
        article4.section
        == "Chương II. THỰC HIỆN THỦ TỤC HÀNH CHÍNH > Điều 4. Công khai thủ tục hành chính"
    )
    # khoản 1., 2. stay inside their article instead of becoming sections of their own
    article2 = next(c for c in chunks if "Điều 2." in c.text)
    assert "Tổ chức, cá nhân có liên quan" in article2.text


def test_no_chunk_is_a_heading_alone() -> None:
    for chunk in chunk_text(DECREE) + chunk_text(PLAN):
        assert chunk.text.strip() not in {"Chương I", "NHỮNG QUY ĐỊNH CHUNG", "1. Mục đích"}


def test_long_sections_are_split_under_the_size_bound_at_sentences() -> None:
    sentence = "Các đơn vị tổ chức tuyên truyền về cải cách hành chính đến toàn thể người dân. "
    text = "I. NỘI DUNG\n" + sentence * 60
    chunks = chunk_text(text)
    assert len(chunks) > 1
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    assert all(c.text.rstrip().endswith(".") for c in chunks)
    assert all(c.section == "I. NỘI DUNG" for c in chunks)


def test_ocr_wrapped_lines_are_rejoined_into_paragraphs() -> None:
    ocr = (
        "I. MUC DICH\n1. Muc dich\n"
        "- Tiep tuc nang cao nhan thuc ve cai cach\nhanh chinh cho nguoi dan.\n"
    )
    assert paragraphs(ocr) == [
        "I. MUC DICH",
        "1. Muc dich",
        "- Tiep tuc nang cao nhan thuc ve cai cach hanh chinh cho nguoi dan.",
    ]


def test_page_break_inside_a_sentence_is_joined() -> None:
    text = "Bảo đảm thông tin được\n\nphản ánh đầy đủ, kịp thời."
    assert paragraphs(text) == ["Bảo đảm thông tin được phản ánh đầy đủ, kịp thời."]
