"""Alembic's entry point for khabar's migrations.

khabar.store.db.upgrade passes an open connection (already inside a write transaction) in
`config.attributes["connection"]`; run by hand (`alembic -c store/alembic.ini ...`), the database
comes from `-x db=URL` or `sqlalchemy.url`, and `--sql` writes the SQL instead of running it.
"""

from __future__ import annotations

from alembic import context

from khabar.store.db import make_engine
from khabar.store.schema import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("sqlalchemy.url")


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    with make_engine(_url()).connect() as own_connection:
        context.configure(connection=own_connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
