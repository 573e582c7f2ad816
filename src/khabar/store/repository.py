"""The Store: khabar's database, and the only code that speaks SQL.

Stage objects in (Article + Extraction from extract, Resolution from resolve, Credibility from
assess) -> rows in SQLite or PostgreSQL -> the same objects back out, for report, serve and
export. Every write is one transaction: a failure leaves no trace of what was being written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..errors import StoreError
from ..models import (
    Actor,
    Article,
    Contradiction,
    Credibility,
    Event,
    Extraction,
    Mention,
    Place,
    Resolution,
    RoleClaim,
)
from . import convert
from .convert import (
    actor_row,
    article_from_row,
    article_row,
    contradiction_row,
    credibility_from_row,
    credibility_values,
    event_actor_rows,
    event_row,
    mention_from_row,
    mention_row,
    place_row,
    role_claim_from_row,
    role_claim_row,
)
from .db import WRITE, display_name, make_engine, upgrade
from .schema import (
    ActorRow,
    ApiTokenRow,
    ArticleRow,
    ContradictionRow,
    EventActorRow,
    EventRow,
    MentionRow,
    MinhashRow,
    PlaceRow,
    RoleClaimRow,
)

DEFAULT_DB = "khabar.db"
#: marks around the matched words in `SearchHit.snippet`; escape the snippet before showing it
SNIPPET_MARKS = ("«", "»")
SNIPPET_TOKENS = 16


#: the orders `find_events` knows; each ends on the event id, so pages never overlap or skip
EVENT_SORTS = ("date", "-date", "killed", "-killed", "corroboration", "-corroboration")


@dataclass
class EventFilter:
    """Which events `Store.find_events` returns; a field left None does not filter.

    since (date | None): only events that may have happened on or after this day.
    until (date | None): only events that may have happened on or before this day. With either
        date set, undated events are left out.
    type (str | None): the PLOVER type, e.g. "ASSAULT".
    actor (str | None): an actor id taking part in the event.
    role (str | None): with `actor`, only as "actor" (the doer) or "recipient" (the target).
    country (str | None): the country code of the event's location, as stored (ISO alpha-2).
    place (str | None): the place id of the event's location.
    status (str | None): "confirmed", "reported", "claimed", "disputed" or "denied".
    min_corroboration (int | None): only events reported by at least this many articles.
    """

    since: date | None = None
    until: date | None = None
    type: str | None = None
    actor: str | None = None
    role: str | None = None
    country: str | None = None
    place: str | None = None
    status: str | None = None
    min_corroboration: int | None = None


@dataclass
class EventPage:
    """One page of `Store.find_events`: the events, and how many match in all."""

    events: list[Event]
    total: int


@dataclass
class ApiToken:
    """A stored API token: its name and when it was made (the token itself is never stored)."""

    name: str
    created_at: datetime


@dataclass
class SearchHit:
    """One article matching a full-text search.

    article (str): the article id.
    title (str | None): its title.
    snippet (str): the words around the match, the match between « and ».
    """

    article: str
    title: str | None
    snippet: str


class Store:
    """khabar's database. Open with `Store.open(path_or_url)`; use as a context manager."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name = display_name(engine.url)

    @classmethod
    def open(cls, target: str | Path | None = None) -> Store:
        """Open (creating and migrating as needed) a database.

        target (str | Path | None): a file path, ":memory:", or a database URL; None reads the
            KHABAR_DB environment variable, else "./khabar.db".
        RETURNS (Store): the open store, its schema at the newest version.
        RAISES StoreError: the database cannot be opened or migrated.
        """
        if target is None:
            target = os.environ.get("KHABAR_DB") or DEFAULT_DB
        engine = make_engine(target)
        try:
            upgrade(engine)
        except StoreError:
            engine.dispose()
            raise
        return cls(engine)

    def close(self) -> None:
        """Close every connection to the database."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ---- transactions ----------------------------------------------------------------------------

    @contextmanager
    def _write(self, what: str) -> Iterator[Connection]:
        """One write transaction; database errors become StoreError, and anything raised inside
        rolls the whole transaction back."""
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**{WRITE: True})
                with connection.begin():
                    yield connection
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write {what}: {_reason(exc)}", source=self.name) from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the database: {_reason(exc)}", source=self.name) from exc

    def _rows(self, statement: Any) -> list[Any]:
        with self._read() as connection:
            return list(connection.execute(statement))

    # ---- articles and extractions ----------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""
        with self._read() as connection:
            return connection.scalar(select(ArticleRow.id).where(ArticleRow.id == article_id)) is not None

    def add_article(
        self, article: Article, *, extraction: Extraction | None = None, signature: bytes | None = None
    ) -> bool:
        """Store an article with what was extracted from it, all or nothing.

        article (Article): the cleaned article.
        extraction (Extraction | None): its mentions, role claims, and the actors and places they
            name (actors and places are upserted: the newest version wins). A mention's `event`
            and `about` are not kept: save_resolution sets them.
        signature (bytes | None): its near-duplicate signature (khabar.dedup.signature).
        RETURNS (bool): True if stored; False, writing nothing, if the id is already stored.
        RAISES StoreError: the extraction belongs to another article, or the write failed.
            Whatever is raised, nothing of the article is left in the database.
        """
        if extraction is not None:
            _check_belongs(article.id, extraction)
        with self._write(f"article {article.id}") as connection:
            if connection.scalar(select(ArticleRow.id).where(ArticleRow.id == article.id)) is not None:
                return False
            connection.execute(insert(ArticleRow), [article_row(article)])
            if extraction is not None:
                _write_extraction(connection, extraction)
            if signature is not None:
                connection.execute(insert(MinhashRow), [{"article_id": article.id, "signature": signature}])
        return True

    def replace_extraction(self, article_id: str, extraction: Extraction) -> None:
        """Replace what was extracted from a stored article (its mentions and role claims), all or
        nothing; e.g. when the corpus year its undated dates depend on has changed. The article's
        mentions stay out of events until the next save_resolution.

        RAISES StoreError: the article is not stored, the extraction is another article's, or the
            write failed; the previous extraction then stays.
        """
        _check_belongs(article_id, extraction)
        with self._write(f"article {article_id}") as connection:
            if connection.scalar(select(ArticleRow.id).where(ArticleRow.id == article_id)) is None:
                raise StoreError(f"article {article_id} is not stored")
            connection.execute(delete(MentionRow).where(MentionRow.article_id == article_id))
            connection.execute(delete(RoleClaimRow).where(RoleClaimRow.article_id == article_id))
            _write_extraction(connection, extraction)

    def articles(self) -> list[Article]:
        """Every stored article, ordered by source then id."""
        rows = self._rows(select(ArticleRow).order_by(ArticleRow.source, ArticleRow.id))
        return [article_from_row(row) for row in rows]

    def article(self, article_id: str) -> Article | None:
        """The article with this id, or None."""
        rows = self._rows(select(ArticleRow).where(ArticleRow.id == article_id))
        return article_from_row(rows[0]) if rows else None

    def article_count(self) -> int:
        """How many articles are stored."""
        with self._read() as connection:
            return connection.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def mentions(self, *, article_id: str | None = None) -> list[Mention]:
        """Stored mentions, ordered by article, then position in the article.

        article_id (str | None): only this article's mentions.
        RETURNS (list[Mention]): the mentions, with the event ids save_resolution last set.
        """
        statement = select(MentionRow.data, MentionRow.event_id, MentionRow.about_event_id)
        if article_id is not None:
            statement = statement.where(MentionRow.article_id == article_id)
        order = (MentionRow.article_id, MentionRow.span_start, MentionRow.span_end, MentionRow.id)
        return [mention_from_row(row) for row in self._rows(statement.order_by(*order))]

    def role_claims(self) -> list[RoleClaim]:
        """Every stored role claim, ordered by article then position."""
        statement = select(RoleClaimRow).order_by(RoleClaimRow.article_id, RoleClaimRow.span_start)
        return [role_claim_from_row(row) for row in self._rows(statement)]

    def actors(self) -> list[Actor]:
        """Every actor some stored article names, ordered by id."""
        rows = self._rows(select(ActorRow.data).order_by(ActorRow.id))
        return [convert.from_jsonable(Actor, row.data) for row in rows]

    def places(self) -> list[Place]:
        """Every place some stored article names, ordered by id."""
        rows = self._rows(select(PlaceRow.data).order_by(PlaceRow.id))
        return [convert.from_jsonable(Place, row.data) for row in rows]

    def signatures(self) -> list[tuple[str, bytes]]:
        """(article id, near-duplicate signature) for every article that has one."""
        rows = self._rows(select(MinhashRow.article_id, MinhashRow.signature).order_by(MinhashRow.article_id))
        return [(row.article_id, bytes(row.signature)) for row in rows]

    # ---- resolution ------------------------------------------------------------------------------

    def save_resolution(self, resolution: Resolution) -> None:
        """Replace all events and contradictions with a new resolution, in one transaction.

        resolution (Resolution): the events, contradictions and the mentions whose `event` and
            `about` resolve set. Stored mentions not in it are left without an event.
        RAISES StoreError: a mention or contradiction points to an event not in the resolution,
            a mention is not stored, or the write failed; the previous resolution then stays.
        """
        _check_references(resolution)
        with self._write("the resolution") as connection:
            connection.execute(update(MentionRow).values(event_id=None, about_event_id=None))
            for table in (ContradictionRow, EventActorRow, EventRow):
                connection.execute(delete(table))
            _insert(connection, EventRow, [event_row(event) for event in resolution.events])
            actor_rows = [row for event in resolution.events for row in event_actor_rows(event)]
            _insert(connection, EventActorRow, actor_rows)
            _insert(connection, ContradictionRow, [contradiction_row(c) for c in resolution.contradictions])
            _update_mentions(connection, resolution.mentions)

    def events(self) -> list[Event]:
        """Every event, ordered by start date (undated last), then id."""
        order = (EventRow.date_start.is_(None), EventRow.date_start, EventRow.id)
        rows = self._rows(select(EventRow.data).order_by(*order))
        return [convert.from_jsonable(Event, row.data) for row in rows]

    def contradictions(self) -> list[Contradiction]:
        """Every contradiction, ordered by id."""
        rows = self._rows(select(ContradictionRow.data).order_by(ContradictionRow.id))
        return [convert.from_jsonable(Contradiction, row.data) for row in rows]

    # ---- one object, and events a page at a time (for serve) -------------------------------------

    def event(self, event_id: str) -> Event | None:
        """The event with this id, or None."""
        rows = self._rows(select(EventRow.data).where(EventRow.id == event_id))
        return convert.from_jsonable(Event, rows[0].data) if rows else None

    def event_mentions(self, event_id: str) -> list[Mention]:
        """The mentions merged into an event, ordered by article then position."""
        statement = select(MentionRow.data, MentionRow.event_id, MentionRow.about_event_id)
        statement = statement.where(MentionRow.event_id == event_id)
        order = (MentionRow.article_id, MentionRow.span_start, MentionRow.span_end, MentionRow.id)
        return [mention_from_row(row) for row in self._rows(statement.order_by(*order))]

    def actor(self, actor_id: str) -> Actor | None:
        """The actor with this id, if some stored article names it."""
        rows = self._rows(select(ActorRow.data).where(ActorRow.id == actor_id))
        return convert.from_jsonable(Actor, rows[0].data) if rows else None

    def find_events(
        self, where: EventFilter | None = None, *, sort: str = "date", limit: int = 50, offset: int = 0
    ) -> EventPage:
        """One page of the events a filter selects, in a stable order.

        where (EventFilter | None): which events; None for all.
        sort (str): one of EVENT_SORTS: "date" (undated last), "killed" (by best estimate, else
            the low one; none last), "corroboration" (articles); a leading "-" reverses it.
        limit (int): at most this many events.
        offset (int): skip this many first.
        RETURNS (EventPage): the events and the number that match in all.
        RAISES StoreError: the sort is unknown, or limit or offset is negative.
        """
        if sort not in EVENT_SORTS:
            raise StoreError(f"unknown event order {sort!r}; use one of {', '.join(EVENT_SORTS)}")
        if limit < 0 or offset < 0:
            raise StoreError(f"limit ({limit}) and offset ({offset}) must not be negative")
        conditions = _event_conditions(where or EventFilter())
        count = select(func.count()).select_from(EventRow).where(*conditions)
        page = select(EventRow.data).where(*conditions).order_by(*_event_order(sort))
        with self._read() as connection:
            total = connection.scalar(count) or 0
            rows = connection.execute(page.limit(limit).offset(offset)).all()
        return EventPage([convert.from_jsonable(Event, row.data) for row in rows], total)

    # ---- credibility -----------------------------------------------------------------------------

    def save_credibility(self, article_id: str, credibility: Credibility) -> None:
        """Set (or replace) an article's credibility assessment.

        article_id (str): a stored article.
        credibility (Credibility): its assessment.
        RAISES StoreError: the article is not stored.
        """
        with self._write(f"the credibility of article {article_id}") as connection:
            statement = update(ArticleRow).where(ArticleRow.id == article_id)
            result = connection.execute(statement.values(**credibility_values(credibility)))
            if result.rowcount == 0:
                raise StoreError(f"cannot save credibility: no article {article_id!r}", source=self.name)

    def credibility(self, article_id: str) -> Credibility | None:
        """The article's credibility, or None if it is not stored or not assessed yet."""
        columns = (ArticleRow.credibility_score, ArticleRow.credibility_label, ArticleRow.credibility)
        rows = self._rows(select(*columns).where(ArticleRow.id == article_id))
        return credibility_from_row(rows[0]) if rows else None

    # ---- search ----------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article titles and texts.

        query (str): on SQLite, FTS5 syntax: words, "a phrase", AND/OR/NOT, prefix*, NEAR(a b).
            On PostgreSQL, a plain substring.
        limit (int): at most this many hits.
        RETURNS (list[SearchHit]): best match first; nothing for a blank query.
        RAISES StoreError: the query is not valid FTS5 syntax (the message says why).
        """
        if not query.strip():
            return []
        if self.engine.dialect.name == "sqlite":
            return self._search_fts(query, limit=limit)
        return self._search_substring(query, limit=limit)

    def _search_fts(self, query: str, *, limit: int) -> list[SearchHit]:
        statement = text(
            "SELECT article_id, title, snippet(articles_fts, -1, :open, :close, '…', :tokens) AS snippet "
            "FROM articles_fts WHERE articles_fts MATCH :query ORDER BY rank, article_id LIMIT :limit"
        )
        marks = {"open": SNIPPET_MARKS[0], "close": SNIPPET_MARKS[1], "tokens": SNIPPET_TOKENS}
        try:
            with self.engine.connect() as connection:
                rows = connection.execute(statement, {"query": query, "limit": limit, **marks}).all()
        except OperationalError as exc:
            message = (
                f"search query {query!r} is not valid full-text syntax ({_reason(exc)}); "
                'put words with punctuation in "double quotes"'
            )
            raise StoreError(message, source=self.name) from exc
        return [SearchHit(article=row.article_id, title=row.title, snippet=row.snippet) for row in rows]

    def _search_substring(self, query: str, *, limit: int) -> list[SearchHit]:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matches = or_(*(column.ilike(pattern, escape="\\") for column in (ArticleRow.title, ArticleRow.text)))
        statement = select(ArticleRow.id, ArticleRow.title, ArticleRow.text).where(matches)
        rows = self._rows(statement.order_by(ArticleRow.source, ArticleRow.id).limit(limit))
        return [SearchHit(article=row.id, title=row.title, snippet=_snippet(row.text, query)) for row in rows]

    # ---- API tokens ------------------------------------------------------------------------------

    def add_token(self, name: str, digest: str) -> None:
        """Store an API token by its digest.

        name (str): who or what the token is for, shown when it is listed.
        digest (str): the token's SHA-256 hex digest (khabar.web.auth makes both).
        RAISES StoreError: the digest is already stored, or the write failed.
        """
        row = {"digest": digest, "name": name, "created_at": datetime.now()}
        with self._write(f"API token {name!r}") as connection:
            connection.execute(insert(ApiTokenRow), [row])

    def token(self, digest: str) -> ApiToken | None:
        """The stored token with this SHA-256 hex digest, or None."""
        statement = select(ApiTokenRow.name, ApiTokenRow.created_at).where(ApiTokenRow.digest == digest)
        rows = self._rows(statement)
        return ApiToken(name=rows[0].name, created_at=rows[0].created_at) if rows else None


# ---- helpers -------------------------------------------------------------------------------------


def _reason(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc)


def _check_belongs(article_id: str, extraction: Extraction) -> None:
    owners = [extraction.article]
    owners += [mention.article for mention in extraction.mentions]
    owners += [claim.article for claim in extraction.role_claims]
    strangers = sorted({owner for owner in owners if owner != article_id})
    if strangers:
        raise StoreError(f"extraction for article {article_id!r} holds other articles' objects: {strangers}")


def _check_references(resolution: Resolution) -> None:
    event_ids = {event.id for event in resolution.events}
    references = [(f"mention {m.id}", m.event) for m in resolution.mentions]
    references += [(f"mention {m.id} (about)", m.about) for m in resolution.mentions]
    references += [(f"contradiction {c.id}", c.about_event) for c in resolution.contradictions]
    dangling = [f"{who} -> {event}" for who, event in references if event and event not in event_ids]
    if dangling:
        raise StoreError(f"resolution refers to events it does not contain: {', '.join(dangling[:10])}")


def _insert(connection: Connection, model: type, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(insert(model), rows)


def _upsert(connection: Connection, model: type, rows: list[dict[str, Any]]) -> None:
    """Insert rows, replacing those whose id exists (actors and places are shared by articles)."""
    if not rows:
        return
    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = dialect_insert(model)
    replace = {column: statement.excluded[column] for column in rows[0] if column != "id"}
    connection.execute(statement.on_conflict_do_update(index_elements=["id"], set_=replace), rows)


def _write_extraction(connection: Connection, extraction: Extraction) -> None:
    _upsert(connection, ActorRow, [actor_row(actor) for actor in extraction.actors])
    _upsert(connection, PlaceRow, [place_row(place) for place in extraction.places])
    # events exist only once save_resolution writes them, and it alone links mentions to them
    rows = [
        mention_row(mention) | {"event_id": None, "about_event_id": None} for mention in extraction.mentions
    ]
    _insert(connection, MentionRow, rows)
    _insert(connection, RoleClaimRow, [role_claim_row(claim) for claim in extraction.role_claims])


def _update_mentions(connection: Connection, mentions: Iterable[Mention]) -> None:
    rows = [mention_row(mention) for mention in mentions]
    if not rows:
        return
    values = {column: bindparam(f"new_{column}") for column in rows[0] if column != "id"}
    statement = update(MentionRow).where(MentionRow.id == bindparam("old_id")).values(**values)
    params = [{"old_id": row["id"], **{f"new_{key}": value for key, value in row.items()}} for row in rows]
    updated = connection.execute(statement, params).rowcount
    if updated != len(rows):
        stored = set(connection.scalars(select(MentionRow.id)))
        missing = sorted(row["id"] for row in rows if row["id"] not in stored)
        raise StoreError(f"resolution names mentions that are not stored: {missing[:10]}")


def _event_conditions(where: EventFilter) -> list[Any]:
    conditions: list[Any] = []
    if where.since is not None:
        conditions.append(func.coalesce(EventRow.date_end, EventRow.date_start) >= where.since)
    if where.until is not None:
        conditions.append(EventRow.date_start <= where.until)
    equal = (
        (EventRow.type, where.type),
        (EventRow.country, where.country),
        (EventRow.place_id, where.place),
        (EventRow.status, where.status),
    )
    conditions += [column == value for column, value in equal if value is not None]
    if where.min_corroboration is not None:
        conditions.append(EventRow.n_articles >= where.min_corroboration)
    if where.actor is not None:
        taking_part = select(EventActorRow.event_id).where(EventActorRow.actor_id == where.actor)
        if where.role is not None:
            taking_part = taking_part.where(EventActorRow.role == where.role)
        conditions.append(EventRow.id.in_(taking_part))
    return conditions


def _event_order(sort: str) -> tuple[Any, ...]:
    """ORDER BY for an EVENT_SORTS name: missing values last either way, then the id."""
    key = sort.removeprefix("-")
    column = {
        "date": EventRow.date_start,
        "killed": func.coalesce(EventRow.killed_best, EventRow.killed_low),
        "corroboration": EventRow.n_articles,
    }[key]
    direction = column.desc() if sort.startswith("-") else column.asc()
    return (column.is_(None), direction, EventRow.id)


def _snippet(text: str, query: str, *, width: int = 80) -> str:
    at = text.lower().find(query.lower())
    if at < 0:
        return text[:width]
    start = max(0, at - width // 2)
    end = at + len(query)
    return f"{text[start:at]}{SNIPPET_MARKS[0]}{text[at:end]}{SNIPPET_MARKS[1]}{text[end : end + width // 2]}"
