"""brief: the stored record -> a briefing a person would send to a colleague (`khabar brief`).

Store (after resolve and assess) -> `brief` -> a `Brief` (brief/model.py): key developments, a
dated timeline, casualties with who claimed what, where the sources disagree, statements by
actor, an assessment of each source, and the gaps (built by brief/sections.py) ->
`render_markdown`, `render_html` (one self-contained page with inline CSS and SVG charts) or
`render_pdf` (the same page through WeasyPrint), in brief/render.py.

Every line that states a fact carries the numbers of its citations: each is one sentence (or
span) of one article, quoted in the Sources appendix, so a reader can check every claim.
"""

from __future__ import annotations

from datetime import date

from ...models import Event
from ...store.repository import Store
from ..select import Filters, key_events, select_events
from . import sections
from .model import Brief, Casualties, Citation, Disagreement, EventLine, Fact, Gaps, SourceLine, Statement
from .render import render_html, render_markdown, render_pdf
from .sections import Record, words

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
    "brief",
    "render_html",
    "render_markdown",
    "render_pdf",
]


def brief(
    store: Store,
    *,
    since: date | None = None,
    until: date | None = None,
    country: str | None = None,
    actor: str | None = None,
) -> Brief:
    """The briefing of the stored record, or of the part the filters select.

    store (Store): the database to read.
    since (date | None): only events that may have happened on or after this day.
    until (date | None): only events that may have happened on or before this day. With either
        date set, undated events are left out.
    country (str | None): only events in this country (ISO alpha-2, alpha-3 or name); an event
        with no place counts when one of its actors is of that country.
    actor (str | None): only events this actor (id, name, alias or country code) took part in.
    RETURNS (Brief): the briefing.
    RAISES ExportError: since is after until, or the country or actor is unknown.
    """
    filters = Filters(since=since, until=until, country=country, actor=actor)
    events = select_events(store, filters)
    return _assemble(Record(store), events, filters.given())


def _assemble(record: Record, events: list[Event], filters: dict[str, str]) -> Brief:
    chosen = {e.id for e in events}
    contradictions = [
        c
        for c in record.store.contradictions()
        if c.about_event in chosen or (not filters and not c.about_event)
    ]
    article_ids = sorted({a for e in events for a in e.articles} if filters else set(record.articles))
    ranked = key_events(events, top=words()["key_developments"], mentions=record.store.mentions())
    # built in reading order, so citations are numbered as a reader meets them
    key_developments = [record.line(e) for e in ranked]
    timeline = [record.line(e) for e in events if e.date.start]
    casualties = [sections.casualties(record, e) for e in events if sections.has_toll(record, e)]
    disagreements = [sections.disagreement(record, c) for c in contradictions]
    statements = sections.statements(record, {e.id: e for e in events})
    sources = [sections.source_line(record, a) for a in article_ids if a in record.articles]
    gaps = Gaps(
        undated=[record.line(e) for e in events if e.date.start is None],
        unplaced=[record.line(e) for e in events if not e.location or e.location.lat is None],
        single_source=[record.line(e) for e in events if e.corroboration.articles <= 1],
    )
    return Brief(
        title="Briefing" + (" — " + ", ".join(f"{k} {v}" for k, v in filters.items()) if filters else ""),
        period=sections.period_text(events),
        filters=filters,
        counts={"articles": len(article_ids), "events": len(events), "contradictions": len(contradictions)},
        key_developments=key_developments,
        timeline=timeline,
        casualties=casualties,
        disagreements=disagreements,
        statements=statements,
        sources=sources,
        outlets=sections.outlets(sources, record),
        gaps=gaps,
        citations=sorted(record.citer.found.values(), key=lambda c: c.number),
        events=events,
        actors=list(record.actors.values()),
    )
