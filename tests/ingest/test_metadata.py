"""Document metadata read from the customer's plans (4 OCR scans, 1 clean text) and from legal
texts of the corpus, plus small cases written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.index.build import (
    FACTS_SECTION,
    SIGNATURE_SECTION,
    document_chunks,
    read_document,
    signature_passage,
)
from motcua.ingest.citations.document_numbers import normalize_so_hieu, so_hieu_key
from motcua.ingest.metadata import extract_metadata
from motcua.ingest.signature_block import split_signature_block

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def read_shared(relative: str) -> str:
    path = SHARED / relative
    if not path.is_file():
        pytest.fail(f"test document missing: {path} (the customer's files live in {SHARED})")
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The five seeds: number, date and issuing body as each text gives them (None where it has none)

SEEDS = {
    # OCR: "S6: 1655 /KH-SGDDT Long An, ngay 05 thing 5 nam 2025", "SO GIAO DUC VA PAO TAO"
    "000_5348ec65c6d4a033": dict(
        doc_type="Kế hoạch",
        so_hieu="1655/KH-SGDĐT",
        issued_date="2025-05-05",
        issuer="Sở Giáo dục và Đào tạo tỉnh Long An",
        place="Long An",
        signer="Huynh Phwong Vi",  # OCR of the name, returned as written
    ),
    # OCR: "UY BAN NHAN DAN / TINH LONG AN", "S6:  110/KH-UBND Long An, ngay 11 thang 01 nam 2021"
    "001_825a936da22e72ef": dict(
        doc_type="Kế hoạch",
        so_hieu="110/KH-UBND",
        issued_date="2021-01-11",
        issuer="Ủy ban nhân dân tỉnh Long An",
        place="Long An",
        signer=None,  # "TM. UY BAN NHAN DAN / CHU TICH" with no name in the scan
    ),
    # Clean text without a header block: no number, no date; "Sở GD&ĐT xây dựng kế hoạch". Its
    # province is the one it keeps naming ("… trên địa bàn tỉnh Long An").
    "002_a3b05bab0daef918": dict(
        doc_type="Kế hoạch",
        so_hieu=None,
        issued_date=None,
        issuer="Sở Giáo dục và Đào tạo",
        place="Long An",
        signer="Nguyễn Hồng Phúc",
        title="Tuyên truyền cải cách hành chính năm 2024",
    ),
    # OCR: "UBND TINH BINH BINH", "SO GIAO DUC VAPAO TAO", "Binh Dinh, ngay 15thang 04ndm 2024"
    "003_9ae4726a7f8ae87f": dict(
        doc_type="Kế hoạch",
        so_hieu="978/KH-SGDĐT",
        issued_date="2024-04-15",
        issuer="Sở Giáo dục và Đào tạo tỉnh Bình Định",
        place="Bình Định",
        signer="Nguyễn Xuân Trang",  # named only by the digital-signature stamp
    ),
    # OCR without header: "Truong THCS Thuong Son xay dung K& hoach"
    "004_6c8115b2801e23a2": dict(
        doc_type="Kế hoạch",
        so_hieu=None,
        issued_date=None,
        issuer="Trường THCS Thuong Son",
        place=None,
        signer=None,
    ),
}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_metadata(seed: str) -> None:
    meta = extract_metadata(read_shared(f"seeds/{seed}.txt"))
    for field, expected in SEEDS[seed].items():
        assert getattr(meta, field) == expected, (field, meta)


def test_ocr_titles_are_returned_as_written() -> None:
    meta = extract_metadata(read_shared("seeds/000_5348ec65c6d4a033.txt"))
    assert meta.title == "Tuyén truyén cii cich hanh chinh nim 2025"
    meta = extract_metadata(read_shared("seeds/001_825a936da22e72ef.txt"))
    assert meta.title is not None and meta.title.endswith("trén dia ban tinh Long An")


def test_signature_block_and_stamps_leave_the_body() -> None:
    text = read_shared("seeds/003_9ae4726a7f8ae87f.txt")
    body, tail = split_signature_block(text)
    assert "đã ký lên văn bản này" not in body and "đã ký lên văn bản này" in tail
    assert "CHỨNG THỰC SỐ" not in body
    assert "Noi nhén" not in body and tail.startswith("Noi nhén")
    # the closing sentence is still answerable
    assert "Trén day 1a Ké hoach truyén thdng" in body
    assert "V. TO CHUC THUC HIEN" in body

    body, tail = split_signature_block(read_shared("seeds/002_a3b05bab0daef918.txt"))
    assert "Nguyễn Hồng Phúc" in tail and "Nguyễn Hồng Phúc" not in body
    assert "Nơi nhận" not in body
    assert body.rstrip().endswith(
        "Trên đây là Kế hoạch tuyên truyền cải cách hành chính năm 2024 của Sở GD&ĐT./."
    )


def test_the_signature_block_is_one_passage_after_the_body() -> None:
    # "gửi tới những nơi nào", "website của Sở", "người ký giữ chức vụ gì" are answered there
    path = SHARED / "seeds" / "002_a3b05bab0daef918.txt"
    chunks = document_chunks(read_document(path))
    sections = [section for _, section in chunks]
    assert sections[0] == FACTS_SECTION and sections.count(SIGNATURE_SECTION) == 1
    closing, section = chunks[-1]
    assert section == SIGNATURE_SECTION
    assert closing.startswith("Nơi nhận:") and "- Website: sgddt.longan.gov.vn;" in closing
    assert "PHÓ GIÁM ĐỐC" in closing and "**" not in closing
    assert not any("Nơi nhận" in text for text, s in chunks if s != SIGNATURE_SECTION)


def test_a_signature_laid_out_as_a_table_reads_as_lines() -> None:
    closing = signature_passage("| Nơi nhận: - Bộ Nội vụ; | **TM. CHÍNH PHỦ THỦ TƯỚNG** |\n\n")
    assert closing == "Nơi nhận: - Bộ Nội vụ; TM. CHÍNH PHỦ THỦ TƯỚNG"
    assert signature_passage("") is None


# ---------------------------------------------------------------------------------------------
# Legal texts of the corpus

CORPUS = {
    "decrees/30_2020_nd-cp.txt": dict(
        doc_type="Nghị định",
        so_hieu="30/2020/NĐ-CP",
        issued_date="2020-03-05",
        issuer="Chính phủ",
        place="Hà Nội",
        title="Về công tác văn thư",
        signer=None,  # the file stops before the signature
    ),
    "decrees/63_2010_nd-cp.txt": dict(
        doc_type="Nghị định",
        so_hieu="63/2010/NĐ-CP",
        issued_date="2010-06-08",
        issuer="Chính phủ",
        place="Hà Nội",
        title="Về kiểm soát thủ tục hành chính",
        signer="Nguyễn Tấn Dũng",
    ),
    "other/48_2013_nd-cp.txt": dict(
        doc_type="Nghị định",
        so_hieu="48/2013/NĐ-CP",
        issued_date="2013-05-14",
        issuer="Chính phủ",
        title="Sửa đổi, bổ sung một số điều của các nghị định liên quan đến kiểm soát thủ tục"
        " hành chính",
        signer="Nguyễn Tấn Dũng",
    ),
    "other/24_2018_qh14.txt": dict(
        doc_type="Luật",
        so_hieu="24/2018/QH14",
        issued_date="2018-06-12",
        issuer="Quốc hội",
        place="Hà Nội",
        title="An ninh mạng",
        signer="Nguyễn Thị Kim Ngân",
    ),
    "other/1397_2021_qd-ubnd.txt": dict(
        so_hieu="1397/QĐ-UBND",
        issued_date="2021-07-02",
        issuer="Ủy ban nhân dân tỉnh Nam Định",
        signer="Trần Anh Dũng",
    ),
    "other/20574_2009_qd-ct-thnvdt.txt": dict(
        so_hieu="20574/QĐ-CT-THNVDT", issuer="Cục Thuế thành phố Hà Nội", signer="Nguyễn Văn Hổ"
    ),
    "other/47_2009_ttlt-btc-bldtbxh.txt": dict(
        doc_type="Thông tư liên tịch",
        so_hieu="47/2009/TTLT-BTC-BLĐTBXH",
        issuer="Bộ Tài chính, Bộ Lao động - Thương binh và Xã hội",
        signer="Bùi Hồng Lĩnh, Phạm Sỹ Danh",
    ),
    "other/1677_nq-ubtvqh15.txt": dict(
        so_hieu="1677/NQ-UBTVQH15",
        issuer="Ủy ban Thường vụ Quốc hội",  # no header: read from the number
        issued_date="2025-06-16",  # "… thông qua ngày 16 tháng 6 năm 2025"
    ),
    "other/hien-phap-2013.txt": dict(
        doc_type="Hiến pháp", so_hieu=None, issued_date="2013-11-28", issuer="Quốc hội"
    ),
}


@pytest.mark.parametrize("path", sorted(CORPUS))
def test_corpus_metadata(path: str) -> None:
    meta = extract_metadata(read_shared(f"corpus/{path}"))
    for field, expected in CORPUS[path].items():
        assert getattr(meta, field) == expected, (field, meta)


def test_signature_before_an_appendix_keeps_the_appendix() -> None:
    body, tail = split_signature_block(read_shared("corpus/other/715_2023_qd-ubnd.txt"))
    assert "Lâm Hải Giang" in tail and "Lâm Hải Giang" not in body
    assert "QUY TRÌNH NỘI BỘ" in body  # the attached procedure stays answerable


# ---------------------------------------------------------------------------------------------
# Small cases


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("61/2018/ND-CP", "61/2018/NĐ-CP"),
        ("61/2018/NĐ-CP", "61/2018/NĐ-CP"),
        ("61/2018/nđ-cp", "61/2018/NĐ-CP"),
        ("Nghi dinh 61/2018/NP-CP", "61/2018/NĐ-CP"),
        ("S6: 1655 /KH-SGDDT Long An", "1655/KH-SGDĐT"),
        ("45/2019/QH14", "45/2019/QH14"),
        ("18- NQ/TW", "18-NQ/TW"),
        ("09- CTr/TU", "09-CTr/TU"),
        ("3809/Qb- UBND", "3809/QĐ-UBND"),
        ("01a /QD-THCSTS", "01a/QĐ-THCSTS"),
        ("148/2020 NĐ-CP", "148/2020/NĐ-CP"),
        ("35/2025/QĐ-TTgcủa", "35/2025/QĐ-TTg"),
        ("01/2023/tt-vpcp", "01/2023/TT-VPCP"),
        ("47/2009/TTLT-BTC-BLDTBXH", "47/2009/TTLT-BTC-BLĐTBXH"),
    ],
)
def test_normalize_so_hieu(raw: str, canonical: str) -> None:
    assert normalize_so_hieu(raw) == canonical


@pytest.mark.parametrize(
    "raw", ["61/2018", "ngày 23/4/2018", "giai đoạn 2021-2025", "Kế hoạch", ""]
)
def test_normalize_so_hieu_rejects_partial_numbers(raw: str) -> None:
    assert normalize_so_hieu(raw) is None


def test_keys_fold_case_diacritics_and_leading_zeros() -> None:
    assert so_hieu_key("61/2018/NĐ-CP") == "61/2018/nd-cp"
    assert so_hieu_key("01/2023/TT-VPCP") == so_hieu_key("1/2023/TT-VPCP") == "1/2023/tt-vpcp"


def test_ocr_header_written_here() -> None:
    text = (
        "UBND TINH BINH BINH CONG HOA XA HQI CHU NGHIA VIET NAM\n"
        "SO GIAO DUC VAPAO TAO Déc 1ap - Tw do - Hanh phic\n"
        "S6: 12 /KH-SGDDT Binh Dinh, ngay 3thang 4ndm 2024\n"
        "KE HOACH\n\n"
        "Tuyén truyén phap luat nam 2024\n\n"
        "Can cit Quyét dinh s6 854/QD-UBND ngay 14/3/2024 ciia UBND tinh.\n"
    )
    meta = extract_metadata(text)
    assert meta.so_hieu == "12/KH-SGDĐT"
    assert meta.issued_date == "2024-04-03"
    assert meta.issuer == "Sở Giáo dục và Đào tạo tỉnh Bình Định"
    assert meta.place == "Bình Định"
    assert meta.doc_type == "Kế hoạch"
    assert meta.title == "Tuyén truyén phap luat nam 2024"


def test_clean_header_written_here() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n---------------\n"
        "Số: 7/CT-UBND\nHà Tĩnh, ngày 02 tháng 3 năm 2022\n\nCHỈ THỊ\n\n"
        "VỀ TĂNG CƯỜNG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH TRÊN ĐỊA BÀN TỈNH HÀ TĨNH\n\n"
        "Thời gian qua …\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Ngọc Châu\n"
    )
    meta = extract_metadata(text)
    assert meta.doc_type == "Chỉ thị"
    assert meta.so_hieu == "7/CT-UBND"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Hà Tĩnh"
    assert meta.place == "Hà Tĩnh"
    assert meta.issued_date == "2022-03-02"
    assert meta.title == "Về tăng cường công tác cải cách hành chính trên địa bàn tỉnh Hà Tĩnh"
    assert meta.signer == "Lê Ngọc Châu"
    body, tail = split_signature_block(text)
    assert body.rstrip().endswith("Thời gian qua …")
    assert tail.startswith("Nơi nhận:") and "Lê Ngọc Châu" in tail


def test_nothing_found_means_none() -> None:
    meta = extract_metadata("Một đoạn văn bình thường, không có tiêu đề hay số hiệu.")
    assert all(value is None for value in meta.to_dict().values())


def test_impossible_dates_are_not_returned() -> None:
    meta = extract_metadata("Số: 5/KH-UBND\nLong An, ngày 31 tháng 02 năm 2024\nKẾ HOẠCH\n")
    assert meta.so_hieu == "5/KH-UBND"
    assert meta.issued_date is None


def test_addressee_is_not_the_signer() -> None:
    text = "Nội dung./.\n\nNơi nhận:\n- Thứ trưởng Trịnh Thị Thủy;\n- Lưu: VT.\n"
    assert extract_metadata(text).signer is None


PLAN_WITHOUT_HEADER = """KẾ HOẠCH Tuyên truyền cải cách hành chính năm 2025

Căn cứ Kế hoạch của UBND tỉnh về cải cách hành chính trên địa bàn {first}; Sở GD&ĐT xây dựng
kế hoạch tuyên truyền như sau:

Các trường học trên địa bàn {second} niêm yết công khai thủ tục hành chính.
"""


@pytest.mark.parametrize(
    ("first", "second", "place"),
    [
        ("tỉnh Long An", "tỉnh Long An", "Long An"),
        ("tinh Dong Thap", "tỉnh Đồng Tháp năm 2025", "Đồng Tháp"),
        ("tỉnh Long An", "tỉnh Bình Định", None),  # two provinces: which one is not said
        ("tỉnh Long An", "huyện Cần Đước", None),  # named once: too little to go on
    ],
)
def test_a_local_plan_without_header_takes_the_province_it_keeps_naming(
    first: str, second: str, place: str | None
) -> None:
    text = PLAN_WITHOUT_HEADER.format(first=first, second=second)
    meta = extract_metadata(text)
    assert meta.issuer == "Sở Giáo dục và Đào tạo"
    assert meta.place == place


def test_a_national_text_naming_one_province_gets_no_place_from_it() -> None:
    text = (
        "THÔNG TƯ\nHướng dẫn thí điểm\nBỘ GIÁO DỤC VÀ ĐÀO TẠO ban hành Thông tư hướng dẫn thí "
        "điểm tại tỉnh Long An.\nỦy ban nhân dân tỉnh Long An báo cáo kết quả."
    )
    meta = extract_metadata(text)
    assert meta.issuer == "Bộ Giáo dục và Đào tạo"
    assert meta.place is None
