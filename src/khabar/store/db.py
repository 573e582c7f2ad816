"""Opening the database: engine, SQLite settings, and Alembic migrations to the current schema.

A path or URL -> `make_engine` -> a SQLAlchemy Engine -> `upgrade` (Alembic, run in code) ->
ready for store/repository.py, the only module that sends SQL through it.

SQLite (the default, one file) gets WAL journaling so readers never wait for the writer,
foreign keys, a busy timeout instead of instant "database is locked", and explicit BEGIN: khabar
emits BEGIN itself (BEGIN IMMEDIATE for writes, see `WRITE`) because Python 3.11's sqlite3 would
otherwise leave DDL and reads outside transactions. PostgreSQL (`postgresql+psycopg://...`, the
`postgres` extra installs the driver) goes through the same models and migrations; there a write
transaction starts by taking a transaction-level advisory lock, so writers queue one at a time
as they do on SQLite, and a check-then-write (is the article stored? which migration is in?)
cannot race another process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..errors import StoreError

HERE = Path(__file__).resolve().parent
#: execution option: the connection's transactions write, so take SQLite's write lock at BEGIN
#: (a deferred transaction that reads first and writes later can fail with SQLITE_BUSY at once).
WRITE = "khabar_write"
BUSY_TIMEOUT_MS = 10_000
#: the PostgreSQL advisory lock khabar's writers take: "khabar" in ASCII, read as a number
WRITE_LOCK = int.from_bytes(b"khabar", "big")
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",
)


def database_url(target: str | Path) -> URL:
    """The SQLAlchemy URL for a database path or URL.

    target (str | Path): a file path ("khabar.db"), ":memory:", or a URL
        ("sqlite:///khabar.db", "postgresql+psycopg://user@host/khabar").
    RETURNS (URL): the URL; a path becomes a SQLite URL.
    RAISES StoreError: the target looks like a URL but is not one.
    """
    text = str(target)
    if "://" not in text:
        return URL.create("sqlite", database=text)
    try:
        return make_url(text)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {exc}", source=text) from exc


def make_engine(target: str | Path) -> Engine:
    """An Engine for a database path or URL, with khabar's SQLite settings.

    target (str | Path): see `database_url`.
    RETURNS (Engine): the engine; nothing is connected yet.
    RAISES StoreError: the URL names a database or driver that is not installed.
    """
    url = database_url(target)
    options: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        # one shared connection: each new connection to :memory: would be a new, empty database
        options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    try:
        engine = create_engine(url, **options)
    except (ImportError, ArgumentError) as exc:
        raise StoreError(f"cannot use this database: {exc}", source=display_name(url)) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgresql_begin)
    return engine


def display_name(url: URL) -> str:
    """The URL as shown in messages: password hidden; for SQLite files just the path."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # None: sqlite3 stops issuing BEGIN itself; `_sqlite_begin` does it for every transaction
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _postgresql_begin(connection: Any) -> None:
    # released by COMMIT or ROLLBACK, so a crashed writer cannot leave it held
    if connection.get_execution_options().get(WRITE, False):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def alembic_config(url: URL | str | None = None) -> Config:
    """The Alembic configuration of khabar's migrations (store/alembic.ini, store/migrations/).

    url (URL | str | None): the database, for offline SQL generation or the alembic command.
    RETURNS (Config): the configuration.
    """
    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE / "migrations"))
    if url is not None:
        rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Migrate the database to the newest schema, if it is not there yet.

    engine (Engine): from `make_engine`.
    RAISES StoreError: the file is not a database, the disk is read-only, or the database was
        written by a newer khabar.
    """
    config = alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    name = display_name(engine.url)
    try:
        # the common case, an up-to-date database, needs no write lock
        with engine.connect() as connection:
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
        with engine.connect() as connection:
            connection.execution_options(**{WRITE: True})
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        reason = getattr(exc, "orig", None) or exc
        raise StoreError(f"cannot open or migrate the database: {reason}", source=name) from exc
    except CommandError as exc:
        message = f"cannot migrate the database (written by a newer khabar?): {exc}"
        raise StoreError(message, source=name) from exc
