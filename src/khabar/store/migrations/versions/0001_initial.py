"""The first schema: articles, mentions, events, contradictions, actors, places, role claims,
the readable views `event_summary` and `mention_sources`, and the full-text index: on SQLite the
FTS5 table `articles_fts`, on PostgreSQL the text search configuration `khabar` and the GIN index
`ix_articles_fts`.

A migration is a frozen snapshot: it spells the tables out instead of importing store/schema.py,
so later model changes go into new migrations (tests/store check models and migrations agree).

Revision ID: 0001
Revises:
Create Date: 2025-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

VIEWS = ("event_summary", "mention_sources")
TABLES = (
    "role_claims",
    "contradictions",
    "event_actors",
    "mentions",
    "minhashes",
    "events",
    "actors",
    "places",
    "articles",
)


def _id() -> sa.Column:
    return sa.Column("id", sa.String(), primary_key=True)


def _fk(
    column: str, target: str, ondelete: str, *, nullable: bool = False, primary_key: bool = False
) -> sa.Column:
    foreign_key = sa.ForeignKey(target, ondelete=ondelete)
    return sa.Column(column, sa.String(), foreign_key, nullable=nullable, primary_key=primary_key)


def _data() -> sa.Column:
    return sa.Column("data", sa.JSON(), nullable=False)


def _columns(kind: sa.types.TypeEngine, *names: str) -> list[sa.Column]:
    return [sa.Column(name, kind, nullable=True) for name in names]


def _create_tables() -> None:
    op.create_table(
        "articles",
        _id(),
        sa.Column("source", sa.String(), nullable=False),
        *_columns(sa.String(), "url", "outlet", "title", "author"),
        sa.Column("published", sa.Date(), nullable=True),
        *_columns(sa.String(), "language", "genre"),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("raw", sa.String(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("duplicate_of", sa.String(), nullable=True),
        sa.Column("credibility_score", sa.Double(), nullable=True),
        sa.Column("credibility_label", sa.String(), nullable=True),
        sa.Column("credibility", sa.JSON(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "minhashes",
        _fk("article_id", "articles.id", "CASCADE", primary_key=True),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "events",
        _id(),
        sa.Column("type", sa.String(), nullable=False, index=True),
        sa.Column("mode", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=True, index=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(), nullable=False),
        *_columns(sa.String(), "place_id", "location_name"),
        sa.Column("country", sa.String(), nullable=True, index=True),
        *_columns(sa.Double(), "lat", "lon"),
        *_columns(sa.Integer(), "killed_low", "killed_best", "killed_high"),
        *_columns(sa.Integer(), "injured_low", "injured_best", "injured_high"),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("n_articles", sa.Integer(), nullable=False),
        sa.Column("n_outlets", sa.Integer(), nullable=False),
        _data(),
    )
    op.create_table(
        "event_actors",
        _fk("event_id", "events.id", "CASCADE", primary_key=True),
        sa.Column("role", sa.String(), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("actor_id", sa.String(), nullable=False, index=True),
    )
    op.create_table(
        "mentions",
        _id(),
        _fk("article_id", "articles.id", "CASCADE"),
        _fk("event_id", "events.id", "SET NULL", nullable=True),
        sa.Column("type", sa.String(), nullable=False),
        *_columns(sa.String(), "mode", "trigger"),
        sa.Column("sentence", sa.String(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        *_columns(sa.Date(), "date_start", "date_end"),
        sa.Column("date_precision", sa.String(), nullable=False),
        *_columns(sa.String(), "location_text", "place_id"),
        *_columns(sa.Integer(), "killed_low", "killed_high", "injured_low", "injured_high"),
        sa.Column("reporter", sa.String(), nullable=True),
        sa.Column("modality", sa.String(), nullable=False),
        sa.Column("quote", sa.String(), nullable=True),
        _fk("about_event_id", "events.id", "SET NULL", nullable=True),
        sa.Column("confidence", sa.Double(), nullable=False),
        _data(),
    )
    op.create_index("ix_mentions_article_id", "mentions", ["article_id"])
    op.create_index("ix_mentions_event_id", "mentions", ["event_id"])
    op.create_table(
        "contradictions",
        _id(),
        sa.Column("kind", sa.String(), nullable=False),
        _fk("event_id", "events.id", "CASCADE", nullable=True),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("explanation", sa.String(), nullable=False),
        _data(),
    )
    op.create_index("ix_contradictions_event_id", "contradictions", ["event_id"])
    op.create_table(
        "actors",
        _id(),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("acled_inter", sa.Integer(), nullable=True),
        _data(),
    )
    op.create_table(
        "places",
        _id(),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("feature", sa.String(), nullable=False),
        *_columns(sa.String(), "country", "admin1"),
        *_columns(sa.Double(), "lat", "lon"),
        _data(),
    )
    op.create_table(
        "role_claims",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _fk("article_id", "articles.id", "CASCADE"),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("former", sa.Boolean(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
    )
    op.create_index("ix_role_claims_article_id", "role_claims", ["article_id"])


def _range(low: str, high: str) -> str:
    """A toll range people read: "3", "3–5", "3+" (at least three), "up to 5"."""
    lo, hi = f"CAST({low} AS TEXT)", f"CAST({high} AS TEXT)"
    return (
        f"CASE WHEN {low} IS NULL AND {high} IS NULL THEN NULL "
        f"WHEN {high} IS NULL THEN {lo} || '+' "
        f"WHEN {low} IS NULL THEN 'up to ' || {hi} "
        f"WHEN {low} = {high} THEN {lo} "
        f"ELSE {lo} || '–' || {hi} END"
    )


def _names(role: str, dialect: str) -> str:
    """The comma-separated names of an event's actors (or recipients), in order."""
    name = "COALESCE(a.name, ea.actor_id)"
    where = f"ea.event_id = e.id AND ea.role = '{role}'"
    joined = "event_actors ea LEFT JOIN actors a ON a.id = ea.actor_id"
    if dialect == "postgresql":
        return f"(SELECT string_agg({name}, ', ' ORDER BY ea.position) FROM {joined} WHERE {where})"
    # SQLite before 3.44 has no ORDER BY inside group_concat; it keeps the subquery's order
    return (
        f"(SELECT group_concat(name, ', ') FROM "
        f"(SELECT {name} AS name FROM {joined} WHERE {where} ORDER BY ea.position))"
    )


def _create_views(dialect: str) -> None:
    op.execute(
        f"""CREATE VIEW event_summary AS
SELECT e.id AS event, e.date_start, e.date_end, e.date_precision, e.type, e.mode, e.title,
       {_names("actor", dialect)} AS actors,
       {_names("recipient", dialect)} AS recipients,
       e.location_name AS location, e.country, e.lat, e.lon,
       {_range("e.killed_low", "e.killed_high")} AS killed, e.killed_best,
       {_range("e.injured_low", "e.injured_high")} AS injured, e.injured_best,
       e.status, e.n_articles AS articles, e.n_outlets AS outlets,
       (SELECT count(*) FROM contradictions c WHERE c.event_id = e.id) AS contradictions
FROM events e"""
    )
    op.execute(
        f"""CREATE VIEW mention_sources AS
SELECT m.id AS mention, m.event_id AS event, m.type, m.mode, m.modality, m.trigger,
       m.reporter, a.id AS article, a.title AS article_title, a.outlet, a.published, a.url,
       m.sentence, m.span_start, m.span_end, m.date_start, m.location_text AS location,
       {_range("m.killed_low", "m.killed_high")} AS killed,
       {_range("m.injured_low", "m.injured_high")} AS injured, m.quote, m.confidence
FROM mentions m JOIN articles a ON a.id = m.article_id"""
    )


# A standalone FTS5 table (not external-content): external content joins on rowid, and VACUUM
# may renumber the rowids of a table whose key is text, silently breaking the index.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "article_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts(article_id, title, text) VALUES (new.id, new.title, new.text);
END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  DELETE FROM articles_fts WHERE article_id = old.id;
END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
  DELETE FROM articles_fts WHERE article_id = old.id;
  INSERT INTO articles_fts(article_id, title, text) VALUES (new.id, new.title, new.text);
END""",
)


# PostgreSQL's counterpart: the `khabar` configuration has no stemming or stop words, and unaccent
# (shipped with PostgreSQL) drops diacritics; ASCII punctuation turns into space before parsing,
# so words split where unicode61 splits them. The index is on the very expression Store.search
# matches, so no trigger or second table has to keep up.
POSTGRESQL_FTS = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION khabar (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION khabar ALTER MAPPING FOR asciiword, word, numword WITH unaccent, simple",
    r"CREATE INDEX ix_articles_fts ON articles USING gin (to_tsvector('khabar', regexp_replace("
    r"coalesce(title, '') || ' ' || text, '[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]', ' ', 'g')))",
)


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    _create_tables()
    _create_views(dialect)
    fts = {"sqlite": SQLITE_FTS, "postgresql": POSTGRESQL_FTS}.get(dialect, ())
    for statement in fts:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for view in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    for table in TABLES:
        op.drop_table(table)
    if op.get_context().dialect.name == "postgresql":
        # the unaccent extension stays: other schemas in the database may use it
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS khabar")
