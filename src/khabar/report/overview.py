"""overview: a stored corpus -> the key figures a person wants first (for `khabar demo`).

Reads only through `Store`; renders nothing (the CLI and the web app do that).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from khabar.models import Article, Contradiction, Credibility, Event
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
    top (int): how many events to list, most corroborated and deadliest first.
    RETURNS (Overview): articles with credibility, event counts, top events, contradictions.
    """
    mentions = store.mentions()
    per_article = Counter(m.article for m in mentions)
    lines = [ArticleLine(a, store.credibility(a.id), per_article[a.id]) for a in store.articles()]
    events = store.events()
    ranked = sorted(events, key=_importance, reverse=True)
    return Overview(
        articles=lines,
        mentions=len(mentions),
        events=ranked[:top],
        events_by_type=dict(Counter(e.type for e in events).most_common()),
        contradictions=store.contradictions(),
    )


def _importance(event: Event) -> tuple[int, int, int]:
    material = event.type in {"ASSAULT", "FIGHT", "COERCE", "AGREE", "RETREAT", "CONSULT"}
    killed = (event.killed.low or 0) if event.killed else 0
    return (event.corroboration.articles, int(material), killed)
