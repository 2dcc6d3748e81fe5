"""Staff phrasings about legal texts answered from the registry: passive and yes/no forms of
amendment, replacement and repeal, validity, and a question that names the wrong type of text.
Every form is asked as written and with its diacritics stripped (users type both).

What is true here comes from ../shared: Nghị định 48/2013 amends 63/2010, which repeals Điều 2
of Quyết định 1699/QĐ-TTg; 09/2025 replaces 02/2017; 30/2020 (công tác văn thư) ends 110/2004
and 09/2010; nothing ingested amends 30/2020.
"""

from __future__ import annotations

import re

import pytest

from motcua.bot.answering.registry_answers import (
    RegistryAnswer,
    registry_answer,
    type_note,
)
from motcua.ingest.registry import DecreeRegistry
from motcua.text import strip_diacritics
from motcua.types import DocumentMeta


def both_forms(questions: list[str]) -> list[str]:
    return [form for q in questions for form in (q, strip_diacritics(q))]


def numbers(lines: list[str]) -> list[str]:
    """The document numbers an answer's lines name, in order."""
    return [n for line in lines for n in re.findall(r"\b\d+/\d{4}/[^\s,;.]+", line)]


def ask(registry: DecreeRegistry, question: str) -> RegistryAnswer:
    answer = registry_answer(question, registry)
    assert answer is not None, question
    return answer


# -- direction: "được/bị … bởi", "văn bản nào … X", "X … chưa?" ---------------------------


@pytest.mark.parametrize(
    "question",
    both_forms(
        [
            "Nghị định 63/2010 được sửa đổi bởi văn bản nào?",
            "Văn bản nào sửa đổi, bổ sung Nghị định 63/2010?",
            "Nghị định 63/2010 đã được sửa đổi chưa?",
            "Nghị định 63/2010 có văn bản nào sửa đổi không?",
        ]
    ),
)
def test_what_amends_a_decree(registry: DecreeRegistry, question: str) -> None:
    answer = ask(registry, question)
    assert answer.heading.startswith("Nghị định 63/2010/NĐ-CP")
    assert "được sửa đổi, bổ sung bởi" in answer.heading
    assert numbers(answer.lines) == ["48/2013/NĐ-CP"]
    # 63/2010's own closing article changes Quyết định 1699: that is what it amends, not what
    # amends it, so the voice of the question decides which one is named.
    assert not any("1699" in line for line in answer.lines)
    assert "48_2013_nd-cp" in {doc_id for doc_id, _ in answer.mentions}


@pytest.mark.parametrize("question", both_forms(["Nghị định 63/2010 sửa đổi văn bản nào?"]))
def test_what_a_decree_amends_is_the_other_direction(
    registry: DecreeRegistry, question: str
) -> None:
    # 63/2010 repeals Điều 2 of Quyết định 1699: named, as a partial repeal, not an amendment.
    answer = ask(registry, question)
    assert "được" not in answer.heading
    assert answer.heading.endswith("bãi bỏ một phần:")
    assert any("1699/QĐ-TTg" in line for line in answer.lines)
    assert not any("48/2013" in line for line in answer.lines)
    assert answer.caveat == (
        "Các văn bản đã nạp nêu việc bãi bỏ một phần, không nêu việc sửa đổi, bổ sung."
    )


@pytest.mark.parametrize(
    "question",
    both_forms(["Quyết định 1699/QĐ-TTg còn hiệu lực không?", "Quyết định 1699 bị bãi bỏ chưa?"]),
)
def test_a_partly_repealed_text_is_said_to_be_so(registry: DecreeRegistry, question: str) -> None:
    answer = ask(registry, question)
    said = " ".join([answer.heading, *answer.lines, answer.caveat or ""])
    assert "bãi bỏ một phần" in said and "63/2010/NĐ-CP" in said
    assert "sửa đổi, bổ sung bởi" not in said
    assert "63_2010_nd-cp" in {doc_id for doc_id, _ in answer.mentions}


@pytest.mark.parametrize(
    ("question", "linked", "passive"),
    [
        *[(q, "09/2025/NĐ-CP", True) for q in both_forms(
            [
                "Văn bản nào thay thế Nghị định 02/2017?",
                "Nghị định 02/2017 bị thay thế bởi văn bản nào?",
                "Nghị định 02/2017 đã bị thay thế chưa?",
            ]
        )],
        *[(q, "30/2020/NĐ-CP", True) for q in both_forms(
            ["Nghị định 110/2004 bị bãi bỏ chưa?", "Văn bản nào bãi bỏ Nghị định 110/2004?"]
        )],
        # the number after "bởi" / before the verb makes the change
        *[(q, "110/2004/NĐ-CP", False) for q in both_forms(
            ["Văn bản nào bị bãi bỏ bởi Nghị định 30/2020?"]
        )],
        *[(q, "61/2018/NĐ-CP", False) for q in both_forms(
            ["Văn bản nào được Nghị định 107/2021 sửa đổi?"]
        )],
    ],
)  # fmt: skip
def test_replaced_and_repealed_in_every_voice(
    registry: DecreeRegistry, question: str, linked: str, passive: bool
) -> None:
    answer = ask(registry, question)
    assert linked in numbers(answer.lines), answer
    assert (" bởi:" in answer.heading) is passive


@pytest.mark.parametrize("question", both_forms(["Văn bản nào thay thế Nghị định 110/2004?"]))
def test_a_repeal_answers_a_question_about_replacement_and_says_so(
    registry: DecreeRegistry, question: str
) -> None:
    # 30/2020 says 110/2004 "hết hiệu lực": a repeal, which the answer names as such.
    answer = ask(registry, question)
    assert answer.lines == ["Nghị định 30/2020/NĐ-CP ngày 5/3/2020 của Chính phủ"]
    assert "bị bãi bỏ bởi" in answer.heading
    assert answer.caveat and "không nêu việc thay thế" in answer.caveat


# -- nothing invented ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        *[(q, "sửa đổi, bổ sung") for q in both_forms(
            [
                "Nghị định 30/2020 đã được sửa đổi chưa?",
                "Văn bản nào sửa đổi Nghị định 30/2020?",
            ]
        )],
        *[(q, "thay thế") for q in both_forms(["Văn bản nào thay thế Thông tư 95/2005?"])],
    ],
)  # fmt: skip
def test_a_text_nothing_changes_gets_no_invented_change(
    registry: DecreeRegistry, question: str, verb: str
) -> None:
    answer = ask(registry, question)
    assert answer.lines == []
    assert answer.heading.startswith(
        f"Các văn bản đã nạp vào hệ thống không nêu văn bản nào {verb}"
    )
    assert answer.mentions  # the text itself (or where it is cited) is still cited


# -- validity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    both_forms(
        [
            "Nghị định 63/2010 còn hiệu lực không?",
            "Nghị định 63/2010 có còn áp dụng không?",
            "Nghị định 63/2010 hết hiệu lực chưa?",
            "Tình trạng hiệu lực của Nghị định 63/2010?",
        ]
    ),
)
def test_validity_of_an_amended_text_in_force(registry: DecreeRegistry, question: str) -> None:
    answer = ask(registry, question)
    assert answer.heading.startswith("Về hiệu lực của Nghị định 63/2010/NĐ-CP")
    assert answer.lines == [
        "Được sửa đổi, bổ sung bởi Nghị định 48/2013/NĐ-CP ngày 14/5/2013 của Chính phủ.",
        "Không văn bản nào trong số đã nạp nêu việc thay thế hoặc bãi bỏ văn bản này.",
    ]
    assert answer.caveat and "không phải ý kiến pháp lý" in answer.caveat
    cited = [doc_id for doc_id, _ in answer.mentions]
    assert cited[0] == "48_2013_nd-cp" and "63_2010_nd-cp" in cited


@pytest.mark.parametrize(
    "question",
    both_forms(["Nghị định 110/2004 còn hiệu lực không?", "Nghị định 09/2010 còn áp dụng không?"]),
)
def test_validity_of_a_repealed_text(registry: DecreeRegistry, question: str) -> None:
    answer = ask(registry, question)
    ended = [line for line in answer.lines if line.startswith("Bị bãi bỏ")]
    assert ended and "30/2020/NĐ-CP" in ended[0]
    assert not any("không nêu việc thay thế hoặc bãi bỏ" in line for line in answer.lines)
    assert answer.mentions[0][0] == "30_2020_nd-cp"


@pytest.mark.parametrize("question", both_forms(["Nghị định 30/2020 còn hiệu lực không?"]))
def test_validity_of_a_text_nothing_changes(registry: DecreeRegistry, question: str) -> None:
    answer = ask(registry, question)
    assert answer.lines == [
        "Không văn bản nào trong số đã nạp nêu việc sửa đổi, bổ sung văn bản này.",
        "Không văn bản nào trong số đã nạp nêu việc thay thế hoặc bãi bỏ văn bản này.",
    ]
    assert [doc_id for doc_id, _ in answer.mentions] == ["30_2020_nd-cp"]


def test_validity_of_a_text_said_replaced_by_no_named_text() -> None:
    reg = DecreeRegistry()
    reg.add_document("card", "Thông tư 06/2010/TT-BGDĐT trước đây đã được thay thế.")
    reg.add_document("plan", "Căn cứ Thông tư 06/2010/TT-BGDĐT của Bộ Giáo dục và Đào tạo;")
    for question in both_forms(["Thông tư 06/2010 còn hiệu lực không?"]):
        answer = ask(reg, question)
        assert any("đã được thay thế hoặc hết hiệu lực" in line for line in answer.lines)
        assert not any("không nêu việc thay thế hoặc bãi bỏ" in line for line in answer.lines)
        assert answer.mentions[0] == (
            "card",
            "Thông tư 06/2010/TT-BGDĐT trước đây đã được thay thế.",
        )


def test_a_text_only_cited_is_not_said_to_be_replaced() -> None:
    reg = DecreeRegistry()
    reg.add_document("plan", "Căn cứ Thông tư 06/2010/TT-BGDĐT của Bộ Giáo dục và Đào tạo;")
    answer = ask(reg, "Thông tư 06/2010 còn hiệu lực không?")
    assert "Không văn bản nào trong số đã nạp nêu việc thay thế hoặc bãi bỏ văn bản này." in (
        answer.lines
    )


@pytest.mark.parametrize(
    "question",
    both_forms(
        [
            "Nghị định 30/2020/NĐ-CP quy định về nội dung gì?",
            "Nghị định 30/2020 là văn bản gì vậy?",
            "Nội dung chính của Nghị định 30/2020 là gì?",
            "Nghị định 30/2020 nói về cái gì?",
            "Nghị định 30/2020 đề cập vấn đề gì?",
        ]
    ),
)
def test_what_a_text_is_about_is_its_subject(registry: DecreeRegistry, question: str) -> None:
    answer = ask(registry, question)
    assert answer.lines == ["Về công tác văn thư"] and answer.note is None
    assert answer.mentions[0][0] == "30_2020_nd-cp"


@pytest.mark.parametrize("question", both_forms(["Quyết định 1397/QĐ-UBND phê duyệt nội dung gì?"]))
def test_what_a_decision_approves_is_its_subject(registry: DecreeRegistry, question: str) -> None:
    answer = ask(registry, question)
    assert answer.lines[0].startswith("Về việc phê duyệt quy hoạch sử dụng đất")


@pytest.mark.parametrize(
    "question",
    both_forms(
        [
            "Phạm vi điều chỉnh của Nghị định 30/2020 là gì?",
            "Trách nhiệm của Bộ Nội vụ theo Nghị định 30/2020 là gì?",
            "Yêu cầu trong Thông tư 30/2020 là gì?",
        ]
    ),
)
def test_a_part_of_a_text_is_left_to_search(registry: DecreeRegistry, question: str) -> None:
    # the text owns what is asked; its subject line does not answer it
    assert registry_answer(question, registry) is None


# -- the wrong type named ------------------------------------------------------------------


@pytest.mark.parametrize("question", both_forms(["Thông tư 30/2020 quy định gì?"]))
def test_a_number_given_the_wrong_type(registry: DecreeRegistry, question: str) -> None:
    answer = ask(registry, question)
    assert answer.note is not None
    assert "Nghị định 30/2020/NĐ-CP" in answer.note and "không phải Thông tư" in answer.note
    assert answer.lines == ["Về công tác văn thư"]
    assert type_note(question, registry, None) == answer.note  # the same note before a search


@pytest.mark.parametrize(
    "question",
    both_forms(
        [
            "Nghị định 30/2020 quy định gì?",  # right type: search answers, no note
            "Thông tư 30 quy định gì?",  # no year: may be a Thông tư the documents never cite
            "Thông tư 47/2009 còn hiệu lực không?",  # a Thông tư liên tịch is a Thông tư
        ]
    ),
)
def test_no_type_note_when_the_type_is_not_wrong(registry: DecreeRegistry, question: str) -> None:
    answer = registry_answer(question, registry)
    assert answer is None or answer.note is None
    assert type_note(question, registry, None) is None


@pytest.mark.parametrize(
    ("question", "note"),
    [
        *[(q, True) for q in both_forms(["Thông tư nào quy định về công tác văn thư?"])],
        *[(q, False) for q in both_forms(["Nghị định nào quy định về công tác văn thư?"])],
    ],
)  # fmt: skip
def test_which_type_regulates_a_subject(
    registry: DecreeRegistry, question: str, note: bool
) -> None:
    answer = ask(registry, question)
    assert answer.lines[0].startswith("Nghị định 30/2020/NĐ-CP")
    if note:
        assert answer.note == (
            "Lưu ý: văn bản quy định nội dung này là Nghị định 30/2020/NĐ-CP ngày 5/3/2020 "
            "của Chính phủ, không phải Thông tư."
        )
    else:
        assert answer.note is None


@pytest.mark.parametrize(
    ("question", "note"),
    [
        *[(q, True) for q in both_forms(["Thông tư nào sửa đổi Nghị định 63/2010?"])],
        *[(q, False) for q in both_forms(["Nghị định nào sửa đổi Nghị định 63/2010?"])],
    ],
)  # fmt: skip
def test_which_type_amends_a_text(registry: DecreeRegistry, question: str, note: bool) -> None:
    answer = ask(registry, question)
    assert any("48/2013/NĐ-CP" in line for line in answer.lines)
    assert (answer.note is not None and "không phải Thông tư" in answer.note) is note


MADE_BY = {
    "decree": DocumentMeta(doc_type="Nghị định", so_hieu="30/2020/NĐ-CP", issuer="Chính phủ"),
    "circular": DocumentMeta(doc_type="Thông tư", so_hieu="101/2018/TT-BTC"),
    "plan": DocumentMeta(doc_type="Kế hoạch", so_hieu="1655/KH-SGDĐT"),
}


@pytest.mark.parametrize(
    ("question", "source", "noted"),
    [
        *[(q, "decree", True) for q in both_forms(["Thông tư nào quy định thể thức văn bản?"])],
        ("Nghị định nào quy định thể thức văn bản?", "decree", False),
        ("Văn bản nào quy định thể thức văn bản?", "decree", False),
        ("Thông tư nào quy định thể thức văn bản?", "circular", False),
        ("Thông tư nào quy định thể thức văn bản?", "plan", False),  # a plan regulates nothing
    ],
)  # fmt: skip
def test_note_before_a_search_answer(
    registry: DecreeRegistry, question: str, source: str, noted: bool
) -> None:
    note = type_note(question, registry, MADE_BY[source])
    if noted:
        assert note is not None and "Nghị định số 30/2020/NĐ-CP" in note
        assert "không phải từ một Thông tư" in note
    else:
        assert note is None


# -- questions that only mention a text are left to search ---------------------------------


@pytest.mark.parametrize(
    "question",
    both_forms(
        [
            "Theo Nghị định 63/2010, thủ tục hành chính được sửa đổi phải công bố như thế nào?",
            "Nghị định 48/2013 sửa đổi những điều nào của Nghị định 63/2010?",
            "Nghị định 63/2010 được sửa đổi như thế nào?",
            "Thủ tục số 2 còn áp dụng không?",
            "Nghị định 30/2020 quy định gì về thể thức văn bản?",
            "Học sinh lớp 8 chuyển trường có còn áp dụng quy định cũ không?",
        ]
    ),
)
def test_questions_about_content_are_not_registry_answers(
    registry: DecreeRegistry, question: str
) -> None:
    assert registry_answer(question, registry) is None


# -- when a text the documents only cite was issued ------------------------------------------


@pytest.mark.parametrize(
    "question",
    both_forms(
        [
            "QĐ 4963 của UBND tỉnh Long An về kế hoạch CCHC 2021 ban hành ngày nào?",
            "Quyết định 4963/QĐ-UBND ký ngày nào?",
            "Ngày ban hành của Quyết định 4963 là ngày nào?",
        ]
    ),
)
def test_the_date_of_a_cited_text_is_what_its_citation_says(
    registry: DecreeRegistry, question: str
) -> None:
    # Seed 001 cites "Quyết định số 4963/QĐ-UBND ngày 28/12/2020 của UBND tỉnh"; the text
    # itself is not ingested.
    answer = ask(registry, question)
    assert "Ngày ban hành: 28/12/2020." in answer.lines
    assert [doc for doc, _ in answer.mentions] == ["001_825a936da22e72ef"]


def test_the_date_of_an_ingested_text_is_left_to_its_own_particulars(
    registry: DecreeRegistry,
) -> None:
    # 63/2010 is in the index: its own first page (the facts passage) answers, not a citation.
    answer = registry_answer("Nghị định 63/2010 ban hành ngày nào?", registry)
    assert answer is None or not any(line.startswith("Ngày ban hành") for line in answer.lines)
