"""The shared-state backends themselves: migrations, and Redis's atomic marks and counters."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from motcua.storage.database import Database
from motcua.storage.ephemeral import RedisEphemeral, SqliteEphemeral
from motcua.storage.schema import metadata


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite3'}"
    return request.getfixturevalue("postgres_url")


def test_migrations_build_exactly_the_declared_schema(database_url: str) -> None:
    database = Database(database_url)
    database.migrate()
    database.migrate()  # a second run (another worker starting) changes nothing
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    database.close()
    assert differences == [], "a table changed without an Alembic revision"


@pytest.fixture(params=["redis", "sqlite"])
def ephemeral(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        store = RedisEphemeral.from_url(url, 3, prefix=f"t{uuid.uuid4().hex[:8]}:")
    else:
        store = SqliteEphemeral(tmp_path / "ephemeral.sqlite3", 3)
    yield store
    store.close()


def test_a_key_is_new_exactly_once_under_concurrency(ephemeral) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        firsts = list(pool.map(lambda _: ephemeral.first_time("update:42", 60), range(32)))
    assert firsts.count(True) == 1


def test_a_mark_expires(ephemeral) -> None:
    assert ephemeral.first_time("short", 0.05)
    time.sleep(0.2)
    assert ephemeral.first_time("short", 60), "after its ttl the key is new again"


def test_rate_limit_counts_per_user(ephemeral) -> None:
    assert [ephemeral.allow("telegram:1") for _ in range(4)] == [True, True, True, False]
    assert ephemeral.allow("telegram:2"), "another user has a budget of their own"
