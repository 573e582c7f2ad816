"""views: stored objects -> what the API sends and the pages show (#6).

Reads only through `Store` and the report helpers, so the API and the pages show the same thing.
`highlights` lists the spans extraction used in an article; `segments` cuts the article's text at
those spans so a page can mark each piece, and `marked_text` renders them, escaping every
character of the article.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape

from ..models import Article, Contradiction, Event, Mention, Span
from ..report import overview as report_overview
from ..report.series import actor_graph
from ..store.repository import EventFilter, Store
from .schemas import (
    ActorDetail,
    ArticleDetail,
    ArticleSummary,
    EventDetail,
    Highlight,
    Neighbour,
    Outlet,
    Overview,
)

#: the kinds of span an article page marks, in the order its legend lists them
KINDS = ("event", "actor", "place", "date", "toll", "source", "quote")
#: the most events an actor page (and its network) takes into account
ACTOR_EVENTS = 2000
SEVERITY = {"high": 0, "medium": 1, "low": 2}


def article_summary(store: Store, article: Article) -> ArticleSummary:
    credibility = store.credibility(article.id)
    return ArticleSummary(
        id=article.id,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        url=article.url,
        source=article.source,
        duplicate_of=article.duplicate_of,
        credibility=credibility.score if credibility else None,
        credibility_label=credibility.label if credibility else None,
    )


def highlights(mentions: Iterable[Mention]) -> list[Highlight]:
    """Every span the mentions carry, by kind, in text order."""
    found = []
    for mention in mentions:
        spans: list[tuple[str, Span | None]] = [("event", mention.span)]
        spans += [("actor", ref.span) for ref in (*mention.actors, *mention.recipients)]
        spans.append(("place", mention.location.span if mention.location else None))
        spans.append(("date", mention.date.span))
        spans += [("toll", toll.span if toll else None) for toll in (mention.killed, mention.injured)]
        spans.append(("source", mention.reporter.span if mention.reporter else None))
        spans.append(("quote", mention.quote_span))
        found += [Highlight(kind=k, start=s[0], end=s[1], mention=mention.id) for k, s in spans if s]
    return sorted(found, key=lambda h: (h.start, h.end, KINDS.index(h.kind)))


def article_detail(store: Store, article: Article) -> ArticleDetail:
    mentions = store.mentions(article_id=article.id)
    return ArticleDetail(
        article=article_summary(store, article),
        text=article.text,
        author=article.author,
        language=article.language,
        genre=article.genre,
        warnings=article.warnings,
        credibility=store.credibility(article.id),
        mentions=mentions,
        highlights=highlights(mentions),
    )


def event_detail(store: Store, event: Event) -> EventDetail:
    articles = [store.article(article_id) for article_id in event.articles]
    return EventDetail(
        event=event,
        mentions=store.event_mentions(event.id),
        sources=[article_summary(store, article) for article in articles if article],
        contradictions=[c for c in store.contradictions() if c.about_event == event.id],
    )


def actor_events(store: Store, actor_id: str) -> tuple[list[Event], list[Event]]:
    """The events an actor took part in: (as the doer, as the target), latest first."""
    return tuple(  # type: ignore[return-value]
        store.find_events(EventFilter(actor=actor_id, role=role), sort="-date", limit=ACTOR_EVENTS).events
        for role in ("actor", "recipient")
    )


def actor_detail(store: Store, actor_id: str) -> ActorDetail | None:
    actor = store.actor(actor_id)
    if actor is None:
        return None
    as_actor, as_recipient = actor_events(store, actor_id)
    graph = actor_graph([*as_actor, *as_recipient], store.actors())
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for edge in graph.edges:
        if edge.source == actor_id:
            counts[edge.target]["on"] += edge.events
        elif edge.target == actor_id:
            counts[edge.source]["by"] += edge.events
    neighbours = [
        Neighbour(id=other, name=graph.nodes[other].name, acted_on=n["on"], acted_on_by=n["by"])
        for other, n in sorted(counts.items(), key=lambda item: (-item[1].total(), item[0]))
    ]
    return ActorDetail(
        actor=actor,
        events_as_actor=len(as_actor),
        events_as_recipient=len(as_recipient),
        neighbours=neighbours,
        contradictions=[c for c in store.contradictions() if c.about_actor == actor_id],
    )


def ranked(contradictions: Iterable[Contradiction]) -> list[Contradiction]:
    """Contradictions, most severe first, then by id."""
    return sorted(contradictions, key=lambda c: (SEVERITY.get(c.severity, 3), c.id))


def outlets(store: Store) -> list[Outlet]:
    """Each outlet with its number of articles and their credibility, most articles first."""
    by_outlet: dict[str, list[ArticleSummary]] = defaultdict(list)
    for article in store.articles():
        by_outlet[article.outlet or "unknown outlet"].append(article_summary(store, article))
    found = []
    for name, articles in by_outlet.items():
        scores = [a.credibility for a in articles if a.credibility is not None]
        found.append(
            Outlet(
                outlet=name,
                articles=len(articles),
                assessed=len(scores),
                mean_credibility=round(sum(scores) / len(scores), 3) if scores else None,
                labels=dict(Counter(a.credibility_label for a in articles if a.credibility_label)),
            )
        )
    return sorted(found, key=lambda o: (-o.articles, o.outlet))


def overview(store: Store, *, top: int = 10) -> Overview:
    """Key numbers, the latest and the most important events, the worst disagreements."""
    view = report_overview.overview(store, top=top)
    contradictions = ranked(view.contradictions)
    return Overview(
        counts={
            "articles": len(view.articles),
            "mentions": view.mentions,
            "events": sum(view.events_by_type.values()),
            "contradictions": len(contradictions),
            "actors": len(store.actors()),
        },
        events_by_type=view.events_by_type,
        latest_events=store.find_events(sort="-date", limit=top).events,
        key_events=view.events,
        contradictions=contradictions[:top],
    )


# ---- marking up an article -----------------------------------------------------------------------


@dataclass
class Segment:
    """A piece of the article's text and the kinds of span covering all of it."""

    text: str
    kinds: tuple[str, ...] = ()
    focus: bool = False
    #: ids of anchors placed just before the piece (links to a mention's sentence land here)
    anchors: list[str] = field(default_factory=list)


def segments(
    text: str,
    spans: Iterable[Highlight],
    *,
    focus: Span | None = None,
    anchors: dict[int, list[str]] | None = None,
) -> list[Segment]:
    """The text cut wherever a span starts or ends.

    text (str): the article's cleaned text.
    spans (Iterable[Highlight]): the spans to mark; those outside the text are clipped or dropped.
    focus (Span | None): a span to mark as the one the reader followed a link to.
    anchors (dict[int, list[str]]): anchor ids by the offset they go before.
    RETURNS (list[Segment]): pieces that join back into `text` exactly.
    """
    size = len(text)
    marks = [(max(0, h.start), min(size, h.end), h.kind) for h in spans]
    marks = [(start, end, kind) for start, end, kind in marks if start < end]
    anchors = {min(max(0, at), size): ids for at, ids in (anchors or {}).items()}
    cuts = {0, size, *anchors} | {at for start, end, _ in marks for at in (start, end)}
    if focus:
        cuts |= {min(max(0, at), size) for at in focus}
    opening, closing = defaultdict(list), defaultdict(list)
    for start, end, kind in marks:
        opening[start].append(kind)
        closing[end].append(kind)
    # every span boundary is a cut, so a span covers a piece exactly when it is open at its start
    active: Counter[str] = Counter()
    points = sorted(cuts)
    pieces = []
    for start, end in pairwise(points):
        active.subtract(closing.get(start, []))
        active.update(opening.get(start, []))
        focused = focus is not None and focus[0] <= start and end <= focus[1]
        kinds = tuple(k for k in KINDS if active[k] > 0)
        pieces.append(Segment(text[start:end], kinds, focused, anchors.get(start, [])))
    if size in anchors:
        pieces.append(Segment("", anchors=anchors[size]))
    return pieces


def marked_text(pieces: Iterable[Segment]) -> Markup:
    """The segments as HTML: every character of the text escaped, marked spans in <span> with a
    class per kind, the followed sentence in <mark>."""
    html = []
    for piece in pieces:
        html += [f'<span class="anchor" id="{escape(anchor)}"></span>' for anchor in piece.anchors]
        body = str(escape(piece.text))
        if piece.kinds:
            classes = " ".join(f"hl-{kind}" for kind in piece.kinds)
            body = f'<span class="hl {classes}">{body}</span>'
        html.append(f'<mark class="focus">{body}</mark>' if piece.focus else body)
    return Markup("".join(html))
