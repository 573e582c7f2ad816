"""jobs: articles submitted through `POST /api/articles` -> the pipeline, in the background (#6).

A submission becomes a `Job` at once (the request returns 202 with its id); one worker thread
then reads it (ingest's readers, or ingest's fetcher for a URL, with its private-address refusal),
and runs `pipeline.clean_new` and `pipeline.update`, the steps `pipeline.run` takes.
One worker, because every job ends by re-resolving the whole record and two at once would only
race. Job states live in memory: a restarted server forgets finished jobs, never stored articles.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from .. import pipeline
from ..errors import InputError, KhabarError
from ..models import RawDoc
from ..store.repository import Store

JobState = Literal["queued", "running", "done", "failed"]
#: reads the submitted input; called in the worker, so a slow fetch never holds a request
Reader = Callable[[], Iterable[RawDoc | InputError]]


class QueueFull(Exception):
    """Too many submissions are waiting; the client should retry later."""


@dataclass
class Job:
    """One submission and what became of it.

    id (str): the job id, for GET /api/jobs/{id}.
    state (str): "queued", "running", "done" (see the counts; an input that could not be read is
        in `failed`) or "failed" (the run itself stopped, see `error`).
    added (list[str]): ids of the articles stored; `already_stored` those that were there before.
    """

    id: str
    source: str
    submitted: datetime
    state: JobState = "queued"
    finished: datetime | None = None
    added: list[str] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: events and contradictions in the whole record after the job (0 when it added nothing)
    events: int = 0
    contradictions: int = 0
    error: str | None = None


class Jobs:
    """The job list and its worker thread. `start` before submitting; `stop` waits for the job
    being run to finish and drops the ones still queued."""

    def __init__(self, store: Store, *, max_pending: int = 50, keep: int = 1000) -> None:
        self.store = store
        self._queue: queue.Queue[tuple[str, Reader] | None] = queue.Queue(maxsize=max_pending)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="khabar-jobs", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            return
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        self._thread.join()
        self._thread = None

    def submit(self, source: str, reader: Reader) -> Job:
        """Queue a submission.

        source (str): where it came from, for people ("POST /api/articles", the URL).
        reader (Reader): returns what ingest read from it.
        RETURNS (Job): a copy of the new job, state "queued".
        RAISES QueueFull: max_pending jobs are already waiting.
        """
        job = Job(id=uuid.uuid4().hex, source=source, submitted=datetime.now(UTC))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        try:
            self._queue.put_nowait((job.id, reader))
        except queue.Full as exc:
            with self._lock:
                del self._jobs[job.id]
            raise QueueFull from exc
        return dataclasses.replace(job)

    def get(self, job_id: str) -> Job | None:
        """A copy of the job, or None if there is no such job (or it is long forgotten)."""
        with self._lock:
            job = self._jobs.get(job_id)
            return dataclasses.replace(job) if job else None

    def _update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs[job_id] = dataclasses.replace(job, **changes)  # type: ignore[arg-type]

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            job_id, reader = item
            self._update(job_id, state="running")
            try:
                report = self._run(reader)
            except KhabarError as exc:
                self._fail(job_id, str(exc))
                continue
            except Exception as exc:  # a bug met by one submission must not stop the worker
                self._fail(job_id, f"internal error: {type(exc).__name__}: {exc}")
                continue
            self._update(
                job_id,
                state="done",
                finished=datetime.now(UTC),
                added=report.added,
                already_stored=report.already_stored,
                near_duplicates=report.near_duplicates,
                failed=[str(failure) for failure in report.failed],
                events=report.events,
                contradictions=report.contradictions,
            )

    def _fail(self, job_id: str, error: str) -> None:
        self._update(job_id, state="failed", error=error, finished=datetime.now(UTC))

    def _run(self, reader: Reader) -> pipeline.RunReport:
        report = pipeline.RunReport()
        articles = pipeline.clean_new(reader(), store=self.store, report=report)
        if articles:
            # one process: a job holds an article or a few, not worth starting worker processes for
            pipeline.update(articles, store=self.store, report=report, workers=1)
        return report
