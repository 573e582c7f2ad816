"""Fakes for resolve's tests: a small knowledge base and gazetteer spanning several conflicts, and
builders for hand-made mentions and articles. The lexicon is the package's own resolve.yaml.
(A plain module, imported by the tests; conftest.py turns the fakes into fixtures.)"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from itertools import count

import yaml

from khabar.models import Actor, ActorRef, Article, DateRef, Mention, Place, PlaceRef, Reporter, Role, Toll


@cache
def shipped_lexicon(name: str) -> dict:
    text = resources.files("khabar").joinpath("knowledge", "lexicons", f"{name}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


ACTORS = [
    Actor("PAK", "Pakistan", "state", country="PK"),
    Actor("PAK_ARMY", "Pakistan Army", "military", country="PK", parent="PAK"),
    Actor("PAK_POLICE", "Pakistani police", "police", country="PK"),
    Actor("AFG", "Afghanistan", "state", country="AF"),
    Actor("AFG_MOD", "Afghan Defence Ministry", "government", country="AF", parent="AFG"),
    Actor("TTP", "Tehrik-i-Taliban Pakistan", "rebel", country="PK"),
    Actor("USA", "United States", "state", country="US"),
    Actor("RUS", "Russia", "state", country="RU"),
    Actor("UKR", "Ukraine", "state", country="UA"),
    Actor("SAF", "Sudanese Armed Forces", "military", country="SD"),
    Actor("RSF", "Rapid Support Forces", "militia", country="SD"),
    Actor("COL", "Colombia", "state", country="CO"),
    Actor("ELN", "National Liberation Army", "rebel", country="CO"),
    Actor(
        "TRUMP",
        "Donald Trump",
        "person",
        country="US",
        roles=[
            Role("President", of="USA", start=date(2017, 1, 20), end=date(2021, 1, 20)),
            Role("President", of="USA", start=date(2025, 1, 20)),
        ],
    ),
    Actor(
        "BIDEN",
        "Joe Biden",
        "person",
        country="US",
        roles=[Role("President", of="USA", start=date(2021, 1, 20), end=date(2025, 1, 20))],
    ),
]


class FakeKnowledge:
    """The parts of khabar.knowledge.Knowledge that resolve uses."""

    def __init__(self, actors: list[Actor]) -> None:
        self.actors = {a.id: a for a in actors}

    def actor(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def roles_on(self, actor_id: str, on: date) -> list[Role]:
        actor = self.actors.get(actor_id)
        return [
            r
            for r in (actor.roles if actor else [])
            if (r.start is None or r.start <= on) and (r.end is None or on < r.end)
        ]

    def lexicon(self, name: str) -> dict:
        return shipped_lexicon(name)


PLACES = {
    "AF": (Place("AF", "Afghanistan", "AF", 33.0, 65.0, "country"), None),
    "PK": (Place("PK", "Pakistan", "PK", 30.0, 70.0, "country"), None),
    "TR": (Place("TR", "Turkey", "TR", 39.0, 35.0, "country"), None),
    "UA": (Place("UA", "Ukraine", "UA", 49.0, 32.0, "country"), None),
    "SD": (Place("SD", "Sudan", "SD", 15.0, 30.0, "country"), None),
    "KP": (Place("KP", "Khyber Pakhtunkhwa", "PK", 34.0, 72.0, "admin1"), "PK"),
    "kabul": (Place("kabul", "Kabul", "AF", 34.53, 69.17, "city", admin1="Kabul"), "AF"),
    "kandahar": (Place("kandahar", "Kandahar", "AF", 31.61, 65.71, "city", admin1="Kandahar"), "AF"),
    "bagram": (Place("bagram", "Bagram Airbase", "AF", 34.95, 69.26, "base", admin1="Parwan"), "AF"),
    "dik": (Place("dik", "Dera Ismail Khan", "PK", 31.83, 70.9, "city", admin1="Khyber Pakhtunkhwa"), "KP"),
    "ankara": (Place("ankara", "Ankara", "TR", 39.93, 32.86, "city", admin1="Ankara"), "TR"),
    "istanbul": (Place("istanbul", "Istanbul", "TR", 41.01, 28.98, "city", admin1="Istanbul"), "TR"),
    "kharkiv": (Place("kharkiv", "Kharkiv", "UA", 49.99, 36.23, "city", admin1="Kharkiv"), "UA"),
    "kramatorsk": (Place("kramatorsk", "Kramatorsk", "UA", 48.72, 37.56, "city", admin1="Donetsk"), "UA"),
    "el_fasher": (Place("el_fasher", "El Fasher", "SD", 13.63, 25.35, "city", admin1="North Darfur"), "SD"),
    "khartoum": (Place("khartoum", "Khartoum", "SD", 15.5, 32.56, "city", admin1="Khartoum"), "SD"),
}


class FakeGazetteer:
    """The parts of khabar.knowledge.gazetteer.Gazetteer that resolve uses."""

    def place(self, place_id: str) -> Place | None:
        entry = PLACES.get(place_id)
        return entry[0] if entry else None

    def contains(self, outer_id: str, inner_id: str) -> bool:
        parent = PLACES.get(inner_id, (None, None))[1]
        while parent is not None:
            if parent == outer_id:
                return True
            parent = PLACES[parent][1]
        return False

    def acled_geo_precision(self, place: Place) -> int:
        return 1 if place.feature in ("city", "town", "village", "base") else 3


_NAMES = {a.id: a.name for a in ACTORS}
_counter = count()


def day(text: str) -> DateRef:
    """ "2025-10-11" -> that day; "2025-09" -> that month; "" -> unknown."""
    if not text:
        return DateRef.unknown()
    parts = [int(x) for x in text.split("-")]
    if len(parts) == 3:
        d = date(*parts)
        return DateRef(text=text, start=d, end=d, precision="day", basis="explicit")
    year, month = parts
    end = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
    return DateRef(text=text, start=date(year, month, 1), end=date.fromordinal(end), precision="month")


def mention(
    id: str,
    article: str,
    type: str,
    sentence: str,
    *,
    trigger: str | None = None,
    when: str = "",
    place: str | None = None,
    actors: tuple[str, ...] = (),
    recipients: tuple[str, ...] = (),
    killed: tuple[int | None, int | None] | None = None,
    injured: tuple[int | None, int | None] | None = None,
    start: int | None = None,
    **fields,
) -> Mention:
    """A hand-made mention. Actors and places are ids of the fakes above (a name not among them
    stays unresolved); `start` is the mention's offset in its article (for "nearby")."""
    offset = start if start is not None else 1000 * next(_counter)
    trigger = trigger or sentence.split()[0]
    where = sentence.find(trigger)
    return Mention(
        id=id,
        article=article,
        span=(offset + max(where, 0), offset + max(where, 0) + len(trigger)),
        sentence=sentence,
        sentence_span=(offset, offset + len(sentence)),
        type=type,
        trigger=trigger,
        date=day(when),
        location=_place(place),
        actors=[_actor(a) for a in actors],
        recipients=[_actor(a) for a in recipients],
        killed=Toll(low=killed[0], high=killed[1]) if killed else None,
        injured=Toll(low=injured[0], high=injured[1]) if injured else None,
        **fields,
    )


def _actor(name: str) -> ActorRef:
    return ActorRef(text=_NAMES.get(name, name), actor=name if name in _NAMES else None)


def _place(name: str | None) -> PlaceRef | None:
    if name is None:
        return None
    entry = PLACES.get(name)
    return PlaceRef(text=entry[0].name, place=name) if entry else PlaceRef(text=name)


def reporter(text: str, actor: str | None = None) -> Reporter:
    return Reporter(text=text, actor=actor)


def article(id: str, *, outlet: str | None = None, published: date | None = None, **fields) -> Article:
    return Article(id=id, source=f"{id}.txt", text="", outlet=outlet, published=published, **fields)
