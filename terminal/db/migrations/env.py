"""Alembic environment, run in-process on a connection handed over by terminal.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import terminal.db.models  # noqa: F401  (registers the tables on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # alembic CLI use during development
        from terminal.db.engine import make_engine

        engine = make_engine(config.get_main_option("sqlalchemy.url").removeprefix("sqlite:///"))
        with engine.connect() as connection:
            _run(connection)
        return
    _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
