"""brief.model: the briefing as data, the tree `brief()` returns and the renderers read.

Every line that states a fact carries the numbers of its `Citation`s: one sentence (or span) of
one article each, quoted in the Sources appendix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...models import Actor, Article, Credibility, Event, Span

__all__ = [
    "Brief",
    "Casualties",
    "Citation",
    "Disagreement",
    "EventLine",
    "Fact",
    "Gaps",
    "SourceLine",
    "Statement",
]


@dataclass(frozen=True)
class Citation:
    """One sentence (or span) of one article that facts of the brief rest on, numbered from 1 in
    order of first use. `url` is the article's, kept only when it is http(s)."""

    number: int
    article: str
    span: Span | None
    quote: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None

    @property
    def anchor(self) -> str:
        """The HTML id of the citation: a-<article>-<start>-<end>."""
        slug = re.sub(r"[^A-Za-z0-9_-]", "_", self.article)
        return f"a-{slug}-{self.span[0]}-{self.span[1]}" if self.span else f"a-{slug}"


@dataclass
class Fact:
    """One line of the brief and the numbers of the citations it rests on."""

    text: str
    cites: list[int] = field(default_factory=list)


@dataclass
class EventLine:
    """One event in one line: date, place, who, what, toll, sources and status."""

    event: str
    when: str
    place: str | None
    who: str
    title: str
    toll: str | None
    outlets: list[str]
    status: str
    cites: list[int]


@dataclass
class Casualties:
    """An event with its toll range, and each report's own claim ("8 killed according to police")."""

    event: EventLine
    claims: list[Fact]


@dataclass
class Disagreement:
    """A contradiction in plain words, and each side's value with its sources."""

    kind: str
    severity: str
    explanation: str
    positions: list[Fact]


@dataclass
class Statement:
    """One thing an actor said: the verb, to whom, about which event, the quote, its modality."""

    when: str
    verb: str
    recipients: str
    about: str | None
    quote: str | None
    modality: str
    outlet: str | None
    cites: list[int]


@dataclass
class SourceLine:
    """An article, its credibility (None when not assessed) and its strongest signals."""

    article: Article
    credibility: Credibility | None
    reasons: list[Fact]


@dataclass
class Gaps:
    """What the record does not know: undated and unplaced events, claims from one source only."""

    undated: list[EventLine] = field(default_factory=list)
    unplaced: list[EventLine] = field(default_factory=list)
    single_source: list[EventLine] = field(default_factory=list)


@dataclass
class Brief:
    """A briefing, ready to render; `events` and `actors` are kept for the charts."""

    title: str
    period: str
    filters: dict[str, str]
    counts: dict[str, int]
    key_developments: list[EventLine]
    timeline: list[EventLine]
    casualties: list[Casualties]
    disagreements: list[Disagreement]
    statements: dict[str, list[Statement]]
    sources: list[SourceLine]
    outlets: list[Fact]
    gaps: Gaps
    citations: list[Citation]
    events: list[Event] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
