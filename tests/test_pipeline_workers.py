"""Annotate and extract run in worker processes (one per core by default), while storing stays in
the parent, one article per transaction in input order: the result does not depend on the number of
workers, and a failure stores only the articles before it."""

from __future__ import annotations

import os
import subprocess
import sys
from multiprocessing import get_all_start_methods
from pathlib import Path

import pytest

from khabar import pipeline
from khabar.errors import InputError
from khabar.models import RawDoc
from khabar.store.repository import Store

pytestmark = pytest.mark.slow

TOWNS = ["Chaman", "Quetta", "Peshawar", "Kandahar", "Jalalabad", "Khost", "Bannu", "Zhob", "Parachinar"]
WEAPONS = ["rockets", "mortar shells", "a roadside bomb", "rifles", "a drone"]
#: More articles than one batch, so that two workers each get work, and enough for cleaning and
#: assessing to run in worker processes too.
COUNT = max(pipeline.BATCH_SIZE, pipeline.IN_PARALLEL) + 9


def _report(n: int) -> str:
    town, weapon = TOWNS[n % len(TOWNS)], WEAPONS[n % len(WEAPONS)]
    return (
        f"Militants attacked a border post near {town} with {weapon} on {n % 27 + 1} October 2025, "
        f"killing {n % 6 + 2} soldiers and wounding {n % 5 + 1}, the district police chief said.\n"
        f"Residents of {town} said the firing lasted {n % 4 + 1} hours. Dispatch {n} of the evening desk."
    )


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    for n in range(COUNT):
        folder.joinpath(f"report_{n:03}.txt").write_text(_report(n), encoding="utf-8")
    # a re-scrape of report 2 with one word changed, in the second batch: found across batches
    folder.joinpath(f"report_{COUNT:03}.txt").write_text(
        _report(2).replace("evening", "night"), encoding="utf-8"
    )
    return folder


def _snapshot(store: Store) -> tuple:
    articles = [(a.id, a.duplicate_of) for a in store.articles()]
    events = sorted((e.id, e.type, tuple(e.mentions)) for e in store.events())
    mentions = sorted((m.id, m.type, m.event, m.span, m.modality) for m in store.mentions())
    credibility = [store.credibility(article_id) for article_id, _ in articles]
    return articles, events, mentions, credibility


def test_pipeline_workers_store_what_one_process_stores(inbox: Path, tmp_path: Path):
    results = []
    for workers in (1, 2):
        with Store.open(str(tmp_path / f"w{workers}.db")) as store:
            report = pipeline.run([str(inbox)], store=store, workers=workers)
            results.append((report.added, report.near_duplicates, report.events, _snapshot(store)))
    assert results[0] == results[1]
    added, near_duplicates, events, (_, _, mentions, credibility) = results[1]
    assert len(added) == COUNT + 1 and events > 0 and mentions
    assert all(c is not None and c.signals for c in credibility)
    assert [pair[1] for pair in near_duplicates] == [added[2]]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_pipeline_worker_failure_stores_only_whole_articles_before_it(
    start: str, make_article, tmp_path: Path, monkeypatch
):
    if start not in get_all_start_methods():
        pytest.skip(f"no {start} start method on this platform")
    monkeypatch.setattr(pipeline, "_start_method", lambda: start)
    articles = [make_article(_report(n), id=f"a{n:03}") for n in range(COUNT)]
    # no word to sign: the worker reading the second batch fails on it
    articles[pipeline.BATCH_SIZE + 3] = make_article("— … —", id="blank")
    with Store.open(str(tmp_path / "k.db")) as store:
        with pytest.raises(InputError, match="no words"):
            pipeline.add_articles(articles, store=store, year_hint=None, workers=2)
        stored = [a.id for a in store.articles()]
        mentioned = {m.article for m in store.mentions()}
    # a prefix of the input: the finished first batch at least, nothing from the blank one on
    assert stored == [a.id for a in articles[: len(stored)]]
    assert pipeline.BATCH_SIZE <= len(stored) <= pipeline.BATCH_SIZE + 3
    assert mentioned and mentioned <= set(stored)


def test_pipeline_reads_a_single_batch_in_process(samples_dir: Path, tmp_path: Path, monkeypatch):
    calls: list[str] = []
    real_extract = pipeline.extract
    monkeypatch.setattr(
        pipeline,
        "extract",
        lambda article, *a, **k: calls.append(article.id) or real_extract(article, *a, **k),
    )
    with Store.open(str(tmp_path / "k.db")) as store:
        report = pipeline.run([str(samples_dir)], store=store, workers=8)
    assert calls == report.added and len(calls) == 5


def test_pipeline_default_workers_is_every_core_this_process_may_use():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert pipeline.default_workers() == expected >= 1


def test_cleaning_in_worker_processes_keeps_input_order_failures_and_repeats(tmp_path: Path):
    count = pipeline.IN_PARALLEL + 6
    items: list[RawDoc | InputError] = [
        RawDoc(source=f"r{n}.txt", text=_report(n).replace("Militants", "gunmen in pakistan"), format="txt")
        for n in range(count)
    ]
    items[5] = InputError("not a readable file", source="broken.bin")
    items[40] = RawDoc(source="blank.txt", text=" \n ", format="txt")
    items[60] = RawDoc(source="again.txt", text=items[7].text, format="txt")  # r7 again
    results = []
    for workers in (1, 2):
        with Store.open(str(tmp_path / f"c{workers}.db")) as store:
            report = pipeline.RunReport()
            sources: list[str] = []
            fresh = pipeline.clean_new(
                items, store=store, report=report, on_item=sources.append, workers=workers
            )
            cleaned = [(a.source, a.id, a.text) for a in fresh]
            failed = [(f.source, f.reason) for f in report.failed]
            results.append((cleaned, failed, report.already_stored, sources))
    assert results[0] == results[1]
    fresh, failed, repeated, sources = results[1]
    assert sources == [item.source for item in items]
    assert [source for source, _ in failed] == ["broken.bin", "blank.txt"]
    assert len(repeated) == 1 and len(fresh) == count - 3
    assert [source for source, _, _ in fresh][:6] == [f"r{n}.txt" for n in (0, 1, 2, 3, 4, 6)]
    assert "in Pakistan" in fresh[0][2]  # cleaned in the worker: the country's casing repaired


#: A script whose workers send large results while one task fails: the failure reaches the
#: parent while the other worker is part-way through sending, and the script must still exit.
FAILING_WHILE_SENDING = """
import sys, time
from khabar import pipeline

def work(n):
    if n == 3:
        time.sleep(0.05)
        raise ValueError("task 3 failed")
    return b"x" * 30_000_000

if __name__ == "__main__":
    pipeline.BATCH_SIZE = 1
    try:
        for _ in pipeline._map_in_workers(work, list(range(200)), workers=2):
            pass
    except ValueError as exc:
        print(exc)
"""


@pytest.mark.parametrize("attempt", range(3))
def test_a_failed_task_ends_the_pool_and_the_parent_can_exit(attempt: int, tmp_path: Path):
    # a worker killed on the failure part-way through sending would leave the pool's reader
    # waiting forever for the rest, and the parent would hang at exit (it did, 5 times in 6)
    script = tmp_path / "fail_while_sending.py"
    script.write_text(FAILING_WHILE_SENDING, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, "task 3 failed"), done.stderr
