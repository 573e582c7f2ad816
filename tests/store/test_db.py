"""Opening the database: migrations build every table, view and the full-text index (on SQLite and
PostgreSQL, from empty and back), the models agree with the migrations, SQLite runs in WAL mode,
paths and URLs are understood."""

from __future__ import annotations

import io
import sqlite3
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from khabar.errors import StoreError
from khabar.store.db import alembic_config, database_url, make_engine
from khabar.store.repository import Store
from khabar.store.schema import Base

TABLES = {
    "articles",
    "minhashes",
    "mentions",
    "events",
    "event_actors",
    "contradictions",
    "actors",
    "places",
    "role_claims",
    "api_tokens",
}
VIEWS = {"event_summary", "mention_sources"}
INDEXES = {
    "ix_mentions_article_id",
    "ix_mentions_event_id",
    "ix_events_date_start",
    "ix_events_type",
    "ix_events_country",
}


def _schema_objects(path, kind: str) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))
        return {name for (name,) in rows}


def test_store_migration_creates_tables_views_indexes_and_fts(db_path):
    Store.open(db_path).close()
    assert _schema_objects(db_path, "table") >= TABLES | {"articles_fts", "alembic_version"}
    assert _schema_objects(db_path, "view") == VIEWS
    assert _schema_objects(db_path, "index") >= INDEXES
    assert _schema_objects(db_path, "trigger") == {
        "articles_fts_insert",
        "articles_fts_delete",
        "articles_fts_update",
    }
    with sqlite3.connect(db_path) as connection:
        for view in VIEWS:
            assert connection.execute(f"SELECT * FROM {view}").fetchall() == []
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_store_migration_from_empty_builds_the_schema_on_every_backend(db_target):
    Store.open(db_target).close()
    engine = make_engine(db_target)
    schema = inspect(engine)
    assert set(schema.get_table_names()) >= TABLES | {"alembic_version"}
    assert set(schema.get_view_names()) == VIEWS
    assert {index["name"] for table in TABLES for index in schema.get_indexes(table)} >= INDEXES
    with engine.connect() as connection:
        version = MigrationContext.configure(connection).get_current_revision()
    engine.dispose()
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_store_migrations_go_down_to_empty_and_up_again(db_target, make):
    Store.open(db_target).close()
    engine = make_engine(db_target)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    schema = inspect(engine)
    assert set(schema.get_table_names()) == {"alembic_version"} and schema.get_view_names() == []
    engine.dispose()
    with Store.open(db_target) as store:
        store.add_article(make.article())
        assert [hit.article for hit in store.search("checkpoint")] == ["art1"]


def test_store_models_match_migrations(db_target):
    Store.open(db_target).close()

    def ours(name, type_, parent_names):
        # FTS5's shadow tables, Alembic's own table and PostgreSQL's full-text index (on an
        # expression, which models cannot declare portably) are not models
        return (type_ != "table" or name in TABLES) and name != "ix_articles_fts"

    engine = make_engine(db_target)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": ours, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_store_sqlite_pragmas_are_set(db_path):
    with Store.open(db_path) as store, store.engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA busy_timeout").scalar() >= 1000
        assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_foreign_keys_cascade_article_deletion(db_path):
    with Store.open(db_path) as store, store.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO articles (id, source, text, raw, warnings, ingested_at) "
            "VALUES ('a', 's', 't', '', '[]', '2024-01-01 00:00:00')"
        )
        connection.exec_driver_sql("INSERT INTO minhashes (article_id, signature) VALUES ('a', x'00')")
        connection.exec_driver_sql("DELETE FROM articles")
        assert connection.exec_driver_sql("SELECT count(*) FROM minhashes").scalar() == 0


def test_store_memory_store_is_shared_between_connections():
    with Store.open(":memory:") as store:
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO actors (id, name, kind, data) VALUES ('x', 'X', 'other', '{}')"
            )
        with store.engine.connect() as other:
            assert other.exec_driver_sql("SELECT count(*) FROM actors").scalar() == 1


@pytest.mark.parametrize(
    ("target", "backend", "database"),
    [
        ("khabar.db", "sqlite", "khabar.db"),
        (":memory:", "sqlite", ":memory:"),
        ("sqlite:///data/k.db", "sqlite", "data/k.db"),
        ("postgresql+psycopg://analyst:secret@db.example/khabar", "postgresql", "khabar"),
    ],
)
def test_store_understands_paths_and_urls(target, backend, database):
    url = database_url(target)
    assert (url.get_backend_name(), url.database) == (backend, database)


def test_store_bad_url_is_a_store_error():
    with pytest.raises(StoreError, match="not a database URL"):
        database_url("no-such-scheme+://")


def test_store_postgresql_without_driver_is_a_store_error(monkeypatch):
    # None in sys.modules makes `import psycopg` fail, as on a machine without the driver
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError, match="cannot use this database") as caught:
        make_engine("postgresql+psycopg://analyst:secret@db.example/khabar")
    assert "secret" not in str(caught.value)


def test_store_postgresql_migration_has_views_and_its_own_full_text_index():
    buffer = io.StringIO()
    config = alembic_config("postgresql://analyst@db.example/khabar")
    config.output_buffer = buffer
    command.upgrade(config, "head", sql=True)
    sql = buffer.getvalue()
    assert "CREATE TABLE mentions" in sql and "CREATE VIEW event_summary" in sql
    assert "string_agg" in sql and "group_concat" not in sql
    assert "fts5" not in sql.lower()
    assert "CREATE TEXT SEARCH CONFIGURATION khabar" in sql and "USING gin" in sql


def test_store_non_database_file_is_a_store_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"notes\.db") as caught:
        Store.open(path)
    assert "not a database" in str(caught.value)


def test_store_database_from_newer_khabar_is_a_store_error(db_path):
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(StoreError, match="newer khabar"):
        Store.open(db_path)
