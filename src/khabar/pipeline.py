"""pipeline: the stage order, and nothing else.

inputs -> ingest -> clean -> (near-duplicate check) -> annotate -> extract -> store, one article
per transaction; then resolve + assess over the stored corpus -> store. The CLI, the web app and
the demo all call `run()`; none of them knows the order of the stages.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_all_start_methods, get_context, parent_process
from typing import TypeVar

from khabar.annotate import build_nlp
from khabar.assess import assess
from khabar.clean import clean
from khabar.dedup import NearDuplicateIndex, signature
from khabar.errors import InputError, KhabarError
from khabar.extract import extract
from khabar.extract import warm as extract_warm
from khabar.extract.dates import corpus_year_hint
from khabar.ingest import Metadata, ingest
from khabar.knowledge import load_knowledge
from khabar.knowledge.gazetteer import load_gazetteer
from khabar.models import Article, Contradiction, Credibility, Extraction, Mention, RawDoc, Resolution
from khabar.resolve import resolve, resolve_incremental
from khabar.store.repository import Store

#: Fewer articles than this are cleaned and assessed in this process (starting processes would
#: cost more).
IN_PARALLEL = 64
#: How many articles are handed to a worker process at once: small enough that workers finish
#: together (the last batch keeps one worker busy while the others wait), large enough that
#: messages between processes cost little.
BATCH_SIZE = 16
#: How many of them the parser takes at once: the network's arrays for 32 long articles peak at
#: ~150 MB per process, for 4 at ~40 MB, and 4 parsed no slower on the throughput benchmark.
PARSE_BATCH_SIZE = 4


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
    workers: int | None = None,
) -> RunReport:
    """Ingest inputs into the store and bring events, contradictions and credibility up to date.

    inputs (Sequence[str]): paths, directories, globs, URLs or "-" for standard input.
    store (Store): where articles and results go.
    metadata (Metadata): overrides for every input (command-line options).
    allow_private (bool): let URLs point at private or loopback addresses.
    on_item (Callable[[str], None]): called with each input's source as it is handled.
    workers (int | None): processes that annotate and extract (`add_articles`); None: one per core.
    RETURNS (RunReport): what was stored, skipped and refused.
    """
    report = RunReport()
    items = ingest(inputs, metadata=metadata, allow_private=allow_private)
    workers = workers or default_workers()
    articles = clean_new(items, store=store, report=report, on_item=on_item, workers=workers)
    update(articles, store=store, report=report, workers=workers)
    return report


def update(
    articles: Sequence[Article], *, store: Store, report: RunReport, workers: int | None = None
) -> None:
    """Store new articles and bring everything derived from the corpus up to date: events,
    contradictions, credibility, and the dates of undated articles when the corpus year moved."""
    stored = store.articles()
    year_before = corpus_year_hint(a.text for a in stored)
    year = corpus_year_hint([a.text for a in stored] + [a.text for a in articles])
    workers = workers or default_workers()
    add_articles(articles, store=store, report=report, workers=workers, year_hint=year)
    redated = redate(stored, store=store, year=year, year_before=year_before)
    # re-extracted mentions may differ from the ones stored events name: resolve everything then
    refresh(store, report=report, added=None if redated else report.added, workers=workers)


def redate(
    earlier: Sequence[Article], *, store: Store, year: int | None, year_before: int | None
) -> list[str]:
    """Re-extract the earlier articles whose year-less dates took the corpus year, if new articles
    moved it from `year_before` to `year` (an undated article's "9 October" belongs to the year
    the corpus is about), so that adding articles one by one gives what adding them at once gives.
    RETURNS (list[str]): the ids of the articles re-extracted."""
    if year == year_before:
        return []
    stale = [a for a in earlier if a.published is None and corpus_year_hint([a.text]) is None]
    if not stale:
        return []
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
    workers: int = 1,
) -> list[Article]:
    """Clean every input; record failed inputs; drop articles already stored (same text, same id).

    workers (int): processes that clean, when there are at least IN_PARALLEL inputs.
    """
    seen: set[str] = set()
    fresh: list[Article] = []
    for source, cleaned in _clean_all(list(items), workers=workers):
        if on_item:
            on_item(source)
        if isinstance(cleaned, InputError):
            report.failed.append(cleaned)
        elif cleaned.id in seen or store.has_article(cleaned.id):
            report.already_stored.append(cleaned.id)
        else:
            seen.add(cleaned.id)
            fresh.append(cleaned)
    return fresh


#: An input's source, and its cleaned article or why it failed.
Cleaned = tuple[str, Article | InputError]


def _clean_all(items: Sequence[RawDoc | InputError], *, workers: int) -> Iterator[Cleaned]:
    """Each input's source and its cleaned article (or why it failed), in input order. Where the
    workers clean, this process meanwhile prepares for the workers that annotate next."""
    load_knowledge()  # the proper names clean repairs casing with: loaded here, once, for every worker
    yield from _map_in_workers(_clean_one, items, workers=workers, meanwhile=_prepare_workers)


_T = TypeVar("_T")
_R = TypeVar("_R")


def _map_in_workers(
    fn: Callable[[_T], _R], items: Sequence[_T], *, workers: int, meanwhile: Callable[[], None] | None = None
) -> Iterator[_R]:
    """fn over items, in order: in a pool of `workers` processes when there are at least
    IN_PARALLEL items (starting processes would cost more for fewer), else here. `meanwhile`
    runs here while the workers work."""
    if workers <= 1 or len(items) < IN_PARALLEL:
        yield from map(fn, items)
        return
    with _worker_pool(workers) as pool:
        results = pool.map(fn, items, chunksize=BATCH_SIZE)
        if meanwhile is not None:
            meanwhile()
        yield from results


def _clean_one(item: RawDoc | InputError) -> Cleaned:
    if isinstance(item, InputError):
        return item.source or "", item
    try:
        return item.source or "", clean(item)
    except KhabarError as exc:
        return item.source or "", InputError(exc.reason, source=item.source)


def add_articles(
    articles: Sequence[Article],
    *,
    store: Store,
    year_hint: int | None,
    report: RunReport | None = None,
    workers: int | None = None,
) -> None:
    """Annotate, extract and store articles, each in its own transaction, so an interrupted run
    leaves only whole articles behind and a rerun completes the rest.

    articles (Sequence[Article]): cleaned articles not yet stored.
    store (Store): where they go.
    year_hint (int | None): the year the corpus is about, stored and new articles together
        (`corpus_year_hint`), for year-less dates of undated articles.
    report (RunReport | None): collects the ids added and the near-duplicates found.
    workers (int | None): processes that annotate and extract; None: one per core
        (`default_workers()`); 1: all in this process. Storing stays in this process, one article
        at a time in input order, whatever the number of workers.
    """
    report = report or RunReport()
    index = NearDuplicateIndex()
    for article_id, sig in store.signatures():
        index.add(article_id, sig)
    with closing(_read_all(articles, year_hint=year_hint, workers=workers or default_workers())) as reads:
        for article, (sig, extraction) in zip(articles, reads, strict=True):
            twins = index.query(sig)
            if twins:
                article.duplicate_of = twins[0]
                report.near_duplicates.append((article.id, twins[0]))
            if store.add_article(article, extraction=extraction, signature=sig):
                index.add(article.id, sig)
                report.added.append(article.id)


def default_workers() -> int:
    """How many processes annotate and extract by default: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux: every core of the machine
        return os.cpu_count() or 1


#: What annotate and extract give the store for one article: its near-duplicate signature and mentions.
Read = tuple[bytes, Extraction]


def _read_all(articles: Sequence[Article], *, year_hint: int | None, workers: int) -> Iterator[Read]:
    """Each article's signature and extraction, in input order: batch by batch in a pool of
    worker processes, or here when there is one batch only (starting processes would cost more)."""
    batches = [articles[start : start + BATCH_SIZE] for start in range(0, len(articles), BATCH_SIZE)]
    processes = min(workers, len(batches))
    if processes <= 1:
        for batch in batches:
            yield from _read(batch, year_hint=year_hint)
        return
    _prepare_workers()
    with _worker_pool(processes) as pool:
        for reads in pool.map(partial(_read_batch, year_hint=year_hint), batches):
            yield from reads


def _prepare_workers() -> None:
    """Where workers will fork, load the model and knowledge and build extraction's indexes here,
    once: every worker starts with them (a few seconds each otherwise). Built already, this costs
    nothing. Asked while cleaning workers run (whose pool has a thread), so it asks `_can_fork`,
    not `_start_method`."""
    if _can_fork() and threading.current_thread() is threading.main_thread():
        extract_warm(build_nlp().vocab, kb=load_knowledge(), gazetteer=load_gazetteer())


@contextmanager
def _worker_pool(processes: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of worker processes that end with the work. When it is interrupted or fails, the
    tasks not yet started are cancelled and each worker ends after the task in hand. A worker is
    never killed while its parent lives: killed while sending a result, it would leave the pool's
    reader waiting for the rest of the message, and this process could then never exit."""
    pool = ProcessPoolExecutor(processes, mp_context=get_context(_start_method()), initializer=_start_worker)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # the work is done and the workers idle: they end at once, and no thread of this pool is
    # left running to make the next pool spawn instead of fork
    pool.shutdown()


def _start_method() -> str:
    """fork where it is safe: on Linux, with no other thread running (a forked child would inherit
    the locks other threads hold), workers start at once with the model and knowledge loaded here.
    Otherwise spawn: each worker starts a fresh interpreter and loads them itself, and a worker that
    cannot start (a script without `if __name__ == "__main__":`) breaks the pool with an error."""
    return "fork" if _can_fork() and threading.active_count() == 1 else "spawn"


def _can_fork() -> bool:
    return sys.platform == "linux" and "fork" in get_all_start_methods()


def _start_worker() -> None:
    # Ctrl-C is for the parent: it stores only whole articles, then cancels the work not started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, daemon=True).start()


def _exit_with_parent() -> None:
    """End this worker when its parent dies: a SIGKILLed parent tells no one, and an orphaned
    worker would wait for work forever."""
    parent = parent_process()
    if parent is None:
        return
    parent.join()  # returns when the parent's end of the pipe between them closes: it has died
    os._exit(1)


def _read_batch(batch: Sequence[Article], *, year_hint: int | None) -> list[Read]:
    """One batch, annotated and extracted in a worker (which loads the model and knowledge once)."""
    return list(_read(batch, year_hint=year_hint))


def _read(batch: Sequence[Article], *, year_hint: int | None) -> Iterator[Read]:
    kb, gazetteer, nlp = load_knowledge(), load_gazetteer(), build_nlp()
    docs = nlp.pipe((a.text for a in batch), batch_size=PARSE_BATCH_SIZE)
    for article, doc in zip(batch, docs, strict=True):
        yield signature(article.text), extract(article, doc, kb=kb, gazetteer=gazetteer, year_hint=year_hint)


def refresh(
    store: Store,
    *,
    report: RunReport | None = None,
    added: Collection[str] | None = None,
    workers: int = 1,
) -> None:
    """Bring events and contradictions up to date, and re-assess every article.

    added (Collection[str]): ids of the articles stored since the last refresh. Given, and with
        events already stored, only the events their mentions can touch are re-resolved (the
        result is the same as resolving everything); None re-resolves the whole corpus.
    workers (int): processes that assess, when there are at least IN_PARALLEL articles.
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
    store.save_credibilities(dict(_assess_all(articles, resolution, workers=workers)))
    if report is not None:
        report.events = len(resolution.events)
        report.contradictions = len(resolution.contradictions)


#: What `assess` reads of one article: the article, its mentions, the contradictions naming it and
#: how many of its facts contradict knowledge.
Assessable = tuple[Article, list[Mention], list[Contradiction], int]


def _assess_all(
    articles: Sequence[Article], resolution: Resolution, *, workers: int
) -> Iterator[tuple[str, Credibility]]:
    """Each article's id and credibility."""
    by_article: dict[str, list[Mention]] = {}
    for mention in resolution.mentions:
        by_article.setdefault(mention.article, []).append(mention)
    involved: dict[str, list[Contradiction]] = {}
    for contradiction in resolution.contradictions:
        for article_id in {a for position in contradiction.positions for a in position.articles}:
            involved.setdefault(article_id, []).append(contradiction)
    conflicts = resolution.knowledge_conflicts
    inputs = [(a, by_article.get(a.id, []), involved.get(a.id, []), conflicts.get(a.id, 0)) for a in articles]
    yield from _map_in_workers(_assess_one, inputs, workers=workers)


def _assess_one(what: Assessable) -> tuple[str, Credibility]:
    article, mentions, contradictions, knowledge_conflicts = what
    found = assess(article, mentions, contradictions=contradictions, knowledge_conflicts=knowledge_conflicts)
    return article.id, found
