"""Telegram channel: clarifying suggestions as inline buttons, typed numbers, forged or stale
buttons, and an answer's lead and details as two messages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from motcua.bot.answering.pipeline import QuestionPipeline
from motcua.bot.channels import channel_routers, open_state
from motcua.bot.channels.state import ChannelState
from motcua.storage.conversations import SqlConversationStore
from tests.scripted import (
    CLARIFY_TEXT,
    DETAILS,
    FEE_QUESTION,
    SUGGESTIONS,
    UNCLEAR,
    OneCuratedAnswer,
    ScriptedResponder,
)
from tests.telegram_stub import (
    CHAT_ID,
    TelegramStub,
    callback_update,
    keyboard,
    make_settings,
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
