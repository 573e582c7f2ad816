"""report.series: Goldstein weights, dyad sides, the daily conflict-cooperation series and the actor
graph, over stores built by hand (an invented dispute between Ostria and Valdonia)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

import pytest

from khabar.errors import ExportError
from khabar.models import (
    PLOVER_TYPES,
    Actor,
    Article,
    Corroboration,
    DateRef,
    Event,
    Extraction,
    Resolution,
)
from khabar.report.series import (
    SeriesPoint,
    actor_graph,
    country_code,
    dyad_series,
    goldstein,
    series_csv,
    side_members,
)
from khabar.store.repository import Store

ACTORS = [
    # Ostria is played by Austria's ISO codes (AT/AUT), Valdonia by Mali's (ML/MLI)
    Actor(id="OST_GOV", name="Government of Ostria", kind="government", country="AT"),
    Actor(id="OST_ARMY", name="Ostrian Army", kind="military", country="AT", aliases=["the army"]),
    Actor(id="OST_MOD", name="Ostrian Defence Ministry", kind="other", country="AT", parent="OST_GOV"),
    Actor(id="OST_REBELS", name="Ostrian Liberation Front", kind="rebel", country="AT"),
    Actor(id="VAL_GOV", name="Government of Valdonia", kind="government", country="ML"),
    Actor(id="VAL_POLICE", name="Valdonian Police", kind="police", country="ML"),
]


def _day(day: date | None) -> DateRef:
    return DateRef(text=None, start=day, end=day, precision="day" if day else "none")


def _event(event_id: str, kind: str, day: date | None, actors, recipients=(), **fields) -> Event:
    return Event(
        id=event_id,
        type=kind,
        title=event_id,
        date=fields.pop("date", None) or _day(day),
        status="reported",
        mentions=[],
        articles=["art"],
        corroboration=Corroboration(articles=1, outlets=1),
        actors=list(actors),
        recipients=list(recipients),
        **fields,
    )


def _store(events: list[Event]) -> Store:
    store = Store.open(":memory:")
    article = Article(id="art", source="art.txt", text="An invented report.")
    store.add_article(article, extraction=Extraction(article="art", actors=ACTORS))
    store.save_resolution(Resolution(events=events))
    return store


@pytest.fixture
def store() -> Iterator[Store]:
    events = [
        _event("shelling", "ASSAULT", date(2024, 4, 1), ["OST_ARMY"], ["VAL_POLICE"]),
        _event("accusation", "ACCUSE", date(2024, 4, 1), ["VAL_GOV"], ["OST_MOD"]),
        _event("clash", "FIGHT", date(2024, 4, 3), ["OST_ARMY", "VAL_POLICE"]),
        _event("truce", "AGREE", date(2024, 4, 4), ["OST_GOV", "VAL_GOV"], mode="ceasefire"),
        _event("rebel raid", "ASSAULT", date(2024, 4, 2), ["OST_REBELS"], ["VAL_POLICE"]),
        _event("undated threat", "THREATEN", None, ["VAL_GOV"], ["OST_GOV"]),
        _event(
            "month talks",
            "CONSULT",
            None,
            ["OST_GOV", "VAL_GOV"],
            date=DateRef(text="April", start=date(2024, 4, 1), end=date(2024, 4, 30), precision="month"),
        ),
    ]
    opened = _store(events)
    yield opened
    opened.close()


def test_series_goldstein_lexicon_scores_every_plover_type_within_the_scale():
    scores = {event_type: goldstein(event_type) for event_type in PLOVER_TYPES}
    assert all(-10 <= score <= 10 for score in scores.values())
    assert scores["FIGHT"] < scores["ASSAULT"] < scores["ACCUSE"] < scores["STATEMENT"] < scores["AID"]


def test_series_goldstein_mode_refines_the_type_score():
    assert goldstein("AGREE", "ceasefire") > goldstein("AGREE")
    assert goldstein("AGREE", "an unlisted mode") == goldstein("AGREE")


def test_series_goldstein_type_outside_plover_is_neutral():
    assert goldstein("PARADE") == 0.0


def test_series_country_code_reads_alpha2_alpha3_and_names():
    assert country_code("mli") == "ML"
    assert country_code("ML") == "ML"
    assert country_code("Mali") == "ML"
    assert country_code("Ostrian Army") is None


def test_series_country_side_takes_its_state_actors_and_what_belongs_to_them():
    members = side_members("AUT", ACTORS)
    # the ministry is of kind "other" but belongs to the government; rebels do not speak for Ostria
    assert members == {"OST_GOV", "OST_ARMY", "OST_MOD"}


def test_series_actor_side_matches_id_name_or_alias():
    assert side_members("ost_army", ACTORS) == {"OST_ARMY"}
    assert side_members("The Army", ACTORS) == {"OST_ARMY"}
    assert side_members("Government of Ostria", ACTORS) == {"OST_GOV", "OST_MOD"}


def test_series_unknown_side_raises_export_error_naming_it():
    with pytest.raises(ExportError, match="Atlantis"):
        side_members("Atlantis", ACTORS)


def test_series_dyad_counts_both_directions_and_fills_quiet_days(store):
    points = dyad_series(store, "AUT", "MLI")
    assert [p.day for p in points] == [date(2024, 4, d) for d in (1, 2, 3, 4)]
    first, quiet, clash, truce = points
    # Ostria's army shelled Valdonia's police, and Valdonia accused Ostria's ministry
    assert first == SeriesPoint(date(2024, 4, 1), 2, goldstein("ASSAULT") + goldstein("ACCUSE"))
    # the rebels' raid is not Ostria's: they are not a state actor
    assert quiet == SeriesPoint(date(2024, 4, 2), 0, 0.0)
    # a clash lists both parties as actors
    assert clash.events == 1 and clash.goldstein_sum == goldstein("FIGHT")
    assert truce.goldstein_sum == goldstein("AGREE", "ceasefire") > 0


def test_series_dyad_leaves_out_events_not_dated_to_the_day(store):
    points = dyad_series(store, "OST_GOV", "VAL_GOV")
    # the undated threat and the month-long talks have no day; the accusation (of the government's
    # ministry) and the truce do
    busy = [(p.day, p.events) for p in points if p.events]
    assert busy == [(date(2024, 4, 1), 1), (date(2024, 4, 4), 1)]


def test_series_dyad_of_one_side_with_itself_raises(store):
    with pytest.raises(ExportError, match="same actors"):
        dyad_series(store, "AT", "AUT")


def test_series_dyad_without_shared_events_is_empty(store):
    assert dyad_series(store, "OST_REBELS", "VAL_GOV") == []


def test_series_csv_reads_back_with_the_csv_module(store):
    points = dyad_series(store, "AUT", "MLI")
    rows = list(csv.DictReader(io.StringIO(series_csv(points))))
    assert [row["day"] for row in rows] == ["2024-04-01", "2024-04-02", "2024-04-03", "2024-04-04"]
    assert [int(row["events"]) for row in rows] == [p.events for p in points]
    assert [float(row["goldstein_sum"]) for row in rows] == [p.goldstein_sum for p in points]


def test_series_actor_graph_sums_events_types_and_goldstein_per_edge():
    events = [
        _event("a", "ASSAULT", date(2024, 4, 1), ["OST_ARMY"], ["VAL_POLICE"]),
        _event("b", "ASSAULT", date(2024, 4, 2), ["OST_ARMY"], ["VAL_POLICE"], mode="explosives"),
        _event("c", "REQUEST", date(2024, 4, 2), ["VAL_POLICE"], ["OST_ARMY"]),
        _event("d", "FIGHT", date(2024, 4, 3), ["VAL_POLICE", "OST_ARMY", "UNSEEN"]),
    ]
    graph = actor_graph(events, ACTORS)
    edges = {(e.source, e.target): e for e in graph.edges}
    army_on_police = edges[("OST_ARMY", "VAL_POLICE")]
    assert army_on_police.events == 3  # two assaults and the clash, whose parties pair up in id order
    assert army_on_police.types == {"ASSAULT": 2, "FIGHT": 1}
    expected = goldstein("ASSAULT") + goldstein("ASSAULT", "explosives") + goldstein("FIGHT")
    assert army_on_police.goldstein_sum == pytest.approx(expected)
    assert edges[("VAL_POLICE", "OST_ARMY")].types == {"REQUEST": 1}
    # an actor the store does not know still gets a node, named by its id
    assert graph.nodes["UNSEEN"].name == "UNSEEN"
    assert graph.nodes["OST_ARMY"].kind == "military"


def test_series_actor_graph_skips_an_actor_acting_on_itself():
    events = [_event("self", "COERCE", date(2024, 4, 1), ["OST_ARMY"], ["OST_ARMY"])]
    assert actor_graph(events, ACTORS).edges == []
