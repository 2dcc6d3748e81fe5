"""The responder with a language model configured: generated answers pass through the guard,
and anything the guard rejects falls back to the extractive answer."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from motcua.bot.answering.llm_answers import GeneratedComposer
from motcua.bot.answering.loading import load_responder
from motcua.bot.answering.responder import Responder
from motcua.index.builds import ingest_into_index
from tests.conftest import make_settings

PLAN = """KẾ HOẠCH
Tập huấn dịch vụ công trực tuyến năm 2025

I. TỔ CHỨC THỰC HIỆN
1. Phòng Giáo dục huyện
Phòng Giáo dục huyện chủ trì tổ chức hội nghị tập huấn về dịch vụ công trực tuyến cho giáo viên
vào tháng 9 hằng năm, kinh phí từ ngân sách nhà nước.
"""
QUESTION = "Ai chủ trì tập huấn dịch vụ công trực tuyến cho giáo viên?"


@pytest.fixture(scope="module")
def plan_responder(tmp_path_factory: pytest.TempPathFactory) -> Responder:
    folder = tmp_path_factory.mktemp("plan")
    (folder / "kh-tap-huan.txt").write_text(PLAN, encoding="utf-8")
    settings = make_settings(folder / "index")
    assert ingest_into_index([folder], settings).added
    return load_responder(settings)


def with_reply(responder: Responder, reply: str | Exception) -> Responder:
    class Model(FakeListChatModel):
        def _call(self, *args, **kwargs):  # type: ignore[override]
            if isinstance(reply, Exception):
                raise reply
            return super()._call(*args, **kwargs)

    clone = object.__new__(Responder)
    clone.__dict__.update(responder.__dict__)
    clone.composer = GeneratedComposer(Model(responses=[str(reply)]))
    return clone


def test_a_grounded_generated_answer_is_served(plan_responder: Responder) -> None:
    reply = "Phòng Giáo dục huyện chủ trì hội nghị tập huấn cho giáo viên [1]."
    answer = with_reply(plan_responder, reply).answer(QUESTION)
    assert answer.answer == reply
    assert answer.citations[0].doc_id == "kh-tap-huan"


def test_an_invented_decree_number_never_reaches_the_user(plan_responder: Responder) -> None:
    reply = "Theo Nghị định 99/2099/NĐ-CP, Phòng Giáo dục huyện chủ trì tập huấn [1]."
    answer = with_reply(plan_responder, reply).answer(QUESTION)
    assert "99/2099" not in answer.answer
    assert answer.answer == plan_responder.answer(QUESTION).answer, "falls back to extraction"


def test_a_failing_model_falls_back_to_the_extractive_answer(plan_responder: Responder) -> None:
    answer = with_reply(plan_responder, TimeoutError("model down")).answer(QUESTION)
    assert answer.answer == plan_responder.answer(QUESTION).answer
    assert "Phòng Giáo dục huyện" in answer.answer
