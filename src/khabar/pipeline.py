"""pipeline: the stage order, and nothing else.

inputs -> ingest -> clean -> (near-duplicate check) -> annotate -> extract -> store, one article
per transaction; then resolve + assess over the stored corpus -> store. The CLI, the web app and
the demo all call `run()`; none of them knows the order of the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from khabar.annotate import build_nlp
from khabar.assess import assess
from khabar.clean import clean
from khabar.dedup import NearDuplicateIndex, signature
from khabar.errors import InputError, KhabarError
from khabar.extract import extract
from khabar.extract.dates import corpus_year_hint
from khabar.ingest import Metadata, ingest
from khabar.knowledge import load_knowledge
from khabar.knowledge.gazetteer import load_gazetteer
from khabar.models import Article, Contradiction, Mention, RawDoc, Resolution
from khabar.resolve import resolve, resolve_incremental
from khabar.store.repository import Store

#: How many cleaned articles are parsed together by `nlp.pipe`.
BATCH_SIZE = 32


@dataclass
class RunReport:
    """What one run did: stored and skipped article ids, near-duplicates, failed inputs."""

    added: list[str] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)
    events: int = 0
    contradictions: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[str], None]


def run(
    inputs: Sequence[str],
    *,
    store: Store,
    metadata: Metadata | None = None,
    allow_private: bool = False,
    on_item: Progress | None = None,
) -> RunReport:
    """Ingest inputs into the store and bring events, contradictions and credibility up to date.

    inputs (Sequence[str]): paths, directories, globs, URLs or "-" for standard input.
    store (Store): where articles and results go.
    metadata (Metadata): overrides for every input (command-line options).
    allow_private (bool): let URLs point at private or loopback addresses.
    on_item (Callable[[str], None]): called with each input's source as it is handled.
    RETURNS (RunReport): what was stored, skipped and refused.
    """
    report = RunReport()
    items = ingest(inputs, metadata=metadata, allow_private=allow_private)
    articles = clean_new(items, store=store, report=report, on_item=on_item)
    update(articles, store=store, report=report)
    return report


def update(articles: Sequence[Article], *, store: Store, report: RunReport) -> None:
    """Store new articles and bring everything derived from the corpus up to date: events,
    contradictions, credibility, and the dates of undated articles when the corpus year moved."""
    year_before = corpus_year_hint(a.text for a in store.articles())
    add_articles(articles, store=store, report=report)
    redated = redate(store, year_before=year_before, skip=set(report.added))
    # re-extracted mentions may differ from the ones stored events name: resolve everything then
    refresh(store, report=report, added=None if redated else report.added)


def redate(store: Store, *, year_before: int | None, skip: Collection[str] = ()) -> list[str]:
    """Re-extract the stored articles whose year-less dates took the corpus year, if new articles
    changed it (an undated article's "9 October" belongs to the year the corpus is about), so
    that adding articles one by one gives what adding them at once gives.
    RETURNS (list[str]): the ids of the articles re-extracted."""
    stored = store.articles()
    year = corpus_year_hint(a.text for a in stored)
    if year == year_before:
        return []
    stale = [
        a for a in stored if a.id not in skip and a.published is None and corpus_year_hint([a.text]) is None
    ]
    kb, gazetteer, nlp = load_knowledge(), load_gazetteer(), build_nlp()
    for article, doc in zip(stale, nlp.pipe(a.text for a in stale), strict=True):
        store.replace_extraction(
            article.id, extract(article, doc, kb=kb, gazetteer=gazetteer, year_hint=year)
        )
    return [a.id for a in stale]


def clean_new(
    items: Iterable[RawDoc | InputError],
    *,
    store: Store,
    report: RunReport,
    on_item: Progress | None = None,
) -> list[Article]:
    """Clean every input; record failed inputs; drop articles already stored (same text, same id)."""
    seen: set[str] = set()
    fresh: list[Article] = []
    for item in items:
        if on_item:
            on_item(item.source or "")
        if isinstance(item, InputError):
            report.failed.append(item)
            continue
        try:
            article = clean(item)
        except KhabarError as exc:
            report.failed.append(InputError(exc.reason, source=item.source))
            continue
        if article.id in seen or store.has_article(article.id):
            report.already_stored.append(article.id)
            continue
        seen.add(article.id)
        fresh.append(article)
    return fresh


def add_articles(articles: Sequence[Article], *, store: Store, report: RunReport | None = None) -> None:
    """Annotate, extract and store articles, each in its own transaction, so an interrupted run
    leaves only whole articles behind and a rerun completes the rest."""
    report = report or RunReport()
    kb, gazetteer, nlp = load_knowledge(), load_gazetteer(), build_nlp()
    index = NearDuplicateIndex()
    for article_id, sig in store.signatures():
        index.add(article_id, sig)
    year_hint = corpus_year_hint([a.text for a in store.articles()] + [a.text for a in articles])
    for start in range(0, len(articles), BATCH_SIZE):
        batch = articles[start : start + BATCH_SIZE]
        for article, doc in zip(batch, nlp.pipe(a.text for a in batch), strict=True):
            sig = signature(article.text)
            twins = index.query(sig)
            if twins:
                article.duplicate_of = twins[0]
                report.near_duplicates.append((article.id, twins[0]))
            extraction = extract(article, doc, kb=kb, gazetteer=gazetteer, year_hint=year_hint)
            if store.add_article(article, extraction=extraction, signature=sig):
                index.add(article.id, sig)
                report.added.append(article.id)


def refresh(store: Store, *, report: RunReport | None = None, added: Collection[str] | None = None) -> None:
    """Bring events and contradictions up to date, and re-assess every article.

    added (Collection[str]): ids of the articles stored since the last refresh. Given, and with
        events already stored, only the events their mentions can touch are re-resolved (the
        result is the same as resolving everything); None re-resolves the whole corpus.
    """
    articles = store.articles()
    mentions = store.mentions()
    context = {
        "articles": articles,
        "kb": load_knowledge(),
        "gazetteer": load_gazetteer(),
        "role_claims": store.role_claims(),
    }
    previous_events = store.events() if added is not None else []
    if previous_events:
        added = set(added or ())
        previous = Resolution(
            events=previous_events,
            contradictions=store.contradictions(),
            mentions=[m for m in mentions if m.article not in added],
        )
        new = [m for m in mentions if m.article in added]
        resolution = resolve_incremental(previous, new, **context)
    else:
        resolution = resolve(mentions, **context)
    store.save_resolution(resolution)
    by_article: dict[str, list[Mention]] = {}
    for mention in resolution.mentions:
        by_article.setdefault(mention.article, []).append(mention)
    for article in articles:
        involved = [c for c in resolution.contradictions if _names_article(c, article.id)]
        credibility = assess(
            article,
            by_article.get(article.id, []),
            contradictions=involved,
            knowledge_conflicts=resolution.knowledge_conflicts.get(article.id, 0),
        )
        store.save_credibility(article.id, credibility)
    if report is not None:
        report.events = len(resolution.events)
        report.contradictions = len(resolution.contradictions)


def _names_article(contradiction: Contradiction, article_id: str) -> bool:
    return any(article_id in position.articles for position in contradiction.positions)
