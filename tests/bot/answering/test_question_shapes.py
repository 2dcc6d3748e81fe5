"""The shape of answer a question asks for (a definition, a list) and the sentences quoted for
it: a clause of the form “X” là … for "X là gì", the sentence that introduces the items for
"gồm những gì", and the body under a numbered heading that only names who it is about."""

from __future__ import annotations

import pytest

from motcua.bot.answering.evidence import TermWeights
from motcua.bot.answering.extractive import extract
from motcua.bot.answering.question_shapes import (
    asked_topic,
    asks_list,
    defined_term,
    heading_asked,
    passage_fits,
    shape_fits,
)
from motcua.bot.answering.responder import asks_for_closing
from motcua.index.build import FACTS_SECTION
from motcua.text import strip_diacritics
from motcua.types import Chunk, Hit

DEFINITIONS = (
    "Điều 3. Giải thích từ ngữ\n"
    "Trong Nghị định này, các từ ngữ dưới đây được hiểu như sau:\n"
    "1. “Thủ tục hành chính” là trình tự, cách thức thực hiện, hồ sơ và yêu cầu, điều kiện do "
    "cơ quan nhà nước quy định để giải quyết một công việc cụ thể.\n"
    "2. “Hồ sơ” là những loại giấy tờ mà đối tượng thực hiện thủ tục hành chính cần nộp."
)
LIST = (
    "1. Thủ tục hành chính phải được quy định trong văn bản quy phạm pháp luật do Chính phủ "
    "ban hành.\n"
    "2. Việc quy định một thủ tục hành chính cụ thể chỉ hoàn thành khi đáp ứng đầy đủ các bộ "
    "phận tạo thành cơ bản sau đây:\n"
    "a) Tên thủ tục hành chính;\nb) Trình tự thực hiện;\nc) Hồ sơ;\n"
    "3. Một thủ tục hành chính cụ thể phải bảo đảm đầy đủ các bộ phận tạo thành của thủ tục "
    "hành chính theo khoản 2."
)
HEADED = (
    "6. Liên đoàn Lao động tỉnh, Tỉnh Đoàn, Hội Liên hiệp Phụ nữ Việt Nam tỉnh, Hội Cựu Chiến "
    "binh tỉnh\n"
    "Tổ chức tuyên truyền các nội dung công tác CCHC; vận động hội viên thực hiện dịch vụ công "
    "trực tuyến và dịch vụ bưu chính công ích."
)


def both(question: str) -> list[str]:
    return [question, strip_diacritics(question)]


@pytest.mark.parametrize(
    ("question", "term"),
    [
        *((q, "thu tuc hanh chinh") for q in both("Theo NĐ 63/2010, thủ tục hành chính là gì?")),
        *((q, "ho so") for q in both("Hồ sơ được hiểu là gì ạ")),
        *((q, "ban sao luc") for q in both("Theo NĐ 30/2020, bản sao lục được hiểu như thế nào?")),
        ("bản sao y có nghĩa là gì", "ban sao y"),
        *((q, "van ban dien tu") for q in both("Văn bản điện tử là gì theo Nghị định 30/2020?")),
        ("dịch vụ công trực tuyến toàn trình là gì vậy", "dich vu cong truc tuyen toan trinh"),
        ("Định nghĩa văn bản hành chính", "van ban hanh chinh"),
        ("Học phí là bao nhiêu?", None),  # an amount, not a definition
        ("Nộp hồ sơ ở đâu?", None),
        ("Theo nghị định 63/2010 là gì", None),  # no term left
    ],
)
def test_the_term_a_question_asks_to_define(question: str, term: str | None) -> None:
    assert defined_term(question) == term


@pytest.mark.parametrize(
    ("question", "listing"),
    [
        ("Đối tượng tuyên truyền gồm những ai?", True),
        ("mot thu tuc phai co nhung bo phan cau thanh nao", True),
        ("Hồ sơ bao gồm giấy tờ gì?", True),
        ("Nộp hồ sơ ở đâu?", False),
        ("Kế hoạch ban hành ngày nào?", False),
    ],
)
def test_questions_that_ask_for_a_list(question: str, listing: bool) -> None:
    assert asks_list(question) is listing


def test_a_definition_question_fits_the_passage_that_defines_its_term() -> None:
    fits = passage_fits("Thủ tục hành chính được hiểu là gì?")
    assert fits is not None
    assert fits(DEFINITIONS)
    assert not fits(LIST)  # names the term, defines nothing
    assert shape_fits("Học phí là bao nhiêu?") is None


def _hit(text: str) -> Hit:
    return Hit(Chunk(chunk_id=0, doc_id="d", text=text), 1.0)


def test_the_defining_clause_is_quoted_for_a_definition() -> None:
    question = "Theo Nghị định 63/2010, thủ tục hành chính được hiểu là gì?"
    weights = TermWeights([DEFINITIONS, LIST, HEADED])
    # One sentence: the one that says what the term is, not the preamble that repeats the
    # question's "được hiểu".
    quoted = extract(question, _hit(DEFINITIONS), weights, limit=1, fits=shape_fits(question)).quote
    assert quoted.startswith("1. “Thủ tục hành chính” là trình tự")


def test_the_sentence_that_introduces_a_list_is_quoted_with_its_items() -> None:
    question = "Một thủ tục hành chính cụ thể phải có những bộ phận tạo thành nào?"
    weights = TermWeights([DEFINITIONS, LIST, HEADED])
    # One sentence: clause 3 repeats more of the question's words, clause 2 lists the parts.
    quoted = extract(question, _hit(LIST), weights, limit=1, fits=shape_fits(question)).quote
    assert quoted.startswith("2. Việc quy định một thủ tục hành chính cụ thể")
    assert "a) Tên thủ tục hành chính;" in quoted


def test_a_numbered_heading_is_quoted_with_what_follows_it() -> None:
    # The heading names who; the sentence under it says what they are given to do.
    question = "Hội Liên hiệp Phụ nữ tỉnh được giao gì?"
    quoted = extract(question, _hit(HEADED), TermWeights([DEFINITIONS, LIST, HEADED])).quote
    assert "dịch vụ công trực tuyến" in quoted


@pytest.mark.parametrize(
    ("question", "heading"),
    [
        ("Kế hoạch 1655 tuyên truyền cho những ai?", "doi tuong"),
        ("luat 67/2006 ap dung cho ai", "doi tuong"),
        ("Hội đồng dân tộc gồm những ai?", ""),  # its members, not whom it is for
        ("Quyết định 1766 do ai ký?", ""),
    ],
)
def test_whom_a_text_is_for_is_its_audiences_heading(question: str, heading: str) -> None:
    assert heading_asked(question) == heading


# An article whose heading names who, at more length than a short heading has.
ARTICLE = (
    "Điều 10. Trách nhiệm của các đối tượng thụ hưởng từ ngân sách nhà nước\n"
    "1. Cung cấp đầy đủ thông tin, số liệu bị thiệt hại theo yêu cầu của cơ quan có thẩm quyền."
)
# A plan's item: a heading long enough to read as a sentence, and its fields under it.
LONG_HEADED = (
    "4. Tổ chức đối thoại, tọa đàm trực tiếp giữa lãnh đạo các ngành, các cấp với cá nhân, tổ "
    "chức và doanh nghiệp để trao đổi, tháo gỡ các vướng mắc, kiến nghị liên quan đến TTHC và "
    "các cơ quan hành chính nhà nước\n"
    "- Thời gian: Định kỳ hàng quý.\n"
    "- Cơ quan chủ trì: Báo Long An, Đài Phát thanh và Truyền hình tỉnh."
)


@pytest.mark.parametrize(
    ("passage", "question", "fact"),
    [
        (
            ARTICLE,
            "Nghị định giao trách nhiệm gì cho các đối tượng thụ hưởng từ ngân sách nhà nước?",
            "Cung cấp đầy đủ thông tin",
        ),
        (
            LONG_HEADED,
            "Tổ chức đối thoại, tọa đàm giữa lãnh đạo với doanh nghiệp diễn ra khi nào?",
            "Định kỳ hàng quý",
        ),
    ],
)
def test_a_long_heading_is_quoted_with_what_follows_it(
    passage: str, question: str, fact: str
) -> None:
    quoted = extract(question, _hit(passage), TermWeights([passage, LIST, HEADED])).quote
    assert fact in quoted


def test_a_documents_particulars_are_quoted_whole() -> None:
    # Its subject shares no word with "lĩnh vực nào" beyond the document's own name.
    facts = (
        "Quyết định số 715/QĐ-UBND ngày 10/03/2023 của Ủy ban nhân dân tỉnh Bình Định\n"
        "Trích yếu: Phê duyệt quy trình nội bộ giải quyết thủ tục hành chính trong lĩnh vực "
        "điện.\nNgày ban hành: ngày 10 tháng 3 năm 2023."
    )
    hit = Hit(Chunk(chunk_id=0, doc_id="d", text=facts, section=FACTS_SECTION), 1.0)
    question = "Quyết định 715/QĐ-UBND năm 2023 phê duyệt quy trình nội bộ thuộc lĩnh vực nào?"
    quoted = extract(question, hit, TermWeights([facts, LIST]), known=facts.split("\n")[0])
    assert quoted.sentences == facts.split("\n")


@pytest.mark.parametrize(
    ("question", "closing"),
    [
        ("Kế hoạch 1655 gửi tới những nơi nào?", True),
        ("ke hoach 1655 co noi nhan la ai", True),
        ("Người ký quyết định này giữ chức vụ gì?", True),
        ("ke hoach tuyen truyen cchc 2024 cua so gd long an gui den nhung noi nao", True),
        ("Nộp hồ sơ ở đâu, nhận kết quả ở đâu?", False),
        ("Hồ sơ công nhận trường chuẩn gửi tới cơ quan nào?", False),  # a procedure's file
        ("Cán bộ giữ chức vụ gì thì được ký văn bản?", False),  # not the signer's title
        ("Ai ký kế hoạch 1655?", False),  # the particulars name the signer
    ],
)
def test_questions_the_closing_block_answers(question: str, closing: bool) -> None:
    assert asks_for_closing(question) is closing


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # "phần" and the verb that lists ("gồm", "bao gồm") name the shape, not the topic
        (
            "Trong Luật 24/2018, phần biện pháp bảo vệ an ninh mạng gồm những gì?",
            "trong luat 24 2018 bien phap bao ve an ninh mang nhung gi",
        ),
        (
            "phan ho so chuyen truong bao gom nhung giay to nao",
            "ho so chuyen truong nhung giay to nao",
        ),
        # what follows "quy định thế nào về", "nói gì về": the words before name the text
        (
            "Nghị định công tác văn thư năm 2020 quy định thế nào về các loại văn bản hành chính?",
            "cac loai van ban hanh chinh",
        ),
        (
            "nghi quyet 1677 noi gi ve sap xep don vi hanh chinh cap xa",
            "sap xep don vi hanh chinh cap xa",
        ),
        # which text says it: the text asked for is the topic too
        (
            "Nghị định nào quy định về kiểm soát TTHC?",
            "Nghị định nào quy định về kiểm soát TTHC?",
        ),
        # not a list question: unchanged, "bộ phận" and "phân" included
        ("Bộ phận một cửa phân loại hồ sơ thế nào?", "Bộ phận một cửa phân loại hồ sơ thế nào?"),
    ],
)
def test_a_question_is_read_for_what_it_asks_about(question: str, topic: str) -> None:
    assert asked_topic(question) == topic
