"""The typed objects that pass between khabar's stages. No I/O here.

ingest -> RawDoc; clean -> Article; extract -> Mention (with ActorRef, PlaceRef, DateRef, Toll,
Reporter); resolve -> Event, Contradiction; assess -> Credibility. Knowledge objects (Actor, Role,
Place) come from `khabar.knowledge`.

Every fact extracted from an article carries a `span`: character offsets (start, end exclusive)
into that article's cleaned text, `Article.text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Span = tuple[int, int]

Precision = Literal["day", "week", "month", "year", "none"]
Modality = Literal[
    "asserted",
    "attributed",
    "alleged",
    "denied",
    "unverified",
    "hypothetical",
    "future",
    "historical",
    "negated",
]
EventStatus = Literal["confirmed", "reported", "claimed", "disputed", "denied"]
ActorKind = Literal[
    "state",
    "military",
    "government",
    "police",
    "rebel",
    "militia",
    "political",
    "civilian",
    "external",
    "international",
    "person",
    "media",
    "other",
]
PlaceFeature = Literal[
    "country",
    "admin1",
    "admin2",
    "city",
    "town",
    "village",
    "crossing",
    "base",
    "facility",
    "region",
    "border",
    "other",
]

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
    "FIGHT",
    "STATEMENT",
)
#: Verbal events: the actor is the speaker and the quote, if any, is attached.
VERBAL_TYPES = frozenset(
    {"ACCUSE", "REJECT", "REQUEST", "THREATEN", "STATEMENT", "CONSULT", "AGREE", "SUPPORT", "CONCEDE"}
)


# ---- ingest -> clean ---------------------------------------------------------------------------


@dataclass
class RawDoc:
    """One input document as read, before cleaning.

    source (str): the file path, URL or "<stdin>" it came from (with "#N" for the Nth record
        of a JSON Lines file, feed or WARC).
    text (str): the document's text; for HTML, feeds and WARC the main text already extracted.
    raw (str): the input as read (HTML markup included), kept for provenance.
    """

    source: str
    text: str
    format: str
    raw: str = ""
    title: str | None = None
    url: str | None = None
    published: date | None = None
    outlet: str | None = None
    author: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ArticleWarning:
    """Something cleaning changed or noticed, e.g. code "furniture_removed"."""

    code: str
    message: str
    span: Span | None = None


@dataclass
class Article:
    """A cleaned article: the text all later offsets point into, with its metadata."""

    id: str
    source: str
    text: str
    raw: str = ""
    title: str | None = None
    url: str | None = None
    published: date | None = None
    outlet: str | None = None
    author: str | None = None
    language: str | None = "en"
    genre: str | None = None
    warnings: list[ArticleWarning] = field(default_factory=list)
    #: id of the article this one is a near-duplicate of (syndicated copy, re-scrape)
    duplicate_of: str | None = None


# ---- extract -------------------------------------------------------------------------------------


@dataclass
class ActorRef:
    """Words in the article naming an actor, linked to `Actor.id` when known."""

    text: str
    actor: str | None = None
    span: Span | None = None


@dataclass
class PlaceRef:
    """Words in the article naming a place, linked to `Place.id` when resolved."""

    text: str
    place: str | None = None
    span: Span | None = None


@dataclass
class DateRef:
    """A date as the text gives it, normalised to a range with a precision.

    basis: "explicit" | "published" (relative to the article's date) | "context" (year or month
    inferred from the article or corpus). precision "none" means start and end are None.
    """

    text: str | None
    start: date | None
    end: date | None
    precision: Precision
    basis: str | None = None
    span: Span | None = None

    @classmethod
    def unknown(cls, text: str | None = None, span: Span | None = None) -> DateRef:
        return cls(text=text, start=None, end=None, precision="none", basis=None, span=span)


@dataclass
class Toll:
    """A count of people killed or injured as a range: "at least three" is low 3, high None."""

    low: int | None
    high: int | None
    best: int | None = None
    text: str | None = None
    span: Span | None = None


@dataclass
class Reporter:
    """Who the article attributes a report to ("according to TOLO News")."""

    text: str
    actor: str | None = None
    span: Span | None = None


@dataclass
class Acled:
    event_type: str
    sub_event_type: str


@dataclass
class Mention:
    """One report of one event in one article."""

    id: str
    article: str
    span: Span
    sentence: str
    type: str
    sentence_span: Span = (0, 0)
    trigger: str | None = None
    mode: str | None = None
    acled: Acled | None = None
    actors: list[ActorRef] = field(default_factory=list)
    recipients: list[ActorRef] = field(default_factory=list)
    date: DateRef = field(default_factory=DateRef.unknown)
    location: PlaceRef | None = None
    killed: Toll | None = None
    injured: Toll | None = None
    reporter: Reporter | None = None
    modality: Modality = "asserted"
    quote: str | None = None
    quote_span: Span | None = None
    #: for statements: where it was made ("a press conference", "the peace talks in Turkey")
    venue: str | None = None
    #: for statements: the mention id (same article) the statement is about
    about_mention: str | None = None
    #: for statements: the event id the statement is about (set by resolve)
    about: str | None = None
    confidence: float = 0.5
    #: the event this mention was merged into (set by resolve)
    event: str | None = None


@dataclass
class RoleClaim:
    """A title the text gives a person ("Former U.S. President Donald Trump"), checked by resolve
    against the dated roles in the knowledge base."""

    article: str
    actor: str
    title: str
    former: bool
    span: Span
    text: str = ""


# ---- knowledge ---------------------------------------------------------------------------------


@dataclass
class Role:
    """An office a person held: title "President", of actor id "USA", from/to ISO dates."""

    title: str
    of: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass
class Actor:
    id: str
    name: str
    kind: ActorKind
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    acled_inter: int | None = None
    roles: list[Role] = field(default_factory=list)
    #: canonical id of the actor this one belongs to (a ministry -> its government)
    parent: str | None = None


@dataclass
class Place:
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    feature: PlaceFeature
    admin1: str | None = None
    aliases: list[str] = field(default_factory=list)


# ---- resolve -------------------------------------------------------------------------------------


@dataclass
class EventLocation:
    name: str
    place: str | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    acled_geo_precision: int | None = None


@dataclass
class Corroboration:
    articles: int
    outlets: int


@dataclass
class Event:
    """One real-world event, merged from all its mentions."""

    id: str
    type: str
    title: str
    date: DateRef
    status: EventStatus
    mentions: list[str]
    articles: list[str]
    corroboration: Corroboration
    mode: str | None = None
    acled: Acled | None = None
    acled_time_precision: int | None = None
    location: EventLocation | None = None
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    killed: Toll | None = None
    injured: Toll | None = None
    contradictions: list[str] = field(default_factory=list)


@dataclass
class Position:
    """One side of a contradiction: the value a set of sources gives."""

    value: str
    articles: list[str]
    mentions: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)


@dataclass
class Contradiction:
    id: str
    kind: str
    about_text: str
    positions: list[Position]
    explanation: str
    internal: bool
    severity: Literal["high", "medium", "low"] = "medium"
    about_event: str | None = None
    about_actor: str | None = None


# ---- assess --------------------------------------------------------------------------------------


@dataclass
class Signal:
    """One explainable contribution to an article's credibility."""

    name: str
    effect: float
    detail: str
    spans: list[Span] = field(default_factory=list)


@dataclass
class Credibility:
    score: float
    label: Literal["high", "medium", "low"]
    signals: list[Signal] = field(default_factory=list)


# ---- stage results -----------------------------------------------------------------------------


@dataclass
class Extraction:
    """What `extract` found in one article: its mentions, and every actor and place they name
    (known ones from the knowledge base and new ones found by the NER model)."""

    article: str
    mentions: list[Mention] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    role_claims: list[RoleClaim] = field(default_factory=list)


@dataclass
class Resolution:
    """What `resolve` made of a set of mentions: the merged events and the contradictions.
    Each mention's `event` (and a statement's `about`) is set to an id in `events`."""

    events: list[Event] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    #: article id -> how many titles it gives people that dated knowledge contradicts
    knowledge_conflicts: dict[str, int] = field(default_factory=dict)
