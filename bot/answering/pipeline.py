"""The question pipeline: one way in for every question, from every channel.

A `Question` (its text, the channel, the platform user, the conversation, an operator's
document filters) goes in, an `Answer` comes out: the department's curated answer first,
then the dialogue (follow-ups, clarifications, small talk) over the responder of the index
being served; each answer is logged for the unanswered view and 👍/👎. `open_pipeline` builds
it; the web app, the console, the channels, `motcua ask` and `telegram --polling` all use it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from motcua.bot.answering.curated_answers import curated_reply
from motcua.bot.answering.dialogue import Dialogue
from motcua.bot.answering.responder import Responder
from motcua.index.embedders import get_embedder
from motcua.index.filters import DocumentFilter
from motcua.settings import Settings
from motcua.storage.conversations import ConversationStore, SqlConversationStore
from motcua.storage.curated import CuratedMatch, CuratedStore
from motcua.storage.database import Database
from motcua.storage.interactions import Interactions
from motcua.types import Answer, Suggestion

log = logging.getLogger(__name__)

CHANNELS = ("api", "console", "telegram", "zalo", "cli")


@dataclass(frozen=True)
class Question:
    text: str
    channel: str = "api"  # one of CHANNELS
    user: str | None = None  # who asks, as the channel knows them ("telegram:<user id>")
    conversation: str | None = None  # follow-ups and suggestion numbers read this one's turns
    filters: DocumentFilter | None = None  # an operator's: only these documents answer


# What a channel calls with each message it receives.
AnswerFn = Callable[[Question], Answer]


class NoIndexLoaded(RuntimeError):
    pass


class CuratedLookup(Protocol):
    def match(self, question: str) -> CuratedMatch | None: ...


class QuestionPipeline:
    """Curated answers, then the dialogue over the responder being served; answers logged."""

    def __init__(
        self,
        conversations: ConversationStore,
        interactions: Interactions | None = None,
        curated: CuratedLookup | None = None,
        clock: Callable[[], float] = time.time,  # conversations expire by it
    ) -> None:
        self.conversations = conversations
        self.clock = clock
        self.interactions = interactions
        self.curated = curated
        self._dialogue: Dialogue | None = None
        self._version: int | None = None

    def serve(self, responder: Responder, version: int | None = None) -> None:
        """Answer from `responder` from now on. One assignment swaps it, so a question in
        flight keeps the dialogue it started with (the index watcher calls this)."""
        self._version = version if version is not None else responder.index_version
        self._dialogue = Dialogue(responder, self.conversations, clock=self.clock)

    @property
    def dialogue(self) -> Dialogue | None:
        return self._dialogue

    @property
    def responder(self) -> Responder | None:
        """The bare responder being served (routes that read the index, not a conversation)."""
        return None if self._dialogue is None else self._dialogue.responder

    @property
    def index_version(self) -> int | None:
        return self._version if self._dialogue is not None else None

    def content_hash(self, doc_id: str) -> str | None:
        """A served document's hash (the stamp a curated answer's approval carries)."""
        responder = self.responder
        stored = None if responder is None else responder.index.documents.get(doc_id)
        return None if stored is None else stored.content_hash

    def ask(self, question: Question) -> Answer:
        dialogue = self._dialogue
        if dialogue is None:
            raise NoIndexLoaded("no index loaded: run `motcua ingest`")
        started = time.perf_counter()
        text, conversation = question.text, question.conversation
        if question.filters is not None:
            # Filters are an operator's tool: no conversation context, no curated answer
            # (which could cite a document the filter leaves out).
            answer = dialogue.responder.answer(text, doc_filter=question.filters)
        else:
            # A reply "2" to "did you mean…" asks the chosen question: resolved here, so
            # curated answers and the question log see that question, not "2".
            if (chosen := dialogue.chosen(text, conversation)) is not None:
                text = chosen.question
            answer = self._curated(text) or dialogue.answer(text, conversation)
        self._log(question, answer, time.perf_counter() - started)
        return answer

    def choice(self, conversation_id: str, number: int, key: str) -> Suggestion | None:
        """Suggestion `number` of the list named `key` in this conversation (a Telegram button);
        None when it is unknown, stale or not this conversation's."""
        dialogue = self._dialogue
        return None if dialogue is None else dialogue.choice(conversation_id, number, key)

    def close(self) -> None:
        self.conversations.close()

    def _curated(self, text: str) -> Answer | None:
        if self.curated is None:
            return None
        try:
            match = self.curated.match(text)
        except Exception:  # a curated-store failure must not stop ordinary answers
            log.exception("curated answer lookup failed")
            return None
        return None if match is None else curated_reply(match, text)

    def _log(self, question: Question, answer: Answer, elapsed: float) -> None:
        if self.interactions is None:
            return
        try:
            answer.answer_id = self.interactions.log_answer(
                question.channel, question.user or question.conversation, answer, elapsed
            )
        except Exception:  # the parent still gets the answer; /readyz reports the database
            log.exception("logging an answer failed")


def open_pipeline(
    settings: Settings,
    database: Database,
    responder: Responder | None = None,
    *,
    log_questions: bool = True,
) -> QuestionPipeline:
    """The pipeline over `database` (conversations, curated answers, the question log),
    serving `responder` when one is given (the web app's index watcher serves one later).
    `log_questions=False` for an operator's command line: the log is what the public asks."""
    interactions = Interactions(database, settings.question_log_days) if log_questions else None
    pipeline = QuestionPipeline(SqlConversationStore(database), interactions)
    pipeline.curated = CuratedStore(
        database,
        get_embedder(settings.embedder),
        min_similarity=settings.curated_min_similarity,
        hash_lookup=pipeline.content_hash,
    )
    if responder is not None:
        pipeline.serve(responder)
    return pipeline


@contextmanager
def standalone_pipeline(
    settings: Settings, responder: Responder | None, *, log_questions: bool = True
) -> Iterator[QuestionPipeline]:
    """The pipeline with a database of its own, for a process outside the web app (`motcua
    ask`, `telegram --polling`); closed on the way out."""
    database = Database.open(settings)
    pipeline = open_pipeline(settings, database, responder, log_questions=log_questions)
    try:
        yield pipeline
    finally:
        pipeline.close()
        database.close()
