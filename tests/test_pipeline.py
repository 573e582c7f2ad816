"""The pipeline stores whole articles only: an interrupted run leaves the database consistent and
a rerun completes the rest with the same result as one uninterrupted run."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar import pipeline
from khabar.store.repository import Store

pytestmark = pytest.mark.slow


def test_pipeline_interrupted_run_leaves_whole_articles_and_rerun_completes(
    samples_dir: Path, tmp_path: Path, monkeypatch
):
    real_extract = pipeline.extract
    calls = {"n": 0}

    def extract_then_interrupt(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_extract(*args, **kwargs)

    db = tmp_path / "k.db"
    monkeypatch.setattr(pipeline, "extract", extract_then_interrupt)
    with Store.open(str(db)) as store, pytest.raises(KeyboardInterrupt):
        pipeline.run([str(samples_dir)], store=store)
    with Store.open(str(db)) as store:
        assert store.article_count() == 2
        stored = {a.id for a in store.articles()}
        assert {m.article for m in store.mentions()} <= stored

    monkeypatch.setattr(pipeline, "extract", real_extract)
    with Store.open(str(db)) as store:
        report = pipeline.run([str(samples_dir)], store=store)
        assert len(report.added) == 3 and len(report.already_stored) == 2
        resumed = _snapshot(store)

    with Store.open(str(tmp_path / "fresh.db")) as store:
        pipeline.run([str(samples_dir)], store=store)
        assert _snapshot(store) == resumed


def _snapshot(store: Store) -> tuple:
    events = sorted((e.id, e.type, tuple(e.mentions)) for e in store.events())
    mentions = sorted((m.id, m.type, m.event) for m in store.mentions())
    return events, mentions


def _batch(samples: list[Path], db: Path) -> tuple:
    with Store.open(str(db)) as store:
        pipeline.run([str(p) for p in samples], store=store)
        return _snapshot(store), sorted((c.kind, c.explanation) for c in store.contradictions())


def _one_by_one(first: list[Path], last: Path, db: Path, monkeypatch) -> tuple[tuple, list[int]]:
    full_runs: list[int] = []
    real_resolve = pipeline.resolve
    monkeypatch.setattr(pipeline, "resolve", lambda *a, **k: full_runs.append(1) or real_resolve(*a, **k))
    with Store.open(str(db)) as store:
        pipeline.run([str(p) for p in first], store=store)
        report = pipeline.run([str(last)], store=store)
        assert len(report.added) == 1
        grown = _snapshot(store), sorted((c.kind, c.explanation) for c in store.contradictions())
    return grown, full_runs


def test_pipeline_adding_an_article_re_resolves_only_what_it_touches_and_equals_a_batch_run(
    samples_dir: Path, tmp_path: Path, monkeypatch
):
    samples = sorted(samples_dir.glob("*.txt"))
    batch = _batch(samples, tmp_path / "batch.db")
    # the first sample is the one whose dated history ("August 2021") does not move the corpus year
    grown, full_runs = _one_by_one(samples[1:], samples[0], tmp_path / "grown.db", monkeypatch)
    assert full_runs == [1], "the second run must re-resolve incrementally, not the whole corpus"
    assert grown == batch


def test_pipeline_an_article_moving_the_corpus_year_redates_undated_ones(
    samples_dir: Path, tmp_path: Path, monkeypatch
):
    samples = sorted(samples_dir.glob("*.txt"))
    batch = _batch(samples, tmp_path / "batch.db")
    # without the last sample the corpus reads as 2021; with it, 2025: undated "9 October" moves
    grown, _ = _one_by_one(samples[:-1], samples[-1], tmp_path / "grown.db", monkeypatch)
    assert grown == batch
