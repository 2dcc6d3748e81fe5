"""One way in for every question, from every channel: curated answer first, then the responder;
each answer is logged (the unanswered view and 👍/👎 read the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from motcua.index.filters import DocumentFilter
from motcua.storage.interactions import Interactions
from motcua.types import Answer, Suggestion

log = logging.getLogger(__name__)


class NoIndexLoaded(RuntimeError):
    pass


class CuratedMatch(Protocol):
    def to_answer(self, question: str) -> Answer: ...


class CuratedLookup(Protocol):
    def match(self, question: str) -> CuratedMatch | None: ...


class AnswerService:
    def __init__(
        self,
        current: Callable[[], object | None],
        interactions: Interactions | None = None,
        curated: CuratedLookup | None = None,
    ) -> None:
        # `current` returns whatever serves now (a Dialogue or a bare Responder): the index
        # watcher swaps it when a new version is published, so it is looked up per question.
        self.current = current
        self.interactions = interactions
        self.curated = curated

    def answer(
        self,
        question: str,
        conversation_id: str | None = None,
        *,
        channel: str = "api",
        user_key: str | None = None,
        doc_filter: DocumentFilter | None = None,
    ) -> Answer:
        responder = self.current()
        if responder is None:
            raise NoIndexLoaded("no index loaded: run `motcua ingest`")
        # A reply "2" to "did you mean…" asks the chosen question: resolved here, so curated
        # answers and the question log see that question, not "2".
        chosen = getattr(responder, "chosen", None)
        if conversation_id is not None and doc_filter is None and chosen is not None:
            suggestion = chosen(question, conversation_id)
            if suggestion is not None:
                question = suggestion.question
        answer = None
        if self.curated is not None and doc_filter is None:
            try:
                match = self.curated.match(question)
            except Exception:  # a curated-store failure must not stop ordinary answers
                log.exception("curated answer lookup failed")
                match = None
            if match is not None:
                answer = match.to_answer(question)
        if answer is None:
            if doc_filter is not None:
                # Filters are an operator's tool: no conversation context applies.
                bare = getattr(responder, "responder", responder)
                answer = bare.answer(question, doc_filter=doc_filter)
            else:
                answer = responder.answer(question, conversation_id)
        if self.interactions is not None:
            try:
                answer.answer_id = self.interactions.log_answer(
                    channel, user_key or conversation_id, answer
                )
            except Exception:  # the parent still gets the answer; /readyz reports the database
                log.exception("logging an answer failed")
        return answer

    def choice(self, conversation_id: str, number: int, key: str) -> Suggestion | None:
        """Suggestion `number` of the list named `key` in this conversation (a Telegram button);
        None when it is unknown, stale or not this conversation's."""
        choice = getattr(self.current(), "choice", None)
        return None if choice is None else choice(conversation_id, number, key)
