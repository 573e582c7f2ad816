"""The database tables, as SQLAlchemy 2 declarative models.

models.py dataclasses -> (store/convert.py) -> these rows -> SQLite or PostgreSQL. Only the store
package imports this module; the rest of khabar sees dataclasses.

Each table keeps the whole object as JSON in `data` (so every field round-trips) and copies the
fields people filter, join and read on into plain columns, so the file makes sense opened in
sqlite3 or datasette. The migration in store/migrations/versions/ creates the same tables, plus
the readable views (`event_summary`, `mention_sources`) and, on SQLite, the full-text index
`articles_fts`; tests/store check that the two agree.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Double, ForeignKey, Index, LargeBinary, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names let later migrations drop or alter constraints by name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # float spelled out: SQLAlchemy 2.0 maps it to Float, 2.1 to Double; migrations need one answer
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON, float: Double}


class ArticleRow(Base):
    """One cleaned article with its metadata and, once assessed, its credibility."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(primary_key=True)
    source: Mapped[str]
    url: Mapped[str | None]
    outlet: Mapped[str | None]
    title: Mapped[str | None]
    author: Mapped[str | None]
    published: Mapped[date | None]
    language: Mapped[str | None]
    genre: Mapped[str | None]
    text: Mapped[str]
    raw: Mapped[str]
    warnings: Mapped[list[Any]]
    duplicate_of: Mapped[str | None]
    credibility_score: Mapped[float | None]
    credibility_label: Mapped[str | None]
    #: the credibility signals, [{name, effect, detail, spans}]
    credibility: Mapped[list[Any] | None]
    ingested_at: Mapped[datetime]


class MinhashRow(Base):
    """The near-duplicate signature of one article (khabar.dedup)."""

    __tablename__ = "minhashes"

    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class MentionRow(Base):
    """One report of one event in one article."""

    __tablename__ = "mentions"

    id: Mapped[str] = mapped_column(primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    type: Mapped[str]
    mode: Mapped[str | None]
    trigger: Mapped[str | None]
    sentence: Mapped[str]
    span_start: Mapped[int]
    span_end: Mapped[int]
    date_start: Mapped[date | None]
    date_end: Mapped[date | None]
    date_precision: Mapped[str]
    location_text: Mapped[str | None]
    place_id: Mapped[str | None]
    killed_low: Mapped[int | None]
    killed_high: Mapped[int | None]
    injured_low: Mapped[int | None]
    injured_high: Mapped[int | None]
    #: who the article attributes the report to, as the article words it
    reporter: Mapped[str | None]
    modality: Mapped[str]
    quote: Mapped[str | None]
    #: indexed: deleting an event sets this to NULL, which otherwise scans every mention per event
    about_event_id: Mapped[str | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"), index=True
    )
    confidence: Mapped[float]
    data: Mapped[dict[str, Any]]


class EventRow(Base):
    """One real-world event merged from its mentions (written by save_resolution)."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(index=True)
    mode: Mapped[str | None]
    title: Mapped[str]
    date_start: Mapped[date | None] = mapped_column(index=True)
    date_end: Mapped[date | None]
    date_precision: Mapped[str]
    place_id: Mapped[str | None]
    location_name: Mapped[str | None]
    country: Mapped[str | None] = mapped_column(index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    killed_low: Mapped[int | None]
    killed_best: Mapped[int | None]
    killed_high: Mapped[int | None]
    injured_low: Mapped[int | None]
    injured_best: Mapped[int | None]
    injured_high: Mapped[int | None]
    status: Mapped[str]
    n_articles: Mapped[int]
    n_outlets: Mapped[int]
    data: Mapped[dict[str, Any]]


class EventActorRow(Base):
    """Who took part in an event, in order: role "actor" (the doer) or "recipient" (the target).
    A table rather than JSON so "every event involving X" is a plain join on any database."""

    __tablename__ = "event_actors"
    __table_args__ = (Index("ix_event_actors_actor_id", "actor_id"),)

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[str]


class ContradictionRow(Base):
    """Where sources disagree (or one article contradicts itself)."""

    __tablename__ = "contradictions"

    id: Mapped[str] = mapped_column(primary_key=True)
    kind: Mapped[str]
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str | None]
    severity: Mapped[str]
    internal: Mapped[bool]
    explanation: Mapped[str]
    data: Mapped[dict[str, Any]]


class ActorRow(Base):
    """An actor named by some article: `data` holds the whole Actor, aliases and roles included."""

    __tablename__ = "actors"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    kind: Mapped[str]
    country: Mapped[str | None]
    acled_inter: Mapped[int | None]
    data: Mapped[dict[str, Any]]


class PlaceRow(Base):
    """A place named by some article, with coordinates; `data` holds the whole Place."""

    __tablename__ = "places"

    id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    feature: Mapped[str]
    country: Mapped[str | None]
    admin1: Mapped[str | None]
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    data: Mapped[dict[str, Any]]


class RoleClaimRow(Base):
    """A title an article gives a person ("former president"), for resolve to check."""

    __tablename__ = "role_claims"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[str]
    title: Mapped[str]
    former: Mapped[bool]
    span_start: Mapped[int]
    span_end: Mapped[int]
    text: Mapped[str]


class ApiTokenRow(Base):
    """A token that lets a client write through `khabar serve` (#6). Only the SHA-256 digest is
    kept: a stolen database file does not hand out working tokens."""

    __tablename__ = "api_tokens"

    digest: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    created_at: Mapped[datetime]


# The events list of `khabar serve` (#6), a page at a time over tens of thousands of events
# (Store.find_events). SQLite puts NULL first, so "undated last" orders on `date_start IS NULL`
# first; these indexes hold that expression, so the date orders, alone or after a type or country
# filter, read straight off an index and stop at the page. The listing index holds every column
# the other filters and orders need, so none of them reads the JSON of the rows it passes over.
_UNDATED = EventRow.date_start.is_(None)
Index("ix_events_by_date", _UNDATED, EventRow.date_start, EventRow.id, EventRow.date_end)
Index("ix_events_by_date_desc", _UNDATED, EventRow.date_start.desc(), EventRow.id.desc(), EventRow.date_end)
Index("ix_events_by_type", EventRow.type, _UNDATED, EventRow.date_start, EventRow.id)
Index(
    "ix_events_by_country", EventRow.country, _UNDATED, EventRow.date_start, EventRow.id, EventRow.n_articles
)
# deadliest first and most reported first, the other orders people pick (migration 0003)
_KILLED = func.coalesce(EventRow.killed_best, EventRow.killed_low)
Index("ix_events_by_killed_desc", _KILLED.is_(None), _KILLED.desc(), EventRow.id.desc())
Index(
    "ix_events_by_corroboration_desc",
    EventRow.n_articles.is_(None),
    EventRow.n_articles.desc(),
    EventRow.id.desc(),
)
Index(
    "ix_events_listing",
    EventRow.date_start,
    EventRow.date_end,
    EventRow.type,
    EventRow.country,
    EventRow.place_id,
    EventRow.status,
    EventRow.n_articles,
    EventRow.killed_best,
    EventRow.killed_low,
    EventRow.id,
)
