"""A store filled by hand for the export tests: two articles about an invented ceasefire dispute,
their mentions (every field set on one), the resolved events, a contradiction, actors and places."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from khabar.models import (
    Acled,
    Actor,
    ActorRef,
    Article,
    ArticleWarning,
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
    Role,
    Signal,
    Toll,
)
from khabar.store.repository import Store

SHELLING = "Artillery shelled Lakeside village on 2 May, killing four people, officials said."
DENIAL = "The rebels denied shelling Lakeside. Officials said at least six people died."


def _mention(mention_id: str, article: str, span: tuple[int, int], **fields) -> Mention:
    return Mention(id=mention_id, article=article, span=span, **fields)


def articles() -> list[Article]:
    return [
        Article(
            id="z-article",
            source="b_second.txt",
            text=DENIAL,
            title="Rebels deny shelling",
            published=date(2023, 5, 4),
            outlet="Daily Example",
            warnings=[ArticleWarning(code="casing_repaired", message="restored capitals", span=(0, 3))],
        ),
        Article(
            id="a-article",
            source="a_first.txt",
            text=SHELLING,
            title="Village shelled",
            url="https://example.org/shelling",
            published=date(2023, 5, 3),
            outlet="Example Wire",
            author="R. Writer",
            genre="news",
        ),
    ]


def mentions() -> dict[str, list[Mention]]:
    full = _mention(
        "a:m1",
        "a-article",
        (10, 17),
        sentence=SHELLING,
        sentence_span=(0, len(SHELLING)),
        type="ASSAULT",
        trigger="shelled",
        mode="heavy-weapons",
        acled=Acled(
            event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack"
        ),
        actors=[ActorRef(text="Artillery", actor=None, span=(0, 9))],
        recipients=[ActorRef(text="people", actor="CIV", span=(54, 60))],
        date=DateRef(
            text="2 May", start=date(2023, 5, 2), end=date(2023, 5, 2), precision="day", basis="explicit"
        ),
        location=PlaceRef(text="Lakeside village", place="LAKESIDE", span=(18, 34)),
        killed=Toll(low=4, high=4, best=4, text="four people", span=(49, 60)),
        injured=None,
        reporter=Reporter(text="officials", actor=None, span=(62, 71)),
        modality="attributed",
        confidence=0.9,
        event="ev-shelling",
    )
    denial = _mention(
        "z:m1",
        "z-article",
        (11, 17),
        sentence="The rebels denied shelling Lakeside.",
        type="REJECT",
        trigger="denied",
        actors=[ActorRef(text="The rebels", actor="REBELS", span=(0, 10))],
        quote="we never fired",
        quote_span=(0, 1),
        venue="a statement",
        about_mention="z:m2",
        about="ev-shelling",
        modality="asserted",
        event="ev-denial",
    )
    toll = _mention(
        "z:m2",
        "z-article",
        (27, 35),
        sentence="The rebels denied shelling Lakeside.",
        type="ASSAULT",
        trigger="shelling",
        date=DateRef.unknown(),
        location=PlaceRef(text="Lakeside"),
        killed=Toll(low=6, high=None, text="at least six"),
        modality="denied",
        event="ev-shelling",
    )
    # stored out of text order on purpose: the export must sort by position
    return {"a-article": [full], "z-article": [toll, denial]}


def actors() -> list[Actor]:
    return [
        Actor(
            id="REBELS",
            name="Northern Rebels",
            kind="rebel",
            country="XY",
            aliases=["the rebels"],
            acled_inter=2,
        ),
        Actor(
            id="MAYOR",
            name="Lina Park",
            kind="person",
            country="XY",
            roles=[Role(title="Mayor", of="LAKESIDE_COUNCIL", start=date(2020, 1, 1), end=date(2024, 1, 1))],
        ),
        Actor(id="CIV", name="Civilians", kind="civilian"),
    ]


def places() -> list[Place]:
    return [
        Place(
            id="LAKESIDE", name="Lakeside", country="XY", lat=10.0, lon=20.5, feature="village", admin1="Lake"
        )
    ]


def resolution(all_mentions: list[Mention]) -> Resolution:
    shelling = Event(
        id="ev-shelling",
        type="ASSAULT",
        title="Shelling of Lakeside",
        date=DateRef(
            text="2 May", start=date(2023, 5, 2), end=date(2023, 5, 2), precision="day", basis="explicit"
        ),
        status="disputed",
        mentions=["a:m1", "z:m2"],
        articles=["a-article", "z-article"],
        corroboration=Corroboration(articles=2, outlets=2),
        mode="heavy-weapons",
        acled=Acled(
            event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack"
        ),
        acled_time_precision=1,
        location=EventLocation(
            name="Lakeside", place="LAKESIDE", country="XY", lat=10.0, lon=20.5, acled_geo_precision=1
        ),
        recipients=["CIV"],
        killed=Toll(low=4, high=None, best=4),
        contradictions=["c-toll"],
    )
    denial = Event(
        id="ev-denial",
        type="REJECT",
        title="Rebels deny shelling Lakeside",
        date=DateRef.unknown(),
        status="reported",
        mentions=["z:m1"],
        articles=["z-article"],
        corroboration=Corroboration(articles=1, outlets=1),
        actors=["REBELS"],
    )
    contradiction = Contradiction(
        id="c-toll",
        kind="fatalities",
        about_text="people killed in the shelling of Lakeside",
        positions=[
            Position(value="4", articles=["a-article"], mentions=["a:m1"], spans=[(49, 60)]),
            Position(value="at least 6", articles=["z-article"], mentions=["z:m2"]),
        ],
        explanation="Example Wire reports four dead, Daily Example at least six.",
        internal=False,
        severity="medium",
        about_event="ev-shelling",
    )
    return Resolution(events=[shelling, denial], contradictions=[contradiction], mentions=all_mentions)


def fill(store: Store, *, resolve: bool = True) -> None:
    by_article = mentions()
    for article in articles():
        extraction = Extraction(
            article=article.id, mentions=by_article[article.id], actors=actors(), places=places()
        )
        store.add_article(article, extraction=extraction)
    if resolve:
        store.save_resolution(resolution([m for ms in by_article.values() for m in ms]))
    signal = Signal(name="named_sources", effect=0.1, detail="cites officials", spans=[(62, 71)])
    store.save_credibility("a-article", Credibility(score=0.7, label="high", signals=[signal]))


@pytest.fixture
def filled_store() -> Iterator[Store]:
    store = Store.open(":memory:")
    fill(store)
    yield store
    store.close()


@pytest.fixture
def unresolved_store() -> Iterator[Store]:
    store = Store.open(":memory:")
    fill(store, resolve=False)
    yield store
    store.close()
