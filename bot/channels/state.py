"""State the channel adapters keep between webhook calls.

Each need is a tiny Protocol so a Redis/PostgreSQL backend can replace the embedded default
(one SQLite file under a data directory) without touching the adapters.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from motcua.types import Answer

# Relative to the working directory, like the index directory; the CLI may pass another one.
DEFAULT_DATA_DIR = Path("motcua-data")

RATE_LIMIT_MESSAGE = (
    "Bạn đang gửi câu hỏi hơi nhanh. Xin vui lòng đợi khoảng một phút rồi hỏi tiếp, "
    "chúng tôi sẽ trả lời ngay. Cảm ơn bạn!"
)


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


@dataclass(frozen=True)
class ZaloTokens:
    access_token: str
    refresh_token: str
    expires_at: float | None = None  # unix seconds; None when unknown (seeded from settings)
    seed: str | None = None  # the settings refresh token this pair descends from


class TokenStore(Protocol):
    def load(self) -> ZaloTokens | None: ...

    def save(self, tokens: ZaloTokens) -> None:
        """Persist atomically: a refresh token is single-use, losing the new one is fatal."""
        ...


@dataclass
class ChannelState:
    dedup: DedupStore
    rate_limiter: RateLimiter
    feedback: FeedbackStore
    tokens: TokenStore


_SCHEMA = """
CREATE TABLE IF NOT EXISTS dedup (key TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS rate (
    user_key TEXT NOT NULL, window INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (user_key, window)
);
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY, channel TEXT NOT NULL, user_key TEXT NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    refused INTEGER NOT NULL, created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, answer_id TEXT NOT NULL, channel TEXT NOT NULL,
    user_key TEXT NOT NULL, rating TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    citations TEXT NOT NULL, created_at REAL NOT NULL,
    UNIQUE (answer_id, user_key)
);
CREATE TABLE IF NOT EXISTS zalo_tokens (
    id INTEGER PRIMARY KEY CHECK (id = 1), access_token TEXT NOT NULL,
    refresh_token TEXT NOT NULL, expires_at REAL, seed TEXT, updated_at REAL NOT NULL
);
"""


class SQLiteState:
    """All four stores over one SQLite file; one connection guarded by a lock (thread-safe)."""

    def __init__(self, path: Path, rate_limit_per_minute: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.limit = rate_limit_per_minute
        # isolation_level=None: we open transactions ourselves, so each write is explicit.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")  # tokens must survive a power cut
            self._db.executescript(_SCHEMA)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # DedupStore
    def first_time(self, key: str, ttl: float) -> bool:
        now = time.time()
        with self._tx() as db:
            db.execute("DELETE FROM dedup WHERE expires_at < ?", (now,))
            cur = db.execute(
                "INSERT OR IGNORE INTO dedup (key, expires_at) VALUES (?, ?)", (key, now + ttl)
            )
            return cur.rowcount == 1

    # RateLimiter: fixed one-minute windows, good enough against floods and cheap to store.
    def _count(self, user_key: str) -> int:
        window = int(time.time() // 60)
        with self._tx() as db:
            db.execute("DELETE FROM rate WHERE window < ?", (window - 1,))
            db.execute(
                "INSERT INTO rate (user_key, window, count) VALUES (?, ?, 1) "
                "ON CONFLICT (user_key, window) DO UPDATE SET count = count + 1",
                (user_key, window),
            )
            row = db.execute(
                "SELECT count FROM rate WHERE user_key = ? AND window = ?", (user_key, window)
            ).fetchone()
        return int(row[0])

    def allow(self, user_key: str) -> bool:
        return self._count(user_key) <= self.limit

    # FeedbackStore
    def remember_answer(self, channel: str, user_key: str, answer: Answer) -> str:
        answer_id = uuid.uuid4().hex[:16]
        citations = json.dumps([asdict(c) for c in answer.citations], ensure_ascii=False)
        with self._tx() as db:
            db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    channel,
                    user_key,
                    answer.question,
                    answer.answer,
                    citations,
                    int(answer.refused),
                    time.time(),
                ),
            )
        return answer_id

    def record(self, answer_id: str, rating: str, user_key: str) -> bool:
        with self._tx() as db:
            row = db.execute(
                "SELECT channel, question, answer, citations FROM answers WHERE id = ?",
                (answer_id,),
            ).fetchone()
            if row is None:
                return False
            # A second tap by the same user changes their vote rather than adding one.
            db.execute(
                "INSERT INTO feedback (answer_id, channel, user_key, rating, question, answer, "
                "citations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (answer_id, user_key) DO UPDATE SET rating = excluded.rating, "
                "created_at = excluded.created_at",
                (answer_id, row[0], user_key, rating, row[1], row[2], row[3], time.time()),
            )
        return True

    def feedback_rows(self) -> list[dict[str, object]]:
        """Every stored rating, oldest first (for admin pages and tests)."""
        with self._lock:
            cur = self._db.execute(
                "SELECT answer_id, channel, user_key, rating, question, answer, citations "
                "FROM feedback ORDER BY id"
            )
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        for row in rows:
            row["citations"] = json.loads(str(row["citations"]))
        return rows

    # TokenStore: one row replaced inside one transaction, so readers see the old or the new
    # pair, never half of each.
    def load(self) -> ZaloTokens | None:
        with self._lock:
            row = self._db.execute(
                "SELECT access_token, refresh_token, expires_at, seed FROM zalo_tokens"
            ).fetchone()
        return None if row is None else ZaloTokens(*row)

    def save(self, tokens: ZaloTokens) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO zalo_tokens VALUES (1, ?, ?, ?, ?, ?)",
                (
                    tokens.access_token,
                    tokens.refresh_token,
                    tokens.expires_at,
                    tokens.seed,
                    time.time(),
                ),
            )


def open_state(data_dir: Path, rate_limit_per_minute: int) -> ChannelState:
    """The embedded default: everything in `<data_dir>/channels.sqlite3`."""
    store = SQLiteState(Path(data_dir) / "channels.sqlite3", rate_limit_per_minute)
    return ChannelState(dedup=store, rate_limiter=store, feedback=store, tokens=store)
