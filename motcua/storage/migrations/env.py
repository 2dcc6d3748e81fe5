"""Alembic environment: migrations run on the connection `Database.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from motcua.storage.schema import metadata


def _run(connection) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    # `alembic -x url=... revision --autogenerate` from a developer's shell.
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///motcua-data/dev.sqlite3")
    with create_engine(url).begin() as own:
        _run(own)
