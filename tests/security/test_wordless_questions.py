"""Issue 17, item 3: a question with no words to search for (emoji, punctuation, zero-width
characters, politeness alone) was a server error on the API and the console, and "hệ thống đang
gặp sự cố" on the channels. It is now asked back for, on every way in."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from tests.conftest import make_settings

WORDLESS = ["😀😀", "???", "...", "@", "<>", "ạ", "\u200b\u200b", "ad ơi", "🙏 ạ"]
ASK_AGAIN = "vui lòng gõ câu hỏi bằng chữ"


@pytest.fixture(scope="module")
def client(cards_index, cards_responder):
    app = create_app(make_settings(cards_index), responder=cards_responder)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("question", WORDLESS)
def test_the_api_asks_for_a_question(client: TestClient, question: str) -> None:
    response = client.post("/v1/ask", json={"question": question})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:  # whitespace-only may be refused as invalid input
        body = response.json()
        assert ASK_AGAIN in body["answer"] and body["status"] == "clarify"
        assert body["refused"] is False and body["citations"] == []


@pytest.mark.parametrize("question", WORDLESS)
def test_the_console_asks_for_a_question(client: TestClient, question: str) -> None:
    response = client.get("/console/api/answer", params={"q": question})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert ASK_AGAIN in response.text


@pytest.mark.parametrize("question", WORDLESS)
def test_the_responder_itself_asks_for_a_question(cards_responder, question: str) -> None:
    answer = cards_responder.answer(question)
    assert ASK_AGAIN in answer.answer and answer.status == "clarify"


def test_lexical_scores_of_a_wordless_query_are_zero(cards_responder) -> None:
    scores = cards_responder.retriever.lexical.scores("???")
    assert scores.shape == (len(cards_responder.index.chunks),) and not scores.any()
