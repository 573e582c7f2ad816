"""report.views, report.select and the helpers behind the terminal commands: events chosen by
filters, flat records as CSV and JSON, contradictions, sources, actors, one event in full, dyads
written with hyphens, exports written to a file or standard output, and tables that show article
text holding rich markup as text. Mostly over the hand-filled store of conftest.py: a shelling of
Lakeside (two reports, a toll dispute) and the rebels' denial."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from khabar.cli import app
from khabar.errors import ExportError
from khabar.models import (
    Actor,
    ActorRef,
    Article,
    Corroboration,
    Credibility,
    DateRef,
    Event,
    EventLocation,
    Extraction,
    Mention,
    Resolution,
)
from khabar.report import views
from khabar.report.exports import write_output
from khabar.report.select import Filters, select_events
from khabar.report.series import split_dyad
from khabar.store.repository import Store


def test_views_select_by_type_is_case_insensitive_and_refuses_unknown_types(filled_store):
    assert [e.id for e in select_events(filled_store, Filters(type="assault"))] == ["ev-shelling"]
    with pytest.raises(ExportError, match="PLOVER"):
        select_events(filled_store, Filters(type="BOMBING"))


def test_views_filters_given_lists_only_what_is_set_in_a_fixed_order():
    filters = Filters(type="FIGHT", since=date(2023, 5, 1), actor="REBELS")
    assert filters.given() == {"since": "2023-05-01", "actor": "REBELS", "type": "FIGHT"}


def test_views_timeline_leaves_out_undated_events(filled_store):
    assert [line.event for line in views.event_lines(filled_store)] == ["ev-shelling", "ev-denial"]
    timeline = views.event_lines(filled_store, dated_only=True)
    assert [(line.event, line.when) for line in timeline] == [("ev-shelling", "2 May 2023")]


def test_views_event_records_are_flat_with_names_and_tolls(filled_store):
    shelling, denial = views.event_records(filled_store)
    assert tuple(shelling) == views.EVENT_COLUMNS
    assert (shelling["date"], shelling["place"], shelling["latitude"]) == ("2023-05-02", "Lakeside", 10.0)
    assert (shelling["killed_low"], shelling["killed_best"], shelling["killed_high"]) == (4, 4, None)
    assert shelling["recipients"] == "Civilians" and shelling["sources"] == "Daily Example; Example Wire"
    assert (denial["date"], denial["actors"], denial["place"]) == (None, "Northern Rebels", None)


def test_views_records_csv_guards_formulas_and_json_keeps_types(filled_store):
    records = views.event_records(filled_store)
    records[0]["title"] = '=HYPERLINK("http://x")'
    rows = list(csv.DictReader(io.StringIO(views.records_text(records, "csv"))))
    assert rows[0]["title"] == '\'=HYPERLINK("http://x")' and rows[0]["killed_low"] == "4"
    assert json.loads(views.records_text(records, "json"))[0]["killed_low"] == 4
    with pytest.raises(ExportError, match="csv, json"):
        views.records_text(records, "xlsx")  # type: ignore[arg-type]


def test_views_contradiction_lines_name_the_event_and_each_sides_outlet(filled_store):
    (line,) = views.contradiction_lines(filled_store)
    assert (line.id, line.event, line.disagreement.kind) == ("c-toll", "ev-shelling", "fatalities")
    assert [p.text for p in line.disagreement.positions] == ["4 — Example Wire", "at least 6 — Daily Example"]


def test_views_source_lines_rate_articles_and_outlets(filled_store):
    sources = views.source_lines(filled_store)
    rated = {line.article.id: line.credibility for line in sources.articles}
    assert rated["a-article"].score == 0.7 and rated["z-article"] is None
    assert [fact.text for fact in sources.outlets] == [
        "Daily Example: 1 article, not assessed",
        "Example Wire: 1 article, mean credibility 0.70",
    ]


def test_views_actor_lines_count_acting_being_acted_on_and_statements(filled_store):
    lines = {line.actor.id: line for line in views.actor_lines(filled_store)}
    assert (lines["REBELS"].acted, lines["REBELS"].targeted, lines["REBELS"].statements) == (1, 0, 1)
    assert (lines["CIV"].acted, lines["CIV"].targeted) == (0, 1)
    assert (lines["MAYOR"].acted, lines["MAYOR"].targeted) == (0, 0)
    assert next(iter(lines)) in {"REBELS", "CIV"}  # the active ones first


def test_views_event_detail_holds_mentions_statements_and_disputes(filled_store):
    detail = views.event_detail(filled_store, "ev-shel")  # a prefix is enough when only one matches
    assert detail.event.id == "ev-shelling"
    assert [line.mention.id for line in detail.mentions] == ["a:m1", "z:m2"]
    first = detail.mentions[0]
    assert (first.outlet, first.toll, first.when) == ("Example Wire", "4 killed", "2 May 2023")
    assert first.credibility is not None and first.credibility.score == 0.7
    assert [line.mention.id for line in detail.statements] == ["z:m1"]  # the rebels' denial
    assert detail.statements[0].who == "Northern Rebels"
    assert [d.kind for d in detail.disagreements] == ["fatalities"]


@pytest.mark.parametrize(("given", "message"), [("ev-", "2 events start with"), ("ev-x", "no stored event")])
def test_views_event_detail_refuses_ambiguous_or_unknown_ids(filled_store, given, message):
    with pytest.raises(ExportError, match=message):
        views.event_detail(filled_store, given)


HYPHENATED = [
    Actor(id="afg-taliban", name="Taliban", kind="government", country="AF"),
    Actor(id="pak-army", name="Pakistan Army", kind="military", country="PK"),
    Actor(id="pak", name="Pak Club", kind="other"),
]


@pytest.mark.parametrize(
    ("text", "sides"),
    [("PAK-AFG", ("PAK", "AFG")), ("afg-taliban-pak-army", ("afg-taliban", "pak-army")), ("ttp - PK", None)],
)
def test_series_split_dyad_cuts_at_the_one_hyphen_naming_two_sides(text, sides):
    if sides is None:
        with pytest.raises(ExportError, match="not two known sides"):
            split_dyad(text, HYPHENATED)
    else:
        assert split_dyad(text, HYPHENATED) == sides


def test_series_split_dyad_names_both_readings_when_ambiguous():
    actors = [*HYPHENATED, Actor(id="taliban-pak", name="TP", kind="rebel")]
    with pytest.raises(ExportError, match="ambiguous: could be afg and taliban-pak or afg-taliban and pak"):
        split_dyad("afg-taliban-pak", actors)


def test_write_output_writes_text_to_stdout_and_bytes_to_a_file(tmp_path, capsys):
    write_output("día,1\n", None)
    assert capsys.readouterr().out == "día,1\n"
    target = tmp_path / "chart.pdf"
    write_output(b"%PDF-1.7\x00", target)
    assert target.read_bytes() == b"%PDF-1.7\x00"
    with pytest.raises(ExportError, match="cannot write"):
        write_output("x", tmp_path / "missing" / "x.csv")


HOSTILE = "[/] [bold red]Kelso[/bold red] [link=https://x.example]burns[/link]"


@pytest.fixture
def hostile_db(tmp_path) -> str:
    """A store whose article, outlet, actor and event texts are all rich markup."""
    path = str(tmp_path / "hostile.db")
    text = f"{HOSTILE} on 3 March, police said."
    mention = Mention(
        id="h:1",
        article="h",
        span=(0, 3),
        sentence=text,
        sentence_span=(0, len(text)),
        type="ASSAULT",
        actors=[ActorRef(HOSTILE, "MOB")],
        event="ev-hostile",
    )
    event = Event(
        id="ev-hostile",
        type="ASSAULT",
        title=HOSTILE,
        date=DateRef(text="3 March", start=date(2024, 3, 3), end=date(2024, 3, 3), precision="day"),
        status="reported",
        mentions=["h:1"],
        articles=["h"],
        corroboration=Corroboration(articles=1, outlets=1),
        actors=["MOB"],
        location=EventLocation(name=HOSTILE, country="ML", lat=14.5, lon=-4.2),
    )
    article = Article(id="h", source="h.txt", text=text, title=HOSTILE, outlet=HOSTILE)
    actor = Actor(id="MOB", name=HOSTILE, kind="militia", country="ML")
    with Store.open(path) as store:
        store.add_article(article, extraction=Extraction(article="h", mentions=[mention], actors=[actor]))
        store.save_resolution(Resolution(events=[event]))
        store.save_credibility("h", Credibility(score=0.5, label="medium", signals=[]))
    return path


@pytest.mark.parametrize(
    "command", [["timeline"], ["events"], ["sources"], ["actors"], ["show", "ev-hostile"]]
)
def test_cli_tables_show_markup_in_article_text_as_text(runner, hostile_db, command):
    result = runner.invoke(app, [*command, "--db", hostile_db], env={"COLUMNS": "2000"})
    assert result.exit_code == 0, result.output
    assert "[bold red]Kelso[/bold red]" in result.stdout
