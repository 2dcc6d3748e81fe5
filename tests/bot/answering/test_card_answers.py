"""Parents' procedure questions answered from the built-in cards, also when the index holds the
customer's plans and the legal corpus beside them (the plans mention the same procedures in
passing: the card must win), and procedures the catalogue lacks declined."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from motcua.ingest.cards import builtin_card
from motcua.text import strip_diacritics
from motcua.types import STATUS_ANSWERED, STATUS_CLARIFY
from tests.conftest import make_settings

# (question a parent would type, the card that answers it)
QUESTIONS = [
    ("Xin bản sao bằng tốt nghiệp THPT từ sổ gốc cần giấy tờ gì?", "tthc-ban-sao-van-bang"),
    (
        "Con tôi học lớp 8, chuyển trường sang huyện khác thì làm thế nào?",
        "tthc-chuyen-truong-thcs",
    ),
    ("Chuyển trường cho học sinh lớp 11 cần hồ sơ gì?", "tthc-chuyen-truong-thpt"),
    ("Bằng tốt nghiệp bị ghi sai tên thì xin chỉnh sửa ở đâu?", "tthc-chinh-sua-van-bang"),
    (
        "Thủ tục công nhận trường đạt chuẩn quốc gia gồm những bước nào?",
        "tthc-truong-chuan-quoc-gia",
    ),
]
NOT_IN_CATALOGUE = [
    "Thủ tục đăng ký kết hôn cần những giấy tờ gì?",
    "Làm hộ chiếu phổ thông ở đâu, mất bao lâu?",
]


@pytest.fixture(scope="module")
def everything(seeds_corpus_index: Path, tmp_path_factory: pytest.TempPathFactory):
    from motcua.bot.answering.loading import load_responder
    from motcua.index.builds import ingest_into_index

    index_dir = tmp_path_factory.mktemp("all") / "index"
    shutil.copytree(seeds_corpus_index, index_dir)
    settings = make_settings(index_dir)
    assert ingest_into_index([], settings, builtin=True).added
    return load_responder(settings)


@pytest.mark.parametrize("accents", [True, False], ids=["accented", "stripped"])
@pytest.mark.parametrize(("question", "card_id"), QUESTIONS)
def test_card_answers_win_beside_plans_and_decrees(
    everything, question: str, card_id: str, accents: bool
) -> None:
    asked = question if accents else strip_diacritics(question)
    answer = everything.answer(asked)
    assert not answer.refused, asked
    assert answer.citations[0].doc_id == card_id, (asked, [c.doc_id for c in answer.citations])
    card = builtin_card(card_id)
    assert card.thoi_han in answer.answer and card.phi in answer.answer
    assert card.thanh_phan_ho_so[0] in answer.answer and card.trinh_tu[0] in answer.answer
    assert all(basis.so_hieu in answer.answer for basis in card.can_cu_phap_ly)


@pytest.mark.parametrize("question", NOT_IN_CATALOGUE)
def test_procedures_outside_the_catalogue_are_declined(everything, question: str) -> None:
    for asked in (question, strip_diacritics(question)):
        answer = everything.answer(asked)
        assert answer.refused, (asked, answer.answer[:200])


@pytest.mark.parametrize(
    "question",
    [
        "ad ơi cho e hỏi chuyển từ Bình Dương về thì cần giấy tờ gì",
        "nha em o Ha Noi moi chuyen ve Nghe An, con hoc lop 8 thi nop ho so o dau",
    ],
)
def test_a_family_that_moved_gets_the_transfer_card(cards_responder, question: str) -> None:
    # where they moved from and to, never the word "chuyển trường", over the cards alone
    for asked in (question, strip_diacritics(question)):
        answer = cards_responder.answer(asked)
        assert answer.status == STATUS_ANSWERED, (asked, answer.answer[:200])
        assert answer.citations[0].doc_id.startswith("tthc-chuyen-truong-"), asked


@pytest.mark.parametrize("question", ["thủ tục cấp 3 như thế nào ạ", "thu tuc cap 3 the nao ad"])
def test_a_procedure_asked_without_naming_one_is_asked_back(cards_responder, question: str) -> None:
    # which procedure? The cards of the level asked are offered first
    answer = cards_responder.answer(question)
    assert answer.status == STATUS_CLARIFY and not answer.refused
    offered = [s.label for s in answer.suggestions]
    assert builtin_card("tthc-chuyen-truong-thpt").ten in offered
    assert builtin_card("tthc-chuyen-truong-thcs").ten not in offered
