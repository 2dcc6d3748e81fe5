"""Registry answers as the responder serves them: on a small real index (the type a question
gets wrong noted, validity with its source) and on the index of ../shared (chat words reach
the registry). The registry's own readings are in test_registry_phrasings.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from motcua.commands.cli import app as cli
from tests.bot.answering.test_registry_phrasings import both_forms
from tests.commands.test_decrees import PLAN
from tests.conftest import SHARED, make_settings

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
    from motcua.bot.answering.loading import load_responder

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
