"""Hand-made stage objects for the store tests: an article about an invented clash, with a
mention that sets every field, and a resolution of it; and the databases the tests run on: each
store test that takes `db` or `db_target` runs on SQLite and on a throwaway PostgreSQL server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from postgres import PostgresServer, ServerUnavailable
from sqlalchemy import text

from khabar.models import (
    Acled,
    Actor,
    ActorRef,
    Article,
    ArticleWarning,
    Contradiction,
    Corroboration,
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
    RoleClaim,
    Toll,
)
from khabar.store.db import make_engine
from khabar.store.repository import Store
from khabar.store.schema import Base

TEXT = (
    "Militia fighters attacked a checkpoint in Riverton on Tuesday, killing between three and five "
    "soldiers, the army said. Former Governor Ana Ruiz condemned the attack."
)


def make_article(article_id: str = "art1", **fields) -> Article:
    defaults = {
        "source": f"reports/{article_id}.txt",
        "text": TEXT,
        "raw": "<p>" + TEXT + "</p>",
        "title": "Checkpoint attacked in Riverton",
        "url": f"https://news.example/{article_id}",
        "published": date(2024, 3, 6),
        "outlet": "Example News",
        "author": "J. Doe",
        "language": "en",
        "genre": "news",
        "warnings": [ArticleWarning(code="furniture_removed", message="removed 2 lines", span=(0, 7))],
    }
    return Article(id=article_id, **(defaults | fields))


def make_mention(mention_id: str = "art1:m1", *, article: str = "art1", span=(16, 24), **fields) -> Mention:
    defaults = {
        "sentence": TEXT[:120],
        "type": "ASSAULT",
        "sentence_span": (0, 120),
        "trigger": "attacked",
        "mode": "firearms",
        "acled": Acled(event_type="Battles", sub_event_type="Armed clash"),
        "actors": [ActorRef(text="Militia fighters", actor="MIL", span=(0, 16))],
        "recipients": [
            ActorRef(text="soldiers", actor="ARMY", span=(99, 107)),
            ActorRef(text="a checkpoint"),
        ],
        "date": DateRef(
            text="on Tuesday",
            start=date(2024, 3, 5),
            end=date(2024, 3, 5),
            precision="day",
            basis="published",
        ),
        "location": PlaceRef(text="Riverton", place="P_RIVERTON", span=(42, 50)),
        "killed": Toll(low=3, high=5, best=4, text="between three and five", span=(70, 92)),
        "injured": Toll(low=None, high=None, text="several"),
        "reporter": Reporter(text="the army", actor="ARMY", span=(109, 117)),
        "modality": "attributed",
        "quote": "a cowardly act",
        "quote_span": (150, 164),
        "venue": "a press conference",
        "about_mention": "art1:m0",
        "about": None,
        "confidence": 0.8,
        "event": None,
    }
    return Mention(id=mention_id, article=article, span=span, **(defaults | fields))


def make_actors() -> list[Actor]:
    return [
        Actor(id="MIL", name="Riverton Militia", kind="militia", country="XX", aliases=["the militia"]),
        Actor(id="ARMY", name="National Army", kind="military", country="XX", acled_inter=1),
        Actor(
            id="RUIZ",
            name="Ana Ruiz",
            kind="person",
            country="XX",
            roles=[Role(title="Governor", of="XX_NORTH", start=date(2019, 1, 1), end=None)],
            parent=None,
        ),
    ]


def make_places() -> list[Place]:
    return [
        Place(
            id="P_RIVERTON",
            name="Riverton",
            country="XX",
            lat=12.5,
            lon=-3.25,
            feature="town",
            admin1="North",
            aliases=["River Town"],
        )
    ]


def make_extraction(article_id: str = "art1", *, mentions: list[Mention] | None = None) -> Extraction:
    claim = RoleClaim(
        article=article_id,
        actor="RUIZ",
        title="Governor",
        former=True,
        span=(120, 143),
        text="Former Governor",
    )
    return Extraction(
        article=article_id,
        mentions=mentions if mentions is not None else [make_mention(article=article_id)],
        actors=make_actors(),
        places=make_places(),
        role_claims=[claim],
    )


def make_event(event_id: str = "ev1", *, mentions=("art1:m1",), day: date | None = date(2024, 3, 5)) -> Event:
    return Event(
        id=event_id,
        type="ASSAULT",
        title="Militia attack a checkpoint in Riverton",
        date=DateRef(text="on Tuesday", start=day, end=day, precision="day" if day else "none"),
        status="reported",
        mentions=list(mentions),
        articles=["art1"],
        corroboration=Corroboration(articles=1, outlets=1),
        mode="firearms",
        acled=Acled(event_type="Battles", sub_event_type="Armed clash"),
        acled_time_precision=1,
        location=EventLocation(
            name="Riverton",
            place="P_RIVERTON",
            admin1="North",
            country="XX",
            lat=12.5,
            lon=-3.25,
            acled_geo_precision=1,
        ),
        actors=["MIL"],
        recipients=["ARMY", "UNKNOWN_ACTOR"],
        killed=Toll(low=3, high=5, best=4),
        injured=None,
        contradictions=["c1"],
    )


def make_contradiction(event_id: str | None = "ev1") -> Contradiction:
    return Contradiction(
        id="c1",
        kind="fatalities",
        about_text="soldiers killed",
        positions=[
            Position(value="3", articles=["art1"], mentions=["art1:m1"], spans=[(70, 92)]),
            Position(value="5", articles=["art2"]),
        ],
        explanation="the army says three, the militia five",
        internal=False,
        severity="high",
        about_event=event_id,
        about_actor="ARMY",
    )


def make_resolution(mention: Mention) -> Resolution:
    mention.event = "ev1"
    return Resolution(events=[make_event()], contradictions=[make_contradiction()], mentions=[mention])


@pytest.fixture
def make() -> SimpleNamespace:
    """The builders above, for test modules (which cannot import a conftest)."""
    return SimpleNamespace(
        article=make_article,
        mention=make_mention,
        extraction=make_extraction,
        event=make_event,
        contradiction=make_contradiction,
        resolution=make_resolution,
        actors=make_actors,
        places=make_places,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "khabar.db"


BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session, started when a test first needs it. Without
    PostgreSQL installed the tests that need it fail, saying what to install: CI has it."""
    try:
        server = PostgresServer.start()
    except ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def db_target(request: pytest.FixtureRequest, backend: str, db_path: Path) -> str:
    """A new, empty database on the test's backend: a SQLite file, or a PostgreSQL URL."""
    if backend == "sqlite":
        return str(db_path)
    return request.getfixturevalue("postgres_server").create_database()


@pytest.fixture(scope="session")
def postgres_store(postgres_server: PostgresServer) -> str:
    """The URL of one PostgreSQL database, migrated once, that `db` empties for each test:
    emptying ten tables costs a tenth of creating and migrating a database."""
    url = postgres_server.create_database()
    Store.open(url).close()
    return url


@pytest.fixture
def db(request: pytest.FixtureRequest, backend: str, sql: Callable[..., list[Any]]) -> Iterator[Store]:
    """The store on each backend: SQLite in memory, as in the root conftest, or PostgreSQL."""
    if backend == "sqlite":
        target = ":memory:"
    else:
        target = request.getfixturevalue("postgres_store")
        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        sql(target, f"TRUNCATE {tables} RESTART IDENTITY")
    store = Store.open(target)
    yield store
    store.close()


@pytest.fixture
def sql() -> Callable[..., list[Any]]:
    """`sql(target, statement, **params)`: the rows of one statement, run and committed on its
    own connection, as another program using the database would."""

    def run(target: str, statement: str, **params: Any) -> list[Any]:
        engine = make_engine(target)
        try:
            with engine.begin() as connection:
                result = connection.execute(text(statement), params)
                return list(result) if result.returns_rows else []
        finally:
            engine.dispose()

    return run
