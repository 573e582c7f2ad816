"""report.charts: each chart is well-formed SVG with a title, axis labels and a legend, draws what
its data says, and shows untrusted labels as text."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from importlib import resources

import pytest

from khabar.models import Actor, Corroboration, DateRef, Event, EventLocation, Toll
from khabar.report import charts
from khabar.report.series import SeriesPoint, actor_graph

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>" onmouseover="alert(2)'


def _event(event_id: str, kind: str, day: date | None, **fields) -> Event:
    return Event(
        id=event_id,
        type=kind,
        title=fields.pop("title", event_id),
        date=DateRef(text=None, start=day, end=day, precision="day" if day else "none"),
        status="reported",
        mentions=[],
        articles=[],
        corroboration=Corroboration(articles=1, outlets=1),
        **fields,
    )


def _place(name: str, lat: float, lon: float, country: str = "SD") -> EventLocation:
    return EventLocation(name=name, country=country, lat=lat, lon=lon)


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def _rects(root: ET.Element, fill: str) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("fill") == fill and r.find(f"{SVG}title") is not None]


def test_charts_events_per_day_stacks_one_bar_segment_per_type_and_day():
    events = [
        _event("a", "ASSAULT", date(2024, 1, 1)),
        _event("b", "ASSAULT", date(2024, 1, 1)),
        _event("c", "ACCUSE", date(2024, 1, 1)),
        _event("d", "ASSAULT", date(2024, 1, 3)),
        _event("undated", "FIGHT", None),
    ]
    root = _parse(charts.events_per_day(events))
    assert root.find(f"{SVG}title").text == "Events per day, by type"
    assert {"Events", "Day", "1 Jan", "2 Jan", "3 Jan", "ASSAULT", "ACCUSE"} <= set(_texts(root))
    # whole-number ticks up to the busiest day (three events): no half events
    assert {"0", "1", "2", "3"} <= set(_texts(root)) and "0.5" not in _texts(root)
    assert "FIGHT" not in _texts(root)  # undated events have no day to stand on
    assault = _rects(root, charts.PALETTE[0])
    accuse = _rects(root, charts.PALETTE[1])
    assert len(assault) == 2 and len(accuse) == 1
    heights = sorted(float(r.get("height")) for r in assault)
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)  # two assaults on day one, one on day three
    assert float(accuse[0].get("height")) == pytest.approx(heights[0], abs=0.2)


def test_charts_killed_per_day_draws_the_range_from_low_to_high():
    events = [
        _event("a", "ASSAULT", date(2024, 1, 1), killed=Toll(low=4, high=10, best=6)),
        _event("b", "ASSAULT", date(2024, 1, 1), killed=Toll(low=1, high=None)),
        _event("c", "ASSAULT", date(2024, 1, 2), killed=None),
    ]
    root = _parse(charts.killed_per_day(events))
    tips = [t.text for t in root.iter(f"{SVG}title")]
    # an open toll ("at least one") reaches up to its best guess, which is its low
    assert "2024-01-01: 7 killed (range 5–11)" in tips
    band = root.find(f"{SVG}polygon")
    assert band is not None and len(band.get("points").split()) == 2
    assert {"People killed", "Day", "low–high range", "best estimate"} <= set(_texts(root))


def test_charts_killed_range_reads_partial_tolls():
    assert charts.killed_range(_event("x", "ASSAULT", None, killed=Toll(low=3, high=None))) == (3, 3, 3)
    assert charts.killed_range(_event("x", "ASSAULT", None, killed=Toll(None, None, best=5))) == (5, 5, 5)
    assert charts.killed_range(_event("x", "ASSAULT", None, killed=Toll(None, None))) is None


def test_charts_map_puts_east_right_and_north_up_over_country_outlines():
    events = [
        _event("west", "ASSAULT", None, location=_place("Geneina", 13.45, 22.44)),
        _event("east", "AGREE", None, location=_place("Port Sudan", 19.6, 37.2)),
        _event("nowhere", "ASSAULT", None),
    ]
    root = _parse(charts.event_map(events))
    dots = [c for c in root.iter(f"{SVG}circle")]
    assert len(dots) == 2
    west, east = dots
    assert float(east.get("cx")) > float(west.get("cx"))
    assert float(east.get("cy")) < float(west.get("cy"))  # Port Sudan lies north of Geneina
    assert west.get("fill") == charts.CONFLICT and east.get("fill") == charts.COOPERATION
    countries = [
        p.find(f"{SVG}title").text for p in root.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None
    ]
    assert {"Sudan", "Chad", "Egypt"} <= set(countries)
    assert {"Longitude", "Latitude", "SUDAN", "Geneina", "Port Sudan"} <= set(_texts(root))


def test_charts_map_outlines_ship_offline_with_iso_codes():
    text = resources.files("khabar").joinpath(charts.OUTLINES).read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) > 150
    codes = {f["properties"]["iso_a2"] for f in doc["features"]}
    assert {"SD", "AF", "PK", "BR", "UA"} <= codes


def test_charts_network_colours_edges_by_conflict_and_cooperation():
    actors = [
        Actor(id="A", name="Army of A", kind="military"),
        Actor(id="B", name="B Government", kind="government"),
    ]
    events = [
        _event("attack", "ASSAULT", None, actors=["A"], recipients=["B"]),
        _event("aid", "AID", None, actors=["B"], recipients=["A"]),
        _event("note", "STATEMENT", None, actors=["B"], recipients=["C"]),
    ]
    root = _parse(charts.actor_network(actor_graph(events, actors)))
    colours = {
        line.find(f"{SVG}title").text.split(":")[0]: line.get("stroke") for line in root.iter(f"{SVG}line")
    }
    assert colours == {"A → B": charts.CONFLICT, "B → A": charts.COOPERATION, "B → C": charts.NEUTRAL}
    assert {"Army of A", "B Government", "C", "conflict", "cooperation"} <= set(_texts(root))


def test_charts_network_cuts_long_names_but_keeps_them_in_the_tooltip():
    name = "The Extraordinarily Long Named Coalition of Northern Armed Groups"
    actors = [Actor(id="L", name=name, kind="rebel")]
    root = _parse(charts.actor_network(actor_graph([_event("x", "FIGHT", None, actors=["L", "M"])], actors)))
    labels = _texts(root)
    assert name not in labels and any(label.endswith("…") for label in labels)
    assert f"{name} (rebel)" in [t.text for t in root.iter(f"{SVG}title")]


def test_charts_escape_labels_from_articles():
    actors = [Actor(id="X", name=HOSTILE, kind="rebel")]
    events = [
        _event("x", "ASSAULT", date(2024, 1, 1), actors=["X"], recipients=["Y"], title=HOSTILE),
        _event("y", HOSTILE, date(2024, 1, 1), location=_place(HOSTILE, 10, 10)),
    ]
    for svg in (
        charts.events_per_day(events),
        charts.event_map(events),
        charts.actor_network(actor_graph(events, actors)),
    ):
        root = _parse(svg)
        assert not [e for e in root.iter() if e.tag.endswith("script")]
        assert not [e for e in root.iter() if any(a.startswith("on") for a in e.attrib)]
        assert not re.search(r'<script|onmouseover="', svg)
        assert any(
            HOSTILE[:20] in (t or "") for t in _texts(root) + [e.text for e in root.iter(f"{SVG}title")]
        )


def test_charts_dyad_chart_marks_conflict_below_zero():
    points = [
        SeriesPoint(date(2024, 1, 1), 2, -19.0),
        SeriesPoint(date(2024, 1, 2), 0, 0.0),
        SeriesPoint(date(2024, 1, 3), 1, 9.0),
    ]
    root = _parse(charts.dyad_chart(points, a="PAK", b="AFG"))
    assert root.find(f"{SVG}title").text == "Conflict and cooperation between PAK and AFG"
    dots = list(root.iter(f"{SVG}circle"))
    assert [d.get("fill") for d in dots] == [charts.CONFLICT, charts.NEUTRAL, charts.COOPERATION]
    zero = float(next(line for line in root.iter(f"{SVG}line") if line.get("class") == "zero").get("y1"))
    assert float(dots[0].get("cy")) > zero > float(dots[2].get("cy"))
    assert {"Goldstein sum", "Day", "0"} <= set(_texts(root))


def test_charts_without_data_say_so_under_their_title():
    for name, svg in {
        "Events per day, by type": charts.events_per_day([]),
        "People killed per day": charts.killed_per_day([_event("x", "ASSAULT", date(2024, 1, 1))]),
        "Where the events happened": charts.event_map([]),
        "Who acted on whom": charts.actor_network(actor_graph([], [])),
    }.items():
        root = _parse(svg)
        assert root.find(f"{SVG}title").text == name
        assert "No data for this chart." in _texts(root)
