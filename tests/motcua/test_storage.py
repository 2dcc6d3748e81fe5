"""The shared-state backends themselves: migrations, and Redis's atomic marks and counters."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect

from motcua.storage.conversations import SqlConversationStore, Turn
from motcua.storage.database import Database, alembic_config
from motcua.storage.ephemeral import RedisEphemeral, SqliteEphemeral
from motcua.storage.schema import conversation_turns, metadata
from motcua.types import Suggestion


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


def test_turn_suggestions_migration_keeps_existing_turns(database_url: str) -> None:
    """0002 adds the suggestions of a clarify turn to a database that already holds turns."""
    database = Database(database_url)
    database.migrate("0001")
    with database.write() as connection:
        connection.execute(
            insert(conversation_turns).values(
                conversation_id="c",
                created_at=1.0,
                asked="q",
                understood="q",
                answer="a",
                refused=False,
                kind="answer",
            )
        )
    database.migrate()
    store = SqlConversationStore(database)
    (old,) = store.recent("c", 5)
    assert old.suggestions == (), "a turn from before the migration offered nothing"
    offer = (Suggestion("<THCS> & “ngoài tỉnh”", "Hồ sơ chuyển trường THCS?"),)
    store.append(Turn("c", "q2", "q2", "?", False, "clarify", 2.0, offer))
    assert store.recent("c", 1)[0].suggestions == offer

    with database.engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
    columns = {c["name"] for c in inspect(database.engine).get_columns("conversation_turns")}
    assert "suggestions" not in columns and "kind" in columns
    database.migrate()
    assert store.recent("c", 1)[0].suggestions == (), "downgrade dropped the column's data"
    database.close()
