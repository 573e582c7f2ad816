"""series: stored events -> who acted on whom, scored for conflict and cooperation (`khabar series`).

Store (after resolve) -> `dyad_series` (the daily count and Goldstein sum of the events between two
sides) and `actor_graph` (actors as nodes, actor -> recipient edges with event counts, types and
Goldstein sums) -> `series_csv`, `charts.dyad_chart`, and the GraphML/GEXF exporters in
`report.formats`. Event types are weighed by knowledge/lexicons/goldstein.yaml.

A side is an actor (id, name or alias) or a country code (ISO alpha-2 or alpha-3): a country stands
for its actors of a state kind (the lexicon's `state_kinds`), and each side takes in the actors
that belong to its members (`Actor.parent`). An event joins two sides when its actors and
recipients hold a member of each, in either direction; only events dated to the day are counted.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pycountry
import yaml

from ..errors import ExportError, KnowledgeError
from ..models import PLOVER_TYPES, Actor, Event
from ..store.repository import Store

__all__ = [
    "ActorGraph",
    "Edge",
    "SeriesPoint",
    "actor_graph",
    "country_code",
    "dyad_series",
    "goldstein",
    "series_csv",
    "side_members",
    "split_dyad",
]

LEXICON = "goldstein.yaml"


@dataclass(frozen=True)
class SeriesPoint:
    """One day of a dyad's series.

    day (date): the day.
    events (int): how many events between the two sides happened that day.
    goldstein_sum (float): the sum of their Goldstein scores (negative: conflict).
    """

    day: date
    events: int
    goldstein_sum: float


@dataclass
class Edge:
    """Everything one actor did to another: `source` acted on `target`."""

    source: str
    target: str
    events: int = 0
    goldstein_sum: float = 0.0
    types: Counter[str] = field(default_factory=Counter)


@dataclass
class ActorGraph:
    """Who acted on whom. nodes: actor id -> Actor (a stand-in named after the id when the store
    lacks it); edges: one per ordered pair, sorted by source then target."""

    nodes: dict[str, Actor]
    edges: list[Edge]


@dataclass(frozen=True)
class _Goldstein:
    types: dict[str, float]
    refinements: dict[tuple[str, str], float]
    state_kinds: frozenset[str]


@functools.cache
def _lexicon() -> _Goldstein:
    where = f"knowledge/lexicons/{LEXICON}"
    try:
        raw: Any = yaml.safe_load(resources.files("khabar").joinpath(where).read_text(encoding="utf-8"))
        types = {str(k): float(v) for k, v in raw["types"].items()}
        refinements = {(r["type"], r["mode"]): float(r["value"]) for r in raw.get("refinements") or []}
        kinds = frozenset(raw["state_kinds"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KnowledgeError(f"malformed Goldstein lexicon: {exc!r}", source=where) from exc
    missing = sorted(set(PLOVER_TYPES) - set(types))
    if missing:
        raise KnowledgeError(f"no Goldstein value for the PLOVER types {missing}", source=where)
    return _Goldstein(types=types, refinements=refinements, state_kinds=kinds)


def goldstein(event_type: str, mode: str | None = None) -> float:
    """The Goldstein score of an event type.

    event_type (str): a PLOVER type, e.g. "ASSAULT".
    mode (str | None): the event's mode; some refine the score ("AGREE" with "ceasefire").
    RETURNS (float): -10 (most conflictual) .. +10 (most cooperative); 0 for a type outside PLOVER.
    RAISES KnowledgeError: knowledge/lexicons/goldstein.yaml is malformed.
    """
    lex = _lexicon()
    if mode is not None and (event_type, mode) in lex.refinements:
        return lex.refinements[(event_type, mode)]
    return lex.types.get(event_type, 0.0)


def _score(event: Event) -> float:
    return goldstein(event.type, event.mode)


# ---- actor graph ---------------------------------------------------------------------------------


def _pairs(event: Event) -> list[tuple[str, str]]:
    """actor -> recipient pairs; an event with no recipient (a clash, talks) pairs its actors."""
    if event.recipients:
        pairs = [(a, r) for a in event.actors for r in event.recipients]
    else:
        ordered = sorted(set(event.actors))
        pairs = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]
    return sorted({(a, b) for a, b in pairs if a != b})


def actor_graph(events: Iterable[Event], actors: Iterable[Actor]) -> ActorGraph:
    """Who acted on whom, over a set of events.

    events (Iterable[Event]): the events, e.g. `store.events()`.
    actors (Iterable[Actor]): the actors to describe the nodes, e.g. `store.actors()`.
    RETURNS (ActorGraph): the graph; each event adds its type and Goldstein score to each of its
        actor -> recipient edges.
    """
    known = {actor.id: actor for actor in actors}
    edges: dict[tuple[str, str], Edge] = {}
    for event in events:
        for pair in _pairs(event):
            edge = edges.setdefault(pair, Edge(*pair))
            edge.events += 1
            edge.goldstein_sum += _score(event)
            edge.types[event.type] += 1
    ids = sorted({actor_id for pair in edges for actor_id in pair})
    nodes = {i: known.get(i) or Actor(id=i, name=i, kind="other") for i in ids}
    return ActorGraph(nodes=nodes, edges=[edges[pair] for pair in sorted(edges)])


# ---- dyads ---------------------------------------------------------------------------------------


def country_code(text: str) -> str | None:
    """The ISO alpha-2 code of a country.

    text (str): an ISO alpha-2 or alpha-3 code or a country's name ("PAK", "pk", "Pakistan").
    RETURNS (str | None): the alpha-2 code ("PK"), or None when no country is called so.
    """
    try:
        return pycountry.countries.lookup(text.strip()).alpha_2
    except LookupError:
        return None


def side_members(side: str, actors: Iterable[Actor]) -> set[str]:
    """The actor ids a dyad side stands for.

    side (str): an actor id, name or alias (case-insensitive), or a country (ISO code or name).
    actors (Iterable[Actor]): the actors known, e.g. `store.actors()`.
    RETURNS (set[str]): the matching actors, a country's state actors, and whatever belongs to them.
    RAISES ExportError: the side is neither a known actor nor a country code.
    """
    known = {actor.id: actor for actor in actors}
    wanted = side.strip().casefold()
    members = {
        a.id
        for a in known.values()
        if wanted in {a.id.casefold(), a.name.casefold(), *map(str.casefold, a.aliases)}
    }
    country = country_code(side)
    if country:
        kinds = _lexicon().state_kinds
        members |= {a.id for a in known.values() if a.country == country and a.kind in kinds}
    elif not members:
        raise ExportError("not a known actor (id, name or alias) nor an ISO country code", source=side)
    return {a for a in known if _belongs(a, members, known)}


def split_dyad(text: str, actors: Iterable[Actor]) -> tuple[str, str]:
    """The two sides of a dyad written "A-B" ("PAK-AFG", "afg-taliban-PAK").

    text (str): the two sides joined by a hyphen. A side may hold hyphens itself: the text is cut
        at the one hyphen where both parts name a side.
    actors (Iterable[Actor]): the actors known, e.g. `store.actors()`.
    RETURNS (tuple[str, str]): the two sides, as written.
    RAISES ExportError: no cut, or more than one, gives two known sides.
    """
    known = list(actors)
    cuts = [
        (text[:at].strip(), text[at + 1 :].strip())
        for at, char in enumerate(text)
        if char == "-" and _names_side(text[:at], known) and _names_side(text[at + 1 :], known)
    ]
    if len(cuts) == 1:
        return cuts[0]
    if not cuts:
        reason = "not two known sides (actor ids, names, aliases or country codes) joined by a hyphen"
    else:
        reason = "ambiguous: could be " + " or ".join(f"{a} and {b}" for a, b in cuts)
    raise ExportError(reason, source=text)


def _names_side(text: str, actors: list[Actor]) -> bool:
    if not text.strip():
        return False
    try:
        side_members(text, actors)
    except ExportError:
        return False
    return True


def _belongs(actor_id: str, members: set[str], known: dict[str, Actor]) -> bool:
    seen: set[str] = set()
    current: str | None = actor_id
    while current is not None and current not in seen:
        if current in members:
            return True
        seen.add(current)
        parent = known.get(current)
        current = parent.parent if parent else None
    return False


def _joins(event: Event, a: set[str], b: set[str]) -> bool:
    one_way = bool(a & set(event.actors)) and bool(b & set(event.recipients))
    other_way = bool(b & set(event.actors)) and bool(a & set(event.recipients))
    # clashes and talks may list both parties as actors
    among_actors = any(x != y for x in a & set(event.actors) for y in b & set(event.actors))
    return one_way or other_way or among_actors


def dyad_series(store: Store, a: str, b: str) -> list[SeriesPoint]:
    """The daily conflict-cooperation series of two sides.

    store (Store): the database to read.
    a (str): one side: an actor id, name or alias, or a country code ("PAK" takes in Pakistan's
        state, government, military and police actors).
    b (str): the other side, the same way.
    RETURNS (list[SeriesPoint]): one point per day from the first to the last day-dated event
        between them, days without events included with zeros; empty when there are none.
    RAISES ExportError: a side matches nothing, or both sides are the same actors.
    """
    actors = store.actors()
    side_a, side_b = side_members(a, actors), side_members(b, actors)
    if side_a and side_a == side_b:
        raise ExportError(f"both sides of the dyad are the same actors ({sorted(side_a)})", source=f"{a}-{b}")
    per_day: dict[date, list[Event]] = defaultdict(list)
    for event in store.events():
        if event.date.precision == "day" and event.date.start and _joins(event, side_a, side_b):
            per_day[event.date.start].append(event)
    if not per_day:
        return []
    first, last = min(per_day), max(per_day)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [SeriesPoint(d, len(per_day[d]), round(float(sum(map(_score, per_day[d]))), 3)) for d in days]


def series_csv(points: Iterable[SeriesPoint]) -> str:
    """A series as CSV with the header day,events,goldstein_sum (days as ISO dates).

    points (Iterable[SeriesPoint]): the series, e.g. from `dyad_series`.
    RETURNS (str): the CSV text, lines ending in "\\r\\n" as the csv module writes them.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["day", "events", "goldstein_sum"])
    writer.writerows([p.day.isoformat(), p.events, p.goldstein_sum] for p in points)
    return out.getvalue()
