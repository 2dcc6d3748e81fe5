"""Diacritic restoration and OCR repair on small texts written for these tests."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from motcua.ingest.ocr_repair import OcrRepairer
from motcua.ingest.restore import (
    DiacriticRestorer,
    default_training_text,
    needs_restoration,
    normalize_tone,
)
from motcua.text import strip_diacritics

TRAINING = """\
Số: 45/KH-SGDĐT
Phụ huynh nộp hồ sơ tuyển sinh vào lớp một tại trường tiểu học gần nhà.
Hồ sơ gồm đơn đăng ký, bản sao giấy khai sinh và giấy xác nhận cư trú.
Nhà trường tiếp nhận hồ sơ trong giờ hành chính, từ thứ hai đến thứ sáu.
Sở Giáo dục và Đào tạo hướng dẫn các trường thực hiện thủ tục hành chính đúng quy định.
Người dân có thể nộp hồ sơ trực tuyến trên cổng dịch vụ công của tỉnh.
Cán bộ tiếp nhận kiểm tra hồ sơ và hẹn ngày trả kết quả cho người dân.
Kế hoạch số 12/KH-SGDĐT ngày 15 tháng 3 năm 2024 của Sở Giáo dục và Đào tạo về tuyển sinh.
Ủy ban nhân dân tỉnh chỉ đạo các cơ quan đẩy mạnh cải cách hành chính năm 2024.
Học sinh được cấp bằng tốt nghiệp sau khi hoàn thành chương trình học.
Trách nhiệm tổ chức thực hiện thuộc về cán bộ, công chức, viên chức của ngành.
Hội đồng nhân dân tỉnh giám sát việc thực hiện kế hoạch của Ủy ban nhân dân tỉnh.
"""


@pytest.fixture(scope="module")
def model() -> DiacriticRestorer:
    return DiacriticRestorer.train([TRAINING], with_default=False)


@pytest.fixture(scope="module")
def repairer(model: DiacriticRestorer) -> OcrRepairer:
    return OcrRepairer(model)


def test_restores_a_stripped_sentence(model: DiacriticRestorer) -> None:
    expected = "Phụ huynh nộp hồ sơ tuyển sinh tại trường tiểu học của tỉnh."
    assert model.restore(strip_diacritics(expected)) == expected


def test_context_picks_between_forms_of_one_spelling(model: DiacriticRestorer) -> None:
    # "so" is "số" after "Kế hoạch" and "Sở" before "Giáo dục".
    text = "Ke hoach so 12/KH-SGDDT cua So Giao duc va Dao tao"
    assert model.restore(text) == "Kế hoạch số 12/KH-SGDĐT của Sở Giáo dục và Đào tạo"


def test_case_is_kept(model: DiacriticRestorer) -> None:
    assert model.restore("HO SO TUYEN SINH") == "HỒ SƠ TUYỂN SINH"
    assert model.restore("Nguoi dan nop Ho so") == "Người dân nộp Hồ sơ"


def test_numbers_and_punctuation_are_untouched(model: DiacriticRestorer) -> None:
    text = "ngay 15/3/2024 (nam 2024): 12 ho so; 1.5 - 2,5%!"
    assert model.restore(text) == "ngày 15/3/2024 (năm 2024): 12 hồ sơ; 1.5 - 2,5%!"


def test_unknown_syllables_pass_through(model: DiacriticRestorer) -> None:
    assert model.restore("nop ho so tai Zalo xyzw") == "nộp hồ sơ tại Zalo xyzw"


def test_accented_input_is_left_alone(model: DiacriticRestorer) -> None:
    text = "Phụ huynh nộp hồ sơ tại trường."
    assert model.restore(text) == text


def test_acronyms_restore_even_when_unseen(model: DiacriticRestorer) -> None:
    assert model.restore("cua So GD&DT, HDND va NLD") == "của Sở GD&ĐT, HĐND và NLĐ"


def test_confidence_separates_known_text_from_noise(model: DiacriticRestorer) -> None:
    _, good = model.restore_with_confidence("Phu huynh nop ho so tai truong")
    _, bad = model.restore_with_confidence("qwx brrk zzt plok")
    assert good > 0.8
    assert bad < 0.3


def test_save_load_round_trip_uses_plain_json(model: DiacriticRestorer, tmp_path: Path) -> None:
    path = tmp_path / "restorer.json.gz"
    model.save(path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        payload = json.load(fh)  # plain data, not a pickle
    assert payload["format"] == "motcua-diacritic-restorer"
    loaded = DiacriticRestorer.load(path)
    text = "Can bo tiep nhan kiem tra ho so va hen ngay tra ket qua cho nguoi dan"
    assert loaded.restore(text) == model.restore(text)
    assert loaded.logprob("hồ", "sơ", "và") == pytest.approx(model.logprob("hồ", "sơ", "và"))


def test_load_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "other.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump({"format": "something-else"}, fh)
    with pytest.raises(ValueError):
        DiacriticRestorer.load(path)


def test_training_skips_unaccented_lines() -> None:
    restorer = DiacriticRestorer.train(
        ["Người dân nộp hồ sơ.\nnguoi dan nop ho so khong dau o day\n"], with_default=False
    )
    assert restorer.forms("nguoi") == ["người"]
    assert restorer.forms("khong") == []


def test_tone_placement_is_normalised() -> None:
    assert normalize_tone("Hoá học, thuỷ lợi, khoẻ, HOÀ") == "Hóa học, thủy lợi, khỏe, HÒA"
    assert normalize_tone("quý, hoàn, ngoài, thuyền") == "quý, hoàn, ngoài, thuyền"
    restorer = DiacriticRestorer.train(["Văn hoá và văn hóa, thuỷ lợi."], with_default=False)
    assert restorer.forms("hoa") == ["hóa"]
    assert restorer.restore("van hoa") == "văn hóa"


def test_needs_restoration() -> None:
    assert needs_restoration("nop ho so tuyen sinh lop 1 o dau")
    assert not needs_restoration("nộp hồ sơ tuyển sinh lớp 1 ở đâu")
    assert not needs_restoration("2024/KH-UBND")


def test_default_training_text_comes_from_pyvi() -> None:
    entries = list(default_training_text())
    assert len(entries) > 10_000
    assert "hồ sơ" in entries


def test_question_restores_fast() -> None:
    restorer = DiacriticRestorer.train([TRAINING])  # with the shipped word list
    question = (
        "ho so tuyen sinh lop mot gom nhung giay to gi va nop o dau, "
        "nha truong tiep nhan trong thoi gian nao"
    )
    restorer.restore(question)
    start = time.perf_counter()
    out = restorer.restore(question)
    assert time.perf_counter() - start < 0.05
    assert out.startswith("hồ sơ tuyển sinh lớp một")


# ---------------------------------------------------------------- OCR repair


def test_ocr_letter_confusions_are_repaired(repairer: OcrRepairer) -> None:
    assert repairer.repair("ho so ciia nguoi dan").text == "hồ sơ của người dân"
    assert repairer.repair("S6: 12/KH-SGDDT").text == "Số: 12/KH-SGDĐT"
    assert repairer.repair("S6 Giao duc va Pao tao").text == "Sở Giáo dục và Đào tạo"
    assert repairer.repair("trach nhiém t6 chirc thyc hién").text == (
        "trách nhiệm tổ chức thực hiện"
    )
    assert repairer.repair("cai cach hanh chinh nim 2024").text == "cải cách hành chính năm 2024"


def test_ocr_glued_numbers_and_symbols(repairer: OcrRepairer) -> None:
    assert repairer.repair("ngay 15thang 3 n3m 2024").text == "ngày 15 tháng 3 năm 2024"
    assert repairer.repair("trach nhi€ém").text == "trách nhiệm"


def test_ocr_keeps_numbers_codes_and_acronyms(repairer: OcrRepairer) -> None:
    text = "Ke hoach 12/KH-UBND, CCHC, H5N1, lop 2a"
    assert repairer.repair(text).text == "Kế hoạch 12/KH-UBND, CCHC, H5N1, lớp 2a"


def test_ocr_shows_raw_text_when_unsure(repairer: OcrRepairer) -> None:
    shown, repaired = repairer.repair_for_display("Hoc sinh duogc cip bang tot nghiép")
    assert repaired
    assert shown == "Học sinh được cấp bằng tốt nghiệp"
    garbage = "xq7 brrk ~~ zzt plok qwv"
    assert repairer.repair_for_display(garbage) == (garbage, False)


def test_training_skips_ocr_lines_with_broken_spelling() -> None:
    # OCR keeps a tone but drops the circumflex: "tuyén", "hiéu" must not become known forms.
    restorer = DiacriticRestorer.train(
        ["Tuyén truyén nâng cao hiéu biết về cải cách.\nTuyên truyền về cải cách hành chính.\n"],
        with_default=False,
    )
    assert restorer.forms("tuyen") == ["tuyên"]
    assert restorer.forms("hieu") == []
    assert restorer.restore("tuyen truyen cai cach") == "tuyên truyền cải cách"
