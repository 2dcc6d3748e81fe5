"""Built-in procedure cards: they load, hold the facts an answer needs, and index as documents."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

import pytest

from motcua.ingest.cards import (
    REQUIRED_HEADINGS,
    CardError,
    ProcedureCard,
    builtin_card,
    builtin_cards,
    builtin_documents,
    card_to_document,
    load_card,
)
from motcua.text import diacritic_ratio, fold

_ABBREVIATED = re.compile(r"trung học (?:cơ sở|phổ thông) \((\w+)\)")

EXPECTED_IDS = {
    "tthc-ban-sao-van-bang",
    "tthc-chuyen-truong-thcs",
    "tthc-chuyen-truong-thpt",
    "tthc-chinh-sua-van-bang",
    "tthc-truong-chuan-quoc-gia",
}

VALID = """\
---
id: tthc-thu-nghiem
ten: Thủ tục thử nghiệm
doi_tuong: Người dùng thử
cap_hoc: [THCS]
noi_nop: Bộ phận một cửa
cach_thuc: [Nộp trực tiếp]
trinh_tu: [Nộp hồ sơ, Nhận kết quả]
thanh_phan_ho_so: [Đơn đề nghị]
thoi_han: 03 ngày làm việc
phi: Không thu
ket_qua: Giấy xác nhận
can_cu_phap_ly:
  - so_hieu: 99/2099/TT-BGDĐT
    ten: Thông tư thử nghiệm
    dieu: 5
ngay_kiem_tra: 2026-01-02
nguon: [example.org]
---
## Đối tượng
Người dùng thử.
## Nơi nộp hồ sơ
Bộ phận một cửa.
## Trình tự thực hiện
- Bước 1: nộp.
## Thành phần hồ sơ
- Đơn.
## Thời hạn giải quyết
03 ngày làm việc.
## Lệ phí
Không thu.
## Kết quả
Giấy xác nhận.
## Căn cứ pháp lý
Thông tư 99/2099/TT-BGDĐT.
"""


def _write(tmp_path: Path, text: str, name: str = "card.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cards() -> list[ProcedureCard]:
    return builtin_cards()


def test_builtin_catalogue_holds_the_required_procedures(cards: list[ProcedureCard]) -> None:
    assert {c.id for c in cards} >= EXPECTED_IDS


def test_card_ids_are_unique(cards: list[ProcedureCard]) -> None:
    ids = [c.id for c in cards]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("card_id", sorted(EXPECTED_IDS))
def test_builtin_card_has_the_facts_an_answer_needs(card_id: str) -> None:
    card = builtin_card(card_id)
    assert card is not None
    assert card.trinh_tu and all(step.strip() for step in card.trinh_tu)
    assert card.thanh_phan_ho_so and all(doc.strip() for doc in card.thanh_phan_ho_so)
    assert card.thoi_han.strip() and card.phi.strip() and card.ket_qua.strip()
    assert card.can_cu_phap_ly and all(b.so_hieu and b.ten for b in card.can_cu_phap_ly)
    assert isinstance(card.ngay_kiem_tra, dt.date)
    assert card.nguon and card.tu_khoa and card.cap_hoc and card.cach_thuc
    # Written in Vietnamese with diacritics, short enough for a page, with the one-stop note.
    assert diacritic_ratio(card.body) > 0.5
    assert all(diacritic_ratio(k) > 0.3 for k in card.tu_khoa)
    assert len(card.body) <= 3000
    assert "một cửa" in card.body


def test_every_section_names_its_procedure(cards: list[ProcedureCard]) -> None:
    # The body is chunked per heading; each chunk must say which procedure it is about.
    for card in cards:
        sections = card.body.split("\n## ")[1:]
        assert len(sections) >= len(REQUIRED_HEADINGS)
        # "… trung học cơ sở (THCS)" may be written "… THCS" in the sections.
        names = {fold(card.ten.split(" (")[0]), fold(_ABBREVIATED.sub(r"\1", card.ten))}
        for section in sections:
            heading, _, text = section.partition("\n")
            assert any(name in fold(text) for name in names), (card.id, heading)


def test_school_transfer_cards_differ_by_level() -> None:
    thcs = builtin_card("tthc-chuyen-truong-thcs")
    thpt = builtin_card("tthc-chuyen-truong-thpt")
    assert thcs is not None and thpt is not None
    assert thcs.cap_hoc == ["THCS"] and thpt.cap_hoc == ["THPT"]
    assert any("lớp 10" in d for d in thpt.thanh_phan_ho_so)
    assert not any("lớp 10" in d for d in thcs.thanh_phan_ho_so)


def test_portal_address_is_given_where_online_submission_exists() -> None:
    card = builtin_card("tthc-ban-sao-van-bang")
    assert card is not None
    assert any("https://dichvucong.gov.vn" in way for way in card.cach_thuc)
    assert "https://dichvucong.gov.vn" in card.body


def test_package_data_is_found_through_importlib_resources(cards: list[ProcedureCard]) -> None:
    folder = resources.files("motcua.cards")
    shipped = sorted(f.name for f in folder.iterdir() if f.name.endswith(".md"))
    assert len(shipped) >= len(EXPECTED_IDS)
    assert sorted(Path(c.source_path).name for c in cards) == shipped
    assert all(c.source_path.startswith("motcua.cards/") for c in cards)


def test_card_to_document_keeps_title_and_legal_numbers(cards: list[ProcedureCard]) -> None:
    for card in cards:
        doc = card_to_document(card)
        assert doc.kind == "card"
        assert doc.doc_id == card.id
        assert doc.text.startswith(f"# {card.ten}\n")
        for number in card.legal_numbers:
            assert number in doc.text
        assert doc.meta.doc_type == "Thủ tục hành chính"
        assert doc.meta.title == card.ten
        assert doc.meta.so_hieu is None and doc.meta.issuer is None
        assert len(doc.content_hash) == 64


def test_builtin_documents_match_builtin_cards(cards: list[ProcedureCard]) -> None:
    docs = builtin_documents()
    assert [d.doc_id for d in docs] == [c.id for c in cards]
    assert len({d.content_hash for d in docs}) == len(docs)


def test_load_card_reads_a_valid_file(tmp_path: Path) -> None:
    card = load_card(_write(tmp_path, VALID))
    assert card.id == "tthc-thu-nghiem"
    assert card.ngay_kiem_tra == dt.date(2026, 1, 2)
    assert card.can_cu_phap_ly[0].dieu == "5"
    assert card.body.startswith("## Đối tượng")


def test_missing_field_error_names_file_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID.replace("phi: Không thu\n", ""), "thieu-phi.md")
    with pytest.raises(CardError) as info:
        load_card(path)
    message = str(info.value)
    assert "thieu-phi.md" in message
    assert "missing required field 'phi'" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID.replace("---\n", "", 1), "front matter"),
        (VALID.replace("cap_hoc: [THCS]", "cap_hoc: [THCS"), "YAML"),
        (VALID.replace("cach_thuc: [Nộp trực tiếp]", "cach_thuc: []"), "cach_thuc"),
        (VALID.replace("id: tthc-thu-nghiem", "id: Thủ tục"), "'id'"),
        (VALID.replace("ngay_kiem_tra: 2026-01-02", "ngay_kiem_tra: hôm qua"), "ngay_kiem_tra"),
        (VALID.replace("nguon:", "ngon: x\nnguon:"), "unknown field 'ngon'"),
        (VALID.replace("## Lệ phí", "## Phí"), "## Lệ phí"),
        (VALID.replace("Thông tư 99/2099", "Thông tư số 99"), "99/2099/TT-BGDĐT"),
    ],
)
def test_malformed_card_gives_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text, "hong.md")
    with pytest.raises(CardError) as info:
        load_card(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_unreadable_card_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(CardError, match="khong-co.md"):
        load_card(tmp_path / "khong-co.md")
