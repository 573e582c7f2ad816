"""formats: the stored record -> the files other tools read (`khabar export --format NAME`).

Store (after resolve and assess) -> one registered exporter -> text: `json` (the khabar/v1
document of `report.exports`), `jsonl` (the same objects one per line, each tagged with its kind),
`acled-csv` (ACLED's columns and vocabulary, from report/templates/acled.yaml), `geojson` (located
events for QGIS and web maps), `graphml` and `gexf` (the actor graph of `report.series` for
networkx and Gephi). `export(store, fmt)` picks one; `register_exporter` adds one.

Decisions:
- ACLED has no undated events and codes no statements: only events with an ACLED type and a date
  become rows, one per actor pair. An event's deaths (the low estimate) are counted on its first
  row only, so summing the column counts each event once; the toll range and any dispute are in
  `notes`. A text cell that a spreadsheet would run as a formula (= + - @) gets a leading
  apostrophe.
- XML is written by xml.etree, which escapes markup; characters XML 1.0 forbids are dropped.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from importlib import resources
from typing import Any

import pycountry
import yaml

from ..errors import ExportError
from ..models import Acled, Actor, Contradiction, Event, EventLocation
from ..store.repository import Store
from .exports import export_document
from .series import ActorGraph, actor_graph

__all__ = ["EXPORTERS", "acled_rows", "export", "register_exporter", "spreadsheet_safe"]

Exporter = Callable[[Store], str | bytes]
#: every registered exporter by format name
EXPORTERS: dict[str, Exporter] = {}
#: the kinds of object a JSON Lines export holds, with the document's key for each
JSONL_KINDS = (
    ("article", "articles"),
    ("mention", "mentions"),
    ("event", "events"),
    ("contradiction", "contradictions"),
    ("actor", "actors"),
    ("place", "places"),
)
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def register_exporter(name: str) -> Callable[[Exporter], Exporter]:
    """Register a function `(store) -> str | bytes` as the exporter of a format name."""

    def register(exporter: Exporter) -> Exporter:
        if name in EXPORTERS:
            raise ExportError(f"an exporter is already registered under {name!r}", source=name)
        EXPORTERS[name] = exporter
        return exporter

    return register


def export(store: Store, fmt: str) -> str | bytes:
    """The stored record in one format.

    store (Store): the database to export.
    fmt (str): a registered format name: json, jsonl, acled-csv, geojson, graphml, gexf.
    RETURNS (str | bytes): the file's content.
    RAISES ExportError: no exporter is registered under that name.
    """
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        known = ", ".join(sorted(EXPORTERS))
        raise ExportError(f"unknown format (known: {known})", source=fmt)
    return exporter(store)


@register_exporter("json")
def _json(store: Store) -> str:
    return json.dumps(export_document(store), ensure_ascii=False, indent=2) + "\n"


@register_exporter("jsonl")
def _jsonl(store: Store) -> str:
    """A first line {"kind": "document", schema, generated_at}, then {"kind": ..., "data": ...}
    per object: the object is nested because contradictions and actors have a `kind` of their own."""
    doc = export_document(store)
    lines = [{"kind": "document", "schema": doc["schema"], "generated_at": doc["generated_at"]}]
    lines += [{"kind": kind, "data": item} for kind, key in JSONL_KINDS for item in doc[key]]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


# ---- ACLED ---------------------------------------------------------------------------------------


@functools.cache
def _acled() -> dict[str, Any]:
    text = resources.files("khabar").joinpath("report/templates/acled.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _inter(actor_id: str | None, actors: dict[str, Actor]) -> int:
    vocabulary = _acled()
    actor = actors.get(actor_id or "")
    seen: set[str] = set()
    while actor is not None and actor.acled_inter is None and actor.kind == "person" and actor.parent:
        seen.add(actor.id)
        parent = actors.get(actor.parent)
        if parent is None or parent.id in seen:
            break
        actor = parent
    if actor is None:
        return vocabulary["unknown_actor_inter"] if actor_id is None else vocabulary["inter_by_kind"]["other"]
    return actor.acled_inter or vocabulary["inter_by_kind"].get(
        actor.kind, vocabulary["inter_by_kind"]["other"]
    )


def _pairs(event: Event) -> list[tuple[str | None, str | None]]:
    """actor -> recipient pairs; an event with no recipient pairs its actors with each other."""
    if event.recipients:
        doers: list[str | None] = list(event.actors) or [None]
        return [(a, r) for a in doers for r in event.recipients if a != r]
    ordered = list(dict.fromkeys(event.actors))
    pairs: list[tuple[str | None, str | None]] = [
        (a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]
    ]
    return pairs or [(ordered[0] if ordered else None, None)]


def _country_fields(code: str | None) -> dict[str, Any]:
    found = pycountry.countries.get(alpha_2=code) if code else None
    if found is None:
        return {"iso": "", "country": code or "", "iso3": "XXX"}
    name = getattr(found, "common_name", None) or found.name
    return {"iso": int(found.numeric), "country": name, "iso3": found.alpha_3}


def _notes(event: Event, disputes: list[Contradiction], *, row: int) -> str:
    parts = [event.title.rstrip(".") + "."]
    if event.killed and (event.killed.low, event.killed.best, event.killed.high) != (None, None, None):
        toll = event.killed
        parts.append(f"Reported deaths: low {toll.low}, best {toll.best}, high {toll.high}.")
    parts += [f"Disputed ({c.kind}): {c.explanation}" for c in disputes]
    if row > 1:
        parts.append("Fatalities are counted on the event's first row.")
    return " ".join(parts)


def acled_rows(store: Store) -> list[dict[str, Any]]:
    """The ACLED-style rows of the stored events, one per event and actor pair.

    store (Store): the database to read.
    RETURNS (list[dict]): rows keyed by ACLED's column names (acled.yaml `columns`).
    """
    vocabulary = _acled()
    actors = {actor.id: actor for actor in store.actors()}
    # a file's name, not its path: the path is where it happened to be read from
    outlets = {a.id: a.outlet or a.title or a.source.rstrip("/").rsplit("/", 1)[-1] for a in store.articles()}
    disputes: dict[str, list[Contradiction]] = {}
    for contradiction in store.contradictions():
        disputes.setdefault(contradiction.about_event or "", []).append(contradiction)
    stamp = int(datetime.now(UTC).timestamp())
    rows = []
    for event in store.events():
        if event.acled is None or event.date.start is None:
            continue
        pairs = _pairs(event)
        for number, pair in enumerate(pairs, start=1):
            row = _acled_row(event, event.acled, event.date.start, pair, actors=actors, vocabulary=vocabulary)
            row["event_id_cnty"] += f"-{number}" if len(pairs) > 1 else ""
            row["source"] = "; ".join(sorted({outlets.get(a, a) for a in event.articles}))
            row["notes"] = _notes(event, disputes.get(event.id, []), row=number)
            row["fatalities"] = (
                (event.killed.low or event.killed.best or 0) if event.killed and number == 1 else 0
            )
            row["timestamp"] = stamp
            rows.append(row)
    return rows


def _acled_row(
    event: Event,
    acled: Acled,
    day: date,
    pair: tuple[str | None, str | None],
    *,
    actors: dict[str, Actor],
    vocabulary: dict[str, Any],
) -> dict[str, Any]:
    place = event.location
    actor1, actor2 = pair
    country = _country_fields(place.country if place else None)
    inter1, inter2 = _inter(actor1, actors), _inter(actor2, actors) if actor2 else 0
    unknown = vocabulary["unknown_actor"].format(country=country["country"] or "unknown")
    disorder = vocabulary["disorder_by_sub_event"].get(acled.sub_event_type)
    disorder = disorder or vocabulary["disorder_by_event_type"].get(acled.event_type, "")
    targets_civilians = disorder == "Political violence" and inter2 == vocabulary["civilian_inter"]
    return {
        "event_id_cnty": f"{country['iso3']}-{event.id}",
        "event_date": day.isoformat(),
        "year": day.year,
        "time_precision": event.acled_time_precision
        or vocabulary["time_precision"].get(event.date.precision, 3),
        "disorder_type": disorder,
        "event_type": acled.event_type,
        "sub_event_type": acled.sub_event_type,
        "actor1": _actor_name(actor1, actors) or unknown,
        "assoc_actor_1": "",
        "inter1": inter1,
        "actor2": _actor_name(actor2, actors),
        "assoc_actor_2": "",
        "inter2": inter2 or "",
        "interaction": int(f"{min(inter1, inter2 or inter1)}{max(inter1, inter2)}")
        if inter2
        else inter1 * 10,
        "civilian_targeting": vocabulary["civilian_targeting"] if targets_civilians else "",
        "iso": country["iso"],
        "region": "",
        "country": country["country"],
        "admin1": (place.admin1 if place else None) or "",
        "admin2": "",
        "admin3": "",
        "location": place.name if place else "",
        "latitude": f"{place.lat:.4f}" if place and place.lat is not None else "",
        "longitude": f"{place.lon:.4f}" if place and place.lon is not None else "",
        "geo_precision": (place.acled_geo_precision if place else None) or "",
        "source_scale": "",
        "tags": f"khabar status={event.status}; articles={event.corroboration.articles}",
    }


def _actor_name(actor_id: str | None, actors: dict[str, Actor]) -> str:
    if actor_id is None:
        return ""
    return actors[actor_id].name if actor_id in actors else actor_id


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (= + - @) with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


@register_exporter("acled-csv")
def _acled_csv(store: Store) -> str:
    columns = _acled()["columns"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    numeric = {"latitude", "longitude"}
    for row in acled_rows(store):
        writer.writerow({k: v if k in numeric else spreadsheet_safe(v) for k, v in row.items()})
    return out.getvalue()


# ---- GeoJSON -------------------------------------------------------------------------------------


@register_exporter("geojson")
def _geojson(store: Store) -> str:
    """RFC 7946: a FeatureCollection of Points at [longitude, latitude], flat properties."""
    names = {actor.id: actor.name for actor in store.actors()}
    features = [_feature(e, e.location, names) for e in store.events() if e.location and _located(e.location)]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n"


def _located(place: EventLocation) -> bool:
    return place.lat is not None and place.lon is not None


def _feature(event: Event, place: EventLocation, names: dict[str, str]) -> dict[str, Any]:
    killed, injured = event.killed, event.injured
    properties = {
        "id": event.id,
        "title": event.title,
        "type": event.type,
        "mode": event.mode,
        "status": event.status,
        "date": event.date.start.isoformat() if event.date.start else None,
        "date_end": event.date.end.isoformat() if event.date.end else None,
        "date_precision": event.date.precision,
        "acled_event_type": event.acled.event_type if event.acled else None,
        "acled_sub_event_type": event.acled.sub_event_type if event.acled else None,
        "place": place.name,
        "place_id": place.place,
        "admin1": place.admin1,
        "country": place.country,
        "geo_precision": place.acled_geo_precision,
        "actors": "; ".join(names.get(a, a) for a in event.actors),
        "recipients": "; ".join(names.get(r, r) for r in event.recipients),
        "killed_low": killed.low if killed else None,
        "killed_best": killed.best if killed else None,
        "killed_high": killed.high if killed else None,
        "injured_low": injured.low if injured else None,
        "injured_high": injured.high if injured else None,
        "articles": event.corroboration.articles,
        "outlets": event.corroboration.outlets,
        "sources": "; ".join(event.articles),
        "contradictions": len(event.contradictions),
    }
    geometry = {"type": "Point", "coordinates": [place.lon, place.lat]}
    return {"type": "Feature", "id": event.id, "geometry": geometry, "properties": properties}


# ---- actor graph ---------------------------------------------------------------------------------


def _xml(value: Any) -> str:
    return _NOT_XML.sub("", str(value))


def _graph(store: Store) -> ActorGraph:
    return actor_graph(store.events(), store.actors())


def _serialise(root: ET.Element) -> str:
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


@register_exporter("graphml")
def _graphml(store: Store) -> str:
    """GraphML: actors (name, kind, country) and directed edges (events, types, goldstein, weight)."""
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    keys = [
        ("name", "node", "string"),
        ("kind", "node", "string"),
        ("country", "node", "string"),
        ("events", "edge", "int"),
        ("types", "edge", "string"),
        ("goldstein", "edge", "double"),
        ("weight", "edge", "double"),
    ]
    for name, target, kind in keys:
        attrs = {"id": name, "for": target, "attr.name": name, "attr.type": kind}
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", attrs)
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "khabar-actors", "edgedefault": "directed"})
    actors = _graph(store)
    for actor in actors.nodes.values():
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": _xml(actor.id)})
        _graphml_data(node, {"name": actor.name, "kind": actor.kind, "country": actor.country})
    for number, edge in enumerate(actors.edges):
        attrs = {"id": f"e{number}", "source": _xml(edge.source), "target": _xml(edge.target)}
        element = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", attrs)
        values = {"events": edge.events, "types": _types(edge.types), "goldstein": edge.goldstein_sum}
        _graphml_data(element, values | {"weight": edge.events})
    return _serialise(root)


def _graphml_data(element: ET.Element, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if value is not None:
            ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": key}).text = _xml(value)


def _types(types: Counter[str]) -> str:
    """ "ACCUSE:2;ASSAULT:1": each event type on the edge with its count."""
    return ";".join(f"{t}:{n}" for t, n in sorted(types.items()))


@register_exporter("gexf")
def _gexf(store: Store) -> str:
    """GEXF 1.2: actors with kind and country, directed edges weighted by their event count."""
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.2"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta")
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "khabar"
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = "who acted on whom"
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph", {"mode": "static", "defaultedgetype": "directed"})
    _gexf_attributes(graph, "node", [("kind", "string"), ("country", "string")])
    _gexf_attributes(graph, "edge", [("events", "integer"), ("types", "string"), ("goldstein", "double")])
    actors = _graph(store)
    nodes = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for actor in actors.nodes.values():
        node = ET.SubElement(nodes, f"{{{GEXF_NS}}}node", {"id": _xml(actor.id), "label": _xml(actor.name)})
        _gexf_values(node, {"kind": actor.kind, "country": actor.country})
    edges = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for number, edge in enumerate(actors.edges):
        attrs = {"id": str(number), "source": _xml(edge.source), "target": _xml(edge.target)}
        element = ET.SubElement(edges, f"{{{GEXF_NS}}}edge", attrs | {"weight": str(edge.events)})
        values = {"events": edge.events, "types": _types(edge.types), "goldstein": edge.goldstein_sum}
        _gexf_values(element, values)
    return _serialise(root)


def _gexf_attributes(graph: ET.Element, target: str, attributes: list[tuple[str, str]]) -> None:
    block = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": target})
    for name, kind in attributes:
        ET.SubElement(block, f"{{{GEXF_NS}}}attribute", {"id": name, "title": name, "type": kind})


def _gexf_values(element: ET.Element, values: dict[str, Any]) -> None:
    present = {k: v for k, v in values.items() if v is not None}
    if present:
        block = ET.SubElement(element, f"{{{GEXF_NS}}}attvalues")
        for key, value in present.items():
            ET.SubElement(block, f"{{{GEXF_NS}}}attvalue", {"for": key, "value": _xml(value)})
