"""select: which stored events a brief, a table or a timeline is about (`--since`, `--until`,
`--country`, `--actor`, `--type`).

Store (after resolve) -> `select_events` -> the events that pass every filter given, in the
store's order (by start date, undated last). Read by `report.brief` and `report.views`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..errors import ExportError
from ..models import PLOVER_TYPES, VERBAL_TYPES, Actor, DateRef, Event, Mention
from ..store.repository import Store
from .series import country_code, side_members

__all__ = ["Filters", "key_events", "select_events"]

#: How a source tells an event that is not news of the period: history, a hypothesis, a plan.
BACKGROUND = frozenset({"historical", "hypothetical", "future", "negated"})


@dataclass(frozen=True)
class Filters:
    """What to keep; a filter left at None keeps everything.

    since (date | None): only events that may have happened on or after this day.
    until (date | None): only events that may have happened on or before this day. With either
        date set, undated events are left out.
    country (str | None): only events in this country (ISO alpha-2, alpha-3 or name); an event
        with no place counts when one of its actors is of that country.
    actor (str | None): only events this actor (id, name, alias or country code) took part in.
    type (str | None): only events of this PLOVER type (case-insensitive), e.g. "ASSAULT".
    """

    since: date | None = None
    until: date | None = None
    country: str | None = None
    actor: str | None = None
    type: str | None = None

    def given(self) -> dict[str, str]:
        """The filters set, as text, in a fixed order (for titles)."""
        values = {
            "since": self.since,
            "until": self.until,
            "country": self.country,
            "actor": self.actor,
            "type": self.type,
        }
        return {key: str(value) for key, value in values.items() if value}


def select_events(store: Store, filters: Filters | None = None) -> list[Event]:
    """The stored events that pass the filters.

    store (Store): the database to read.
    filters (Filters | None): what to keep; None keeps every event.
    RETURNS (list[Event]): the events, ordered by start date (undated last), then id.
    RAISES ExportError: since is after until, or the country, actor or type is unknown.
    """
    filters = filters or Filters()
    if filters.since and filters.until and filters.since > filters.until:
        raise ExportError(f"since ({filters.since}) is after until ({filters.until})", source="filters")
    events = [e for e in store.events() if _in_period(e.date, filters.since, filters.until)]
    if filters.type:
        wanted = _event_type(filters.type)
        events = [e for e in events if e.type == wanted]
    if filters.country or filters.actor:
        actors = store.actors()
        if filters.country:
            code = _country_code(filters.country)
            known = {actor.id: actor for actor in actors}
            events = [e for e in events if _in_country(e, code, known)]
        if filters.actor:
            members = side_members(filters.actor, actors)
            events = [e for e in events if members & {*e.actors, *e.recipients}]
    return events


def _in_period(when: DateRef, since: date | None, until: date | None) -> bool:
    if since is None and until is None:
        return True
    if when.start is None:
        return False
    end = when.end or when.start
    return (since is None or end >= since) and (until is None or when.start <= until)


def _event_type(text: str) -> str:
    wanted = text.strip().upper()
    if wanted not in PLOVER_TYPES:
        raise ExportError(f"not a PLOVER event type (known: {', '.join(sorted(PLOVER_TYPES))})", source=text)
    return wanted


def _country_code(country: str) -> str:
    code = country_code(country)
    if code is None:
        raise ExportError("not a country code or name", source=country)
    return code


def _in_country(event: Event, code: str, actors: dict[str, Actor]) -> bool:
    if event.location and event.location.country:
        return event.location.country == code
    return any(actors[a].country == code for a in _parties(event) if a in actors)


def _parties(event: Event) -> Iterable[str]:
    return {*event.actors, *event.recipients}


def key_events(events: Iterable[Event], *, top: int, mentions: Iterable[Mention] = ()) -> list[Event]:
    """The events that matter most: acts rather than words, and (given their mentions) not ones
    every source tells only as background, a hypothesis or a plan ("in 2022, when the U.S.
    killed al-Zawahiri"); dated before undated (an undated event is a gap before it is a
    development), then by corroboration plus deaths on a log scale, then the most recent."""
    told_now = {m.event for m in mentions if m.modality not in BACKGROUND}
    material = [
        e
        for e in events
        if (e.acled is not None or e.type not in VERBAL_TYPES) and (not told_now or e.id in told_now)
    ]
    return sorted(material, key=_importance, reverse=True)[:top]


def _importance(event: Event) -> tuple[bool, float, date]:
    killed = (event.killed.best or event.killed.low or 0) if event.killed else 0
    weight = event.corroboration.articles + math.log2(1 + killed)
    return event.date.start is not None, weight, event.date.start or date.min
