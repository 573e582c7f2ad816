"""A killed ingest (SIGKILL: no cleanup handlers run) leaves a consistent database holding whole
articles only, and running the same command again completes the rest."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from khabar.store.repository import Store

pytestmark = pytest.mark.slow

TOWNS = ["Chaman", "Quetta", "Peshawar", "Kandahar", "Jalalabad", "Khost", "Bannu", "Zhob"]


def _corpus(folder: Path, count: int) -> None:
    folder.mkdir()
    for n in range(count):
        town = TOWNS[n % len(TOWNS)]
        folder.joinpath(f"report_{n:03}.txt").write_text(
            f"Gunmen attacked a police checkpoint in {town} on {n % 27 + 1} October 2025, "
            f"killing {n % 7 + 1} officers, district police chief Anwar Shah said. "
            f"Report number {n} of the night desk. "
            "The provincial government condemned the attack and promised an inquiry.",
            encoding="utf-8",
        )


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_killed_ingest_leaves_whole_articles_and_rerun_completes(tmp_path: Path):
    inbox, db = tmp_path / "inbox", tmp_path / "k.db"
    _corpus(inbox, 120)
    command = [sys.executable, "-m", "khabar", "ingest", str(inbox), "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _count(db) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stored = _count(db)
    assert 0 < stored < 120, "the kill should land in the middle of the run"

    with sqlite3.connect(db) as con:
        assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    with Store.open(str(db)) as store:
        ids = {a.id for a in store.articles()}
        assert len(ids) == stored and {m.article for m in store.mentions()} <= ids

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    with Store.open(str(db)) as store:
        assert store.article_count() == 120
