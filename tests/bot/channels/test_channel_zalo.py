"""Zalo OA channel end to end: signed webhook events in, a loopback stub of the OA API out."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from motcua.bot.answering.pipeline import Question, QuestionPipeline
from motcua.bot.channels import channel_routers, enabled_channels, open_state
from motcua.bot.channels.render import ZALO_LIMIT
from motcua.bot.channels.state import ChannelState, ZaloTokens
from motcua.bot.channels.zalo import ZaloChannel, signature_for
from motcua.settings import Settings
from motcua.storage.conversations import SqlConversationStore
from motcua.types import Answer, Citation
from tests.scripted import (
    CLARIFY_TEXT,
    DETAILS,
    FEE_QUESTION,
    LEAD,
    SUGGESTIONS,
    UNCLEAR,
    ScriptedResponder,
)
from tests.stubs import serve_json

APP_ID = "3600000000000000001"
OA_SECRET = "oaSecretKey-ABCDEFGHIJ"
OA_ID = "1357000000000000001"
USER_ID = "2468000000000000001"


# --- a stub of the Zalo OA API and OAuth server on 127.0.0.1 -----------------------------------


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class ZaloStub:
    valid_access: str = "access-1"
    current_refresh: str = "refresh-1"
    generation: int = 1
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def to(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    @property
    def sent(self) -> list[Request]:
        return [
            r
            for r in self.to("/v3.0/oa/message/cs")
            if r.headers.get("access_token") == self.valid_access
        ]

    def respond(self, req: Request) -> dict[str, Any]:
        if req.path == "/v3.0/oa/message/cs":
            if req.headers.get("access_token") != self.valid_access:
                return {"error": -216, "message": "Access token is invalid"}
            return {
                "error": 0,
                "message": "Success",
                "data": {"message_id": f"m{len(self.requests)}", "user_id": USER_ID},
            }
        if req.path == "/v4/oa/access_token":
            ok = (
                req.body.get("refresh_token") == self.current_refresh
                and req.body.get("app_id") == APP_ID
                and req.body.get("grant_type") == "refresh_token"
                and req.headers.get("secret_key")
            )
            if not ok:  # a spent refresh token is refused, as Zalo does
                return {"error": -14014, "error_name": "Invalid refresh token"}
            self.generation += 1
            self.valid_access = f"access-{self.generation}"
            self.current_refresh = f"refresh-{self.generation}"
            return {
                "access_token": self.valid_access,
                "refresh_token": self.current_refresh,
                "expires_in": "90000",
            }
        return {"error": -1, "message": "unknown path"}


@pytest.fixture
def stub() -> Iterator[ZaloStub]:
    record = ZaloStub()

    def handle(path: str, headers: dict[str, str], body: dict) -> object:
        req = Request(path, headers, body)
        with record.lock:
            record.requests.append(req)
            return record.respond(req)

    with serve_json(handle) as url:
        record.url = url
        yield record


# --- the product under test -------------------------------------------------------------------

CITATION = Citation(
    doc_id="kh-1655",
    title="Kế hoạch <tuyên truyền> CCHC & chuyển_đổi số",
    so_hieu="1655/KH-SGDĐT",
    section="II. Nội dung > 1. Nội_dung",
    quote="…",
    score=0.9,
)


class FakeResponder:
    def __init__(self, text: str = "Hồ sơ gồm đơn & bản sao <giấy khai sinh>.") -> None:
        self.text = text
        self.calls: list[tuple[str, str | None]] = []
        self.users: list[str | None] = []  # who asked, as the question log records them

    def __call__(self, asked: Question) -> Answer:
        question = asked.text
        self.calls.append((question, asked.conversation))
        self.users.append(asked.user)
        return Answer(question=question, answer=self.text, refused=False, citations=[CITATION])


def make_settings(stub_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "zalo_app_id": APP_ID,
        "zalo_oa_secret_key": OA_SECRET,
        "zalo_access_token": "access-1",
        "zalo_refresh_token": "refresh-1",
        "zalo_api_base_url": stub_url,
        "zalo_oauth_base_url": stub_url,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def state(tmp_path: Path) -> ChannelState:
    return open_state(tmp_path / "data", rate_limit_per_minute=20)


def make_app(settings: Settings, responder: FakeResponder, state: ChannelState) -> FastAPI:
    app = FastAPI()
    for router in channel_routers(settings, responder, state):
        app.include_router(router)
    return app


_msg_ids = iter(range(10_000, 99_999))


def text_event(text: str, msg_id: str | None = None, sender: str = USER_ID) -> dict[str, Any]:
    return {
        "app_id": APP_ID,
        "user_id_by_app": "5500000000000000001",
        "event_name": "user_send_text",
        "timestamp": str(int(time.time() * 1000)),
        "sender": {"id": sender},
        "recipient": {"id": OA_ID},
        "message": {"text": text, "msg_id": msg_id or f"7bd1a0e7c5{next(_msg_ids)}"},
    }


def signed(event: dict[str, Any], secret: str = OA_SECRET) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(event, ensure_ascii=False).encode()
    mac = hashlib.sha256(APP_ID.encode() + raw + event["timestamp"].encode() + secret.encode())
    headers = {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={mac.hexdigest()}"}
    return raw, headers


def post(client: TestClient, raw: bytes, headers: dict[str, str]) -> int:
    return client.post("/webhook/zalo", content=raw, headers=headers).status_code


# --- tests ------------------------------------------------------------------------------------


def test_signature_formula() -> None:
    expected = hashlib.sha256(b"app" + b'{"a":1}' + b"1717" + b"key").hexdigest()
    assert signature_for("app", b'{"a":1}', "1717", "key") == expected


def test_signed_text_event_is_answered_with_citation(stub: ZaloStub, state: ChannelState) -> None:
    responder = FakeResponder()
    app = make_app(make_settings(stub.url), responder, state)
    with TestClient(app) as client:
        assert post(client, *signed(text_event("Hồ sơ chuyển trường <THCS> & lớp_6?"))) == 200
    assert responder.calls == [("Hồ sơ chuyển trường <THCS> & lớp_6?", f"zalo:{USER_ID}")]
    assert responder.users == [f"zalo:{USER_ID}"]
    (sent,) = stub.to("/v3.0/oa/message/cs")
    assert sent.headers["access_token"] == "access-1"
    assert sent.body["recipient"] == {"user_id": USER_ID}
    text = sent.body["message"]["text"]
    assert text == (
        "Hồ sơ gồm đơn & bản sao <giấy khai sinh>.\n\n"
        "Nguồn tham khảo:\n"
        "1. Kế hoạch <tuyên truyền> CCHC & chuyển_đổi số (1655/KH-SGDĐT) - "
        "Mục: II. Nội dung > 1. Nội_dung"
    )


@pytest.mark.parametrize(
    "tamper, status",
    [
        ("missing", 401),
        ("wrong-secret", 403),
        ("hmac-instead-of-sha256", 403),
        ("body-changed", 403),
    ],
)
def test_bad_signature_is_refused_and_nothing_sent(
    stub: ZaloStub, state: ChannelState, tamper: str, status: int
) -> None:
    responder = FakeResponder()
    event = text_event("Xin chào")
    raw, headers = signed(event)
    if tamper == "missing":
        del headers["X-ZEvent-Signature"]
    elif tamper == "wrong-secret":
        raw, headers = signed(event, secret="not-the-oa-secret")
    elif tamper == "hmac-instead-of-sha256":
        mac = hmac.new(OA_SECRET.encode(), raw, hashlib.sha256).hexdigest()
        headers["X-ZEvent-Signature"] = f"mac={mac}"
    elif tamper == "body-changed":
        raw = raw.replace("Xin chào".encode(), "Chào xin".encode())
    app = make_app(make_settings(stub.url), responder, state)
    with TestClient(app) as client:
        assert post(client, raw, headers) == status
    assert responder.calls == []
    assert stub.requests == []


def test_duplicate_event_is_answered_once(stub: ZaloStub, state: ChannelState) -> None:
    responder = FakeResponder()
    app = make_app(make_settings(stub.url), responder, state)
    raw, headers = signed(text_event("Lệ phí?", msg_id="dup-0001"))
    with TestClient(app) as client:
        assert post(client, raw, headers) == 200
        assert post(client, raw, headers) == 200  # Zalo retried
    assert len(responder.calls) == 1
    assert len(stub.to("/v3.0/oa/message/cs")) == 1


def test_expired_token_is_refreshed_once_persisted_and_message_delivered(
    stub: ZaloStub, state: ChannelState, tmp_path: Path
) -> None:
    stub.valid_access = "access-0-rotated-by-zalo"  # the settings' access token has expired
    settings = make_settings(stub.url)
    app = make_app(settings, FakeResponder(), state)
    with TestClient(app) as client:
        assert post(client, *signed(text_event("Câu hỏi một"))) == 200
        assert post(client, *signed(text_event("Câu hỏi hai"))) == 200

    (refresh,) = stub.to("/v4/oa/access_token")
    assert refresh.body == {
        "refresh_token": "refresh-1",
        "app_id": APP_ID,
        "grant_type": "refresh_token",
    }
    assert refresh.headers["secret_key"]
    attempts = stub.to("/v3.0/oa/message/cs")
    assert [r.headers["access_token"] for r in attempts] == ["access-1", "access-2", "access-2"]
    assert len(stub.sent) == 2

    # The new pair is on disk: a restarted process (same settings) uses it, not the spent one.
    reopened = open_state(tmp_path / "data", rate_limit_per_minute=20)
    stored = reopened.tokens.load()
    assert stored is not None
    assert (stored.access_token, stored.refresh_token) == ("access-2", "refresh-2")
    assert stored.expires_at and stored.expires_at > time.time() + 80_000
    app2 = make_app(settings, FakeResponder(), reopened)
    with TestClient(app2) as client:
        assert post(client, *signed(text_event("Câu hỏi ba"))) == 200
    assert len(stub.to("/v4/oa/access_token")) == 1
    assert len(stub.sent) == 3


def test_concurrent_failures_refresh_only_once(stub: ZaloStub, state: ChannelState) -> None:
    stub.valid_access = "access-0-rotated-by-zalo"
    channel = ZaloChannel(make_settings(stub.url), FakeResponder(), state)

    async def send_many() -> list[bool]:
        try:
            return await asyncio.gather(*(channel.send_text(USER_ID, f"tin {i}") for i in range(5)))
        finally:
            await channel.aclose()

    assert asyncio.run(send_many()) == [True] * 5
    assert len(stub.to("/v4/oa/access_token")) == 1
    assert len(stub.sent) == 5


def test_new_pair_in_settings_replaces_the_stored_one(stub: ZaloStub, state: ChannelState) -> None:
    state.tokens.save(ZaloTokens("old-access", "old-refresh", None, seed="from-an-older-setup"))
    app = make_app(make_settings(stub.url), FakeResponder(), state)
    with TestClient(app) as client:
        assert post(client, *signed(text_event("Xin chào"))) == 200
    assert [r.headers["access_token"] for r in stub.to("/v3.0/oa/message/cs")] == ["access-1"]


def test_long_answer_is_split_at_2000(stub: ZaloStub, state: ChannelState) -> None:
    items = "\n".join(f"{i}. Nộp bản sao giấy tờ số {i} tại bộ phận một cửa." for i in range(1, 90))
    long_answer = f"Hồ sơ gồm các giấy tờ sau:\n{items}\n\nThời hạn giải quyết là 5 ngày."
    app = make_app(make_settings(stub.url), FakeResponder(long_answer), state)
    with TestClient(app) as client:
        assert post(client, *signed(text_event("Thủ tục?"))) == 200
    texts = [r.body["message"]["text"] for r in stub.sent]
    assert len(texts) >= 3
    assert all(len(t) <= ZALO_LIMIT for t in texts)
    for text in texts[:-1]:
        assert text.endswith("."), text[-30:]  # cut between list items, never inside one
    assert " ".join(long_answer.split()) in " ".join(" ".join(texts).split())
    assert "1655/KH-SGDĐT" in texts[-1]


@pytest.mark.parametrize(
    "event",
    [
        {"event_name": "follow", "follower": {"id": USER_ID}, "source": "oa_profile"},
        {
            "event_name": "user_send_image",
            "sender": {"id": USER_ID},
            "recipient": {"id": OA_ID},
            "message": {
                "msg_id": "img-1",
                "attachments": [{"type": "image", "payload": {"url": "https://x/y.jpg"}}],
            },
        },
        {
            "event_name": "oa_send_text",
            "sender": {"id": OA_ID},
            "recipient": {"id": USER_ID},
            "message": {"text": "tin của OA", "msg_id": "oa-1"},
        },
    ],
    ids=["follow", "user_send_image", "oa_send_text"],
)
def test_other_events_are_acknowledged_and_ignored(
    stub: ZaloStub, state: ChannelState, event: dict[str, Any]
) -> None:
    event = {"app_id": APP_ID, "timestamp": str(int(time.time() * 1000)), **event}
    responder = FakeResponder()
    app = make_app(make_settings(stub.url), responder, state)
    with TestClient(app) as client:
        assert post(client, *signed(event)) == 200
    assert responder.calls == []
    assert stub.requests == []


def test_channel_off_answers_404(stub: ZaloStub, state: ChannelState) -> None:
    settings = make_settings(stub.url, zalo_oa_secret_key=None)
    assert "zalo" not in enabled_channels(settings)
    app = make_app(settings, FakeResponder(), state)
    with TestClient(app) as client:
        assert post(client, *signed(text_event("Xin chào"))) == 404
    assert stub.requests == []


# --- suggestions and leads --------------------------------------------------------------------

OTHER_USER = "2468000000000000002"


def conversation_app(stub: ZaloStub, state: ChannelState) -> tuple[FastAPI, ScriptedResponder]:
    """The app's answering path behind the channel: the dialogue and the question log."""
    scripted = ScriptedResponder()
    pipeline = QuestionPipeline(SqlConversationStore("sqlite://"), state.feedback)
    pipeline.serve(scripted, version=1)  # type: ignore[arg-type]
    app = FastAPI()
    for router in channel_routers(make_settings(stub.url), pipeline.ask, state, pipeline.choice):
        app.include_router(router)
    return app, scripted


def test_suggestions_are_numbered_and_a_number_chooses_one(
    stub: ZaloStub, state: ChannelState
) -> None:
    app, scripted = conversation_app(stub, state)
    with TestClient(app) as client:
        assert post(client, *signed(text_event(UNCLEAR))) == 200
        assert post(client, *signed(text_event("2"))) == 200
    clarify, chosen = [r.body["message"]["text"] for r in stub.sent]
    assert clarify == (
        f"{CLARIFY_TEXT}\n\n"
        f"1) {SUGGESTIONS[0].label}\n2) {SUGGESTIONS[1].label}\n3) {SUGGESTIONS[2].label}\n"
        "Trả lời số 1, 2 hoặc 3 để chọn."
    )
    assert scripted.questions == [UNCLEAR, SUGGESTIONS[1].question]
    assert chosen.startswith(f"Trả lời cho “{SUGGESTIONS[1].question}”")


def test_another_users_number_is_their_own_message(stub: ZaloStub, state: ChannelState) -> None:
    app, scripted = conversation_app(stub, state)
    with TestClient(app) as client:
        assert post(client, *signed(text_event(UNCLEAR))) == 200
        assert post(client, *signed(text_event("2", sender=OTHER_USER))) == 200
    assert scripted.questions == [UNCLEAR, "2"]
    assert [r.body["recipient"]["user_id"] for r in stub.sent] == [USER_ID, OTHER_USER]


def test_lead_and_details_are_two_messages(stub: ZaloStub, state: ChannelState) -> None:
    app, _ = conversation_app(stub, state)
    with TestClient(app) as client:
        assert post(client, *signed(text_event(FEE_QUESTION))) == 200
    lead, rest = [r.body["message"]["text"] for r in stub.sent]
    assert lead == LEAD
    assert rest.startswith(f"{DETAILS}\n\nNguồn tham khảo:\n1. ")
