"""Telegram channel end to end: FastAPI webhook in, a loopback stub of the Bot API out."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from motcua.bot.channels import channel_routers, enabled_channels, open_state
from motcua.bot.channels.render import TELEGRAM_LIMIT, utf16_len
from motcua.bot.channels.state import ChannelState
from motcua.bot.channels.telegram import NON_TEXT_REPLY
from motcua.bot.channels.telegram_cli import set_webhook
from motcua.bot.channels.turn import RATE_LIMIT_MESSAGE
from motcua.settings import Settings
from tests.telegram_stub import (
    CHAT_ID,
    CITATION,
    SECRET,
    TOKEN,
    FakeResponder,
    TelegramStub,
    callback_update,
    command_update,
    make_app,
    make_settings,
    message_update,
    post,
    running_stub,
    text_update,
    visible_text,
)


@pytest.fixture
def stub() -> Iterator[TelegramStub]:
    with running_stub() as record:
        yield record


@pytest.fixture
def state(tmp_path: Path) -> ChannelState:
    return open_state(tmp_path / "data", rate_limit_per_minute=20)


def test_text_update_is_answered_with_citation_and_buttons(
    stub: TelegramStub, state: ChannelState
) -> None:
    responder = FakeResponder()
    app = make_app(make_settings(stub.url), responder, state)
    with TestClient(app) as client:
        assert post(client, text_update("Hồ sơ chuyển trường gồm những gì?")) == 200

    assert responder.calls == [("Hồ sơ chuyển trường gồm những gì?", f"telegram:{CHAT_ID}")]
    assert responder.users == [f"telegram:{CHAT_ID}"]  # the user's id (here also the chat's)
    assert [c.params["action"] for c in stub.of("sendChatAction")] == ["typing"]
    (sent,) = stub.of("sendMessage")
    assert sent.params["parse_mode"] == "HTML"
    assert int(sent.params["chat_id"]) == CHAT_ID
    shown = visible_text(sent.params["text"])
    assert "hồ sơ gồm đơn & bản sao <giấy khai sinh>" in shown
    assert "Kế hoạch <tuyên truyền> CCHC & chuyển_đổi số" in shown
    assert "1655/KH-SGDĐT" in shown
    assert "II. Nội dung > 1. Nội_dung <tuyên truyền>" in shown
    buttons = json.loads(sent.params["reply_markup"])["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["👍", "👎"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)


def test_special_characters_are_escaped_exactly(stub: TelegramStub, state: ChannelState) -> None:
    question = "Học sinh <lớp 6> & lớp_7 cần gì?"
    app = make_app(make_settings(stub.url), FakeResponder(), state)
    with TestClient(app) as client:
        assert post(client, text_update(question)) == 200
    (sent,) = stub.of("sendMessage")
    assert sent.params["text"] == (
        "Về câu hỏi “Học sinh &lt;lớp 6&gt; &amp; lớp_7 cần gì?”: hồ sơ gồm đơn &amp; bản sao "
        "&lt;giấy khai sinh&gt;.\n\n"
        "📚 <b>Nguồn tham khảo:</b>\n"
        "1. <b>Kế hoạch &lt;tuyên truyền&gt; CCHC &amp; chuyển_đổi số</b> (1655/KH-SGDĐT) — "
        "<i>II. Nội dung &gt; 1. Nội_dung &lt;tuyên truyền&gt;</i>"
    )


@pytest.mark.parametrize("secret, status", [(None, 401), ("wrong-secret", 403), ("", 403)])
def test_missing_or_wrong_secret_is_refused_and_nothing_processed(
    stub: TelegramStub, state: ChannelState, secret: str | None, status: int
) -> None:
    responder = FakeResponder()
    app = make_app(make_settings(stub.url), responder, state)
    with TestClient(app) as client:
        assert post(client, text_update("Xin chào"), secret=secret) == status
    assert responder.calls == []
    assert [c.method for c in stub.calls] == ["getMe"]  # startup only


def test_duplicate_delivery_is_answered_once(stub: TelegramStub, state: ChannelState) -> None:
    responder = FakeResponder()
    app = make_app(make_settings(stub.url), responder, state)
    update = text_update("Lệ phí cấp bản sao văn bằng?")
    with TestClient(app) as client:
        assert post(client, update) == 200
        assert post(client, update) == 200  # Telegram retried: still 200, so it stops
    assert len(responder.calls) == 1
    assert len(stub.of("sendMessage")) == 1


def test_long_answer_is_split_under_the_limit(stub: TelegramStub, state: ChannelState) -> None:
    items = "\n".join(f"- Giấy tờ số {i}: bản sao có chứng thực & <bản chính>." for i in range(80))
    sentences = " ".join(f"Bước {i} được thực hiện tại bộ phận một cửa." for i in range(150))
    long_answer = f"Hồ sơ gồm:\n{items}\n\n{sentences}\n\nThời hạn giải quyết: 5 ngày làm việc."
    app = make_app(make_settings(stub.url), FakeResponder(long_answer), state)
    with TestClient(app) as client:
        assert post(client, text_update("Thủ tục đầy đủ?")) == 200
    sent = stub.of("sendMessage")
    assert len(sent) >= 3
    texts = [visible_text(c.params["text"]) for c in sent]
    assert all(utf16_len(c.params["text"]) <= TELEGRAM_LIMIT for c in sent)
    # Splits fall between list items or sentences, never inside one.
    for text in texts[:-1]:
        assert text.rstrip().endswith((".", ":")), text[-40:]
    joined = " ".join(" ".join(texts).split())
    assert " ".join(long_answer.split()) in joined
    assert "1655/KH-SGDĐT" in texts[-1]
    markups = [c.params.get("reply_markup") for c in sent]
    assert markups[:-1] == [None] * (len(sent) - 1) and markups[-1]


@pytest.mark.parametrize(
    "content",
    [
        {
            "photo": [
                {"file_id": "AgACAgUAAxk", "file_unique_id": "AQADx", "width": 90, "height": 90},
                {"file_id": "AgACAgUAAxl", "file_unique_id": "AQADy", "width": 800, "height": 800},
            ],
            "caption": "giấy tờ của tôi",
        },
        {
            "sticker": {
                "file_id": "CAACAgIAAxk",
                "file_unique_id": "AgADs",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"voice": {"file_id": "AwACAgUAAxk", "file_unique_id": "AgADv", "duration": 4}},
        {
            "document": {
                "file_id": "BQACAgUAAxk",
                "file_unique_id": "AgADd",
                "file_name": "don-xin-chuyen-truong.pdf",
                "mime_type": "application/pdf",
            }
        },
    ],
    ids=["photo", "sticker", "voice", "document"],
)
def test_non_text_message_gets_polite_reply(
    stub: TelegramStub, state: ChannelState, content: dict[str, Any]
) -> None:
    responder = FakeResponder()
    app = make_app(make_settings(stub.url), responder, state)
    with TestClient(app) as client:
        assert post(client, message_update(**content)) == 200
    assert responder.calls == []
    (sent,) = stub.of("sendMessage")
    assert sent.params["text"] == NON_TEXT_REPLY


@pytest.mark.parametrize("command", ["/start", "/help"])
def test_start_and_help_explain_in_vietnamese(
    stub: TelegramStub, state: ChannelState, command: str
) -> None:
    responder = FakeResponder()
    app = make_app(make_settings(stub.url, hotline="1900 1234"), responder, state)
    with TestClient(app) as client:
        assert post(client, command_update(command)) == 200
    assert responder.calls == []
    (sent,) = stub.of("sendMessage")
    shown = visible_text(sent.params["text"])
    assert "thủ tục hành chính" in shown or "thủ tục" in shown
    if command == "/help":
        assert "1900 1234" in shown


def test_thumbs_up_callback_stores_feedback(stub: TelegramStub, state: ChannelState) -> None:
    app = make_app(make_settings(stub.url), FakeResponder(), state)
    with TestClient(app) as client:
        assert post(client, text_update("Thời hạn cấp bằng?")) == 200
        (sent,) = stub.of("sendMessage")
        up = json.loads(sent.params["reply_markup"])["inline_keyboard"][0][0]["callback_data"]
        callback = callback_update(up, query_id="4382bfdwdsb323b2d9")
        assert post(client, callback) == 200
    (ack,) = stub.of("answerCallbackQuery")
    assert ack.params["callback_query_id"] == "4382bfdwdsb323b2d9"
    assert "Cảm ơn" in ack.params["text"]
    assert len(stub.of("editMessageReplyMarkup")) == 1  # buttons removed after voting
    (row,) = state.feedback.feedback_rows()  # type: ignore[attr-defined]
    assert row["rating"] == "up"
    assert row["question"] == "Thời hạn cấp bằng?"
    assert "bản sao <giấy khai sinh>" in str(row["answer"])
    assert row["citations"][0]["so_hieu"] == "1655/KH-SGDĐT"
    assert row["citations"][0]["title"] == CITATION.title


def test_rate_limit_answers_politely_once(stub: TelegramStub, tmp_path: Path) -> None:
    state = open_state(tmp_path / "data", rate_limit_per_minute=2)
    responder = FakeResponder("Trả lời.")
    app = make_app(make_settings(stub.url), responder, state)
    with TestClient(app) as client:
        for i in range(4):
            assert post(client, text_update(f"Câu hỏi số {i}")) == 200
    assert len(responder.calls) == 2
    texts = [c.params["text"] for c in stub.of("sendMessage")]
    assert texts.count(RATE_LIMIT_MESSAGE) == 1
    assert len(texts) == 3


def test_channel_off_answers_404(stub: TelegramStub, state: ChannelState) -> None:
    for settings in (
        Settings(_env_file=None),
        make_settings(stub.url, telegram_webhook_secret=None),  # no secret: unsafe, so off
    ):
        assert "telegram" not in enabled_channels(settings)
        app = make_app(settings, FakeResponder(), state)
        with TestClient(app) as client:
            assert post(client, text_update("Xin chào")) == 404
    assert stub.calls == []


def test_logs_carry_no_token_secret_or_citizen_numbers(
    stub: TelegramStub, state: ChannelState, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = make_app(make_settings(stub.url), FakeResponder(), state)
    with TestClient(app) as client:
        assert post(client, text_update("CCCD 001203004567, SĐT 0912 345 678, hỏi hồ sơ")) == 200
        assert post(client, text_update("sai"), secret="wrong-secret") == 403
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "sendMessage" in logged  # httpx logged the Bot API URLs...
    assert TOKEN not in logged and TOKEN.split(":")[1] not in logged  # ...without the token
    assert SECRET not in logged
    assert "001203004567" not in logged and "0912 345 678" not in logged
    assert "[CCCD]" in logged


def test_webhook_returns_before_a_slow_answer(stub: TelegramStub, state: ChannelState) -> None:
    responder = FakeResponder()
    responder.release.clear()  # the answer blocks until the test says so
    app = make_app(make_settings(stub.url), responder, state)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        started = time.monotonic()
        resp = httpx.post(
            f"http://127.0.0.1:{port}/webhook/telegram",
            json=text_update("Câu hỏi chậm"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            timeout=5,
        )
        assert resp.status_code == 200
        assert time.monotonic() - started < 2
        assert stub.of("sendMessage") == []  # the answer is still being computed
        responder.release.set()
        while not stub.of("sendMessage"):
            assert time.monotonic() < deadline, "the answer never arrived"
            time.sleep(0.02)
    finally:
        responder.release.set()
        server.should_exit = True
        thread.join(10)


def test_set_webhook_registers_url_and_secret(stub: TelegramStub) -> None:
    registered = set_webhook(make_settings(stub.url), "https://bot.example.vn/")
    assert registered == "https://bot.example.vn/webhook/telegram"
    (call,) = stub.of("setWebhook")
    assert call.params["url"] == registered
    assert call.params["secret_token"] == SECRET
    assert json.loads(call.params["allowed_updates"]) == ["message", "callback_query"]


def test_set_webhook_refuses_a_bad_secret(stub: TelegramStub) -> None:
    with pytest.raises(ValueError):
        set_webhook(make_settings(stub.url, telegram_webhook_secret="có dấu!"), "https://x.vn")
    with pytest.raises(ValueError):
        set_webhook(make_settings(stub.url), "http://plain-http.vn")
    assert stub.of("setWebhook") == []


def test_dedup_store_forgets_after_ttl(state: ChannelState) -> None:
    assert state.dedup.first_time("k", ttl=0.05)
    assert not state.dedup.first_time("k", ttl=0.05)
    time.sleep(0.1)
    assert state.dedup.first_time("k", ttl=0.05)


def test_lifespan_merges_with_the_app_lifespan_and_restarts(
    stub: TelegramStub, state: ChannelState
) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def app_lifespan(_app: FastAPI) -> AsyncIterator[None]:
        events.append("up")
        yield
        events.append("down")

    app = FastAPI(lifespan=app_lifespan)
    for router in channel_routers(make_settings(stub.url), FakeResponder(), state):
        app.include_router(router)
    for _ in range(2):  # e.g. two test clients over one app
        with TestClient(app) as client:
            assert post(client, text_update("Xin chào")) == 200
    assert events == ["up", "down", "up", "down"]
    assert len(stub.of("getMe")) == 2
    assert len(stub.of("sendMessage")) == 2
