"""convert: dataclasses <-> JSON values, guided by type hints."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.errors import StoreError
from khabar.models import DateRef, Event, EventLocation, Mention, Place, Position, Toll
from khabar.store.convert import event_actor_rows, from_jsonable, mention_row, to_jsonable


def test_store_to_jsonable_writes_dates_and_spans_as_json(make):
    data = to_jsonable(make.mention())
    assert data["date"]["start"] == "2024-03-05"
    assert data["span"] == [16, 24] and data["actors"][0]["span"] == [0, 16]
    assert data["acled"] == {"event_type": "Battles", "sub_event_type": "Armed clash"}
    assert json.loads(json.dumps(data)) == data


def test_store_round_trips_through_json_text(make):
    for original in (make.mention(), make.event(), make.contradiction(), *make.actors(), *make.places()):
        stored = json.loads(json.dumps(to_jsonable(original)))
        assert from_jsonable(type(original), stored) == original


def test_store_ignores_unknown_keys_and_fills_defaults():
    data = {"text": "last week", "start": None, "end": None, "precision": "week", "added_later": 1}
    assert from_jsonable(DateRef, data) == DateRef(text="last week", start=None, end=None, precision="week")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"low": 1}, "high"),
        ({"text": None, "start": "5 March", "end": None, "precision": "day"}, "isoformat"),
    ],
)
def test_store_bad_stored_data_is_a_store_error(data, reason):
    cls = Toll if "low" in data else DateRef
    with pytest.raises(StoreError, match=f"cannot rebuild a {cls.__name__}.*{reason}"):
        from_jsonable(cls, data)


def test_store_wrong_span_length_is_a_store_error():
    with pytest.raises(StoreError, match="Position"):
        from_jsonable(Position, {"value": "3", "articles": [], "spans": [[1, 2, 3]]})


def test_store_mention_row_copies_query_columns(make):
    row = mention_row(make.mention(location=None, killed=None, reporter=None))
    assert (row["article_id"], row["span_start"], row["span_end"]) == ("art1", 16, 24)
    assert (row["location_text"], row["killed_low"], row["reporter"]) == (None, None, None)
    assert row["date_start"] == date(2024, 3, 5) and row["injured_high"] is None


def test_store_event_actor_rows_keep_order_and_role(make):
    rows = event_actor_rows(make.event())
    assert [(r["role"], r["position"], r["actor_id"]) for r in rows] == [
        ("actor", 0, "MIL"),
        ("recipient", 0, "ARMY"),
        ("recipient", 1, "UNKNOWN_ACTOR"),
    ]


spans = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000))
dates = st.one_of(st.none(), st.dates())


@given(
    st.builds(
        Mention,
        id=st.text(min_size=1),
        article=st.text(min_size=1),
        span=spans,
        sentence=st.text(),
        type=st.sampled_from(["ASSAULT", "FIGHT", "ACCUSE"]),
        date=st.builds(DateRef, text=st.none() | st.text(), start=dates, end=dates, precision=st.just("day")),
        killed=st.none() | st.builds(Toll, low=st.none() | st.integers(0), high=st.none() | st.integers(0)),
        quote_span=st.none() | spans,
        confidence=st.floats(0, 1),
    )
)
def test_store_any_mention_round_trips(mention):
    assert from_jsonable(Mention, json.loads(json.dumps(to_jsonable(mention)))) == mention


def test_store_rebuilds_nested_dataclasses(make):
    event = from_jsonable(Event, to_jsonable(make.event()))
    assert isinstance(event.location, EventLocation) and (event.location.lat, event.location.lon) == (
        12.5,
        -3.25,
    )
    assert isinstance(event.date.start, date) and event.killed.best == 4


def test_store_whole_number_coordinates_become_floats():
    data = {"id": "p", "name": "P", "country": None, "lat": 12, "lon": None, "feature": "town"}
    place = from_jsonable(Place, data)
    assert isinstance(place.lat, float) and place.lon is None
