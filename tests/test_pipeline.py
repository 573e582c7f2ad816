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
