"""Every supported format yields its text; unreadable and empty files raise LoaderError."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from motcua.ingest.loaders import LoaderError, iter_files, load_text

SENTENCE = "Hồ sơ chuyển trường gồm đơn xin chuyển trường và học bạ."


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer (ASCII text, standard Helvetica font)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_plain_text_and_markdown(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "b.md").write_text(f"# Tiêu đề\n\n{SENTENCE}", encoding="utf-8")
    assert load_text(tmp_path / "a.txt") == SENTENCE
    assert SENTENCE in load_text(tmp_path / "b.md")


def test_text_is_normalised_to_nfc(tmp_path: Path) -> None:
    import unicodedata

    (tmp_path / "nfd.txt").write_text(unicodedata.normalize("NFD", SENTENCE), encoding="utf-8")
    assert load_text(tmp_path / "nfd.txt") == SENTENCE


def test_docx(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph(SENTENCE)
    document.save(tmp_path / "plan.docx")
    assert SENTENCE in load_text(tmp_path / "plan.docx")


def test_html_drops_scripts(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        f"<html><script>var x = 1;</script><body><p>{SENTENCE}</p></body></html>",
        encoding="utf-8",
    )
    text = load_text(tmp_path / "page.html")
    assert SENTENCE in text and "var x" not in text


def test_pdf_text_layer(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(minimal_pdf("Ke hoach so 1655"))
    assert "Ke hoach so 1655" in load_text(tmp_path / "scan.pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("blank.md", b"   \n\n  "),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf"),
        ("broken.docx", b"PK not a zip"),
        ("notes.xyz", b"unsupported"),
    ],
)
def test_unreadable_or_empty_files_raise_with_the_file_name(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoaderError) as error:
        load_text(path)
    assert name in str(error.value)


def test_folders_are_walked_recursively_for_supported_files(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.md").write_text("y", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    found = sorted(p.name for p in iter_files([tmp_path]))
    assert found == ["a.txt", "b.md"]


# A decision saved from the web: footnote markers in a heading cell and in a row's cell, the
# notes after the signature.
FOOTNOTED = """| STT | **Mã TTHC[1]** | Căn cứ hoặc lý do bãi bỏ |
| --- | --- | --- |
| 21 | 1.010219 | Công văn số 2659/BGDĐT-VP ngày 28/6/2021[2]. |

CHỦ TỊCH
Nguyễn Văn A

[1] Do
hệ thống cơ sở dữ liệu tự sinh mã.
[2] Trên
cơ sở ý kiến của cơ quan chuyên môn (Sở Tư pháp), xác định đây không phải thủ tục đặc thù
"""


def test_footnotes_are_read_where_they_are_cited(tmp_path: Path) -> None:
    path = tmp_path / "1521.md"
    path.write_text(FOOTNOTED, encoding="utf-8")
    text = load_text(path)
    # the row's cell holds its note, brackets of the note kept from closing the inline one
    assert (
        "28/6/2021 (chú thích: Trên cơ sở ý kiến của cơ quan chuyên môn [Sở Tư pháp], "
        "xác định đây không phải thủ tục đặc thù)." in text
    )
    assert "**Mã TTHC[1]**" in text  # a column heading's note would repeat in every row
    assert "[2] Trên" not in text and text.rstrip().endswith("Nguyễn Văn A")


@pytest.mark.parametrize(
    "text",
    [
        "Theo tài liệu [2], xem mục 3.\n\n[2] Tài liệu tham khảo",  # notes not numbered from 1
        "Điều 1[1]. Phạm vi\n[1] Ghi chú một\nĐiều 2. Đối tượng",  # a "note" the text goes on after
        "Danh mục:\n[1] Mục một\n[2] Mục hai\n",  # a numbered list nothing cites
    ],
)
def test_text_without_a_block_of_cited_notes_stays_as_written(tmp_path: Path, text: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    assert load_text(path) == text


def test_a_pdfs_running_header_and_footer_are_dropped(tmp_path: Path) -> None:
    from motcua.ingest.chunking import chunk_text
    from tests.ingest.pdf_fixtures import vietnamese_pdf

    header = "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH X"
    pdf = vietnamese_pdf(header=header, footer="Kế hoạch 125/KH-SGDĐT - Trang {page}/{nb}")

    def write(text: str) -> None:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")

    write("KẾ HOẠCH TUYỂN SINH VÀO LỚP 10 NĂM HỌC 2025-2026")  # once, at the top
    write("I. MỤC ĐÍCH\nTuyển sinh đúng quy chế, công khai, minh bạch.")
    write("II. THỜI GIAN\nHọc sinh nộp hồ sơ tại trường trung học cơ sở nơi")
    pdf.add_page()  # the sentence goes on over the page break
    write("học lớp 9 từ ngày 02/6/2025 đến ngày 10/6/2025.")
    pdf.add_page()
    write("III. TỔ CHỨC THỰC HIỆN\nCác trường báo cáo kết quả trước ngày 30/7.")
    pdf.output(str(tmp_path / "ke-hoach.pdf"))
    passages = "\n".join(c.text for c in chunk_text(load_text(tmp_path / "ke-hoach.pdf")))
    assert header not in passages and "Kế hoạch 125" not in passages
    assert "KẾ HOẠCH TUYỂN SINH VÀO LỚP 10" in passages
    assert "tại trường trung học cơ sở nơi học lớp 9 từ ngày 02/6/2025" in passages
    assert "Các trường báo cáo kết quả trước ngày 30/7." in passages
