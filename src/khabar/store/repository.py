"""The Store: khabar's database, and the only code that speaks SQL.

Stage objects in (Article + Extraction from extract, Resolution from resolve, Credibility from
assess) -> rows in SQLite or PostgreSQL -> the same objects back out, for report, serve and
export. Every write is one transaction: a failure leaves no trace of what was being written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

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
from .search import compile_query

DEFAULT_DB = "khabar.db"
#: marks around the matched words in `SearchHit.snippet`; escape the snippet before showing it
SNIPPET_MARKS = ("«", "»")
SNIPPET_TOKENS = 16


#: what PostgreSQL searches, the very expression of the migration's GIN index `ix_articles_fts`.
#: ASCII punctuation becomes space first: PostgreSQL's parser would otherwise read "F-16" as "F"
#: and "-16", "3.5" and "news.example/x" as one word each, where SQLite's unicode61 sees words.
_WORDS = r"regexp_replace({}, '[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]', ' ', 'g')"
_DOCUMENT = "to_tsvector('khabar', " + _WORDS.format("coalesce(title, '') || ' ' || text") + ")"
_HEADLINE = (
    f'\'StartSel="{SNIPPET_MARKS[0]}", StopSel="{SNIPPET_MARKS[1]}", '
    f"MaxWords={SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2}'"
)
#: each takes :query, from store/search.py's compile_query, and :limit
SEARCH_SQL = {
    "sqlite": text(
        f"SELECT article_id, title, snippet(articles_fts, -1, '{SNIPPET_MARKS[0]}', '{SNIPPET_MARKS[1]}', "
        f"'…', {SNIPPET_TOKENS}) AS snippet "
        "FROM articles_fts WHERE articles_fts MATCH :query ORDER BY rank, article_id LIMIT :limit"
    ),
    # the snippet comes from the text, or from the title when only the title matches
    "postgresql": text(
        f"SELECT id AS article_id, title, CASE WHEN to_tsvector('khabar', {_WORDS.format('text')}) @@ q "
        f"THEN ts_headline('khabar', text, q, {_HEADLINE}) "
        f"ELSE ts_headline('khabar', coalesce(title, ''), q, {_HEADLINE}) END AS snippet "
        f"FROM articles, to_tsquery('khabar', :query) AS q WHERE {_DOCUMENT} @@ q "
        f"ORDER BY ts_rank({_DOCUMENT}, q) DESC, id LIMIT :limit"
    ),
}

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
        # the page's ids first, sorted on the narrow indexed columns; only then the JSON of those
        # few rows (sorting the rows whole would drag every event's JSON through the sorter)
        page = (
            select(EventRow.id).where(*conditions).order_by(*_event_order(sort)).limit(limit).offset(offset)
        )
        with self._read() as connection:
            total = connection.scalar(count) or 0
            ids = list(connection.scalars(page))
            found = dict(
                connection.execute(select(EventRow.id, EventRow.data).where(EventRow.id.in_(ids))).all()
            )
        return EventPage([convert.from_jsonable(Event, found[i]) for i in ids], total)

    # ---- credibility -----------------------------------------------------------------------------

    def save_credibility(self, article_id: str, credibility: Credibility) -> None:
        """Set (or replace) an article's credibility assessment.

        article_id (str): a stored article.
        credibility (Credibility): its assessment.
        RAISES StoreError: the article is not stored.
        """
        self.save_credibilities({article_id: credibility})

    def save_credibilities(self, assessed: Mapping[str, Credibility]) -> None:
        """Set (or replace) the credibility of several articles, in one transaction.

        assessed (Mapping[str, Credibility]): the assessment of each article, by id.
        RAISES StoreError: an article is not stored; then none of them is saved.
        """
        with self._write(f"the credibility of {len(assessed)} articles") as connection:
            for article_id, credibility in assessed.items():
                statement = update(ArticleRow).where(ArticleRow.id == article_id)
                result = connection.execute(statement.values(**credibility_values(credibility)))
                if result.rowcount == 0:
                    raise StoreError(f"cannot save credibility: no article {article_id!r}", source=self.name)

    def credibility(self, article_id: str) -> Credibility | None:
        """The article's credibility, or None if it is not stored or not assessed yet."""
        rows = self._rows(select(*_CREDIBILITY).where(ArticleRow.id == article_id))
        return credibility_from_row(rows[0]) if rows else None

    def credibilities(self) -> dict[str, Credibility | None]:
        """Every stored article's credibility by id (None: not assessed yet)."""
        rows = self._rows(select(ArticleRow.id, *_CREDIBILITY))
        return {row.id: credibility_from_row(row) for row in rows}

    # ---- search ----------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article titles and texts, the same on SQLite and PostgreSQL.

        query (str): words, "a phrase", AND/OR/NOT, prefix*, (parentheses), and on SQLite
            NEAR(a b); case and diacritics do not matter (store/search.py has the syntax).
        limit (int): at most this many hits.
        RETURNS (list[SearchHit]): best match first; nothing for a blank query.
        RAISES StoreError: the query is not valid (the message says why), or uses NEAR on
            PostgreSQL.
        """
        if not query.strip():
            return []
        dialect = self.engine.dialect.name
        compiled = compile_query(query, dialect=dialect, source=self.name)
        rows = self._rows(SEARCH_SQL[dialect].bindparams(query=compiled, limit=limit))
        return [SearchHit(article=row.article_id, title=row.title, snippet=row.snippet) for row in rows]

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


_CREDIBILITY = (ArticleRow.credibility_score, ArticleRow.credibility_label, ArticleRow.credibility)


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
    """ORDER BY for an EVENT_SORTS name: missing values last either way, ties by id in the same
    direction (so the date orders read straight off ix_events_by_date and ix_events_by_date_desc)."""
    key = sort.removeprefix("-")
    column = {
        "date": EventRow.date_start,
        "killed": func.coalesce(EventRow.killed_best, EventRow.killed_low),
        "corroboration": EventRow.n_articles,
    }[key]
    if sort.startswith("-"):
        return (column.is_(None), column.desc(), EventRow.id.desc())
    return (column.is_(None), column.asc(), EventRow.id.asc())
