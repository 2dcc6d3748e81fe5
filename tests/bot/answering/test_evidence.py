"""How much of a question a passage covers, and which passage of a document answers."""

from __future__ import annotations

import pytest

from motcua.bot.answering.evidence import TermWeights, passage_coverage, question_terms
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


def test_the_year_of_a_documents_date_names_the_document() -> None:
    passages = [
        "Điều 7. Các loại văn bản hành chính gồm nghị quyết, quyết định, chỉ thị.",
        "Điều 15. Cấp số văn bản: số được cấp liên tiếp từ 01 ngày 01 tháng 01 mỗi năm.",
        "Điều 2. Đối tượng áp dụng của Nghị định.",
    ]
    weights = TermWeights(passages)
    question = "Nghị định công tác văn thư năm 2020 quy định các loại văn bản hành chính?"
    name = "Nghị định số 30/2020/NĐ-CP ngày 05/03/2020 về công tác văn thư"
    terms = question_terms(question, weights, known=name)
    # "năm 2020" says which text, as its date does: no passage answers by holding "năm".
    assert "nam" not in terms.words
    assert not any(p.startswith("nam_") or p.endswith("_nam") for p in terms.pairs)
    assert passage_coverage(question, passages[0], weights, known=name) > passage_coverage(
        question, passages[1], weights, known=name
    )
    # A year the document's name does not hold is the question's own.
    assert "nam" in question_terms(question, weights, known="Nghị định về công tác văn thư").words


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


@pytest.mark.parametrize(
    ("question", "definition"),
    [
        ("Văn bản điện tử là gì theo Nghị định 30/2020?", "thông điệp dữ liệu"),
        ("Hồ sơ được hiểu như thế nào theo Nghị định 30/2020?", "tập hợp các văn bản"),
    ],
)
def test_a_definition_is_quoted_from_the_passage_that_defines_the_term(
    seeds_corpus_responder, question: str, definition: str
) -> None:
    # The terms are defined in the later passages of "Điều 3. Giải thích từ ngữ", which hold
    # little of the question besides the term; "Điều 5. Giá trị pháp lý của văn bản điện tử"
    # holds more of it and answers nothing.
    answer = seeds_corpus_responder.answer(question)
    assert answer.citations and answer.citations[0].doc_id == "30_2020_nd-cp"
    assert definition in answer.answer


def test_a_question_naming_a_heading_is_answered_from_the_start_of_that_part(
    seeds_corpus_responder,
) -> None:
    # "1. Mục tiêu" holds "1.1. Mục tiêu chung" and "1.2. Mục tiêu cụ thể" over three passages,
    # each covering the question as well as the others: the part opens with 1.1.
    answer = seeds_corpus_responder.answer("Kế hoạch 1655 của Sở GD&ĐT Long An đặt ra mục tiêu gì?")
    first = answer.citations[0]
    assert first.doc_id == "000_5348ec65c6d4a033"
    assert first.section is not None and "1.1. Mục tiêu chung" in first.section, first.section


@pytest.mark.parametrize(
    ("question", "section", "doc_id"),
    [
        # "Điều 2. Giải thích từ ngữ" defines "không gian mạng quốc gia" and says "bao gồm" too:
        # the list verb is the question's shape, and the part named by its heading answers.
        (
            "Trong Luật 24/2018, phần bảo vệ không gian mạng quốc gia gồm những gì?",
            "Điều 6. Bảo vệ không gian mạng quốc gia",
            "24_2018_qh14",
        ),
        # A heading naming the part is where its list is, though no line of it ends with ":".
        (
            "Trong Luật số 24/2018/QH14, phần chính sách của Nhà nước về an ninh mạng gồm "
            "những gì?",
            "Điều 3. Chính sách của Nhà nước về an ninh",
            "24_2018_qh14",
        ),
        # "… năm 2020 của Chính phủ quy định thế nào về X": X is asked, the rest names the text.
        (
            "Nghị định công tác văn thư năm 2020 của Chính phủ quy định thế nào về các loại văn "
            "bản hành chính?",
            "Điều 7. Các loại văn bản hành chính",
            "30_2020_nd-cp",
        ),
    ],
)
def test_the_part_a_question_names_is_quoted(
    seeds_corpus_responder, question: str, section: str, doc_id: str
) -> None:
    first = seeds_corpus_responder.answer(question).citations[0]
    assert first.doc_id == doc_id
    assert first.section is not None and section in first.section, first.section


def test_a_part_asked_for_as_a_whole_is_quoted_over_its_passages(seeds_corpus_responder) -> None:
    # "1. Mục đích" of the 2021 plan runs over two passages; asked for its purpose, the answer
    # quotes the part, the second passage ("phương thức hoạt động…") included.
    answer = seeds_corpus_responder.answer("Kế hoạch số 110/KH-UBND nhằm mục đích gì?")
    assert answer.citations[0].doc_id == "001_825a936da22e72ef"
    assert "nâng cao nhận thức" in answer.answer
    assert "phương thức hoạt động" in answer.answer


def test_only_a_question_naming_the_heading_gets_the_rest_of_the_part(
    seeds_corpus_responder,
) -> None:
    from motcua.types import Hit

    passages = seeds_corpus_responder.passages
    chunks = seeds_corpus_responder.index.chunks_of["001_825a936da22e72ef"]
    opening = next(c for c in chunks if fold(c.section or "").endswith("1. muc dich"))
    hit = Hit(opening, 1.0)
    whole = passages.with_body(hit, "Kế hoạch số 110/KH-UBND nhằm mục đích gì?")
    assert whole.chunk.shown.startswith(opening.shown)
    assert len(whole.chunk.shown) > len(opening.shown)
    # A question about something within the part is answered from the passage retrieval found.
    within = passages.with_body(hit, "Kế hoạch 110 có tuyên truyền về dịch vụ công trực tuyến?")
    assert within.chunk.shown == opening.shown
