"""The shared-state database: an engine for the settings' URL, migrated to the latest schema.

SQLite under `data_dir` is the embedded default; `MOTCUA_DATABASE_URL` selects any SQLAlchemy
URL (PostgreSQL for several workers). Schema changes are Alembic revisions, applied on open.
"""

from __future__ import annotations

import fcntl
import hashlib
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

from motcua.settings import Settings

DEFAULT_FILE = "motcua.sqlite3"
# Any constant: serialises migrations when several workers start at once on PostgreSQL.
_MIGRATION_LOCK = 7_401_112


class DatabaseUnavailable(RuntimeError):
    pass


@contextmanager
def temporary_database(admin_url: str, prefix: str = "motcua_tmp") -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of `admin_url`, dropped on exit (for the
    tests and benchmarks of the multi-worker set-up). `DatabaseUnavailable` names the reason
    when the server cannot be reached."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        raise DatabaseUnavailable(str(exc.orig)) from exc
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_url(settings: Settings) -> str:
    """`MOTCUA_DATABASE_URL` when set, else a SQLite file in the data directory."""
    if settings.database_url:
        return settings.database_url
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(data_dir / DEFAULT_FILE).resolve()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
    # SQLAlchemy, not the driver, opens each transaction (`_sqlite_begin`), so a writer can
    # open it IMMEDIATE (the SQLAlchemy documentation's recipe for pysqlite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    # Every question writes its turn and its log row: in WAL mode NORMAL syncs at checkpoints
    # rather than at each commit (SQLite's advice for WAL). A crash of the process loses
    # nothing; a power cut may lose the last moments' rows but never corrupts the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes SQLite's write lock when it begins, not at its first write: two workers
    # reading the same row to update it (the next version of a curated answer) then run one
    # after the other instead of both reading it and one failing at commit, however often.
    immediate = connection.get_execution_options().get(_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_IMMEDIATE = "motcua_sqlite_immediate"


class Database:
    """One engine per process; `write()` serialises writers on SQLite, servers need no lock."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        options: dict = {"pool_pre_ping": not self.is_sqlite}
        if self.is_sqlite:
            options["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if parsed.database in (None, "", ":memory:"):
                options["poolclass"] = StaticPool  # one shared in-memory database
        self.engine: Engine = create_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings, migrate: bool = True) -> Database:
        database = cls(database_url(settings))
        if migrate:
            database.migrate()
        return database

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction for writes (committed on exit, rolled back on error)."""
        if self.is_sqlite:
            with self._lock, self.engine.connect() as connection:
                connection.execution_options(**{_IMMEDIATE: True})
                with connection.begin():
                    yield connection
        else:
            with self.engine.begin() as connection:
                yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            yield connection

    def ping(self) -> None:
        """Raise `DatabaseUnavailable` with the reason when the database cannot be reached."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            raise DatabaseUnavailable(f"database unreachable: {exc.orig}") from exc

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """One holder at a time across every process using this database, released when the
        holder ends, even killed: a PostgreSQL advisory lock held by an open transaction, or
        on SQLite an exclusive lock on a file beside the database."""
        database = make_url(self.url).database
        if self.is_sqlite and database in (None, "", ":memory:"):
            with self._lock:
                yield
            return
        if self.is_sqlite:
            with open(f"{database}.{name}.lock", "w") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                yield
            return
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")
        with self.engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            yield

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """SQLite has no advisory locks: processes starting together queue on a lock file."""
        database = make_url(self.url).database
        if not self.is_sqlite or database in (None, "", ":memory:"):
            yield
            return
        with open(f"{database}.migrate.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to `revision` (Alembic), one process at a time."""
        try:
            with self._file_lock(), self.engine.begin() as connection:
                if not self.is_sqlite:
                    connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
                config = alembic_config()
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        except OperationalError as exc:
            raise DatabaseUnavailable(
                f"cannot reach the database at {make_url(self.url).render_as_string()}: {exc.orig}"
            ) from exc

    def close(self) -> None:
        self.engine.dispose()


def alembic_config() -> Config:
    """Alembic's configuration without an .ini file: the scripts ship inside the package."""
    config = Config()
    location = resources.files("motcua.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    return config
