"""The question pipeline outside the web app: curated answers, the dialogue, the question log.

The web app assembles the same pieces around the index it watches; `motcua telegram
--polling` and other long-running processes that hold one responder get them here, so a
parent on Telegram polling gets the department's curated answers and the log sees the
question, as on the webhook.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.bot.answering import AnswerService
from motcua.bot.dialogue import Dialogue
from motcua.bot.responder import Responder
from motcua.index.embedders import get_embedder
from motcua.settings import Settings
from motcua.storage.conversations import SqlConversationStore
from motcua.storage.curated import CuratedStore
from motcua.storage.database import Database
from motcua.storage.interactions import Interactions


@dataclass
class QuestionPipeline:
    answers: AnswerService
    dialogue: Dialogue
    database: Database

    def close(self) -> None:
        self.dialogue.close()
        self.database.close()


def open_pipeline(settings: Settings, responder: Responder) -> QuestionPipeline:
    """Curated answers first, then the dialogue over `responder`; every answer logged."""
    database = Database.open(settings)
    dialogue = Dialogue(responder, SqlConversationStore(database))

    def content_hash(doc_id: str) -> str | None:
        stored = responder.retriever.documents.get(doc_id)
        return None if stored is None else stored.content_hash

    curated = CuratedStore(
        database,
        get_embedder(settings.embedder),
        min_similarity=settings.curated_min_similarity,
        hash_lookup=content_hash,
    )
    answers = AnswerService(
        lambda: dialogue, Interactions(database, settings.question_log_days), curated
    )
    return QuestionPipeline(answers, dialogue, database)
