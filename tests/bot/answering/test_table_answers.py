"""Table rows answered by the names they carry (issue 16): a commune's row read with the fee row
its group leads to, a school's rows by grade, rows quoted whole, and no province's table
answering for another province."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.bot.answering.clarifying import row_topic
from motcua.bot.answering.evidence import TermWeights
from motcua.bot.answering.extractive import extract
from motcua.bot.answering.loading import load_responder
from motcua.bot.answering.table_answers import TableRows, proper_name
from motcua.ingest.chunking import chunk_text, is_row_section, read_row_passage
from motcua.lexicon import normalize
from motcua.types import Chunk, Hit
from tests.conftest import ingest_texts, make_settings

DOC_ID = "21_2025_nq-hdnd"
# A provincial fee resolution as web saves give it: fees per kind of area in an article, the
# communes of each kind in an appendix, and one school's own fees.
RESOLUTION = """HỘI ĐỒNG NHÂN DÂN
TỈNH QUẢNG TRỊ

Số: 21/2025/NQ-HĐND

Quảng Trị, ngày 10 tháng 9 năm 2025

NGHỊ QUYẾT
Quy định mức học phí đối với cơ sở giáo dục công lập trên địa bàn tỉnh Quảng Trị

Điều 1. Phạm vi điều chỉnh

Nghị quyết này quy định mức học phí đối với cơ sở giáo dục mầm non và phổ thông công lập.

Điều 2. Mức học phí

1. Mức học phí

Đơn vị tính: 1.000 đồng/học sinh/tháng

| Địa bàn | Mầm non | Trung học cơ sở |
| --- | --- | --- |
| Thành thị | 150 | 120 |
| Nông thôn | 90 | 70 |

2. Trường hợp học trực tuyến, mức học phí bằng 60% mức học phí quy định tại khoản 1.

Điều 3. Mức học phí của trường chất lượng cao

Đơn vị: đồng/học sinh/tháng

| STT | Tên đơn vị | Mức học phí |
| --- | --- | --- |
| 1 | **Trường Mầm non Hoa Phượng Đỏ** | |
| 1.1 | Nhà trẻ | 2.100.000 |
| 1.2 | Mẫu giáo | 1.800.000 |

Điều 4. Tổ chức thực hiện

Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.

PHỤ LỤC

PHÂN LOẠI ĐỊA BÀN ĐỂ ÁP DỤNG MỨC HỌC PHÍ TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ

(Kèm theo Nghị quyết số 21/2025/NQ-HĐND)

| STT | Địa bàn/tên xã, phường |
| --- | --- |
| **I** | **Thành thị (2 phường)** |
| 1 | Phường Đông Giang Mới |
| 2 | Phường Cửa Tùng Xanh |
| **II** | **Nông thôn (1 xã)** |
| 1 | Xã Triệu Lăng Thượng |
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, cards_index: Path) -> Path:
    folder = tmp_path_factory.mktemp("table-answers")
    return ingest_texts(folder, {f"{DOC_ID}.md": RESOLUTION}, cards_index)


@pytest.fixture(scope="module")
def responder(index: Path):
    return load_responder(make_settings(index))


def rows_of(text: str) -> list[Chunk]:
    return [
        Chunk(i, DOC_ID, d.text, d.section, i)
        for i, d in enumerate(chunk_text(text))
        if is_row_section(d.section)
    ]


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Phường Kim Long", "kim long"),
        ("Xã A Lưới 2", "a luoi 2"),
        ("3. Trường Trung học cơ sở - Trung học phổ thông Nguyễn Tất Thành", "nguyen tat thanh"),
        ("1. Trường Mầm non đô thị Sài Đồng", "sai dong"),
        ("Xã Chân Mây - Lăng Cô", "chan may lang co"),
        ("Thị trấn Phú Lộc", "phu loc"),
        ("Khối 10", None),  # a grade in every school's rows
        ("Nhà trẻ (từ 18 tháng)", None),
        ("I. CƠ SỞ GIÁO DỤC MẦM NON", None),  # a group heading in capitals
        ("Nghị định số 118/2025/NĐ-CP", None),
        ("Trường Mầm non B", None),  # one letter names nothing a question would type alone
    ],
)
def test_proper_names_end_a_row_label(label: str, name: str | None) -> None:
    assert proper_name(label) == name


def test_a_row_passage_says_what_its_table_lists() -> None:
    commune = next(r for r in rows_of(RESOLUTION) if "Triệu Lăng Thượng" in r.text)
    head, fields = read_row_passage(commune.text)
    assert head[0].startswith("PHÂN LOẠI ĐỊA BÀN ĐỂ ÁP DỤNG MỨC HỌC PHÍ")  # the caption
    assert "Nông thôn (1 xã)" in head[-1]  # its group
    assert ("Địa bàn/tên xã, phường", "Xã Triệu Lăng Thượng") in fields
    fee = next(r for r in rows_of(RESOLUTION) if "Thành thị ·" in r.text or "Thành thị\n" in r.text)
    assert read_row_passage(fee.text)[0][0] == "1. Mức học phí"


def test_a_row_is_quoted_whole_not_its_headings() -> None:
    rows = rows_of(RESOLUTION)
    nursery = next(r for r in rows if "Nhà trẻ" in r.text)
    quoted = extract("học phí nhà trẻ Hoa Phượng Đỏ", Hit(nursery, 1.0), TermWeights([]))
    assert quoted.sentences[-1].endswith("Mức học phí: 2.100.000")
    assert any("Hoa Phượng Đỏ" in s for s in quoted.sentences)


def test_rows_are_found_by_name_only_when_asked_about_what_the_table_lists() -> None:
    rows = rows_of(RESOLUTION)
    table = TableRows(rows, TermWeights([r.text for r in rows]))

    def find(question: str):
        return table.find(question, normalize(question), lambda doc_id: "mức học phí")

    found = find("hoc phi mam non o phuong Dong Giang Moi bn 1 thang")
    assert found is not None and found.name.endswith("dong giang moi")
    assert ["Phường Đông Giang Mới" in r.text for r in found.named] == [True]
    # the group "Thành thị" leads to the fee row keyed by it, in the article's table
    assert len(found.linked) == 1 and "Mầm non: 150" in found.linked[0].text
    assert find("phường Đông Giang Mới ở đâu vậy") is None  # names the row, asks no fee
    assert find("học phí ở phường Bến Thành") is None  # a name no row carries


def test_a_school_named_gets_its_rows(responder) -> None:
    answer = responder.answer("con em học mẫu giáo trường Hoa Phượng Đỏ, học phí bao nhiêu ạ")
    assert answer.status == "answered"
    assert "1.800.000" in answer.answer
    assert answer.citations[0].doc_id == DOC_ID


def test_a_commune_is_answered_with_the_fee_row_of_its_area(responder) -> None:
    answer = responder.answer("nha e o xa Trieu Lang Thuong, con hoc THCS thi hoc phi bn 1 thang")
    assert answer.status == "answered"
    assert "Xã Triệu Lăng Thượng" in answer.answer
    assert "Trung học cơ sở: 70" in answer.answer  # the "Nông thôn" row
    assert [c.doc_id for c in answer.citations] == [DOC_ID, DOC_ID]


def test_another_province_is_not_answered_from_this_provinces_fees(responder) -> None:
    answer = responder.answer("Học phí mầm non ở Đà Nẵng bao nhiêu một tháng?")
    assert DOC_ID not in {c.doc_id for c in answer.citations}
    asked_here = responder.answer("Học phí mầm non ở Quảng Trị bao nhiêu một tháng?")
    assert asked_here.citations and asked_here.citations[0].doc_id == DOC_ID


# A schedule of charges lists services, not places: its rows are named by their items' words.
CHARGES = """PHỤ LỤC

DANH MỤC CÁC KHOẢN THU DỊCH VỤ HỖ TRỢ HOẠT ĐỘNG GIÁO DỤC

| TT | Danh mục dịch vụ | Đơn vị tính | Mức trần |
| --- | --- | --- | --- |
| **1** | **Dịch vụ tiền ăn của học sinh** | | |
| 1.1 | Bữa sáng | Đồng/học sinh/ngày | 18.000 |
| 1.2 | Bữa trưa | Đồng/học sinh/ngày | 32.000 |
| **2** | **Dịch vụ trông giữ học sinh ngoài giờ** | | |
| 2.1 | Trước và sau giờ học chính khóa | Đồng/học sinh/giờ | 11.000 |
| 2.2 | Trong các ngày nghỉ | Đồng/học sinh/ngày | 90.000 |
| **3** | **Dịch vụ nước uống học sinh** | Đồng/học sinh/tháng | 15.000 |
| **4** | **Dịch vụ hoạt động giáo dục kỹ năng sống** | Đồng/học sinh/giờ | 14.000 |
"""


def test_a_how_much_question_names_a_charge_by_its_items_words() -> None:
    rows = rows_of(CHARGES)
    # "học sinh", "hoạt động giáo dục" are in many passages of a knowledge base: no row's name
    others = ["học sinh trường công lập tham gia hoạt động giáo dục"] * 20
    table = TableRows(rows, TermWeights([r.text for r in rows] + others))

    def row(figure: str) -> Chunk:
        return next(r for r in rows if r.text.endswith(f"Mức trần: {figure}"))

    def item(question: str, *top: str) -> list[str]:
        """The figures of the rows found among the hits of these figures' rows."""
        found = table.item(normalize(question), [Hit(row(f), 1.0) for f in top])
        return [read_row_passage(r.text)[1][-1][1] for r in found.named] if found else []

    meals = ("32.000", "18.000", "15.000")  # retrieval put lunch first
    assert item("tien nuoc uong o truong cong toi da bn 1 thang", *meals) == ["15.000"]
    assert item("Tiền ăn sáng của học sinh thu tối đa bao nhiêu một ngày?", *meals) == ["18.000"]
    assert item("tien an trua toi da bao nhieu", *meals) == ["32.000"]
    # rows scoring alike are quoted together: by the hour and by the day
    assert item("trông giữ ngoài giờ thu bao nhiêu", "90.000", "11.000") == ["11.000", "90.000"]
    # the lexicon's synonyms name rows as the words they stand for: "cuối tuần", "ngày nghỉ"
    assert item("gửi con cuối tuần thì trường thu tối đa bao nhiêu", "11.000", "90.000") == [
        "90.000"
    ]
    # an item no row lists, and words many passages hold, name nothing
    assert item("tiền đồng phục học sinh trường công lập tối đa bao nhiêu", "14.000", *meals) == []
    assert item("đồng phục cho hoạt động giáo dục thể chất tối đa bao nhiêu", "14.000") == []
    # a row retrieval did not rank among the first is not looked for
    assert item("tien nuoc uong toi da bn", "32.000", "18.000", "11.000", "15.000") == []
    # a question that asks no figure is not answered with one
    assert item("trường có được thu tiền nước uống không", "15.000") == []


def test_a_how_much_question_naming_a_column_gets_the_whole_small_table() -> None:
    rows = rows_of(RESOLUTION)
    table = TableRows(rows, TermWeights([r.text for r in rows]))
    article = Chunk(90, DOC_ID, "Điều 2. Mức học phí\n1. Mức học phí", "Điều 2", 90)
    by_area = [r for r in rows if "Địa bàn:" in r.text]
    hits = [Hit(article, 1.0), *(Hit(r, 0.8) for r in by_area)]

    def column(question: str, found: list[Hit] = hits) -> list[str]:
        rows_found = table.column(normalize(question), found)
        return [read_row_passage(r.text)[1][0][1] for r in rows_found.named] if rows_found else []

    # the article ranks first and holds no figure: every area's row, for the column asked
    assert column("hoc phi mam non o Quang Tri bn 1 thang vay ad") == ["Thành thị", "Nông thôn"]
    assert column("Học phí cấp 2 bao nhiêu một tháng?") == ["Thành thị", "Nông thôn"]  # a level
    # no figure asked, no column named, or a row already first (the ordinary answer quotes it)
    assert column("học phí mầm non quy định ở điều nào") == []
    assert column("tiền ăn bán trú bao nhiêu một tháng") == []
    assert column("học phí mầm non bao nhiêu", [Hit(by_area[1], 1.0), Hit(article, 0.9)]) == []
    # another document's table does not answer for the document retrieval put first
    elsewhere = Chunk(91, "other_doc", "Điều 5. Học phí", "Điều 5", 91)
    assert column("học phí mầm non bao nhiêu", [Hit(elsewhere, 1.0), *hits]) == []


def test_a_row_offered_as_a_choice_says_what_it_belongs_to() -> None:
    # A catalogue's form: the row alone is "Phí, lệ phí: Không", of which procedure?
    form = (
        "NỘI DUNG THỦ TỤC HÀNH CHÍNH CÔNG BỐ THEO QUYẾT ĐỊNH\n"
        "Tên thủ tục số 1: Chấp thuận thiết kế nút giao đấu nối vào quốc lộ, đường địa phương "
        "đang khai thác.\n"
        "Phí, lệ phí: Không"
    )
    assert row_topic(form) == (
        "Tên thủ tục số 1: Chấp thuận thiết kế nút giao đấu nối vào quốc lộ, đường địa… — "
        "Phí, lệ phí: Không"
    )
    # a fee table's row: its caption, not its unit, then the area it is for
    fee = next(r for r in rows_of(RESOLUTION) if "Nông thôn" in r.text)
    assert row_topic(fee.text) == "Mức học phí — Địa bàn: Nông thôn"
