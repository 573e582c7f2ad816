"""A small hand-made record for the web tests: three articles (one a script-injection attempt in
its text, title and outlet), four mentions, three events (two located) and one contradiction,
stored by `fill` as the pipeline would store them."""

from __future__ import annotations

from datetime import date

from khabar.models import (
    Actor,
    ActorRef,
    Article,
    Contradiction,
    Corroboration,
    Credibility,
    DateRef,
    Event,
    EventLocation,
    Extraction,
    Mention,
    Place,
    PlaceRef,
    Position,
    Reporter,
    Resolution,
    Signal,
    Toll,
)
from khabar.store.repository import Store

TEXT_A = (
    "Militia fighters attacked a checkpoint in Riverton on Tuesday, killing three soldiers, "
    "the army said.\n\nThe army condemned the attack."
)
TEXT_B = (
    "Five soldiers were killed when militia fighters stormed a Riverton checkpoint, a local official said."
)
HOSTILE = '<script>alert("text")</script> <img src=x onerror="alert(1)">'
TEXT_X = f"Clashes erupted in Hilltown on Thursday. A resident wrote {HOSTILE} on a wall, police said."
TITLE_X = '<b onmouseover="alert(2)">Hilltown</b> clashes'
OUTLET_X = '"><script>alert(3)</script>'
TUESDAY, THURSDAY = date(2024, 3, 5), date(2024, 3, 7)


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _sentence(text: str, words: str) -> tuple[str, tuple[int, int]]:
    start = text.rfind("\n", 0, text.index(words)) + 1
    end = text.index(".", text.index(words)) + 1
    return text[start:end], (start, end)


def _mention(mention_id: str, article: str, text: str, trigger: str, **fields) -> Mention:
    sentence, sentence_span = _sentence(text, trigger)
    return Mention(
        id=mention_id,
        article=article,
        span=span_of(text, trigger),
        sentence=sentence,
        sentence_span=sentence_span,
        trigger=trigger,
        **fields,
    )


def articles() -> list[Article]:
    return [
        Article(
            id="art-a",
            source="a.txt",
            text=TEXT_A,
            title="Checkpoint attacked",
            outlet="Daily Example",
            published=TUESDAY,
            url="https://daily.example/a",
        ),
        Article(
            id="art-b",
            source="b.txt",
            text=TEXT_B,
            title="Five soldiers killed",
            outlet="Other Times",
            published=date(2024, 3, 6),
            url="javascript:alert(4)",
        ),
        Article(id="art-x", source="x.txt", text=TEXT_X, title=TITLE_X, outlet=OUTLET_X, published=THURSDAY),
    ]


def mentions() -> list[Mention]:
    on_tuesday = DateRef(
        text="on Tuesday", start=TUESDAY, end=TUESDAY, precision="day", span=span_of(TEXT_A, "on Tuesday")
    )
    return [
        _mention(
            "art-a:m1",
            "art-a",
            TEXT_A,
            "attacked",
            type="ASSAULT",
            actors=[ActorRef("Militia fighters", "MIL", span_of(TEXT_A, "Militia fighters"))],
            recipients=[ActorRef("soldiers", "ARMY", span_of(TEXT_A, "soldiers"))],
            date=on_tuesday,
            location=PlaceRef("Riverton", "P_RIVER", span_of(TEXT_A, "Riverton")),
            killed=Toll(3, 3, 3, "three soldiers", span_of(TEXT_A, "three soldiers")),
            reporter=Reporter("the army", "ARMY", span_of(TEXT_A, "the army said")),
            modality="attributed",
            event="ev1",
        ),
        _mention(
            "art-a:m2",
            "art-a",
            TEXT_A,
            "condemned",
            type="STATEMENT",
            actors=[ActorRef("The army", "ARMY", span_of(TEXT_A, "The army"))],
            event="ev3",
        ),
        _mention(
            "art-b:m1",
            "art-b",
            TEXT_B,
            "stormed",
            type="ASSAULT",
            actors=[ActorRef("militia fighters", "MIL", span_of(TEXT_B, "militia fighters"))],
            location=PlaceRef("Riverton", "P_RIVER", span_of(TEXT_B, "Riverton")),
            killed=Toll(5, 5, 5, "Five soldiers", span_of(TEXT_B, "Five soldiers")),
            reporter=Reporter("a local official", None, span_of(TEXT_B, "a local official")),
            modality="attributed",
            event="ev1",
        ),
        _mention(
            "art-x:m1",
            "art-x",
            TEXT_X,
            "Clashes",
            type="FIGHT",
            location=PlaceRef("Hilltown", "P_HILL", span_of(TEXT_X, "Hilltown")),
            date=DateRef(text="on Thursday", start=THURSDAY, end=THURSDAY, precision="day"),
            event="ev2",
        ),
    ]


ACTORS = [
    Actor(id="MIL", name="Riverton Militia", kind="militia", country="XX", aliases=["the militia"]),
    Actor(id="ARMY", name="National Army", kind="military", country="XX"),
]
PLACES = [
    Place(id="P_RIVER", name="Riverton", country="XX", lat=12.5, lon=-3.25, feature="town"),
    Place(id="P_HILL", name="Hilltown", country="XX", lat=13.0, lon=-2.5, feature="town"),
]


def events() -> list[Event]:
    def at(place: Place) -> EventLocation:
        return EventLocation(name=place.name, place=place.id, country="XX", lat=place.lat, lon=place.lon)

    day = {"precision": "day"}
    return [
        Event(
            id="ev1",
            type="ASSAULT",
            title="Militia attack a checkpoint in Riverton",
            date=DateRef("on Tuesday", TUESDAY, TUESDAY, **day),
            status="disputed",
            mentions=["art-a:m1", "art-b:m1"],
            articles=["art-a", "art-b"],
            corroboration=Corroboration(2, 2),
            location=at(PLACES[0]),
            actors=["MIL"],
            # a target no stored article names as an actor: shown, not linked
            recipients=["ARMY", "CHECKPOINT_GUARDS"],
            killed=Toll(3, 5, 3),
            contradictions=["c1"],
        ),
        Event(
            id="ev2",
            type="FIGHT",
            title="Clashes in Hilltown",
            date=DateRef("on Thursday", THURSDAY, THURSDAY, **day),
            status="reported",
            mentions=["art-x:m1"],
            articles=["art-x"],
            corroboration=Corroboration(1, 1),
            location=at(PLACES[1]),
        ),
        Event(
            id="ev3",
            type="STATEMENT",
            title="The army condemns the attack",
            date=DateRef.unknown(),
            status="reported",
            mentions=["art-a:m2"],
            articles=["art-a"],
            corroboration=Corroboration(1, 1),
            actors=["ARMY"],
        ),
    ]


CONTRADICTION = Contradiction(
    id="c1",
    kind="fatalities",
    about_text="soldiers killed",
    positions=[Position("3", ["art-a"], ["art-a:m1"]), Position("5", ["art-b"], ["art-b:m1"])],
    explanation="the army says three soldiers were killed, a local official five",
    internal=False,
    severity="high",
    about_event="ev1",
    about_actor="ARMY",
)


def fill(store: Store) -> None:
    """Store the record above, as the pipeline would: articles with their extractions, then the
    resolution, then credibility."""
    found = mentions()
    for article in articles():
        own = [m for m in found if m.article == article.id]
        store.add_article(article, extraction=Extraction(article.id, own, ACTORS, PLACES))
    store.save_resolution(Resolution(events=events(), contradictions=[CONTRADICTION], mentions=found))
    signals = [Signal("named_source", 0.1, "names who it quotes", [span_of(TEXT_A, "the army said")])]
    store.save_credibility("art-a", Credibility(0.72, "high", signals))
    store.save_credibility("art-b", Credibility(0.41, "medium", []))
