"""How much of a question a passage covers, and which passage of a document answers."""

from __future__ import annotations

from motcua.bot.evidence import TermWeights, passage_coverage
from motcua.text import fold, initialisms

PASSAGES = [
    "Kế hoạch tuyên truyền cải cách hành chính năm 2024. Sở xây dựng kế hoạch như sau:",
    "Phòng Hành chính - Quản trị làm đầu mối tổ chức triển khai kế hoạch.",
    "Các trường học niêm yết công khai thủ tục hành chính tại nơi thuận tiện.",
    "Tổ chức hội thi tìm hiểu về cải cách hành chính cho học sinh.",
]
QUESTION = "Đơn vị nào làm đầu mối triển khai kế hoạch tuyên truyền cải cách hành chính năm 2024?"
NAME = "Kế hoạch “Tuyên truyền cải cách hành chính năm 2024”"


def test_initialisms_are_the_acronyms_of_administrative_names() -> None:
    found = initialisms("Sở Giáo dục và Đào tạo về cải cách hành chính")
    assert {"gd", "dt", "cc", "hc", "cchc"} <= set(found)
    # Initials that spell a syllable are words, not acronyms.
    assert all(not set(a) & set("aeiouy") for a in found)


def test_a_documents_name_does_not_count_toward_which_passage_answers() -> None:
    weights = TermWeights(PASSAGES)
    opening, answer = PASSAGES[0], PASSAGES[1]
    # Counting every word, the opening (it repeats the plan's name) covers more of the question.
    assert passage_coverage(QUESTION, opening, weights) > passage_coverage(
        QUESTION, answer, weights
    )
    # Leaving out the words that name the plan, the passage that answers covers more.
    assert passage_coverage(QUESTION, answer, weights, known=NAME) > passage_coverage(
        QUESTION, opening, weights, known=NAME
    )


def test_a_plans_content_question_is_answered_from_its_content_section(
    seeds_corpus_responder,
) -> None:
    # The school's plan opens with its title, which shares most words of the question; the
    # section on content ("IV. Nội dung, hình thức tuyên truyền") is what answers it.
    answer = seeds_corpus_responder.answer(
        "Kế hoạch tuyên truyền năm 2026 của trường THCS Thượng Sơn có nội dung gì?"
    )
    assert not answer.refused
    first = answer.citations[0]
    assert first.doc_id == "004_6c8115b2801e23a2"
    assert first.section is not None and "noi dung" in fold(first.section), first.section
