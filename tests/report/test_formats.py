"""report.formats: every export reads back with its ecosystem's reader (json, csv, xml.etree, and
networkx) and holds what the store holds, escaped."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date

import networkx
import pytest

from khabar.errors import ExportError
from khabar.models import (
    Acled,
    Actor,
    Article,
    Contradiction,
    Corroboration,
    DateRef,
    Event,
    EventLocation,
    Extraction,
    Position,
    Resolution,
    Toll,
)
from khabar.report import formats
from khabar.report.exports import export_document
from khabar.report.series import goldstein
from khabar.store.repository import Store

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEXF = "{http://www.gexf.net/1.2draft}"
BATTLE = Acled(event_type="Battles", sub_event_type="Armed clash")
ARRESTS = Acled(event_type="Strategic developments", sub_event_type="Arrests")
SHELLING = Acled(event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack")

#: ACLED's columns, in ACLED's order
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip

ACTORS = [
    Actor(id="ARMY", name="Military Forces of Ostria", kind="military", country="ML"),
    Actor(id="FRONT", name="=Liberation Front <b>", kind="rebel", country="ML", acled_inter=2),
    Actor(id="CIV", name="Civilians (Mali)", kind="civilian", country="ML"),
    Actor(id="SPOKES", name="A. Spokesman", kind="person", parent="ARMY"),
    Actor(id="ODD", name="Bad\x00\x0bName", kind="other"),
]


def _day(day: date | None) -> DateRef:
    return DateRef(text=None, start=day, end=day, precision="day" if day else "none")


def _event(event_id: str, kind: str, day: date | None, **fields) -> Event:
    return Event(
        id=event_id,
        type=kind,
        title=fields.pop("title", f"The {event_id}"),
        date=_day(day),
        status=fields.pop("status", "reported"),
        mentions=[],
        articles=fields.pop("articles", ["a1"]),
        corroboration=Corroboration(articles=1, outlets=1),
        **fields,
    )


MOPTI = EventLocation(name="Mopti", place="P_MOPTI", admin1="Mopti", country="ML", lat=14.49, lon=-4.18)
EVENTS = [
    _event(
        "shelling",
        "ASSAULT",
        date(2024, 5, 2),
        acled=SHELLING,
        acled_time_precision=1,
        location=MOPTI,
        actors=["ARMY"],
        recipients=["CIV", "FRONT"],
        killed=Toll(low=4, high=9, best=6),
        articles=["a1", "a2"],
        status="disputed",
        contradictions=["c1"],
    ),
    _event("clash", "FIGHT", date(2024, 5, 3), acled=BATTLE, actors=["FRONT", "ARMY"], location=MOPTI),
    _event("denial", "REJECT", date(2024, 5, 3), actors=["SPOKES"], recipients=["FRONT", "ODD"]),
    _event("undated raid", "ASSAULT", None, acled=BATTLE, actors=["FRONT"], recipients=["ARMY"]),
    _event("ambush", "ASSAULT", date(2024, 5, 4), acled=BATTLE, recipients=["ARMY", "ODD"]),
    _event("arrest", "COERCE", date(2024, 5, 5), acled=ARRESTS, actors=["SPOKES"], recipients=["FRONT"]),
]
DISPUTE = Contradiction(
    id="c1",
    kind="fatalities",
    about_text="the shelling",
    positions=[Position(value="4", articles=["a1"]), Position(value="9", articles=["a2"])],
    explanation="Sources disagree on the death toll of the shelling: 4 (Sahel Wire) vs 9 (Niger Post).",
    internal=False,
    about_event="shelling",
)


@pytest.fixture
def store() -> Iterator[Store]:
    opened = Store.open(":memory:")
    for article_id, outlet in (("a1", "Sahel Wire"), ("a2", "Niger Post")):
        article = Article(id=article_id, source=f"{article_id}.txt", text="Invented.", outlet=outlet)
        opened.add_article(article, extraction=Extraction(article=article_id, actors=ACTORS))
    opened.save_resolution(Resolution(events=EVENTS, contradictions=[DISPUTE]))
    yield opened
    opened.close()


def test_formats_unknown_format_raises_export_error_listing_the_known_ones(store):
    with pytest.raises(ExportError, match=r"xlsx.*acled-csv, geojson, gexf, graphml, json, jsonl"):
        formats.export(store, "xlsx")


def test_formats_register_exporter_adds_a_format_and_refuses_a_taken_name(store):
    @formats.register_exporter("test-count")
    def count(opened: Store) -> str:
        return str(len(opened.events()))

    try:
        assert formats.export(store, "test-count") == str(len(EVENTS))
        with pytest.raises(ExportError, match="already registered"):
            formats.register_exporter("test-count")(count)
    finally:
        del formats.EXPORTERS["test-count"]


def test_formats_json_is_the_khabar_document(store):
    exported = json.loads(formats.export(store, "json"))
    expected = export_document(store)
    assert exported["schema"] == "khabar/v1"
    assert {k: v for k, v in exported.items() if k != "generated_at"} == {
        k: v for k, v in expected.items() if k != "generated_at"
    }


def test_formats_jsonl_holds_one_tagged_object_per_line(store):
    lines = [json.loads(line) for line in formats.export(store, "jsonl").splitlines()]
    assert lines[0]["kind"] == "document" and lines[0]["schema"] == "khabar/v1"
    kinds = [line["kind"] for line in lines[1:]]
    document = export_document(store)
    for kind, key in formats.JSONL_KINDS:
        assert kinds.count(kind) == len(document[key])
    # a contradiction keeps its own kind inside the tagged line
    contradiction = next(line["data"] for line in lines if line["kind"] == "contradiction")
    assert contradiction["kind"] == "fatalities"


def _acled(store: Store) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(formats.export(store, "acled-csv")))
    assert reader.fieldnames == ACLED_COLUMNS
    return list(reader)


def test_formats_acled_csv_has_acled_columns_and_vocabulary(store):
    rows = _acled(store)
    shelling = [r for r in rows if "shelling" in r["event_id_cnty"]]
    assert [r["actor2"] for r in shelling] == ["Civilians (Mali)", "'=Liberation Front <b>"]
    first = shelling[0]
    assert first["event_id_cnty"] == "MLI-shelling-1"
    assert (first["event_date"], first["year"], first["time_precision"]) == ("2024-05-02", "2024", "1")
    assert first["disorder_type"] == "Political violence"
    assert (first["event_type"], first["sub_event_type"]) == (SHELLING.event_type, SHELLING.sub_event_type)
    assert (first["actor1"], first["inter1"], first["inter2"], first["interaction"]) == (
        "Military Forces of Ostria",
        "1",
        "7",
        "17",
    )
    assert first["civilian_targeting"] == "Civilian targeting"
    assert shelling[1]["interaction"] == "12" and shelling[1]["civilian_targeting"] == ""
    assert (first["iso"], first["country"], first["admin1"], first["location"]) == (
        "466",
        "Mali",
        "Mopti",
        "Mopti",
    )
    assert (float(first["latitude"]), float(first["longitude"])) == (14.49, -4.18)
    assert first["source"] == "Niger Post; Sahel Wire"


def test_formats_acled_counts_fatalities_once_as_the_low_estimate_with_the_dispute_in_notes(store):
    shelling = [r for r in _acled(store) if "shelling" in r["event_id_cnty"]]
    assert [int(r["fatalities"]) for r in shelling] == [4, 0]
    assert "low 4, best 6, high 9" in shelling[0]["notes"]
    assert "Disputed (fatalities): Sources disagree" in shelling[0]["notes"]
    assert "first row" in shelling[1]["notes"]


def test_formats_acled_pairs_clash_parties_and_names_unknown_perpetrators(store):
    rows = {r["event_id_cnty"]: r for r in _acled(store)}
    clash = rows["MLI-clash"]
    assert (clash["actor1"], clash["actor2"], clash["interaction"]) == (
        "'=Liberation Front <b>",
        "Military Forces of Ostria",
        "12",
    )
    ambush = rows["XXX-ambush-1"]  # no place: no country to name
    assert ambush["actor1"] == "Unidentified Armed Group (unknown)" and ambush["inter1"] == "3"


def test_formats_acled_leaves_out_statements_and_undated_events(store):
    ids = " ".join(r["event_id_cnty"] for r in _acled(store))
    assert "denial" not in ids and "undated" not in ids


def test_formats_acled_person_takes_the_code_of_what_it_belongs_to(store):
    arrest = next(r for r in _acled(store) if "arrest" in r["event_id_cnty"])
    assert (arrest["actor1"], arrest["inter1"]) == ("A. Spokesman", "1")
    assert arrest["disorder_type"] == "Strategic developments"


def test_formats_geojson_is_a_feature_collection_of_lon_lat_points(store):
    doc = json.loads(formats.export(store, "geojson"))
    assert doc["type"] == "FeatureCollection"
    features = {f["id"]: f for f in doc["features"]}
    assert set(features) == {"shelling", "clash"}  # the others have no coordinates
    shelling = features["shelling"]
    assert shelling["type"] == "Feature"
    assert shelling["geometry"] == {"type": "Point", "coordinates": [-4.18, 14.49]}
    properties = shelling["properties"]
    assert (properties["killed_low"], properties["killed_best"], properties["killed_high"]) == (4, 6, 9)
    assert properties["recipients"] == "Civilians (Mali); =Liberation Front <b>"
    assert properties["date"] == "2024-05-02" and properties["status"] == "disputed"
    assert all(not isinstance(v, dict | list) for f in doc["features"] for v in f["properties"].values())


def _edges(root: ET.Element, ns: str) -> dict[tuple[str, str], ET.Element]:
    return {(e.get("source"), e.get("target")): e for e in root.iter(f"{ns}edge")}


def test_formats_graphml_holds_actors_and_their_edges(store):
    root = ET.fromstring(formats.export(store, "graphml"))
    keys = {k.get("id"): (k.get("for"), k.get("attr.type")) for k in root.iter(f"{GRAPHML}key")}
    assert keys["goldstein"] == ("edge", "double") and keys["kind"] == ("node", "string")
    nodes = {n.get("id"): {d.get("key"): d.text for d in n} for n in root.iter(f"{GRAPHML}node")}
    assert nodes["FRONT"] == {"name": "=Liberation Front <b>", "kind": "rebel", "country": "ML"}
    assert nodes["ODD"]["name"] == "BadName"  # characters XML cannot hold are dropped
    edge = _edges(root, GRAPHML)[("ARMY", "FRONT")]
    data = {d.get("key"): d.text for d in edge}
    # the shelling, and the clash, which pairs its two parties
    assert data["events"] == "2" and data["types"] == "ASSAULT:1;FIGHT:1"
    assert float(data["goldstein"]) == goldstein("ASSAULT") + goldstein("FIGHT")
    assert ("SPOKES", "FRONT") in _edges(root, GRAPHML)


def test_formats_gexf_holds_weighted_edges_and_escaped_labels(store):
    text = formats.export(store, "gexf")
    assert "<b>" not in text  # the label's markup is escaped
    root = ET.fromstring(text)
    assert root.get("version") == "1.2"
    labels = {n.get("id"): n.get("label") for n in root.iter(f"{GEXF}node")}
    assert labels["FRONT"] == "=Liberation Front <b>"
    assert labels["ODD"] == "BadName"
    edge = _edges(root, GEXF)[("ARMY", "FRONT")]
    assert edge.get("weight") == "2"  # the shelling and the clash
    values = {v.get("for"): v.get("value") for v in edge.iter(f"{GEXF}attvalue")}
    assert values["types"] == "ASSAULT:1;FIGHT:1"


def test_formats_graphml_reads_back_with_networkx(store):
    graph = networkx.read_graphml(io.BytesIO(formats.export(store, "graphml").encode()))
    assert graph.is_directed()
    assert graph.nodes["FRONT"]["name"] == "=Liberation Front <b>"
    assert graph.edges["ARMY", "FRONT"]["events"] == 2
    assert graph.edges["ARMY", "FRONT"]["goldstein"] == goldstein("ASSAULT") + goldstein("FIGHT")


def test_formats_gexf_reads_back_with_networkx(store):
    graph = networkx.read_gexf(io.BytesIO(formats.export(store, "gexf").encode()))
    assert graph.nodes["ARMY"]["label"] == "Military Forces of Ostria"
    assert graph.nodes["ARMY"]["kind"] == "military"
    assert graph.edges["ARMY", "FRONT"]["weight"] == 2
