"""The project's own evaluation questions: labels checked against the text they claim, each
rewrite doing what its name says, out-of-scope topics the index names left out, and a group
split that never cuts a document in two. A made-up plan and the built-in cards; no index."""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from motcua.commands.calibration import (
    GeneratedQuestion,
    generate,
    read_jsonl,
    split_by_group,
    write_jsonl,
)
from motcua.commands.calibration.generated_question import (
    KIND_DOCUMENT,
    KIND_OUT_OF_SCOPE,
    KIND_PARTICULARS,
    KIND_PROCEDURE,
)
from motcua.commands.calibration.out_of_scope import dropped_out_of_scope
from motcua.commands.calibration.phrases import _questions_data
from motcua.commands.calibration.quotable import _Checker
from motcua.commands.calibration.transforms import (
    Setting,
    apply,
    chat_words,
    load_data,
    names_a_place,
)
from motcua.evaluation import EvalQuestion, facts_ok
from motcua.index.build import document_chunks
from motcua.index.store import StoredDocument
from motcua.ingest.cards import builtin_cards
from motcua.lexicon import vocabulary
from motcua.lexicon.vocabulary import folded_tokens, written_tokens
from motcua.text import diacritic_ratio, fold_phrase, strip_diacritics
from motcua.types import Chunk, Document, DocumentMeta

PLAN_TEXT = """KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2025

Căn cứ Kế hoạch số 1655/KH-SGDĐT ngày 05/5/2025 của Sở GD&ĐT về việc tuyên truyền cải cách
hành chính năm 2025 trong ngành giáo dục tỉnh Long An, Phòng GD&ĐT xây dựng kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao nhận thức của cán bộ, giáo viên và phụ huynh về thủ tục hành chính trong lĩnh vực
giáo dục của huyện.

II. NỘI DUNG, HÌNH THỨC
1. Nội dung tuyên truyền
- Hướng dẫn thủ tục chuyển trường và cấp bản sao văn bằng cho phụ huynh học sinh trên địa bàn huyện.
- Giới thiệu Cổng Dịch vụ công Quốc gia tại địa chỉ https://dichvucong.gov.vn cho người dân.
2. Hình thức tuyên truyền
- Đăng tải tin bài trên trang thông tin điện tử của Phòng và niêm yết tại các trường học.

III. TỔ CHỨC THỰC HIỆN
- Văn phòng Phòng GD&ĐT làm đầu mối tổ chức triển khai và kiểm tra việc thực hiện kế hoạch này.
- Các trường học gửi báo cáo kết quả về Phòng GD&ĐT trước ngày 15 tháng 12 hằng năm.
"""

PLAN_META = DocumentMeta(
    doc_type="Kế hoạch",
    so_hieu="99/KH-PGDĐT",
    issuer="Phòng Giáo dục và Đào tạo huyện Cần Giuộc",
    place="Long An",
    issued_date="2025-03-10",
    title="Tuyên truyền cải cách hành chính năm 2025",
    signer="Trần Văn Bình",
)


def _document(doc_id: str, text: str, meta: DocumentMeta) -> tuple[StoredDocument, list[Chunk]]:
    doc = Document(doc_id=doc_id, text=text, source_path=f"{doc_id}.txt", meta=meta)
    chunks = [
        Chunk(chunk_id=i, doc_id=doc_id, text=t, section=s, position=i)
        for i, (t, s) in enumerate(document_chunks(doc))
    ]
    return StoredDocument(doc_id, doc.source_path, "", "document", meta, text), chunks


@pytest.fixture(scope="module")
def plan() -> tuple[StoredDocument, list[Chunk]]:
    return _document("kh-99", PLAN_TEXT, PLAN_META)


@pytest.fixture(scope="module")
def questions(plan: tuple[StoredDocument, list[Chunk]]) -> list[GeneratedQuestion]:
    doc, chunks = plan
    return generate([doc], chunks, builtin_cards(), seed=3)


def _folded_words(text: str) -> set[str]:
    return set(fold_phrase(text).split())


# -- rewrites ---------------------------------------------------------------------------


QUESTION = "Xin lại bằng tốt nghiệp THPT số 123/QĐ-SGDĐT không được thì nộp hồ sơ ở đâu?"


def _rewrites(transform: str, question: str = QUESTION, n: int = 20, **setting) -> list[str]:
    out = []
    for seed in range(n):
        rewritten = apply(question, transform, random.Random(seed), Setting(**setting))
        if rewritten:
            out.append(rewritten)
    assert out, f"{transform} never applied"
    return out


def test_stripped_has_no_marks() -> None:
    for q in _rewrites("stripped"):
        assert diacritic_ratio(q) == 0 and "đ" not in q.lower()
        assert q == strip_diacritics(QUESTION)


def test_chat_uses_the_lexicons_chat_spellings_in_lower_case_without_punctuation() -> None:
    rewrites = _rewrites("chat")
    for q in rewrites:
        assert chat_words(q), q
        assert q == q.lower() and "?" not in q and "," not in q
        assert "123/qđ-sgdđt" in q  # a code keeps its slashes
    assert len(set(rewrites)) > 1  # the spellings vary with the seed


def test_typo_changes_letters_but_never_numbers_or_codes() -> None:
    keep = {t for t in QUESTION.split() if re.search(r"\d|[A-Z]{2}", t)}
    for q in _rewrites("typo"):
        assert q != QUESTION
        assert keep <= set(q.split()), q
        changed = [a for a, b in zip(QUESTION.split(), q.split(), strict=False) if a != b]
        assert len(q.split()) == len(QUESTION.split()) and 1 <= len(changed) <= 2, q


def test_place_adds_a_province_or_country_of_the_lexicon() -> None:
    for q in _rewrites("place", levels=("THPT",)):
        assert names_a_place(q) and not names_a_place(QUESTION), q
        assert q.endswith(QUESTION[0].lower() + QUESTION[1:])


def test_place_does_not_add_a_second_place_or_go_on_document_questions() -> None:
    named = "điểm chuẩn lớp 10 ở Hải Phòng bao nhiêu?"
    assert all(apply(named, "place", random.Random(s)) is None for s in range(10))
    assert all(
        apply(QUESTION, "place", random.Random(s), Setting(place_ok=False)) is None
        for s in range(10)
    )


def test_greeting_wraps_the_question_in_the_lexicons_fillers() -> None:
    fillers = {" ".join(p) for p in vocabulary().fillers}
    for q in _rewrites("greeting"):
        assert "bằng tốt nghiệp" in q
        words = " ".join(written_tokens(q))
        assert any(f" {f} " in f" {words} " for f in fillers), q


def test_reordered_moves_the_asked_part_first() -> None:
    q = apply("xin lại bằng tốt nghiệp nộp hồ sơ ở đâu?", "reordered", random.Random(0))
    assert q == "ở đâu thì nộp hồ sơ xin lại bằng tốt nghiệp?"
    q = apply(
        "con em đang học lớp 8, muốn chuyển trường thì cần giấy tờ gì?",
        "reordered",
        random.Random(0),
    )
    assert q == "con em đang học lớp 8, cần giấy tờ gì để chuyển trường?"
    # A situation is not a purpose: "cần giấy tờ gì để mất bằng" says the opposite.
    assert (
        apply(
            "mất bằng tốt nghiệp thì cần giấy tờ gì?",
            "reordered",
            random.Random(0),
            Setting(situation=True),
        )
        is None
    )


def test_a_combination_applies_each_part() -> None:
    for q in _rewrites("chat+stripped"):
        assert diacritic_ratio(q) == 0 and q == q.lower() and "?" not in q


# -- labels -----------------------------------------------------------------------------


def test_card_questions_carry_a_phrase_of_the_asked_field_and_the_card_id(
    questions: list[GeneratedQuestion],
) -> None:
    cards = {c.id: c for c in builtin_cards()}
    fields = {a.key: a.field for a in vocabulary().aspects}
    procedure = [q for q in questions if q.kind == KIND_PROCEDURE]
    assert {q.group for q in procedure} == set(cards)
    asked = Counter()
    for q in procedure:
        card = cards[q.group]
        aspect = q.id.removeprefix(f"gen-card-{card.id}-").split("-")[0].split("~")[0]
        value = getattr(card, fields[aspect])
        text = value if isinstance(value, str) else " ".join(str(v) for v in value)
        assert q.expect_docs == [card.id] and not q.expect_refused
        assert q.expect_any and all(
            f" {fold_phrase(p)} " in f" {fold_phrase(text)} " for p in q.expect_any
        ), q
        asked[aspect] += 1
    assert set(asked) == set(fields)  # every aspect of the lexicon is asked
    time = [q for q in procedure if q.group == "tthc-ban-sao-van-bang" and "-time-" in q.id]
    assert time and all("15 giờ" in q.expect_any for q in time)


def test_card_questions_name_the_level_when_a_sibling_card_differs_only_by_level(
    questions: list[GeneratedQuestion],
) -> None:
    levels = [" ".join(n) for lv in vocabulary().levels for n in lv.names]
    for q in questions:
        if q.group.startswith("tthc-chuyen-truong") and q.transform == "plain":
            folded = f" {fold_phrase(q.question)} "
            assert re.search(r" lop \d+ ", folded) or any(f" {n} " in folded for n in levels), q


def test_document_questions_expect_phrases_of_their_document_not_of_the_question(
    questions: list[GeneratedQuestion], plan: tuple[StoredDocument, list[Chunk]]
) -> None:
    doc, chunks = plan
    source = f" {fold_phrase(doc.text + ' ' + ' '.join(c.text for c in chunks))} "
    mine = [q for q in questions if q.group == doc.doc_id]
    assert {q.kind for q in mine} == {KIND_DOCUMENT, KIND_PARTICULARS}
    for q in mine:
        assert q.expect_docs[0] == doc.doc_id and not q.expect_refused
        for phrase in q.expect_any:
            assert f" {fold_phrase(phrase)} " in source, (q.question, phrase)
            assert f" {fold_phrase(phrase)} " not in f" {fold_phrase(q.question)} ", q


def test_document_questions_name_the_document_and_ask_its_values(
    questions: list[GeneratedQuestion],
) -> None:
    plain = {
        q.question: q.expect_any for q in questions if q.group == "kh-99" and q.transform == "plain"
    }
    assert len(plain) >= 6
    # Every question names the plan the way people do, never by its file name.
    assert all(re.search(r"(?i)kế hoạch (số )?99|kế hoạch tuyên truyền", q) for q in plain)
    expected = {p for phrases in plain.values() for p in phrases}
    assert "https://dichvucong.gov.vn" in expected  # a website asked for
    assert "1655/KH-SGDĐT" in expected  # a cited plan asked for
    assert "Văn phòng Phòng GD&ĐT" in expected  # who does what


def test_out_of_scope_questions_are_refusals_from_every_sector_family(
    questions: list[GeneratedQuestion],
) -> None:
    refused = [q for q in questions if q.expect_refused]
    assert refused and all(q.kind == KIND_OUT_OF_SCOPE and not q.expect_docs for q in refused)
    groups = {q.group for q in refused}
    assert {f"oos:{family}" for family in vocabulary().sectors} <= groups
    assert {"oos:near-education", "oos:no-card"} <= groups
    assert not any(q.expect_refused for q in questions if not q.group.startswith("oos:"))


def test_out_of_scope_topics_the_index_names_are_dropped(
    plan: tuple[StoredDocument, list[Chunk]],
) -> None:
    doc, chunks = plan
    mentions, extra = _document(
        "hd-ket-hon",
        "Hướng dẫn đăng ký kết hôn tại Ủy ban nhân dân cấp xã: nộp tờ khai và giấy tờ tùy thân.",
        DocumentMeta(doc_type="Hướng dẫn", title="Đăng ký kết hôn"),
    )
    before = generate([doc], chunks, builtin_cards(), seed=3)
    after = generate([doc, mentions], chunks + extra, builtin_cards(), seed=3)

    def marriage(qs: list[GeneratedQuestion]) -> list[str]:
        return [q.question for q in qs if q.expect_refused and "kết hôn" in q.question]

    assert marriage(before) and not marriage(after)
    assert "đăng ký kết hôn" in dropped_out_of_scope([doc, mentions], chunks + extra, [])


def test_a_passing_word_with_other_marks_does_not_drop_a_topic() -> None:
    doc, chunks = _document(
        "van-thu", "Danh mục hồ sơ do người đứng đầu cơ quan phê duyệt hằng năm.", DocumentMeta()
    )
    assert "sang tên sổ đỏ" not in dropped_out_of_scope([doc], chunks, [])


def test_ocr_debris_is_never_quoted() -> None:
    checker = _Checker(["đảm bảo thống nhất, đồng bộ trong tổ chức triển khai"])
    assert checker.fit("đảm bảo thống nhất, đồng bộ trong tổ chức triển khai", phrase=True)
    for garbled in (
        "đảm bảo thống nhất, d@)no bộ",
        "Sở& Nội vụ",
        "tm quan trọng",
        "BỘ phận",
        "chỉ số hài lòng lòng",
    ):
        assert not checker.fit(garbled), garbled


def test_every_aspect_template_holds_a_cue_of_its_aspect() -> None:
    for key, lists in _questions_data()["aspects"].items():
        cues = [" ".join(c) for c in vocabulary().aspect(key).cues]
        for template in lists["any"] + lists["then"]:
            folded = " ".join(folded_tokens(template.replace("{proc}", "x")))
            assert any(f" {c} " in f" {folded} " for c in cues), (key, template)


def test_out_of_scope_data_covers_the_lexicon() -> None:
    data = load_data("out_of_scope.yaml")
    assert set(data["sectors"]) == set(vocabulary().sectors)
    assert set(data["no_card"]) <= set(vocabulary().objects)
    # Every paper no card acts on has card-less procedures to ask about.
    acted_on = {
        name
        for name, phrases in vocabulary().objects.items()
        for card in builtin_cards()
        if any(f" {' '.join(p)} " in f" {fold_phrase(card.ten)} " for p in phrases)
    }
    assert set(vocabulary().objects) - acted_on <= set(data["no_card"])


def test_generation_is_deterministic_for_a_seed(
    plan: tuple[StoredDocument, list[Chunk]], questions: list[GeneratedQuestion]
) -> None:
    doc, chunks = plan
    again = generate([doc], chunks, builtin_cards(), seed=3)
    assert again == questions
    other = generate([doc], chunks, builtin_cards(), seed=4)
    assert [q.question for q in other] != [q.question for q in questions]
    assert len({q.id for q in questions}) == len(questions)
    assert {q.transform for q in questions} >= {
        "plain",
        "stripped",
        "chat",
        "typo",
        "place",
        "greeting",
        "reordered",
    }


# -- scoring, files, splits --------------------------------------------------------------


def test_a_generated_question_is_scored_like_an_evaluation_question(
    questions: list[GeneratedQuestion],
) -> None:
    q = next(q for q in questions if q.kind == KIND_PROCEDURE)
    plain = q.to_eval_question()
    assert type(plain) is EvalQuestion and plain.question == q.question
    assert isinstance(q, EvalQuestion)
    assert facts_ok(q, f"Trả lời: {q.expect_any[0]}.") and not facts_ok(q, "không rõ")


def test_jsonl_round_trip(questions: list[GeneratedQuestion], tmp_path: Path) -> None:
    path = write_jsonl(questions, tmp_path / "generated.jsonl")
    assert read_jsonl(path) == questions


def test_split_by_group_keeps_each_group_in_one_fold_and_is_deterministic(
    questions: list[GeneratedQuestion],
) -> None:
    folds = split_by_group(questions, 4, seed=1)
    assert len(folds) == 4
    seen: dict[str, int] = {}
    for k, (train, test) in enumerate(folds):
        assert len(train) + len(test) == len(questions)
        assert not {q.group for q in train} & {q.group for q in test}
        for group in {q.group for q in test}:
            assert group not in seen, f"{group} in folds {seen[group]} and {k}"
            seen[group] = k
        # Out-of-scope families are dealt apart, so every fold tests refusals.
        assert any(q.expect_refused for q in test)
    assert set(seen) == {q.group for q in questions}
    assert split_by_group(questions, 4, seed=1) == folds
    with pytest.raises(ValueError):
        split_by_group(questions, 1)


FEE_RESOLUTION = """HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG TRỊ

Số: 21/2025/NQ-HĐND

NGHỊ QUYẾT
Quy định mức học phí trên địa bàn tỉnh Quảng Trị

Điều 1. Mức học phí

Đơn vị tính: 1.000 đồng/học sinh/tháng

| STT | Tên đơn vị | Mức học phí |
| --- | --- | --- |
| 1 | **Trường Mầm non Hoa Phượng Đỏ** | |
| 1.1 | Nhà trẻ | 2.100 |
| 1.2 | Mẫu giáo | 1.800 |
| 2 | **Trường Tiểu học Cửa Tùng Xanh** | |
| 2.1 | Khối 1 | 950 |
"""


def test_table_rows_are_asked_for_their_figures_by_name() -> None:
    meta = DocumentMeta(doc_type="Nghị quyết", so_hieu="21/2025/NQ-HĐND", title="Học phí")
    doc, chunks = _document("nq-21", FEE_RESOLUTION, meta)
    made = [q for q in generate([doc], chunks, builtin_cards(), seed=3) if q.group == "nq-21"]
    rows = [q for q in made if q.transform == "plain" and "(Trường" in q.question]
    assert rows, [q.question for q in made]
    figures = {"2.100", "1.800", "950"}
    for question in rows:
        # the row named with its group, a column holding a figure asked, that figure expected
        assert "mức học phí" in question.question.lower()
        assert question.expect_any[0] in figures
        assert question.expect_any[0] not in question.question
