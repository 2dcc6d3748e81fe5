"""Procedure cards: the right card or none, the asked aspect first, places said to be local."""

from __future__ import annotations

import pytest

from motcua.bot.answering.answerability import IndexTerms
from motcua.bot.answering.procedures import (
    card_answer,
    card_fits,
    card_lead,
    levels_served,
    suggestions_for,
)
from motcua.ingest.cards import builtin_cards, card_to_document
from motcua.lexicon import normalize
from motcua.types import Chunk, Hit

CARDS = {card.id: card for card in builtin_cards()}
COPY, EDIT = CARDS["tthc-ban-sao-van-bang"], CARDS["tthc-chinh-sua-van-bang"]
MOVE, STANDARD = CARDS["tthc-chuyen-truong-thcs"], CARDS["tthc-truong-chuan-quoc-gia"]


@pytest.fixture(scope="module")
def terms() -> IndexTerms:
    chunks = [
        Chunk(i, card.id, card_to_document(card).text) for i, card in enumerate(CARDS.values())
    ]
    return IndexTerms(chunks)


@pytest.mark.parametrize(
    "question",
    [
        "xin bản sao học bạ thì làm thế nào",
        "cấp lại học bạ bị mất ở đâu",
        "bảng điểm lớp 12 xin ở đâu",
        "xin giấy chứng nhận tốt nghiệp tạm thời",
        # recognised, but not the school the card recognises
        "hồ sơ công nhận xã đạt chuẩn phổ cập giáo dục tiểu học gồm những gì",
        "huyen dat chuan pho cap giao duc thcs can nhung dieu kien gi",
    ],
)
def test_papers_no_card_handles_get_no_card(question: str, terms: IndexTerms) -> None:
    reading = normalize(question)
    assert not [c.id for c in CARDS.values() if card_fits(c, reading, terms)]


@pytest.mark.parametrize(
    "question",
    ["hồ sơ xin giấy xác nhận học sinh cần những gì?", "muon xin giay xac nhan hs thi len dau"],
)
def test_a_card_named_by_what_it_does_needs_that_asked(question: str) -> None:
    # In a knowledge base of legal texts "học sinh" is rarer than "chuyển" and "trường"
    # (chuyển đổi số, môi trường), and weighs half of what names the transfer cards beyond
    # their level; but transferring is what they do.
    decrees = [
        Chunk(100 + i, f"decree-{i}", f"Điều {i}. Chuyển đổi số, môi trường, thị trường")
        for i in range(40)
    ]
    cards = [Chunk(i, c.id, card_to_document(c).text) for i, c in enumerate(CARDS.values())]
    terms = IndexTerms(cards + decrees)
    assert not [c.id for c in CARDS.values() if card_fits(c, normalize(question), terms)]
    transfer = normalize("chuyển trường cho học sinh lớp 7 có cần học bạ không")
    assert card_fits(MOVE, transfer, terms)


def test_the_card_of_the_papers_asked_fits(terms: IndexTerms) -> None:
    reading = normalize("mất bằng tốt nghiệp cấp 3 thì làm sao")
    assert card_fits(COPY, reading, terms) and card_fits(EDIT, reading, terms)
    recognised = normalize("hồ sơ công nhận trường THCS đạt chuẩn quốc gia gồm những gì")
    assert card_fits(STANDARD, recognised, terms)


@pytest.mark.parametrize(
    ("question", "fitting"),
    [
        ("mất bằng tốt nghiệp cấp 3 xin bản sao ở đâu", {COPY.id}),
        ("bằng tốt nghiệp bị mất làm lại được không", {COPY.id, EDIT.id}),
        ("xin bản sao xong có nhận bằng đường bưu điện được không", {COPY.id}),
        ("bằng tốt nghiệp ghi sai ngày sinh thì sửa ở đâu", {EDIT.id}),
        ("xin bản sao bằng sau khi đã chỉnh sửa thông tin", {COPY.id, EDIT.id}),
        # the same diploma, procedures no card describes
        ("thủ tục công nhận văn bằng tốt nghiệp do nước ngoài cấp", set()),
        ("bao lâu thì được nhận bằng tốt nghiệp THPT bản chính", set()),
        ("thí sinh tự do đăng ký dự thi tốt nghiệp THPT nộp bằng ở đâu", set()),
        ("thủ tục thu hồi văn bằng cấp sai", set()),
    ],
)
def test_a_card_fits_the_actions_its_name_says(
    question: str, fitting: set[str], terms: IndexTerms
) -> None:
    reading = normalize(question)
    assert {c.id for c in (COPY, EDIT, STANDARD) if card_fits(c, reading, terms)} == fitting


def test_a_paper_to_bring_does_not_exclude_the_procedure(terms: IndexTerms) -> None:
    # học bạ is part of a transfer file: the question is about transferring
    assert card_fits(MOVE, normalize("chuyển trường lớp 7 có cần học bạ không"), terms)
    assert not card_fits(COPY, normalize("chuyển trường lớp 7 có cần học bạ không"), terms)


def test_a_question_naming_no_paper_fits_every_card(terms: IndexTerms) -> None:
    reading = normalize("thủ tục này nộp ở đâu")
    assert all(card_fits(c, reading, terms) for c in CARDS.values())


@pytest.mark.parametrize(
    "question",
    ["khi nào học sinh cấp 3 nghỉ hè?", "hoc sinh Ninh Thuan tuu truong ngay nao?"],
)
def test_a_question_naming_nothing_of_a_procedure_gets_no_card(
    question: str, terms: IndexTerms
) -> None:
    # a pupil and a level are shared with the transfer card; nothing it holds is asked
    assert not [c.id for c in CARDS.values() if card_fits(c, normalize(question), terms)]


def test_a_question_naming_the_procedure_keeps_its_card(terms: IndexTerms) -> None:
    assert card_fits(MOVE, normalize("chuyển trường cấp 2 khi nào được?"), terms)
    assert card_fits(MOVE, normalize("chuyen tu Can Tho ve Long An hoc lop 7 duoc khong"), terms)


@pytest.mark.parametrize(
    "question",
    [
        "Thủ tục công nhận trường mầm non đạt chuẩn quốc gia theo thông tư nào?",
        "thu tuc cong nhan truong mau giao dat chuan quoc gia",
        "công nhận trường đại học đạt chuẩn thế nào",
    ],
)
def test_a_level_no_card_serves_takes_every_card_aside(question: str) -> None:
    assert not levels_served(CARDS.values(), normalize(question))


@pytest.mark.parametrize(
    "question",
    [
        "trường tiểu học xin công nhận chuẩn quốc gia theo thông tư nào",  # card: "Tiểu học"
        "truong cap 1 xin cong nhan chuan quoc gia",
        "chuyển trường cho con lớp 8",
        "thủ tục này nộp ở đâu",  # no level named
    ],
)
def test_a_level_some_card_serves_keeps_the_cards(question: str) -> None:
    assert levels_served(CARDS.values(), normalize(question))


def test_only_the_cards_of_other_levels_do_not_serve() -> None:
    reading = normalize("Thủ tục công nhận trường mầm non đạt chuẩn quốc gia")
    assert not levels_served([CARDS["tthc-truong-chuan-quoc-gia"]], reading)
    assert levels_served([MOVE], normalize("chuyển trường lớp 7"))
    assert not levels_served([CARDS["tthc-chuyen-truong-thpt"]], normalize("chuyển trường lớp 7"))


@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("xin bản sao bằng mất phí bao nhiêu", "Lệ phí: "),
        ("xin ban sao bang mat bao lau", "Thời hạn giải quyết: "),
        ("ma thu tuc cap ban sao van bang la gi", "Mã thủ tục: 1.010020"),
        ("căn cứ pháp lý của thủ tục cấp bản sao", "Căn cứ pháp lý: 23/2015/NĐ-CP"),
    ],
)
def test_the_asked_aspect_leads(question: str, start: str) -> None:
    lead = card_lead(COPY, normalize(question))
    assert lead is not None and lead.startswith(start)
    text, returned = card_answer(COPY, normalize(question), "https://dichvucong.gov.vn")
    assert returned == lead and text.startswith(lead)
    assert COPY.ten in text[len(lead) :], "the whole card follows the lead"


def test_no_aspect_no_lead() -> None:
    assert card_lead(COPY, normalize("thủ tục cấp bản sao văn bằng")) is None
    assert card_lead(COPY, normalize("cấp bản sao văn bằng làm thế nào")) is None


def test_a_place_is_answered_with_the_general_rule() -> None:
    text, _ = card_answer(
        MOVE, normalize("nhà em ở Bình Dương, chuyển trường lớp 6 nộp ở đâu"), "https://x"
    )
    assert "quy định chung" in text and "Bình Dương" in text
    plain, _ = card_answer(MOVE, normalize("chuyển trường lớp 6 nộp ở đâu"), "https://x")
    assert "quy định chung" not in plain


def test_suggestions_name_distinct_sources_with_the_asked_aspect() -> None:
    hits = [
        Hit(Chunk(1, COPY.id, "a"), 0.9),
        Hit(Chunk(2, COPY.id, "b"), 0.8),
        Hit(Chunk(3, "plan", "c", section="II. Nội dung"), 0.7),
        Hit(Chunk(4, EDIT.id, "d"), 0.6),
        Hit(Chunk(5, MOVE.id, "e"), 0.5),
    ]
    offered = suggestions_for(
        normalize("phí bao nhiêu"), hits, CARDS, lambda h: ("Nội dung (Kế hoạch)", "Nội dung?")
    )
    assert [s.label for s in offered] == [COPY.ten, "Nội dung (Kế hoạch)", EDIT.ten]
    assert offered[0].question == f"{COPY.ten}: lệ phí?"
