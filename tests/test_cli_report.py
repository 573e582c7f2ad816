"""The analyst's commands end to end on the seed corpus, run once through the real pipeline: the
brief names the seeds' key events and contradictions with their sources, the PDF renders, the
tables show what the store holds, and every export reads back with its ecosystem's reader."""

from __future__ import annotations

import io
import json
import re
import tempfile
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import networkx
import pandas
import pypdfium2
import pytest
from typer.testing import CliRunner

from khabar import pipeline
from khabar.cli import app
from khabar.report.brief import Brief, EventLine, brief
from khabar.report.exports import validate_document
from khabar.report.series import actor_graph, dyad_series
from khabar.report.views import EVENT_COLUMNS
from khabar.store.repository import Store

pytestmark = pytest.mark.slow

WIDE = {"COLUMNS": "2000"}  # rich wraps table cells to the terminal; a wide one keeps lines whole
ACLED_CORE = {
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "inter1",
    "actor2",
    "inter2",
    "interaction",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
}
KABUL = "After the Orakzai attack, Pakistan conducted airstrikes in Kabul on 9th October"
DERA = "a new terrorist attack on 11th October on a Police Training Center in Dera Ismail Khan"
CLASHES = "On the night of Oct 11, clashes between Pakistan and Afghan border security forces also erupted."
CEASEFIRE = "the fragile ceasefire agreement of October 15"


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of the five seed articles, filled once by the real pipeline."""
    folder = tmp_path_factory.mktemp("seeds")
    samples = folder / "samples"
    samples.mkdir()
    for sample in resources.files("khabar").joinpath("samples").iterdir():
        if sample.name.endswith(".txt"):
            samples.joinpath(sample.name).write_bytes(sample.read_bytes())
    path = folder / "seeds.db"
    with Store.open(str(path)) as store:
        pipeline.run([str(samples)], store=store)
    return str(path)


@pytest.fixture(scope="session")
def seed_brief(seeded: str) -> Brief:
    with Store.open(seeded) as store:
        return brief(store)


def _run(runner: CliRunner, *args: str, db: str, code: int = 0) -> str:
    result = runner.invoke(app, [*args, "--db", db], env=WIDE)
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.output


# ---- the brief of the seeds ----------------------------------------------------------------------


def _development(report: Brief, when: str, words: str, *, place: str | None = None) -> EventLine:
    found = [
        line
        for line in report.key_developments
        if line.when == when
        and words in line.title.lower()
        and (place is None or (line.place or "").startswith(place))
    ]
    assert len(found) == 1, f"{when} {words}: {[(x.when, x.title) for x in report.key_developments]}"
    return found[0]


def _quotes(report: Brief, numbers: list[int]) -> list[str]:
    by_number = {c.number: c for c in report.citations}
    return [by_number[n].quote for n in numbers]


@pytest.mark.parametrize(
    ("when", "words", "place", "quote"),
    [
        ("9 Oct 2025", "airstrike", "Kabul", KABUL),
        ("11 Oct 2025", "attack", "Dera Ismail Khan", DERA),
        ("11 Oct 2025", "clash", None, CLASHES),
        ("15 Oct 2025", "ceasefire", None, CEASEFIRE),
    ],
)
def test_cli_report_seed_brief_names_each_key_event_with_its_sources(seed_brief, when, words, place, quote):
    line = _development(seed_brief, when, words, place=place)
    assert line.outlets and line.cites
    assert any(quote in text for text in _quotes(seed_brief, line.cites))
    by_number = {c.number: c for c in seed_brief.citations}
    event = next(e for e in seed_brief.events if e.id == line.event)
    assert {by_number[n].article for n in line.cites} <= set(event.articles)


def test_cli_report_seed_brief_gives_the_dera_ismail_khan_toll(seed_brief):
    line = _development(seed_brief, "11 Oct 2025", "attack", place="Dera Ismail Khan")
    assert line.toll == "6 killed, 13 injured"
    casualties = next(c for c in seed_brief.casualties if c.event.event == line.event)
    assert any("6 killed, 13 injured" in claim.text for claim in casualties.claims)


def test_cli_report_seed_brief_states_each_contradiction_with_both_sides_sources(seeded, seed_brief):
    with Store.open(seeded) as store:
        assert len(seed_brief.disagreements) == len(store.contradictions()) > 0
    for disagreement in seed_brief.disagreements:
        assert disagreement.explanation and len(disagreement.positions) >= 2
        assert all(position.cites and " — " in position.text for position in disagreement.positions)
    kabul = [d for d in seed_brief.disagreements if d.kind == "responsibility" and "Kabul" in d.explanation]
    assert kabul, [d.explanation for d in seed_brief.disagreements]
    cited = {c.number: c.article for c in seed_brief.citations}
    assert len({cited[n] for p in kabul[0].positions for n in p.cites}) == 2  # two articles disagree


def test_cli_report_brief_markdown_cites_the_sentence_each_line_rests_on(runner, seeded, seed_brief):
    text = _run(runner, "brief", db=seeded)
    developments = text.split("## Key developments")[1].split("## Timeline")[0]
    line = _development(seed_brief, "9 Oct 2025", "airstrike", place="Kabul")
    kabul = next(row for row in developments.splitlines() if row.startswith("- 9 Oct 2025 · Kabul"))
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", kabul)]
    assert numbers == line.cites
    sources = text.split("## Sources")[1]
    cited = {int(m[1]): m[2] for m in re.finditer(r"^- \[(\d+)\] “(.*?)”", sources, re.MULTILINE)}
    assert any(KABUL in cited[n] for n in numbers)
    disagree = text.split("## Where the sources disagree")[1].split("## Statements")[0]
    assert disagree.count("\n- ") == len(seed_brief.disagreements)
    assert "6 killed, 13 injured" in developments


def test_cli_report_brief_html_is_one_self_contained_page_linking_each_citation(runner, seeded, tmp_path):
    out = tmp_path / "brief.html"
    _run(runner, "brief", "--format", "html", "-o", str(out), db=seeded)
    page = out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 4 and "<script" not in page
    assert not re.search(r"""(?:src|@import|url\()\s*=?\s*["']?https?:""", page)  # nothing fetched
    links = set(re.findall(r'href="#(a-[^"]+)"', page))
    ids = set(re.findall(r'id="(a-[^"]+)"', page))
    assert links and links <= ids
    assert "Dera Ismail Khan" in page


def test_cli_report_brief_pdf_first_page_is_not_blank(runner, seeded, tmp_path):
    out = tmp_path / "brief.pdf"
    _run(runner, "brief", "--format", "pdf", "-o", str(out), db=seeded)
    document = pypdfium2.PdfDocument(str(out))
    try:
        page = document[0]
        image = page.render(scale=0.5).to_pil().convert("L")
        text = page.get_textpage().get_text_range()
    finally:
        document.close()
    assert sum(image.histogram()[:128]) > 2000  # dark pixels: text was drawn
    assert "Briefing" in text and "Key developments" in text


def test_cli_report_brief_pdf_without_a_file_is_a_usage_error(runner, seeded):
    assert "-o brief.pdf" in _run(runner, "brief", "--format", "pdf", db=seeded, code=2)


def test_cli_report_brief_filters_and_refuses_an_unknown_country(runner, seeded):
    text = _run(runner, "brief", "--since", "2025-10-10", "--country", "PK", db=seeded)
    assert "Dera Ismail Khan" in text and "9 Oct 2025 · Kabul" not in text
    assert "Narnia" in _run(runner, "brief", "--country", "Narnia", db=seeded, code=2)


# ---- tables --------------------------------------------------------------------------------------


def test_cli_report_timeline_lists_dated_events_in_order(runner, seeded):
    text = _run(runner, "timeline", db=seeded)
    at = [text.index(day) for day in ("9 Oct 2025", "11 Oct 2025", "15 Oct 2025")]
    assert at == sorted(at)
    assert "undated" not in text


def test_cli_report_events_table_shows_every_event_id_whole(runner, seeded):
    text = _run(runner, "events", db=seeded)
    with Store.open(seeded) as store:
        ids = [e.id for e in store.events()]
    assert all(event_id in text for event_id in ids)


def test_cli_report_events_csv_reads_back_with_pandas_and_filters(runner, seeded):
    frame = pandas.read_csv(io.StringIO(_run(runner, "events", "--format", "csv", db=seeded)))
    assert tuple(frame.columns) == EVENT_COLUMNS
    with Store.open(seeded) as store:
        assert sorted(frame["id"]) == sorted(e.id for e in store.events())
    dera = frame[frame["place"] == "Dera Ismail Khan"].iloc[0]
    assert (dera["date"], dera["killed_low"], dera["injured_low"]) == ("2025-10-11", 6, 13)
    assaults = pandas.read_csv(
        io.StringIO(_run(runner, "events", "-f", "csv", "--type", "assault", "--country", "PK", db=seeded))
    )
    assert len(assaults) >= 1 and set(assaults["type"]) == {"ASSAULT"}


def test_cli_report_events_json_is_a_list_of_records(runner, seeded):
    records = json.loads(_run(runner, "events", "--format", "json", "--since", "2025-10-09", db=seeded))
    assert records and all(tuple(r) == EVENT_COLUMNS for r in records)
    assert all((r["date_end"] or r["date"]) >= "2025-10-09" for r in records)


def test_cli_report_events_with_since_after_until_exits_2(runner, seeded):
    text = _run(runner, "events", "--since", "2025-10-15", "--until", "2025-10-01", db=seeded, code=2)
    assert "is after" in text


def test_cli_report_contradictions_show_each_explanation_and_side(runner, seeded, seed_brief):
    text = _run(runner, "contradictions", db=seeded)
    for disagreement in seed_brief.disagreements:
        assert disagreement.explanation in text
        assert all(position.text in text for position in disagreement.positions)


def test_cli_report_sources_rate_every_article(runner, seeded):
    text = _run(runner, "sources", db=seeded)
    with Store.open(seeded) as store:
        for article in store.articles():
            credibility = store.credibility(article.id)
            assert credibility is not None
            assert article.id in text and f"{credibility.score:.2f} {credibility.label}" in text


def test_cli_report_actors_count_what_each_did(runner, seeded):
    text = _run(runner, "actors", db=seeded)
    with Store.open(seeded) as store:
        acted = sum("PAK" in e.actors for e in store.events())
        targeted = sum("PAK" in e.recipients for e in store.events())
    row = next(line for line in text.splitlines() if line.startswith("│ PAK "))
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    assert cells[:2] == ["PAK", "Pakistan"] and cells[4:6] == [str(acted), str(targeted)]


def test_cli_report_show_gives_every_mention_sentence_and_source(runner, seeded):
    with Store.open(seeded) as store:
        event = next(e for e in store.events() if e.location and e.location.name == "Dera Ismail Khan")
        mentions = [m for m in store.mentions() if m.event == event.id]
    text = _run(runner, "show", event.id[:10], db=seeded)
    assert event.id in text and "6 killed, 13 injured" in text
    for mention in mentions:
        assert mention.sentence in text and mention.article in text


def test_cli_report_show_unknown_event_exits_2(runner, seeded):
    assert "no stored event" in _run(runner, "show", "ev-nothing", db=seeded, code=2)


# ---- series and exports --------------------------------------------------------------------------


def test_cli_report_series_writes_csv_and_chart(runner, seeded, tmp_path):
    out, chart = tmp_path / "pak-afg.csv", tmp_path / "pak-afg.svg"
    _run(runner, "series", "--dyad", "PAK-AFG", "-o", str(out), "--chart", str(chart), db=seeded)
    frame = pandas.read_csv(out)
    assert list(frame.columns) == ["day", "events", "goldstein_sum"]
    with Store.open(seeded) as store:
        points = dyad_series(store, "PAK", "AFG")
    assert points and list(frame["events"]) == [p.events for p in points]
    assert "2025-10-11" in set(frame["day"])
    assert ET.parse(chart).getroot().tag == "{http://www.w3.org/2000/svg}svg"


def test_cli_report_series_of_unknown_sides_exits_2(runner, seeded):
    assert "not two known sides" in _run(runner, "series", "--dyad", "Narnia-Oz", db=seeded, code=2)


def _export(runner: CliRunner, seeded: str, fmt: str, tmp_path: Path) -> Path:
    out = tmp_path / f"export.{fmt}"
    _run(runner, "export", "--format", fmt, "-o", str(out), db=seeded)
    return out


@pytest.fixture(scope="session")
def document(seeded: str) -> dict:
    result = CliRunner().invoke(app, ["export", "--db", seeded])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_report_export_json_is_valid_khabar_v1(document):
    assert validate_document(document) == []
    assert len(document["articles"]) == 5 and document["events"] and document["contradictions"]


def test_cli_report_export_jsonl_holds_the_documents_objects(runner, seeded, tmp_path, document):
    lines = [json.loads(x) for x in _export(runner, seeded, "jsonl", tmp_path).read_text().splitlines()]
    assert lines[0]["kind"] == "document" and lines[0]["schema"] == "khabar/v1"
    events = [line["data"] for line in lines if line["kind"] == "event"]
    assert events == document["events"]
    assert sum(line["kind"] == "mention" for line in lines) == len(document["mentions"])


def test_cli_report_export_acled_csv_reads_back_with_pandas(runner, seeded, tmp_path, document):
    frame = pandas.read_csv(_export(runner, seeded, "acled-csv", tmp_path), keep_default_na=False)
    assert set(frame.columns) >= ACLED_CORE
    assert pandas.to_datetime(frame["event_date"]).notna().all()
    counted = [
        e for e in document["events"] if e.get("acled") and e["date"]["start"]
    ]  # ACLED has rows only for dated events it has a type for
    killed = sum((e["killed"] or {}).get("low") or (e["killed"] or {}).get("best") or 0 for e in counted)
    assert frame["fatalities"].sum() == killed
    dera = frame[frame["location"] == "Dera Ismail Khan"]
    assert dera["fatalities"].sum() == 6 and set(dera["event_date"]) == {"2025-10-11"}
    assert frame["source"].str.contains("; ").any()  # an event several outlets report
    assert not frame["source"].str.contains("/").any()  # outlet or file name, never a local path


def test_cli_report_export_geojson_is_valid_point_features(runner, seeded, tmp_path, document):
    collection = json.loads(_export(runner, seeded, "geojson", tmp_path).read_text())
    assert collection["type"] == "FeatureCollection" and collection["features"]
    located = {
        e["id"] for e in document["events"] if e.get("location") and e["location"].get("lat") is not None
    }
    assert {f["id"] for f in collection["features"]} == located
    for feature in collection["features"]:
        geometry = feature["geometry"]
        assert feature["type"] == "Feature" and geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    kabul = [f for f in collection["features"] if f["properties"]["place"] == "Kabul"]
    assert all(abs(f["geometry"]["coordinates"][0] - 69.2) < 0.5 for f in kabul)  # lon first


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_cli_report_export_actor_graph_reads_back_with_networkx(runner, seeded, tmp_path, fmt):
    path = _export(runner, seeded, fmt, tmp_path)
    graph = networkx.read_graphml(path) if fmt == "graphml" else networkx.read_gexf(path)
    with Store.open(seeded) as store:
        expected = actor_graph(store.events(), store.actors())
    assert graph.is_directed()
    assert set(graph.nodes) == set(expected.nodes)
    assert {(e.source, e.target): e.events for e in expected.edges} == {
        (a, b): int(data["events"]) for a, b, data in graph.edges(data=True)
    }
    assert graph.has_edge("PAK", "ttp")  # the Kabul strikes


def test_cli_report_export_unknown_format_lists_the_known_ones(runner, seeded):
    text = _run(runner, "export", "--format", "xlsx", db=seeded, code=2)
    assert "acled-csv" in text and "gexf" in text


# ---- demo ----------------------------------------------------------------------------------------


def test_cli_report_demo_ends_by_writing_the_html_brief(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the demo's work folder, removed with tmp_path
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.db")], env=WIDE)
    assert result.exit_code == 0, result.output
    written = tmp_path / "demo-brief.html"
    assert result.output.rstrip().splitlines()[-1] == f"briefing: {written}"
    page = written.read_text(encoding="utf-8")
    assert "<svg" in page and "Dera Ismail Khan" in page
