"""schemas: the shapes the REST API answers with, for its OpenAPI document (#6).

Stage objects (Event, Mention, Contradiction, Actor, Place, Credibility from khabar.models) are
sent as they are, so an API client sees the same field names as the khabar/v1 export; the models
here only wrap them: pages, an event with its sources, an article with its highlighted spans.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field, field_validator, model_validator

from ..models import (
    Actor,
    ArticleWarning,
    Contradiction,
    Credibility,
    Event,
    Mention,
)

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list, in a stable order: follow `next` until it is null."""

    items: list[T]
    total: int = Field(description="How many items match, on every page together.")
    limit: int
    offset: int
    next: str | None = Field(description="The URL of the next page, or null on the last.")


class ErrorBody(BaseModel):
    status: int
    code: str = Field(description="Stable: bad_parameter, not_found, unauthorized, too_large, ...")
    message: str = Field(description="What went wrong and what to do, for a person.")
    details: list[dict[str, Any]] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """Every API error has this shape."""

    error: ErrorBody


class ArticleSummary(BaseModel):
    """An article as a source: who published it when, and how credible it looks."""

    id: str
    title: str | None
    outlet: str | None
    published: date | None
    url: str | None
    source: str
    duplicate_of: str | None
    credibility: float | None = Field(description="Credibility score 0-1; null if not assessed.")
    credibility_label: str | None


class Highlight(BaseModel):
    """A span of the article's cleaned text that extraction used."""

    kind: str = Field(description="event, actor, place, date, toll, source or quote")
    start: int
    end: int
    mention: str | None = Field(description="The mention the span belongs to.")


class ArticleDetail(BaseModel):
    """An article's cleaned text with every extracted span, warnings and credibility signals."""

    article: ArticleSummary
    text: str
    author: str | None
    language: str | None
    genre: str | None
    warnings: list[ArticleWarning]
    credibility: Credibility | None
    mentions: list[Mention]
    highlights: list[Highlight]


class EventDetail(BaseModel):
    """One event with the mentions it was merged from, their articles and the disagreements."""

    event: Event
    mentions: list[Mention]
    sources: list[ArticleSummary]
    contradictions: list[Contradiction]


class Neighbour(BaseModel):
    """Another actor in events with this one: how often each acted on the other."""

    id: str
    name: str
    acted_on: int = Field(description="Events in which this actor acted on the neighbour.")
    acted_on_by: int = Field(description="Events in which the neighbour acted on this actor.")


class ActorDetail(BaseModel):
    actor: Actor
    events_as_actor: int
    events_as_recipient: int
    neighbours: list[Neighbour]
    contradictions: list[Contradiction]


class Outlet(BaseModel):
    """An outlet and the credibility of its articles."""

    outlet: str
    articles: int
    assessed: int
    mean_credibility: float | None
    labels: dict[str, int] = Field(description="How many of its articles got each label.")


class Overview(BaseModel):
    counts: dict[str, int]
    events_by_type: dict[str, int]
    latest_events: list[Event]
    key_events: list[Event]
    contradictions: list[Contradiction]


class Submission(BaseModel):
    """An article to add: its text or HTML (with optional metadata), or only a URL to fetch
    (when the server runs with --allow-fetch)."""

    text: str | None = Field(None, description="Plain text of the article.")
    html: str | None = Field(None, description="The article's HTML page; the main text is extracted.")
    url: str | None = Field(None, description="The article's URL; alone, the server fetches it.")
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    author: str | None = None

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        # anything else would make the server read a local file or speak another protocol; the
        # scheme is written in lower case because ingest tells URLs from paths by "http(s)://"
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise ValueError("the url must be a web address starting with http:// or https://")
        return urlunsplit(parts._replace(scheme=parts.scheme.lower()))

    @model_validator(mode="after")
    def _one_input(self) -> Submission:
        if self.text is not None and self.html is not None:
            raise ValueError("send either text or html, not both")
        if self.text is None and self.html is None and self.url is None:
            raise ValueError("send the article's text or html, or a url to fetch")
        return self
