"""views: the stored record -> the tables `khabar` shows in a terminal: the timeline, the events (also
as CSV or JSON), the contradictions, the sources, the actors, and one event in full (`khabar
timeline`, `events`, `contradictions`, `sources`, `actors`, `show`).

Store (after resolve and assess) -> one function per view -> plain data the CLI renders. Event
lines, disagreements and source lines are built by brief.sections, so a table says what the
brief says; the events are chosen by `report.select`.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import ExportError
from ..models import VERBAL_TYPES, Actor, Article, Credibility, Event, Mention, Toll
from ..store.repository import Store
from .brief import sections
from .brief.model import Disagreement, EventLine, Fact, SourceLine
from .formats import spreadsheet_safe
from .select import Filters, select_events

__all__ = [
    "EVENT_COLUMNS",
    "ActorLine",
    "ContradictionLine",
    "EventDetail",
    "MentionLine",
    "Sources",
    "actor_lines",
    "contradiction_lines",
    "event_detail",
    "event_lines",
    "event_records",
    "records_text",
    "source_lines",
]

#: the columns of `khabar events --format csv|json`, in order
EVENT_COLUMNS = (
    "id",
    "date",
    "date_end",
    "date_precision",
    "type",
    "mode",
    "title",
    "place",
    "country",
    "latitude",
    "longitude",
    "actors",
    "recipients",
    "killed_low",
    "killed_best",
    "killed_high",
    "injured_low",
    "injured_best",
    "injured_high",
    "status",
    "articles",
    "outlets",
    "sources",
    "contradictions",
)


# ---- events --------------------------------------------------------------------------------------


def event_lines(store: Store, filters: Filters | None = None, *, dated_only: bool = False) -> list[EventLine]:
    """The selected events, one line each, in date order (undated last).

    store (Store): the database to read.
    filters (Filters | None): which events; None keeps every event.
    dated_only (bool): leave out undated events (a timeline).
    RETURNS (list[EventLine]): date, place, who, what, toll, outlets and status of each event.
    RAISES ExportError: a filter is invalid (see `select_events`).
    """
    record = sections.Record(store)
    events = select_events(store, filters)
    return [record.line(e) for e in events if e.date.start or not dated_only]


def event_records(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    """The selected events as flat records (EVENT_COLUMNS), for CSV and JSON.

    store (Store): the database to read.
    filters (Filters | None): which events; None keeps every event.
    RETURNS (list[dict]): one record per event; lists are joined with "; ", a missing value is None.
    RAISES ExportError: a filter is invalid (see `select_events`).
    """
    record = sections.Record(store)
    return [_record(record, event) for event in select_events(store, filters)]


def _record(record: sections.Record, event: Event) -> dict[str, Any]:
    place = event.location
    return {
        "id": event.id,
        "date": event.date.start.isoformat() if event.date.start else None,
        "date_end": event.date.end.isoformat() if event.date.end else None,
        "date_precision": event.date.precision,
        "type": event.type,
        "mode": event.mode,
        "title": event.title,
        "place": place.name if place else None,
        "country": place.country if place else None,
        "latitude": place.lat if place else None,
        "longitude": place.lon if place else None,
        "actors": "; ".join(record.name(a) for a in event.actors),
        "recipients": "; ".join(record.name(r) for r in event.recipients),
        **_toll("killed", event.killed),
        **_toll("injured", event.injured),
        "status": event.status,
        "articles": event.corroboration.articles,
        "outlets": event.corroboration.outlets,
        "sources": "; ".join(sorted({record.outlet(a) for a in event.articles})),
        "contradictions": len(event.contradictions),
    }


def _toll(what: str, toll: Toll | None) -> dict[str, int | None]:
    low, best, high = (toll.low, toll.best, toll.high) if toll else (None, None, None)
    return {f"{what}_low": low, f"{what}_best": best, f"{what}_high": high}


def records_text(records: list[dict[str, Any]], fmt: Literal["csv", "json"]) -> str:
    """Event records as CSV (header EVENT_COLUMNS; cells a spreadsheet would run as formulas get
    a leading apostrophe) or as a JSON array.

    records (list[dict]): from `event_records`.
    fmt (str): "csv" or "json".
    RETURNS (str): the text.
    RAISES ExportError: the format is neither.
    """
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt != "csv":
        raise ExportError("unknown format (known: csv, json)", source=fmt)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS)
    writer.writeheader()
    for item in records:
        writer.writerow({key: spreadsheet_safe(value) for key, value in item.items()})
    return out.getvalue()


# ---- contradictions, sources, actors -------------------------------------------------------------


@dataclass
class ContradictionLine:
    """A contradiction: its id, the event it is about (None: about an actor or the corpus), and
    what the sources say, in plain words."""

    id: str
    event: str | None
    disagreement: Disagreement


def contradiction_lines(store: Store) -> list[ContradictionLine]:
    """Every stored contradiction, the most severe first.

    store (Store): the database to read.
    RETURNS (list[ContradictionLine]): each with its positions and their outlets.
    """
    record = sections.Record(store)
    rank = {"high": 0, "medium": 1, "low": 2}
    found = sorted(store.contradictions(), key=lambda c: (rank.get(c.severity, 3), c.id))
    return [ContradictionLine(c.id, c.about_event, sections.disagreement(record, c)) for c in found]


@dataclass
class Sources:
    """Each article with its credibility and strongest signals; each outlet with its mean."""

    articles: list[SourceLine]
    outlets: list[Fact]


def source_lines(store: Store) -> Sources:
    """The assessment of every stored article and outlet.

    store (Store): the database to read.
    RETURNS (Sources): articles in the store's order (by source), outlets by name.
    """
    record = sections.Record(store)
    articles = [sections.source_line(record, article_id) for article_id in record.articles]
    return Sources(articles, sections.outlets(articles, record))


@dataclass(frozen=True)
class ActorLine:
    """An actor and how often it appears: as the one acting, as the one acted on, and of those
    events how many were statements (accusations, denials, demands...)."""

    actor: Actor
    acted: int
    targeted: int
    statements: int


def actor_lines(store: Store) -> list[ActorLine]:
    """Every stored actor with its event counts, the most active first, then by name.

    store (Store): the database to read.
    RETURNS (list[ActorLine]): one line per actor.
    """
    acted: Counter[str] = Counter()
    targeted: Counter[str] = Counter()
    said: Counter[str] = Counter()
    for event in store.events():
        acted.update(set(event.actors))
        targeted.update(set(event.recipients))
        if event.type in VERBAL_TYPES and event.acled is None:
            said.update(set(event.actors))
    lines = [ActorLine(a, acted[a.id], targeted[a.id], said[a.id]) for a in store.actors()]
    return sorted(lines, key=lambda line: (-(line.acted + line.targeted), line.actor.name.casefold()))


# ---- one event -----------------------------------------------------------------------------------


@dataclass
class MentionLine:
    """One report of an event: the sentence, who it names, its toll, and the article it is in."""

    mention: Mention
    when: str
    who: str
    toll: str | None
    outlet: str
    article: Article | None
    credibility: Credibility | None


@dataclass
class EventDetail:
    """An event with every mention of it, the statements about it and its contradictions."""

    event: Event
    line: EventLine
    mentions: list[MentionLine]
    statements: list[MentionLine]
    disagreements: list[Disagreement]


def event_detail(store: Store, event_id: str) -> EventDetail:
    """One event in full.

    store (Store): the database to read.
    event_id (str): the event's id, or a prefix of it that only this event's id starts with.
    RETURNS (EventDetail): the event, its mentions in article order, statements about it (from
        other events) and the contradictions about it.
    RAISES ExportError: no event, or more than one, matches the id.
    """
    event = _find_event(store.events(), event_id)
    record = sections.Record(store)
    mentions = sorted(record.mentions.values(), key=lambda m: (m.article, m.span))
    own = [_mention_line(record, m) for m in mentions if m.event == event.id]
    about = [_mention_line(record, m) for m in mentions if m.about == event.id and m.event != event.id]
    disputes = [
        c for c in store.contradictions() if event.id == c.about_event or c.id in event.contradictions
    ]
    return EventDetail(
        event=event,
        line=record.line(event),
        mentions=own,
        statements=about,
        disagreements=[sections.disagreement(record, c) for c in disputes],
    )


def _find_event(events: list[Event], event_id: str) -> Event:
    wanted = event_id.strip()
    exact = [e for e in events if e.id == wanted]
    matches = exact or [e for e in events if wanted and e.id.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise ExportError("no stored event has this id (see `khabar events`)", source=event_id)
    some = ", ".join(e.id for e in matches[:5])
    raise ExportError(f"{len(matches)} events start with this id: {some}", source=event_id)


def _mention_line(record: sections.Record, mention: Mention) -> MentionLine:
    who = record.refs(mention.actors)
    if mention.recipients:
        who = f"{who} → {record.refs(mention.recipients)}".strip()
    return MentionLine(
        mention=mention,
        when=sections.date_text(mention.date),
        who=who or "unknown actors",
        toll=sections.tolls_text(mention.killed, mention.injured),
        outlet=record.outlet(mention.article),
        article=record.articles.get(mention.article),
        credibility=record.store.credibility(mention.article),
    )
