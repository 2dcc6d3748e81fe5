"""One way in for every question, from every channel: curated answer first, then the responder;
each answer is logged (the unanswered view and 👍/👎 read the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from motcua.index.filters import DocumentFilter
from motcua.storage.interactions import Interactions
from motcua.types import Answer

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
