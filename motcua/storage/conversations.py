"""Conversation turns, so a follow-up ("còn THPT thì sao?") continues on any worker."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete, insert, select

from motcua.privacy import mask_pii
from motcua.storage.database import Database
from motcua.storage.schema import conversation_turns as _turns
from motcua.types import Suggestion


@dataclass(frozen=True)
class Turn:
    conversation_id: str
    asked: str  # as typed
    understood: str  # the self-contained question that was answered (or clarified)
    answer: str
    refused: bool
    kind: str  # answer | refusal | clarify | smalltalk
    created_at: float  # Unix time, seconds
    # What a clarify turn offered to choose from, so a reply "2" can pick one.
    suggestions: tuple[Suggestion, ...] = ()


def dump_suggestions(suggestions: Sequence[Suggestion]) -> str | None:
    """JSON text for the `suggestions` column (NULL when there are none)."""
    if not suggestions:
        return None
    items = [{"label": s.label, "question": s.question} for s in suggestions]
    return json.dumps(items, ensure_ascii=False)


def load_suggestions(stored: str | None) -> tuple[Suggestion, ...]:
    """The stored list; unreadable text counts as none (a turn must always load)."""
    if not stored:
        return ()
    try:
        items = json.loads(stored)
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple(
        Suggestion(i["label"], i["question"])
        for i in items
        if isinstance(i, dict)
        and isinstance(i.get("label"), str)
        and isinstance(i.get("question"), str)
    )


class ConversationStore(Protocol):
    def append(self, turn: Turn) -> None: ...

    def recent(self, conversation_id: str, limit: int) -> list[Turn]:
        """The conversation's latest turns, newest first."""
        ...

    def purge(self, before: float) -> int:
        """Delete turns older than `before`; returns how many."""
        ...

    def close(self) -> None: ...


class SqlConversationStore:
    """Turns in the shared-state database (SQLite by default, PostgreSQL for several workers).

    Give it a `Database` to share one engine, or a URL for a store of its own.
    """

    def __init__(self, database: Database | str) -> None:
        self._owned = isinstance(database, str)
        if isinstance(database, str):
            database = Database(database)
            database.migrate()
        self.database = database

    @property
    def url(self) -> str:
        return self.database.url

    def append(self, turn: Turn) -> None:
        with self.database.write() as connection:
            connection.execute(
                insert(_turns).values(
                    conversation_id=turn.conversation_id,
                    created_at=turn.created_at,
                    # phone and citizen ID numbers never reach the database
                    asked=mask_pii(turn.asked),
                    understood=mask_pii(turn.understood),
                    answer=mask_pii(turn.answer),
                    refused=turn.refused,
                    kind=turn.kind,
                    suggestions=dump_suggestions(turn.suggestions),
                )
            )

    def recent(self, conversation_id: str, limit: int) -> list[Turn]:
        query = (
            select(_turns)
            .where(_turns.c.conversation_id == conversation_id)
            .order_by(_turns.c.created_at.desc(), _turns.c.id.desc())
            .limit(limit)
        )
        with self.database.read() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            Turn(
                conversation_id=row["conversation_id"],
                asked=row["asked"],
                understood=row["understood"],
                answer=row["answer"],
                refused=bool(row["refused"]),
                kind=row["kind"],
                created_at=row["created_at"],
                suggestions=load_suggestions(row["suggestions"]),
            )
            for row in rows
        ]

    def purge(self, before: float) -> int:
        with self.database.write() as connection:
            result = connection.execute(delete(_turns).where(_turns.c.created_at < before))
        return result.rowcount or 0

    def close(self) -> None:
        if self._owned:
            self.database.close()
