"""brief.sections: the stored record -> the sections of a briefing, each line with its citations.

Read by `brief()` (brief/__init__.py): `Record` indexes the store for one brief and numbers
citations in order of first use; one function per section builds its lines. The words shown to
the reader (statement verbs, modality labels) come from report/templates/brief.yaml.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import yaml

from ...models import ActorRef, Article, Contradiction, DateRef, Event, Mention, Span, Toll
from ...store.repository import Store
from .model import Casualties, Citation, Disagreement, EventLine, Fact, SourceLine, Statement


@functools.cache
def words() -> dict[str, Any]:
    """report/templates/brief.yaml: the briefing's words and sizes."""
    text = resources.files("khabar").joinpath("report/templates/brief.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


# ---- citations -----------------------------------------------------------------------------------


class Citer:
    """Numbers citations in order of first use; the same sentence is cited once."""

    def __init__(self, articles: dict[str, Article]) -> None:
        self.articles = articles
        self.found: dict[tuple[str, Span | None], Citation] = {}

    def cite(self, article_id: str, where: Sequence[int] | None, quote: str | None = None) -> int:
        """The number of the citation of these characters of an article (None: the whole article)."""
        span: Span | None = (where[0], where[1]) if where else None
        key = (article_id, span)
        if key not in self.found:
            article = self.articles.get(article_id)
            text = quote or (article.text[span[0] : span[1]] if article and span else "")
            url = article.url if article and article.url and re.match(r"https?://", article.url) else None
            title, outlet = (article.title, article.outlet) if article else (None, None)
            self.found[key] = Citation(len(self.found) + 1, article_id, span, text, title, outlet, url)
        return self.found[key].number

    def mention(self, mention: Mention) -> int:
        """Cite the sentence of a mention (found in its article when its span was not kept)."""
        span = tuple(mention.sentence_span)
        article = self.articles.get(mention.article)
        if span == (0, 0) and mention.sentence and article:
            at = article.text.find(mention.sentence)
            span = (at, at + len(mention.sentence)) if at >= 0 else ()
        if not span or span == (0, 0):
            return self.cite(mention.article, mention.span)
        return self.cite(mention.article, span, mention.sentence or None)


# ---- the brief -----------------------------------------------------------------------------------


class Record:
    """The stored record, indexed for one brief."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.articles = {a.id: a for a in store.articles()}
        self.actors = {a.id: a for a in store.actors()}
        self.mentions = {m.id: m for m in store.mentions()}
        self.citer = Citer(self.articles)

    def name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id

    def outlet(self, article_id: str) -> str:
        """The article's outlet, else its title, else its file or URL's last part."""
        article = self.articles.get(article_id)
        if article is None:
            return article_id
        return article.outlet or article.title or article.source.rstrip("/").rsplit("/", 1)[-1]

    def line(self, event: Event) -> EventLine:
        mentions = [self.mentions[m] for m in event.mentions if m in self.mentions]
        return EventLine(
            event=event.id,
            when=date_text(event.date),
            place=place_text(event),
            who=self.who(event.actors, event.recipients),
            title=event.title,
            toll=tolls_text(event.killed, event.injured),
            outlets=sorted({self.outlet(a) for a in event.articles}),
            status=event.status,
            cites=[self.citer.mention(m) for m in mentions]
            or [self.citer.cite(a, None) for a in event.articles],
        )

    def refs(self, refs: Iterable[ActorRef]) -> str:
        """The actors words name, by their canonical names when linked."""
        return ", ".join(self.name(ref.actor) if ref.actor else ref.text for ref in refs)

    def who(self, actors: Iterable[str], recipients: Iterable[str]) -> str:
        doers = ", ".join(self.name(a) for a in actors)
        done_to = ", ".join(self.name(r) for r in recipients)
        if doers and done_to:
            return f"{doers} → {done_to}"
        return doers or (f"→ {done_to}" if done_to else "unknown actors")


# ---- sections ------------------------------------------------------------------------------------


def has_toll(record: Record, event: Event) -> bool:
    mentions = [record.mentions[m] for m in event.mentions if m in record.mentions]
    return bool(event.killed or event.injured or any(m.killed or m.injured for m in mentions))


def casualties(record: Record, event: Event) -> Casualties:
    claims = []
    for mention_id in event.mentions:
        mention = record.mentions.get(mention_id)
        if mention is None or not (mention.killed or mention.injured):
            continue
        said = tolls_text(mention.killed, mention.injured) or "a toll without a number"
        by = f" according to {mention.reporter.text}" if mention.reporter else ""
        label = words()["modality"].get(mention.modality, mention.modality)
        text = f"{said}{by} — {record.outlet(mention.article)}" + (f" ({label})" if label else "")
        claims.append(Fact(text, [record.citer.mention(mention)]))
    return Casualties(record.line(event), claims)


def disagreement(record: Record, contradiction: Contradiction) -> Disagreement:
    positions = []
    for position in contradiction.positions:
        mentions = [record.mentions[m] for m in position.mentions if m in record.mentions]
        cites = [record.citer.mention(m) for m in mentions]
        if not cites and len(position.articles) == 1 and position.spans:
            cites = [record.citer.cite(position.articles[0], s) for s in position.spans]
        cites = cites or [record.citer.cite(a, None) for a in position.articles]
        outlets = ", ".join(sorted({record.outlet(a) for a in position.articles}))
        positions.append(Fact(f"{position.value} — {outlets}", cites))
    kind, severity = contradiction.kind, contradiction.severity
    return Disagreement(kind, severity, contradiction.explanation, positions)


def statements(record: Record, events: dict[str, Event]) -> dict[str, list[Statement]]:
    vocabulary = words()
    by_speaker: dict[str, list[Statement]] = defaultdict(list)
    for mention in record.mentions.values():
        verb = vocabulary["statement_mode_verbs"].get(mention.mode) or vocabulary["statement_verbs"].get(
            mention.type
        )
        if not verb or mention.acled is not None or mention.event not in events:
            continue
        speaker = record.refs(mention.actors) or "unnamed speakers"
        about = events.get(mention.about or "")
        by_speaker[speaker].append(
            Statement(
                when=date_text(mention.date),
                verb=verb,
                recipients=record.refs(mention.recipients),
                about=about.title if about else None,
                quote=mention.quote,
                modality=vocabulary["modality"].get(mention.modality, mention.modality),
                outlet=record.outlet(mention.article),
                cites=[record.citer.mention(mention)],
            )
        )
    return dict(sorted(by_speaker.items()))


def source_line(record: Record, article_id: str) -> SourceLine:
    credibility = record.store.credibility(article_id)
    signals = sorted(credibility.signals, key=lambda s: -abs(s.effect)) if credibility else []
    reasons = [
        Fact(
            f"{signal.detail} ({signal.effect:+.2f})",
            [record.citer.cite(article_id, span) for span in signal.spans[:1]],
        )
        for signal in signals[: words()["signals_per_article"]]
    ]
    return SourceLine(record.articles[article_id], credibility, reasons)


def outlets(sources: list[SourceLine], record: Record) -> list[Fact]:
    """Per outlet: how many articles, and their mean credibility."""
    by_outlet: dict[str, list[SourceLine]] = defaultdict(list)
    for source in sources:
        by_outlet[record.outlet(source.article.id)].append(source)
    lines = []
    for outlet, items in sorted(by_outlet.items()):
        scores = [item.credibility.score for item in items if item.credibility]
        mean = f"mean credibility {sum(scores) / len(scores):.2f}" if scores else "not assessed"
        lines.append(Fact(f"{outlet}: {len(items)} article{'s' * (len(items) != 1)}, {mean}"))
    return lines


# ---- words ---------------------------------------------------------------------------------------


def date_text(date_ref: DateRef) -> str:
    """ "9 Oct 2025", "week of 6 Oct 2025", "Oct 2025", "2025" or "undated", by precision."""
    start = date_ref.start
    if start is None:
        return "undated"
    if date_ref.precision == "day":
        return f"{start.day} {start:%b %Y}"
    if date_ref.precision == "week":
        return f"week of {start.day} {start:%b %Y}"
    return f"{start:%b %Y}" if date_ref.precision == "month" else f"{start:%Y}"


def place_text(event: Event) -> str | None:
    where = event.location
    if where is None:
        return None
    return ", ".join(part for part in (where.name, where.country) if part)


def toll_text(count: Toll | None, what: str) -> str | None:
    """ "6 killed", "at least 6 killed", "6–9 killed (best 7)", "up to 9 killed"; None without a number."""
    if count is None or (count.low is None and count.high is None and count.best is None):
        return None
    low, high, best = count.low, count.high, count.best
    if low is not None and high == low:
        return f"{low} {what}"
    if high is None:
        return f"at least {low} {what}" if low is not None else f"about {best} {what}"
    spread = f"{low}–{high}" if low is not None else f"up to {high}"
    return f"{spread} {what}" + (f" (best {best})" if best not in (None, low, high) else "")


def tolls_text(killed: Toll | None, injured: Toll | None) -> str | None:
    parts = [p for p in (toll_text(killed, "killed"), toll_text(injured, "injured")) if p]
    return ", ".join(parts) or None


def period_text(events: list[Event]) -> str:
    """From the earliest to the latest dated event, each at its own precision."""
    dated = [e for e in events if e.date.start]
    if not dated:
        return "no dated events"
    first = min(dated, key=lambda e: e.date.start)  # type: ignore[arg-type,return-value]
    last = max(dated, key=lambda e: e.date.end or e.date.start)  # type: ignore[arg-type,return-value]
    start, end = date_text(first.date), date_text(last.date)
    return start if start == end else f"{start} – {end}"
