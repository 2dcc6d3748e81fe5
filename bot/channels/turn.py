"""One channel turn, the same on Telegram and Zalo: the per-user rate limit (the user is told
once a minute), the length check, the question through the pipeline, the error reply and the
id that 👍/👎 refer to. A channel only receives a message and sends what the turn gives back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from motcua.bot.answering.pipeline import AnswerFn, Question
from motcua.bot.answering.templates import render
from motcua.log_redaction import preview, user_ref
from motcua.settings import Settings
from motcua.text import tidy_message
from motcua.types import Answer

from .state import ChannelState

log = logging.getLogger(__name__)

RATE_LIMIT_MESSAGE = render("channel_rate_limit.txt")
RATE_NOTICE_SECONDS = 60


@dataclass
class TurnResult:
    """An answer (with the id its rating buttons carry), or a notice to send instead."""

    answer: Answer | None = None
    answer_id: str | None = None
    notice: str | None = None  # plain text: the channel escapes it for its format


class ChannelTurn:
    def __init__(
        self, channel: str, settings: Settings, state: ChannelState, answer_fn: AnswerFn
    ) -> None:
        self.channel = channel
        self.settings = settings
        self.state = state
        self.answer_fn = answer_fn

    def _check_limit(self, user_key: str) -> tuple[bool, str | None]:
        if self.state.rate_limiter.allow(user_key):
            return True, None
        first = self.state.dedup.first_time(f"rate-notice:{user_key}", RATE_NOTICE_SECONDS)
        return False, RATE_LIMIT_MESSAGE if first else None

    async def admit(self, user_key: str) -> tuple[bool, str | None]:
        """(may go on, notice to send): over the limit, the notice comes once a minute."""
        return await asyncio.to_thread(self._check_limit, user_key)

    async def take(self, user_key: str, conversation: str, text: str) -> TurnResult | None:
        """A typed message: admitted, checked and answered; None when nothing is to be sent."""
        allowed, notice = await self.admit(user_key)
        if not allowed:
            return TurnResult(notice=notice) if notice else None
        return await self.answer(user_key, conversation, text)

    async def answer(
        self,
        user_key: str,
        conversation: str,
        text: str,
        waiting: AbstractAsyncContextManager[object] | None = None,
    ) -> TurnResult:
        """The answer to `text` (typed, or a chosen suggestion's question); `waiting` is
        held while the pipeline works (Telegram's "typing…")."""
        question = tidy_message(text)  # as the API and the console read it
        limit = self.settings.max_question_chars
        if len(question) > limit:
            return TurnResult(notice=render("channel_too_long.txt", limit=limit))
        log.info("%s question from %s: %s", self.channel, user_ref(user_key), preview(question))
        asked = Question(question, channel=self.channel, user=user_key, conversation=conversation)
        try:
            async with waiting or contextlib.nullcontext():
                answer = await asyncio.to_thread(self.answer_fn, asked)
        except Exception:
            log.exception("answering a %s question failed", self.channel)
            return TurnResult(notice=render("channel_error.txt", hotline=self.settings.hotline))
        answer_id = await asyncio.to_thread(
            self.state.feedback.remember_answer, self.channel, user_key, answer
        )
        return TurnResult(answer=answer, answer_id=answer_id)
