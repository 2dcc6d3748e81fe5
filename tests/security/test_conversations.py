"""Issue 17, item 2: /v1/ask took any conversation_id, "telegram:<chat id>" included, so anyone
could read a Telegram user's last topic ("còn lệ phí thì sao?") and steer their next follow-up.
REST conversations now have ids the server issues, random and unguessable; a channel's
conversation cannot be named from the public API."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from motcua.bot.web.app import create_app
from tests.conftest import make_settings

TOPIC = "Chuyển trường cho học sinh THCS cần giấy tờ gì?"
FOLLOW_UP = "còn lệ phí thì sao?"


@pytest.fixture(scope="module")
def client(cards_index, cards_responder):
    app = create_app(make_settings(cards_index), responder=cards_responder)
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize("channel_id", ["telegram:123456789", "zalo:8453", "api", "rest:parent"])
def test_a_channels_conversation_cannot_be_named(client: TestClient, channel_id: str) -> None:
    response = client.post("/v1/ask", json={"question": FOLLOW_UP, "conversation_id": channel_id})
    assert response.status_code == 422


def test_ids_are_issued_random_and_each_client_keeps_its_own(client: TestClient) -> None:
    first = client.post("/v1/ask", json={"question": TOPIC}).json()
    other = client.post("/v1/ask", json={"question": FOLLOW_UP}).json()
    ids = first["conversation_id"], other["conversation_id"]
    assert all(re.fullmatch(r"web:[A-Za-z0-9_-]{22}", i) for i in ids) and ids[0] != ids[1]
    # The other client's follow-up knows nothing of the first one's topic...
    assert not any(c["doc_id"] == "tthc-chuyen-truong-thcs" for c in other["citations"])
    # ...while the first client continues its own conversation with the id it was given.
    followed = client.post(
        "/v1/ask", json={"question": FOLLOW_UP, "conversation_id": ids[0]}
    ).json()
    assert followed["conversation_id"] == ids[0]
    assert followed["citations"][0]["doc_id"] == "tthc-chuyen-truong-thcs"
