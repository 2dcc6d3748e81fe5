"""The channel turn Telegram and Zalo share: what a user is told when over the limit, when the
question is too long and when answering fails, and who the question log says asked."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from motcua.bot.answering.pipeline import Question
from motcua.bot.channels.state import ChannelState, open_state
from motcua.bot.channels.turn import RATE_LIMIT_MESSAGE, ChannelTurn
from motcua.bot.web.validation import clean_question
from motcua.settings import Settings
from motcua.types import Answer

SETTINGS = Settings(_env_file=None, max_question_chars=40, hotline="1900 1234")


@pytest.fixture
def state(tmp_path: Path) -> ChannelState:
    return open_state(tmp_path / "data", rate_limit_per_minute=2)


def answered(asked: Question) -> Answer:
    return Answer(question=asked.text, answer=f"Trả lời: {asked.text}", refused=False)


def test_an_answer_carries_the_id_its_rating_buttons_use(state: ChannelState) -> None:
    seen: list[Question] = []

    def answer_fn(asked: Question) -> Answer:
        seen.append(asked)
        return answered(asked)

    turn = ChannelTurn("zalo", SETTINGS, state, answer_fn)
    result = asyncio.run(turn.take("zalo:7", "zalo:7", "  lệ phí bao nhiêu?  "))
    assert result is not None and result.answer is not None and result.notice is None
    assert result.answer_id and result.answer.answer == "Trả lời: lệ phí bao nhiêu?"
    assert seen == [
        Question("lệ phí bao nhiêu?", channel="zalo", user="zalo:7", conversation="zalo:7")
    ]


def test_over_the_limit_the_user_is_told_once(state: ChannelState) -> None:
    turn = ChannelTurn("telegram", SETTINGS, state, answered)
    results = [asyncio.run(turn.take("telegram:1", "telegram:1", "hỏi")) for _ in range(4)]
    assert [r.answer is not None for r in results[:2]] == [True, True]
    assert results[2] is not None and results[2].notice == RATE_LIMIT_MESSAGE
    assert results[3] is None  # nothing more to send this minute


def test_a_long_question_is_sent_back_with_the_limit(state: ChannelState) -> None:
    def never(asked: Question) -> Answer:
        raise AssertionError("a too-long question must not be answered")

    result = asyncio.run(
        ChannelTurn("zalo", SETTINGS, state, never).take("zalo:1", "zalo:1", "x" * 41)
    )
    assert result is not None and result.answer is None
    assert result.notice is not None and "40" in result.notice


def test_a_failure_gets_the_hotline_not_silence(state: ChannelState) -> None:
    def broken(asked: Question) -> Answer:
        raise RuntimeError("index unreadable")

    result = asyncio.run(ChannelTurn("telegram", SETTINGS, state, broken).take("t:1", "t:1", "hỏi"))
    assert result is not None and result.answer is None
    assert result.notice is not None and "1900 1234" in result.notice


def test_a_channel_question_is_cleaned_as_the_api_cleans_it(state: ChannelState) -> None:
    seen: list[str] = []

    def answer_fn(asked: Question) -> Answer:
        seen.append(asked.text)
        return answered(asked)

    turn = ChannelTurn("telegram", SETTINGS, state, answer_fn)
    # Decomposed marks (as some keyboards send them), a tab and a line break inside.
    typed = "le\u0302\u0323 phi\u0301\tbao\n\n nhie\u0302u?"
    asyncio.run(turn.take("telegram:1", "telegram:1", typed))
    assert seen == [clean_question(typed, 100)] == ["lệ phí bao nhiêu?"]
