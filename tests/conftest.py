"""Shared fixtures: real documents from ../shared, small indexes built with the real embedder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from motcua.settings import Settings

# The embedder's OpenMP threads wait for work by spinning, libgomp's default. On two cores
# shared with another busy process a spinning thread holds the core its partner needs: twenty
# one-question embeddings took 1.5-13 s that way and 0.6-0.7 s with waiting threads asleep
# (tests/motcua/test_curated.py and tests/bot/test_dialogue.py: 25-104 s against 33-37 s).
# The threads and their split of the work are the same, so are the vectors. Read when the
# engine loads, so set before any test imports it; a value already in the environment is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


# Test lanes (`make test-fast` leaves out all three; `make test` runs everything):
# - services: needs the PostgreSQL and Redis servers (by fixture, or the postgres/redis case
#   of a test parametrized over storage backends);
# - browser: drives Chromium (tests/browser);
# - slow: builds or reads an index of the customer's documents in ../shared, or starts
#   worker processes.
SERVICE_FIXTURES = {"postgres_url", "redis_url"}
BACKEND_PARAMETERS = {"database_url", "database", "ephemeral", "backend"}
SERVER_BACKENDS = {"postgres", "postgresql", "redis"}
SLOW_FIXTURES = {
    "shared_dir",
    "seeds_corpus_index",
    "seeds_corpus_responder",
    "console_index",
    "console_responder",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        backends = {str(params[p]) for p in BACKEND_PARAMETERS & params.keys()}
        if names & SERVICE_FIXTURES or backends & SERVER_BACKENDS:
            item.add_marker(pytest.mark.services)
        if "browser" in Path(str(item.path)).parts:
            item.add_marker(pytest.mark.browser)
        if names & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.fail(f"the customer's documents are expected in {SHARED} (seeds/, corpus/, eval/)")
    return SHARED


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Commands that read settings from the environment keep their state in the test's folder."""
    from motcua.settings import get_settings

    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "env-data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def copy_index(index_dir: Path, target: Path) -> Path:
    """A copy of an index folder (its versions and pointer) to build on: `motcua ingest` into
    it finds the copied documents unchanged and embeds only what is new."""
    shutil.copytree(index_dir, target)
    return target


def ingest_texts(folder: Path, texts: dict[str, str], cards_index: Path | None = None) -> Path:
    """Write `texts` ({file name: text}) into `folder`/docs and index them with the built-in
    cards through the CLI, as a user would; the index folder.

    Given `cards_index` (the session's index of the built-in cards), the build starts from a
    copy of it, as a second `motcua ingest … --builtin` after `make run` does: the cards are
    unchanged and kept, not embedded again."""
    from typer.testing import CliRunner

    from motcua.commands.cli import app as cli

    docs = folder / "docs"
    docs.mkdir()
    for name, text in texts.items():
        (docs / name).write_text(text, encoding="utf-8")
    index_dir = folder / "index"
    if cards_index is not None:
        copy_index(cards_index, index_dir)
    result = CliRunner().invoke(
        cli, ["ingest", str(docs), "--builtin", "--index-dir", str(index_dir)]
    )
    assert result.exit_code == 0, result.output
    return index_dir


def make_settings(index_dir: Path, **overrides: object) -> Settings:
    overrides.setdefault("data_dir", Path(index_dir).parent / f"{Path(index_dir).name}-data")
    return Settings(index_dir=index_dir, _env_file=None, **overrides)


@pytest.fixture(scope="session")
def cards_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the built-in procedure cards (what `make run` serves)."""
    from motcua.index.builds import ingest_into_index

    index_dir = tmp_path_factory.mktemp("cards-index")
    report = ingest_into_index([], make_settings(index_dir), builtin=True)
    assert report.added and not report.failed
    return index_dir


@pytest.fixture(scope="session")
def cards_responder(cards_index: Path):
    from motcua.bot.answering.loading import load_responder

    return load_responder(make_settings(cards_index))


@pytest.fixture(scope="session")
def seeds_corpus_index(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the customer's plans and the legal corpus (a few minutes on 2 cores)."""
    from motcua.index.builds import ingest_into_index

    index_dir = tmp_path_factory.mktemp("seeds-corpus") / "index"
    folders = [
        shared_dir / "seeds",
        shared_dir / "corpus" / "decrees",
        shared_dir / "corpus" / "other",
    ]
    report = ingest_into_index(folders, make_settings(index_dir))
    assert not report.failed, report.failed
    return index_dir


@pytest.fixture(scope="session")
def seeds_corpus_responder(seeds_corpus_index: Path):
    from motcua.bot.answering.loading import load_responder

    return load_responder(make_settings(seeds_corpus_index))


@pytest.fixture(scope="session")
def console_index(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in cards and two of the customer's plans (the console's tests and shots)."""
    from tests.live_server import build_console_index

    return build_console_index(tmp_path_factory.mktemp("console") / "index", shared_dir / "seeds")


@pytest.fixture(scope="session")
def console_responder(console_index: Path):
    from motcua.bot.answering.loading import load_responder

    return load_responder(make_settings(console_index))


REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards).

    Shared state must work on PostgreSQL for several workers, so these tests never skip: an
    unreachable server is a failure that names the address it expects.
    """
    from motcua.storage.database import DatabaseUnavailable, temporary_database

    with ExitStack() as stack:
        try:
            url = stack.enter_context(temporary_database(POSTGRES_ADMIN_URL, prefix="motcua_t"))
        except DatabaseUnavailable as exc:
            pytest.fail(
                "PostgreSQL is required for this test at 127.0.0.1:5432 (user postgres, trust "
                f"auth, database 'test'): {exc}",
                pytrace=False,
            )
        yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def redis_url() -> str:
    """Redis at 127.0.0.1:6379; like PostgreSQL, its absence fails the test with the reason."""
    from motcua.storage.ephemeral import RedisUnavailable, redis_ping

    try:
        redis_ping(REDIS_URL)
    except RedisUnavailable as exc:
        pytest.fail(f"Redis is required for this test at 127.0.0.1:6379: {exc}", pytrace=False)
    return REDIS_URL
