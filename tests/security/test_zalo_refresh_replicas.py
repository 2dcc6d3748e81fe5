"""Issue 17, item 11: the Zalo refresh lock was per process and the refresh token is single-use,
so two API replicas could both spend it and lose the pair. The refresh now holds a lock in the
shared database (PostgreSQL here, as replicas run): two replica processes refresh once between
them, and a replica killed (-9) while holding the lock lets the next one in."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from motcua.storage.database import Database
from motcua.storage.tokens import SqlTokenStore, ZaloTokens
from tests.stubs import serve_json

pytestmark = pytest.mark.slow  # replicas are separate processes

APP_ID = "1234567890"
REPLICA = """
import asyncio, json, sys, time
from motcua.bot.channels import open_state
from motcua.bot.channels.zalo import ZaloChannel
from motcua.settings import Settings

settings = Settings(_env_file=None)
state = open_state(settings)
if sys.argv[1] == "hold":  # take the refresh lock, say so, and never let go
    with state.tokens.locked():
        print("locked", flush=True)
        time.sleep(120)
channel = ZaloChannel(settings, lambda question: None, state)
tokens = asyncio.run(channel.refresh(stale_access_token="access-1"))
print(json.dumps(None if tokens is None else [tokens.access_token, tokens.refresh_token]))
"""


class OAuth:
    """Zalo's token endpoint: slow, and a refresh token is good once."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.current = "refresh-1"
        self.generation = 1
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, path: str, headers: dict, body: dict) -> dict:
        time.sleep(self.delay)
        with self.lock:
            self.calls.append(body.get("refresh_token", ""))
            if body.get("refresh_token") != self.current:
                return {"error": -14014, "error_name": "Invalid refresh token"}
            self.generation += 1
            self.current = f"refresh-{self.generation}"
            return {
                "access_token": f"access-{self.generation}",
                "refresh_token": self.current,
                "expires_in": "90000",
            }


def replica(mode: str, url: str, database_url: str, tmp: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        MOTCUA_DATABASE_URL=database_url,
        MOTCUA_DATA_DIR=str(tmp / f"data-{mode}-{time.monotonic_ns()}"),
        MOTCUA_ZALO_APP_ID=APP_ID,
        MOTCUA_ZALO_OA_SECRET_KEY="oa-secret-for-tests",
        MOTCUA_ZALO_ACCESS_TOKEN="access-1",
        MOTCUA_ZALO_REFRESH_TOKEN="refresh-1",
        MOTCUA_ZALO_OAUTH_BASE_URL=url,
        MOTCUA_ZALO_API_BASE_URL=url,
    )
    return subprocess.Popen(
        [sys.executable, "-c", REPLICA, mode],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def seeded(database_url: str) -> Database:
    database = Database(database_url)
    database.migrate()
    SqlTokenStore(database).save(ZaloTokens("access-1", "refresh-1"))
    return database


def result(process: subprocess.Popen) -> list[str] | None:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_two_replicas_refresh_once_between_them(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if backend == "postgresql":
        database_url = request.getfixturevalue("postgres_url")
    else:
        database_url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    database = seeded(database_url)
    oauth = OAuth(delay=1.0)
    with serve_json(oauth) as url:
        replicas = [replica("refresh", url, database_url, tmp_path) for _ in range(2)]
        results = [result(p) for p in replicas]
    assert oauth.calls == ["refresh-1"], "the single-use token was spent once"
    assert results == [["access-2", "refresh-2"]] * 2  # the second read the first's pair
    stored = SqlTokenStore(database).load()
    assert (stored.access_token, stored.refresh_token) == ("access-2", "refresh-2")
    database.close()


def test_a_replica_killed_holding_the_lock_does_not_block_the_others(
    postgres_url: str, tmp_path: Path
) -> None:
    database = seeded(postgres_url)
    oauth = OAuth(delay=0.0)
    with serve_json(oauth) as url:
        holder = replica("hold", url, postgres_url, tmp_path)
        assert holder.stdout.readline().strip() == "locked"
        waiting = replica("refresh", url, postgres_url, tmp_path)
        time.sleep(3)
        assert waiting.poll() is None and oauth.calls == []  # it waits for the lock
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=10)
        assert result(waiting) == ["access-2", "refresh-2"]
    assert oauth.calls == ["refresh-1"]
    database.close()
