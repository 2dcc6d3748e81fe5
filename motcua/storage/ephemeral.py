"""Short-lived keys: webhook de-duplication marks and per-user rate-limit counters.

Redis when `MOTCUA_REDIS_URL` is set (atomic SET NX EX and INCR with expiry, so two workers that
receive the same Telegram `update_id` reply once); otherwise a SQLite file for one process.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import redis

from motcua.settings import Settings

WINDOW_SECONDS = 60
# Rate-limit windows are fixed minutes of this clock (a test holds it inside one minute).
window_clock = time.time


class RedisUnavailable(RuntimeError):
    pass


def redis_ping(url: str) -> None:
    """Raise `RedisUnavailable` with the reason when Redis at `url` does not answer."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise RedisUnavailable(f"redis unreachable at {url}: {exc}") from exc
    finally:
        client.close()


class RedisEphemeral:
    def __init__(self, client: redis.Redis, rate_limit_per_minute: int, prefix: str = "motcua:"):
        self.client = client
        self.limit = rate_limit_per_minute
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, rate_limit_per_minute: int, prefix: str = "motcua:"):
        return cls(redis.Redis.from_url(url), rate_limit_per_minute, prefix)

    def ping(self) -> None:
        try:
            self.client.ping()
        except redis.RedisError as exc:
            raise RedisUnavailable(f"redis unreachable: {exc}") from exc

    def first_time(self, key: str, ttl: float) -> bool:
        marked = self.client.set(f"{self.prefix}dedup:{key}", 1, nx=True, px=int(ttl * 1000))
        return bool(marked)

    def allow(self, user_key: str) -> bool:
        window = int(window_clock() // WINDOW_SECONDS)
        key = f"{self.prefix}rate:{user_key}:{window}"
        pipe = self.client.pipeline()  # MULTI/EXEC: the count and its expiry land together
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS * 2)
        count, _ = pipe.execute()
        return int(count) <= self.limit

    def close(self) -> None:
        self.client.close()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS dedup (key TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS rate (
    user_key TEXT NOT NULL, window INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (user_key, window)
);
"""


class SqliteEphemeral:
    """The embedded default: one SQLite file, one connection behind a lock."""

    def __init__(self, path: Path, rate_limit_per_minute: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.limit = rate_limit_per_minute
        # isolation_level=None: transactions are opened explicitly, one per operation.
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)

    def ping(self) -> None:
        return None

    def first_time(self, key: str, ttl: float) -> bool:
        now = time.time()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM dedup WHERE expires_at < ?", (now,))
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO dedup (key, expires_at) VALUES (?, ?)",
                    (key, now + ttl),
                )
            finally:
                self._db.execute("COMMIT")
        return cursor.rowcount == 1

    def allow(self, user_key: str) -> bool:
        window = int(window_clock() // WINDOW_SECONDS)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM rate WHERE window < ?", (window - 1,))
                self._db.execute(
                    "INSERT INTO rate (user_key, window, count) VALUES (?, ?, 1) "
                    "ON CONFLICT (user_key, window) DO UPDATE SET count = count + 1",
                    (user_key, window),
                )
                (count,) = self._db.execute(
                    "SELECT count FROM rate WHERE user_key = ? AND window = ?",
                    (user_key, window),
                ).fetchone()
            finally:
                self._db.execute("COMMIT")
        return int(count) <= self.limit

    def close(self) -> None:
        with self._lock:
            self._db.close()


Ephemeral = RedisEphemeral | SqliteEphemeral


def open_ephemeral(settings: Settings, rate_limit_per_minute: int, name: str) -> Ephemeral:
    """Redis (keys under the settings' namespace) when `redis_url` is set, else the SQLite file
    `<data_dir>/<name>.sqlite3`; each user of short-lived keys gets its own counters."""
    if settings.redis_url:
        return RedisEphemeral.from_url(
            settings.redis_url, rate_limit_per_minute, prefix=f"{settings.redis_namespace}:{name}:"
        )
    return SqliteEphemeral(Path(settings.data_dir) / f"{name}.sqlite3", rate_limit_per_minute)
