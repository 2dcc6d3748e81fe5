"""State the channel adapters keep between webhook calls.

Each need is a tiny Protocol; `open_state` picks the backends from the settings (Redis and the
shared database for several workers, SQLite files for one process), the adapters never know.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from motcua.settings import Settings
from motcua.storage.database import Database
from motcua.storage.ephemeral import open_ephemeral
from motcua.storage.interactions import Interactions
from motcua.storage.tokens import SqlTokenStore, ZaloTokens
from motcua.types import Answer

__all__ = ["ZaloTokens"]

# Relative to the working directory, like the index directory; the CLI may pass another one.
DEFAULT_DATA_DIR = Path("motcua-data")


class DedupStore(Protocol):
    def first_time(self, key: str, ttl: float) -> bool:
        """True exactly once per key while its mark lives (ttl seconds)."""
        ...


class RateLimiter(Protocol):
    def allow(self, user_key: str) -> bool:
        """Count one request; False once the user is over the per-minute limit."""
        ...


class FeedbackStore(Protocol):
    def remember_answer(self, channel: str, user_key: str, answer: Answer) -> str:
        """Keep an answer so a later 👍/👎 can refer to it by a short id."""
        ...

    def record(self, answer_id: str, rating: str, user_key: str) -> bool:
        """Store a rating with the question, answer and citations; False for an unknown id."""
        ...


class TokenStore(Protocol):
    def load(self) -> ZaloTokens | None: ...

    def locked(self) -> AbstractContextManager[None]:
        """Held across processes while a refresh spends the single-use refresh token."""
        ...

    def save(self, tokens: ZaloTokens) -> None:
        """Persist atomically: a refresh token is single-use, losing the new one is fatal."""
        ...


@dataclass
class ChannelState:
    dedup: DedupStore
    rate_limiter: RateLimiter
    feedback: FeedbackStore
    tokens: TokenStore


def open_state(
    settings_or_dir: Settings | Path | str,
    rate_limit_per_minute: int | None = None,
    database: Database | None = None,
) -> ChannelState:
    """Channel state from settings: Redis for short-lived keys when `redis_url` is set (else a
    SQLite file in the data directory); ratings and Zalo tokens in the shared database.

    A bare data directory (tests, `motcua telegram --polling`) means the embedded default.
    """
    if isinstance(settings_or_dir, Settings):
        settings = settings_or_dir
    else:
        settings = Settings(data_dir=Path(settings_or_dir))
    ephemeral = open_ephemeral(
        settings, rate_limit_per_minute or settings.rate_limit_per_minute, "channels"
    )
    database = database or Database.open(settings)
    interactions = Interactions(database)
    return ChannelState(
        dedup=ephemeral,
        rate_limiter=ephemeral,
        feedback=interactions,
        tokens=SqlTokenStore(database),
    )
