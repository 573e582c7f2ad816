"""Store queries for `khabar serve` (#6): events filtered, sorted and paged in SQL; one event, its
mentions, one actor; API tokens stored by digest only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from khabar.errors import StoreError
from khabar.models import Corroboration, DateRef, Resolution, Toll
from khabar.store.repository import EVENT_SORTS, EventFilter


def _event(make, event_id: str, day: date | None, **fields):
    event = make.event(event_id, mentions=(), day=day)
    event.contradictions = []
    return replace(event, **fields)


@pytest.fixture
def five(db, make):
    """Five events: three dated days apart, one spanning a week, one undated."""
    events = [
        _event(make, "e1", date(2024, 3, 1), killed=Toll(low=2, high=2, best=2)),
        _event(make, "e2", date(2024, 3, 5), type="FIGHT", status="disputed", killed=None),
        _event(
            make,
            "e3",
            date(2024, 3, 9),
            corroboration=Corroboration(articles=3, outlets=2),
            actors=["ARMY"],
            recipients=["MIL"],
            killed=Toll(low=7, high=None),
        ),
        _event(make, "e4", None, location=None, killed=Toll(low=1, high=1, best=1)),
        replace(
            _event(make, "e5", None, killed=None),
            date=DateRef(text="that week", start=date(2024, 3, 3), end=date(2024, 3, 10), precision="week"),
        ),
    ]
    db.save_resolution(Resolution(events=events))
    return db


def _ids(page) -> list[str]:
    return [event.id for event in page.events]


def test_store_find_events_by_day_keeps_events_spanning_it(five):
    page = five.find_events(EventFilter(since=date(2024, 3, 5), until=date(2024, 3, 5)))
    # e5's week starts before Tuesday, so it comes first in date order
    assert _ids(page) == ["e5", "e2"]
    assert page.total == 2


def test_store_find_events_with_a_date_leaves_undated_out(five):
    assert "e4" not in _ids(five.find_events(EventFilter(since=date(2000, 1, 1))))
    assert "e4" in _ids(five.find_events())


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (EventFilter(type="FIGHT"), {"e2"}),
        (EventFilter(status="disputed"), {"e2"}),
        (EventFilter(min_corroboration=2), {"e3"}),
        (EventFilter(country="XX", until=date(2024, 3, 4)), {"e1", "e5"}),
        (EventFilter(place="P_RIVERTON", type="ASSAULT", since=date(2024, 3, 6)), {"e3", "e5"}),
        (EventFilter(actor="ARMY"), {"e1", "e2", "e3", "e4", "e5"}),
        (EventFilter(actor="ARMY", role="actor"), {"e3"}),
        (EventFilter(actor="MIL", role="recipient"), {"e3"}),
        (EventFilter(actor="NOBODY"), set()),
    ],
)
def test_store_find_events_filters(five, where, expected):
    page = five.find_events(where)
    assert set(_ids(page)) == expected
    assert page.total == len(expected)


def test_store_find_events_sorts_with_missing_values_last(five):
    assert _ids(five.find_events(sort="date")) == ["e1", "e5", "e2", "e3", "e4"]
    assert _ids(five.find_events(sort="-date")) == ["e3", "e2", "e5", "e1", "e4"]
    # e3 has only a low estimate (7); e2 has no toll at all
    assert _ids(five.find_events(sort="-killed"))[:3] == ["e3", "e1", "e4"]
    assert _ids(five.find_events(sort="-killed"))[-1] in {"e2", "e5"}
    assert _ids(five.find_events(sort="-corroboration"))[0] == "e3"


@pytest.mark.parametrize("sort", EVENT_SORTS)
def test_store_find_events_pages_cover_everything_once(five, sort):
    pages = [five.find_events(sort=sort, limit=2, offset=offset) for offset in (0, 2, 4)]
    seen = [event_id for page in pages for event_id in _ids(page)]
    assert sorted(seen) == ["e1", "e2", "e3", "e4", "e5"]
    assert {page.total for page in pages} == {5}


def test_store_find_events_refuses_unknown_order_and_negative_paging(five):
    with pytest.raises(StoreError, match="unknown event order 'title'"):
        five.find_events(sort="title")
    with pytest.raises(StoreError, match="must not be negative"):
        five.find_events(offset=-1)


def test_store_event_and_its_mentions(db, make):
    mention = make.mention()
    db.add_article(make.article(), extraction=make.extraction(mentions=[mention]))
    db.save_resolution(make.resolution(mention))
    assert db.event("ev1").title.startswith("Militia attack")
    assert db.event("nope") is None
    assert [m.id for m in db.event_mentions("ev1")] == ["art1:m1"]
    assert db.event_mentions("nope") == []
    assert db.actor("ARMY").name == "National Army"
    assert db.actor("nope") is None


def test_store_tokens_are_found_by_digest_only(db):
    db.add_token("newsroom bot", "ab" * 32)
    found = db.token("ab" * 32)
    assert found is not None and found.name == "newsroom bot"
    assert db.token("cd" * 32) is None
    with pytest.raises(StoreError, match="newsroom bot"):
        db.add_token("newsroom bot", "ab" * 32)
