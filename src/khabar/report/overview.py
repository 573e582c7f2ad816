"""overview: a stored corpus -> the key figures a person wants first (for `khabar demo`).

Reads only through `Store`; renders nothing (the CLI and the web app do that).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from khabar.models import Article, Contradiction, Credibility, Event
from khabar.report.select import key_events
from khabar.store.repository import Store


@dataclass
class ArticleLine:
    article: Article
    credibility: Credibility | None
    mentions: int


@dataclass
class Overview:
    articles: list[ArticleLine] = field(default_factory=list)
    mentions: int = 0
    events: list[Event] = field(default_factory=list)
    events_by_type: dict[str, int] = field(default_factory=dict)
    contradictions: list[Contradiction] = field(default_factory=list)


def overview(store: Store, *, top: int = 10) -> Overview:
    """The corpus at a glance.

    store (Store): the database to read.
    top (int): how many key events to list (see `report.select.key_events`), in date order.
    RETURNS (Overview): articles with credibility, event counts, top events, contradictions.
    """
    mentions = store.mentions()
    per_article = Counter(m.article for m in mentions)
    lines = [ArticleLine(a, store.credibility(a.id), per_article[a.id]) for a in store.articles()]
    events = store.events()
    key = key_events(events, top=top, mentions=mentions)
    return Overview(
        articles=lines,
        mentions=len(mentions),
        events=sorted(key, key=lambda e: (e.date.start is None, e.date.start or date.min)),
        events_by_type=dict(Counter(e.type for e in events).most_common()),
        contradictions=store.contradictions(),
    )
