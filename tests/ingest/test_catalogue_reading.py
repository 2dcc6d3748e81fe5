"""The procedure catalogue read from published lists and forms: a record per procedure, with
its decision and its row or line."""

from __future__ import annotations

from pathlib import Path

from motcua.index.catalogue import Catalogue
from motcua.ingest.catalogue import ProcedureRecord, catalogue_records, is_catalogue
from motcua.ingest.signature_block import split_signature_block
from tests.catalogue_documents import (
    FORM_DECISION,
    FORM_ID,
    LIST_DECISION,
    LIST_ID,
    records_of,
)

# -- reading ----------------------------------------------------------------------------------


def test_list_rows_become_records_with_their_decision_and_row() -> None:
    records = records_of(LIST_ID, LIST_DECISION)
    assert [r.code for r in records] == ["2.002481", "1.006390", "1.010020", "1.005092"]
    first = records[0]
    assert first.name == "Chuyển trường đối với học sinh trung học cơ sở"
    assert first.field == "Giáo dục trung học"  # from the group row above it
    assert first.levels == ["xã"]
    assert first.time_limit == "02 ngày làm việc kể từ ngày nhận đủ hồ sơ"
    assert first.fee == "Không"
    assert first.place == "Trường trung học cơ sở nơi học sinh chuyển đến"
    assert first.online_level == "Toàn trình"
    assert "51/2002/QĐ-BGDĐT" in (first.legal_basis or "")
    assert first.section == "PHỤ LỤC > Bảng 1 > dòng 1"
    assert first.province == "Hà Tĩnh" and first.so_hieu == "1234/QĐ-UBND"
    assert first.decision_label() == (
        "Quyết định số 1234/QĐ-UBND ngày 15/08/2025 của Ủy ban nhân dân tỉnh Hà Tĩnh"
    )
    assert records[2].fee == "3.000 đồng/bản sao"
    assert records[2].field == "Văn bằng, chứng chỉ"


def test_a_label_value_form_becomes_a_record_citing_each_line() -> None:
    [record] = records_of(FORM_ID, FORM_DECISION)
    assert record.name == (
        "Xét cấp học bổng chính sách cho học sinh trường phổ thông dân tộc bán trú"
    )
    assert record.code == "1.008950"
    assert record.time_limit == "20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
    assert record.agency == "Ủy ban nhân dân cấp xã nơi học sinh cư trú"
    assert record.levels == ["xã"]
    assert record.extra["Thành phần hồ sơ"].startswith("Đơn đề nghị cấp học bổng")
    # each fact cites the form's line that holds it
    assert record.section_of("time_limit").endswith("> Bảng 1 > dòng 6")
    assert record.section_of("fee").endswith("> Bảng 1 > dòng 7")


def test_tables_that_name_no_procedure_are_no_catalogue() -> None:
    assert not is_catalogue(("STT", "Tên trường", "Mức thu học phí"))
    assert not is_catalogue(("Bước", "Nội dung công việc", "Đơn vị thực hiện", "Thời gian"))
    assert not is_catalogue(("STT", "Tên TTHC"))  # a name alone tells nothing of it
    assert is_catalogue(("TT", "Tên thủ tục", "Thời hạn giải quyết"))
    fees = """QUYẾT ĐỊNH

| STT | Tên đơn vị | Mức học phí năm học 2025-2026 |
|---|---|---|
| 1 | Trường THPT Chu Văn An | 1.200.000 |
| 2 | Trường THPT Nguyễn Trãi | 900.000 |
"""
    assert records_of("fees", fees) == []


def test_a_second_header_row_written_as_data_is_realigned() -> None:
    """As a web save wrote 1766/QĐ-UBND of Bình Thuận: "Mức độ DVC | Thực hiện qua BCCI" sit
    under "Cách thức thực hiện" but were written left-aligned as the first row."""
    text = """PHỤ LỤC

| TT | Mã số TTHC | Tên TTHC | Thời hạn giải quyết (Ngày làm việc) | Cách thức thực hiện \
| Địa điểm thực hiện | Phí, lệ phí (đồng) | Căn cứ pháp lý | |
|---|---|---|---|---|---|---|---|---|
| Mức độ DVC | Thực hiện qua BCCI | | | | | | | |
| 1 | 2.000815 | Chứng thực bản sao từ bản chính | Trong ngày | 2 | Không | UBND cấp xã | \
2.000 đồng/trang | Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 |
| 2 | 2.000884 | Chứng thực chữ ký | 2 | 3 | Có | Phòng Tư pháp cấp huyện | 10.000 \
đồng/trường hợp | Nghị định số 23/2015/NĐ-CP ngày 16/02/2015 |
"""
    first, second = records_of("bt", text)
    assert first.online_level == "2"
    assert first.channel == "Thực hiện qua BCCI: Không"
    assert first.place == "UBND cấp xã"
    assert first.fee == "2.000 đồng/trang"
    assert first.legal_basis and first.legal_basis.startswith("Nghị định số 23/2015")
    assert second.time_limit == "2 ngày làm việc"  # the header's unit
    # the rows' passages, what search finds and answers quote, name the same columns
    from motcua.ingest.chunking import chunk_text

    passages = [d.text for d in chunk_text(text)]
    [row] = [p for p in passages if "2.000815" in p]
    assert "Phí, lệ phí (đồng): 2.000 đồng/trang" in row
    assert "Căn cứ pháp lý: Nghị định số 23/2015" in row
    # the misplaced header row is no passage of its own ("TT: Mức độ DVC · Mã số TTHC: …")
    assert not any("TT: Mức độ DVC" in p for p in passages)


def test_the_real_bac_ninh_decision(shared_dir: Path) -> None:
    from motcua.index.build import read_document

    document = read_document(shared_dir / "corpus" / "tables" / "1521_2025_qd-ubnd.txt")
    body, _tail = split_signature_block(document.text)
    catalogue = Catalogue(catalogue_records(document.doc_id, body, document.meta))
    [record] = catalogue.by_code("1.010219")
    assert record.name == "Tuyển sinh đầu cấp Tiểu học"
    assert record.field == "Giáo dục tiểu học"
    assert record.province == "Bắc Ninh"
    assert record.abolished  # Phụ lục 2 lists the procedures taken off the local list
    assert record.section == "PHỤ LỤC 2 > Bảng 2 > dòng 21"
    # Phụ lục 3's form of a listed procedure fills its row's time limit and fee
    [junction] = catalogue.search("chấp thuận thiết kế nút giao đấu nối").records
    assert junction.section == "PHỤ LỤC 1 > Bảng 1 > dòng 3"
    assert junction.time_limit and junction.time_limit.startswith("07 ngày làm việc")
    assert junction.section_of("time_limit").startswith("PHỤ LỤC 3 > Bảng 3")


def test_a_question_names_one_listed_procedure_or_none() -> None:
    from motcua.bot.answering.catalogue_answers import CatalogueAnswers
    from motcua.lexicon import normalize

    def listed(name: str, time: str) -> ProcedureRecord:
        return ProcedureRecord(name=name, time_limit=time, doc_id="d", province="Bắc Ninh")

    catalogue = Catalogue(
        [
            listed("Chấp thuận thiết kế nút giao đấu nối vào quốc lộ, đường địa phương", "07 ngày"),
            listed("Cấp phép thi công nút giao đấu nối vào quốc lộ, đường địa phương", "05 ngày"),
            listed("Chuyển trường đối với học sinh trung học cơ sở", "02 ngày"),
            listed("Chuyển trường đối với học sinh trung học phổ thông", "03 ngày"),
            listed("Hỗ trợ chuyển đổi nghề nghiệp tại cơ sở gây ô nhiễm môi trường", "30 ngày"),
        ]
    )
    answers = CatalogueAnswers(catalogue)

    def time_of(question: str) -> str | None:
        found = answers.find(question, normalize(question))
        return found.records[0].time_limit if found else None

    assert time_of("chấp thuận thiết kế nút giao đấu nối mất bao lâu") == "07 ngày"
    assert time_of("cấp phép thi công nút giao mất mấy ngày") == "05 ngày"
    assert time_of("chuyển trường cho con lớp 7 mất bao lâu") == "02 ngày"  # lớp 7 is THCS
    assert time_of("chuyển trường cấp 3 mất bao lâu") == "03 ngày"
    assert time_of("chuyển trường mất bao lâu") is None  # which level?
    assert time_of("nút giao đấu nối mất bao lâu") is None  # which of the two?
    assert time_of("chuyển trường THCS") is None  # asks nothing of it
    assert time_of("đăng ký kết hôn mất bao lâu") is None


def test_the_announcing_decision_is_asked_and_a_named_cost_is_no_fee() -> None:
    from motcua.bot.answering.catalogue_answers import CatalogueAnswers, catalogue_text
    from motcua.lexicon import normalize

    record = ProcedureRecord(
        name="Chính sách hỗ trợ chi phí học tập cho sinh viên sư phạm",
        legal_basis="Nghị định số 116/2020/NĐ-CP",
        extra={"Quyết định công bố": "431/QĐ-UBND ngày 23/3/2025", "Ghi chú": "—"},
        doc_id="d",
        province="Bắc Ninh",
    )
    answers = CatalogueAnswers(Catalogue([record]))

    def lead(question: str) -> str | None:
        found = answers.find(question, normalize(question))
        return catalogue_text(found)[1] if found else None

    announced = "chính sách hỗ trợ chi phí học tập cho sinh viên sư phạm công bố tại quyết định nào"
    assert lead(announced) == "Quyết định công bố: 431/QĐ-UBND ngày 23/3/2025"
    # "chi phí" is part of the name: no fee asked, no "danh mục không ghi" line about one
    assert lead("chính sách hỗ trợ chi phí học tập cho sinh viên sư phạm căn cứ văn bản nào") == (
        "Căn cứ pháp lý: Nghị định số 116/2020/NĐ-CP"
    )
    assert lead("chính sách hỗ trợ chi phí học tập cho sinh viên sư phạm") is None
    # a list without the column: the legal basis answers
    bare = ProcedureRecord(name=record.name, legal_basis=record.legal_basis, doc_id="d")
    found = CatalogueAnswers(Catalogue([bare])).find(announced, normalize(announced))
    assert found and catalogue_text(found)[1] == "Căn cứ pháp lý: Nghị định số 116/2020/NĐ-CP"
