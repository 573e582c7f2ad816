"""Benchmark: throughput and peak memory of the whole pipeline against spaCy alone (issue #3).

Data: news articles read at run time from ../shared/datasets (see each SOURCE.md): the 200 human
BBC stories of l2r_news, the 200 GeoWebNews articles of geoparsing, then FNC-1 bodies in Body ID
order up to --articles (default 600). They are written as .txt files to a temporary directory,
which is deleted afterwards; nothing is copied into the repository.

Two jobs, each in a fresh Python process, given the same number of processes (--workers; by
default every core, `khabar.pipeline.default_workers()`), one after the other (--repeat alternates
them and reports the median time):
- spaCy alone: load the pinned model (`spacy.load`), then `nlp.pipe(texts, n_process=workers)`
  over the article texts, discarding the docs (batch_size: spaCy's faster choice of khabar's two).
- khabar: `pipeline.run` over the folder into a new SQLite file (ingest, clean, near-duplicates,
  annotate + extract in `workers` processes, store, resolve, assess), then `export_document`
  written as JSON: ingest to export. The time of each of run()'s steps is shown as well.
Both times include loading what each job needs (the model; for khabar also the knowledge base and
the gazetteer, in every process). The gazetteer comes from khabar's cache on disk, built before the
measures (as by the first command after installing khabar, about two seconds). Throughput is
input articles and words (whitespace-separated) per second of that wall time; the ratio is
khabar's over spaCy's (target: 0.7 or more). Peak memory is the largest sum over the job's process
and all its descendants, sampled every 0.1 s from /proc, of resident set sizes (RSS: an upper
bound, pages shared by forked processes count in each) and of proportional set sizes (PSS: a
shared page split among its sharers). Linux only.

Run: python bench/throughput.py [--articles 600] [--workers N] [--repeat 1]
     (from the repository root; prints figures, writes only to a temporary directory)
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
L2R = DATA / "l2r_news" / "news_labeled.jsonl"
GWN = DATA / "geoparsing" / "GeoWebNews_GWN.xml"
FNC = DATA / "fnc1" / "competition_test_bodies.csv"
SAMPLE_SECONDS = 0.25
#: spaCy alone's batch sizes, its faster settings here, fixed whatever khabar's own are: with worker
#: processes, batches of 32 texts (each is one message between processes; spaCy's default of 1000
#: would give 600 texts to one worker); in one process, batches of 4.
SPACY_BATCH_SIZE = 32
SPACY_BATCH_SIZE_ONE_PROCESS = 4
TARGET_RATIO = 0.7
MEMORY_LIMIT_MB = 1536


# ---- corpus --------------------------------------------------------------------------------------


def corpus(limit: int) -> Iterator[tuple[str, str]]:
    """(name, text) of up to `limit` news articles: l2r_news human stories, GeoWebNews, FNC-1."""
    yield from _first(limit, _l2r_human(), _geowebnews(), _fnc_bodies())


def _first(limit: int, *sources: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    count = 0
    for source in sources:
        for name, text in source:
            if count == limit:
                return
            if text.strip():
                count += 1
                yield name, text


def _l2r_human() -> Iterator[tuple[str, str]]:
    for line in L2R.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if row and row["model"] == "human":
            yield f"l2r-{row['id']}", row["text"]


def _geowebnews() -> Iterator[tuple[str, str]]:
    for article in ET.parse(GWN).getroot().iter("article"):
        yield f"gwn-{article.get('file')}", article.findtext("text") or ""


def _fnc_bodies() -> Iterator[tuple[str, str]]:
    with FNC.open(encoding="utf-8", newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda row: int(row["Body ID"]))
    for row in rows:
        yield f"fnc-{row['Body ID']}", row["articleBody"]


def write_corpus(folder: Path, limit: int) -> tuple[int, int]:
    """Write the articles as .txt files; RETURNS (articles, words)."""
    articles = words = 0
    for name, text in corpus(limit):
        folder.joinpath(f"{name}.txt").write_text(text, encoding="utf-8")
        articles += 1
        words += len(text.split())
    return articles, words


# ---- the two measured jobs (each run in a child process) -------------------------------------


def job_spacy(folder: Path, workers: int) -> dict:
    import spacy

    from khabar.annotate import MODEL_PACKAGE

    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    cpu_before, start = _cpu_seconds(), time.perf_counter()
    nlp = spacy.load(MODEL_PACKAGE)
    batch_size = SPACY_BATCH_SIZE if workers > 1 else SPACY_BATCH_SIZE_ONE_PROCESS
    docs = sum(1 for _ in nlp.pipe(texts, n_process=workers, batch_size=batch_size))
    return {"seconds": time.perf_counter() - start, "cpu_before": cpu_before, "docs": docs}


def _cpu_seconds() -> float:
    """CPU time this process has used so far, with its reaped children's."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


#: The pipeline's own steps, as `pipeline.run` calls them, timed to show where the time goes.
STEPS = ("clean_new", "add_articles", "redate", "refresh")


def job_khabar(folder: Path, workers: int) -> dict:
    from khabar import pipeline
    from khabar.report.exports import export_document
    from khabar.store.repository import Store

    steps = _time_steps(pipeline)
    with tempfile.TemporaryDirectory(prefix="khabar-bench-store-") as work:
        cpu_before, start = _cpu_seconds(), time.perf_counter()
        with Store.open(str(Path(work, "bench.db"))) as store:
            report = pipeline.run([str(folder)], store=store, workers=workers)
            ran = time.perf_counter()
            document = export_document(store)
            Path(work, "export.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        done = time.perf_counter()
    return {
        "seconds": done - start,
        "cpu_before": cpu_before,
        "steps": {**steps, "export": done - ran},
        "added": len(report.added),
        "failed": len(report.failed),
        "near_duplicates": len(report.near_duplicates),
        "events": report.events,
        "mentions": len(document.get("mentions", [])),
        # ru_maxrss is in KiB on Linux
        "parent_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _time_steps(module: ModuleType) -> dict[str, float]:
    """Wrap the module's step functions so that each adds its wall time to the returned dict."""
    spent = dict.fromkeys((name for name in STEPS if hasattr(module, name)), 0.0)

    def timed(name: str, step: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    for name in spent:
        setattr(module, name, timed(name, getattr(module, name)))
    return spent


JOBS = {"spacy": job_spacy, "khabar": job_khabar}


# ---- measuring a child process -------------------------------------------------------------------


def _tree(root: int) -> set[int]:
    """A process and all its descendants (found by scanning /proc for parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        try:
            stat = Path(entry.path, "stat").read_text() if entry.name.isdigit() else ""
        except OSError:  # the process ended while we looked
            continue
        if stat:
            parents.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    tree, frontier = {root}, [root]
    while frontier:
        children = [pid for pid in parents.get(frontier.pop(), []) if pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return tree


def _memory(pids: set[int]) -> tuple[int, int]:
    """Summed resident and proportional set sizes, in bytes (PSS splits a shared page among the
    processes sharing it, so forked children are not counted several times over)."""
    rss = pss = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in rollup.splitlines()[1:] if ":" in line)
        rss += int(fields.get("Rss", "0 kB").split()[0]) * 1024
        pss += int(fields.get("Pss", "0 kB").split()[0]) * 1024
    return rss, pss


@dataclass
class Measure:
    job: str
    result: dict
    peak_rss: int
    peak_pss: int
    cpu_seconds: float


def measure(job: str, folder: Path, workers: int) -> Measure:
    """Run one job in a fresh Python process and sample its memory until it ends."""
    command = [sys.executable, __file__, "--job", job, "--folder", str(folder), "--workers", str(workers)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    peaks = [0, 0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peaks[:] = map(max, peaks, _memory(_tree(child.pid)))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = child.stdout.read() if child.stdout else ""
    # wait4, not wait: its usage counts the job's CPU time and that of all the workers it reaped
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"the {job} job failed with exit status {child.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    cpu = usage.ru_utime + usage.ru_stime - result["cpu_before"]  # imports and reading texts left out
    return Measure(job, result, *peaks, cpu_seconds=cpu)


# ---- report --------------------------------------------------------------------------------------


@dataclass
class Rates:
    """One job's figures: median seconds over repeats, throughput, and the highest peak memory."""

    seconds: float
    articles_per_s: float
    words_per_s: float
    cpu_seconds: float
    rss_mb: float
    pss_mb: float

    @classmethod
    def of(cls, measures: list[Measure], articles: int, words: int) -> Rates:
        seconds = statistics.median(m.result["seconds"] for m in measures)
        cpu = statistics.median(m.cpu_seconds for m in measures)
        rss, pss = (max(getattr(m, peak) for m in measures) / 2**20 for peak in ("peak_rss", "peak_pss"))
        return cls(seconds, articles / seconds, words / seconds, cpu, rss, pss)

    def row(self, label: str) -> str:
        rates = (
            f"{self.seconds:9.1f}{self.articles_per_s:12.2f}{self.words_per_s:10.0f}{self.cpu_seconds:9.1f}"
        )
        return f"{label:24}{rates}{self.rss_mb:13.0f}{self.pss_mb:13.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=600, help="how many articles (issue #3 asks for 500 or more)"
    )
    parser.add_argument("--workers", type=int, default=0, help="processes for both (default: every core)")
    parser.add_argument("--repeat", type=int, default=1, help="measure each this many times, alternating")
    parser.add_argument("--job", choices=sorted(JOBS), help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.job:  # a measured child: print the job's figures as one JSON line
        print(json.dumps(JOBS[args.job](args.folder, args.workers)))
        return 0
    if not all(p.exists() for p in (L2R, GWN, FNC)):
        print(f"datasets not found under {DATA}", file=sys.stderr)
        return 1
    if not Path("/proc/self/smaps_rollup").exists():
        print("this benchmark reads memory from /proc (Linux only)", file=sys.stderr)
        return 1
    from khabar.pipeline import default_workers

    workers = args.workers or default_workers()
    runs: dict[str, list[Measure]] = {"spacy": [], "khabar": []}
    with tempfile.TemporaryDirectory(prefix="khabar-bench-") as tmp:
        texts = Path(tmp, "texts")
        texts.mkdir()
        articles, words = write_corpus(texts, args.articles)
        print(f"corpus: {articles} articles, {words} words (l2r_news human, GeoWebNews, FNC-1 bodies)")
        print(
            f"processes: {workers} for both (spaCy n_process={workers}; khabar workers={workers}); "
            f"cores available: {default_workers()}"
        )
        print(f"khabar's knowledge cache ready in {warm_cache():.1f} s (not in the figures: built once)")
        for n in range(args.repeat):
            for job in ("spacy", "khabar"):
                runs[job].append(measure(job, texts, workers))
                print(f"  run {n + 1} {job:6}: {runs[job][-1].result['seconds']:.1f} s", flush=True)
    return report(runs, articles, words, workers)


def warm_cache() -> float:
    """Build khabar's cache of knowledge (`khabar.knowledge.cache`) if this machine has none yet,
    as the first command after installing khabar does. RETURNS the seconds it took."""
    start = time.perf_counter()
    code = "from khabar.knowledge.gazetteer import load_gazetteer; load_gazetteer()"
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def report(runs: dict[str, list[Measure]], articles: int, words: int, workers: int) -> int:
    spacy, khabar = (Rates.of(runs[job], articles, words) for job in ("spacy", "khabar"))
    ratio = khabar.articles_per_s / spacy.articles_per_s
    last = runs["khabar"][-1].result
    print(
        f"{'':24}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'CPU s':>9}" + "  peak RSS MB  peak PSS MB"
    )
    print(spacy.row("spaCy alone (nlp.pipe)"))
    print(khabar.row("khabar ingest -> export"))
    print(f"ratio khabar/spaCy throughput: {ratio:.2f} (target >= {TARGET_RATIO})")
    print(
        f"ratio of CPU time spaCy/khabar: {spacy.cpu_seconds / khabar.cpu_seconds:.2f} (what the throughput "
        "ratio would be on one idle core; wall times depend on what else the machine runs)"
    )
    print(
        f"khabar peak memory: {khabar.rss_mb:.0f} MB RSS, {khabar.pss_mb:.0f} MB PSS, parent alone "
        f"{last['parent_peak_mb']:.0f} MB (target < {MEMORY_LIMIT_MB} MB)"
    )
    print(
        "khabar steps (s): " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in last["steps"].items())
    )
    print(
        f"khabar stored {last['added']} articles ({last['failed']} refused, {last['near_duplicates']} "
        f"near-duplicates): {last['mentions']} mentions, {last['events']} events"
    )
    print(f"median of {len(runs['khabar'])} run(s) each, {workers} processes each, model loading included")
    return 0


if __name__ == "__main__":
    sys.exit(main())
