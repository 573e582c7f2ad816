"""Store: every model round-trips, writes are all-or-nothing, resolutions replace each other,
search works and explains bad queries, readers are not blocked by a writer. Tests taking `db` or
`db_target` run on SQLite and PostgreSQL (tests/store/conftest.py)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from khabar.errors import StoreError
from khabar.models import Credibility, Resolution, Signal
from khabar.store import repository
from khabar.store.repository import SearchHit, Store

TABLES_OF_AN_ARTICLE = ("articles", "mentions", "minhashes", "role_claims", "actors", "places")


def _count(sql, target, table: str) -> int:
    return sql(target, f"SELECT count(*) FROM {table}")[0][0]


def test_store_round_trips_article(db, make):
    article = make.article()
    assert db.add_article(article)
    assert db.article("art1") == article
    assert db.articles() == [article]
    assert db.article("missing") is None
    assert db.has_article("art1") and not db.has_article("missing")
    assert db.article_count() == 1


def test_store_round_trips_mention_with_every_field(db, make):
    mention = make.mention()
    db.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
    (stored,) = db.mentions()
    assert stored == mention
    assert isinstance(stored.date.start, date)
    assert stored.span == (16, 24) and stored.killed.span == (70, 92)
    assert stored.acled.sub_event_type == "Armed clash"
    assert stored.venue == "a press conference"


def test_store_round_trips_actors_places_role_claims(db, make):
    extraction = make.extraction()
    db.add_article(make.article(), extraction=extraction)
    assert db.actors() == sorted(extraction.actors, key=lambda actor: actor.id)
    assert db.places() == extraction.places
    assert db.role_claims() == extraction.role_claims
    assert db.actors()[-1].roles[0].start == date(2019, 1, 1)


def test_store_upserts_shared_actor_newest_version_wins(db, make):
    db.add_article(make.article("a1"), extraction=make.extraction("a1", mentions=[]))
    second = make.extraction("a2", mentions=[])
    second.actors[0] = replace(second.actors[0], aliases=["the militia", "RM"])
    db.add_article(make.article("a2"), extraction=second)
    militia = next(actor for actor in db.actors() if actor.id == "MIL")
    assert militia.aliases == ["the militia", "RM"]
    assert len(db.actors()) == 3


def test_store_add_article_is_idempotent(db, make):
    assert db.add_article(make.article(), extraction=make.extraction(), signature=b"sig1")
    again = make.extraction(mentions=[make.mention("art1:m2", span=(200, 210))])
    assert not db.add_article(make.article(title="changed"), extraction=again, signature=b"sig2")
    assert db.article("art1").title == "Checkpoint attacked in Riverton"
    assert [m.id for m in db.mentions()] == ["art1:m1"]
    assert db.signatures() == [("art1", b"sig1")]


def test_store_add_article_leaves_event_links_to_resolution(db, make):
    mention = make.mention(event="ev-from-an-old-run", about="ev-other")
    assert db.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
    (stored,) = db.mentions()
    assert (stored.event, stored.about) == (None, None)


def test_store_failure_inside_add_article_leaves_no_trace(db_target, backend, sql, make, monkeypatch):
    def explode(mention):
        raise RuntimeError("disk on fire")

    with Store.open(db_target) as store:
        # the article row, actors and places are already written when the mentions fail
        monkeypatch.setattr(repository, "mention_row", explode)
        with pytest.raises(RuntimeError, match="disk on fire"):
            store.add_article(make.article(), extraction=make.extraction(), signature=b"sig")
        monkeypatch.undo()
        assert not store.has_article("art1")
    # PostgreSQL's full-text index is an index on `articles`, SQLite's a table of its own
    for table in TABLES_OF_AN_ARTICLE + (("articles_fts",) if backend == "sqlite" else ()):
        assert _count(sql, db_target, table) == 0, table


def test_store_database_error_rolls_back_and_names_article(db, make):
    duplicate_ids = [make.mention("art1:m1"), make.mention("art1:m1", span=(1, 2))]
    with pytest.raises(StoreError, match="article art1") as caught:
        db.add_article(make.article(), extraction=make.extraction(mentions=duplicate_ids))
    assert "unique" in str(caught.value).lower()
    assert db.article_count() == 0 and db.mentions() == [] and db.actors() == []


def test_store_rejects_extraction_of_another_article(db, make):
    with pytest.raises(StoreError, match="other articles"):
        db.add_article(make.article("art1"), extraction=make.extraction("art2"))
    assert db.article_count() == 0


def test_store_readers_see_no_partial_article_during_write(db_target, sql, make, monkeypatch):
    seen = []
    original = repository.mention_row

    def read_while_writing(mention):
        seen.append(_count(sql, db_target, "articles"))
        return original(mention)

    with Store.open(db_target) as store:
        monkeypatch.setattr(repository, "mention_row", read_while_writing)
        assert store.add_article(make.article(), extraction=make.extraction())
    assert seen == [0]
    assert _count(sql, db_target, "mentions") == 1


def test_store_writer_commits_while_reader_holds_snapshot(db_path, make):
    with Store.open(db_path) as store:
        reader = sqlite3.connect(db_path, isolation_level=None, timeout=0.5)
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        # in rollback-journal mode the open read lock would block this commit; WAL lets it through
        assert store.add_article(make.article())
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        reader.close()


def test_store_mentions_filter_by_article_in_text_order(db, make):
    late, early = make.mention("a1:m2", article="a1", span=(50, 60)), make.mention("a1:m1", article="a1")
    db.add_article(make.article("a1"), extraction=make.extraction("a1", mentions=[late, early]))
    db.add_article(
        make.article("a2"), extraction=make.extraction("a2", mentions=[make.mention("a2:m1", article="a2")])
    )
    assert [m.id for m in db.mentions()] == ["a1:m1", "a1:m2", "a2:m1"]
    assert [m.id for m in db.mentions(article_id="a2")] == ["a2:m1"]


def test_store_save_resolution_sets_events_and_mention_links(db, make):
    mention = make.mention()
    db.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
    resolution = make.resolution(mention)
    db.save_resolution(resolution)
    assert db.events() == resolution.events
    assert db.contradictions() == resolution.contradictions
    assert db.mentions()[0].event == "ev1"


def test_store_save_resolution_replaces_previous(db, make):
    first, second = make.mention("art1:m1"), make.mention("art1:m2", span=(120, 130))
    db.add_article(make.article(), extraction=make.extraction(mentions=[first, second]))
    db.save_resolution(make.resolution(first))
    second.event, second.about = "ev2", "ev2"
    db.save_resolution(Resolution(events=[make.event("ev2", mentions=["art1:m2"])], mentions=[second]))
    assert [event.id for event in db.events()] == ["ev2"]
    assert db.contradictions() == []
    assert {m.id: (m.event, m.about) for m in db.mentions()} == {
        "art1:m1": (None, None),
        "art1:m2": ("ev2", "ev2"),
    }


def test_store_save_resolution_rejects_dangling_event_and_keeps_previous(db, make):
    mention = make.mention()
    db.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
    db.save_resolution(make.resolution(mention))
    broken = replace(mention, event="ev_missing")
    with pytest.raises(StoreError, match="mention art1:m1 -> ev_missing"):
        db.save_resolution(Resolution(events=[make.event("ev9")], mentions=[broken]))
    assert [event.id for event in db.events()] == ["ev1"]


def test_store_save_resolution_rejects_unknown_mention_and_keeps_previous(db, make):
    mention = make.mention()
    db.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
    db.save_resolution(make.resolution(mention))
    stranger = make.mention("art1:ghost", event="ev2")
    with pytest.raises(StoreError, match="art1:ghost"):
        db.save_resolution(Resolution(events=[make.event("ev2")], mentions=[stranger]))
    assert [event.id for event in db.events()] == ["ev1"]
    assert db.mentions()[0].event == "ev1"


def test_store_events_ordered_by_date_undated_last(db, make):
    events = [
        make.event("b", day=None),
        make.event("c", day=date(2024, 1, 2)),
        make.event("a", day=date(2024, 5, 1)),
    ]
    db.save_resolution(Resolution(events=events))
    assert [event.id for event in db.events()] == ["c", "a", "b"]


def test_store_credibility_round_trip(db, make):
    db.add_article(make.article())
    assert db.credibility("art1") is None
    credibility = Credibility(
        score=0.35,
        label="low",
        signals=[Signal(name="hedging", effect=-0.1, detail="reportedly", spans=[(3, 13)])],
    )
    db.save_credibility("art1", credibility)
    assert db.credibility("art1") == credibility
    assert db.article("art1") == make.article()


def test_store_credibilities_of_many_articles_saved_and_read_at_once(db, make):
    for article_id in ("a1", "a2", "a3"):
        db.add_article(make.article(article_id))
    high, low = Credibility(score=0.8, label="high"), Credibility(score=0.2, label="low")
    db.save_credibilities({"a1": high, "a3": low})
    assert db.credibilities() == {"a1": high, "a2": None, "a3": low}
    # one unknown article and nothing of the batch is saved
    with pytest.raises(StoreError, match="no article 'nope'"):
        db.save_credibilities({"a2": high, "nope": low})
    assert db.credibility("a2") is None


def test_store_credibility_of_missing_article_is_an_error(db):
    with pytest.raises(StoreError, match="no article 'nope'"):
        db.save_credibility("nope", Credibility(score=0.5, label="medium"))
    assert db.credibility("nope") is None


def test_store_search_finds_words_and_marks_them(db, make):
    db.add_article(make.article("a1"))
    db.add_article(
        make.article("a2", title="Talks resume", text="Delegations met for ceasefire talks in Geneva.")
    )
    (hit,) = db.search("ceasefire")
    assert hit == SearchHit(article="a2", title="Talks resume", snippet=hit.snippet)
    assert "«ceasefire»" in hit.snippet
    assert [h.article for h in db.search("checkpoint")] == ["a1"]
    assert [h.article for h in db.search("deleg*")] == ["a2"]
    assert db.search("checkpoint OR geneva", limit=1) and len(db.search("checkpoint OR geneva")) == 2
    assert db.search("   ") == []


def test_store_search_ignores_diacritics(db, make):
    db.add_article(make.article("a1", text="Shelling hit Kunduz and Pelé's town."))
    assert [h.article for h in db.search("pele")] == ["a1"]


def test_store_search_bad_query_is_a_clear_error(db, make):
    db.add_article(make.article())
    with pytest.raises(StoreError, match=r"search query 'attack AND \(' is not valid"):
        db.search("attack AND (")
    with pytest.raises(StoreError, match="double quotes"):
        db.search("al-Qaeda:leader")


def test_store_search_index_follows_edited_and_deleted_articles(db_target, sql, make):
    with Store.open(db_target) as store:
        store.add_article(make.article())
        sql(db_target, "UPDATE articles SET title = 'Truce holds', text = 'The truce held.'")
        assert store.search("checkpoint") == []
        assert [hit.article for hit in store.search("truce")] == ["art1"]
        sql(db_target, "DELETE FROM articles WHERE id = 'art1'")
        assert store.search("truce") == []


def test_store_views_are_readable_with_sqlite3(db_path, make):
    mention = make.mention()
    with Store.open(db_path) as store:
        store.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
        store.save_resolution(make.resolution(mention))
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    summary = connection.execute("SELECT * FROM event_summary").fetchone()
    assert summary["actors"] == "Riverton Militia"
    assert summary["date_start"] == "2024-03-05" and summary["location"] == "Riverton"
    connection.close()


def test_store_views_read_the_same_on_every_backend(db_target, sql, make):
    mention = make.mention()
    with Store.open(db_target) as store:
        store.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
        store.save_resolution(make.resolution(mention))
    (summary,) = sql(db_target, "SELECT * FROM event_summary")
    summary = summary._mapping
    assert summary["actors"] == "Riverton Militia"
    # an id the actors table lacks is shown as the id; order is the event's order
    assert summary["recipients"] == "National Army, UNKNOWN_ACTOR"
    assert (summary["killed"], summary["injured"], summary["contradictions"]) == ("3–5", None, 1)
    # SQLite hands dates out as text, PostgreSQL as dates
    assert str(summary["date_start"]) == "2024-03-05" and summary["location"] == "Riverton"
    (source,) = sql(db_target, "SELECT * FROM mention_sources")
    source = source._mapping
    assert (source["article_title"], source["outlet"], source["event"]) == (
        "Checkpoint attacked in Riverton",
        "Example News",
        "ev1",
    )
    assert source["reporter"] == "the army" and source["killed"] == "3–5" and source["injured"] is None


@pytest.mark.parametrize(
    ("low", "high", "shown"), [(3, None, "3+"), (None, 5, "up to 5"), (4, 4, "4"), (None, None, None)]
)
def test_store_views_show_toll_ranges(db_target, sql, make, low, high, shown):
    from khabar.models import Toll

    mention = make.mention(killed=Toll(low=low, high=high))
    with Store.open(db_target) as store:
        store.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
    assert sql(db_target, "SELECT killed FROM mention_sources") == [(shown,)]


def test_store_open_reads_khabar_db_from_environment(db_target, sql, monkeypatch, make):
    monkeypatch.setenv("KHABAR_DB", db_target)
    with Store.open() as store:
        store.add_article(make.article())
    assert _count(sql, db_target, "articles") == 1


def test_store_open_defaults_to_khabar_db_in_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("KHABAR_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    Store.open().close()
    assert (tmp_path / "khabar.db").exists()


def test_store_reopen_keeps_data(db_target, make):
    with Store.open(db_target) as store:
        store.add_article(make.article(), extraction=make.extraction())
    with Store.open(db_target) as store:
        assert store.article_count() == 1 and len(store.mentions()) == 1


def test_store_replace_extraction_swaps_an_articles_mentions_whole(db, make):
    db.add_article(make.article(), extraction=make.extraction())
    db.save_resolution(make.resolution(db.mentions()[0]))
    redone = make.extraction(mentions=[make.mention("art1:m2", span=(200, 210))])
    db.replace_extraction("art1", redone)
    assert [(m.id, m.event) for m in db.mentions()] == [("art1:m2", None)]
    assert db.article("art1") is not None


def test_store_replace_extraction_of_an_unknown_article_changes_nothing(db, make):
    db.add_article(make.article(), extraction=make.extraction())
    with pytest.raises(StoreError, match="not stored"):
        db.replace_extraction("art2", make.extraction("art2"))
    assert [m.id for m in db.mentions()] == ["art1:m1"]
