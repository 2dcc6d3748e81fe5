"""Questions about one document of the customer's plans and the legal corpus, answered end to
end: a text named by its number in another sector's words or asked when it takes effect, what
a text named by its title was made on, and a sum that no passage states."""

from __future__ import annotations

import pytest

from motcua.text import strip_diacritics

PLAN_2024 = "002_a3b05bab0daef918"  # Long An's 2024 plan, named by its title (it has no number)


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        (
            "Theo Thông tư 101/2018/TT-BTC, việc chi đóng bảo hiểm y tế cho người có công "
            "được quy định ra sao?",
            "101_2018_tt-btc",
        ),
        (
            "Quyết định 2083/QĐ-UBND nói gì về thời hạn của giấy phép lao động?",
            "2083_2016_qd-ubnd",
        ),
    ],
)
def test_a_text_named_by_number_is_answered_in_another_sectors_words(
    seeds_corpus_responder, question: str, doc_id: str
) -> None:
    for form in (question, strip_diacritics(question)):
        answer = seeds_corpus_responder.answer(form)
        assert not answer.refused, form
        assert answer.citations[0].doc_id == doc_id, form


def test_when_a_text_named_by_number_takes_effect_is_its_own_article(
    seeds_corpus_responder,
) -> None:
    # Every decree has an article "có hiệu lực thi hành"; 30/2020's shares more of these
    # words, but the question names 09/2025.
    question = "Nghị định 09/2025/NĐ-CP bắt đầu có hiệu lực thi hành khi nào?"
    for form in (question, strip_diacritics(question)):
        answer = seeds_corpus_responder.answer(form)
        assert answer.citations[0].doc_id == "09_2025_nd-cp", form
        assert "25 tháng 02 năm 2025" in answer.answer, form


def test_another_sectors_procedure_is_still_refused(seeds_corpus_responder) -> None:
    answer = seeds_corpus_responder.answer("Thẻ bảo hiểm y tế bị mất thì xin cấp lại ở đâu?")
    assert answer.refused


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch tuyên truyền cải cách hành chính năm 2024 của Sở GD&ĐT Long An được xây "
        "dựng căn cứ những văn bản nào?",
        "Kế hoạch tuyên truyền cải cách hành chính năm 2024 của Sở GD&ĐT Long An thực hiện "
        "kế hoạch nào?",
    ],
)
def test_what_a_plan_named_by_its_title_was_made_on(seeds_corpus_responder, question: str) -> None:
    for form in (question, strip_diacritics(question)):
        answer = seeds_corpus_responder.answer(form)
        assert not answer.refused, form
        assert "826/KH-UBND" in answer.answer and "5055/KH-SGDĐT" in answer.answer, form
        assert [c.doc_id for c in answer.citations] == [PLAN_2024], form


def test_a_sum_no_passage_states_is_refused(seeds_corpus_responder) -> None:
    # The plan says only that the budget is drawn up each year: no sum to quote.
    question = (
        "Kế hoạch tuyên truyền cải cách hành chính năm 2024 của Sở GD&ĐT Long An được cấp bao "
        "nhiêu tiền kinh phí?"
    )
    for form in (question, strip_diacritics(question)):
        assert seeds_corpus_responder.answer(form).refused, form


class _Doubting:
    """An answerability model that trusts no question: what is still answered is answered
    without it."""

    def probability(self, signals) -> float:
        return 0.0

    def thresholds(self, chunks: int | None = None) -> tuple[float, float]:
        return 0.5, 0.9


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Quyết định 1766 do ai ký?", "Nguyễn Ngọc Hai"),
        ("quyet dinh 1456 duoc ky ngay bn", "09/07/2021"),
        ("Cơ quan nào ban hành Nghị quyết 1677?", "Ủy ban Thường vụ Quốc hội"),
    ],
)
def test_a_text_named_by_number_is_asked_about_itself(
    seeds_corpus_responder, monkeypatch: pytest.MonkeyPatch, question: str, fact: str
) -> None:
    # Its particulars answer (signer, date, issuer) whatever the model makes of so few words.
    monkeypatch.setattr(seeds_corpus_responder, "answerability", _Doubting())
    answer = seeds_corpus_responder.answer(question)
    assert answer.status == "answered", answer.answer
    assert fact in answer.answer
    # Who issues something the text provides for is not who issued the text.
    other = "Theo Luật 24/2018/QH14, ai ban hành Danh mục hệ thống thông tin quan trọng?"
    assert seeds_corpus_responder.answer(other).refused


@pytest.mark.parametrize(
    ("question", "doc_id", "fact"),
    [
        (
            "Kế hoạch tuyên truyền năm 2024 của Sở GD&ĐT tuyên truyền cho những ai?",
            PLAN_2024,
            "phòng GD&ĐT cấp huyện",
        ),
        (
            "Luật công nghệ thông tin 67/2006 áp dụng cho những ai?",
            "67_2006_qh11",
            "tổ chức, cá nhân Việt Nam",
        ),
    ],
)
def test_whom_a_text_is_for_is_quoted_from_its_audience(
    seeds_corpus_responder, question: str, doc_id: str, fact: str
) -> None:
    # The question's other words are the text's own name: only "cho những ai" says which part.
    for form in (question, strip_diacritics(question)):
        answer = seeds_corpus_responder.answer(form)
        assert answer.citations[0].doc_id == doc_id, form
        assert fact in answer.answer, form
