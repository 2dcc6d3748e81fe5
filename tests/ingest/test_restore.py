"""Diacritic restoration and OCR repair on small texts written for these tests."""

from __future__ import annotations

import gzip
import itertools
import json
import math
import time
from pathlib import Path

import numpy as np
import pytest

from benchmarks.repair_precision import Syllable, change_stats, choose_threshold, judge
from motcua.bot.answering.document_labels import DocumentLabels
from motcua.bot.answering.evidence import TermWeights
from motcua.bot.answering.extractive import extract
from motcua.bot.answering.quoting import UNREPAIRED_NOTE, shown_sentence
from motcua.index.store import ChunkRow, IndexStore, StoredDocument
from motcua.ingest.ocr_repair import OcrRepairer, keep_unsure_raw
from motcua.ingest.restoration.language_model import BOS, EOS
from motcua.ingest.restoration.restorer import DiacriticRestorer, Reading
from motcua.ingest.restoration.spelling import needs_restoration, normalize_tone
from motcua.ingest.restoration.word_frequency import form_shares
from motcua.ingest.restoration.word_lists import default_training_text
from motcua.ingest.text_layer import TextLayer
from motcua.text import strip_diacritics
from motcua.types import Chunk, Document, DocumentMeta, Hit

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


def test_ocr_reads_q_for_the_horned_o() -> None:
    # "III. POI TUQNG TUYEN TRUYEN" of a scanned plan: Đ read as P, ƯỢ as UQ
    text = TRAINING + "Đối tượng tuyên truyền là cán bộ, công chức và đối tượng khác.\n"
    repairer = OcrRepairer(DiacriticRestorer.train([text], with_default=False))
    assert repairer.repair("III. POI TUQNG TUYEN TRUYEN").text == "III. ĐỐI TƯỢNG TUYÊN TRUYỀN"


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


def test_a_confident_repair_is_shown(repairer: OcrRepairer) -> None:
    shown = repairer.for_display("Can b6 tiép nhin h6 so")
    assert shown.text == "Cán bộ tiếp nhận hồ sơ"
    assert (shown.repaired, shown.kept_raw) == (6, 0)
    assert all(r.posterior >= repairer.min_posterior for r in repairer.repair("Can b6").readings)


def test_an_unsure_repair_keeps_the_scanned_form(repairer: OcrRepairer) -> None:
    # Alone, "nhan" is "nhận" or "nhân" (both trained): the reader gets the scan's spelling.
    (reading,) = repairer.repair("nhan").readings
    assert reading.shown in ("nhận", "nhân") and reading.posterior < repairer.min_posterior
    assert repairer.for_display("nhan").text == "nhan"
    # Context settles it, and the rest of a sentence is repaired around an unsure syllable.
    assert repairer.for_display("Uy ban nhan dan").text == "Ủy ban nhân dân"
    shown = repairer.for_display("Phu huynh nop ho so tuyen sinh, nhan ket qua.")
    assert shown.text == "Phụ huynh nộp hồ sơ tuyển sinh, nhan kết quả."
    assert shown.kept_raw == 1


def test_keep_unsure_raw_splices_by_posterior() -> None:
    text = "nhan thirc va hoá"
    readings = [
        Reading(0, 4, "nhan", "nhận", 0.95),
        Reading(5, 10, "thirc", "thuế", 0.40),  # an invented word, unsure: stays as scanned
        Reading(11, 13, "va", "và", 0.65),  # exactly at the threshold: shown
        Reading(14, 17, "hoá", "hoá", 0.10),  # unchanged: nothing to keep
    ]
    shown = keep_unsure_raw(text, readings, 0.65)
    assert shown.text == "nhận thirc và hoá"
    assert (shown.repaired, shown.kept_raw) == (2, 1)


def test_marginals_are_the_exact_posteriors(repairer: OcrRepairer) -> None:
    """Forward-backward against brute-force enumeration of every reading of a short line."""
    model = repairer.restorer
    tokens = model.tokenize(repairer.clean("S6 Giao duc ciia t6 chirc"), repairer.candidates)
    marginals = model._marginals(tokens)
    scores: dict[tuple[int, str], list[float]] = {}
    everything = []
    for path in itertools.product(*(t.cands for t in tokens)):
        forms = [c.form for c in path]
        ctx = [BOS, BOS, *forms, EOS]
        score = sum(c.logw for c in path)
        score += sum(model.logprob(*ctx[i : i + 3]) for i in range(len(forms) + 1))
        everything.append(score)
        for i, form in enumerate(forms):
            scores.setdefault((i, form), []).append(score)
    z = math.log(sum(math.exp(s) for s in everything))
    for (i, form), s in scores.items():
        assert marginals[i][form] == pytest.approx(math.exp(math.log(sum(map(math.exp, s))) - z))
    assert all(sum(m.values()) == pytest.approx(1.0) for m in marginals)


# ---------------------------------------------------------------- what readers see


def test_mixed_sentences_keep_the_unrepaired_note_rule() -> None:
    layer = TextLayer(DiacriticRestorer.train([TRAINING], with_default=False))
    # One syllable kept as scanned in a repaired sentence: it reads as Vietnamese, no note.
    mixed = layer.readable("Phu huynh nop ho so tuyen sinh, nhan ket qua.")
    assert "nhan" in mixed and "Phụ huynh nộp hồ sơ" in mixed
    assert shown_sentence(mixed, from_scan=True) == mixed
    # Mostly left as scanned (nothing to repair it into): still said to be the scan's text.
    raw = layer.readable("- xqv brrk zzt plok qwv nop ho so")
    assert raw == "- xqv brrk zzt plok qwv nộp hồ sơ"
    assert shown_sentence(raw, from_scan=True) == f"{raw[2:]} {UNREPAIRED_NOTE}"
    # Clean documents never get the note, and our own fact lines neither.
    assert shown_sentence("xqv brrk zzt", from_scan=False) == "xqv brrk zzt"
    assert shown_sentence("Người ký: Nguyen Van A", from_scan=True) == "Người ký: Nguyen Van A"


def test_search_matches_the_best_reading_while_readers_see_the_scan(tmp_path: Path) -> None:
    layer = TextLayer(DiacriticRestorer.train([TRAINING], with_default=False))
    shown, best = layer.views("Phu huynh nop ho so tuyen sinh, nhan ket qua.")
    assert shown == "Phụ huynh nộp hồ sơ tuyển sinh, nhan kết quả."
    assert best.replace("nhận", "nhan") == shown  # the unsure syllable at its likeliest reading
    store = IndexStore.open(tmp_path / "index", "test-embedder", 2, create=True)
    store.replace_document(
        Document("scan", "raw", "scan.txt"),
        [ChunkRow("raw", None, shown, best)],
        np.zeros((1, 2), dtype=np.float32),
    )
    (chunk,) = store.chunks()
    assert (chunk.shown, chunk.searchable) == (shown, best)
    store.close()


def test_headings_kept_at_build_are_shown_without_repairing_again(tmp_path: Path) -> None:
    layer = TextLayer(DiacriticRestorer.train([TRAINING], with_default=False))
    heading = "II. TRACH NHIEM TO CHUC THUC HIEN"
    layer.keep([heading, "Ke hoach tuyen sinh\nnam 2024"])
    layer.save(tmp_path)
    loaded = TextLayer.load(tmp_path)

    def no_repair(line: str) -> None:
        raise AssertionError(f"repaired again: {line}")

    loaded.repairer.for_display = no_repair  # type: ignore[method-assign]
    assert loaded.readable(heading) == layer.readable(heading)
    assert loaded.readable(heading) != heading  # it was repaired, once, when kept
    assert loaded.views("Ke hoach tuyen sinh\nnam 2024") == layer.views(
        "Ke hoach tuyen sinh\nnam 2024"
    )
    with pytest.raises(AssertionError, match="repaired again"):
        loaded.readable("Nha truong tiep nhan ho so")  # a line no build kept


def test_an_index_without_kept_lines_repairs_as_before(tmp_path: Path) -> None:
    layer = TextLayer(DiacriticRestorer.train([TRAINING], with_default=False))
    layer.save(tmp_path)
    (tmp_path / "shown-lines.json.gz").unlink()
    assert TextLayer.load(tmp_path).readable("Phu huynh nop ho so") == layer.readable(
        "Phu huynh nop ho so"
    )


SCAN = """KE HOACH
Tuyen truyen cai cach hanh chinh nam 2024
Can cu Nghi dinh so 61/2018/ND-CP ngay 23/4/2018 cua Chinh phu ve thuc hien co che mot cua.
I. MUC DICH, YEU CAU
Nang cao nhan thuc cua can bo, cong chuc ve cai cach hanh chinh trong nha truong.
II. TO CHUC THUC HIEN
Cac truong thuc hien ke hoach nay va bao cao ket qua ve So Giao duc va Dao tao.
"""


def test_an_index_shows_its_scans_headings_as_repaired_when_built(
    tmp_path: Path, cards_index: Path
) -> None:
    from motcua.bot.answering.loading import load_responder
    from tests.conftest import ingest_texts, make_settings

    responder = load_responder(
        make_settings(ingest_texts(tmp_path, {"scan.txt": SCAN}, cards_index))
    )
    scan = [c for c in responder.index.chunks if c.doc_id in responder.labels.ocr]
    sections = {c.section for c in scan if c.section}
    assert sections

    def no_repair(line: str) -> None:
        raise AssertionError(f"repaired while answering: {line}")

    clauses = [
        m
        for record in responder.index.registry.records.values()
        for m in record.cited_by
        if m.doc_id == scan[0].doc_id
    ]
    assert clauses  # the scan cites Nghị định 61/2018, quoted by the registry's answers
    responder.index.text_layer.repairer.for_display = no_repair  # type: ignore[method-assign]
    for chunk in scan:
        shown = responder.readable(chunk.doc_id, chunk.section or "")
        assert shown.strip() or not chunk.section
    assert responder.labels.label(scan[0].doc_id)
    assert all(responder.readable(m.doc_id, m.passage) for m in clauses)


def test_quoted_sentences_are_ranked_by_the_best_reading_and_shown_cautiously() -> None:
    # The scan's "tiép nhin" is kept for the reader, yet its sentence answers the question.
    shown = "Trường nhận hồ sơ trong giờ hành chính.\nCán bộ tiép nhin hồ sơ và hẹn ngày trả."
    best = "Trường nhận hồ sơ trong giờ hành chính.\nCán bộ tiếp nhận hồ sơ và hẹn ngày trả."
    chunk = Chunk(1, "scan", "raw", readable=shown, repaired=best)
    weights = TermWeights([best, "Phụ huynh nộp hồ sơ tại trường."])
    quoted = extract("ai tiếp nhận hồ sơ", Hit(chunk, 1.0), weights, limit=1)
    assert quoted.sentences == ["Cán bộ tiép nhin hồ sơ và hẹn ngày trả."]


# ---------------------------------------------------------------- the precision measure


def test_precision_of_changes_on_a_hand_made_alignment() -> None:
    syllables = [
        Syllable("nhan", "nhận", 0.9, "nhận"),  # a right change
        Syllable("thirc", "thuế", 0.9, "thức"),  # an invented word
        Syllable("ciia", "của", 0.3, "của"),  # right but unsure: kept as scanned at 0.5
        Syllable("và", "và", 1.0, "và"),  # unchanged, and right as scanned
        Syllable("hoá", "hóa", 1.0, "hóa"),  # tone placement only: not a change
        Syllable("I1", "Ii", 0.9, "II"),  # right letters, a casing no one wrote: wrong
        Syllable("TINH", "TỈNH", 0.9, "Tỉnh"),  # keeps the scan's capitals: right
        Syllable("Pao", "Đào", 0.9, None),  # nothing aligned to judge it by
    ]
    stats = change_stats(syllables, 0.5)
    assert (stats.changes, stats.right_changes, stats.precision) == (4, 2, 50.0)
    # Wrong as scanned: nhan, thirc, ciia, I1, TINH; shown right: nhận, TỈNH.
    assert (stats.wrong_raw, stats.fixed, stats.recall) == (5, 2, 40.0)
    assert (stats.kept_raw, stats.kept_raw_repair_right, stats.unpaired_changes) == (1, 1, 1)
    assert stats.syllables == 7
    everything = change_stats(syllables, 0.0)
    assert (everything.changes, everything.right_changes, everything.fixed) == (5, 3, 3)
    # The invented word and the bad casing sit at 0.9 with the right changes: only a
    # threshold above them all reaches 99%. Below, the lowest one that keeps out the wrong.
    assert choose_threshold(syllables) == 0.95
    sure = [Syllable("nhan", "nhận", 0.9, "nhận")] * 3 + [Syllable("vi", "vì", 0.42, "vị")]
    assert choose_threshold(sure) == 0.45
    assert judge("sd", "Sở", "số") is False and judge("sd", "số", "Số") is True
    assert judge("PAO", "pao", "Pao") is False  # a change of case alone must match exactly


def test_training_skips_ocr_lines_with_broken_spelling() -> None:
    # OCR keeps a tone but drops the circumflex: "tuyén", "hiéu" must not become known forms.
    restorer = DiacriticRestorer.train(
        ["Tuyén truyén nâng cao hiéu biết về cải cách.\nTuyên truyền về cải cách hành chính.\n"],
        with_default=False,
    )
    assert restorer.forms("tuyen") == ["tuyên"]
    assert restorer.forms("hieu") == []
    assert restorer.restore("tuyen truyen cai cach") == "tuyên truyền cải cách"


def test_a_scans_title_names_its_document_as_search_reads_it() -> None:
    # Readers see "nhan" as scanned (the repair is unsure); a question's "nhận kết quả" still
    # names the plan, so it is not content the answering passage must cover.
    layer = TextLayer(DiacriticRestorer.train([TRAINING], with_default=False))
    text = "Phu huynh nop ho so tuyen sinh, nhan ket qua."
    meta = DocumentMeta(
        doc_type="Kế hoạch", so_hieu="12/KH-SGDĐT", title="Ve tuyen sinh, nhan ket qua"
    )
    scan = StoredDocument("scan", "s.txt", "h", "document", meta, text)
    labels = DocumentLabels({"scan": scan}, layer)
    assert "nhan kết quả" in labels.title("scan")  # what readers see
    assert "nhận kết quả" in labels.identity("scan")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("chuyen truong co mat phi khong", "chuyển trường có mất phí không"),
        ("co phai dong phi khong", "có phải đóng phí không"),
        ("phi sao bang bao nhieu", "phí sao bằng bao nhiêu"),
        ("lam mat bang tot nghiep roi", "làm mất bằng tốt nghiệp rồi"),
    ],
)
def test_how_parents_ask_about_fees_and_waits_is_restored(typed: str, meant: str) -> None:
    # Legal texts never say "mất phí" or "tốn tiền": the shipped question wording settles
    # them, as it must for the commonest questions people type without marks.
    restorer = DiacriticRestorer.train([TRAINING])
    assert restorer.restore(typed) == meant


def test_places_and_question_words_of_the_lexicon_are_restored() -> None:
    # Neither is in the training text: the restorer knows them from the lexicon.
    restorer = DiacriticRestorer.train([TRAINING])
    assert restorer.restore("nha em o Nghe An").endswith("Nghệ An")
    assert "chuyển phát" in restorer.restore("gui chuyen phat nhanh duoc khong")


def test_common_forms_win_where_the_dictionary_says_only_what_exists() -> None:
    # The dictionary holds "cửa", "vẽ" and "vây" in many words and "của", "về", "vậy" in few:
    # how often each is written settles them when the documents are only a few lines.
    restorer = DiacriticRestorer.train([TRAINING])
    assert restorer.restore("giay to cua con em") == "giấy tờ của con em"
    assert restorer.restore("toi muon hoi ve le phi") == "tôi muốn hỏi về lệ phí"
    assert restorer.restore("nop o dau vay ad") == "nộp ở đâu vậy ad"


def test_form_shares_are_shares_of_running_text() -> None:
    shares = form_shares("cua")
    assert max(shares, key=shares.__getitem__) == "của"
    assert sum(shares.values()) == pytest.approx(1.0)
    assert form_shares("zzz") == {}
