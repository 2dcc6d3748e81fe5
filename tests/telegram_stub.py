"""A loopback stub of the Telegram Bot API and the updates Telegram sends, for the channel's
tests: what the bot called, and HTML checked as Telegram's parse mode would."""

from __future__ import annotations

import html.parser
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from motcua.bot.answering.pipeline import Question
from motcua.bot.channels import channel_routers
from motcua.bot.channels.state import ChannelState
from motcua.settings import Settings
from motcua.types import Answer, Citation
from tests.stubs import serve_json

TOKEN = "123456789:AAFakeTokenForTests_abcdefghijklmnop"
SECRET = "webhook-Secret_0123456789"
CHAT_ID = 5550001


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


@contextmanager
def running_stub() -> Iterator[TelegramStub]:
    """The stub served on 127.0.0.1 while the block runs."""
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


update_ids = iter(range(700_000_000, 800_000_000))


def user() -> dict[str, Any]:
    return {"id": CHAT_ID, "is_bot": False, "first_name": "Lan", "language_code": "vi"}


def message_update(**content: Any) -> dict[str, Any]:
    return {
        "update_id": next(update_ids),
        "message": {
            "message_id": next(update_ids) % 100_000,
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


def callback_update(data: str, chat_id: int = CHAT_ID, query_id: str = "cbq-1") -> dict[str, Any]:
    return {
        "update_id": next(update_ids),
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
