"""Which text a staff question names, read against the registry of ../shared: an indexed text
named by number or title, what a text named by its title was made on, and which of the texts a
document cites a subject names. Asked as written and with diacritics stripped.
"""

from __future__ import annotations

import re

import pytest

from motcua.bot.answering.registry_answers import bases_asked, cited_subject, named_text
from motcua.ingest.registry import DecreeRegistry
from motcua.text import strip_diacritics
from tests.bot.answering.test_registry_phrasings import ask, both_forms, numbers

# -- which indexed text a question names ----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        ("Theo Thông tư 101/2018/TT-BTC, người có công được chi đóng bảo hiểm y tế ra sao?",
         "101_2018_tt-btc"),
        ("Quyết định 2083/QĐ-UBND nói gì về giấy phép lao động?", "2083_2016_qd-ubnd"),
        ("Nghị định 63/2010 quy định công khai thủ tục thế nào?", "63_2010_nd-cp"),
    ],
)  # fmt: skip
def test_a_question_naming_an_indexed_text(
    registry: DecreeRegistry, question: str, doc_id: str
) -> None:
    for form in (question, strip_diacritics(question)):
        named = named_text(form, registry)
        assert named is not None and named.doc_id == doc_id, form


@pytest.mark.parametrize(
    "question",
    [
        "Đăng ký kết hôn với người nước ngoài cần giấy tờ gì?",
        "Thông tư 999/2031 quy định gì về hộ chiếu?",  # a number no text has
    ],
)
def test_a_question_naming_no_indexed_text(registry: DecreeRegistry, question: str) -> None:
    assert named_text(question, registry) is None


# -- what a text named by its title was made on ---------------------------------------------

PLAN_2024 = "002_a3b05bab0daef918"  # Long An's 2024 plan: no number, "Căn cứ Kế hoạch 826 …"


@pytest.mark.parametrize(
    "question",
    both_forms(
        [
            "Kế hoạch tuyên truyền năm 2024 của Sở được xây dựng căn cứ những văn bản nào?",
            "Kế hoạch tuyên truyền năm 2024 của Sở thực hiện kế hoạch nào?",
            "Kế hoạch tuyên truyền năm 2024 dựa trên văn bản nào?",
        ]
    ),
)
def test_what_a_text_named_by_title_was_made_on(registry: DecreeRegistry, question: str) -> None:
    answer = bases_asked(question, PLAN_2024, "Kế hoạch tuyên truyền 2024", registry)
    assert answer is not None
    assert [re.search(r"\d+/KH-\w+", line)[0] for line in answer.lines] == [
        "826/KH-UBND",
        "5055/KH-SGDĐT",
    ]
    assert {doc_id for doc_id, _ in answer.mentions} == {PLAN_2024}


@pytest.mark.parametrize(
    "question",
    [
        "Kế hoạch tuyên truyền năm 2024 của Sở tuyên truyền những nội dung gì?",
        "Căn cứ vào đâu để xét tuyển thẳng vào lớp 10?",  # criteria, not texts
        "Trường thực hiện tuyên truyền bằng những hình thức nào?",
    ],
)
def test_other_questions_do_not_ask_what_a_text_was_made_on(
    registry: DecreeRegistry, question: str
) -> None:
    assert bases_asked(question, PLAN_2024, "Kế hoạch tuyên truyền 2024", registry) is None


@pytest.mark.parametrize(
    ("question", "doc_id", "number"),
    [
        # "CCHC" typed where the citation writes the words out
        (
            "Theo kế hoạch tuyên truyền năm 2024 của Sở, kế hoạch nào quy định về thực hiện "
            "công tác CCHC?",
            PLAN_2024,
            "5055/KH-SGDĐT",
        ),
        # the type asked ("quyết định"), not one inside the subject ("đề án")
        (
            "Kế hoạch 1655 nhắc tới quyết định nào phê duyệt đề án đổi mới thực hiện cơ chế "
            "một cửa, một cửa liên thông?",
            "000_5348ec65c6d4a033",
            "468/QĐ-TTg",
        ),
        # of two cited texts on the subject, the one of the type asked (not Công văn 8322)
        (
            "Theo kế hoạch năm 2024, kế hoạch nào quy định về ứng dụng công nghệ thông tin "
            "trong hoạt động của cơ quan nhà nước?",
            PLAN_2024,
            "243/KH-UBND",
        ),
    ],
)
def test_which_of_its_cited_texts_a_subject_names(
    registry: DecreeRegistry, question: str, doc_id: str, number: str
) -> None:
    for form in (question, strip_diacritics(question)):
        answer = cited_subject(form, doc_id, "Kế hoạch", registry)
        assert answer is not None, form
        assert [re.search(r"\d+/[^\s,;]+", line)[0] for line in answer.lines] == [number], form
        assert {d for d, _ in answer.mentions} == {doc_id}


@pytest.mark.parametrize(
    "question",
    [
        # a subject none of its cited texts has
        "Theo kế hoạch năm 2024, văn bản nào quy định về học phí mầm non?",
        "Kế hoạch năm 2024 tuyên truyền những nội dung gì?",  # asks for no text
    ],
)
def test_no_cited_text_for_what_none_is_about(registry: DecreeRegistry, question: str) -> None:
    assert cited_subject(question, PLAN_2024, "Kế hoạch", registry) is None


def test_a_text_named_by_number_answers_which_text_it_cites(registry: DecreeRegistry) -> None:
    answer = ask(registry, "Theo Nghị định 48/2013, nghị định nào quy định về kiểm soát TTHC?")
    assert numbers(answer.lines) == ["63/2010/NĐ-CP"]
