"""Staff phrasings about legal texts answered from the registry: passive and yes/no forms of
amendment, replacement and repeal, validity, and a question that names the wrong type of text.
Every form is asked as written and with its diacritics stripped (users type both).

What is true here comes from ../shared: Nghị định 48/2013 amends 63/2010, which repeals Điều 2
of Quyết định 1699/QĐ-TTg; 09/2025 replaces 02/2017; 30/2020 (công tác văn thư) ends 110/2004
and 09/2010; nothing ingested amends 30/2020.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from motcua.bot.registry_answers import (
    RegistryAnswer,
    bases_asked,
    cited_subject,
    named_text,
    registry_answer,
    type_note,
)
from motcua.commands.cli import app as cli
from motcua.ingest.registry import DecreeRegistry
from motcua.text import strip_diacritics
from motcua.types import DocumentMeta
from tests.commands.test_decrees import PLAN
from tests.conftest import SHARED, make_settings


def both_forms(questions: list[str]) -> list[str]:
    return [form for q in questions for form in (q, strip_diacritics(q))]


@pytest.fixture(scope="module")
def registry(shared_dir: Path) -> DecreeRegistry:
    """The registry of the plans and the legal corpus (what the real index holds)."""
    reg = DecreeRegistry()
    for folder in ("seeds", "corpus/decrees", "corpus/other"):
        for path in sorted((shared_dir / folder).glob("*.txt")):
            reg.add_document(path.stem, path.read_text(encoding="utf-8"))
    return reg


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


# -- through the responder, on a small real index ------------------------------------------


# Nghị định 30/2020 from its start to the end of Điều 8 (thể thức văn bản), and its closing
# article, which ends Nghị định 110/2004 and 09/2010.
def decree_excerpt() -> str:
    path = SHARED / "corpus" / "decrees" / "30_2020_nd-cp.txt"
    if not path.is_file():
        pytest.fail(f"test document missing: {path}")
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Điều 9."))
    closing = next(i for i, line in enumerate(lines) if line.startswith("Điều 37."))
    return "\n".join(lines[:start] + lines[closing : closing + 2]) + "\n"


@pytest.fixture(scope="module")
def responder(tmp_path_factory: pytest.TempPathFactory):
    from motcua.bot.loading import load_responder

    folder = tmp_path_factory.mktemp("phrasings")
    (folder / "kh-212.txt").write_text(PLAN, encoding="utf-8")
    (folder / "30_2020_nd-cp.txt").write_text(decree_excerpt(), encoding="utf-8")
    index_dir = folder / "index"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--index-dir", str(index_dir)])
    assert result.exit_code == 0, result.output
    return load_responder(make_settings(index_dir))


@pytest.mark.parametrize("question", both_forms(["Thông tư nào quy định thể thức văn bản?"]))
def test_responder_notes_the_real_type_of_the_answering_text(responder, question: str) -> None:
    answer = responder.answer(question)
    assert not answer.refused
    assert answer.citations[0].doc_id == "30_2020_nd-cp"
    first = answer.answer.splitlines()[0]
    assert first.startswith("Lưu ý: nội dung dưới đây lấy từ Nghị định số 30/2020/NĐ-CP")
    assert first.endswith("không phải từ một Thông tư.")


def test_responder_adds_no_note_when_the_type_is_right(responder) -> None:
    answer = responder.answer("Nghị định nào quy định thể thức văn bản?")
    assert not answer.refused
    assert answer.citations[0].doc_id == "30_2020_nd-cp"
    assert "Lưu ý" not in answer.answer


@pytest.mark.parametrize("question", both_forms(["Nghị định 110/2004 còn hiệu lực không?"]))
def test_responder_answers_validity_with_its_source(responder, question: str) -> None:
    answer = responder.answer(question)
    assert not answer.refused
    assert "Bị bãi bỏ (hết hiệu lực) theo Nghị định 30/2020/NĐ-CP" in answer.answer
    assert "không phải ý kiến pháp lý" in answer.answer
    assert answer.citations[0].doc_id == "30_2020_nd-cp"
    assert "110/2004" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("nghi dinh 61/2018 duoc sua doi boi van ban nao", "- Nghị định 107/2021/NĐ-CP"),
        ("Nghị định 107/2021 đã được sửa đổi chưa?", "không nêu văn bản nào sửa đổi, bổ sung"),
        ("Thông tư 30/2020 quy định gì?", "không phải Thông tư"),
    ],
)
def test_responder_renders_registry_answers(responder, question: str, expected: str) -> None:
    answer = responder.answer(question)
    assert not answer.refused
    assert expected in answer.answer
    if "chưa" in question:  # nothing amends 107/2021: no linked text is listed
        assert "\n- " not in answer.answer


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


# -- through the responder: the registry reads the question as the lexicon does ------------


@pytest.mark.parametrize(
    "question",
    ["Nội dung chính của Nghị định 30/2020/NĐ-CP là gì nha?", "nd 30/2020 noi ve j vay ad"],
)
def test_chat_words_and_particles_reach_the_registry(seeds_corpus_responder, question: str) -> None:
    answer = seeds_corpus_responder.answer(question)
    assert "Về công tác văn thư" in answer.answer, answer.answer
    assert answer.citations[0].doc_id == "30_2020_nd-cp"


def test_a_part_of_a_plan_is_quoted_from_its_section(seeds_corpus_responder) -> None:
    answer = seeds_corpus_responder.answer("Yêu cầu của Kế hoạch 978 là gì?")
    first = answer.citations[0]
    assert first.doc_id == "003_9ae4726a7f8ae87f"
    assert first.section is not None and "Yêu cầu" in first.section, first.section
