"""The Zalo OA token pair, shared by every worker: a refresh token is single-use."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from motcua.storage.database import Database
from motcua.storage.schema import zalo_tokens


@dataclass(frozen=True)
class ZaloTokens:
    access_token: str
    refresh_token: str
    expires_at: float | None = None  # unix seconds; None when unknown (seeded from settings)
    seed: str | None = None  # the settings refresh token this pair descends from


class SqlTokenStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Held while a refresh reads, spends and saves the pair: replicas sharing the
        database refresh one at a time (a refresh token is single-use), and a replica killed
        while holding it lets the next one in."""
        with self.database.exclusive("zalo-token-refresh"):
            yield

    def load(self) -> ZaloTokens | None:
        with self.database.read() as connection:
            row = connection.execute(
                select(
                    zalo_tokens.c.access_token,
                    zalo_tokens.c.refresh_token,
                    zalo_tokens.c.expires_at,
                    zalo_tokens.c.seed,
                ).where(zalo_tokens.c.id == 1)
            ).first()
        return None if row is None else ZaloTokens(*row)

    def save(self, tokens: ZaloTokens) -> None:
        # Delete and insert in one transaction: readers see the old pair or the new, never half.
        with self.database.write() as connection:
            connection.execute(delete(zalo_tokens).where(zalo_tokens.c.id == 1))
            connection.execute(
                insert(zalo_tokens).values(
                    id=1,
                    access_token=tokens.access_token,
                    refresh_token=tokens.refresh_token,
                    expires_at=tokens.expires_at,
                    seed=tokens.seed,
                    updated_at=time.time(),
                )
            )
