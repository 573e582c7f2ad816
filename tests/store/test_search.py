"""Full-text search: one query syntax, read by khabar, meaning the same on SQLite (FTS5) and
PostgreSQL (tsvector); bad queries are the same clear StoreError on both."""

from __future__ import annotations

import pytest

from khabar.errors import StoreError
from khabar.store.search import compile_query

ARTICLES = {
    "a1": ("Checkpoint attacked in Riverton", "Militia fighters attacked a checkpoint in Riverton at dawn."),
    "a2": ("Talks resume", "Delegations met for ceasefire talks in Geneva."),
    "a3": ("Drone strike", "An al-Qaeda leader was killed in a drone strike near Pelé's village."),
    "a4": (None, "Shelling resumed at dawn; the ceasefire collapsed after the talks failed."),
    "a5": ("Jets", "An F-16 flew 3.5 km over news.example/page on 2024-03-05."),
}


@pytest.fixture
def corpus(db, make):
    for article_id, (title, text) in ARTICLES.items():
        db.add_article(make.article(article_id, title=title, text=text))
    return db


@pytest.mark.parametrize(
    ("query", "hits"),
    [
        ("ceasefire", {"a2", "a4"}),
        ("CeaseFire", {"a2", "a4"}),
        ("ceasefire talks", {"a2", "a4"}),
        ('"ceasefire talks"', {"a2"}),
        ("ceasefire NOT geneva", {"a4"}),
        ("geneva OR shelling", {"a2", "a4"}),
        ("(geneva OR shelling) AND dawn", {"a4"}),
        ("dawn geneva OR shelling", {"a4"}),
        ("deleg*", {"a2"}),
        ('"ceasefire tal"*', {"a2"}),
        # no stemming on either side: a word is the word
        ("attack", set()),
        ("attacked", {"a1"}),
        ("attack*", {"a1"}),
        ("resume", {"a2"}),
        ('"al-Qaeda leader"', {"a3"}),
        ("qaeda", {"a3"}),
        ("pele", {"a3"}),
        ("PELÉ", {"a3"}),
        ('"Pelé\'s village"', {"a3"}),
        ("riverton", {"a1"}),
        # punctuation splits words on both, though PostgreSQL's own parser would keep "-16",
        # "3.5" and "news.example/page" whole
        ('"F-16"', {"a5"}),
        ("16", {"a5"}),
        ('"3.5" km', {"a5"}),
        ("example", {"a5"}),
        ('"2024-03"', {"a5"}),
        # capitals make an operator; otherwise "and" and "or" are words like any other
        ("ceasefire or", set()),
        ("nowhere", set()),
    ],
)
def test_store_search_same_hits_on_every_backend(corpus, query, hits):
    assert {hit.article for hit in corpus.search(query)} == hits


def test_store_search_marks_the_match_in_title_or_text(corpus):
    (title_only,) = corpus.search("resume")
    assert "«resume»" in title_only.snippet.lower()
    (accented,) = corpus.search("pele")
    assert "«Pelé»" in accented.snippet
    assert all(len(hit.snippet) < 200 for hit in corpus.search("dawn"))


def test_store_search_limit_keeps_the_best_hits(corpus):
    assert len(corpus.search("ceasefire OR dawn OR geneva")) == 3
    (best,) = corpus.search("ceasefire OR dawn OR geneva", limit=1)
    # a2 and a4 each match two of the three words, a1 one
    assert best.article in {"a2", "a4"}


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ('"ceasefire talks', "never closed"),
        ("(geneva OR talks", "closing \\)"),
        ("geneva)", "unexpected '\\)'"),
        ("geneva AND", "should be"),
        ("NOT geneva", "found 'NOT'"),
        ("al-Qaeda", "unexpected '-'"),
        ("title:geneva", "unexpected ':'"),
        ('"..."', "no letters or digits"),
        ("NEAR(geneva talks, x)", "distance must be a number"),
    ],
)
def test_store_search_bad_query_is_the_same_error_on_every_backend(corpus, query, why):
    with pytest.raises(StoreError, match=why) as caught:
        corpus.search(query)
    assert f"search query {query!r} is not valid full-text syntax" in str(caught.value)
    assert corpus.name in str(caught.value)


def test_store_search_near_works_on_sqlite_and_is_refused_on_postgresql(corpus, backend):
    query = "NEAR(ceasefire talks, 3)"
    if backend == "sqlite":
        assert {hit.article for hit in corpus.search(query)} == {"a2", "a4"}
        assert {hit.article for hit in corpus.search("NEAR(ceasefire talks, 1)")} == {"a2"}
    else:
        with pytest.raises(StoreError, match=r"NEAR.*needs SQLite"):
            corpus.search(query)


@pytest.mark.parametrize(
    ("query", "fts5", "tsquery"),
    [
        ("geneva", '"geneva"', "'geneva'"),
        ("a b OR c", '(("a" AND "b") OR "c")', "(('a' & 'b') | 'c')"),
        ("a OR b c", '("a" OR ("b" AND "c"))', "('a' | ('b' & 'c'))"),
        ("a NOT b c", '(("a" NOT "b") AND "c")', "(('a' & !'b') & 'c')"),
        ('"al-Qaeda\'s ""men"""*', '"al-Qaeda\'s ""men"""*', "('al' <-> 'Qaeda' <-> 's' <-> 'men':*)"),
        ("and or", '("and" AND "or")', "('and' & 'or')"),
        ("Pelé", '"Pelé"', "'Pelé'"),
    ],
)
def test_store_search_query_compiles_for_each_database(query, fts5, tsquery):
    assert compile_query(query, dialect="sqlite") == fts5
    assert compile_query(query, dialect="postgresql") == tsquery
