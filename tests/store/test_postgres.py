"""PostgreSQL as khabar's second database: writers queue like SQLite's, search uses its index, and
the sample corpus goes through `khabar ingest` and `khabar export` into the same record as on
SQLite. (Every other store test runs on both databases through `db` and `db_target`.)"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from khabar.cli import app
from khabar.report.exports import validate_document
from khabar.store.convert import article_row
from khabar.store.db import WRITE
from khabar.store.repository import SEARCH_SQL, Store
from khabar.store.schema import ArticleRow
from khabar.store.search import compile_query

WAITING_FOR_WRITE_LOCK = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
)


def _await_writer_queued(sql, url: str) -> None:
    """Return once some connection waits for khabar's write lock; fail if none ever does."""
    for _ in range(600):
        if sql(url, WAITING_FOR_WRITE_LOCK)[0][0]:
            return
        time.sleep(0.05)
    pytest.fail("the second writer never waited for the write lock")


def test_store_postgresql_writers_queue_so_a_racing_duplicate_is_skipped(postgres_server, sql, make):
    url = postgres_server.create_database()
    outcome: list[object] = []

    def add_same_article(store: Store) -> None:
        try:
            outcome.append(store.add_article(make.article()))
        except Exception as exc:  # the test reports whatever the racing writer met
            outcome.append(exc)

    with Store.open(url) as store, store.engine.connect() as first:
        # a first writer has stored art1 but not committed yet
        first.execution_options(**{WRITE: True})
        transaction = first.begin()
        first.execute(insert(ArticleRow), [article_row(make.article())])
        second = threading.Thread(target=add_same_article, args=(store,))
        second.start()
        _await_writer_queued(sql, url)
        transaction.commit()
        second.join()
    # without the queue the second writer would not see art1, insert it too, and fail on the key
    assert outcome == [False]


def test_store_postgresql_search_uses_the_full_text_index(postgres_server, make):
    with Store.open(postgres_server.create_database()) as store:
        store.add_article(make.article())
        params = {"query": compile_query("checkpoint", dialect="postgresql"), "limit": 5}
        with store.engine.connect() as connection:
            # one article is too few for the planner to bother; forbid it the table scan
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = connection.execute(text("EXPLAIN " + SEARCH_SQL["postgresql"].text), params).all()
    assert "ix_articles_fts" in "\n".join(row[0] for row in plan)


def _record(runner, samples: Path, target: str, out: Path) -> dict:
    ingested = runner.invoke(app, ["ingest", str(samples), "--db", target])
    assert ingested.exit_code == 0, ingested.output
    assert "5 added" in ingested.output
    exported = runner.invoke(app, ["export", "--format", "json", "-o", str(out), "--db", target])
    assert exported.exit_code == 0, exported.output
    return json.loads(out.read_text(encoding="utf-8"))


def _without_clock(document: dict) -> dict:
    """The document less what depends on when it was made."""
    return {key: value for key, value in document.items() if key != "generated_at"}


@pytest.mark.slow
def test_cli_ingest_into_postgresql_exports_the_same_valid_record_as_sqlite(
    runner, samples_dir: Path, postgres_server, tmp_path: Path
):
    url = postgres_server.create_database()
    document = _record(runner, samples_dir, url, tmp_path / "pg.json")
    assert validate_document(document) == []
    assert len(document["articles"]) == 5 and document["mentions"] and document["events"]
    again = runner.invoke(app, ["ingest", str(samples_dir), "--db", url])
    assert again.exit_code == 0 and "0 added, 5 already stored" in again.output
    on_sqlite = _record(runner, samples_dir, str(tmp_path / "k.db"), tmp_path / "sqlite.json")
    assert _without_clock(document) == _without_clock(on_sqlite)
    found = runner.invoke(app, ["search", "killed", "--db", url])
    assert found.exit_code == 0 and "«killed»" in found.output
