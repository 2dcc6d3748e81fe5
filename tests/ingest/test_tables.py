"""Tables as tables: each row is a passage that carries its column headers and its place, from
every form a table reaches us in (markdown pipe text, web saves with one cell per line, DOCX,
HTML, PDF), and on the real web-saved documents in ../shared/corpus/tables."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from motcua.ingest.chunking import MAX_CHARS, chunk_text
from motcua.ingest.loaders import load_text
from motcua.ingest.pipe_tables import to_markdown
from motcua.ingest.signature_block import split_signature_block
from motcua.ingest.table_parts import Table
from motcua.ingest.tables import split_tables
from tests.conftest import SHARED
from tests.ingest.pdf_fixtures import vietnamese_pdf

TABLES = SHARED / "corpus" / "tables"

CODE = "Mã thủ tục"
NAME = "Tên thủ tục"
LEVEL = "Cấp thực hiện"
TIME = "Thời hạn giải quyết"
PROCEDURES = [
    (
        "1",
        "2.002481",
        "Chuyển trường đối với học sinh trung học cơ sở",
        "Cấp xã",
        "03 ngày làm việc",
    ),
    ("2", "1.005097", "Xét tuyển sinh vào trường phổ thông dân tộc nội trú", "Cấp tỉnh", "10 ngày"),
]


def table_rows(text: str) -> list:
    return [c for c in chunk_text(text) if re.search(r"(?:^| > )Bảng \d+ > dòng ", c.section or "")]


def passage_for(chunks: list, needle: str):
    found = [c for c in chunks if needle in c.text]
    assert found, f"no row passage holds {needle!r}"
    return found[0]


def assert_procedure_rows(chunks: list) -> None:
    """Every procedure row is its own passage naming each column next to its value."""
    for _, code, name, level, time in PROCEDURES:
        row = passage_for(chunks, code)
        for header, value in ((CODE, code), (NAME, name), (LEVEL, level), (TIME, time)):
            assert f"{header}: {value}" in row.text, row.text
        assert row.section and "Bảng " in row.section and "dòng" in row.section


# ------------------------------------------------------------------------------------------
# Text forms


def test_markdown_pipe_table_with_wrapped_rows_and_a_repeated_header() -> None:
    text = (
        "I. DANH MỤC THỦ TỤC HÀNH CHÍNH\n\n"
        f"| STT | {CODE} | {NAME} | {LEVEL} | {TIME} |\n"
        "|---|---|---|---|---|\n"
        "| 1 | 2.002481 | Chuyển trường đối với học sinh\n"
        "trung học cơ sở | Cấp xã | 03 ngày làm việc |\n"
        "\nTrang 2\n\n"  # the page break repeats the header
        f"| STT | {CODE} | {NAME} | {LEVEL} | {TIME} |\n"
        "|---|---|---|---|---|\n"
        "| 2 | 1.005097 | Xét tuyển sinh vào trường phổ thông dân tộc nội trú | Cấp tỉnh "
        "| 10 ngày |\n"
    )
    chunks = table_rows(text)
    assert len(chunks) == 2  # no passage of the repeated header
    assert_procedure_rows(chunks)
    assert chunks[0].section == "I. DANH MỤC THỦ TỤC HÀNH CHÍNH > Bảng 1 > dòng 1"
    assert chunks[1].section.endswith("Bảng 1 > dòng 2")  # one table across the break


def test_a_blank_line_between_a_pipe_tables_groups_does_not_end_it() -> None:
    # As 1766/QĐ-UBND of Bình Thuận was saved: a blank line before each group row. The rows
    # after it keep the table's headers; a new table (with its own rule line) stays apart.
    text = (
        f"| STT | {CODE} | {NAME} | {LEVEL} | {TIME} |\n"
        "|---|---|---|---|---|\n"
        "| I | Giáo dục trung học |  |  |  |\n"
        "| 1 | 2.002481 | Chuyển trường đối với học sinh trung học cơ sở | Cấp xã "
        "| 03 ngày làm việc |\n"
        "\n"
        "| II | Giáo dục dân tộc |  |  |  |\n"
        "| 2 | 1.005097 | Xét tuyển sinh vào trường phổ thông dân tộc nội trú | Cấp tỉnh "
        "| 10 ngày |\n"
        "\n"
        "| TT | Ghi chú | Số | Ngày | Nơi |\n"
        "|---|---|---|---|---|\n"
        "| 1 | bãi bỏ | 3 | 4 | 5 |\n"
    )
    tables = [item for item in split_tables(text) if isinstance(item, Table)]
    assert len(tables) == 2
    chunks = table_rows(text)
    assert_procedure_rows(chunks)
    second = passage_for(chunks, "1.005097")
    assert second.section == "Bảng 1 > dòng 2"
    assert second.text.startswith("II. Giáo dục dân tộc\n")


def test_web_saved_table_with_cells_on_their_own_lines() -> None:
    # as thuvienphapluat saves: a lone "|" between cells, "|" then "|" between rows, an empty
    # cell as two adjacent "|", cells wrapped over lines, a bold group row across the table,
    # and a unit cell merged down (the next row leaves it out).
    text = "\n".join(
        [
            "**Điều 2. Mức thu**",
            "Đơn vị tính: đồng/học sinh/ngày",
            "|",
            "**TT**",
            "|",
            "**Dịch vụ**",
            "|",
            "**Đơn vị tính**",
            "|",
            "**Mức thu**",
            "|",
            "**Ghi chú**",
            "|",
            "|",
            "**1**",
            "|",
            "**Dịch vụ ăn uống,",
            "bán trú**",
            "|",
            "|",
            "|",
            "|",
            "|",
            "1.1",
            "|",
            "Bữa sáng",
            "|",
            "Đồng/học sinh/ngày",
            "|",
            "20.000",
            "|",
            "|",
            "|",
            "1.2",
            "|",
            "Bữa trưa",
            "|",
            "35.000",
            "|",
            "* *",
            "|",
            "|",
            "2",
            "|",
            "Đưa đón học sinh",
            "|",
            "Đồng/học sinh/km",
            "|",
            "10.000",
            "|",
            "Bằng xe",
            "ô tô",
            "|",
            "",
            "Điều 3. Tổ chức thực hiện",
        ]
    )
    chunks = table_rows(text)
    lunch = passage_for(chunks, "Bữa trưa")
    assert "Dịch vụ ăn uống, bán trú" in lunch.text  # the group row it sits under
    assert "Đơn vị tính: Đồng/học sinh/ngày" in lunch.text  # the merged unit cell
    assert "Mức thu: 35.000" in lunch.text
    caption, unit = lunch.text.split("\n")[:2]
    assert caption == "Điều 2. Mức thu"  # what the table is about, above it
    assert "đồng/học sinh/ngày" in unit  # the table's unit line
    bus = passage_for(chunks, "Đưa đón")
    assert "Ghi chú: Bằng xe ô tô" in bus.text and "Mức thu: 10.000" in bus.text
    assert "Bữa trưa" not in bus.text
    assert not any(c.text.startswith("TT: TT") for c in chunks)
    assert len(chunks) == 3  # the group row is no passage of its own


def test_multi_row_header_is_joined_per_column() -> None:
    grid = [
        ["Địa bàn", "Mức thu học phí", "Mức thu học phí"],
        ["Địa bàn", "Mầm non", "Tiểu học"],
        ["Thành thị", "300.000", "250.000"],
    ]
    (table,) = [t for t in split_tables(to_markdown(grid, header_rows=2)) if isinstance(t, Table)]
    assert table.columns == ("Địa bàn", "Mức thu học phí / Mầm non", "Mức thu học phí / Tiểu học")
    assert [r.cells for r in table.rows] == [("Thành thị", "300.000", "250.000")]


def test_layout_tables_stay_plain_text() -> None:
    text = (
        "| UBND TỈNH BẮC NINH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc |\n"
        "|---|---|\n"
        "| Số: 12/QĐ-UBND | Bắc Ninh, ngày 02 tháng 01 năm 2025 |\n"
        "\nQUYẾT ĐỊNH\nVề việc công bố danh mục thủ tục hành chính.\n"
    )
    assert not table_rows(text)
    joined = "\n".join(c.text for c in chunk_text(text))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in joined and "·" not in joined


def test_a_long_row_is_split_and_every_part_keeps_its_code_and_name() -> None:
    step = "Cán bộ tiếp nhận kiểm tra hồ sơ, chuyển phòng chuyên môn thẩm định và trình ký. "
    text = (
        f"| STT | {CODE} | {NAME} | Trình tự thực hiện |\n|---|---|---|---|\n"
        f"| 1 | 2.002481 | Chuyển trường đối với học sinh trung học cơ sở | {step * 40} |\n"
    )
    chunks = table_rows(text)
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk.text) <= MAX_CHARS
        assert f"{CODE}: 2.002481" in chunk.text
        assert f"{NAME}: Chuyển trường đối với học sinh trung học cơ sở" in chunk.text


# ------------------------------------------------------------------------------------------
# File forms


def test_docx_tables_in_body_order_with_merged_header(tmp_path: Path) -> None:
    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)
    layout.rows[0].cells[0].text = "UBND TỈNH BẮC NINH"
    layout.rows[0].cells[1].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    document.add_paragraph("I. DANH MỤC THỦ TỤC HÀNH CHÍNH")
    table = document.add_table(rows=2 + len(PROCEDURES), cols=5)
    heads = ["STT", CODE, NAME, LEVEL, TIME]
    for j, head in enumerate(heads):
        table.rows[0].cells[j].text = head
    # a header cell over two header rows, and one spanning two sub-columns
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(1, 1).text, table.cell(1, 2).text = "(mã)", "(tên)"
    for i, values in enumerate(PROCEDURES, start=2):
        for j, value in enumerate(values):
            table.rows[i].cells[j].text = value
    document.add_paragraph("Điều 2. Quyết định có hiệu lực từ ngày ký.")
    document.save(tmp_path / "danh-muc.docx")
    text = load_text(tmp_path / "danh-muc.docx")
    assert text.index("I. DANH MỤC") < text.index("2.002481") < text.index("Điều 2.")
    chunks = table_rows(text)
    row = passage_for(chunks, "2.002481")
    assert f"{CODE} / (mã): 2.002481" in row.text
    assert f"{LEVEL}: Cấp xã" in row.text and f"{TIME}: 03 ngày làm việc" in row.text
    assert row.section.startswith("I. DANH MỤC THỦ TỤC HÀNH CHÍNH > Bảng")
    assert all("CỘNG HÒA" not in c.text for c in chunks)  # the layout table is no data


def test_html_table_with_rowspan_colspan_and_two_header_rows(tmp_path: Path) -> None:
    html = """<html><body><h2>Điều 2. Mức thu học phí</h2>
    <table>
      <thead>
        <tr><th rowspan="2">Địa bàn</th><th colspan="2">Mức thu học phí</th></tr>
        <tr><th>Mầm non</th><th>Tiểu học</th></tr>
      </thead>
      <tr><td colspan="3"><b>I. Khu vực thành thị</b></td></tr>
      <tr><td>Phường</td><td rowspan="2">300.000</td><td>250.000</td></tr>
      <tr><td>Thị trấn</td><td>200.000</td></tr>
    </table><p>Điều 3. Hiệu lực thi hành.</p></body></html>"""
    (tmp_path / "hoc-phi.html").write_text(html, encoding="utf-8")
    chunks = table_rows(load_text(tmp_path / "hoc-phi.html"))
    town = passage_for(chunks, "Thị trấn")
    assert "Mức thu học phí / Mầm non: 300.000" in town.text  # spanned down from "Phường"
    assert "Mức thu học phí / Tiểu học: 200.000" in town.text
    assert "I. Khu vực thành thị" in town.text  # the group row across the table
    assert len(chunks) == 2


def test_pdf_table_read_with_pdfplumber(tmp_path: Path) -> None:
    pdf = vietnamese_pdf()
    pdf.multi_cell(0, 6, "Điều 1. Danh mục thủ tục hành chính cấp xã")
    pdf.ln(2)
    with pdf.table(col_widths=WIDTHS) as table:
        table.row(HEADER)
        for values in PROCEDURES:
            table.row(list(values))
    pdf.ln(2)
    pdf.multi_cell(0, 6, "Điều 2. Quyết định có hiệu lực từ ngày ký.")
    pdf.output(str(tmp_path / "danh-muc.pdf"))
    text = load_text(tmp_path / "danh-muc.pdf")
    assert text.index("Điều 1.") < text.index("2.002481") < text.index("Điều 2.")
    assert_procedure_rows(table_rows(text))


# A procedure list long enough to cross a page: rows 1-3 on the first page, 4-6 on the next.
HEADER = ["STT", CODE, NAME, LEVEL, TIME]
WIDTHS = (10, 25, 75, 30, 40)
LIST = [
    *PROCEDURES,
    ("3", "1.004889", "Cho phép trường tiểu học hoạt động giáo dục", "Cấp xã", "20 ngày làm việc"),
    (
        "4",
        "1.005006",
        "Cho phép trường trung học phổ thông hoạt động giáo dục",
        "Cấp tỉnh",
        "20 ngày làm việc",
    ),
    (
        "5",
        "2.001904",
        "Chuyển trường đối với học sinh trung học phổ thông",
        "Cấp tỉnh",
        "03 ngày làm việc",
    ),
    ("6", "1.001639", "Công nhận trường mầm non đạt chuẩn quốc gia", "Cấp xã", "30 ngày"),
]


def _pdf_list(path: Path, second_page: str) -> None:
    """LIST in a ruled table whose second part opens a new page: with the header again
    ("repeated"), without it ("data"), without it and under a level cell merged down over its
    first two rows ("merged"), without it nor a column of row numbers ("unnumbered")."""
    first = 1 if second_page == "unnumbered" else 0  # the first column written
    pdf = vietnamese_pdf(footer="Trang {page}/{nb}")
    pdf.multi_cell(0, 6, "Điều 1. Danh mục thủ tục hành chính")
    pdf.ln(2)
    with pdf.table(col_widths=WIDTHS[first:]) as table:
        table.row(HEADER[first:])
        for values in LIST[:3]:
            table.row(list(values[first:]))
    pdf.add_page()
    headings = second_page == "repeated"
    with pdf.table(col_widths=WIDTHS[first:], first_row_as_headings=headings) as table:
        if headings:
            table.row(HEADER[first:])
        for number, *values in LIST[3:]:
            row = table.row()
            for j, value in enumerate([number, *values][first:], start=first):
                merged = second_page == "merged" and j == HEADER.index(LEVEL)
                if merged and number == "4":
                    row.cell(value, rowspan=2)
                elif not (merged and number == "5"):
                    row.cell(value)
    pdf.ln(2)
    pdf.multi_cell(0, 6, "Điều 2. Quyết định có hiệu lực từ ngày ký.")
    pdf.output(str(path))


@pytest.mark.parametrize("second_page", ["data", "merged", "unnumbered", "repeated"])
def test_a_pdf_table_crossing_a_page_is_one_table(tmp_path: Path, second_page: str) -> None:
    # A page that opens with the table's rows and not its header: a reader of the page alone
    # takes the first row ("4 | 1.005006 | …") for a header, the rest for rows under it.
    _pdf_list(tmp_path / "danh-muc.pdf", second_page)
    chunks = table_rows(load_text(tmp_path / "danh-muc.pdf"))
    assert len(chunks) == len(LIST)  # no row lost, none made of a header
    for number, code, name, level, time in LIST:
        row = passage_for(chunks, code)
        assert row.section == f"Bảng 1 > dòng {number}"
        fields = f"{CODE}: {code} · {NAME}: {name} · {LEVEL}: {level} · {TIME}: {time}"
        if second_page != "unnumbered":
            fields = f"STT: {number} · {fields}"
        assert row.text.endswith(fields), row.text


def test_two_pdf_tables_on_consecutive_pages_stay_two(tmp_path: Path) -> None:
    # As wide as the procedure list, numbered too: its own header makes it another table.
    pdf = vietnamese_pdf()
    with pdf.table(col_widths=WIDTHS) as table:
        table.row(HEADER)
        for values in LIST[:3]:
            table.row(list(values))
    pdf.add_page()
    bases = [
        ("1", "135/2020/NĐ-CP", "Quy định về tuổi nghỉ hưu", "Chính phủ", "18/11/2020"),
        ("2", "32/2020/TT-BGDĐT", "Ban hành Điều lệ trường trung học", "Bộ GDĐT", "15/9/2020"),
    ]
    with pdf.table(col_widths=(10, 40, 60, 30, 40)) as table:
        table.row(["STT", "Số hiệu", "Trích yếu", "Cơ quan ban hành", "Ngày ban hành"])
        for values in bases:
            table.row(list(values))
    pdf.output(str(tmp_path / "hai-bang.pdf"))
    chunks = table_rows(load_text(tmp_path / "hai-bang.pdf"))
    assert len(chunks) == 5
    assert passage_for(chunks, "1.004889").section == "Bảng 1 > dòng 3"
    circular = passage_for(chunks, "32/2020/TT-BGDĐT")
    assert circular.section == "Bảng 2 > dòng 2"
    assert "Số hiệu: 32/2020/TT-BGDĐT · Trích yếu: Ban hành Điều lệ" in circular.text
    assert CODE not in circular.text


def test_pdf_table_with_a_two_row_header(tmp_path: Path) -> None:
    pdf = vietnamese_pdf()
    pdf.multi_cell(0, 6, "Điều 2. Mức thu học phí")
    with pdf.table(col_widths=(50, 50, 50), num_heading_rows=2) as table:
        top = table.row()
        top.cell("Địa bàn", rowspan=2)
        top.cell("Mức thu học phí", colspan=2)
        table.row(["Mầm non", "Tiểu học"])
        table.row(["Phường", "300.000", "250.000"])
        table.row(["Thị trấn", "200.000", "180.000"])
    pdf.output(str(tmp_path / "hoc-phi.pdf"))
    chunks = table_rows(load_text(tmp_path / "hoc-phi.pdf"))
    assert len(chunks) == 2  # no row of sub-headers
    town = passage_for(chunks, "Thị trấn")
    assert town.text.endswith(
        "Địa bàn: Thị trấn · Mức thu học phí / Mầm non: 200.000 · Mức thu học phí / Tiểu học: "
        "180.000"
    ), town.text


# ------------------------------------------------------------------------------------------
# The real web-saved documents


def corpus_rows(stem: str) -> list:
    body, _tail = split_signature_block((TABLES / f"{stem}.txt").read_text(encoding="utf-8"))
    return table_rows(body)


def test_procedure_list_rows_of_the_bac_ninh_decision() -> None:
    chunks = corpus_rows("1521_2025_qd-ubnd")
    row = passage_for(chunks, "1.010219")
    assert "Tên TTHC: Tuyển sinh đầu cấp Tiểu học" in row.text
    assert "Mã TTHC: 1.010219" in row.text and "Lĩnh vực: Giáo dục tiểu học" in row.text
    assert "Sở Giáo dục và Đào tạo" in row.text  # its group: the department's section
    assert row.section.startswith("PHỤ LỤC 2")
    # a row whose code cell is empty still reads in phase: number, name, field
    row = passage_for(chunks, "Chính sách hỗ trợ đào tạo đại học, thạc sĩ")
    assert "STT: 61" in row.text and "Lĩnh vực: Giáo dục nghề nghiệp" in row.text
    # the published procedure's time limit, in the procedure's form (Phụ lục 3)
    row = passage_for(chunks, "Thời hạn giải quyết: 07 ngày làm việc")
    assert "Chấp thuận thiết kế nút giao đấu nối" in row.text
    assert all(len(c.text) <= MAX_CHARS for c in chunks)


def test_fee_rows_of_the_hue_resolution() -> None:
    chunks = corpus_rows("36_2025_nq-hdnd")
    row = passage_for(chunks, "Địa bàn: Nông thôn")
    assert "Mầm non: 140" in row.text and "Trung học cơ sở: 95" in row.text
    assert "1.000 đồng" in row.text  # the unit the figures are in
    ward = passage_for(chunks, "Phường Kim Long")
    assert "Đô thị" in ward.text  # the area class it belongs to
    assert not any("CỘNG HÒA" in c.text for c in chunks)


def test_fee_rows_of_the_hanoi_resolutions() -> None:
    fees = corpus_rows("58_2025_nq-hdnd")
    row = passage_for(fees, "Mẫu giáo (5 buổi tiếng Anh/tuần) · Mức học phí")
    assert "Trường Mầm non" in row.text and "Đồng/học sinh/tháng" in row.text
    services = corpus_rows("60_2025_nq-hdnd")
    lunch = passage_for(services, "Bữa trưa")
    assert "Đơn vị tính: Đồng/học sinh/ngày" in lunch.text  # given once, on the row above
    assert "Mức trần: 35.000" in lunch.text
