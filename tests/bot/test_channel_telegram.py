"""Telegram channel end to end: FastAPI webhook in, a loopback stub of the Bot API out."""

from __future__ import annotations

import html.parser
import json
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
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
from motcua.bot.channels.telegram import NON_TEXT_REPLY, set_webhook
from motcua.bot.channels.turn import RATE_LIMIT_MESSAGE
from motcua.bot.pipeline import Question, QuestionPipeline
from motcua.settings import Settings
from motcua.storage.conversations import SqlConversationStore
from motcua.types import Answer, Citation
from tests.scripted import (
    CLARIFY_TEXT,
    DETAILS,
    FEE_QUESTION,
    SUGGESTIONS,
    UNCLEAR,
    OneCuratedAnswer,
    ScriptedResponder,
)
from tests.stubs import serve_json

TOKEN = "123456789:AAFakeTokenForTests_abcdefghijklmnop"
SECRET = "webhook-Secret_0123456789"
CHAT_ID = 5550001


# --- a stub of the Telegram Bot API on 127.0.0.1 ----------------------------------------------


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class TelegramStub:
    calls: list[Call] = field(default_factory=list)
    next_id: int = 1000
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def of(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": 42,
                "is_bot": True,
                "first_name": "Một Cửa",
                "username": "motcua_test_bot",
                "can_join_groups": False,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method in ("sendMessage", "editMessageReplyMarkup"):
            with self.lock:
                self.next_id += 1
                message_id = self.next_id
            return {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": int(params.get("chat_id", CHAT_ID)), "type": "private"},
                "from": {"id": 42, "is_bot": True, "first_name": "Một Cửa"},
                "text": params.get("text", ""),
            }
        return True  # sendChatAction, answerCallbackQuery, setWebhook, deleteWebhook


@pytest.fixture
def stub() -> Iterator[TelegramStub]:
    record = TelegramStub()

    def handle(path: str, headers: dict[str, str], params: dict) -> object:
        assert path.startswith(f"/bot{TOKEN}/"), path
        method = path.rsplit("/", 1)[-1]
        with record.lock:
            record.calls.append(Call(method, params))
        return {"ok": True, "result": record.answer(method, params)}

    with serve_json(handle) as url:
        record.url = url
        yield record


# --- the product under test -------------------------------------------------------------------

CITATION = Citation(
    doc_id="kh-1655",
    title="Kế hoạch <tuyên truyền> CCHC & chuyển_đổi số",
    so_hieu="1655/KH-SGDĐT",
    section="II. Nội dung > 1. Nội_dung <tuyên truyền>",
    quote="…",
    score=0.9,
)


class FakeResponder:
    def __init__(self, text: str | None = None, delay: float = 0.0) -> None:
        self.text = text
        self.delay = delay
        self.calls: list[tuple[str, str | None]] = []
        self.users: list[str | None] = []  # who asked, as the question log records them
        self.release = threading.Event()
        self.release.set()

    def __call__(self, asked: Question) -> Answer:
        question = asked.text
        self.calls.append((question, asked.conversation))
        self.users.append(asked.user)
        self.release.wait(10)
        text = self.text or f"Về câu hỏi “{question}”: hồ sơ gồm đơn & bản sao <giấy khai sinh>."
        return Answer(question=question, answer=text, refused=False, citations=[CITATION])


def make_settings(stub_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_webhook_secret": SECRET,
        "telegram_api_base_url": f"{stub_url}/bot",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def make_app(settings: Settings, responder: Callable[..., Answer], state: ChannelState) -> FastAPI:
    app = FastAPI()
    for router in channel_routers(settings, responder, state):
        app.include_router(router)
    return app


@pytest.fixture
def state(tmp_path: Path) -> ChannelState:
    return open_state(tmp_path / "data", rate_limit_per_minute=20)


_update_ids = iter(range(700_000_000, 800_000_000))


def user() -> dict[str, Any]:
    return {"id": CHAT_ID, "is_bot": False, "first_name": "Lan", "language_code": "vi"}


def message_update(**content: Any) -> dict[str, Any]:
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": next(_update_ids) % 100_000,
            "date": int(time.time()),
            "from": user(),
            "chat": {"id": CHAT_ID, "type": "private", "first_name": "Lan"},
            **content,
        },
    }


def text_update(text: str) -> dict[str, Any]:
    return message_update(text=text)


def command_update(command: str) -> dict[str, Any]:
    return message_update(
        text=command, entities=[{"type": "bot_command", "offset": 0, "length": len(command)}]
    )


def post(client: TestClient, update: dict[str, Any], secret: str | None = SECRET) -> int:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    return client.post("/webhook/telegram", json=update, headers=headers).status_code


class TelegramHTML(html.parser.HTMLParser):
    """Checks what Telegram's HTML parse mode would reject: unknown or unbalanced tags."""

    ALLOWED = {"b", "i"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.ALLOWED, f"unexpected tag <{tag}>"
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text += data


def visible_text(message_html: str) -> str:
    parser = TelegramHTML()
    parser.feed(message_html)
    parser.close()
    assert not parser.stack, "unclosed tag"
    return parser.text


# --- tests ------------------------------------------------------------------------------------


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
        callback = {
            "update_id": next(_update_ids),
            "callback_query": {
                "id": "4382bfdwdsb323b2d9",
                "from": user(),
                "message": {
                    "message_id": 1001,
                    "date": int(time.time()),
                    "chat": {"id": CHAT_ID, "type": "private"},
                    "from": {"id": 42, "is_bot": True, "first_name": "Một Cửa"},
                    "text": "…",
                },
                "chat_instance": "-7123456789012345678",
                "data": up,
            },
        }
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


# --- suggestions and leads --------------------------------------------------------------------

OTHER_CHAT = 5550002
_CHOICE = re.compile(r"^sg:[0-9a-f]{10}:[1-9]$")


@dataclass
class Conversation:
    """The app's answering path behind the channel: curated answers, the dialogue (over a
    scripted responder), the question log."""

    app: FastAPI
    scripted: ScriptedResponder
    clock: list[float]


def conversation_app(stub: TelegramStub, state: ChannelState) -> Conversation:
    scripted = ScriptedResponder()
    clock = [1_800_000_000.0]
    curated = OneCuratedAnswer(SUGGESTIONS[2].question)
    pipeline = QuestionPipeline(
        SqlConversationStore("sqlite://"), state.feedback, curated, clock=lambda: clock[0]
    )
    pipeline.serve(scripted, version=1)  # type: ignore[arg-type]
    app = FastAPI()
    for router in channel_routers(make_settings(stub.url), pipeline.ask, state, pipeline.choice):
        app.include_router(router)
    return Conversation(app, scripted, clock)


def callback_update(data: str, chat_id: int = CHAT_ID, query_id: str = "cbq-1") -> dict[str, Any]:
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": query_id,
            "from": {**user(), "id": chat_id},
            "message": {
                "message_id": 1001,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": 42, "is_bot": True, "first_name": "Một Cửa"},
                "text": "…",
            },
            "chat_instance": "-7123456789012345678",
            "data": data,
        },
    }


def keyboard(call: Call) -> list[list[dict[str, Any]]]:
    return json.loads(call.params["reply_markup"])["inline_keyboard"]


def test_a_clarify_answer_gets_one_button_per_suggestion(
    stub: TelegramStub, state: ChannelState
) -> None:
    talk = conversation_app(stub, state)
    with TestClient(talk.app) as client:
        assert post(client, text_update(UNCLEAR)) == 200
    (sent,) = stub.of("sendMessage")
    assert visible_text(sent.params["text"]) == CLARIFY_TEXT
    rows = keyboard(sent)
    assert [len(row) for row in rows] == [1, 1, 1], "one button per suggestion, no 👍/👎"
    labels = [row[0]["text"] for row in rows]
    assert labels[1] == "2. Chuyển trường THPT"
    # Button text is plain (no parse mode): the label as written, cut to fit.
    assert labels[0].startswith("1. Chuyển trường THCS <trong tỉnh> &")
    assert all(len(label) <= 60 for label in labels)
    for row in rows:
        data = row[0]["callback_data"]
        assert _CHOICE.match(data) and len(data.encode()) <= 64
        assert "chuy" not in data.lower(), "never the question text"


def test_a_button_answers_its_suggestion_in_that_chat(
    stub: TelegramStub, state: ChannelState
) -> None:
    talk = conversation_app(stub, state)
    with TestClient(talk.app) as client:
        assert post(client, text_update(UNCLEAR)) == 200
        rows = keyboard(stub.of("sendMessage")[0])
        assert post(client, callback_update(rows[1][0]["callback_data"], query_id="q-2")) == 200
        # The older list's third button still works: it names that list, in this chat.
        assert post(client, callback_update(rows[2][0]["callback_data"], query_id="q-3")) == 200

    acks = stub.of("answerCallbackQuery")
    assert [a.params["callback_query_id"] for a in acks] == ["q-2", "q-3"]
    assert acks[0].params["text"] == "Đã chọn: Chuyển trường THPT"  # the spinner stops
    # Suggestion 2 went through the dialogue to the responder, as if typed in that chat.
    assert talk.scripted.questions == [UNCLEAR, SUGGESTIONS[1].question]
    _, chosen, curated = stub.of("sendMessage")
    assert int(chosen.params["chat_id"]) == CHAT_ID
    assert f"Trả lời cho “{SUGGESTIONS[1].question}”" in visible_text(chosen.params["text"])
    up = keyboard(chosen)[0][0]["callback_data"]
    logged = state.feedback.question(up.split(":")[1])  # type: ignore[attr-defined]
    assert logged["question"] == SUGGESTIONS[1].question, "the question log has the question"
    # Suggestion 3 has a curated answer: the same path serves it.
    assert "Câu trả lời chuẩn" in visible_text(curated.params["text"])


@pytest.mark.parametrize(
    "case", ["forged-key", "out-of-range", "garbage", "not-ours", "foreign-chat", "stale"]
)
def test_forged_stale_or_foreign_buttons_answer_nothing(
    stub: TelegramStub, state: ChannelState, case: str
) -> None:
    talk = conversation_app(stub, state)
    chat = OTHER_CHAT if case == "foreign-chat" else CHAT_ID
    with TestClient(talk.app) as client:
        assert post(client, text_update(UNCLEAR)) == 200
        valid = keyboard(stub.of("sendMessage")[0])[0][0]["callback_data"]
        data = {
            "forged-key": "sg:0123456789:1",
            "out-of-range": valid[:-1] + "9",
            "garbage": "sg:<b>Hồ sơ</b>:1",
            "not-ours": "xyz",
        }.get(case, valid)
        if case == "stale":
            talk.clock[0] += 31 * 60  # the conversation went idle: its list is gone
        assert post(client, callback_update(data, chat_id=chat)) == 200

    (ack,) = stub.of("answerCallbackQuery")
    assert "hãy gõ lại câu hỏi" in ack.params["text"]
    assert talk.scripted.questions == [UNCLEAR], "nobody's suggestion was answered"
    _, notice = stub.of("sendMessage")
    assert int(notice.params["chat_id"]) == chat
    assert "hãy gõ lại câu hỏi" in notice.params["text"]


def test_a_typed_number_after_a_clarify_chooses_too(
    stub: TelegramStub, state: ChannelState
) -> None:
    talk = conversation_app(stub, state)
    with TestClient(talk.app) as client:
        assert post(client, text_update(UNCLEAR)) == 200
        assert post(client, text_update("số 2")) == 200
        assert post(client, text_update("2")) == 200  # no clarify pending now: a message
    assert talk.scripted.questions == [UNCLEAR, SUGGESTIONS[1].question, "2"]


def test_lead_and_details_are_two_messages(stub: TelegramStub, state: ChannelState) -> None:
    talk = conversation_app(stub, state)
    with TestClient(talk.app) as client:
        assert post(client, text_update(FEE_QUESTION)) == 200
    lead, rest = stub.of("sendMessage")
    assert lead.params["text"] == "Lệ phí: không thu phí &lt;miễn phí&gt; &amp; nhận ngay."
    assert lead.params.get("reply_markup") is None
    shown = visible_text(rest.params["text"])
    assert shown.startswith(DETAILS)
    assert "Thủ tục cấp bản sao <văn bằng> & chứng chỉ" in shown  # the sources, as today
    assert [b["text"] for b in keyboard(rest)[0]] == ["👍", "👎"]
